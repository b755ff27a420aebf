//! Ranks, grades after vetoes and quotas, and awards.

use super::Quota;
use super::Scheme;
use super::result::ScoreSheet;
use super::wording::Reason;
use crate::measure::Decimal;
use std::cmp::Ordering;

/// A sheet with its points but not yet its rank, grade or award.
pub(super) struct Pending {
    pub sheet: ScoreSheet,
    /// The grade caps of the vetoes in force.
    pub veto_caps: Vec<String>,
}

/// Order the sheets, give ranks, grades and awards.
pub(super) fn finish(scheme: &Scheme, mut pending: Vec<Pending>) -> Vec<ScoreSheet> {
    pending.sort_by(|a, b| compare(scheme, &a.sheet, &b.sheet).0);
    let n = pending.len();
    for i in 0..n {
        let mut notes = Vec::new();
        if let Some(prev) = i.checked_sub(1).and_then(|j| pending.get(j))
            && let Some(cur) = pending.get(i)
            && prev.sheet.total == cur.sheet.total
        {
            let (_, by) = compare(scheme, &prev.sheet, &cur.sheet);
            notes.push(by.describe("after", &cur.sheet, &prev.sheet));
        }
        if let Some(next) = pending.get(i + 1)
            && let Some(cur) = pending.get(i)
            && next.sheet.total == cur.sheet.total
        {
            let (_, by) = compare(scheme, &cur.sheet, &next.sheet);
            notes.push(by.describe("before", &cur.sheet, &next.sheet));
        }
        if let Some(cur) = pending.get_mut(i) {
            cur.sheet.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
            cur.sheet.notes.extend(notes);
        }
    }
    let bands = &scheme.grading.bands;
    let last = bands.len().saturating_sub(1);
    let mut used = vec![0u64; bands.len()];
    let mut out = Vec::with_capacity(n);
    for Pending {
        mut sheet,
        veto_caps,
    } in pending
    {
        let band = band_index(scheme, sheet.total);
        let cap = veto_caps
            .iter()
            .filter_map(|c| scheme.grading.index_of(c))
            .max()
            .unwrap_or(0);
        let mut g = band.max(cap);
        if g > band {
            sheet.notes.push(
                Reason::new("note.veto_cap")
                    .with("from", name(scheme, band))
                    .with("to", name(scheme, g)),
            );
        }
        let from = g;
        while g < last && used.get(g).copied().unwrap_or(0) >= limit(scheme, g, n) {
            g += 1;
        }
        if g > from {
            sheet.notes.push(
                Reason::new("note.quota")
                    .with("from", name(scheme, from))
                    .with("to", name(scheme, g)),
            );
        }
        if let Some(u) = used.get_mut(g) {
            *u += 1;
        }
        sheet.band_grade = name(scheme, band);
        sheet.grade = name(scheme, g);
        let rule = &scheme.awards;
        let grade_ok = rule
            .min_grade
            .as_deref()
            .and_then(|m| scheme.grading.index_of(m))
            .is_none_or(|m| g <= m);
        let rank_ok = rule.top_n.is_none_or(|top| sheet.rank <= top);
        sheet.award = grade_ok && rank_ok && !(rule.exclude_vetoed && sheet.vetoed);
        out.push(sheet);
    }
    out
}

/// What decided the order of two sheets.
enum Decider<'a> {
    Total,
    Item(&'a str),
    Code,
    Id,
}

impl Decider<'_> {
    /// The note on `own`, placed `side` (`before` or `after`) `other` with the same total,
    /// with the unit's own figure first: `… by item work (49.5 vs 60)`.
    fn describe(&self, side: &str, own: &ScoreSheet, other: &ScoreSheet) -> Reason {
        let rule = match self {
            Self::Total => "total",
            Self::Item(_) => "item",
            Self::Code => "code",
            Self::Id => "id",
        };
        let reason = Reason::new(&format!("note.tie.{side}.{rule}")).with("code", &other.code);
        match self {
            Self::Item(key) => {
                let p = |s: &ScoreSheet| {
                    s.line(key)
                        .map_or(Decimal::ZERO, |l| l.points)
                        .round_dp(2)
                        .normalize()
                };
                reason
                    .with("item", key)
                    .with("own", p(own))
                    .with("other", p(other))
            }
            _ => reason,
        }
    }
}

/// Better first: higher total, then higher score in each tie-break item, then unit code, then id.
/// Also says which rule decided.
fn compare<'a>(scheme: &'a Scheme, a: &ScoreSheet, b: &ScoreSheet) -> (Ordering, Decider<'a>) {
    match b.total.cmp(&a.total) {
        Ordering::Equal => {}
        o => return (o, Decider::Total),
    }
    for key in &scheme.tie_break.items {
        let pa = a.line(key).map_or(Decimal::ZERO, |l| l.points);
        let pb = b.line(key).map_or(Decimal::ZERO, |l| l.points);
        match pb.cmp(&pa) {
            Ordering::Equal => {}
            o => return (o, Decider::Item(key)),
        }
    }
    match a.code.cmp(&b.code) {
        Ordering::Equal => (a.unit.cmp(&b.unit), Decider::Id),
        o => (o, Decider::Code),
    }
}

/// The best band whose threshold the total reaches (the last band otherwise).
fn band_index(scheme: &Scheme, total: Decimal) -> usize {
    let bands = &scheme.grading.bands;
    bands
        .iter()
        .position(|b| total * Decimal::ONE_HUNDRED >= b.min_pct * scheme.full_points)
        .unwrap_or(bands.len().saturating_sub(1))
}

/// How many units may hold grade `g` in a category of `n` units.
fn limit(scheme: &Scheme, g: usize, n: usize) -> u64 {
    match scheme.grading.bands.get(g).and_then(|b| b.quota.as_ref()) {
        None => u64::MAX,
        Some(Quota::Count(c)) => u64::from(*c),
        Some(Quota::PercentOfUnits(p)) => {
            let share = Decimal::from(n as u64) * *p / Decimal::ONE_HUNDRED;
            u64::try_from(share.floor()).unwrap_or(0)
        }
    }
}

fn name(scheme: &Scheme, g: usize) -> String {
    scheme
        .grading
        .bands
        .get(g)
        .map(|b| b.name.clone())
        .unwrap_or_default()
}
