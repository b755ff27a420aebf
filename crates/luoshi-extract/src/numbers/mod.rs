//! Arabic and Chinese numerals, masked digits, scale words, units and ranges.

mod amount;
#[cfg(test)]
mod tests;

pub(crate) use amount::{Amount, UnitClass, amount_at, amounts_in};

use crate::normalize::Doc;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Longest numeral considered, in characters (keeps every scan linear).
const MAX_NUMERAL: usize = 40;

/// A numeral found in the working text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Num {
    /// First working character.
    pub start: usize,
    /// One past the last working character.
    pub end: usize,
    /// The value; `None` when masked or out of range.
    pub value: Option<Decimal>,
    /// True when some digit is written as `*`.
    pub masked: bool,
    /// Smallest value consistent with the written form (masked: `*` → 0).
    pub lo: Option<Decimal>,
    /// Largest value consistent with the written form (masked: `*` → 9).
    pub hi: Option<Decimal>,
    /// Half of the place value of the last written digit (rounding radius).
    pub half_ulp: Decimal,
    /// Written with Chinese numerals.
    pub chinese: bool,
    /// The numeral as written in the working text.
    pub raw: String,
}

/// True when `c` is a Chinese numeral character.
pub(crate) fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

fn cn_digit_value(c: char) -> Option<u32> {
    match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Parses a numeral at `i` (Arabic with optional `*` masks, or Chinese).
pub(crate) fn number_at(doc: &Doc, i: usize) -> Option<Num> {
    let c = doc.at(i);
    if c.is_ascii_digit() || c == '*' {
        arabic_at(doc, i)
    } else if is_cn_numeral(c) && !matches!(c, '万' | '亿' | '千' | '百') {
        chinese_at(doc, i)
    } else {
        None
    }
}

fn arabic_at(doc: &Doc, i: usize) -> Option<Num> {
    let mut raw = String::new();
    let mut k = i;
    let mut digits = 0;
    let mut dot = false;
    while k < doc.len() && k - i < MAX_NUMERAL {
        let c = doc.at(k);
        if c.is_ascii_digit() || c == '*' {
            digits += usize::from(c.is_ascii_digit());
            raw.push(c);
        } else if c == '.' && !dot && next_is_digitlike(doc, k + 1) {
            dot = true;
            raw.push('.');
        } else if c == ',' && !dot && group_of_three(doc, k + 1) {
            // thousands separator: skip it in `raw`
        } else {
            break;
        }
        k += 1;
    }
    // Consume the rest of an over-long run so callers never restart inside it.
    while k < doc.len() && (doc.at(k).is_ascii_digit() || doc.at(k) == '*') {
        k += 1;
    }
    let masked = raw.contains('*');
    if digits == 0 {
        return None;
    }
    let lo = Decimal::from_str(&raw.replace('*', "0")).ok();
    let hi = Decimal::from_str(&raw.replace('*', "9")).ok();
    let value = if masked { None } else { lo };
    let half_ulp = half_ulp_of(&raw);
    Some(Num {
        start: i,
        end: k,
        value,
        masked,
        lo,
        hi,
        half_ulp,
        chinese: false,
        raw,
    })
}

fn next_is_digitlike(doc: &Doc, k: usize) -> bool {
    doc.at(k).is_ascii_digit() || (doc.at(k) == '*' && k >= 2 && doc.at(k - 2).is_ascii_digit())
}

fn group_of_three(doc: &Doc, k: usize) -> bool {
    (k..k + 3).all(|j| doc.at(j).is_ascii_digit()) && !doc.at(k + 3).is_ascii_digit()
}

/// Rounding radius of a written Arabic numeral.
fn half_ulp_of(raw: &str) -> Decimal {
    let half = Decimal::new(5, 1);
    if let Some((_, frac)) = raw.split_once('.') {
        let scale = u32::try_from(frac.len()).unwrap_or(28).min(27);
        return Decimal::new(5, scale + 1);
    }
    let zeros = raw.chars().rev().take_while(|&c| c == '0').count();
    let zeros = zeros.min(raw.len().saturating_sub(1)).min(20);
    let mut h = half;
    for _ in 0..zeros {
        h = h.checked_mul(Decimal::TEN).unwrap_or(h);
    }
    h
}

fn chinese_at(doc: &Doc, i: usize) -> Option<Num> {
    let mut k = i;
    while k < doc.len() && k - i < MAX_NUMERAL && (is_cn_numeral(doc.at(k)) || doc.at(k) == '点') {
        if doc.at(k) == '点' && cn_digit_value(doc.at(k + 1)).is_none() {
            break;
        }
        k += 1;
    }
    let raw: String = doc.work(i, k);
    let value = parse_chinese(&raw)?;
    Some(Num {
        start: i,
        end: k,
        value: Some(value),
        masked: false,
        lo: Some(value),
        hi: Some(value),
        half_ulp: Decimal::new(5, 1),
        chinese: true,
        raw,
    })
}

/// Parses a Chinese numeral such as `三千`, `十二`, `一万二千`, `三点五`, `二〇二四`.
pub(crate) fn parse_chinese(raw: &str) -> Option<Decimal> {
    let (int_part, frac_part) = match raw.split_once('点') {
        Some((a, b)) => (a, Some(b)),
        None => (raw, None),
    };
    let mut value = if int_part.is_empty() {
        Decimal::ZERO
    } else if int_part.chars().count() >= 2 && int_part.chars().all(|c| cn_digit_value(c).is_some())
    {
        digit_string(int_part)?
    } else {
        parse_cn_integer(int_part)?
    };
    if let Some(frac) = frac_part {
        let digits: String = frac
            .chars()
            .map(|c| cn_digit_value(c).and_then(|d| char::from_digit(d, 10)))
            .collect::<Option<String>>()?;
        let f = Decimal::from_str(&format!("0.{digits}")).ok()?;
        value = value.checked_add(f)?;
    }
    Some(value)
}

fn digit_string(s: &str) -> Option<Decimal> {
    let digits: String = s
        .chars()
        .map(|c| cn_digit_value(c).and_then(|d| char::from_digit(d, 10)))
        .collect::<Option<String>>()?;
    Decimal::from_str(&digits).ok()
}

fn parse_cn_integer(s: &str) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    let mut section = Decimal::ZERO;
    let mut digit: Option<Decimal> = None;
    for c in s.chars() {
        if let Some(d) = cn_digit_value(c) {
            if digit.is_some() && d != 0 {
                return None;
            }
            digit = Some(Decimal::from(d));
            continue;
        }
        let unit = match c {
            '十' => Decimal::from(10),
            '百' => Decimal::from(100),
            '千' => Decimal::from(1000),
            '万' => Decimal::from(10_000),
            '亿' => Decimal::from(100_000_000),
            _ => return None,
        };
        let d = digit.take().unwrap_or(Decimal::ONE);
        if c == '万' || c == '亿' {
            section = section.checked_add(d)?;
            if section.is_zero() {
                section = Decimal::ONE;
            }
            if c == '亿' {
                total = total.checked_add(section)?.checked_mul(unit)?;
            } else {
                total = total.checked_add(section.checked_mul(unit)?)?;
            }
            section = Decimal::ZERO;
        } else {
            section = section.checked_add(d.checked_mul(unit)?)?;
        }
    }
    let last = digit.unwrap_or(Decimal::ZERO);
    total.checked_add(section)?.checked_add(last)
}
