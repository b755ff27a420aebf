//! XLSX exports that open cleanly in Excel and WPS: one header row, frozen; dates as text in ISO
//! form; progress as a number with a percent sign in the header.

use super::i18n::Tr;
use luoshi_app::TaskView;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::HashMap;

pub fn tasks_workbook(
    tasks: &[TaskView],
    units: &HashMap<String, String>,
    people: &HashMap<String, String>,
    tr: Tr,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("tasks.title"))?;
    let bold = Format::new().set_bold();
    let heads = [
        "#",
        tr.t("nav.tasks"),
        tr.t("task.lead_unit"),
        tr.t("task.co_units"),
        tr.t("task.lead_official"),
        tr.t("task.deadline"),
        tr.t("task.percent"),
        tr.t("tasks.lamp"),
        tr.t("task.status"),
        tr.t("task.weight"),
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let name = |m: &HashMap<String, String>, k: String| m.get(&k).cloned().unwrap_or_default();
    for (i, v) in tasks.iter().enumerate() {
        let r = (i + 1) as u32;
        let t = &v.task;
        let f = &t.fields;
        sheet.write_string(
            r,
            0,
            f.external_id.clone().unwrap_or_else(|| (i + 1).to_string()),
        )?;
        sheet.write_string(r, 1, &f.title)?;
        sheet.write_string(r, 2, name(units, f.lead_unit.to_string()))?;
        sheet.write_string(
            r,
            3,
            f.co_units
                .iter()
                .map(|u| name(units, u.to_string()))
                .collect::<Vec<_>>()
                .join("、"),
        )?;
        sheet.write_string(
            r,
            4,
            f.lead_official
                .map(|p| name(people, p.to_string()))
                .unwrap_or_default(),
        )?;
        sheet.write_string(r, 5, f.deadline.to_string())?;
        // Spreadsheets hold binary floating point; the exact decimal stays in luoshi.
        sheet.write_number(
            r,
            6,
            t.progress_pct.to_string().parse::<f64>().unwrap_or(0.0),
        )?;
        sheet.write_string(r, 7, super::fmt::lamp(v.standing.lamp, tr).label)?;
        sheet.write_string(r, 8, tr.t(&format!("status.{}", t.status.as_str())))?;
        sheet.write_string(r, 9, super::fmt::num(f.weight, 2))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(2, 16)?;
    sheet.set_column_width(3, 24)?;
    sheet.set_column_width(4, 20)?;
    sheet.set_column_width(5, 12)?;
    book.save_to_buffer()
}

/// A decimal as a spreadsheet number (binary floating point; the exact decimal stays in luoshi).
fn number(d: luoshi_domain::measure::Decimal) -> f64 {
    d.to_string().parse::<f64>().unwrap_or(0.0)
}

/// The plan's indicators: targets, baseline and the latest evaluation. Empty cells where a
/// figure is unknown.
pub fn indicators_workbook(
    views: &[luoshi_app::IndicatorView],
    tr: Tr,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("ind.title"))?;
    let bold = Format::new().set_bold();
    let heads = [
        tr.t("ind.name"),
        tr.t("export.unit"),
        tr.t("export.baseline"),
        tr.t("export.target_value"),
        tr.t("export.target_growth"),
        tr.t("ind.period"),
        tr.t("ind.value"),
        tr.t("dash.attainment"),
        tr.t("dash.expected"),
        tr.t("dash.gap"),
        tr.t("tasks.lamp"),
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, v) in views.iter().enumerate() {
        let r = (i + 1) as u32;
        let f = &v.indicator.fields;
        let e = v.evaluation.as_ref();
        sheet.write_string(r, 0, &f.name)?;
        sheet.write_string(r, 1, f.unit.as_str())?;
        let cells = [
            (2, f.baseline),
            (3, f.target_value),
            (4, f.target_growth_pct),
            (6, e.map(|e| e.value)),
            (7, e.and_then(|e| e.attainment_pct)),
            (8, e.and_then(|e| e.expected_pct)),
            (9, e.and_then(|e| e.gap_pp)),
        ];
        for (c, d) in cells {
            if let Some(d) = d {
                sheet.write_number(r, c, number(d))?;
            }
        }
        if let Some(e) = e {
            sheet.write_string(r, 5, e.period.to_string())?;
            sheet.write_string(r, 10, super::fmt::lamp(e.lamp, tr).label)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 30)?;
    book.save_to_buffer()
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the book.
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(28)
        .collect();
    let base = if clean.trim().is_empty() {
        "sheet".to_owned()
    } else {
        clean
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// The assessment rankings: one sheet per category, one row per unit in rank order.
pub fn ranking_workbook(
    sets: &[luoshi_domain::assess::ResultSet],
    tr: Tr,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let heads = [
        tr.t("assess.rank"),
        tr.t("assess.code"),
        tr.t("assess.unit"),
        tr.t("assess.total"),
        tr.t("assess.percent"),
        tr.t("assess.band_grade"),
        tr.t("assess.grade"),
        tr.t("assess.vetoed_col"),
        tr.t("assess.award"),
    ];
    let mut taken = Vec::new();
    if sets.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name(tr.t("assess.title"))?;
        sheet.write_string(0, 0, tr.t("assess.none"))?;
    }
    for rs in sets {
        let name = sheet_name(&rs.category, &taken);
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        taken.push(name);
        for (c, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, s) in rs.sheets.iter().enumerate() {
            let r = (i + 1) as u32;
            sheet.write_number(r, 0, f64::from(s.rank))?;
            sheet.write_string(r, 1, &s.code)?;
            sheet.write_string(r, 2, &s.name)?;
            sheet.write_number(r, 3, number(s.total))?;
            sheet.write_number(r, 4, number(s.percent))?;
            sheet.write_string(r, 5, &s.band_grade)?;
            sheet.write_string(r, 6, &s.grade)?;
            if s.vetoed {
                sheet.write_string(r, 7, tr.t("assess.vetoed"))?;
            }
            if s.award {
                sheet.write_string(r, 8, &rs.award_name)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_column_width(1, 14)?;
        sheet.set_column_width(2, 24)?;
    }
    book.save_to_buffer()
}

/// The notices a user may read: number, addressed unit, requirement, dates, status and the
/// response's date. `units` maps unit ids to names; `status` gives each status's words.
pub fn notices_workbook(
    notices: &[luoshi_domain::supervision::Notice],
    units: &HashMap<String, String>,
    status: impl Fn(luoshi_domain::supervision::NoticeStatus) -> &'static str,
    tr: Tr,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("notice.list"))?;
    let bold = Format::new().set_bold();
    let heads = [
        tr.t("notice.number"),
        tr.t("notice.unit"),
        tr.t("notice.requirement"),
        tr.t("notice.issued_on"),
        tr.t("notice.respond_by"),
        tr.t("task.status"),
        tr.t("notice.response"),
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, n) in notices.iter().enumerate() {
        let r = (i + 1) as u32;
        let f = &n.fields;
        sheet.write_string(r, 0, &n.number)?;
        sheet.write_string(
            r,
            1,
            units.get(&f.unit.to_string()).cloned().unwrap_or_default(),
        )?;
        sheet.write_string(r, 2, &f.requirement)?;
        sheet.write_string(r, 3, f.issued_on.to_string())?;
        sheet.write_string(r, 4, f.respond_by.to_string())?;
        sheet.write_string(r, 5, status(n.status))?;
        let responded = n
            .response
            .as_ref()
            .map(|x| x.responded_on.to_string())
            .unwrap_or_default();
        sheet.write_string(r, 6, responded)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_are_cleaned_shortened_and_unique() {
        let long = "a".repeat(40);
        let cases: [(&str, &[&str], &str); 5] = [
            ("townships", &[], "townships"),
            ("a/b:c", &[], "abc"),
            ("[]", &[], "sheet"),
            ("townships", &["Townships"], "townships-2"),
            (long.as_str(), &[], "aaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ];
        for (wanted, taken, expected) in cases {
            let taken: Vec<String> = taken.iter().map(|t| (*t).to_owned()).collect();
            assert_eq!(sheet_name(wanted, &taken), expected, "{wanted}");
        }
    }
}
