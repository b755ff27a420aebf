#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::measure::dec;
use time::Date;
use time::macros::date;
use uuid::Uuid;

fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}
fn person(n: u128) -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(100 + n))
}

/// A stand-in for the extractor's traditional → simplified table: the few characters below.
fn test_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '灘' => '滩',
            '鎮' => '镇',
            '設' => '设',
            '東' => '东',
            '區' => '区',
            '長' => '长',
            _ => c,
        })
        .collect()
}

fn dir() -> Directory {
    let mut d = Directory::new(test_fold);
    d.add_unit(unit(1), "zhongtan", "中滩镇");
    d.add_unit(unit(2), "jsj", "建设局");
    d.add_unit(unit(3), "fgw", "发改委");
    d.add_person(person(1), "李东");
    d.add_person(person(2), "王芳");
    d.add_person(person(3), "张伟");
    d.add_person(person(4), "张伟");
    d.add_section(SectionId::from_uuid(Uuid::from_u128(900)), "一", "产业突破");
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

#[test]
fn headers_match_in_both_scripts_and_with_noise() {
    let cases: &[(&str, Option<Column>)] = &[
        ("序号", Some(Column::Number)),
        ("序 號", Some(Column::Number)),
        ("任务", Some(Column::Title)),
        ("工作內容", Some(Column::Title)),
        ("任务内容", Some(Column::Title)),
        ("工作任务", Some(Column::Title)),
        ("牵头单位", Some(Column::LeadUnit)),
        ("牽頭單位", Some(Column::LeadUnit)),
        ("责任单位", Some(Column::LeadUnit)),
        ("*牵头单位：", Some(Column::LeadUnit)),
        ("配合單位", Some(Column::CoUnits)),
        ("协办单位", Some(Column::CoUnits)),
        ("分管領導", Some(Column::LeadOfficial)),
        ("包抓领导", Some(Column::LeadOfficial)),
        ("責任人", Some(Column::ResponsiblePerson)),
        ("完成時限", Some(Column::Deadline)),
        ("完成时限（年月日）", Some(Column::Deadline)),
        ("时间节点", Some(Column::Deadline)),
        ("分值", Some(Column::Weight)),
        ("权重(%)", Some(Column::Weight)),
        ("所属板块", Some(Column::Section)),
        ("章節", Some(Column::Section)),
        ("备注", Some(Column::Remarks)),
        ("ＩＤ", Some(Column::ExternalId)),
        ("任务编号", Some(Column::ExternalId)),
        ("联系电话", None),
        ("", None),
    ];
    for (h, want) in cases {
        assert_eq!(column_of(h), *want, "{h}");
    }
    for c in Column::ALL {
        assert_eq!(column_of(c.header()), Some(c), "{c:?}");
    }
}

#[test]
fn header_row_may_follow_a_title_and_names_what_is_missing() {
    let s = sheet(&[
        &["2026年重点任务分解表"],
        &[],
        &["序号", "工作任务", "牵头单位", "完成时限"],
    ]);
    let m = match_headers(&s, &ImportPolicy::default()).unwrap();
    assert_eq!(m.row, 3);
    assert_eq!(m.index(Column::LeadUnit), Some(2));
    assert_eq!(m.name(Column::Title), "工作任务");
    assert_eq!(m.name(Column::Weight), "分值");

    let no_deadline = sheet(&[&["序号", "任务", "牵头单位", "任务"]]);
    let e = match_headers(&no_deadline, &ImportPolicy::default()).unwrap_err();
    let got: Vec<(usize, &str, &str)> = e
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "任务", "duplicate_header"),
            (1, "完成时限", "missing_header")
        ]
    );

    let no_key = sheet(&[&["任务", "牵头单位", "完成时限"]]);
    let e = match_headers(&no_key, &ImportPolicy::default()).unwrap_err();
    assert_eq!(
        (e[0].column.as_str(), e[0].code),
        ("序号", "missing_header")
    );

    let nothing = sheet(&[&["a", "b"]]);
    let e = match_headers(&nothing, &ImportPolicy::default()).unwrap_err();
    assert_eq!(e[0].code, "missing_header");
}

