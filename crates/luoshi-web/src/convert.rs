//! Domain → DTO conversions (the one place response shapes are built).

use crate::dto::*;
use crate::dto_work::*;
use luoshi_app::{
    IndicatorView, PlanSummary, StoredReport, StoredValue, TaskEvent, TaskView, User,
};
use luoshi_domain::org::{Person, Unit};
use luoshi_domain::plan::{Plan, Section};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn ts(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

pub fn user(u: &User, version: i64) -> UserOut {
    UserOut {
        id: u.id.as_uuid(),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        language: u.language.clone(),
        active: u.active,
        grants: u
            .grants
            .iter()
            .map(|g| GrantDto {
                role: g.role.as_str().into(),
                unit_id: g.unit.map(|x| x.as_uuid()),
            })
            .collect(),
        version,
    }
}

pub fn unit(u: &Unit, version: i64) -> UnitOut {
    UnitOut {
        id: u.id.as_uuid(),
        code: u.code.as_str().into(),
        name: u.name.clone(),
        kind: u.kind.as_str().into(),
        category: u.category.clone(),
        version,
    }
}

pub fn person(p: &Person, version: i64) -> PersonOut {
    PersonOut {
        id: p.id.as_uuid(),
        name: p.name.clone(),
        post: p.post.clone(),
        unit_id: p.unit.map(|u| u.as_uuid()),
        phone: p.phone.clone(),
        version,
    }
}

pub fn plan(p: &Plan, version: i64) -> PlanOut {
    PlanOut {
        id: p.id.as_uuid(),
        year: p.year,
        title: p.title.clone(),
        source: p.source.clone(),
        version,
    }
}

pub fn section(s: &Section, version: i64) -> SectionOut {
    SectionOut {
        id: s.id.as_uuid(),
        plan_id: s.plan.as_uuid(),
        parent_id: s.parent.map(|p| p.as_uuid()),
        number: s.number.clone(),
        title: s.title.clone(),
        position: s.position,
        version,
    }
}

pub fn indicator(v: &IndicatorView) -> IndicatorOut {
    let i = &v.indicator;
    let f = &i.fields;
    IndicatorOut {
        id: i.id.as_uuid(),
        plan_id: i.plan.as_uuid(),
        name: f.name.clone(),
        unit: f.unit.as_str().into(),
        price_basis: f.price_basis.map(|p| p.as_str().into()),
        direction: f.direction.as_str().into(),
        accumulation: f.accumulation.as_str().into(),
        cadence: f.cadence.as_str().into(),
        baseline: opt_dec(f.baseline),
        baseline_growth_pct: opt_dec(f.baseline_growth_pct),
        target_value: opt_dec(f.target_value),
        target_growth_pct: opt_dec(f.target_growth_pct),
        section_id: f.section.map(|s| s.as_uuid()),
        lead_unit_id: f.lead_unit.map(|u| u.as_uuid()),
        note: f.note.clone(),
        version: v.version,
        latest: v.evaluation.as_ref().map(|e| EvaluationOut {
            period: e.period.to_string(),
            value: dec(e.value),
            growth_pct: opt_dec(e.growth_pct),
            attainment_pct: opt_dec(e.attainment_pct),
            expected_pct: opt_dec(e.expected_pct),
            seasonal: e.seasonal,
            gap_pp: opt_dec(e.gap_pp),
            growth_gap_pp: opt_dec(e.growth_gap_pp),
            lamp: e.lamp.map(|l| l.as_str().into()),
            data_status: v.latest_status.map(|s| s.as_str().into()),
        }),
    }
}

pub fn value(v: &StoredValue) -> ValueOut {
    ValueOut {
        id: v.id.as_uuid(),
        unit_id: v.value.unit.map(|u| u.as_uuid()),
        period: v.value.period.to_string(),
        revision: v.value.revision,
        value: dec(v.value.value),
        growth_pct: opt_dec(v.value.growth_pct),
        status: v.value.status.as_str().into(),
        source: v.value.source.clone(),
        recorded_at: ts(v.recorded_at),
        recorded_by: v.recorded_by.map(|u| u.as_uuid()),
    }
}

pub fn task(v: &TaskView) -> TaskOut {
    let t = &v.task;
    let f = &t.fields;
    let s = &v.standing;
    TaskOut {
        id: t.id.as_uuid(),
        plan_id: t.plan.as_uuid(),
        section_id: f.section.map(|x| x.as_uuid()),
        external_id: f.external_id.clone(),
        title: f.title.clone(),
        description: f.description.clone(),
        source: f.source.as_str().into(),
        lead_unit_id: f.lead_unit.as_uuid(),
        co_unit_ids: f.co_units.iter().map(|u| u.as_uuid()).collect(),
        lead_official_id: f.lead_official.map(|p| p.as_uuid()),
        responsible_person_id: f.responsible_person.map(|p| p.as_uuid()),
        liaison_id: f.liaison.map(|p| p.as_uuid()),
        start: f.start.to_string(),
        deadline: f.deadline.to_string(),
        milestones: f
            .milestones
            .iter()
            .map(|m| MilestoneDto {
                title: m.title.clone(),
                due: m.due.to_string(),
                target_pct: Dec(m.target_pct),
            })
            .collect(),
        quantity: f.quantity.as_ref().map(|q| QuantityDto {
            min: Dec(q.min),
            max: q.max.map(Dec),
            unit: q.unit.clone(),
        }),
        weight: dec(f.weight),
        status: t.status.as_str().into(),
        requested_deadline: t.requested_deadline.map(|d| d.to_string()),
        progress_pct: dec(t.progress_pct),
        quantity_done: opt_dec(t.quantity_done),
        last_report_on: t.last_report_on.map(|d| d.to_string()),
        done_reported_on: t.done_reported_on.map(|d| d.to_string()),
        closed_on: t.closed_on.map(|d| d.to_string()),
        version: t.version,
        lamp: s.lamp.map(|l| l.as_str().into()),
        expected_pct: dec(s.expected_pct),
        gap_pp: dec(s.gap_pp),
        overdue: s.overdue,
        days_left: s.days_left,
    }
}

pub fn report(r: &StoredReport) -> ReportOut {
    ReportOut {
        id: r.id.as_uuid(),
        reported_at: ts(r.reported_at),
        reporter_id: r.reporter.map(|u| u.as_uuid()),
        reporter_name: r.reporter_name.clone(),
        percent: dec(r.report.percent),
        quantity_done: opt_dec(r.report.quantity_done),
        summary: r.report.summary.clone(),
        problems: r.report.problems.clone(),
        next_steps: r.report.next_steps.clone(),
    }
}

pub fn event(e: &TaskEvent) -> EventOut {
    EventOut {
        at: ts(e.at),
        actor_id: e.actor.map(|u| u.as_uuid()),
        actor_name: e.actor_name.clone(),
        action: e.action.clone(),
        from: e.from.as_str().into(),
        to: e.to.as_str().into(),
        reason: e.reason.clone(),
        deadline_after: e.deadline_after.to_string(),
    }
}

fn counts(c: &luoshi_app::Counts) -> CountsOut {
    CountsOut {
        total: c.total,
        overdue: c.overdue,
        by_status: c
            .by_status
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect(),
        by_lamp: c
            .by_lamp
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect(),
    }
}

pub fn summary(s: &PlanSummary) -> SummaryOut {
    SummaryOut {
        plan_id: s.plan.id.as_uuid(),
        year: s.plan.year,
        title: s.plan.title.clone(),
        as_of: s.as_of.to_string(),
        totals: counts(&s.totals),
        by_unit: s
            .by_unit
            .iter()
            .map(|r| UnitRowOut {
                unit_id: r.key.as_uuid(),
                name: r.name.clone(),
                counts: counts(&r.counts),
            })
            .collect(),
        by_section: s
            .by_section
            .iter()
            .map(|r| SectionRowOut {
                section_id: r.key.map(|k| k.as_uuid()),
                name: r.name.clone(),
                counts: counts(&r.counts),
            })
            .collect(),
        indicators: s.indicators.iter().map(indicator).collect(),
    }
}
