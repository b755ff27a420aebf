//! The sweep's facts beyond tasks: indicator reporting obligations and key-project deadline items.
//!
//! - **Indicators.** For each cadence, the latest period whose reporting deadline
//!   ([`SupervisionPolicy::indicator_report_due`]) has passed is the one checked (as for tasks,
//!   only the latest: earlier periods were checked by earlier sweeps). The indicators of the
//!   region's plans for that period's year owe a region-wide figure from their lead unit (when one
//!   is named) and one figure from each unit holding a share of the target (a split). The figure
//!   counts as reported on the day (China Standard Time) its first revision arrived.
//! - **Key projects.** A project of the current year is an item `project:<id>` of its responsible
//!   unit, due on its planned completion (or the year's end), done once completed, with its
//!   investment lamp, so lamp changes are recorded like a task's. Each open coordination issue is
//!   an item `project_issue:<id>` of the unit owning it, due on its due date.

use crate::AppError;
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::RegionId;
use luoshi_domain::indicator::Cadence;
use luoshi_domain::lamp::Lamp;
use luoshi_domain::project::{ProjectPolicy, ProjectStage, project_standing};
use luoshi_domain::supervision::{
    DeadlineItem, IndicatorObligation, ItemRef, Subject, SupervisionPolicy,
};
use luoshi_store::Db;
use luoshi_store::projects::{self, ProjectFilter};
use luoshi_store::supervision as store;
use std::collections::{BTreeMap, HashMap};
use time::{Date, Month};

/// Indicator obligations and project items, with a readable label for each subject (the
/// indicator's or project's name, the issue's text) keyed by the subject's text form.
#[derive(Debug, Default)]
pub(super) struct OtherFacts {
    pub indicators: Vec<IndicatorObligation>,
    pub items: Vec<DeadlineItem>,
    pub labels: HashMap<String, String>,
}

const CADENCES: [Cadence; 3] = [
    Cadence::Monthly,
    Cadence::MonthlyFromFebruary,
    Cadence::Quarterly,
];

/// The latest period with `cadence` whose reporting deadline is before `as_of`.
pub(super) fn latest_due_period(
    policy: &SupervisionPolicy,
    cadence: Cadence,
    as_of: Date,
) -> Option<Period> {
    let (mut year, mut month) = (as_of.year(), u8::from(as_of.month()));
    for _ in 0..24 {
        if cadence.expects(month) {
            let p = Period::new("period", year, month).ok()?;
            if policy.indicator_report_due(p) < as_of {
                return Some(p);
            }
        }
        if month == 1 {
            (year, month) = (year - 1, 12);
        } else {
            month -= 1;
        }
    }
    None
}

pub(super) async fn indicator_obligations(
    db: &Db,
    region: RegionId,
    policy: &SupervisionPolicy,
    as_of: Date,
    out: &mut OtherFacts,
) -> Result<(), AppError> {
    let due: Vec<(Cadence, Period)> = CADENCES
        .iter()
        .filter_map(|c| latest_due_period(policy, *c, as_of).map(|p| (*c, p)))
        .collect();
    let mut years: BTreeMap<i32, u8> = BTreeMap::new();
    for (_, p) in &due {
        let m = years.entry(p.year()).or_insert(p.month());
        *m = (*m).min(p.month());
    }
    for (year, from_month) in years {
        let duties = store::indicator_duties(db, region, year).await?;
        if duties.is_empty() {
            continue;
        }
        let first = store::first_reports(db, region, year, from_month).await?;
        for d in duties {
            let Some((_, period)) = due
                .iter()
                .find(|(c, p)| *c == d.cadence && p.year() == year)
            else {
                continue;
            };
            let owing = d.lead_unit.map(|u| (u, None)).into_iter().chain(
                d.split_units
                    .iter()
                    .filter(|u| Some(**u) != d.lead_unit)
                    .map(|u| (*u, Some(*u))),
            );
            for (unit, reporter) in owing {
                let o = IndicatorObligation {
                    indicator: d.indicator,
                    unit,
                    period: *period,
                    reported_on: first
                        .get(&(d.indicator, reporter, year, period.month()))
                        .copied(),
                };
                let subject = Subject::Indicator {
                    indicator: d.indicator,
                    unit,
                };
                out.labels.insert(subject.to_string(), d.name.clone());
                out.indicators.push(o);
            }
        }
    }
    Ok(())
}

