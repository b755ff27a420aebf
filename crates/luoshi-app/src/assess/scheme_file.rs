//! Scheme files: a readable TOML form of an assessment [`Scheme`], parsed and printed here (the
//! domain has no serde and no file formats).
//!
//! ```toml
//! id = "2026-townships"
//! version = 1
//! name = "2026年度乡镇绩效考核"
//! category = "townships"
//! full_points = 1000
//!
//! [[items]]
//! key = "key-work"
//! title = "重点工作"
//! points = 600
//! kind = "block"
//!
//! [[items.children]]
//! key = "key-work.tasks"
//! title = "重点任务"
//! points = 300
//! kind = "task_completion"
//! on_time_pct = 100
//! late = { pct_per_day = 1, floor_pct = 50 }
//! ```
//!
//! Decimals are written as integers when whole and as strings otherwise (`"12.5"`): TOML floats
//! are binary and never used. Item kinds and their fields:
//! `indicator_attainment` (`indicators`, `cap_pct`), `task_completion` (`on_time_pct`, `late` =
//! `{ share_pct }` or `{ pct_per_day, floor_pct }`), `rate_times_points` (`metric`),
//! `rank_based` (`metric`, `method` = `"proportional"` or `"fixed_steps"` with `step`),
//! `deduction_per_event` (`event_kind`, `per_event`, `floor`), `bonus` (`cap`), `veto`
//! (`grade_cap`), `manual`, `block` (`children`, optional `weight`). `[grading]` with
//! `[[grading.bands]]` (`name`, `min_pct`, optional `quota` count or `quota_pct`), `[tie_break]`
//! (`items`), `[awards]` and `[policy]` fall back to their defaults when left out.
//!
//! Every error names its place the way [`Scheme::validate`] does (`items[key-work.tasks].late`,
//! `grading.bands[0].quota`); parsing reports all errors it finds, then the scheme's own
//! validation runs.

use luoshi_domain::ValidationError;
use luoshi_domain::assess::{Item, ItemKind, LateRule, Quota, RankMethod, Scheme};
use luoshi_domain::measure::Decimal;
use std::str::FromStr;
use toml::{Table, Value};

mod read;
use read::Reader;

/// Parse and validate a scheme file. Returns every error found.
pub fn parse_scheme(text: &str) -> Result<Scheme, Vec<ValidationError>> {
    let table = Table::from_str(text).map_err(|e| {
        vec![ValidationError::new(
            "scheme",
            "syntax",
            format!("not valid TOML: {}", e.message()),
        )]
    })?;
    let mut r = Reader::default();
    let scheme = r.scheme(&table);
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    scheme.validate()?;
    Ok(scheme)
}

/// Print a scheme as a file that [`parse_scheme`] reads back to the same scheme.
pub fn print_scheme(scheme: &Scheme) -> String {
    let mut t = Table::new();
    t.insert("id".into(), scheme.id.clone().into());
    t.insert("version".into(), i64::from(scheme.version).into());
    t.insert("name".into(), scheme.name.clone().into());
    t.insert("category".into(), scheme.category.clone().into());
    t.insert("full_points".into(), dec(scheme.full_points));
    let mut grading = Table::new();
    let bands = scheme.grading.bands.iter().map(|b| {
        let mut bt = Table::new();
        bt.insert("name".into(), b.name.clone().into());
        bt.insert("min_pct".into(), dec(b.min_pct));
        match &b.quota {
            None => {}
            Some(Quota::Count(n)) => {
                bt.insert("quota".into(), i64::from(*n).into());
            }
            Some(Quota::PercentOfUnits(p)) => {
                bt.insert("quota_pct".into(), dec(*p));
            }
        }
        Value::Table(bt)
    });
    grading.insert("bands".into(), Value::Array(bands.collect()));
    t.insert("grading".into(), Value::Table(grading));
    let mut tie = Table::new();
    tie.insert("items".into(), strings(&scheme.tie_break.items));
    t.insert("tie_break".into(), Value::Table(tie));
    let a = &scheme.awards;
    let mut awards = Table::new();
    awards.insert("name".into(), a.name.clone().into());
    if let Some(g) = &a.min_grade {
        awards.insert("min_grade".into(), g.clone().into());
    }
    if let Some(n) = a.top_n {
        awards.insert("top_n".into(), i64::from(n).into());
    }
    awards.insert("exclude_vetoed".into(), a.exclude_vetoed.into());
    t.insert("awards".into(), Value::Table(awards));
    let mut policy = Table::new();
    policy.insert("nothing_due_pct".into(), dec(scheme.policy.nothing_due_pct));
    policy.insert("total_dp".into(), i64::from(scheme.policy.total_dp).into());
    t.insert("policy".into(), Value::Table(policy));
    t.insert("items".into(), items_value(&scheme.items));
    t.to_string()
}

