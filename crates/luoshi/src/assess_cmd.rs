//! `luoshi assess --as-of DATE`: every unit's total, rank within its category, grade and award,
//! computed from the record as of that date (nothing is published).

use anyhow::{Context, Result, bail};
use luoshi_app::{App, SystemClock, result_set_json};
use luoshi_domain::assess::ResultSet;
use luoshi_domain::region::Region;
use luoshi_store::Db;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssessFormat {
    Json,
    Table,
}

pub async fn run(db: Db, as_of: &str, format: AssessFormat, region: Option<&str>) -> Result<()> {
    let as_of = luoshi_domain::calendar::parse_date("--as-of", as_of)?;
    let app = App::new(db, Arc::new(SystemClock));
    let regions = app.regions().await?;
    let chosen: Vec<&Region> = match (region, regions.as_slice()) {
        (Some("all"), _) => regions.iter().collect(),
        (Some(code), _) => vec![
            regions
                .iter()
                .find(|r| r.code.as_str() == code)
                .with_context(|| format!("no region with code {code}"))?,
        ],
        (None, [only]) => vec![only],
        (None, []) => bail!("the database has no region yet"),
        (None, _) => bail!("the database holds several regions: pass --region CODE (or all)"),
    };
    if chosen.is_empty() {
        bail!("the database has no region yet");
    }
    // Each region is printed as soon as it is scored, so a province never sits in memory at once.
    // One region prints its object; several print an array of them.
    let many = chosen.len() > 1;
    let mut out = std::io::stdout().lock();
    if many && format == AssessFormat::Json {
        writeln!(out, "[")?;
    }
    let chosen: Vec<(usize, Region)> = chosen.into_iter().cloned().enumerate().collect();
    let work = |(_, region): &(usize, Region)| {
        let (app, id) = (app.clone(), region.id);
        async move { Ok(app.assess(&App::system_actor(id), as_of).await?) }
    };
    let print = |(n, region): (usize, Region), sets: Vec<ResultSet>| -> Result<()> {
        if sets.is_empty() {
            bail!(
                "no assessment scheme is stored for region {}",
                region.code.as_str()
            );
        }
        match format {
            AssessFormat::Json => {
                let body = serde_json::json!({
                    "region": region.code.as_str(),
                    "as_of": as_of.to_string(),
                    "results": sets.iter().map(result_set_json).collect::<Vec<_>>(),
                });
                let sep = if many && n > 0 { ",\n" } else { "" };
                write!(out, "{sep}{}", serde_json::to_string_pretty(&body)?)?;
            }
            AssessFormat::Table => {
                if many {
                    writeln!(out, "region {}", region.code.as_str())?;
                }
                write!(out, "{}", table(&sets))?;
            }
        }
        Ok(())
    };
    // Regions are scored a few at a time (one per core) and printed in order.
    crate::par::ordered(chosen, crate::par::width(), work, print).await?;
    if format == AssessFormat::Json {
        writeln!(out, "{}", if many { "\n]" } else { "" })?;
    }
    Ok(())
}

/// One block per category: rank, unit code, total, percent, grade, award, name.
pub fn table(sets: &[ResultSet]) -> String {
    let mut out = String::new();
    for rs in sets {
        let _ = writeln!(
            out,
            "{} ({} v{}), as of {}, full points {}",
            rs.category,
            rs.scheme_id,
            rs.scheme_version,
            rs.as_of,
            rs.full_points.normalize()
        );
        let _ = writeln!(
            out,
            "{:>4}  {:<12} {:>9} {:>7}  {:<4}  {:<6}  name",
            "rank", "code", "total", "%", "grade", "award"
        );
        for s in &rs.sheets {
            let award = if s.award { rs.award_name.as_str() } else { "" };
            let _ = writeln!(
                out,
                "{:>4}  {:<12} {:>9.2} {:>7.2}  {:<4}  {:<6}  {}",
                s.rank, s.code, s.total, s.percent, s.grade, award, s.name
            );
        }
        out.push('\n');
    }
    out
}
