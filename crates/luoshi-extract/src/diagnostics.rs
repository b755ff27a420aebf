//! Masked-digit reports and arithmetic cross-checks between baselines and targets.

use crate::figures::{Found, Role};
use crate::model::{Diagnostic, DiagnosticKind, PriceBasis, Span};
use crate::normalize::Doc;
use crate::numbers::amounts_in;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;

fn diag(kind: DiagnosticKind, message: String, span: Span) -> Diagnostic {
    Diagnostic {
        kind,
        message,
        text: String::new(),
        span,
    }
}

/// One MaskedDigits diagnostic per masked numeral in the document.
pub(crate) fn masked(doc: &Doc) -> Vec<Diagnostic> {
    amounts_in(doc, 0, doc.len())
        .into_iter()
        .filter(|a| a.masked())
        .map(|a| {
            let written = format!("{}{}", a.low.raw, a.unit.clone().unwrap_or_default());
            diag(
                DiagnosticKind::MaskedDigits,
                format!(
                    "{written} has digits masked with '*'; the value is unknown and not guessed"
                ),
                doc.span(a.start, a.end),
            )
        })
        .collect()
}

/// Multiplier of a unit to its base (money → 元; others 1). `None` when not convertible.
fn scale(unit: &str) -> Option<(Decimal, &str)> {
    let (factor, base) = if let Some(b) = unit.strip_prefix("万亿") {
        (Decimal::from(1_000_000_000_000u64), b)
    } else if let Some(b) = unit.strip_prefix('亿') {
        (Decimal::from(100_000_000u64), b)
    } else if let Some(b) = unit.strip_prefix('万') {
        (Decimal::from(10_000u64), b)
    } else {
        (Decimal::ONE, unit)
    };
    (!base.is_empty()).then_some((factor, base))
}

fn in_base(bounds: (Decimal, Decimal), unit: &str) -> Option<(Decimal, Decimal, &str)> {
    let (f, base) = scale(unit)?;
    Some((bounds.0.checked_mul(f)?, bounds.1.checked_mul(f)?, base))
}

fn pct(g: Decimal) -> Option<Decimal> {
    Decimal::ONE.checked_add(g.checked_div(Decimal::ONE_HUNDRED)?)
}

