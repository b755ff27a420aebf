use super::*;
use crate::ids::{PersonId, UnitId};
use crate::measure::Decimal;
use time::macros::date;
use uuid::Uuid;

fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}

/// A stand-in for the app's fold: the few traditional characters these tests use.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '項' => '项',
            '稱' => '称',
            '園' => '园',
            '區' => '区',
            '責' => '责',
            '單' => '单',
            '總' => '总',
            '資' => '资',
            '計' => '计',
            '劃' => '划',
            '開' => '开',
            '產' => '产',
            '階' => '阶',
            '萬' => '万',
            '億' => '亿',
            '鎮' => '镇',
            '領' => '领',
            '導' => '导',
            _ => c,
        })
        .collect()
}

fn dir() -> Directory {
    let mut d = Directory::new(fold);
    d.add_unit(unit(1), "zhongtan", "中滩镇");
    d.add_unit(unit(2), "jsj", "建设局");
    d.add_person(PersonId::from_uuid(Uuid::from_u128(9)), "王某");
    d
}

fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet {
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect(),
    }
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

#[test]
fn a_list_in_traditional_characters_with_a_title_row_and_extra_columns() {
    let s = sheet(&[
        &["2026年重點項目清單"],
        &[
            "項目名稱",
            "園區",
            "責任單位",
            "包抓領導",
            "投資單位",
            "總投資",
            "年度計劃投資",
            "計劃開工",
            "階段",
            "開工日期",
            "亮灯",
        ],
        &[
            "物流園一期",
            "東區產業園",
            "中滩鎮",
            "王某",
            "萬元",
            "3,000",
            "1200",
            "2026年3月",
            "在建",
            "2026-03-18",
            "绿灯",
        ],
        &["", "", "", "", "", "", "", "", "", "", ""],
        &[
            "光伏電站",
            "中滩镇",
            "jsj",
            "",
            "億元",
            "0.03",
            "0.03",
            "2026-06",
            "",
            "",
            "",
        ],
    ]);
    let rows = validate_projects(&s, &dir(), fold, 2026).unwrap_or_default();
    assert_eq!(rows.len(), 2);
    let (a, b) = (&rows[0], &rows[1]);
    assert_eq!(a.row, 3);
    assert_eq!(
        (
            a.fields.name.as_str(),
            a.fields.responsible_unit,
            a.fields.leader.is_some()
        ),
        ("物流園一期", unit(1), true)
    );
    assert_eq!(
        (a.fields.total_investment, a.fields.annual_investment),
        (d("3000"), d("1200"))
    );
    assert_eq!(a.fields.investment_unit, MeasureUnit::WanYuan);
    assert_eq!(a.fields.planned_start.to_string(), "2026-03");
    assert_eq!(
        (a.fields.stage, a.fields.started_on),
        (ProjectStage::UnderConstruction, Some(date!(2026 - 03 - 18)))
    );
    assert_eq!(b.row, 5, "the empty row is skipped but keeps its number");
    assert_eq!(
        (
            b.fields.responsible_unit,
            b.fields.investment_unit.clone(),
            b.fields.stage
        ),
        (unit(2), MeasureUnit::YiYuan, ProjectStage::Preparation)
    );
}

#[test]
fn every_bad_cell_is_named_by_row_and_column() {
    let s = sheet(&[
        &[
            "项目名称",
            "园区",
            "责任单位",
            "总投资",
            "年度计划投资",
            "计划开工",
            "阶段",
            "年度",
            "计划竣工",
        ],
        &["A", "东区", "无此单位", "100", "50", "2026-03", "", "", ""],
        &[
            "B",
            "东区",
            "中滩镇",
            "一百",
            "50",
            "三月份",
            "拆迁",
            "2025",
            "",
        ],
        &[
            "A",
            "东区",
            "中滩镇",
            "100",
            "200",
            "2026-03",
            "",
            "",
            "2026-13-45",
        ],
        &[
            "C",
            "东区",
            "中滩镇",
            "100",
            "50",
            "2026-03",
            "在建",
            "",
            "",
        ],
    ]);
    let errors = validate_projects(&s, &dir(), fold, 2026).unwrap_err();
    let got: Vec<(usize, &str, &str)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "责任单位", "unknown_unit"),
            (3, "总投资", "invalid_decimal"),
            (3, "年度", "out_of_range"),
            (3, "阶段", "invalid_choice"),
            (3, "计划开工", "invalid_month"),
            (4, "计划竣工", "invalid_date"),
            (4, "项目名称", "duplicate"),
            // Under construction needs its start date (the fields' own rule, in its column).
            (5, "开工日期", "required"),
        ]
    );
}

#[test]
fn a_sheet_without_the_required_headers_names_each_missing_column() {
    let s = sheet(&[&["项目名称", "园区", "备注"], &["A", "东区", ""]]);
    let errors = validate_projects(&s, &dir(), fold, 2026).unwrap_err();
    let cols: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(cols, ["责任单位", "总投资", "年度计划投资", "计划开工"]);
}
