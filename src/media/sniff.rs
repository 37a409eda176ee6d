//! What a file is, from its first bytes, and an image's size from its header: enough to say
//! "Content-Type image/jpeg, but the file is a PNG" and how a card's height crops it, from
//! the first 64 KiB of a download.

/// A file type told by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    Png,
    Jpeg,
    Gif,
    WebP,
    /// An ISO media file (`ftyp` box): MP4, M4V, 3GP.
    Mp4,
    /// An EBML file: WebM (or Matroska).
    WebM,
    /// An MPEG program or transport stream, or a video elementary stream.
    Mpeg,
    /// A raw H.263 stream (picture start code).
    H263,
    /// An HTML page: a login or error page served where the media should be.
    Html,
    /// Bytes were read, and none of the above starts that way.
    Unknown,
}

impl FileType {
    /// The name used in messages: "the file is a PNG".
    pub fn name(self) -> &'static str {
        match self {
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
            FileType::Gif => "GIF",
            FileType::WebP => "WebP image",
            FileType::Mp4 => "MP4 video",
            FileType::WebM => "WebM video",
            FileType::Mpeg => "MPEG video",
            FileType::H263 => "H.263 video",
            FileType::Html => "HTML page",
            FileType::Unknown => "file of unknown type",
        }
    }

    /// "a" or "an", as [`name`](Self::name) is read aloud: "an MP4 video", "a PNG".
    pub fn article(self) -> &'static str {
        match self {
            FileType::Mp4 | FileType::Mpeg | FileType::H263 | FileType::Html => "an",
            _ => "a",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileType::Png | FileType::Jpeg | FileType::Gif | FileType::WebP
        )
    }

    pub fn is_video(self) -> bool {
        matches!(
            self,
            FileType::Mp4 | FileType::WebM | FileType::Mpeg | FileType::H263
        )
    }

    /// The Content-Types RBM takes that describe this file; the first is the one to suggest.
    /// Empty when RBM takes none (WebP, HTML, unknown).
    pub fn rbm_content_types(self) -> &'static [&'static str] {
        match self {
            FileType::Png => &["image/png"],
            FileType::Jpeg => &["image/jpeg", "image/jpg"],
            FileType::Gif => &["image/gif"],
            FileType::Mp4 => &["video/mp4", "video/m4v", "video/mpeg4"],
            FileType::WebM => &["video/webm"],
            FileType::Mpeg => &["video/mpeg"],
            FileType::H263 => &["video/h263"],
            FileType::WebP | FileType::Html | FileType::Unknown => &[],
        }
    }
}

/// The type of a file from its first bytes (a few dozen are enough).
pub fn sniff(b: &[u8]) -> FileType {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        FileType::Png
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        FileType::Jpeg
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        FileType::Gif
    } else if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        FileType::WebP
    } else if b.get(4..8) == Some(b"ftyp") {
        FileType::Mp4
    } else if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        FileType::WebM
    } else if b.starts_with(&[0, 0, 1, 0xBA])
        || b.starts_with(&[0, 0, 1, 0xB3])
        || (b.len() > 188 && b[0] == 0x47 && b[188] == 0x47)
    {
        FileType::Mpeg
    } else if b.len() >= 3 && b[0] == 0 && b[1] == 0 && b[2] & 0xFC == 0x80 {
        FileType::H263
    } else if looks_like_html(b) {
        FileType::Html
    } else {
        FileType::Unknown
    }
}

/// The tags the WHATWG sniffing algorithm takes as the start of an HTML document.
const HTML_STARTS: &[&[u8]] = &[
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
];

fn looks_like_html(b: &[u8]) -> bool {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))
        .unwrap_or(b.len());
    let b = &b[start..];
    HTML_STARTS.iter().any(|tag| {
        b.len() > tag.len()
            && b[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(b[tag.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r')
    })
}

/// Width and height of an image, read from its header: PNG IHDR, GIF logical screen, the
/// first JPEG SOFn segment, WebP VP8/VP8L/VP8X. `None` for other files, a header cut short,
/// or a zero dimension.
pub fn dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let (w, h) = match sniff(b) {
        FileType::Png => png(b)?,
        FileType::Gif => gif(b)?,
        FileType::Jpeg => jpeg(b)?,
        FileType::WebP => webp(b)?,
        _ => return None,
    };
    (w > 0 && h > 0).then_some((w, h))
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 2)?;
    Some(u32::from(u16::from_be_bytes([s[0], s[1]])))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 2)?;
    Some(u32::from(u16::from_le_bytes([s[0], s[1]])))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], 0]))
}

fn png(b: &[u8]) -> Option<(u32, u32)> {
    // Signature (8), chunk length (4), "IHDR", width, height: both big-endian u32.
    if b.get(12..16) != Some(b"IHDR") {
        return None;
    }
    let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

fn gif(b: &[u8]) -> Option<(u32, u32)> {
    Some((le16(b, 6)?, le16(b, 8)?))
}

/// Walks the JPEG segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG
/// and DAC, which share the range).
fn jpeg(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i)?;
        i += 1;
        match marker {
            // Markers without a length: RSTn, TEM.
            0xD0..=0xD7 | 0x01 => continue,
            // End of image or start of scan before any frame header: no size to read.
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = be16(b, i)? as usize;
        if len < 2 {
            return None;
        }
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            // Length (2), precision (1), height (2), width (2).
            return Some((be16(b, i + 5)?, be16(b, i + 3)?));
        }
        i += len;
    }
}