fn fmt(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Cross-checks every target with growth against the baseline of the same indicator,
/// and every baseline's 净增 against its growth.
pub(crate) fn arithmetic(found: &[Found]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Baselines with a value, per indicator, in document order.
    let mut by_indicator: HashMap<&str, Vec<&Found>> = HashMap::new();
    for b in found
        .iter()
        .filter(|b| b.role == Role::Baseline && b.figure.value.is_some())
    {
        by_indicator
            .entry(b.figure.indicator.as_str())
            .or_default()
            .push(b);
    }
    for t in found.iter().filter(|f| f.role == Role::Target) {
        // The nearest baseline before the target, else the first one after it.
        let base = by_indicator
            .get(t.figure.indicator.as_str())
            .and_then(|list| {
                let after = list.partition_point(|b| b.at <= t.at);
                after
                    .checked_sub(1)
                    .and_then(|i| list.get(i))
                    .or_else(|| list.get(after))
                    .copied()
            });
        if let Some(b) = base
            && let Some(d) = check_target(b, t)
        {
            out.push(d);
        }
    }
    for b in found.iter().filter(|f| f.role == Role::Baseline) {
        if let Some(d) = check_delta(b) {
            out.push(d);
        }
    }
    out
}

fn check_target(b: &Found, t: &Found) -> Option<Diagnostic> {
    let (gl, gh) = t.numbers.growth_bounds?;
    let g = t.figure.growth_pct?;
    let b_unit = b.figure.unit.as_deref()?;
    let t_unit = t.figure.unit.as_deref()?;
    let (bl, bh, b_base) = in_base(b.numbers.value_bounds?, b_unit)?;
    let (tl, th, t_base) = in_base(t.numbers.value_bounds?, t_unit)?;
    if b_base != t_base || b_base == "%" {
        return None;
    }
    let lo = bl.checked_mul(pct(gl)?)?;
    let hi = bh.checked_mul(pct(gh)?)?;
    let (t_factor, _) = scale(t_unit)?;
    let b_value = b.figure.value?;
    let (b_factor, _) = scale(b_unit)?;
    let implied = b_value
        .checked_mul(b_factor)?
        .checked_mul(pct(g)?)?
        .checked_div(t_factor)?
        .round_dp_with_strategy(
            b.numbers.value_scale.max(1),
            RoundingStrategy::MidpointAwayFromZero,
        );
    let consistent = lo <= th && tl <= hi;
    let name = &t.figure.indicator;
    let b_text = format!("{}{}", fmt(b_value), b_unit);
    let implied_text = format!("{}{}", fmt(implied), t_unit);
    if t.figure.masked && t.figure.value.is_none() {
        let written = t.numbers.masked_raw.clone().unwrap_or_default();
        let (kind, verdict) = if consistent {
            (DiagnosticKind::MaskedValueImplied, "is consistent with")
        } else {
            (DiagnosticKind::ArithmeticMismatch, "contradicts")
        };
        let message = format!(
            "{name}: masked target {written} {verdict} baseline {b_text} × (1 + {}%) = {implied_text} (implied, not filled in)",
            fmt(g)
        );
        return Some(diag(kind, message, t.figure.span));
    }
    let t_text = format!("{}{}", fmt(t.figure.value?), t_unit);
    if consistent {
        let message = format!(
            "{name}: baseline {b_text} × (1 + {}%) = {implied_text} agrees with target {t_text}",
            fmt(g)
        );
        return Some(diag(
            DiagnosticKind::ArithmeticConsistent,
            message,
            t.figure.span,
        ));
    }
    let note = if t.figure.price_basis == Some(PriceBasis::Comparable) {
        "; note the growth is at comparable prices while the levels are nominal"
    } else {
        ""
    };
    let message = format!(
        "{name}: baseline {b_text} × (1 + {}%) = {implied_text}, but the target is {t_text}{note}",
        fmt(g)
    );
    Some(diag(
        DiagnosticKind::ArithmeticMismatch,
        message,
        t.figure.span,
    ))
}

/// `2.63亿元, 较上年净增6200万元, 增长30.7%`: (value − delta) × (1 + g) ≈ value.
fn check_delta(b: &Found) -> Option<Diagnostic> {
    let (delta, d_unit, dl, dh) = b.numbers.delta.clone()?;
    let (gl, gh) = b.numbers.growth_bounds?;
    let g = b.figure.growth_pct?;
    let v_unit = b.figure.unit.as_deref()?;
    let value = b.figure.value?;
    let (vl, vh, v_base) = in_base(b.numbers.value_bounds?, v_unit)?;
    let (dl, dh, d_base) = in_base((dl, dh), &d_unit)?;
    if v_base != d_base {
        return None;
    }
    // Implied growth interval: delta / (value − delta).
    let low_prior = vh.checked_sub(dl)?;
    let high_prior = vl.checked_sub(dh)?;
    if low_prior <= Decimal::ZERO || high_prior <= Decimal::ZERO {
        return None;
    }
    let g_lo = dl
        .checked_div(low_prior)?
        .checked_mul(Decimal::ONE_HUNDRED)?;
    let g_hi = dh
        .checked_div(high_prior)?
        .checked_mul(Decimal::ONE_HUNDRED)?;
    let (v_factor, _) = scale(v_unit)?;
    let (d_factor, _) = scale(&d_unit)?;
    let prior = value
        .checked_mul(v_factor)?
        .checked_sub(delta.checked_mul(d_factor)?)?
        .checked_div(v_factor)?
        .round_dp(b.numbers.value_scale.max(2));
    let name = &b.figure.indicator;
    let consistent = g_lo <= gh && gl <= g_hi;
    let (kind, verdict) = if consistent {
        (DiagnosticKind::ArithmeticConsistent, "agrees with")
    } else {
        (DiagnosticKind::ArithmeticMismatch, "contradicts")
    };
    let message = format!(
        "{name}: {}{v_unit} after a net increase of {}{d_unit} implies a prior value of {}{v_unit}; growth {}% {verdict} the implied {}–{}%",
        fmt(value),
        fmt(delta),
        fmt(prior),
        fmt(g),
        fmt(g_lo.round_dp(1)),
        fmt(g_hi.round_dp(1)),
    );
    Some(diag(kind, message, b.figure.span))
}
