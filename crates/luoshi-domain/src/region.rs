//! Regions identified by GB/T 2260 administrative-division codes.

use crate::error::{ValidationError, required_text};
use crate::ids::RegionId;

/// A GB/T 2260 code: 6 digits for a county-level region (district), extended by 3 digits for a
/// township and 3 more for a village. Stored as its canonical digit string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegionCode(String);

/// The level a code denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
    Village,
}

impl RegionCode {
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        let s = s.trim();
        if !matches!(s.len(), 6 | 9 | 12) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(
                field,
                "invalid_region_code",
                "a region code has 6, 9 or 12 digits (GB/T 2260)",
            ));
        }
        if &s[0..2] == "00" {
            return Err(ValidationError::new(
                field,
                "invalid_region_code",
                "the province part of a region code cannot be 00",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        match self.0.len() {
            12 => RegionLevel::Village,
            9 => RegionLevel::Township,
            _ if &self.0[2..6] == "0000" => RegionLevel::Province,
            _ if &self.0[4..6] == "00" => RegionLevel::City,
            _ => RegionLevel::County,
        }
    }

    /// The code of the enclosing region, if any.
    pub fn parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Village => Some(Self(self.0[..9].to_owned())),
            RegionLevel::Township => Some(Self(self.0[..6].to_owned())),
            RegionLevel::County => Some(Self(format!("{}00", &self.0[..4]))),
            RegionLevel::City => Some(Self(format!("{}0000", &self.0[..2]))),
            RegionLevel::Province => None,
        }
    }
}

/// A region that runs its own plan (a district, or a city/province in a multi-region deployment).
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: RegionId,
    pub code: RegionCode,
    pub name: String,
    pub parent: Option<RegionId>,
}

impl Region {
    pub fn new(
        id: RegionId,
        code: RegionCode,
        name: &str,
        parent: Option<RegionId>,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            id,
            code,
            name: required_text("name", name, 100)?,
            parent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_parents() {
        let cases = [
            ("620000", RegionLevel::Province, None),
            ("620500", RegionLevel::City, Some("620000")),
            ("620502", RegionLevel::County, Some("620500")),
            ("620502101", RegionLevel::Township, Some("620502")),
            ("620502101201", RegionLevel::Village, Some("620502101")),
        ];
        for (code, level, parent) in cases {
            let c = RegionCode::parse("code", code).unwrap();
            assert_eq!(c.level(), level, "{code}");
            assert_eq!(
                c.parent().as_ref().map(RegionCode::as_str),
                parent,
                "{code}"
            );
        }
    }

    #[test]
    fn rejects_bad_codes() {
        for bad in ["", "12345", "1234567", "62050a", "000000", "6205021011"] {
            let e = RegionCode::parse("code", bad).unwrap_err();
            assert_eq!(e.field, "code");
            assert_eq!(e.code, "invalid_region_code");
        }
    }
}
