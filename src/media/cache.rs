//! Probes kept per URL while the app runs, so re-running the check after every edit costs a
//! hash lookup per URL; only a new URL goes to the network.

use super::MediaClient;
use super::findings::findings;
use super::probe::Probe;
use super::urls::media_urls;
use crate::message::Issue;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How many URLs `check_urls` probes at once.
pub const CONCURRENT_PROBES: usize = 8;

/// The probes, by URL, and the URLs being probed. Owned by one place (the app's state, the
/// command line's run); the probing itself happens in tasks that answer with
/// `(url, Probe)`, stored with [`MediaCache::insert`].
#[derive(Debug, Clone, Default)]
pub struct MediaCache {
    probes: HashMap<String, Probe>,
    in_flight: HashSet<String>,
    /// Counts the changes to `probes`, so that a drawing that read them (the composer's
    /// carousel cards) can tell whether it still holds.
    generation: u64,
}

impl MediaCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, url: &str) -> Option<&Probe> {
        self.probes.get(url)
    }

    /// Changes so far to the probes (an answer stored, one forgotten).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many URLs are being probed.
    pub fn pending(&self) -> usize {
        self.in_flight.len()
    }

    /// Every probe so far, for [`super::findings`].
    pub fn probes(&self) -> &HashMap<String, Probe> {
        &self.probes
    }

    /// The media URLs of `doc` that have no probe and are not being probed, each once, in
    /// schema order; they are marked as being probed.
    pub fn to_check(&mut self, doc: &Value) -> Vec<String> {
        self.to_check_where(doc, |_| true)
    }

    /// As [`MediaCache::to_check`], only for the fields whose path `keep` accepts (the
    /// composer leaves out the URL being typed).
    pub fn to_check_where(
        &mut self,
        doc: &Value,
        keep: impl Fn(&crate::message::FieldPath) -> bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for (path, url) in media_urls(doc) {
            if keep(&path) && !self.probes.contains_key(&url) && self.in_flight.insert(url.clone())
            {
                out.push(url);
            }
        }
        out
    }

    /// Stores the answer for `url`.
    pub fn insert(&mut self, url: String, probe: Probe) {
        self.in_flight.remove(&url);
        self.probes.insert(url, probe);
        self.generation += 1;
    }

    /// Forgets `url`, so the next `to_check` lists it again. True if there was a probe.
    /// (An answer still on its way is stored when it comes, and replaced by the new one.)
    pub fn recheck(&mut self, url: &str) -> bool {
        self.in_flight.remove(url);
        self.generation += 1;
        self.probes.remove(url).is_some()
    }

    /// The media findings for `doc` from the probes so far.
    pub fn findings(&self, doc: &Value) -> Vec<Issue> {
        findings(doc, &self.probes)
    }

    /// Probes every URL of `doc` not probed yet, [`CONCURRENT_PROBES`] at a time, and waits
    /// for all of them.
    pub async fn check(&mut self, doc: &Value, client: &MediaClient) {
        let urls = self.to_check(doc);
        self.check_urls(urls, client).await;
    }

    /// Probes `urls` (those without a probe), [`CONCURRENT_PROBES`] at a time, and waits.
    pub async fn check_urls(&mut self, urls: Vec<String>, client: &MediaClient) {
        let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_PROBES));
        let mut tasks = tokio::task::JoinSet::new();
        let mut asked = HashSet::new();
        for url in urls {
            if self.probes.contains_key(&url) || !asked.insert(url.clone()) {
                continue;
            }
            self.in_flight.insert(url.clone());
            let (client, permits) = (client.clone(), permits.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let probe = client.probe(&url).await;
                (url, probe)
            });
        }
        while let Some(done) = tasks.join_next().await {
            if let Ok((url, probe)) = done {
                self.insert(url, probe);
            }
        }
        // A probe task does not panic; if one did, its URL is listed by `to_check` again.
        for url in asked {
            if !self.probes.contains_key(&url) {
                self.in_flight.remove(&url);
            }
        }
    }
}
