//! "New plan from a speech": paste or upload the text, review every extracted item beside its
//! highlighted source sentence (keep, edit or drop it; assign units, officials and deadlines),
//! then create the plan in one transaction.
//!
//! The review form carries the source text; on submit the text is extracted again (the
//! extractor is deterministic) and the reviewer's edits are applied item by item, so the
//! server keeps no draft state between the two steps.

use super::pages::{names_of, snapshot};
use super::views::Chrome;
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, PlanDraft, Snapshot};
use luoshi_domain::authz::{self, Permission};
use luoshi_domain::ids::{PersonId, UnitId};
use luoshi_extract::Extraction;
use std::collections::HashMap;

mod apply;
use apply::{Kept, apply};

/// Largest upload or pasted text: a long work report is well under 1 MiB.
pub const MAX_TEXT: usize = 2 * 1024 * 1024;

/// A piece of a source sentence; `mark` is the kind of finding it shows, or empty.
pub struct Piece {
    pub text: String,
    pub mark: &'static str,
}

pub struct SectionRow {
    pub keep: bool,
    pub number: String,
    pub title: String,
    pub depth: usize,
}

pub struct IndicatorRow {
    pub keep: bool,
    pub name: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub growth: String,
    pub source: String,
}

pub struct TaskRow {
    pub keep: bool,
    pub pieces: Vec<Piece>,
    pub section: String,
    pub title: String,
    pub unit: String,
    pub official: String,
    pub deadline: String,
    pub qmin: String,
    pub qmax: String,
    pub qunit: String,
}

