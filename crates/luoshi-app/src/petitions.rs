//! Petition cases (信访): register, act on a case (route, accept, decline, object, extend, reply,
//! reviews, close, case leaders, ratings), confirm or reject proposed repeats, and read cases with
//! their clocks as of the App's today.
//!
//! Personal data: sealed with the configured [`PetitionKey`] before they reach the store; shown
//! only to those `authz` allows (`ReadPetitionPersonal`: the petition office, the handling unit's
//! handlers, the case leader's user); every time they are shown, one read-log row per case
//! names the user and the route. Without a key, registering fails with `petition_key_missing`
//! and cases read without their personal data (`PersonalStatus::NoKey`).

use crate::{App, AppError, require};
use luoshi_domain::authz::{Actor, Permission, allowed};
use luoshi_domain::ids::{PersonId, PetitionId, UnitId};
use luoshi_domain::petition::{
    CaseClocks, PersonalData, PetitionAction, PetitionCase, PetitionError, PetitionFields,
    PetitionPolicy, RepeatCandidate, WorkCalendar, clocks, proposed_leader, repeat_candidates,
};
use luoshi_store::petitions::log::{self, PersonalRead, PetitionEvent, RepeatDecision};
use luoshi_store::petitions::{self as store, PetitionFilter};
use luoshi_store::units;
use serde_json::json;
use std::collections::HashSet;
use time::Date;
use uuid::Uuid;

mod crypto;
pub(crate) mod metrics;
pub mod reminders;

pub use crypto::PetitionKey;

impl From<PetitionError> for AppError {
    fn from(e: PetitionError) -> Self {
        match e {
            PetitionError::Invalid(v) => Self::Validation(v),
            not_allowed @ PetitionError::NotAllowed { .. } => Self::Conflict {
                code: "invalid_transition",
                message: not_allowed.to_string(),
            },
        }
    }
}

/// Whether a view carries the case's personal data, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalStatus {
    Shown,
    /// The reader has no right to see them.
    NotAllowed,
    /// The server has no petition key configured.
    NoKey,
}

/// A case with its clocks as of the App's today. `case.personal` is `Some` only when
/// `personal == PersonalStatus::Shown`.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionView {
    pub case: PetitionCase,
    pub clocks: CaseClocks,
    pub personal: PersonalStatus,
    /// The reader may act on the case as its handling organ or case leader.
    pub can_handle: bool,
    /// The reader is the case leader's user.
    pub is_leader: bool,
}

/// One case with its history and, for readers of its personal data, the repeat proposals.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionDetail {
    pub view: PetitionView,
    pub events: Vec<PetitionEvent>,
    /// Earlier cases this one may repeat, without those already decided on. Empty unless the
    /// reader sees personal data (detection needs them).
    pub candidates: Vec<RepeatCandidate>,
    pub decisions: Vec<RepeatDecision>,
    /// For a case without a leader: the leader of the petitioner's latest earlier case.
    pub proposed_leader: Option<PersonId>,
}

fn key_missing() -> AppError {
    AppError::Conflict {
        code: "petition_key_missing",
        message: "no petition key is configured, so personal data cannot be written or read".into(),
    }
}

/// The permission an action needs on a case handled by `unit`.
fn action_permission(
    a: &PetitionAction,
    unit: Option<UnitId>,
    leader: bool,
) -> Permission<'static> {
    use PetitionAction as A;
    match a {
        A::Route { .. }
        | A::RequestReview
        | A::DecideReview { .. }
        | A::RequestReReview
        | A::DecideReReview { .. }
        | A::Close
        | A::AssignLeader { .. }
        | A::MarkRepeat { .. } => Permission::ManagePetitions,
        A::Accept
        | A::Decline { .. }
        | A::Object { .. }
        | A::Extend { .. }
        | A::Reply
        | A::Rate { .. } => Permission::HandlePetition {
            unit,
            case_leader: leader,
        },
        A::ExtendLeader { .. } | A::Resolve => Permission::HandlePetition {
            unit: None,
            case_leader: leader,
        },
    }
}

/// The arguments of an action for the event log (no personal data).
fn action_detail(a: &PetitionAction) -> serde_json::Value {
    use PetitionAction as A;
    match a {
        A::Route { unit } => json!({"unit_id": unit.to_string()}),
        A::Decline { reason } | A::Object { reason } => json!({"reason": reason}),
        A::Extend {
            days,
            notice_on,
            reason,
        } => json!({"days": days, "notice_on": notice_on.to_string(), "reason": reason}),
        A::DecideReview { outcome } | A::DecideReReview { outcome } => {
            json!({"outcome": outcome.as_str()})
        }
        A::AssignLeader { person } => json!({"person_id": person.to_string()}),
        A::ExtendLeader { to, reason } => json!({"to": to.to_string(), "reason": reason}),
        A::MarkRepeat { of } => json!({"of": of.to_string()}),
        A::Rate { value } => json!({"value": value.as_str()}),
        _ => json!({}),
    }
}

