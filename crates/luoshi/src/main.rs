//! The `luoshi` binary: command line, configuration, wiring and the server loop. Thin: every
//! rule lives in `luoshi-domain`, every use case in `luoshi-app`.

mod assess_cmd;
mod deliver;
mod demo;
mod import;
mod par;
mod plan_cmd;
mod serve;
mod sweep;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use luoshi_app::{App, SystemClock};
use luoshi_store::Db;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "luoshi",
    version,
    about = "落实: turn a district's annual work plan into accountable, tracked, scored work"
)]
struct Cli {
    /// Directory for the SQLite database and other files.
    #[arg(long, global = true, env = "LUOSHI_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (default: SQLite in the data dir).
    #[arg(long, global = true, env = "LUOSHI_DATABASE_URL", alias = "database")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application and the JSON API.
    Serve(serve::ServeArgs),
    /// Build a demo district (from the founding speech) and serve it.
    Demo(DemoArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent copy of the live SQLite database to FILE.
    Backup {
        /// Where to write the copy (must not exist).
        file: PathBuf,
    },
    /// Plans: create one from a speech or work report.
    #[command(subcommand)]
    Plan(plan_cmd::PlanCommand),
    /// Print the OpenAPI document of the JSON API.
    Openapi,
    /// Import data from spreadsheets.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Evaluate every task as of a day and print the supervision events it recorded (new ones
    /// only: a second run prints none).
    Sweep(sweep::SweepArgs),
    /// Score every unit as of a date: total, rank within its category, grade and award.
    Assess {
        /// The date to assess as of (YYYY-MM-DD).
        #[arg(long)]
        as_of: String,
        #[arg(long, value_enum, default_value_t = assess_cmd::AssessFormat::Table)]
        format: assess_cmd::AssessFormat,
        /// The region's code, when the database holds several (`all`: every region).
        #[arg(long)]
        region: Option<String>,
    },
    /// Extract a draft plan (targets, baselines, sections, tasks, diagnostics) from a speech or
    /// work report in UTF-8 or GB18030.
    Extract {
        /// The text file to read.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
        format: ExtractFormat,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ExtractFormat {
    Json,
    Table,
}

#[derive(clap::Args, Debug)]
struct DemoArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Multiply tasks and progress reports by N (benchmarks).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    scale: u32,
    /// Repeat the district K times under one city (a province is ~100).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=2_000))]
    districts: u32,
    /// Only build the demo database; do not serve it.
    #[arg(long)]
    no_serve: bool,
    /// The demo's pinned "today" (YYYY-MM-DD).
    #[arg(long, default_value = "2026-10-20")]
    today: String,
    /// Progress reports per task and month (default: about one a quarter; benchmarks use more).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=25))]
    reports_per_month: u8,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Add a user.
    Add {
        #[arg(long)]
        username: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// admin, leader, supervisor, unit_manager, reporter or viewer.
        #[arg(long)]
        role: String,
        /// Unit code for unit-scoped roles.
        #[arg(long)]
        unit: Option<String>,
        /// Region code when the database holds several regions.
        #[arg(long)]
        region: Option<String>,
        /// Read the password from standard input (otherwise one is generated and printed).
        #[arg(long)]
        password_stdin: bool,
    },
}

fn database_url(cli: &Cli, file: &str) -> Result<String> {
    if let Some(u) = &cli.database_url {
        return Ok(u.clone());
    }
    std::fs::create_dir_all(&cli.data_dir)
        .with_context(|| format!("create data directory {}", cli.data_dir.display()))?;
    Ok(format!("sqlite://{}", cli.data_dir.join(file).display()))
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LUOSHI_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(run(cli))
}

async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Serve(args) => {
            let db = Db::connect(&database_url(&cli, "luoshi.db")?)
                .await
                .context("open database")?;
            serve::serve_command(db, args).await
        }
        Command::Demo(args) => run_demo(&cli, args).await,
        Command::Migrate => {
            Db::connect(&database_url(&cli, "luoshi.db")?)
                .await
                .context("migrate database")?;
            println!("migrations applied");
            Ok(())
        }
        Command::User(UserCommand::Add {
            username,
            name,
            role,
            unit,
            region,
            password_stdin,
        }) => {
            let db = Db::connect(&database_url(&cli, "luoshi.db")?).await?;
            add_user(
                db,
                username,
                name,
                role,
                unit.as_deref(),
                region.as_deref(),
                *password_stdin,
            )
            .await
        }
        Command::Backup { file } => {
            if file.exists() {
                bail!("{} already exists", file.display());
            }
            let db = Db::connect(&database_url(&cli, "luoshi.db")?).await?;
            db.backup_sqlite(&file.to_string_lossy())
                .await
                .context("backup")?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::Extract { file, format } => {
            let bytes = std::fs::read(file).with_context(|| format!("read {}", file.display()))?;
            let text = luoshi_extract::decode(&bytes);
            let x = luoshi_extract::extract(&text);
            match format {
                ExtractFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&luoshi_extract::to_json(&x))?
                ),
                ExtractFormat::Table => print!("{}", luoshi_extract::to_table(&x)),
            }
            Ok(())
        }
        Command::Plan(cmd) => {
            let db = Db::connect(&database_url(&cli, "luoshi.db")?).await?;
            let app = App::new(db, Arc::new(SystemClock));
            plan_cmd::run(&app, cmd).await
        }
        Command::Import(cmd) => {
            let db = Db::connect(&database_url(&cli, "luoshi.db")?).await?;
            import::run(db, cmd).await
        }
        Command::Assess {
            as_of,
            format,
            region,
        } => {
            let db = Db::connect(&database_url(&cli, "luoshi.db")?).await?;
            assess_cmd::run(db, as_of, *format, region.as_deref()).await
        }
        Command::Openapi => {
            println!("{}", luoshi_web::openapi_document());
            Ok(())
        }
        Command::Sweep(args) => {
            let db = Db::connect(&database_url(&cli, "luoshi.db")?).await?;
            let app = App::new(db.clone(), Arc::new(SystemClock));
            let result = sweep::sweep_command(&app, args).await;
            db.close().await;
            result
        }
    }
}

