//! Recognising indicator names (longest match over the alias table).

mod table;
#[cfg(test)]
mod tests;

use crate::lexicon::CharMap;
use crate::model::PriceBasis;
use crate::normalize::Doc;
use std::sync::OnceLock;

/// A canonical indicator as resolved from a written name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Canonical simplified name.
    pub canonical: &'static str,
    /// Price basis of its growth.
    pub basis: Option<PriceBasis>,
    /// Former name when written under an old name.
    pub renamed_from: Option<&'static str>,
}

/// An indicator mention: one written name that may stand for one or two indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    /// First working character.
    pub start: usize,
    /// One past the last working character.
    pub end: usize,
    /// Indicators named (two for 城乡居民收入).
    pub indicators: Vec<Resolved>,
}

struct Matcher {
    by_first: CharMap<Vec<(Vec<char>, Vec<Resolved>)>>,
}

fn resolve(canonical: &str, written: &str) -> Option<Resolved> {
    let entry = table::ENTRIES.iter().find(|e| e.canonical == canonical)?;
    Some(Resolved {
        canonical: entry.canonical,
        basis: entry.basis,
        renamed_from: entry.old_names.iter().find(|o| **o == written).copied(),
    })
}

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut by_first: CharMap<Vec<(Vec<char>, Vec<Resolved>)>> = CharMap::default();
        let mut add = |name: &str, targets: Vec<Resolved>| {
            let chars: Vec<char> = name.chars().collect();
            if let Some(&first) = chars.first() {
                by_first.entry(first).or_default().push((chars, targets));
            }
        };
        for e in table::ENTRIES {
            for name in std::iter::once(&e.canonical).chain(e.aliases.iter()) {
                add(name, resolve(e.canonical, name).into_iter().collect());
            }
        }
        for (name, pair) in table::PAIRS {
            add(name, pair.iter().filter_map(|c| resolve(c, c)).collect());
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        }
        Matcher { by_first }
    })
}

/// Longest indicator name starting exactly at `i`.
pub(crate) fn mention_at(doc: &Doc, i: usize) -> Option<Mention> {
    let list = matcher().by_first.get(&doc.at(i))?;
    list.iter()
        .find(|(name, _)| {
            name.iter()
                .enumerate()
                .all(|(k, c)| doc.chars.get(i + k) == Some(c))
        })
        .map(|(name, targets)| Mention {
            start: i,
            end: i + name.len(),
            indicators: targets.clone(),
        })
}

/// All non-overlapping indicator mentions in `[from, to)`, left to right.
pub(crate) fn mentions_in(doc: &Doc, from: usize, to: usize) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        match mention_at(doc, i) {
            Some(m) if m.end <= to => {
                i = m.end;
                out.push(m);
            }
            _ => i += 1,
        }
    }
    out
}

/// Number of canonical indicators known (for docs and tests).
pub(crate) fn canonical_count() -> usize {
    table::ENTRIES.len()
}
