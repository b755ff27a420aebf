//! Golden files: `tests/data/expected/<name>.json` holds the JSON of `<name>.txt`.
//! Refresh with `UPDATE_EXPECT=1 cargo test`.

use luoshi_extract::{extract, to_json};
use std::path::Path;

#[test]
fn dev_texts_match_expected_json() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let expected_dir = dir.join("expected");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 6);
    let mut failures = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path).expect("text");
        let got = serde_json::to_string_pretty(&to_json(&extract(&text))).expect("json") + "\n";
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let want_path = expected_dir.join(format!("{stem}.json"));
        if update {
            std::fs::create_dir_all(&expected_dir).expect("mkdir");
            std::fs::write(&want_path, &got).expect("write expected");
            continue;
        }
        let want = std::fs::read_to_string(&want_path).unwrap_or_default();
        if want != got {
            failures.push(stem);
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatch for {failures:?}; rerun with UPDATE_EXPECT=1 and review the diff"
    );
}
