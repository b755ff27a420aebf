//! Petition pages (信访): the register with each case's most urgent clock as a lamp, the case
//! page with every statutory clock as a countdown, the case leader's list and the office's
//! overview of what is due. Personal data are shown only when the app opens them for the reader,
//! and every such read goes through the app's logged path with the page's route.

use super::fmt::{LampView, lamp};
use super::i18n::Tr;
use super::pages::unit_names;
use super::views::{Choice, Chrome};
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use luoshi_app::{PersonalStatus, PetitionFilter, PetitionView};
use luoshi_domain::authz::{Permission, allowed};
use luoshi_domain::ids::{PetitionId, UnitId};
use luoshi_domain::lamp::Lamp;
use luoshi_domain::petition::{
    Channel, Clock, ClockKind, ClockStatus, Party, PetitionStatus, WorkCalendar,
};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) mod case;
pub(super) mod export;
pub(super) mod forms;

/// One petitioner as a page shows them (only ever built from opened personal data).
pub struct PetitionerView {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
}

pub struct PetitionRow {
    pub id: String,
    pub registered: String,
    pub channel: &'static str,
    pub category: String,
    pub matter: String,
    pub status: &'static str,
    pub unit: String,
    /// The case's most urgent clock: lamp, clock name and countdown.
    pub lamp: LampView,
    pub urgent: String,
    /// `None` when the reader may not see them (the page says they are hidden).
    pub petitioners: Option<Vec<PetitionerView>>,
}

#[derive(Template)]
#[template(path = "petitions.html")]
pub struct PetitionsPage {
    pub tr: Tr,
    pub chrome: Chrome,
    /// `list`, `mine` or `due`.
    pub kind: &'static str,
    pub title: &'static str,
    pub rows: Vec<PetitionRow>,
    /// On the due page: the overdue cases (the rows are those due within the week).
    pub overdue: Vec<PetitionRow>,
    pub statuses: Vec<Choice>,
    pub units: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub overdue_only: bool,
    /// May register cases (the petition office).
    pub can_register: bool,
}

/// The words of a clock: "还剩 N 天", "还剩 N 个工作日", "已超期 N 天", "YYYY-MM-DD 完成".
pub fn countdown(c: &Clock, today: time::Date, cal: &WorkCalendar, tr: Tr) -> String {
    match (c.status, c.finished_on) {
        (ClockStatus::Met, Some(f)) => format!("{} {f}", tr.t("pet.clock.done_on")),
        (ClockStatus::Missed, Some(f)) => format!(
            "{} {f}（{} {} {}）",
            tr.t("pet.clock.done_on"),
            tr.t("pet.clock.late"),
            -c.days_left,
            tr.t("pet.clock.days")
        ),
        (ClockStatus::Running, _) if c.kind == ClockKind::Objection => format!(
            "{} {} {}",
            tr.t("pet.clock.left"),
            cal.working_days_between(today, c.due),
            tr.t("pet.clock.working_days")
        ),
        (ClockStatus::Running, _) => format!(
            "{} {} {}",
            tr.t("pet.clock.left"),
            c.days_left,
            tr.t("pet.clock.days")
        ),
        (ClockStatus::Lapsed, _) => tr.t("pet.clock.lapsed").to_owned(),
        _ => format!(
            "{} {} {}",
            tr.t("pet.clock.overdue"),
            -c.days_left,
            tr.t("pet.clock.days")
        ),
    }
}

pub fn clock_name(k: ClockKind, tr: Tr) -> &'static str {
    tr.t(&format!("pet.clock.{}", k.as_str()))
}

/// An organ's unfinished clock (running or overdue): the ones that can still be acted on.
fn open_duty(c: &Clock) -> bool {
    c.party == Party::Organ
        && c.finished_on.is_none()
        && c.kind != ClockKind::Objection
        && matches!(c.status, ClockStatus::Running | ClockStatus::Missed)
}

/// The organ's open clock with the fewest days left.
pub fn most_urgent(v: &PetitionView) -> Option<&Clock> {
    v.clocks
        .clocks
        .iter()
        .filter(|c| open_duty(c))
        .min_by_key(|c| c.days_left)
}

pub fn is_overdue(v: &PetitionView) -> bool {
    v.clocks
        .clocks
        .iter()
        .any(|c| open_duty(c) && c.status == ClockStatus::Missed)
}

fn due_within(v: &PetitionView, days: i64) -> bool {
    v.clocks
        .clocks
        .iter()
        .any(|c| open_duty(c) && c.status == ClockStatus::Running && c.days_left <= days)
}

pub fn petitioners(v: &PetitionView) -> Option<Vec<PetitionerView>> {
    if v.personal != PersonalStatus::Shown {
        return None;
    }
    let p = v.case.personal.as_ref()?;
    Some(
        p.petitioners
            .iter()
            .map(|p| PetitionerView {
                name: p.name.clone(),
                id_number: p.id_number.clone().unwrap_or_default(),
                phone: p.phone.clone().unwrap_or_default(),
                address: p.address.clone(),
            })
            .collect(),
    )
}

