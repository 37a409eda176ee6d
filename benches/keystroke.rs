//! One keystroke in a field of the largest legal carousel (10 cards × 4 choices, every text
//! at its maximum length): the real app handles the key, checks the edited field again, and
//! redraws a 200×60 `TestBackend`. The key alternates between `x` (one past the limit: an
//! error appears, the problems pane grows) and Backspace (it goes): the worst case for a
//! frame, as the layout moves on every key.
//!
//! Besides criterion's estimates, it prints p50/p99 of single keystrokes and their ratio
//! against references measured in the same run (a redraw alone, `serde_json::to_string` of
//! the same document), a per-phase breakdown, and the scaling ratios (1 card against 10; a
//! 10 MB and a 60 MB value elsewhere), and the keystroke `tools/tuiperf` times from outside,
//! in-process. `KEYSTROKE_PROFILE=N` runs only N keystrokes, for `perf record`.

use criterion::{Criterion, criterion_group};
use ratatui::crossterm::event::KeyCode;
use rcs_composer::message::FieldPath;
use rcs_composer::tui::harness::Harness;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "keystroke/tuiperf.rs"]
mod tuiperf;

fn harness(dir: &std::path::Path) -> Harness {
    let doc = rcs_composer::message::samples::largest_carousel();
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

/// 3,000 ratatui frames on a `width`×`height` `TestBackend`, one cell changed in each: what
/// a frame costs before anything is drawn on it.
fn empty_frames(width: u16, height: u16) -> Vec<Duration> {
    let mut blank = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("terminal");
    let mut flip = false;
    time_each(3000, || {
        flip = !flip;
        let _ = blank.draw(|f| {
            let sym = if flip { "a" } else { "b" };
            f.buffer_mut()
                .set_string(0, 0, sym, ratatui::style::Style::new());
        });
    })
}

fn report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(dir.path());
    let doc = (*h.app.doc).clone();
    let mut n = 0u64;
    for _ in 0..200 {
        keystroke(&mut h, &mut n);
    }
    let keys = time_each(3000, || keystroke(&mut h, &mut n));
    let redraw = time_each(3000, || h.draw());
    let empty = empty_frames(200, 60);
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

/// Starts the real binary in a pseudo-terminal and returns how long it took until the first
/// frame (the form's first label) arrived.
fn first_frame(dir: &std::path::Path, file: &std::path::Path) -> Option<Duration> {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .ok()?;
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_rcs-composer"));
    cmd.arg(file);
    cmd.env("XDG_DATA_HOME", dir.join("data"));
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).ok()?;
    let mut reader = pair.master.try_clone_reader().ok()?;
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let mut took = None;
    while start.elapsed() < Duration::from_secs(5) {
        let n = reader.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&seen).contains("Message Type") {
            took = Some(start.elapsed());
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    took
}

/// Reference: the same binary started and finished (`--version`), in the same run.
fn process_start() -> Duration {
    let start = Instant::now();
    let _ = std::process::Command::new(env!("CARGO_BIN_EXE_rcs-composer"))
        .arg("--version")
        .output();
    start.elapsed()
}

fn startup_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.json");
    if rcs_composer::store::drafts::save(&file, &rcs_composer::message::samples::largest_carousel())
        .is_err()
    {
        return;
    }
    let mut firsts: Vec<Duration> = (0..15)
        .filter_map(|_| first_frame(dir.path(), &file))
        .collect();
    let mut starts: Vec<Duration> = (0..15).map(|_| process_start()).collect();
    if firsts.is_empty() {
        println!("first frame: could not measure (no pseudo-terminal)");
        return;
    }
    firsts.sort();
    starts.sort();
    let f = firsts[firsts.len() / 2];
    let s0 = starts[starts.len() / 2];
    println!(
        "first frame of the largest carousel, 80x24 pty: median {f:?} (target <= 50ms: {}); \
         reference process start+exit (--version): median {s0:?} -> ratio {:.2}x",
        if f <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        f.as_secs_f64() / s0.as_secs_f64()
    );
}

