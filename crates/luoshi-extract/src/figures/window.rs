//! Reading the numbers that follow an indicator name.

use crate::model::PriceBasis;
use crate::normalize::Doc;
use crate::numbers::{Amount, UnitClass, amounts_in};
use rust_decimal::Decimal;

/// Numbers assigned to one indicator.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Numbers {
    /// Level value (unknown when masked).
    pub value: Option<Decimal>,
    /// Other end of a value range (`1200—1300亿元`).
    pub value_to: Option<Decimal>,
    /// Unit of the level.
    pub unit: Option<String>,
    /// Interval of values consistent with the written level (rounding and masks).
    pub value_bounds: Option<(Decimal, Decimal)>,
    /// Decimal places written for the level.
    pub value_scale: u32,
    /// Growth in percent (the first end of a written range).
    pub growth: Option<Decimal>,
    /// Other end of a growth range (`增长6%—6.5%`).
    pub growth_to: Option<Decimal>,
    /// Interval consistent with the written growth.
    pub growth_bounds: Option<(Decimal, Decimal)>,
    /// 实际增长 / 名义增长 when written.
    pub growth_basis: Option<PriceBasis>,
    /// Absolute increase (净增) and its unit and bounds.
    pub delta: Option<(Decimal, String, Decimal, Decimal)>,
    /// True when a masked digit is involved.
    pub masked: bool,
    /// Masked level as written, e.g. `40.*亿元`.
    pub masked_raw: Option<String>,
}

/// Everything read from one window.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    values: Vec<Amount>,
    growths: Vec<(Amount, bool)>,
    delta_amount: Option<Amount>,
    distribute: bool,
    basis: Option<PriceBasis>,
    /// 净增 value.
    pub delta: Option<Decimal>,
    /// Unit of the 净增 value.
    pub delta_unit: Option<String>,
    /// 左右, 以上, 力争 ...
    pub qualifier: Option<String>,
    /// 全区, 全市 ...
    pub applies_to: Option<String>,
    /// A unit that was not recognised.
    pub unknown_unit: Option<String>,
    /// One past the last working character read.
    pub end: usize,
}

const COMPARISON: &[&str] = &[
    "平均水平",
    "相差",
    "差距",
    "低于",
    "高于",
    "不足",
    "排名",
    "位居",
    "居全",
    "比全省",
    "比全市",
    "比全国",
    "占全",
    "占比",
    "比重",
    "之一",
    "的一半",
    "倍",
];
const VALUE_WORDS: &[&str] = &[
    "增加到",
    "增长到",
    "增至",
    "提高到",
    "提高至",
    "上升到",
    "下降到",
    "降至",
    "达到",
];
const DELTA_WORDS: &[&str] = &[
    "净增",
    "净增加",
    "增加",
    "新增",
    "多增",
    "增收",
    "净减",
    "减少了",
];
const GROWTH_UP: &[&str] = &[
    "增长",
    "增速",
    "增幅",
    "增长率",
    "提高",
    "上升",
    "上涨",
    "增",
    "递增",
    "提升",
];
const GROWTH_DOWN: &[&str] = &["下降", "减少", "降低", "回落", "下滑", "减"];
const FILLERS: &[char] = &[
    '为', '了', '约', '达', '到', '在', '至', '分', '别', '均', '都', '是',
];
/// Nouns naming a growth rate: a percentage after them (and 达到/为) is a growth.
const RATE_NOUNS: &[&str] = &["增速", "增幅", "增长率", "增长速度"];
/// Bounds written between a growth word and its rate (`增速不低于6%`).
const LIMIT_QUALIFIERS: &[&str] = &[
    "不低于",
    "不少于",
    "不超过",
    "不高于",
    "控制在",
    "保持在",
    "稳定在",
    "高于",
    "超过",
];
const AFTER_QUALIFIERS: &[&str] = &["左右", "以上", "以内", "以下", "之内", "上下", "之间"];
const BEFORE_QUALIFIERS: &[&str] = &[
    "突破",
    "超过",
    "不低于",
    "不少于",
    "不超过",
    "控制在",
    "保持在",
    "约",
    "近",
];
const REGIONS: &[&str] = &[
    "全区", "全市", "全县", "全省", "全镇", "全乡", "全旗", "全州", "我区", "我市", "我县", "城区",
    "全盟",
];

/// Kind of the word just before an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lead {
    Value,
    Delta,
    Growth(bool),
    From,
    Joined,
    None,
}

