//! Task-table import: the use case on both databases, and `luoshi import tasks` as an operator
//! runs it.

use luoshi_app::{Actor, App, AuditFilter, FixedClock, Page, Sheet, TaskQuery};
use luoshi_domain::authz::{Grant, Role};
use luoshi_domain::ids::{PlanId, RegionId, UnitId, UserId};
use luoshi_domain::org::{PersonFields, UnitFields};
use luoshi_domain::plan::{PlanFields, SectionFields};
use luoshi_domain::region::{Region, RegionCode};
use luoshi_testkit::{TestDb, db_test};
use std::sync::Arc;
use time::macros::{date, datetime};

struct Setup {
    app: App,
    admin: Actor,
    plan: PlanId,
    zhongtan: UnitId,
    jsj: UnitId,
}

/// A region with two units, two people, a 2026 plan titled 2026年目标任务 with one section.
async fn setup(t: &TestDb) -> Setup {
    let clock = Arc::new(FixedClock(datetime!(2026-06-15 02:00 UTC)));
    let app = App::new(t.db.clone(), clock);
    let region = Region::new(
        RegionId::from_uuid(uuid::Uuid::now_v7()),
        RegionCode::parse("code", "620503").unwrap(),
        "测试区",
        None,
    )
    .unwrap();
    let hash = luoshi_app::hash_password("admin-password-1").unwrap();
    let user = app
        .bootstrap_region(region.clone(), "admin", "管理员", &hash)
        .await
        .unwrap();
    let admin = Actor {
        user: user.id,
        region: region.id,
        grants: user.grants.clone(),
    };
    let unit = |c: &str, n: &str, k: &str| UnitFields::parse(c, n, k, None).unwrap();
    let (zt, _) = app
        .create_unit(&admin, unit("zhongtan", "中滩镇", "township"))
        .await
        .unwrap();
    let (jsj, _) = app
        .create_unit(&admin, unit("jsj", "建设局", "department"))
        .await
        .unwrap();
    for name in ["李东", "王芳"] {
        app.create_person(
            &admin,
            PersonFields::parse(name, "副区长", None, "").unwrap(),
        )
        .await
        .unwrap();
    }
    let (plan, _) = app
        .create_plan(
            &admin,
            PlanFields::parse(2026, "2026年目标任务", "").unwrap(),
        )
        .await
        .unwrap();
    app.create_section(
        &admin,
        plan.id,
        SectionFields::parse(None, "一", "产业突破", 0).unwrap(),
    )
    .await
    .unwrap();
    Setup {
        app,
        admin,
        plan: plan.id,
        zhongtan: zt.id,
        jsj: jsj.id,
    }
}

fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet {
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect(),
    }
}

/// Headers and units in traditional characters; the extractor's table folds them.
fn good_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "序號",
            "所屬板塊",
            "工作內容",
            "牽頭單位",
            "配合單位",
            "分管領導",
            "完成時限",
            "分值",
        ],
        vec![
            "1",
            "产业突破",
            "建成3个示范村",
            "中灘鎮",
            "建設局",
            "李東",
            "6月底",
            "5",
        ],
        vec!["2", "", "完善路网", "JSJ", "", "王芳", "2026年12月31日", ""],
        vec![
            "3",
            "",
            "改造农贸市场",
            "建设局",
            "中滩镇",
            "",
            "46203",
            "2.5",
        ],
    ]
}

fn as_sheet(rows: &[Vec<&str>]) -> Sheet {
    let r: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    sheet(&r)
}

async fn task_count(s: &Setup) -> usize {
    let q = TaskQuery {
        plan: Some(s.plan),
        ..TaskQuery::default()
    };
    s.app.export_tasks(&s.admin, &q).await.unwrap().len()
}

async fn audit_count(s: &Setup) -> usize {
    let f = AuditFilter {
        entity: Some("task".into()),
        ..AuditFilter::default()
    };
    let page = Page {
        limit: 1000,
        offset: 0,
    };
    s.app.audit_log(&s.admin, &f, page).await.unwrap().len()
}

db_test!(import_creates_then_updates_by_external_id, |t| {
    let s = setup(&t).await;
    let rows = good_rows();
    // A dry run checks everything and writes nothing.
    let dry = s
        .app
        .import_tasks(&s.admin, s.plan, &as_sheet(&rows), true)
        .await
        .unwrap();
    assert_eq!((dry.created, dry.updated, dry.unchanged), (3, 0, 0));
    assert_eq!(task_count(&s).await, 0);

    let first = s
        .app
        .import_tasks(&s.admin, s.plan, &as_sheet(&rows), false)
        .await
        .unwrap();
    assert_eq!(first.errors, vec![]);
    assert_eq!((first.created, first.updated, first.unchanged), (3, 0, 0));
    assert_eq!(task_count(&s).await, 3);
    assert_eq!(audit_count(&s).await, 3);

    let q = TaskQuery {
        plan: Some(s.plan),
        ..TaskQuery::default()
    };
    let tasks = s.app.export_tasks(&s.admin, &q).await.unwrap();
    let one = tasks
        .iter()
        .find(|v| v.task.fields.external_id.as_deref() == Some("1"))
        .unwrap();
    assert_eq!(one.task.fields.lead_unit, s.zhongtan);
    assert_eq!(one.task.fields.co_units, vec![s.jsj]);
    assert_eq!(one.task.fields.deadline, date!(2026 - 06 - 30));
    assert_eq!(one.task.fields.start, date!(2026 - 01 - 01));
    assert_eq!(one.task.fields.weight.to_string(), "5");
    assert!(one.task.fields.section.is_some());
    let three = tasks
        .iter()
        .find(|v| v.task.fields.external_id.as_deref() == Some("3"))
        .unwrap();
    assert_eq!(three.task.fields.deadline, date!(2026 - 06 - 30));

    // The same sheet again: nothing created, nothing rewritten, no audit noise.
    let again = s
        .app
        .import_tasks(&s.admin, s.plan, &as_sheet(&rows), false)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(task_count(&s).await, 3);
    assert_eq!(audit_count(&s).await, 3);

    // One row edited, one added: one update (version bumped), one creation.
    let mut edited = rows.clone();
    edited[2][2] = "完善城区路网";
    edited.push(vec!["4", "", "新建公园", "中滩镇", "", "", "年底", "1"]);
    let third = s
        .app
        .import_tasks(&s.admin, s.plan, &as_sheet(&edited), false)
        .await
        .unwrap();
    assert_eq!((third.created, third.updated, third.unchanged), (1, 1, 2));
    assert_eq!(task_count(&s).await, 4);
    assert_eq!(audit_count(&s).await, 5);
    let tasks = s.app.export_tasks(&s.admin, &q).await.unwrap();
    let two = tasks
        .iter()
        .find(|v| v.task.fields.external_id.as_deref() == Some("2"))
        .unwrap();
    assert_eq!(two.task.fields.title, "完善城区路网");
    assert_eq!(two.task.version, 2);
});

