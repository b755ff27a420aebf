//! The petition case page in a real headless Chromium: a case leader (包案) finds the case on
//! their list, reads its clocks as countdowns, records the reply, and the reply clock shows done.

use crate::petition_world::{NAME, petition_world};
use crate::webdriver;
use luoshi_testkit::TestDb;
use serde_json::json;

#[tokio::test]
async fn a_case_leader_reads_the_countdowns_and_records_the_reply() {
    let Some(b) = webdriver::start().await else {
        return;
    };
    let pw = petition_world(TestDb::sqlite().await).await;
    // Unit A accepts the case on 10 June: the reply is due 60 days on, 9 August.
    pw.w.app
        .post(
            &format!("/api/v1/petitions/{}/actions", pw.case),
            &pw.w.reporter_a,
            json!({"action": "accept", "version": 3, "on": "2026-06-10"}),
        )
        .await;
    b.goto(&format!("{}/login", pw.w.app.base)).await;
    b.type_into("#username", "zhao").await;
    b.type_into("#password", "password-123").await;
    b.click("#login-submit").await;
    b.find("header.top").await;

    b.click("#nav-petitions").await;
    b.click("#petitions-mine").await;
    b.wait_url("/petitions/mine").await;
    assert!(b.text("#petitions").await.contains(NAME));
    b.click("#petitions td.title a").await;
    b.wait_url(&pw.case).await;
    // 15 June: 55 days left to reply (16 + 31 + 9 − 1), the leader's own 3 months to 5 September.
    let reply = b.text("#clock-conclusion").await;
    assert!(
        reply.contains("2026-08-09") && reply.contains("还剩 55 天"),
        "{reply}"
    );
    let leader = b.text("#clock-case_leader").await;
    assert!(leader.contains("还剩 82 天"), "{leader}");
    assert!(b.text("#petitioners").await.contains(NAME));

    b.click("#act-reply button[type=submit]").await;
    let mut done = String::new();
    for _ in 0..50 {
        done = b.text("#clock-conclusion").await;
        if done.contains("已完成") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(done.contains("已完成于 2026-06-15"), "{done}");
    assert_eq!(b.text("#petition-status").await, "已答复");
    assert!(b.text("#petition-events").await.contains("出具答复意见"));
    b.quit().await;
}
