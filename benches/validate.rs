//! Validation against parsing, on the largest legal carousel (10 cards × 4 choices, every
//! text at its maximum length). Target: validating costs no more than parsing the same body
//! with serde_json alone (ratio ≤ 1.0).
//!
//! Besides criterion's own report, the ratio is measured in the same run by interleaving the
//! two in rounds and comparing medians, and printed as `ratio validate/parse = …`.

use criterion::{Criterion, criterion_group};
use rcs_composer::message::{samples, validate};
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn body() -> (String, Value) {
    let doc = samples::largest_carousel();
    (serde_json::to_string(&doc).expect("serializes"), doc)
}

fn bench(c: &mut Criterion) {
    let (text, doc) = body();
    let mut g = c.benchmark_group("largest_carousel");
    g.bench_function("parse (serde_json)", |b| {
        b.iter(|| black_box(serde_json::from_str::<Value>(black_box(&text)).expect("parses")))
    });
    g.bench_function("validate", |b| {
        b.iter(|| black_box(validate(black_box(&doc))))
    });
    g.finish();
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Interleaved rounds, so both sides see the same machine state.
fn ratio() {
    let (text, doc) = body();
    let (mut p, mut v) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let t = Instant::now();
        for _ in 0..5 {
            black_box(serde_json::from_str::<Value>(black_box(&text)).expect("parses"));
        }
        p.push(t.elapsed() / 5);
        let t = Instant::now();
        for _ in 0..5 {
            black_box(validate(black_box(&doc)));
        }
        v.push(t.elapsed() / 5);
    }
    let (p, v) = (median(p), median(v));
    println!(
        "body {} bytes: parse {:?}, validate {:?}; ratio validate/parse = {:.2} (target ≤ 1.0)",
        text.len(),
        p,
        v,
        v.as_secs_f64() / p.as_secs_f64()
    );
}

criterion_group!(benches, bench);

fn main() {
    ratio();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
