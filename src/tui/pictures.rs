//! Pictures for the preview. Each media URL is downloaded and decoded once, off the UI
//! thread, and kept shrunk ([`KEEP_SIDE`]); each size a media area asks for is encoded once
//! for the terminal (half-blocks, or kitty, sixel or iTerm2 where the terminal said it
//! can), also off the UI thread. Drawing a picture is copying the cells an encoding already
//! holds, so a keystroke costs the same with pictures on screen as without.
//!
//! The flow: the preview draws what the store holds and notes what it lacked ([`Want`]);
//! after the frame the app turns wants into work for the runtime, whose answers come back
//! as messages and are stored here; the next frame draws them.

use crate::media::{DecodedImage, ImageFailure, crop_for_height};
use image::DynamicImage;
use image::imageops::FilterType;
use ratatui::layout::Size;
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::protocol::iterm2::Iterm2;
use ratatui_image::protocol::kitty::Kitty;
use ratatui_image::protocol::sixel::Sixel;
use std::collections::HashMap;
use std::sync::Arc;

/// The longest side a downloaded picture is kept at: enough for a carousel card drawn with
/// 20-pixel-wide cells, and at most ~2 MB a picture.
pub const KEEP_SIDE: u32 = 768;
/// Downloads kept (a screen shows at most ten cards and their thumbnails).
pub const MAX_PICTURES: usize = 32;
/// Encodings kept (each picture at a few sizes, after resizes).
pub const MAX_ENCODINGS: usize = 96;

/// How pictures reach the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraphicsKind {
    /// Unicode half-blocks in colour: every terminal with colours.
    Halfblocks,
    Sixel,
    Kitty,
    Iterm2,
}

/// The terminal's way of drawing pictures and the size of its cells in pixels (for
/// half-blocks, a cell is 1×2: two pixels stacked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Graphics {
    pub kind: GraphicsKind,
    pub cell: (u16, u16),
}

impl Default for Graphics {
    fn default() -> Self {
        Graphics::HALFBLOCKS
    }
}

impl Graphics {
    pub const HALFBLOCKS: Graphics = Graphics {
        kind: GraphicsKind::Halfblocks,
        cell: (1, 2),
    };
}

/// How a picture fills its media area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fit {
    /// A card's media: the part RBM shows at this card width and media height, in dp
    /// ([`crop_for_height`], the same crop the media check reports), scaled into the area.
    Card { width_dp: u32, height_dp: u32 },
    /// A media message's or an MMS's file: the whole picture, scaled into the area.
    Whole,
}

/// One encoding: a picture, fitted, for a media area of `cols`×`rows` cells.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EncodeKey {
    pub url: String,
    pub cols: u16,
    pub rows: u16,
    pub fit: Fit,
}

/// A downloaded picture, shrunk to at most [`KEEP_SIDE`].
pub struct Picture {
    pub image: DynamicImage,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({}×{})", self.image.width(), self.image.height())
    }
}

impl Picture {
    /// Keeps `decoded` at most [`KEEP_SIDE`] on its longest side. Slow for a big image: call
    /// it off the UI thread.
    pub fn keep(decoded: DecodedImage) -> Picture {
        let image = decoded.image;
        let image = if image.width().max(image.height()) > KEEP_SIDE {
            image.resize(KEEP_SIDE, KEEP_SIDE, FilterType::Triangle)
        } else {
            image
        };
        Picture { image }
    }
}

/// A picture encoded for the terminal, and the cells it covers.
pub struct Encoded {
    pub protocol: Protocol,
    pub size: Size,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Encoded({}×{} cells)", self.size.width, self.size.height)
    }
}

/// Where a download stands.
#[derive(Debug, Clone)]
pub enum Load {
    Pending,
    Ready(Arc<Picture>),
    Failed(ImageFailure),
}

#[derive(Clone)]
enum EncodeState {
    Pending,
    Ready(Arc<Encoded>),
    Failed,
}

/// What a frame lacked: a download, or an encoding of a downloaded picture.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Want {
    Load(String),
    Encode(EncodeKey),
}

/// Every download and encoding, by URL and by size. The app owns it; the preview reads it.
#[derive(Default)]
pub struct ImageStore {
    pub graphics: Graphics,
    loads: HashMap<String, (u64, Load)>,
    encoded: HashMap<EncodeKey, (u64, EncodeState)>,
    /// Counts the changes, so that a cache of drawn cards can tell a picture arrived.
    generation: u64,
}

impl ImageStore {
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// True while a download or an encoding is under way.
    pub fn busy(&self) -> bool {
        self.loads.values().any(|(_, l)| matches!(l, Load::Pending))
            || self
                .encoded
                .values()
                .any(|(_, e)| matches!(e, EncodeState::Pending))
    }

    pub fn load(&self, url: &str) -> Option<&Load> {
        self.loads.get(url).map(|(_, l)| l)
    }