/// A keystroke while the send pane shows a 1 MB answer (the most it keeps), against the
/// same keystroke with the preview shown, in the same run.
fn send_pane_report() {
    use rcs_composer::client::{SendOutcome, SendResult};
    use rcs_composer::tui::app::Side;
    use rcs_composer::tui::send::{BodyView, RequestLine, SendState};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(dir.path());
    let mut n = 0u64;
    for _ in 0..200 {
        keystroke(&mut h, &mut n);
    }
    let preview = time_each(2000, || keystroke(&mut h, &mut n));
    let line = format!("{}\n", "b".repeat(199));
    let body = line.repeat(1024 * 1024 / line.len());
    h.app.session.send = SendState::Done {
        body: BodyView::of(&body),
        request: RequestLine {
            method: "POST",
            url: "http://127.0.0.1:1/v5/messages".into(),
            user: "u".into(),
            origin: String::new(),
            profile: "p".into(),
            callback_added: None,
            overridden: false,
        },
        outcome: Box::new(SendOutcome {
            url: "http://127.0.0.1:1/v5/messages".into(),
            status: Some(502),
            latency: Duration::from_millis(3),
            result: SendResult::Unexpected {
                summary: "HTTP 502".into(),
            },
            response_body: body,
            truncated: true,
            response_headers: Vec::new(),
            version: String::new(),
        }),
    };
    h.app.view.side = Side::Send;
    for _ in 0..200 {
        keystroke(&mut h, &mut n);
    }
    let pane = time_each(2000, || keystroke(&mut h, &mut n));
    let (p50, p99) = (percentile(preview.clone(), 0.5), percentile(preview, 0.99));
    let (s50, s99) = (percentile(pane.clone(), 0.5), percentile(pane, 0.99));
    println!(
        "keystroke with the send pane showing a 1 MB answer: p50 {s50:?}  p99 {s99:?}; \
         reference the same keystroke with the preview: p50 {p50:?}  p99 {p99:?} -> ratio p50 {:.2}x, p99 {:.2}x",
        s50.as_secs_f64() / p50.as_secs_f64(),
        s99.as_secs_f64() / p99.as_secs_f64()
    );
}

/// Keystroke costs that must follow the change, not the draft: the same keystroke in a
/// 1-card carousel against the 10-card one (target: within 1.3x), and typing in `source` of
/// a text message whose messageText is 10 MB (p99 target 16 ms) and 60 MB (33 ms), against
/// the same in a 5-character messageText; and a key on the giant field itself.
fn scaling_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys_in = |h: &mut Harness, field: &str, n: usize| {
        h.app.focus_problem(&FieldPath::parse(field));
        h.draw();
        let mut k = 0u64;
        for _ in 0..20 {
            keystroke(h, &mut k);
        }
        time_each(n, || keystroke(h, &mut k))
    };
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    // 1 card against 10, every text at its maximum, the same field of the first card.
    let mut ten = rcs_composer::message::samples::largest_carousel();
    let mut one = ten.clone();
    one["cards"].as_array_mut().expect("cards").truncate(1);
    let mut h1 = Harness::new(dir.path().join("one.json"), one, true, 200, 60);
    let mut h10 = Harness::new(
        dir.path().join("ten.json"),
        std::mem::take(&mut ten),
        true,
        200,
        60,
    );
    let t1 = keys_in(&mut h1, "cards.0.choices.2.title", 2000);
    let t10 = keys_in(&mut h10, "cards.0.choices.2.title", 2000);
    let (a50, a99) = (percentile(t1.clone(), 0.5), percentile(t1, 0.99));
    let (b50, b99) = (percentile(t10.clone(), 0.5), percentile(t10, 0.99));
    println!(
        "keystroke in a 10-card carousel: p50 {b50:?}  p99 {b99:?}; reference the same in a \
         1-card one: p50 {a50:?}  p99 {a99:?} -> ratio p50 {:.2}x (target <= 1.3x: {})",
        ratio(b50, a50),
        if ratio(b50, a50) <= 1.3 {
            "met"
        } else {
            "NOT met"
        }
    );
    let open = |text: String| {
        let doc = serde_json::json!({
            "messageType": "RCS_TEXT", "source": "CONVEY", "destination": "15559876543",
            "messageText": text,
        });
        Harness::new(dir.path().join("giant.json"), doc, true, 120, 40)
    };
    let mut small = open("Hello".into());
    let reference = keys_in(&mut small, "source", 300);
    let (r50, r99) = (
        percentile(reference.clone(), 0.5),
        percentile(reference, 0.99),
    );
    for (mb, target) in [(10usize, 16u64), (60, 33)] {
        let mut giant = open("x".repeat(mb * 1_000_000));
        let in_source = keys_in(&mut giant, "source", 300);
        let on_giant = keys_in(&mut giant, "messageText", 100);
        for (what, t, goal) in [
            ("typing in source", in_source, Some(target)),
            ("a key on the giant field", on_giant, None),
        ] {
            let (k50, k99) = (percentile(t.clone(), 0.5), percentile(t, 0.99));
            let met = goal.map_or(String::new(), |g| {
                let ok = k99 <= Duration::from_millis(g);
                format!(
                    " (target p99 <= {g} ms: {})",
                    if ok { "met" } else { "NOT met" }
                )
            });
            println!(
                "keystroke with a {mb} MB messageText, {what}: p50 {k50:?}  p99 {k99:?}; \
                 reference the same in a 5-character messageText: p50 {r50:?}  p99 {r99:?} \
                 -> ratio p50 {:.1}x, p99 {:.1}x{met}",
                ratio(k50, r50),
                ratio(k99, r99)
            );
        }
    }
}

