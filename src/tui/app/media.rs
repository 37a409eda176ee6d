//! The media check and the preview's pictures, as the app sees them: when to check, what
//! the checks found (a third source of problems, beside the validator's and the server's),
//! and which pictures to download and encode. The network work is the runtime's
//! (`runtime/media.rs`); this room only decides and stores.
//!
//! When to check: never on a keystroke. A check point is when the focus moves to another
//! row, or when the draft changed and the autosave's pause has passed (the loop's one
//! deadline), or F9. The URL in the field being typed (focused and changed since) is left
//! out until the focus leaves it (or F9), so a half-typed host is never asked for; a URL the
//! focus merely rests on is checked. Probes are kept per URL while the app runs; F9 forgets
//! them.

use super::App;
use crate::media::{self, MediaCache, MediaSettings, Probe};
use crate::store::config::Config;
use crate::tui::action::Effect;
use crate::tui::pictures::{EncodeKey, Encoded, Graphics, ImageStore, Picture, Want};
use crate::tui::strings as s;
use crate::tui::theme;
use std::sync::Arc;

/// Work for the runtime's network side.
#[derive(Debug, Clone)]
pub enum MediaJob {
    /// Check these URLs (a few at a time); each answers `Message::MediaProbed`.
    Probe {
        urls: Vec<String>,
        settings: Arc<MediaSettings>,
    },
    /// Download and decode one picture; answers `Message::ImageLoaded`.
    Load {
        url: String,
        settings: Arc<MediaSettings>,
    },
    /// Encode a picture for one media area; answers `Message::ImageEncoded`.
    Encode {
        key: EncodeKey,
        picture: Arc<Picture>,
        graphics: Graphics,
    },
}

/// The media check's and the pictures' state.
pub struct MediaState {
    /// Check the draft's media URLs (`media_check` in config.toml, `--no-media-check`).
    pub check: bool,
    /// Draw pictures in the preview (`images` in config.toml, Alt-I), when colours are on.
    pub images: bool,
    /// The terminal has colours (`TERM` is neither unset nor `dumb`): pictures need them.
    pub terminal_colours: bool,
    /// config.toml could not be read: the hosts it marks private are unknown, so nothing is
    /// contacted, whatever F9 or Alt-I ask.
    pub config_unreadable: bool,
    /// How the network is reached: timeout, redirects, proxy, CA files, private hosts.
    pub settings: Arc<MediaSettings>,
    /// `--no-media-check`, kept for config.toml read again (Ctrl-P).
    no_media_check: bool,
    /// The hosts config.toml's profiles mark private.
    private_hosts: Vec<String>,
    /// The probes, by URL.
    pub cache: MediaCache,
    pub pictures: ImageStore,
    /// The focus and the draft's generation at the last check point.
    last_focus: usize,
    checked_generation: u64,
    /// Probes came back whose findings are not shown yet ([`App::settle_media`]).
    findings_due: bool,
}

impl Default for MediaState {
    /// Off: the real app turns the check and the pictures on from its config
    /// ([`App::configure_media`]); tests and benchmarks choose.
    fn default() -> Self {
        MediaState {
            check: false,
            images: false,
            terminal_colours: true,
            config_unreadable: false,
            settings: Arc::new(MediaSettings::default()),
            no_media_check: false,
            private_hosts: Vec::new(),
            cache: MediaCache::new(),
            pictures: ImageStore::default(),
            last_focus: usize::MAX,
            checked_generation: u64::MAX,
            findings_due: false,
        }
    }
}

impl MediaState {
    /// The draft's value at `path` changed, making generation `generation`: when the
    /// check had seen the generation before and it does not read that field, it has seen
    /// this one too.
    pub(super) fn checked_value(&mut self, generation: u64, path: &crate::message::FieldPath) {
        if self.checked_generation == generation.wrapping_sub(1)
            && path
                .last_key()
                .is_some_and(|k| !media::read_by_the_check(k))
        {
            self.checked_generation = generation;
        }
    }

