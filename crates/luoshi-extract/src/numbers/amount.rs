//! Numbers with units and ranges: `49.4亿元`, `3—5个`, `三至五所`, `百分之五十`, `1.2万亩`.

use super::{Num, is_cn_numeral, number_at};
use crate::normalize::Doc;
use rust_decimal::Decimal;

/// Broad class of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitClass {
    /// 元, 美元 (with scale: 万元, 亿元).
    Money,
    /// `%` or `‰`.
    Percent,
    /// 个百分点.
    PercentagePoint,
    /// 年, 月, 日, 天: durations and dates, never counted as quantities.
    Time,
    /// Counters and physical measures: 个, 所, 公里, 万亩, 吨 ...
    Measure,
}

/// Money units.
const MONEY: &[&str] = &["美元", "欧元", "港元", "元"];

/// Time units.
const TIME: &[&str] = &[
    "个月", "周年", "季度", "小时", "分钟", "年", "月", "日", "天", "周", "号",
];

/// Measure words and physical units (longest first within a prefix family
/// is handled by trying longer candidates first).
const MEASURES: &[&str] = &[
    "平方公里",
    "平方千米",
    "立方米",
    "平方米",
    "千瓦时",
    "标准箱",
    "个百分点",
    "万千瓦",
    "人次",
    "公里",
    "千米",
    "公顷",
    "千瓦",
    "兆瓦",
    "吨标准煤",
    "标箱",
    "户次",
    "床位",
    "个",
    "所",
    "座",
    "家",
    "户",
    "人",
    "名",
    "位",
    "条",
    "米",
    "亩",
    "吨",
    "辆",
    "台",
    "套",
    "间",
    "张",
    "项",
    "处",
    "批",
    "场",
    "次",
    "件",
    "栋",
    "幢",
    "头",
    "只",
    "株",
    "棵",
    "册",
    "部",
    "支",
    "期",
    "类",
    "份",
    "盏",
    "口",
    "眼",
    "块",
    "倍",
    "岁",
    "斤",
    "公斤",
    "千克",
    "班",
    "组",
    "对",
    "片",
    "段",
    "孔",
    "根",
    "道",
    "架",
    "艘",
    "匹",
    "万",
    "亿",
];

/// A number or range with its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Amount {
    /// First working character (numeral, or `百` of `百分之`).
    pub start: usize,
    /// One past the unit (or the numeral when there is no unit).
    pub end: usize,
    /// The (first) numeral.
    pub low: Num,
    /// The second numeral of a range.
    pub high: Option<Num>,
    /// Unit with its scale word, e.g. `亿元`, `万亩`, `%`.
    pub unit: Option<String>,
    /// Class of the unit.
    pub class: Option<UnitClass>,
}

impl Amount {
    /// True when any numeral is masked.
    pub fn masked(&self) -> bool {
        self.low.masked || self.high.as_ref().is_some_and(|h| h.masked)
    }

    /// The single value (`None` for ranges and masked numerals).
    pub fn single(&self) -> Option<Decimal> {
        if self.high.is_some() {
            None
        } else {
            self.low.value
        }
    }
}

/// Parses the unit at `i`: an optional scale word then a base unit.
fn unit_at(doc: &Doc, i: usize) -> Option<(String, UnitClass, usize)> {
    let c = doc.at(i);
    if c == '%' || c == '‰' {
        return Some((c.to_string(), UnitClass::Percent, 1));
    }
    let (scale, skip): (String, usize) = if doc.starts_with(i, "万亿") {
        ("万亿".to_string(), 2)
    } else if matches!(c, '万' | '亿' | '千' | '百')
        && !doc.starts_with(i, "千米")
        && !doc.starts_with(i, "千瓦")
        && !doc.starts_with(i, "千克")
    {
        (c.to_string(), 1)
    } else {
        (String::new(), 0)
    };
    let base = i + skip;
    let found = |list: &[&str], class| {
        list.iter()
            .filter(|u| doc.starts_with(base, u))
            .max_by_key(|u| u.chars().count())
            .map(|u| (format!("{scale}{u}"), class, skip + u.chars().count()))
    };
    if let Some(hit) = found(MONEY, UnitClass::Money) {
        return Some(hit);
    }
    if doc.starts_with(base, "个百分点") {
        return Some((
            format!("{scale}个百分点"),
            UnitClass::PercentagePoint,
            skip + 4,
        ));
    }
    if skip == 0
        && let Some(hit) = found(TIME, UnitClass::Time)
    {
        return Some(hit);
    }
    let hit = found(MEASURES, UnitClass::Measure);
    match hit {
        Some((u, _, _)) if u == scale => None,
        Some(h) => Some(h),
        None if skip > 0 && matches!(c, '万' | '亿') => Some((scale, UnitClass::Measure, skip)),
        None => None,
    }
}

