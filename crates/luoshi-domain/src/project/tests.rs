#![allow(clippy::unwrap_used)]

use super::*;
use crate::lamp::Lamp;
use crate::measure::dec;
use time::macros::date;
use uuid::Uuid;

fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}

fn pid(n: u128) -> ProjectId {
    ProjectId::from_uuid(Uuid::from_u128(n))
}

fn period(y: i32, m: u8) -> Period {
    Period::new("period", y, m).unwrap()
}

fn fields() -> ProjectFields {
    ProjectFields {
        name: "标准化厂房建设项目".into(),
        park: "伯阳工业园".into(),
        investment_unit: MeasureUnit::WanYuan,
        total_investment: dec("12000"),
        year: 2026,
        annual_investment: dec("6000"),
        planned_start: period(2026, 3),
        planned_completion: Some(date!(2027 - 06 - 30)),
        planned_production: Some(date!(2027 - 09 - 30)),
        stage: ProjectStage::UnderConstruction,
        started_on: Some(date!(2026 - 03 - 10)),
        completed_on: None,
        in_production_on: None,
        leader: None,
        responsible_unit: unit(1),
        issues: vec![ProjectIssue {
            text: "用地报批".into(),
            owner: unit(2),
            raised_on: date!(2026 - 04 - 01),
            due: date!(2026 - 05 - 31),
            resolved_on: None,
        }],
    }
}

fn project(n: u128, fields: ProjectFields) -> Project {
    Project {
        id: pid(n),
        region: RegionId::from_uuid(Uuid::from_u128(99)),
        fields,
        version: 1,
    }
}

fn value(p: u128, y: i32, m: u8, v: &str, revision: i32) -> InvestmentValue {
    InvestmentValue {
        project: pid(p),
        period: period(y, m),
        value: dec(v),
        source: "统计局".into(),
        revision,
    }
}

#[test]
fn validation_names_fields() {
    type Edit = fn(&mut ProjectFields);
    let cases: [(Edit, &str, &str); 12] = [
        (|f| f.name = " ".into(), "name", "required"),
        (|f| f.park = String::new(), "park", "required"),
        (
            |f| f.investment_unit = MeasureUnit::Percent,
            "investment_unit",
            "invalid_unit",
        ),
        (
            |f| f.total_investment = dec("0"),
            "total_investment",
            "out_of_range",
        ),
        (
            |f| f.annual_investment = dec("12000.01"),
            "annual_investment",
            "out_of_range",
        ),
        (
            |f| f.planned_completion = Some(date!(2026 - 02 - 28)),
            "planned_completion",
            "out_of_order",
        ),
        (
            |f| f.planned_production = Some(date!(2027 - 06 - 29)),
            "planned_production",
            "out_of_order",
        ),
        (|f| f.started_on = None, "started_on", "required"),
        (
            |f| f.stage = ProjectStage::Preparation,
            "started_on",
            "inconsistent",
        ),
        (
            |f| {
                f.stage = ProjectStage::Completed;
                f.completed_on = Some(date!(2026 - 03 - 01));
            },
            "completed_on",
            "out_of_order",
        ),
        (
            |f| f.issues[0].text = String::new(),
            "issues[0].text",
            "required",
        ),
        (
            |f| f.issues[0].due = date!(2026 - 03 - 31),
            "issues[0].due",
            "out_of_order",
        ),
    ];
    for (edit, field, code) in cases {
        let mut f = fields();
        edit(&mut f);
        let e = f.validate().unwrap_err();
        assert_eq!((e.field.as_str(), e.code), (field, code), "{}", e.message);
    }
    assert!(fields().validate().is_ok());
}

#[test]
fn units_and_stages_parse() {
    assert_eq!(
        ProjectFields::parse_unit("u", "").unwrap(),
        MeasureUnit::WanYuan
    );
    assert_eq!(
        ProjectFields::parse_unit("u", "亿元").unwrap(),
        MeasureUnit::YiYuan
    );
    assert_eq!(
        ProjectFields::parse_unit("u", "个").unwrap_err().code,
        "invalid_unit"
    );
    assert_eq!(
        ProjectStage::parse("stage", "投產").unwrap(),
        ProjectStage::InProduction
    );
    assert_eq!(
        ProjectStage::parse("stage", "在建").unwrap(),
        ProjectStage::UnderConstruction
    );
    assert_eq!(
        ProjectStage::parse("stage", "x").unwrap_err().field,
        "stage"
    );
    assert_eq!(
        Money::new("m", dec("1"), MeasureUnit::Percent)
            .unwrap_err()
            .field,
        "m"
    );
}

