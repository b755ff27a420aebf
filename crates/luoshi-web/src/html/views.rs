//! Template structs: everything a page shows, already formatted. Templates only lay it out.

use super::Session;
use super::fmt::{LampView, lamp};
use super::i18n::Tr;
use askama::Template;
use luoshi_app::TaskView;
use std::collections::HashMap;

/// The frame around every signed-in page.
pub struct Chrome {
    pub user_name: String,
    pub unit_name: String,
    pub role: &'static str,
    pub csrf: String,
    pub unit_user: bool,
    pub admin: bool,
    /// May set up plans (the supervision office): shows "plan from a speech".
    pub plans: bool,
    /// May open the supervision workbench (the office; leaders read-only).
    pub supervision: bool,
    /// May read petition cases (信访).
    pub petitions: bool,
    pub active: &'static str,
}

impl Chrome {
    pub fn new(s: &Session, units: &HashMap<String, String>, active: &'static str) -> Chrome {
        let tr = s.tr();
        let grant = s.user.grants.first();
        Chrome {
            user_name: s.user.display_name.clone(),
            unit_name: grant
                .and_then(|g| g.unit)
                .and_then(|u| units.get(&u.to_string()).cloned())
                .unwrap_or_default(),
            role: grant.map_or("", |g| tr.t(&format!("role.{}", g.role.as_str()))),
            csrf: s.csrf.clone(),
            unit_user: s.user.grants.iter().all(|g| g.unit.is_some()),
            admin: luoshi_domain::authz::allowed(
                &s.user.actor(),
                luoshi_domain::authz::Permission::ReadAudit,
            ) || !super::admin::people_units(&s.user.actor()).is_empty(),
            plans: luoshi_domain::authz::allowed(
                &s.user.actor(),
                luoshi_domain::authz::Permission::ManagePlans,
            ),
            supervision: super::supervision::may_watch(&s.user.actor()),
            petitions: luoshi_domain::authz::allowed(
                &s.user.actor(),
                luoshi_domain::authz::Permission::ReadPetitions,
            ),
            active,
        }
    }
}

/// One task in a list.
pub struct TaskRow {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub deadline: String,
    pub progress: String,
    pub lamp: LampView,
    pub status: &'static str,
    pub overdue: bool,
}

impl TaskRow {
    pub fn new(v: &TaskView, units: &HashMap<String, String>, tr: Tr) -> TaskRow {
        let t = &v.task;
        TaskRow {
            id: t.id.to_string(),
            title: t.fields.title.clone(),
            unit: units
                .get(&t.fields.lead_unit.to_string())
                .cloned()
                .unwrap_or_default(),
            deadline: t.fields.deadline.to_string(),
            progress: format!("{}%", super::fmt::num(t.progress_pct, 1)),
            lamp: lamp(v.standing.lamp, tr),
            status: tr.t(&format!("status.{}", t.status.as_str())),
            overdue: v.standing.overdue,
        }
    }
}

pub struct Card {
    pub name: String,
    pub target: String,
    pub latest: String,
    pub period: String,
    pub attainment: String,
    pub expected: String,
    pub gap: String,
    pub growth: String,
    pub lamp: LampView,
    pub spark: String,
    pub chart: String,
}

pub struct HeatCell {
    pub count: u32,
    pub class: &'static str,
    pub href: String,
}

pub struct HeatRow {
    pub name: String,
    pub href: String,
    pub cells: Vec<HeatCell>,
    pub total: u32,
    pub overdue: u32,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub tr: Tr,
    pub error: Option<&'static str>,
    pub username: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub tr: Tr,
    pub message: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub heads: SortHeads,
    pub plan_title: String,
    pub as_of: String,
    pub urgent: Vec<TaskRow>,
    pub cards: Vec<Card>,
    pub lamp_heads: Vec<LampView>,
    pub unit_rows: Vec<HeatRow>,
    pub section_rows: Vec<HeatRow>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "tasks.html")]
pub struct TasksPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub heads: SortHeads,
    /// The plan listed ("" when the region has none): import and indicator export link to it.
    pub plan_id: String,
    pub units: Vec<Choice>,
    pub sections: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub lamps: Vec<Choice>,
    pub officials: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub deadline_from: String,
    pub deadline_to: String,
    pub overdue: bool,
    pub rows: Vec<TaskRow>,
    pub total: i64,
    pub page: i64,
    pub export: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "my.html")]
pub struct MyPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub heads: SortHeads,
    pub to_acknowledge: Vec<TaskRow>,
    pub reports_due: Vec<TaskRow>,
    pub returned: Vec<TaskRow>,
}

pub struct Line {
    pub label: &'static str,
    pub value: String,
}

pub struct ReportLine {
    pub at: String,
    pub who: String,
    pub percent: String,
    pub summary: String,
    pub problems: String,
    pub next_steps: String,
    /// (id, file name, size) of the files attached to the report.
    pub files: Vec<(String, String, String)>,
}

pub struct EventLine {
    pub at: String,
    pub who: String,
    pub action: &'static str,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "task.html")]
pub struct TaskPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub id: String,
    pub title: String,
    pub version: i64,
    pub lamp: LampView,
    pub status: &'static str,
    pub progress: String,
    pub expected: String,
    pub gap: String,
    pub lines: Vec<Line>,
    pub milestones: Vec<Line>,
    pub reports: Vec<ReportLine>,
    pub events: Vec<EventLine>,
    pub has_quantity: bool,
    pub can_progress: bool,
    pub actions: Vec<(&'static str, &'static str, bool)>,
    pub can_extend: bool,
    pub error: Option<String>,
    pub saved: bool,
}

/// A sortable column header: where a click goes, and the current order (`aria-sort`).
pub struct SortHead {
    pub href: String,
    /// `ascending`, `descending` or `none`.
    pub order: &'static str,
}

impl SortHead {
    pub fn arrow(&self) -> &'static str {
        match self.order {
            "ascending" => " ▲",
            "descending" => " ▼",
            _ => "",
        }
    }
}

/// The task table's sortable headers; all `None` where a table is not sortable.
#[derive(Default)]
pub struct SortHeads {
    pub title: Option<SortHead>,
    pub deadline: Option<SortHead>,
    pub progress: Option<SortHead>,
}

impl SortHeads {
    /// Headers for a list sorted by `current`; `base` is the query string without `sort` and
    /// `page`. A click on the sorted column reverses it; a click elsewhere sorts by that column.
    pub fn new(base: &str, current: luoshi_app::TaskSort) -> SortHeads {
        use luoshi_app::TaskSort as S;
        let head = |asc: S, desc: Option<S>, asc_key: &str, desc_key: &str| {
            let (order, next) = if current == asc {
                ("ascending", if desc.is_some() { desc_key } else { asc_key })
            } else if Some(current) == desc {
                ("descending", asc_key)
            } else {
                ("none", asc_key)
            };
            let sep = if base.is_empty() { "" } else { "&" };
            Some(SortHead {
                href: format!("/tasks?{base}{sep}sort={next}"),
                order,
            })
        };
        SortHeads {
            title: head(S::Title, None, "title", "title"),
            deadline: head(
                S::Deadline,
                Some(S::DeadlineDesc),
                "deadline",
                "deadline_desc",
            ),
            progress: head(
                S::Progress,
                Some(S::ProgressDesc),
                "progress",
                "progress_desc",
            ),
        }
    }
}
