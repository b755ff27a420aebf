//! Row validation: every cell of every row checked, every error collected.

use super::{
    Column, Directory, HeaderMap, ImportPolicy, Lookup, RowError, Sheet, match_headers,
    parse_deadline,
};
use crate::ValidationError;
use crate::error::{optional_text, required_text};
use crate::ids::{PersonId, SectionId, UnitId};
use crate::measure::{Decimal, parse_decimal};
use crate::task::{TaskFields, TaskSource};
use std::collections::HashMap;
use time::{Date, Month};

/// One valid row. Optional columns are `None` when the sheet lacks the column, so that a
/// re-import leaves those fields of an existing task as they are; `Some(None)` clears them.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The spreadsheet row (1-based).
    pub row: usize,
    pub external_id: String,
    pub title: String,
    pub lead_unit: UnitId,
    pub co_units: Option<Vec<UnitId>>,
    pub lead_official: Option<Option<PersonId>>,
    pub responsible_person: Option<Option<PersonId>>,
    pub deadline: Date,
    pub weight: Option<Decimal>,
    pub section: Option<Option<SectionId>>,
    pub remarks: Option<String>,
}

impl ImportRow {
    /// The fields of a new task starting on `start`.
    pub fn new_fields(&self, start: Date, policy: &ImportPolicy) -> TaskFields {
        TaskFields {
            section: self.section.flatten(),
            external_id: Some(self.external_id.clone()),
            title: self.title.clone(),
            description: self.remarks.clone().unwrap_or_default(),
            source: TaskSource::Plan,
            lead_unit: self.lead_unit,
            co_units: self.co_units.clone().unwrap_or_default(),
            lead_official: self.lead_official.flatten(),
            responsible_person: self.responsible_person.flatten(),
            liaison: None,
            start,
            deadline: self.deadline,
            milestones: vec![],
            quantity: None,
            weight: self.weight.unwrap_or(policy.default_weight),
        }
    }

    /// An existing task's fields with this row's columns written over them.
    pub fn apply_to(&self, existing: &TaskFields) -> TaskFields {
        let mut f = existing.clone();
        f.external_id = Some(self.external_id.clone());
        f.title = self.title.clone();
        f.lead_unit = self.lead_unit;
        f.deadline = self.deadline;
        if let Some(c) = &self.co_units {
            f.co_units = c.clone();
        }
        if let Some(p) = self.lead_official {
            f.lead_official = p;
        }
        if let Some(p) = self.responsible_person {
            f.responsible_person = p;
        }
        if let Some(w) = self.weight {
            f.weight = w;
        }
        if let Some(s) = self.section {
            f.section = s;
        }
        if let Some(r) = &self.remarks {
            f.description = r.clone();
        }
        f
    }

    /// Turn a task validation error into one naming this row and the column at fault.
    pub fn error(&self, header: &HeaderMap, e: ValidationError) -> RowError {
        let col = field_column(&e.field);
        RowError::new(self.row, header.name(col), e.code, e.message)
    }
}

/// Which column a [`TaskFields::validate`] field comes from.
fn field_column(field: &str) -> Column {
    match field.split(['[', '.']).next().unwrap_or("") {
        "title" => Column::Title,
        "external_id" => Column::Number,
        "co_unit_ids" => Column::CoUnits,
        "weight" => Column::Weight,
        "description" => Column::Remarks,
        "section_id" => Column::Section,
        _ => Column::Deadline,
    }
}

/// Whether an import would leave a task's fields as they are (cooperating units compared as
/// a set).
pub fn same_fields(a: &TaskFields, b: &TaskFields) -> bool {
    let norm = |f: &TaskFields| {
        let mut f = f.clone();
        f.co_units.sort();
        f
    };
    norm(a) == norm(b)
}

/// Separators between names in one cell: 、，,；; / and whitespace.
fn split_names(s: &str) -> Vec<&str> {
    s.split(|c: char| matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／') || c.is_whitespace())
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

struct RowReader<'a> {
    row: usize,
    cells: &'a [String],
    header: &'a HeaderMap,
    errors: &'a mut Vec<RowError>,
}

impl RowReader<'_> {
    fn cell(&self, c: Column) -> Option<&str> {
        let i = self.header.index(c)?;
        Some(self.cells.get(i).map_or("", |s| s.trim()))
    }

    fn fail(&mut self, c: Column, code: &'static str, message: impl Into<String>) {
        self.errors
            .push(RowError::new(self.row, self.header.name(c), code, message));
    }

    fn lookup<T>(&mut self, c: Column, name: &str, what: &str, found: Lookup<T>) -> Option<T> {
        match found {
            Lookup::Found(x) => Some(x),
            Lookup::Unknown => {
                self.fail(c, "not_found", format!("no {what} named {name:?}"));
                None
            }
            Lookup::Ambiguous => {
                let m = format!("{name:?} names more than one {what}; use a code or full name");
                self.fail(c, "ambiguous", m);
                None
            }
        }
    }

    /// `Some(None)`: the column is absent; `Some(Some(None))`: the cell is empty; `None`: an
    /// error was recorded.
    fn person(&mut self, c: Column, dir: &Directory) -> Option<Option<Option<PersonId>>> {
        let Some(v) = self.cell(c).map(str::to_owned) else {
            return Some(None);
        };
        if v.is_empty() {
            return Some(Some(None));
        }
        let found = dir.person(&v);
        Some(self.lookup(c, &v, "person", found).map(Some))
    }
}

