//! Precision, recall and F1 per category, over the labelled development set
//! (`tests/data`) and, as a separate table, the held-out set (`tests/data/heldout`, texts
//! written after the rules and never tuned against sentence by sentence).
//!
//! `cargo run --example eval` (add `-- -v` to list misses and false alarms).

use luoshi_extract::{Figure, extract, normalize_text};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Default, Clone, Copy)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn add(&mut self, o: Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    fn prf(&self) -> (f64, f64, f64) {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn dec(v: &Value) -> Option<Decimal> {
    v.as_str()
        .and_then(|s| s.parse::<Decimal>().ok())
        .map(|d| d.normalize())
}

fn figure_matches(f: &Figure, label: &Value) -> bool {
    f.indicator == label["indicator"].as_str().unwrap_or_default()
        && f.value.map(|d| d.normalize()) == dec(&label["value"])
        && f.growth_pct.map(|d| d.normalize()) == dec(&label["growth"])
}

fn score_figures(name: &str, kind: &str, got: &[Figure], labels: &[Value], verbose: bool) -> Score {
    let mut used = vec![false; got.len()];
    let mut s = Score::default();
    for l in labels {
        match (0..got.len()).find(|&i| !used[i] && figure_matches(&got[i], l)) {
            Some(i) => {
                used[i] = true;
                s.tp += 1;
            }
            None => {
                s.fn_ += 1;
                if verbose {
                    println!("  MISS {name} {kind}: {l}");
                }
            }
        }
    }
    for (i, f) in got.iter().enumerate().filter(|(i, _)| !used[*i]) {
        s.fp += 1;
        if verbose {
            println!(
                "  FALSE {name} {kind} #{i}: {} {:?} {:?} | {}",
                f.indicator, f.value, f.growth_pct, f.text
            );
        }
    }
    s
}

fn score_tasks(name: &str, tasks: &[String], labels: &[Value], verbose: bool) -> Score {
    let texts: Vec<String> = tasks.iter().map(|t| normalize_text(t)).collect();
    let mut used = vec![false; texts.len()];
    let mut s = Score::default();
    for l in labels {
        let needle = normalize_text(l.as_str().unwrap_or_default());
        match (0..texts.len()).find(|&i| !used[i] && texts[i].contains(&needle)) {
            Some(i) => {
                used[i] = true;
                s.tp += 1;
            }
            None => {
                s.fn_ += 1;
                if verbose {
                    println!("  MISS {name} task: {needle}");
                }
            }
        }
    }
    for (i, t) in texts.iter().enumerate().filter(|(i, _)| !used[*i]) {
        s.fp += 1;
        if verbose {
            println!("  FALSE {name} task #{i}: {t}");
        }
    }
    s
}

#[path = "../../luoshi-testkit/src/seed.rs"]
mod seed;
use seed::find_seed_speech as find_seed;

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for (title, dir) in [
        ("development set (tests/data)", root.clone()),
        ("held-out set (tests/data/heldout)", root.join("heldout")),
    ] {
        println!("== {title}");
        evaluate(&dir, verbose);
        println!();
    }
}

/// Scores every labelled `*.json` in `dir` and prints per-document and total tables.
fn evaluate(dir: &Path, verbose: bool) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.retain(|p| p.extension().is_some_and(|e| e == "json"));
    entries.sort();
    let mut totals = [Score::default(); 3];
    println!(
        "{:<16} {:>14} {:>14} {:>14}",
        "document", "targets tp/fp/fn", "baselines", "tasks"
    );
    for path in entries {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let labels: Value = std::fs::read_to_string(&path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null);
        let text_path = if labels.get("source").is_some() {
            find_seed(Path::new(env!("CARGO_MANIFEST_DIR")))
        } else {
            Some(path.with_extension("txt"))
        };
        let Some(text) = text_path.and_then(|p| std::fs::read_to_string(p).ok()) else {
            println!("{name:<16} (text not found, skipped)");
            continue;
        };
        let x = extract(&text);
        let empty = Vec::new();
        let arr = |k: &str| labels[k].as_array().unwrap_or(&empty).clone();
        let t = score_figures(&name, "target", &x.targets, &arr("targets"), verbose);
        let b = score_figures(&name, "baseline", &x.baselines, &arr("baselines"), verbose);
        let tasks: Vec<String> = x.tasks.iter().map(|t| t.text.clone()).collect();
        let k = score_tasks(&name, &tasks, &arr("tasks"), verbose);
        println!(
            "{name:<16} {:>14} {:>14} {:>14}",
            format!("{}/{}/{}", t.tp, t.fp, t.fn_),
            format!("{}/{}/{}", b.tp, b.fp, b.fn_),
            format!("{}/{}/{}", k.tp, k.fp, k.fn_)
        );
        for (total, s) in totals.iter_mut().zip([t, b, k]) {
            total.add(s);
        }
    }
    println!();
    println!(
        "{:<10} {:>5} {:>5} {:>5} {:>9} {:>9} {:>9}",
        "category", "tp", "fp", "fn", "precision", "recall", "F1"
    );
    for (name, s) in ["targets", "baselines", "tasks"].iter().zip(totals) {
        let (p, r, f) = s.prf();
        println!(
            "{name:<10} {:>5} {:>5} {:>5} {p:>9.3} {r:>9.3} {f:>9.3}",
            s.tp, s.fp, s.fn_
        );
    }
}
