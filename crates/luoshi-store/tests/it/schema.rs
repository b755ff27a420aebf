use luoshi_store::Db;
use luoshi_testkit::db_test;

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
