//! The case page: facts, personal data (or a line saying they are hidden), every statutory clock
//! as a countdown, the events, repeat candidates and the action forms the reader may use.

use super::{PetitionRow, clock_name, countdown, row};
use crate::html::i18n::Tr;
use crate::html::pages::{names_of, snapshot};
use crate::html::views::{Choice, Chrome};
use crate::html::{PageError, Session};
use crate::state::AppState;
use askama::Template;
use luoshi_app::PetitionView;
use luoshi_domain::authz::{Permission, allowed};
use luoshi_domain::ids::PetitionId;
use luoshi_domain::petition::{ClockStatus, Party, PetitionStatus as S};
use std::collections::HashMap;

pub struct ClockRow {
    pub id: &'static str,
    pub name: &'static str,
    pub party: &'static str,
    pub start: String,
    pub due: String,
    pub countdown: String,
    /// css class: lamp colour of the clock.
    pub class: &'static str,
}

pub struct EventRow {
    pub on: String,
    pub action: &'static str,
    pub detail: String,
    pub recorded: String,
}

pub struct CandidateRow {
    pub id: String,
    pub score: String,
    pub final_after_rereview: bool,
}

/// One action form; `fields` names the inputs it needs besides the date.
pub struct ActionForm {
    pub action: &'static str,
    pub label: &'static str,
    pub fields: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "petition.html")]
pub struct PetitionPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub row: PetitionRow,
    pub matter: String,
    pub petitioner_count: u32,
    pub version: i64,
    pub today: String,
    pub leader: String,
    pub repeat_of: String,
    pub rating: String,
    pub extension: String,
    pub error: Option<String>,
    pub clocks: Vec<ClockRow>,
    pub events: Vec<EventRow>,
    pub candidates: Vec<CandidateRow>,
    pub can_decide_repeats: bool,
    pub forms: Vec<ActionForm>,
    pub units: Vec<Choice>,
    pub leaders: Vec<Choice>,
}

/// The actions the reader may take on the case in its status.
fn forms(v: &PetitionView, manage: bool, tr: Tr) -> Vec<ActionForm> {
    let c = &v.case;
    let handle = v.can_handle || manage;
    let leader_open = c.leader.as_ref().is_some_and(|l| l.resolved_on.is_none());
    let mut out: Vec<(&'static str, Vec<&'static str>)> = vec![];
    let mut add = |ok: bool, a: &'static str, f: &[&'static str]| {
        if ok {
            out.push((a, f.to_vec()));
        }
    };
    let st = c.status;
    add(
        manage && matches!(st, S::Registered | S::Objected),
        "route",
        &["unit_id"],
    );
    add(
        handle && matches!(st, S::Registered | S::Routed),
        "accept",
        &[],
    );
    add(
        handle && matches!(st, S::Registered | S::Routed),
        "decline",
        &["reason"],
    );
    add(handle && st == S::Routed, "object", &["reason"]);
    add(
        handle && st == S::Handling && c.extension.is_none(),
        "extend",
        &["days", "notice_on", "reason"],
    );
    add(handle && st == S::Handling, "reply", &[]);
    add(manage && st == S::Replied, "request_review", &[]);
    add(
        manage && st == S::ReviewRequested,
        "decide_review",
        &["outcome"],
    );
    add(manage && st == S::Reviewed, "request_rereview", &[]);
    add(
        manage && st == S::ReReviewRequested,
        "decide_rereview",
        &["outcome"],
    );
    add(
        manage && matches!(st, S::Declined | S::Replied | S::Reviewed | S::ReReviewed),
        "close",
        &[],
    );
    add(
        handle && st.is_replied() && c.rating.is_none(),
        "rate",
        &["value"],
    );
    add(
        manage && st != S::Closed && (c.leader.is_none() || leader_open),
        "assign_leader",
        &["person_id"],
    );
    let leader_may = v.is_leader || manage;
    add(
        leader_may && leader_open && c.leader.as_ref().is_some_and(|l| l.extended_to.is_none()),
        "extend_leader",
        &["to", "reason"],
    );
    add(leader_may && leader_open, "resolve", &[]);
    out.into_iter()
        .map(|(action, fields)| ActionForm {
            action,
            label: tr.t(&format!("pet.action.{action}")),
            fields,
        })
        .collect()
}

fn clock_class(status: ClockStatus, days_left: i64) -> &'static str {
    match status {
        ClockStatus::Missed => "lamp-red",
        ClockStatus::Running if days_left <= 3 => "lamp-blue",
        ClockStatus::Met => "lamp-green",
        _ => "lamp-none",
    }
}

