//! `luoshi import tasks|projects FILE --plan PLAN`: a task table or a key-project list (XLSX or
//! CSV) into a plan, all rows or none, as the region's operator.

use anyhow::{Context, Result, bail};
use luoshi_app::{App, SystemClock};
use luoshi_store::Db;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Subcommand, Debug)]
pub enum ImportCommand {
    /// Import a task table (序号, 任务, 牵头单位, 配合单位, 分管领导, 责任人, 完成时限, 分值 …) from
    /// XLSX or CSV (UTF-8 or GB18030) into a plan. Rows update the tasks with the same 序号.
    Tasks {
        /// The .xlsx or .csv file.
        file: PathBuf,
        /// The plan's id or exact title.
        #[arg(long)]
        plan: String,
        /// Region code when the database holds several regions.
        #[arg(long)]
        region: Option<String>,
        /// Check everything and report what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import a key-project list (项目名称, 园区, 责任单位, 总投资, 年度计划投资, 计划开工 …) from
    /// XLSX or CSV into a plan. Rows update the plan's projects with the same name.
    Projects {
        /// The .xlsx or .csv file.
        file: PathBuf,
        /// The plan's id or exact title.
        #[arg(long)]
        plan: String,
        /// Region code when the database holds several regions.
        #[arg(long)]
        region: Option<String>,
        /// Check everything and report what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run(db: Db, cmd: &ImportCommand) -> Result<()> {
    let (ImportCommand::Tasks {
        file,
        plan,
        region,
        dry_run,
    }
    | ImportCommand::Projects {
        file,
        plan,
        region,
        dry_run,
    }) = cmd;
    let bytes = std::fs::read(file).with_context(|| format!("read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let sheet = luoshi_app::read_sheet(name.as_deref().unwrap_or(""), &bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let app = App::new(db, Arc::new(SystemClock));
    let regions = app.regions().await?;
    let region = match (region.as_deref(), regions.as_slice()) {
        (Some(code), _) => regions
            .iter()
            .find(|r| r.code.as_str() == code)
            .with_context(|| format!("no region with code {code}"))?,
        (None, [only]) => only,
        (None, []) => bail!("the database has no region yet: run `luoshi serve` once to set it up"),
        (None, _) => bail!("the database holds several regions: pass --region CODE"),
    };
    let actor = App::system_actor(region.id);
    let plan = app
        .find_plan(&actor, plan)
        .await
        .with_context(|| format!("plan {plan:?}"))?;
    let out = match cmd {
        ImportCommand::Tasks { .. } => app.import_tasks(&actor, plan.id, &sheet, *dry_run).await?,
        ImportCommand::Projects { .. } => {
            app.import_projects(&actor, plan.id, &sheet, *dry_run)
                .await?
        }
    };
    if !out.is_ok() {
        for e in &out.errors {
            println!("row {}, column {}: {}", e.row, e.column, e.message);
        }
        bail!(
            "{}: {} error(s); nothing was imported",
            file.display(),
            out.errors.len()
        );
    }
    println!(
        "{}{}: {} created, {} updated, {} unchanged",
        if *dry_run {
            "dry run, nothing written; "
        } else {
            ""
        },
        plan.title,
        out.created,
        out.updated,
        out.unchanged
    );
    Ok(())
}