pub fn row(v: &PetitionView, units: &HashMap<String, String>, s: &AppState, tr: Tr) -> PetitionRow {
    let c = &v.case;
    let urgent = most_urgent(v);
    PetitionRow {
        id: c.id.to_string(),
        registered: c.dates.registered_on.to_string(),
        channel: tr.t(&format!("pet.channel.{}", c.channel.as_str())),
        category: c.category.clone(),
        matter: c.matter.chars().take(60).collect(),
        status: tr.t(&format!("pet.status.{}", c.status.as_str())),
        unit: c
            .handling_unit
            .and_then(|u| units.get(&u.to_string()).cloned())
            .unwrap_or_default(),
        lamp: lamp(
            Some(match urgent {
                Some(_) => v.clocks.lamp,
                None if v.clocks.lamp == Lamp::Red => Lamp::Red,
                None => Lamp::Green,
            }),
            tr,
        ),
        urgent: urgent.map_or_else(
            || tr.t("pet.clock.none").to_owned(),
            |k| {
                format!(
                    "{}：{}",
                    clock_name(k.kind, tr),
                    countdown(k, s.app.today(), s.app.work_calendar(), tr)
                )
            },
        ),
        petitioners: petitioners(v),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub overdue: String,
}

impl ListQuery {
    pub fn filter(&self) -> PetitionFilter {
        PetitionFilter {
            status: PetitionStatus::parse(&self.status),
            handling_unit: self.unit_id.parse::<UnitId>().ok(),
            ..PetitionFilter::default()
        }
    }

    /// The filters the store does not apply: channel and overdue.
    pub fn keep(&self, v: &PetitionView) -> bool {
        let channel = Channel::parse("channel", &self.channel).ok();
        channel.is_none_or(|c| v.case.channel == c) && (self.overdue.is_empty() || is_overdue(v))
    }
}

fn choices<'a>(all: impl Iterator<Item = (String, String)> + 'a, selected: &'a str) -> Vec<Choice> {
    all.map(|(value, label)| Choice {
        selected: value == selected,
        value,
        label,
    })
    .collect()
}

async fn page(
    s: &AppState,
    session: &Session,
    kind: &'static str,
    q: &ListQuery,
) -> Result<PetitionsPage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let units = unit_names(&s.app, &actor, tr).await?;
    let mut filter = q.filter();
    if kind == "mine" {
        let Some(me) = s
            .app
            .petition_person(&actor)
            .await
            .map_err(|e| PageError::App(tr, e))?
        else {
            return Ok(empty(session, &units, kind, q));
        };
        filter.leader = Some(me);
    }
    // Only the cases shown have their personal data logged as read.
    let route = match kind {
        "mine" => "GET /petitions/mine",
        "due" => "GET /petitions/due",
        _ => "GET /petitions",
    };
    let views = s
        .app
        .list_petitions_shown(
            &actor,
            &filter,
            |v| match kind {
                "due" => is_overdue(v) || due_within(v, 7),
                _ => q.keep(v),
            },
            route,
        )
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let mut p = empty(session, &units, kind, q);
    for v in &views {
        let r = row(v, &units, s, tr);
        if kind == "due" && is_overdue(v) {
            p.overdue.push(r);
        } else {
            p.rows.push(r);
        }
    }
    Ok(p)
}

fn empty(
    session: &Session,
    units: &HashMap<String, String>,
    kind: &'static str,
    q: &ListQuery,
) -> PetitionsPage {
    let tr = session.tr();
    let mut unit_choices = choices(
        units.iter().map(|(k, v)| (k.clone(), v.clone())),
        &q.unit_id,
    );
    unit_choices.sort_by(|a, b| a.label.cmp(&b.label));
    PetitionsPage {
        tr,
        chrome: Chrome::new(session, units, "petitions"),
        kind,
        title: tr.t(&format!("pet.title.{kind}")),
        rows: vec![],
        overdue: vec![],
        statuses: choices(
            STATUSES.iter().map(|s| {
                (
                    s.as_str().to_owned(),
                    tr.t(&format!("pet.status.{}", s.as_str())).to_owned(),
                )
            }),
            &q.status,
        ),
        units: unit_choices,
        channels: choices(
            Channel::ALL.iter().map(|c| {
                (
                    c.as_str().to_owned(),
                    tr.t(&format!("pet.channel.{}", c.as_str())).to_owned(),
                )
            }),
            &q.channel,
        ),
        overdue_only: !q.overdue.is_empty(),
        can_register: allowed(&session.user.actor(), Permission::ManagePetitions),
    }
}

const STATUSES: [PetitionStatus; 11] = [
    PetitionStatus::Registered,
    PetitionStatus::Routed,
    PetitionStatus::Objected,
    PetitionStatus::Declined,
    PetitionStatus::Handling,
    PetitionStatus::Replied,
    PetitionStatus::ReviewRequested,
    PetitionStatus::Reviewed,
    PetitionStatus::ReReviewRequested,
    PetitionStatus::ReReviewed,
    PetitionStatus::Closed,
];

pub async fn list(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    Ok(render(&page(&s, &session, "list", &q).await?)?.into_response())
}

pub async fn mine(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let q = ListQuery::default();
    Ok(render(&page(&s, &session, "mine", &q).await?)?.into_response())
}

pub async fn due(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let q = ListQuery::default();
    Ok(render(&page(&s, &session, "due", &q).await?)?.into_response())
}

pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let p = case::build(&s, &session, PetitionId::from(id), None).await?;
    Ok(render(&p)?.into_response())
}
