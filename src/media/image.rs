//! Images for the preview: downloaded with a cap, decoded off the async threads with the
//! decoder's limits set, so a hostile file (a huge header, a truncated body, a GIF bomb) is
//! refused with a reason instead of a panic or a memory blow-up.

use super::MediaSettings;
use super::net::{self, NetFailure};
use super::probe::{self, Method, Probe, Stop};
use super::sniff::{self, FileType};
use std::fmt;
use std::io::Cursor;
use url::Url;

/// The most a preview downloads (decimal, like RBM's recommendations).
pub const MAX_IMAGE_BYTES: u64 = 10_000_000;
/// The widest and tallest image decoded.
pub const MAX_DIMENSION: u32 = 8192;
/// The most memory the decoder may hold at once.
pub const MAX_DECODE_ALLOC: u64 = 128 * 1024 * 1024;

/// A decoded image, ready to be scaled for the preview. A GIF is its first frame.
#[derive(Debug, Clone)]
pub struct DecodedImage {
    pub image: ::image::DynamicImage,
    pub format: FileType,
    /// The size of the downloaded file.
    pub bytes: usize,
}

impl DecodedImage {
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    pub fn height(&self) -> u32 {
        self.image.height()
    }
}

/// Why there is no picture; [`ImageFailure::reason`] is the one word the preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageFailure {
    /// The final answer was not 2xx.
    Status(u16),
    /// The file is something else (what it is, in words).
    NotAnImage(String),
    /// Past the download cap or the decoder's limits (which one, in words).
    TooBig(String),
    /// The file could not be decoded: truncated or corrupt (the decoder's words).
    Broken(String),
    Timeout,
    /// No answer: DNS, refused, TLS, closed (in words).
    Unreachable(String),
    /// The redirects looped or were too many.
    Redirects,
    /// Not fetched: the check is off, the host is private, or the URL is not http(s).
    Skipped,
}

impl ImageFailure {
    /// One word (or a status) for the preview's media box.
    pub fn reason(&self) -> String {
        match self {
            ImageFailure::Status(s) => s.to_string(),
            ImageFailure::NotAnImage(_) => "not an image".into(),
            ImageFailure::TooBig(_) => "too big".into(),
            ImageFailure::Broken(_) => "broken".into(),
            ImageFailure::Timeout => "timeout".into(),
            ImageFailure::Unreachable(_) => "unreachable".into(),
            ImageFailure::Redirects => "redirects".into(),
            ImageFailure::Skipped => "not fetched".into(),
        }
    }
}

impl fmt::Display for ImageFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageFailure::Status(s) => write!(f, "the server answered {s}"),
            ImageFailure::NotAnImage(what) => write!(f, "not an image: {what}"),
            ImageFailure::TooBig(why) => write!(f, "too big: {why}"),
            ImageFailure::Broken(why) => write!(f, "the image cannot be decoded: {why}"),
            ImageFailure::Timeout => f.write_str("no complete answer in time"),
            ImageFailure::Unreachable(why) => write!(f, "not reachable: {why}"),
            ImageFailure::Redirects => f.write_str("the redirects loop or are too many"),
            ImageFailure::Skipped => f.write_str("not fetched"),
        }
    }
}

impl std::error::Error for ImageFailure {}

/// Downloads `url` (at most [`MAX_IMAGE_BYTES`], within `settings.timeout`) and decodes it
/// on a blocking thread. Builds its own HTTP client: for many images, use
/// [`super::MediaClient::fetch_image`].
pub async fn fetch_image(
    url: &str,
    settings: &MediaSettings,
) -> Result<DecodedImage, ImageFailure> {
    let client = super::MediaClient::new(settings).map_err(ImageFailure::Unreachable)?;
    client.fetch_image(url).await
}

pub(super) async fn fetch(
    clients: &net::Clients,
    settings: &MediaSettings,
    url: &str,
) -> Result<DecodedImage, ImageFailure> {
    if !settings.enabled {
        return Err(ImageFailure::Skipped);
    }
    let start = match Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
        _ => return Err(ImageFailure::Skipped),
    };
    let bytes = tokio::time::timeout(settings.timeout, download(clients, settings, start))
        .await
        .map_err(|_| ImageFailure::Timeout)??;
    // A decoder that panicked anyway is a broken file, not a crash.
    tokio::task::spawn_blocking(move || decode_image(&bytes))
        .await
        .map_err(|_| ImageFailure::Broken("the decoder failed".into()))?
}

