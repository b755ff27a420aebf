//! Tasks (目标任务 / 督办事项): responsibility, schedule, lifecycle, progress and lamps.

use crate::calendar::{days_between, month_end};
use crate::error::{ValidationError, optional_text, required_text};
use crate::ids::{PersonId, PlanId, RegionId, SectionId, TaskId, UnitId};
use crate::lamp::{Lamp, LampPolicy};
use crate::measure::{Decimal, percent_of};
use std::collections::HashSet;
use time::Date;

mod lifecycle;
pub use lifecycle::{TaskAction, TaskStatus, TransitionError, apply};

/// Where a task comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskSource {
    /// A section of the annual plan.
    Plan,
    /// A meeting decision.
    Meeting,
    /// A leader's instruction (批示).
    Instruction,
    /// An assignment from a higher level of government.
    HigherLevel,
}

impl TaskSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Meeting => "meeting",
            Self::Instruction => "instruction",
            Self::HigherLevel => "higher_level",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        match s.trim() {
            "plan" => Ok(Self::Plan),
            "meeting" => Ok(Self::Meeting),
            "instruction" => Ok(Self::Instruction),
            "higher_level" => Ok(Self::HigherLevel),
            _ => Err(ValidationError::new(
                field,
                "invalid_choice",
                "source must be plan, meeting, instruction or higher_level",
            )),
        }
    }
}

/// A quantity the task commits to, e.g. 3–5 demonstration villages: `min` 3, `max` 5, unit 个.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityTarget {
    pub min: Decimal,
    pub max: Option<Decimal>,
    pub unit: String,
}

/// A dated checkpoint: by `due`, `target_pct` of the task should be done.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub title: String,
    pub due: Date,
    pub target_pct: Decimal,
}

/// The validated, editable fields of a task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFields {
    pub section: Option<SectionId>,
    /// The row number in the source table (序号), used to update on re-import.
    pub external_id: Option<String>,
    pub title: String,
    pub description: String,
    pub source: TaskSource,
    pub lead_unit: UnitId,
    pub co_units: Vec<UnitId>,
    pub lead_official: Option<PersonId>,
    pub responsible_person: Option<PersonId>,
    pub liaison: Option<PersonId>,
    pub start: Date,
    pub deadline: Date,
    pub milestones: Vec<Milestone>,
    pub quantity: Option<QuantityTarget>,
    pub weight: Decimal,
}

impl TaskFields {
    /// Check every rule that spans fields; errors name the field.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.title = required_text("title", &self.title, 300)?;
        self.description = optional_text("description", &self.description, 5000)?;
        if let Some(x) = &self.external_id {
            let x = optional_text("external_id", x, 50)?;
            self.external_id = (!x.is_empty()).then_some(x);
        }
        if self.deadline < self.start {
            return Err(ValidationError::new(
                "deadline",
                "before_start",
                "the deadline is before the start date",
            ));
        }
        let mut seen = HashSet::new();
        for (i, u) in self.co_units.iter().enumerate() {
            if *u == self.lead_unit {
                return Err(ValidationError::new(
                    format!("co_unit_ids[{i}]"),
                    "duplicate",
                    "the lead unit cannot also be a cooperating unit",
                ));
            }
            if !seen.insert(*u) {
                return Err(ValidationError::new(
                    format!("co_unit_ids[{i}]"),
                    "duplicate",
                    "a cooperating unit is listed twice",
                ));
            }
        }
        if self.weight < Decimal::ZERO || self.weight > Decimal::from(1000) {
            return Err(ValidationError::new(
                "weight",
                "out_of_range",
                "weight must be between 0 and 1000",
            ));
        }
        if let Some(q) = &self.quantity {
            if q.min <= Decimal::ZERO || q.max.is_some_and(|m| m < q.min) {
                return Err(ValidationError::new(
                    "quantity.min",
                    "out_of_range",
                    "a quantity needs 0 < min ≤ max",
                ));
            }
            required_text("quantity.unit", &q.unit, 10)?;
        }
        self.milestones.sort_by_key(|m| m.due);
        let mut last = Decimal::ZERO;
        for (i, m) in self.milestones.iter_mut().enumerate() {
            let at = format!("milestones[{i}]");
            m.title = required_text("title", &m.title, 200).map_err(|e| e.within(&at))?;
            if m.due < self.start || m.due > self.deadline {
                return Err(ValidationError::new(
                    format!("{at}.due"),
                    "out_of_range",
                    "a milestone falls between the start and the deadline",
                ));
            }
            if m.target_pct < last || m.target_pct > Decimal::ONE_HUNDRED {
                return Err(ValidationError::new(
                    format!("{at}.target_pct"),
                    "out_of_range",
                    "milestone targets rise from 0 to 100 in date order",
                ));
            }
            last = m.target_pct;
        }
        Ok(self)
    }
}

