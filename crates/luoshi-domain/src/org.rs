//! Units (townships, streets, departments) and people with their posts.

use crate::error::{ValidationError, optional_text, required_text};
use crate::ids::{PersonId, RegionId, UnitId};

/// What kind of unit this is; townships and departments are assessed by different books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// 乡镇
    Township,
    /// 街道
    Street,
    /// 部门
    Department,
}

impl UnitKind {
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        match s.trim() {
            "township" | "乡镇" | "鄉鎮" => Ok(Self::Township),
            "street" | "街道" => Ok(Self::Street),
            "department" | "部门" | "部門" => Ok(Self::Department),
            _ => Err(ValidationError::new(
                field,
                "invalid_choice",
                "kind must be township, street or department",
            )),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Township => "township",
            Self::Street => "street",
            Self::Department => "department",
        }
    }

    /// The assessment category a unit of this kind falls in unless configured otherwise.
    pub fn default_category(&self) -> &'static str {
        match self {
            Self::Township | Self::Street => "townships",
            Self::Department => "departments",
        }
    }
}

/// A short code for a unit, unique within its region (e.g. `zhongtan`, `jsj`, or a 9-digit
/// township code). Letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ValidationError::required(field));
        }
        if s.len() > 40
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ValidationError::new(
                field,
                "invalid_code",
                "a code has at most 40 letters, digits, '-' or '_'",
            ));
        }
        Ok(Self(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: UnitId,
    pub region: RegionId,
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    /// Assessment category (分类考核), e.g. "townships" or "departments".
    pub category: String,
}

/// Validated fields of a unit, for creation and update.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFields {
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub category: String,
}

impl UnitFields {
    pub fn parse(
        code: &str,
        name: &str,
        kind: &str,
        category: Option<&str>,
    ) -> Result<Self, ValidationError> {
        let kind = UnitKind::parse("kind", kind)?;
        let category = match category.map(str::trim) {
            Some(c) if !c.is_empty() => required_text("category", c, 40)?,
            _ => kind.default_category().to_owned(),
        };
        Ok(Self {
            code: UnitCode::parse("code", code)?,
            name: required_text("name", name, 100)?,
            kind,
            category,
        })
    }
}

/// A person who can be named as lead official, responsible person or liaison.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: PersonId,
    pub region: RegionId,
    pub name: String,
    /// The post held, e.g. 副区长, 局长, 党委书记.
    pub post: String,
    /// The unit the person works in; district leaders have none.
    pub unit: Option<UnitId>,
    /// Contact phone; restricted data, shown only to those who may read the person's unit.
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonFields {
    pub name: String,
    pub post: String,
    pub unit: Option<UnitId>,
    pub phone: String,
}

impl PersonFields {
    pub fn parse(
        name: &str,
        post: &str,
        unit: Option<UnitId>,
        phone: &str,
    ) -> Result<Self, ValidationError> {
        let phone = optional_text("phone", phone, 30)?;
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' '))
        {
            return Err(ValidationError::new(
                "phone",
                "invalid_phone",
                "a phone number has digits, spaces, '-' or '+'",
            ));
        }
        Ok(Self {
            name: required_text("name", name, 50)?,
            post: optional_text("post", post, 50)?,
            unit,
            phone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_fields_default_category_by_kind() {
        let f = UnitFields::parse("ZhongTan", "中灘鎮", "鄉鎮", None).unwrap();
        assert_eq!(f.code.as_str(), "zhongtan");
        assert_eq!(f.kind, UnitKind::Township);
        assert_eq!(f.category, "townships");
        let d = UnitFields::parse("jsj", "建设局", "department", Some(" ")).unwrap();
        assert_eq!(d.category, "departments");
    }

    #[test]
    fn unit_fields_name_the_bad_field() {
        assert_eq!(
            UnitFields::parse("a b", "x", "township", None)
                .unwrap_err()
                .field,
            "code"
        );
        assert_eq!(
            UnitFields::parse("ab", "", "township", None)
                .unwrap_err()
                .field,
            "name"
        );
        assert_eq!(
            UnitFields::parse("ab", "x", "village", None)
                .unwrap_err()
                .field,
            "kind"
        );
        assert_eq!(
            PersonFields::parse("张三", "局长", None, "abc")
                .unwrap_err()
                .field,
            "phone"
        );
        assert_eq!(
            PersonFields::parse(" ", "局长", None, "")
                .unwrap_err()
                .field,
            "name"
        );
    }
}