#[test]
fn monthly_values_stay_cumulative() {
    let existing = [
        value(1, 2026, 2, "400", 1),
        value(1, 2026, 4, "2000", 1),
        value(1, 2026, 4, "1200", 2),
        value(1, 2025, 12, "9000", 1),
    ];
    let ok = |v: &str| validate_investment(period(2026, 3), dec(v), "统计局", &existing);
    assert!(ok("800").is_ok());
    assert!(ok("400").is_ok());
    assert!(ok("1200").is_ok());
    // Above April's current (second) revision of 1200, though below the superseded 2000.
    assert_eq!(ok("1300").unwrap_err().code, "decreasing");
    assert_eq!(ok("399").unwrap_err().code, "decreasing");
    assert_eq!(ok("-1").unwrap_err().field, "value");
    // Last year's December does not bound January.
    assert!(validate_investment(period(2026, 1), dec("10"), "", &existing).is_ok());
}

fn values() -> Vec<InvestmentValue> {
    vec![
        value(1, 2026, 2, "400", 1),
        value(1, 2026, 3, "1000", 1),
        value(1, 2026, 4, "2000", 1),
        value(1, 2026, 4, "1200", 2),
        value(1, 2026, 6, "1300", 1),
        value(1, 2026, 7, "1500", 1),
        // Another project's value is ignored.
        value(2, 2026, 7, "6000", 1),
    ]
}

#[test]
fn investment_lamps_at_several_dates() {
    let p = project(1, fields().validate().unwrap());
    let policy = ProjectPolicy::default();
    // (as of, period, completed, expected, expected %, completion %, gap, lamp)
    type Row = (
        Date,
        Option<(i32, u8)>,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Lamp,
    );
    let cases: [Row; 7] = [
        // January has not ended and nothing is recorded: nothing to evaluate.
        (
            date!(2026 - 01 - 20),
            None,
            "0",
            None,
            None,
            None,
            None,
            Lamp::Green,
        ),
        // January has ended with nothing recorded: 0 against 1/12 = 500, 8.33 pp behind.
        (
            date!(2026 - 01 - 31),
            Some((2026, 1)),
            "0",
            Some("500"),
            Some("8.33"),
            Some("0"),
            Some("-8.33"),
            Lamp::Green,
        ),
        // 400 of 6000 = 6.67% against 2/12 = 16.67%: exactly 10 pp behind is yellow.
        (
            date!(2026 - 02 - 28),
            Some((2026, 2)),
            "400",
            Some("1000"),
            Some("16.67"),
            Some("6.67"),
            Some("-10.00"),
            Lamp::Yellow,
        ),
        (
            date!(2026 - 04 - 10),
            Some((2026, 3)),
            "1000",
            Some("1500"),
            Some("25"),
            Some("16.67"),
            Some("-8.33"),
            Lamp::Green,
        ),
        // April's second revision (1200) replaces the first (2000): 20% against 33.33%.
        (
            date!(2026 - 05 - 10),
            Some((2026, 4)),
            "1200",
            Some("2000"),
            Some("33.33"),
            Some("20"),
            Some("-13.33"),
            Lamp::Yellow,
        ),
        (
            date!(2026 - 07 - 05),
            Some((2026, 6)),
            "1300",
            Some("3000"),
            Some("50"),
            Some("21.67"),
            Some("-28.33"),
            Lamp::Yellow,
        ),
        // 25% against 7/12 = 58.33%: more than 30 pp behind.
        (
            date!(2026 - 08 - 03),
            Some((2026, 7)),
            "1500",
            Some("3500"),
            Some("58.33"),
            Some("25"),
            Some("-33.33"),
            Lamp::Red,
        ),
    ];
    let d = |s: Option<&str>| s.map(dec);
    for (as_of, per, completed, expected, expected_pct, completion, gap, lamp) in cases {
        let s = project_standing(&p, &values(), as_of, &policy);
        assert_eq!(s.period, per.map(|(y, m)| period(y, m)), "{as_of}");
        assert_eq!(s.completed, dec(completed), "{as_of}");
        assert_eq!(s.expected, d(expected), "{as_of}");
        assert_eq!(s.expected_pct, d(expected_pct), "{as_of}");
        assert_eq!(s.completion_pct, d(completion), "{as_of}");
        assert_eq!(s.gap_pp, d(gap), "{as_of}");
        assert_eq!(s.lamp, lamp, "{as_of}");
    }
    let red = project_standing(&p, &values(), date!(2026 - 08 - 03), &policy);
    assert_eq!(
        red.reasons,
        vec![ProjectReason::BehindInvestment {
            behind_pp: dec("33.33")
        }]
    );
    // Once completed, a project is green whatever its figures.
    let mut f = fields();
    f.stage = ProjectStage::Completed;
    f.completed_on = Some(date!(2026 - 07 - 31));
    let done = project(1, f.validate().unwrap());
    let s = project_standing(&done, &values(), date!(2026 - 08 - 03), &policy);
    assert_eq!((s.lamp, s.reasons.len()), (Lamp::Green, 0));
    assert_eq!(s.gap_pp, Some(dec("-33.33")));
}

