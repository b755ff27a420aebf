use crate::fixtures::{add_user, world};
use luoshi_domain::authz::{Grant, Role};
use luoshi_domain::ids::UserId;
use luoshi_store::supervision as sv;
use luoshi_store::{Db, Page, args};
use luoshi_testkit::db_test;
use time::macros::datetime;
use uuid::Uuid;

db_test!(migrations_are_idempotent, |t| {
    // Connecting again re-runs the migrator, which finds everything applied.
    let again = Db::connect(&t.url).await.unwrap();
    again.ping().await.unwrap();
});

#[tokio::test]
async fn two_servers_migrating_one_postgres_at_once() {
    let Some(url) = luoshi_testkit::postgres_url() else {
        return;
    };
    let (a, b) = tokio::join!(Db::connect(&url), Db::connect(&url));
    a.unwrap().ping().await.unwrap();
    b.unwrap().ping().await.unwrap();
}

#[test]
fn migration_folders_match() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |b: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir.join(b))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
    assert!(!names("sqlite").is_empty());
}

db_test!(inbox_copies_become_one_message_with_recipients, |t| {
    // A database as migration 0011 left it: each recipient had a full copy of a message.
    let old = t.empty_like().await;
    old.db.migrate_to(11).await.unwrap();
    let w = world(&old.db).await;
    let reporter = || vec![Grant::new(Role::Reporter, Some(w.unit_a)).unwrap()];
    let a = add_user(&old.db, &w, "甲", reporter()).await;
    let b = add_user(&old.db, &w, "乙", reporter()).await;
    let mut tx = old.db.begin().await.unwrap();
    let (first, second, alone) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let read = datetime!(2026-09-25 02:00 UTC);
    let copies = [
        (
            second,
            b,
            "k1",
            "第二份",
            datetime!(2026-09-23 01:00 UTC),
            None,
        ),
        (
            first,
            a,
            "k1",
            "第一份",
            datetime!(2026-09-23 01:00 UTC),
            Some(read),
        ),
        (
            alone,
            b,
            "k2",
            "只有乙",
            datetime!(2026-09-24 01:00 UTC),
            None,
        ),
    ];
    for (id, user, key, title, at, read_at) in copies {
        tx.execute(
            "INSERT INTO inbox_messages (region_id, id, user_id, dedup_key, title, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, '正文', $6)",
            args![w.region, id, user, key, title, at],
        )
        .await
        .unwrap();
        if let Some(r) = read_at {
            tx.execute(
                "UPDATE inbox_messages SET read_at = $2 WHERE id = $1",
                args![id, r],
            )
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();

    old.db.migrate().await.unwrap();
    let page = Page {
        limit: 10,
        offset: 0,
    };
    let inbox = |u: UserId| sv::inbox(&old.db, w.region, u, page);
    let of_a = inbox(a).await.unwrap();
    let of_b = inbox(b).await.unwrap();
    // The earliest copy of k1 (same time: the smaller id) is the message both now share, and
    // each keeps their read mark.
    assert_eq!(of_a.len(), 1);
    assert_eq!((of_a[0].id, of_a[0].title.as_str()), (first, "第一份"));
    assert_eq!(of_a[0].read_at, Some(read));
    let got: Vec<_> = of_b
        .iter()
        .map(|m| (m.id, m.dedup_key.as_str(), m.body.as_str(), m.read_at))
        .collect();
    assert_eq!(
        got,
        vec![(alone, "k2", "正文", None), (first, "k1", "正文", None)]
    );
    assert_eq!(sv::unread_count(&old.db, w.region, a).await.unwrap(), 0);
    assert_eq!(sv::unread_count(&old.db, w.region, b).await.unwrap(), 2);
});
