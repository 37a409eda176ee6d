//! The sandbox and the delivery listener running inside another program (the composer),
//! each on a free loopback port, reporting to callbacks instead of printing.

use super::{
    DeliveryUpdate, RunningListener, RunningSandbox, SandboxConfig, SandboxEvent, log,
    start_listener_with_log, start_with_log,
};
use std::sync::Arc;

/// What [`start`] got going; each part may have failed on its own.
#[derive(Default)]
pub struct InProcess {
    pub listener: Option<RunningListener>,
    pub sandbox: Option<RunningSandbox>,
    /// What failed to start, in words.
    pub problems: Vec<String>,
}

/// Where [`start`] reports: each delivery update the listener receives, and each line of the
/// sandbox's log (requests, callbacks, and callbacks the listener refused).
pub struct Sinks {
    pub update: Arc<dyn Fn(DeliveryUpdate) + Send + Sync>,
    pub log: Arc<dyn Fn(String) + Send + Sync>,
}

/// Starts the listener on `127.0.0.1:0` and, with `sandbox`, a sandbox on another free port,
/// in the current tokio runtime. Nothing is printed: what failed is in `problems`.
pub async fn start(sandbox: Option<SandboxConfig>, sinks: Sinks) -> InProcess {
    let mut out = InProcess::default();
    let log_line = sinks.log.clone();
    let rejects: log::RejectSink =
        Arc::new(move |line: String| log_line(format!("callback refused: {line}")));
    match start_listener_with_log("127.0.0.1:0", rejects).await {
        Ok(mut l) => {
            let (_, closed) = tokio::sync::mpsc::unbounded_channel();
            let mut updates = std::mem::replace(&mut l.updates, closed);
            let update = sinks.update.clone();
            tokio::spawn(async move {
                while let Some(u) = updates.recv().await {
                    update(u);
                }
            });
            out.listener = Some(l);
        }
        Err(e) => out.problems.push(format!(
            "the delivery listener could not start on 127.0.0.1: {e}"
        )),
    }
    if let Some(cfg) = sandbox {
        let log_line = sinks.log.clone();
        let sink: super::LogSink = Arc::new(move |ev: SandboxEvent| log_line(ev.to_string()));
        match start_with_log(cfg, "127.0.0.1:0", sink).await {
            Ok(sb) => out.sandbox = Some(sb),
            Err(e) => out
                .problems
                .push(format!("the sandbox could not start on 127.0.0.1: {e}")),
        }
    }
    out
}
