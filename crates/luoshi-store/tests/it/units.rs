use crate::fixtures::{ctx, world};
use luoshi_domain::org::UnitFields;
use luoshi_store::audit::{self, AuditFilter};
use luoshi_store::{Page, StoreError, units};
use luoshi_testkit::db_test;

db_test!(stale_version_conflicts_and_changes_nothing, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let f = UnitFields::parse("zhongtan", "中滩镇人民政府", "township", None).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let (_, v) = units::update(&mut tx, &c, w.unit_a, &f, 1).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(v, 2);

    let stale = UnitFields::parse("zhongtan", "被覆盖", "township", None).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let err = units::update(&mut tx, &c, w.unit_a, &stale, 1)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                current: 2,
                ..
            }
        ),
        "{err:?}"
    );
    drop(tx);
    let (u, v) = units::get(&t.db, w.region, w.unit_a).await.unwrap();
    assert_eq!((u.name.as_str(), v), ("中滩镇人民政府", 2));

    let log = audit::list(
        &t.db,
        w.region,
        &AuditFilter {
            entity: Some("unit".into()),
            ..Default::default()
        },
        Page {
            limit: 10,
            offset: 0,
        },
    )
    .await
    .unwrap();
    let update = log.iter().find(|e| e.action == "update").unwrap();
    assert_eq!(update.before.as_ref().unwrap()["name"], "中滩镇");
    assert_eq!(update.after.as_ref().unwrap()["name"], "中滩镇人民政府");
    assert_eq!(
        log.iter().filter(|e| e.action == "update").count(),
        1,
        "the refused write left no audit row"
    );
});

db_test!(duplicate_codes_are_refused, |t| {
    let w = world(&t.db).await;
    let f = UnitFields::parse("jsj", "中滩镇", "township", None).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let err = units::update(&mut tx, &ctx(w.region), w.unit_a, &f, 1)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
});

db_test!(data_version_moves_with_every_change, |t| {
    let w = world(&t.db).await;
    let before = audit::data_version(&t.db, w.region).await.unwrap();
    let f = UnitFields::parse("zhongtan", "中滩", "township", None).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    units::update(&mut tx, &ctx(w.region), w.unit_a, &f, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        audit::data_version(&t.db, w.region).await.unwrap(),
        before + 1
    );
});
