//! The supervision policy editor (`/supervision/policy`): every field of the region's
//! `SupervisionPolicy` in one form, saved as a new version against the version shown (a stale
//! form is a 409), with errors naming the field (400) and the history of versions. Administrators
//! edit; the supervision office reads. The lamp thresholds (`lamps.*`) are part of the region's
//! policy: every page, bulletin and sweep of the region applies the saved ones.

use super::fmt::num;
use super::i18n::Tr;
use super::pages::unit_names;
use super::task_page::local_time;
use super::views::Chrome;
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, may_edit_policy};
use luoshi_domain::ValidationError;
use luoshi_domain::lamp::{ExpectedBasis, LampPolicy};
use luoshi_domain::measure::parse_decimal;
use luoshi_domain::supervision::{
    CardRules, EscalationRule, EscalationTarget, QuietHours, SupervisionPolicy,
};
use std::collections::HashMap;
use std::str::FromStr;

/// Blank escalation rows offered after the saved ones.
const SPARE_RULES: usize = 1;

/// One scalar input.
pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
}

pub struct RuleView {
    pub i: usize,
    pub red_streak: String,
    pub level: String,
    pub principal: bool,
    pub summons: bool,
}

pub struct HistoryRow {
    pub version: i64,
    pub at: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "policy.html")]
pub struct PolicyPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub editable: bool,
    pub version: i64,
    pub fields: Vec<FieldView>,
    pub rules: Vec<RuleView>,
    pub quiet: bool,
    pub quiet_start: String,
    pub quiet_end: String,
    /// The lamp thresholds' numeric inputs.
    pub lamp_fields: Vec<FieldView>,
    /// Expected progress by elapsed days (else by elapsed months).
    pub day_share: bool,
    pub seasonal: bool,
    pub history: Vec<HistoryRow>,
    pub error: Option<String>,
}

/// The form's values as text, keyed by field name.
fn values_of(p: &SupervisionPolicy) -> HashMap<String, String> {
    let mut m = HashMap::new();
    let offsets: Vec<String> = p.reminder_offsets_days.iter().map(i64::to_string).collect();
    m.insert("reminder_offsets_days".into(), offsets.join(","));
    m.insert(
        "overdue_interval_days".into(),
        p.overdue_interval_days.to_string(),
    );
    m.insert("reporting_day".into(), p.reporting_day.to_string());
    m.insert(
        "indicator_report_lag_months".into(),
        p.indicator_report_lag_months.to_string(),
    );
    m.insert(
        "cards.yellow_streak".into(),
        p.cards.yellow_streak.to_string(),
    );
    m.insert("cards.yellow_points".into(), num(p.cards.yellow_points, 2));
    m.insert("cards.red_streak".into(), p.cards.red_streak.to_string());
    m.insert("cards.red_points".into(), num(p.cards.red_points, 2));
    m.insert("notice_prefix".into(), p.notice_prefix.clone());
    for (i, r) in p.escalations.iter().enumerate() {
        m.insert(
            format!("escalations[{i}].red_streak"),
            r.red_streak.to_string(),
        );
        m.insert(format!("escalations[{i}].level"), r.level.to_string());
        m.insert(format!("escalations[{i}].target"), r.target.as_str().into());
        if r.summons {
            m.insert(format!("escalations[{i}].summons"), "1".into());
        }
    }
    if let Some(q) = p.quiet_hours {
        m.insert("quiet_hours.enabled".into(), "1".into());
        m.insert("quiet_hours.start_hour".into(), q.start_hour.to_string());
        m.insert("quiet_hours.end_hour".into(), q.end_hour.to_string());
    }
    let l = &p.lamps;
    m.insert(
        "lamps.blue_within_days".into(),
        l.blue_within_days.to_string(),
    );
    for (k, v) in [
        ("lamps.yellow_behind_pp", l.yellow_behind_pp),
        ("lamps.red_behind_pp", l.red_behind_pp),
        ("lamps.growth_yellow_behind_pp", l.growth_yellow_behind_pp),
        ("lamps.growth_red_behind_pp", l.growth_red_behind_pp),
    ] {
        m.insert(k.into(), num(v, 2));
    }
    m.insert(
        "lamps.expected_basis".into(),
        l.expected_basis.as_str().into(),
    );
    if l.seasonal_profile {
        m.insert("lamps.seasonal_profile".into(), "1".into());
    }
    m
}

