//! Validation errors that name the offending field.

use std::fmt;

/// A rejected value. `field` names the input field (or `row N, column C` for imports),
/// `code` is a stable machine-readable code that user interfaces translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    pub fn required(field: impl Into<String>) -> Self {
        let field = field.into();
        let message = format!("{field} is required");
        Self {
            field,
            code: "required",
            message,
        }
    }

    /// Prefix the field with a parent path, e.g. `milestones[2].` + `due`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = format!("{parent}.{}", self.field);
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Trim a text field and require it to be non-empty and at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::required(field));
    }
    if v.chars().count() > max {
        return Err(ValidationError::new(
            field,
            "too_long",
            format!("{field} is longer than {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// Like [`required_text`] but empty is allowed (returns an empty string).
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(ValidationError::new(
            field,
            "too_long",
            format!("{field} is longer than {max} characters"),
        ));
    }
    Ok(v.to_owned())
}
