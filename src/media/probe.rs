//! One URL checked over HTTP: `HEAD`, falling back to a ranged `GET` when `HEAD` is refused,
//! then the first 64 KiB to sniff the type and read an image's size. Redirects are followed
//! by hand (at most `max_redirects`, each hop checked against the private hosts), nothing
//! carries credentials, and the whole check of a URL has one timeout.

use super::MediaSettings;
use super::net::{self, Clients, NetFailure};
use super::sniff::{self, FileType};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, HeaderMap, LOCATION, RANGE};
use std::collections::HashSet;
use url::Url;

/// How much of a file the check reads: enough for any image header worth reading.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// What checking one URL found. `findings` turns it into warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// Not contacted.
    Skipped(Skip),
    /// No HTTP answer: `host` is `host[:port]` of the hop that failed.
    Unreachable { host: String, failure: NetFailure },
    /// The redirects looped, or there were more than allowed; `chain` holds every URL
    /// visited, the first one included.
    Redirects { looped: bool, chain: Vec<String> },
    /// An HTTP answer, after any redirects.
    Answered(Answer),
}

/// Why a URL was not contacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// The media check is turned off.
    Disabled,
    /// The host (of the URL or of a redirect) is in `private_hosts`.
    PrivateHost(String),
    /// Not an http or https URL that parses.
    NotWeb,
}

/// The final answer for a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The final status: that of the GET when one was made (what RBM would get), else the
    /// HEAD's.
    pub status: u16,
    /// Where the redirects ended.
    pub final_url: String,
    pub redirects: usize,
    /// The raw Content-Type header.
    pub content_type: Option<String>,
    /// The file's size: Content-Length, or the total of a Content-Range.
    pub size: Option<u64>,
    /// What the first bytes are; `None` when none were read.
    pub sniffed: Option<FileType>,
    /// An image's width and height from its header.
    pub dimensions: Option<(u32, u32)>,
    /// True when `HEAD` was refused and the ranged `GET` answered instead.
    pub head_refused: bool,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Head,
    /// `GET` with `Range: bytes=0-65535`.
    RangedGet,
    /// A plain `GET` (the preview's download).
    Get,
}

/// How following a URL ended without a final answer.
pub(super) enum Stop {
    /// The check ends with this result (private host, loop, bad redirect).
    Done(Probe),
    /// The request to `url` failed at the transport level.
    Network { url: Url, error: reqwest::Error },
}

/// A final (non-redirect) answer.
pub(super) struct Reply {
    pub url: Url,
    pub redirects: usize,
    pub response: reqwest::Response,
}

/// Sends `method` to `start`, following redirects by hand.
pub(super) async fn follow(
    clients: &Clients,
    settings: &MediaSettings,
    start: Url,
    method: Method,
    mut redirects: usize,
    chain: &mut Vec<String>,
) -> Result<Reply, Stop> {
    let mut url = net::without_credentials(start);
    let mut seen: HashSet<String> = chain.iter().cloned().collect();
    if seen.insert(url.to_string()) {
        chain.push(url.to_string());
    }
    loop {
        if net::is_private(&url, &settings.private_hosts) {
            return Err(Stop::Done(Probe::Skipped(Skip::PrivateHost(
                net::host_port(&url),
            ))));
        }
        let client = clients.for_url(&url);
        let request = match method {
            Method::Head => client.head(url.clone()),
            Method::RangedGet => client
                .get(url.clone())
                .header(RANGE, format!("bytes=0-{}", SNIFF_BYTES - 1)),
            Method::Get => client.get(url.clone()),
        };
        let response = match request.send().await {
            Ok(r) => r,
            Err(error) => return Err(Stop::Network { url, error }),
        };
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let location = match (status.is_redirection(), location) {
            (true, Some(l)) if status != StatusCode::NOT_MODIFIED => l,
            _ => {
                return Ok(Reply {
                    url,
                    redirects,
                    response,
                });
            }
        };
        drop(response);
        let next = match url.join(&location) {
            Ok(n) if matches!(n.scheme(), "http" | "https") && n.host().is_some() => {
                net::without_credentials(n)
            }
            Ok(n) => {
                return Err(Stop::Done(Probe::Unreachable {
                    host: net::host_port(&url),
                    failure: NetFailure::BadRedirect(format!(
                        "a redirect to {}, which is not an http or https URL",
                        net::visible(n.as_str())
                    )),
                }));
            }
            Err(_) => {
                return Err(Stop::Done(Probe::Unreachable {
                    host: net::host_port(&url),
                    failure: NetFailure::BadRedirect(format!(
                        "a redirect to '{}', which is not a URL",
                        net::visible(&location)
                    )),
                }));
            }
        };
        let looped = !seen.insert(next.to_string());
        chain.push(next.to_string());
        if looped || redirects >= settings.max_redirects {
            return Err(Stop::Done(Probe::Redirects {
                looped,
                chain: std::mem::take(chain),
            }));
        }
        redirects += 1;
        url = next;
    }
}

