//! Probes turned into warnings at the media fields' paths. Pure: the same draft and probes
//! give the same findings, in schema order, without a network.

use super::geometry::{self, crop_for_height, cut_fraction};
use super::net::NetFailure;
use super::probe::{Answer, Probe};
use super::sniff::FileType;
use super::urls::{MediaField, Role, media_fields};
use crate::message::schema::field_at;
use crate::message::{FieldPath, Issue, Severity};
use serde_json::Value;
use std::collections::HashMap;

/// RBM's largest media file (its docs say 100 MB for a binary unit: 100 MiB).
pub const RBM_MAX_MEDIA_BYTES: u64 = 100 * 1024 * 1024;
/// RBM's recommended largest image, video and thumbnail (decimal units).
pub const RBM_RECOMMENDED_IMAGE_BYTES: u64 = 2_000_000;
pub const RBM_RECOMMENDED_VIDEO_BYTES: u64 = 10_000_000;
pub const RBM_RECOMMENDED_THUMBNAIL_BYTES: u64 = 100_000;
/// A crop that leaves out more than this share of the image is worth a warning.
pub const HARD_CROP: f64 = 0.25;
/// A thumbnail whose aspect ratio differs from its media's by more than this.
pub const ASPECT_TOLERANCE: f64 = 0.10;

/// The Content-Types RBM takes for images and videos.
pub const RBM_IMAGE_TYPES: &[&str] = &["image/jpeg", "image/jpg", "image/gif", "image/png"];
pub const RBM_VIDEO_TYPES: &[&str] = &[
    "video/h263",
    "video/m4v",
    "video/mp4",
    "video/mpeg",
    "video/mpeg4",
    "video/webm",
];

/// The warnings for every media URL of `doc` that has a probe. A URL not yet probed, or
/// skipped (private host, check turned off), gives none.
pub fn findings(doc: &Value, probes: &HashMap<String, Probe>) -> Vec<Issue> {
    let fields = media_fields(doc);
    let mut out = Vec::new();
    for f in &fields {
        let Some(probe) = probes.get(&f.url) else {
            continue;
        };
        let mut say = |message: String| {
            out.push(Issue {
                path: f.path.clone(),
                description: describe(doc, &f.path),
                message,
                severity: Severity::Warning,
            })
        };
        let a = match probe {
            Probe::Skipped(_) => continue,
            Probe::Unreachable { host, failure } => {
                say(unreachable(host, failure));
                continue;
            }
            Probe::Redirects { looped, chain } => {
                say(redirects(*looped, chain));
                continue;
            }
            Probe::Answered(a) => a,
        };
        if !a.is_success() {
            say(format!("the server answered {}", status_text(a.status)));
            continue;
        }
        if a.size == Some(0) {
            say(format!(
                "the server answered {} with an empty file",
                status_text(a.status)
            ));
            continue;
        }
        if let Some(m) = type_finding(a, f.role) {
            say(m);
        }
        if let Some(m) = size_finding(a, f.role) {
            say(m);
        }
        if let Some(m) = crop_finding(a, f.role) {
            say(m);
        }
        if let Some(m) = aspect_finding(a, f, probes, &fields) {
            say(m);
        }
    }
    out
}

/// The validator's `description` for a path: the label at the top level, the key below.
fn describe(doc: &Value, path: &FieldPath) -> String {
    match field_at(doc, path) {
        Some(f) if path.len() == 1 => f.label.to_string(),
        Some(f) => f.key.to_string(),
        None => path.last_key().unwrap_or_default().to_string(),
    }
}

fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => format!("HTTP {status}"),
    }
}

fn unreachable(host: &str, failure: &NetFailure) -> String {
    match failure {
        NetFailure::Dns => format!("not reachable: {host} could not be found (DNS)"),
        NetFailure::Refused => format!("not reachable: {host} refused the connection"),
        NetFailure::Timeout(d) => {
            format!(
                "not reachable: no complete answer from {host} within {} (timeout)",
                seconds(*d)
            )
        }
        NetFailure::Tls(why) => format!("not reachable: TLS failed with {host} ({why})"),
        NetFailure::Closed(why) => {
            format!("not reachable: {host} closed the connection before answering ({why})")
        }
        NetFailure::BadRedirect(what) => format!("not reachable: {host} answered with {what}"),
        NetFailure::Other(why) => format!("not reachable: {host}: {why}"),
    }
}

