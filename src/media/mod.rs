//! Media pre-flight and images for the preview (issue 14).
//!
//! Before a card is sent, every media URL of the draft is checked the way RBM will fetch it:
//! reachable, 2xx, a Content-Type RBM takes and that matches the file's first bytes, a
//! sensible size, and an image shape the card's height does not crop hard. The network part
//! ([`MediaClient::probe`]) records what it saw in a [`Probe`]; the pure part ([`findings`])
//! turns probes into warnings at the fields' paths, so it is tested without a network.
//! [`MediaCache`] keeps probes per URL so the check re-runs cheaply after every edit.
//!
//! [`image`] downloads and decodes pictures for the preview, within limits.
//!
//! This layer uses `message`, `text` and `client` (loopback hosts, transport failures, the
//! resolver): no terminal, no store.

mod cache;
mod findings;
pub mod geometry;
pub mod image;
mod names;
mod net;
mod probe;
pub mod sniff;
mod urls;

pub use cache::{CONCURRENT_PROBES, MediaCache};
pub use findings::{
    ASPECT_TOLERANCE, HARD_CROP, RBM_IMAGE_TYPES, RBM_MAX_MEDIA_BYTES, RBM_RECOMMENDED_IMAGE_BYTES,
    RBM_RECOMMENDED_THUMBNAIL_BYTES, RBM_RECOMMENDED_VIDEO_BYTES, RBM_VIDEO_TYPES, findings,
    human_size,
};
pub use geometry::crop_for_height;
pub use image::{
    DecodedImage, ImageFailure, check_unreachable, decode_image, fetch_image, unreachable,
};
pub use names::{NameFailure, Names};
pub use net::{NetFailure, USER_AGENT};
pub use probe::{Answer, Probe, SNIFF_BYTES, Skip};
pub use sniff::{FileType, dimensions, sniff};
pub use urls::{is_checkable, media_urls, read_by_the_check};

use std::path::PathBuf;
use std::time::Duration;

/// How the media check and the preview's downloads reach the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaSettings {
    /// False: nothing is contacted; every probe is `Skipped(Disabled)`.
    pub enabled: bool,
    /// For the whole check of one URL (every redirect, the HEAD and the ranged GET), or one
    /// image download.
    pub timeout: Duration,
    /// Redirects followed before giving up; a loop stops at once.
    pub max_redirects: usize,
    /// PEM files of extra certificate authorities to trust (a company CA).
    pub extra_root_certs: Vec<PathBuf>,
    pub proxy: ProxyChoice,
    /// Hosts never contacted (and the hosts below them): `intranet.example`, `10.0.0.5`.
    pub private_hosts: Vec<String>,
}

impl Default for MediaSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            timeout: Duration::from_secs(5),
            max_redirects: 5,
            extra_root_certs: Vec::new(),
            proxy: ProxyChoice::FromEnvironment,
            private_hosts: Vec::new(),
        }
    }
}

/// Which proxy to use: the client's, shared with sending.
pub use crate::client::ProxyChoice;

/// The HTTP side of the media check: built once from [`MediaSettings`], cheap to clone
/// (the connection pools are shared).
#[derive(Debug, Clone)]
pub struct MediaClient {
    settings: std::sync::Arc<MediaSettings>,
    clients: net::Clients,
}

impl MediaClient {
    /// Fails only when a CA file cannot be read or parsed, or the proxy URL is unusable.
    pub fn new(settings: &MediaSettings) -> Result<Self, String> {
        Ok(Self {
            clients: net::Clients::new(settings)?,
            settings: std::sync::Arc::new(settings.clone()),
        })
    }

    pub fn settings(&self) -> &MediaSettings {
        &self.settings
    }

    /// Checks one URL: see [`Probe`]. Never fails and never takes longer than the timeout.
    pub async fn probe(&self, url: &str) -> Probe {
        probe::probe(&self.clients, &self.settings, url).await
    }

    /// Downloads and decodes one image for the preview: see [`image::fetch_image`].
    pub async fn fetch_image(&self, url: &str) -> Result<DecodedImage, ImageFailure> {
        image::fetch(&self.clients, &self.settings, url).await
    }
}
