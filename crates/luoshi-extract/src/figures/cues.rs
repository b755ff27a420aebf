//! Words that tell whether a figure is a goal, a past result or year-to-date progress.

use crate::normalize::Doc;

/// The period a figure speaks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A goal.
    Target,
    /// A past result.
    Baseline,
    /// Year-to-date progress (neither goal nor baseline).
    Progress,
}

/// A cue found in the working text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cue {
    /// Where it starts.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// What it signals; `None` for neutral words that only hide shorter cues.
    pub role: Option<Role>,
    /// Strong cues beat weak ones wherever they are in the sentence.
    pub strong: bool,
}

const T: Option<Role> = Some(Role::Target);
const B: Option<Role> = Some(Role::Baseline);
const P: Option<Role> = Some(Role::Progress);

/// (word, role, strong). Longer words hide shorter ones at the same place.
const WORDS: &[(&str, Option<Role>, bool)] = &[
    ("今年以来", P, true),
    ("年初以来", P, true),
    ("截至目前", P, true),
    ("截至", P, true),
    ("截止", P, true),
    ("前三季度", P, true),
    ("一季度", P, false),
    ("上半年", P, false),
    ("今年", T, true),
    ("明年", T, true),
    ("本年度", T, true),
    ("新的一年", T, true),
    ("目标", T, true),
    ("预期", T, true),
    ("力争", T, true),
    ("确保", T, true),
    ("计划", T, true),
    ("争取", T, false),
    ("努力实现", T, true),
    ("要", T, false),
    ("将", T, false),
    ("拟", T, false),
    ("到期末", T, true),
    ("去年", B, true),
    ("上年", B, true),
    ("上一年", B, true),
    ("过去一年", B, true),
    ("过去的一年", B, true),
    ("过去五年", B, true),
    ("五年来", B, true),
    ("一年来", B, true),
    ("刚刚过去", B, true),
    ("回顾", B, true),
    ("完成情况", B, true),
    ("执行情况", B, true),
    ("实现了", B, true),
    ("完成了", B, true),
    ("达到了", B, true),
    ("突破了", B, true),
    ("增长了", B, true),
    ("取得了", B, true),
    ("已经", B, false),
    ("已", B, false),
    // Neutral words hiding the cues above.
    ("比上年", None, false),
    ("较上年", None, false),
    ("比去年", None, false),
    ("较去年", None, false),
    ("上年同期", None, false),
    ("去年同期", None, false),
    ("同比", None, false),
    ("主要", None, false),
    ("重要", None, false),
    ("需要", None, false),
    ("要求", None, false),
    ("只要", None, false),
    ("纲要", None, false),
    ("要素", None, false),
    ("将近", None, false),
    ("预计", None, false),
    ("目标任务", T, true),
    ("已达", None, false),
];

crate::lexicon::lexicon!(words, WORDS.iter().map(|w| w.0).collect::<Vec<_>>());

/// The cue starting at `i`, if any. `plan` is the year the document plans for.
pub(crate) fn cue_at(doc: &Doc, i: usize, plan: Option<u32>) -> Option<Cue> {
    if let Some(c) = year_cue(doc, i, plan) {
        return Some(c);
    }
    if let Some(end) = months_to_date(doc, i) {
        return Some(Cue {
            start: i,
            end,
            role: P,
            strong: true,
        });
    }
    let (k, len) = words().longest_at(doc, i)?;
    let &(_, role, strong) = WORDS.get(k)?;
    Some(Cue {
        start: i,
        end: i + len,
        role,
        strong,
    })
}

/// Month numerals (Arabic or Chinese) starting at `i`, at most two: one past them.
fn month_number_end(doc: &Doc, i: usize) -> Option<usize> {
    let chinese = |c: char| "一二三四五六七八九十".contains(c);
    let first = doc.at(i);
    let arabic = first.is_ascii_digit();
    if !arabic && !chinese(first) {
        return None;
    }
    let same = |c: char| {
        if arabic {
            c.is_ascii_digit()
        } else {
            chinese(c)
        }
    };
    Some(if same(doc.at(i + 1)) { i + 2 } else { i + 1 })
}

/// Cumulative months of the current year: `1-9月`, `1至6月`, `一至九月`, `前10个月`,
/// `前三个月`. Returns one past the expression.
fn months_to_date(doc: &Doc, i: usize) -> Option<usize> {
    let prev = if i > 0 { doc.at(i - 1) } else { '\0' };
    if prev.is_ascii_digit() {
        return None;
    }
    if doc.at(i) == '前' {
        let end = month_number_end(doc, i + 1)?;
        return doc.starts_with(end, "个月").then_some(end + 2);
    }
    if !matches!(doc.at(i), '1' | '一') || !matches!(doc.at(i + 1), '-' | '至' | '到' | '~') {
        return None;
    }
    let end = month_number_end(doc, i + 2)?;
    (doc.at(end) == '月').then_some(end + 1)
}

