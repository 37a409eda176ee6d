//! The findings rule by rule, from probes made by hand.

use super::*;
use serde_json::json;
use std::time::Duration;

fn ok(ct: Option<&str>, size: Option<u64>, sniffed: FileType, dims: Option<(u32, u32)>) -> Probe {
    Probe::Answered(Answer {
        status: 200,
        final_url: String::new(),
        redirects: 0,
        content_type: ct.map(str::to_string),
        size,
        sniffed: Some(sniffed),
        dimensions: dims,
        head_refused: false,
    })
}

fn png(w: u32, h: u32) -> Probe {
    ok(Some("image/png"), Some(50_000), FileType::Png, Some((w, h)))
}

fn run(doc: &Value, probes: &[(&str, Probe)]) -> Vec<String> {
    let map: HashMap<String, Probe> = probes
        .iter()
        .map(|(u, p)| (format!("https://m.example/{u}"), p.clone()))
        .collect();
    findings(doc, &map)
        .into_iter()
        .map(|i| {
            assert_eq!(i.severity, Severity::Warning);
            format!("{} [{}] {}", i.path, i.description, i.message)
        })
        .collect()
}

fn card(height: &str, media: &str, thumb: Option<&str>) -> Value {
    let mut c = json!({"messageType": "RCS_CARD", "height": height,
        "mediaUrl": format!("https://m.example/{media}")});
    if let Some(t) = thumb {
        c["thumbnailUrl"] = json!(format!("https://m.example/{t}"));
    }
    c
}

#[test]
fn nothing_without_a_probe_or_for_a_skipped_one() {
    let doc = card("MEDIUM", "a.png", Some("t.png"));
    assert!(run(&doc, &[]).is_empty());
    let skipped = Probe::Skipped(super::super::Skip::PrivateHost("m.example".into()));
    assert!(run(&doc, &[("a.png", skipped.clone()), ("t.png", skipped)]).is_empty());
}

#[test]
fn reachability_and_status() {
    let doc = card("MEDIUM", "a.png", Some("t.png"));
    let down = Probe::Unreachable {
        host: "m.example".into(),
        failure: NetFailure::Timeout(Duration::from_secs(5)),
    };
    let gone = Probe::Answered(Answer {
        status: 404,
        ..match png(1, 1) {
            Probe::Answered(a) => a,
            _ => unreachable!(),
        }
    });
    assert_eq!(
        run(&doc, &[("a.png", down), ("t.png", gone)]),
        [
            "mediaUrl [Media URL] not reachable: no complete answer from m.example within 5 s (timeout)",
            "thumbnailUrl [Thumbnail URL] the server answered 404 Not Found"
        ]
    );
    let refused = Probe::Unreachable {
        host: "127.0.0.1:9".into(),
        failure: NetFailure::Refused,
    };
    let dns = Probe::Unreachable {
        host: "nowhere.example".into(),
        failure: NetFailure::Dns,
    };
    assert_eq!(
        run(&doc, &[("a.png", refused), ("t.png", dns)]),
        [
            "mediaUrl [Media URL] not reachable: 127.0.0.1:9 refused the connection",
            "thumbnailUrl [Thumbnail URL] not reachable: nowhere.example could not be found (DNS)"
        ]
    );
    let looped = Probe::Redirects {
        looped: true,
        chain: vec![
            "https://m.example/a".into(),
            "https://m.example/b".into(),
            "https://m.example/a".into(),
        ],
    };
    assert_eq!(
        run(&doc, &[("a.png", looped)]),
        [
            "mediaUrl [Media URL] the redirects loop: https://m.example/a → https://m.example/b → https://m.example/a"
        ]
    );
}

