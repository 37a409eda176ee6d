//! `rcs-composer validate [--format human|json] [--check-media] FILE...`
//!
//! Exit 0 when every input is valid (warnings allowed), 1 when any is invalid, 2 when any
//! input could not be read or is not JSON. `--check-media` adds the media check's findings
//! as warnings; they never change the exit status.

use super::{Format, ValidateArgs};
use crate::message::{Issue, Report, validate};
use serde_json::{Value, json};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// What became of one input.
pub enum Outcome {
    Checked(Report),
    /// The input could not be read or parsed; the text says where and why.
    Failed(String),
}

/// Reads `name` (`-` is standard input) and parses it as JSON.
pub fn load(name: &str) -> Result<Value, String> {
    let bytes = if name == "-" {
        crate::store::read_capped(std::io::stdin(), crate::store::MAX_READ_BYTES)
            .map_err(|e| format!("cannot read standard input: {e}"))?
    } else {
        // A FIFO is fine here (`validate <(cmd)`); the cap stops `/dev/zero`.
        std::fs::File::open(name)
            .and_then(|f| crate::store::read_capped(f, crate::store::MAX_READ_BYTES))
            .map_err(|e| format!("cannot read {name}: {}", io_reason(&e)))?
    };
    parse_body(&bytes)
}

/// Parses a request body, with the line and column of a syntax error.
pub fn parse_body(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "the JSON ends too early",
            _ => "invalid JSON",
        };
        // serde_json's message ends with " at line L column C"; say it plainly.
        let msg = e.to_string();
        let reason = msg
            .rsplit_once(" at line ")
            .map(|(r, _)| r.to_string())
            .unwrap_or(msg);
        format!(
            "{what} at line {} column {}: {reason}",
            e.line(),
            e.column()
        )
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder".into(),
        _ => e.to_string(),
    }
}

struct Paint {
    on: bool,
}

impl Paint {
    fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            on: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// A path as shown to a person: the root is "(body)".
fn shown_path(i: &Issue) -> String {
    if i.path.is_root() {
        "(body)".to_string()
    } else {
        i.path.to_string()
    }
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    let mut files = args.files.clone();
    if files.is_empty() {
        if std::io::stdin().is_terminal() {
            eprintln!(
                "rcs-composer validate: give FILE..., or pipe a body into it \
                 (`rcs-composer validate < draft.json`)"
            );
            return ExitCode::from(2);
        }
        files.push("-".to_string());
    }
    let args = &ValidateArgs {
        format: args.format,
        check_media: args.check_media,
        cacert: args.cacert.clone(),
        set: args.set.clone(),
        files,
    };
    let paint = Paint::detect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut valid, mut invalid, mut failed, mut errors, mut warnings) = (0, 0, 0, 0, 0);
    // The media check probes the URLs of all files at once, so it reads them all first;
    // without it, one file at a time is held.
    let load = |name: &str| {
        load(name).and_then(|mut doc| super::set::apply(&mut doc, &args.set).map(|()| doc))
    };
    let preloaded: Option<Vec<Result<Value, String>>> = args
        .check_media
        .then(|| args.files.iter().map(|n| load(n)).collect());
    let settings = crate::media::MediaSettings {
        extra_root_certs: args.cacert.iter().cloned().collect(),
        ..Default::default()
    };
    let media = preloaded
        .as_deref()
        .map(|docs| check_media(docs, &settings))
        .unwrap_or_default();
    let mut preloaded = preloaded.map(Vec::into_iter);
    for name in &args.files {
        let doc = match preloaded.as_mut().and_then(Iterator::next) {
            Some(doc) => doc,
            None => load(name),
        };
        let outcome = match doc {
            Ok(doc) => {
                let mut report = validate(&doc);
                report.warnings.extend(media.findings(&doc));
                Outcome::Checked(report)
            }
            Err(e) => Outcome::Failed(e),
        };
        let line = match (&outcome, args.format) {
            (Outcome::Checked(r), Format::Json) => json!({
                "file": name,
                "valid": r.is_valid(),
                "errors": r.errors,
                "warnings": r.warnings,
            })
            .to_string(),
            (Outcome::Failed(e), Format::Json) => json!({
                "file": name,
                "valid": false,
                "error": e,
                "errors": [],
                "warnings": [],
            })
            .to_string(),
            (Outcome::Checked(r), Format::Human) => {
                let mut s = String::new();
                for i in &r.errors {
                    s.push_str(&format!(
                        "{name}: {}: {}: {}\n",
                        shown_path(i),
                        paint.wrap("1;31", "error"),
                        i.message
                    ));
                }
                for i in &r.warnings {
                    s.push_str(&format!(
                        "{name}: {}: {}: {}\n",
                        shown_path(i),
                        paint.wrap("1;33", "warning"),
                        i.message
                    ));
                }
                s.pop();
                s
            }
            (Outcome::Failed(e), Format::Human) => {
                format!("{name}: {}: {e}", paint.wrap("1;31", "error"))
            }
        };
        match &outcome {
            Outcome::Checked(r) => {
                errors += r.errors.len();
                warnings += r.warnings.len();
                if r.is_valid() {
                    valid += 1
                } else {
                    invalid += 1
                }
            }
            Outcome::Failed(_) => failed += 1,
        }
        if !line.is_empty() {
            let _ = writeln!(out, "{line}");
        }
    }
    if args.format == Format::Human {
        let total = valid + invalid + failed;
        let mut summary = format!(
            "{total} {} checked: {valid} valid, {invalid} invalid",
            if total == 1 { "file" } else { "files" }
        );
        if failed > 0 {
            summary.push_str(&format!(", {failed} unreadable"));
        }
        summary.push_str(&format!(
            " ({errors} {}, {warnings} {})",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
        let summary = if failed + invalid > 0 {
            paint.wrap("1;31", &summary)
        } else {
            paint.wrap("1;32", &summary)
        };
        let _ = writeln!(out, "{summary}");
    }
    let _ = out.flush();
    if failed > 0 {
        ExitCode::from(2)
    } else if invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Probes the media URLs of every loaded file at once, on a small runtime of its own.
fn check_media(
    docs: &[Result<Value, String>],
    settings: &crate::media::MediaSettings,
) -> crate::media::MediaCache {
    use crate::media::{MediaCache, MediaClient, media_urls};
    let mut cache = MediaCache::new();
    let client = match MediaClient::new(settings) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("the media check did not run: {e}");
            return cache;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("the media check did not run: {e}");
            return cache;
        }
    };
    let urls: Vec<String> = docs
        .iter()
        .flatten()
        .flat_map(media_urls)
        .map(|(_, url)| url)
        .collect();
    runtime.block_on(cache.check_urls(urls, &client));
    cache
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
