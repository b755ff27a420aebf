//! The built binary, as an operator runs it.

use std::process::{Command, Stdio};

fn luoshi(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_luoshi"));
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("LUOSHI_DATABASE_URL")
        .env("LUOSHI_LOG", "warn");
    c
}

fn temp_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("luoshi-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn every_command_has_help() {
    let dir = temp_dir();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "add", "--help"],
        vec!["backup", "--help"],
        vec!["plan", "from-text", "--help"],
        vec!["assess", "--help"],
    ] {
        let out = luoshi(&dir).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn demo_builds_then_users_and_backups_work() {
    let dir = temp_dir();
    let out = luoshi(&dir).args(["demo", "--no-serve"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("demo built"), "{log}");
    assert!(dir.join("demo.db").exists());

    // Operator commands work on the demo database by URL.
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let mut child = luoshi(&dir)
        .args([
            "--database-url",
            &url,
            "user",
            "add",
            "--username",
            "newhead",
            "--name",
            "新负责人",
            "--role",
            "unit_manager",
            "--unit",
            "zhongtan",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("created user newhead"));

    let bad = luoshi(&dir)
        .args([
            "--database-url",
            &url,
            "user",
            "add",
            "--username",
            "x2",
            "--name",
            "x",
            "--role",
            "reporter",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success(), "a reporter needs a unit");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("unit_id"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );

    let copy = dir.join("copy.db");
    let out = luoshi(&dir)
        .args(["--database-url", &url, "backup"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::metadata(&copy).unwrap().len() > 100_000);
    let again = luoshi(&dir)
        .args(["--database-url", &url, "backup"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(!again.status.success(), "backup refuses to overwrite");

    // A second demo into a database that holds data is refused.
    let out = luoshi(&dir)
        .args(["--database-url", &url, "demo", "--no-serve"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn serve_on_a_new_database_needs_a_region() {
    let dir = temp_dir();
    let out = luoshi(&dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--region-code"));
    let out = luoshi(&dir).arg("migrate").output().unwrap();
    assert!(out.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn openapi_document_is_committed_and_current() {
    let doc = luoshi_web::openapi_document();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var("UPDATE_EXPECT").is_ok() {
        std::fs::write(&path, format!("{doc}\n")).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed.trim_end(),
        doc.trim_end(),
        "docs/openapi.json is stale: rerun with UPDATE_EXPECT=1"
    );
}

/// The founding speech, read from `shared/seed/` beside the repository (never copied into it).
fn seed_speech() -> std::path::PathBuf {
    luoshi_testkit::find_seed_speech(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .expect("shared/seed/speech.txt beside the repository (or LUOSHI_SEED_DIR)")
}

#[test]
fn extract_reads_the_speech_and_gb18030() {
    let dir = temp_dir();
    let out = luoshi(&dir)
        .args(["extract", "--format", "json"])
        .arg(seed_speech())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let x: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gdp = x["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "地区生产总值")
        .unwrap();
    assert_eq!(
        (gdp["value"].as_f64(), gdp["growth_pct"].as_f64()),
        (Some(49.4), Some(12.4))
    );
    let fai = x["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "固定资产投资")
        .unwrap();
    assert!(
        fai["value"].is_null(),
        "a masked value is unknown, never guessed"
    );
    assert!(
        x["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "masked_digits")
    );

    // The same kind of text saved in GB18030, as government offices often do.
    let text = "今年全区生产总值增长8%，财政收入达到3.5亿元。";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let file = dir.join("gb.txt");
    std::fs::write(&file, &bytes).unwrap();
    let out = luoshi(&dir)
        .args(["extract", "--format", "table"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("财政收入") && table.contains("3.5"),
        "{table}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_plan_is_created_from_a_text_file() {
    let dir = temp_dir();
    let out = luoshi(&dir).args(["demo", "--no-serve"]).output().unwrap();
    assert!(out.status.success());
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let text = dir.join("speech.txt");
    std::fs::write(
        &text,
        "一、发展经济\n今年全区生产总值达到52亿元，增长10%。\n（一）抓好农业\n\
         中滩镇要在年内建成3—5个新农村示范村。\n6月底前完成通村道路硬化10公里。\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--database-url",
            url.as_str(),
            "plan",
            "from-text",
            text.to_str().unwrap(),
            "--year",
            "2027",
            "--title",
            "2027年目标任务",
        ];
        args.extend_from_slice(extra);
        let out = luoshi(&dir).args(&args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // An empty file is refused, as is a file that does not exist.
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    for file in [&empty, &dir.join("missing.txt")] {
        let out = luoshi(&dir)
            .args(["--database-url", url.as_str(), "plan", "from-text"])
            .arg(file)
            .args(["--year", "2027", "--title", "t"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(file.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
    }
    // The road task names no unit: refused, naming it, and nothing is created.
    let (ok, _, err) = run(&[]);
    assert!(!ok);
    assert!(err.contains("tasks[1].lead_unit_id"), "{err}");
    let (ok, out, _) = run(&["--default-unit", "jtj", "--dry-run"]);
    assert!(ok);
    assert!(
        out.contains("would create: 2 sections, 1 indicators, 2 tasks"),
        "{out}"
    );
    assert!(out.contains("中滩镇 · 2027-12-31"), "{out}");
    assert!(out.contains("2027-06-30"), "{out}");
    assert!(!out.contains("created plan"));
    let (ok, out, err) = run(&["--skip-unassigned"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("creating: 2 sections, 1 indicators, 1 tasks"),
        "{out}"
    );
    assert!(out.contains("created plan "), "{out}");
}

#[test]
fn assess_prints_every_units_standing_as_of_a_date() {
    let dir = temp_dir();
    let out = luoshi(&dir).args(["demo", "--no-serve"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let assess = |as_of: &str| -> serde_json::Value {
        let out = luoshi(&dir)
            .args([
                "--database-url",
                &url,
                "assess",
                "--as-of",
                as_of,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let year_end = assess("2026-10-20");
    let results = year_end["results"].as_array().unwrap();
    let categories: Vec<&str> = results
        .iter()
        .map(|r| r["category"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["departments", "townships"]);
    for r in results {
        let sheets = r["sheets"].as_array().unwrap();
        assert!(!sheets.is_empty());
        // Ranks are 1..n in order; every sheet has a total, a grade and explained lines.
        for (i, s) in sheets.iter().enumerate() {
            assert_eq!(s["rank"].as_u64(), Some(i as u64 + 1));
            assert!(s["total"].as_str().is_some());
            assert!(!s["grade"].as_str().unwrap().is_empty());
            assert!(
                s["lines"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|l| l["key"].is_string())
            );
        }
    }
    // The same computation as of an earlier date gives the earlier standings: fewer tasks were
    // due and no evaluation had been entered, so the totals differ.
    let totals = |v: &serde_json::Value| -> Vec<String> {
        v["results"][1]["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| format!("{}={}", s["code"], s["total"]))
            .collect()
    };
    let spring = assess("2026-03-31");
    assert_ne!(totals(&spring), totals(&year_end));
    assert_eq!(
        totals(&assess("2026-03-31")),
        totals(&spring),
        "reproducible"
    );

    let out = luoshi(&dir)
        .args(["--database-url", &url, "assess", "--as-of", "2026-10-20"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("townships (2026-townships v1), as of 2026-10-20"),
        "{table}"
    );
    assert!(table.contains("rank  code"), "{table}");
}

#[test]
fn the_demo_assessment_has_a_spread_and_an_earlier_standing_stays_put() {
    let dir = temp_dir();
    let out = luoshi(&dir).args(["demo", "--no-serve"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let run = |args: &[&str]| -> String {
        let out = luoshi(&dir)
            .args(["--database-url", &url])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let assess = |as_of: &str| run(&["assess", "--as-of", as_of, "--format", "json"]);

    // As of the demo's "today" (20 October): grades spread, 优秀 within its quota, awards follow.
    let today: serde_json::Value = serde_json::from_str(&assess("2026-10-20")).unwrap();
    let townships = today["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rs| rs["category"] == "townships")
        .unwrap();
    let sheets = townships["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), 17);
    let count = |grade: &str| sheets.iter().filter(|s| s["grade"] == grade).count();
    // 30% of 17 townships, rounded down: 5 may be 优秀.
    assert_eq!(count("优秀"), 5);
    assert!(count("良好") > 0 && count("一般") > 0, "{sheets:?}");
    let awarded: Vec<&serde_json::Value> = sheets.iter().filter(|s| s["award"] == true).collect();
    assert_eq!(awarded.len(), 5);
    assert!(awarded.iter().all(|s| s["grade"] == "优秀"));
    // The vetoed township (五龙乡) is capped at 一般 whatever its total.
    let wulong = sheets.iter().find(|s| s["code"] == "wulong").unwrap();
    assert_eq!(
        (wulong["grade"].as_str(), wulong["vetoed"].as_bool()),
        (Some("一般"), Some(true))
    );
    // Cards from the sweep are on some sheet.
    assert!(
        today.to_string().contains("\"card.red\""),
        "no red card scored"
    );

    // Later data (the sweep of the following month ends) leave the June standing as it was.
    let june = assess("2026-06-30");
    assert_ne!(
        june,
        assess("2026-10-20"),
        "the standing moves over the year"
    );
    let mut swept = String::new();
    for day in ["2026-10-31", "2026-11-30"] {
        swept.push_str(&run(&["sweep", "--as-of", day]));
    }
    assert!(swept.contains("card_issued"), "{swept}");
    assert_eq!(assess("2026-06-30"), june);
}
