//! The demo district's books, modelled on common practice: 1,000 points of key work, common
//! items and evaluation; yellow cards −1, red cards −2; 优秀 from 90% with a quota.

use super::{
    AwardRule, GradeBand, Grading, Item, ItemKind, LateRule, MetricKey, Quota, RankMethod, Scheme,
    ScoringPolicy, TieBreak,
};
use crate::measure::Decimal;

/// The demo plan's indicators the townships' book scores, by name: the district's figures are
/// split among the townships, and each township's attainment of its share counts.
pub const DEMO_GDP: &str = "地区生产总值";
pub const DEMO_FISCAL_REVENUE: &str = "大口径财政收入";

fn item(key: &str, title: &str, points: i64, kind: ItemKind) -> Item {
    Item {
        key: key.to_owned(),
        title: title.to_owned(),
        points: Decimal::from(points),
        kind,
    }
}

fn block(key: &str, title: &str, points: i64, weight: Option<i64>, children: Vec<Item>) -> Item {
    let kind = ItemKind::Block {
        children,
        weight: weight.map(Decimal::from),
    };
    item(key, title, points, kind)
}

fn rate(metric: &str) -> ItemKind {
    ItemKind::RateTimesPoints {
        metric: MetricKey::new(metric),
    }
}

fn cards(prefix: &str, points: i64) -> Vec<Item> {
    let half = points / 2;
    let card = |kind: &str, per: i64| ItemKind::DeductionPerEvent {
        event_kind: kind.to_owned(),
        per_event: Decimal::from(per),
        floor: Decimal::ZERO,
    };
    vec![
        item(
            &format!("{prefix}.yellow-cards"),
            "黄牌",
            half,
            card("card.yellow", 1),
        ),
        item(
            &format!("{prefix}.red-cards"),
            "红牌",
            points - half,
            card("card.red", 2),
        ),
    ]
}

fn extras(category_bonus_cap: i64) -> Vec<Item> {
    vec![
        item(
            "bonus",
            "加分项",
            0,
            ItemKind::Bonus {
                cap: Decimal::from(category_bonus_cap),
            },
        ),
        item(
            "veto",
            "一票否决",
            0,
            ItemKind::Veto {
                grade_cap: "一般".to_owned(),
            },
        ),
    ]
}

fn grading() -> Grading {
    let mut g = Grading::default();
    if let Some(best) = g.bands.first_mut() {
        *best = GradeBand {
            quota: Some(Quota::PercentOfUnits(Decimal::from(30))),
            ..best.clone()
        };
    }
    g
}

