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
mod fixture;
mod ranks;
mod validation;

use fixture::*;

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
            .iter()
            .map(|n| n.render(Language::En))
            .collect::<Vec<_>>()
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
                    e.reason.render(Language::En),
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

#[test]
fn explanations_and_notes_render_in_chinese() {
    let r = score(&book(), &units(), &facts(), YEAR_END);
    let sheet = |code: &str| r.sheets.iter().find(|s| s.code == code).unwrap();
    let zh = |code: &str, key: &str| -> Vec<String> {
        sheet(code)
            .line(key)
            .unwrap()
            .explanations
            .iter()
            .map(|e| e.reason.render(Language::Zh))
            .collect()
    };
    assert_eq!(
        zh("a", "work.tasks"),
        vec![
            "task 11：2026-06-20 办结，按期完成（期限 2026-06-30）；权重 2/3",
            "task 12：2026-10-06 办结，逾期 6 天（期限 2026-09-30），按 88% 计；权重 1/3",
            "task 13：尚未到期（期限 2027-03-31）",
        ]
    );
    assert_eq!(
        zh("b", "common.red").first().map(String::as_str),
        Some("2026-01-15 红牌：card.red for task 21")
    );
    assert_eq!(
        zh("d", "common.reporting"),
        vec!["进度按时报送率：截至 2026-12-31 无应办事项，按 100% 计"]
    );
    let notes: Vec<String> = sheet("a")
        .notes
        .iter()
        .map(|n| n.render(Language::Zh))
        .collect();
    assert_eq!(
        notes,
        vec![
            "与 d 总分相同，按 work 得分（49.5 对 60）排在其后",
            "优秀 名额已满，由 优秀 调为 良好",
        ]
    );
}
