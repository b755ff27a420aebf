//! The scheme editor, the published-result page and explanations in the reader's language, over
//! HTTP on both databases (the world and scheme of `assessment_pages`: 中滩镇 95, 下滩镇 80).

use crate::assessment_pages::{SCHEME, Setup, client, page, setup};
use crate::support::page_token;
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use serde_json::json;

async fn post(s: &Setup, token: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(format!("{}{path}", s.w.app.base))
        .header("cookie", format!("luoshi_session={token}"))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn csrf(s: &Setup, token: &str, path: &str) -> String {
    let url = format!("{}{path}", s.w.app.base);
    page_token(&client(), &url, &format!("luoshi_session={token}")).await
}

const BOOK: &str = "/assessment/schemes/2026-townships";

/// Save `text` as an edit of the book opened at version `base`.
async fn save(s: &Setup, who: &str, csrf: &str, base: &str, text: &str) -> reqwest::Response {
    post(
        s,
        who,
        BOOK,
        &[("_csrf", csrf), ("base", base), ("text", text)],
    )
    .await
}

db_test!(explanations_render_in_the_readers_language, |t| {
    let s = setup(t).await;
    s.w.app
        .post(
            "/api/v1/users",
            &s.w.app.admin,
            json!({"username": "lead-en", "display_name": "Mayor", "password": "password-123",
                   "language": "en", "grants": [{"role": "leader", "unit_id": null}]}),
        )
        .await;
    let english = s.w.app.login("lead-en", "password-123").await;
    let sheet = format!("/assessment/units/{}?as_of=2026-06-15", s.w.unit_a);
    let tasks = |html: &str| {
        html.split("data-key=\"tasks\"")
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap()
            .to_owned()
    };
    let leaders = |html: &str| {
        html.split("data-key=\"leaders\"")
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap()
            .to_owned()
    };
    let (status, html) = page(&s, &sheet, &english).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // The entry was made by the system actor, so "by" is its (nil) id.
    assert!(
        tasks(&html).contains("no task was due as of 2026-06-15: counts 100%"),
        "{html}"
    );
    assert!(
        leaders(&html).contains("on 2026-06-01: 综合评价较好"),
        "{}",
        leaders(&html)
    );
    let (_, html) = page(&s, &sheet, &s.leader).await;
    assert!(
        tasks(&html).contains("截至 2026-06-15 无到期任务，按 100% 计"),
        "{html}"
    );
    assert!(
        leaders(&html).contains("于 2026-06-01 评定 35 分：综合评价较好"),
        "{}",
        leaders(&html)
    );
});

db_test!(
    the_scheme_editor_validates_keeps_versions_and_refuses_others,
    |t| {
        let s = setup(t).await;
        // Reporters may not open the books; leaders read them but may not save.
        for path in ["/assessment/schemes", BOOK] {
            let (status, _) = page(&s, path, &s.w.reporter_a).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        }
        let (status, html) = page(&s, "/assessment/schemes", &s.leader).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert_eq!(html.matches("<tr class=\"scheme-version\">").count(), 1);
        assert!(html.contains("v1") && !html.contains("class=\"edit-link\""));
        let (_, html) = page(&s, BOOK, &s.leader).await;
        assert!(!html.contains("id=\"edit\"") && html.contains("领导评价"));
        let token = csrf(&s, &s.leader, BOOK).await;
        let edited = SCHEME.replace("title = \"领导评价\"", "title = \"领导综合评价\"");
        let r = save(&s, &s.leader, &token, "1", &edited).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "a leader may not save");

        // The office: no CSRF token → 403.
        let (_, html) = page(&s, BOOK, &s.w.supervisor).await;
        assert!(html.contains("id=\"edit\""), "{html}");
        let r = save(&s, &s.w.supervisor, "", "1", &edited).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let token = csrf(&s, &s.w.supervisor, BOOK).await;

        // An invalid book names the item at fault, keeps the text in the form and stores nothing.
        let broken = SCHEME.replace("kind = \"manual\"", "kind = \"guess\"");
        let r = save(&s, &s.w.supervisor, &token, "1", &broken).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let html = r.text().await.unwrap();
        assert!(html.contains("items[leaders].kind"), "{html}");
        assert!(
            html.contains("kind = &quot;guess&quot;") || html.contains("kind = &#34;guess&#34;")
        );
        let (_, list) = page(&s, "/assessment/schemes", &s.w.supervisor).await;
        assert_eq!(list.matches("<tr class=\"scheme-version\">").count(), 1);

        // A valid edit is version 2; version 1 stays as it was.
        let r = save(&s, &s.w.supervisor, &token, "1", &edited).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], format!("{BOOK}?version=2"));
        let (_, v2) = page(&s, &format!("{BOOK}?version=2"), &s.leader).await;
        assert!(
            v2.contains("领导综合评价") && v2.contains("version = 2"),
            "{v2}"
        );
        let (_, v1) = page(&s, &format!("{BOOK}?version=1"), &s.leader).await;
        assert!(
            v1.contains("领导评价") && !v1.contains("领导综合评价"),
            "{v1}"
        );
        let (_, list) = page(&s, "/assessment/schemes", &s.leader).await;
        assert_eq!(list.matches("<tr class=\"scheme-version\">").count(), 2);
        // The live ranking now uses version 2.
        let (_, html) = page(&s, "/assessment?as_of=2026-06-15", &s.leader).await;
        assert!(html.contains("2026-townships v2"), "{html}");

        // A form opened on version 1 is stale now: 409, and nothing is stored.
        let again = edited.replace("领导综合评价", "领导评议");
        let r = save(&s, &s.w.supervisor, &token, "1", &again).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("version 2"));
        let (_, list) = page(&s, "/assessment/schemes", &s.leader).await;
        assert_eq!(list.matches("<tr class=\"scheme-version\">").count(), 2);
    }
);