const LAMP_SCALARS: [(&str, &str); 5] = [
    ("lamps.blue_within_days", "pol.lamp_blue_days"),
    ("lamps.yellow_behind_pp", "pol.lamp_yellow"),
    ("lamps.red_behind_pp", "pol.lamp_red"),
    ("lamps.growth_yellow_behind_pp", "pol.lamp_growth_yellow"),
    ("lamps.growth_red_behind_pp", "pol.lamp_growth_red"),
];

const SCALARS: [(&str, &str); 9] = [
    ("reminder_offsets_days", "pol.reminder_offsets_days"),
    ("overdue_interval_days", "pol.overdue_interval_days"),
    ("reporting_day", "pol.reporting_day"),
    (
        "indicator_report_lag_months",
        "pol.indicator_report_lag_months",
    ),
    ("cards.yellow_streak", "pol.yellow_streak"),
    ("cards.yellow_points", "pol.yellow_points"),
    ("cards.red_streak", "pol.red_streak"),
    ("cards.red_points", "pol.red_points"),
    ("notice_prefix", "pol.notice_prefix"),
];

fn bad(field: &str) -> ValidationError {
    ValidationError::new(field, "invalid", "not a whole number in range")
}

fn int<T: FromStr>(m: &HashMap<String, String>, field: &str) -> Result<T, ValidationError> {
    m.get(field)
        .map(|s| s.trim())
        .unwrap_or_default()
        .parse::<T>()
        .map_err(|_| bad(field))
}

/// Read the posted form into a policy; the error names the field (`escalations[1].level`).
fn parse_form(m: &HashMap<String, String>) -> Result<SupervisionPolicy, ValidationError> {
    let text = |k: &str| m.get(k).map(|s| s.trim()).unwrap_or_default();
    let mut offsets = Vec::new();
    for (i, part) in text("reminder_offsets_days")
        .split([',', '，', ' '])
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        offsets.push(
            part.parse::<i64>()
                .map_err(|_| bad(&format!("reminder_offsets_days[{i}]")))?,
        );
    }
    let cards = CardRules {
        yellow_streak: int(m, "cards.yellow_streak")?,
        yellow_points: parse_decimal("cards.yellow_points", text("cards.yellow_points"))?,
        red_streak: int(m, "cards.red_streak")?,
        red_points: parse_decimal("cards.red_points", text("cards.red_points"))?,
    };
    let mut escalations = Vec::new();
    for i in 0.. {
        let at = format!("escalations[{i}]");
        let streak_key = format!("{at}.red_streak");
        if !m.contains_key(&streak_key) {
            break;
        }
        if text(&streak_key).is_empty() && text(&format!("{at}.level")).is_empty() {
            continue; // a blank row adds no rule
        }
        let target = match text(&format!("{at}.target")) {
            "" => EscalationTarget::LeadOfficial,
            t => EscalationTarget::parse(t).ok_or_else(|| bad(&format!("{at}.target")))?,
        };
        escalations.push(EscalationRule {
            red_streak: int(m, &streak_key)?,
            level: int(m, &format!("{at}.level"))?,
            target,
            summons: m.contains_key(&format!("{at}.summons")),
        });
    }
    let quiet_hours = if m.contains_key("quiet_hours.enabled") {
        Some(QuietHours {
            start_hour: int(m, "quiet_hours.start_hour")?,
            end_hour: int(m, "quiet_hours.end_hour")?,
        })
    } else {
        None
    };
    let lamps = LampPolicy {
        blue_within_days: int(m, "lamps.blue_within_days")?,
        yellow_behind_pp: parse_decimal("lamps.yellow_behind_pp", text("lamps.yellow_behind_pp"))?,
        red_behind_pp: parse_decimal("lamps.red_behind_pp", text("lamps.red_behind_pp"))?,
        growth_yellow_behind_pp: parse_decimal(
            "lamps.growth_yellow_behind_pp",
            text("lamps.growth_yellow_behind_pp"),
        )?,
        growth_red_behind_pp: parse_decimal(
            "lamps.growth_red_behind_pp",
            text("lamps.growth_red_behind_pp"),
        )?,
        expected_basis: match text("lamps.expected_basis") {
            "" => ExpectedBasis::MonthShare,
            b => ExpectedBasis::parse(b).ok_or_else(|| bad("lamps.expected_basis"))?,
        },
        seasonal_profile: m.contains_key("lamps.seasonal_profile"),
    };
    Ok(SupervisionPolicy {
        reminder_offsets_days: offsets,
        overdue_interval_days: int(m, "overdue_interval_days")?,
        reporting_day: int(m, "reporting_day")?,
        indicator_report_lag_months: int(m, "indicator_report_lag_months")?,
        cards,
        escalations,
        quiet_hours,
        notice_prefix: text("notice_prefix").to_owned(),
        lamps,
    })
}

