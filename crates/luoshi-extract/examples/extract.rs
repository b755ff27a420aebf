//! Prints the extraction of a file: `cargo run --example extract -- [--format table|json] FILE`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let table = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "table");
    let Some(path) = args
        .iter()
        .rev()
        .find(|a| !a.starts_with("--") && *a != "table" && *a != "json")
    else {
        eprintln!("usage: extract [--format table|json] FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let x = luoshi_extract::extract(&text);
    if table {
        print!("{}", luoshi_extract::to_table(&x));
    } else {
        match serde_json::to_string_pretty(&luoshi_extract::to_json(&x)) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("{e}"),
        }
    }
    ExitCode::SUCCESS
}
