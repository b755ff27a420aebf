//! Spreadsheet import of the key-project list (重点项目清单). Pure: the caller reads the sheet
//! into cell texts and supplies a [`Directory`] of the region's units and people. Headers are
//! matched in either script (the directory's fold turns traditional characters into simplified
//! ones); columns this import does not know (e.g. the standing columns of luoshi's own export)
//! are ignored, so an exported list can be edited and imported again. Every error names the
//! spreadsheet row and the column as written.

use super::{ProjectFields, ProjectStage};
use crate::ValidationError;
use crate::calendar::Period;
use crate::import::{Directory, Lookup, RowError, Sheet, basic_fold, parse_deadline};
use crate::measure::{MeasureUnit, parse_decimal};
use std::collections::HashMap;
use time::Date;

/// The columns of a project list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectColumn {
    Name,
    Park,
    Unit,
    Leader,
    InvestmentUnit,
    Total,
    Year,
    Annual,
    PlannedStart,
    PlannedCompletion,
    PlannedProduction,
    Stage,
    StartedOn,
    CompletedOn,
    InProductionOn,
}

use ProjectColumn as C;

/// Each column's accepted headers (simplified; the first is the one luoshi writes).
const HEADERS: &[(ProjectColumn, &[&str])] = &[
    (C::Name, &["项目名称", "项目"]),
    (C::Park, &["园区", "所在园区", "建设地点"]),
    (C::Unit, &["责任单位", "牵头单位"]),
    (C::Leader, &["包抓领导", "责任领导", "分管领导"]),
    (C::InvestmentUnit, &["投资单位", "金额单位", "计量单位"]),
    (C::Total, &["总投资", "计划总投资"]),
    (C::Year, &["年度"]),
    (C::Annual, &["年度计划投资", "年度投资"]),
    (C::PlannedStart, &["计划开工", "计划开工时间"]),
    (C::PlannedCompletion, &["计划竣工", "计划竣工时间"]),
    (C::PlannedProduction, &["计划投产", "计划投产时间"]),
    (C::Stage, &["阶段", "项目阶段", "建设阶段"]),
    (C::StartedOn, &["开工日期", "实际开工"]),
    (C::CompletedOn, &["竣工日期", "实际竣工"]),
    (C::InProductionOn, &["投产日期", "实际投产"]),
];

const REQUIRED: [ProjectColumn; 6] = [
    C::Name,
    C::Park,
    C::Unit,
    C::Total,
    C::Annual,
    C::PlannedStart,
];

impl ProjectColumn {
    /// The header luoshi writes for the column.
    pub fn header(&self) -> &'static str {
        HEADERS
            .iter()
            .find(|(c, _)| c == self)
            .and_then(|(_, h)| h.first())
            .copied()
            .unwrap_or("")
    }

    /// The `ProjectFields` field a validation error names for this column.
    fn field(&self) -> &'static str {
        match self {
            C::Name => "name",
            C::Park => "park",
            C::Unit => "responsible_unit",
            C::Leader => "leader",
            C::InvestmentUnit => "investment_unit",
            C::Total => "total_investment",
            C::Year => "year",
            C::Annual => "annual_investment",
            C::PlannedStart => "planned_start",
            C::PlannedCompletion => "planned_completion",
            C::PlannedProduction => "planned_production",
            C::Stage => "stage",
            C::StartedOn => "started_on",
            C::CompletedOn => "completed_on",
            C::InProductionOn => "in_production_on",
        }
    }
}

/// One valid row: its spreadsheet row number and the project's fields (without issues).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub row: usize,
    pub fields: ProjectFields,
}

/// How many rows may precede the header, and the most data rows one import takes.
const HEADER_SEARCH_ROWS: usize = 10;
const MAX_ROWS: usize = 2000;

fn header_key(fold: fn(&str) -> String, s: &str) -> String {
    let s = basic_fold(&fold(s));
    let s = s.split(['(', '（', '[', '【']).next().unwrap_or("");
    s.chars()
        .filter(|c| !matches!(c, '*' | ':' | '：' | '\u{FEFF}'))
        .collect()
}

/// Where each known column is: its index and its header as written.
type Columns = HashMap<ProjectColumn, (usize, String)>;

