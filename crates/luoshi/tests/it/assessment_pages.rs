//! Assessment pages over HTTP: the live ranking, a unit's score sheet, publishing and
//! correcting, and the XLSX export, on both databases.
//!
//! The scheme is small enough to check by hand: tasks 60 points (no task is due by mid-June, so
//! every township gets all 60) and a leaders' evaluation of 40 entered by hand on 1 June:
//! 中滩镇 35 → 95 (优秀, 先进单位), 下滩镇 20 → 80 (良好).

use crate::support::{World, page_token, world};
use luoshi_app::{App, FactInput, FactKind, FixedClock};
use luoshi_domain::ids::UnitId;
use luoshi_domain::measure::Decimal;
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::json;
use std::sync::Arc;
use time::macros::{date, datetime};

pub(crate) const SCHEME: &str = r#"
id = "2026-townships"
version = 1
name = "乡镇考核"
category = "townships"
full_points = 100

[[items]]
key = "tasks"
title = "重点任务"
points = 60
kind = "task_completion"
on_time_pct = 100
late = { share_pct = 50 }

[[items]]
key = "leaders"
title = "领导评价"
points = 40
kind = "manual"
"#;

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

pub(crate) struct Setup {
    pub w: World,
    /// The second township, 下滩镇.
    pub xiatan: String,
    pub leader: String,
}

