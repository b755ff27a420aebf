//! Spreadsheet import of a task table (任务分解表): header matching, cell parsing and row
//! validation. Pure: the readers (CSV, XLSX) hand over a [`Sheet`] of cell texts, the caller
//! hands over a [`Directory`] of the region's units, people and the plan's sections, and gets
//! back every row parsed, or every error found, each naming its spreadsheet row and column.

mod date;
mod headers;
mod rows;

pub use date::{DATE_HELP, parse_deadline};
pub use headers::{Column, HeaderMap, column_of, fold_header, match_headers};
pub use rows::{ImportRow, same_fields, validate_sheet};

use crate::ValidationError;
use crate::ids::{PersonId, SectionId, UnitId};
use crate::measure::Decimal;
use std::collections::HashMap;
use std::fmt;

/// A sheet as read: rows of cell texts (numbers written out, dates as `YYYY-MM-DD`).
/// `rows[0]` is spreadsheet row 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    pub rows: Vec<Vec<String>>,
}

/// Tunable import behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPolicy {
    /// The weight (分值) of a task whose sheet has no weight column or an empty cell.
    pub default_weight: Decimal,
    /// How many rows at the top may precede the header row (a title, a date line …).
    pub header_search_rows: usize,
    /// The most data rows one import accepts.
    pub max_rows: usize,
}

impl Default for ImportPolicy {
    fn default() -> Self {
        Self {
            default_weight: Decimal::ONE,
            header_search_rows: 10,
            max_rows: 5000,
        }
    }
}

/// One problem in a sheet: the spreadsheet row (1-based, the header row included) and the
/// column's header as written in the sheet (or its canonical name when it is missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub code: &'static str,
    pub message: String,
}

impl RowError {
    pub fn new(
        row: usize,
        column: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            row,
            column: column.into(),
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.row, self.column, self.message
        )
    }
}

impl From<RowError> for ValidationError {
    fn from(e: RowError) -> Self {
        ValidationError::new(
            format!("row {}, column {}", e.row, e.column),
            e.code,
            e.message,
        )
    }
}

/// How names are folded before matching (e.g. traditional → simplified characters). The
/// caller supplies it; [`basic_fold`] handles width and whitespace only.
pub type Fold = fn(&str) -> String;

/// Full-width ASCII to half-width, whitespace removed, ASCII lowercased.
pub fn basic_fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a sheet's cells may name: the region's units (by name or code), its people (by name)
/// and the plan's sections (by title or number).
#[derive(Debug, Clone)]
pub struct Directory {
    fold: Fold,
    units: HashMap<String, Vec<UnitId>>,
    people: HashMap<String, Vec<PersonId>>,
    sections: HashMap<String, Vec<SectionId>>,
}

/// The outcome of looking a name up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<T> {
    Found(T),
    Unknown,
    Ambiguous,
}

impl Directory {
    pub fn new(fold: Fold) -> Self {
        Self {
            fold,
            units: HashMap::new(),
            people: HashMap::new(),
            sections: HashMap::new(),
        }
    }

    fn key(&self, s: &str) -> String {
        basic_fold(&(self.fold)(s.trim()))
    }

    fn add<T: PartialEq>(map: &mut HashMap<String, Vec<T>>, key: String, v: T) {
        if key.is_empty() {
            return;
        }
        let e = map.entry(key).or_default();
        if !e.contains(&v) {
            e.push(v);
        }
    }

    pub fn add_unit(&mut self, id: UnitId, code: &str, name: &str) {
        let (c, n) = (self.key(code), self.key(name));
        Self::add(&mut self.units, c, id);
        Self::add(&mut self.units, n, id);
    }

    pub fn add_person(&mut self, id: PersonId, name: &str) {
        let n = self.key(name);
        Self::add(&mut self.people, n, id);
    }

    pub fn add_section(&mut self, id: SectionId, number: &str, title: &str) {
        let (n, t) = (self.key(number), self.key(title));
        Self::add(&mut self.sections, t, id);
        Self::add(&mut self.sections, n, id);
    }

    fn find<T: Copy>(&self, map: &HashMap<String, Vec<T>>, s: &str) -> Lookup<T> {
        match map.get(&self.key(s)).map(Vec::as_slice) {
            Some([one]) => Lookup::Found(*one),
            Some([_, _, ..]) => Lookup::Ambiguous,
            _ => Lookup::Unknown,
        }
    }

    pub fn unit(&self, s: &str) -> Lookup<UnitId> {
        self.find(&self.units, s)
    }

    pub fn person(&self, s: &str) -> Lookup<PersonId> {
        self.find(&self.people, s)
    }

    pub fn section(&self, s: &str) -> Lookup<SectionId> {
        self.find(&self.sections, s)
    }
}

#[cfg(test)]
mod tests;
