//! A plain-text rendering for a CLI `--format table`.

use crate::model::{Extraction, Figure, Section};
use rust_decimal::Decimal;
use std::fmt::Write;

fn dec(d: Option<Decimal>) -> String {
    d.map_or_else(|| "-".to_string(), |d| d.normalize().to_string())
}

/// `6`, or `6–6.5` for a range.
fn range(from: Option<Decimal>, to: Option<Decimal>) -> String {
    match to {
        Some(_) => format!("{}–{}", dec(from), dec(to)),
        None => dec(from),
    }
}

fn opt(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

fn figure_rows(out: &mut String, title: &str, figures: &[Figure]) {
    let _ = writeln!(out, "{title} ({})", figures.len());
    let _ = writeln!(
        out,
        "  indicator | value | unit | growth % | qualifier | note"
    );
    for f in figures {
        let value = if f.masked && f.value.is_none() {
            f.masked_value
                .clone()
                .unwrap_or_else(|| "masked".to_string())
        } else {
            range(f.value, f.value_to)
        };
        let note = f
            .renamed_from
            .as_deref()
            .map(|r| format!("written as {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} | {} | {} | {} | {} | {}",
            f.indicator,
            value,
            opt(f.unit.as_deref()),
            range(f.growth_pct, f.growth_pct_to),
            opt(f.qualifier.as_deref()),
            note
        );
    }
}

fn section_rows(out: &mut String, sections: &[Section]) {
    for s in sections {
        let indent = "  ".repeat(usize::from(s.level));
        let _ = writeln!(out, "{indent}{} {}", s.number, s.title);
        section_rows(out, &s.children);
    }
}

/// Renders the extraction as plain-text tables.
pub fn to_table(x: &Extraction) -> String {
    let mut out = String::new();
    figure_rows(&mut out, "TARGETS", &x.targets);
    out.push('\n');
    figure_rows(&mut out, "BASELINES", &x.baselines);
    out.push('\n');
    let _ = writeln!(out, "SECTIONS");
    section_rows(&mut out, &x.sections);
    out.push('\n');
    let _ = writeln!(out, "TASKS ({})", x.tasks.len());
    for (i, t) in x.tasks.iter().enumerate() {
        let q: Vec<&str> = t.quantities.iter().map(|q| q.text.as_str()).collect();
        let d = t.deadline.as_ref().map_or("-", |d| d.text.as_str());
        let m: Vec<&str> = t.mentions.iter().map(|m| m.text.as_str()).collect();
        let _ = writeln!(out, "  {}. {}", i + 1, t.text.replace('\n', " "));
        let _ = writeln!(
            out,
            "     quantity: {} | deadline: {} | mentions: {}",
            q.join(", "),
            d,
            m.join(", ")
        );
    }
    out.push('\n');
    let _ = writeln!(out, "DIAGNOSTICS ({})", x.diagnostics.len());
    for d in &x.diagnostics {
        let _ = writeln!(out, "  [{:?}] {}", d.kind, d.message);
    }
    out
}
