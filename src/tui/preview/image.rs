//! Pictures in media areas: a card's media (cropped as its height crops it), a media
//! message's and an MMS's file. What the store holds is drawn; what it lacks is noted for
//! the app to fetch ([`crate::tui::pictures`]), and meanwhile the hatched box says
//! `loading…`, or why there is no picture in one word. With pictures off (`images = false`,
//! Alt-I, `NO_COLOR`) the box is the hatched one of [`media_area`].

use super::canvas::Canvas;
use super::rcs::media_area;
use super::strings::{self, MediaKind};
use super::{Ctx, Shown};
use crate::media::{self, ImageFailure, Probe};
use crate::message::FieldPath;
use crate::tui::pictures::{EncodeKey, Encoded, Fit, ImageStore, Load, Want};
use crate::tui::theme;
use ratatui::style::{Color, Style};
use ratatui::widgets::Widget;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// What the preview reads to draw pictures: the downloads and encodings, and the probes (a
/// file the check found to be a video is not downloaded).
#[derive(Clone, Copy)]
pub struct Pictures<'a> {
    pub store: &'a ImageStore,
    pub probes: &'a HashMap<String, Probe>,
    /// The field being typed in ([`crate::tui::app::App::typing`]): its URL may be half
    /// written, so it is not downloaded.
    pub typing: Option<&'a FieldPath>,
    /// Changes so far to the store and the probes: a carousel card drawn with pictures is
    /// kept only while this stays the same (see `DrawnKey`).
    pub generation: u64,
}

impl Pictures<'_> {
    /// True when the check could not reach `url`: its picture is not downloaded (the card's
    /// box says what the check found).
    pub fn not_downloaded(&self, url: &str) -> bool {
        self.probes.get(url).is_some_and(media::check_unreachable)
    }
}

/// How a card's media area crops its picture: RBM's card width (carousel or standalone)
/// and the dp height of its `height` (MEDIUM when unset, as the preview draws it).
pub(crate) fn card_fit(carousel: bool, height: Option<&str>) -> Fit {
    use media::geometry::{CAROUSEL_CARD_WIDTH_DP, MEDIUM_DP, STANDALONE_CARD_WIDTH_DP, height_dp};
    Fit::Card {
        width_dp: if carousel {
            CAROUSEL_CARD_WIDTH_DP
        } else {
            STANDALONE_CARD_WIDTH_DP
        },
        height_dp: height.and_then(height_dp).unwrap_or(MEDIUM_DP),
    }
}

/// What a media area shows.
enum Show<'s> {
    Picture {
        encoded: &'s Arc<Encoded>,
        play: bool,
    },
    Note(Cow<'static, str>),
    /// The hatched box as it is (no URL to fetch).
    Plain,
}

