use luoshi_domain::ValidationError;
use luoshi_domain::task::TransitionError;
use luoshi_store::StoreError;
use thiserror::Error;

/// Every way a use case can fail. Each variant has a stable code for clients and translations.
#[derive(Debug, Error)]
pub enum AppError {
    #[error("{0}")]
    Validation(ValidationError),
    #[error("not signed in, or the session has expired")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("you do not have the right to do this")]
    Forbidden,
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{0}")]
    Transition(TransitionError),
    #[error("storage failed")]
    Store(#[source] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(e) => e.code,
            Self::Unauthenticated => "unauthenticated",
            Self::BadCredentials => "bad_credentials",
            Self::Forbidden => "forbidden",
            Self::NotFound { .. } => "not_found",
            Self::Conflict { code, .. } => code,
            Self::Transition(TransitionError::NotAllowed { .. }) => "invalid_transition",
            Self::Transition(TransitionError::Invalid(e)) => e.code,
            Self::Store(_) | Self::Internal(_) => "internal",
        }
    }

    /// The input field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation(e) | Self::Transition(TransitionError::Invalid(e)) => Some(&e.field),
            _ => None,
        }
    }

    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Validation(ValidationError::new(field, code, message))
    }
}

impl From<ValidationError> for AppError {
    fn from(e: ValidationError) -> Self {
        Self::Validation(e)
    }
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> Self {
        Self::Transition(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity } => Self::NotFound { entity },
            StoreError::Conflict { .. } => Self::Conflict {
                code: "version_conflict",
                message: e.to_string(),
            },
            StoreError::Duplicate { .. } => Self::Conflict {
                code: "duplicate",
                message: e.to_string(),
            },
            StoreError::MissingReference(_) => Self::Validation(ValidationError::new(
                "",
                "missing_reference",
                "a referenced record does not exist",
            )),
            other => Self::Store(other),
        }
    }
}
