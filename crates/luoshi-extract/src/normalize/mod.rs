//! A normalised working copy of the input with a map back to original bytes.
//!
//! Every working character remembers the byte range of the original character
//! it came from, so any range of working characters maps to an exact span of
//! the input. The folding is strictly one character to at most one character:
//! traditional → simplified, full-width → half-width, dash and bracket variants
//! to one canonical form, whitespace inside Chinese text dropped.

mod t2s_table;
#[cfg(test)]
mod tests;

use crate::model::Span;

/// The working copy of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Doc {
    /// Normalised characters.
    pub chars: Vec<char>,
    /// Byte offset in the original input of each working character.
    starts: Vec<usize>,
    /// Byte length in the original input of each working character.
    lens: Vec<u8>,
    /// Length of the original input in bytes.
    original_len: usize,
}

impl Doc {
    /// Builds the working copy of `input`.
    pub fn new(input: &str) -> Doc {
        let mut doc = Doc {
            chars: Vec::with_capacity(input.len() / 2),
            starts: Vec::with_capacity(input.len() / 2),
            lens: Vec::with_capacity(input.len() / 2),
            original_len: input.len(),
        };
        let mut iter = input.char_indices().peekable();
        while let Some((at, c)) = iter.next() {
            let next = iter.peek().map(|&(_, n)| n);
            if let Some(folded) = doc.fold(c, next) {
                doc.push(folded, at, c.len_utf8());
            }
        }
        doc
    }

    fn push(&mut self, c: char, at: usize, len: usize) {
        self.chars.push(c);
        self.starts.push(at);
        self.lens.push(u8::try_from(len).unwrap_or(4));
    }

    /// Folds one input character given the next one; `None` drops it.
    fn fold(&self, c: char, next: Option<char>) -> Option<char> {
        let prev = self.chars.last().copied();
        match c {
            '\r' => (next != Some('\n')).then_some('\n'),
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => Some('\n'),
            '\u{200b}'..='\u{200d}' | '\u{feff}' | '\u{ad}' => None,
            c if c.is_whitespace() => {
                let keep = prev.is_some_and(|p| p.is_ascii_alphanumeric())
                    && next.is_some_and(|n| n.is_ascii_alphanumeric());
                keep.then_some(' ')
            }
            ',' => {
                let digit_group = prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit());
                Some(if digit_group { ',' } else { '，' })
            }
            c => Some(fold_char(c)),
        }
    }

    /// Number of working characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Character at `i`, or `'\0'` past the end.
    pub fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    /// True when the working text at `i` starts with `word`.
    pub fn starts_with(&self, i: usize, word: &str) -> bool {
        (i..)
            .zip(word.chars())
            .all(|(k, w)| self.chars.get(k) == Some(&w))
    }

    /// True when the working text ending just before `end` ends with `word`.
    pub fn ends_with(&self, end: usize, word: &str) -> bool {
        let n = word.chars().count();
        end >= n && self.starts_with(end - n, word)
    }

    /// Finds `word` in `[from, to)`; returns the start index.
    pub fn find(&self, from: usize, to: usize, word: &str) -> Option<usize> {
        let first = word.chars().next()?;
        let rest = word.get(first.len_utf8()..).unwrap_or("");
        let n = 1 + rest.chars().count();
        let to = to.min(self.len());
        if from + n > to {
            return None;
        }
        // Compare the first character before decoding the rest of the word.
        (from..=to - n)
            .find(|&i| self.chars.get(i) == Some(&first) && self.starts_with(i + 1, rest))
    }

    /// Original byte span of working characters `[a, b)`.
    pub fn span(&self, a: usize, b: usize) -> Span {
        if a >= b || a >= self.len() {
            let at = self.starts.get(a).copied().unwrap_or(self.original_len);
            return Span { start: at, end: at };
        }
        let last = b.min(self.len()) - 1;
        let start = self.starts.get(a).copied().unwrap_or(self.original_len);
        let end = self.starts.get(last).copied().unwrap_or(self.original_len)
            + usize::from(self.lens.get(last).copied().unwrap_or(0));
        Span {
            start,
            end: end.min(self.original_len),
        }
    }

    /// Working text of `[a, b)` as a string.
    pub fn work(&self, a: usize, b: usize) -> String {
        let b = b.min(self.len());
        if a >= b {
            return String::new();
        }
        self.chars
            .get(a..b)
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    }

    /// Keeps only the working characters whose index satisfies `keep`.
    pub fn retain_indices(&mut self, keep: &[bool]) {
        let mut w = 0;
        for r in 0..self.chars.len() {
            if keep.get(r).copied().unwrap_or(true) {
                self.chars.swap(w, r);
                self.starts.swap(w, r);
                self.lens.swap(w, r);
                w += 1;
            }
        }
        self.chars.truncate(w);
        self.starts.truncate(w);
        self.lens.truncate(w);
    }
}

/// Folds a single character (no context needed).
pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => {
            let ascii = char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c);
            fold_ascii(ascii)
        }
        '\u{ff61}' => '。',
        '\u{ff64}' => '、',
        '—' | '–' | '‒' | '―' | '−' | '〜' | '﹣' | '‐' | '‑' => '-',
        '「' | '『' | '〝' => '“',
        '」' | '』' | '〞' => '”',
        '﹪' | '٪' => '%',
        '‰' => '‰',
        '﹐' => '，',
        '﹔' => '；',
        '﹕' => '：',
        '〔' | '【' => '【',
        '〕' | '】' => '】',
        c if c.is_ascii() => fold_ascii(c),
        c => to_simplified(c),
    }
}

fn fold_ascii(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '(' => '（',
        ')' => '）',
        '!' => '！',
        '?' => '？',
        '[' => '【',
        ']' => '】',
        '~' => '-',
        c => c,
    }
}

/// One bit per BMP code point that is a key of the table (8 KiB, built once).
fn in_table_bitmap(code: u32) -> bool {
    static BITS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let bits = BITS.get_or_init(|| {
        let mut v = vec![0u64; 1024];
        for &(k, _) in t2s_table::T2S {
            let k = u32::from(k) as usize;
            if let Some(w) = v.get_mut(k / 64) {
                *w |= 1 << (k % 64);
            }
        }
        v
    });
    let code = code as usize;
    bits.get(code / 64)
        .is_some_and(|w| w & (1 << (code % 64)) != 0)
}

/// Traditional → simplified for one character (identity when not in the table).
pub(crate) fn to_simplified(c: char) -> char {
    let code = u32::from(c);
    if code < 0x3400 {
        return c;
    }
    if code < 0x1_0000 && !in_table_bitmap(code) {
        return c;
    }
    match t2s_table::T2S.binary_search_by(|&(k, _)| k.cmp(&c)) {
        Ok(i) => t2s_table::T2S.get(i).map_or(c, |&(_, v)| v),
        Err(_) => c,
    }
}