    /// The encoding for `key`: `Some(None)` while it is being made or when it failed.
    pub fn encoded(&self, key: &EncodeKey) -> Option<Option<&Arc<Encoded>>> {
        self.encoded.get(key).map(|(_, e)| match e {
            EncodeState::Ready(e) => Some(e),
            EncodeState::Pending | EncodeState::Failed => None,
        })
    }

    /// True when encoding `key` failed (the picture is there, but could not be drawn).
    pub fn encode_failed(&self, key: &EncodeKey) -> bool {
        matches!(self.encoded.get(key), Some((_, EncodeState::Failed)))
    }

    /// Marks `url` as being downloaded; false when it already is, or is done.
    pub fn start_load(&mut self, url: &str) -> bool {
        if self.loads.contains_key(url) {
            return false;
        }
        self.generation += 1;
        self.loads
            .insert(url.to_string(), (self.generation, Load::Pending));
        true
    }

    /// Stores a download's outcome (a stale one for a forgotten URL too: it was asked for).
    pub fn loaded(&mut self, url: String, result: Result<Arc<Picture>, ImageFailure>) {
        self.generation += 1;
        let load = match result {
            Ok(p) => Load::Ready(p),
            Err(e) => Load::Failed(e),
        };
        self.encoded.retain(|k, _| k.url != url);
        self.loads.insert(url, (self.generation, load));
        evict(&mut self.loads, MAX_PICTURES, |l| {
            !matches!(l, Load::Pending)
        });
    }

    /// The picture to encode for `key`, marking the encoding as under way; `None` when it is
    /// under way or done, or the picture is not there.
    pub fn start_encode(&mut self, key: &EncodeKey) -> Option<Arc<Picture>> {
        if self.encoded.contains_key(key) {
            return None;
        }
        let Some(Load::Ready(p)) = self.load(&key.url) else {
            return None;
        };
        let p = p.clone();
        self.generation += 1;
        self.encoded
            .insert(key.clone(), (self.generation, EncodeState::Pending));
        Some(p)
    }

    /// Stores an encoding (dropped when its picture was forgotten meanwhile).
    pub fn encoded_done(&mut self, key: EncodeKey, graphics: Graphics, result: Option<Encoded>) {
        if graphics != self.graphics || !self.encoded.contains_key(&key) {
            return;
        }
        self.generation += 1;
        let state = match result {
            Some(e) => EncodeState::Ready(Arc::new(e)),
            None => EncodeState::Failed,
        };
        self.encoded.insert(key, (self.generation, state));
        evict(&mut self.encoded, MAX_ENCODINGS, |e| {
            !matches!(e, EncodeState::Pending)
        });
    }

    /// Forgets `url`'s download and encodings, so the next frame downloads it again.
    pub fn forget(&mut self, url: &str) {
        self.generation += 1;
        self.loads.remove(url);
        self.encoded.retain(|k, _| k.url != url);
    }

    /// Changes how pictures are drawn; every encoding is made again.
    pub fn set_graphics(&mut self, graphics: Graphics) {
        if graphics != self.graphics {
            self.graphics = graphics;
            self.encoded.clear();
            self.generation += 1;
        }
    }
}

/// Keeps at most `max` entries, dropping the oldest that `may_go` allows.
fn evict<K: Clone + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, (u64, V)>,
    max: usize,
    may_go: impl Fn(&V) -> bool,
) {
    while map.len() > max {
        let oldest = map
            .iter()
            .filter(|(_, (_, v))| may_go(v))
            .min_by_key(|(_, (stamp, _))| *stamp)
            .map(|(k, _)| k.clone());
        match oldest {
            Some(k) => {
                map.remove(&k);
            }
            None => return,
        }
    }
}

/// The cells a `w`×`h` picture takes when fitted into `cols`×`rows` cells of `cell` pixels,
/// its shape kept: at least 1×1.
pub fn fitted(w: u32, h: u32, cols: u16, rows: u16, cell: (u16, u16)) -> Size {
    if w == 0 || h == 0 || cols == 0 || rows == 0 {
        return Size::new(cols.min(1), rows.min(1));
    }
    let (fw, fh) = (f64::from(cell.0.max(1)), f64::from(cell.1.max(1)));
    let (bw, bh) = (f64::from(cols) * fw, f64::from(rows) * fh);
    let scale = (bw / f64::from(w)).min(bh / f64::from(h));
    let c = (f64::from(w) * scale / fw)
        .round()
        .clamp(1.0, f64::from(cols));
    let r = (f64::from(h) * scale / fh)
        .round()
        .clamp(1.0, f64::from(rows));
    Size::new(c as u16, r as u16)
}

