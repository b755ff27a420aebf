//! Deadline expressions: 年内, 年底前, 6月底前, 五年内, 1—2年, 到2025年 ...

use crate::model::DeadlineKind;
use crate::normalize::Doc;
use crate::numbers::{Amount, UnitClass};
use rust_decimal::prelude::ToPrimitive;

/// A deadline found in working characters `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub kind: DeadlineKind,
    pub start: usize,
    pub end: usize,
}

const WORDS: &[(&str, DeadlineKind)] = &[
    ("今年内", DeadlineKind::WithinYear),
    ("本年内", DeadlineKind::WithinYear),
    ("年度内", DeadlineKind::WithinYear),
    ("年内", DeadlineKind::WithinYear),
    ("当年", DeadlineKind::WithinYear),
    ("年底前", DeadlineKind::ByYearEnd),
    ("年底以前", DeadlineKind::ByYearEnd),
    ("年末前", DeadlineKind::ByYearEnd),
    ("年底", DeadlineKind::ByYearEnd),
    ("年末", DeadlineKind::ByYearEnd),
    ("下半年", DeadlineKind::ByYearEnd),
    ("上半年", DeadlineKind::FirstHalf),
    ("一季度", DeadlineKind::ByMonth { month: 3 }),
    ("二季度", DeadlineKind::ByMonth { month: 6 }),
    ("三季度", DeadlineKind::ByMonth { month: 9 }),
    ("四季度", DeadlineKind::ByMonth { month: 12 }),
];

/// Verbs of completion that make a bare year a deadline (`2028年建成`).
const COMPLETION: &[&str] = &[
    "建成",
    "完成",
    "竣工",
    "投用",
    "投产",
    "投运",
    "通车",
    "实现",
    "全面完成",
    "基本建成",
];

/// Verbs that take a period as their object (`冲刺四季度`, `决战下半年`): the period is
/// then what the sentence is about, not a deadline.
const PERIOD_AS_OBJECT: &[&str] = &[
    "冲刺", "决战", "决胜", "奋战", "抢抓", "抓好", "用好", "打好", "开好", "过好",
];

fn small(n: Option<rust_decimal::Decimal>) -> Option<u32> {
    n.and_then(|d| d.to_u32())
}

/// Deadline expressed by a time amount (`五年内`, `6月底前`, `1—2年`, `到2025年`).
fn from_amount(doc: &Doc, a: &Amount) -> Option<Found> {
    if a.class != Some(UnitClass::Time) || a.masked() {
        return None;
    }
    let unit = a.unit.as_deref().unwrap_or("");
    let low = small(a.low.value)?;
    let high = a.high.as_ref().and_then(|h| small(h.value));
    let after = |w: &str| doc.starts_with(a.end, w);
    let before = |c: char| a.start > 0 && doc.at(a.start - 1) == c;
    let found = |kind, end| {
        Some(Found {
            kind,
            start: a.start,
            end,
        })
    };
    match unit {
        "年" if low >= 1900 && high.is_none() => {
            let tail = ["底前", "年底前", "前", "底"].iter().find(|w| after(w));
            // `2028年建成通车`: a year followed by a completion verb is when it is done.
            let done = COMPLETION.iter().any(|w| after(w));
            if before('到') || before('至') || tail.is_some() || done {
                let start = if before('到') || before('至') {
                    a.start - 1
                } else {
                    a.start
                };
                let end = a.end + tail.map_or(0, |w| w.chars().count());
                return Some(Found {
                    kind: DeadlineKind::ByYear { year: low },
                    start,
                    end,
                });
            }
            None
        }
        "年" if low <= 30 => match high {
            Some(h) if h <= 30 && h >= low => {
                found(DeadlineKind::YearsRange { min: low, max: h }, a.end)
            }
            Some(_) => None,
            None => {
                let within = ["内", "之内", "时间", "左右"].iter().find(|w| after(w));
                let used = a.start >= 1 && doc.at(a.start - 1) == '用';
                match within {
                    Some(w) => found(
                        DeadlineKind::WithinYears { years: low },
                        a.end + w.chars().count(),
                    ),
                    None if used => found(DeadlineKind::WithinYears { years: low }, a.end),
                    None => None,
                }
            }
        },
        "月" if (1..=12).contains(&low) && high.is_none() => {
            let tail = [
                "底前",
                "份前",
                "底",
                "末",
                "前",
                "中旬前",
                "上旬前",
                "下旬前",
            ]
            .iter()
            .find(|w| after(w));
            if let Some(day) = day_after(doc, a.end) {
                return Some(Found {
                    kind: DeadlineKind::ByDate {
                        month: low,
                        day: day.0,
                    },
                    start: a.start,
                    end: day.1,
                });
            }
            tail.and_then(|w| {
                found(
                    DeadlineKind::ByMonth { month: low },
                    a.end + w.chars().count(),
                )
            })
        }
        _ => None,
    }
}

/// `1日前` after a month: (day, end).
fn day_after(doc: &Doc, i: usize) -> Option<(u32, usize)> {
    let a = crate::numbers::amount_at(doc, i)?;
    let day = small(a.low.value)?;
    let is_day = matches!(a.unit.as_deref(), Some("日" | "号"));
    let before = doc.starts_with(a.end, "前") || doc.starts_with(a.end, "以前");
    (is_day && before && (1..=31).contains(&day)).then_some((day, a.end + 1))
}

/// The first deadline in `[from, to)` given the amounts found there.
pub(crate) fn first_deadline(
    doc: &Doc,
    from: usize,
    to: usize,
    amounts: &[Amount],
) -> Option<Found> {
    let by_amount = amounts.iter().find_map(|a| from_amount(doc, a));
    let by_word = (from..to).find_map(|i| {
        if !matches!(
            doc.at(i),
            '今' | '本' | '年' | '当' | '下' | '上' | '一' | '二' | '三' | '四'
        ) {
            return None;
        }
        if doc.starts_with(i, "今年以来") {
            return None;
        }
        let hit = WORDS.iter().find(|(w, _)| doc.starts_with(i, w));
        let preceded_by_digit = i > 0 && (doc.at(i - 1).is_ascii_digit() || doc.at(i - 1) == '*');
        let period_as_object = PERIOD_AS_OBJECT.iter().any(|w| doc.ends_with(i, w));
        match hit {
            Some((w, kind)) if !preceded_by_digit && !period_as_object => Some(Found {
                kind: kind.clone(),
                start: i,
                end: i + w.chars().count(),
            }),
            _ if doc.starts_with(i, "今年") && !doc.starts_with(i, "今年以来") => {
                Some(Found {
                    kind: DeadlineKind::WithinYear,
                    start: i,
                    end: i + 2,
                })
            }
            _ => None,
        }
    });
    match (by_amount, by_word) {
        (Some(a), Some(w)) => Some(if a.start <= w.start { a } else { w }),
        (a, w) => a.or(w),
    }
}
