//! `luoshi sweep` and the server's background sweeper: evaluate every region as of a day and
//! record the supervision events that are new (each once, however often or wherever it runs).

use anyhow::{Context, Result};
use luoshi_app::{App, RecordedEvent, Sweeper};
use luoshi_domain::calendar::parse_date;
use luoshi_domain::region::Region;
use luoshi_store::supervision::event_detail;
use serde_json::{Value, json};
use std::time::Duration;
use time::Date;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepFormat {
    Json,
    Table,
}

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// The day to evaluate (YYYY-MM-DD); default today (UTC).
    #[arg(long)]
    as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    format: SweepFormat,
}

/// Sweep every region; returns the new events of each.
pub async fn sweep_all(app: &App, as_of: Date) -> Result<Vec<(Region, Vec<RecordedEvent>)>> {
    let regions = luoshi_store::regions::list(app.db()).await?;
    let mut out = Vec::with_capacity(regions.len());
    // A few regions at a time (one per core); their writes still queue on the one writer.
    let work = |r: &Region| {
        let (app, id, code) = (app.clone(), r.id, r.code.as_str().to_owned());
        async move {
            app.sweep(Sweeper::System(id), as_of)
                .await
                .with_context(|| format!("sweep region {code}"))
        }
    };
    crate::par::ordered(regions, crate::par::width(), work, |r, events| {
        out.push((r, events));
        Ok(())
    })
    .await?;
    Ok(out)
}

/// Publish, in every region, the bulletins whose day has come and that are not yet published
/// (each once, however often this runs; see `App::publish_scheduled_bulletins`).
pub async fn publish_due_bulletins(app: &App, today: Date) -> Result<usize> {
    let mut n = 0;
    for r in luoshi_store::regions::list(app.db()).await? {
        n += app
            .publish_scheduled_bulletins(r.id, today)
            .await
            .with_context(|| format!("bulletins of region {}", r.code.as_str()))?
            .len();
    }
    Ok(n)
}

fn event_json(region: &Region, e: &RecordedEvent) -> Value {
    let ev = &e.event;
    json!({
        "id": e.id.to_string(),
        "region": region.code.as_str(),
        "kind": ev.kind.name(),
        "subject": ev.subject.to_string(),
        "unit_id": ev.unit.to_string(),
        "occurred_on": ev.occurred_on.to_string(),
        "dedup_key": ev.dedup_key,
        "detail": event_detail(ev),
    })
}

/// The output of `luoshi sweep`.
pub fn render(found: &[(Region, Vec<RecordedEvent>)], format: SweepFormat) -> Result<String> {
    Ok(match format {
        SweepFormat::Json => {
            let all: Vec<Value> = found
                .iter()
                .flat_map(|(r, es)| es.iter().map(move |e| event_json(r, e)))
                .collect();
            serde_json::to_string_pretty(&all)? + "\n"
        }
        SweepFormat::Table => {
            let mut s = String::new();
            let mut n = 0;
            for (r, es) in found {
                for e in es {
                    let ev = &e.event;
                    s.push_str(&format!(
                        "{}\t{}\t{}\t{}\t{}\n",
                        r.code.as_str(),
                        ev.occurred_on,
                        ev.kind.name(),
                        ev.dedup_key,
                        ev.detail
                    ));
                    n += 1;
                }
            }
            s.push_str(&format!("{n} new events\n"));
            s
        }
    })
}

pub async fn sweep_command(app: &App, args: &SweepArgs) -> Result<()> {
    let as_of = match &args.as_of {
        Some(s) => parse_date("--as-of", s)?,
        None => app.today(),
    };
    let found = sweep_all(app, as_of).await?;
    print!("{}", render(&found, args.format)?);
    Ok(())
}

/// Sweep every `every` (as of the app clock's day) until the process ends. Failures are logged
/// and retried at the next tick; they never stop the server.
pub fn spawn_sweeper(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sweep_all(&app, app.today()).await {
                Ok(found) => {
                    let n: usize = found.iter().map(|(_, e)| e.len()).sum();
                    if n > 0 {
                        tracing::info!(events = n, "supervision sweep recorded new events");
                    }
                }
                Err(e) => tracing::warn!(error = format!("{e:#}"), "supervision sweep failed"),
            }
            match publish_due_bulletins(&app, app.today()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(bulletins = n, "scheduled bulletins published"),
                Err(e) => tracing::warn!(error = format!("{e:#}"), "bulletin publishing failed"),
            }
        }
    })
}