#[test]
fn content_types() {
    let doc = card("MEDIUM", "a", None);
    let one = |p: Probe| run(&doc, &[("a", p)]);
    assert_eq!(
        one(ok(None, Some(10), FileType::Png, Some((2, 1)))),
        [
            "mediaUrl [Media URL] no Content-Type: RBM needs an accurate one (the file is a PNG: image/png)"
        ]
    );
    assert_eq!(
        one(ok(
            Some("image/jpeg"),
            Some(10),
            FileType::Png,
            Some((2, 1))
        )),
        [
            "mediaUrl [Media URL] Content-Type image/jpeg, but the file is a PNG: serve it as image/png"
        ]
    );
    assert!(
        one(ok(
            Some("IMAGE/PNG; q=1"),
            Some(10),
            FileType::Png,
            Some((2, 1))
        ))
        .is_empty()
    );
    assert!(
        one(ok(
            Some("image/jpg"),
            Some(10),
            FileType::Jpeg,
            Some((2, 1))
        ))
        .is_empty()
    );
    assert!(one(ok(Some("video/m4v"), Some(10), FileType::Mp4, None)).is_empty());
    assert_eq!(
        one(ok(Some("video/webm"), Some(10), FileType::Mp4, None)),
        [
            "mediaUrl [Media URL] Content-Type video/webm, but the file is an MP4 video: serve it as video/mp4"
        ]
    );
    assert!(one(ok(Some("video/mp4"), Some(10), FileType::Unknown, None)).is_empty());
    let m = one(ok(
        Some("application/octet-stream"),
        Some(10),
        FileType::Gif,
        Some((2, 1)),
    ));
    assert_eq!(m.len(), 1);
    assert!(m[0].starts_with("mediaUrl [Media URL] Content-Type application/octet-stream is not one RBM takes (images: image/jpeg"), "{m:?}");
    assert!(m[0].ends_with("(the file is a GIF: image/gif)"), "{m:?}");
    assert_eq!(
        one(ok(
            Some("text/html; charset=utf-8"),
            Some(10),
            FileType::Html,
            None
        )),
        [
            "mediaUrl [Media URL] the server answered 200 OK with an HTML page, not media (Content-Type text/html; charset=utf-8): an error or login page?"
        ]
    );
    assert_eq!(
        one(ok(Some("image/png"), Some(10), FileType::Unknown, None)),
        [
            "mediaUrl [Media URL] Content-Type image/png, but the file does not start like an image of that type"
        ]
    );
    let webp = one(ok(
        Some("image/webp"),
        Some(10),
        FileType::WebP,
        Some((2, 1)),
    ));
    assert!(
        webp[0].contains("Content-Type image/webp is not one RBM takes"),
        "{webp:?}"
    );
}

#[test]
fn sizes() {
    let doc = card("MEDIUM", "a", Some("t"));
    let big = ok(
        Some("image/png"),
        Some(3_145_728),
        FileType::Png,
        Some((2, 1)),
    );
    let heavy = ok(
        Some("image/jpeg"),
        Some(153_600),
        FileType::Jpeg,
        Some((2, 1)),
    );
    assert_eq!(
        run(&doc, &[("a", big), ("t", heavy)]),
        [
            "mediaUrl [Media URL] 3.1 MB: over the 2 MB recommended for images",
            "thumbnailUrl [Thumbnail URL] 154 kB: over the 100 kB recommended for thumbnails"
        ]
    );
    let video = ok(Some("video/mp4"), Some(12_000_000), FileType::Mp4, None);
    let huge = ok(
        Some("video/mp4"),
        Some(200 * 1024 * 1024),
        FileType::Mp4,
        None,
    );
    let edge = ok(
        Some("image/jpeg"),
        Some(100_400),
        FileType::Jpeg,
        Some((2, 1)),
    );
    assert_eq!(
        run(&doc, &[("a", video), ("t", edge)]),
        [
            "mediaUrl [Media URL] 12.0 MB: over the 10 MB recommended for video",
            "thumbnailUrl [Thumbnail URL] 100400 bytes: over the 100 kB recommended for thumbnails"
        ]
    );
    assert_eq!(
        run(&doc, &[("a", huge)]),
        ["mediaUrl [Media URL] 209.7 MB: past RBM's limit of 100 MiB for a media file"]
    );
    let at_limit = ok(
        Some("image/png"),
        Some(2_000_000),
        FileType::Png,
        Some((2, 1)),
    );
    assert!(run(&doc, &[("a", at_limit)]).is_empty());
}

