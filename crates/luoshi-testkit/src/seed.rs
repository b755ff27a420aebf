//! Where the founding speech is: `shared/seed/speech.txt` beside the repository, never copied
//! into it. This one file is shared by every crate's tests (the extractor includes it with
//! `#[path]`, having no dev-dependency on the test kit).
//!
//! Looked for, in order: `$LUOSHI_SEED_DIR/speech.txt`; `shared/seed/` in an ancestor of
//! `start` (the crate directory); and, for a clone made elsewhere (`git clone . /tmp/x`), in an
//! ancestor of the repository the clone came from (its local `origin`).

use std::path::{Path, PathBuf};

/// The seed speech's path, if it can be found from `start`.
pub fn find_seed_speech(start: &Path) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("LUOSHI_SEED_DIR") {
        let p = Path::new(&dir).join("speech.txt");
        return p.is_file().then_some(p);
    }
    let beside = |from: &Path| {
        from.ancestors()
            .map(|d| d.join("shared/seed/speech.txt"))
            .find(|p| p.is_file())
    };
    beside(start).or_else(|| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(start)
            .args(["config", "--get", "remote.origin.url"])
            .output()
            .ok()?;
        let origin = String::from_utf8(out.stdout).ok()?;
        let origin = Path::new(origin.trim().trim_start_matches("file://"));
        origin.is_dir().then(|| beside(origin)).flatten()
    })
}