/// A four-digit year `19XX年`/`20XX年` (or masked `20*年`) at `i`: (value when not masked,
/// index of `年`).
fn year_at(doc: &Doc, i: usize) -> Option<(Option<u32>, usize)> {
    let is_year_start =
        (doc.at(i) == '1' && doc.at(i + 1) == '9') || (doc.at(i) == '2' && doc.at(i + 1) == '0');
    if !is_year_start || (i > 0 && doc.at(i - 1).is_ascii_digit()) {
        return None;
    }
    let mut k = i + 2;
    while k < i + 4 && (doc.at(k).is_ascii_digit() || doc.at(k) == '*') {
        k += 1;
    }
    if doc.at(k) != '年' || k < i + 3 {
        return None;
    }
    let value = (i..k).try_fold(0u32, |acc, j| doc.at(j).to_digit(10).map(|d| acc * 10 + d));
    Some((value.filter(|_| k == i + 4), k))
}

/// Words that, shortly after a year, make it the year a document plans for
/// (`2026年工作计划`, `2026年十件民生实事`, `2026年主要目标`).
const PLAN_WORDS: &[&str] = &[
    "计划",
    "方案",
    "要点",
    "目标",
    "实事",
    "工作安排",
    "重点工作",
    "重点任务",
    "预算",
];

/// Characters after a year searched for a plan word (same line, same sentence).
const PLAN_REACH: usize = 16;

/// The year the document plans for: the latest `20XX年` followed on its line by a plan word
/// (`2026年经济社会发展工作计划`), not a deadline (`到2035年`), not the end of a range
/// (`2021-2025年`) and not an object of 完成/实现 (`完成2025年目标任务`). Linear: each year
/// looks at most `PLAN_REACH` characters ahead.
pub(crate) fn plan_year(doc: &Doc) -> Option<u32> {
    let mut best: Option<u32> = None;
    for i in 0..doc.len() {
        let Some((Some(year), k)) = year_at(doc, i) else {
            continue;
        };
        let before = if i > 0 { doc.at(i - 1) } else { '\0' };
        if matches!(before, '到' | '至' | '-' | '比' | '较') {
            continue;
        }
        let done = (i.saturating_sub(4)..i)
            .any(|j| doc.starts_with(j, "完成") || doc.starts_with(j, "实现"));
        if done {
            continue;
        }
        let mut j = k + 1;
        let mut planned = false;
        while j < k + 1 + PLAN_REACH && !matches!(doc.at(j), '\n' | '。' | '；' | '\0') {
            if PLAN_WORDS.iter().any(|w| doc.starts_with(j, w)) {
                planned = true;
                break;
            }
            j += 1;
        }
        if planned && best.is_none_or(|b| year > b) {
            best = Some(year);
        }
    }
    best
}

/// `20XX年` (or masked `20*年`): relative to the plan year when the document names one
/// (earlier years are results, the plan year and later ones are goals); otherwise a past year
/// unless preceded by 到/至 or followed by 目标/主要/底前/前. 比/较/于 make it neutral.
fn year_cue(doc: &Doc, i: usize, plan: Option<u32>) -> Option<Cue> {
    let (value, k) = year_at(doc, i)?;
    let before = if i > 0 { doc.at(i - 1) } else { '\0' };
    let goal_words = doc.starts_with(k + 1, "目标") || doc.starts_with(k + 1, "主要");
    let deadline = doc.starts_with(k + 1, "底前") || doc.starts_with(k + 1, "前");
    let (role, strong) = match (before, value, plan) {
        ('到' | '至', _, _) => (T, true),
        ('比' | '较' | '于', _, _) => (None, false),
        (_, Some(y), Some(p)) if y < p => (B, true),
        (_, Some(_), Some(_)) => (T, goal_words || deadline),
        _ if goal_words || deadline => (T, true),
        _ => (B, false),
    };
    Some(Cue {
        start: i,
        end: k + 1,
        role,
        strong,
    })
}

/// All cues in `[from, to)` without overlap.
pub(crate) fn cues_in(doc: &Doc, from: usize, to: usize, plan: Option<u32>) -> Vec<Cue> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        match cue_at(doc, i, plan) {
            Some(c) => {
                i = c.end.max(i + 1);
                out.push(c);
            }
            None => i += 1,
        }
    }
    out
}

/// Decides the role of a figure whose indicator starts at `at` and whose
/// window ends at `window_end`, given the sentence cues and the carried role.
pub(crate) fn decide(
    cues: &[Cue],
    at: usize,
    window_end: usize,
    carry: Option<Role>,
) -> Option<Role> {
    let before = |strong: bool| {
        cues.iter()
            .rev()
            .filter(|c| c.end <= at && c.strong == strong)
            .find_map(|c| c.role)
    };
    let inside = |strong: bool| {
        cues.iter()
            .filter(|c| c.start >= at && c.start < window_end && c.strong == strong)
            .find_map(|c| c.role)
    };
    before(true)
        .or_else(|| inside(true))
        .or_else(|| before(false))
        .or_else(|| inside(false))
        .or(carry)
}

/// The role a sentence leaves behind for the sentences after it.
pub(crate) fn carry_after(cues: &[Cue], carry: Option<Role>) -> Option<Role> {
    cues.iter()
        .rev()
        .filter(|c| c.strong)
        .find_map(|c| c.role)
        .or_else(|| cues.iter().rev().find_map(|c| c.role))
        .or(carry)
}