fn items_value(items: &[Item]) -> Value {
    Value::Array(items.iter().map(|i| Value::Table(item_table(i))).collect())
}

fn item_table(item: &Item) -> Table {
    let mut t = Table::new();
    t.insert("key".into(), item.key.clone().into());
    t.insert("title".into(), item.title.clone().into());
    t.insert("points".into(), dec(item.points));
    let mut put = |k: &str, v: Value| {
        t.insert(k.into(), v);
    };
    match &item.kind {
        ItemKind::IndicatorAttainment {
            indicators,
            cap_pct,
        } => {
            put("kind", "indicator_attainment".into());
            put("indicators", strings(indicators));
            put("cap_pct", dec(*cap_pct));
        }
        ItemKind::TaskCompletion { on_time_pct, late } => {
            put("kind", "task_completion".into());
            put("on_time_pct", dec(*on_time_pct));
            let mut lt = Table::new();
            match late {
                LateRule::Share { pct } => {
                    lt.insert("share_pct".into(), dec(*pct));
                }
                LateRule::PerDay {
                    pct_per_day,
                    floor_pct,
                } => {
                    lt.insert("pct_per_day".into(), dec(*pct_per_day));
                    lt.insert("floor_pct".into(), dec(*floor_pct));
                }
            }
            put("late", Value::Table(lt));
        }
        ItemKind::RateTimesPoints { metric } => {
            put("kind", "rate_times_points".into());
            put("metric", metric.as_str().into());
        }
        ItemKind::RankBased { metric, method } => {
            put("kind", "rank_based".into());
            put("metric", metric.as_str().into());
            match method {
                RankMethod::Proportional => put("method", "proportional".into()),
                RankMethod::FixedSteps { step } => {
                    put("method", "fixed_steps".into());
                    put("step", dec(*step));
                }
            }
        }
        ItemKind::DeductionPerEvent {
            event_kind,
            per_event,
            floor,
        } => {
            put("kind", "deduction_per_event".into());
            put("event_kind", event_kind.as_str().into());
            put("per_event", dec(*per_event));
            put("floor", dec(*floor));
        }
        ItemKind::Bonus { cap } => {
            put("kind", "bonus".into());
            put("cap", dec(*cap));
        }
        ItemKind::Veto { grade_cap } => {
            put("kind", "veto".into());
            put("grade_cap", grade_cap.as_str().into());
        }
        ItemKind::Manual => put("kind", "manual".into()),
        ItemKind::Block { children, weight } => {
            put("kind", "block".into());
            if let Some(w) = weight {
                put("weight", dec(*w));
            }
            put("children", items_value(children));
        }
    }
    t
}

/// A whole decimal as a TOML integer, anything else as its canonical text.
fn dec(d: Decimal) -> Value {
    let n = d.normalize();
    if n.scale() == 0
        && let Ok(i) = i64::try_from(n)
    {
        return Value::Integer(i);
    }
    Value::String(n.to_string())
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| Value::String(s.clone())).collect())
}

#[cfg(test)]
mod tests;
