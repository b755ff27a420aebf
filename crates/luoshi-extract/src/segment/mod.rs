//! Lines, web leftovers, soft line breaks, paragraphs and sentences.

#[cfg(test)]
mod tests;

use crate::model::{Diagnostic, DiagnosticKind};
use crate::normalize::Doc;
use crate::sections::marker::marker_at;

/// A sentence (or `；` clause) as a range of working characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sentence {
    /// First working character (after leading spaces).
    pub start: usize,
    /// One past the last working character (terminal punctuation included).
    pub end: usize,
    /// Index of the paragraph it belongs to.
    pub para: usize,
    /// True when it starts its paragraph (line start).
    pub line_start: bool,
}

/// Longest sentence before a forced split, in characters.
const MAX_SENTENCE: usize = 1500;

/// Lines shorter than this are never joined with the next one.
const MIN_WRAPPED_LINE: usize = 16;

const BOILERPLATE_PREFIXES: &[&str] = &[
    "时间：",
    "发布时间",
    "发表时间",
    "日期：",
    "来源：",
    "来源于",
    "信息来源",
    "文章来源",
    "导语：",
    "作者：",
    "责任编辑",
    "编辑：",
    "浏览次数",
    "阅读次数",
    "点击数",
    "点击：",
    "分享到",
    "分享：",
    "打印本页",
    "【打印",
    "【关闭",
    "【字体",
    "字号：",
    "扫一扫",
    "上一篇",
    "下一篇",
    "返回顶部",
    "相关阅读",
    "相关文章",
    "版权所有",
    "免责声明",
    "当前位置",
    "原文链接",
    "Copyright",
    "copyright",
];

const BOILERPLATE_WORDS: &[&str] = &["分享到", "打印本页", "关闭窗口", "加入收藏", "微信扫一扫"];

/// Characters that end a sentence.
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n')
}

/// Closing characters that stay with the sentence they follow.
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '）' | '】' | '"' | '\'' | '》')
}

/// Removes web leftovers and soft line breaks from `doc`; returns diagnostics
/// for the ignored lines.
pub(crate) fn clean(doc: &mut Doc) -> Vec<Diagnostic> {
    let lines = line_ranges(doc);
    let mut keep = vec![true; doc.len()];
    let mut diagnostics = Vec::new();
    let title = lines.iter().find(|&&(a, b)| b > a).copied();
    let title_text = title
        .filter(|&(a, b)| looks_like_title(doc, a, b))
        .map(|(a, b)| doc.work(a, b));
    for &(a, b) in &lines {
        if b == a {
            continue;
        }
        let is_title = title_text
            .as_deref()
            .is_some_and(|t| b - a == t.chars().count() && doc.starts_with(a, t));
        if is_title || is_boilerplate(doc, a, b) {
            let span = doc.span(a, b);
            diagnostics.push(Diagnostic {
                kind: DiagnosticKind::Boilerplate,
                message: if is_title {
                    "title line ignored".to_string()
                } else {
                    "web-page leftover line ignored".to_string()
                },
                text: String::new(),
                span,
            });
            keep.iter_mut().take(b).skip(a).for_each(|k| *k = false);
        }
    }
    mark_soft_breaks(doc, &lines, &mut keep);
    doc.retain_indices(&keep);
    diagnostics
}

/// `(start, end)` of each line, excluding the `\n`.
fn line_ranges(doc: &Doc) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &c) in doc.chars.iter().enumerate() {
        if c == '\n' {
            lines.push(trim(doc, start, i));
            start = i + 1;
        }
    }
    lines.push(trim(doc, start, doc.len()));
    lines
}

fn trim(doc: &Doc, mut a: usize, mut b: usize) -> (usize, usize) {
    while a < b && doc.at(a) == ' ' {
        a += 1;
    }
    while b > a && doc.at(b - 1) == ' ' {
        b -= 1;
    }
    (a, b)
}

fn looks_like_title(doc: &Doc, a: usize, b: usize) -> bool {
    let short = b - a <= 40;
    let no_punct =
        (a..b).all(|i| !matches!(doc.at(i), '。' | '，' | '；' | '：' | '！' | '？' | '、'));
    short && no_punct && marker_at(doc, a).is_none()
}

fn is_boilerplate(doc: &Doc, a: usize, b: usize) -> bool {
    if BOILERPLATE_PREFIXES.iter().any(|p| doc.starts_with(a, p)) {
        return true;
    }
    b - a <= 40
        && BOILERPLATE_WORDS
            .iter()
            .any(|w| doc.find(a, b, w).is_some())
}

/// Marks line breaks inside a wrapped sentence for removal.
fn mark_soft_breaks(doc: &Doc, lines: &[(usize, usize)], keep: &mut [bool]) {
    for pair in lines.windows(2) {
        let &[(a, b), (c, d)] = pair else {
            continue;
        };
        let (Some(true), Some(true)) = (keep.get(a), keep.get(c)) else {
            continue;
        };
        if b == a || d == c || b - a < MIN_WRAPPED_LINE {
            continue;
        }
        let last = doc.at(b - 1);
        let ends_sentence = is_terminal(last) || matches!(last, '：' | '”' | '）' | '…');
        let heading = marker_at(doc, a).is_some_and(|m| m.scheme.line_only())
            || matches!(doc.at(a), '（' | '第');
        if ends_sentence || heading || marker_at(doc, c).is_some() {
            continue;
        }
        // Remove the newline and the spaces around it.
        for k in b..c {
            if let Some(slot) = keep.get_mut(k) {
                *slot = false;
            }
        }
    }
}

/// Splits the cleaned document into sentences and `；` clauses.
pub(crate) fn sentences(doc: &Doc) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut para = 0;
    let mut start = 0;
    let mut line_start = true;
    let mut i = 0;
    let n = doc.len();
    while i < n {
        let c = doc.at(i);
        let mut cut = None;
        if c == '\n' {
            cut = Some(i);
        } else if is_terminal(c) {
            let mut e = i + 1;
            while e < n && (is_closer(doc.at(e)) || (is_terminal(doc.at(e)) && doc.at(e) != '\n')) {
                e += 1;
            }
            cut = Some(e);
        } else if (c == '：' && marker_at(doc, i + 1).is_some())
            || (i - start >= MAX_SENTENCE && c == '，')
            || i - start >= MAX_SENTENCE * 4
        {
            cut = Some(i + 1);
        }
        if let Some(e) = cut {
            push_sentence(doc, &mut out, start, e, para, line_start);
            line_start = c == '\n';
            if c == '\n' {
                para += 1;
                start = i + 1;
                i += 1;
            } else {
                start = e;
                i = e;
            }
            continue;
        }
        i += 1;
    }
    push_sentence(doc, &mut out, start, n, para, line_start);
    out
}

fn push_sentence(
    doc: &Doc,
    out: &mut Vec<Sentence>,
    start: usize,
    end: usize,
    para: usize,
    line_start: bool,
) {
    let (a, mut b) = trim(doc, start, end.min(doc.len()));
    while b > a && doc.at(b - 1) == '\n' {
        b -= 1;
    }
    if b > a {
        out.push(Sentence {
            start: a,
            end: b,
            para,
            line_start,
        });
    }
}
