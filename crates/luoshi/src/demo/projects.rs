//! The demo's key projects (issue #7): a handful of projects in the district's parks with their
//! monthly investment reported by the responsible unit, so that every project lamp colour shows.
//! Names are our own short inventions.

use super::{DemoOptions, District, at, unit_by_code};
use anyhow::{Context, Result};
use luoshi_app::InvestmentInput;
use luoshi_domain::calendar::{Period, month_end};
use luoshi_domain::measure::{Decimal, MeasureUnit};
use luoshi_domain::project::{ProjectFields, ProjectIssue, ProjectStage};
use time::{Date, Month};

/// (name, park, unit code, total 万元, annual 万元, start month, start day (0: never started),
/// months to finish this year's work (completed then), pace against the time share in %)
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    u8,
    u8,
    u8,
    i64,
);

#[rustfmt::skip]
const PROJECTS: &[Spec] = &[
    // Ahead of the time share: green.
    ("新材料产业园一期", "社棠工业园", "shetang", 32_000, 12_000, 3, 16, 12, 102),
    // 80% of the pace: about 15 points behind by autumn, yellow.
    ("冷链物流中心", "马跑泉物流园", "mapaoquan", 18_000, 8_000, 2, 20, 12, 80),
    // Half the pace: red.
    ("城区东出口路网", "城东片区", "jtj", 45_000, 15_000, 4, 8, 12, 50),
    // Planned for May and still in preparation: red (not started).
    ("电子元器件生产线", "中滩工业集中区", "zhongtan", 9_000, 4_000, 5, 0, 12, 0),
    // Finished in June: green from then on.
    ("屋顶光伏储能", "社棠工业园", "fgj", 3_600, 3_600, 1, 12, 6, 100),
    // Below the 500 万元 threshold: shown, but left out of the fixed-asset-investment roll-up.
    ("村级污水处理站", "中滩镇", "zhongtan", 450, 450, 3, 5, 12, 95),
];

fn day(year: i32, month: u8, d: u8) -> Result<Date> {
    Ok(Date::from_calendar_date(year, Month::try_from(month)?, d)?)
}

/// Create the projects at the start of the year and replay their monthly reports (each month's
/// cumulative figure entered on the 10th of the next month) up to the pinned today.
pub(super) async fn build(d: &District, opts: &DemoOptions) -> Result<()> {
    let year = opts.today.year();
    for &(name, park, code, total, annual, start, start_day, finish, pace) in PROJECTS {
        let unit = unit_by_code(d, code).with_context(|| format!("demo unit {code}"))?;
        let started = (start_day > 0)
            .then(|| day(year, start, start_day))
            .transpose()?
            .filter(|s| *s <= opts.today);
        let finished = month_end(year, finish);
        let completed =
            (finish < 12 && started.is_some() && finished <= opts.today).then_some(finished);
        let stage = match (started, completed) {
            (_, Some(_)) => ProjectStage::Completed,
            (Some(_), None) => ProjectStage::UnderConstruction,
            (None, _) => ProjectStage::Preparation,
        };
        let fields = ProjectFields {
            name: name.into(),
            park: park.into(),
            investment_unit: MeasureUnit::WanYuan,
            total_investment: Decimal::from(total),
            year,
            annual_investment: Decimal::from(annual),
            planned_start: Period::new("planned_start", year, start)?,
            planned_completion: Some(if finish < 12 {
                finished
            } else {
                day(year + 1, 12, 31)?
            }),
            planned_production: None,
            stage,
            started_on: started,
            completed_on: completed,
            in_production_on: None,
            leader: d.leaders.first().copied(),
            responsible_unit: unit,
            issues: vec![],
        };
        d.clock.set(at(day(year, 1, 6)?, 2));
        let view = d.app.create_project(&d.admin, Some(d.plan), fields).await?;
        let id = view.project.id;
        let reporter = d.reporter.get(&unit).unwrap_or(&d.supervisor);
        let Some(first) = started.map(|s| u8::from(s.month())) else {
            continue;
        };
        for m in first..=12u8 {
            let entered = month_end(year, m).next_day().map(|x| x.replace_day(10));
            let Some(Ok(entered)) = entered else { continue };
            if entered > opts.today {
                break;
            }
            d.clock.set(at(entered, 2));
            // Cumulative: the share of this year's work done by month m, at the project's pace.
            let share = Decimal::from(m.min(finish)) / Decimal::from(finish);
            let value = (Decimal::from(annual) * share * Decimal::from(pace)
                / Decimal::ONE_HUNDRED)
                .round_dp(0);
            let input = InvestmentInput {
                period: Period::new("period", year, m)?,
                value,
                source: "项目单位月报".into(),
            };
            d.app.record_investment(reporter, id, input).await?;
        }
        // The lagging road project has a coordination issue past its due date.
        let raised = day(year, 8, 1)?;
        if code == "jtj" && raised <= opts.today {
            d.clock.set(at(raised, 2));
            let issue = ProjectIssue {
                text: "沿线拆迁协调".into(),
                owner: unit,
                raised_on: raised,
                due: day(year, 9, 30)?,
                resolved_on: None,
            };
            let current = d.app.get_project(&d.admin, id).await?;
            d.app
                .add_project_issue(&d.admin, id, issue, current.view.project.version)
                .await?;
        }
    }
    Ok(())
}