db_test!(a_bad_row_rejects_the_whole_sheet, |t| {
    let s = setup(&t).await;
    let mut rows = good_rows();
    rows[2][3] = "无此单位";
    rows[3][6] = "2026-02-30";
    let out = s
        .app
        .import_tasks(&s.admin, s.plan, &as_sheet(&rows), false)
        .await
        .unwrap();
    let got: Vec<(usize, &str, &str)> = out
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "牽頭單位", "not_found"),
            (4, "完成時限", "invalid_date")
        ]
    );
    assert_eq!((out.created, out.updated, out.unchanged), (0, 0, 0));
    assert_eq!(task_count(&s).await, 0);
    assert_eq!(audit_count(&s).await, 0);
});

db_test!(only_the_supervision_office_imports, |t| {
    let s = setup(&t).await;
    let reporter = Actor {
        user: UserId::from_uuid(uuid::Uuid::now_v7()),
        region: s.admin.region,
        grants: vec![Grant::new(Role::Reporter, Some(s.zhongtan)).unwrap()],
    };
    let err = s
        .app
        .import_tasks(&reporter, s.plan, &as_sheet(&good_rows()), false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let supervisor = Actor {
        grants: vec![Grant::new(Role::Supervisor, None).unwrap()],
        ..reporter
    };
    let out = s
        .app
        .import_tasks(&supervisor, s.plan, &as_sheet(&good_rows()), false)
        .await
        .unwrap();
    assert_eq!(out.created, 3);
});

fn write_xlsx(path: &std::path::Path, rows: &[Vec<&str>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Numbers as numbers, as Excel users type them.
            match cell.parse::<f64>() {
                Ok(n) => ws.write_number(r as u32, c as u16, n).unwrap(),
                Err(_) => ws.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

fn luoshi(url: &str, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(["--database", url])
        .args(args)
        .env("LUOSHI_LOG", "warn")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn cli_rejects_a_bad_sheet_whole_then_imports_twice_without_duplicates() {
    let t = TestDb::sqlite().await;
    let s = setup(&t).await;
    let dir = std::env::temp_dir().join(format!("luoshi-import-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bad = good_rows();
    bad[3][3] = "无此单位";
    let bad_file = dir.join("bad.xlsx");
    write_xlsx(&bad_file, &bad);
    let file = bad_file.to_string_lossy().into_owned();
    let (ok, out) = luoshi(
        &t.url,
        &["import", "tasks", &file, "--plan", "2026年目标任务"],
    );
    assert!(!ok, "{out}");
    assert!(out.contains("row 4, column 牽頭單位"), "{out}");
    assert!(out.contains("nothing was imported"), "{out}");
    assert_eq!(task_count(&s).await, 0);

    let good_file = dir.join("good.xlsx");
    write_xlsx(&good_file, &good_rows());
    let file = good_file.to_string_lossy().into_owned();
    let plan = s.plan.to_string();
    let (ok, out) = luoshi(
        &t.url,
        &["import", "tasks", &file, "--plan", &plan, "--dry-run"],
    );
    assert!(ok, "{out}");
    assert!(out.contains("dry run"), "{out}");
    assert_eq!(task_count(&s).await, 0);
    let (ok, out) = luoshi(&t.url, &["import", "tasks", &file, "--plan", &plan]);
    assert!(ok, "{out}");
    assert!(out.contains("3 created, 0 updated, 0 unchanged"), "{out}");
    let (ok, out) = luoshi(
        &t.url,
        &["import", "tasks", &file, "--plan", "2026年目标任务"],
    );
    assert!(ok, "{out}");
    assert!(out.contains("0 created, 0 updated, 3 unchanged"), "{out}");
    assert_eq!(task_count(&s).await, 3);

    // The same table as GB18030 CSV imports unchanged too.
    let csv: String = good_rows().iter().map(|r| r.join(",") + "\r\n").collect();
    let (gb, _, _) = encoding_rs::GB18030.encode(&csv);
    let csv_file = dir.join("good.csv");
    std::fs::write(&csv_file, &gb).unwrap();
    let file = csv_file.to_string_lossy().into_owned();
    let (ok, out) = luoshi(&t.url, &["import", "tasks", &file, "--plan", &plan]);
    assert!(ok, "{out}");
    assert!(out.contains("0 created, 0 updated, 3 unchanged"), "{out}");
    let (ok, out) = luoshi(
        &t.url,
        &["import", "tasks", &file, "--plan", "no such plan"],
    );
    assert!(!ok, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
