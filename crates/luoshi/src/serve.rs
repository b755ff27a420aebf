//! Serving: first-run setup, the listener and graceful shutdown.

use anyhow::{Context, Result, bail};
use luoshi_app::{App, SystemClock};
use luoshi_domain::ids::RegionId;
use luoshi_domain::region::{Region, RegionCode};
use luoshi_store::Db;
use luoshi_web::WebConfig;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LUOSHI_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Region code (GB/T 2260) for a new database.
    #[arg(long, env = "LUOSHI_REGION_CODE")]
    region_code: Option<String>,
    /// Region name for a new database.
    #[arg(long, env = "LUOSHI_REGION_NAME")]
    region_name: Option<String>,
    /// Mark session cookies Secure (when served over HTTPS).
    #[arg(long, env = "LUOSHI_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Minutes between supervision sweeps (0: no background sweeper).
    #[arg(long, env = "LUOSHI_SWEEP_MINUTES", default_value_t = 15)]
    sweep_minutes: u64,
    /// File holding the 32-byte key that encrypts petitioners' personal data (64 hex digits or
    /// base64). Without a key, personal data can be neither written nor read.
    #[arg(long, env = "LUOSHI_PETITION_KEY_FILE")]
    petition_key_file: Option<std::path::PathBuf>,
    #[command(flatten)]
    deliver: crate::deliver::DeliverArgs,
}

/// The petition key from `--petition-key-file`, else from the `LUOSHI_PETITION_KEY` environment
/// variable (hex or base64), else none.
pub fn petition_key(file: Option<&std::path::Path>) -> Result<Option<luoshi_app::PetitionKey>> {
    let text = match file {
        Some(f) => std::fs::read_to_string(f)
            .with_context(|| format!("read petition key file {}", f.display()))?,
        None => match std::env::var("LUOSHI_PETITION_KEY") {
            Ok(v) if !v.trim().is_empty() => v,
            _ => return Ok(None),
        },
    };
    let key =
        luoshi_app::PetitionKey::parse(&text).map_err(|e| anyhow::anyhow!("petition key: {e}"))?;
    Ok(Some(key))
}

/// The demo's petition key: read from `path`, or generated there (owner-only) the first time.
pub fn demo_petition_key(path: &std::path::Path) -> Result<luoshi_app::PetitionKey> {
    if path.exists()
        && let Some(k) = petition_key(Some(path))?
    {
        return Ok(k);
    }
    let key = luoshi_app::PetitionKey::generate().map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(path, format!("{}\n", key.to_hex()))
        .with_context(|| format!("write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(key)
}

/// A random 16-character password from an unambiguous alphabet.
pub fn generate_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom(&mut bytes)?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

fn getrandom(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))
}

pub async fn serve_command(db: Db, args: &ServeArgs) -> Result<()> {
    let key = petition_key(args.petition_key_file.as_deref())?;
    if key.is_none() {
        eprintln!(
            "no petition key configured: petitioners' personal data cannot be written or read"
        );
    }
    let app = App::new(db, Arc::new(SystemClock)).with_petition_key(key);
    if !app.has_users().await? {
        let (Some(code), Some(name)) = (&args.region_code, &args.region_name) else {
            bail!(
                "this is a new database: give --region-code (GB/T 2260, e.g. 620503) and --region-name to set it up"
            );
        };
        let region = Region::new(
            RegionId::from_uuid(uuid::Uuid::now_v7()),
            RegionCode::parse("--region-code", code)?,
            name,
            None,
        )?;
        let password = match std::env::var("LUOSHI_ADMIN_PASSWORD") {
            Ok(p) if p.len() >= 8 => p,
            _ => generate_password()?,
        };
        let hash = luoshi_app::hash_password(&password)?;
        app.bootstrap_region(region, "admin", "系统管理员", &hash)
            .await?;
        println!("new database set up; sign in as \"admin\" with password: {password}");
        println!("(change it after signing in; it is not shown again)");
    }
    let sweeper = (args.sweep_minutes > 0).then(|| {
        crate::sweep::spawn_sweeper(
            app.clone(),
            std::time::Duration::from_secs(args.sweep_minutes * 60),
        )
    });
    // Separate tasks: a hanging mail server never holds up the sweeper (nor the other way round).
    let dispatcher = crate::deliver::spawn_dispatcher(&app, &args.deliver)?;
    let served = serve(
        app,
        &args.bind,
        WebConfig {
            secure_cookies: args.secure_cookies,
        },
    )
    .await;
    if let Some(s) = sweeper {
        s.abort();
    }
    if let Some(d) = dispatcher {
        d.abort();
    }
    served
}

pub async fn serve(app: App, bind: &str, config: WebConfig) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("listen on {bind}"))?;
    let addr = listener.local_addr()?;
    println!("luoshi listening on http://{addr}");
    let db = app.db().clone();
    let router = luoshi_web::router(app, config);
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    db.close().await;
    Ok(())
}