#[derive(Template)]
#[template(path = "plan_new.html")]
pub struct NewPage {
    pub tr: super::i18n::Tr,
    pub chrome: Chrome,
    pub year: i32,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_review.html")]
pub struct ReviewPage {
    pub tr: super::i18n::Tr,
    pub chrome: Chrome,
    pub year: i32,
    pub title: String,
    pub text: String,
    pub assign: bool,
    pub sections: Vec<SectionRow>,
    pub indicators: Vec<IndicatorRow>,
    pub tasks: Vec<TaskRow>,
    pub diagnostics: Vec<String>,
    pub unit_names: Vec<String>,
    pub officials: Vec<String>,
    pub error: Option<String>,
}

fn require_plans(session: &Session) -> Result<(), PageError> {
    if authz::allowed(&session.user.actor(), Permission::ManagePlans) {
        Ok(())
    } else {
        Err(PageError::App(session.tr(), AppError::Forbidden))
    }
}

pub async fn new_page(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    require_plans(&session)?;
    let tr = session.tr();
    let snap = snapshot(&s.app, &session.user.actor(), tr).await?;
    let page = NewPage {
        tr,
        chrome: Chrome::new(&session, names_of(&snap), "plans"),
        year: s.app.today().year(),
        error: None,
    };
    Ok(render(&page)?.into_response())
}

/// Cut a sentence into pieces, marking the quantities, the deadline and the units it names.
fn pieces(text: &str, t: &luoshi_extract::TaskItem) -> Vec<Piece> {
    let mut marks: Vec<(usize, usize, &'static str)> = t
        .quantities
        .iter()
        .map(|q| (q.span.start, q.span.end, "quantity"))
        .chain(
            t.deadline
                .iter()
                .map(|d| (d.span.start, d.span.end, "deadline")),
        )
        .chain(
            t.mentions
                .iter()
                .filter(|m| m.kind == luoshi_extract::MentionKind::Unit)
                .map(|m| (m.span.start, m.span.end, "unit")),
        )
        .filter(|(a, b, _)| t.span.start <= *a && a < b && *b <= t.span.end)
        .collect();
    marks.sort();
    let mut out = Vec::new();
    let mut at = t.span.start;
    for (a, b, kind) in marks {
        if a < at {
            continue; // overlapping finding: the first one wins
        }
        out.push(Piece {
            text: text.get(at..a).unwrap_or("").to_owned(),
            mark: "",
        });
        out.push(Piece {
            text: text.get(a..b).unwrap_or("").to_owned(),
            mark: kind,
        });
        at = b;
    }
    out.push(Piece {
        text: text.get(at..t.span.end).unwrap_or("").to_owned(),
        mark: "",
    });
    out.retain(|p| !p.text.is_empty());
    out
}

fn num(d: Option<luoshi_domain::measure::Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

type Values = HashMap<String, String>;

/// The review page for a text; `edits` are the reviewer's submitted values (None: as proposed).
#[allow(clippy::too_many_arguments)]
fn review(
    session: &Session,
    snap: &Snapshot,
    text: String,
    x: &Extraction,
    draft: &PlanDraft,
    edits: Option<&Values>,
    assign: bool,
    error: Option<String>,
) -> ReviewPage {
    let tr = session.tr();
    let names: HashMap<UnitId, &str> = snap
        .units
        .iter()
        .map(|(u, _)| (u.id, u.name.as_str()))
        .collect();
    let people = snap.people_for(&session.user.actor());
    let official_name = |p: Option<PersonId>| {
        p.and_then(|p| people.iter().find(|(x, _)| x.id == p))
            .map(|(x, _)| x.name.clone())
            .unwrap_or_default()
    };
    let val = |key: String, proposed: String| -> String {
        match edits {
            Some(e) => e.get(&key).cloned().unwrap_or_default(),
            None => proposed,
        }
    };
    let keep = |key: String| edits.is_none_or(|e| e.contains_key(&key));
    let depth = |mut i: usize| {
        let mut d = 0;
        while let Some(p) = draft.sections.get(i).and_then(|s| s.parent) {
            d += 1;
            i = p;
        }
        d
    };
    let section_label = |i: Option<usize>| {
        i.and_then(|i| draft.sections.get(i))
            .map(|s| format!("{} {}", s.number, s.title).trim().to_owned())
            .unwrap_or_default()
    };
    ReviewPage {
        tr,
        chrome: Chrome::new(session, names_of(snap), "plans"),
        year: draft.plan.year,
        title: draft.plan.title.clone(),
        assign,
        sections: draft
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| SectionRow {
                keep: keep(format!("s{i}.keep")),
                number: val(format!("s{i}.number"), s.number.clone()),
                title: val(format!("s{i}.title"), s.title.clone()),
                depth: depth(i),
            })
            .collect(),
        indicators: draft
            .indicators
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let f = &d.fields;
                let source = x
                    .targets
                    .iter()
                    .find(|t| t.indicator == f.name)
                    .map(|t| t.text.clone())
                    .unwrap_or_default();
                IndicatorRow {
                    keep: keep(format!("i{i}.keep")),
                    name: val(format!("i{i}.name"), f.name.clone()),
                    unit: val(format!("i{i}.unit"), f.unit.as_str().to_owned()),
                    baseline: val(format!("i{i}.baseline"), num(f.baseline)),
                    target: val(format!("i{i}.target"), num(f.target_value)),
                    growth: val(format!("i{i}.growth"), num(f.target_growth_pct)),
                    source,
                }
            })
            .collect(),
        tasks: draft
            .tasks
            .iter()
            .zip(&x.tasks)
            .enumerate()
            .map(|(i, (d, t))| TaskRow {
                keep: keep(format!("t{i}.keep")),
                pieces: pieces(&text, t),
                section: section_label(d.section),
                title: val(format!("t{i}.title"), d.title.clone()),
                unit: val(
                    format!("t{i}.unit"),
                    d.lead_unit
                        .and_then(|u| names.get(&u).map(|n| (*n).to_owned()))
                        .unwrap_or_default(),
                ),
                official: val(format!("t{i}.official"), official_name(d.lead_official)),
                deadline: val(
                    format!("t{i}.deadline"),
                    d.deadline.map(|d| d.to_string()).unwrap_or_default(),
                ),
                qmin: val(
                    format!("t{i}.qmin"),
                    num(d.quantity.as_ref().map(|q| q.min)),
                ),
                qmax: val(
                    format!("t{i}.qmax"),
                    num(d.quantity.as_ref().and_then(|q| q.max)),
                ),
                qunit: val(
                    format!("t{i}.qunit"),
                    d.quantity
                        .as_ref()
                        .map(|q| q.unit.clone())
                        .unwrap_or_default(),
                ),
            })
            .collect(),
        diagnostics: x
            .diagnostics
            .iter()
            .filter(|d| d.kind != luoshi_extract::DiagnosticKind::Boilerplate)
            .map(|d| format!("{} — {}", d.text, d.message))
            .collect(),
        unit_names: snap.units.iter().map(|(u, _)| u.name.clone()).collect(),
        officials: people
            .iter()
            .filter(|(p, _)| p.unit.is_none())
            .map(|(p, _)| p.name.clone())
            .collect(),
        text,
        error,
    }
}