db_test!(
    a_published_result_shows_its_frozen_body_and_corrections,
    |t| {
        let s = setup(t).await;
        let token = csrf(&s, &s.w.supervisor, "/assessment?as_of=2026-06-15").await;
        let r = post(
            &s,
            &s.w.supervisor,
            "/assessment/publish",
            &[("_csrf", &token), ("as_of", "2026-06-15")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, html) = page(&s, "/assessment?as_of=2026-06-15", &s.leader).await;
        let id = html
            .split("href=\"/assessment/published/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let path = format!("/assessment/published/{id}");
        let (status, _) = page(&s, &path, &s.w.reporter_a).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a unit user sees only its own sheet"
        );

        // A later evaluation changes the live ranking but not the frozen result.
        let r = post(
            &s,
            &s.w.supervisor,
            &format!("/assessment/results/{id}/correct"),
            &[("_csrf", &token), ("reason", "补录领导评价")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (status, html) = page(&s, &path, &s.leader).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let rows: Vec<&str> = html.split("<tr class=\"frozen-row\">").skip(1).collect();
        assert_eq!(rows.len(), 2, "{html}");
        assert!(rows[0].contains("中滩镇") && rows[0].contains("95") && rows[0].contains("优秀"));
        assert!(rows[0].contains("★ 先进单位"), "{}", rows[0]);
        assert!(rows[1].contains("下滩镇") && rows[1].contains("80") && rows[1].contains("良好"));
        assert!(
            rows[0].contains("于 2026-06-01 评定 35 分：综合评价较好 +35"),
            "frozen reasons in the reader's language: {}",
            rows[0]
        );
        let digest = html
            .split("id=\"published-digest\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert_eq!(digest.len(), 64, "{digest}");
        assert!(html.contains("id=\"published-by\">sup"), "{html}");
        // This version was corrected: the correction and its reason are linked.
        assert!(
            html.contains("class=\"warn corrected-by\"") && html.contains("补录领导评价"),
            "{html}"
        );
        let newer = html
            .split("class=\"warn corrected-by\"")
            .nth(1)
            .unwrap()
            .split("href=\"/assessment/published/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let (_, html) = page(&s, &format!("/assessment/published/{newer}"), &s.leader).await;
        assert!(
            html.contains("id=\"published-corrects\"") && html.contains("补录领导评价"),
            "{html}"
        );
        assert!(html.contains(&id), "links the version it corrects");
    }
);

db_test!(
    leaders_score_evaluations_and_the_office_enters_bonuses_from_a_sheet,
    |t| {
        let s = setup(t).await;
        // Add a bonus item (cap 5) through the editor: version 2.
        let token = csrf(&s, &s.w.supervisor, BOOK).await;
        let with_bonus = format!(
            "{SCHEME}\n[[items]]\nkey = \"bonus\"\ntitle = \"加分项\"\nkind = \"bonus\"\ncap = 5\n"
        );
        let r = save(&s, &s.w.supervisor, &token, "1", &with_bonus).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let sheet = format!("/assessment/units/{}?as_of=2026-06-15", s.xiatan);
        let facts = format!("/assessment/units/{}/facts", s.xiatan);
        let forms = |html: &str| -> Vec<String> {
            html.split("class=\"filters no-print entry-form\" data-kind=\"")
                .skip(1)
                .map(|x| x.split('"').next().unwrap().to_owned())
                .collect()
        };
        // The leader gets the evaluation form only, the office both; a unit user none.
        let (_, html) = page(&s, &sheet, &s.leader).await;
        assert_eq!(forms(&html), ["manual"]);
        let (_, html) = page(&s, &sheet, &s.w.supervisor).await;
        assert_eq!(forms(&html), ["manual", "bonus"]);
        let own = format!("/assessment/units/{}?as_of=2026-06-15", s.w.unit_a);
        let (_, html) = page(&s, &own, &s.w.reporter_a).await;
        assert!(forms(&html).is_empty());

        let entry =
            |kind: &'static str, item: &'static str, points: &'static str, text: &'static str| {
                move |csrf: String| {
                    vec![
                        ("_csrf", csrf),
                        ("as_of", "2026-06-15".to_owned()),
                        ("kind", kind.to_owned()),
                        ("item", item.to_owned()),
                        ("points", points.to_owned()),
                        ("text", text.to_owned()),
                        ("on", "2026-06-10".to_owned()),
                    ]
                }
            };
        let send = |who: String, form: Vec<(&'static str, String)>| {
            let url = format!("{}{facts}", s.w.app.base);
            async move {
                client()
                    .post(url)
                    .header("cookie", format!("luoshi_session={who}"))
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let leader_csrf = csrf(&s, &s.leader, &sheet).await;
        let office_csrf = csrf(&s, &s.w.supervisor, &sheet).await;
        let reporter_csrf = csrf(&s, &s.w.reporter_a, &own).await;
        let score = entry("manual", "leaders", "38", "述职测评优良");
        let bonus = entry("bonus", "bonus", "7", "获评省级示范");

        // Refused: no CSRF token; a reporter; a leader entering a bonus.
        let r = send(s.leader.clone(), score(String::new())).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = send(s.w.reporter_a.clone(), score(reporter_csrf)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = send(s.leader.clone(), bonus(leader_csrf.clone())).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // A bonus without evidence names the field and is not stored.
        let r = send(
            s.w.supervisor.clone(),
            entry("bonus", "bonus", "7", " ")(office_csrf.clone()),
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("text"));

        // The leader's score replaces the earlier 20; the office's bonus of 7 counts 5 (the cap):
        // 60 + 38 + 5 = 103.
        let r = send(s.leader.clone(), score(leader_csrf)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = send(s.w.supervisor.clone(), bonus(office_csrf)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, html) = page(&s, &sheet, &s.leader).await;
        assert!(html.contains("103 / 100"), "{html}");
        let line = |key: &str| {
            html.split(&format!("data-key=\"{key}\""))
                .nth(1)
                .unwrap()
                .split("</tr>")
                .next()
                .unwrap()
                .to_owned()
        };
        assert!(
            line("leaders").contains("述职测评优良 <strong>+38</strong>"),
            "{}",
            line("leaders")
        );
        assert!(
            line("bonus").contains("获评省级示范（计 5 分，上限 5 分）"),
            "{}",
            line("bonus")
        );
    }
);

db_test!(
    the_office_records_a_veto_from_a_sheet_and_the_grade_is_capped,
    |t| {
        let s = setup(t).await;
        // Version 2: grade bands and a veto item capping the grade at 一般.
        let token = csrf(&s, &s.w.supervisor, BOOK).await;
        let text = SCHEME.replacen(
        "\n[[items]]",
        "\n[[grading.bands]]\nname = \"优秀\"\nmin_pct = 75\n\n[[grading.bands]]\nname = \"一般\"\nmin_pct = 0\n\n[[items]]",
        1,
    ) + "\n[[items]]\nkey = \"safety\"\ntitle = \"安全生产一票否决\"\nkind = \"veto\"\ngrade_cap = \"一般\"\n";
        let r = save(&s, &s.w.supervisor, &token, "1", &text).await;
        assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
        let sheet = format!("/assessment/units/{}?as_of=2026-06-15", s.xiatan);
        let facts = format!("/assessment/units/{}/facts", s.xiatan);
        let grade = |html: &str| {
            html.split("<dd>")
                .nth(2)
                .unwrap()
                .split("</dd>")
                .next()
                .unwrap()
                .to_owned()
        };
        let (_, html) = page(&s, &sheet, &s.w.supervisor).await;
        assert!(grade(&html).starts_with("优秀"), "{}", grade(&html));
        // The office's form has no points field; the leader gets no veto form.
        let form = html
            .split("data-kind=\"veto\"")
            .nth(1)
            .unwrap()
            .split("</form>")
            .next()
            .unwrap();
        assert!(!form.contains("name=\"points\""), "{form}");
        assert!(form.contains("否决事由"), "{form}");
        let (_, html) = page(&s, &sheet, &s.leader).await;
        assert!(!html.contains("data-kind=\"veto\""));

        let veto = |csrf: String, text: &str| {
            vec![
                ("_csrf", csrf),
                ("as_of", "2026-06-15".to_owned()),
                ("kind", "veto".to_owned()),
                ("item", "safety".to_owned()),
                ("text", text.to_owned()),
                ("on", "2026-05-20".to_owned()),
            ]
        };
        let send = |who: &str, form: Vec<(&'static str, String)>| {
            client()
                .post(format!("{}{facts}", s.w.app.base))
                .header("cookie", format!("luoshi_session={who}"))
                .form(&form)
                .send()
        };
        let leader_csrf = csrf(&s, &s.leader, &sheet).await;
        let r = send(&s.leader, veto(leader_csrf, "发生较大安全事故"))
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::FORBIDDEN);
        let office_csrf = csrf(&s, &s.w.supervisor, &sheet).await;
        let r = send(&s.w.supervisor, veto(office_csrf.clone(), "  "))
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("text"));
        let r = send(&s.w.supervisor, veto(office_csrf, "发生较大安全事故"))
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);

        let (_, html) = page(&s, &sheet, &s.leader).await;
        assert!(grade(&html).starts_with("一般"), "{}", grade(&html));
        let line = html
            .split("data-key=\"safety\"")
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap();
        assert!(line.contains("发生较大安全事故"), "{line}");
    }
);
