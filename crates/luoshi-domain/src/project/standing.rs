//! A project's standing on a day (expected investment, completion, gap, lamp and its reasons), the
//! roll-up of completed investment to the fixed-asset-investment figure, and the cross-check.

use super::{InvestmentValue, Money, Project, ProjectStage, current_values};
use crate::ValidationError;
use crate::calendar::{Period, month_end};
use crate::ids::ProjectId;
use crate::lamp::Lamp;
use crate::measure::{Decimal, MeasureUnit, percent_of};
use time::Date;

/// How the expected (time-proportional) investment of a month is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedInvestment {
    /// m/12 of the annual plan at the end of month m (序时进度), whatever the planned start.
    MonthShare,
    /// Linear from the planned start month to December: nothing is expected before the planned
    /// start; at month m ≥ s, (m − s + 1)/(13 − s) of the annual plan. Equals `MonthShare` for
    /// projects planned to start in January or in an earlier year.
    FromPlannedStart,
}

/// Thresholds for project lamps and the roll-up. Every number is policy; the defaults follow the
/// domain notes.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectPolicy {
    /// Yellow when completion is behind the expected share by at least this many points.
    pub yellow_behind_pp: Decimal,
    /// Red when behind by more than this many points.
    pub red_behind_pp: Decimal,
    /// Not started (开工) this many months after its planned month has ended → yellow. With 0, yellow
    /// from the first day after the planned month.
    pub not_started_yellow_after_months: u32,
    /// Not started this many months after the planned month → red. With 3 and a project planned for
    /// March, red from 1 July (April, May and June have passed).
    pub not_started_red_after_months: u32,
    pub expected: ExpectedInvestment,
    /// Projects whose total planned investment is at least this much count toward fixed-asset
    /// investment (the statistical threshold, 500 万元).
    pub fai_threshold: Money,
}

impl Default for ProjectPolicy {
    fn default() -> Self {
        Self {
            yellow_behind_pp: Decimal::from(10),
            red_behind_pp: Decimal::from(30),
            not_started_yellow_after_months: 0,
            not_started_red_after_months: 3,
            expected: ExpectedInvestment::MonthShare,
            fai_threshold: Money::wan(Decimal::from(500)),
        }
    }
}

/// `n` months after `p` (`None` past the year 2999).
pub fn add_months_to_period(p: Period, n: u32) -> Option<Period> {
    let index = i64::from(p.year()) * 12 + i64::from(p.month()) - 1 + i64::from(n);
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = u8::try_from(index.rem_euclid(12) + 1).ok()?;
    Period::new("period", year, month).ok()
}

/// Months from the month of `from` to the month of `to` (0 in the same month).
fn months_from(from: Period, to: Date) -> i64 {
    (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(u8::from(to.month()))
        - i64::from(from.month())
}

/// Why a project's lamp is not green.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectReason {
    /// Completion is behind the expected share of the annual plan by `behind_pp` points.
    BehindInvestment { behind_pp: Decimal },
    /// Construction has not started; `months_over` months have begun since the planned month.
    NotStarted { planned: Period, months_over: i64 },
}

/// Everything derived about a project on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectStanding {
    pub lamp: Lamp,
    /// The month evaluated: the latest month of the plan year that has ended by `as_of` and has a
    /// recorded value, or, when none has, the last month of the plan year that has ended (its
    /// value counted as 0). A month that has not ended is never evaluated.
    /// `None` before the plan year's first month has ended.
    pub period: Option<Period>,
    /// Cumulative investment completed in the plan year to `period`, in the project's unit.
    pub completed: Decimal,
    /// Expected cumulative investment at `period`, in the project's unit (2 decimals).
    pub expected: Option<Decimal>,
    pub expected_pct: Option<Decimal>,
    /// Completed / annual plan, in %.
    pub completion_pct: Option<Decimal>,
    /// Completion − expected, in percentage points (negative when behind).
    pub gap_pp: Option<Decimal>,
    pub reasons: Vec<ProjectReason>,
    /// Indexes into `fields.issues` of issues past their due date and not resolved by `as_of`.
    pub overdue_issues: Vec<usize>,
}