async fn run_demo(cli: &Cli, args: &DemoArgs) -> Result<()> {
    let today = luoshi_domain::calendar::parse_date("--today", &args.today)?;
    let url = match &cli.database_url {
        Some(u) => u.clone(),
        None => {
            // The demo always starts from scratch, in its own file.
            let url = database_url(cli, "demo.db")?;
            for suffix in ["", "-wal", "-shm"] {
                let f = cli.data_dir.join(format!("demo.db{suffix}"));
                if f.exists() {
                    std::fs::remove_file(&f)
                        .with_context(|| format!("remove old demo database {}", f.display()))?;
                }
            }
            url
        }
    };
    let db = Db::connect(&url).await.context("open demo database")?;
    let probe = App::new(db.clone(), Arc::new(SystemClock));
    if !probe.regions().await?.is_empty() {
        bail!("the demo needs an empty database; {url} already holds data");
    }
    let started = std::time::Instant::now();
    let key = serve::demo_petition_key(&cli.data_dir.join("demo-petition.key"))?;
    let opts = demo::DemoOptions {
        scale: args.scale,
        districts: args.districts,
        today,
        reports_per_month: args.reports_per_month,
        petition_key: Some(key.clone()),
    };
    let info = demo::build(&db, &opts).await?;
    eprintln!(
        "demo built in {:.1}s: {} district(s), {} tasks, {} progress reports, today pinned to {today}",
        started.elapsed().as_secs_f64(),
        args.districts,
        info.tasks,
        info.reports
    );
    if args.no_serve {
        db.close().await;
        return Ok(());
    }
    let clock = Arc::new(luoshi_app::ShiftedClock::starting_at(demo::at(today, 3)));
    let app = App::new(db, clock).with_petition_key(Some(key));
    println!("demo accounts (password \"{}\"):", demo::DEMO_PASSWORD);
    for (user, what) in &info.accounts {
        println!("  {user:<16} {what}");
    }
    serve::serve(
        app,
        &format!("127.0.0.1:{}", args.port),
        luoshi_web::WebConfig::default(),
    )
    .await
}

/// The system actor of the region an operator command works on: the only one, or `--region`.
async fn region_actor(app: &App, region: Option<&str>) -> Result<luoshi_app::Actor> {
    let regions = app.regions().await?;
    let region = match (region, regions.as_slice()) {
        (Some(code), _) => regions
            .iter()
            .find(|r| r.code.as_str() == code)
            .with_context(|| format!("no region with code {code}"))?,
        (None, [only]) => only,
        (None, []) => bail!("the database has no region yet: run `luoshi serve` once to set it up"),
        (None, _) => bail!("the database holds several regions: pass --region CODE"),
    };
    Ok(App::system_actor(region.id))
}

async fn add_user(
    db: Db,
    username: &str,
    name: &str,
    role: &str,
    unit: Option<&str>,
    region: Option<&str>,
    stdin: bool,
) -> Result<()> {
    use luoshi_domain::authz::{Grant, Role};
    let app = App::new(db, Arc::new(SystemClock));
    let actor = region_actor(&app, region).await?;
    let role = Role::parse(role).with_context(|| format!("unknown role {role}"))?;
    let unit = match unit {
        Some(code) => Some(
            app.unit_by_code(&actor, code)
                .await?
                .with_context(|| format!("no unit with code {code}"))?
                .id,
        ),
        None => None,
    };
    let password = if stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        serve::generate_password()?
    };
    let grants = vec![Grant::new(role, unit)?];
    let new = luoshi_app::NewUser {
        username: username.into(),
        display_name: name.into(),
        password: password.clone(),
        language: "zh-Hans".into(),
        grants,
    };
    let (u, _) = app.create_user(&actor, new).await?;
    println!("created user {}", u.username);
    if !stdin {
        println!("password: {password}");
    }
    Ok(())
}
