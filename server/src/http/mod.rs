//! The HTTP side of Ordet: the JSON API, the websocket endpoint, the embedded browser app,
//! and the security headers every answer carries. [`start`] binds and serves; it is what
//! `ordet serve` runs and what the tests start on port 0.

mod accept;
mod api;
mod assets;
pub(crate) mod guard;
pub mod joins;
mod plans;
mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post};
use ordet_shared::limits;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::net::reachable_urls;
use crate::registry::Registry;
use crate::store::{Store, StoreError};

pub use assets::web_app_built;
pub use ws::SEND_TIMEOUT;

/// How Ordet is started.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address and port to listen on; port 0 picks a free one.
    pub addr: SocketAddr,
    /// Folder for the database file (created if missing).
    pub data_dir: PathBuf,
    /// The address phones should open, if the detected one is wrong (behind a proxy, say).
    pub public_url: Option<String>,
    /// Web origins besides this server's own that may open websockets (exact, such as
    /// `https://ordet.example.no`).
    pub allowed_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` says who the client is (see `guard`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Websocket messages one address may send over all its connections: a burst, and a
    /// steady rate per second ([`MESSAGES`] unless changed).
    pub messages_per_address: (u32, f64),
    /// When set, creating a conference needs this password.
    pub organiser_password: Option<String>,
    /// Conferences unchanged for this many days are deleted with everything in them; `0`
    /// keeps them until someone deletes them.
    pub retention_days: u32,
    /// The most bytes one conference's stored events may take
    /// ([`crate::conference::MAX_STORED_BYTES`] unless changed); beyond it, commands that
    /// would store more are refused.
    pub max_conference_bytes: u64,
    /// New participants one address may bring in at once and per second after that
    /// (`joins::PER_ADDRESS` unless changed).
    pub joins_per_address: (u32, f64),
    /// New participants one conference takes at once and per second after that
    /// (`joins::PER_CONFERENCE` unless changed).
    pub joins_per_conference: (u32, f64),
    /// Most connections open at once, websockets included ([`DEFAULT_MAX_CONNECTIONS`]
    /// unless changed); lowered at start to fit under the open-file limit.
    pub max_connections: usize,
}

/// The database's file name in the data folder.
pub const DATABASE_FILE: &str = "ordet.sqlite3";

/// Most connections open at once unless the operator says otherwise: a regional conference of
/// several thousand phones, each with a websocket and a page load or two, with room to spare.
pub const DEFAULT_MAX_CONNECTIONS: usize = 25_000;
/// Connections from one address that may be open without having sent a request yet, and
/// websockets without a hello (see `accept`), at most: a venue behind one address whose
/// thousand phones reconnect at once after the server restarted gets in on the first try.
/// Never more than half of all connections, so one address can never take them all.
const WAITING_PER_ADDRESS: usize = 1_024;

/// How long a conference is kept after its last change, unless the operator says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 180;
/// How often the server looks for conferences past the retention period.
const RETENTION_SWEEP: std::time::Duration = std::time::Duration::from_secs(3600);

impl Config {
    /// A server on `addr` keeping its data in `data_dir`, with every other option at its
    /// default.
    pub fn new(addr: SocketAddr, data_dir: PathBuf) -> Config {
        Config {
            addr,
            data_dir,
            public_url: None,
            allowed_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            messages_per_address: MESSAGES,
            organiser_password: None,
            retention_days: DEFAULT_RETENTION_DAYS,
            max_conference_bytes: crate::conference::MAX_STORED_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            joins_per_address: joins::PER_ADDRESS,
            joins_per_conference: joins::PER_CONFERENCE,
        }
    }
}

/// How many join-code lookups one network address may make at once, and per second after
/// that. A school whose phones share one public address still gets hundreds in a minute.
const JOIN_LOOKUPS: (u32, f64) = (600, 10.0);
/// How many conferences one network address may create at once, and per second after that.
const CREATIONS: (u32, f64) = (20, 0.1);
/// Commands and new websockets from one address, over all its connections: a burst and a
/// steady rate per second. (Pings are not counted: they are cheap, and limited per
/// connection.) A whole venue may share one address, its Wi-Fi's public address, so this is
/// sized above what thousands of phones send at the busiest (everyone voting within ten
/// seconds), and it caps what one machine can send however many connections it opens.
pub const MESSAGES: (u32, f64) = (10_000, 1_000.0);

/// What every request handler can reach.
#[derive(Clone)]
pub(crate) struct AppState {
    registry: Arc<Registry>,
    /// Base URL phones use, without a trailing slash.
    public_url: Arc<str>,
    shutdown: watch::Receiver<bool>,
    join_lookups: Arc<guard::AddressLimiter>,
    /// New participants per address and per conference (see `joins`).
    joins: Arc<joins::JoinLimiter>,
    creations: Arc<guard::AddressLimiter>,
    /// Messages from one address over all its websockets.
    messages: Arc<guard::AddressLimiter>,
    allowed_origins: Arc<[String]>,
    trusted_proxies: Arc<[std::net::IpAddr]>,
    organiser_password: guard::OrganiserPassword,
    /// The host names and addresses this server answers to (see `guard::ServedHosts`).
    served_hosts: Arc<guard::ServedHosts>,
    /// Websockets per address that have not said hello yet.
    greeting: Arc<accept::AddressCounter>,
    /// How many of those one address may have.
    waiting_per_address: usize,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data folder could not be created.
    #[error("could not create the data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database could not be opened.
    #[error("could not open the database: {0}")]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error(
        "could not listen on {addr}: {source} (is another program using the port? try --addr 0.0.0.0:8081)"
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A running server.
pub struct RunningServer {
    /// The address it listens on (with the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// Where phones can reach it, best first.
    pub urls: Vec<String>,
    /// The database file.
    pub database: PathBuf,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Closes every websocket with "going away", stops accepting, and waits until done.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }

    /// Waits until the server stops by itself (it does not, unless it fails).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }

    /// Asks the server to stop, without waiting.
    pub fn shutdown_signal(&self) -> watch::Sender<bool> {
        self.shutdown.clone()
    }
}

/// Opens the database, binds the address and starts serving in the background.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let database = config.data_dir.join(DATABASE_FILE);
    let store = Store::open(&database)?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.addr,
        source,
    })?;
    let mut urls = reachable_urls(addr);
    if let Some(public) = &config.public_url {
        urls.insert(0, public.trim_end_matches('/').to_string());
    }
    let (shutdown, shutdown_rx) = watch::channel(false);
    let open_files = accept::raise_open_file_limit();
    let max_connections = accept::connections_within(open_files, config.max_connections);
    let waiting_per_address = WAITING_PER_ADDRESS.min(max_connections / 2).max(1);
    let state = AppState {
        registry: Arc::new(Registry::new(store, config.max_conference_bytes)),
        public_url: urls[0].clone().into(),
        shutdown: shutdown_rx.clone(),
        join_lookups: Arc::new(guard::AddressLimiter::new(JOIN_LOOKUPS.0, JOIN_LOOKUPS.1)),
        joins: Arc::new(joins::JoinLimiter::new(
            config.joins_per_address,
            config.joins_per_conference,
        )),
        creations: Arc::new(guard::AddressLimiter::new(CREATIONS.0, CREATIONS.1)),
        messages: Arc::new(guard::AddressLimiter::new(
            config.messages_per_address.0,
            config.messages_per_address.1,
        )),
        allowed_origins: config.allowed_origins.clone().into(),
        trusted_proxies: config.trusted_proxies.clone().into(),
        organiser_password: guard::OrganiserPassword::new(config.organiser_password.as_deref()),
        served_hosts: Arc::new(guard::ServedHosts::new(
            config.public_url.as_deref(),
            &config.allowed_origins,
            addr.ip(),
        )),
        greeting: Arc::default(),
        waiting_per_address,
    };
    if state.organiser_password.required() {
        tracing::info!("creating a conference needs the organiser password");
    }
    if config.retention_days > 0 {
        tokio::spawn(sweep_retention(
            state.registry.clone(),
            config.retention_days,
            shutdown_rx.clone(),
        ));
    }
    let limits = accept::Limits {
        max_connections,
        unproven_per_address: waiting_per_address,
        trusted_proxies: state.trusted_proxies.clone(),
    };
    tracing::debug!(
        ?open_files,
        max_connections = limits.max_connections,
        "connection limits"
    );
    let app = router(state);
    let task = tokio::spawn(accept::serve(
        listener,
        app,
        limits,
        tune_socket,
        shutdown_rx,
    ));
    Ok(RunningServer {
        addr,
        urls,
        database,
        shutdown,
        task,
    })
}

/// How many bytes the kernel may hold for one connection on their way out. Linux grows a
/// socket's send buffer up to 4 MiB by itself; a phone that stops reading would then hold
/// megabytes of kernel memory and never make a send wait long enough to be dropped. With a
/// fixed buffer it fills in a moment, the send waits, and after the send timeout the
/// connection is closed (it resumes from where it was when it comes back).
const SEND_BUFFER_BYTES: usize = 64 * 1024;

/// Applied to every accepted connection: the fixed send buffer. Nagle's algorithm stays on.
/// Turning it off cut the p99 of a note at 1,000 phones from 71–98 ms to 49–57 ms, but every
/// frame then travelled as its own small packet, and a phone that stopped reading for a while
/// (an app in the background) got its receive queue filled with per-packet overhead: the
/// kernel dropped packets, and the retransmissions backed off for seconds after the phone
/// read again (found by the reconnect-storm test: 2,729 retransmitted packets and a stall of
/// over 10 s, against about 500 and none with Nagle on).
fn tune_socket(tcp: &tokio::net::TcpStream) {
    if let Err(error) = socket2::SockRef::from(tcp).set_send_buffer_size(SEND_BUFFER_BYTES) {
        tracing::debug!(%error, "could not set the send buffer size");
    }
}

/// Deletes conferences unchanged for `days` days, and plans left empty that long: now, then
/// every [`RETENTION_SWEEP`] until the server stops.
async fn sweep_retention(registry: Arc<Registry>, days: u32, mut stop: watch::Receiver<bool>) {
    loop {
        let before = crate::clock::now_ms().saturating_sub(u64::from(days) * 86_400_000);
        match registry.store().conferences_idle_since(before).await {
            Ok(expired) => {
                for id in expired {
                    match registry.delete(id).await {
                        Ok(()) => {
                            tracing::info!(conference = %id, days, "deleted after the retention period")
                        }
                        Err(error) => {
                            tracing::error!(%error, "could not delete an expired conference")
                        }
                    }
                }
            }
            Err(error) => tracing::error!(%error, "could not look for expired conferences"),
        }
        if let Err(error) = registry.store().delete_empty_plans(before).await {
            tracing::error!(%error, "could not delete expired plans");
        }
        tokio::select! {
            _ = tokio::time::sleep(RETENTION_SWEEP) => {}
            _ = stop.wait_for(|stopping| *stopping) => return,
        }
    }
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/api/conferences", post(api::create_conference))
        .route("/api/join/{code}", get(api::join_info))
        .route("/api/join/{code}/qr.svg", get(api::join_qr))
        .route("/api/plans", post(plans::create_plan))
        .route(
            "/api/plans/{id}",
            get(plans::get_plan).delete(plans::delete_plan),
        )
        .route("/api/plans/{id}/meetings", post(plans::attach_meeting))
        .route(
            "/api/plans/{id}/meetings/{meeting}",
            delete(plans::detach_meeting),
        )
        .route(
            "/api/plans/{id}/import",
            post(plans::import).layer(DefaultBodyLimit::max(plans::MAX_IMPORT_BYTES)),
        )
        .route("/api/plans/{id}/export/{format}", get(plans::export_plan))
        .route("/api/conferences/{id}", delete(plans::delete_conference))
        .route(
            "/api/conferences/{id}/export/{format}",
            get(plans::export_conference),
        )
        .route(
            "/api/{*rest}",
            get(api::not_found)
                .post(api::not_found)
                .delete(api::not_found),
        )
        .route("/ws", get(ws::upgrade))
        .fallback(assets::serve)
        .layer(DefaultBodyLimit::max(limits::MAX_HTTP_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), served_host))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Refuses a request whose `Host` is not one this server serves (421), before anything else
/// looks at it: a page on another site whose name was pointed at this server (DNS
/// rebinding) sends its own name as the Host, and must not reach the API or a websocket.
async fn served_host(
    axum::extract::State(app): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let host = request.headers().get(header::HOST).map(|h| h.to_str());
    match host {
        // HTTP/1.0 clients may send none; a browser always does.
        None => next.run(request).await,
        Some(Ok(host)) if app.served_hosts.serves(host) => next.run(request).await,
        Some(_) => guard::misdirected(),
    }
}

/// Headers on every answer: the app loads only from this server (no third parties at all),
/// cannot be framed, sends no referrer, and the browser does not guess content types.
async fn security_headers(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .map(str::to_string);
    let mut response = next.run(request).await;
    // Older Safari does not count ws:// as 'self', so the websocket origin is named too.
    let sockets = host
        .map(|h| format!(" ws://{h} wss://{h}"))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{sockets}; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    );
    let headers = response.headers_mut();
    // An answer that set its own (stricter) policy keeps it: exported documents.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&csp)
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}