fn is_range_sep(doc: &Doc, i: usize) -> Option<usize> {
    match doc.at(i) {
        '-' => Some(if doc.at(i + 1) == '-' { 2 } else { 1 }),
        '至' | '到' => Some(1),
        _ => None,
    }
}

/// Splits a trailing scale word off a Chinese numeral: `五万` + `亩` → 5, `万亩`.
fn split_trailing_scale(doc: &Doc, num: Num) -> Num {
    let last = doc.at(num.end.saturating_sub(1));
    if !num.chinese || !matches!(last, '万' | '亿') || num.end - num.start < 1 {
        return num;
    }
    let head = doc.work(num.start, num.end - 1);
    let value = if head.is_empty() {
        Some(Decimal::ONE)
    } else {
        super::parse_chinese(&head)
    };
    match value {
        Some(v) => Num {
            end: num.end - 1,
            value: Some(v),
            lo: Some(v),
            hi: Some(v),
            raw: head,
            ..num
        },
        None => num,
    }
}

/// Parses an amount starting exactly at `i`.
pub(crate) fn amount_at(doc: &Doc, i: usize) -> Option<Amount> {
    if doc.starts_with(i, "百分之") {
        let num = number_at(doc, i + 3)?;
        let end = num.end;
        return Some(Amount {
            start: i,
            end,
            low: num,
            high: None,
            unit: Some("%".to_string()),
            class: Some(UnitClass::Percent),
        });
    }
    let low = split_trailing_scale(doc, number_at(doc, i)?);
    let mut end = low.end;
    let mut unit = unit_at(doc, end);
    if let Some((_, _, n)) = &unit {
        end += n;
    }
    let mut high = None;
    if let Some(sep) = is_range_sep(doc, end)
        && let Some(h) = number_at(doc, end + sep).map(|n| split_trailing_scale(doc, n))
        && h.chinese == low.chinese
    {
        let mut e = h.end;
        let second = unit_at(doc, e);
        if let Some((_, _, n)) = &second {
            e += n;
        }
        if unit.is_none() || second.is_some() {
            unit = second.or(unit);
            end = e;
            high = Some(h);
        }
    }
    Some(Amount {
        start: i,
        end,
        low,
        high,
        unit: unit.as_ref().map(|(u, _, _)| u.clone()),
        class: unit.map(|(_, c, _)| c),
    })
}

/// All amounts in `[from, to)`, scanning left to right without overlap.
pub(crate) fn amounts_in(doc: &Doc, from: usize, to: usize) -> Vec<Amount> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let c = doc.at(i);
        let prev = if i > 0 { doc.at(i - 1) } else { '\0' };
        let starts_number = (c.is_ascii_digit() || c == '*')
            && !prev.is_ascii_digit()
            && prev != '.'
            && prev != '*'
            || is_cn_numeral(c) && !is_cn_numeral(prev)
            || doc.starts_with(i, "百分之");
        if starts_number
            && let Some(a) = amount_at(doc, i)
            && (a.low.value.is_some() || a.masked())
        {
            i = a.end.max(i + 1);
            out.push(a);
            continue;
        }
        i += 1;
    }
    out
}
