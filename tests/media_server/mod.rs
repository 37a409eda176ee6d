//! A loopback HTTP server for the media tests, on raw TCP so it can misbehave: refuse or
//! hang up on HEAD, ignore Range, stall mid-body, loop redirects. One request per
//! connection (`Connection: close`); every request is logged. Also the carousel that points
//! at every case, and what the check finds in it, for the library's tests and the app's.

// Each test binary uses part of it.
#![allow(dead_code)]

use image::{ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};
use std::io::{Cursor, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, OnceLock, mpsc};

/// The files served, generated with the `image` encoders.
pub struct Fixtures {
    /// 600×400 PNG.
    pub png: Vec<u8>,
    /// 600×800 PNG.
    pub tall: Vec<u8>,
    /// 300×200 JPEG.
    pub jpeg: Vec<u8>,
    /// 100×100 GIF.
    pub square_gif: Vec<u8>,
    /// 150×100 GIF.
    pub wide_gif: Vec<u8>,
    /// The 600×400 PNG padded to 3 MiB (decoders ignore bytes after IEND).
    pub big: Vec<u8>,
    /// The 300×200 JPEG padded to 153,600 bytes (150 KiB).
    pub heavy_thumb: Vec<u8>,
    /// 1200×300 PNG: every card height cuts its sides.
    pub wide: Vec<u8>,
    /// An MP4's `ftyp` box padded to 12,000,000 bytes: a video past the recommended 10 MB.
    pub video: Vec<u8>,
}

/// The first bytes of an MP4 file: its `ftyp` box.
pub const MP4_FTYP: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2";

fn encode(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn padded(mut v: Vec<u8>, len: usize) -> Vec<u8> {
    assert!(v.len() < len);
    v.resize(len, 0);
    v
}

impl Fixtures {
    /// Made once per test binary: encoding them takes a second in a debug build.
    pub fn shared() -> Arc<Self> {
        static SHARED: OnceLock<Arc<Fixtures>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(Self::new())).clone()
    }

    fn new() -> Self {
        let png = encode(600, 400, ImageFormat::Png);
        let jpeg = encode(300, 200, ImageFormat::Jpeg);
        Self {
            big: padded(png.clone(), 3 * 1024 * 1024),
            heavy_thumb: padded(jpeg.clone(), 150 * 1024),
            tall: encode(600, 800, ImageFormat::Png),
            square_gif: encode(100, 100, ImageFormat::Gif),
            wide: encode(1200, 300, ImageFormat::Png),
            video: padded(MP4_FTYP.to_vec(), 12_000_000),
            wide_gif: encode(150, 100, ImageFormat::Gif),
            png,
            jpeg,
        }
    }
}

/// CRC-32 as PNG chunks use it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A 1×1 PNG whose IHDR claims `w`×`h` (with a correct CRC, so only the limits stop it).
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut v = encode(1, 1, ImageFormat::Png);
    v[16..20].copy_from_slice(&w.to_be_bytes());
    v[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&v[12..29]);
    v[29..33].copy_from_slice(&crc.to_be_bytes());
    v
}

/// A GIF of `screen` size with `frames` frames of `frame` size, each holding a one-pixel
/// LZW stream (clear, 0, end).
fn gif(screen: (u16, u16), frame: (u16, u16), frames: usize) -> Vec<u8> {
    let mut v = b"GIF89a".to_vec();
    v.extend_from_slice(&screen.0.to_le_bytes());
    v.extend_from_slice(&screen.1.to_le_bytes());
    v.extend_from_slice(&[0x80, 0, 0]); // a global table of 2 colours
    v.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    for _ in 0..frames {
        v.extend_from_slice(&[0x2C, 0, 0, 0, 0]);
        v.extend_from_slice(&frame.0.to_le_bytes());
        v.extend_from_slice(&frame.1.to_le_bytes());
        v.extend_from_slice(&[0, 2, 2, 0x44, 0x01, 0]);
    }
    v.push(0x3B);
    v
}

/// `frames` full-screen frames of a `w`×`h` screen; a screen under 1000 wide gets a
/// 65535×65535 frame instead.
pub fn gif_bomb(w: u16, h: u16, frames: usize) -> Vec<u8> {
    if w < 1000 {
        gif((w, h), (65_535, 65_535), frames)
    } else {
        gif((w, h), (w, h), frames)
    }
}

