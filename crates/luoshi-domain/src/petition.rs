//! Petition cases (信访事项) under the 2022 petition regulations: registration, routing, acceptance,
//! handling, reply, review and re-review, each node dated; the statutory clocks computed from those
//! dates; case leaders (包案); repeat detection; and the metrics that feed the assessment.
//!
//! Petitioners' personal data live in [`PersonalData`], apart from the rest of the case, so the
//! store can encrypt them and pages can leave them out: a case read without the right to see them
//! carries `personal: None`.

use crate::error::{ValidationError, optional_text, required_text};
use crate::ids::{PersonId, PetitionId, RegionId, UnitId};
use crate::measure::Decimal;
use time::Date;

mod clocks;
mod lifecycle;
mod metrics;
mod repeat;
mod workdays;

pub use clocks::{CaseClocks, Clock, ClockKind, ClockStatus, Party, clocks};
pub use lifecycle::{PetitionAction, PetitionError, PetitionStatus, ReviewOutcome};
pub use metrics::{PetitionMetrics, Rate, RepeatCount, metrics};
pub use repeat::{
    MatchedBy, PetitionerKey, RepeatCandidate, matter_similarity_pct, normalize_id_number,
    normalize_phone, proposed_leader, repeat_candidates,
};
pub use workdays::{WorkCalendar, add_months};

/// How the petition reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// 网上信访 (the online platform)
    Online,
    /// 来信
    Letter,
    /// 来访 / 走访
    Visit,
    /// 电话
    Phone,
    /// 传真
    Fax,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Self::Online,
        Self::Letter,
        Self::Visit,
        Self::Phone,
        Self::Fax,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Letter => "letter",
            Self::Visit => "visit",
            Self::Phone => "phone",
            Self::Fax => "fax",
        }
    }

    /// Accepts the English names and the Chinese terms (simplified or traditional).
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        match s.trim() {
            "online" | "网上" | "網上" | "网上信访" | "網上信訪" => Ok(Self::Online),
            "letter" | "来信" | "來信" => Ok(Self::Letter),
            "visit" | "来访" | "來訪" | "走访" | "走訪" => Ok(Self::Visit),
            "phone" | "电话" | "電話" => Ok(Self::Phone),
            "fax" | "传真" | "傳真" => Ok(Self::Fax),
            _ => Err(ValidationError::new(
                field,
                "invalid_choice",
                format!("{field} must be one of: online, letter, visit, phone, fax"),
            )),
        }
    }
}

/// One petitioner. Every field here is personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Petitioner {
    pub name: String,
    /// Resident identity card number; stored normalised (18 characters, upper-case X).
    pub id_number: Option<String>,
    /// Stored as digits only.
    pub phone: Option<String>,
    pub address: String,
}

/// The petitioners of a case: the part of a case the store encrypts and pages may omit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalData {
    pub petitioners: Vec<Petitioner>,
}

impl PersonalData {
    /// At least one petitioner; names required; identity numbers must be valid 15- or 18-digit
    /// numbers (a 15-digit one is converted to 18); phones 7–15 digits. Errors name the field,
    /// e.g. `petitioners[1].id_number`.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if self.petitioners.is_empty() {
            return Err(ValidationError::required("petitioners"));
        }
        if self.petitioners.len() > 200 {
            return Err(ValidationError::new(
                "petitioners",
                "too_many",
                "at most 200 petitioners are listed by name",
            ));
        }
        for (i, p) in self.petitioners.iter_mut().enumerate() {
            let at = format!("petitioners[{i}]");
            p.name = required_text("name", &p.name, 50).map_err(|e| e.within(&at))?;
            p.address = optional_text("address", &p.address, 300).map_err(|e| e.within(&at))?;
            if let Some(id) = p.id_number.as_deref().filter(|s| !s.trim().is_empty()) {
                let n = normalize_id_number(id).ok_or_else(|| {
                    ValidationError::new(
                        format!("{at}.id_number"),
                        "invalid_id_number",
                        "not a valid resident identity card number",
                    )
                })?;
                p.id_number = Some(n);
            } else {
                p.id_number = None;
            }
            if let Some(phone) = p.phone.as_deref().filter(|s| !s.trim().is_empty()) {
                let n = normalize_phone(phone).ok_or_else(|| {
                    ValidationError::new(
                        format!("{at}.phone"),
                        "invalid_phone",
                        "a phone number has 7 to 15 digits",
                    )
                })?;
                p.phone = Some(n);
            } else {
                p.phone = None;
            }
        }
        Ok(self)
    }
}