/// Encodes `picture` for `key` the way `graphics` says: cropped as the card's height crops
/// it, scaled into the area with its shape kept. Slow (a resize and an encoding): call it
/// off the UI thread. `kitty_id` names the image to a kitty terminal. `None` when the
/// protocol's encoder failed.
pub fn encode(
    picture: &Picture,
    key: &EncodeKey,
    graphics: Graphics,
    kitty_id: u32,
) -> Option<Encoded> {
    let img = &picture.image;
    let (x, y, w, h) = match key.fit {
        Fit::Card {
            width_dp,
            height_dp,
        } => crop_for_height(img.width(), img.height(), width_dp, height_dp),
        Fit::Whole => (0, 0, img.width(), img.height()),
    };
    let cropped = img.crop_imm(x, y, w, h);
    let size = fitted(w, h, key.cols, key.rows, graphics.cell);
    let pixels = || {
        let (cw, ch) = (u32::from(graphics.cell.0), u32::from(graphics.cell.1));
        cropped.resize_exact(
            u32::from(size.width) * cw,
            u32::from(size.height) * ch,
            FilterType::Triangle,
        )
    };
    let protocol = match graphics.kind {
        // Half-blocks scale the picture to the cells themselves.
        GraphicsKind::Halfblocks => Protocol::Halfblocks(Halfblocks::new(cropped, size).ok()?),
        GraphicsKind::Sixel => Protocol::Sixel(Sixel::new(pixels(), size, false).ok()?),
        GraphicsKind::Kitty => {
            Protocol::Kitty(Kitty::new(pixels(), size, kitty_id, false, false).ok()?)
        }
        GraphicsKind::Iterm2 => Protocol::ITerm2(Iterm2::new(pixels(), size, false).ok()?),
    };
    Some(Encoded { protocol, size })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_keeps_the_shape_in_cells() {
        // 232×168 dp (MEDIUM in a carousel) into 28×6 half-block cells (28×12 pixels).
        assert_eq!(fitted(232, 168, 28, 6, (1, 2)), Size::new(17, 6));
        // A wide strip fills the width.
        assert_eq!(fitted(1000, 100, 28, 6, (1, 2)), Size::new(28, 1));
        // Real cells, 10×20 pixels.
        assert_eq!(fitted(600, 400, 38, 4, (10, 20)), Size::new(12, 4));
        assert_eq!(fitted(0, 5, 10, 4, (1, 2)), Size::new(1, 1));
    }

    #[test]
    fn the_store_asks_once_and_forgets_on_request() {
        let mut s = ImageStore::default();
        assert!(s.start_load("u"));
        assert!(!s.start_load("u"));
        let img = DynamicImage::new_rgb8(40, 20);
        s.loaded("u".into(), Ok(Arc::new(Picture { image: img })));
        let key = EncodeKey {
            url: "u".into(),
            cols: 10,
            rows: 4,
            fit: Fit::Whole,
        };
        let p = s.start_encode(&key).expect("the picture is there");
        assert!(s.start_encode(&key).is_none(), "already under way");
        let e = encode(&p, &key, Graphics::HALFBLOCKS, 1).unwrap();
        assert_eq!(e.size, Size::new(10, 3));
        s.encoded_done(key.clone(), Graphics::HALFBLOCKS, Some(e));
        assert!(matches!(s.encoded(&key), Some(Some(_))));
        let g = s.generation();
        s.forget("u");
        assert!(s.load("u").is_none() && s.encoded(&key).is_none());
        assert!(s.generation() > g);
    }

    #[test]
    fn a_card_shows_the_middle_of_a_tall_picture() {
        // Top half red, bottom half blue, middle band green: SHORT shows only green.
        let img = image::RgbImage::from_fn(100, 300, |_, y| match y {
            0..120 => image::Rgb([255, 0, 0]),
            120..180 => image::Rgb([0, 255, 0]),
            _ => image::Rgb([0, 0, 255]),
        });
        let p = Picture {
            image: DynamicImage::ImageRgb8(img),
        };
        let key = EncodeKey {
            url: "u".into(),
            cols: 8,
            rows: 2,
            fit: Fit::Card {
                width_dp: 232,
                height_dp: 112,
            },
        };
        let e = encode(&p, &key, Graphics::HALFBLOCKS, 1).unwrap();
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 8, 2));
        let area = ratatui::layout::Rect::new(0, 0, e.size.width, e.size.height);
        ratatui::widgets::Widget::render(ratatui_image::Image::new(&e.protocol), area, &mut buf);
        for cell in buf.content().iter().take(usize::from(e.size.width)) {
            assert!(
                matches!(cell.fg, ratatui::style::Color::Rgb(r, g, b) if g > 200 && r < 60 && b < 60)
                    || matches!(cell.bg, ratatui::style::Color::Rgb(r, g, b) if g > 200 && r < 60 && b < 60),
                "{cell:?}"
            );
        }
    }
}
