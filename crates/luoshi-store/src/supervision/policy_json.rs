//! The stored JSON shape of a supervision policy (the domain types carry no serde).

use crate::StoreError;
use luoshi_domain::lamp::{ExpectedBasis, LampPolicy};
use luoshi_domain::measure::Decimal;
use luoshi_domain::supervision::{
    CardRules, EscalationRule, EscalationTarget, QuietHours, SupervisionPolicy,
};
use serde_json::{Value, json};
use std::str::FromStr;

pub fn policy_to_json(p: &SupervisionPolicy) -> Value {
    json!({
        "reminder_offsets_days": p.reminder_offsets_days,
        "overdue_interval_days": p.overdue_interval_days,
        "reporting_day": p.reporting_day,
        "indicator_report_lag_months": p.indicator_report_lag_months,
        "cards": {
            "yellow_streak": p.cards.yellow_streak,
            "yellow_points": p.cards.yellow_points.normalize().to_string(),
            "red_streak": p.cards.red_streak,
            "red_points": p.cards.red_points.normalize().to_string(),
        },
        "escalations": p.escalations.iter().map(|r| json!({
            "red_streak": r.red_streak, "level": r.level, "target": r.target.as_str(), "summons": r.summons,
        })).collect::<Vec<_>>(),
        "quiet_hours": p.quiet_hours.map(|q| json!({"start_hour": q.start_hour, "end_hour": q.end_hour})),
        "notice_prefix": p.notice_prefix,
        "lamps": {
            "blue_within_days": p.lamps.blue_within_days,
            "yellow_behind_pp": p.lamps.yellow_behind_pp.normalize().to_string(),
            "red_behind_pp": p.lamps.red_behind_pp.normalize().to_string(),
            "growth_yellow_behind_pp": p.lamps.growth_yellow_behind_pp.normalize().to_string(),
            "growth_red_behind_pp": p.lamps.growth_red_behind_pp.normalize().to_string(),
            "expected_basis": p.lamps.expected_basis.as_str(),
            "seasonal_profile": p.lamps.seasonal_profile,
        },
    })
}

/// The lamp thresholds; a version saved before they were part of the policy has none and
/// reads as the defaults.
fn lamps_from_json(v: Option<&Value>) -> Result<LampPolicy, StoreError> {
    let Some(l) = v.filter(|l| !l.is_null()) else {
        return Ok(LampPolicy::default());
    };
    Ok(LampPolicy {
        blue_within_days: int(l, "blue_within_days")?,
        yellow_behind_pp: dec(l, "yellow_behind_pp")?,
        red_behind_pp: dec(l, "red_behind_pp")?,
        growth_yellow_behind_pp: dec(l, "growth_yellow_behind_pp")?,
        growth_red_behind_pp: dec(l, "growth_red_behind_pp")?,
        expected_basis: l
            .get("expected_basis")
            .and_then(Value::as_str)
            .and_then(ExpectedBasis::parse)
            .ok_or_else(|| bad("lamps.expected_basis"))?,
        seasonal_profile: l
            .get("seasonal_profile")
            .and_then(Value::as_bool)
            .ok_or_else(|| bad("lamps.seasonal_profile"))?,
    })
}

fn bad(what: &str) -> StoreError {
    StoreError::Corrupt(format!("supervision policy: bad {what}"))
}

fn int<T: TryFrom<i64>>(v: &Value, key: &str) -> Result<T, StoreError> {
    v.get(key)
        .and_then(Value::as_i64)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| bad(key))
}

fn dec(v: &Value, key: &str) -> Result<Decimal, StoreError> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| Decimal::from_str(s).ok())
        .ok_or_else(|| bad(key))
}

pub fn policy_from_json(v: &Value) -> Result<SupervisionPolicy, StoreError> {
    let offsets = v
        .get("reminder_offsets_days")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("reminder_offsets_days"))?
        .iter()
        .map(|x| x.as_i64().ok_or_else(|| bad("reminder_offsets_days")))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let c = v.get("cards").ok_or_else(|| bad("cards"))?;
    let cards = CardRules {
        yellow_streak: int(c, "yellow_streak")?,
        yellow_points: dec(c, "yellow_points")?,
        red_streak: int(c, "red_streak")?,
        red_points: dec(c, "red_points")?,
    };
    let escalations = v
        .get("escalations")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("escalations"))?
        .iter()
        .map(|r| {
            let target = r
                .get("target")
                .and_then(Value::as_str)
                .and_then(EscalationTarget::parse)
                .ok_or_else(|| bad("escalations.target"))?;
            Ok(EscalationRule {
                red_streak: int(r, "red_streak")?,
                level: int(r, "level")?,
                target,
                summons: r
                    .get("summons")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| bad("escalations.summons"))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let quiet_hours = match v.get("quiet_hours") {
        None | Some(Value::Null) => None,
        Some(q) => Some(QuietHours {
            start_hour: int(q, "start_hour")?,
            end_hour: int(q, "end_hour")?,
        }),
    };
    Ok(SupervisionPolicy {
        reminder_offsets_days: offsets,
        overdue_interval_days: int(v, "overdue_interval_days")?,
        reporting_day: int(v, "reporting_day")?,
        indicator_report_lag_months: int(v, "indicator_report_lag_months")?,
        cards,
        escalations,
        quiet_hours,
        notice_prefix: v
            .get("notice_prefix")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("notice_prefix"))?
            .to_owned(),
        lamps: lamps_from_json(v.get("lamps"))?,
    })
}
