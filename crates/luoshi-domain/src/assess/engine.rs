//! The scoring engine: a pure function from a scheme, units and dated facts to score sheets.

use super::facts::{Facts, MetricValue, UnitFacts};
use super::grade;
use super::result::{Explanation, FactRef, ItemLine, ResultSet, ScoreSheet};
use super::wording::Reason;
use super::{Item, ItemKind, LateRule, MetricKey, RankMethod, Scheme};
use crate::calendar::days_between;
use crate::ids::UnitId;
use crate::measure::Decimal;
use crate::org::Unit;
use rust_decimal::RoundingStrategy;
use std::collections::{HashMap, HashSet};
use time::Date;

/// Score every unit of the scheme's category as of `as_of`. Units of other categories are
/// ignored (as are repeated ids), and so is every fact dated after `as_of`. Call
/// [`Scheme::validate`] first: an invalid scheme is scored without panicking, but meaninglessly.
pub fn score(scheme: &Scheme, units: &[Unit], facts: &Facts, as_of: Date) -> ResultSet {
    let mut seen = HashSet::new();
    let units: Vec<&Unit> = units
        .iter()
        .filter(|u| u.category == scheme.category && seen.insert(u.id))
        .collect();
    let ranked = rank_items(scheme, &units, facts, as_of);
    let sheets = units
        .iter()
        .map(|u| {
            let mut s = SheetBuilder {
                scheme,
                facts: facts.of(u.id),
                ranked: &ranked,
                unit: u.id,
                as_of,
                lines: Vec::new(),
                vetoes: Vec::new(),
            };
            let scored: Vec<(&Item, Decimal)> =
                scheme.items.iter().map(|i| (i, s.item(i, 0))).collect();
            let (exact, combined) = combine(scheme.full_points, &scored);
            let total = exact.round_dp_with_strategy(
                scheme.policy.total_dp,
                RoundingStrategy::MidpointAwayFromZero,
            );
            let mut notes: Vec<Reason> = combined.into_iter().map(|e| e.reason).collect();
            notes.extend(s.vetoes.iter().map(|(key, cap)| {
                Reason::new("note.veto")
                    .with("item", key)
                    .with("grade", cap)
            }));
            let percent = if scheme.full_points.is_zero() {
                Decimal::ZERO
            } else {
                (total * Decimal::ONE_HUNDRED / scheme.full_points)
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            };
            grade::Pending {
                sheet: ScoreSheet {
                    unit: u.id,
                    code: u.code.as_str().to_owned(),
                    name: u.name.clone(),
                    total,
                    percent,
                    rank: 0,
                    band_grade: String::new(),
                    grade: String::new(),
                    vetoed: !s.vetoes.is_empty(),
                    award: false,
                    notes,
                    lines: s.lines,
                },
                veto_caps: s.vetoes.into_iter().map(|(_, cap)| cap).collect(),
            }
        })
        .collect();
    ResultSet {
        scheme_id: scheme.id.clone(),
        scheme_version: scheme.version,
        category: scheme.category.clone(),
        as_of,
        full_points: scheme.full_points,
        award_name: scheme.awards.name.clone(),
        sheets: grade::finish(scheme, sheets),
    }
}

type Scored = (Decimal, Vec<Explanation>);

/// Rank-based items need every unit's figure first: (item key, unit) → points and explanation.
fn rank_items(
    scheme: &Scheme,
    units: &[&Unit],
    facts: &Facts,
    as_of: Date,
) -> HashMap<(String, UnitId), Scored> {
    let mut out = HashMap::new();
    for item in scheme.all_items() {
        let ItemKind::RankBased { metric, method } = &item.kind else {
            continue;
        };
        let values: Vec<(UnitId, Option<(Decimal, Date)>)> = units
            .iter()
            .map(|u| {
                let v = latest_metric(facts.of(u.id), metric, as_of).map(|(v, on)| {
                    let value = v.rank_value().unwrap_or(scheme.policy.nothing_due_pct);
                    (value, on)
                });
                (u.id, v)
            })
            .collect();
        let known: Vec<Decimal> = values.iter().filter_map(|(_, v)| v.map(|x| x.0)).collect();
        let best = known.iter().copied().max();
        for (unit, v) in values {
            let scored = match (v, best) {
                (Some((value, on)), Some(best)) => {
                    let rank = 1 + known.iter().filter(|k| **k > value).count();
                    let points = match method {
                        RankMethod::FixedSteps { step } => (item.points
                            - Decimal::from(rank as u64 - 1) * *step)
                            .max(Decimal::ZERO),
                        RankMethod::Proportional if best > Decimal::ZERO => {
                            item.points * value.max(Decimal::ZERO) / best
                        }
                        RankMethod::Proportional if value == best => item.points,
                        RankMethod::Proportional => Decimal::ZERO,
                    };
                    let text = Reason::new("rank")
                        .with("metric", metric.as_str())
                        .with("value", show(value))
                        .with("on", on)
                        .with("rank", rank)
                        .with("count", known.len())
                        .with("best", show(best));
                    let fact = FactRef::Metric {
                        key: metric.0.clone(),
                        on: Some(on),
                    };
                    (points, vec![explain(fact, Some(points), text)])
                }
                _ => (Decimal::ZERO, vec![missing_metric(metric, as_of)]),
            };
            out.insert((item.key.clone(), unit), scored);
        }
    }
    out
}