#[test]
fn deadlines_in_the_forms_people_write() {
    let ok: &[(&str, Date)] = &[
        ("2026-06-30", date!(2026 - 06 - 30)),
        ("2026/6/30", date!(2026 - 06 - 30)),
        ("2026.6.30", date!(2026 - 06 - 30)),
        ("2026年6月30日", date!(2026 - 06 - 30)),
        ("２０２６年６月３０日前", date!(2026 - 06 - 30)),
        ("2026年6月", date!(2026 - 06 - 30)),
        ("2026年2月底", date!(2026 - 02 - 28)),
        ("2026-09", date!(2026 - 09 - 30)),
        ("2027年底", date!(2027 - 12 - 31)),
        ("6月底", date!(2026 - 06 - 30)),
        ("6月底前", date!(2026 - 06 - 30)),
        ("9月末", date!(2026 - 09 - 30)),
        ("11月", date!(2026 - 11 - 30)),
        ("6月15日", date!(2026 - 06 - 15)),
        ("6月15号", date!(2026 - 06 - 15)),
        ("2026年6月30", date!(2026 - 06 - 30)),
        ("6/15", date!(2026 - 06 - 15)),
        ("年底", date!(2026 - 12 - 31)),
        ("年底前", date!(2026 - 12 - 31)),
        ("年内", date!(2026 - 12 - 31)),
        ("上半年", date!(2026 - 06 - 30)),
        // Excel serials: 46203 is 2026-06-30; 45658 is 2025-01-01; 61 is 1900-03-01.
        ("46203", date!(2026 - 06 - 30)),
        ("46203.75", date!(2026 - 06 - 30)),
        ("45658", date!(2025 - 01 - 01)),
        ("61", date!(1900 - 03 - 01)),
        ("1", date!(1900 - 01 - 01)),
    ];
    for (s, want) in ok {
        assert_eq!(parse_deadline(s, 2026), Ok(*want), "{s}");
    }
    for bad in [
        "",
        "2026-02-30",
        "2026-13-01",
        "13月底",
        "下个月",
        "尽快",
        "60",
        "0",
        "6月32日",
        "2026/6/30/1",
        "99999999",
    ] {
        assert!(parse_deadline(bad, 2026).is_err(), "{bad:?}");
    }
}

#[test]
fn a_good_sheet_parses_every_column() {
    let s = sheet(&[
        &[
            "序號",
            "所属板块",
            "工作內容",
            "牽頭單位",
            "配合單位",
            "分管領導",
            "責任人",
            "完成時限",
            "分值",
            "備註",
        ],
        &[
            "1",
            "产业突破",
            "建成3个示范村",
            "中灘鎮",
            "建設局、FGW",
            "李東",
            "",
            "6月底",
            "5",
            "重点",
        ],
        &["", "", "", "", "", "", "", "", "", ""],
        &["2", "", "完善路网", "jsj", "", "", "王芳", "46203", "", ""],
    ]);
    let (h, rows) = validate_sheet(&s, &dir(), 2026, &ImportPolicy::default()).unwrap();
    assert_eq!(h.key(), Column::Number);
    assert_eq!(rows.len(), 2);
    let a = &rows[0];
    assert_eq!(a.row, 2);
    assert_eq!(a.external_id, "1");
    assert_eq!(a.lead_unit, unit(1));
    assert_eq!(a.co_units, Some(vec![unit(2), unit(3)]));
    assert_eq!(a.lead_official, Some(Some(person(1))));
    assert_eq!(a.responsible_person, Some(None));
    assert_eq!(a.deadline, date!(2026 - 06 - 30));
    assert_eq!(a.weight, Some(dec("5")));
    assert_eq!(
        a.section,
        Some(Some(SectionId::from_uuid(Uuid::from_u128(900))))
    );
    assert_eq!(a.remarks.as_deref(), Some("重点"));
    let b = &rows[1];
    assert_eq!((b.row, b.lead_unit), (4, unit(2)));
    assert_eq!(
        b.weight,
        Some(dec("1")),
        "an empty weight takes the default"
    );
    assert_eq!(b.section, Some(None));
    let f = b.new_fields(date!(2026 - 01 - 01), &ImportPolicy::default());
    assert_eq!(f.external_id.as_deref(), Some("2"));
    assert_eq!(f.responsible_person, Some(person(2)));
    assert_eq!(f.start, date!(2026 - 01 - 01));
}

