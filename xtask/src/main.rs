//! Project automation: `cargo xtask tidy` checks the rules that keep the architecture honest.
//!
//! - each crate's direct dependencies are on its allow-list (the domain names no I/O crate; only
//!   the store names sqlx; only the web crate names axum);
//! - `cargo tree -i` finds no sqlx, axum or tokio under `luoshi-domain`;
//! - the SQLite and PostgreSQL migration folders hold the same file names;
//! - no tracked file contains an absolute path of this machine, and every TODO names an issue;
//! - Rust source files stay under the size budget;
//! - the vendored front-end files (htmx, ECharts) match `assets/vendor/SHA256SUMS`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const MAX_LINES: usize = 600;

fn allow_list() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        (
            "luoshi-domain",
            &["rust_decimal", "time", "uuid", "thiserror"][..],
        ),
        (
            "luoshi-extract",
            &["rust_decimal", "serde", "serde_json", "encoding_rs"][..],
        ),
        (
            "luoshi-store",
            &[
                "luoshi-domain",
                "rust_decimal",
                "time",
                "uuid",
                "thiserror",
                "serde",
                "serde_json",
                "sqlx",
                "tracing",
                "futures-util",
            ][..],
        ),
        (
            "luoshi-app",
            &[
                "luoshi-domain",
                "luoshi-store",
                "luoshi-extract",
                "rust_decimal",
                "time",
                "uuid",
                "thiserror",
                "serde_json",
                "calamine",
                "toml",
                "argon2",
                "sha2",
                "getrandom",
                "chacha20poly1305",
                "tracing",
                "tokio",
            ][..],
        ),
        (
            "luoshi-web",
            &[
                "luoshi-domain",
                "luoshi-app",
                "luoshi-extract",
                "rust_decimal",
                "time",
                "uuid",
                "serde",
                "serde_json",
                "serde_path_to_error",
                "serde_urlencoded",
                "form_urlencoded",
                "axum",
                "tower-http",
                "tower",
                "utoipa",
                "askama",
                "rust_xlsxwriter",
                "tokio",
                "tracing",
            ][..],
        ),
        (
            "luoshi-notify",
            &[
                "luoshi-domain",
                "luoshi-store",
                "time",
                "uuid",
                "thiserror",
                "serde_json",
                "tokio",
                "tracing",
                "sha2",
                "hmac",
                "base64",
                "rustls",
                "lettre",
                "reqwest",
            ][..],
        ),
        (
            "luoshi-testkit",
            &["luoshi-store", "uuid", "sqlx", "tokio"][..],
        ),
    ])
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("tidy") => match tidy() {
            Ok(0) => {
                println!("tidy: ok");
                ExitCode::SUCCESS
            }
            Ok(n) => {
                eprintln!("tidy: {n} problem(s)");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("tidy: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask tidy");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn tidy() -> Result<usize, String> {
    let mut problems = 0;
    let mut report = |msg: String| {
        eprintln!("  {msg}");
        problems += 1;
    };
    let meta = Command::new(env!("CARGO"))
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    let meta: serde_json::Value =
        serde_json::from_slice(&meta.stdout).map_err(|e| format!("cargo metadata output: {e}"))?;
    let allow = allow_list();
    for pkg in meta["packages"].as_array().into_iter().flatten() {
        let name = pkg["name"].as_str().unwrap_or("");
        let Some(allowed) = allow.get(name) else {
            continue;
        };
        for dep in pkg["dependencies"].as_array().into_iter().flatten() {
            let dep_name = dep["name"].as_str().unwrap_or("");
            let normal = dep["kind"].is_null();
            if normal && !allowed.contains(&dep_name) {
                report(format!(
                    "{name} depends on {dep_name}, which is not on its allow-list (xtask/src/main.rs)"
                ));
            }
        }
    }
    for banned in ["sqlx", "axum", "tokio"] {
        let out = Command::new(env!("CARGO"))
            .args(["tree", "-p", "luoshi-domain", "-e", "normal", "-i", banned])
            .current_dir(root())
            .output()
            .map_err(|e| format!("cargo tree: {e}"))?;
        if out.status.success() {
            report(format!(
                "luoshi-domain reaches {banned} through its dependencies"
            ));
        }
    }
    let names = |dir: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    if names("crates/luoshi-store/migrations/sqlite")
        != names("crates/luoshi-store/migrations/postgres")
    {
        report("the sqlite and postgres migration folders differ".into());
    }
    let vendor = root().join("crates/luoshi-web/assets/vendor");
    match Command::new("sha256sum")
        .args(["--check", "--quiet", "SHA256SUMS"])
        .current_dir(&vendor)
        .output()
    {
        Ok(out) if out.status.success() => {}
        Ok(out) => report(format!(
            "vendored assets differ from SHA256SUMS: {}",
            String::from_utf8_lossy(&out.stdout).trim()
        )),
        Err(e) => report(format!("sha256sum: {e}")),
    }
    let files = Command::new("git")
        .args(["ls-files"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("git ls-files: {e}"))?;
    let here = ["/work", "/home/", "/root/"];
    for f in String::from_utf8_lossy(&files.stdout).lines() {
        let path = root().join(f);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if f.starts_with("xtask/") {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if here
                .iter()
                .any(|h| line.contains(&format!("\"{h}")) || line.contains(&format!(" {h}")))
            {
                report(format!("{f}:{}: absolute path of a machine", i + 1));
            }
            if !f.ends_with(".md") && line.contains("TODO") && !line.contains("TODO(#") {
                report(format!(
                    "{f}:{}: TODO without an issue number, write TODO(#N)",
                    i + 1
                ));
            }
        }
        if f.ends_with(".rs") && text.lines().count() > MAX_LINES {
            report(format!(
                "{f}: {} lines, over the {MAX_LINES}-line budget: split it",
                text.lines().count()
            ));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_library_crate_has_an_allow_list() {
        let crates = std::fs::read_dir(root().join("crates")).unwrap();
        for c in crates {
            let name = c.unwrap().file_name().to_string_lossy().into_owned();
            if name != "luoshi" {
                assert!(
                    allow_list().contains_key(name.as_str()),
                    "{name} has no dependency allow-list"
                );
            }
        }
    }

    #[test]
    fn the_domain_allows_no_io_crates() {
        for banned in ["sqlx", "tokio", "axum", "serde", "serde_json"] {
            assert!(!allow_list()["luoshi-domain"].contains(&banned));
        }
        assert!(!allow_list()["luoshi-web"].contains(&"sqlx"));
    }
}
