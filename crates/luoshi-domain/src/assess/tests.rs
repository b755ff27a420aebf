//! Hand-computed score sheets. The book below has 100 full points and every item kind; five
//! townships (a–e) are scored as of 31 December 2026. Every expected number was worked out by hand
//! from the facts (the working is in the comments), not by the engine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::ids::{RegionId, TaskId, UnitId};
use crate::measure::dec;
use crate::org::{Unit, UnitCode, UnitKind};
use time::Date;
use time::macros::date;
use uuid::Uuid;

mod as_of;
mod ranks;
mod validation;

pub(super) fn uid(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}

pub(super) fn unit(n: u128, code: &str, category: &str) -> Unit {
    Unit {
        id: uid(n),
        region: RegionId::from_uuid(Uuid::from_u128(99)),
        code: UnitCode::parse("code", code).unwrap(),
        name: format!("unit {code}"),
        kind: UnitKind::Township,
        category: category.to_owned(),
    }
}

pub(super) fn item(key: &str, points: &str, kind: ItemKind) -> Item {
    Item {
        key: key.to_owned(),
        title: key.to_owned(),
        points: dec(points),
        kind,
    }
}

pub(super) fn block(key: &str, points: &str, weight: Option<&str>, children: Vec<Item>) -> Item {
    let weight = weight.map(dec);
    item(key, points, ItemKind::Block { children, weight })
}

pub(super) fn task(n: u128, weight: &str, deadline: Date, closed: Option<Date>) -> TaskOutcome {
    TaskOutcome {
        task: TaskId::from_uuid(Uuid::from_u128(n)),
        title: format!("task {n}"),
        weight: dec(weight),
        assigned_on: date!(2026 - 01 - 10),
        deadline,
        extensions: vec![],
        closed_on: closed,
        cancelled_on: None,
    }
}

pub(super) fn rate(metric: &str, on: Date, num: &str, den: &str) -> MetricFact {
    MetricFact {
        metric: MetricKey::new(metric),
        on,
        value: MetricValue::Rate {
            numerator: dec(num),
            denominator: dec(den),
        },
    }
}

pub(super) fn ind(key: &str, on: Date, pct: &str) -> IndicatorFact {
    IndicatorFact {
        indicator: key.to_owned(),
        on,
        attainment_pct: dec(pct),
    }
}

pub(super) fn event(kind: &str, on: Date, subject: &str) -> EventFact {
    EventFact {
        kind: kind.to_owned(),
        on,
        subject: subject.to_owned(),
        description: format!("{kind} for {subject}"),
    }
}

pub(super) fn manual(key: &str, on: Date, points: &str) -> ManualScore {
    ManualScore {
        item: key.to_owned(),
        entered_on: on,
        entered_by: "张三".to_owned(),
        points: dec(points),
        note: "assessment panel".to_owned(),
    }
}

pub(super) fn bonus(on: Date, points: &str) -> BonusFact {
    BonusFact {
        item: "bonus".to_owned(),
        on,
        points: dec(points),
        evidence: "provincial pilot".to_owned(),
        entered_by: "李四".to_owned(),
    }
}

const RANK: &str = "projects.investment_completion_rate";
const EVAL: &str = "evaluation.satisfaction_rate";
const REPORTING: &str = "reporting.on_time_rate";

