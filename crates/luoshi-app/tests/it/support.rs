//! Shared builders for the app tests.

use luoshi_app::NewTask;
use luoshi_domain::ids::UnitId;
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::{TaskFields, TaskSource};
use time::Date;
use time::macros::date;

/// A plain task of weight 1 led by `lead`, from 1 January to `deadline`, assigned on creation.
pub fn assigned_task(lead: UnitId, title: &str, deadline: Date) -> NewTask {
    NewTask {
        fields: TaskFields {
            section: None,
            external_id: None,
            title: title.into(),
            description: String::new(),
            source: TaskSource::Plan,
            lead_unit: lead,
            co_units: vec![],
            lead_official: None,
            responsible_person: None,
            liaison: None,
            start: date!(2026 - 01 - 01),
            deadline,
            milestones: vec![],
            quantity: None,
            weight: Decimal::ONE,
        },
        assign: true,
    }
}
