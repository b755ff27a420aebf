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