/// 100 points: work 60 (indicators 20, tasks 30, rank 10), common 30 (reporting 10, yellow cards
/// 10, party building 10, red cards 0 down to −6), evaluation 10 (proportional rank); bonus ≤ 5;
/// a veto capping at 一般. 优秀 ≥ 90 with a quota of one; ties by `work`, then `work.tasks`.
pub(super) fn book() -> Scheme {
    let card = |kind: &str, per: &str, floor: &str| ItemKind::DeductionPerEvent {
        event_kind: kind.to_owned(),
        per_event: dec(per),
        floor: dec(floor),
    };
    let work = block(
        "work",
        "60",
        None,
        vec![
            item(
                "work.ind",
                "20",
                ItemKind::IndicatorAttainment {
                    indicators: vec!["gdp".into(), "revenue".into()],
                    cap_pct: dec("100"),
                },
            ),
            item(
                "work.tasks",
                "30",
                ItemKind::TaskCompletion {
                    on_time_pct: dec("100"),
                    late: LateRule::PerDay {
                        pct_per_day: dec("2"),
                        floor_pct: dec("50"),
                    },
                },
            ),
            item(
                "work.rank",
                "10",
                ItemKind::RankBased {
                    metric: MetricKey::new(RANK),
                    method: RankMethod::FixedSteps { step: dec("4") },
                },
            ),
        ],
    );
    let common = block(
        "common",
        "30",
        None,
        vec![
            item(
                "common.reporting",
                "10",
                ItemKind::RateTimesPoints {
                    metric: MetricKey::new(REPORTING),
                },
            ),
            item("common.cards", "10", card("card.yellow", "1", "0")),
            item("common.party", "10", ItemKind::Manual),
            item("common.red", "0", card("card.red", "2", "-6")),
        ],
    );
    let eval = item(
        "eval",
        "10",
        ItemKind::RankBased {
            metric: MetricKey::new(EVAL),
            method: RankMethod::Proportional,
        },
    );
    let mut grading = Grading::default();
    grading.bands[0].quota = Some(Quota::Count(1));
    Scheme {
        id: "test-townships".into(),
        version: 1,
        name: "test book".into(),
        category: "townships".into(),
        full_points: dec("100"),
        items: vec![
            work,
            common,
            eval,
            item("bonus", "0", ItemKind::Bonus { cap: dec("5") }),
            item(
                "veto",
                "0",
                ItemKind::Veto {
                    grade_cap: "一般".into(),
                },
            ),
        ],
        grading,
        tie_break: TieBreak {
            items: vec!["work".into(), "work.tasks".into()],
        },
        awards: AwardRule::default(),
        policy: ScoringPolicy::default(),
    }
}

pub(super) fn units() -> Vec<Unit> {
    vec![
        unit(1, "a", "townships"),
        unit(2, "b", "townships"),
        unit(3, "c", "townships"),
        unit(4, "d", "townships"),
        unit(5, "e", "townships"),
        // Another category: ignored by the townships' book.
        unit(6, "x", "departments"),
    ]
}

pub(super) const YEAR_END: Date = date!(2026 - 12 - 31);

