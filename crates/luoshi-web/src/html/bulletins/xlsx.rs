//! A published bulletin as a workbook: the units sheet (ranked), the indicators sheet and, when
//! the bulletin has them, the assessment standings. Figures are numbers; percentages carry the
//! sign in the header.

use super::super::i18n::Tr;
use luoshi_app::PublishedBulletin;
use luoshi_domain::measure::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn heads(sheet: &mut Worksheet, heads: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn opt(sheet: &mut Worksheet, r: u32, c: u16, d: Option<Decimal>) -> Result<(), XlsxError> {
    if let Some(d) = d {
        sheet.write_number(r, c, d.to_string().parse::<f64>().unwrap_or_default())?;
    }
    Ok(())
}

pub fn workbook(p: &PublishedBulletin, tr: Tr) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let doc = &p.doc;
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("bul.units"))?;
    heads(
        sheet,
        &[
            tr.t("bul.rank"),
            tr.t("task.lead_unit"),
            tr.t("bul.tasks"),
            tr.t("bul.completed"),
            tr.t("bul.lagging"),
            tr.t("bul.red"),
            tr.t("dash.overdue"),
            tr.t("bul.reports_due"),
            tr.t("bul.reports_on_time"),
            tr.t("bul.on_time_rate_pct"),
            tr.t("bul.notices_due"),
            tr.t("bul.notices_on_time"),
        ],
    )?;
    for (i, l) in doc.units.iter().enumerate() {
        let r = (i + 1) as u32;
        let x = &l.row;
        sheet.write_number(r, 0, x.rank)?;
        sheet.write_string(r, 1, &l.name)?;
        for (c, n) in [
            x.tasks,
            x.completed,
            x.lagging,
            x.red,
            x.overdue,
            x.reports_due,
            x.reports_on_time,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(r, c as u16 + 2, n)?;
        }
        opt(sheet, r, 9, x.on_time_rate)?;
        sheet.write_number(r, 10, x.notices_due)?;
        sheet.write_number(r, 11, x.notices_on_time)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("bul.indicators"))?;
    heads(
        sheet,
        &[
            tr.t("bul.indicator"),
            tr.t("bul.measure"),
            tr.t("bul.target"),
            tr.t("bul.period"),
            tr.t("bul.value"),
            tr.t("bul.attainment_pct"),
            tr.t("bul.expected_pct"),
            tr.t("bul.gap_pp"),
            tr.t("tasks.lamp"),
        ],
    )?;
    for (i, x) in doc.indicators.iter().enumerate() {
        let r = (i + 1) as u32;
        sheet.write_string(r, 0, &x.name)?;
        sheet.write_string(r, 1, &x.measure)?;
        opt(sheet, r, 2, x.target)?;
        sheet.write_string(r, 3, x.period.clone().unwrap_or_default())?;
        opt(sheet, r, 4, x.value)?;
        opt(sheet, r, 5, x.attainment_pct)?;
        opt(sheet, r, 6, x.expected_pct)?;
        opt(sheet, r, 7, x.gap_pp)?;
        let lamp = x
            .lamp
            .as_deref()
            .map(|l| tr.t(&format!("lamp.{l}")))
            .unwrap_or_default();
        sheet.write_string(r, 8, lamp)?;
    }
    if !doc.standings.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name(tr.t("bul.standings"))?;
        heads(
            sheet,
            &[
                tr.t("bul.category"),
                tr.t("bul.rank"),
                tr.t("task.lead_unit"),
                tr.t("bul.total"),
                tr.t("bul.grade"),
            ],
        )?;
        let mut r = 1;
        for c in &doc.standings {
            for s in &c.top {
                sheet.write_string(r, 0, &c.category)?;
                sheet.write_number(r, 1, s.rank)?;
                sheet.write_string(r, 2, &s.unit)?;
                opt(sheet, r, 3, Some(s.total))?;
                sheet.write_string(r, 4, &s.grade)?;
                r += 1;
            }
        }
    }
    book.save_to_buffer()
}