/// A task as stored: its fields, its lifecycle state and a cache of its latest progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: TaskId,
    pub region: RegionId,
    pub plan: PlanId,
    pub fields: TaskFields,
    pub status: TaskStatus,
    /// A deadline asked for in a pending extension request.
    pub requested_deadline: Option<Date>,
    /// Latest reported progress, 0–100 (cached from the append-only reports).
    pub progress_pct: Decimal,
    pub quantity_done: Option<Decimal>,
    pub last_report_on: Option<Date>,
    pub done_reported_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub version: i64,
}

/// What a unit reports: cumulative progress, with the problems met and the next steps.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressInput {
    pub percent: Option<Decimal>,
    pub quantity_done: Option<Decimal>,
    pub summary: String,
    pub problems: String,
    pub next_steps: String,
}

/// A validated progress report, ready to append.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressReport {
    pub percent: Decimal,
    pub quantity_done: Option<Decimal>,
    pub summary: String,
    pub problems: String,
    pub next_steps: String,
}

/// Validate a report against its task. When only a quantity is given and the task has a quantity
/// target, the percentage follows from it (capped at 100).
pub fn validate_progress(
    task: &TaskFields,
    input: ProgressInput,
) -> Result<ProgressReport, ValidationError> {
    let summary = required_text("summary", &input.summary, 5000)?;
    let problems = optional_text("problems", &input.problems, 5000)?;
    let next_steps = optional_text("next_steps", &input.next_steps, 5000)?;
    if input.quantity_done.is_some_and(|q| q < Decimal::ZERO) {
        return Err(ValidationError::new(
            "quantity_done",
            "out_of_range",
            "quantity done cannot be negative",
        ));
    }
    let percent = match (input.percent, input.quantity_done, &task.quantity) {
        (Some(p), _, _) => p,
        (None, Some(q), Some(target)) => percent_of(q, target.min)
            .unwrap_or(Decimal::ZERO)
            .min(Decimal::ONE_HUNDRED),
        (None, Some(_), None) => {
            return Err(ValidationError::new(
                "percent",
                "required",
                "this task has no quantity target; give a percentage",
            ));
        }
        (None, None, _) => return Err(ValidationError::required("percent")),
    };
    if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
        return Err(ValidationError::new(
            "percent",
            "out_of_range",
            "percent must be between 0 and 100",
        ));
    }
    Ok(ProgressReport {
        percent,
        quantity_done: input.quantity_done,
        summary,
        problems,
        next_steps,
    })
}

/// Expected progress of a task on `today`, in %: linear from the start (0%) through each
/// milestone to the deadline (100%).
pub fn expected_progress(
    start: Date,
    deadline: Date,
    milestones: &[Milestone],
    today: Date,
) -> Decimal {
    if today <= start {
        return Decimal::ZERO;
    }
    if today >= deadline {
        return Decimal::ONE_HUNDRED;
    }
    let mut prev = (start, Decimal::ZERO);
    let points = milestones
        .iter()
        .map(|m| (m.due, m.target_pct))
        .chain(std::iter::once((deadline, Decimal::ONE_HUNDRED)));
    for (due, pct) in points {
        if today <= due {
            let span = days_between(prev.0, due);
            if span <= 0 {
                return pct;
            }
            let into = Decimal::from(days_between(prev.0, today));
            let rise = pct - prev.1;
            return (prev.1 + rise * into / Decimal::from(span)).round_dp(2);
        }
        prev = (due, pct);
    }
    Decimal::ONE_HUNDRED
}