/// The same keystroke with every card's picture on screen (half-blocks, decoded and encoded
/// beforehand, as the app keeps them) against pictures off, in the same run: drawing a
/// picture is copying cells an encoding holds, so the two should match.
fn images_report() {
    use rcs_composer::tui::pictures::Picture;
    use std::sync::Arc;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(dir.path());
    h.app.media.images = true;
    let img = image::RgbImage::from_fn(600, 400, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    for (_, url) in rcs_composer::media::media_urls(&h.app.doc) {
        h.app.media.pictures.start_load(&url);
        let picture = Picture {
            image: image::DynamicImage::ImageRgb8(img.clone()),
        };
        h.app.media.pictures.loaded(url, Ok(Arc::new(picture)));
    }
    // Each frame asks for the encodings it lacks; they are made off this thread.
    for _ in 0..20 {
        h.draw();
        if h.app.view.preview.wanted.is_empty() && !h.app.media.pictures.busy() {
            break;
        }
        h.wait_until(Duration::from_secs(10), |a| !a.media.pictures.busy());
    }
    let shown = h
        .buffer()
        .content()
        .iter()
        .filter(|c| matches!(c.bg, ratatui::style::Color::Rgb(..)))
        .count();
    let mut n = 0u64;
    let mut on = Vec::new();
    let mut off = Vec::new();
    for _ in 0..200 {
        keystroke(&mut h, &mut n);
    }
    // Interleaved, so that both see the same machine.
    for round in 0..6 {
        h.app.media.images = round % 2 == 0;
        h.draw();
        let t = time_each(500, || keystroke(&mut h, &mut n));
        if round % 2 == 0 {
            on.extend(t)
        } else {
            off.extend(t)
        }
    }
    let (a50, a99) = (percentile(on.clone(), 0.5), percentile(on, 0.99));
    let (b50, b99) = (percentile(off.clone(), 0.5), percentile(off, 0.99));
    println!(
        "keystroke with pictures on screen ({shown} picture cells): p50 {a50:?}  p99 {a99:?}; \
         pictures off: p50 {b50:?}  p99 {b99:?} -> ratio p50 {:.2}x, p99 {:.2}x",
        a50.as_secs_f64() / b50.as_secs_f64(),
        a99.as_secs_f64() / b99.as_secs_f64()
    );
}

/// Where a keystroke's time goes: each phase timed on its own, on the same app, in the same
/// run (medians of many calls), so the next person sees what to work on.
fn phase_report() {
    use ratatui::crossterm::event::{Event, KeyEvent, KeyModifiers};
    use ratatui::widgets::StatefulWidget;
    use rcs_composer::tui::action::Message;
    use rcs_composer::tui::keymap;
    use rcs_composer::tui::preview::{Preview, PreviewState};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(dir.path());
    let mut n = 0u64;
    for _ in 0..200 {
        keystroke(&mut h, &mut n);
    }
    let median = |v: Vec<Duration>| percentile(v, 0.5);
    let ev = |i: u64| {
        Event::Key(KeyEvent::new(
            if i.is_multiple_of(2) {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            },
            KeyModifiers::NONE,
        ))
    };
    let map = median(time_each(3000, || {
        black_box(keymap::map_event(&h.app, &ev(0)));
    }));
    let mut i = 0u64;
    let update = median(time_each(2000, || {
        h.app.update(Message::Terminal(ev(i)));
        i += 1;
    }));
    if i % 2 == 1 {
        h.app.update(Message::Terminal(ev(i)));
    }
    let doc = h.app.doc.clone();
    let validate = median(time_each(2000, || {
        black_box(rcs_composer::message::validate(&doc));
    }));
    let folded = h.app.form.folded.clone();
    let rows = median(time_each(2000, || {
        black_box(rcs_composer::tui::form::build(&doc, &folded));
    }));
    let report = rcs_composer::message::validate(&doc);
    let focus = h.app.focused().map(|r| r.path.clone());
    let mut buf = ratatui::buffer::Buffer::empty(h.app.view.geometry.preview);
    let mut state = PreviewState::default();
    let preview = median(time_each(2000, || {
        let area = buf.area;
        Preview::new(&doc, &report, focus.as_ref()).render(area, &mut buf, &mut state);
    }));
    // The frame after a key, drawn on the one before (the form's unchanged lines kept),
    // and the same frame had nothing changed.
    let mut k = 0u64;
    let frame = median(time_each(2000, || {
        h.app.update(Message::Terminal(ev(k)));
        k += 1;
        h.draw();
    }));
    if k % 2 == 1 {
        h.app.update(Message::Terminal(ev(k)));
        h.draw();
    }
    let unchanged = median(time_each(2000, || {
        h.app.dirty = true;
        h.draw();
    }));
    // For scale, between two frames: ratatui's diff of the whole buffers (what every frame
    // cost before the form's lines were kept), and the bytes of the change for a real
    // terminal (crossterm, into a sink).
    let before = h.terminal.backend().buffer().clone();
    keystroke(&mut h, &mut n);
    let after = h.terminal.backend().buffer().clone();
    let diff = median(time_each(3000, || {
        black_box(before.diff(&after));
    }));
    let cells: Vec<(u16, u16, ratatui::buffer::Cell)> = before
        .diff(&after)
        .into_iter()
        .map(|(x, y, c)| (x, y, c.clone()))
        .collect();
    let changes: Vec<(u16, u16, &ratatui::buffer::Cell)> =
        cells.iter().map(|(x, y, c)| (*x, *y, c)).collect();
    let mut bytes = Vec::with_capacity(1 << 16);
    let write = median(time_each(3000, || {
        bytes.clear();
        let _ = rcs_composer::tui::runtime::encode(&mut bytes, &after, &changes, true);
        black_box(&bytes);
    }));
    let crossterm = median(time_each(3000, || {
        bytes.clear();
        let _ = crossterm_bytes(&mut bytes, &changes);
        black_box(&bytes);
    }));
    println!("phases of a keystroke in the largest carousel at 200x60 (medians):");
    let phases: [(&str, Duration); 10] = [
        ("map key", map),
        ("update (the field checked again, rows kept)", update),
        ("  for scale: a full validation (load, $EDITOR)", validate),
        ("  for scale: all form rows built (a type switch)", rows),
        ("draw the frame (form, preview, panes, diff)", frame),
        ("  for scale: the same frame, nothing changed", unchanged),
        ("  preview", preview),
        ("  for scale: ratatui's diff of two whole frames", diff),
        ("write the diff for a terminal", write),
        ("  for scale: the same with crossterm's backend", crossterm),
    ];
    for (what, t) in phases {
        println!("  {what:<50} {t:>10.1?}");
    }
    println!("  ({} cells changed by one keystroke)", cells.len());
}

/// The bytes crossterm's backend writes for `changes`, as ratatui's `Terminal` would.
fn crossterm_bytes(out: &mut Vec<u8>, changes: &[(u16, u16, &ratatui::buffer::Cell)]) -> usize {
    use ratatui::backend::Backend;
    let _ = ratatui::backend::CrosstermBackend::new(&mut *out).draw(changes.iter().copied());
    out.len()
}

/// The bytes of the first frame and of a keystroke in the largest carousel, written by the
/// app's encoder and by crossterm's backend (the reference), at both sizes tuiperf uses.
/// tuiperf's emulator parses about 1 KB per millisecond, so the first frame's bytes are most
/// of its time to the first frame.
fn bytes_report(dir: &std::path::Path) {
    println!("bytes written, the app's encoder against crossterm's backend (same cells):");
    for (w, h) in [(120u16, 40u16), (200, 60)] {
        let doc = rcs_composer::message::samples::largest_carousel();
        let mut hs = Harness::new(dir.join(format!("bytes{w}.json")), doc, true, w, h);
        hs.app.focus_problem(&FieldPath::parse("cards.0.title"));
        hs.draw();
        let first = hs.terminal.backend().buffer().clone();
        let blank = ratatui::buffer::Buffer::empty(first.area);
        let mut n = 0u64;
        keystroke(&mut hs, &mut n);
        let keyed = hs.terminal.backend().buffer().clone();
        for (what, before, after) in [
            ("first frame", &blank, &first),
            ("a keystroke", &first, &keyed),
        ] {
            let changes = before.diff(after);
            let mut ours = Vec::new();
            let _ = rcs_composer::tui::runtime::encode(&mut ours, after, &changes, true);
            let theirs = crossterm_bytes(&mut Vec::new(), &changes);
            println!(
                "  {w}x{h} {what:<12} {:>6} bytes against {theirs:>6}: ratio {:.2}",
                ours.len(),
                ours.len() as f64 / theirs.max(1) as f64
            );
        }
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(dir.path());
    let doc = (*h.app.doc).clone();
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

/// The keystroke `tools/tuiperf` measures from outside, here in-process: 120x40, `x` typed
/// into the first card's title, already one past its limit (`max_carousel.py --bad-title`),
/// reached with F8; Backspace between keys, untimed. The figure from outside also holds the
/// pseudo-terminal, the threads' wake-ups and the measuring program; on this 2-core machine
/// it was 2.5-3x this one.
fn main() {
    // `KEYSTROKE_PROFILE_TUIPERF=120x40` (else 200x60): only the tuiperf keystroke, for a
    // profiler; `=paused`: only that keystroke with and without a pause (and a sweep of the
    // caches) before it; `=swept`: only the swept keys; `=keys=N`: N of those keys and the
    // backspaces after them, nothing else.
    if let Ok(size) = std::env::var("KEYSTROKE_PROFILE_TUIPERF") {
        match size.as_str() {
            "120x40" => tuiperf::tuiperf_scenario(120, 40),
            "paused" | "swept" => tuiperf::paused_report(),
            keys if keys.starts_with("keys=") => {
                tuiperf::tuiperf_keys(keys[5..].parse().unwrap_or(1))
            }
            _ => tuiperf::tuiperf_scenario(200, 60),
        }
        return;
    }
    // `KEYSTROKE_PROFILE=N`: only N keystrokes, for a profiler (`perf record`).
    if let Some(n) = std::env::var("KEYSTROKE_PROFILE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h = harness(dir.path());
        let mut k = 0u64;
        while k < n {
            keystroke(&mut h, &mut k);
        }
        return;
    }
    phase_report();
    bytes_report(tempfile::tempdir().expect("temp dir").path());
    tuiperf::tuiperf_scenario_report();
    startup_report();
    report();
    send_pane_report();
    scaling_report();
    images_report();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
