//! Bulletin pages over HTTP: the office previews and publishes, a unit's reporter reads the
//! print layout but cannot publish, corrections keep both versions, the XLSX opens, and forms
//! without the page's token are refused.

use crate::support::{page_token, world};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn text(c: &reqwest::Client, url: &str, cookie: &str) -> (StatusCode, String) {
    let r = c.get(url).header("cookie", cookie).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn post(
    c: &reqwest::Client,
    url: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    c.post(url)
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

db_test!(the_office_publishes_and_a_unit_reads, |t| {
    let w = world(t).await;
    let c = client();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let rep = format!("luoshi_session={}", w.reporter_a);

    // The office's list offers the preview form, suggesting last month (today is 15 June).
    let (s, html) = text(&c, &format!("{base}/bulletins"), &sup).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"preview-form\""), "{html}");
    assert!(html.contains("value=\"2026-05\""), "{html}");
    assert!(html.contains("id=\"bulletins-none\""));
    assert!(html.contains("id=\"nav-bulletins\""));

    // A malformed period is a 400 naming the field.
    let (s, html) = text(
        &c,
        &format!("{base}/bulletins/preview?period=2026-13"),
        &sup,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("period: "), "{html}");

    let preview = format!("{base}/bulletins/preview?period=2026-06&standings=1");
    let (s, html) = text(&c, &preview, &sup).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"bulletin-draft\""));
    assert!(html.contains("id=\"publish-form\""));
    assert!(html.contains("中滩镇") && html.contains("建设局"), "{html}");
    assert!(html.contains("大口径财政收入"), "the indicator table");

    // Publishing needs the page's token.
    let url = format!("{base}/bulletins/publish");
    let r = post(&c, &url, &sup, &[("_csrf", ""), ("period", "2026-06")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let token = page_token(&c, &preview, &sup).await;
    let form = [
        ("_csrf", token.as_str()),
        ("period", "2026-06"),
        ("standings", "1"),
    ];
    let r = post(&c, &url, &sup, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let first = location(&r);
    assert!(first.starts_with("/bulletins/"), "{first}");
    // The same month again is a conflict: it is corrected instead.
    let r = post(&c, &url, &sup, &form).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // A unit's reporter reads the published bulletin in print layout, without the office's forms.
    let (s, html) = text(&c, &format!("{base}/bulletins"), &rep).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("通报〔2026〕1号"), "{html}");
    assert!(!html.contains("id=\"preview-form\""));
    let (s, html) = text(&c, &format!("{base}{first}"), &rep).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<p class=\"notice-number\" id=\"bulletin-number\">通报〔2026〕1号</p>"),
        "{html}"
    );
    assert!(html.contains("测试区督查督办办公室"), "the issuing office");
    assert!(
        html.contains("<span id=\"bulletin-date\">2026-06-15</span>"),
        "{html}"
    );
    assert!(html.contains("id=\"bulletin-period\">2026-06<"));
    assert!(!html.contains("id=\"correct-form\""));

    // The reporter may neither preview nor publish (403), even with a valid token.
    let rep_token = page_token(&c, &format!("{base}/bulletins"), &rep).await;
    let (s, _) = text(&c, &preview, &rep).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let r = post(
        &c,
        &url,
        &rep,
        &[("_csrf", rep_token.as_str()), ("period", "2026-07")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let correct = format!("{base}{first}/correct");
    let r = post(
        &c,
        &correct,
        &rep,
        &[("_csrf", rep_token.as_str()), ("reason", "x")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The office corrects: a reason is required; both versions stay and link to each other.
    let r = post(&c, &correct, &sup, &[("_csrf", ""), ("reason", "x")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(
        &c,
        &correct,
        &sup,
        &[("_csrf", token.as_str()), ("reason", " ")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("reason: "));
    let r = post(
        &c,
        &correct,
        &sup,
        &[("_csrf", token.as_str()), ("reason", "补录建设局数据")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let second = location(&r);
    assert_ne!(second, first);
    let (_, html) = text(&c, &format!("{base}{second}"), &rep).await;
    assert!(html.contains("通报〔2026〕1号（版本 2）"), "{html}");
    assert!(html.contains("补录建设局数据"));
    assert!(
        html.contains(&format!("<a href=\"{first}\">版本 1</a>")),
        "{html}"
    );
    let (_, html) = text(&c, &format!("{base}/bulletins"), &rep).await;
    assert_eq!(html.matches("通报〔2026〕1号").count(), 2, "{html}");

    // The XLSX is a workbook with the units sheet first.
    let r = c
        .get(format!("{base}{first}.xlsx"))
        .header("cookie", &rep)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap().to_vec();
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut book = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut book)
        .unwrap();
    assert!(book.contains("name=\"各单位工作推进情况\""), "{book}");
    assert!(book.contains("name=\"主要指标完成情况\""), "{book}");
    let mut shared = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut shared)
        .unwrap();
    assert!(shared.contains("中滩镇"), "{shared}");
    // An unknown id is a 404.
    let (s, _) = text(&c, &format!("{base}/bulletins/not-an-id.xlsx"), &rep).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});