impl App {
    /// The same app with a petition key (personal data can be written and read).
    pub fn with_petition_key(mut self, key: Option<PetitionKey>) -> Self {
        self.petition_key = key.map(std::sync::Arc::new);
        self
    }

    /// The same app with another petition policy and working-day calendar.
    pub fn with_petition_policy(mut self, policy: PetitionPolicy, calendar: WorkCalendar) -> Self {
        self.petition_policy = std::sync::Arc::new((policy, calendar));
        self
    }

    pub fn petition_policy(&self) -> &PetitionPolicy {
        &self.petition_policy.0
    }

    pub fn work_calendar(&self) -> &WorkCalendar {
        &self.petition_policy.1
    }

    pub fn has_petition_key(&self) -> bool {
        self.petition_key.is_some()
    }

    fn case_clocks(&self, c: &PetitionCase) -> CaseClocks {
        clocks(
            c,
            self.today(),
            self.petition_policy(),
            self.work_calendar(),
        )
    }

    async fn actor_person(&self, actor: &Actor) -> Result<Option<PersonId>, AppError> {
        Ok(store::person_of_user(&self.db, actor.region, actor.user).await?)
    }

    /// The view of a stored (redacted) case for `actor`, opening its personal data when allowed;
    /// the caller logs the read when `personal == Shown`.
    async fn petition_view(
        &self,
        actor: &Actor,
        me: Option<PersonId>,
        case: PetitionCase,
    ) -> Result<PetitionView, AppError> {
        let is_leader = me.is_some() && case.leader.as_ref().map(|l| l.person) == me;
        let may_read = allowed(
            actor,
            Permission::ReadPetitionPersonal {
                unit: case.handling_unit,
                case_leader: is_leader,
            },
        );
        let can_handle = allowed(
            actor,
            Permission::HandlePetition {
                unit: case.handling_unit,
                case_leader: is_leader,
            },
        );
        let clocks = self.case_clocks(&case);
        let (case, personal) = match (may_read, &self.petition_key) {
            (false, _) => (case, PersonalStatus::NotAllowed),
            (true, None) => (case, PersonalStatus::NoKey),
            (true, Some(key)) => match store::sealed(&self.db, actor.region, case.id).await? {
                Some(sealed) => {
                    let personal = key.open(case.id, &sealed)?;
                    (
                        PetitionCase {
                            personal: Some(personal),
                            ..case
                        },
                        PersonalStatus::Shown,
                    )
                }
                None => (case, PersonalStatus::NotAllowed),
            },
        };
        Ok(PetitionView {
            case,
            clocks,
            personal,
            can_handle,
            is_leader,
        })
    }

    /// Log the reads of the views that show personal data.
    async fn log_personal_reads(
        &self,
        actor: &Actor,
        views: &[PetitionView],
        route: &str,
    ) -> Result<(), AppError> {
        let shown: Vec<PetitionId> = views
            .iter()
            .filter(|v| v.personal == PersonalStatus::Shown)
            .map(|v| v.case.id)
            .collect();
        Ok(log::log_reads(&self.db, &self.ctx(actor), &shown, route).await?)
    }

    /// Register a case (the petition office). Needs the petition key.
    pub async fn register_petition(
        &self,
        actor: &Actor,
        fields: PetitionFields,
    ) -> Result<PetitionView, AppError> {
        require(actor, Permission::ManagePetitions)?;
        let fields = fields.validate()?;
        let key = self.petition_key.as_ref().ok_or_else(key_missing)?;
        let id = PetitionId::from_uuid(Uuid::now_v7());
        let case = PetitionCase::register(id, actor.region, fields);
        let sealed = key.seal(id, case.personal.as_ref().ok_or_else(key_missing)?)?;
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        store::insert(&mut tx, &ctx, &case, sealed).await?;
        log::append_event(
            &mut tx,
            &ctx,
            id,
            "register",
            case.dates.registered_on,
            json!({"channel": case.channel.as_str(), "category": case.category}),
        )
        .await?;
        tx.commit().await?;
        let me = self.actor_person(actor).await?;
        let view = self.petition_view(actor, me, case.redacted()).await?;
        Ok(view)
    }