fn webp(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            if b.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF))
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2F {
                return None;
            }
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 6, 0, 0, 0]);
        v
    }

    #[test]
    fn sniffs_every_type_by_its_magic() {
        let mut mp4 = vec![0, 0, 0, 0x18];
        mp4.extend_from_slice(b"ftypisom");
        let mut ts = vec![0u8; 200];
        ts[0] = 0x47;
        ts[188] = 0x47;
        for (bytes, want) in [
            (png_header(1, 1), FileType::Png),
            (vec![0xFF, 0xD8, 0xFF, 0xE0], FileType::Jpeg),
            (b"GIF89a\x01\0\x01\0".to_vec(), FileType::Gif),
            (b"GIF87a\x01\0\x01\0".to_vec(), FileType::Gif),
            (b"RIFF\0\0\0\0WEBPVP8 ".to_vec(), FileType::WebP),
            (mp4, FileType::Mp4),
            (vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F], FileType::WebM),
            (vec![0, 0, 1, 0xBA, 0x44], FileType::Mpeg),
            (vec![0, 0, 1, 0xB3, 0x14], FileType::Mpeg),
            (ts, FileType::Mpeg),
            (vec![0, 0, 0x82, 0x02], FileType::H263),
            (b"<!DOCTYPE html>\n<html>".to_vec(), FileType::Html),
            (b"\xEF\xBB\xBF  \n<HTML lang=en>".to_vec(), FileType::Html),
            (b"<p>hello".to_vec(), FileType::Html),
            (b"<!-- x -->".to_vec(), FileType::Html),
            (b"<pre>not a start tag we know".to_vec(), FileType::Unknown),
            (b"{\"error\": 1}".to_vec(), FileType::Unknown),
            (Vec::new(), FileType::Unknown),
        ] {
            assert_eq!(sniff(&bytes), want, "{bytes:?}");
        }
    }

    #[test]
    fn png_and_gif_sizes_come_from_their_headers() {
        assert_eq!(dimensions(&png_header(1200, 800)), Some((1200, 800)));
        assert_eq!(
            dimensions(&png_header(30_000, 30_000)),
            Some((30_000, 30_000))
        );
        assert_eq!(dimensions(&png_header(0, 5)), None);
        assert_eq!(dimensions(&png_header(1200, 800)[..20]), None, "cut short");
        assert_eq!(
            dimensions(b"GIF89a\x40\x01\xF0\x00\0\0\0"),
            Some((320, 240))
        );
        assert_eq!(dimensions(b"GIF89a\x40"), None);
    }

    /// SOI, an APP0 segment, a DQT, fill bytes, then SOFn.
    fn jpeg_with(sof: u8, w: u16, h: u16) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        v.extend_from_slice(&[0xFF, 0xDB, 0, 4, 0, 0]);
        v.extend_from_slice(&[0xFF, 0xFF, sof, 0, 11, 8]);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[1, 1, 0x11, 0]);
        v
    }

    #[test]
    fn jpeg_size_comes_from_the_first_frame_header() {
        assert_eq!(dimensions(&jpeg_with(0xC0, 640, 480)), Some((640, 480)));
        assert_eq!(dimensions(&jpeg_with(0xC2, 3000, 2000)), Some((3000, 2000)));
        // DHT (C4) is not a frame header: the walk goes past it and finds nothing after.
        assert_eq!(dimensions(&jpeg_with(0xC4, 640, 480)), None);
        // Start of scan before a frame: no size.
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xDA, 0, 2];
        v.extend_from_slice(&jpeg_with(0xC0, 1, 1)[2..]);
        assert_eq!(dimensions(&v), None);
        // Cut in the middle of the frame header, or garbage where a marker belongs.
        let full = jpeg_with(0xC0, 640, 480);
        assert_eq!(dimensions(&full[..full.len() - 6]), None);
        assert_eq!(
            dimensions(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0x12]),
            None
        );
    }

    #[test]
    fn webp_sizes_for_each_chunk_kind() {
        let mut lossy = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\x10\x02\x00\x9d\x01\x2a".to_vec();
        lossy.extend_from_slice(&400u16.to_le_bytes());
        lossy.extend_from_slice(&(300u16 | 0x4000).to_le_bytes()); // scale bits ignored
        assert_eq!(dimensions(&lossy), Some((400, 300)));

        let mut lossless = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        let bits: u32 = (640 - 1) | ((480 - 1) << 14);
        lossless.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(dimensions(&lossless), Some((640, 480)));

        let mut extended = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        extended.extend_from_slice(&(1920u32 - 1).to_le_bytes()[..3]);
        extended.extend_from_slice(&(1080u32 - 1).to_le_bytes()[..3]);
        assert_eq!(dimensions(&extended), Some((1920, 1080)));

        assert_eq!(dimensions(&lossy[..27]), None);
    }

    #[test]
    fn no_size_for_what_is_not_an_image() {
        assert_eq!(dimensions(b"<html>"), None);
        assert_eq!(dimensions(&[0, 0, 0, 0x18, b'f', b't', b'y', b'p']), None);
        assert_eq!(dimensions(&[]), None);
    }
}
