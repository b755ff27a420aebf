//! Key project pages with forms: the responsible unit reports its monthly investment, the office
//! adds and resolves coordination issues; other units see no forms and are refused; stale
//! versions answer 409; a form without its CSRF token is refused.

use crate::support::{World, page_token, world};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use serde_json::json;

struct Pages {
    c: reqwest::Client,
    base: String,
}

impl Pages {
    async fn get(&self, path: &str, token: &str) -> (StatusCode, String) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("luoshi_session={token}"))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn post(&self, path: &str, token: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let r = self
            .c
            .post(format!("{}{path}", self.base))
            .header("cookie", format!("luoshi_session={token}"))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn csrf(&self, path: &str, token: &str) -> String {
        page_token(
            &self.c,
            &format!("{}{path}", self.base),
            &format!("luoshi_session={token}"),
        )
        .await
    }
}

async fn project(w: &World) -> String {
    let p = w
        .app
        .post(
            "/api/v1/projects",
            &w.supervisor,
            json!({"plan_id": w.plan, "name": "新材料产业园一期", "park": "东区产业园", "total_investment": "32000",
                   "year": 2026, "annual_investment": "12000", "planned_start": "2026-03", "stage": "under_construction",
                   "started_on": "2026-03-18", "responsible_unit_id": w.unit_a}),
        )
        .await;
    p["id"].as_str().unwrap().to_owned()
}

db_test!(
    project_page_forms_record_investment_and_manage_issues,
    |t| {
        let w = world(t).await;
        let id = project(&w).await;
        let p = Pages {
            c: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: w.app.base.clone(),
        };
        let path = format!("/projects/{id}");

        // The other unit's reporter sees the project but no form, and a post is refused.
        let (s, page) = p.get(&path, &w.reporter_b).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!page.contains("id=\"investment-form\""));
        assert!(!page.contains("id=\"issue-form\""));
        let tok_b = p.csrf(&path, &w.reporter_b).await;
        let form = |tok: &str| {
            vec![
                ("_csrf", tok.to_owned()),
                ("period", "2026-05".to_owned()),
                ("value", "4,800".to_owned()),
                ("source", "项目单位".to_owned()),
            ]
        };
        let post_form = |token: String, f: Vec<(&'static str, String)>| {
            let p = &p;
            let url = format!("{path}/investments");
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                p.post(&url, &token, &f).await
            }
        };
        let (s, _) = post_form(w.reporter_b.clone(), form(&tok_b)).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // The responsible unit's reporter has the form; a bad figure names the field, a good one
        // lands and shows (4,800 of 12,000 万元 by May: 40% against 41.67% expected).
        let (_, page) = p.get(&path, &w.reporter_a).await;
        assert!(page.contains("id=\"investment-form\""));
        assert!(
            !page.contains("id=\"issue-form\""),
            "issues are the office's"
        );
        let tok_a = p.csrf(&path, &w.reporter_a).await;
        let mut bad = form(&tok_a);
        bad[2].1 = "四千".to_owned();
        let (s, page) = post_form(w.reporter_a.clone(), bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(page.contains("id=\"project-error\""), "{page}");
        assert!(page.contains("value:"), "the error names the field");
        let mut no_csrf = form(&tok_a);
        no_csrf[0].1 = String::new();
        let (s, _) = post_form(w.reporter_a.clone(), no_csrf).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = post_form(w.reporter_a.clone(), form(&tok_a)).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let detail = w
            .app
            .get(&format!("/api/v1/projects/{id}"), &w.reporter_a)
            .await;
        assert_eq!(detail["investments"][0]["value"], "4800");
        assert_eq!(detail["investments"][0]["source"], "项目单位");
        assert_eq!(detail["project"]["standing"]["completion_pct"], "40");
        let (_, page) = p.get(&path, &w.reporter_a).await;
        assert!(
            page.contains("<td data-label=\"数值\">4800 万元</td>") || page.contains(">4800 万元<"),
            "{page}"
        );

        // The office adds an issue (the page's version), then a stale form is refused with 409.
        let (_, page) = p.get(&path, &w.supervisor).await;
        assert!(page.contains("id=\"issue-form\""));
        let tok_s = p.csrf(&path, &w.supervisor).await;
        let issue = |version: &str| {
            vec![
                ("_csrf", tok_s.clone()),
                ("version", version.to_owned()),
                ("text", "施工用电需扩容".to_owned()),
                ("owner_unit_id", w.unit_b.clone()),
                ("due", "2026-06-30".to_owned()),
            ]
        };
        let post_issue = |f: Vec<(&'static str, String)>| {
            let p = &p;
            let url = format!("{path}/issues");
            let token = w.supervisor.clone();
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                p.post(&url, &token, &f).await
            }
        };
        let (s, _) = post_issue(issue("1")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, page) = post_issue(issue("1")).await;
        assert_eq!(s, StatusCode::CONFLICT, "{page}");
        let detail = w
            .app
            .get(&format!("/api/v1/projects/{id}"), &w.supervisor)
            .await;
        let issues = detail["project"]["issues"].as_array().unwrap();
        assert_eq!(issues.len(), 1, "the stale form added nothing");
        assert_eq!(issues[0]["text"], "施工用电需扩容");
        assert_eq!(issues[0]["raised_on"], "2026-06-15");
        let version = detail["project"]["version"].as_i64().unwrap().to_string();
        let issue_id = issues[0]["id"].as_str().unwrap();

        // A reporter cannot resolve it; the office can, not in the future.
        let resolve = format!("{path}/issues/{issue_id}/resolve");
        let f = |tok: &str, on: &str| {
            vec![
                ("_csrf", tok.to_owned()),
                ("version", version.clone()),
                ("resolved_on", on.to_owned()),
            ]
        };
        let send = |token: &str, form: Vec<(&'static str, String)>| {
            let (p, url, token) = (&p, resolve.clone(), token.to_owned());
            async move {
                let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                p.post(&url, &token, &f).await
            }
        };
        let (s, _) = send(&w.reporter_a, f(&tok_a, "2026-06-14")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, page) = send(&w.supervisor, f(&tok_s, "2026-07-01")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(page.contains("resolved_on:"), "{page}");
        // Raised today (15 June): not resolvable the day before.
        let (s, _) = send(&w.supervisor, f(&tok_s, "2026-06-14")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let (s, _) = send(&w.supervisor, f(&tok_s, "2026-06-15")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = p.get(&path, &w.reporter_b).await;
        assert!(page.contains("已解决 2026-06-15"), "{page}");
    }
);
