//! `Scheme::validate` reports every error at once, naming the item at fault.

use super::*;

fn errors(s: &Scheme) -> Vec<(String, &'static str)> {
    match s.validate() {
        Ok(()) => vec![],
        Err(es) => es.into_iter().map(|e| (e.field, e.code)).collect(),
    }
}

fn own(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    v.iter().map(|(f, c)| (f.to_string(), *c)).collect()
}

fn children(s: &mut Scheme, i: usize) -> &mut Vec<Item> {
    match &mut s.items[i].kind {
        ItemKind::Block { children, .. } => children,
        _ => panic!("item {i} is not a block"),
    }
}

#[test]
fn the_test_book_is_valid() {
    assert_eq!(errors(&book()), vec![]);
}

#[test]
fn every_error_names_its_item() {
    let mut s = book();
    children(&mut s, 0)[1].key = "work.ind".into();
    children(&mut s, 0)[2].points = dec("15");
    children(&mut s, 1)[0].kind = ItemKind::RateTimesPoints {
        metric: MetricKey::new("reporting.ontime"),
    };
    children(&mut s, 1)[1].key = "Common.Cards".into();
    s.items[3].points = dec("2");
    s.items[4].kind = ItemKind::Veto {
        grade_cap: "不合格".into(),
    };
    s.grading.bands[1].min_pct = dec("95");
    s.tie_break.items.push("nope".into());
    assert_eq!(
        errors(&s),
        own(&[
            // 60 + 30 + 10 + a bonus of 2 = 102.
            ("full_points", "children_sum"),
            // 20 + 30 + 15 = 65.
            ("items[work].points", "children_sum"),
            ("items[work.ind].key", "duplicate"),
            ("items[common.reporting].metric", "unknown_metric"),
            // A bad key is named by its position under its parent.
            ("items[common#1].key", "invalid_key"),
            ("items[bonus].points", "must_be_zero"),
            ("items[veto].grade_cap", "unknown_grade"),
            ("grading.bands[1].min_pct", "not_descending"),
            // work.tasks no longer exists (it was renamed), nor does "nope".
            ("tie_break.items[1]", "unknown_item"),
            ("tie_break.items[2]", "unknown_item"),
        ])
    );
    let first = s.validate().unwrap_err().remove(0);
    assert_eq!(first.message, "children's points sum to 102, not 100");
}

#[test]
fn single_rule_violations() {
    type Mutation = fn(&mut Scheme);
    let cases: [(Mutation, &[(&str, &'static str)]); 13] = [
        (|s| s.id = " ".into(), &[("id", "required")]),
        (|s| s.version = 0, &[("version", "out_of_range")]),
        (
            |s| children(s, 0)[0].points = dec("-20"),
            &[
                ("items[work].points", "children_sum"),
                ("items[work.ind].points", "negative"),
            ],
        ),
        (
            |s| children(s, 0)[0].key = "other.ind".into(),
            &[("items[other.ind].key", "invalid_key")],
        ),
        (
            |s| children(s, 0)[0].title = "".into(),
            &[("items[work.ind].title", "required")],
        ),
        (
            |s| {
                children(s, 1)[0].kind = ItemKind::RateTimesPoints {
                    metric: MetricKey::new("economy.gdp_growth"),
                }
            },
            &[("items[common.reporting].metric", "not_a_rate")],
        ),
        (
            |s| {
                children(s, 0)[1].kind = ItemKind::TaskCompletion {
                    on_time_pct: dec("100"),
                    late: LateRule::Share { pct: dec("120") },
                }
            },
            &[("items[work.tasks].late.pct", "out_of_range")],
        ),
        (
            |s| {
                children(s, 1)[3].kind = ItemKind::DeductionPerEvent {
                    event_kind: "card.red".into(),
                    per_event: dec("0"),
                    floor: dec("1"),
                }
            },
            &[
                ("items[common.red].per_event", "out_of_range"),
                ("items[common.red].floor", "out_of_range"),
            ],
        ),
        (
            |s| s.grading.bands[2].quota = Some(Quota::Count(3)),
            &[("grading.bands[2].quota", "quota_on_last")],
        ),
        (
            |s| s.grading.bands[2].min_pct = dec("10"),
            &[("grading.bands[2].min_pct", "out_of_range")],
        ),
        (
            |s| {
                s.awards = AwardRule {
                    min_grade: None,
                    top_n: Some(0),
                    ..AwardRule::default()
                }
            },
            &[("awards.top_n", "out_of_range")],
        ),
        (
            |s| {
                s.awards = AwardRule {
                    min_grade: None,
                    ..AwardRule::default()
                }
            },
            &[("awards", "required")],
        ),
        (
            |s| s.awards.min_grade = Some("特优".into()),
            &[("awards.min_grade", "unknown_grade")],
        ),
    ];
    for (i, (mutate, expected)) in cases.into_iter().enumerate() {
        let mut s = book();
        mutate(&mut s);
        assert_eq!(errors(&s), own(expected), "case {i}");
    }
}

#[test]
fn weights_must_be_complete_and_sum_to_100() {
    let mut s = demo_department_scheme(2026);
    assert_eq!(errors(&s), vec![]);
    s.items[1].kind = match s.items[1].kind.clone() {
        ItemKind::Block { children, .. } => ItemKind::Block {
            children,
            weight: Some(dec("20")),
        },
        k => k,
    };
    assert_eq!(errors(&s), own(&[("items", "weights_sum")]));
    s.items[1].kind = match s.items[1].kind.clone() {
        ItemKind::Block { children, .. } => ItemKind::Block {
            children,
            weight: None,
        },
        k => k,
    };
    assert_eq!(
        errors(&s),
        own(&[
            ("items[evaluation].weight", "required"),
            ("items", "weights_sum")
        ])
    );
}
