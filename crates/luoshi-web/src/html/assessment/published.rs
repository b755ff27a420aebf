//! `GET /assessment/published/{id}`: a published result as it was frozen (ranking, grades,
//! awards, every sheet with its reasons in the reader's language), its digest, who published it
//! when, the version it corrects and the versions that correct it, each with its reason.
//! Leaders and the office only: the frozen body holds every unit's sheet.

use super::super::fmt::num;
use super::super::i18n::Tr;
use super::super::pages::unit_names;
use super::super::views::Chrome;
use super::super::{PageError, Session, render};
use super::fail;
use super::views::{say, short};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use luoshi_app::{Published, reason_from_json};
use luoshi_domain::measure::Decimal;
use serde_json::Value;
use uuid::Uuid;

/// One line of a frozen sheet.
pub struct FrozenLine {
    pub key: String,
    pub title: String,
    pub depth: u64,
    pub points: String,
    pub max_points: String,
    pub why: Vec<String>,
}

/// One unit's frozen row and sheet.
pub struct FrozenRow {
    pub rank: u64,
    pub code: String,
    pub name: String,
    pub total: String,
    pub percent: String,
    pub grade: String,
    pub award: bool,
    pub notes: Vec<String>,
    pub lines: Vec<FrozenLine>,
}

pub struct FrozenCategory {
    pub category: String,
    pub scheme: String,
    pub full_points: String,
    pub award_name: String,
    pub rows: Vec<FrozenRow>,
    pub awarded: Vec<String>,
}

/// A correction of this version, or the version it corrects: (short id, full id, reason).
pub struct Link {
    pub short: String,
    pub id: String,
    pub reason: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "assessment_published.html")]
pub struct PublishedPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub id: String,
    pub as_of: String,
    pub published_at: String,
    pub by: String,
    pub digest: String,
    pub schemes: String,
    pub corrects: Option<Link>,
    pub corrected_by: Vec<Link>,
    pub categories: Vec<FrozenCategory>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A decimal field of the frozen JSON, shown with at most 2 places.
fn dec(v: &Value, key: &str) -> String {
    let raw = text(v, key);
    raw.parse::<Decimal>().map_or(raw, |d| num(d, 2))
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn frozen_category(rs: &Value, tr: Tr) -> FrozenCategory {
    let rows: Vec<FrozenRow> = list(rs, "sheets")
        .map(|s| FrozenRow {
            rank: s.get("rank").and_then(Value::as_u64).unwrap_or_default(),
            code: text(s, "code"),
            name: text(s, "name"),
            total: dec(s, "total"),
            percent: format!("{}%", dec(s, "percent")),
            grade: text(s, "grade"),
            award: s.get("award").and_then(Value::as_bool).unwrap_or(false),
            notes: list(s, "notes")
                .map(|n| say(&reason_from_json(n), tr))
                .collect(),
            lines: list(s, "lines")
                .map(|l| FrozenLine {
                    key: text(l, "key"),
                    title: text(l, "title"),
                    depth: l.get("depth").and_then(Value::as_u64).unwrap_or(0).min(3),
                    points: dec(l, "points"),
                    max_points: dec(l, "max_points"),
                    why: list(l, "explanations")
                        .map(|e| {
                            let reason = e.get("reason").unwrap_or(e);
                            let effect = e
                                .get("effect")
                                .and_then(Value::as_str)
                                .and_then(|x| x.parse::<Decimal>().ok())
                                .map_or_else(String::new, |d| {
                                    let sign = if d > Decimal::ZERO { "+" } else { "" };
                                    format!(" {sign}{}", num(d, 2))
                                });
                            format!("{}{effect}", say(&reason_from_json(reason), tr))
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    FrozenCategory {
        category: text(rs, "category"),
        scheme: format!(
            "{} v{}",
            text(rs, "scheme_id"),
            rs.get("scheme_version")
                .and_then(Value::as_u64)
                .unwrap_or_default()
        ),
        full_points: dec(rs, "full_points"),
        award_name: text(rs, "award_name"),
        awarded: rows
            .iter()
            .filter(|r| r.award)
            .map(|r| r.name.clone())
            .collect(),
        rows,
    }
}

fn link(p: &Published) -> Link {
    Link {
        short: short(&p.id),
        id: p.id.to_string(),
        reason: p.reason.clone(),
        at: super::super::task_page::local_time(p.published_at),
    }
}

/// `GET /assessment/published/{id}`.
pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let p = match s.app.published_assessment(&actor, id).await {
        Ok(p) => p,
        Err(e) => return Ok(fail(&session, e)),
    };
    let (all, names) = match (
        s.app.published_assessments(&actor).await,
        s.app.assessment_publishers(&actor).await,
    ) {
        (Ok(all), Ok(names)) => (all, names),
        (Err(e), _) | (_, Err(e)) => return Ok(fail(&session, e)),
    };
    let units = unit_names(&s.app, &actor, tr).await?;
    let page = PublishedPage {
        tr,
        chrome: Chrome::new(&session, &units, "assessment"),
        id: p.id.to_string(),
        as_of: p.as_of.to_string(),
        published_at: super::super::task_page::local_time(p.published_at),
        by: p
            .published_by
            .map(|u| names.get(&u).cloned().unwrap_or_else(|| u.to_string()))
            .unwrap_or_default(),
        digest: p.digest.clone(),
        schemes: p.schemes.clone(),
        corrects: p
            .supersedes
            .and_then(|old| all.iter().find(|q| q.id == old))
            .map(|old| Link {
                reason: p.reason.clone(),
                ..link(old)
            }),
        corrected_by: all
            .iter()
            .filter(|q| q.supersedes == Some(p.id))
            .map(link)
            .collect(),
        categories: p
            .body
            .as_array()
            .into_iter()
            .flatten()
            .map(|rs| frozen_category(rs, tr))
            .collect(),
    };
    Ok(render(&page)?.into_response())
}