async fn page(
    s: &AppState,
    session: &Session,
    values: Option<HashMap<String, String>>,
    version: Option<i64>,
    error: Option<String>,
) -> Result<PolicyPage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let state = s
        .app
        .policy_state(&actor)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let names: HashMap<String, String> = s
        .app
        .assessment_publishers(&actor)
        .await
        .map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        .unwrap_or_default();
    let units = unit_names(&s.app, &actor, tr).await?;
    let m = values.unwrap_or_else(|| values_of(&state.policy));
    let get = |k: &str| m.get(k).cloned().unwrap_or_default();
    let saved_rules = (0..)
        .take_while(|i| m.contains_key(&format!("escalations[{i}].red_streak")))
        .count();
    let rules = (0..saved_rules + SPARE_RULES)
        .map(|i| RuleView {
            i,
            red_streak: get(&format!("escalations[{i}].red_streak")),
            level: get(&format!("escalations[{i}].level")),
            principal: get(&format!("escalations[{i}].target"))
                == EscalationTarget::PrincipalLeader.as_str(),
            summons: m.contains_key(&format!("escalations[{i}].summons")),
        })
        .collect();
    let inputs = |list: &[(&'static str, &'static str)]| -> Vec<FieldView> {
        list.iter()
            .map(|&(name, label)| FieldView {
                name,
                label: tr.t(label),
                value: get(name),
            })
            .collect()
    };
    Ok(PolicyPage {
        tr,
        chrome: Chrome::new(session, &units, "supervision"),
        editable: may_edit_policy(&actor),
        version: version.unwrap_or(state.version),
        fields: inputs(&SCALARS),
        rules,
        quiet: m.contains_key("quiet_hours.enabled"),
        quiet_start: get("quiet_hours.start_hour"),
        quiet_end: get("quiet_hours.end_hour"),
        lamp_fields: inputs(&LAMP_SCALARS),
        day_share: get("lamps.expected_basis") == ExpectedBasis::DayShare.as_str(),
        seasonal: m.contains_key("lamps.seasonal_profile"),
        history: state
            .history
            .iter()
            .map(|h| HistoryRow {
                version: h.version,
                at: local_time(h.created_at),
                by: h
                    .created_by
                    .and_then(|u| names.get(&u.to_string()).cloned())
                    .unwrap_or_default(),
            })
            .collect(),
        error,
    })
}

/// `GET /supervision/policy`.
pub async fn show(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let p = page(&s, &session, None, None, None).await?;
    Ok(render(&p)?.into_response())
}

/// `POST /supervision/policy`: save a new version (administrators).
pub async fn save(
    State(s): State<AppState>,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let mut m: HashMap<String, String> = HashMap::new();
    for (k, v) in pairs {
        m.insert(k, v);
    }
    session.check_csrf(m.get("_csrf").map(String::as_str).unwrap_or_default())?;
    let actor = session.user.actor();
    if !may_edit_policy(&actor) {
        return Err(PageError::App(tr, AppError::Forbidden));
    }
    let expected = m
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(-1);
    let result = match parse_form(&m) {
        Ok(policy) => {
            s.app
                .edit_supervision_policy(&actor, &policy, expected)
                .await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/supervision/policy").into_response()),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let status = api.status;
            // A stale form shows the current version (so a reload can be saved); a bad value
            // keeps what was typed.
            let stale = status == StatusCode::CONFLICT;
            let values = (!stale).then_some(m);
            let version = (!stale).then_some(expected);
            let p = page(&s, &session, values, version, Some(api.with_field())).await?;
            Ok((status, render(&p)?).into_response())
        }
    }
}
