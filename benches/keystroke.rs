//! One keystroke in a field of the largest legal carousel (10 cards × 4 choices, every text
//! at its maximum length): the real app handles the key, validates the whole draft, rebuilds
//! the form and redraws a 200×60 `TestBackend`. Target: p99 ≤ 2 ms.
//!
//! Besides criterion's estimates, it prints p50/p99 of single keystrokes and their ratio
//! against two references measured in the same run: a redraw alone (no key, no validation),
//! and `serde_json::to_string` of the same document.

use criterion::{Criterion, criterion_group};
use crossterm::event::KeyCode;
use rcs_composer::message::FieldPath;
use rcs_composer::tui::harness::Harness;
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn s(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

fn url(len: usize) -> String {
    let head = "https://example.com/";
    format!("{head}{}", s('u', len - head.len()))
}

/// The largest legal carousel: every length-limited field at its maximum.
fn largest_carousel() -> Value {
    let choice = |i: usize| {
        json!({
            "type": "OPEN_URL",
            "title": format!("{i:02}{}", s('t', 23)),
            "postbackData": s('p', 2048),
            "url": url(2048),
            "application": "WEBVIEW",
            "webviewViewMode": "FULL"
        })
    };
    let card = |c: usize| {
        json!({
            "title": format!("{c:02}{}", s('T', 98)),
            "description": s('d', 500),
            "height": "MEDIUM",
            "mediaUrl": url(300),
            "thumbnailUrl": url(300),
            "filenameOverride": s('f', 100),
            "choices": (0..4).map(|i| choice(c * 4 + i)).collect::<Vec<_>>()
        })
    };
    json!({
        "messageType": "RCS_CAROUSEL",
        "source": "CONVEY",
        "destination": "15559876543",
        "cards": (0..10).map(card).collect::<Vec<_>>(),
        "callbackURL": url(2048),
        "mmsFailover": {
            "enabled": true,
            "failoverSource": s('1', 50),
            "fallbackText": s('f', 160),
            "mediaUrl": url(300),
            "subject": s('s', 100)
        }
    })
}

fn harness(dir: &std::path::Path) -> Harness {
    let doc = largest_carousel();
    assert!(
        rcs_composer::message::validate(&doc).is_valid(),
        "the benchmark's carousel must be legal"
    );
    let mut h = Harness::new(dir.join("big.json"), doc, true, 200, 60);
    h.app
        .focus_problem(&FieldPath::parse("cards.5.choices.2.title"));
    h.draw();
    assert_eq!(
        h.app.focused().map(|r| r.path.to_string()).as_deref(),
        Some("cards.5.choices.2.title")
    );
    h
}

/// One keystroke: a character on even calls, Backspace on odd ones, so the field stays at
/// its maximum length plus at most one.
fn keystroke(h: &mut Harness, n: &mut u64) {
    if n.is_multiple_of(2) {
        h.press(KeyCode::Char('x'));
    } else {
        h.press(KeyCode::Backspace);
    }
    *n += 1;
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn time_each(n: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

fn report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(dir.path());
    let doc = h.app.doc.clone();
    let mut n = 0u64;
    for _ in 0..200 {
        keystroke(&mut h, &mut n);
    }
    let keys = time_each(3000, || keystroke(&mut h, &mut n));
    let redraw = time_each(3000, || h.draw());
    let mut blank =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60)).expect("terminal");
    let mut flip = false;
    let empty = time_each(3000, || {
        flip = !flip;
        let _ = blank.draw(|f| {
            let sym = if flip { "a" } else { "b" };
            f.buffer_mut()
                .set_string(0, 0, sym, ratatui::style::Style::new());
        });
    });
    println!(
        "(part) ratatui frame cost, 200x60 TestBackend, one cell changed: p50 {:?}  p99 {:?}",
        percentile(empty.clone(), 0.5),
        percentile(empty, 0.99)
    );
    let val = time_each(3000, || {
        black_box(rcs_composer::message::validate(black_box(&doc)));
    });
    println!(
        "(part) validate alone: p50 {:?}  p99 {:?}",
        percentile(val.clone(), 0.5),
        percentile(val, 0.99)
    );
    let ser = time_each(3000, || {
        black_box(serde_json::to_string(black_box(&doc)).ok());
    });
    let (k50, k99) = (percentile(keys.clone(), 0.5), percentile(keys, 0.99));
    let (r50, r99) = (percentile(redraw.clone(), 0.5), percentile(redraw, 0.99));
    let (s50, s99) = (percentile(ser.clone(), 0.5), percentile(ser, 0.99));
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "keystroke (handle + validate + redraw, 200x60, {} bytes): p50 {:?}  p99 {:?}  (target p99 <= 2ms: {})",
        serde_json::to_string(&doc).map(|s| s.len()).unwrap_or(0),
        k50,
        k99,
        if k99 <= Duration::from_millis(2) {
            "met"
        } else {
            "NOT met"
        }
    );
    println!(
        "reference redraw only:     p50 {r50:?}  p99 {r99:?}  -> keystroke/redraw p50 {:.2}x, p99 {:.2}x",
        ratio(k50, r50),
        ratio(k99, r99)
    );
    println!(
        "reference serde_json::to_string: p50 {s50:?}  p99 {s99:?}  -> keystroke/serialize p50 {:.2}x, p99 {:.2}x",
        ratio(k50, s50),
        ratio(k99, s99)
    );
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(dir.path());
    let doc = h.app.doc.clone();
    let mut n = 0u64;
    c.bench_function("keystroke_largest_carousel_200x60", |b| {
        b.iter(|| keystroke(&mut h, &mut n))
    });
    c.bench_function("reference_redraw_only_200x60", |b| b.iter(|| h.draw()));
    c.bench_function("reference_serde_json_to_string", |b| {
        b.iter(|| black_box(serde_json::to_string(black_box(&doc)).ok()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    targets = bench
}

fn main() {
    report();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
