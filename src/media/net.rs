//! The network side of the media check: private-host tests, credential stripping, the HTTP
//! clients, and transport errors (sorted by `client`) put in the words of a media finding.

use super::MediaSettings;
use crate::client::{Transport, TransportFailure, causes, client_builder, is_loopback_host};
use std::time::Duration;
use url::Url;

/// Sent with every request, so a server's log says who asked.
pub const USER_AGENT: &str = concat!("rcs-composer/", env!("CARGO_PKG_VERSION"), " (media check)");

/// Why no HTTP answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetFailure {
    /// The name did not resolve.
    Dns,
    /// Nothing listens there.
    Refused,
    /// The whole check took longer than this.
    Timeout(Duration),
    /// The TLS handshake or the certificate failed; the innermost cause.
    Tls(String),
    /// The connection closed before a complete answer; the innermost cause.
    Closed(String),
    /// A redirect to something that cannot be followed (another scheme, a bad Location).
    BadRedirect(String),
    /// Anything else, in the transport's words.
    Other(String),
}

/// True when `url`'s host is one of `private` (case-insensitive, a trailing dot ignored)
/// or below one (`cdn.intranet.example` is under `intranet.example`). IPv6 entries may be
/// written with or without brackets.
pub fn is_private(url: &Url, private: &[String]) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let norm = |s: &str| {
        s.trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase()
    };
    let host = norm(host);
    private.iter().map(|p| norm(p)).any(|p| {
        !p.is_empty()
            && (host == p
                || host
                    .strip_suffix(p.as_str())
                    .is_some_and(|rest| rest.ends_with('.')))
    })
}

/// `url` without user name and password: the check never sends credentials, and reqwest
/// would turn URL credentials into an Authorization header.
pub fn without_credentials(mut url: Url) -> Url {
    if !url.username().is_empty() || url.password().is_some() {
        // Only fails for URLs that cannot have credentials, which have none.
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    url
}

/// `host:port` for messages, the port only when the URL names one.
pub fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

/// The two clients: one through the configured proxy, one direct for this machine.
#[derive(Debug, Clone)]
pub struct Clients {
    proxied: reqwest::Client,
    direct: reqwest::Client,
}

impl Clients {
    /// Built with the same trust (built-in roots, the system's store, the CA files) and
    /// proxy settings as sending (see [`crate::client::client_builder`]).
    pub fn new(settings: &MediaSettings) -> Result<Self, String> {
        let transport = Transport {
            ca_files: settings.extra_root_certs.clone(),
            proxy: settings.proxy.clone(),
            plain_http_only: false,
        };
        let build = |direct: bool| -> Result<reqwest::Client, String> {
            client_builder(&transport, direct)?
                .user_agent(USER_AGENT)
                // The check's own timeout (one for all the requests of a URL) is the one
                // that fires; this is a net under it.
                .connect_timeout(settings.timeout)
                .timeout(settings.timeout + Duration::from_secs(1))
                .build()
                .map_err(|e| format!("could not set up the HTTP client: {e}"))
        };
        Ok(Self {
            proxied: build(false)?,
            direct: build(true)?,
        })
    }

    /// The client for `url`: direct for this machine, else through the proxy settings.
    pub fn for_url(&self, url: &Url) -> &reqwest::Client {
        if url.host().is_some_and(|h| is_loopback_host(&h)) {
            &self.direct
        } else {
            &self.proxied
        }
    }
}

/// Sorts a transport error into what a person can act on.
pub fn classify(e: &reqwest::Error, timeout: Duration) -> NetFailure {
    match crate::client::transport_failure(e) {
        TransportFailure::TimedOut => NetFailure::Timeout(timeout),
        TransportFailure::NameNotResolved => NetFailure::Dns,
        TransportFailure::Refused => NetFailure::Refused,
        TransportFailure::Tls => {
            NetFailure::Tls(crate::client::tls_reason(e).unwrap_or_else(|| last_cause(e)))
        }
        TransportFailure::Closed => NetFailure::Closed(last_cause(e)),
        TransportFailure::NotHttp => NetFailure::Other("the answer is not HTTP".into()),
        TransportFailure::Unreachable | TransportFailure::Other => NetFailure::Other(visible(
            &causes(e)
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": "),
        )),
    }
}

/// The innermost cause, which usually names the problem.
fn last_cause(e: &reqwest::Error) -> String {
    visible(&causes(e).last().map(|c| c.to_string()).unwrap_or_default())
}

/// `s` made safe for a terminal and cut to 200 characters: server-controlled text ends up
/// on one.
pub fn visible(s: &str) -> String {
    crate::text::log_line(s, 201)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn private_hosts_match_the_host_and_below_it() {
        let private = vec![
            "Intranet.Example.".to_string(),
            "10.1.2.3".into(),
            "[::5]".into(),
        ];
        for yes in [
            "https://intranet.example/a.png",
            "https://cdn.intranet.example/a.png",
            "http://10.1.2.3:8080/x",
            "http://[::5]/x",
        ] {
            assert!(is_private(&u(yes), &private), "{yes}");
        }
        for no in [
            "https://notintranet.example/a.png",
            "https://intranet.example.com/",
            "http://10.1.2.30/",
        ] {
            assert!(!is_private(&u(no), &private), "{no}");
        }
        assert!(!is_private(&u("https://x.example/"), &[String::new()]));
    }

    #[test]
    fn credentials_are_dropped() {
        let url = without_credentials(u("https://user:secret@cdn.example/a.png?x=1"));
        assert_eq!(url.as_str(), "https://cdn.example/a.png?x=1");
        assert_eq!(host_port(&u("http://127.0.0.1:8080/")), "127.0.0.1:8080");
        assert_eq!(host_port(&u("https://cdn.example/")), "cdn.example");
    }

    #[test]
    fn the_user_agent_names_the_check() {
        assert!(USER_AGENT.starts_with("rcs-composer/"));
        assert!(USER_AGENT.ends_with(" (media check)"));
    }

    #[test]
    fn visible_hides_controls_and_cuts() {
        assert_eq!(visible("a\x1b[2Jb"), "a␛[2Jb");
        assert_eq!(visible(&"x".repeat(300)).chars().count(), 201);
    }
}