    /// True when the preview draws pictures.
    pub fn showing_images(&self) -> bool {
        self.images && self.can_show_images()
    }

    /// Colours on (no `NO_COLOR`) in a terminal that has them.
    fn can_show_images(&self) -> bool {
        theme::colors_on() && self.terminal_colours
    }
}

impl App {
    /// Sets the media check and the pictures from config.toml and the command line: on
    /// unless `media_check = false` / `images = false` / `--no-media-check`; a host any
    /// profile marks private is never contacted. Call it once the profiles are known: the
    /// check trusts the active one's CA file, as its send would.
    pub fn configure_media(&mut self, config: Option<&Config>, no_media_check: bool) {
        self.media.no_media_check = no_media_check;
        self.media.check = !no_media_check && config.is_none_or(|c| c.media_check);
        self.media.images = config.is_none_or(|c| c.images);
        self.media.private_hosts = private_hosts(config);
        self.media.config_unreadable = false;
        self.media_transport_changed();
    }

    /// config.toml was read again (Ctrl-P): its private hosts apply at once; the switches
    /// too when it could not be read before (they never applied). Alt-I stays as it is.
    pub(super) fn media_config_read(&mut self, config: Result<Option<&Config>, ()>) {
        match config {
            Err(()) => self.configure_media_without_config(),
            Ok(c) if self.media.config_unreadable => {
                self.configure_media(c, self.media.no_media_check)
            }
            Ok(c) => {
                self.media.private_hosts = private_hosts(c);
                self.media_transport_changed();
            }
        }
    }

    /// The private hosts, or the active profile (its CA file), changed: the check and the
    /// downloads go the way a send would (the same proxy settings and trusted CAs, see
    /// [`crate::client::client_builder`]). What was asked with other settings is asked again.
    pub(super) fn media_transport_changed(&mut self) {
        // `--cacert` first, as for sending.
        let ca_file = self.session.target.ca_file.clone().or_else(|| {
            let active = self.session.profiles.active()?;
            active.source.resolve_without_secret().ok()?.0.ca_file
        });
        let settings = Arc::new(MediaSettings {
            private_hosts: self.media.private_hosts.clone(),
            extra_root_certs: ca_file.into_iter().collect(),
            ..MediaSettings::default()
        });
        if settings != self.media.settings {
            self.media.settings = settings;
            self.media.cache = MediaCache::new();
            let graphics = self.media.pictures.graphics;
            self.media.pictures = ImageStore::default();
            self.media.pictures.set_graphics(graphics);
        }
        self.media.last_focus = usize::MAX;
        self.media_after_update();
    }

    /// config.toml exists but could not be read: which hosts its profiles mark private is
    /// unknown, so the media check and the pictures stay off (F9 and Alt-I say why).
    pub fn configure_media_without_config(&mut self) {
        self.media.check = false;
        self.media.images = false;
        self.media.config_unreadable = true;
        self.problems.set_media(&[]);
    }

    /// Called after every message: a check point when the focus moved, or when the draft
    /// changed and the autosave's pause has passed. Costs two comparisons otherwise. A draft
    /// changed only at a field the check does not read (see [`MediaState::checked_value`])
    /// is not checked again: that took 0.3-0.5 M instructions, as much as a key's frame,
    /// every autosave while someone typed a title.
    pub(super) fn media_after_update(&mut self) {
        let idle = self.save.autosave_due.is_none()
            && self.save.generation != self.media.checked_generation;
        if self.form.focus == self.media.last_focus && !idle {
            return;
        }
        self.media.last_focus = self.form.focus;
        self.media.checked_generation = self.save.generation;
        self.check_media(false);
    }

    /// Asks for the probes the draft lacks (all of them with `typed_too`, else all but the
    /// URL being typed) and shows what the probes so far found.
    fn check_media(&mut self, typed_too: bool) {
        if self.media.check {
            let typing = self.typing().cloned();
            let urls = self
                .media
                .cache
                .to_check_where(&self.doc, |p| typed_too || Some(p) != typing.as_ref());
            if !urls.is_empty() {
                self.effects.push(Effect::Media(MediaJob::Probe {
                    urls,
                    settings: self.media.settings.clone(),
                }));
            }
        }
        self.show_media_findings();
    }

