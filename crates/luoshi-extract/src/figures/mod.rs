//! Targets and baselines: indicator mentions with their values, growth and qualifiers.

pub(crate) mod cues;
#[cfg(test)]
mod tests;
mod window;

use crate::indicators::{self, Mention};
use crate::model::{Diagnostic, DiagnosticKind, Figure};
use crate::normalize::Doc;
use crate::segment::Sentence;
pub(crate) use cues::Role;
use window::Parsed;

/// Longest window after an indicator name searched for its numbers.
const MAX_WINDOW: usize = 80;

/// A figure with its role and position (working characters).
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Target or baseline.
    pub role: Role,
    /// The figure.
    pub figure: Figure,
    /// Position of the indicator in the working text (document order).
    pub at: usize,
    /// Span of the indicator name as written.
    pub written: crate::model::Span,
    /// Rounding radii of value and growth, and masked bounds (for arithmetic checks).
    pub numbers: window::Numbers,
}

/// Result of the figure pass.
#[derive(Debug, Default)]
pub(crate) struct Figures {
    /// All figures in document order.
    pub found: Vec<Found>,
    /// Role in force at each sentence (for the task pass).
    pub sentence_roles: Vec<Option<Role>>,
    /// Sentences that produced a figure.
    pub has_figure: Vec<bool>,
    /// Unknown-unit and rename diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Set while the current sentence reports year-to-date progress figures.
    progress_sentence: bool,
}

/// Runs the figure pass over all sentences.
/// `plan` is the year the document plans for ([`cues::plan_year`]).
pub(crate) fn extract(doc: &Doc, sentences: &[Sentence], plan: Option<u32>) -> Figures {
    let mut out = Figures::default();
    let mut carry = None;
    for s in sentences {
        let cues = cues::cues_in(doc, s.start, s.end, plan);
        let before = out.found.len();
        let sentence_role = cues.iter().rev().find_map(|c| c.role).or(carry);
        out.sentence_roles.push(sentence_role);
        out.progress_sentence = false;
        extract_sentence(doc, s, &cues, carry, &mut out);
        out.has_figure
            .push(out.found.len() > before || out.progress_sentence);
        carry = cues::carry_after(&cues, carry);
    }
    out
}

/// Groups mentions written as a list (`A、B` or `A和B`) with nothing else between.
fn groups(doc: &Doc, mentions: Vec<Mention>) -> Vec<Vec<Mention>> {
    let mut out: Vec<Vec<Mention>> = Vec::new();
    for m in mentions {
        let joined = out.last().and_then(|g| g.last()).is_some_and(|prev| {
            m.start == prev.end + 1 && matches!(doc.at(prev.end), '、' | '和' | '及' | '与')
        });
        match out.last_mut() {
            Some(g) if joined => g.push(m),
            _ => out.push(vec![m]),
        }
    }
    out
}

fn extract_sentence(
    doc: &Doc,
    s: &Sentence,
    cues: &[cues::Cue],
    carry: Option<Role>,
    out: &mut Figures,
) {
    let mentions = indicators::mentions_in(doc, s.start, s.end);
    let starts: Vec<usize> = mentions.iter().map(|m| m.start).collect();
    let first_of_sentence = out.found.len();
    for group in groups(doc, mentions) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let next_start = starts
            .iter()
            .copied()
            .find(|&st| st >= last.end)
            .unwrap_or(s.end);
        let window_end = next_start.min(s.end).min(last.end + MAX_WINDOW);
        let Some(parsed) = window::parse(doc, s.start, first.start, last.end, window_end) else {
            continue;
        };
        let role = match cues::decide(cues, first.start, window_end, carry) {
            Some(Role::Progress) => {
                out.progress_sentence = true;
                continue;
            }
            Some(r) => r,
            None if parsed.qualifier.is_some() => Role::Target,
            None => Role::Baseline,
        };
        let count: usize = group.iter().map(|m| m.indicators.len()).sum();
        emit_group(doc, &group, &parsed, role, out);
        if count == 1 {
            backfill_respectively(&parsed, first_of_sentence, out);
        }
    }
}

/// `A 41260元，B 18930元，分别增长5.6%和7.9%`: hands the listed growth rates back to
/// the figures of the same sentence, in order.
fn backfill_respectively(parsed: &Parsed, first_of_sentence: usize, out: &mut Figures) {
    let growths = parsed.respective_growths();
    let n = growths.len();
    let available = out.found.len().saturating_sub(first_of_sentence);
    if n < 2 || available < n {
        return;
    }
    let from = out.found.len() - n;
    for (f, (g, bounds)) in out.found.iter_mut().skip(from).zip(growths) {
        f.figure.growth_pct = g;
        f.numbers.growth = g;
        f.numbers.growth_bounds = bounds;
    }
}

fn emit_group(doc: &Doc, group: &[Mention], parsed: &Parsed, role: Role, out: &mut Figures) {
    let names: Vec<(&Mention, &indicators::Resolved)> = group
        .iter()
        .flat_map(|m| m.indicators.iter().map(move |r| (m, r)))
        .collect();
    let count = names.len();
    for (k, (m, r)) in names.into_iter().enumerate() {
        let Some(numbers) = parsed.numbers_for(k, count) else {
            continue;
        };
        let span = doc.span(m.start, parsed.end.max(m.end));
        let written = doc.span(m.start, m.end);
        let figure = Figure {
            indicator: r.canonical.to_string(),
            indicator_as_written: String::new(),
            renamed_from: r.renamed_from.map(str::to_string),
            value: numbers.value,
            value_to: numbers.value_to,
            unit: numbers.unit.clone(),
            growth_pct: numbers.growth,
            growth_pct_to: numbers.growth_to,
            delta: parsed.delta,
            delta_unit: parsed.delta_unit.clone(),
            qualifier: parsed.qualifier.clone(),
            applies_to: parsed.applies_to.clone(),
            price_basis: numbers.growth_basis.or(r.basis),
            masked: numbers.masked,
            masked_value: numbers.masked_raw.clone(),
            span,
            text: String::new(),
        };
        if let Some(old) = r.renamed_from {
            out.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::IndicatorRenamed,
                message: format!(
                    "{old} continues as {} (series renamed in 2013)",
                    r.canonical
                ),
                text: String::new(),
                span: written,
            });
        }
        if let Some(u) = &parsed.unknown_unit {
            out.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::UnknownUnit,
                message: format!("number after {} has an unknown unit {u}", r.canonical),
                text: String::new(),
                span,
            });
        }
        out.found.push(Found {
            role,
            figure,
            at: m.start,
            written,
            numbers: numbers.clone(),
        });
    }
}