/// Checks one URL; see the module's documentation. Never fails: every outcome is a `Probe`.
pub(super) async fn probe(clients: &Clients, settings: &MediaSettings, url: &str) -> Probe {
    if !settings.enabled {
        return Probe::Skipped(Skip::Disabled);
    }
    let start = match Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
        _ => return Probe::Skipped(Skip::NotWeb),
    };
    let host = net::host_port(&start);
    match tokio::time::timeout(settings.timeout, check(clients, settings, start)).await {
        Ok(p) => p,
        Err(_) => Probe::Unreachable {
            host,
            failure: NetFailure::Timeout(settings.timeout),
        },
    }
}

/// A server that refuses HEAD says so with one of these.
fn head_refused(status: StatusCode) -> bool {
    matches!(status.as_u16(), 403 | 405 | 501)
}

async fn check(clients: &Clients, settings: &MediaSettings, start: Url) -> Probe {
    let mut chain = Vec::new();
    let head = follow(clients, settings, start, Method::Head, 0, &mut chain).await;
    let (head, from, redirects) = match head {
        Ok(reply) if head_refused(reply.response.status()) => (None, reply.url, reply.redirects),
        Ok(reply) => {
            let (url, redirects) = (reply.url.clone(), reply.redirects);
            (Some(reply), url, redirects)
        }
        Err(Stop::Done(p)) => return p,
        Err(Stop::Network { url, error }) => match net::classify(&error, settings.timeout) {
            // A connection closed on HEAD (or an odd error) may be a server that cannot
            // answer HEAD; anything else would fail a GET the same way.
            NetFailure::Closed(_) | NetFailure::Other(_) => {
                let redirects = chain.len().saturating_sub(1);
                (None, url, redirects)
            }
            failure => {
                return Probe::Unreachable {
                    host: net::host_port(&url),
                    failure,
                };
            }
        },
    };
    let head_refused = head.is_none();
    if let Some(h) = &head
        && !h.response.status().is_success()
    {
        return Probe::Answered(Answer {
            status: h.response.status().as_u16(),
            final_url: h.url.to_string(),
            redirects: h.redirects,
            content_type: content_type(h.response.headers()),
            size: None,
            sniffed: None,
            dimensions: None,
            head_refused: false,
        });
    }
    let got = follow(
        clients,
        settings,
        from,
        Method::RangedGet,
        redirects,
        &mut chain,
    )
    .await;
    let reply = match got {
        Ok(r) => r,
        Err(Stop::Done(p)) => return p,
        Err(Stop::Network { url, error }) => {
            let failure = net::classify(&error, settings.timeout);
            return match head {
                // HEAD answered; the first bytes could not be had. Say what HEAD said.
                Some(h) if !matches!(failure, NetFailure::Timeout(_)) => Probe::Answered(Answer {
                    status: h.response.status().as_u16(),
                    final_url: h.url.to_string(),
                    redirects: h.redirects,
                    content_type: content_type(h.response.headers()),
                    size: content_length(h.response.headers()),
                    sniffed: None,
                    dimensions: None,
                    head_refused: false,
                }),
                _ => Probe::Unreachable {
                    host: net::host_port(&url),
                    failure,
                },
            };
        }
    };
    let mut status = reply.response.status();
    let headers = reply.response.headers().clone();
    // An empty file cannot satisfy `bytes=0-65535`: a 416 saying `bytes */0` is an empty
    // file, not an error status.
    if status == StatusCode::RANGE_NOT_SATISFIABLE && range_total(&headers) == Some(0) {
        status = StatusCode::OK;
    }
    let head_headers = head.as_ref().map(|h| h.response.headers());
    let size = if headers.contains_key(CONTENT_RANGE) {
        range_total(&headers)
    } else if status.is_success() {
        content_length(&headers)
    } else {
        None
    }
    .or_else(|| head_headers.and_then(content_length));
    let content_type = if status.is_success() {
        content_type(&headers).or_else(|| head_headers.and_then(content_type))
    } else {
        content_type(&headers)
    };
    let (url, redirects) = (reply.url.to_string(), reply.redirects);
    let host = net::host_port(&reply.url);
    let bytes = if status.is_success() {
        let (bytes, error) = first_bytes(reply.response, SNIFF_BYTES).await;
        // A body cut short still tells its type; one that stalls is a timeout.
        if let Some(e) = error
            && let failure @ NetFailure::Timeout(_) = net::classify(&e, settings.timeout)
        {
            return Probe::Unreachable { host, failure };
        }
        bytes
    } else {
        Vec::new()
    };
    Probe::Answered(Answer {
        status: status.as_u16(),
        final_url: url,
        redirects,
        content_type,
        size,
        sniffed: (!bytes.is_empty()).then(|| sniff::sniff(&bytes)),
        dimensions: sniff::dimensions(&bytes),
        head_refused,
    })
}

