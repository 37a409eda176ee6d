//! Media work on the network runtime: probes (a few at a time), picture downloads (fewer),
//! and encodings (on blocking threads, one per core). Each answers through the channel; none
//! ever blocks the UI thread, and a send never waits for any of them.

use super::Runtime;
use crate::media::{
    CONCURRENT_PROBES, ImageFailure, MediaClient, MediaSettings, Names, NetFailure, Probe, Skip,
};
use crate::tui::action::Message;
use crate::tui::app::MediaJob;
use crate::tui::pictures::{self, Picture};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Downloads at once: pictures are up to 10 MB each.
const CONCURRENT_LOADS: usize = 4;
/// Encodings at once: the machine's cores are shared with everything else.
const CONCURRENT_ENCODES: usize = 2;

/// The HTTP client for some settings, built by the first task that needs it, on a blocking
/// thread: building one reads the system's trust store (10 ms and more), which must not
/// hold the first frame or a key.
type SharedClient = Arc<tokio::sync::OnceCell<Result<MediaClient, String>>>;

/// The HTTP client (built once per settings), the names being looked up, and the limits on
/// work in flight.
pub(super) struct MediaWorker {
    client: Option<(Arc<MediaSettings>, SharedClient)>,
    /// A URL whose host is not found is settled before the client is built, or waited for.
    names: Names,
    probes: Arc<Semaphore>,
    loads: Arc<Semaphore>,
    encodes: Arc<Semaphore>,
    /// Names each image for a kitty terminal.
    next_kitty_id: u32,
}

impl Default for MediaWorker {
    fn default() -> Self {
        MediaWorker {
            client: None,
            names: Names::new(),
            probes: Arc::new(Semaphore::new(CONCURRENT_PROBES)),
            loads: Arc::new(Semaphore::new(CONCURRENT_LOADS)),
            encodes: Arc::new(Semaphore::new(CONCURRENT_ENCODES)),
            // Distinct from another app's images in the same kitty window.
            next_kitty_id: std::process::id().wrapping_mul(2_654_435_761) | 1,
        }
    }
}

impl MediaWorker {
    fn client(&mut self, settings: &Arc<MediaSettings>) -> SharedClient {
        match &self.client {
            Some((s, c)) if s == settings => c.clone(),
            _ => {
                let c = SharedClient::default();
                self.client = Some((settings.clone(), c.clone()));
                c
            }
        }
    }
}

/// The client of `shared`, built now if no task did yet.
async fn client_of(
    shared: &SharedClient,
    settings: Arc<MediaSettings>,
) -> Result<MediaClient, String> {
    shared
        .get_or_init(|| async move {
            tokio::task::spawn_blocking(move || MediaClient::new(&settings))
                .await
                .unwrap_or_else(|e| Err(format!("the HTTP client could not be set up: {e}")))
        })
        .await
        .clone()
}

/// Has the system's resolver read its configuration now, on a thread of its own, while the
/// draft is read and the network starts: the media check's first lookup comes later, and
/// the first lookup in a process reads `/etc/nsswitch.conf`, `/etc/host.conf`,
/// `/etc/resolv.conf` and `/etc/hosts` first (2-3 ms on the machine the targets are
/// measured on, before its question is even asked). The name asked is `localhost`, which
/// `/etc/hosts` answers: nothing goes out, and no host of the draft is asked about before
/// the settings say it may be.
pub(super) fn load_resolver() {
    use std::net::ToSocketAddrs;
    let _ = std::thread::Builder::new()
        .name("rcs-composer-resolver".into())
        .spawn(|| drop(("localhost", 0).to_socket_addrs()));
}

