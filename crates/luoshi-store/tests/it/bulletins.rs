use crate::fixtures::{ctx, world};
use luoshi_store::audit::{self, AuditFilter};
use luoshi_store::bulletins::{self, StoredBulletin};
use luoshi_store::{Page, StoreError, args};
use luoshi_testkit::db_test;
use time::macros::{date, datetime};
use uuid::Uuid;

fn version(v: i32, supersedes: Option<Uuid>, digest: &str) -> StoredBulletin {
    StoredBulletin {
        id: Uuid::now_v7(),
        period: "2026-09".into(),
        version: v,
        year: 2026,
        sequence: 1,
        number: "通报〔2026〕1号".into(),
        as_of: date!(2026 - 09 - 30),
        published_at: datetime!(2026-10-25 01:00 UTC),
        published_by: None,
        digest: digest.into(),
        body: format!("{{\"v\":{v}}}"),
        supersedes,
        reason: if supersedes.is_some() {
            "fix".into()
        } else {
            String::new()
        },
    }
}

db_test!(a_published_bulletin_cannot_be_edited_or_deleted, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let first = version(1, None, "aa11");
    let mut tx = t.db.begin().await.unwrap();
    assert_eq!(
        bulletins::next_sequence(&mut tx, w.region, 2026)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        bulletins::next_sequence(&mut tx, w.region, 2026)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        bulletins::next_sequence(&mut tx, w.region, 2027)
            .await
            .unwrap(),
        1
    );
    bulletins::insert(&mut tx, &c, &first).await.unwrap();
    tx.commit().await.unwrap();

    for sql in [
        "UPDATE bulletins SET digest = 'forged' WHERE region_id = $1 AND id = $2",
        "UPDATE bulletins SET body = '{}' WHERE region_id = $1 AND id = $2",
        "DELETE FROM bulletins WHERE region_id = $1 AND id = $2",
    ] {
        let mut tx = t.db.begin().await.unwrap();
        let err = tx
            .execute(sql, args![w.region, first.id])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{sql}: {err:?}");
        drop(tx);
    }
    assert_eq!(
        bulletins::get(&t.db, w.region, first.id).await.unwrap(),
        first
    );

    // A second version 1 of the period is refused; a correction is version 2 and both stay.
    let mut tx = t.db.begin().await.unwrap();
    let dup = bulletins::insert(&mut tx, &c, &version(1, None, "bb22")).await;
    assert!(matches!(dup, Err(StoreError::Duplicate { .. })), "{dup:?}");
    drop(tx);
    let second = version(2, Some(first.id), "cc33");
    let mut tx = t.db.begin().await.unwrap();
    bulletins::insert(&mut tx, &c, &second).await.unwrap();
    tx.commit().await.unwrap();
    let all = bulletins::versions(&t.db, w.region, "2026-09")
        .await
        .unwrap();
    assert_eq!(all, vec![first.clone(), second.clone()]);

    // The audit rows carry the digests.
    let log = audit::list(
        &t.db,
        w.region,
        &AuditFilter {
            entity: Some("bulletin".into()),
            ..AuditFilter::default()
        },
        Page {
            limit: 10,
            offset: 0,
        },
    )
    .await
    .unwrap();
    let mut digests: Vec<String> = log
        .iter()
        .filter_map(|e| e.after.as_ref()?.get("digest")?.as_str().map(str::to_owned))
        .collect();
    digests.sort();
    assert_eq!(digests, vec!["aa11".to_owned(), "cc33".to_owned()]);
});