/// What is entered when a case is registered.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionFields {
    pub channel: Channel,
    pub personal: PersonalData,
    /// How many people the petition is made by (a collective petition lists only its
    /// representatives by name); at least the number listed.
    pub petitioner_count: u32,
    pub matter: String,
    /// The kind of matter (land, wages, environment …), a free label chosen by the office.
    pub category: String,
    pub registered_on: Date,
}

impl PetitionFields {
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.personal = self.personal.validate()?;
        let listed = u32::try_from(self.personal.petitioners.len()).unwrap_or(u32::MAX);
        if self.petitioner_count < listed {
            return Err(ValidationError::new(
                "petitioner_count",
                "out_of_range",
                "the number of petitioners is at least the number listed",
            ));
        }
        self.matter = required_text("matter", &self.matter, 10_000)?;
        self.category = required_text("category", &self.category, 50)?;
        Ok(self)
    }
}

/// The date of every node of a case. Statutory clocks are computed from these, never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDates {
    pub registered_on: Date,
    /// First routed or assigned (转送 / 交办) to a handling organ.
    pub routed_on: Option<Date>,
    /// When the current handling organ received the case (the latest routing).
    pub received_on: Option<Date>,
    /// Acceptance notice (受理告知).
    pub accepted_on: Option<Date>,
    /// Decline notice (不予受理告知).
    pub declined_on: Option<Date>,
    /// Objection: the organ holds the case is not its own (the latest one).
    pub objected_on: Option<Date>,
    /// Reply (处理意见书), which concludes handling.
    pub replied_on: Option<Date>,
    pub review_requested_on: Option<Date>,
    pub review_decided_on: Option<Date>,
    pub rereview_requested_on: Option<Date>,
    pub rereview_decided_on: Option<Date>,
    pub closed_on: Option<Date>,
}

impl NodeDates {
    pub fn new(registered_on: Date) -> Self {
        Self {
            registered_on,
            routed_on: None,
            received_on: None,
            accepted_on: None,
            declined_on: None,
            objected_on: None,
            replied_on: None,
            review_requested_on: None,
            review_decided_on: None,
            rereview_requested_on: None,
            rereview_decided_on: None,
            closed_on: None,
        }
    }

    /// The latest recorded node date; a new node cannot be dated before it.
    pub fn latest(&self) -> Date {
        [
            self.routed_on,
            self.received_on,
            self.accepted_on,
            self.declined_on,
            self.objected_on,
            self.replied_on,
            self.review_requested_on,
            self.review_decided_on,
            self.rereview_requested_on,
            self.rereview_decided_on,
            self.closed_on,
        ]
        .into_iter()
        .flatten()
        .fold(self.registered_on, Date::max)
    }
}

/// An approved extension of the handling period, with the notice to the petitioner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub approved_on: Date,
    pub notice_on: Date,
    pub days: i64,
    pub reason: String,
}

/// The leader who has taken personal charge of the case (包案领导), with the leader's own clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLeader {
    pub person: PersonId,
    pub assigned_on: Date,
    /// The extended due date, after the one extension allowed.
    pub extended_to: Option<Date>,
    /// When the leader resolved (化解) the case.
    pub resolved_on: Option<Date>,
}

/// The petitioner's rating of the handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Satisfaction {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

