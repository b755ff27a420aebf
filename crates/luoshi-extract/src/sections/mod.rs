//! The heading tree: numbering markers placed by the conventional hierarchy
//! 一、 > （一）/第一， > 1. > （1） > ① > 一要 > 一是.

pub(crate) mod marker;
#[cfg(test)]
mod tests;

use crate::model::Section;
use crate::normalize::Doc;
use crate::segment::{Sentence, is_terminal};
use marker::{Marker, Scheme, marker_at};

/// Titles longer than this are cut at their first comma.
const MAX_TITLE: usize = 60;

/// A heading before the tree is assembled.
#[derive(Debug, Clone)]
struct Flat {
    section: Section,
    parent: Option<usize>,
}

/// Result of the section pass.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    /// The heading tree.
    pub roots: Vec<Section>,
    /// For each sentence, the `number title` path of the innermost section.
    pub paths: Vec<Option<String>>,
    /// For each sentence, whether it is itself a heading.
    pub is_heading: Vec<bool>,
}

struct Open {
    scheme: Scheme,
    n: u32,
    flat: usize,
}

/// Builds the outline of the document.
pub(crate) fn outline(doc: &Doc, input: &str, sentences: &[Sentence]) -> Outline {
    let mut flats: Vec<Flat> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut out = Outline::default();
    for s in sentences {
        let accepted = marker_at(doc, s.start).filter(|m| accept(m, s, &stack));
        if let Some(m) = accepted {
            place(&mut stack, m);
            let parent = stack.last().map(|o| o.flat);
            let level = u8::try_from(stack.len() + 1).unwrap_or(u8::MAX);
            flats.push(Flat {
                section: heading(doc, input, s, m, level),
                parent,
            });
            stack.push(Open {
                scheme: m.scheme,
                n: m.n,
                flat: flats.len() - 1,
            });
        }
        out.is_heading.push(accepted.is_some());
        out.paths.push(path(&flats, &stack));
    }
    out.roots = assemble(flats);
    out
}

/// Whether a marker really opens a section here.
fn accept(m: &Marker, s: &Sentence, stack: &[Open]) -> bool {
    if m.scheme.line_only() && !s.line_start {
        return false;
    }
    if m.n == 1 || (m.scheme == Scheme::CnDun && s.line_start) {
        return true;
    }
    stack.iter().any(|o| o.scheme == m.scheme && o.n < m.n)
}

/// Pops the stack to where a marker of this scheme belongs.
fn place(stack: &mut Vec<Open>, m: Marker) {
    if let Some(pos) = stack.iter().rposition(|o| o.scheme == m.scheme) {
        stack.truncate(pos);
        return;
    }
    while stack
        .last()
        .is_some_and(|o| o.scheme.rank() >= m.scheme.rank())
    {
        stack.pop();
    }
}

fn heading(doc: &Doc, input: &str, s: &Sentence, m: Marker, level: u8) -> Section {
    let number = doc
        .span(s.start, s.start + m.number_len)
        .slice(input)
        .to_string();
    let mut a = s.start + m.len;
    while a < s.end && matches!(doc.at(a), '，' | '、' | '：' | ' ') {
        a += 1;
    }
    let mut b = s.end;
    while b > a && (is_terminal(doc.at(b - 1)) || matches!(doc.at(b - 1), '，' | '：' | ' ')) {
        b -= 1;
    }
    if b - a > MAX_TITLE
        && let Some(comma) = doc.find(a, b, "，")
    {
        b = comma;
    }
    Section {
        number,
        title: doc.span(a, b).slice(input).to_string(),
        level,
        span: doc.span(s.start, b.max(s.start + m.len)),
        children: Vec::new(),
    }
}

fn path(flats: &[Flat], stack: &[Open]) -> Option<String> {
    let parts: Vec<String> = stack
        .iter()
        .filter_map(|o| flats.get(o.flat))
        .map(|f| format!("{} {}", f.section.number, f.section.title))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" > "))
}

/// Turns the flat list (parents always before children) into a tree.
fn assemble(flats: Vec<Flat>) -> Vec<Section> {
    let parents: Vec<Option<usize>> = flats.iter().map(|f| f.parent).collect();
    let mut nodes: Vec<Option<Section>> = flats.into_iter().map(|f| Some(f.section)).collect();
    let mut roots = Vec::new();
    for i in (0..nodes.len()).rev() {
        let Some(node) = nodes.get_mut(i).and_then(Option::take) else {
            continue;
        };
        match parents.get(i).copied().flatten() {
            Some(p) => {
                if let Some(Some(parent)) = nodes.get_mut(p) {
                    parent.children.push(node);
                }
            }
            None => roots.push(node),
        }
    }
    reverse_all(&mut roots);
    roots
}

/// Children were collected last-first; the tree is at most eight levels deep.
fn reverse_all(list: &mut [Section]) {
    list.reverse();
    for s in list.iter_mut() {
        reverse_all(&mut s.children);
    }
}

/// Numbers of a list of sections (test helper).
#[cfg(test)]
pub(crate) fn numbers(sections: &[Section]) -> Vec<String> {
    sections.iter().map(|s| s.number.clone()).collect()
}
