//! "New plan from a speech": the text is extracted, reviewed and created in one transaction.

use crate::support::{page_token, world};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use reqwest::redirect::Policy;

const TEXT: &str = "一、发展经济\n\
今年全区生产总值达到49.4亿元，增长12.4%。去年全区生产总值完成43.95亿元。\n\
（一）抓好农业\n\
中滩镇要在年内建成3—5个新农村示范村。\n\
6月底前完成通村道路硬化10公里。\n";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// The form a reviewer sends back when keeping everything as proposed, plus `extra`.
fn reviewed(token: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("_csrf", token),
        ("text", TEXT),
        ("year", "2027"),
        ("title", "2027年目标任务"),
        ("assign", "on"),
        ("s0.keep", "on"),
        ("s0.number", "一"),
        ("s0.title", "发展经济"),
        ("s1.keep", "on"),
        ("s1.number", "（一）"),
        ("s1.title", "抓好农业"),
        ("i0.keep", "on"),
        ("i0.name", "地区生产总值"),
        ("i0.unit", "亿元"),
        ("i0.baseline", "43.95"),
        ("i0.target", "49.4"),
        ("i0.growth", "12.4"),
        ("t0.keep", "on"),
        ("t0.title", "中滩镇年内建成3—5个新农村示范村"),
        ("t0.unit", "中滩镇"),
        ("t0.deadline", "2027-12-31"),
        ("t0.qmin", "3"),
        ("t0.qmax", "5"),
        ("t0.qunit", "个"),
        ("t1.keep", "on"),
        ("t1.title", "完成通村道路硬化10公里"),
        ("t1.deadline", "2027-06-30"),
        ("t1.qmin", "10"),
        ("t1.qunit", "公里"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (k, v) in extra {
        f.retain(|(x, _)| x != k);
        if !v.is_empty() {
            f.push(((*k).to_owned(), (*v).to_owned()));
        }
    }
    f
}

db_test!(a_speech_becomes_a_reviewed_plan, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let token = page_token(&c, &format!("{base}/plans/new"), &sup).await;

    // Step 1: the text (here uploaded as GB18030) is extracted and shown for review.
    let (gb, _, _) = encoding_rs::GB18030.encode(TEXT);
    let form = Form::new()
        .text("_csrf", token.clone())
        .text("year", "2027")
        .text("title", "2027年目标任务")
        .text("text", "")
        .part("file", Part::bytes(gb.to_vec()).file_name("speech.txt"));
    let r = c
        .post(format!("{base}/plans/review"))
        .header("cookie", &sup)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("name=\"t0.unit\" value=\"中滩镇\""),
        "the named township is suggested"
    );
    assert!(
        page.contains("name=\"t1.unit\" value=\"\""),
        "no unit is named in the second task"
    );
    assert!(
        page.contains("<mark class=\"quantity\">3—5个</mark>"),
        "{page}"
    );
    assert!(page.contains("name=\"t1.deadline\" value=\"2027-06-30\""));
    assert!(page.contains("name=\"i0.baseline\" value=\"43.95\""));

    // Step 2 refused: the second task has no lead unit. The error names it; nothing is created.
    let plans_before = w.app.get("/api/v1/plans", &w.supervisor).await["items"]
        .as_array()
        .unwrap()
        .len();
    let r = c
        .post(format!("{base}/plans/create"))
        .header("cookie", &sup)
        .form(&reviewed(&token, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let page = r.text().await.unwrap();
    assert!(page.contains("tasks[1].lead_unit_id"), "{page}");
    assert!(
        page.contains("完成通村道路硬化10公里"),
        "the reviewer's edits are kept"
    );
    let plans = w.app.get("/api/v1/plans", &w.supervisor).await;
    assert_eq!(plans["items"].as_array().unwrap().len(), plans_before);

    // Dropping the first task renumbers nothing: an error still names the item as on the page.
    let r = c
        .post(format!("{base}/plans/create"))
        .header("cookie", &sup)
        .form(&reviewed(
            &token,
            &[("t0.keep", ""), ("t1.unit", "中滩镇"), ("t1.title", "")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("tasks[1].title"));

    // Corrected (the unit typed in traditional characters), dropping the top section.
    let r = c
        .post(format!("{base}/plans/create"))
        .header("cookie", &sup)
        .form(&reviewed(&token, &[("t1.unit", "中灘鎮"), ("s0.keep", "")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let plan = to.strip_prefix("/tasks?plan_id=").unwrap().to_owned();
    let tasks = w
        .app
        .get(&format!("/api/v1/tasks?plan_id={plan}"), &w.supervisor)
        .await;
    let items = tasks["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|t| t["lead_unit_id"] == w.unit_a.as_str()));
    assert!(items.iter().all(|t| t["status"] == "assigned"));
    let road = items
        .iter()
        .find(|t| t["deadline"] == "2027-06-30")
        .unwrap();
    assert_eq!(road["quantity"]["unit"], "公里");
    let sections = w
        .app
        .get(&format!("/api/v1/plans/{plan}/sections"), &w.supervisor)
        .await;
    let sections = sections["items"].as_array().unwrap();
    assert_eq!(sections.len(), 1, "the dropped section is gone");
    assert_eq!(sections[0]["title"], "抓好农业");
    assert!(sections[0]["parent_id"].is_null(), "its child moved up");
    assert!(items.iter().all(|t| t["section_id"] == sections[0]["id"]));
    let inds = w
        .app
        .get(&format!("/api/v1/plans/{plan}/indicators"), &w.supervisor)
        .await;
    assert_eq!(inds["items"][0]["target_value"], "49.4");
    assert_eq!(inds["items"][0]["baseline"], "43.95");
});

db_test!(only_the_supervision_office_makes_plans_from_text, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let rep = format!("luoshi_session={}", w.reporter_a);
    let r = c
        .get(format!("{base}/plans/new"))
        .header("cookie", &rep)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let token = page_token(&c, &format!("{base}/my"), &rep).await;
    let r = c
        .post(format!("{base}/plans/create"))
        .header("cookie", &rep)
        .form(&reviewed(&token, &[("t1.unit", "中滩镇")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let sup = format!("luoshi_session={}", w.supervisor);
    let r = c
        .post(format!("{base}/plans/create"))
        .header("cookie", &sup)
        .form(&reviewed("", &[("t1.unit", "中滩镇")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let plans = w.app.get("/api/v1/plans", &w.supervisor).await;
    assert_eq!(
        plans["items"].as_array().unwrap().len(),
        1,
        "nothing was created"
    );
});

db_test!(empty_huge_and_hostile_texts_are_handled, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let token = page_token(&c, &format!("{base}/plans/new"), &sup).await;
    let send = |text: String| {
        let form = Form::new()
            .text("_csrf", token.clone())
            .text("year", "2027")
            .text("title", "t")
            .text("text", text);
        c.post(format!("{base}/plans/review"))
            .header("cookie", &sup)
            .multipart(form)
            .send()
    };
    // Empty: refused, naming the field.
    let r = send("   \n".into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("text:"));
    // Larger than the limit: refused before it is read.
    let r = send("中".repeat(1_000_000)).await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Markup in the text is shown as text, never as markup.
    let r = send("<script>alert(1)</script>中滩镇年内建成3个示范村。".into())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(!page.contains("<script>alert(1)"), "escaped");
    // Nothing was created by any of it.
    let plans = w.app.get("/api/v1/plans", &w.supervisor).await;
    assert_eq!(plans["items"].as_array().unwrap().len(), 1);
});
