//! The stable JSON shape (documented in `DESIGN.md`) and a plain-text table.

use crate::model::{
    DeadlineExpr, Diagnostic, Extraction, Figure, Quantity, Section, Span, TaskItem,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};

/// A decimal as a JSON number printed with its exact digits (`49.4`, `3`).
pub(crate) fn number(d: Option<Decimal>) -> Value {
    let Some(d) = d else {
        return Value::Null;
    };
    let d = d.normalize();
    if d.scale() == 0
        && let Some(i) = d.to_i64()
    {
        return Value::from(i);
    }
    // Shortest round-trip printing of f64 reproduces decimals of up to 15 digits.
    d.to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

fn span(s: Span) -> Value {
    json!({"start": s.start, "end": s.end})
}

fn figure(f: &Figure) -> Value {
    json!({
        "indicator": f.indicator,
        "indicator_as_written": f.indicator_as_written,
        "renamed_from": f.renamed_from,
        "value": number(f.value),
        "value_to": number(f.value_to),
        "unit": f.unit,
        "growth_pct": number(f.growth_pct),
        "growth_pct_to": number(f.growth_pct_to),
        "delta": number(f.delta),
        "delta_unit": f.delta_unit,
        "qualifier": f.qualifier,
        "applies_to": f.applies_to,
        "price_basis": f.price_basis,
        "masked": f.masked,
        "masked_value": f.masked_value,
        "text": f.text,
        "span": span(f.span),
    })
}

fn section(s: &Section) -> Value {
    json!({
        "number": s.number,
        "title": s.title,
        "level": s.level,
        "children": s.children.iter().map(section).collect::<Vec<_>>(),
    })
}

fn quantity(q: &Quantity) -> Value {
    json!({"min": number(q.min), "max": number(q.max), "unit": q.unit, "of": q.of, "text": q.text})
}

fn deadline(d: &DeadlineExpr) -> Value {
    let mut v = serde_json::to_value(&d.kind).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("text".to_string(), Value::from(d.text.clone()));
    }
    v
}

fn task(t: &TaskItem) -> Value {
    json!({
        "text": t.text,
        "quantity": t.quantity().map(quantity),
        "quantities": t.quantities.iter().map(quantity).collect::<Vec<_>>(),
        "deadline": t.deadline.as_ref().map(deadline),
        "section": t.section,
        "mentions": t.mentions.iter().map(|m| json!({"kind": m.kind, "text": m.text})).collect::<Vec<_>>(),
        "span": span(t.span),
    })
}

fn diagnostic(d: &Diagnostic) -> Value {
    json!({"kind": d.kind, "message": d.message, "text": d.text, "span": span(d.span)})
}

/// The extraction as JSON in the stable shape documented in `DESIGN.md`.
pub fn to_json(x: &Extraction) -> Value {
    json!({
        "targets": x.targets.iter().map(figure).collect::<Vec<_>>(),
        "baselines": x.baselines.iter().map(figure).collect::<Vec<_>>(),
        "sections": x.sections.iter().map(section).collect::<Vec<_>>(),
        "tasks": x.tasks.iter().map(task).collect::<Vec<_>>(),
        "diagnostics": x.diagnostics.iter().map(diagnostic).collect::<Vec<_>>(),
    })
}
