//! The bulletin pages' view structs: every figure already formatted for people.

use super::super::fmt::{LampView, lamp, num, pct, pp};
use super::super::i18n::Tr;
use super::super::views::Chrome;
use askama::Template;
use luoshi_app::{Bulletin, StoredBulletin};
use luoshi_domain::lamp::Lamp;

/// One unit's line.
pub struct UnitRowView {
    pub rank: u32,
    pub name: String,
    pub tasks: u32,
    pub completed: u32,
    pub lagging: u32,
    pub red: u32,
    pub overdue: u32,
    /// `on time / due`.
    pub reports: String,
    pub rate: String,
    pub notices: String,
}

pub struct IndicatorRowView {
    pub name: String,
    pub measure: String,
    pub target: String,
    pub period: String,
    pub value: String,
    pub attainment: String,
    pub expected: String,
    pub gap: String,
    pub lamp: LampView,
}

pub struct StandingRowView {
    pub rank: u32,
    pub unit: String,
    pub total: String,
    pub grade: String,
}

pub struct StandingView {
    pub category: String,
    pub top: Vec<StandingRowView>,
}

/// The document's tables.
pub struct DocView {
    pub region: String,
    pub period: String,
    pub as_of: String,
    pub units: Vec<UnitRowView>,
    pub indicators: Vec<IndicatorRowView>,
    pub standings: Vec<StandingView>,
}

fn dash(s: Option<String>) -> String {
    s.unwrap_or_else(|| "—".to_owned())
}

impl DocView {
    pub fn new(b: &Bulletin, tr: Tr) -> Self {
        let units = b
            .units
            .iter()
            .map(|l| {
                let r = &l.row;
                UnitRowView {
                    rank: r.rank,
                    name: l.name.clone(),
                    tasks: r.tasks,
                    completed: r.completed,
                    lagging: r.lagging,
                    red: r.red,
                    overdue: r.overdue,
                    reports: format!("{}/{}", r.reports_on_time, r.reports_due),
                    rate: pct(r.on_time_rate),
                    notices: format!("{}/{}", r.notices_on_time, r.notices_due),
                }
            })
            .collect();
        let indicators = b
            .indicators
            .iter()
            .map(|i| IndicatorRowView {
                name: i.name.clone(),
                measure: i.measure.clone(),
                target: dash(i.target.map(|d| num(d, 4))),
                period: dash(i.period.clone()),
                value: dash(i.value.map(|d| num(d, 4))),
                attainment: pct(i.attainment_pct),
                expected: pct(i.expected_pct),
                gap: pp(i.gap_pp, tr),
                lamp: lamp(i.lamp.as_deref().and_then(Lamp::parse), tr),
            })
            .collect();
        let standings = b
            .standings
            .iter()
            .map(|c| StandingView {
                category: c.category.clone(),
                top: c
                    .top
                    .iter()
                    .map(|s| StandingRowView {
                        rank: s.rank,
                        unit: s.unit.clone(),
                        total: num(s.total, 2),
                        grade: s.grade.clone(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            region: b.region.clone(),
            period: b.period.label(),
            as_of: b.as_of.to_string(),
            units,
            indicators,
            standings,
        }
    }
}

/// One published version in a list.
pub struct VersionRow {
    pub id: String,
    pub number: String,
    pub period: String,
    pub version: i32,
    pub published_at: String,
    pub by: String,
    pub reason: String,
    pub current: bool,
}

impl VersionRow {
    pub fn new(b: &StoredBulletin, by: String, current: bool) -> Self {
        Self {
            id: b.id.to_string(),
            number: b.number.clone(),
            period: b.period.clone(),
            version: b.version,
            published_at: super::super::task_page::local_time(b.published_at),
            by,
            reason: b.reason.clone(),
            current,
        }
    }
}

#[derive(Template)]
#[template(path = "bulletins.html")]
pub struct BulletinsPage {
    pub tr: Tr,
    pub chrome: Chrome,
    /// The office: may preview and publish.
    pub office: bool,
    /// The period the preview form suggests (last month).
    pub period: String,
    pub rows: Vec<VersionRow>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "bulletin.html")]
pub struct BulletinPage {
    pub tr: Tr,
    pub chrome: Chrome,
    /// `None` for a draft (preview).
    pub id: Option<String>,
    pub number: String,
    /// The publication day (China Standard Time), or today for a draft.
    pub dated: String,
    pub version: i32,
    pub digest: String,
    pub reason: String,
    pub doc: DocView,
    pub versions: Vec<VersionRow>,
    pub office: bool,
    /// Whether the draft showed assessment standings (kept by the publish form).
    pub standings: bool,
    pub error: Option<String>,
}
