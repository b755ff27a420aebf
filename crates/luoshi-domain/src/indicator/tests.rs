use super::*;
use crate::measure::dec;

fn p(y: i32, m: u8, v: &str) -> Point {
    Point {
        period: Period::new("p", y, m).unwrap(),
        value: dec(v),
        growth_pct: None,
    }
}

fn fields(target: Option<&str>, growth: Option<&str>) -> IndicatorFields {
    IndicatorFields {
        name: "地区生产总值".into(),
        unit: MeasureUnit::YiYuan,
        price_basis: Some(PriceBasis::Comparable),
        direction: Direction::Increase,
        accumulation: Accumulation::Cumulative,
        cadence: Cadence::Quarterly,
        baseline: Some(dec("43.95")),
        baseline_growth_pct: Some(dec("13.5")),
        target_value: target.map(dec),
        target_growth_pct: growth.map(dec),
        section: None,
        lead_unit: None,
        note: String::new(),
    }
}

#[test]
fn the_speech_figures_check_each_other() {
    // GDP 43.95 → 49.4 亿元 is +12.4%; fiscal revenue 2.63 → 3 亿元 is +14.1%.
    assert_eq!(
        growth_pct(dec("43.95"), dec("49.4")).unwrap().round_dp(1),
        dec("12.4")
    );
    assert_eq!(
        growth_pct(dec("2.63"), dec("3")).unwrap().round_dp(1),
        dec("14.1")
    );
    // Investment 31.36 亿元 +30% implies 40.768, published as the masked "40.*".
    assert_eq!(
        implied_value(dec("31.36"), dec("30")).unwrap(),
        dec("40.768")
    );
    assert_eq!(
        implied_value(dec("43.95"), dec("12.4"))
            .unwrap()
            .round_dp(1),
        dec("49.4")
    );
    assert_eq!(growth_pct(Decimal::ZERO, dec("1")), None);
}

#[test]
fn expected_progress_month_share_day_share_and_seasonal() {
    let policy = LampPolicy::default();
    let june = Period::new("p", 2026, 6).unwrap();
    assert_eq!(expected_pct(june, &[], &policy), (dec("50"), false));
    let oct = Period::new("p", 2026, 10).unwrap();
    assert_eq!(expected_pct(oct, &[], &policy).0, dec("83.33"));
    let days = LampPolicy {
        expected_basis: ExpectedBasis::DayShare,
        ..LampPolicy::default()
    };
    // 181 of 365 days at the end of June 2026.
    assert_eq!(expected_pct(june, &[], &days).0, dec("49.59"));
    // Last year 1–6月 was 40 of 100: the seasonal expectation is 40%, not 50%.
    let last = [p(2025, 6, "40"), p(2025, 12, "100")];
    assert_eq!(expected_pct(june, &last, &policy), (dec("40"), true));
    let off = LampPolicy {
        seasonal_profile: false,
        ..LampPolicy::default()
    };
    assert_eq!(expected_pct(june, &last, &off), (dec("50"), false));
    // Without December last year, fall back to m/12.
    assert_eq!(
        expected_pct(june, &[p(2025, 6, "40")], &policy),
        (dec("50"), false)
    );
}

#[test]
fn evaluation_matrix_for_a_cumulative_indicator() {
    let policy = LampPolicy::default();
    let f = fields(Some("49.4"), None);
    // (cumulative value at June, gap in percentage points)
    let cases = [
        ("24.7", "0"),
        ("20.0", "-9.51"),
        ("17.29", "-15"),
        ("9.88", "-30"),
        ("9.8", "-30.16"),
    ];
    for (v, gap) in cases {
        let e = evaluate(&f, 2026, &[p(2026, 6, v)], &policy).unwrap();
        assert_eq!(e.gap_pp, Some(dec(gap)), "value {v}");
        assert_eq!(e.lamp, Some(policy.schedule_lamp(dec(gap))), "value {v}");
    }
    let e = evaluate(&f, 2026, &[p(2026, 6, "20.0")], &policy).unwrap();
    assert_eq!(
        e.lamp,
        Some(Lamp::Green),
        "9.51 pp behind is inside the green band"
    );
    let e = evaluate(&f, 2026, &[p(2026, 6, "9.88")], &policy).unwrap();
    assert_eq!(
        e.lamp,
        Some(Lamp::Yellow),
        "exactly 30 pp behind is yellow; red is beyond 30"
    );
}

