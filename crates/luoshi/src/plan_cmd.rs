//! `luoshi plan from-text`: the review screen's path for scripts. The text is extracted and
//! proposed as a plan exactly as on the page; what a reviewer would settle by hand is settled by
//! flags (a default lead unit, dropping unassigned tasks); then the plan is created in one
//! transaction, or nothing is.

use anyhow::{Context, Result, bail};
use luoshi_app::{App, PlanDraft};
use luoshi_domain::calendar::parse_date;
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum PlanCommand {
    /// Create a plan from a speech or work report (UTF-8 or GB18030): its indicators, sections
    /// and tasks, with the lead unit a task names, or --default-unit.
    FromText(FromTextArgs),
}

#[derive(clap::Args, Debug)]
pub struct FromTextArgs {
    /// The text file to read.
    file: PathBuf,
    /// The plan's year.
    #[arg(long)]
    year: i32,
    /// The plan's title.
    #[arg(long)]
    title: String,
    /// Unit code that leads every task whose text names no unit.
    #[arg(long)]
    default_unit: Option<String>,
    /// Leave out tasks whose text names no unit (instead of refusing the plan).
    #[arg(long)]
    skip_unassigned: bool,
    /// Deadline (YYYY-MM-DD) for tasks whose text gives none (default: the year's last day).
    #[arg(long)]
    default_deadline: Option<String>,
    /// Create the tasks as drafts rather than assigning them at once.
    #[arg(long)]
    draft: bool,
    /// Show what would be created, and create nothing.
    #[arg(long)]
    dry_run: bool,
    /// Region code when the database holds several regions.
    #[arg(long)]
    region: Option<String>,
}

pub async fn run(app: &App, cmd: &PlanCommand) -> Result<()> {
    let PlanCommand::FromText(a) = cmd;
    let actor = crate::region_actor(app, a.region.as_deref()).await?;
    let bytes = std::fs::read(&a.file).with_context(|| format!("read {}", a.file.display()))?;
    let text = luoshi_extract::decode(&bytes);
    if text.trim().is_empty() {
        bail!(
            "{} is empty: there is nothing to make a plan from",
            a.file.display()
        );
    }
    let (_, mut draft) = app.propose_plan(&actor, &text, a.year, &a.title).await?;
    let default_unit = match &a.default_unit {
        Some(code) => Some(
            app.unit_by_code(&actor, code)
                .await?
                .with_context(|| format!("no unit with code {code}"))?
                .id,
        ),
        None => None,
    };
    let default_deadline = match &a.default_deadline {
        Some(d) => parse_date("--default-deadline", d)?,
        None => luoshi_domain::calendar::month_end(a.year, 12),
    };
    settle(
        &mut draft,
        default_unit,
        a.skip_unassigned,
        default_deadline,
    )?;
    println!(
        "{}: {} sections, {} indicators, {} tasks",
        if a.dry_run {
            "would create"
        } else {
            "creating"
        },
        draft.sections.len(),
        draft.indicators.len(),
        draft.tasks.len()
    );
    for (i, t) in draft.tasks.iter().enumerate() {
        let unit = match t.lead_unit {
            Some(u) => app.get_unit(&actor, u).await?.0.name,
            None => String::new(),
        };
        let deadline = t.deadline.map(|d| d.to_string()).unwrap_or_default();
        println!("  task {i}: {unit} · {deadline} · {}", t.title);
    }
    if a.dry_run {
        return Ok(());
    }
    let created = app.create_plan_from_draft(&actor, draft, !a.draft).await?;
    println!("created plan {}", created.plan);
    Ok(())
}

/// Give unassigned tasks the default unit (or drop them, or refuse naming each), and undated
/// tasks the default deadline.
fn settle(
    draft: &mut PlanDraft,
    default_unit: Option<luoshi_domain::ids::UnitId>,
    skip_unassigned: bool,
    default_deadline: time::Date,
) -> Result<()> {
    let mut missing = Vec::new();
    for (i, t) in draft.tasks.iter_mut().enumerate() {
        t.deadline = t.deadline.or(Some(default_deadline));
        if t.lead_unit.is_none() {
            t.lead_unit = default_unit;
        }
        if t.lead_unit.is_none() && !skip_unassigned {
            missing.push(format!(
                "tasks[{i}].lead_unit_id: the text names no unit: {}",
                t.title
            ));
        }
    }
    if !missing.is_empty() {
        bail!(
            "{} task(s) have no lead unit (pass --default-unit CODE or --skip-unassigned):\n{}",
            missing.len(),
            missing.join("\n")
        );
    }
    draft.tasks.retain(|t| t.lead_unit.is_some());
    Ok(())
}
