//! The local stand-in for the v5 Messages API, and the delivery-callback listener.
//!
//! CONTRACT (the composer codes against these names; the bodies are being built).

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::time::Duration;

/// How a sandbox behaves.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub username: String,
    pub password: String,
    /// Delay before every answer.
    pub latency: Duration,
    /// Post callbacks to hosts other than loopback too.
    pub allow_remote_callbacks: bool,
    /// Time between simulated delivery steps (queued → sent → delivered).
    pub delivery_step: Duration,
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

/// A sandbox serving on `addr` until dropped or shut down.
pub struct RunningSandbox {
    pub addr: SocketAddr,
    pub username: String,
    pub password: String,
}

/// Starts a sandbox on `bind` (e.g. `127.0.0.1:0` for a free port) in the current tokio
/// runtime.
pub async fn start(config: SandboxConfig, bind: &str) -> std::io::Result<RunningSandbox> {
    let _ = (config, bind);
    Err(std::io::Error::other("the sandbox is not built yet"))
}

/// A callback listener serving on `addr`; updates arrive on `updates`.
pub struct RunningListener {
    pub addr: SocketAddr,
    pub updates: tokio::sync::mpsc::UnboundedReceiver<DeliveryUpdate>,
}

/// Starts a callback listener on `bind` in the current tokio runtime.
pub async fn start_listener(bind: &str) -> std::io::Result<RunningListener> {
    let _ = bind;
    Err(std::io::Error::other("the listener is not built yet"))
}