    /// The field whose text is being typed: focused, and changed since the focus came. A
    /// URL there may be half written, so it is neither checked nor downloaded; a media URL
    /// merely focused (F8 to its finding) is.
    pub fn typing(&self) -> Option<&crate::message::FieldPath> {
        self.form
            .input
            .as_ref()
            .filter(|i| i.edited())
            .map(|i| &i.path)
    }

    fn show_media_findings(&mut self) {
        self.media.findings_due = false;
        let found = if self.media.check {
            self.media.cache.findings(&self.doc)
        } else {
            Vec::new()
        };
        self.problems.set_media(&found);
    }

    /// A probe came back. Its finding is shown by [`App::settle_media`]: probes that share a
    /// lookup come back together (a draft's 21 URLs on one host), and working out the
    /// findings once for all of them, not once each, takes 40 us instead of 0.9 ms.
    pub(super) fn media_probed(&mut self, url: String, probe: Probe) {
        self.media.cache.insert(url, probe);
        self.media.findings_due = true;
    }

    /// Shows the findings of the probes that came back since the last time: before any
    /// other message is handled, and before a frame.
    pub fn settle_media(&mut self) {
        if self.media.findings_due {
            self.show_media_findings();
        }
    }

    /// F9: every media URL of the draft checked again (the one being typed too), and its
    /// pictures downloaded again.
    pub(super) fn recheck_media(&mut self) {
        let urls = media::media_urls(&self.doc);
        for (_, url) in &urls {
            self.media.cache.recheck(url);
            self.media.pictures.forget(url);
        }
        self.check_media(true);
        if self.media.config_unreadable {
            self.say(s::MEDIA_NEEDS_CONFIG);
        } else if self.media.check {
            self.say(s::media_rechecking(urls.len()));
        } else {
            self.say(s::MEDIA_CHECK_OFF);
        }
    }

    /// Alt-I.
    pub(super) fn toggle_images(&mut self) {
        if self.media.config_unreadable {
            return self.say(s::MEDIA_NEEDS_CONFIG);
        }
        self.media.images = !self.media.images;
        if !self.media.can_show_images() {
            self.say(s::IMAGES_NEED_COLOR);
        } else if self.media.images {
            self.say(s::IMAGES_ON);
        } else {
            self.say(s::IMAGES_OFF);
        }
    }

    pub(super) fn image_loaded(
        &mut self,
        url: String,
        result: Result<Arc<Picture>, media::ImageFailure>,
    ) {
        self.media.pictures.loaded(url, result);
    }

    pub(super) fn image_encoded(&mut self, key: EncodeKey, graphics: Graphics, r: Option<Encoded>) {
        self.media.pictures.encoded_done(key, graphics, r);
    }

    /// After a frame: the downloads and encodings it lacked become work for the runtime.
    pub fn pictures_wanted(&mut self) {
        let wanted = std::mem::take(&mut self.view.preview.wanted);
        if !self.media.showing_images() {
            return;
        }
        for w in wanted {
            match w {
                Want::Load(url) => {
                    if self.media.pictures.start_load(&url) {
                        self.effects.push(Effect::Media(MediaJob::Load {
                            url,
                            settings: self.media.settings.clone(),
                        }));
                    }
                }
                Want::Encode(key) => {
                    if let Some(picture) = self.media.pictures.start_encode(&key) {
                        self.effects.push(Effect::Media(MediaJob::Encode {
                            key,
                            picture,
                            graphics: self.media.pictures.graphics,
                        }));
                    }
                }
            }
        }
    }
}

/// The hosts any profile of `config` marks private.
fn private_hosts(config: Option<&Config>) -> Vec<String> {
    config
        .map(|c| {
            c.profile_names()
                .iter()
                .filter_map(|n| c.profile(n))
                .flat_map(|p| p.private_hosts.iter().cloned())
                .collect()
        })
        .unwrap_or_default()
}