impl Satisfaction {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::BasicallySatisfied => "basically_satisfied",
            Self::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        match s.trim() {
            "satisfied" | "满意" | "滿意" => Ok(Self::Satisfied),
            "basically_satisfied" | "基本满意" | "基本滿意" => Ok(Self::BasicallySatisfied),
            "dissatisfied" | "不满意" | "不滿意" => Ok(Self::Dissatisfied),
            _ => Err(ValidationError::new(
                field,
                "invalid_choice",
                format!("{field} must be one of: satisfied, basically_satisfied, dissatisfied"),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating {
    pub value: Satisfaction,
    pub rated_on: Date,
}

/// A petition case as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionCase {
    pub id: PetitionId,
    pub region: RegionId,
    pub channel: Channel,
    /// `None` when withheld from the reader (see [`PetitionCase::redacted`]).
    pub personal: Option<PersonalData>,
    pub petitioner_count: u32,
    pub matter: String,
    pub category: String,
    pub status: PetitionStatus,
    pub dates: NodeDates,
    /// The organ (unit) currently handling the case.
    pub handling_unit: Option<UnitId>,
    pub extension: Option<Extension>,
    pub leader: Option<CaseLeader>,
    pub review_outcome: Option<ReviewOutcome>,
    pub rereview_outcome: Option<ReviewOutcome>,
    /// An earlier case a handler confirmed this one repeats (重复信访).
    pub repeat_of: Option<PetitionId>,
    pub rating: Option<Rating>,
    pub version: i64,
}

impl PetitionCase {
    /// A newly registered case from validated fields.
    pub fn register(id: PetitionId, region: RegionId, fields: PetitionFields) -> Self {
        Self {
            id,
            region,
            channel: fields.channel,
            personal: Some(fields.personal),
            petitioner_count: fields.petitioner_count,
            matter: fields.matter,
            category: fields.category,
            status: PetitionStatus::Registered,
            dates: NodeDates::new(fields.registered_on),
            handling_unit: None,
            extension: None,
            leader: None,
            review_outcome: None,
            rereview_outcome: None,
            repeat_of: None,
            rating: None,
            version: 1,
        }
    }

    /// The case without its personal data, for readers without the right to see them.
    pub fn redacted(&self) -> Self {
        Self {
            personal: None,
            ..self.clone()
        }
    }
}

/// Statutory periods and our own thresholds for petitions. Periods marked *law* follow the 2022
/// regulations and should only change with them; the rest is policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionPolicy {
    /// *law*: route or assign a registered case within this many days.
    pub route_within_days: i64,
    /// *law*: tell the petitioner whether the case is accepted within this many days of receipt.
    pub accept_within_days: i64,
    /// *law*: object that a case is not ours within this many working days of receipt.
    pub object_within_working_days: u32,
    /// *law*: conclude (reply) within this many days of acceptance.
    pub conclude_within_days: i64,
    /// *law*: an approved extension adds at most this many days.
    pub extension_max_days: i64,
    /// *law*: a review may be requested within this many days of the reply …
    pub review_request_within_days: i64,
    /// … and is decided within this many days of the request.
    pub review_decide_within_days: i64,
    /// *law*: the same two periods for the re-review.
    pub rereview_request_within_days: i64,
    pub rereview_decide_within_days: i64,
    /// A case leader resolves the case within this many months of taking it …
    pub leader_months: u32,
    /// … with one extension of at most this many months.
    pub leader_extension_max_months: u32,
    /// When a calendar-day period ends on a rest day, move its end to the next working day.
    /// The domain notes count plain calendar days, so this is off by default.
    pub roll_due_past_rest_days: bool,
    /// Reminders go out this many days before a running clock's due date (and on it, with 0).
    pub reminder_days_before: Vec<i64>,
    /// The case lamp is blue while an organ's clock is due within this many days.
    pub blue_within_days: i64,
    /// An earlier case of the same petitioner is proposed as repeated when the matters'
    /// similarity (character-bigram Dice coefficient, in %) is at least this.
    pub repeat_similarity_min_pct: Decimal,
    /// Whether "basically satisfied" counts as satisfied in the satisfaction rate.
    pub basically_satisfied_counts: bool,
}

impl Default for PetitionPolicy {
    fn default() -> Self {
        Self {
            route_within_days: 15,
            accept_within_days: 15,
            object_within_working_days: 5,
            conclude_within_days: 60,
            extension_max_days: 30,
            review_request_within_days: 30,
            review_decide_within_days: 30,
            rereview_request_within_days: 30,
            rereview_decide_within_days: 30,
            leader_months: 3,
            leader_extension_max_months: 1,
            roll_due_past_rest_days: false,
            reminder_days_before: vec![3, 1],
            blue_within_days: 3,
            repeat_similarity_min_pct: Decimal::from(30),
            basically_satisfied_counts: true,
        }
    }
}

#[cfg(test)]
mod tests;