struct SheetBuilder<'a> {
    scheme: &'a Scheme,
    facts: &'a UnitFacts,
    ranked: &'a HashMap<(String, UnitId), Scored>,
    unit: UnitId,
    as_of: Date,
    lines: Vec<ItemLine>,
    /// (veto item key, grade cap) of every veto in force.
    vetoes: Vec<(String, String)>,
}

impl SheetBuilder<'_> {
    /// Score `item` (and its children), appending its line before theirs; returns its points.
    fn item(&mut self, item: &Item, depth: u32) -> Decimal {
        let at = self.lines.len();
        let max_points = match &item.kind {
            ItemKind::Bonus { cap } => *cap,
            _ => item.points,
        };
        self.lines.push(ItemLine {
            key: item.key.clone(),
            title: item.title.clone(),
            depth,
            max_points,
            points: Decimal::ZERO,
            explanations: Vec::new(),
        });
        let (points, explanations) = match &item.kind {
            ItemKind::Block { children, .. } => {
                let scored: Vec<(&Item, Decimal)> = children
                    .iter()
                    .map(|c| (c, self.item(c, depth + 1)))
                    .collect();
                combine(item.points, &scored)
            }
            ItemKind::IndicatorAttainment {
                indicators,
                cap_pct,
            } => self.attainment(item.points, indicators, *cap_pct),
            ItemKind::TaskCompletion { on_time_pct, late } => {
                self.tasks(item.points, *on_time_pct, late)
            }
            ItemKind::RateTimesPoints { metric } => self.rate(item.points, metric),
            ItemKind::RankBased { metric, .. } => self
                .ranked
                .get(&(item.key.clone(), self.unit))
                .cloned()
                .unwrap_or_else(|| (Decimal::ZERO, vec![missing_metric(metric, self.as_of)])),
            ItemKind::DeductionPerEvent {
                event_kind,
                per_event,
                floor,
            } => self.deductions(item.points, event_kind, *per_event, *floor),
            ItemKind::Bonus { cap } => self.bonus(&item.key, *cap),
            ItemKind::Veto { grade_cap } => self.veto(&item.key, grade_cap),
            ItemKind::Manual => self.manual(&item.key, item.points),
        };
        if let Some(line) = self.lines.get_mut(at) {
            line.points = points;
            line.explanations = explanations;
        }
        points
    }

    fn attainment(&self, points: Decimal, indicators: &[String], cap: Decimal) -> Scored {
        let n = Decimal::from(indicators.len().max(1) as u64);
        let mut total = Decimal::ZERO;
        let mut out = Vec::new();
        for key in indicators {
            let fact = latest(
                self.facts.indicators.iter().filter(|f| &f.indicator == key),
                |f| f.on,
                self.as_of,
            );
            let Some(f) = fact else {
                let text = Reason::new("indicator.missing")
                    .with("indicator", key)
                    .with("as_of", self.as_of);
                let fact = FactRef::Indicator {
                    key: key.clone(),
                    on: None,
                };
                out.push(explain(fact, Some(Decimal::ZERO), text));
                continue;
            };
            let counted = f.attainment_pct.min(cap).max(Decimal::ZERO);
            let effect = points * counted / Decimal::ONE_HUNDRED / n;
            total += effect;
            let text = if counted == f.attainment_pct {
                Reason::new("indicator")
            } else {
                Reason::new("indicator.capped").with("counted", show(counted))
            };
            let text = text
                .with("indicator", key)
                .with("pct", f.attainment_pct)
                .with("on", f.on);
            let fact = FactRef::Indicator {
                key: key.clone(),
                on: Some(f.on),
            };
            out.push(explain(fact, Some(effect), text));
        }
        (total, out)
    }

    fn tasks(&self, points: Decimal, on_time: Decimal, late: &LateRule) -> Scored {
        let as_of = self.as_of;
        // (task, weight and share when it counts, account), in the order given.
        let mut rows = Vec::new();
        for t in &self.facts.tasks {
            if t.assigned_on > as_of
                || t.cancelled_on.is_some_and(|d| d <= as_of)
                || t.weight <= Decimal::ZERO
            {
                continue;
            }
            let deadline = t.deadline_as_of(as_of);
            let closed = t.closed_on.filter(|d| *d <= as_of);
            let (share, text) = match closed {
                Some(c) if c <= deadline => (
                    Some(on_time),
                    Reason::new("task.on_time")
                        .with("title", &t.title)
                        .with("closed", c)
                        .with("deadline", deadline),
                ),
                Some(c) => {
                    let days = days_between(deadline, c);
                    let share = match late {
                        LateRule::Share { pct } => *pct,
                        LateRule::PerDay {
                            pct_per_day,
                            floor_pct,
                        } => (on_time - *pct_per_day * Decimal::from(days)).max(*floor_pct),
                    };
                    let text = Reason::new("task.late")
                        .with("title", &t.title)
                        .with("closed", c)
                        .with("days", days)
                        .with("deadline", deadline)
                        .with("share", show(share));
                    (Some(share), text)
                }
                None if deadline < as_of => (
                    Some(Decimal::ZERO),
                    Reason::new("task.not_done")
                        .with("title", &t.title)
                        .with("deadline", deadline),
                ),
                None => (
                    None,
                    Reason::new("task.not_due")
                        .with("title", &t.title)
                        .with("deadline", deadline),
                ),
            };
            rows.push((t.task, share.map(|s| (t.weight, s)), text));
        }
        let weights: Decimal = rows.iter().filter_map(|r| r.1.map(|c| c.0)).sum();
        let mut out = Vec::new();
        let mut total = Decimal::ZERO;
        for (task, counted, text) in rows {
            let (effect, text) = match counted {
                Some((weight, share)) if !weights.is_zero() => {
                    let effect = points * weight * share / Decimal::ONE_HUNDRED / weights;
                    total += effect;
                    (
                        Some(effect),
                        text.with("weight", weight).with("weights", weights),
                    )
                }
                _ => (None, text),
            };
            out.push(explain(FactRef::Task(task), effect, text));
        }
        if weights.is_zero() {
            let share = self.scheme.policy.nothing_due_pct;
            let effect = points * share / Decimal::ONE_HUNDRED;
            let text = Reason::new("tasks.nothing_due")
                .with("as_of", as_of)
                .with("share", show(share));
            out.push(explain(FactRef::Rule, Some(effect), text));
            return (effect, out);
        }
        (total, out)
    }

    fn rate(&self, points: Decimal, metric: &MetricKey) -> Scored {
        let Some((value, on)) = latest_metric(self.facts, metric, self.as_of) else {
            return (Decimal::ZERO, vec![missing_metric(metric, self.as_of)]);
        };
        let fact = FactRef::Metric {
            key: metric.0.clone(),
            on: Some(on),
        };
        let (pct, text) = match value {
            MetricValue::Rate { denominator, .. } if denominator.is_zero() => {
                let pct = self.scheme.policy.nothing_due_pct;
                let text = Reason::new("rate.nothing_due")
                    .with("metric", &metric.0)
                    .with("on", on)
                    .with("share", show(pct));
                (pct, text)
            }
            MetricValue::Rate {
                numerator,
                denominator,
            } => {
                let pct = (numerator * Decimal::ONE_HUNDRED / denominator)
                    .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
                let text = Reason::new("rate")
                    .with("metric", &metric.0)
                    .with("numerator", numerator)
                    .with("denominator", denominator)
                    .with("on", on)
                    .with("pct", show(pct));
                (pct, text)
            }
            MetricValue::Amount(a) => {
                let text = Reason::new("rate.not_rate")
                    .with("metric", &metric.0)
                    .with("value", a)
                    .with("on", on);
                (Decimal::ZERO, text)
            }
        };
        let effect = points * pct / Decimal::ONE_HUNDRED;
        (effect, vec![explain(fact, Some(effect), text)])
    }

    fn deductions(&self, points: Decimal, kind: &str, per: Decimal, floor: Decimal) -> Scored {
        let mut events: Vec<_> = self
            .facts
            .events
            .iter()
            .filter(|e| e.kind == kind && e.on <= self.as_of)
            .collect();
        events.sort_by_key(|e| e.on);
        let mut out = Vec::new();
        let mut score = points;
        for e in events {
            let next = (score - per).max(floor);
            let fact = FactRef::Event {
                kind: e.kind.clone(),
                subject: e.subject.clone(),
                on: e.on,
            };
            let text = if next > score - per {
                Reason::new("event.floor").with("floor", show(floor))
            } else {
                Reason::new("event")
            };
            let text = text
                .with("event", &e.kind)
                .with("on", e.on)
                .with("description", &e.description);
            out.push(explain(fact, Some(next - score), text));
            score = next;
        }
        (score, out)
    }

    fn bonus(&self, key: &str, cap: Decimal) -> Scored {
        let mut out = Vec::new();
        let mut sum = Decimal::ZERO;
        for b in self
            .facts
            .bonuses
            .iter()
            .filter(|b| b.item == key && b.on <= self.as_of)
        {
            let room = (cap - sum).max(Decimal::ZERO);
            let effect = b.points.max(Decimal::ZERO).min(room);
            sum += effect;
            let text = if effect == b.points {
                Reason::new("bonus")
            } else {
                Reason::new("bonus.capped")
                    .with("counted", show(effect))
                    .with("cap", show(cap))
            };
            let text = text
                .with("points", b.points)
                .with("on", b.on)
                .with("by", &b.entered_by)
                .with("evidence", &b.evidence);
            out.push(explain(FactRef::Bonus { on: b.on }, Some(effect), text));
        }
        (sum, out)
    }

    fn veto(&mut self, key: &str, grade_cap: &str) -> Scored {
        let out: Vec<Explanation> = self
            .facts
            .vetoes
            .iter()
            .filter(|v| v.item == key && v.on <= self.as_of)
            .map(|v| {
                let text = Reason::new("veto")
                    .with("on", v.on)
                    .with("by", &v.entered_by)
                    .with("evidence", &v.evidence)
                    .with("grade", grade_cap);
                explain(FactRef::Veto { on: v.on }, None, text)
            })
            .collect();
        if !out.is_empty() {
            self.vetoes.push((key.to_owned(), grade_cap.to_owned()));
        }
        (Decimal::ZERO, out)
    }

    fn manual(&self, key: &str, points: Decimal) -> Scored {
        let entry = latest(
            self.facts.manual.iter().filter(|m| m.item == key),
            |m| m.entered_on,
            self.as_of,
        );
        let Some(m) = entry else {
            let text = Reason::new("manual.missing").with("as_of", self.as_of);
            return (Decimal::ZERO, vec![explain(FactRef::Rule, None, text)]);
        };
        let counted = m.points.clamp(Decimal::ZERO, points);
        let text = if counted == m.points {
            Reason::new("manual")
        } else {
            Reason::new("manual.clamped").with("counted", show(counted))
        };
        let text = text
            .with("points", m.points)
            .with("by", &m.entered_by)
            .with("on", m.entered_on)
            .with("note", &m.note);
        let fact = FactRef::Manual {
            on: m.entered_on,
            by: m.entered_by.clone(),
        };
        (counted, vec![explain(fact, Some(counted), text)])
    }
}