/// The record of the year. Unit e has no facts at all.
pub(super) fn facts() -> Facts {
    let mut f = Facts::default();
    let a = f.unit_mut(uid(1));
    a.indicators = vec![
        ind("gdp", date!(2026 - 06 - 30), "45.0"),
        ind("gdp", YEAR_END, "104.0"),
        ind("revenue", YEAR_END, "87.0"),
    ];
    a.tasks = vec![
        task(11, "2", date!(2026 - 06 - 30), Some(date!(2026 - 06 - 20))),
        task(12, "1", date!(2026 - 09 - 30), Some(date!(2026 - 10 - 06))),
        task(13, "1", date!(2027 - 03 - 31), None),
    ];
    a.metrics = vec![
        rate(RANK, YEAR_END, "95", "100"),
        rate(REPORTING, YEAR_END, "9", "10"),
        rate(EVAL, YEAR_END, "90", "100"),
    ];
    a.events = vec![event("card.yellow", date!(2026 - 03 - 01), "task 12")];
    a.manual = vec![
        manual("common.party", date!(2026 - 12 - 20), "9"),
        manual("common.party", date!(2026 - 12 - 28), "12"),
    ];
    a.bonuses = vec![bonus(date!(2026 - 11 - 01), "4")];

    let b = f.unit_mut(uid(2));
    b.indicators = vec![ind("gdp", YEAR_END, "100")];
    let mut extended_late = task(21, "1", date!(2026 - 04 - 30), None);
    extended_late.extensions = vec![DeadlineChange {
        approved_on: date!(2027 - 01 - 10),
        deadline: date!(2027 - 02 - 28),
    }];
    let mut cancelled = task(22, "3", date!(2026 - 05 - 31), None);
    cancelled.cancelled_on = Some(date!(2026 - 05 - 01));
    let mut next_year = task(23, "1", date!(2027 - 06 - 30), None);
    next_year.assigned_on = date!(2027 - 01 - 05);
    b.tasks = vec![
        extended_late,
        cancelled,
        next_year,
        task(24, "1", YEAR_END, None),
    ];
    b.metrics = vec![
        rate(RANK, YEAR_END, "95", "100"),
        rate(REPORTING, YEAR_END, "5", "6"),
        rate(EVAL, YEAR_END, "72", "100"),
    ];
    b.events = (1..=4)
        .map(|m| {
            event(
                "card.red",
                date!(2026 - 01 - 15)
                    .replace_month(time::Month::try_from(m).unwrap())
                    .unwrap(),
                "task 21",
            )
        })
        .collect();

    let c = f.unit_mut(uid(3));
    c.indicators = vec![
        ind("gdp", YEAR_END, "95.5"),
        ind("revenue", YEAR_END, "120"),
    ];
    let mut extended = task(31, "1", date!(2026 - 03 - 31), Some(date!(2026 - 05 - 15)));
    extended.extensions = vec![DeadlineChange {
        approved_on: date!(2026 - 03 - 20),
        deadline: date!(2026 - 05 - 31),
    }];
    c.tasks = vec![
        task(32, "1", date!(2026 - 06 - 30), Some(date!(2026 - 07 - 10))),
        extended,
    ];
    c.metrics = vec![
        rate(RANK, YEAR_END, "97", "100"),
        rate(REPORTING, YEAR_END, "12", "12"),
        rate(EVAL, YEAR_END, "100", "100"),
    ];
    c.manual = vec![manual("common.party", date!(2026 - 12 - 20), "10")];
    c.bonuses = vec![
        bonus(date!(2026 - 04 - 01), "3"),
        bonus(date!(2026 - 09 - 01), "4"),
    ];
    c.vetoes = vec![VetoFact {
        item: "veto".into(),
        on: date!(2026 - 08 - 08),
        evidence: "a major work-safety accident".into(),
        entered_by: "王五".into(),
    }];

    let d = f.unit_mut(uid(4));
    d.indicators = vec![ind("gdp", YEAR_END, "100"), ind("revenue", YEAR_END, "100")];
    d.tasks = vec![task(
        41,
        "5",
        date!(2026 - 10 - 31),
        Some(date!(2026 - 10 - 31)),
    )];
    d.metrics = vec![
        rate(RANK, YEAR_END, "100", "100"),
        rate(REPORTING, YEAR_END, "0", "0"),
        rate(EVAL, YEAR_END, "45", "100"),
    ];
    d.events = vec![
        event("card.yellow", date!(2026 - 02 - 01), "task 41"),
        event("card.yellow", date!(2026 - 04 - 01), "task 41"),
        event("card.yellow", date!(2026 - 06 - 01), "task 41"),
        event("card.red", date!(2026 - 07 - 01), "task 41"),
    ];
    d.manual = vec![manual("common.party", date!(2026 - 12 - 20), "8")];
    d.bonuses = vec![bonus(date!(2026 - 12 - 01), "3")];
    f
}

fn points_of(sheet: &ScoreSheet) -> Vec<(String, String)> {
    sheet
        .lines
        .iter()
        .map(|l| (l.key.clone(), l.points.round_dp(4).normalize().to_string()))
        .collect()
}