/// The last month of `year` that has ended by `as_of`.
fn last_ended_month(year: i32, as_of: Date) -> Option<Period> {
    if as_of.year() < year {
        return None;
    }
    if as_of.year() > year {
        return Period::new("period", year, 12).ok();
    }
    let m = u8::from(as_of.month());
    let m = if as_of == month_end(year, m) {
        m
    } else {
        m - 1
    };
    Period::new("period", year, m).ok()
}

/// Expected share of the annual plan at the end of `period`, as a fraction (numerator,
/// denominator) of whole months.
fn expected_share(project: &Project, period: Period, policy: &ProjectPolicy) -> (i64, i64) {
    let m = i64::from(period.month());
    let start = match policy.expected {
        ExpectedInvestment::MonthShare => 1,
        ExpectedInvestment::FromPlannedStart => {
            let p = project.fields.planned_start;
            match p.year().cmp(&period.year()) {
                std::cmp::Ordering::Less => 1,
                std::cmp::Ordering::Equal => i64::from(p.month()),
                std::cmp::Ordering::Greater => 13,
            }
        }
    };
    if m < start {
        return (0, 1);
    }
    (m - start + 1, 13 - start)
}

/// The standing of `project` on `as_of`: expected and completed investment, the gap and the lamp.
///
/// Red when behind the expected share by more than the red band or not started long after its
/// planned month; yellow when behind by the yellow band or not started once its planned month is
/// over; green otherwise, and always green once completed.
pub fn project_standing(
    project: &Project,
    values: &[InvestmentValue],
    as_of: Date,
    policy: &ProjectPolicy,
) -> ProjectStanding {
    let f = &project.fields;
    let own: Vec<InvestmentValue> = values
        .iter()
        .filter(|v| v.project == project.id)
        .cloned()
        .collect();
    let current = current_values(&own);
    let latest = current
        .iter()
        .rfind(|(p, _)| p.year() == f.year && p.last_day() <= as_of);
    let (period, completed) = match latest {
        Some((p, v)) => (Some(*p), *v),
        None => (last_ended_month(f.year, as_of), Decimal::ZERO),
    };
    let share = period.map(|p| expected_share(project, p, policy));
    let expected_pct = share.and_then(|(n, d)| percent_of(Decimal::from(n), Decimal::from(d)));
    let expected = share.and_then(|(n, d)| {
        f.annual_investment
            .checked_mul(Decimal::from(n))?
            .checked_div(Decimal::from(d))
            .map(|e| e.round_dp(2))
    });
    let completion_pct = period.and_then(|_| percent_of(completed, f.annual_investment));
    let gap_pp = match (completion_pct, expected_pct) {
        (Some(c), Some(e)) => Some(c - e),
        _ => None,
    };

    let mut lamp = Lamp::Green;
    let mut reasons = Vec::new();
    if f.stage < ProjectStage::Completed {
        if let Some(gap) = gap_pp {
            let behind = -gap;
            let l = if behind > policy.red_behind_pp {
                Lamp::Red
            } else if behind >= policy.yellow_behind_pp {
                Lamp::Yellow
            } else {
                Lamp::Green
            };
            if l > Lamp::Green {
                lamp = lamp.max(l);
                reasons.push(ProjectReason::BehindInvestment { behind_pp: behind });
            }
        }
        let not_started = f.started_on.is_none_or(|d| d > as_of);
        let months_over = months_from(f.planned_start, as_of);
        if not_started {
            let l = if months_over > i64::from(policy.not_started_red_after_months) {
                Lamp::Red
            } else if months_over > i64::from(policy.not_started_yellow_after_months) {
                Lamp::Yellow
            } else {
                Lamp::Green
            };
            if l > Lamp::Green {
                lamp = lamp.max(l);
                reasons.push(ProjectReason::NotStarted {
                    planned: f.planned_start,
                    months_over,
                });
            }
        }
    }
    let overdue_issues = f
        .issues
        .iter()
        .enumerate()
        .filter(|(_, i)| i.due < as_of && i.resolved_on.is_none_or(|r| r > as_of))
        .map(|(n, _)| n)
        .collect();
    ProjectStanding {
        lamp,
        period,
        completed,
        expected,
        expected_pct,
        completion_pct,
        gap_pp,
        reasons,
        overdue_issues,
    }
}

