//! The one place HTTP clients are set up, for sending and for the media check alike: which
//! certificate authorities are trusted, which proxy is used, the resolver, no redirects.
//!
//! Trusted: reqwest's built-in roots (Mozilla's), the system's trust store (read once per
//! process; `SSL_CERT_FILE` and `SSL_CERT_DIR` replace the system's locations, as for
//! OpenSSL and curl), and any extra CA files (`ca_file` in a profile, `--cacert`).

use super::Resolver;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The environment variables reqwest takes a proxy from (`NO_PROXY` aside).
pub const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Which proxy to use for hosts other than this machine (always reached directly).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProxyChoice {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, as reqwest reads them.
    #[default]
    FromEnvironment,
    /// None.
    Direct,
    /// This proxy for every request.
    Url(String),
}

/// How a client reaches servers: the extra CAs to trust and the proxy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transport {
    /// PEM files of certificate authorities to trust beside the built-in and system ones.
    pub ca_files: Vec<PathBuf>,
    pub proxy: ProxyChoice,
    /// The client will only speak plain http: the system's trust store is not read (it
    /// costs a few milliseconds, the first time in a process).
    pub plain_http_only: bool,
}

/// A client builder with the trust, proxy, resolver and redirect settings every client of
/// this program shares; `direct` skips every proxy (for this machine, and for plain http,
/// where a proxy would see the credentials). Callers add their timeouts and user agent.
/// Fails when a CA file cannot be read or holds no certificate, or the proxy URL is unusable.
pub fn client_builder(t: &Transport, direct: bool) -> Result<reqwest::ClientBuilder, String> {
    let mut b = reqwest::Client::builder()
        // The system's resolver, its failures marked so they are told apart by type (in debug
        // builds, a test's table: see `Resolver::from_env`).
        .dns_resolver(std::sync::Arc::new(Resolver::from_env()))
        // A redirect would resend the credentials somewhere nobody named; the media check
        // follows them by hand, hop by hop.
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_root_certs(true);
    if !t.plain_http_only {
        for c in system_roots() {
            b = b.add_root_certificate(c.clone());
        }
    }
    for path in &t.ca_files {
        for c in read_ca_file(path)? {
            b = b.add_root_certificate(c);
        }
    }
    b = match (&t.proxy, direct) {
        (_, true) | (ProxyChoice::Direct, _) => b.no_proxy(),
        // reqwest reads HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY by default.
        (ProxyChoice::FromEnvironment, false) => b,
        (ProxyChoice::Url(u), false) => b.proxy(
            reqwest::Proxy::all(u.as_str())
                .map_err(|e| format!("the proxy URL {u} is not usable: {e}"))?,
        ),
    };
    Ok(b)
}

/// The certificates of a PEM file, or why there are none.
pub fn read_ca_file(path: &Path) -> Result<Vec<reqwest::Certificate>, String> {
    let pem = std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        format!("cannot read the CA file {}: {why}", path.display())
    })?;
    let found = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        format!(
            "the CA file {} is not PEM certificates: {e}",
            path.display()
        )
    })?;
    if found.is_empty() {
        return Err(format!(
            "the CA file {} holds no certificate (it should hold -----BEGIN CERTIFICATE----- blocks)",
            path.display()
        ));
    }
    Ok(found)
}

/// The system's trust store, read once: the platform's CA bundle, or what `SSL_CERT_FILE`
/// and `SSL_CERT_DIR` name. Certificates that do not parse are skipped; none at all is
/// fine (the built-in roots remain).
pub fn system_roots() -> &'static [reqwest::Certificate] {
    static ROOTS: OnceLock<Vec<reqwest::Certificate>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        rustls_native_certs::load_native_certs()
            .certs
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok())
            .collect()
    })
}