#[test]
fn sheets_match_hand_computation() {
    let r = score(&book(), &units(), &facts(), YEAR_END);
    // key order: work, work.ind, work.tasks, work.rank, common, common.reporting, common.cards,
    // common.party, common.red, eval, bonus, veto
    let table: [(&str, [&str; 12], &str); 5] = [
        // a: gdp 104 capped at 100 → 10, revenue 87 → 8.7; tasks (2×100 + 1×(100 − 2×6)) / 3 of 30
        // = 28.8; rank 3 of 4 (tied with b) → 10 − 2×4 = 2; reporting 9/10 → 9; one yellow → 9;
        // party 12 clamped to 10; eval 90/100 × 10 = 9; bonus 4. Total 49.5 + 28 + 9 + 4 = 90.5.
        (
            "a",
            [
                "49.5", "18.7", "28.8", "2", "28", "9", "9", "10", "0", "9", "4", "0",
            ],
            "90.5",
        ),
        // b: gdp 100 → 10, revenue missing → 0; the only due task (deadline 30 Apr, extension
        // approved after the as-of date) is not done → 0; rank 3 → 2; reporting 5/6 × 10 =
        // 8.3333; no yellow → 10; party not entered → 0; four reds: −2 −2 −2 then the floor −6;
        // eval 72 → 7.2. Total 12 + 12.3333 + 7.2 = 31.5333 → 31.53.
        (
            "b",
            [
                "12", "10", "0", "2", "12.3333", "8.3333", "10", "0", "-6", "7.2", "0", "0",
            ],
            "31.53",
        ),
        // c: (95.5 + 100) / 200 × 20 = 19.55; tasks: 10 days late → 80%, the extended one on
        // time → (80 + 100) / 2 % of 30 = 27; rank 2 → 6; 12/12 → 10; party 10; eval best → 10;
        // bonus 3 + 4 capped at 5. Total 52.55 + 30 + 10 + 5 = 97.55, vetoed.
        (
            "c",
            [
                "52.55", "19.55", "27", "6", "30", "10", "10", "10", "0", "10", "5", "0",
            ],
            "97.55",
        ),
        // d: 20 + 30 (closed on the deadline day) + rank 1 → 10; reporting 0/0 → nothing due → 10;
        // three yellows → 7; party 8; one red → −2; eval 45/100 × 10 = 4.5; bonus 3.
        // Total 60 + 23 + 4.5 + 3 = 90.5, tied with a.
        (
            "d",
            [
                "60", "20", "30", "10", "23", "10", "7", "8", "-2", "4.5", "3", "0",
            ],
            "90.5",
        ),
        // e: no facts: nothing due → tasks 30; no yellow → 10; the rest 0. Total 40.
        (
            "e",
            [
                "30", "0", "30", "0", "10", "0", "10", "0", "0", "0", "0", "0",
            ],
            "40",
        ),
    ];
    let keys = [
        "work",
        "work.ind",
        "work.tasks",
        "work.rank",
        "common",
        "common.reporting",
        "common.cards",
        "common.party",
        "common.red",
        "eval",
        "bonus",
        "veto",
    ];
    assert_eq!(
        r.sheets.len(),
        5,
        "unit x of another category is not scored"
    );
    for (code, points, total) in table {
        let s = r.sheets.iter().find(|s| s.code == code).unwrap();
        let expected: Vec<(String, String)> = keys
            .iter()
            .zip(points)
            .map(|(k, p)| (k.to_string(), p.to_string()))
            .collect();
        assert_eq!(points_of(s), expected, "unit {code}");
        assert_eq!(s.total, dec(total), "unit {code}");
    }
}