/// The upload's fields and its file (decoded as UTF-8 or GB18030).
async fn read_upload(
    mp: &mut Multipart,
) -> Result<(Values, Option<String>), axum::extract::multipart::MultipartError> {
    let mut form = Values::new();
    let mut file = None;
    while let Some(field) = mp.next_field().await? {
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field.bytes().await?;
        if name == "file" {
            if !bytes.is_empty() {
                file = Some(luoshi_extract::decode(&bytes));
            }
        } else {
            form.insert(name, luoshi_extract::decode(&bytes));
        }
    }
    Ok((form, file))
}

/// Step 1 → 2: read the text (pasted or uploaded, UTF-8 or GB18030) and show the proposal.
pub async fn review_page(
    State(s): State<AppState>,
    session: Session,
    mut mp: Multipart,
) -> Result<Response, PageError> {
    require_plans(&session)?;
    let tr = session.tr();
    let (form, file) = match read_upload(&mut mp).await {
        Ok(x) => x,
        Err(e) => {
            // Too large (413) or malformed (400): say so on the form, naming the field.
            let snap = snapshot(&s.app, &session.user.actor(), tr).await?;
            let page = NewPage {
                tr,
                chrome: Chrome::new(&session, names_of(&snap), "plans"),
                year: s.app.today().year(),
                error: Some(format!("text: {}", e.body_text())),
            };
            return Ok((e.status(), render(&page)?).into_response());
        }
    };
    session.check_csrf(form.get("_csrf").map_or("", String::as_str))?;
    let text = file
        .or_else(|| form.get("text").cloned())
        .unwrap_or_default();
    let year = form
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .unwrap_or_else(|| s.app.today().year());
    let title = form.get("title").cloned().unwrap_or_default();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    if text.trim().is_empty() {
        let page = NewPage {
            tr,
            chrome: Chrome::new(&session, names_of(&snap), "plans"),
            year,
            error: Some(format!("text: {}", tr.t("draft.no_text"))),
        };
        return Ok((StatusCode::BAD_REQUEST, render(&page)?).into_response());
    }
    let (x, draft) = s
        .app
        .propose_plan(&actor, &text, year, &title)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let page = review(&session, &snap, text, &x, &draft, None, true, None);
    Ok(render(&page)?.into_response())
}

/// Step 2 → plan: apply the review and create everything in one transaction.
pub async fn create(
    State(s): State<AppState>,
    session: Session,
    Form(form): Form<Values>,
) -> Result<Response, PageError> {
    session.check_csrf(form.get("_csrf").map_or("", String::as_str))?;
    require_plans(&session)?;
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let text = form.get("text").cloned().unwrap_or_default();
    let year = form
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .unwrap_or(0);
    let title = form.get("title").cloned().unwrap_or_default();
    let assign = form.contains_key("assign");
    let (x, draft) = s
        .app
        .propose_plan(&actor, &text, year, &title)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let people = snap.people_for(&actor);
    let mut kept = Kept::default();
    let result = match apply(&snap, &people, draft.clone(), &form, &mut kept) {
        Ok(reviewed) => s
            .app
            .create_plan_from_draft(&actor, reviewed, assign)
            .await
            .map_err(|e| kept.renumber(e)),
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => {
            Ok(Redirect::to(&format!("/tasks?plan_id={}", created.plan)).into_response())
        }
        Err(AppError::Forbidden) => Err(PageError::App(tr, AppError::Forbidden)),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let page = review(
                &session,
                &snap,
                text,
                &x,
                &draft,
                Some(&form),
                assign,
                Some(api.with_field()),
            );
            Ok((api.status, render(&page)?).into_response())
        }
    }
}
