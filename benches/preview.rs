//! The preview of the largest legal carousel (10 cards, 4 choices each, every text at its
//! maximum) rendered at 200×60, against validating the same document in the same run.
//!
//! Run: `cargo bench --bench preview`. Besides criterion's own report it prints one line:
//! `preview/validate ratio: R (preview X µs, validate Y µs)`, from interleaved timings, so
//! the ratio holds whatever else the machine is doing at the time.

use criterion::{Criterion, criterion_group};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::StatefulWidget;
use rcs_composer::message::{FieldPath, Report, validate};
use rcs_composer::tui::preview::{Preview, PreviewState};
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

struct Fixture {
    doc: Value,
    report: Report,
    focus: FieldPath,
    buf: Buffer,
    state: PreviewState,
}

impl Fixture {
    fn new() -> Self {
        let doc = rcs_composer::message::samples::largest_carousel();
        let report = validate(&doc);
        assert!(report.is_valid(), "the carousel must be legal: {report:?}");
        Fixture {
            doc,
            report,
            focus: FieldPath::parse("cards.6.choices.2.title"),
            buf: Buffer::empty(Rect::new(0, 0, 200, 60)),
            state: PreviewState::default(),
        }
    }

    fn render(&mut self) {
        let area = self.buf.area;
        Preview::new(&self.doc, &self.report, Some(&self.focus)).render(
            area,
            &mut self.buf,
            &mut self.state,
        );
        black_box(&self.buf);
    }
}

fn bench(c: &mut Criterion) {
    let mut f = Fixture::new();
    c.bench_function("preview/largest carousel 200x60", |b| b.iter(|| f.render()));
    let doc = rcs_composer::message::samples::largest_carousel();
    c.bench_function("validate/largest carousel", |b| {
        b.iter(|| black_box(validate(black_box(&doc))))
    });
}

/// Median time of one call, from `rounds` rounds of `batch` calls each.
fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times the preview and the reference in alternating batches and prints their ratio.
fn ratio() {
    let mut f = Fixture::new();
    let doc = rcs_composer::message::samples::largest_carousel();
    let batch = 50;
    let rounds = 60;
    let (mut p, mut v) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..batch {
            f.render();
        }
        p.push(t.elapsed() / batch);
        let t = Instant::now();
        for _ in 0..batch {
            black_box(validate(black_box(&doc)));
        }
        v.push(t.elapsed() / batch);
    }
    let (p, v) = (median(&mut p), median(&mut v));
    println!(
        "preview/validate ratio: {:.2} (preview {:.1} µs, validate {:.1} µs, largest legal carousel at 200x60)",
        p.as_secs_f64() / v.as_secs_f64(),
        p.as_secs_f64() * 1e6,
        v.as_secs_f64() * 1e6,
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    ratio();
}