#[test]
fn ranks_grades_quota_veto_and_awards() {
    let r = score(&book(), &units(), &facts(), YEAR_END);
    let got: Vec<_> = r
        .sheets
        .iter()
        .map(|s| {
            (
                s.rank,
                s.code.as_str(),
                s.band_grade.as_str(),
                s.grade.as_str(),
                s.vetoed,
                s.award,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // c scores highest but its veto caps it at 一般, so it takes no 优秀 place.
            (1, "c", "优秀", "一般", true, false),
            // d and a tie at 90.5; d has more in `work` (60 vs 49.5), so d is second and takes
            // the one 优秀 place; a drops to 良好.
            (2, "d", "优秀", "优秀", false, true),
            (3, "a", "优秀", "良好", false, false),
            (4, "e", "一般", "一般", false, false),
            (5, "b", "一般", "一般", false, false),
        ]
    );
    let notes = |code: &str| {
        r.sheets
            .iter()
            .find(|s| s.code == code)
            .unwrap()
            .notes
            .clone()
    };
    assert_eq!(
        notes("c"),
        vec![
            "veto by item veto: grade capped at 一般".to_owned(),
            "grade capped from 优秀 to 一般 by a veto".to_owned(),
        ]
    );
    assert_eq!(
        notes("d"),
        vec!["tied on total with a, placed before it by item work (60 vs 49.5)".to_owned()]
    );
    assert_eq!(
        notes("a"),
        vec![
            "tied on total with d, placed after it by item work (49.5 vs 60)".to_owned(),
            "dropped from 优秀 to 良好: the quota of 优秀 is filled".to_owned(),
        ]
    );
    assert_eq!(
        r.awarded().map(|s| s.code.as_str()).collect::<Vec<_>>(),
        vec!["d"]
    );
    assert_eq!(r.sheet(uid(3)).map(|s| s.percent), Some(dec("97.55")));
}

#[test]
fn explanations_link_every_point_to_its_facts() {
    let r = score(&book(), &units(), &facts(), YEAR_END);
    let texts = |code: &str, key: &str| -> Vec<(String, Option<String>)> {
        let s = r.sheets.iter().find(|s| s.code == code).unwrap();
        s.line(key)
            .unwrap()
            .explanations
            .iter()
            .map(|e| {
                (
                    e.text.clone(),
                    e.effect.map(|d| d.round_dp(4).normalize().to_string()),
                )
            })
            .collect()
    };
    let own = |v: &[(&str, Option<&str>)]| -> Vec<(String, Option<String>)> {
        v.iter()
            .map(|(t, e)| (t.to_string(), e.map(str::to_owned)))
            .collect()
    };
    assert_eq!(
        texts("a", "work.tasks"),
        own(&[
            (
                "task 11: closed 2026-06-20, on time (deadline 2026-06-30); weight 2 of 3",
                Some("20")
            ),
            (
                "task 12: closed 2026-10-06, 6 days late (deadline 2026-09-30), counts 88%; weight 1 of 3",
                Some("8.8")
            ),
            ("task 13: not yet due (deadline 2027-03-31)", None),
        ])
    );
    assert_eq!(
        texts("a", "work.ind"),
        own(&[
            (
                "gdp: 104.0% of target on 2026-12-31, counted as 100%",
                Some("10")
            ),
            ("revenue: 87.0% of target on 2026-12-31", Some("8.7")),
        ])
    );
    assert_eq!(
        texts("c", "work.tasks"),
        own(&[
            (
                "task 32: closed 2026-07-10, 10 days late (deadline 2026-06-30), counts 80%; weight 1 of 2",
                Some("12")
            ),
            (
                "task 31: closed 2026-05-15, on time (deadline 2026-05-31); weight 1 of 2",
                Some("15")
            ),
        ])
    );
    assert_eq!(
        texts("b", "work.tasks"),
        own(&[
            (
                "task 21: not done, deadline 2026-04-30 passed; weight 1 of 1",
                Some("0")
            ),
            ("task 24: not yet due (deadline 2026-12-31)", None),
        ])
    );
    assert_eq!(
        texts("b", "common.red"),
        own(&[
            ("card.red on 2026-01-15: card.red for task 21", Some("-2")),
            ("card.red on 2026-02-15: card.red for task 21", Some("-2")),
            ("card.red on 2026-03-15: card.red for task 21", Some("-2")),
            (
                "card.red on 2026-04-15: card.red for task 21 (floor -6 reached)",
                Some("0")
            ),
        ])
    );
    assert_eq!(
        texts("c", "bonus"),
        own(&[
            (
                "+3 on 2026-04-01, entered by 李四: provincial pilot",
                Some("3")
            ),
            (
                "+4 on 2026-09-01, entered by 李四: provincial pilot (counts 2, cap 5)",
                Some("2")
            ),
        ])
    );
    assert_eq!(
        texts("a", "common.party"),
        own(&[(
            "12 entered by 张三 on 2026-12-28: assessment panel (clamped to 10)",
            Some("10")
        )])
    );
    assert_eq!(
        texts("d", "common.reporting"),
        own(&[(
            "reporting.on_time_rate: nothing due on 2026-12-31, counts 100%",
            Some("10")
        )])
    );
    assert_eq!(
        texts("a", "work.rank"),
        own(&[(
            "projects.investment_completion_rate: 95 on 2026-12-31, rank 3 of 4 (best 100)",
            Some("2")
        )])
    );
    assert_eq!(
        texts("e", "eval"),
        own(&[(
            "evaluation.satisfaction_rate: no figure as of 2026-12-31",
            Some("0")
        )])
    );
    assert_eq!(
        texts("c", "veto"),
        own(&[(
            "veto on 2026-08-08, entered by 王五: a major work-safety accident; grade at most 一般",
            None
        )])
    );
    // Where every fact's effect is known, the effects account for the line's points: they add
    // up to it (deductions: starting from the item's points).
    for s in &r.sheets {
        for l in &s.lines {
            let effects: Option<Decimal> = l.explanations.iter().map(|e| e.effect).sum();
            let (Some(sum), false) = (effects, l.explanations.is_empty()) else {
                continue;
            };
            let base = match l.key.as_str() {
                "common.cards" | "common.red" => l.max_points,
                _ => Decimal::ZERO,
            };
            assert_eq!(base + sum, l.points, "{} {}", s.code, l.key);
        }
    }
}
