//! The sweep beyond tasks: indicator figures owed by their lead unit and by units holding a share
//! of the target, and key projects (their lamp, their planned completion, their open issues).
//! Every expected event below is worked out by hand from the default policies: a month's figure
//! is due on the 25th of the next month; reminders 7, 3 and 1 days before a deadline, overdue
//! marks 1, 4, 7 … days after; project lamps by the 10/30-point lag and the not-started rule.

use crate::sweep::{at, setup};
use luoshi_app::{InvestmentInput, Sweeper, ValueInput};
use luoshi_domain::calendar::Period;
use luoshi_domain::indicator::{Accumulation, Cadence, DataStatus, Direction, IndicatorFields};
use luoshi_domain::measure::{Decimal, MeasureUnit};
use luoshi_domain::org::UnitFields;
use luoshi_domain::project::{ProjectFields, ProjectIssue, ProjectStage};
use luoshi_store::Page;
use luoshi_testkit::db_test;
use time::Date;
use time::macros::date;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

db_test!(indicator_and_project_deadlines_are_swept_once, |t| {
    let s = setup(t.db.clone()).await;
    let region = s.admin.region;
    let plan = s.app.list_plans(&s.admin).await.unwrap()[0].0.id;
    let units = s.app.list_units(&s.admin).await.unwrap();
    let zhongtan = units[0].0.id;
    let (xinglong, _) = s
        .app
        .create_unit(
            &s.admin,
            UnitFields::parse("xinglong", "兴隆镇", "township", None).unwrap(),
        )
        .await
        .unwrap();
    let (ind, _) = s
        .app
        .create_indicator(
            &s.admin,
            plan,
            IndicatorFields {
                name: "规上工业增加值".into(),
                unit: MeasureUnit::YiYuan,
                price_basis: None,
                direction: Direction::Increase,
                accumulation: Accumulation::Cumulative,
                cadence: Cadence::Monthly,
                baseline: None,
                baseline_growth_pct: None,
                target_value: Some(d("12")),
                target_growth_pct: None,
                section: None,
                lead_unit: Some(zhongtan),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    s.app
        .put_split(&s.admin, ind.id, xinglong.id, d("4"), None)
        .await
        .unwrap();
    let project = s
        .app
        .create_project(
            &s.admin,
            Some(plan),
            ProjectFields {
                name: "物流园一期".into(),
                park: "东区产业园".into(),
                investment_unit: MeasureUnit::WanYuan,
                total_investment: d("3000"),
                year: 2026,
                annual_investment: d("1200"),
                planned_start: Period::new("p", 2026, 9).unwrap(),
                planned_completion: Some(date!(2026 - 11 - 30)),
                planned_production: None,
                stage: ProjectStage::UnderConstruction,
                started_on: Some(date!(2026 - 09 - 01)),
                completed_on: None,
                in_production_on: None,
                leader: None,
                responsible_unit: zhongtan,
                issues: vec![ProjectIssue {
                    text: "用地手续".into(),
                    owner: xinglong.id,
                    raised_on: date!(2026 - 08 - 31),
                    due: date!(2026 - 10 - 10),
                    resolved_on: None,
                }],
            },
        )
        .await
        .unwrap();
    let (p, issue) = (project.project.id, project.issue_ids[0]);
    let value = |unit, month| ValueInput {
        unit,
        period: Period::new("p", 2026, month).unwrap(),
        value: d("3"),
        growth_pct: None,
        status: DataStatus::Flash,
        source: "统计局".into(),
    };

    let zt = zhongtan.to_string();
    let xl = xinglong.id.to_string();
    let (i, pk, ik) = (ind.id.to_string(), p.to_string(), issue.to_string());
    let missing =
        |unit: &str, period: &str| format!("indicator:{i}:unit:{unit}:report-missing:{period}");
    let overdue = |n: u32| format!("project_issue:{ik}:due:2026-10-10:overdue:{n}d");
    // (sweep day, the keys it records; the setup's task is left out)
    let days: Vec<(Date, Vec<String>)> = vec![
        // July's figures (due 25 August) came from nobody. The project is first seen: red
        // (8/12 of the year expected by August, nothing done), observed without an event.
        (
            date!(2026 - 09 - 15),
            vec![missing(&xl, "2026-07"), missing(&zt, "2026-07")],
        ),
        // August's figures were due on 25 September: the region's came on the 20th, 兴隆镇's
        // not yet.
        (date!(2026 - 09 - 26), vec![missing(&xl, "2026-08")]),
        // 兴隆镇's late figure (27 September) does not undo the event; nothing new.
        (date!(2026 - 09 - 28), vec![]),
        // 840 of 1,200 done by September (70 %, 75 % expected: 5 points behind): green.
        (
            date!(2026 - 10 - 02),
            vec![format!("project:{pk}:lamp:red-green:2026-10-02")],
        ),
        // The issue (due 10 October) is inside its 7-day mark (reached on 3 October).
        (
            date!(2026 - 10 - 04),
            vec![format!("project_issue:{ik}:due:2026-10-10:approaching:7d")],
        ),
        (date!(2026 - 10 - 11), vec![overdue(1)]),
        // September's figures are missing from both units; the issue is 16 days over (marks
        // 1, 4, … 16).
        (
            date!(2026 - 10 - 26),
            vec![
                missing(&xl, "2026-09"),
                missing(&zt, "2026-09"),
                overdue(16),
            ],
        ),
        // The project's completion (30 November) is 6 days away: the 7-day mark; the issue is
        // 45 days over (mark 43).
        (
            date!(2026 - 11 - 24),
            vec![
                format!("project:{pk}:due:2026-11-30:approaching:7d"),
                overdue(43),
            ],
        ),
    ];
    let mut inputs = vec![
        (date!(2026 - 09 - 20), None),
        (date!(2026 - 09 - 27), Some(xinglong.id)),
    ]
    .into_iter();
    for (day, want) in days {
        // Figures and investment entered since the previous sweep.
        if day == date!(2026 - 09 - 26) || day == date!(2026 - 09 - 28) {
            let (on, unit) = inputs.next().unwrap();
            s.clock.set(at(on));
            s.app
                .record_value(&s.admin, ind.id, value(unit, 8))
                .await
                .unwrap();
        }
        if day == date!(2026 - 10 - 02) {
            s.clock.set(at(date!(2026 - 10 - 01)));
            let input = InvestmentInput {
                period: Period::new("p", 2026, 9).unwrap(),
                value: d("840"),
                source: "项目单位".into(),
            };
            s.app.record_investment(&s.admin, p, input).await.unwrap();
        }
        s.clock.set(at(day));
        let got = s.app.sweep(Sweeper::System(region), day).await.unwrap();
        let mut got: Vec<String> = got
            .into_iter()
            .map(|e| e.event.dedup_key)
            .filter(|k| !k.starts_with("task:"))
            .collect();
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{day}");
        assert!(
            s.app
                .sweep(Sweeper::System(region), day)
                .await
                .unwrap()
                .is_empty(),
            "{day}: a second sweep records nothing"
        );
    }
    // Messages name what they are about and reach the unit that owes the work.
    let inbox = s
        .app
        .inbox(
            &s.reporter,
            Page {
                limit: 100,
                offset: 0,
            },
        )
        .await
        .unwrap();
    let titles: Vec<&str> = inbox.messages.iter().map(|m| m.title.as_str()).collect();
    assert!(
        titles.contains(&"进度未按时报送：规上工业增加值"),
        "{titles:?}"
    );
    assert!(titles.contains(&"亮灯变化：物流园一期"), "{titles:?}");
    assert!(titles.contains(&"临近截止提醒：物流园一期"), "{titles:?}");
    // The issue belongs to 兴隆镇, which has no users: nobody in 中滩镇 hears of it.
    assert!(!titles.iter().any(|t| t.contains("用地手续")), "{titles:?}");
});
