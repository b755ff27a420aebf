//! The JSON of a result set, as published (decimals as strings, dates as ISO text).

use luoshi_domain::assess::{
    Explanation, FactRef, ItemLine, Language, Reason, ResultSet, ScoreSheet,
};
use luoshi_domain::measure::Decimal;
use serde_json::{Value, json};

fn d(x: Decimal) -> Value {
    Value::String(x.normalize().to_string())
}

/// A result set as JSON: the scheme, the date and every sheet with its lines and explanations.
pub fn result_set_json(rs: &ResultSet) -> Value {
    json!({
        "scheme_id": rs.scheme_id,
        "scheme_version": rs.scheme_version,
        "category": rs.category,
        "as_of": rs.as_of.to_string(),
        "full_points": d(rs.full_points),
        "award_name": rs.award_name,
        "sheets": rs.sheets.iter().map(sheet).collect::<Vec<_>>(),
    })
}

fn sheet(s: &ScoreSheet) -> Value {
    json!({
        "unit_id": s.unit.to_string(),
        "code": s.code,
        "name": s.name,
        "total": d(s.total),
        "percent": d(s.percent),
        "rank": s.rank,
        "band_grade": s.band_grade,
        "grade": s.grade,
        "vetoed": s.vetoed,
        "award": s.award,
        "notes": s.notes.iter().map(reason).collect::<Vec<_>>(),
        "lines": s.lines.iter().map(line).collect::<Vec<_>>(),
    })
}

fn line(l: &ItemLine) -> Value {
    json!({
        "key": l.key,
        "title": l.title,
        "depth": l.depth,
        "max_points": d(l.max_points),
        "points": d(l.points),
        "explanations": l.explanations.iter().map(explanation).collect::<Vec<_>>(),
    })
}

fn explanation(e: &Explanation) -> Value {
    json!({
        "fact": fact(&e.fact),
        "effect": e.effect.map(d),
        "reason": reason(&e.reason),
    })
}

/// A reason as `{"kind", "params", "text"}`: the kind and parameters render in any language
/// ([`reason_from_json`]); `text` is the Chinese wording, for readers of the raw JSON.
fn reason(r: &Reason) -> Value {
    let params: serde_json::Map<String, Value> = r
        .params
        .iter()
        .map(|(n, v)| (n.clone(), Value::String(v.clone())))
        .collect();
    json!({ "kind": r.kind, "params": params, "text": r.render(Language::Zh) })
}

/// A reason read back from published JSON (see `reason`). A bare string (a note or text of an
/// older format) becomes a reason of kind `text` that renders as the string itself.
pub fn reason_from_json(v: &Value) -> Reason {
    if let Some(text) = v.as_str() {
        return Reason::new("text").with("text", text);
    }
    let mut r = Reason::new(v.get("kind").and_then(Value::as_str).unwrap_or("text"));
    if let Some(params) = v.get("params").and_then(Value::as_object) {
        for (n, p) in params {
            r = r.with(n, p.as_str().unwrap_or_default());
        }
    }
    if r.kind == "text" && r.params.is_empty() {
        r = r.with(
            "text",
            v.get("text").and_then(Value::as_str).unwrap_or_default(),
        );
    }
    r
}

fn fact(f: &FactRef) -> Value {
    let day = |x: &Option<time::Date>| x.map(|x| x.to_string());
    match f {
        FactRef::Task(t) => json!({ "kind": "task", "task_id": t.to_string() }),
        FactRef::Indicator { key, on } => json!({ "kind": "indicator", "key": key, "on": day(on) }),
        FactRef::Metric { key, on } => json!({ "kind": "metric", "key": key, "on": day(on) }),
        FactRef::Event { kind, subject, on } => {
            json!({ "kind": "event", "event": kind, "subject": subject, "on": on.to_string() })
        }
        FactRef::Bonus { on } => json!({ "kind": "bonus", "on": on.to_string() }),
        FactRef::Veto { on } => json!({ "kind": "veto", "on": on.to_string() }),
        FactRef::Manual { on, by } => json!({ "kind": "manual", "on": on.to_string(), "by": by }),
        FactRef::Rule => json!({ "kind": "rule" }),
    }
}
