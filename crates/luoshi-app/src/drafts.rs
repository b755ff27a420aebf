//! From a speech to a plan: the extractor's findings become a proposed plan (sections,
//! indicators with targets and baselines, tasks with quantities, deadlines and a suggested lead
//! unit), which a reviewer edits; the reviewed draft is then created in one transaction. Nothing
//! is saved without review: [`App::propose_plan`] only reads, [`App::create_plan_from_draft`]
//! writes everything or nothing.

use crate::{App, AppError, require};
use luoshi_domain::ValidationError;
use luoshi_domain::authz::{Actor, Permission};
use luoshi_domain::calendar::month_end;
use luoshi_domain::ids::{IndicatorId, PlanId, SectionId, TaskId, UnitId};
use luoshi_domain::indicator::{
    Accumulation, Cadence, Direction, Indicator, IndicatorFields, PriceBasis,
};
use luoshi_domain::measure::{Decimal, MeasureUnit};
use luoshi_domain::org::Unit;
use luoshi_domain::plan::{Plan, PlanFields, Section};
use luoshi_domain::task::{QuantityTarget, Task, TaskFields, TaskSource};
use luoshi_extract::{DeadlineKind, Extraction, MentionKind};
use time::{Date, Month};
use uuid::Uuid;

/// A section of the draft; `parent` is an index into the draft's sections (earlier only).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftSection {
    pub number: String,
    pub title: String,
    pub parent: Option<usize>,
}

/// An indicator of the draft; `section` is an index into the draft's sections.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftIndicator {
    pub fields: IndicatorFields,
    pub section: Option<usize>,
}

/// A task of the draft. The lead unit is what the reviewer must supply when the text names none.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftTask {
    pub title: String,
    pub section: Option<usize>,
    pub lead_unit: Option<UnitId>,
    pub co_units: Vec<UnitId>,
    pub lead_official: Option<luoshi_domain::ids::PersonId>,
    pub deadline: Option<Date>,
    pub quantity: Option<QuantityTarget>,
    /// Where the task comes from in the source text (byte range), for the review screen.
    pub span: (usize, usize),
}

/// A plan as proposed from a text, or as a reviewer sends it back.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDraft {
    pub plan: PlanFields,
    pub sections: Vec<DraftSection>,
    pub indicators: Vec<DraftIndicator>,
    pub tasks: Vec<DraftTask>,
}

/// What was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatedPlan {
    pub plan: PlanId,
    pub sections: usize,
    pub indicators: usize,
    pub tasks: usize,
}