#[test]
fn not_started_in_its_planned_month() {
    let mut f = fields();
    f.stage = ProjectStage::Preparation;
    f.started_on = None;
    f.annual_investment = dec("0");
    let p = project(1, f.validate().unwrap());
    let policy = ProjectPolicy::default();
    let cases = [
        (date!(2026 - 03 - 31), Lamp::Green, None),
        (date!(2026 - 04 - 01), Lamp::Yellow, Some(1)),
        (date!(2026 - 06 - 30), Lamp::Yellow, Some(3)),
        (date!(2026 - 07 - 01), Lamp::Red, Some(4)),
        (date!(2027 - 01 - 15), Lamp::Red, Some(10)),
    ];
    for (as_of, lamp, months) in cases {
        let s = project_standing(&p, &[], as_of, &policy);
        assert_eq!(s.lamp, lamp, "{as_of}");
        assert_eq!(s.gap_pp, None, "no annual plan, no gap");
        let want: Vec<ProjectReason> = months
            .map(|m| ProjectReason::NotStarted {
                planned: period(2026, 3),
                months_over: m,
            })
            .into_iter()
            .collect();
        assert_eq!(s.reasons, want, "{as_of}");
    }
    let strict = ProjectPolicy {
        not_started_red_after_months: 2,
        ..ProjectPolicy::default()
    };
    assert_eq!(
        project_standing(&p, &[], date!(2026 - 06 - 01), &strict).lamp,
        Lamp::Red
    );
    // Started in June (late, but started): the start rule no longer applies.
    let mut f = p.fields.clone();
    f.stage = ProjectStage::UnderConstruction;
    f.started_on = Some(date!(2026 - 06 - 15));
    let started = project(1, f.validate().unwrap());
    assert_eq!(
        project_standing(&started, &[], date!(2026 - 07 - 01), &policy).lamp,
        Lamp::Green
    );
    // A start recorded for a later date does not count yet.
    assert_eq!(
        project_standing(&started, &[], date!(2026 - 06 - 10), &policy).lamp,
        Lamp::Yellow
    );
}

#[test]
fn expectation_from_the_planned_start() {
    let p = project(1, fields().validate().unwrap());
    let policy = ProjectPolicy {
        expected: ExpectedInvestment::FromPlannedStart,
        ..ProjectPolicy::default()
    };
    // Planned for March: nothing expected for February; by May 3 of the 10 months March–December.
    let s = project_standing(&p, &values(), date!(2026 - 02 - 28), &policy);
    assert_eq!((s.expected, s.lamp), (Some(dec("0")), Lamp::Green));
    let s = project_standing(
        &p,
        &[value(1, 2026, 5, "1500", 1)],
        date!(2026 - 06 - 02),
        &policy,
    );
    assert_eq!(s.expected, Some(dec("1800")));
    assert_eq!(s.expected_pct, Some(dec("30")));
    assert_eq!(s.gap_pp, Some(dec("-5")));
}