fn seconds(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

fn redirects(looped: bool, chain: &[String]) -> String {
    if looped {
        format!("the redirects loop: {}", chain.join(" → "))
    } else {
        format!(
            "more than {} redirects (the last to {})",
            chain.len().saturating_sub(2),
            chain.last().map_or("?", String::as_str)
        )
    }
}

/// `image/JPEG; charset=x` → `image/jpeg`.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// "serve it as image/png" when RBM has a type for what the file is.
fn suggestion(sniffed: Option<FileType>) -> String {
    match sniffed.and_then(|t| Some((t, t.rbm_content_types().first()?))) {
        Some((t, ct)) => format!(" (the file is {} {}: {ct})", t.article(), t.name()),
        None => String::new(),
    }
}

/// One finding at most about the type: HTML where media belongs, then a missing, refused
/// or wrong Content-Type.
fn type_finding(a: &Answer, role: Role) -> Option<String> {
    let ct = a.content_type.as_deref().map(media_type);
    if a.sniffed == Some(FileType::Html) {
        return Some(format!(
            "the server answered {} with an HTML page, not media (Content-Type {}): an error or login page?",
            status_text(a.status),
            a.content_type.as_deref().unwrap_or("missing")
        ));
    }
    let Some(ct) = ct.filter(|c| !c.is_empty()) else {
        let who = if role == Role::MmsMedia { "MMS" } else { "RBM" };
        return Some(format!(
            "no Content-Type: {who} needs an accurate one{}",
            suggestion(a.sniffed)
        ));
    };
    let taken = RBM_IMAGE_TYPES.contains(&ct.as_str()) || RBM_VIDEO_TYPES.contains(&ct.as_str());
    if !taken && role != Role::MmsMedia {
        return Some(format!(
            "Content-Type {ct} is not one RBM takes (images: {}; video: {}){}",
            RBM_IMAGE_TYPES.join(", "),
            RBM_VIDEO_TYPES.join(", "),
            suggestion(a.sniffed)
        ));
    }
    let sniffed = a.sniffed?;
    if sniffed == FileType::Unknown {
        // Our sniffing knows every image type RBM takes, not every video container.
        return ct.starts_with("image/").then(|| {
            format!("Content-Type {ct}, but the file does not start like an image of that type")
        });
    }
    let agrees = sniffed.rbm_content_types().contains(&ct.as_str())
        || (sniffed == FileType::WebP && ct == "image/webp");
    (!agrees).then(|| {
        let fix = match sniffed.rbm_content_types().first() {
            Some(right) => format!(": serve it as {right}"),
            None if sniffed == FileType::WebP => ": RBM takes JPEG, PNG and GIF images".into(),
            None => String::new(),
        };
        format!(
            "Content-Type {ct}, but the file is {} {}{fix}",
            sniffed.article(),
            sniffed.name()
        )
    })
}

/// Image or video, from the bytes first, else from the Content-Type.
fn kind_of(a: &Answer) -> Option<&'static str> {
    match a.sniffed {
        Some(t) if t.is_image() => return Some("image"),
        Some(t) if t.is_video() => return Some("video"),
        _ => {}
    }
    let ct = media_type(a.content_type.as_deref()?);
    if ct.starts_with("image/") {
        Some("image")
    } else if ct.starts_with("video/") {
        Some("video")
    } else {
        None
    }
}

/// A size in decimal units, as RBM's recommendations are written: `3.1 MB`, `154 kB`.
pub fn human_size(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else if n >= 1_000 {
        format!("{} kB", (n + 500) / 1000)
    } else {
        format!("{n} bytes")
    }
}

/// `human_size`, or the exact count when rounding would make it read as the limit itself.
fn size_over(n: u64, limit_text: &str) -> String {
    let s = human_size(n);
    if s == limit_text {
        format!("{n} bytes")
    } else {
        s
    }
}

fn size_finding(a: &Answer, role: Role) -> Option<String> {
    let n = a.size?;
    if role == Role::MmsMedia {
        return None;
    }
    if n > RBM_MAX_MEDIA_BYTES {
        return Some(format!(
            "{}: past RBM's limit of 100 MiB for a media file",
            human_size(n)
        ));
    }
    let (limit, text, what) = match (role, kind_of(a)) {
        (Role::Thumbnail, _) => (RBM_RECOMMENDED_THUMBNAIL_BYTES, "100 kB", "thumbnails"),
        (_, Some("image")) => (RBM_RECOMMENDED_IMAGE_BYTES, "2 MB", "images"),
        (_, Some("video")) => (RBM_RECOMMENDED_VIDEO_BYTES, "10 MB", "video"),
        _ => return None,
    };
    (n > limit).then(|| {
        format!(
            "{}: over the {text} recommended for {what}",
            size_over(n, text)
        )
    })
}

fn height_name(dp: u32) -> &'static str {
    match dp {
        geometry::SHORT_DP => "SHORT",
        geometry::MEDIUM_DP => "MEDIUM",
        geometry::TALL_DP => "TALL",
        _ => "this",
    }
}

fn crop_finding(a: &Answer, role: Role) -> Option<String> {
    let Role::CardMedia {
        width_dp,
        height_dp: Some(height_dp),
    } = role
    else {
        return None;
    };
    if !a.sniffed.is_some_and(FileType::is_image) {
        return None;
    }
    let (w, h) = a.dimensions?;
    let crop = crop_for_height(w, h, width_dp, height_dp);
    if cut_fraction(w, h, crop) <= HARD_CROP {
        return None;
    }
    let (sides, cut_each) = if crop.3 < h {
        ("top and bottom", f64::from(h - crop.3) / 2.0 / f64::from(h))
    } else {
        ("left and right", f64::from(w - crop.2) / 2.0 / f64::from(w))
    };
    Some(format!(
        "the {sides} {:.0} % of this {w}×{h} image are cut at {} height (a {width_dp}×{height_dp} dp media area shows {}×{} of it)",
        cut_each * 100.0,
        height_name(height_dp),
        crop.2,
        crop.3
    ))
}

fn aspect_finding(
    a: &Answer,
    f: &MediaField,
    probes: &HashMap<String, Probe>,
    fields: &[MediaField],
) -> Option<String> {
    let media_path = f.media_of_thumbnail.as_ref()?;
    let media = fields.iter().find(|m| &m.path == media_path)?;
    let Some(Probe::Answered(m)) = probes.get(&media.url) else {
        return None;
    };
    if !m.is_success() {
        return None;
    }
    let (tw, th) = a.dimensions?;
    let (mw, mh) = m.dimensions?;
    let (ta, ma) = (f64::from(tw) / f64::from(th), f64::from(mw) / f64::from(mh));
    (ta.max(ma) / ta.min(ma) > 1.0 + ASPECT_TOLERANCE).then(|| {
        format!(
            "this thumbnail is {tw}×{th} ({ta:.2}:1) and its media {mw}×{mh} ({ma:.2}:1): not the same shape"
        )
    })
}

#[cfg(test)]
mod tests;
