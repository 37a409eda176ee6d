//! The local stand-in for the v5 Messages API, and the delivery-callback listener.
//!
//! - [`start`] / [`start_with_log`] serve `POST /v5/messages` on a socket, check HTTP Basic
//!   auth, validate the body with [`crate::message::validate`] and answer in the API's own
//!   formats. A message with a `callbackURL` gets simulated [`DeliveryUpdate`]s posted to it
//!   (see [`delivery`]).
//! - [`start_listener`] receives those updates (from the sandbox, or anything posting the same
//!   JSON) and hands them over on a channel.
//!
//! Both run as tasks of the current tokio runtime and stop when their handle
//! ([`RunningSandbox`], [`RunningListener`]) is dropped or shut down. Nothing here prints:
//! what happens is reported to a [`LogSink`], so the composer can show it in its own view and
//! the `sandbox` command can print it.

mod api;
pub mod delivery;
pub mod in_process;
mod listener;
pub mod log;
mod serve;

pub use log::{CallbackLog, LogSink, RequestLog, SandboxEvent};
pub use serve::{HEADER_TIMEOUT, Limits, default_max_connections};

use crate::client::Resolver;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The largest request body either server reads; a larger one is answered with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long [`RunningSandbox::shutdown`] waits for requests in flight before it gives up on
/// them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How a sandbox behaves.
#[derive(Clone)]
pub struct SandboxConfig {
    pub username: String,
    pub password: String,
    /// Delay before every answer.
    pub latency: Duration,
    /// Post callbacks to hosts other than loopback too.
    pub allow_remote_callbacks: bool,
    /// Time between simulated delivery steps (queued → sent → delivered).
    pub delivery_step: Duration,
    /// Where callback hosts are looked up (a test's table in tests).
    pub resolver: Resolver,
    /// How long a client may take to send its headers, and how many connections are served
    /// at once.
    pub limits: Limits,
}

impl SandboxConfig {
    /// A sandbox with fresh random credentials, no latency, loopback callbacks only, and
    /// delivery steps one second apart: what the composer starts on a first run.
    pub fn with_fresh_credentials() -> Self {
        let (username, password) = fresh_credentials();
        Self {
            username,
            password,
            latency: Duration::ZERO,
            allow_remote_callbacks: false,
            delivery_step: DEFAULT_DELIVERY_STEP,
            resolver: Resolver::from_env(),
            limits: Limits::default(),
        }
    }
}

/// The time between delivery updates when nothing else is asked for.
pub const DEFAULT_DELIVERY_STEP: Duration = Duration::from_secs(1);

/// The password stays out of `Debug`, so a config can be logged safely.
impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("username", &self.username)
            .field("password", &"***")
            .field("latency", &self.latency)
            .field("allow_remote_callbacks", &self.allow_remote_callbacks)
            .field("delivery_step", &self.delivery_step)
            .field("limits", &self.limits)
            .finish()
    }
}

/// A fresh API key and secret for a sandbox: `sandbox-` and 8 hex digits, and 32 hex digits
/// (122 random bits from a UUID v4).
pub fn fresh_credentials() -> (String, String) {
    let user = uuid::Uuid::new_v4().simple().to_string();
    let secret = uuid::Uuid::new_v4().simple().to_string();
    (format!("sandbox-{}", &user[..8]), secret)
}

/// A delivery status update, as the sandbox posts it to a `callbackURL` (the sandbox's own
/// format: the vendor does not publish one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryUpdate {
    #[serde(rename = "messageGUID")]
    pub message_guid: String,
    pub destination: String,
    /// queued, sent, delivered, failed.
    pub status: String,
    /// RCS, SMS or MMS.
    pub channel: String,
    /// RFC 3339.
    pub timestamp: String,
    pub error: Option<String>,
}

impl DeliveryUpdate {
    /// The update with each field cut to a sensible length (anyone may post to a listener,
    /// with a megabyte in each field): a GUID or a status is short, an error a sentence.
    pub fn bounded(mut self) -> Self {
        fn cut(s: &mut String, max: usize) {
            if s.len() > max {
                let mut end = max;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                s.truncate(end);
                s.push('…');
            }
        }
        cut(&mut self.message_guid, 100);
        cut(&mut self.destination, 100);
        cut(&mut self.status, 40);
        cut(&mut self.channel, 40);
        cut(&mut self.timestamp, 64);
        if let Some(e) = &mut self.error {
            cut(e, 1000);
        }
        self
    }
}

