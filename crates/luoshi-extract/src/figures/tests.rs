use crate::extract;
use rust_decimal::Decimal;

#[test]
fn respectively_distributes_growth() {
    let x = extract("今年目标：城乡居民人均可支配收入分别增长8%、9%。");
    let g: Vec<_> = x
        .targets
        .iter()
        .map(|f| (f.indicator.as_str(), f.growth_pct))
        .collect();
    assert_eq!(
        g,
        vec![
            ("城镇居民人均可支配收入", Some(Decimal::from(8))),
            ("农村居民人均可支配收入", Some(Decimal::from(9)))
        ]
    );
}

#[test]
fn decline_is_negative_and_comparisons_are_skipped() {
    let x = extract("去年全区固定资产投资下降2.4%。人均生产总值比全省平均水平低1200元。");
    assert_eq!(x.baselines.len(), 1);
    assert_eq!(x.baselines[0].growth_pct, Some(Decimal::new(-24, 1)));
}

#[test]
fn progress_is_neither_target_nor_baseline() {
    let x = extract("今年以来，全区社会消费品零售总额完成33.5亿元。");
    assert!(x.targets.is_empty() && x.baselines.is_empty());
}

#[test]
fn plan_year_is_read_from_plan_headings() {
    use crate::figures::cues::plan_year;
    use crate::normalize::Doc;
    let cases: &[(&str, Option<u32>)] = &[
        (
            "某镇2026年工作计划\n2025年全镇生产总值完成23亿元。",
            Some(2026),
        ),
        ("2025年工作回顾\n2026年主要目标和重点工作", Some(2026)),
        ("关于2024年区级十件民生实事项目的公示", Some(2024)),
        // Deadlines, range ends and completed goals do not name the plan year.
        ("到2035年远景目标", None),
        ("2021-2025年发展目标", None),
        ("圆满完成2025年目标任务", None),
        ("2023年全区地区生产总值完成352.8亿元。", None),
        // The plan word must follow on the same line.
        ("2026年\n工作计划", None),
    ];
    for (text, want) in cases {
        assert_eq!(plan_year(&Doc::new(text)), *want, "{text}");
    }
}

#[test]
fn years_before_the_plan_year_are_results() {
    // The second heading would read as a goal (年 + 主要) without the plan year.
    let text = "石埠镇2026年工作计划\n一、2025年主要指标完成情况\n全镇生产总值23.6亿元，增长5.8%。\n二、2026年目标\n全镇生产总值增长6%左右。";
    let x = extract(text);
    let b: Vec<_> = x
        .baselines
        .iter()
        .map(|f| (f.value, f.growth_pct))
        .collect();
    let t: Vec<_> = x.targets.iter().map(|f| (f.value, f.growth_pct)).collect();
    assert_eq!(
        b,
        vec![(Some(Decimal::new(236, 1)), Some(Decimal::new(58, 1)))]
    );
    assert_eq!(t, vec![(None, Some(Decimal::from(6)))]);
}

#[test]
fn the_plan_year_makes_plan_items_future() {
    // Without the plan year, `2026年` alone reads as a past year and hides the tasks.
    let x =
        extract("某市2026年十件民生实事实施方案\n2026年集中力量办好以下实事。\n新建中小学校8所。");
    assert_eq!(x.tasks.len(), 1, "{:?}", x.tasks);
}

/// (text, value, value_to, growth, growth_to)
type RangeCase = (
    &'static str,
    Option<Decimal>,
    Option<Decimal>,
    Option<Decimal>,
    Option<Decimal>,
);

#[test]
fn ranges_keep_both_ends() {
    let cases: &[RangeCase] = &[
        (
            "今年全市地区生产总值增长6%—6.5%。",
            None,
            None,
            Some(Decimal::from(6)),
            Some(Decimal::new(65, 1)),
        ),
        (
            "今年单位地区生产总值能耗下降2%-3%。",
            None,
            None,
            Some(Decimal::from(-2)),
            Some(Decimal::from(-3)),
        ),
        (
            "今年粮食总产量稳定在45万-46万吨。",
            Some(Decimal::from(45)),
            Some(Decimal::from(46)),
            None,
            None,
        ),
        (
            "今年全市地区生产总值增长6.5%。",
            None,
            None,
            Some(Decimal::new(65, 1)),
            None,
        ),
    ];
    for (text, value, value_to, growth, growth_to) in cases {
        let x = extract(text);
        assert_eq!(x.targets.len(), 1, "{text}");
        let f = &x.targets[0];
        assert_eq!(
            (f.value, f.value_to, f.growth_pct, f.growth_pct_to),
            (*value, *value_to, *growth, *growth_to),
            "{text}"
        );
    }
}

#[test]
fn rate_nouns_and_bounds_lead_to_growth() {
    // (text, growth, value): hand-checked.
    let cases: &[(&str, Option<Decimal>, Option<Decimal>)] = &[
        (
            "去年规上工业增加值增速达到7.6%。",
            Some(Decimal::new(76, 1)),
            None,
        ),
        (
            "去年社会消费品零售总额增幅为6.2%。",
            Some(Decimal::new(62, 1)),
            None,
        ),
        (
            "去年固定资产投资增速不低于6%。",
            Some(Decimal::from(6)),
            None,
        ),
        // A level after 达到 stays a level.
        (
            "去年社会消费品零售总额达到400亿元。",
            None,
            Some(Decimal::from(400)),
        ),
    ];
    for (text, growth, value) in cases {
        let x = extract(text);
        assert_eq!(x.baselines.len(), 1, "{text}");
        let f = &x.baselines[0];
        assert_eq!((f.growth_pct, f.value), (*growth, *value), "{text}");
    }
    // A real comparison is still skipped.
    let x = extract("去年人均生产总值低于全省平均水平1200元。");
    assert!(x.baselines.is_empty(), "{:?}", x.baselines);
}

#[test]
fn cumulative_months_are_progress() {
    let cases = [
        "1至6月，全县规模以上工业增加值同比增长6.8%。",
        "1-11月，固定资产投资增长3.3%。",
        "一至九月，全县地区生产总值完成98.2亿元。",
        "前10个月，一般公共预算收入完成10.2亿元。",
        "前三个月，社会消费品零售总额32.1亿元，增长4.2%。",
    ];
    for text in cases {
        let x = extract(text);
        assert!(
            x.targets.is_empty() && x.baselines.is_empty(),
            "{text}: {:?} {:?}",
            x.targets,
            x.baselines
        );
    }
    // A single month in a deadline or a date is not a cumulative period.
    let x = extract("去年全县地区生产总值完成120.5亿元，11月已超过上年全年。");
    assert_eq!(x.baselines.len(), 1);
}