/// Completed investment of the projects that count toward fixed-asset investment, in 亿元.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub period: Period,
    /// Sum of the counted projects' cumulative values, in 亿元.
    pub total: Money,
    /// Projects at or above the threshold, in input order.
    pub counted: Vec<ProjectId>,
    /// Projects below the threshold (left out of the total).
    pub not_counted: Vec<ProjectId>,
    /// Counted projects without a value for `period`, whose latest earlier month of the same year
    /// was used instead (cumulative values carry forward).
    pub carried_forward: Vec<ProjectId>,
    /// Counted projects with no value in the year up to `period` (counted as 0).
    pub unreported: Vec<ProjectId>,
}

/// Roll the cumulative investment completed to `period` up over the projects that count toward
/// fixed-asset investment (total planned investment ≥ `policy.fai_threshold`).
pub fn rollup(
    projects: &[(&Project, &[InvestmentValue])],
    period: Period,
    policy: &ProjectPolicy,
) -> Rollup {
    let threshold = policy.fai_threshold.yuan().unwrap_or(Decimal::MAX);
    let mut out = Rollup {
        period,
        total: Money::yi(Decimal::ZERO),
        counted: vec![],
        not_counted: vec![],
        carried_forward: vec![],
        unreported: vec![],
    };
    for (project, values) in projects {
        let f = &project.fields;
        if f.total().yuan().is_none_or(|y| y < threshold) {
            out.not_counted.push(project.id);
            continue;
        }
        out.counted.push(project.id);
        let own: Vec<InvestmentValue> = values
            .iter()
            .filter(|v| v.project == project.id)
            .cloned()
            .collect();
        let current = current_values(&own);
        let found = current
            .iter()
            .rfind(|(p, _)| p.year() == period.year() && **p <= period);
        let value = match found {
            Some((p, v)) => {
                if *p != period {
                    out.carried_forward.push(project.id);
                }
                *v
            }
            None => {
                out.unreported.push(project.id);
                continue;
            }
        };
        let yi = f
            .investment_unit
            .convert(value, &MeasureUnit::YiYuan)
            .unwrap_or(Decimal::ZERO);
        out.total.value += yi;
    }
    out.total.value = out.total.value.normalize();
    out
}

/// The projects' roll-up set against the fixed-asset-investment figure the statistics bureau
/// reports for the same period, both in 亿元.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossCheck {
    pub period: Period,
    pub projects: Money,
    pub reported: Money,
    /// `projects − reported`, in 亿元. Projects are a part of all fixed-asset investment, so a
    /// positive difference means the project figures claim more than the whole and need checking.
    pub difference: Money,
    /// Projects / reported, in % (`None` when nothing is reported).
    pub projects_share_pct: Option<Decimal>,
}

/// Compare a roll-up with the reported fixed-asset-investment figure (any money unit; the error
/// names `reported` otherwise).
pub fn cross_check(rollup: &Rollup, reported: &Money) -> Result<CrossCheck, ValidationError> {
    let reported = reported.to(&MeasureUnit::YiYuan).ok_or_else(|| {
        ValidationError::new(
            "reported",
            "invalid_unit",
            "the reported figure must be in 亿元, 万元 or 元",
        )
    })?;
    let projects = rollup.total.clone();
    Ok(CrossCheck {
        period: rollup.period,
        difference: Money::yi((projects.value - reported.value).normalize()),
        projects_share_pct: percent_of(projects.value, reported.value),
        projects,
        reported,
    })
}