/// The townships' book for `year`: key work 600 (attainment of their shares of GDP and fiscal
/// revenue, tasks, key-project investment rank), common items 300 (reporting, notices, petition
/// stability, party building, cards), evaluation 100 (leaders, the public); a bonus of at most 20
/// and a safety veto. 优秀 from 90%, at most 30% of townships.
pub fn demo_township_scheme(year: i32) -> Scheme {
    let key_work = block(
        "key-work",
        "重点工作",
        600,
        None,
        vec![
            item(
                "key-work.indicators",
                "主要经济指标",
                250,
                ItemKind::IndicatorAttainment {
                    indicators: vec![DEMO_GDP.to_owned(), DEMO_FISCAL_REVENUE.to_owned()],
                    cap_pct: Decimal::ONE_HUNDRED,
                },
            ),
            item(
                "key-work.tasks",
                "重点任务",
                300,
                ItemKind::TaskCompletion {
                    on_time_pct: Decimal::ONE_HUNDRED,
                    late: LateRule::PerDay {
                        pct_per_day: Decimal::ONE,
                        floor_pct: Decimal::from(50),
                    },
                },
            ),
            item(
                "key-work.projects",
                "项目投资排名",
                50,
                ItemKind::RankBased {
                    metric: MetricKey::new("projects.investment_completion_rate"),
                    method: RankMethod::FixedSteps {
                        step: Decimal::from(5),
                    },
                },
            ),
        ],
    );
    let mut common_children = vec![
        item(
            "common.reporting",
            "按时报送",
            50,
            rate("reporting.on_time_rate"),
        ),
        item(
            "common.notices",
            "督办回复",
            50,
            rate("notices.answered_on_time_rate"),
        ),
        block(
            "common.petitions",
            "信访维稳",
            50,
            None,
            vec![
                item(
                    "common.petitions.accepted",
                    "信访按期受理",
                    10,
                    rate("petitions.accepted_on_time_rate"),
                ),
                item(
                    "common.petitions.replies",
                    "信访按期办结",
                    30,
                    rate("petitions.reply_on_time_rate"),
                ),
                item(
                    "common.petitions.repeats",
                    "重复信访",
                    10,
                    ItemKind::DeductionPerEvent {
                        event_kind: "petition.repeat".to_owned(),
                        per_event: Decimal::from(2),
                        floor: Decimal::ZERO,
                    },
                ),
            ],
        ),
        item("common.party-building", "党建工作", 100, ItemKind::Manual),
    ];
    common_children.push(block(
        "common.discipline",
        "红黄牌",
        50,
        None,
        cards("common.discipline", 50),
    ));
    let common = block("common", "共性指标", 300, None, common_children);
    let evaluation = block(
        "evaluation",
        "综合评价",
        100,
        None,
        vec![
            item("evaluation.leaders", "领导评价", 60, ItemKind::Manual),
            item("evaluation.public", "群众满意度测评", 40, ItemKind::Manual),
        ],
    );
    let mut items = vec![key_work, common, evaluation];
    items.extend(extras(20));
    Scheme {
        id: format!("{year}-townships"),
        version: 1,
        name: format!("{year}年度乡镇绩效考核"),
        category: "townships".to_owned(),
        full_points: Decimal::from(1000),
        items,
        grading: grading(),
        tie_break: TieBreak {
            items: vec!["key-work".to_owned(), "key-work.tasks".to_owned()],
        },
        awards: AwardRule::default(),
        policy: ScoringPolicy::default(),
    }
}

/// The departments' book for `year`: two weighted blocks of 100 points each, duties 70% (tasks,
/// reporting, notices, cards) and evaluation 30% (leaders, the public's evaluation), scaled to
/// 1,000; a bonus of at most 20 and a veto. 优秀 from 90%, at most 30% of departments.
pub fn demo_department_scheme(year: i32) -> Scheme {
    let mut duties = vec![
        item(
            "duties.tasks",
            "重点任务",
            60,
            ItemKind::TaskCompletion {
                on_time_pct: Decimal::ONE_HUNDRED,
                late: LateRule::Share {
                    pct: Decimal::from(60),
                },
            },
        ),
        item(
            "duties.reporting",
            "按时报送",
            10,
            rate("reporting.on_time_rate"),
        ),
        item(
            "duties.notices",
            "督办回复",
            10,
            rate("notices.answered_on_time_rate"),
        ),
    ];
    duties.extend(cards("duties", 20));
    let evaluation = vec![
        item("evaluation.leaders", "领导评价", 50, ItemKind::Manual),
        item("evaluation.public", "群众满意度测评", 50, ItemKind::Manual),
    ];
    let mut items = vec![
        block("duties", "职责任务", 100, Some(70), duties),
        block("evaluation", "综合评价", 100, Some(30), evaluation),
    ];
    items.extend(extras(20));
    Scheme {
        id: format!("{year}-departments"),
        version: 1,
        name: format!("{year}年度部门绩效考核"),
        category: "departments".to_owned(),
        full_points: Decimal::from(1000),
        items,
        grading: grading(),
        tie_break: TieBreak {
            items: vec!["duties".to_owned()],
        },
        awards: AwardRule::default(),
        policy: ScoringPolicy::default(),
    }
}
