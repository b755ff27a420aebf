//! The key projects' overview (above the list): how many projects show each lamp, each park's
//! planned and completed investment in 亿元, and the roll-up of the plan's projects for the latest
//! ended month set against the fixed-asset-investment figure (the difference shown); and the
//! project list as XLSX, in the columns the import reads back plus the standing.

use super::fmt::{LampView, lamp, num, pct};
use super::i18n::Tr;
use luoshi_app::{ProjectRollup, ProjectView};
use luoshi_domain::lamp::Lamp;
use luoshi_domain::measure::{Decimal, MeasureUnit, percent_of};
use luoshi_domain::project::Money;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::{BTreeMap, HashMap};

pub struct LampCount {
    pub lamp: LampView,
    pub count: usize,
}

pub struct ParkRow {
    pub park: String,
    pub projects: usize,
    pub annual: String,
    pub completed: String,
    pub completion: String,
}

pub struct RollupView {
    pub period: String,
    pub total: String,
    pub counted: usize,
    pub not_counted: usize,
    pub unreported: usize,
    /// The reported fixed-asset-investment figure and the difference, when reported.
    pub reported: Option<String>,
    pub difference: Option<String>,
    pub share: Option<String>,
}

pub struct Overview {
    pub lamps: Vec<LampCount>,
    pub parks: Vec<ParkRow>,
    pub rollup: Option<RollupView>,
}

fn yi(value: Decimal, unit: &MeasureUnit) -> Decimal {
    Money {
        value,
        unit: unit.clone(),
    }
    .to(&MeasureUnit::YiYuan)
    .map_or(Decimal::ZERO, |m| m.value)
}

pub fn overview(views: &[ProjectView], rollup: Option<&ProjectRollup>, tr: Tr) -> Overview {
    let lamps = [Lamp::Red, Lamp::Yellow, Lamp::Blue, Lamp::Green]
        .into_iter()
        .map(|l| LampCount {
            lamp: lamp(Some(l), tr),
            count: views.iter().filter(|v| v.standing.lamp == l).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    // park → (projects, annual plan, completed), in 亿元
    let mut parks: BTreeMap<&str, (usize, Decimal, Decimal)> = BTreeMap::new();
    for v in views {
        let f = &v.project.fields;
        let e = parks.entry(f.park.as_str()).or_default();
        e.0 += 1;
        e.1 += yi(f.annual_investment, &f.investment_unit);
        e.2 += yi(v.standing.completed, &f.investment_unit);
    }
    let parks = parks
        .into_iter()
        .map(|(park, (n, annual, completed))| ParkRow {
            park: park.to_owned(),
            projects: n,
            annual: format!("{} 亿元", num(annual, 4)),
            completed: format!("{} 亿元", num(completed, 4)),
            completion: pct(percent_of(completed, annual)),
        })
        .collect();
    let rollup = rollup.map(|r| {
        let c = r.cross_check.as_ref();
        RollupView {
            period: r.rollup.period.to_string(),
            total: format!("{} 亿元", num(r.rollup.total.value, 4)),
            counted: r.rollup.counted.len(),
            not_counted: r.rollup.not_counted.len(),
            unreported: r.rollup.unreported.len(),
            reported: c.map(|c| format!("{} 亿元", num(c.reported.value, 4))),
            difference: c.map(|c| {
                let d = c.difference.value;
                let sign = if d > Decimal::ZERO { "+" } else { "" };
                format!("{sign}{} 亿元", num(d, 4))
            }),
            share: c.map(|c| pct(c.projects_share_pct)),
        }
    });
    Overview {
        lamps,
        parks,
        rollup,
    }
}

/// The project list: the columns the import reads (names, not ids) and then the standing.
pub fn projects_workbook(
    views: &[ProjectView],
    units: &HashMap<String, String>,
    people: &HashMap<String, String>,
    tr: Tr,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("proj.title"))?;
    let bold = Format::new().set_bold();
    let heads = [
        "项目名称",
        "园区",
        "责任单位",
        "包抓领导",
        "投资单位",
        "总投资",
        "年度",
        "年度计划投资",
        "计划开工",
        "计划竣工",
        "计划投产",
        "阶段",
        "开工日期",
        "竣工日期",
        "投产日期",
        tr.t("proj.completed"),
        tr.t("proj.completion"),
        tr.t("dash.expected"),
        tr.t("tasks.lamp"),
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let name = |m: &HashMap<String, String>, k: String| m.get(&k).cloned().unwrap_or_default();
    let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    for (i, v) in views.iter().enumerate() {
        let r = (i + 1) as u32;
        let (f, s) = (&v.project.fields, &v.standing);
        let cells = [
            f.name.clone(),
            f.park.clone(),
            name(units, f.responsible_unit.to_string()),
            f.leader
                .map(|p| name(people, p.to_string()))
                .unwrap_or_default(),
            f.investment_unit.as_str().to_owned(),
            num(f.total_investment, 4),
            f.year.to_string(),
            num(f.annual_investment, 4),
            f.planned_start.to_string(),
            date(f.planned_completion),
            date(f.planned_production),
            tr.t(&format!("stage.{}", f.stage.as_str())).to_owned(),
            date(f.started_on),
            date(f.completed_on),
            date(f.in_production_on),
            num(s.completed, 4),
            pct(s.completion_pct),
            pct(s.expected_pct),
            lamp(Some(s.lamp), tr).label.to_owned(),
        ];
        for (c, text) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 16)?;
    sheet.set_column_width(2, 16)?;
    book.save_to_buffer()
}