/// A `w`×`h` GIF of `frames` one-pixel frames.
pub fn gif_frames(w: u16, h: u16, frames: usize) -> Vec<u8> {
    gif((w, h), (1, 1), frames)
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    pub fixtures: Arc<Fixtures>,
    /// How many bytes of /huge.png were written before the client hung up, per GET.
    pub huge_sent: mpsc::Receiver<u64>,
}

/// /huge.png's size: past RBM's 100 MiB.
pub const HUGE: u64 = 200 * 1024 * 1024;

impl Server {
    pub fn start(fixtures: Arc<Fixtures>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, huge_sent) = mpsc::channel();
        let (log2, f2) = (log.clone(), fixtures.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (log, f, tx) = (log2.clone(), f2.clone(), tx.clone());
                std::thread::spawn(move || handle(conn, addr, &f, &log, &tx));
            }
        });
        Self {
            addr,
            log,
            fixtures,
            huge_sent,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    pub fn log(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
}

fn read_request(conn: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    }
    let text = String::from_utf8_lossy(&buf).to_string();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Request {
        method,
        path,
        headers,
    })
}

fn respond(conn: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(body);
}

/// A file, honouring `Range: bytes=S-E` when `ranges` (and answering HEAD without a body).
fn file(conn: &mut TcpStream, req: &Request, ct: Option<&str>, body: &[u8], ranges: bool) {
    let mut headers: Vec<(&str, String)> = Vec::new();
    if let Some(ct) = ct {
        headers.push(("Content-Type", ct.to_string()));
    }
    let range = req
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.split_once('-'))
        .and_then(|(s, e)| Some((s.parse::<usize>().ok()?, e.parse::<usize>().ok()?)));
    if req.method == "HEAD" {
        headers.push(("Content-Length", body.len().to_string()));
        respond(conn, "200 OK", &headers, &[]);
    } else if let (true, Some((s, e))) = (ranges, range) {
        let e = e.min(body.len() - 1);
        headers.push(("Content-Range", format!("bytes {s}-{e}/{}", body.len())));
        headers.push(("Content-Length", (e + 1 - s).to_string()));
        respond(conn, "206 Partial Content", &headers, &body[s..=e]);
    } else {
        headers.push(("Content-Length", body.len().to_string()));
        respond(conn, "200 OK", &headers, body);
    }
}

fn redirect(conn: &mut TcpStream, to: &str) {
    respond(
        conn,
        "302 Found",
        &[("Location", to.to_string()), ("Content-Length", "0".into())],
        &[],
    );
}