/// Combine children's points into their parent's: a plain sum, or, when children carry
/// weights, `points × Σ weight/100 × score/child points` plus the unweighted (0-point) extras.
fn combine(points: Decimal, children: &[(&Item, Decimal)]) -> Scored {
    if !children.iter().any(|(c, _)| c.weight().is_some()) {
        return (children.iter().map(|(_, s)| *s).sum(), Vec::new());
    }
    let mut total = Decimal::ZERO;
    let mut out = Vec::new();
    for (child, s) in children {
        match child.weight() {
            Some(w) if !child.points.is_zero() => {
                let part = points * w / Decimal::ONE_HUNDRED * *s / child.points;
                total += part;
                let text = Reason::new("weighted")
                    .with("item", &child.key)
                    .with("score", show(*s))
                    .with("points", show(child.points))
                    .with("weight", show(w))
                    .with("full", show(points));
                out.push(explain(FactRef::Rule, Some(part), text));
            }
            _ => total += *s,
        }
    }
    (total, out)
}

/// The latest of `facts` dated on or before `as_of`; among equal dates the last given wins.
fn latest<'a, T>(
    facts: impl Iterator<Item = &'a T>,
    date: impl Fn(&T) -> Date,
    as_of: Date,
) -> Option<&'a T> {
    facts
        .filter(|f| date(f) <= as_of)
        .fold(None, |best: Option<&T>, f| match best {
            Some(b) if date(b) > date(f) => Some(b),
            _ => Some(f),
        })
}

fn latest_metric(
    facts: &UnitFacts,
    metric: &MetricKey,
    as_of: Date,
) -> Option<(MetricValue, Date)> {
    latest(
        facts.metrics.iter().filter(|m| &m.metric == metric),
        |m| m.on,
        as_of,
    )
    .map(|m| (m.value.clone(), m.on))
}

fn missing_metric(metric: &MetricKey, as_of: Date) -> Explanation {
    let fact = FactRef::Metric {
        key: metric.0.clone(),
        on: None,
    };
    let text = Reason::new("metric.missing")
        .with("metric", &metric.0)
        .with("as_of", as_of);
    explain(fact, Some(Decimal::ZERO), text)
}

fn explain(fact: FactRef, effect: Option<Decimal>, reason: Reason) -> Explanation {
    Explanation {
        fact,
        effect,
        reason,
    }
}

/// A decimal for explanation texts: at most 2 places, no trailing zeros.
fn show(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}