#[test]
fn every_bad_cell_is_reported_with_row_and_column() {
    let s = sheet(&[
        &[
            "序号",
            "任务",
            "牵头单位",
            "配合单位",
            "分管领导",
            "完成时限",
            "分值",
        ],
        &["1", "修路", "中滩镇", "", "", "年底", "5"],
        &["1", "重复序号", "中滩镇", "", "", "年底", "5"],
        &["2", "", "无此单位", "建设局、建设局", "赵六", "明年", "十"],
        &["3", "负分", "jsj", "jsj", "张伟", "2025-12-31", "-1"],
        &["", "没有序号", "jsj", "", "", "2026-03-01", "1001"],
    ]);
    let e = validate_sheet(&s, &dir(), 2026, &ImportPolicy::default()).unwrap_err();
    let got: Vec<(usize, &str, &str)> = e
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "序号", "duplicate"),
            (4, "任务", "required"),
            (4, "牵头单位", "not_found"),
            (4, "配合单位", "duplicate"),
            (4, "分管领导", "not_found"),
            (4, "完成时限", "invalid_date"),
            (4, "分值", "invalid_decimal"),
            (5, "配合单位", "duplicate"),
            (5, "分管领导", "ambiguous"),
            (5, "完成时限", "out_of_range"),
            (5, "分值", "out_of_range"),
            (6, "序号", "required"),
            (6, "分值", "out_of_range"),
        ]
    );
    assert!(e[0].message.contains("row 2"), "{}", e[0].message);
    let v: ValidationError = e[2].clone().into();
    assert_eq!(v.field, "row 4, column 牵头单位");
}

#[test]
fn an_id_column_is_the_key_over_the_row_number() {
    let s = sheet(&[
        &["序号", "任务编号", "任务", "牵头单位", "完成时限"],
        &["1", "T-7", "修路", "jsj", "年底"],
        &["1", "T-8", "修桥", "jsj", "年底"],
    ]);
    let (h, rows) = validate_sheet(&s, &dir(), 2026, &ImportPolicy::default()).unwrap();
    assert_eq!(h.key(), Column::ExternalId);
    let ids: Vec<&str> = rows.iter().map(|r| r.external_id.as_str()).collect();
    assert_eq!(ids, ["T-7", "T-8"]);
    // Absent optional columns stay absent (a re-import keeps those fields).
    assert_eq!(rows[0].co_units, None);
    assert_eq!(rows[0].weight, None);
    assert_eq!(rows[0].remarks, None);
}

#[test]
fn applying_a_row_keeps_what_the_sheet_does_not_carry() {
    let s = sheet(&[
        &["序号", "任务", "牵头单位", "完成时限"],
        &["1", "修路", "jsj", "2026-10-31"],
    ]);
    let (_, rows) = validate_sheet(&s, &dir(), 2026, &ImportPolicy::default()).unwrap();
    let mut existing = rows[0].new_fields(date!(2026 - 03 - 01), &ImportPolicy::default());
    existing.co_units = vec![unit(3), unit(1)];
    existing.weight = dec("7");
    existing.liaison = Some(person(2));
    let applied = rows[0].apply_to(&existing);
    assert!(same_fields(&applied, &existing));
    let mut reordered = existing.clone();
    reordered.co_units.reverse();
    assert!(same_fields(&reordered, &existing));
    let mut changed = existing.clone();
    changed.title = "修桥".into();
    let back = rows[0].apply_to(&changed);
    assert_eq!(back.title, "修路");
    assert!(!same_fields(&changed, &existing));
}

#[test]
fn too_many_rows_are_refused() {
    let policy = ImportPolicy {
        max_rows: 1,
        ..ImportPolicy::default()
    };
    let s = sheet(&[
        &["序号", "任务", "牵头单位", "完成时限"],
        &["1", "修路", "jsj", "年底"],
        &["2", "修桥", "jsj", "年底"],
    ]);
    let e = validate_sheet(&s, &dir(), 2026, &policy).unwrap_err();
    assert_eq!((e[0].row, e[0].code), (3, "too_many_rows"));
}