fn lead_of(doc: &Doc, lower: usize, at: usize) -> Lead {
    let lower = lower.max(at.saturating_sub(8));
    if at > lower && matches!(doc.at(at - 1), '、' | '和') {
        return Lead::Joined;
    }
    if at > lower && matches!(doc.at(at - 1), '由' | '从') {
        return Lead::From;
    }
    // `增速不低于6%`, `增长保持在5%以上`: look through the qualifier to the word before it.
    let mut at = at;
    if let Some(q) = LIMIT_QUALIFIERS
        .iter()
        .find(|q| doc.ends_with(at, q) && at >= lower + q.chars().count())
    {
        at -= q.chars().count();
    }
    if let Some(w) = VALUE_WORDS
        .iter()
        .find(|w| doc.ends_with(at, w) && at >= lower + w.chars().count())
    {
        // `增速达到7.6%` states a growth rate, `达到400亿元` a level.
        let before = at - w.chars().count();
        let rate = RATE_NOUNS
            .iter()
            .any(|n| doc.ends_with(before, n) && before >= lower + n.chars().count());
        return if rate {
            Lead::Growth(true)
        } else {
            Lead::Value
        };
    }
    let mut end = at;
    while end > lower && FILLERS.contains(&doc.at(end - 1)) {
        end -= 1;
    }
    let ends = |w: &&str| doc.ends_with(end, w) && end >= lower + w.chars().count();
    if DELTA_WORDS.iter().any(ends) {
        return Lead::Delta;
    }
    if GROWTH_DOWN.iter().any(ends) {
        return Lead::Growth(false);
    }
    if GROWTH_UP.iter().any(ends) {
        return Lead::Growth(true);
    }
    Lead::None
}

/// True when a comparison word (`低于全省`, `比重`) stands in `[from, to)`; a bound
/// (`不低于`, `不高于`) is not a comparison.
fn compares(doc: &Doc, from: usize, to: usize) -> bool {
    (from..to).any(|i| {
        COMPARISON
            .iter()
            .any(|w| doc.starts_with(i, w) && i + w.chars().count() <= to)
            && !(i > from && doc.at(i - 1) == '不')
    })
}

fn find_any(doc: &Doc, from: usize, to: usize, words: &[&str]) -> Option<String> {
    words
        .iter()
        .find(|w| doc.find(from, to, w).is_some())
        .map(|w| (*w).to_string())
}

/// Reads the window `[group_end, window_end)` after the indicator names.
pub(crate) fn parse(
    doc: &Doc,
    sentence_start: usize,
    first: usize,
    group_end: usize,
    window_end: usize,
) -> Option<Parsed> {
    if (first.saturating_sub(3).max(sentence_start)..first).any(|i| doc.at(i) == '占') {
        return None;
    }
    let mut p = Parsed {
        end: group_end,
        distribute: doc.find(group_end, window_end, "分别").is_some(),
        ..Parsed::default()
    };
    let mut last_kind = Lead::None;
    let mut lower = group_end;
    for a in amounts_in(doc, group_end, window_end) {
        if a.end > window_end {
            break;
        }
        let lead = lead_of(doc, lower, a.start);
        if p.values.is_empty() && p.growths.is_empty() && compares(doc, group_end, a.start) {
            return None;
        }
        let kind = if lead == Lead::Joined {
            last_kind
        } else {
            lead
        };
        let class = a.class;
        match (kind, class) {
            (_, Some(UnitClass::Time)) => {}
            (Lead::Growth(_), Some(UnitClass::PercentagePoint))
            | (_, Some(UnitClass::PercentagePoint)) => {}
            (Lead::Growth(up), Some(UnitClass::Percent)) => {
                p.growths.push((a.clone(), up));
                p.end = a.end;
                last_kind = kind;
            }
            (Lead::Delta, Some(UnitClass::Money | UnitClass::Measure))
                if p.delta_amount.is_none() =>
            {
                p.delta = a.single();
                p.delta_unit = a.unit.clone();
                p.delta_amount = Some(a.clone());
                p.end = a.end;
            }
            (Lead::From, _) => {}
            (Lead::Value, Some(_)) if !p.distribute => {
                p.values = vec![a.clone()];
                p.end = a.end;
                last_kind = Lead::Value;
            }
            (_, Some(UnitClass::Money | UnitClass::Measure | UnitClass::Percent)) => {
                if p.values.is_empty() || kind == Lead::Value || p.distribute {
                    p.values.push(a.clone());
                    p.end = a.end;
                    last_kind = Lead::Value;
                }
            }
            (_, None) => {
                let next = doc.at(a.end);
                if p.values.is_empty() && is_cjk(next) && a.low.value.is_some() && !a.low.chinese {
                    p.unknown_unit = Some(next.to_string());
                    p.values.push(a.clone());
                    p.end = a.end;
                }
            }
        }
        lower = a.end;
    }
    if p.values.is_empty() && p.growths.is_empty() {
        return None;
    }
    p.basis = if doc.find(group_end, p.end, "实际增长").is_some()
        || doc.find(group_end, p.end, "可比价").is_some()
    {
        Some(PriceBasis::Comparable)
    } else if doc.find(group_end, p.end, "名义增长").is_some()
        || doc.find(group_end, p.end, "现价").is_some()
    {
        Some(PriceBasis::Current)
    } else {
        None
    };
    read_qualifier(doc, sentence_start, first, group_end, &mut p);
    p.applies_to = (first.saturating_sub(12).max(sentence_start)..first)
        .rev()
        .find_map(|i| REGIONS.iter().find(|r| doc.starts_with(i, r)))
        .map(|r| (*r).to_string());
    Some(p)
}