/// The case page, with `error` from a refused form shown above the forms. Opening it with
/// personal data logs one read with the page's route.
pub async fn build(
    s: &AppState,
    session: &Session,
    id: PetitionId,
    error: Option<String>,
) -> Result<PetitionPage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let units = names_of(&snap).clone();
    let route = format!("GET /petitions/{id}");
    let d = s
        .app
        .petition(&actor, id, &route)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let people: HashMap<String, String> = snap
        .people_for(&actor)
        .into_iter()
        .map(|(p, _)| (p.id.to_string(), format!("{} {}", p.name, p.post)))
        .collect();
    let v = &d.view;
    let c = &v.case;
    let today = s.app.today();
    let cal = s.app.work_calendar();
    let manage = allowed(&actor, Permission::ManagePetitions);
    let clocks = v
        .clocks
        .clocks
        .iter()
        .map(|k| ClockRow {
            id: k.kind.as_str(),
            name: clock_name(k.kind, tr),
            party: tr.t(match k.party {
                Party::Organ => "pet.party.organ",
                Party::Petitioner => "pet.party.petitioner",
            }),
            start: k.start.to_string(),
            due: k.due.to_string(),
            countdown: countdown(k, today, cal, tr),
            class: clock_class(k.status, k.days_left),
        })
        .collect();
    let events = d
        .events
        .iter()
        .map(|e| EventRow {
            on: e.on.to_string(),
            action: tr.t(&format!("pet.action.{}", e.action)),
            detail: event_detail(&e.detail, &units, &people),
            recorded: crate::html::task_page::local_time(e.recorded_at),
        })
        .collect();
    let mut unit_choices: Vec<Choice> = units
        .iter()
        .map(|(k, v)| Choice {
            value: k.clone(),
            label: v.clone(),
            selected: c.handling_unit.is_some_and(|u| u.to_string() == *k),
        })
        .collect();
    unit_choices.sort_by(|a, b| a.label.cmp(&b.label));
    let proposed = d.proposed_leader.map(|p| p.to_string());
    let leaders = snap
        .officials
        .iter()
        .map(|(p, label)| Choice {
            value: p.to_string(),
            label: label.clone(),
            selected: proposed.as_deref() == Some(p.to_string().as_str()),
        })
        .collect();
    Ok(PetitionPage {
        tr,
        chrome: Chrome::new(session, &units, "petitions"),
        row: row(v, &units, s, tr),
        matter: c.matter.clone(),
        petitioner_count: c.petitioner_count,
        version: c.version,
        today: today.to_string(),
        leader: c.leader.as_ref().map_or_else(String::new, |l| {
            let name = people
                .get(&l.person.to_string())
                .cloned()
                .unwrap_or_default();
            match l.resolved_on {
                Some(r) => format!("{name}（{} {r}）", tr.t("pet.resolved_on")),
                None => format!("{name}（{} {}）", tr.t("pet.assigned_on"), l.assigned_on),
            }
        }),
        repeat_of: c.repeat_of.map(|r| r.to_string()).unwrap_or_default(),
        rating: c.rating.map_or_else(String::new, |r| {
            format!(
                "{} {}",
                tr.t(&format!("pet.rating.{}", r.value.as_str())),
                r.rated_on
            )
        }),
        extension: c.extension.as_ref().map_or_else(String::new, |e| {
            format!(
                "+{} {}（{} {}）",
                e.days,
                tr.t("pet.clock.days"),
                tr.t("pet.approved_on"),
                e.approved_on
            )
        }),
        error,
        clocks,
        events,
        candidates: d
            .candidates
            .iter()
            .map(|k| CandidateRow {
                id: k.case.to_string(),
                score: format!("{}%", k.score_pct.round_dp(1).normalize()),
                final_after_rereview: k.final_after_rereview,
            })
            .collect(),
        can_decide_repeats: manage,
        forms: forms(v, manage, tr),
        units: unit_choices,
        leaders,
    })
}

/// An event's arguments in words (units and people by name; never personal data).
fn event_detail(
    d: &serde_json::Value,
    units: &HashMap<String, String>,
    people: &HashMap<String, String>,
) -> String {
    let Some(m) = d.as_object() else {
        return String::new();
    };
    m.iter()
        .filter_map(|(k, v)| {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            match k.as_str() {
                "unit_id" => units.get(&v).cloned(),
                "person_id" => people.get(&v).cloned(),
                "channel" | "category" => None,
                _ => Some(v),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
