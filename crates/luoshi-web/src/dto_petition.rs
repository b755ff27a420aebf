//! JSON shapes of petition cases (信访) and their conversion from the app's views. Personal data
//! appear only in `PetitionOut.petitioners`, and only when the reader may see them.

use luoshi_app::{PersonalStatus, PetitionView};
use luoshi_domain::petition::{Clock, PetitionCase};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionerIn {
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub address: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionIn {
    /// online, letter, visit, phone or fax.
    pub channel: String,
    pub petitioners: Vec<PetitionerIn>,
    /// How many people petition (at least the number listed); the number listed when omitted.
    pub petitioner_count: Option<u32>,
    pub matter: String,
    pub category: String,
    /// YYYY-MM-DD; today when omitted.
    pub registered_on: Option<String>,
}

/// An action on a case. Which fields it needs depends on `action`: `route` needs `unit_id`;
/// `decline`, `object`, `extend` and `extend_leader` a `reason`; `extend` `days` and `notice_on`;
/// `decide_review` and `decide_rereview` an `outcome` (upheld or changed); `assign_leader` a
/// `person_id`; `extend_leader` `to`; `rate` a `value`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionActionIn {
    pub action: String,
    /// The date it happened, YYYY-MM-DD; today when omitted.
    pub on: Option<String>,
    pub version: Option<i64>,
    pub unit_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub reason: Option<String>,
    pub days: Option<i64>,
    pub notice_on: Option<String>,
    pub to: Option<String>,
    pub outcome: Option<String>,
    pub value: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepeatDecisionIn {
    pub earlier_id: Uuid,
    pub confirmed: bool,
    pub on: Option<String>,
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ClockOut {
    /// routing, acceptance, objection, conclusion, review_request, review_decision,
    /// rereview_request, rereview_decision or case_leader.
    pub kind: String,
    pub start: String,
    pub due: String,
    pub finished_on: Option<String>,
    /// Negative when late.
    pub days_left: i64,
    /// running, met, missed or lapsed.
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct PetitionOut {
    pub id: Uuid,
    pub version: i64,
    pub channel: String,
    pub status: String,
    pub matter: String,
    pub category: String,
    pub petitioner_count: u32,
    /// shown, not_allowed or no_key.
    pub personal: String,
    /// Present only when `personal` is `shown`.
    pub petitioners: Option<Vec<PetitionerIn>>,
    pub handling_unit_id: Option<Uuid>,
    pub leader_person_id: Option<Uuid>,
    pub repeat_of: Option<Uuid>,
    pub registered_on: String,
    pub accepted_on: Option<String>,
    pub replied_on: Option<String>,
    pub closed_on: Option<String>,
    pub rating: Option<String>,
    /// green, blue, yellow or red.
    pub lamp: String,
    pub clocks: Vec<ClockOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateOut {
    pub case_id: Uuid,
    #[schema(value_type = String)]
    pub score_pct: String,
    pub final_after_rereview: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PetitionDetailOut {
    pub case: PetitionOut,
    /// Proposed repeats (only for readers of the personal data).
    pub candidates: Vec<CandidateOut>,
    pub proposed_leader_id: Option<Uuid>,
}

fn d(x: Option<time::Date>) -> Option<String> {
    x.map(|d| d.to_string())
}

fn clock(c: &Clock) -> ClockOut {
    ClockOut {
        kind: c.kind.as_str().into(),
        start: c.start.to_string(),
        due: c.due.to_string(),
        finished_on: d(c.finished_on),
        days_left: c.days_left,
        status: c.status.as_str().into(),
    }
}

fn petitioners(c: &PetitionCase) -> Option<Vec<PetitionerIn>> {
    c.personal.as_ref().map(|p| {
        p.petitioners
            .iter()
            .map(|p| PetitionerIn {
                name: p.name.clone(),
                id_number: p.id_number.clone(),
                phone: p.phone.clone(),
                address: p.address.clone(),
            })
            .collect()
    })
}

pub fn petition(v: &PetitionView) -> PetitionOut {
    let c = &v.case;
    PetitionOut {
        id: c.id.as_uuid(),
        version: c.version,
        channel: c.channel.as_str().into(),
        status: c.status.as_str().into(),
        matter: c.matter.clone(),
        category: c.category.clone(),
        petitioner_count: c.petitioner_count,
        personal: match v.personal {
            PersonalStatus::Shown => "shown",
            PersonalStatus::NotAllowed => "not_allowed",
            PersonalStatus::NoKey => "no_key",
        }
        .into(),
        petitioners: petitioners(c),
        handling_unit_id: c.handling_unit.map(|u| u.as_uuid()),
        leader_person_id: c.leader.as_ref().map(|l| l.person.as_uuid()),
        repeat_of: c.repeat_of.map(|p| p.as_uuid()),
        registered_on: c.dates.registered_on.to_string(),
        accepted_on: d(c.dates.accepted_on),
        replied_on: d(c.dates.replied_on),
        closed_on: d(c.dates.closed_on),
        rating: c.rating.map(|r| r.value.as_str().into()),
        lamp: v.clocks.lamp.as_str().into(),
        clocks: v.clocks.clocks.iter().map(clock).collect(),
    }
}