#[test]
fn overdue_issues_are_listed() {
    let p = project(1, fields().validate().unwrap());
    let policy = ProjectPolicy::default();
    let at = |d| project_standing(&p, &[], d, &policy).overdue_issues;
    assert_eq!(at(date!(2026 - 05 - 31)), Vec::<usize>::new());
    assert_eq!(at(date!(2026 - 06 - 01)), vec![0]);
    let mut f = fields();
    f.issues[0].resolved_on = Some(date!(2026 - 06 - 10));
    let p = project(1, f.validate().unwrap());
    let at = |d| project_standing(&p, &[], d, &policy).overdue_issues;
    assert_eq!(at(date!(2026 - 06 - 05)), vec![0]);
    assert_eq!(at(date!(2026 - 06 - 15)), Vec::<usize>::new());
}

#[test]
fn rollup_and_cross_check() {
    let with = |n: u128, unit: MeasureUnit, total: &str| {
        let mut f = fields();
        f.investment_unit = unit;
        f.total_investment = dec(total);
        f.annual_investment = dec(total);
        project(n, f.validate().unwrap())
    };
    let a = with(1, MeasureUnit::WanYuan, "12000");
    let b = with(2, MeasureUnit::YiYuan, "3.2");
    let c = with(3, MeasureUnit::WanYuan, "480");
    let d = with(4, MeasureUnit::WanYuan, "500");
    let e = with(5, MeasureUnit::Yuan, "6000000");
    let va = values();
    let vb = [value(2, 2026, 7, "1.05", 1)];
    let vc = [value(3, 2026, 7, "300", 1)];
    let vd = [value(4, 2025, 12, "900", 1), value(4, 2026, 5, "260", 1)];
    let input: [(&Project, &[InvestmentValue]); 5] =
        [(&a, &va), (&b, &vb), (&c, &vc), (&d, &vd), (&e, &[])];
    let r = rollup(&input, period(2026, 7), &ProjectPolicy::default());
    // 1500 万元 + 1.05 亿元 + 260 万元 (May, carried forward) = 0.15 + 1.05 + 0.026 亿元.
    assert_eq!(r.total, Money::yi(dec("1.226")));
    assert_eq!(r.counted, vec![pid(1), pid(2), pid(4), pid(5)]);
    assert_eq!(r.not_counted, vec![pid(3)]);
    assert_eq!(r.carried_forward, vec![pid(4)]);
    assert_eq!(r.unreported, vec![pid(5)]);
    // June: A 1300 万元, B and D have nothing in June or before except D's May.
    let r6 = rollup(&input, period(2026, 6), &ProjectPolicy::default());
    assert_eq!(r6.total, Money::yi(dec("0.156")));
    assert_eq!(r6.unreported, vec![pid(2), pid(5)]);

    let cc = cross_check(&r, &Money::yi(dec("4.1"))).unwrap();
    assert_eq!(cc.difference, Money::yi(dec("-2.874")));
    assert_eq!(cc.projects_share_pct, Some(dec("29.90")));
    // The same figure reported in 万元 gives the same answer, in 亿元.
    let cc2 = cross_check(&r, &Money::wan(dec("41000"))).unwrap();
    assert_eq!(cc2.reported, Money::yi(dec("4.1")));
    assert_eq!(cc2.difference, cc.difference);
    // Projects claiming more than the whole show a positive difference.
    let over = cross_check(&r, &Money::yi(dec("1"))).unwrap();
    assert_eq!(over.difference, Money::yi(dec("0.226")));
    let bad = Money {
        value: dec("1"),
        unit: MeasureUnit::Percent,
    };
    assert_eq!(cross_check(&r, &bad).unwrap_err().field, "reported");
}

#[test]
fn months_add_to_periods() {
    assert_eq!(
        add_months_to_period(period(2026, 11), 3),
        Some(period(2027, 2))
    );
    assert_eq!(
        add_months_to_period(period(2026, 3), 0),
        Some(period(2026, 3))
    );
    assert_eq!(add_months_to_period(period(2999, 12), 1), None);
}