/// Reads at most `max` bytes of the body, then drops the connection (a server that ignores
/// Range would otherwise send the whole file). A transport error ends the read: the bytes
/// that came, and the error.
pub(super) async fn first_bytes(
    mut response: reqwest::Response,
    max: usize,
) -> (Vec<u8>, Option<reqwest::Error>) {
    let mut buf = Vec::new();
    while buf.len() < max {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = max - buf.len();
                buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) => break,
            Err(e) => return (buf, Some(e)),
        }
    }
    (buf, None)
}

fn content_type(h: &HeaderMap) -> Option<String> {
    h.get(CONTENT_TYPE)
        .map(|v| net::visible(&String::from_utf8_lossy(v.as_bytes())))
}

/// The Content-Length header. (`Response::content_length` is the body's size, which is 0
/// for a HEAD.)
pub(super) fn content_length(h: &HeaderMap) -> Option<u64> {
    h.get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// The total of `Content-Range: bytes 0-65535/1234567` (`None` for `*`).
fn range_total(h: &HeaderMap) -> Option<u64> {
    let v = h.get(CONTENT_RANGE)?.to_str().ok()?;
    v.rsplit_once('/')?.1.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn sizes_from_headers() {
        let mut h = HeaderMap::new();
        h.insert(
            CONTENT_RANGE,
            HeaderValue::from_static("bytes 0-65535/3145728"),
        );
        h.insert(CONTENT_LENGTH, HeaderValue::from_static("65536"));
        assert_eq!(range_total(&h), Some(3_145_728));
        assert_eq!(content_length(&h), Some(65_536));
        h.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 0-65535/*"));
        assert_eq!(range_total(&h), None);
        h.insert(CONTENT_LENGTH, HeaderValue::from_static("lots"));
        assert_eq!(content_length(&h), None);
    }

    #[test]
    fn head_refusals() {
        for s in [403, 405, 501] {
            assert!(head_refused(StatusCode::from_u16(s).unwrap()));
        }
        for s in [200, 404, 500] {
            assert!(!head_refused(StatusCode::from_u16(s).unwrap()));
        }
    }
}
