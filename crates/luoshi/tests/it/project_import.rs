//! The key-project list: imported from a sheet (check, then confirm; a bad cell refuses the
//! whole sheet), exported as XLSX, and the export imported back changes nothing.

use crate::support::{page_token, world};
use luoshi_testkit::db_test;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

async fn upload(
    c: &reqwest::Client,
    url: &str,
    cookie: &str,
    token: &str,
    file: (&str, Vec<u8>),
    confirm: bool,
) -> (StatusCode, String) {
    let mut form = Form::new().text("_csrf", token.to_owned());
    form = if confirm {
        let csv = String::from_utf8(file.1).unwrap();
        form.text("confirm", "1").text("sheet", csv)
    } else {
        form.part("file", Part::bytes(file.1).file_name(file.0.to_owned()))
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

db_test!(a_project_list_is_imported_exported_and_reimported, |t| {
    let w = world(t).await;
    let c = reqwest::Client::new();
    let base = &w.app.base;
    let sup = format!("luoshi_session={}", w.supervisor);
    let list = c
        .get(format!("{base}/projects"))
        .header("cookie", &sup)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let url = format!("{base}/plans/{}/projects/import", w.plan);
    assert!(
        list.contains(&format!("/plans/{}/projects/import", w.plan)),
        "the list links the import"
    );
    let token = page_token(&c, &url, &sup).await;
    let projects = || async {
        let v = w.app.get("/api/v1/projects", &w.supervisor).await;
        v["items"].as_array().unwrap().clone()
    };

    // An empty file and a sheet without the required headers are refused, naming what is wrong.
    let (status, page) = upload(&c, &url, &sup, &token, ("清单.csv", vec![]), false).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"import-error\""), "{page}");
    let (_, page) = upload(
        &c,
        &url,
        &sup,
        &token,
        ("x.csv", "<script>,1\n".into()),
        false,
    )
    .await;
    assert!(page.contains("<td>1</td><td>项目名称</td>"), "{page}");
    assert!(!page.contains("<script>,"), "cells are escaped");
    assert!(projects().await.is_empty());

    // Row 3's unit does not exist and row 4's start month is not a month: nothing is written.
    let bad = "项目名称,园区,责任单位,总投资,年度计划投资,计划开工,阶段,开工日期\n\
               物流园一期,东区产业园,中滩镇,3000,1200,2026-03,在建,2026-03-18\n\
               冷链中心,西区物流园,不存在局,8000,6000,2026-02,,\n\
               光伏电站,中滩镇,建设局,300,300,下个月,,\n";
    let (status, page) = upload(&c, &url, &sup, &token, ("清单.csv", bad.into()), false).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<td>3</td><td>责任单位</td><td>找不到该单位</td>"),
        "{page}"
    );
    assert!(page.contains("<td>4</td><td>计划开工</td>"), "{page}");
    assert!(projects().await.is_empty());

    // The corrected sheet, headers in traditional characters: checked, then confirmed.
    let good = "項目名稱,園區,責任單位,總投資,年度計劃投資,計劃開工,階段,開工日期\n\
                物流园一期,东区产业园,中滩镇,3000,1200,2026-03,在建,2026-03-18\n\
                冷链中心,西区物流园,建设局,8000,6000,2026年2月,,\n";
    let (_, page) = upload(&c, &url, &sup, &token, ("清单.csv", good.into()), false).await;
    assert!(page.contains("id=\"import-confirm\""), "{page}");
    assert!(projects().await.is_empty(), "a check writes nothing");
    let (_, page) = upload(&c, &url, &sup, &token, ("清单.csv", good.into()), true).await;
    assert!(page.contains("id=\"import-summary\""), "{page}");
    let items = projects().await;
    assert_eq!(items.len(), 2);
    let cold = items.iter().find(|p| p["name"] == "冷链中心").unwrap();
    assert_eq!(
        (
            &cold["planned_start"],
            &cold["stage"],
            &cold["responsible_unit_id"]
        ),
        (
            &"2026-02".into(),
            &"preparation".into(),
            &w.unit_b.clone().into()
        )
    );

    // The export, imported back as it is, changes nothing; an edited annual plan updates one.
    let xlsx = c
        .get(format!("{base}/projects.xlsx"))
        .header("cookie", &sup)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let (_, page) = upload(&c, &url, &sup, &token, ("projects.xlsx", xlsx), false).await;
    assert!(page.contains("新增 0 · 更新 0 · 未变 2"), "{page}");
    let edited = good.replace("8000,6000", "8000,6500");
    let (_, page) = upload(
        &c,
        &url,
        &sup,
        &token,
        ("清单.csv", edited.clone().into_bytes()),
        true,
    )
    .await;
    assert!(page.contains("id=\"import-summary\""), "{page}");
    let items = projects().await;
    let cold = items.iter().find(|p| p["name"] == "冷链中心").unwrap();
    assert_eq!(
        (&cold["annual_investment"], &cold["version"]),
        (&"6500".into(), &2.into())
    );

    // A reporter may not import.
    let rep = format!("luoshi_session={}", w.reporter_a);
    let rep_token = page_token(&c, &format!("{base}/"), &rep).await;
    let (status, _) = upload(
        &c,
        &url,
        &rep,
        &rep_token,
        ("清单.csv", edited.into_bytes()),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});
