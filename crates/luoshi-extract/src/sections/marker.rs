//! Recognising numbering markers such as `一、`, `（一）`, `第一，`, `1.`, `（1）`, `一是`.

use crate::normalize::Doc;

/// A numbering scheme. The conventional hierarchy is given by [`Scheme::rank`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// `一、`
    CnDun,
    /// `（一）`
    CnParen,
    /// `第一，`
    Di,
    /// `1、` or `1.`
    Arabic,
    /// `（1）` or `1）`
    ArParen,
    /// `①`
    Circled,
    /// `一要`
    CnYao,
    /// `一是`
    CnShi,
}

impl Scheme {
    /// Conventional rank: smaller is higher in the outline.
    pub fn rank(self) -> u8 {
        match self {
            Scheme::CnDun => 1,
            Scheme::CnParen | Scheme::Di => 2,
            Scheme::Arabic => 3,
            Scheme::ArParen => 4,
            Scheme::Circled => 5,
            Scheme::CnYao => 6,
            Scheme::CnShi => 7,
        }
    }

    /// True for schemes that only count at the start of a line.
    pub fn line_only(self) -> bool {
        matches!(self, Scheme::CnDun | Scheme::Arabic)
    }
}

/// A marker found at some position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker {
    /// Which scheme.
    pub scheme: Scheme,
    /// Its ordinal (1-based).
    pub n: u32,
    /// Characters of the numbering itself (kept as the section number).
    pub number_len: usize,
    /// Characters consumed including the trailing punctuation.
    pub len: usize,
}

/// Value of a single Chinese digit used in numbering (no 两, no 零).
fn cn_digit(c: char) -> Option<u32> {
    "一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .and_then(|p| u32::try_from(p + 1).ok())
}

/// Parses a Chinese ordinal 1–99 at `i`; returns (value, chars).
fn cn_ordinal(doc: &Doc, i: usize) -> Option<(u32, usize)> {
    let a = doc.at(i);
    if a == '十' {
        return match cn_digit(doc.at(i + 1)) {
            Some(d) => Some((10 + d, 2)),
            None => Some((10, 1)),
        };
    }
    let d = cn_digit(a)?;
    if doc.at(i + 1) == '十' {
        return match cn_digit(doc.at(i + 2)) {
            Some(e) => Some((d * 10 + e, 3)),
            None => Some((d * 10, 2)),
        };
    }
    Some((d, 1))
}

/// Parses 1–3 ASCII digits at `i`; returns (value, chars).
fn ar_ordinal(doc: &Doc, i: usize) -> Option<(u32, usize)> {
    let mut n = 0u32;
    let mut k = 0;
    while k < 3 && doc.at(i + k).is_ascii_digit() {
        n = n * 10 + doc.at(i + k).to_digit(10).unwrap_or(0);
        k += 1;
    }
    (k > 0 && !doc.at(i + k).is_ascii_digit() && n > 0).then_some((n, k))
}

/// Recognises a numbering marker starting exactly at `i`.
pub(crate) fn marker_at(doc: &Doc, i: usize) -> Option<Marker> {
    let c = doc.at(i);
    let mk = |scheme, n, number_len, len| {
        Some(Marker {
            scheme,
            n,
            number_len,
            len,
        })
    };
    if ('\u{2460}'..='\u{2473}').contains(&c) {
        let n = u32::from(c) - 0x2460 + 1;
        return mk(Scheme::Circled, n, 1, 1);
    }
    if c == '（' {
        if let Some((n, k)) = cn_ordinal(doc, i + 1) {
            return (doc.at(i + 1 + k) == '）').then_some(()).and(mk(
                Scheme::CnParen,
                n,
                k + 2,
                k + 2,
            ));
        }
        if let Some((n, k)) = ar_ordinal(doc, i + 1) {
            return (doc.at(i + 1 + k) == '）').then_some(()).and(mk(
                Scheme::ArParen,
                n,
                k + 2,
                k + 2,
            ));
        }
        return None;
    }
    if c == '第' {
        let (n, k) = cn_ordinal(doc, i + 1)?;
        let p = doc.at(i + 1 + k);
        return matches!(p, '，' | '、' | '：')
            .then_some(())
            .and(mk(Scheme::Di, n, k + 1, k + 2));
    }
    if let Some((n, k)) = ar_ordinal(doc, i) {
        let p = doc.at(i + k);
        return match p {
            '、' => mk(Scheme::Arabic, n, k, k + 1),
            '.' if !doc.at(i + k + 1).is_ascii_digit() && n < 100 => {
                mk(Scheme::Arabic, n, k, k + 1)
            }
            '）' => mk(Scheme::ArParen, n, k + 1, k + 1),
            _ => None,
        };
    }
    let (n, k) = cn_ordinal(doc, i)?;
    match doc.at(i + k) {
        '、' => mk(Scheme::CnDun, n, k, k + 1),
        '是' if n <= 12 => mk(Scheme::CnShi, n, k + 1, k + 1),
        '要' if n <= 12 && !doc.starts_with(i + k, "要素") => mk(Scheme::CnYao, n, k + 1, k + 1),
        _ => None,
    }
}
