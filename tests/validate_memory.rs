//! `validate` on big hostile files stays under 4 times the file's size in memory. Alone in
//! its test binary, so the children whose peak is measured are only these.

#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::Path;

const BIN: &str = env!("CARGO_BIN_EXE_rcs-composer");

/// The largest resident size (bytes) any child waited for so far has reached.
fn children_peak() -> u64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_CHILDREN).unwrap().max_rss() as u64 * 1024
}

fn write_with(path: &Path, head: &str, item: &str, n: usize, tail: &str) -> u64 {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    // (Written piece by piece: the test's own memory must stay small, since a child's peak
    // as the kernel counts it starts from its parent's at the fork.)
    let sep: &[u8] = if head.ends_with('"') { b"" } else { b"," };
    for i in 0..n {
        if i > 0 {
            f.write_all(sep).unwrap();
        }
        f.write_all(item.replace("{i}", &i.to_string()).as_bytes())
            .unwrap();
    }
    f.write_all(tail.as_bytes()).unwrap();
    f.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// Failed before: a carousel of 120,000 small cards (40 MB) took 7.4 times its size, and
/// 500,000 unknown keys (8 MB) 72 times (the document as `serde_json::Value`, the report of
/// every key, and the whole JSON output built in memory).
#[test]
fn validate_peaks_under_four_times_the_file_size() {
    let dir = tempfile::tempdir().unwrap();
    let cards = dir.path().join("cards.json");
    let card = r#"{"title":"t{i}","description":"a short card","mediaUrl":"https://example.com/{i}.png","height":"MEDIUM","choices":[{"type":"REPLY","title":"Yes","postbackData":"y"}]}"#;
    let keys = dir.path().join("keys.json");
    let text = dir.path().join("text.json");
    let cases = [
        (
            &keys,
            write_with(
                &keys,
                r#"{"messageType":"RCS_TEXT","source":"ACME","destination":"1","messageText":"hi","#,
                r#""k{i}":{i}"#,
                500_000,
                "}",
            ),
        ),
        (
            &cards,
            write_with(
                &cards,
                r#"{"messageType":"RCS_CAROUSEL","source":"ACME","destination":"14155550100","cards":["#,
                card,
                240_000,
                "]}",
            ),
        ),
        (
            &text,
            write_with(
                &text,
                r#"{"messageType":"RCS_TEXT","source":"ACME","destination":"1","messageText":""#,
                &"b".repeat(1 << 20),
                40,
                "\"}",
            ),
        ),
    ];
    for (path, size) in cases {
        for format in ["human", "json"] {
            let before = children_peak();
            let out = std::process::Command::new(BIN)
                .args(["validate", "--format", format])
                .arg(path)
                .output()
                .unwrap();
            assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
            let peak = children_peak();
            eprintln!(
                "{}: {size} bytes, {format}: peak {peak} bytes ({:.2}x)",
                path.display(),
                peak as f64 / size as f64
            );
            // The peak is the largest of all children so far (the cases go from the smallest
            // expected peak up); a run that did not raise it stayed under the earlier one.
            assert!(
                peak < 4 * size || peak <= before,
                "{}: {peak} bytes for a {size}-byte file",
                path.display()
            );
        }
    }
}
