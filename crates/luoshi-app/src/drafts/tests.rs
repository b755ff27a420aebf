#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use luoshi_domain::ids::RegionId;
use luoshi_domain::org::{UnitCode, UnitKind};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

fn unit(code: &str, name: &str) -> Unit {
    Unit {
        id: UnitId::from_uuid(Uuid::now_v7()),
        region: RegionId::from_uuid(Uuid::nil()),
        code: UnitCode::parse("code", code).unwrap(),
        name: name.to_owned(),
        kind: UnitKind::Township,
        category: "乡镇".into(),
    }
}

#[test]
fn deadline_phrases_become_dates_in_the_plan_year() {
    use DeadlineKind as K;
    let cases = [
        (K::WithinYear, Some(date(2026, 12, 31))),
        (K::ByYearEnd, Some(date(2026, 12, 31))),
        (K::FirstHalf, Some(date(2026, 6, 30))),
        (K::ByMonth { month: 2 }, Some(date(2026, 2, 28))),
        (K::ByMonth { month: 9 }, Some(date(2026, 9, 30))),
        (K::ByMonth { month: 13 }, None),
        (K::ByDate { month: 9, day: 1 }, Some(date(2026, 9, 1))),
        (K::ByDate { month: 2, day: 30 }, None),
        // "within five years" counts this year as the first.
        (K::WithinYears { years: 5 }, Some(date(2030, 12, 31))),
        (K::WithinYears { years: 1 }, Some(date(2026, 12, 31))),
        (K::YearsRange { min: 1, max: 2 }, Some(date(2027, 12, 31))),
        (K::ByYear { year: 2028 }, Some(date(2028, 12, 31))),
    ];
    for (kind, want) in cases {
        assert_eq!(deadline_of(&kind, 2026), want, "{kind:?}");
    }
    assert_eq!(
        deadline_of(&K::ByMonth { month: 2 }, 2028),
        Some(date(2028, 2, 29))
    );
}

const TEXT: &str = "一、发展经济\n\
今年全区生产总值达到49.4亿元，增长12.4%。去年全区生产总值完成43.95亿元。\n\
（一）抓好农业\n\
中滩镇要在年内建成3—5个新农村示范村。\n\
6月底前完成通村道路硬化10公里。\n";

#[test]
fn a_text_becomes_a_proposed_plan() {
    let units = [unit("zhongtan", "中滩镇"), unit("jsj", "建设局")];
    let x = luoshi_extract::extract(TEXT);
    let d = propose(&x, 2026, "2026年目标任务", &units);
    assert_eq!(d.plan.year, 2026);
    assert_eq!(
        d.sections,
        [
            DraftSection {
                number: "一".into(),
                title: "发展经济".into(),
                parent: None
            },
            DraftSection {
                number: "（一）".into(),
                title: "抓好农业".into(),
                parent: Some(0)
            },
        ]
    );
    assert_eq!(d.indicators.len(), 1);
    let gdp = &d.indicators[0].fields;
    assert_eq!(gdp.name, "地区生产总值");
    assert_eq!(gdp.unit, MeasureUnit::YiYuan);
    assert_eq!(gdp.target_value, Some(dec("49.4")));
    assert_eq!(gdp.target_growth_pct, Some(dec("12.4")));
    assert_eq!(gdp.baseline, Some(dec("43.95")));
    assert_eq!(gdp.cadence, Cadence::Quarterly);
    assert_eq!(d.tasks.len(), 2, "{:?}", d.tasks);
    let t = &d.tasks[0];
    assert!(t.title.starts_with("中滩镇要在年内建成"), "{}", t.title);
    assert!(!t.title.ends_with('。'));
    assert_eq!(t.lead_unit, Some(units[0].id), "the named township leads");
    assert_eq!(t.deadline, Some(date(2026, 12, 31)));
    assert_eq!(t.section, Some(1));
    assert_eq!(
        t.quantity,
        Some(QuantityTarget {
            min: dec("3"),
            max: Some(dec("5")),
            unit: "个".into()
        })
    );
    assert_eq!(&TEXT[t.span.0..t.span.1].trim_end_matches('。'), &t.title);
    let road = &d.tasks[1];
    assert_eq!(
        road.lead_unit, None,
        "no unit is named: the reviewer assigns one"
    );
    assert_eq!(road.deadline, Some(date(2026, 6, 30)));
    assert_eq!(road.quantity.as_ref().map(|q| q.min), Some(dec("10")));
    assert_eq!(road.quantity.as_ref().and_then(|q| q.max), None);
}

#[test]
fn traditional_text_suggests_the_same_units() {
    let units = [unit("zhongtan", "中滩镇")];
    let x = luoshi_extract::extract("中灘鎮年內建成3個示範村。");
    let d = propose(&x, 2026, "t", &units);
    assert_eq!(d.tasks.len(), 1);
    assert_eq!(d.tasks[0].lead_unit, Some(units[0].id));
}

#[test]
fn the_speech_proposes_its_indicators_sections_and_tasks() {
    // Read from `shared/seed/` beside the repository (never copied into it).
    let path = luoshi_testkit::find_seed_speech(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .expect("shared/seed/speech.txt beside the repository (or LUOSHI_SEED_DIR)");
    let text = std::fs::read_to_string(path).unwrap();
    let d = propose(&luoshi_extract::extract(&text), 2026, "t", &[]);
    let names: Vec<&str> = d
        .indicators
        .iter()
        .map(|i| i.fields.name.as_str())
        .collect();
    assert!(names.contains(&"地区生产总值"), "{names:?}");
    let gdp = &d.indicators[names.iter().position(|n| *n == "地区生产总值").unwrap()];
    assert_eq!(gdp.fields.baseline, Some(dec("43.95")));
    assert_eq!(gdp.fields.target_value, Some(dec("49.4")));
    assert!(d.sections.len() >= 6, "the six breakthroughs at least");
    assert!(d.tasks.len() >= 10);
    assert!(d.tasks.iter().all(|t| t.title.chars().count() <= 300));
    assert!(
        d.tasks.iter().filter(|t| t.deadline.is_some()).count() >= 4,
        "年内 (twice), 五年内 and 1—2年 become dates"
    );
    assert!(
        d.sections
            .iter()
            .all(|s| !s.title.is_empty() || !s.number.is_empty())
    );
}
