//! What the assessment pages show, already formatted.

use super::super::fmt::num;
use super::super::i18n::{Lang, Tr};
use super::super::views::Chrome;
use askama::Template;
use luoshi_app::Published;
use luoshi_domain::assess::{FactRef, Language, Reason, ResultSet, ScoreSheet};
use luoshi_domain::ids::UserId;
use luoshi_domain::measure::Decimal;
use std::collections::HashMap;

/// One unit's row in a category's ranking.
pub struct RankRow {
    pub href: String,
    pub rank: u32,
    pub code: String,
    pub name: String,
    pub total: String,
    pub percent: String,
    pub grade: String,
    /// Why the grade differs from what the total alone earns (veto, quota), if it does.
    pub grade_note: String,
    pub award: bool,
}

/// One category's ranking and its award winners.
pub struct CategoryView {
    pub category: String,
    pub scheme: String,
    pub full_points: String,
    pub award_name: String,
    pub rows: Vec<RankRow>,
    pub awarded: Vec<String>,
}

/// A published version of the result.
pub struct PublishedRow {
    pub id: String,
    pub as_of: String,
    pub published_at: String,
    pub by: String,
    pub digest: String,
    pub digest_short: String,
    pub schemes: String,
    /// The short id of the version this one corrects, with the reason.
    pub corrects: Option<(String, String)>,
    /// Whether a later version corrects this one.
    pub superseded: bool,
}

#[derive(Template)]
#[template(path = "assessment.html")]
pub struct AssessmentPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub as_of: String,
    pub categories: Vec<CategoryView>,
    /// The viewer sees every unit (leaders, the office), and so the published versions.
    pub all: bool,
    /// The viewer may publish and correct (the office).
    pub manage: bool,
    pub published: Vec<PublishedRow>,
    pub error: Option<String>,
}

/// A reason in the reader's language.
pub fn say(r: &Reason, tr: Tr) -> String {
    r.render(match tr.0 {
        Lang::Zh => Language::Zh,
        Lang::En => Language::En,
    })
}

fn pct(d: Decimal) -> String {
    format!("{}%", num(d, 2))
}

fn sheet_href(s: &ScoreSheet, rs: &ResultSet) -> String {
    format!("/assessment/units/{}?as_of={}", s.unit, rs.as_of)
}

fn grade_note(s: &ScoreSheet, tr: Tr) -> String {
    match (s.vetoed, s.grade != s.band_grade) {
        (true, _) => format!("{} ({})", tr.t("assess.vetoed"), s.band_grade),
        (false, true) => format!("{} {}", tr.t("assess.by_total"), s.band_grade),
        (false, false) => String::new(),
    }
}

pub fn category(rs: &ResultSet, tr: Tr) -> CategoryView {
    CategoryView {
        category: rs.category.clone(),
        scheme: format!("{} v{}", rs.scheme_id, rs.scheme_version),
        full_points: num(rs.full_points, 2),
        award_name: rs.award_name.clone(),
        rows: rs
            .sheets
            .iter()
            .map(|s| RankRow {
                href: sheet_href(s, rs),
                rank: s.rank,
                code: s.code.clone(),
                name: s.name.clone(),
                total: num(s.total, 2),
                percent: pct(s.percent),
                grade: s.grade.clone(),
                grade_note: grade_note(s, tr),
                award: s.award,
            })
            .collect(),
        awarded: rs.awarded().map(|s| s.name.clone()).collect(),
    }
}

pub fn short(id: &uuid::Uuid) -> String {
    id.to_string().chars().take(8).collect()
}

/// The published versions, newest first as the store returns them.
pub fn published_rows(list: &[Published], names: &HashMap<UserId, String>) -> Vec<PublishedRow> {
    list.iter()
        .map(|p| PublishedRow {
            id: p.id.to_string(),
            as_of: p.as_of.to_string(),
            published_at: super::super::task_page::local_time(p.published_at),
            by: p
                .published_by
                .map(|u| names.get(&u).cloned().unwrap_or_else(|| u.to_string()))
                .unwrap_or_default(),
            digest: p.digest.clone(),
            digest_short: p.digest.chars().take(12).collect(),
            schemes: p.schemes.clone(),
            corrects: p.supersedes.map(|old| (short(&old), p.reason.clone())),
            superseded: list.iter().any(|q| q.supersedes == Some(p.id)),
        })
        .collect()
}

/// One item line of a sheet with the facts behind its points.
pub struct LineView {
    pub key: String,
    pub title: String,
    pub depth: u32,
    pub points: String,
    pub max_points: String,
    pub explanations: Vec<Why>,
    /// The entry form the viewer may use on this line: `manual` (a score) or `bonus`.
    pub entry: Option<&'static str>,
}

/// One fact behind a line: the account, its effect on the points (signed, or empty) and a link
/// to the fact when it has a page (a task).
pub struct Why {
    pub text: String,
    pub effect: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "assessment_unit.html")]
pub struct UnitSheetPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub as_of: String,
    pub name: String,
    pub code: String,
    pub category: String,
    pub scheme: String,
    pub rank: u32,
    pub count: usize,
    pub total: String,
    pub full_points: String,
    pub percent: String,
    pub grade: String,
    pub grade_note: String,
    pub award: bool,
    pub award_name: String,
    pub notes: Vec<String>,
    pub lines: Vec<LineView>,
    /// The viewer sees every unit: link back to the full ranking.
    pub all: bool,
    pub unit_id: String,
    /// Why an entry was refused, naming the field.
    pub error: Option<String>,
}

impl UnitSheetPage {
    pub fn new(tr: Tr, chrome: Chrome, rs: &ResultSet, s: &ScoreSheet, all: bool) -> Self {
        UnitSheetPage {
            tr,
            chrome,
            as_of: rs.as_of.to_string(),
            name: s.name.clone(),
            code: s.code.clone(),
            category: rs.category.clone(),
            scheme: format!("{} v{}", rs.scheme_id, rs.scheme_version),
            rank: s.rank,
            count: rs.sheets.len(),
            total: num(s.total, 2),
            full_points: num(rs.full_points, 2),
            percent: pct(s.percent),
            grade: s.grade.clone(),
            grade_note: grade_note(s, tr),
            award: s.award,
            award_name: rs.award_name.clone(),
            notes: s.notes.iter().map(|n| say(n, tr)).collect(),
            lines: s
                .lines
                .iter()
                .map(|l| LineView {
                    key: l.key.clone(),
                    title: l.title.clone(),
                    depth: l.depth.min(3),
                    points: num(l.points, 2),
                    max_points: num(l.max_points, 2),
                    explanations: l
                        .explanations
                        .iter()
                        .map(|e| {
                            let effect = e.effect.map_or_else(String::new, |d| {
                                let sign = if d > Decimal::ZERO { "+" } else { "" };
                                format!("{sign}{}", num(d, 2))
                            });
                            let href = match &e.fact {
                                FactRef::Task(t) => Some(format!("/tasks/{t}")),
                                _ => None,
                            };
                            Why {
                                text: say(&e.reason, tr),
                                effect,
                                href,
                            }
                        })
                        .collect(),
                    entry: None,
                })
                .collect(),
            all,
            unit_id: s.unit.to_string(),
            error: None,
        }
    }
}