/// Stops a server when dropped: the server and every task it spawned (delivery simulations)
/// watch the other end.
struct Stopper {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Stopper {
    async fn stop_and_wait(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(SHUTDOWN_GRACE, task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for Stopper {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A sandbox serving on `addr` until dropped or shut down.
///
/// Dropping it stops the server and its pending delivery updates; [`RunningSandbox::shutdown`]
/// does the same and waits until requests in flight are answered.
pub struct RunningSandbox {
    pub addr: SocketAddr,
    pub username: String,
    pub password: String,
    open: serve::Open,
    stopper: Stopper,
}

impl RunningSandbox {
    /// The API root to put in a profile: `http://{addr}`; requests go to
    /// `{base_url}/v5/messages`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client profile that sends to this sandbox (named `sandbox`, marked as one, so the
    /// composer asks no confirmation and labels it as delivering nothing).
    pub fn profile(&self) -> crate::profile::Profile {
        crate::profile::Profile {
            name: "sandbox".to_string(),
            base_url: self.base_url(),
            username: self.username.clone(),
            password: crate::profile::Secret::new(self.password.clone()),
            allow_insecure: false,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            is_sandbox: true,
            ca_file: None,
            origin: crate::profile::Origin::built_in(),
        }
    }

    /// How many connections it is serving now (at most `limits.max_connections`).
    pub fn open_connections(&self) -> usize {
        self.open.now()
    }

    /// Stops accepting connections, lets requests in flight finish (at most a few seconds),
    /// and cancels pending delivery updates.
    pub async fn shutdown(self) {
        self.stopper.stop_and_wait().await;
    }
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("addr", &self.addr)
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

/// Starts a sandbox on `bind` (e.g. `127.0.0.1:0` for a free port) in the current tokio
/// runtime. Nothing is logged; see [`start_with_log`].
pub async fn start(config: SandboxConfig, bind: &str) -> std::io::Result<RunningSandbox> {
    start_with_log(config, bind, log::discard()).await
}

/// Starts a sandbox like [`start`], reporting every request and every callback attempt to
/// `sink` (one [`SandboxEvent`] each).
pub async fn start_with_log(
    config: SandboxConfig,
    bind: &str,
    sink: LogSink,
) -> std::io::Result<RunningSandbox> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let username = config.username.clone();
    let password = config.password.clone();
    let limits = config.limits;
    let app = api::router(config, sink, stopped.clone())?;
    let open = serve::Open::default();
    let task = tokio::spawn(serve::serve(listener, app, stopped, limits, open.clone()));
    Ok(RunningSandbox {
        addr,
        username,
        password,
        open,
        stopper: Stopper {
            stop,
            task: Some(task),
        },
    })
}

/// A callback listener serving on `addr`; updates arrive on `updates`.
///
/// The listener stops when this is dropped (moving `updates` out and keeping the rest alive
/// is fine: the server lives as long as the struct's remaining fields).
pub struct RunningListener {
    pub addr: SocketAddr,
    pub updates: tokio::sync::mpsc::UnboundedReceiver<DeliveryUpdate>,
    stopper: Stopper,
}

impl RunningListener {
    /// The URL to put in a message's `callbackURL`.
    pub fn callback_url(&self) -> String {
        format!("http://{}/callbacks", self.addr)
    }

    /// Stops accepting callbacks and waits until those in flight are answered.
    pub async fn shutdown(self) {
        self.stopper.stop_and_wait().await;
    }
}

/// Starts a callback listener on `bind` in the current tokio runtime.
pub async fn start_listener(bind: &str) -> std::io::Result<RunningListener> {
    start_listener_with_log(bind, log::discard_rejects()).await
}

/// Starts a callback listener like [`start_listener`]; every callback it refuses (not JSON,
/// not a delivery update) is described to `on_reject`, one line each.
pub async fn start_listener_with_log(
    bind: &str,
    on_reject: log::RejectSink,
) -> std::io::Result<RunningListener> {
    let tcp = tokio::net::TcpListener::bind(bind).await?;
    let addr = tcp.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let (tx, updates) = tokio::sync::mpsc::unbounded_channel();
    let app = listener::router(tx, on_reject);
    let task = tokio::spawn(serve::serve(
        tcp,
        app,
        stopped,
        Limits::default(),
        serve::Open::default(),
    ));
    Ok(RunningListener {
        addr,
        updates,
        stopper: Stopper {
            stop,
            task: Some(task),
        },
    })
}