/// The deadline a phrase means in a plan of `year`; `None` when it names no date.
pub fn deadline_of(kind: &DeadlineKind, year: i32) -> Option<Date> {
    let dec31 = |y: i32| Date::from_calendar_date(y, Month::December, 31).ok();
    let years = |n: u32| i32::try_from(n).ok().map(|n| year + n.max(1) - 1);
    match kind {
        DeadlineKind::WithinYear | DeadlineKind::ByYearEnd => dec31(year),
        DeadlineKind::FirstHalf => Date::from_calendar_date(year, Month::June, 30).ok(),
        DeadlineKind::WithinYears { years: n } => years(*n).and_then(dec31),
        DeadlineKind::YearsRange { max, .. } => years(*max).and_then(dec31),
        DeadlineKind::ByMonth { month } => u8::try_from(*month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(|m| month_end(year, m)),
        DeadlineKind::ByDate { month, day } => {
            let m = Month::try_from(u8::try_from(*month).ok()?).ok()?;
            Date::from_calendar_date(year, m, u8::try_from(*day).ok()?).ok()
        }
        DeadlineKind::ByYear { year: y } => i32::try_from(*y).ok().and_then(dec31),
    }
}

/// The unit a task names: the longest unit name that the text (or one of its mentions)
/// contains, or whose short form (without 人民政府/镇/局 …) a mention equals.
fn suggest_unit(text: &str, mentions: &[&str], units: &[Unit]) -> Option<UnitId> {
    let folded = luoshi_extract::normalize_text(text);
    units
        .iter()
        .filter(|u| {
            let name = luoshi_extract::normalize_text(&u.name);
            name.chars().count() >= 2
                && (folded.contains(&name)
                    || mentions
                        .iter()
                        .any(|m| luoshi_extract::normalize_text(m) == name))
        })
        .max_by_key(|u| u.name.chars().count())
        .map(|u| u.id)
}

/// A task title from its sentence: trimmed, without the trailing full stop, at most 300 chars.
fn title_of(text: &str) -> String {
    let t = text.trim().trim_end_matches(['。', '；', ';', '.']);
    t.chars().take(300).collect()
}

fn indicator_fields(
    f: &luoshi_extract::Figure,
    baseline: Option<&luoshi_extract::Figure>,
) -> Option<IndicatorFields> {
    let unit = MeasureUnit::parse("unit", f.unit.as_deref().unwrap_or("%")).ok()?;
    let same_unit = |b: &&luoshi_extract::Figure| b.unit == f.unit;
    let growth_only = f.value.is_none() || unit == MeasureUnit::Percent;
    Some(IndicatorFields {
        name: f.indicator.clone(),
        price_basis: f.price_basis.map(|p| match p {
            luoshi_extract::PriceBasis::Comparable => PriceBasis::Comparable,
            luoshi_extract::PriceBasis::Current => PriceBasis::Current,
        }),
        direction: if f.growth_pct.is_some_and(|g| g < Decimal::ZERO) {
            Direction::Decrease
        } else {
            Direction::Increase
        },
        accumulation: if unit == MeasureUnit::Percent {
            Accumulation::Level
        } else {
            Accumulation::Cumulative
        },
        cadence: if f.indicator.contains("生产总值") {
            Cadence::Quarterly
        } else {
            Cadence::Monthly
        },
        baseline: baseline.filter(same_unit).and_then(|b| b.value),
        baseline_growth_pct: baseline.and_then(|b| b.growth_pct),
        target_value: if growth_only && unit == MeasureUnit::Percent {
            None
        } else {
            f.value
        },
        target_growth_pct: f.growth_pct,
        unit,
        section: None,
        lead_unit: None,
        note: f.qualifier.clone().unwrap_or_default(),
    })
}

/// Turn an extraction into a proposed plan for `year`: every section, one indicator per
/// canonical indicator (with last year's figure as its baseline), every task with a suggested
/// lead unit and deadline when the text gives them.
pub fn propose(x: &Extraction, year: i32, title: &str, units: &[Unit]) -> PlanDraft {
    let mut sections = Vec::new();
    fn walk(
        s: &[luoshi_extract::Section],
        parent: Option<usize>,
        out: &mut Vec<(DraftSection, String)>,
        prefix: &str,
    ) {
        for sec in s {
            let path = format!("{} {}", sec.number, sec.title).trim().to_owned();
            let full = if prefix.is_empty() {
                path.clone()
            } else {
                format!("{prefix} > {path}")
            };
            out.push((
                DraftSection {
                    number: sec.number.chars().take(20).collect(),
                    title: if sec.title.trim().is_empty() {
                        sec.number.clone()
                    } else {
                        sec.title.chars().take(200).collect()
                    },
                    parent,
                },
                full.clone(),
            ));
            let me = out.len() - 1;
            walk(&sec.children, Some(me), out, &full);
        }
    }
    walk(&x.sections, None, &mut sections, "");
    let mut indicators: Vec<DraftIndicator> = Vec::new();
    for t in &x.targets {
        if indicators.iter().any(|i| i.fields.name == t.indicator) {
            continue;
        }
        let base = x.baselines.iter().find(|b| b.indicator == t.indicator);
        if let Some(fields) = indicator_fields(t, base) {
            indicators.push(DraftIndicator {
                fields,
                section: None,
            });
        }
    }
    let tasks = x
        .tasks
        .iter()
        .map(|t| {
            let mentions: Vec<&str> = t
                .mentions
                .iter()
                .filter(|m| matches!(m.kind, MentionKind::Unit | MentionKind::Place))
                .map(|m| m.text.as_str())
                .collect();
            DraftTask {
                title: title_of(&t.text),
                section: t
                    .section
                    .as_ref()
                    .and_then(|p| sections.iter().position(|(_, full)| full == p)),
                lead_unit: suggest_unit(&t.text, &mentions, units),
                co_units: vec![],
                lead_official: None,
                deadline: t.deadline.as_ref().and_then(|d| deadline_of(&d.kind, year)),
                quantity: t.quantity().and_then(|q| {
                    Some(QuantityTarget {
                        min: q.min?,
                        max: q.max.filter(|m| Some(*m) != q.min),
                        unit: q.unit.clone().unwrap_or_default(),
                    })
                }),
                span: (t.span.start, t.span.end),
            }
        })
        .collect();
    PlanDraft {
        plan: PlanFields {
            year,
            title: title.to_owned(),
            source: String::new(),
        },
        sections: sections.into_iter().map(|(s, _)| s).collect(),
        indicators,
        tasks,
    }
}

fn at(prefix: &str, i: usize, e: ValidationError) -> AppError {
    AppError::Validation(e.within(&format!("{prefix}[{i}]")))
}

impl App {
    /// Propose a plan from a text (reads only: units to suggest lead units).
    pub async fn propose_plan(
        &self,
        actor: &Actor,
        text: &str,
        year: i32,
        title: &str,
    ) -> Result<(Extraction, PlanDraft), AppError> {
        require(actor, Permission::ManagePlans)?;
        let units: Vec<Unit> = luoshi_store::units::list(&self.db, actor.region)
            .await?
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        let x = luoshi_extract::extract(text);
        let draft = propose(&x, year, title, &units);
        Ok((x, draft))
    }

    /// Create a reviewed draft: the plan, its sections, indicators and tasks, in one transaction.
    /// Any invalid item refuses the whole draft, naming the item (`tasks[3].lead_unit_id`).
    pub async fn create_plan_from_draft(
        &self,
        actor: &Actor,
        draft: PlanDraft,
        assign: bool,
    ) -> Result<CreatedPlan, AppError> {
        require(actor, Permission::ManagePlans)?;
        let f = PlanFields::parse(draft.plan.year, &draft.plan.title, &draft.plan.source)
            .map_err(|e| AppError::Validation(e.within("plan")))?;
        let plan = Plan {
            id: PlanId::from_uuid(Uuid::now_v7()),
            region: actor.region,
            year: f.year,
            title: f.title,
            source: f.source,
        };
        let mut sections: Vec<Section> = Vec::with_capacity(draft.sections.len());
        for (i, s) in draft.sections.iter().enumerate() {
            let parent = match s.parent {
                Some(p) if p < i => Some(sections[p].id),
                Some(_) => {
                    return Err(at(
                        "sections",
                        i,
                        ValidationError::new("parent", "invalid", "a parent must come first"),
                    ));
                }
                None => None,
            };
            let pos = i32::try_from(i).unwrap_or(i32::MAX);
            let sf = luoshi_domain::plan::SectionFields::parse(parent, &s.number, &s.title, pos)
                .map_err(|e| at("sections", i, e))?;
            sections.push(Section {
                id: SectionId::from_uuid(Uuid::now_v7()),
                plan: plan.id,
                parent: sf.parent,
                number: sf.number,
                title: sf.title,
                position: sf.position,
            });
        }
        let section_of = |prefix: &str, i: usize, s: Option<usize>| match s {
            None => Ok(None),
            Some(k) => sections.get(k).map(|s| Some(s.id)).ok_or_else(|| {
                at(
                    prefix,
                    i,
                    ValidationError::new("section", "invalid", "no such section in the draft"),
                )
            }),
        };
        let units: Vec<UnitId> = luoshi_store::units::list(&self.db, actor.region)
            .await?
            .into_iter()
            .map(|(u, _)| u.id)
            .collect();
        let mut indicators = Vec::with_capacity(draft.indicators.len());
        for (i, d) in draft.indicators.into_iter().enumerate() {
            let mut fields = d.fields.validate().map_err(|e| at("indicators", i, e))?;
            fields.section = section_of("indicators", i, d.section)?;
            indicators.push(Indicator {
                id: IndicatorId::from_uuid(Uuid::now_v7()),
                region: actor.region,
                plan: plan.id,
                fields,
            });
        }
        let mut tasks = Vec::with_capacity(draft.tasks.len());
        for (i, d) in draft.tasks.into_iter().enumerate() {
            let lead_unit = d
                .lead_unit
                .ok_or_else(|| at("tasks", i, ValidationError::required("lead_unit_id")))?;
            for (field, u) in std::iter::once(("lead_unit_id", lead_unit))
                .chain(d.co_units.iter().map(|u| ("co_unit_ids", *u)))
            {
                if !units.contains(&u) {
                    return Err(at(
                        "tasks",
                        i,
                        ValidationError::new(field, "not_found", "no such unit in this region"),
                    ));
                }
            }
            let deadline = d
                .deadline
                .ok_or_else(|| at("tasks", i, ValidationError::required("deadline")))?;
            let start = Date::from_calendar_date(plan.year, Month::January, 1)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let fields = TaskFields {
                section: section_of("tasks", i, d.section)?,
                external_id: None,
                title: d.title,
                description: String::new(),
                source: TaskSource::Plan,
                lead_unit,
                co_units: d.co_units,
                lead_official: d.lead_official,
                responsible_person: None,
                liaison: None,
                start: start.min(deadline),
                deadline,
                milestones: vec![],
                quantity: d.quantity,
                weight: Decimal::ONE,
            }
            .validate()
            .map_err(|e| at("tasks", i, e))?;
            tasks.push(Task::new(
                TaskId::from_uuid(Uuid::now_v7()),
                actor.region,
                plan.id,
                fields,
                assign,
            ));
        }
        let ctx = self.ctx(actor);
        let mut tx = self.db.begin().await?;
        luoshi_store::plans::insert(&mut tx, &ctx, &plan).await?;
        for s in &sections {
            luoshi_store::plans::insert_section(&mut tx, &ctx, s).await?;
        }
        for (pos, ind) in indicators.iter().enumerate() {
            let pos = i32::try_from(pos).unwrap_or(i32::MAX);
            luoshi_store::indicators::insert(&mut tx, &ctx, ind, pos).await?;
        }
        for t in &tasks {
            luoshi_store::tasks::insert(&mut tx, &ctx, t).await?;
        }
        tx.commit().await?;
        Ok(CreatedPlan {
            plan: plan.id,
            sections: sections.len(),
            indicators: indicators.len(),
            tasks: tasks.len(),
        })
    }
}

#[cfg(test)]
mod tests;
