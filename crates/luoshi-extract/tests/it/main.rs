//! Integration tests: the seed speech, golden files, fuzzing and the JSON shape.

// Test helpers outside `#[test]` functions may fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fuzz;
mod golden;
mod json_shape;
mod seed;

use std::path::{Path, PathBuf};

/// Finds `shared/seed/speech.txt` in the crate directory or any ancestor, so the
/// tests work both in the work-in-progress folder and inside the workspace.
pub fn seed_path() -> PathBuf {
    seed_locator::find_seed_speech(Path::new(env!("CARGO_MANIFEST_DIR")))
        .expect("shared/seed/speech.txt beside the repository (or LUOSHI_SEED_DIR)")
}

#[path = "../../../luoshi-testkit/src/seed.rs"]
mod seed_locator;

/// The seed speech, read at run time (never copied into this crate).
pub fn seed_text() -> String {
    std::fs::read_to_string(seed_path()).expect("readable seed speech")
}