pub(super) async fn project_items(
    db: &Db,
    region: RegionId,
    policy: &ProjectPolicy,
    last_lamps: &HashMap<String, Lamp>,
    as_of: Date,
    out: &mut OtherFacts,
) -> Result<(), AppError> {
    let list = projects::list(db, region, ProjectFilter::default()).await?;
    let list: Vec<_> = list
        .into_iter()
        .filter(|s| s.project.fields.year == as_of.year())
        .collect();
    if list.is_empty() {
        return Ok(());
    }
    let values: Vec<_> = projects::investments(db, region, None)
        .await?
        .into_iter()
        .map(|s| s.value)
        .collect();
    for s in &list {
        let p = &s.project;
        let f = &p.fields;
        let item = ItemRef::new("project", &p.id.to_string())?;
        let subject = Subject::Item(item.clone());
        let key = subject.to_string();
        let standing = project_standing(p, &values, as_of, policy);
        let year_end = Date::from_calendar_date(f.year, Month::December, 31)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        out.items.push(DeadlineItem {
            item,
            unit: f.responsible_unit,
            due: f.planned_completion.unwrap_or(year_end),
            done: f.stage >= ProjectStage::Completed,
            lamp: Some(standing.lamp),
            last_lamp: last_lamps.get(&key).copied(),
        });
        out.labels.insert(key, f.name.clone());
        for (issue, id) in f.issues.iter().zip(&s.issue_ids) {
            if issue.resolved_on.is_some() {
                continue;
            }
            let item = ItemRef::new("project_issue", &id.to_string())?;
            let key = Subject::Item(item.clone()).to_string();
            out.items.push(DeadlineItem {
                item,
                unit: issue.owner,
                due: issue.due,
                done: false,
                lamp: None,
                last_lamp: None,
            });
            out.labels
                .insert(key, format!("{}（{}）", f.name, issue.text));
        }
    }
    Ok(())
}

/// Every organ's clock of the region's routed petition cases (see `petitions::reminders`), each
/// with the lamp the store last observed for it.
pub(super) async fn petition_items(
    app: &crate::App,
    region: RegionId,
    last_lamps: &HashMap<String, Lamp>,
    as_of: Date,
    out: &mut OtherFacts,
) -> Result<(), AppError> {
    for mut item in app.petition_deadline_items(region, as_of).await? {
        let key = Subject::Item(item.item.clone()).to_string();
        item.last_lamp = last_lamps.get(&key).copied();
        let step = match item.item.kind().trim_start_matches("petition_") {
            "routing" => "转送交办",
            "acceptance" => "受理告知",
            "conclusion" => "办理答复",
            "review_decision" => "复查意见",
            "rereview_decision" | "re_review_decision" => "复核意见",
            "case_leader" => "包案化解",
            _ => "办理时限",
        };
        out.labels.insert(key, format!("信访事项·{step}"));
        out.items.push(item);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn latest_due_period_by_cadence() {
        // Defaults: a month's value is due on the 25th of the following month.
        let p = SupervisionPolicy::default();
        let cases = [
            (Cadence::Monthly, date!(2026 - 06 - 25), (2026, 4)),
            (Cadence::Monthly, date!(2026 - 06 - 26), (2026, 5)),
            (Cadence::Quarterly, date!(2026 - 08 - 20), (2026, 6)),
            (
                Cadence::MonthlyFromFebruary,
                date!(2026 - 02 - 20),
                (2025, 12),
            ),
            (Cadence::Monthly, date!(2026 - 01 - 03), (2025, 11)),
        ];
        for (c, as_of, (y, m)) in cases {
            let got = latest_due_period(&p, c, as_of).map(|p| (p.year(), p.month()));
            assert_eq!(got, Some((y, m)), "{c:?} as of {as_of}");
        }
    }
}