impl Runtime {
    pub(super) fn media_job(&mut self, job: MediaJob) {
        let tx = self.tx.clone();
        let handle = self
            .net
            .as_ref()
            .and_then(|n| n.rt.as_ref())
            .map(|rt| rt.handle().clone());
        match job {
            MediaJob::Probe { urls, settings } => {
                // A check: its names are asked about again.
                self.media.names.new_check();
                let client = self.media.client(&settings);
                let Some(rt) = &handle else {
                    for url in urls {
                        let probe = Probe::Skipped(Skip::Disabled);
                        let _ = tx.send(Message::MediaProbed { url, probe });
                    }
                    return;
                };
                // The URLs on one host share its lookup, before any permit; when the name is
                // not found they are settled together, in one message.
                for group in by_name(&settings, urls) {
                    let (tx, client) = (tx.clone(), client.clone());
                    let settings = settings.clone();
                    let permits = self.media.probes.clone();
                    let names = self.media.names.clone();
                    rt.spawn(async move {
                        let mut settled = Vec::new();
                        for url in group {
                            if let Some(f) = names.failure(&settings, &url).await {
                                settled.push((url, f.probe()));
                                continue;
                            }
                            let (tx, client) = (tx.clone(), client.clone());
                            let (settings, permits) = (settings.clone(), permits.clone());
                            tokio::spawn(async move {
                                let _permit = permits.acquire_owned().await;
                                let probe = match client_of(&client, settings).await {
                                    Ok(c) => c.probe(&url).await,
                                    Err(e) => Probe::Unreachable {
                                        host: String::new(),
                                        failure: NetFailure::Other(e),
                                    },
                                };
                                let _ = tx.send(Message::MediaProbed { url, probe });
                            });
                        }
                        if !settled.is_empty() {
                            let _ = tx.send(Message::MediaProbedTogether { probes: settled });
                        }
                    });
                }
            }
            MediaJob::Load { url, settings } => {
                let client = self.media.client(&settings);
                let Some(rt) = &handle else {
                    let result = Err(ImageFailure::Skipped);
                    let _ = tx.send(Message::ImageLoaded { url, result });
                    return;
                };
                let permits = self.media.loads.clone();
                let names = self.media.names.clone();
                rt.spawn(async move {
                    if let Some(f) = names.failure(&settings, &url).await {
                        let result = Err(f.image());
                        let _ = tx.send(Message::ImageLoaded { url, result });
                        return;
                    }
                    let _permit = permits.acquire_owned().await;
                    let result = match client_of(&client, settings).await {
                        Ok(c) => load(&c, &url).await,
                        Err(e) => Err(ImageFailure::Unreachable(e)),
                    };
                    let _ = tx.send(Message::ImageLoaded { url, result });
                });
            }
            MediaJob::Encode {
                key,
                picture,
                graphics,
            } => {
                let id = self.media.next_kitty_id;
                self.media.next_kitty_id = id.wrapping_add(1).max(1);
                let work = move |tx: super::Tx| {
                    let result = pictures::encode(&picture, &key, graphics, id);
                    let _ = tx.send(Message::ImageEncoded {
                        key,
                        graphics,
                        result,
                    });
                };
                match &handle {
                    Some(rt) => {
                        let permits = self.media.encodes.clone();
                        rt.spawn(async move {
                            let _permit = permits.acquire_owned().await;
                            let _ = tokio::task::spawn_blocking(move || work(tx)).await;
                        });
                    }
                    // No runtime (a test without the network): a thread of its own.
                    None => {
                        let _ = std::thread::Builder::new()
                            .name("rcs-composer-encode".into())
                            .spawn(move || work(tx));
                    }
                }
            }
        }
    }
}

/// `urls` grouped by the name their check looks up (in the order they came); a URL whose
/// check asks the client straight away is a group of its own.
fn by_name(settings: &MediaSettings, urls: Vec<String>) -> Vec<Vec<String>> {
    let mut groups: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for url in urls {
        let name = Names::looked_up(settings, &url);
        match groups
            .iter_mut()
            .find(|(n, _)| name.is_some() && *n == name)
        {
            Some((_, g)) => g.push(url),
            None => groups.push((name, vec![url])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Downloads and decodes (the media layer's limits), then shrinks off the async thread.
async fn load(client: &MediaClient, url: &str) -> Result<Arc<Picture>, ImageFailure> {
    let decoded = client.fetch_image(url).await?;
    tokio::task::spawn_blocking(move || Arc::new(Picture::keep(decoded)))
        .await
        .map_err(|_| ImageFailure::Broken("the picture could not be scaled".into()))
}
