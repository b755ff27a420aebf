//! Applying a reviewer's edits to the proposed plan: kept items only, typed units and officials
//! resolved (traditional characters accepted), errors naming the item as the page numbers it.

use super::Values;
use luoshi_app::{AppError, PlanDraft, Snapshot};
use luoshi_domain::ids::UnitId;
use luoshi_domain::measure::{MeasureUnit, parse_decimal};
use luoshi_domain::task::QuantityTarget;

/// A unit by name or code, as typed (traditional characters accepted).
fn find_unit(snap: &Snapshot, typed: &str) -> Option<UnitId> {
    let typed = typed.trim();
    let folded = luoshi_extract::normalize_text(typed);
    snap.units
        .iter()
        .find(|(u, _)| {
            u.name == typed
                || u.code.as_str() == typed
                || luoshi_extract::normalize_text(&u.name) == folded
        })
        .map(|(u, _)| u.id)
}

/// Which proposed item each kept item was: kept position → index on the page.
#[derive(Default)]
pub(super) struct Kept {
    indicators: Vec<usize>,
    tasks: Vec<usize>,
}

impl Kept {
    /// Rename `tasks[2].title` (position among kept items) to the item's number on the page.
    pub(super) fn renumber(&self, e: AppError) -> AppError {
        let AppError::Validation(mut v) = e else {
            return e;
        };
        for (prefix, map) in [("tasks[", &self.tasks), ("indicators[", &self.indicators)] {
            let Some(rest) = v.field.strip_prefix(prefix) else {
                continue;
            };
            let Some((n, tail)) = rest.split_once(']') else {
                continue;
            };
            if let Some(orig) = n.parse::<usize>().ok().and_then(|k| map.get(k)) {
                v.field = format!("{prefix}{orig}]{tail}");
            }
        }
        AppError::Validation(v)
    }
}

/// Apply the reviewer's edits to the proposal; errors name the item as the page numbers it.
pub(super) fn apply(
    snap: &Snapshot,
    people: &[(luoshi_domain::org::Person, i64)],
    mut draft: PlanDraft,
    e: &Values,
    kept_items: &mut Kept,
) -> Result<PlanDraft, AppError> {
    let get = |k: String| e.get(&k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let opt_dec = |k: String, field: &str| -> Result<Option<_>, AppError> {
        let v = get(k);
        if v.is_empty() {
            Ok(None)
        } else {
            Ok(Some(parse_decimal(field, &v)?))
        }
    };
    // Sections: dropped ones pass their children up to the nearest kept ancestor.
    let kept: Vec<bool> = (0..draft.sections.len())
        .map(|i| e.contains_key(&format!("s{i}.keep")))
        .collect();
    let mut new_index = vec![None; draft.sections.len()];
    let mut sections = Vec::new();
    for (i, s) in draft.sections.iter().enumerate() {
        if !kept[i] {
            continue;
        }
        let mut parent = s.parent;
        while let Some(p) = parent.filter(|p| !kept[*p]) {
            parent = draft.sections[p].parent;
        }
        let mut s = s.clone();
        s.number = get(format!("s{i}.number"));
        s.title = get(format!("s{i}.title"));
        s.parent = parent.and_then(|p| new_index[p]);
        new_index[i] = Some(sections.len());
        sections.push(s);
    }
    let section_of = |old: Option<usize>| {
        let mut cur = old;
        while let Some(p) = cur {
            if let Some(n) = new_index[p] {
                return Some(n);
            }
            cur = draft.sections[p].parent;
        }
        None
    };
    let mut indicators = Vec::new();
    for (i, mut d) in std::mem::take(&mut draft.indicators)
        .into_iter()
        .enumerate()
    {
        if !e.contains_key(&format!("i{i}.keep")) {
            continue;
        }
        let f = &mut d.fields;
        let at = |field: &str| format!("indicators[{i}].{field}");
        f.name = get(format!("i{i}.name"));
        f.unit = MeasureUnit::parse(&at("unit"), &get(format!("i{i}.unit")))?;
        f.baseline = opt_dec(format!("i{i}.baseline"), &at("baseline"))?;
        f.target_value = opt_dec(format!("i{i}.target"), &at("target_value"))?;
        f.target_growth_pct = opt_dec(format!("i{i}.growth"), &at("target_growth_pct"))?;
        d.fields = d
            .fields
            .validate()
            .map_err(|e| AppError::Validation(e.within(&format!("indicators[{i}]"))))?;
        d.section = section_of(d.section);
        indicators.push(d);
        kept_items.indicators.push(i);
    }
    let mut tasks = Vec::new();
    for (i, mut t) in std::mem::take(&mut draft.tasks).into_iter().enumerate() {
        if !e.contains_key(&format!("t{i}.keep")) {
            continue;
        }
        let at = |field: &str| format!("tasks[{i}].{field}");
        t.title = get(format!("t{i}.title"));
        let unit = get(format!("t{i}.unit"));
        t.lead_unit = if unit.is_empty() {
            return Err(AppError::invalid(
                &at("lead_unit_id"),
                "required",
                "assign a lead unit",
            ));
        } else {
            Some(find_unit(snap, &unit).ok_or_else(|| {
                AppError::invalid(
                    &at("lead_unit_id"),
                    "not_found",
                    format!("no unit named {unit}"),
                )
            })?)
        };
        let official = get(format!("t{i}.official"));
        t.lead_official = if official.is_empty() {
            None
        } else {
            let folded = luoshi_extract::normalize_text(&official);
            Some(
                people
                    .iter()
                    .find(|(p, _)| {
                        p.name == official || luoshi_extract::normalize_text(&p.name) == folded
                    })
                    .map(|(p, _)| p.id)
                    .ok_or_else(|| {
                        AppError::invalid(
                            &at("lead_official_id"),
                            "not_found",
                            format!("no person named {official}"),
                        )
                    })?,
            )
        };
        let deadline = get(format!("t{i}.deadline"));
        t.deadline = if deadline.is_empty() {
            return Err(AppError::invalid(
                &at("deadline"),
                "required",
                "give a deadline",
            ));
        } else {
            Some(luoshi_domain::calendar::parse_date(
                &at("deadline"),
                &deadline,
            )?)
        };
        t.quantity = match opt_dec(format!("t{i}.qmin"), &at("quantity.min"))? {
            Some(min) => Some(QuantityTarget {
                min,
                max: opt_dec(format!("t{i}.qmax"), &at("quantity.max"))?,
                unit: get(format!("t{i}.qunit")),
            }),
            None => None,
        };
        t.section = section_of(t.section);
        tasks.push(t);
        kept_items.tasks.push(i);
    }
    draft.sections = sections;
    draft.indicators = indicators;
    draft.tasks = tasks;
    Ok(draft)
}