/// Validate a whole sheet against the directory. `plan_year` dates cells that name no year;
/// new tasks start on 1 January of it. All errors are returned, in row order.
pub fn validate_sheet(
    sheet: &Sheet,
    dir: &Directory,
    plan_year: i32,
    policy: &ImportPolicy,
) -> Result<(HeaderMap, Vec<ImportRow>), Vec<RowError>> {
    let header = match_headers(sheet, policy)?;
    let start = Date::from_calendar_date(plan_year, Month::January, 1).unwrap_or(Date::MIN);
    let mut errors = vec![];
    let mut out = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    let key = header.key();
    let mut data_rows = 0;
    for (i, cells) in sheet.rows.iter().enumerate().skip(header.row) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = i + 1;
        data_rows += 1;
        if data_rows > policy.max_rows {
            errors.push(RowError::new(
                row,
                header.name(key),
                "too_many_rows",
                format!("a sheet may hold at most {} rows", policy.max_rows),
            ));
            break;
        }
        let before = errors.len();
        let mut r = RowReader {
            row,
            cells,
            header: &header,
            errors: &mut errors,
        };
        let external_id = r.cell(key).unwrap_or("").to_owned();
        if external_id.is_empty() {
            r.fail(
                key,
                "required",
                "every row needs a number to match it on re-import",
            );
        } else if external_id.chars().count() > 50 {
            r.fail(key, "too_long", "at most 50 characters");
        } else if let Some(first) = seen.get(&external_id) {
            let m = format!("{external_id:?} already appears in row {first}");
            r.fail(key, "duplicate", m);
        } else {
            seen.insert(external_id.clone(), row);
        }
        let title = match required_text("title", r.cell(Column::Title).unwrap_or(""), 300) {
            Ok(t) => Some(t),
            Err(e) => {
                r.fail(
                    Column::Title,
                    e.code,
                    e.message.replace("title", "the task"),
                );
                None
            }
        };
        let lead_name = r.cell(Column::LeadUnit).unwrap_or("").to_owned();
        let lead_unit = if lead_name.is_empty() {
            r.fail(Column::LeadUnit, "required", "a lead unit is required");
            None
        } else {
            let found = dir.unit(&lead_name);
            r.lookup(Column::LeadUnit, &lead_name, "unit", found)
        };
        let co_units = match r.cell(Column::CoUnits).map(str::to_owned) {
            None => Some(None),
            Some(v) => {
                let mut ids = vec![];
                let mut ok = true;
                for name in split_names(&v) {
                    let found = dir.unit(name);
                    match r.lookup(Column::CoUnits, name, "unit", found) {
                        Some(id) if Some(id) == lead_unit => {
                            let m = format!("{name:?} is the lead unit; list it once");
                            r.fail(Column::CoUnits, "duplicate", m);
                            ok = false;
                        }
                        Some(id) if ids.contains(&id) => {
                            r.fail(
                                Column::CoUnits,
                                "duplicate",
                                format!("{name:?} is listed twice"),
                            );
                            ok = false;
                        }
                        Some(id) => ids.push(id),
                        None => ok = false,
                    }
                }
                ok.then_some(Some(ids))
            }
        };
        let lead_official = r.person(Column::LeadOfficial, dir);
        let responsible_person = r.person(Column::ResponsiblePerson, dir);
        let deadline = match parse_deadline(r.cell(Column::Deadline).unwrap_or(""), plan_year) {
            Ok(d) if d < start => {
                let m = format!("{d} is before the plan's year {plan_year}");
                r.fail(Column::Deadline, "out_of_range", m);
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                r.fail(Column::Deadline, "invalid_date", m);
                None
            }
        };
        let weight = match r.cell(Column::Weight).map(str::to_owned) {
            None => Some(None),
            Some(w) if w.is_empty() => Some(Some(policy.default_weight)),
            Some(w) => match parse_decimal("weight", &w) {
                Ok(d) if d >= Decimal::ZERO && d <= Decimal::from(1000) => Some(Some(d)),
                Ok(_) => {
                    r.fail(
                        Column::Weight,
                        "out_of_range",
                        "a weight lies between 0 and 1000",
                    );
                    None
                }
                Err(_) => {
                    r.fail(
                        Column::Weight,
                        "invalid_decimal",
                        format!("{w:?} is not a number"),
                    );
                    None
                }
            },
        };
        let section = match r.cell(Column::Section).map(str::to_owned) {
            None => Some(None),
            Some(s) if s.is_empty() => Some(Some(None)),
            Some(s) => {
                let found = dir.section(&s);
                r.lookup(Column::Section, &s, "section of this plan", found)
                    .map(|x| Some(Some(x)))
            }
        };
        let remarks = match r.cell(Column::Remarks) {
            None => None,
            Some(v) => match optional_text("description", v, 5000) {
                Ok(v) => Some(v),
                Err(e) => {
                    r.fail(Column::Remarks, e.code, e.message);
                    None
                }
            },
        };
        if errors.len() > before {
            continue;
        }
        let (
            Some(title),
            Some(lead_unit),
            Some(co_units),
            Some(lead_official),
            Some(responsible_person),
            Some(deadline),
            Some(weight),
            Some(section),
        ) = (
            title,
            lead_unit,
            co_units,
            lead_official,
            responsible_person,
            deadline,
            weight,
            section,
        )
        else {
            // Every `None` above recorded an error; this keeps a row from vanishing silently.
            errors.push(RowError::new(
                row,
                header.name(key),
                "invalid",
                "the row is invalid",
            ));
            continue;
        };
        let parsed = ImportRow {
            row,
            external_id,
            title,
            lead_unit,
            co_units,
            lead_official,
            responsible_person,
            deadline,
            weight,
            section,
            remarks,
        };
        match parsed.new_fields(start, policy).validate() {
            Ok(_) => out.push(parsed),
            Err(e) => errors.push(parsed.error(&header, e)),
        }
    }
    if errors.is_empty() {
        Ok((header, out))
    } else {
        Err(errors)
    }
}
