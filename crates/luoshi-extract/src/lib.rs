//! `luoshi-extract` turns the text of an annual work plan, a leader's speech or a
//! government work report (simplified or traditional characters, full- or
//! half-width, web-page leftovers and all) into a draft plan: this year's
//! targets, last year's baselines, the heading tree, concrete tasks with
//! quantities, deadlines and named places/units, plus diagnostics (masked
//! digits, arithmetic cross-checks). It is pure: no I/O, no clock, it never
//! panics and it runs in linear time. Every extracted item carries a byte
//! span into the original input and the exact source fragment.
//!
//! ```
//! let x = luoshi_extract::extract(
//!     "今年主要预期目标是：全区生产总值49.4亿元，增长12.4%。年内再创出3—5个示范村。",
//! );
//! assert_eq!(x.targets[0].indicator, "地区生产总值");
//! assert_eq!(x.targets[0].value, Some("49.4".parse().unwrap()));
//! assert_eq!(x.tasks.len(), 1);
//! let json = luoshi_extract::to_json(&x);
//! assert_eq!(json["targets"][0]["growth_pct"], 12.4);
//! ```

mod diagnostics;
mod figures;
mod indicators;
mod json;
mod lexicon;
mod model;
mod normalize;
mod numbers;
mod sections;
mod segment;
mod table;
mod tasks;

pub use json::to_json;
pub use model::{
    DeadlineExpr, DeadlineKind, Diagnostic, DiagnosticKind, Extraction, Figure, FigureRole,
    Mention, MentionKind, PriceBasis, Quantity, Section, Span, TaskItem,
};
pub use table::to_table;

use figures::Role;

/// Extracts targets, baselines, sections, tasks and diagnostics from `text`.
///
/// Never panics and never fails; unrecognised text simply yields nothing.
pub fn extract(text: &str) -> Extraction {
    let mut doc = normalize::Doc::new(text);
    // Read before cleaning: the title line naming the plan year is dropped as boilerplate.
    let plan_year = figures::cues::plan_year(&doc);
    let mut diagnostics = segment::clean(&mut doc);
    let sentences = segment::sentences(&doc);
    let outline = sections::outline(&doc, text, &sentences);
    let found = figures::extract(&doc, &sentences, plan_year);
    let tasks = tasks::extract(&doc, text, &sentences, &outline, &found);
    diagnostics.extend(diagnostics::masked(&doc));
    diagnostics.extend(found.diagnostics.iter().cloned());
    diagnostics.extend(diagnostics::arithmetic(&found.found));
    for d in &mut diagnostics {
        d.text = d.span.slice(text).to_string();
    }
    let mut x = Extraction {
        sections: outline.roots,
        tasks,
        diagnostics,
        ..Extraction::default()
    };
    for f in found.found {
        let mut figure = f.figure;
        figure.text = figure.span.slice(text).to_string();
        figure.indicator_as_written = f.written.slice(text).to_string();
        match f.role {
            Role::Target => x.targets.push(figure),
            _ => x.baselines.push(figure),
        }
    }
    x
}

/// The folded form used for matching: simplified characters, half-width digits and
/// letters, canonical punctuation and dashes, whitespace inside Chinese text removed.
pub fn normalize_text(text: &str) -> String {
    normalize::Doc::new(text).chars.iter().collect()
}

/// Decode a document's bytes: UTF-8 (with or without a byte-order mark), otherwise GB18030,
/// the usual encoding of Chinese government files. Never fails: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// Number of canonical indicators in the alias table.
pub fn known_indicator_count() -> usize {
    indicators::canonical_count()
}