fn handle(
    mut conn: TcpStream,
    addr: SocketAddr,
    f: &Fixtures,
    log: &Mutex<Vec<Request>>,
    huge: &mpsc::Sender<u64>,
) {
    let Some(req) = read_request(&mut conn) else {
        return;
    };
    log.lock().unwrap().push(req.clone());
    let c = &mut conn;
    let get = req.method == "GET";
    match req.path.as_str() {
        "/img.png" => file(c, &req, Some("image/png"), &f.png, true),
        "/tall.png" => file(c, &req, Some("image/png"), &f.tall, true),
        "/photo.jpg" => file(c, &req, Some("image/jpeg"), &f.jpeg, true),
        "/square.gif" => file(c, &req, Some("image/gif"), &f.square_gif, true),
        "/octet.gif" => file(c, &req, Some("application/octet-stream"), &f.wide_gif, true),
        "/mislabelled.png" => file(c, &req, Some("image/jpeg"), &f.png, true),
        "/notype.png" => file(c, &req, None, &f.png, true),
        "/big.png" => file(c, &req, Some("image/png"), &f.big, true),
        "/heavy-thumb.jpg" => file(c, &req, Some("image/jpeg"), &f.heavy_thumb, true),
        "/wide.png" => file(c, &req, Some("image/png"), &f.wide, true),
        "/clip.mp4" => file(c, &req, Some("video/mp4"), &f.video, true),
        "/clip.mov" => file(c, &req, Some("video/quicktime"), &f.video[..4096], true),
        "/giant-header.png" => file(
            c,
            &req,
            Some("image/png"),
            &png_claiming(30_000, 30_000),
            true,
        ),
        "/page.html" => file(
            c,
            &req,
            Some("text/html; charset=utf-8"),
            b"<!DOCTYPE html>\n<html><body>Please sign in</body></html>\n",
            false,
        ),
        "/missing.png" => respond(
            c,
            "404 Not Found",
            &[
                ("Content-Type", "text/plain".into()),
                ("Content-Length", "9".into()),
            ],
            if get { b"not found" } else { b"" },
        ),
        "/nohead.png" if !get => respond(
            c,
            "405 Method Not Allowed",
            &[("Allow", "GET".into()), ("Content-Length", "0".into())],
            &[],
        ),
        "/nohead.png" => file(c, &req, Some("image/png"), &f.png, true),
        // Hangs up on HEAD without a word.
        "/nohead-drop.jpg" if !get => {}
        "/nohead-drop.jpg" => file(c, &req, Some("image/jpeg"), &f.jpeg, true),
        // An empty file, as nginx answers a range of it.
        "/empty.png" if req.header("range").is_some() => respond(
            c,
            "416 Range Not Satisfiable",
            &[
                ("Content-Range", "bytes */0".into()),
                ("Content-Length", "0".into()),
            ],
            &[],
        ),
        "/empty.png" => file(c, &req, Some("image/png"), &[], true),
        "/loop/a" => redirect(c, "/loop/b"),
        "/loop/b" => redirect(c, "/loop/a"),
        "/to-localhost" => redirect(c, &format!("http://localhost:{}/img.png", addr.port())),
        p if p.starts_with("/hop/") => match p[5..].parse::<u32>() {
            Ok(n) if n < 7 => redirect(c, &format!("/hop/{}", n + 1)),
            _ => file(c, &req, Some("image/png"), &f.png, true),
        },
        // The headers, the PNG signature, then nothing until the client gives up.
        "/slow.png" => {
            let headers = [
                ("Content-Type", "image/png".to_string()),
                ("Content-Length", "100000".into()),
            ];
            if !get {
                return respond(c, "200 OK", &headers, &[]);
            }
            respond(c, "200 OK", &headers, &f.png[..16]);
            let mut sink = [0u8; 1024];
            while matches!(c.read(&mut sink), Ok(n) if n > 0) {}
        }
        // Ignores Range: 200 MiB of a PNG's first bytes and zeros, until the client leaves.
        "/huge.png" => {
            let headers = [
                ("Content-Type", "image/png".to_string()),
                ("Content-Length", HUGE.to_string()),
            ];
            if !get {
                return respond(c, "200 OK", &headers, &[]);
            }
            respond(c, "200 OK", &headers, &f.png[..64]);
            let mut sent = 64u64;
            let zeros = vec![0u8; 64 * 1024];
            while sent < HUGE {
                let n = zeros.len().min((HUGE - sent) as usize);
                if c.write_all(&zeros[..n]).is_err() {
                    break;
                }
                sent += n as u64;
            }
            let _ = huge.send(sent);
        }
        _ => respond(c, "404 Not Found", &[("Content-Length", "0".into())], &[]),
    }
}

pub fn card(base: &str, height: &str, media: &str, thumb: Option<&str>) -> Value {
    let mut c = json!({
        "title": "Sale",
        "description": "Everything 20% off.",
        "height": height,
        "mediaUrl": format!("{base}{media}"),
    });
    if let Some(t) = thumb {
        c["thumbnailUrl"] = json!(format!("{base}{t}"));
    }
    c
}

/// A valid carousel whose ten cards and MMS failover point at every case of the server.
pub fn carousel(base: &str) -> Value {
    json!({
        "messageType": "RCS_CAROUSEL",
        "source": "ACME",
        "destination": "14155550100",
        "cards": [
            card(base, "MEDIUM", "/img.png", Some("/photo.jpg")),
            card(base, "MEDIUM", "/mislabelled.png", Some("/heavy-thumb.jpg")),
            card(base, "MEDIUM", "/page.html", Some("/missing.png")),
            card(base, "MEDIUM", "/big.png", Some("/square.gif")),
            card(base, "SHORT", "/tall.png", None),
            card(base, "MEDIUM", "/loop/a", None),
            card(base, "MEDIUM", "/nohead.png", Some("/nohead-drop.jpg")),
            card(base, "MEDIUM", "/huge.png", None),
            card(base, "MEDIUM", "/slow.png", None),
            card(base, "MEDIUM", "/octet.gif", None),
        ],
        "mmsFailover": {
            "enabled": true,
            "failoverSource": "15551234567",
            "fallbackText": "Our sale: everything 20% off.",
            "mediaUrl": format!("{base}/notype.png"),
            "subject": "Sale"
        }
    })
}