#[test]
fn hard_crops_on_cards_only() {
    let doc = card("SHORT", "a", None);
    assert_eq!(
        run(&doc, &[("a", png(1200, 1600))]),
        [
            "mediaUrl [Media URL] the top and bottom 37 % of this 1200×1600 image are cut at SHORT height (a 320×112 dp media area shows 1200×420 of it)"
        ]
    );
    let mut media = doc.clone();
    media["messageType"] = json!("RCS_MEDIA");
    assert!(
        run(&media, &[("a", png(1200, 1600))]).is_empty(),
        "RCS_MEDIA is not cropped"
    );
    let tall = card("TALL", "a", None);
    assert!(run(&tall, &[("a", png(640, 528))]).is_empty());
    let carousel = json!({"messageType": "RCS_CAROUSEL", "cards": [
        {"height": "TALL", "mediaUrl": "https://m.example/wide"},
        {"height": "MEDIUM", "mediaUrl": "https://m.example/ok"}]});
    assert_eq!(
        run(
            &carousel,
            &[("wide", png(3000, 600)), ("ok", png(1200, 800))]
        ),
        [
            "cards.0.mediaUrl [mediaUrl] the left and right 41 % of this 3000×600 image are cut at TALL height (a 232×264 dp media area shows 527×600 of it)"
        ]
    );
}

#[test]
fn thumbnail_shape() {
    let doc = card("MEDIUM", "a", Some("t"));
    assert_eq!(
        run(&doc, &[("a", png(1200, 800)), ("t", png(100, 100))]),
        [
            "thumbnailUrl [Thumbnail URL] this thumbnail is 100×100 (1.00:1) and its media 1200×800 (1.50:1): not the same shape"
        ]
    );
    assert!(
        run(&doc, &[("a", png(1200, 800)), ("t", png(150, 105))]).is_empty(),
        "within 10 %"
    );
    assert!(
        run(&doc, &[("t", png(100, 100))]).is_empty(),
        "media not probed yet"
    );
}

#[test]
fn mms_media_skips_rbm_type_and_size_rules() {
    let doc = json!({"messageType": "RCS_MEDIA",
        "mmsFailover": {"enabled": true, "mediaUrl": "https://m.example/m"}});
    let p = ok(Some("audio/amr"), Some(5_000_000), FileType::Unknown, None);
    assert!(run(&doc, &[("m", p)]).is_empty());
    let none = ok(None, Some(5), FileType::Png, Some((1, 1)));
    assert_eq!(
        run(&doc, &[("m", none)]),
        [
            "mmsFailover.mediaUrl [mediaUrl] no Content-Type: MMS needs an accurate one (the file is a PNG: image/png)"
        ]
    );
}

#[test]
fn an_empty_file() {
    let doc = card("MEDIUM", "a", None);
    let empty = ok(Some("image/png"), Some(0), FileType::Unknown, None);
    assert_eq!(
        run(&doc, &[("a", empty)]),
        ["mediaUrl [Media URL] the server answered 200 OK with an empty file"]
    );
}

#[test]
fn one_url_in_two_fields_gives_findings_at_both() {
    let doc = json!({"messageType": "RCS_CAROUSEL", "cards": [
        {"height": "MEDIUM", "mediaUrl": "https://m.example/x"},
        {"height": "MEDIUM", "mediaUrl": "https://m.example/x"}]});
    let gone = Probe::Answered(Answer {
        status: 410,
        final_url: String::new(),
        redirects: 0,
        content_type: None,
        size: None,
        sniffed: None,
        dimensions: None,
        head_refused: false,
    });
    assert_eq!(
        run(&doc, &[("x", gone)]),
        [
            "cards.0.mediaUrl [mediaUrl] the server answered 410 Gone",
            "cards.1.mediaUrl [mediaUrl] the server answered 410 Gone"
        ]
    );
}