/// Find the header row: the first of the top rows that names every required column.
fn headers(sheet: &Sheet, fold: fn(&str) -> String) -> Result<(usize, Columns), Vec<RowError>> {
    let mut best: Option<Columns> = None;
    for (r, cells) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let mut found = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            let key = header_key(fold, cell);
            if let Some((c, _)) = HEADERS
                .iter()
                .find(|(_, names)| names.iter().any(|n| *n == key))
            {
                found.entry(*c).or_insert((i, cell.trim().to_owned()));
            }
        }
        if REQUIRED.iter().all(|c| found.contains_key(c)) {
            return Ok((r + 1, found));
        }
        if best.as_ref().is_none_or(|b| b.len() < found.len()) {
            best = Some(found);
        }
    }
    let best = best.unwrap_or_default();
    Err(REQUIRED
        .iter()
        .filter(|c| !best.contains_key(c))
        .map(|c| RowError::new(1, c.header(), "missing_column", "no column has this header"))
        .collect())
}

/// A month as written: `2026-03`, `2026年3月`, a date in it, or an Excel date serial.
fn parse_month(cell: &str, year: i32) -> Result<Period, String> {
    if let Ok(p) = Period::parse("month", cell.trim()) {
        return Ok(p);
    }
    let d = parse_deadline(cell, year)?;
    Period::new("month", d.year(), u8::from(d.month())).map_err(|e| e.message)
}

