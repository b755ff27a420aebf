#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use luoshi_domain::assess::*;

#[test]
fn the_demo_schemes_round_trip() {
    for scheme in [demo_township_scheme(2026), demo_department_scheme(2026)] {
        let text = print_scheme(&scheme);
        let back = parse_scheme(&text).unwrap_or_else(|e| panic!("{}: {e:?}\n{text}", scheme.id));
        assert_eq!(back, scheme);
        assert_eq!(print_scheme(&back), text, "printing is stable");
    }
}

/// A small book written by hand: every item kind, fractions as strings, defaults left out.
const SMALL: &str = r#"
id = "2026-test"
version = 2
name = "Test book"
category = "townships"
full_points = 100

[[items]]
key = "work"
title = "Work"
points = 80
kind = "block"

[[items.children]]
key = "work.indicators"
title = "Indicators"
points = 20
kind = "indicator_attainment"
indicators = ["gdp"]
cap_pct = 120

[[items.children]]
key = "work.tasks"
title = "Tasks"
points = 30
kind = "task_completion"
on_time_pct = 100
late = { share_pct = "62.5" }

[[items.children]]
key = "work.reporting"
title = "Reporting"
points = 10
kind = "rate_times_points"
metric = "reporting.on_time_rate"

[[items.children]]
key = "work.rank"
title = "Rank"
points = 10
kind = "rank_based"
metric = "economy.gdp_growth"
method = "fixed_steps"
step = "2.5"

[[items.children]]
key = "work.cards"
title = "Cards"
points = 10
kind = "deduction_per_event"
event_kind = "card.yellow"
per_event = 1
floor = 0

[[items]]
key = "leaders"
title = "Leaders"
points = 20
kind = "manual"

[[items]]
key = "bonus"
title = "Bonus"
kind = "bonus"
cap = 5

[[items]]
key = "veto"
title = "Veto"
kind = "veto"
grade_cap = "一般"
"#;

#[test]
fn a_hand_written_book_reads_with_defaults() {
    let s = parse_scheme(SMALL).unwrap();
    assert_eq!(s.version, 2);
    assert_eq!(s.full_points, Decimal::from(100));
    assert_eq!(s.grading, Grading::default());
    assert_eq!(s.awards, AwardRule::default());
    assert_eq!(s.policy, ScoringPolicy::default());
    assert_eq!(s.tie_break, TieBreak::default());
    let kinds: Vec<(&str, &ItemKind)> = s
        .all_items()
        .into_iter()
        .map(|i| (i.key.as_str(), &i.kind))
        .collect();
    assert_eq!(kinds.len(), 9);
    assert_eq!(
        s.item("work.tasks").unwrap().kind,
        ItemKind::TaskCompletion {
            on_time_pct: Decimal::from(100),
            late: LateRule::Share {
                pct: Decimal::new(625, 1)
            },
        }
    );
    assert_eq!(
        s.item("work.rank").unwrap().kind,
        ItemKind::RankBased {
            metric: MetricKey::new("economy.gdp_growth"),
            method: RankMethod::FixedSteps {
                step: Decimal::new(25, 1)
            },
        }
    );
    assert_eq!(s.item("bonus").unwrap().points, Decimal::ZERO);
    // Printed again, the fraction stays a string and the whole numbers stay integers.
    let text = print_scheme(&s);
    assert!(text.contains("share_pct = \"62.5\""), "{text}");
    assert!(text.contains("step = \"2.5\""), "{text}");
    assert!(text.contains("cap_pct = 120\n"), "{text}");
    assert_eq!(parse_scheme(&text).unwrap(), s);
}

#[test]
fn errors_name_the_item_and_field() {
    // (replace this, with that, expected field, expected code)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "cap_pct = 120",
            "cap_pct = 1.2",
            "items[work.indicators].cap_pct",
            "invalid_number",
        ),
        (
            "cap_pct = 120",
            "cap_pct = \"x\"",
            "items[work.indicators].cap_pct",
            "invalid_number",
        ),
        (
            "cap_pct = 120",
            "cap = 120",
            "items[work.indicators].cap",
            "unknown_field",
        ),
        (
            "late = { share_pct = \"62.5\" }",
            "late = { share = 1 }",
            "items[work.tasks].late.share",
            "unknown_field",
        ),
        (
            "kind = \"manual\"",
            "kind = \"guess\"",
            "items[leaders].kind",
            "invalid",
        ),
        (
            "method = \"fixed_steps\"",
            "method = \"up\"",
            "items[work.rank].method",
            "invalid",
        ),
        ("version = 2", "version = -1", "version", "out_of_range"),
        ("version = 2", "", "version", "required"),
        ("name = \"Test book\"", "name = 3", "name", "invalid"),
        (
            "full_points = 100",
            "full_points = 100\ncolour = 1",
            "colour",
            "unknown_field",
        ),
        // Reached the domain's validation: the children no longer sum to the block's points.
        (
            "points = 80",
            "points = 81",
            "items[work].points",
            "children_sum",
        ),
        (
            "key = \"work.cards\"",
            "key = \"cards\"",
            "items[cards].key",
            "invalid_key",
        ),
        (
            "[[items]]\nkey = \"work\"",
            "[[items]]\nkey = \"work\"\n[[items",
            "scheme",
            "syntax",
        ),
    ];
    for (from, to, field, code) in cases {
        assert!(SMALL.contains(from), "case {from:?} does not apply");
        let text = SMALL.replacen(from, to, 1);
        let errors = parse_scheme(&text).expect_err(field);
        assert!(
            errors.iter().any(|e| e.field == *field && e.code == *code),
            "{from:?} → {to:?}: expected {field} {code}, got {errors:?}"
        );
    }
}

#[test]
fn quotas_read_as_counts_or_percentages() {
    let grading = "\n[grading]\n[[grading.bands]]\nname = \"优秀\"\nmin_pct = 90\nquota = 2\n\
                   [[grading.bands]]\nname = \"B\"\nmin_pct = 60\nquota_pct = \"12.5\"\n\
                   [[grading.bands]]\nname = \"一般\"\nmin_pct = 0\n";
    let text = SMALL.replacen("\n[[items]]", &format!("{grading}\n[[items]]"), 1);
    let s = parse_scheme(&text).unwrap();
    let quotas: Vec<Option<Quota>> = s.grading.bands.iter().map(|b| b.quota.clone()).collect();
    assert_eq!(
        quotas,
        vec![
            Some(Quota::Count(2)),
            Some(Quota::PercentOfUnits(Decimal::new(125, 1))),
            None
        ]
    );
    let both = text.replacen("quota = 2", "quota = 2\nquota_pct = 10", 1);
    let errors = parse_scheme(&both).unwrap_err();
    assert_eq!(errors[0].field, "grading.bands[0].quota");
}