    /// Apply `action` dated `on` to a case at `expected` version; returns the case as the actor
    /// may see it (its personal data are not shown, so nothing is logged).
    pub async fn petition_action(
        &self,
        actor: &Actor,
        id: PetitionId,
        action: PetitionAction,
        on: Date,
        expected: i64,
    ) -> Result<PetitionView, AppError> {
        let before = store::get(&self.db, actor.region, id).await?;
        let me = self.actor_person(actor).await?;
        let is_leader = me.is_some() && before.leader.as_ref().map(|l| l.person) == me;
        let perm = action_permission(&action, before.handling_unit, is_leader);
        if !allowed(actor, perm) && !allowed(actor, Permission::ManagePetitions) {
            return Err(AppError::Forbidden);
        }
        if on > self.today() {
            return Err(AppError::invalid(
                "on",
                "out_of_range",
                "an action cannot be dated in the future",
            ));
        }
        match &action {
            PetitionAction::Route { unit } => {
                units::get(&self.db, actor.region, *unit)
                    .await
                    .map_err(|_| AppError::invalid("unit_id", "not_found", "no such unit"))?;
            }
            PetitionAction::AssignLeader { person } => {
                units::get_person(&self.db, actor.region, *person)
                    .await
                    .map_err(|_| AppError::invalid("person_id", "not_found", "no such person"))?;
            }
            PetitionAction::MarkRepeat { of } => {
                store::get(&self.db, actor.region, *of)
                    .await
                    .map_err(|_| AppError::invalid("of", "not_found", "no such case"))?;
            }
            _ => {}
        }
        let after = before.after(&action, on, self.petition_policy(), self.work_calendar())?;
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        let version = store::update(&mut tx, &ctx, &before, &after, expected).await?;
        log::append_event(&mut tx, &ctx, id, action.name(), on, action_detail(&action)).await?;
        tx.commit().await?;
        let after = PetitionCase { version, ..after };
        let mut view = self.petition_view(actor, me, after).await?;
        view.case.personal = None;
        if view.personal == PersonalStatus::Shown {
            view.personal = PersonalStatus::NotAllowed;
        }
        Ok(view)
    }

    /// Confirm (`true`) or reject a proposed repeat: the case repeats `earlier`. Confirming marks
    /// the case (`repeat_of`); either decision is kept, so the proposal is not made again.
    pub async fn decide_petition_repeat(
        &self,
        actor: &Actor,
        id: PetitionId,
        earlier: PetitionId,
        confirmed: bool,
        on: Date,
        expected: i64,
    ) -> Result<PetitionView, AppError> {
        require(actor, Permission::ManagePetitions)?;
        let before = store::get(&self.db, actor.region, id).await?;
        let detail = self.petition(actor, id, "").await?;
        let Some(candidate) = detail.candidates.iter().find(|c| c.case == earlier) else {
            return Err(AppError::invalid(
                "earlier_id",
                "not_proposed",
                "that case is not a proposed repeat of this one",
            ));
        };
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        log::decide_repeat(&mut tx, &ctx, id, earlier, confirmed, candidate.score_pct).await?;
        if confirmed {
            let action = PetitionAction::MarkRepeat { of: earlier };
            let after = before.after(&action, on, self.petition_policy(), self.work_calendar())?;
            store::update(&mut tx, &ctx, &before, &after, expected).await?;
            log::append_event(&mut tx, &ctx, id, action.name(), on, action_detail(&action)).await?;
        } else {
            log::append_event(
                &mut tx,
                &ctx,
                id,
                "reject_repeat",
                on,
                json!({"of": earlier.to_string()}),
            )
            .await?;
        }
        tx.commit().await?;
        let case = store::get(&self.db, actor.region, id).await?;
        let me = self.actor_person(actor).await?;
        let mut view = self.petition_view(actor, me, case).await?;
        view.case.personal = None;
        Ok(view)
    }

