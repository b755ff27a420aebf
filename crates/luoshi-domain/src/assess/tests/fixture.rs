//! The test book and the year's record of five townships, shared by the assessment tests.

use super::*;

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

pub(super) const RANK: &str = "projects.investment_completion_rate";
pub(super) const EVAL: &str = "evaluation.satisfaction_rate";
pub(super) const REPORTING: &str = "reporting.on_time_rate";

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