fn read_qualifier(
    doc: &Doc,
    sentence_start: usize,
    first: usize,
    group_end: usize,
    p: &mut Parsed,
) {
    let after = AFTER_QUALIFIERS.iter().find(|q| doc.starts_with(p.end, q));
    if let Some(q) = after {
        p.end += q.chars().count();
        p.qualifier = Some((*q).to_string());
        return;
    }
    p.qualifier = find_any(doc, group_end, p.end, BEFORE_QUALIFIERS).or_else(|| {
        find_any(
            doc,
            first.saturating_sub(12).max(sentence_start),
            first,
            &["力争", "确保"],
        )
    });
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn bounds(a: &Amount) -> Option<(Decimal, Decimal)> {
    let lo = a.low.lo?.checked_sub(a.low.half_ulp)?;
    let hi_num = a.high.as_ref().unwrap_or(&a.low);
    let hi = hi_num.hi?.checked_add(hi_num.half_ulp)?;
    Some((lo, hi))
}

/// Both ends of an amount: (value, None) for a single number, (low, Some(high)) for a range
/// whose ends are both known; nothing when a masked digit hides either end.
fn ends(a: &Amount) -> (Option<Decimal>, Option<Decimal>) {
    match &a.high {
        None => (a.low.value, None),
        Some(h) => match (a.low.value, h.value) {
            (Some(lo), Some(hi)) => (Some(lo), Some(hi)),
            _ => (None, None),
        },
    }
}

fn scale_of(a: &Amount) -> u32 {
    a.low
        .raw
        .split_once('.')
        .map_or(0, |(_, f)| u32::try_from(f.len()).unwrap_or(0))
}

/// A growth rate listed after 分别 and its rounding interval.
pub(crate) type Respective = (Option<Decimal>, Option<(Decimal, Decimal)>);

impl Parsed {
    /// Growth rates listed after 分别 when only one indicator is in the group.
    pub fn respective_growths(&self) -> Vec<Respective> {
        if !self.distribute {
            return Vec::new();
        }
        self.growths
            .iter()
            .map(|(g, up)| {
                let v = g.single().map(|d| if *up { d } else { -d });
                let b = bounds(g).map(|(lo, hi)| if *up { (lo, hi) } else { (-hi, -lo) });
                (v, b)
            })
            .collect()
    }

    /// Numbers for the `k`-th of `count` indicators named in the group.
    pub fn numbers_for(&self, k: usize, count: usize) -> Option<Numbers> {
        let pick = |len: usize| {
            if self.distribute && count > 1 && len > 1 {
                k
            } else {
                0
            }
        };
        let value = self.values.get(pick(self.values.len()));
        let growth = self.growths.get(pick(self.growths.len()));
        if value.is_none() && growth.is_none() {
            return None;
        }
        let signed = |d: Decimal, up: bool| if up { d } else { -d };
        let mut n = Numbers {
            growth_basis: self.basis,
            ..Numbers::default()
        };
        if let Some(v) = value {
            (n.value, n.value_to) = ends(v);
            n.unit = v.unit.clone();
            n.value_bounds = bounds(v);
            n.value_scale = scale_of(v);
            if v.masked() {
                n.masked = true;
                n.masked_raw = Some(format!(
                    "{}{}",
                    v.low.raw,
                    v.unit.clone().unwrap_or_default()
                ));
            }
        }
        if let Some((g, up)) = growth {
            let (from, to) = ends(g);
            n.growth = from.map(|d| signed(d, *up));
            n.growth_to = to.map(|d| signed(d, *up));
            n.growth_bounds = bounds(g).map(|(lo, hi)| if *up { (lo, hi) } else { (-hi, -lo) });
            n.masked |= g.masked();
        }
        if let Some(d) = &self.delta_amount
            && let (Some(v), Some((lo, hi))) = (d.single(), bounds(d))
        {
            n.delta = Some((v, d.unit.clone().unwrap_or_default(), lo, hi));
        }
        Some(n)
    }
}
