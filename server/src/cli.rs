//! The `ordet` command line: `ordet` or `ordet serve` starts the server, `ordet demo` adds an
//! example plan first; every option can
//! also be given as an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::demo::{DemoLinks, store_demo};
use crate::http::{self, Config, web_app_built};
use crate::store::Store;

/// Ordet: live dialogue conferences where everyone gets the floor.
#[derive(Parser, Debug)]
#[command(name = "ordet", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<CliCommand>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand, Debug)]
enum CliCommand {
    /// Start the server (the default when no command is given).
    Serve(ServeArgs),
    /// Add a finished example plan (an open school meeting) to the data folder, print its
    /// links, and start the server.
    Demo(ServeArgs),
}

/// Options for `ordet serve`.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on. 0.0.0.0 lets phones on the same network connect;
    /// 127.0.0.1 keeps Ordet to this computer.
    #[arg(long, env = "ORDET_ADDR", default_value = "0.0.0.0:8080")]
    addr: SocketAddr,
    /// Folder for Ordet's database file (ordet.sqlite3). Created if missing.
    #[arg(long, env = "ORDET_DATA", default_value = "ordet-data")]
    data: PathBuf,
    /// The address phones should open, e.g. https://ordet.example.no, if the detected
    /// network address is not the right one (behind a proxy, or with a DNS name).
    #[arg(long, env = "ORDET_PUBLIC_URL")]
    public_url: Option<String>,
    /// Another web address whose pages may connect, e.g. https://ordet.example.no when a proxy
    /// serves Ordet under that name. This server's own pages always may. Repeat, or separate
    /// with commas.
    #[arg(
        long = "allow-origin",
        env = "ORDET_ALLOW_ORIGINS",
        value_delimiter = ','
    )]
    allow_origins: Vec<String>,
    /// The address of a reverse proxy in front of Ordet (nginx, Caddy...), whose
    /// X-Forwarded-For header then tells which address a request came from, so that limits
    /// per address count each client rather than the proxy. Repeat, or separate with commas.
    #[arg(
        long = "trusted-proxy",
        env = "ORDET_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = proxy_address
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Require this password to create conferences (for a server reachable from the
    /// internet). Without it, anyone who can open the start page can create one.
    /// (A password given here shows in the process list; prefer --organiser-password-file or
    /// the environment variable.)
    #[arg(long, env = "ORDET_ORGANISER_PASSWORD", hide_env_values = true)]
    organiser_password: Option<String>,
    /// Read the organiser password from this file (its first line), so that it shows
    /// neither in the process list nor in the environment.
    #[arg(
        long,
        env = "ORDET_ORGANISER_PASSWORD_FILE",
        conflicts_with = "organiser_password"
    )]
    organiser_password_file: Option<PathBuf>,
    /// Most connections open at once, websockets included. Lowered at start to fit under the
    /// system's limit on open files (which Ordet raises as far as the system allows).
    #[arg(long, env = "ORDET_MAX_CONNECTIONS", default_value_t = http::DEFAULT_MAX_CONNECTIONS)]
    max_connections: usize,
    /// New participants one network address may bring in per minute (default 300: all at
    /// once, then 5 a second). Raise it for a big hall whose phones all reach Ordet through
    /// one shared address.
    #[arg(long, env = "ORDET_JOINS_PER_MINUTE_PER_ADDRESS")]
    joins_per_minute_per_address: Option<u32>,
    /// New participants one conference takes per minute (default: 1,000 at once, then 20 a
    /// second).
    #[arg(long, env = "ORDET_JOINS_PER_MINUTE_PER_CONFERENCE")]
    joins_per_minute_per_conference: Option<u32>,
    /// Delete conferences (with all their notes, votes and history) this many days after
    /// their last change; 0 keeps them until deleted by hand.
    #[arg(long, env = "ORDET_RETENTION_DAYS", default_value_t = http::DEFAULT_RETENTION_DAYS)]
    retention_days: u32,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let (args, demo) = match cli.command {
        Some(CliCommand::Serve(args)) => (args, false),
        Some(CliCommand::Demo(args)) => (args, true),
        None => (cli.serve, false),
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ORDET_LOG")
                .unwrap_or_else(|_| "ordet_server=info,warn".into()),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("ordet: could not start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(args, demo))
}

/// Stores the demo plan in the data folder before the server opens it.
async fn create_demo(data: &std::path::Path) -> Result<DemoLinks, String> {
    std::fs::create_dir_all(data)
        .map_err(|e| format!("could not create {}: {e}", data.display()))?;
    let store = Store::open(&data.join(http::DATABASE_FILE)).map_err(|e| e.to_string())?;
    store_demo(&store, crate::clock::now_ms())
        .await
        .map_err(|e| format!("could not store the demo: {e}"))
}

async fn serve(args: ServeArgs, demo: bool) -> std::process::ExitCode {
    let demo = if demo {
        match create_demo(&args.data).await {
            Ok(links) => Some(links),
            Err(e) => {
                eprintln!("ordet: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let organiser_password = match &args.organiser_password_file {
        Some(file) => match read_password_file(file) {
            Ok(password) => Some(password),
            Err(e) => {
                eprintln!("ordet: {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
        None => args.organiser_password,
    };
    let config = Config {
        public_url: args.public_url,
        allowed_origins: args.allow_origins,
        trusted_proxies: args.trusted_proxies,
        organiser_password,
        retention_days: args.retention_days,
        max_connections: args.max_connections,
        joins_per_address: args
            .joins_per_minute_per_address
            .map_or(http::joins::PER_ADDRESS, per_minute),
        joins_per_conference: args
            .joins_per_minute_per_conference
            .map_or(http::joins::PER_CONFERENCE, per_minute),
        ..Config::new(args.addr, args.data)
    };
    let server = match http::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("ordet: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    say("Ordet is running.");
    let local = server.urls.last().cloned().unwrap_or_default();
    say(&format!("  Facilitator, on this computer:  {local}/"));
    for url in server.urls.iter().filter(|u| **u != local) {
        say(&format!("  Phones on the same network:     {url}/j"));
    }
    let data = server.database.display();
    say(&format!("  Data:                           {data}"));
    if let Some(demo) = &demo {
        say("The example plan is ready. Keep these links to yourself; they carry the keys:");
        say(&format!(
            "  Console of the meeting:         {local}{}",
            demo.console_path
        ));
        say(&format!(
            "  The plan and its documents:     {local}{}",
            demo.plan_path
        ));
        say(&format!(
            "  Projector:                      {local}{}",
            demo.screen_path
        ));
        say(&format!(
            "  Join code (still open):         {}",
            demo.join_code
        ));
    }
    if !web_app_built() {
        say("  Note: built without the browser app; use `cargo xtask start`.");
    }
    say("Stop with Ctrl+C.");
    let stop = server.shutdown_signal();
    tokio::spawn(async move {
        shutdown_requested().await;
        say("Stopping: closing connections…");
        let _ = stop.send(true);
    });
    match server.wait().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ordet: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Prints a line for the operator. A closed standard output (say, a service manager that
/// stopped reading) must not take the server down, so write errors are ignored.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn shutdown_requested() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// A pace of `n` a minute as a token bucket: `n` at once, then `n / 60` a second.
fn per_minute(n: u32) -> (u32, f64) {
    (n.max(1), f64::from(n.max(1)) / 60.0)
}

/// The organiser password from the first line of `file` (a final line break and surrounding
/// spaces are not part of it); an error in plain words if it cannot be read or is empty.
fn read_password_file(file: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        format!(
            "could not read the organiser password from {}: {e}",
            file.display()
        )
    })?;
    let password = text.lines().next().unwrap_or_default().trim();
    if password.is_empty() {
        return Err(format!(
            "the organiser password file {} is empty",
            file.display()
        ));
    }
    Ok(password.to_string())
}

/// Reads a `--trusted-proxy` address, allowing spaces after commas.
fn proxy_address(text: &str) -> Result<std::net::IpAddr, String> {
    http::guard::parse_address(text).ok_or_else(|| format!("not a network address: {text:?}"))
}