#[test]
fn evaluation_uses_latest_period_and_growth() {
    let policy = LampPolicy::default();
    let f = fields(Some("49.4"), Some("12.4"));
    let pts = [
        p(2025, 9, "30"),
        p(2025, 12, "43.95"),
        p(2026, 3, "10"),
        p(2026, 9, "33"),
    ];
    let e = evaluate(&f, 2026, &pts, &policy).unwrap();
    assert_eq!(e.period.to_string(), "2026-09");
    assert_eq!(e.growth_pct, Some(dec("10")));
    assert_eq!(e.growth_gap_pp, Some(dec("-2.4")));
    assert_eq!(e.attainment_pct, Some(dec("66.80")));
    // Seasonal: last year 30 of 43.95 by September = 68.26%.
    assert_eq!((e.expected_pct, e.seasonal), (Some(dec("68.26")), true));
    assert_eq!(e.gap_pp, Some(dec("-1.46")));
    // The schedule is fine but growth is 2.4 pp short: yellow.
    assert_eq!(e.lamp, Some(Lamp::Yellow));
    // A reported growth rate wins over the computed one (comparable prices).
    let pts = [
        Point {
            growth_pct: Some(dec("12.6")),
            ..p(2026, 9, "33")
        },
        p(2025, 9, "30"),
    ];
    let e = evaluate(&f, 2026, &pts, &policy).unwrap();
    assert_eq!(
        (e.growth_pct, e.growth_gap_pp),
        (Some(dec("12.6")), Some(dec("0.2")))
    );
    assert!(evaluate(&f, 2026, &[p(2025, 9, "30")], &policy).is_none());
}

#[test]
fn decreasing_and_level_indicators() {
    let policy = LampPolicy::default();
    let mut f = fields(None, Some("-3"));
    f.direction = Direction::Decrease;
    f.accumulation = Accumulation::Level;
    let pts = [Point {
        growth_pct: Some(dec("-1.5")),
        ..p(2026, 6, "0.8")
    }];
    let e = evaluate(&f, 2026, &pts, &policy).unwrap();
    // Energy intensity fell 1.5% against a 3% target: 1.5 points short, yellow.
    assert_eq!(
        (e.growth_gap_pp, e.lamp),
        (Some(dec("-1.5")), Some(Lamp::Yellow))
    );
    let mut level = fields(Some("60"), None);
    level.accumulation = Accumulation::Level;
    level.unit = MeasureUnit::Percent;
    let e = evaluate(&level, 2026, &[p(2026, 6, "57")], &policy).unwrap();
    assert_eq!(
        (e.attainment_pct, e.gap_pp, e.lamp),
        (Some(dec("95")), Some(dec("-5")), Some(Lamp::Green))
    );
}

#[test]
fn cadences_and_splits() {
    assert!(!Cadence::MonthlyFromFebruary.expects(1));
    assert!(Cadence::MonthlyFromFebruary.expects(2));
    assert!(Cadence::Quarterly.expects(6) && !Cadence::Quarterly.expects(5));
    let c = check_split(dec("49.4"), &[dec("20"), dec("29")]);
    assert_eq!(c.shortfall, Some(dec("0.4")));
    assert_eq!(
        check_split(dec("3"), &[dec("1.5"), dec("1.6")]).shortfall,
        None
    );
}

#[test]
fn fields_validate_and_unknown_targets_carry_no_lamp() {
    let unknown = fields(None, None).validate().unwrap();
    let e = evaluate(&unknown, 2026, &[p(2026, 6, "20")], &LampPolicy::default()).unwrap();
    assert_eq!((e.attainment_pct, e.gap_pp, e.lamp), (None, None, None));
    let e = fields(Some("-1"), None).validate().unwrap_err();
    assert_eq!(e.field, "target_value");
    assert!(fields(None, Some("12.4")).validate().is_ok());
    assert_eq!(
        DataStatus::parse("status", "快報").unwrap(),
        DataStatus::Flash
    );
    assert_eq!(
        PriceBasis::parse("price_basis", "x").unwrap_err().field,
        "price_basis"
    );
}
