use crate::fixtures::{ctx, world};
use luoshi_domain::measure::Decimal;
use luoshi_store::assessment::{self, FactKind, NewFact, Published};
use luoshi_store::audit::{self, AuditFilter};
use luoshi_store::{Page, StoreError, args};
use luoshi_testkit::db_test;
use serde_json::json;
use time::macros::{date, datetime};
use uuid::Uuid;

fn published(supersedes: Option<Uuid>, digest: &str, reason: &str) -> Published {
    Published {
        id: Uuid::now_v7(),
        schemes: "2026-townships@1".into(),
        as_of: date!(2026 - 06 - 30),
        published_at: datetime!(2026-07-02 10:00 UTC),
        published_by: None,
        digest: digest.into(),
        body: json!({ "categories": [{ "category": "townships", "sheets": [] }] }),
        supersedes,
        reason: reason.into(),
    }
}

db_test!(scheme_versions_are_kept_and_never_duplicated, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let mut tx = t.db.begin().await.unwrap();
    assessment::insert_scheme(&mut tx, &c, "2026-townships", "townships", 1, "v = 1")
        .await
        .unwrap();
    assessment::insert_scheme(&mut tx, &c, "2026-townships", "townships", 2, "v = 2")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let err = assessment::insert_scheme(&mut tx, &c, "2026-townships", "townships", 2, "again")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
    drop(tx);
    let all = assessment::schemes(&t.db, w.region).await.unwrap();
    let got: Vec<(i32, &str)> = all.iter().map(|s| (s.version, s.body.as_str())).collect();
    assert_eq!(got, vec![(1, "v = 1"), (2, "v = 2")]);
});

db_test!(entered_facts_read_back_with_their_dates, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let mut tx = t.db.begin().await.unwrap();
    let cases = [
        (
            FactKind::Manual,
            "evaluation.leaders",
            Some(Decimal::new(555, 1)),
            "good",
            date!(2026 - 06 - 10),
        ),
        (
            FactKind::Bonus,
            "bonus",
            Some(Decimal::from(5)),
            "provincial award",
            date!(2026 - 05 - 01),
        ),
        (
            FactKind::Veto,
            "veto",
            None,
            "major accident",
            date!(2026 - 04 - 02),
        ),
    ];
    for (kind, item, points, text, on) in cases {
        let f = NewFact {
            kind,
            unit: w.unit_a,
            item: item.into(),
            points,
            text: text.into(),
            on,
        };
        assessment::append_fact(&mut tx, &c, &f).await.unwrap();
    }
    tx.commit().await.unwrap();
    for (kind, item, points, text, on) in cases {
        let got = assessment::facts(&t.db, w.region, kind).await.unwrap();
        assert_eq!(got.len(), 1, "{kind:?}");
        let f = &got[0];
        assert_eq!(
            (f.unit, f.item.as_str(), f.points, f.text.as_str(), f.on),
            (w.unit_a, item, points, text, on),
            "{kind:?}"
        );
        assert_eq!(f.entered_at, c.at);
    }
    // A manual score without points is refused before it reaches the table.
    let mut tx = t.db.begin().await.unwrap();
    let f = NewFact {
        kind: FactKind::Manual,
        unit: w.unit_a,
        item: "x".into(),
        points: None,
        text: String::new(),
        on: date!(2026 - 06 - 01),
    };
    let err = assessment::append_fact(&mut tx, &c, &f).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
});

db_test!(a_published_result_cannot_be_edited_or_deleted, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let first = published(None, "aa11", "");
    let mut tx = t.db.begin().await.unwrap();
    assessment::publish(&mut tx, &c, &first).await.unwrap();
    tx.commit().await.unwrap();

    let attempts = [
        "UPDATE assessment_results SET digest = 'forged' WHERE region_id = $1 AND id = $2",
        "UPDATE assessment_results SET reason = 'x' WHERE region_id = $1 AND id = $2",
        "DELETE FROM assessment_results WHERE region_id = $1 AND id = $2",
    ];
    for sql in attempts {
        let mut tx = t.db.begin().await.unwrap();
        let err = tx
            .execute(sql, args![w.region, first.id])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{sql}: {err:?}");
        drop(tx);
    }
    let stored = assessment::result(&t.db, w.region, first.id).await.unwrap();
    assert_eq!(stored, first);
});

db_test!(a_correction_supersedes_once_and_both_stay, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let first = published(None, "aa11", "");
    let second = published(Some(first.id), "bb22", "wrong closing date of a task");
    let mut tx = t.db.begin().await.unwrap();
    assessment::publish(&mut tx, &c, &first).await.unwrap();
    assessment::publish(&mut tx, &c, &second).await.unwrap();
    tx.commit().await.unwrap();
    // A second correction of the same result is refused: corrections form a chain.
    let mut tx = t.db.begin().await.unwrap();
    let err = assessment::publish(&mut tx, &c, &published(Some(first.id), "cc33", "again"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
    drop(tx);
    let all = assessment::results(&t.db, w.region).await.unwrap();
    let mut digests: Vec<(&str, Option<Uuid>)> = all
        .iter()
        .map(|p| (p.digest.as_str(), p.supersedes))
        .collect();
    digests.sort();
    assert_eq!(digests, vec![("aa11", None), ("bb22", Some(first.id))]);
    // The digests are in the audit log.
    let log = audit::list(
        &t.db,
        w.region,
        &AuditFilter {
            entity: Some("assessment_result".into()),
            ..AuditFilter::default()
        },
        Page {
            limit: 10,
            offset: 0,
        },
    )
    .await
    .unwrap();
    let mut actions: Vec<(String, String)> = log
        .iter()
        .map(|e| {
            let after = e.after.clone().unwrap();
            (
                e.action.clone(),
                after["digest"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        vec![
            ("correct".into(), "bb22".into()),
            ("publish".into(), "aa11".into())
        ]
    );
});