/// Every finding for `carousel`, `path: message`, in order.
pub fn expected(base: &str, host: &str, timeout_secs: u64) -> Vec<String> {
    vec![
        "cards.1.mediaUrl: Content-Type image/jpeg, but the file is a PNG: serve it as image/png".into(),
        "cards.1.thumbnailUrl: 154 kB: over the 100 kB recommended for thumbnails".into(),
        "cards.2.mediaUrl: the server answered 200 OK with an HTML page, not media (Content-Type text/html; charset=utf-8): an error or login page?".into(),
        "cards.2.thumbnailUrl: the server answered 404 Not Found".into(),
        "cards.3.mediaUrl: 3.1 MB: over the 2 MB recommended for images".into(),
        "cards.3.thumbnailUrl: this thumbnail is 100×100 (1.00:1) and its media 600×400 (1.50:1): not the same shape".into(),
        "cards.4.mediaUrl: the top and bottom 32 % of this 600×800 image are cut at SHORT height (a 232×112 dp media area shows 600×290 of it)".into(),
        format!("cards.5.mediaUrl: the redirects loop: {base}/loop/a → {base}/loop/b → {base}/loop/a"),
        "cards.7.mediaUrl: 209.7 MB: past RBM's limit of 100 MiB for a media file".into(),
        format!("cards.8.mediaUrl: not reachable: no complete answer from {host} within {timeout_secs} s (timeout)"),
        "cards.9.mediaUrl: Content-Type application/octet-stream is not one RBM takes (images: image/jpeg, image/jpg, image/gif, image/png; video: video/h263, video/m4v, video/mp4, video/mpeg, video/mpeg4, video/webm) (the file is a GIF: image/gif)".into(),
        "mmsFailover.mediaUrl: no Content-Type: MMS needs an accurate one (the file is a PNG: image/png)".into(),
    ]
}

/// A port on loopback that nothing listens on (bound, then let go).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A valid carousel with the findings `carousel` cannot hold (it has ten cards already): a
/// hard crop at MEDIUM height, a heavy video, a video type RBM does not take, a card's
/// thumbnail without a Content-Type, and a refused connection.
pub fn more_cards(base: &str, refused_port: u16) -> Value {
    let mut refused = card(base, "MEDIUM", "/img.png", None);
    refused["mediaUrl"] = json!(format!("http://127.0.0.1:{refused_port}/gone.png"));
    json!({
        "messageType": "RCS_CAROUSEL",
        "source": "ACME",
        "destination": "14155550100",
        "cards": [
            card(base, "MEDIUM", "/wide.png", None),
            card(base, "MEDIUM", "/clip.mp4", Some("/photo.jpg")),
            card(base, "MEDIUM", "/clip.mov", None),
            card(base, "MEDIUM", "/img.png", Some("/notype.png")),
            refused,
        ]
    })
}

/// Every finding for `more_cards`, `path: message`, in order.
pub fn more_cards_expected(refused_port: u16) -> Vec<String> {
    vec![
        "cards.0.mediaUrl: the left and right 33 % of this 1200×300 image are cut at MEDIUM height (a 232×168 dp media area shows 414×300 of it)".into(),
        "cards.1.mediaUrl: 12.0 MB: over the 10 MB recommended for video".into(),
        "cards.2.mediaUrl: Content-Type video/quicktime is not one RBM takes (images: image/jpeg, image/jpg, image/gif, image/png; video: video/h263, video/m4v, video/mp4, video/mpeg, video/mpeg4, video/webm) (the file is an MP4 video: video/mp4)".into(),
        "cards.3.thumbnailUrl: no Content-Type: RBM needs an accurate one (the file is a PNG: image/png)".into(),
        format!("cards.4.mediaUrl: not reachable: 127.0.0.1:{refused_port} refused the connection"),
    ]
}

/// A standalone card, TALL: the message's own `mediaUrl` and `thumbnailUrl`.
pub fn tall_card(base: &str) -> Value {
    json!({
        "messageType": "RCS_CARD",
        "source": "ACME",
        "destination": "14155550100",
        "title": "Sale",
        "description": "Everything 20% off.",
        "height": "TALL",
        "mediaUrl": format!("{base}/wide.png"),
        "thumbnailUrl": format!("{base}/photo.jpg"),
    })
}

/// Every finding for `tall_card`, `path: message`, in order.
pub fn tall_card_expected() -> Vec<String> {
    vec![
        "mediaUrl: the left and right 35 % of this 1200×300 image are cut at TALL height (a 320×264 dp media area shows 364×300 of it)".into(),
        "thumbnailUrl: this thumbnail is 300×200 (1.50:1) and its media 1200×300 (4.00:1): not the same shape".into(),
    ]
}
