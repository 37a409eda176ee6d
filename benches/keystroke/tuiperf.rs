//! The keystroke tools/tuiperf types (the title past its limit that `F8` lands on, in the
//! largest carousel with every media URL unreachable), in-process: at 120x40 and 200x60
//! against the frame drawn whole, and after a pause (and a sweep of the caches) against the
//! same keys back to back.

use super::{empty_frames, percentile};
use ratatui::crossterm::event::KeyCode;
use rcs_composer::tui::harness::Harness;
use std::hint::black_box;
use std::time::{Duration, Instant};

pub(crate) fn tuiperf_scenario_report() {
    for (w, h) in [(120u16, 40u16), (200, 60)] {
        tuiperf_scenario(w, h);
    }
    paused_report();
}

/// How a key finds the caches: the keys back to back; after a 20 ms pause, as
/// tools/tuiperf types (it waits for the screen to settle); and after the pause with 16 MB
/// written in it, as the terminal (or tools/tuiperf's own parsing of the frame) does between
/// two keys.
#[derive(Clone, Copy, PartialEq)]
enum Before {
    Nothing,
    Pause,
    PauseAndSweep,
}

/// The same tuiperf keystroke (120x40) after each of [`Before`], interleaved in rounds.
/// The paused key costs more whether the pause sleeps or spins: what a key touches is no
/// longer in the caches, and with the caches swept it costs what the key costs in the real
/// binary between its wake-up and its write. That, not the work, is most of the gap between
/// this bench's keys back to back and the figure from outside; what helps is touching less
/// per key. `KEYSTROKE_PROFILE_TUIPERF=swept` runs only the swept keys, for a profiler.
pub(crate) fn paused_report() {
    let only_swept = std::env::var("KEYSTROKE_PROFILE_TUIPERF").as_deref() == Ok("swept");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = tuiperf_harness(dir.path(), 120, 40);
    let mut sweep = vec![0u8; 16 << 20];
    let modes = [Before::Nothing, Before::Pause, Before::PauseAndSweep];
    let mut took: [Vec<Duration>; 3] = Default::default();
    for round in 0..12 {
        let mode = if only_swept { 2 } else { round % modes.len() };
        for i in 0..60 {
            if modes[mode] != Before::Nothing {
                std::thread::sleep(Duration::from_millis(20));
            }
            if modes[mode] == Before::PauseAndSweep {
                sweep_caches(&mut sweep);
            }
            let t = Instant::now();
            h.press(KeyCode::Char('x'));
            let d = t.elapsed();
            if i >= 20 {
                took[mode].push(d);
            }
            h.press(KeyCode::Backspace);
        }
    }
    if only_swept {
        return;
    }
    let [hot, paused, swept] = took.map(|t| (percentile(t.clone(), 0.5), percentile(t, 0.99)));
    println!("keystroke as tools/tuiperf types it (120x40), against the same keys back to back:");
    for (what, (p50, p99)) in [
        ("back to back (the reference)", hot),
        ("20 ms after the key before", paused),
        ("20 ms after, 16 MB written in the pause", swept),
    ] {
        println!(
            "  {what:<42} p50 {p50:>10.1?}  p99 {p99:>10.1?}  -> p50 {:.1}x, p99 {:.1}x",
            p50.as_secs_f64() / hot.0.as_secs_f64(),
            p99.as_secs_f64() / hot.1.as_secs_f64()
        );
    }
}

/// Writes a byte in every cache line of `sweep`.
fn sweep_caches(sweep: &mut [u8]) {
    for i in (0..sweep.len()).step_by(64) {
        sweep[i] = sweep[i].wrapping_add(1);
    }
    black_box(&sweep);
}

/// The app as tools/tuiperf runs it (see [`tuiperf_scenario`]), on the title F8 lands on.
fn tuiperf_harness(dir: &std::path::Path, width: u16, height: u16) -> Harness {
    let mut h = Harness::title_past_its_limit(dir.join("max.json"), width, height);
    unreachable_media(&mut h);
    h.press(KeyCode::F(8));
    assert_eq!(
        h.app.focused().map(|r| r.path.to_string()).as_deref(),
        Some("cards.0.title"),
        "F8 lands on the title that is too long"
    );
    h
}

/// The tuiperf keystroke at `width`x`height`, and the same frames drawn whole by ratatui's
/// `Terminal::draw` (a blank frame, every line drawn, every cell compared), as the app drew
/// them before it kept the form's unchanged lines; that reference leaves out the key's
/// update. And an empty ratatui frame of that size.
pub(crate) fn tuiperf_scenario(width: u16, height: u16) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = tuiperf_harness(dir.path(), width, height);
    let mut whole = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let mut whole_view = rcs_composer::tui::app::ViewState::default();
    let mut draw_whole = |app: &rcs_composer::tui::app::App| {
        // As the app does on an edit: the edited card is measured and drawn again.
        whole_view.preview.forget_card(0, Some("title"));
        whole_view.forget_kept();
        whole_view.form_rows.clear();
        let _ = whole.draw(|f| rcs_composer::tui::view::draw(f, app, &mut whole_view));
    };
    let (mut keys, mut wholes) = (Vec::with_capacity(3000), Vec::with_capacity(3000));
    for i in 0..3200 {
        let t = Instant::now();
        h.press(KeyCode::Char('x'));
        let kept = t.elapsed();
        let t = Instant::now();
        draw_whole(&h.app);
        let drawn_whole = t.elapsed();
        if i >= 200 {
            keys.push(kept);
            wholes.push(drawn_whole);
        }
        h.press(KeyCode::Backspace);
        draw_whole(&h.app);
    }
    let empty = empty_frames(width, height);
    let (k50, k99) = (percentile(keys.clone(), 0.5), percentile(keys, 0.99));
    let (w50, w99) = (percentile(wholes.clone(), 0.5), percentile(wholes, 0.99));
    let e50 = percentile(empty, 0.5);
    println!(
        "keystroke as tools/tuiperf types it ({width}x{height}, a title past its limit): \
         p50 {k50:?}  p99 {k99:?}; reference the frame drawn whole (ratatui's draw): \
         p50 {w50:?}  p99 {w99:?} -> ratio p50 {:.2}x, p99 {:.2}x; \
         an empty {width}x{height} ratatui frame: p50 {e50:?} -> ratio p50 {:.1}x",
        k50.as_secs_f64() / w50.as_secs_f64(),
        k99.as_secs_f64() / w99.as_secs_f64(),
        k50.as_secs_f64() / e50.as_secs_f64()
    );
}

/// Only the tuiperf keystroke and the backspace after it, `n` times at 200x60, for a
/// profiler (`KEYSTROKE_PROFILE_TUIPERF=keys=N`: the difference of two counts is `n` keys).
pub(crate) fn tuiperf_keys(n: u32) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = tuiperf_harness(dir.path(), 200, 60);
    for _ in 0..n {
        h.press(KeyCode::Char('x'));
        h.press(KeyCode::Backspace);
    }
}

/// The app as tools/tuiperf runs it, with every media URL unreachable (see
/// `Harness::media_unreachable`): the form and the problems pane hold a finding at every
/// media field, and each card a picture that failed.
fn unreachable_media(h: &mut Harness) {
    h.media_unreachable();
    assert!(
        h.app.problems.media().count() >= 20,
        "every media field has a finding"
    );
}
