//! Word lists indexed by first character, for linear-time scanning.

use crate::normalize::Doc;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast multiplicative hasher for `char` keys (no DoS concern: keys are fixed word lists).
#[derive(Default, Clone, Copy)]
pub(crate) struct CharHasher(u64);

impl Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A map keyed by first characters.
pub(crate) type CharMap<V> = HashMap<char, V, BuildHasherDefault<CharHasher>>;

/// A word list; lookups cost one hash probe per position plus the candidates
/// sharing that first character.
pub(crate) struct Lexicon {
    by_first: CharMap<Vec<(Vec<char>, usize)>>,
}

impl Lexicon {
    /// Indexes `words`; a hit reports the word's position in `words`.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut by_first: CharMap<Vec<(Vec<char>, usize)>> = CharMap::default();
        for (k, w) in words.into_iter().enumerate() {
            let chars: Vec<char> = w.chars().collect();
            if let Some(&c) = chars.first() {
                by_first.entry(c).or_default().push((chars, k));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        }
        Lexicon { by_first }
    }

    /// Longest word starting exactly at `i`: (index in the list, length in chars).
    pub fn longest_at(&self, doc: &Doc, i: usize) -> Option<(usize, usize)> {
        let list = self.by_first.get(&doc.at(i))?;
        list.iter()
            .find(|(w, _)| {
                w.iter()
                    .enumerate()
                    .all(|(k, c)| doc.chars.get(i + k) == Some(c))
            })
            .map(|(w, k)| (*k, w.len()))
    }
}

/// Declares a function returning a lazily built [`Lexicon`] over a word list.
macro_rules! lexicon {
    ($name:ident, $words:expr) => {
        fn $name() -> &'static crate::lexicon::Lexicon {
            static LEX: std::sync::OnceLock<crate::lexicon::Lexicon> = std::sync::OnceLock::new();
            LEX.get_or_init(|| crate::lexicon::Lexicon::new($words.iter().copied()))
        }
    };
}

pub(crate) use lexicon;
