//! The import page: upload, check (nothing written), confirm; a bad sheet is shown cell by cell.

use crate::support::{page_token, world};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

async fn upload(
    c: &reqwest::Client,
    url: &str,
    cookie: &str,
    token: &str,
    csv: &str,
    confirm: bool,
) -> (StatusCode, String) {
    let mut form = Form::new().text("_csrf", token.to_owned());
    form = if confirm {
        form.text("confirm", "1").text("sheet", csv.to_owned())
    } else {
        form.part(
            "file",
            Part::bytes(csv.as_bytes().to_vec()).file_name("任务分解表.csv"),
        )
    };
    let r = c
        .post(url)
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

db_test!(a_task_table_is_checked_then_imported_from_the_page, |t| {
    let w = world(t).await;
    let c = reqwest::Client::new();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let list = c
        .get(format!("{base}/tasks?plan_id={}", w.plan))
        .header("cookie", &sup)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains(&format!("/plans/{}/import", w.plan)),
        "the list links the import"
    );
    let url = format!("{base}/plans/{}/import", w.plan);
    let token = page_token(&c, &url, &sup).await;
    let count = || async {
        w.app
            .get(&format!("/api/v1/tasks?plan_id={}", w.plan), &w.supervisor)
            .await["total"]
            .as_i64()
            .unwrap()
    };
    let before = count().await;

    // Row 3 names a unit that does not exist: the whole sheet is refused, the cell named.
    let bad = "序号,工作任务,牵头单位,完成时限\n1,修通环城路,中滩镇,2026-09-30\n2,建成农贸市场,不存在局,年底\n";
    let (status, page) = upload(&c, &url, &sup, &token, bad, false).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"import-errors\""), "{page}");
    assert!(page.contains("<td>3</td><td>牵头单位</td>"), "{page}");
    assert_eq!(count().await, before);

    // The corrected sheet (traditional characters in the header) is checked: nothing written yet.
    let good = "序號,工作任務,牽頭單位,完成時限\n1,修通环城路,中滩镇,2026-09-30\n2,建成农贸市场,中滩镇,年底\n";
    let (_, page) = upload(&c, &url, &sup, &token, good, false).await;
    assert!(page.contains("id=\"import-confirm\""), "{page}");
    assert_eq!(count().await, before, "a check writes nothing");
    let (_, page) = upload(&c, &url, &sup, &token, good, true).await;
    assert!(page.contains("id=\"import-summary\""), "{page}");
    assert_eq!(count().await, before + 2);
    // The same sheet again: nothing new.
    let (_, page) = upload(&c, &url, &sup, &token, good, true).await;
    assert!(page.contains("id=\"import-summary\""));
    assert_eq!(count().await, before + 2, "re-import creates no duplicates");

    // Without the token, or as a unit's reporter: refused, nothing written.
    let (status, _) = upload(&c, &url, &sup, "", good, true).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let rep = format!("luoshi_session={}", w.reporter_a);
    let rep_token = page_token(&c, &format!("{base}/my"), &rep).await;
    let (status, _) = upload(&c, &url, &rep, &rep_token, good, true).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count().await, before + 2);
    let r = c
        .get(format!("{base}/plans/{}/import/template.xlsx", w.plan))
        .header("cookie", &sup)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
});
