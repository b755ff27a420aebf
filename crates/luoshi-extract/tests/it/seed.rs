use crate::seed_text;
use luoshi_extract::{DeadlineKind, DiagnosticKind, Figure, extract, normalize_text};
use rust_decimal::Decimal;

fn d(s: &str) -> Option<Decimal> {
    Some(s.parse().expect("decimal"))
}

fn find<'a>(figures: &'a [Figure], indicator: &str) -> &'a Figure {
    figures
        .iter()
        .find(|f| f.indicator == indicator)
        .unwrap_or_else(|| panic!("{indicator} missing"))
}

#[test]
fn five_targets() {
    let x = extract(&seed_text());
    assert_eq!(x.targets.len(), 5, "{:#?}", x.targets);
    let gdp = find(&x.targets, "地区生产总值");
    assert_eq!(
        (gdp.value, gdp.unit.as_deref(), gdp.growth_pct),
        (d("49.4"), Some("亿元"), d("12.4"))
    );
    let fiscal = find(&x.targets, "大口径财政收入");
    assert_eq!((fiscal.value, fiscal.growth_pct), (d("3"), d("14.1")));
    let fai = find(&x.targets, "固定资产投资");
    assert_eq!(
        (fai.value, fai.masked, fai.growth_pct),
        (None, true, d("30"))
    );
    assert_eq!(fai.masked_value.as_deref(), Some("40.*亿元"));
    let urban = find(&x.targets, "城镇居民人均可支配收入");
    assert_eq!(
        (urban.value, urban.unit.as_deref()),
        (d("7274"), Some("元"))
    );
    let rural = find(&x.targets, "农村居民人均可支配收入");
    assert_eq!((rural.value, rural.masked), (None, true));
    assert_eq!(rural.renamed_from.as_deref(), Some("农民人均纯收入"));
    assert_eq!(
        normalize_text(&rural.indicator_as_written),
        "农民人均纯收入"
    );
}

#[test]
fn three_baselines() {
    let x = extract(&seed_text());
    assert_eq!(x.baselines.len(), 3, "{:#?}", x.baselines);
    let got: Vec<_> = x
        .baselines
        .iter()
        .map(|f| (f.indicator.as_str(), f.value, f.growth_pct))
        .collect();
    assert_eq!(
        got,
        vec![
            ("地区生产总值", d("43.95"), d("13.5")),
            ("大口径财政收入", d("2.63"), d("30.7")),
            ("固定资产投资", d("31.36"), d("39.4")),
        ]
    );
}

#[test]
fn spans_are_exact_fragments() {
    let text = seed_text();
    let x = extract(&text);
    for f in x.targets.iter().chain(&x.baselines) {
        assert_eq!(&text[f.span.start..f.span.end], f.text);
    }
    for t in &x.tasks {
        assert_eq!(&text[t.span.start..t.span.end], t.text);
    }
}

#[test]
fn masked_digits_and_arithmetic() {
    let x = extract(&seed_text());
    let masked: Vec<_> = x
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::MaskedDigits)
        .collect();
    assert!(masked.iter().any(|d| normalize_text(&d.text) == "40.*亿元"));
    assert!(masked.iter().any(|d| d.text == "17*9元"));
    let kinds = |k: DiagnosticKind| x.diagnostics.iter().filter(move |d| d.kind == k);
    assert_eq!(kinds(DiagnosticKind::ArithmeticMismatch).count(), 0);
    let ok: Vec<_> = kinds(DiagnosticKind::ArithmeticConsistent)
        .map(|d| d.message.clone())
        .collect();
    assert!(
        ok.iter().any(|m| m.contains("43.95") && m.contains("49.4")),
        "{ok:?}"
    );
    assert!(
        ok.iter().any(|m| m.contains("2.63") && m.contains("14.1")),
        "{ok:?}"
    );
    assert!(
        ok.iter().any(|m| m.contains("6200") && m.contains("30.7")),
        "{ok:?}"
    );
    let implied: Vec<_> = kinds(DiagnosticKind::MaskedValueImplied)
        .map(|d| d.message.clone())
        .collect();
    assert!(implied.iter().any(|m| m.contains("40.77")), "{implied:?}");
}

#[test]
fn six_breakthrough_sections() {
    let x = extract(&seed_text());
    let second = &x.sections[1];
    let di: Vec<_> = second
        .children
        .iter()
        .filter(|s| s.number.starts_with('第'))
        .collect();
    let numbers: Vec<_> = di.iter().map(|s| s.number.as_str()).collect();
    assert_eq!(
        numbers,
        vec!["第一", "第二", "第三", "第四", "第五", "第六"]
    );
    assert!(
        di.iter()
            .all(|s| normalize_text(&s.title).ends_with("的突破"))
    );
    assert!(di.iter().all(|s| s.level == 2));
    assert_eq!(x.sections.len(), 3);
}

#[test]
fn quantified_tasks() {
    let x = extract(&seed_text());
    let road = x
        .tasks
        .iter()
        .find(|t| normalize_text(&t.text).contains("100%的乡镇"))
        .expect("paved-road task");
    assert_eq!(
        road.deadline.as_ref().map(|d| d.kind.clone()),
        Some(DeadlineKind::WithinYears { years: 5 })
    );
    let q: Vec<_> = road
        .quantities
        .iter()
        .map(|q| (q.min, q.unit.as_deref(), q.of.clone()))
        .collect();
    assert_eq!(q[0], (d("100"), Some("%"), Some("鄉鎮".to_string())));
    assert_eq!(q[1].0, d("50"));
    let parks = x
        .tasks
        .iter()
        .find(|t| normalize_text(&t.text).contains("100%进入园区"))
        .expect("park task");
    assert_eq!(parks.quantities[0].min, d("100"));
    assert!(
        parks
            .mentions
            .iter()
            .any(|m| normalize_text(&m.text) == "四大园区")
    );
    let villages = x
        .tasks
        .iter()
        .find(|t| normalize_text(&t.text).contains("3-5个"))
        .expect("demonstration villages");
    assert_eq!(
        villages.deadline.as_ref().map(|d| d.kind.clone()),
        Some(DeadlineKind::WithinYear)
    );
    assert_eq!(
        (villages.quantities[0].min, villages.quantities[0].max),
        (d("3"), d("5"))
    );
    let section = villages
        .section
        .as_deref()
        .map(normalize_text)
        .unwrap_or_default();
    assert!(section.contains("第二"), "{section}");
}
