//! Petition pages: no page or export shows petitioners' personal data to a user without the
//! right, the petition office and the case leader see them, and the read log names exactly those
//! who did; the case page's clocks as countdowns; forms naming the field, 409 on a stale
//! version, 403 without CSRF or from another unit.

use crate::petition_world::{ADDRESS, ID_NUMBER, NAME, PERSONAL, PHONE, petition_world};
use crate::support::page_token;
use luoshi_testkit::db_test;
use reqwest::StatusCode;

struct Pages {
    c: reqwest::Client,
    base: String,
}

impl Pages {
    fn new(base: &str) -> Pages {
        Pages {
            c: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
        }
    }

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

    /// The shared strings of an XLSX download (every text cell).
    async fn xlsx_strings(&self, path: &str, token: &str) -> String {
        use std::io::Read;
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("luoshi_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap().to_vec();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut shared = String::new();
        zip.by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut shared)
            .unwrap();
        shared
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

fn assert_hidden(what: &str, body: &str) {
    for s in PERSONAL {
        assert!(!body.contains(s), "{what} shows {s}: {body}");
    }
}

db_test!(
    personal_data_stay_hidden_on_every_page_and_the_log_names_who_saw_them,
    |t| {
        let pw = petition_world(t).await;
        let p = Pages::new(&pw.w.app.base);
        let case = format!("/petitions/{}", pw.case);
        let pages = [
            "/petitions",
            case.as_str(),
            "/petitions/mine",
            "/petitions/due",
        ];

        // The other unit's reporter and the supervision office: every page answers, none shows them.
        for token in [&pw.w.reporter_b, &pw.w.supervisor] {
            for path in pages {
                let (s, body) = p.get(path, token).await;
                assert_eq!(s, StatusCode::OK, "{path}");
                assert_hidden(path, &body);
            }
            let (_, body) = p.get(&case, token).await;
            assert!(body.contains("id=\"personal-hidden\""), "{body}");
            assert!(body.contains("劳资纠纷"), "the case itself is shown");
            let (_, body) = p.get("/petitions", token).await;
            assert!(body.contains(&pw.case), "the register lists the case");
            assert!(body.contains("id=\"nav-petitions\""));
            assert_hidden("xlsx", &p.xlsx_strings("/petitions.xlsx", token).await);
        }
        assert_eq!(pw.reads().await, Vec::<(String, String)>::new());

        // The petition office sees them on the register (name and phone), the case page (all four),
        // the due overview (the acceptance notice is due on 17 June) and the export.
        let (_, body) = p.get("/petitions", &pw.officer).await;
        assert!(body.contains(NAME) && body.contains(PHONE), "{body}");
        let (_, body) = p.get(&case, &pw.officer).await;
        for s in PERSONAL {
            assert!(body.contains(s), "case page lacks {s}");
        }
        assert!(!body.contains("id=\"personal-hidden\""));
        let (_, body) = p.get("/petitions/due", &pw.officer).await;
        assert!(body.contains(NAME), "{body}");
        assert!(
            body.contains("id=\"petitions-overdue-none\""),
            "nothing is overdue"
        );
        let shared = p.xlsx_strings("/petitions.xlsx", &pw.officer).await;
        for s in [NAME, ID_NUMBER, PHONE, ADDRESS] {
            assert!(shared.contains(s), "export lacks {s}");
        }
        // The officer leads no case: their list is empty and reads nothing.
        let (_, body) = p.get("/petitions/mine", &pw.officer).await;
        assert_hidden("officer's mine", &body);
        assert!(body.contains("id=\"petitions-none\""));

        // The case leader sees them on their list and the case page.
        let (_, body) = p.get("/petitions/mine", &pw.leader).await;
        assert!(body.contains(NAME), "{body}");
        let (_, body) = p.get(&case, &pw.leader).await;
        assert!(body.contains(ID_NUMBER));

        let route = format!("GET {case}");
        let mut expected: Vec<(String, String)> = vec![
            ("xfj".into(), "GET /petitions".into()),
            ("xfj".into(), route.clone()),
            ("xfj".into(), "GET /petitions/due".into()),
            ("xfj".into(), "export".into()),
            ("zhao".into(), "GET /petitions/mine".into()),
            ("zhao".into(), route),
        ];
        expected.sort();
        assert_eq!(pw.reads().await, expected);
    }
);

db_test!(the_case_page_shows_every_clock_as_a_countdown, |t| {
    let pw = petition_world(t).await;
    let p = Pages::new(&pw.w.app.base);
    let (_, body) = p
        .get(&format!("/petitions/{}", pw.case), &pw.w.reporter_a)
        .await;
    let clock = |id: &str| {
        let start = body
            .find(&format!("id=\"clock-{id}\""))
            .unwrap_or_else(|| panic!("no clock {id}: {body}"));
        let end = body[start..].find("</tr>").unwrap() + start;
        body[start..end].to_owned()
    };
    // Registered 20 May, routed 2 June (within 15 days, due 4 June).
    let routing = clock("routing");
    assert!(
        routing.contains("2026-06-04") && routing.contains("已完成于 2026-06-02"),
        "{routing}"
    );
    // Received 2 June: tell the petitioner by 17 June, two days from the 15th.
    let acceptance = clock("acceptance");
    assert!(
        acceptance.contains("2026-06-17") && acceptance.contains("还剩 2 天"),
        "{acceptance}"
    );
    // Objection: 5 working days from Tuesday 2 June end on Tuesday 9 June, unused.
    let objection = clock("objection");
    assert!(
        objection.contains("2026-06-09") && objection.contains("期限已过（未使用）"),
        "{objection}"
    );
    // The case leader from 5 June has three months: 5 September, 82 days on.
    let leader = clock("case_leader");
    assert!(
        leader.contains("2026-09-05") && leader.contains("还剩 82 天"),
        "{leader}"
    );
    // The lamp is blue (an organ's clock due within 3 days) and names the acceptance clock.
    assert!(body.contains("lamp-blue"), "{body}");
    assert!(body.contains("受理告知：还剩 2 天"), "{body}");
    // The handling unit's reporter may accept or decline; the office's route form is not theirs.
    assert!(body.contains("id=\"act-accept\""));
    assert!(!body.contains("id=\"act-route\""));
});

db_test!(
    forms_name_the_field_refuse_stale_versions_other_units_and_missing_csrf,
    |t| {
        let pw = petition_world(t).await;
        let p = Pages::new(&pw.w.app.base);

        // Registration: errors name the field and keep what was typed.
        let tok = p.csrf("/petitions/new", &pw.officer).await;
        let form = |name: &'static str, id: &'static str, category: &'static str| {
            vec![
                ("_csrf", tok.clone()),
                ("channel", "letter".to_owned()),
                ("name", name.to_owned()),
                ("id_number", id.to_owned()),
                ("phone", "0931-8123456".to_owned()),
                ("address", "东街".to_owned()),
                ("category", category.to_owned()),
                ("matter", "道路施工扰民".to_owned()),
                ("registered_on", "2026-06-10".to_owned()),
            ]
        };
        let send = |f: Vec<(&'static str, String)>, token: String| {
            let p = &p;
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                p.post("/petitions", &token, &f).await
            }
        };
        for (f, field) in [
            (form("李四", "123", "城建"), "petitioners[0].id_number:"),
            (form("", "", "城建"), "petitioners[0].name:"),
            (form("李四", "", ""), "category:"),
        ] {
            let (s, body) = send(f, pw.officer.clone()).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
            assert!(body.contains(field), "{field}: {body}");
            assert!(body.contains("道路施工扰民"), "the form keeps the matter");
        }
        let mut no_csrf = form("李四", "", "城建");
        no_csrf[0].1 = String::new();
        let (s, _) = send(no_csrf, pw.officer.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // A reporter may not register (and has no form).
        let (s, _) = p.get("/petitions/new", &pw.w.reporter_a).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, body) = send(form("李四", "", "城建"), pw.officer.clone()).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");

        // Actions on the routed case (version 3 after registration, routing and the leader).
        let path = format!("/petitions/{}/act", pw.case);
        let tok_b = p
            .csrf(&format!("/petitions/{}", pw.case), &pw.w.reporter_b)
            .await;
        let accept = |tok: &str, version: &str| {
            vec![
                ("_csrf", tok.to_owned()),
                ("action", "accept".to_owned()),
                ("version", version.to_owned()),
                ("on", "2026-06-15".to_owned()),
            ]
        };
        let act = |token: String, f: Vec<(&'static str, String)>| {
            let (p, path) = (&p, path.clone());
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                p.post(&path, &token, &f).await
            }
        };
        let (s, _) = act(pw.w.reporter_b.clone(), accept(&tok_b, "3")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another unit's reporter");
        let tok_a = p
            .csrf(&format!("/petitions/{}", pw.case), &pw.w.reporter_a)
            .await;
        let (s, _) = act(pw.w.reporter_a.clone(), accept("", "3")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "no CSRF token");
        let (s, body) = act(pw.w.reporter_a.clone(), accept(&tok_a, "2")).await;
        assert_eq!(s, StatusCode::CONFLICT, "stale version: {body}");
        // A decline without its reason names the field.
        let decline = vec![
            ("_csrf", tok_a.clone()),
            ("action", "decline".to_owned()),
            ("version", "3".to_owned()),
        ];
        let (s, body) = act(pw.w.reporter_a.clone(), decline).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(body.contains("reason:"), "{body}");
        let (s, _) = act(pw.w.reporter_a.clone(), accept(&tok_a, "3")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = p
            .get(&format!("/petitions/{}", pw.case), &pw.w.reporter_a)
            .await;
        assert!(body.contains("id=\"petition-status\">办理中<"), "{body}");
        // Accepted on the 15th: the reply is due 60 days on, 14 August.
        assert!(
            body.contains("2026-08-14") && body.contains("还剩 60 天"),
            "{body}"
        );
    }
);

db_test!(
    the_register_filters_by_status_unit_channel_and_overdue,
    |t| {
        let pw = petition_world(t).await;
        let p = Pages::new(&pw.w.app.base);
        // A second case, by letter, registered 1 May and never routed: routing was due 16 May.
        let mut body = crate::petition_world::petition_body("2026-05-01");
        body["channel"] = serde_json::json!("letter");
        body["matter"] = serde_json::json!("反映村道硬化工程质量问题");
        pw.w.app.post("/api/v1/petitions", &pw.officer, body).await;
        let first = "反映拖欠农民工工资问题";
        let second = "反映村道硬化工程质量问题";
        let unit = format!("/petitions?unit_id={}", pw.w.unit_a);
        for (path, shows_first, shows_second) in [
            ("/petitions", true, true),
            ("/petitions?status=registered", false, true),
            ("/petitions?status=routed", true, false),
            (unit.as_str(), true, false),
            ("/petitions?channel=visit", true, false),
            ("/petitions?channel=letter", false, true),
            ("/petitions?overdue=1", false, true),
        ] {
            let (s, page) = p.get(path, &pw.w.supervisor).await;
            assert_eq!(s, StatusCode::OK, "{path}");
            assert_eq!(page.contains(first), shows_first, "{path}: {page}");
            assert_eq!(page.contains(second), shows_second, "{path}");
        }
        // The late case is red, overdue by 30 days (16 May to 15 June), on the office's due page.
        let (_, page) = p.get("/petitions?overdue=1", &pw.w.supervisor).await;
        assert!(
            page.contains("lamp-red") && page.contains("转送交办：已超期 30 天"),
            "{page}"
        );
        let (_, page) = p.get("/petitions/due", &pw.officer).await;
        let overdue = &page[page.find("id=\"petitions-overdue\"").unwrap()..];
        let overdue = &overdue[..overdue.find("</table>").unwrap()];
        assert!(
            overdue.contains(second) && !overdue.contains(first),
            "{overdue}"
        );
    }
);

db_test!(
    a_returning_petitioner_is_proposed_as_a_repeat_with_the_same_leader,
    |t| {
        let pw = petition_world(t).await;
        let p = Pages::new(&pw.w.app.base);
        // The same petitioner returns on 12 June with the same matter.
        let again =
            pw.w.app
                .post(
                    "/api/v1/petitions",
                    &pw.officer,
                    crate::petition_world::petition_body("2026-06-12"),
                )
                .await["id"]
                .as_str()
                .unwrap()
                .to_owned();
        let path = format!("/petitions/{again}");
        // Without the right, no proposal is made (detection needs the personal data).
        let (_, page) = p.get(&path, &pw.w.reporter_b).await;
        assert!(!page.contains("id=\"repeat-candidates\""));
        // The office sees the earlier case proposed (same ID number, identical matter: 100%) and the
        // earlier case's leader chosen in the 包案 form.
        let (_, page) = p.get(&path, &pw.officer).await;
        let table = &page[page.find("id=\"repeat-candidates\"").expect("candidates")..];
        let table = &table[..table.find("</table>").unwrap()];
        assert!(
            table.contains(&pw.case) && table.contains("100%"),
            "{table}"
        );
        assert!(
            page.contains(&format!("<option value=\"{}\" selected>", pw.leader_person)),
            "the returning petitioner's case goes to the same leader: {page}"
        );
        // Confirming marks the case as a repeat of the earlier one; the proposal is not made again.
        let tok = p.csrf(&path, &pw.officer).await;
        let (s, _) = p
            .post(
                &format!("{path}/repeats"),
                &pw.officer,
                &[
                    ("_csrf", &tok),
                    ("version", "1"),
                    ("earlier_id", &pw.case),
                    ("decision", "confirm"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = p.get(&path, &pw.officer).await;
        assert!(!page.contains("id=\"repeat-candidates\""), "{page}");
        assert!(page.contains(&format!(
            "<a href=\"/petitions/{}\">此前信访件</a>",
            pw.case
        )));
        assert!(page.contains("确认重复信访"), "the event is in the history");
        // A reporter may not decide on repeats.
        let tok_a = p.csrf(&path, &pw.w.reporter_a).await;
        let (s, _) = p
            .post(
                &format!("{path}/repeats"),
                &pw.w.reporter_a,
                &[
                    ("_csrf", &tok_a),
                    ("version", "2"),
                    ("earlier_id", &pw.case),
                    ("decision", "reject"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);
