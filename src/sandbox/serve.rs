//! The accept loop both servers run, bounded: a connection that has not sent a request's
//! headers within [`Limits::header_timeout`] (on a new connection, or idle between requests)
//! is closed, and at most [`Limits::max_connections`] are served at once. At the cap, a new
//! connection takes the place of the oldest one that is not in the middle of a request (slow
//! to send its headers, or idle): a flood of slow connections (3,000 sending a header byte now
//! and then) then only pushes out its own, a real request gets in at once and is answered, and
//! the process never runs out of file descriptors.

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Semaphore, watch};

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections a server serves at once, at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: HEADER_TIMEOUT,
            max_connections: default_max_connections(),
        }
    }
}

/// Half of the open-file limit, less some for everything else the process has open (the
/// callbacks it posts, the app's own files), between 16 and 512: under `ulimit -n 256`, 96.
pub fn default_max_connections() -> usize {
    #[cfg(unix)]
    {
        let soft = rustix::process::getrlimit(rustix::process::Resource::Nofile)
            .current
            .unwrap_or(u64::MAX);
        (soft / 2).saturating_sub(32).clamp(16, 512) as usize
    }
    #[cfg(not(unix))]
    {
        256
    }
}

/// The number of connections being served, for the tests and the log.
#[derive(Debug, Clone, Default)]
pub struct Open(Arc<AtomicUsize>);

impl Open {
    pub fn now(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Counts a connection while it lives.
struct Counted(Open);

impl Counted {
    fn new(open: &Open) -> Self {
        open.0.fetch_add(1, Ordering::SeqCst);
        Counted(open.clone())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A connection being served: how many of its requests are in the service now, and how to
/// end it.
struct Conn {
    busy: Arc<AtomicUsize>,
    task: tokio::task::AbortHandle,
}

/// The app as hyper calls it, counting the requests in progress on one connection.
#[derive(Clone)]
struct Tracked {
    inner: TowerToHyperService<axum::Router>,
    busy: Arc<AtomicUsize>,
}

type Incoming = hyper::Request<hyper::body::Incoming>;
type Inner = TowerToHyperService<axum::Router>;

impl hyper::service::Service<Incoming> for Tracked {
    type Response = <Inner as hyper::service::Service<Incoming>>::Response;
    type Error = <Inner as hyper::service::Service<Incoming>>::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn call(&self, req: Incoming) -> Self::Future {
        self.busy.fetch_add(1, Ordering::SeqCst);
        let busy = self.busy.clone();
        let answer = self.inner.call(req);
        Box::pin(async move {
            let r = answer.await;
            busy.fetch_sub(1, Ordering::SeqCst);
            r
        })
    }
}

/// Serves `app` on `listener` until `stopped` turns true (or its sender is dropped), then
/// lets the connections finish what they were doing.
pub(super) async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    mut stopped: watch::Receiver<bool>,
    limits: Limits,
    open: Open,
) {
    let max = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max));
    let mut conns = tokio::task::JoinSet::new();
    let mut order: std::collections::VecDeque<Conn> = std::collections::VecDeque::new();
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, or a connection reset before it was
                    // accepted: try again shortly rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = until_stopped(&mut stopped) => break,
        };
        while conns.try_join_next().is_some() {}
        order.retain(|c| !c.task.is_finished());
        if order.len() >= max {
            // Full: the oldest connection not in a request makes room; if every one is
            // answering a request, the newcomer is turned away.
            match order
                .iter()
                .position(|c| c.busy.load(Ordering::SeqCst) == 0)
            {
                Some(i) => {
                    if let Some(c) = order.remove(i) {
                        c.task.abort();
                    }
                }
                None => continue,
            }
        }
        // The slot frees once the connection given up is gone.
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
            _ = until_stopped(&mut stopped) => break,
        };
        let busy = Arc::new(AtomicUsize::new(0));
        let service = Tracked {
            inner: TowerToHyperService::new(app.clone()),
            busy: busy.clone(),
        };
        let mut stop = stopped.clone();
        let counted = Counted::new(&open);
        let task = conns.spawn(async move {
            let _slot = slot;
            let _counted = counted;
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = until_stopped(&mut stop) => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
        order.push_back(Conn { busy, task });
    }
    while conns.join_next().await.is_some() {}
}

/// Returns once `stopped` turns true or its sender is gone (the guard `wait_for` returns is
/// not kept across an await).
async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    let _ = stopped.wait_for(|s| *s).await;
}
