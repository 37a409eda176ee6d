//! Transport failures sorted by what they are, read from reqwest's error kinds and the types
//! in its chain of causes (`std::io::Error` kinds, `hyper` and `rustls` errors, and this
//! module's own mark on a failed name lookup), never from their text, which changes between
//! versions and systems.

use std::error::Error as StdError;
use std::io;
use std::net::SocketAddr;

/// What went wrong on the way to an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    /// Connecting or the whole exchange took longer than allowed.
    TimedOut,
    /// The host's name could not be resolved (recognised for clients built with
    /// [`SystemResolver`]).
    NameNotResolved,
    /// Nothing listens at the address.
    Refused,
    /// The TLS handshake failed: a certificate, a protocol mismatch, or a server that does
    /// not speak TLS and hangs up or answers in plain text.
    Tls,
    /// The connection closed before a complete answer.
    Closed,
    /// The server answered with something that is not HTTP.
    NotHttp,
    /// There is no route to the host or its network.
    Unreachable,
    /// Anything else.
    Other,
}

/// Sorts `e`. Earlier kinds win: a timeout while connecting is [`TransportFailure::TimedOut`].
pub fn transport_failure(e: &reqwest::Error) -> TransportFailure {
    use io::ErrorKind as K;
    if e.is_timeout() {
        return TransportFailure::TimedOut;
    }
    let mut kinds = Vec::new();
    let (mut unresolved, mut tls, mut incomplete, mut parse) = (false, false, false, false);
    for cause in every_cause(e) {
        unresolved |= cause.is::<NameNotResolved>();
        tls |= cause.is::<rustls::Error>();
        if let Some(h) = cause.downcast_ref::<hyper::Error>() {
            incomplete |= h.is_incomplete_message();
            parse |= h.is_parse();
        }
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            kinds.push(io.kind());
        }
    }
    let any = |wanted: &[K]| kinds.iter().any(|k| wanted.contains(k));
    let hung_up = [K::UnexpectedEof, K::ConnectionReset, K::BrokenPipe];
    if unresolved {
        TransportFailure::NameNotResolved
    } else if any(&[K::ConnectionRefused]) {
        TransportFailure::Refused
    } else if tls || (e.is_connect() && (any(&hung_up) || any(&[K::InvalidData]))) {
        // Once the TCP connection is up, connecting is the TLS handshake: a server hanging
        // up or sending garbage there is a TLS failure, and nothing was sent.
        TransportFailure::Tls
    } else if incomplete || e.is_body() || e.is_decode() || any(&hung_up) {
        TransportFailure::Closed
    } else if parse {
        TransportFailure::NotHttp
    } else if any(&[K::NetworkUnreachable, K::HostUnreachable]) {
        TransportFailure::Unreachable
    } else {
        TransportFailure::Other
    }
}

/// `e` and every cause below it, outermost first.
pub fn causes<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(e), |&c| c.source())
}

/// Like [`causes`], but through the errors an `io::Error` wraps, which its `source()` skips
/// (a TLS failure is a `rustls::Error` inside an `io::Error`, sometimes inside another).
fn every_cause<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(e), |&c| {
        match c.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => c.source(),
        }
    })
}

/// A failed name lookup, marked so that [`transport_failure`] can tell it from the other
/// ways connecting fails.
#[derive(Debug)]
pub struct NameNotResolved(io::Error);

impl std::fmt::Display for NameNotResolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for NameNotResolved {}

impl From<io::Error> for NameNotResolved {
    fn from(e: io::Error) -> Self {
        NameNotResolved(e)
    }
}

/// The system's resolver, as reqwest uses it by default (`getaddrinfo` off the async
/// threads), with its failures marked as [`NameNotResolved`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl reqwest::dns::Resolve for SystemResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host.as_str(), 0)).await {
                Ok(a) => a.collect(),
                Err(e) => return Err(Box::new(NameNotResolved(e)) as _),
            };
            if addrs.is_empty() {
                let none = io::Error::new(io::ErrorKind::NotFound, "no address found");
                return Err(Box::new(NameNotResolved(none)) as _);
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// What a TLS failure was, in words, and what to set when it is about trust; `None` when
/// `e` holds no TLS error (a server that hung up during the handshake, say).
pub fn tls_reason(e: &reqwest::Error) -> Option<String> {
    every_cause(e)
        .find_map(|c| c.downcast_ref::<rustls::Error>())
        .map(describe_rustls)
}

/// What to set when a server's certificate is not trusted.
pub const TRUST_HINT: &str = "If the server uses a private certificate authority, trust it \
     with --cacert FILE, or ca_file = \"FILE\" in the profile, or SSL_CERT_FILE=FILE";

fn describe_rustls(e: &rustls::Error) -> String {
    use rustls::{CertificateError as C, Error as E};
    let trust = |what: &str| format!("{what}. {TRUST_HINT}");
    match e {
        E::InvalidCertificate(c) => match c {
            C::UnknownIssuer => trust(
                "its certificate is signed by a certificate authority this machine does not trust",
            ),
            C::BadSignature => trust("its certificate's signature does not verify"),
            C::Expired | C::ExpiredContext { .. } => {
                "its certificate has expired (or this machine's clock is wrong)".into()
            }
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "its certificate is not valid yet (or this machine's clock is wrong)".into()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "its certificate is for another host name (check the host in base_url)".into()
            }
            C::Revoked => "its certificate has been revoked".into(),
            C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
                "its certificate is not meant for a server".into()
            }
            C::Other(o) => match o.0.downcast_ref::<webpki::Error>() {
                Some(webpki::Error::CaUsedAsEndEntity) => trust(
                    "it presents a certificate authority's own certificate instead of one \
                     issued by that authority for the server",
                ),
                Some(webpki::Error::UnknownIssuer) => trust(
                    "its certificate is signed by a certificate authority this machine does not trust",
                ),
                Some(w) => format!("its certificate was refused: {w}"),
                None => format!("its certificate was refused: {}", o.0),
            },
            other => format!(
                "its certificate was refused: {}",
                E::InvalidCertificate(other.clone())
            ),
        },
        E::NoCertificatesPresented => "the server presented no certificate".into(),
        E::AlertReceived(a) => format!("the server ended the handshake (TLS alert: {a:?})"),
        E::InvalidMessage(_)
        | E::InappropriateMessage { .. }
        | E::InappropriateHandshakeMessage { .. } => {
            "the server does not speak TLS as expected (is base_url http:// rather than https://?)"
                .into()
        }
        E::PeerIncompatible(_) => {
            "the server and this program have no TLS version or cipher in common".into()
        }
        other => other.to_string(),
    }
}