async fn download(
    clients: &net::Clients,
    settings: &MediaSettings,
    start: Url,
) -> Result<Vec<u8>, ImageFailure> {
    let mut chain = Vec::new();
    let reply = match probe::follow(clients, settings, start, Method::Get, 0, &mut chain).await {
        Ok(r) => r,
        Err(Stop::Done(Probe::Skipped(_))) => return Err(ImageFailure::Skipped),
        Err(Stop::Done(Probe::Redirects { .. })) => return Err(ImageFailure::Redirects),
        Err(Stop::Done(Probe::Unreachable { host, failure })) => {
            return Err(ImageFailure::Unreachable(describe(&host, &failure)));
        }
        Err(Stop::Done(Probe::Answered(a))) => return Err(ImageFailure::Status(a.status)),
        Err(Stop::Network { url, error }) => {
            let f = net::classify(&error, settings.timeout);
            return Err(failure(&net::host_port(&url), f));
        }
    };
    let status = reply.response.status();
    if !status.is_success() {
        return Err(ImageFailure::Status(status.as_u16()));
    }
    if let Some(n) = probe::content_length(reply.response.headers())
        && n > MAX_IMAGE_BYTES
    {
        return Err(ImageFailure::TooBig(format!(
            "{} bytes; the preview downloads at most {MAX_IMAGE_BYTES}",
            n
        )));
    }
    // One byte past the cap tells a file that is too big from one that fits exactly.
    let cap = usize::try_from(MAX_IMAGE_BYTES).unwrap_or(usize::MAX);
    let host = net::host_port(&reply.url);
    let (bytes, error) = probe::first_bytes(reply.response, cap + 1).await;
    if let Some(e) = error {
        return Err(failure(&host, net::classify(&e, settings.timeout)));
    }
    if bytes.len() > cap {
        return Err(ImageFailure::TooBig(format!(
            "more than {MAX_IMAGE_BYTES} bytes; the preview downloads at most that"
        )));
    }
    Ok(bytes)
}

/// True when the check of a URL could not reach it (no HTTP answer, or redirects that loop
/// or are too many): its picture is not downloaded, see [`unreachable`].
pub fn check_unreachable(probe: &super::Probe) -> bool {
    matches!(
        probe,
        super::Probe::Unreachable { .. } | super::Probe::Redirects { .. }
    )
}

/// What a download of a URL would report, when its check could not reach it; `None` when
/// the check got an answer or did not ask. The download goes the check's way (the same
/// client settings), so it would fail the same way.
pub fn unreachable(probe: &super::Probe) -> Option<ImageFailure> {
    match probe {
        super::Probe::Unreachable { host, failure: f } => Some(failure(host, f.clone())),
        super::Probe::Redirects { .. } => Some(ImageFailure::Redirects),
        super::Probe::Skipped(_) | super::Probe::Answered(_) => None,
    }
}

/// What a download reports when `host` gave no (complete) HTTP answer.
pub(super) fn failure(host: &str, f: NetFailure) -> ImageFailure {
    match f {
        NetFailure::Timeout(_) => ImageFailure::Timeout,
        f => ImageFailure::Unreachable(describe(host, &f)),
    }
}

fn describe(host: &str, f: &NetFailure) -> String {
    match f {
        NetFailure::Dns => format!("{host} could not be found"),
        NetFailure::Refused => format!("{host} refused the connection"),
        NetFailure::Timeout(_) => format!("{host} did not answer in time"),
        NetFailure::Tls(why) => format!("TLS failed with {host} ({why})"),
        NetFailure::Closed(why) => format!("{host} closed the connection ({why})"),
        NetFailure::BadRedirect(what) | NetFailure::Other(what) => format!("{host}: {what}"),
    }
}

/// The decoder's limits: [`MAX_DIMENSION`] each way, [`MAX_DECODE_ALLOC`] of memory.
pub fn limits() -> ::image::Limits {
    let mut l = ::image::Limits::default();
    l.max_image_width = Some(MAX_DIMENSION);
    l.max_image_height = Some(MAX_DIMENSION);
    l.max_alloc = Some(MAX_DECODE_ALLOC);
    l
}

/// Decodes PNG, JPEG, GIF (first frame) or WebP bytes within [`limits`]. Never panics on
/// hostile input: it is refused with a reason.
pub fn decode_image(bytes: &[u8]) -> Result<DecodedImage, ImageFailure> {
    use ::image::{ImageError, ImageFormat, ImageReader};
    let kind = sniff::sniff(bytes);
    let format = match kind {
        FileType::Png => ImageFormat::Png,
        FileType::Jpeg => ImageFormat::Jpeg,
        FileType::Gif => ImageFormat::Gif,
        FileType::WebP => ImageFormat::WebP,
        FileType::Unknown if bytes.is_empty() => {
            return Err(ImageFailure::NotAnImage("an empty file".into()));
        }
        other => {
            return Err(ImageFailure::NotAnImage(format!(
                "{} {}",
                other.article(),
                other.name()
            )));
        }
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    match reader.decode() {
        Ok(image) => Ok(DecodedImage {
            image,
            format: kind,
            bytes: bytes.len(),
        }),
        Err(ImageError::Limits(e)) => Err(ImageFailure::TooBig(format!(
            "{e} (at most {MAX_DIMENSION}×{MAX_DIMENSION} pixels and {} MiB to decode)",
            MAX_DECODE_ALLOC / 1024 / 1024
        ))),
        Err(ImageError::Unsupported(e)) => Err(ImageFailure::NotAnImage(e.to_string())),
        Err(e) => Err(ImageFailure::Broken(net::visible(&e.to_string()))),
    }
}