/// Everything derived about a task's schedule on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStanding {
    /// `None` for drafts and cancelled tasks, which carry no lamp.
    pub lamp: Option<Lamp>,
    pub expected_pct: Decimal,
    /// Progress − expected, in percentage points.
    pub gap_pp: Decimal,
    pub overdue: bool,
    /// Days until the deadline (negative when past).
    pub days_left: i64,
}

/// The lamp of a task on `today` under `policy`: red when overdue or far behind; yellow when
/// behind or not started in its planned month; blue when the deadline is near; green otherwise.
pub fn standing(task: &Task, today: Date, policy: &LampPolicy) -> TaskStanding {
    let f = &task.fields;
    let expected = expected_progress(f.start, f.deadline, &f.milestones, today);
    let gap = task.progress_pct - expected;
    let days_left = days_between(today, f.deadline);
    let open = task.status.is_open();
    let overdue = open && days_left < 0;
    let lamp = match task.status {
        TaskStatus::Draft | TaskStatus::Cancelled => None,
        TaskStatus::ReportedDone | TaskStatus::Closed => Some(Lamp::Green),
        _ => {
            let mut lamp = policy.schedule_lamp(gap);
            if overdue {
                lamp = Lamp::Red;
            }
            let start_month_over = today > month_end(f.start.year(), f.start.month() as u8);
            if task.progress_pct.is_zero() && start_month_over {
                lamp = lamp.max(Lamp::Yellow);
            }
            if days_left <= policy.blue_within_days {
                lamp = lamp.max(Lamp::Blue);
            }
            Some(lamp)
        }
    };
    TaskStanding {
        lamp,
        expected_pct: expected,
        gap_pp: gap,
        overdue,
        days_left,
    }
}

#[cfg(test)]
mod tests;

impl Task {
    /// A new task (version 1, nothing reported yet): a draft, or assigned at once.
    pub fn new(
        id: TaskId,
        region: RegionId,
        plan: PlanId,
        fields: TaskFields,
        assign: bool,
    ) -> Task {
        Task {
            id,
            region,
            plan,
            fields,
            status: if assign {
                TaskStatus::Assigned
            } else {
                TaskStatus::Draft
            },
            requested_deadline: None,
            progress_pct: Decimal::ZERO,
            quantity_done: None,
            last_report_on: None,
            done_reported_on: None,
            closed_on: None,
            version: 1,
        }
    }

    /// The task after `action` on `today`: the new status and the dates and deadlines it moves.
    pub fn after(&self, action: &TaskAction, today: Date) -> Result<Task, TransitionError> {
        let status = apply(self.status, self.fields.deadline, action)?;
        let mut t = self.clone();
        t.status = status;
        match action {
            TaskAction::RequestExtension { new_deadline, .. } => {
                t.requested_deadline = Some(*new_deadline)
            }
            TaskAction::ApproveExtension => {
                if let Some(d) = t.requested_deadline.take() {
                    t.fields.deadline = d;
                }
            }
            TaskAction::RejectExtension { .. } => t.requested_deadline = None,
            TaskAction::ReportDone => t.done_reported_on = Some(today),
            TaskAction::Return { .. } => t.done_reported_on = None,
            TaskAction::Close => t.closed_on = Some(today),
            TaskAction::Assign | TaskAction::Acknowledge | TaskAction::Cancel { .. } => {}
        }
        Ok(t)
    }

    /// Whether progress may be reported now; `Some(Acknowledge)` when reporting implies
    /// acknowledging an assigned task first.
    pub fn progress_allowed(&self) -> Result<Option<TaskAction>, TransitionError> {
        match self.status {
            TaskStatus::Assigned => Ok(Some(TaskAction::Acknowledge)),
            TaskStatus::InProgress | TaskStatus::ExtensionRequested => Ok(None),
            from => Err(TransitionError::NotAllowed {
                from,
                action: "report_progress",
            }),
        }
    }
}
