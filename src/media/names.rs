//! Host names looked up before any HTTP client exists.
//!
//! Building the check's client reads the system's trust store, which takes 10 ms and more;
//! a URL whose host does not resolve needs none of it. So the composer looks the name up
//! first, and a name that is not found ends the URL's check (or download) at once, with the
//! very finding the client would have reported. And a draft names few hosts for many URLs:
//! every URL asked about while its host's lookup is under way waits for that one lookup.
//! Its answer is kept until the next check begins ([`Names::new_check`]): the pictures the
//! first frame asks for, right after the check, take the check's answers (the same name is
//! not asked about twice, and a card's picture says what its finding says), and a fixed DNS
//! is seen at the next check (F9).
//!
//! Only names the request would resolve here are looked up: not a private host (never
//! contacted), not an address, not this machine, and nothing when a proxy may take the
//! request (the proxy resolves the name, and may know names this machine does not).

use super::net::{self, NetFailure};
use super::{ImageFailure, MediaSettings, Probe, ProxyChoice};
use crate::client::{PROXY_VARIABLES, Resolver, is_loopback_host};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;
use url::{Host, Url};

/// What looking a name up found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Found,
    NotFound,
    /// No answer within the check's timeout.
    TimedOut,
}

type Shared = Arc<OnceCell<Lookup>>;

/// The lookups under way, shared by every task that asks about the same host, and the
/// answers of this check. Cheap to clone: the clones share them.
#[derive(Debug, Clone)]
pub struct Names {
    resolver: Resolver,
    pending: Arc<Mutex<HashMap<String, Shared>>>,
    started: Arc<AtomicUsize>,
}

/// Why a URL's check or download ends before any client: its host `host` (as
/// `host[:port]`) does not resolve, or gave no answer in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFailure {
    host: String,
    failure: NetFailure,
}

impl NameFailure {
    /// The check's result for the URL: what the client reports for the same failure.
    pub fn probe(self) -> Probe {
        Probe::Unreachable {
            host: self.host,
            failure: self.failure,
        }
    }

    /// The download's result for the URL: what the client reports for the same failure.
    pub fn image(self) -> ImageFailure {
        super::image::failure(&self.host, self.failure)
    }
}

impl Default for Names {
    fn default() -> Self {
        Self::new()
    }
}

impl Names {
    /// Names looked up with the system's resolver (in debug builds, the test table of
    /// [`Resolver::from_env`]), as the clients do.
    pub fn new() -> Self {
        Self::with_resolver(Resolver::from_env())
    }

    pub fn with_resolver(resolver: Resolver) -> Self {
        Names {
            resolver,
            pending: Arc::default(),
            started: Arc::default(),
        }
    }

    /// How many lookups were made (a host asked about by many URLs at once counts once).
    pub fn lookups(&self) -> usize {
        self.started.load(Ordering::Relaxed)
    }

    /// A check begins: the answers kept from before are let go, so that its names are
    /// asked about again. A lookup still under way is not: its answer is new enough.
    pub fn new_check(&self) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, cell| !cell.initialized());
    }

    /// The name `url`'s check looks up here, as asked for (lower case, no final dot): URLs
    /// with the same one share a lookup. `None` when its check asks the client straight away.
    pub fn looked_up(settings: &MediaSettings, url: &str) -> Option<String> {
        let url = Url::parse(url).ok()?;
        let name = looked_up_here(settings, &url)?;
        Some(name.trim_end_matches('.').to_ascii_lowercase())
    }

    /// `Some` when `url` can be settled without a client: its host is a name looked up
    /// here that is not found, or that gets no answer within `settings.timeout`. `None`:
    /// the client must go on (the name resolves, or is not one this looks up).
    pub async fn failure(&self, settings: &MediaSettings, url: &str) -> Option<NameFailure> {
        let url = Url::parse(url).ok()?;
        let name = looked_up_here(settings, &url)?;
        let failure = match self.lookup(name, settings).await {
            Lookup::Found => return None,
            Lookup::NotFound => NetFailure::Dns,
            Lookup::TimedOut => NetFailure::Timeout(settings.timeout),
        };
        Some(NameFailure {
            host: net::host_port(&url),
            failure,
        })
    }

    async fn lookup(&self, name: &str, settings: &MediaSettings) -> Lookup {
        let key = name.trim_end_matches('.').to_ascii_lowercase();
        let cell = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.entry(key.clone()).or_default().clone()
        };
        // Kept once answered, until the next check (`new_check`).
        *cell
            .get_or_init(|| async {
                self.started.fetch_add(1, Ordering::Relaxed);
                match tokio::time::timeout(settings.timeout, self.resolver.lookup(&key)).await {
                    Ok(Ok(_)) => Lookup::Found,
                    Ok(Err(_)) => Lookup::NotFound,
                    Err(_) => Lookup::TimedOut,
                }
            })
            .await
    }
}

/// The name `url` would be resolved by here, when this may look it up; see the module's
/// documentation.
fn looked_up_here<'u>(settings: &MediaSettings, url: &'u Url) -> Option<&'u str> {
    if !settings.enabled || !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host()?;
    let Host::Domain(name) = host else {
        return None;
    };
    if is_loopback_host(&host) || net::is_private(url, &settings.private_hosts) {
        return None;
    }
    match &settings.proxy {
        ProxyChoice::Direct => Some(name),
        ProxyChoice::Url(_) => None,
        ProxyChoice::FromEnvironment => (!proxy_in_environment()).then_some(name),
    }
}

/// True when the environment names a proxy reqwest may use (whatever `NO_PROXY` says).
fn proxy_in_environment() -> bool {
    PROXY_VARIABLES
        .iter()
        .any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MediaSettings {
        MediaSettings {
            proxy: ProxyChoice::Direct,
            private_hosts: vec!["intranet.example".into()],
            ..MediaSettings::default()
        }
    }

    fn here<'u>(s: &MediaSettings, url: &'u Url) -> Option<&'u str> {
        looked_up_here(s, url)
    }

    #[test]
    fn only_names_resolved_here_are_looked_up() {
        let s = settings();
        let u = |x: &str| Url::parse(x).unwrap();
        assert_eq!(
            here(&s, &u("https://cdn.example/a.png")),
            Some("cdn.example")
        );
        assert_eq!(
            here(&s, &u("http://u:p@cdn.example:81/a")),
            Some("cdn.example")
        );
        for no in [
            "https://cdn.intranet.example/a.png",
            "https://10.0.0.5/a.png",
            "https://[::1]/a.png",
            "http://localhost:8080/a.png",
            "ftp://cdn.example/a.png",
        ] {
            assert_eq!(here(&s, &u(no)), None, "{no}");
        }
        let proxied = MediaSettings {
            proxy: ProxyChoice::Url("http://proxy.example:3128".into()),
            ..settings()
        };
        assert_eq!(here(&proxied, &u("https://cdn.example/a.png")), None);
        let off = MediaSettings {
            enabled: false,
            ..settings()
        };
        assert_eq!(here(&off, &u("https://cdn.example/a.png")), None);
    }
}