/// The media area `w`×`rows` at (`x`, `y`) for the media of `obj` (at `base`): its picture
/// when there is one, else the hatched box with `lines` (and what became of the picture).
/// The URL in the field being typed is not downloaded (it may be half written) until the
/// focus leaves it.
pub(crate) fn media(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    (x, y): (i32, i32),
    (w, rows): (usize, u16),
    lines: &[Shown<'_>],
    (obj, base): (&Map<String, Value>, &FieldPath),
    fit: Fit,
) {
    let pictures = match ctx.pictures {
        Some(p) if c.shows_rows(y, i32::from(rows)) && w >= 3 && rows > 0 => p,
        // Off, measuring, or out of view: nothing to fetch or draw.
        _ => return media_area(c, x, y, w, rows, lines),
    };
    let cols = u16::try_from(w).unwrap_or(u16::MAX);
    let key = |url: &str| EncodeKey {
        url: url.to_string(),
        cols,
        rows,
        fit,
    };
    let web = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .filter(|u| media::is_checkable(u))
            .filter(|u| pictures.typing != Some(&base.key(k)) || pictures.store.load(u).is_some())
    };
    let (file, thumb) = (web("mediaUrl"), web("thumbnailUrl"));
    let video = file.is_some_and(|u| is_video(pictures.probes, u, obj));
    let image = file.filter(|_| !video);
    // A URL the check could not reach is not downloaded: the download would fail the same
    // way, so the area says at once what the check found (F9 checks and downloads again).
    let unreachable = |u: &str| media::unreachable(pictures.probes.get(u)?);
    // The thumbnail first: it is small, and shown until the media arrives.
    for u in thumb.into_iter().chain(image) {
        match pictures.store.load(u) {
            None if pictures.not_downloaded(u) => {}
            None => ctx.want(Want::Load(u.to_string())),
            Some(Load::Ready(_)) if pictures.store.encoded(&key(u)).is_none() => {
                ctx.want(Want::Encode(key(u)))
            }
            _ => {}
        }
    }
    let ready = |u: &str| pictures.store.encoded(&key(u)).flatten();
    let failed = |u: &str| match pictures.store.load(u) {
        Some(Load::Failed(e)) => Some(Cow::Owned(e.reason())),
        None => unreachable(u).map(|e| Cow::Owned(e.reason())),
        Some(Load::Ready(_)) if pictures.store.encode_failed(&key(u)) => {
            Some(Cow::Owned(ImageFailure::Broken(String::new()).reason()))
        }
        _ => None,
    };
    let show = match (image, thumb) {
        (Some(i), _) if failed(i).is_some() => Show::Note(failed(i).unwrap_or_default()),
        (Some(i), t) => match ready(i).or_else(|| t.and_then(ready)) {
            Some(encoded) => Show::Picture {
                encoded,
                play: false,
            },
            None => Show::Note(strings::LOADING.into()),
        },
        (None, Some(t)) => match (ready(t), failed(t)) {
            (Some(encoded), _) => Show::Picture {
                encoded,
                play: video,
            },
            (None, Some(why)) => Show::Note(why),
            (None, None) => Show::Note(strings::LOADING.into()),
        },
        (None, None) if video => Show::Note(strings::PLAY.into()),
        (None, None) => Show::Plain,
    };
    match show {
        Show::Plain => media_area(c, x, y, w, rows, lines),
        Show::Note(note) => {
            let mut with = Vec::with_capacity(lines.len() + 1);
            with.push(Shown::plain(note, theme::warning()));
            with.extend(lines.iter().cloned());
            media_area(c, x, y, w, rows, &with);
        }
        Show::Picture { encoded, play } => {
            media_area(c, x, y, w, rows, &[]);
            let size = encoded.size;
            let (px, py) = (
                x + i32::from(cols.saturating_sub(size.width) / 2),
                y + i32::from(rows.saturating_sub(size.height) / 2),
            );
            let halfblocks = matches!(
                encoded.protocol,
                ratatui_image::protocol::Protocol::Halfblocks(_)
            );
            let drawn = c.block(px, py, (size.width, size.height), !halfblocks, |r, buf| {
                ratatui_image::Image::new(&encoded.protocol).render(r, buf);
                if play && halfblocks {
                    let centre = (r.x + r.width / 2, r.y + r.height / 2);
                    if let Some(cell) = buf.cell_mut(centre) {
                        cell.set_symbol(strings::PLAY)
                            .set_style(Style::new().fg(Color::White).bg(Color::Black));
                    }
                }
            });
            if !drawn {
                media_area(c, x, y, w, rows, lines);
            }
        }
    }
}

/// A video is not downloaded: the check found it is one, else its name says so.
fn is_video(probes: &HashMap<String, Probe>, url: &str, obj: &Map<String, Value>) -> bool {
    if let Some(Probe::Answered(a)) = probes.get(url) {
        match a.sniffed {
            Some(t) if t.is_video() => return true,
            Some(t) if t.is_image() => return false,
            _ => {}
        }
        if a.content_type
            .as_deref()
            .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("video/"))
        {
            return true;
        }
    }
    let name = match obj.get("filenameOverride") {
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        _ => url.split(['?', '#']).next().unwrap_or(url),
    };
    MediaKind::from_name(name) == MediaKind::Video
}