/// The support world plus a second township, a leader, the scheme and two evaluations.
pub(crate) async fn setup(t: luoshi_testkit::TestDb) -> Setup {
    let db = t.db.clone();
    let w = world(t).await;
    let xiatan = w
        .app
        .post(
            "/api/v1/units",
            &w.app.admin,
            json!({"code": "xiatan", "name": "下滩镇", "kind": "township"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    w.app
        .post(
            "/api/v1/users",
            &w.app.admin,
            json!({"username": "lead", "display_name": "区长", "password": "password-123", "grants": [{"role": "leader", "unit_id": null}]}),
        )
        .await;
    let leader = w.app.login("lead", "password-123").await;
    let app = App::new(db, Arc::new(FixedClock(datetime!(2026-06-15 02:00 UTC))));
    let region = app.regions().await.unwrap().remove(0);
    let system = App::system_actor(region.id);
    app.store_scheme(&system, SCHEME).await.unwrap();
    for (unit, points, note) in [
        (&w.unit_a, 35, "综合评价较好"),
        (&xiatan, 20, "综合评价一般"),
    ] {
        app.enter_assessment_fact(
            &system,
            FactInput {
                kind: FactKind::Manual,
                unit: unit.parse::<UnitId>().unwrap(),
                item: "leaders".into(),
                points: Some(Decimal::from(points)),
                text: note.into(),
                on: date!(2026 - 06 - 01),
            },
        )
        .await
        .unwrap();
    }
    Setup { w, xiatan, leader }
}

pub(crate) async fn page(s: &Setup, path: &str, token: &str) -> (StatusCode, String) {
    let r = client()
        .get(format!("{}{path}", s.w.app.base))
        .header("cookie", format!("luoshi_session={token}"))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The ranking rows of a page as (rank, unit, total, percent, grade, award) texts.
fn ranking_rows(html: &str) -> Vec<String> {
    html.split("<tr class=\"rank-row\">")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap();
            let mut cells = Vec::new();
            for cell in row.split("<td").skip(1) {
                let inner = cell.split_once('>').unwrap().1;
                let inner = inner.split("</td>").next().unwrap();
                let mut text = String::new();
                let mut in_tag = false;
                for ch in inner.chars() {
                    match ch {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                cells.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            cells.join(" | ")
        })
        .collect()
}

db_test!(the_ranking_renders_live_for_a_leader, |t| {
    let s = setup(t).await;
    let (status, html) = page(&s, "/assessment?as_of=2026-06-15", &s.leader).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(
        ranking_rows(&html),
        [
            "1 | 中滩镇 zhongtan | 95 | 95% | 优秀 | ★ 先进单位",
            "2 | 下滩镇 xiatan | 80 | 80% | 良好 | ",
        ]
    );
    assert!(html.contains("id=\"awards\""), "the award list is shown");
    assert!(
        !html.contains("id=\"publish-form\""),
        "a leader reads but does not publish"
    );
    // Before the evaluations were entered (1 June) only the task points count.
    let (_, html) = page(&s, "/assessment?as_of=2026-05-31", &s.leader).await;
    assert_eq!(
        ranking_rows(&html),
        [
            "1 | 下滩镇 xiatan | 60 | 60% | 一般 | ",
            "2 | 中滩镇 zhongtan | 60 | 60% | 一般 | ",
        ],
        "equal totals are ordered by unit code"
    );
    // A malformed date names the field.
    let (status, html) = page(&s, "/assessment?as_of=2026-13-01", &s.leader).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("as_of"), "{html}");
});

db_test!(a_unit_user_sees_only_its_own_row_and_sheet, |t| {
    let s = setup(t).await;
    let (status, html) = page(&s, "/assessment?as_of=2026-06-15", &s.w.reporter_a).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(
        ranking_rows(&html),
        ["1 | 中滩镇 zhongtan | 95 | 95% | 优秀 | ★ 先进单位"]
    );
    assert!(!html.contains("下滩镇") && !html.contains("id=\"published\""));

    let own = format!("/assessment/units/{}?as_of=2026-06-15", s.w.unit_a);
    let (status, html) = page(&s, &own, &s.w.reporter_a).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("95 / 100 (95%)"), "{html}");
    let line = |key: &str| -> String {
        html.split(&format!("data-key=\"{key}\""))
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap()
            .to_owned()
    };
    let tasks = line("tasks");
    assert!(tasks.contains("60 / 60"), "{tasks}");
    assert!(
        tasks.contains("截至 2026-06-15 无到期任务，按 100% 计") && tasks.contains("+60"),
        "{tasks}"
    );
    let leaders = line("leaders");
    assert!(leaders.contains("35 / 40"), "{leaders}");
    assert!(
        leaders.contains("综合评价较好") && leaders.contains("+35"),
        "{leaders}"
    );

    for other in [&s.xiatan, &s.w.unit_b] {
        let (status, _) = page(
            &s,
            &format!("/assessment/units/{other}?as_of=2026-06-15"),
            &s.w.reporter_a,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another unit's sheet");
    }
    // The leader may open any unit's sheet.
    let other = format!("/assessment/units/{}?as_of=2026-06-15", s.xiatan);
    let (status, html) = page(&s, &other, &s.leader).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("80 / 100 (80%)"), "{html}");
});

db_test!(the_office_publishes_and_corrects_others_are_refused, |t| {
    let s = setup(t).await;
    let c = client();
    let base = &s.w.app.base;
    let url = format!("{base}/assessment?as_of=2026-06-15");
    let post = |token: &str, path: &str, form: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = format!("{base}{path}");
        let cookie = format!("luoshi_session={token}");
        async move {
            c.post(url)
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let published = |html: &str| html.matches("<tr class=\"published-row\">").count();

    // Without the CSRF token, even the office is refused.
    let r = post(
        &s.w.supervisor,
        "/assessment/publish",
        vec![("as_of", "2026-06-15".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A leader and a unit user are refused even with their own token.
    for who in [&s.leader, &s.w.reporter_a] {
        let token = page_token(&c, &url, &format!("luoshi_session={who}")).await;
        let r = post(
            who,
            "/assessment/publish",
            vec![("_csrf", token), ("as_of", "2026-06-15".into())],
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let (_, html) = page(&s, "/assessment?as_of=2026-06-15", &s.w.supervisor).await;
    assert_eq!(published(&html), 0, "nothing was published");

    // The office publishes.
    let token = page_token(&c, &url, &format!("luoshi_session={}", s.w.supervisor)).await;
    let r = post(
        &s.w.supervisor,
        "/assessment/publish",
        vec![("_csrf", token.clone()), ("as_of", "2026-06-15".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/assessment?as_of=2026-06-15#published"
    );
    let (_, html) = page(&s, "/assessment?as_of=2026-06-15", &s.leader).await;
    assert_eq!(published(&html), 1, "{html}");
    let row = html.split("<tr class=\"published-row\">").nth(1).unwrap();
    assert!(
        row.contains("2026-06-15") && row.contains("sup") && row.contains("2026-townships@1"),
        "date, publisher and scheme: {row}"
    );
    let digest = row
        .split("title=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(digest.len(), 64, "a hex SHA-256: {digest}");
    let id = html
        .split("/assessment/results/")
        .nth(1)
        .map(|x| x.split('/').next().unwrap().to_owned());
    assert!(id.is_none(), "a leader gets no correction form");

    // A correction needs a reason, and names the field when it is missing.
    let (_, html) = page(&s, "/assessment?as_of=2026-06-15", &s.w.supervisor).await;
    let id = html
        .split("/assessment/results/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let path = format!("/assessment/results/{id}/correct");
    let r = post(
        &s.w.supervisor,
        &path,
        vec![("_csrf", token.clone()), ("reason", " ".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("reason"));
    let r = post(&s.w.supervisor, &path, vec![("reason", "补录".into())]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let r = post(
        &s.w.supervisor,
        &path,
        vec![("_csrf", token), ("reason", "补录领导评价".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Both versions stay visible; the new one names the old and the reason. The record did not
    // change, so the digest is the same.
    let (_, html) = page(&s, "/assessment?as_of=2026-06-15", &s.leader).await;
    assert_eq!(published(&html), 2, "{html}");
    let rows: Vec<&str> = html.split("<tr class=\"published-row\">").skip(1).collect();
    let short: String = id.chars().take(8).collect();
    assert!(
        rows[0].contains(&format!("更正 {short}：补录领导评价")),
        "newest first: {}",
        rows[0]
    );
    assert!(rows[1].contains("已被更正"), "{}", rows[1]);
    assert!(rows.iter().all(|r| r.contains(&digest)));
});

db_test!(the_ranking_exports_to_xlsx, |t| {
    let s = setup(t).await;
    let r = client()
        .get(format!("{}/assessment.xlsx?as_of=2026-06-15", s.w.app.base))
        .header("cookie", format!("luoshi_session={}", s.leader))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    assert_eq!(&bytes[..4], b"PK\x03\x04", "a zip");
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let book = read("xl/workbook.xml");
    assert!(book.contains("name=\"townships\""), "{book}");
    let sheet = read("xl/worksheets/sheet1.xml");
    let shared = read("xl/sharedStrings.xml");
    for text in ["中滩镇", "下滩镇", "优秀", "良好", "先进单位", "名次"] {
        assert!(shared.contains(text), "{text}: {shared}");
    }
    assert!(
        sheet.contains("<v>95</v>") && sheet.contains("<v>80</v>"),
        "{sheet}"
    );
});

db_test!(a_sheet_links_a_task_behind_its_points_to_the_task, |t| {
    let s = setup(t).await;
    // An overdue, unfinished task of 中滩镇: due tasks now exist and none is done, so the task
    // item earns 0 of 60 and the total drops to the evaluation's 35.
    let task =
        s.w.app
            .post(
                "/api/v1/tasks",
                &s.w.supervisor,
                json!({"plan_id": s.w.plan, "title": "修缮中滩镇卫生院", "lead_unit_id": s.w.unit_a,
                   "start": "2026-01-01", "deadline": "2026-06-10", "weight": "10"}),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let own = format!("/assessment/units/{}?as_of=2026-06-15", s.w.unit_a);
    let (status, html) = page(&s, &own, &s.w.manager_a).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("35 / 100 (35%)"), "{html}");
    let tasks = html
        .split("data-key=\"tasks\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(tasks.contains("0 / 60"), "{tasks}");
    assert!(
        tasks.contains(&format!("<a href=\"/tasks/{task}\">")),
        "the explanation links the task: {tasks}"
    );
});
