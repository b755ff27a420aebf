//! Petition API: lists and action responses never carry personal data; reading one case shows
//! them to the petition office and the case leader only, and each such read is logged once with
//! its route; another unit's reporter is refused on actions.

use crate::petition_world::{ADDRESS, ID_NUMBER, NAME, PERSONAL, PHONE, petition_world};
use luoshi_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn assert_hidden(what: &str, body: &serde_json::Value) {
    let text = body.to_string();
    for s in PERSONAL {
        assert!(!text.contains(s), "{what} shows {s}: {text}");
    }
}

db_test!(
    the_api_shows_personal_data_only_to_those_allowed_and_logs_each_read,
    |t| {
        let pw = petition_world(t).await;
        let app = &pw.w.app;
        let one = format!("/api/v1/petitions/{}", pw.case);
        let actions = format!("{one}/actions");

        // Without the right: the list and the case answer, with `personal` saying why they are absent.
        for token in [&pw.w.reporter_b, &pw.w.supervisor] {
            let list = app.get("/api/v1/petitions", token).await;
            assert_eq!(list["items"].as_array().unwrap().len(), 1);
            assert_hidden("list", &list);
            let body = app.get(&one, token).await;
            assert_eq!(body["case"]["personal"], "not_allowed");
            assert_eq!(
                body["case"]["matter"],
                "反映拖欠农民工工资问题，要求尽快支付"
            );
            assert_hidden("get", &body);
        }
        // Another unit's reporter may not act; the refusal carries nothing either.
        let (s, body) = app
            .call(
                Method::POST,
                &actions,
                Some(&pw.w.reporter_b),
                Some(json!({"action": "accept", "version": 3, "on": "2026-06-15"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_hidden("403", &body);
        assert_eq!(pw.reads().await, Vec::<(String, String)>::new());

        // The petition office reads one case with all four, but lists never carry them.
        let body = app.get(&one, &pw.officer).await;
        assert_eq!(body["case"]["personal"], "shown");
        let p = &body["case"]["petitioners"][0];
        assert_eq!(
            [&p["name"], &p["id_number"], &p["phone"], &p["address"]],
            [NAME, ID_NUMBER, PHONE, ADDRESS]
        );
        assert_hidden(
            "officer's list",
            &app.get("/api/v1/petitions", &pw.officer).await,
        );

        // Action responses carry no personal data, even for those who may read them: the handling
        // unit's reporter accepts, the office extends the handling period.
        let accepted = app
            .post(
                &actions,
                &pw.w.reporter_a,
                json!({"action": "accept", "version": 3, "on": "2026-06-15"}),
            )
            .await;
        assert_eq!(accepted["status"], "handling");
        assert_hidden("accept response", &accepted);
        let extended = app
        .post(
            &actions,
            &pw.officer,
            json!({"action": "extend", "version": 4, "days": 30, "notice_on": "2026-06-15", "reason": "需多部门会商", "on": "2026-06-15"}),
        )
        .await;
        assert_hidden("extend response", &extended);
        let conclusion = extended["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "conclusion")
            .unwrap()
            .clone();
        // Accepted 15 June: 60 + 30 days end on 13 September.
        assert_eq!(conclusion["due"], "2026-09-13");

        // The case leader reads it too.
        let body = app.get(&one, &pw.leader).await;
        assert_eq!(body["case"]["petitioners"][0]["name"], NAME);
        assert_eq!(body["case"]["leader_person_id"], pw.leader_person.as_str());

        let route = format!("GET {one}");
        assert_eq!(
            pw.reads().await,
            vec![
                ("xfj".to_owned(), route.clone()),
                ("zhao".to_owned(), route)
            ]
        );
    }
);
