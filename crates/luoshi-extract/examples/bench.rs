//! Throughput: `cargo run --release --example bench` extracts from the development
//! texts repeated to about 24 MB and reports MB/s.

use std::path::Path;
use std::time::Instant;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut corpus = String::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "txt"));
    entries.sort();
    for p in entries {
        corpus.push_str(&std::fs::read_to_string(p).unwrap_or_default());
        corpus.push('\n');
    }
    if corpus.trim().is_empty() {
        eprintln!("no development texts found in {}", dir.display());
        return;
    }
    let target = std::env::var("BENCH_MB")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(24)
        * 1024
        * 1024;
    let mut input = String::with_capacity(target + corpus.len());
    while input.len() < target {
        input.push_str(&corpus);
    }
    let mb = input.len() as f64 / (1024.0 * 1024.0);
    let mut best = f64::MAX;
    let mut counts = (0, 0, 0);
    for _ in 0..3 {
        let start = Instant::now();
        let x = luoshi_extract::extract(&input);
        best = best.min(start.elapsed().as_secs_f64());
        counts = (
            x.targets.len() + x.baselines.len(),
            x.tasks.len(),
            x.diagnostics.len(),
        );
    }
    println!(
        "input {mb:.1} MB: best of 3 {best:.3} s = {:.1} MB/s ({} figures, {} tasks, {} diagnostics)",
        mb / best,
        counts.0,
        counts.1,
        counts.2
    );
    let one_char = "镇".repeat(3_500_000);
    let start = Instant::now();
    let _ = luoshi_extract::extract(&one_char);
    let secs = start.elapsed().as_secs_f64();
    let mb = one_char.len() as f64 / (1024.0 * 1024.0);
    println!(
        "adversarial: {mb:.1} MB of one character in {secs:.3} s = {:.1} MB/s",
        mb / secs
    );
}
