//! Links the functions a session runs first in the binary and together
//! (`scripts/hot-symbols.txt`, made by `scripts/hot-symbols.py`).
//!
//! The code is 6 MB, and a session runs 1.4 MB of it scattered through all of it. The
//! kernel maps a program's code in pieces around each page it runs (64 KB on Linux, 512 KB
//! on the 2-core gVisor machine the targets are measured on), so scattered code is
//! resident almost whole: 5.8 MB of the binary was, for the largest carousel typed into.
//! With the functions that ran placed first it is 2.8 MB, and the process 7.5 MB instead of
//! 10.3 MB (measured 2026-12-02).
//!
//! Only for release builds of x86_64 Linux with rustc's own linker (rust-lld, the default
//! there since Rust 1.90): other linkers do not know the option. A name the build no longer
//! has is skipped; the binary links either way.

use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=scripts/hot-symbols.txt");
    let var = |k: &str| env::var(k).unwrap_or_default();
    let order = Path::new(&var("CARGO_MANIFEST_DIR")).join("scripts/hot-symbols.txt");
    let linker_chosen = var("CARGO_ENCODED_RUSTFLAGS").contains("link")
        || env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
        || env::var_os("RUSTC_LINKER").is_some();
    if var("TARGET") != "x86_64-unknown-linux-gnu"
        || var("PROFILE") != "release"
        || linker_chosen
        || !order.is_file()
        || !rust_lld_by_default(&var("RUSTC"))
    {
        return;
    }
    // The linker reads a copy in this build's own directory: a target directory shared by
    // two checkouts keeps one build script's output, which must not name the other's files.
    let copy = Path::new(&var("OUT_DIR")).join("hot-symbols.txt");
    if std::fs::copy(&order, &copy).is_err() {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
        copy.display()
    );
    println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
}

/// rustc 1.90 and later link x86_64 Linux with rust-lld unless told otherwise.
fn rust_lld_by_default(rustc: &str) -> bool {
    let Ok(out) = Command::new(if rustc.is_empty() { "rustc" } else { rustc })
        .arg("-V")
        .output()
    else {
        return false;
    };
    let version = String::from_utf8_lossy(&out.stdout);
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let mut parts = version
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (1, 90)
}
