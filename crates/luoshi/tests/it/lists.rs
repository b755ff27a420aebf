//! The task list page: column headers sort, and a second click reverses the order.

use crate::support::world;
use luoshi_testkit::db_test;
use serde_json::json;

/// Task titles in the order the page lists them.
fn titles(page: &str) -> Vec<String> {
    page.split("<td class=\"title\"><a href=\"/tasks/")
        .skip(1)
        .map(|s| {
            s.split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

db_test!(column_headers_sort_the_task_list_both_ways, |t| {
    let w = world(t).await;
    for (title, deadline) in [
        ("乙：修通道路", "2026-06-30"),
        ("甲：建成市场", "2026-09-30"),
    ] {
        w.app
            .post(
                "/api/v1/tasks",
                &w.supervisor,
                json!({"plan_id": w.plan, "title": title, "lead_unit_id": w.unit_a, "deadline": deadline}),
            )
            .await;
    }
    let c = reqwest::Client::new();
    let cookie = format!("luoshi_session={}", w.supervisor);
    let get = |q: &'static str| {
        let c = c.clone();
        let cookie = cookie.clone();
        let url = format!("{}/tasks?plan_id={}{q}", w.app.base, w.plan);
        async move {
            c.get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let page = get("").await;
    assert_eq!(
        titles(&page),
        ["乙：修通道路", "甲：建成市场", "建成3—5个新农村示范村"],
        "by deadline, earliest first, by default"
    );
    assert!(page.contains("aria-sort=\"ascending\""));
    // The deadline header reverses the order; its link keeps the plan filter.
    let plan_q = format!("plan_id={}", w.plan);
    assert!(
        page.contains(&format!("href=\"/tasks?{plan_q}&#38;sort=deadline_desc\"")),
        "{page}"
    );
    let page = get("&sort=deadline_desc").await;
    assert_eq!(
        titles(&page),
        ["建成3—5个新农村示范村", "甲：建成市场", "乙：修通道路"]
    );
    assert!(page.contains("aria-sort=\"descending\""));
    let page = get("&sort=title").await;
    let sorted = titles(&page);
    let mut expected = sorted.clone();
    expected.sort();
    assert_eq!(sorted.len(), 3);
    assert_eq!(sorted, expected, "by title");
});
