//! Annual plans and their tree of sections (strategies, breakthroughs, priorities).

use crate::error::{ValidationError, optional_text, required_text};
use crate::ids::{PlanId, RegionId, SectionId};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: PlanId,
    pub region: RegionId,
    pub year: i32,
    pub title: String,
    /// Where the plan came from (a speech, a work report); free text.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanFields {
    pub year: i32,
    pub title: String,
    pub source: String,
}

impl PlanFields {
    pub fn parse(year: i32, title: &str, source: &str) -> Result<Self, ValidationError> {
        if !(2000..=2999).contains(&year) {
            return Err(ValidationError::new(
                "year",
                "out_of_range",
                "year must be between 2000 and 2999",
            ));
        }
        Ok(Self {
            year,
            title: required_text("title", title, 200)?,
            source: optional_text("source", source, 200)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: SectionId,
    pub plan: PlanId,
    pub parent: Option<SectionId>,
    /// The numbering as written: 一, (一), 第一, 1 …
    pub number: String,
    pub title: String,
    /// Order among siblings.
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionFields {
    pub parent: Option<SectionId>,
    pub number: String,
    pub title: String,
    pub position: i32,
}

impl SectionFields {
    pub fn parse(
        parent: Option<SectionId>,
        number: &str,
        title: &str,
        position: i32,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            parent,
            number: optional_text("number", number, 20)?,
            title: required_text("title", title, 200)?,
            position,
        })
    }
}

/// Check that giving `section` the parent `new_parent` keeps the sections a tree: the parent
/// exists in the same plan and is not the section itself or one of its descendants.
pub fn check_parent(
    sections: &[Section],
    section: Option<SectionId>,
    new_parent: Option<SectionId>,
) -> Result<(), ValidationError> {
    let Some(parent) = new_parent else {
        return Ok(());
    };
    let by_id: HashMap<SectionId, &Section> = sections.iter().map(|s| (s.id, s)).collect();
    if !by_id.contains_key(&parent) {
        return Err(ValidationError::new(
            "parent_id",
            "not_found",
            "the parent section is not in this plan",
        ));
    }
    let Some(me) = section else { return Ok(()) };
    let mut seen = HashSet::new();
    let mut cursor = Some(parent);
    while let Some(c) = cursor {
        if c == me {
            return Err(ValidationError::new(
                "parent_id",
                "cycle",
                "a section cannot be placed under itself",
            ));
        }
        if !seen.insert(c) {
            break;
        }
        cursor = by_id.get(&c).and_then(|s| s.parent);
    }
    Ok(())
}

/// The path of titles from the root to `id`, e.g. `["二、…", "第一，…"]`.
pub fn section_path(sections: &[Section], id: SectionId) -> Vec<&Section> {
    let by_id: HashMap<SectionId, &Section> = sections.iter().map(|s| (s.id, s)).collect();
    let mut path = Vec::new();
    let mut seen = HashSet::new();
    let mut cursor = Some(id);
    while let Some(c) = cursor {
        let Some(s) = by_id.get(&c) else { break };
        if !seen.insert(c) {
            break;
        }
        path.push(*s);
        cursor = s.parent;
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn sec(n: u128, parent: Option<u128>) -> Section {
        Section {
            id: SectionId::from_uuid(Uuid::from_u128(n)),
            plan: PlanId::from_uuid(Uuid::from_u128(99)),
            parent: parent.map(|p| SectionId::from_uuid(Uuid::from_u128(p))),
            number: n.to_string(),
            title: format!("s{n}"),
            position: 0,
        }
    }
    fn id(n: u128) -> SectionId {
        SectionId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn parents_must_keep_a_tree() {
        let s = vec![sec(1, None), sec(2, Some(1)), sec(3, Some(2))];
        assert!(check_parent(&s, Some(id(3)), Some(id(1))).is_ok());
        assert!(check_parent(&s, None, Some(id(3))).is_ok());
        assert_eq!(
            check_parent(&s, Some(id(1)), Some(id(3))).unwrap_err().code,
            "cycle"
        );
        assert_eq!(
            check_parent(&s, Some(id(1)), Some(id(1))).unwrap_err().code,
            "cycle"
        );
        assert_eq!(
            check_parent(&s, Some(id(1)), Some(id(7))).unwrap_err().code,
            "not_found"
        );
        let path: Vec<_> = section_path(&s, id(3))
            .iter()
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(path, ["s1", "s2", "s3"]);
    }

    #[test]
    fn plan_fields_validate() {
        assert_eq!(PlanFields::parse(1999, "x", "").unwrap_err().field, "year");
        assert_eq!(PlanFields::parse(2026, " ", "").unwrap_err().field, "title");
        assert_eq!(
            SectionFields::parse(None, "一", "", 0).unwrap_err().field,
            "title"
        );
    }
}