/// Check every row of a project list. `year` is the plan's year: a row's year, when given,
/// must be it. Returns every valid row, or every error found.
pub fn validate_projects(
    sheet: &Sheet,
    dir: &Directory,
    fold: fn(&str) -> String,
    year: i32,
) -> Result<Vec<ProjectRow>, Vec<RowError>> {
    let (header_row, cols) = headers(sheet, fold)?;
    let data = &sheet.rows[header_row..];
    let filled: Vec<(usize, &Vec<String>)> = data
        .iter()
        .enumerate()
        .map(|(i, cells)| (header_row + i + 1, cells))
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if filled.len() > MAX_ROWS {
        return Err(vec![RowError::new(
            header_row + MAX_ROWS + 1,
            C::Name.header(),
            "too_many_rows",
            format!("one import takes at most {MAX_ROWS} projects"),
        )]);
    }
    let mut errors = vec![];
    let mut rows = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in filled {
        let header = |c: ProjectColumn| {
            cols.get(&c)
                .map_or_else(|| c.header().to_owned(), |(_, h)| h.clone())
        };
        let cell = |c: ProjectColumn| {
            cols.get(&c)
                .and_then(|(i, _)| cells.get(*i))
                .map_or("", |s| s.trim())
        };
        let err = |c: ProjectColumn, code: &'static str, msg: String| {
            RowError::new(row, header(c), code, msg)
        };
        let mut row_errors = vec![];
        let mut date = |c: ProjectColumn| -> Option<Date> {
            let s = cell(c);
            if s.is_empty() {
                return None;
            }
            parse_deadline(s, year)
                .map_err(|m| row_errors.push(err(c, "invalid_date", m)))
                .ok()
        };
        let (completion, production) = (date(C::PlannedCompletion), date(C::PlannedProduction));
        let (started, completed, in_production) = (
            date(C::StartedOn),
            date(C::CompletedOn),
            date(C::InProductionOn),
        );
        let mut money = |c: ProjectColumn| {
            parse_decimal(c.field(), cell(c))
                .map_err(|e| row_errors.push(err(c, e.code, e.message)))
                .ok()
        };
        let (total, annual) = (money(C::Total), money(C::Annual));
        let unit = match cell(C::Unit) {
            "" => Err(err(C::Unit, "required", "name the responsible unit".into())),
            s => match dir.unit(s) {
                Lookup::Found(u) => Ok(u),
                Lookup::Unknown => Err(err(
                    C::Unit,
                    "unknown_unit",
                    format!("no unit is called {s:?}"),
                )),
                Lookup::Ambiguous => Err(err(
                    C::Unit,
                    "ambiguous",
                    format!("{s:?} names several units"),
                )),
            },
        };
        let leader = match cell(C::Leader) {
            "" => Ok(None),
            s => match dir.person(s) {
                Lookup::Found(p) => Ok(Some(p)),
                Lookup::Unknown => Err(err(
                    C::Leader,
                    "unknown_person",
                    format!("no one is called {s:?}"),
                )),
                Lookup::Ambiguous => Err(err(
                    C::Leader,
                    "ambiguous",
                    format!("{s:?} names several people"),
                )),
            },
        };
        let investment_unit = match cell(C::InvestmentUnit) {
            "" => Ok(MeasureUnit::WanYuan),
            s => ProjectFields::parse_unit("investment_unit", &fold(s))
                .map_err(|e| err(C::InvestmentUnit, e.code, e.message)),
        };
        let row_year = match cell(C::Year).trim_end_matches('年') {
            "" => Ok(year),
            s => match s.parse::<i32>() {
                Ok(y) if y == year => Ok(y),
                _ => Err(err(
                    C::Year,
                    "out_of_range",
                    format!("the plan's year is {year}"),
                )),
            },
        };
        let stage = match cell(C::Stage) {
            "" if started.is_some() => Ok(ProjectStage::UnderConstruction),
            "" => Ok(ProjectStage::Preparation),
            s => ProjectStage::parse("stage", &fold(s))
                .or_else(|_| ProjectStage::parse("stage", stage_word(&fold(s))))
                .map_err(|e| err(C::Stage, e.code, e.message)),
        };
        let planned_start = parse_month(cell(C::PlannedStart), year)
            .map_err(|m| err(C::PlannedStart, "invalid_month", m));
        let name = cell(C::Name).to_owned();
        match seen.get(&basic_fold(&fold(&name))) {
            Some(first) if !name.is_empty() => row_errors.push(err(
                C::Name,
                "duplicate",
                format!("the same project as row {first}"),
            )),
            _ => {
                seen.insert(basic_fold(&fold(&name)), row);
            }
        }
        let parts = (
            unit,
            leader,
            investment_unit,
            row_year,
            stage,
            planned_start,
        );
        let (unit, leader, investment_unit, row_year, stage, planned_start) = match parts {
            (Ok(a), Ok(b), Ok(c), Ok(d), Ok(e), Ok(f)) => (a, b, c, d, e, f),
            (a, b, c, d, e, f) => {
                row_errors.extend(
                    [a.err(), b.err(), c.err(), d.err(), e.err(), f.err()]
                        .into_iter()
                        .flatten(),
                );
                errors.append(&mut row_errors);
                continue;
            }
        };
        let (Some(total), Some(annual)) = (total, annual) else {
            errors.append(&mut row_errors);
            continue;
        };
        if !row_errors.is_empty() {
            errors.append(&mut row_errors);
            continue;
        }
        let fields = ProjectFields {
            name,
            park: cell(C::Park).to_owned(),
            investment_unit,
            total_investment: total,
            year: row_year,
            annual_investment: annual,
            planned_start,
            planned_completion: completion,
            planned_production: production,
            stage,
            started_on: started,
            completed_on: completed,
            in_production_on: in_production,
            leader,
            responsible_unit: unit,
            issues: vec![],
        };
        match fields.validate() {
            Ok(fields) => rows.push(ProjectRow { row, fields }),
            Err(e) => errors.push(row_error(row, &e, &header)),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The stage's Chinese label as luoshi's pages and export write it (运营 is taken for 投产).
fn stage_word(s: &str) -> &str {
    match s {
        "前期阶段" | "前期工作" => "前期",
        "在建阶段" | "施工" | "建设中" => "在建",
        "已竣工" | "完工" => "竣工",
        "已投产" | "运营" | "投产运营" => "投产",
        other => other,
    }
}

/// A validation error of a row's fields, placed in the column of the field it names.
fn row_error(
    row: usize,
    e: &ValidationError,
    header: &dyn Fn(ProjectColumn) -> String,
) -> RowError {
    let column = HEADERS
        .iter()
        .map(|(c, _)| *c)
        .find(|c| c.field() == e.field)
        .map_or_else(|| e.field.clone(), header);
    RowError::new(row, column, e.code, e.message.clone())
}

#[cfg(test)]
mod tests;