    /// Every case's personal data the key opens (for repeat detection; never shown or logged).
    async fn all_personal(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(PetitionId, PersonalData)>, AppError> {
        let Some(key) = &self.petition_key else {
            return Ok(vec![]);
        };
        let sealed = store::sealed_all(&self.db, actor.region).await?;
        sealed
            .into_iter()
            .map(|(id, s)| Ok((id, key.open(id, &s)?)))
            .collect()
    }

    /// One case with its history. When its personal data are shown, one read is logged with
    /// `route` (pass an empty route only for internal reads whose result is not shown).
    pub async fn petition(
        &self,
        actor: &Actor,
        id: PetitionId,
        route: &str,
    ) -> Result<PetitionDetail, AppError> {
        require(actor, Permission::ReadPetitions)?;
        let case = store::get(&self.db, actor.region, id).await?;
        let me = self.actor_person(actor).await?;
        let view = self.petition_view(actor, me, case).await?;
        let events = log::events(&self.db, actor.region, id).await?;
        let decisions = log::repeat_decisions(&self.db, actor.region, id).await?;
        let (mut candidates, mut proposed) = (vec![], None);
        if view.personal == PersonalStatus::Shown {
            let mut others =
                store::list(&self.db, actor.region, &PetitionFilter::default()).await?;
            let personal: std::collections::HashMap<PetitionId, PersonalData> =
                self.all_personal(actor).await?.into_iter().collect();
            for c in &mut others {
                c.personal = personal.get(&c.id).cloned();
            }
            let decided: HashSet<PetitionId> = decisions.iter().map(|d| d.earlier).collect();
            candidates = repeat_candidates(&view.case, &others, self.petition_policy())
                .into_iter()
                .filter(|c| !decided.contains(&c.case))
                .collect();
            if view.case.leader.is_none() {
                proposed = proposed_leader(&view.case, &others);
            }
            if !route.is_empty() {
                self.log_personal_reads(actor, std::slice::from_ref(&view), route)
                    .await?;
            }
        }
        Ok(PetitionDetail {
            view,
            events,
            candidates,
            decisions,
            proposed_leader: proposed,
        })
    }

    /// The region's cases matching `filter`. With `personal_route`, the personal data of the
    /// cases the actor may read are included and each such read is logged with that route;
    /// without it every case comes without them.
    pub async fn list_petitions(
        &self,
        actor: &Actor,
        filter: &PetitionFilter,
        personal_route: Option<&str>,
    ) -> Result<Vec<PetitionView>, AppError> {
        require(actor, Permission::ReadPetitions)?;
        let cases = store::list(&self.db, actor.region, filter).await?;
        let me = self.actor_person(actor).await?;
        let mut views = Vec::with_capacity(cases.len());
        for case in cases {
            let mut v = self.petition_view(actor, me, case).await?;
            if personal_route.is_none() && v.personal == PersonalStatus::Shown {
                v.case.personal = None;
                v.personal = PersonalStatus::NotAllowed;
            }
            views.push(v);
        }
        if let Some(route) = personal_route {
            self.log_personal_reads(actor, &views, route).await?;
        }
        Ok(views)
    }

    /// Like [`App::list_petitions`] with a route, but only the views `keep` accepts are returned
    /// and only their personal-data reads are logged (a page filtering on clocks shows no more
    /// than it logs).
    pub async fn list_petitions_shown(
        &self,
        actor: &Actor,
        filter: &PetitionFilter,
        keep: impl Fn(&PetitionView) -> bool,
        route: &str,
    ) -> Result<Vec<PetitionView>, AppError> {
        require(actor, Permission::ReadPetitions)?;
        let cases = store::list(&self.db, actor.region, filter).await?;
        let me = self.actor_person(actor).await?;
        let mut views = Vec::with_capacity(cases.len());
        for case in cases {
            let v = self.petition_view(actor, me, case).await?;
            if keep(&v) {
                views.push(v);
            }
        }
        self.log_personal_reads(actor, &views, route).await?;
        Ok(views)
    }

    /// The person (of the org chart) the actor's user is linked to, if any.
    pub async fn petition_person(&self, actor: &Actor) -> Result<Option<PersonId>, AppError> {
        self.actor_person(actor).await
    }

    /// The cases the actor leads as case leader (包案), without personal data.
    pub async fn my_petitions(&self, actor: &Actor) -> Result<Vec<PetitionView>, AppError> {
        let Some(me) = self.actor_person(actor).await? else {
            return Ok(vec![]);
        };
        let filter = PetitionFilter {
            leader: Some(me),
            ..PetitionFilter::default()
        };
        self.list_petitions(actor, &filter, None).await
    }

    /// The personal-data read log (the petition office and readers of the audit log).
    pub async fn petition_reads(
        &self,
        actor: &Actor,
        case: Option<PetitionId>,
    ) -> Result<Vec<PersonalRead>, AppError> {
        if !allowed(actor, Permission::ManagePetitions) && !allowed(actor, Permission::ReadAudit) {
            return Err(AppError::Forbidden);
        }
        Ok(log::reads(&self.db, actor.region, case).await?)
    }
}
