//! Tests of the supervision rules. Expected dates and values are worked out by hand in the
//! comments beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::ids::{NoticeId, PlanId, RegionId, TaskId, UnitId};
use crate::measure::dec;
use crate::task::{Milestone, Task, TaskFields, TaskSource, TaskStatus};
use time::Date;
use uuid::Uuid;

mod bulletin;
mod cards;
mod notice;
mod policy;
mod sweep;
mod year;

pub(super) fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}

pub(super) fn task_id(n: u128) -> TaskId {
    TaskId::from_uuid(Uuid::from_u128(n))
}

pub(super) fn notice_id(n: u128) -> NoticeId {
    NoticeId::from_uuid(Uuid::from_u128(n))
}

pub(super) fn region() -> RegionId {
    RegionId::from_uuid(Uuid::from_u128(0xAA))
}

/// An in-progress task of unit 1 with no progress and no milestones.
pub(super) fn task(n: u128, start: Date, deadline: Date) -> Task {
    Task {
        id: task_id(n),
        region: region(),
        plan: PlanId::from_uuid(Uuid::from_u128(0xBB)),
        fields: TaskFields {
            section: None,
            external_id: None,
            title: "示范村建设".into(),
            description: String::new(),
            source: TaskSource::Plan,
            lead_unit: unit(1),
            co_units: vec![],
            lead_official: None,
            responsible_person: None,
            liaison: None,
            start,
            deadline,
            milestones: vec![],
            quantity: None,
            weight: dec("1"),
        },
        status: TaskStatus::InProgress,
        requested_deadline: None,
        progress_pct: dec("0"),
        quantity_done: None,
        last_report_on: None,
        done_reported_on: None,
        closed_on: None,
        version: 1,
    }
}

pub(super) fn milestone(due: Date, pct: &str) -> Milestone {
    Milestone {
        title: "节点".into(),
        due,
        target_pct: dec(pct),
    }
}

/// `task:<uuid of n>`, the key prefix of task `n`.
pub(super) fn tkey(n: u128) -> String {
    format!("task:{}", task_id(n))
}

#[test]
fn a_task_is_found_only_in_its_own_subject_key() {
    use super::{ItemRef, Subject};
    // Hexadecimal letters, so that the upper-case form differs.
    let t = task_id(0x0192_3c4d_5e6f_7a8b_9cad_beef_0011_2233);
    assert_eq!(Subject::task_of_key(&Subject::Task(t).to_string()), Some(t));
    let due = time::macros::date!(2026 - 06 - 30);
    let other = [
        Subject::Milestone { task: t, due }.to_string(),
        Subject::Notice(NoticeId::from_uuid(t.as_uuid())).to_string(),
        Subject::Item(ItemRef::new("project", &t.to_string()).unwrap()).to_string(),
        format!("task:{}", t.as_uuid().simple()),
        format!("task:{}", t.to_string().to_uppercase()),
        format!("task:{t}:"),
        "task:".to_owned(),
        String::new(),
    ];
    for key in other {
        assert_eq!(Subject::task_of_key(&key), None, "{key}");
    }
}
