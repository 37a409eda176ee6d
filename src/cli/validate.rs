//! `rcs-composer validate [--format human|json] [--check-media] FILE...`
//!
//! Exit 0 when every input is valid (warnings allowed), 1 when any is invalid, 2 when any
//! input could not be read or is not JSON. `--check-media` adds the media check's findings
//! as warnings; they never change the exit status.

use super::body::{self, Body};
use super::{Format, ValidateArgs};
use crate::message::report::Severity;
use crate::message::{FieldPath, Issue, Report, validate};
use crate::text::{one_line, terminal_safe_json};
use serde_json::Value;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// One input in `--format json`: written as it is made, one line each.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    errors: &'a [Issue],
    warnings: &'a [Issue],
}

/// What became of one input.
pub enum Outcome {
    Checked(Report),
    /// The input could not be read or parsed; the text says where and why.
    Failed(String),
}

/// Reads `name` (`-` is standard input) and parses it as JSON (see [`super::body`]: only
/// what can be read without waiting, at most 64 MB, and no collection kept past its first
/// thousand members). A body that had to be cut is refused: it is not what the file says.
pub fn load(name: &str) -> Result<Value, String> {
    let body = super::body::load(name)?;
    match body.cut.first() {
        None => Ok(body.doc),
        Some(c) => Err(format!(
            "{}: {}: the file is {} bytes, far past what the API takes",
            crate::text::one_line(name),
            c.path,
            body.bytes
        )),
    }
}

/// Parses a request body, with the line and column of a syntax error.
pub fn parse_body(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| super::body::json_error(&e))
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

/// A path as shown to a person: the root is "(body)"; keys from the file with their control
/// characters made visible.
fn shown_path(i: &Issue) -> String {
    if i.path.is_root() {
        "(body)".to_string()
    } else {
        one_line(&i.path.to_string())
    }
}

/// The warnings for what the reader did not keep, and the body's size when the document
/// checked is not all of it.
fn cut_warnings(body: &Body, report: &mut Report) {
    if body.cut.is_empty() {
        return;
    }
    // The validator measured the document kept; the file is what counts.
    let size = "Request Body";
    report.warnings.retain(|w| w.description != size);
    report.warnings.push(Issue {
        path: FieldPath::root(),
        description: size.into(),
        message: format!(
            "the request body is {} bytes; RCS Business Messaging accepts at most {} bytes",
            body.bytes,
            crate::message::schema::RBM_MAX_BODY_BYTES
        ),
        severity: Severity::Warning,
    });
    for c in &body.cut {
        // The validator counted the members kept; say how many there are.
        let kept = format!("(it has {})", c.kept);
        let all = format!("(it has {})", c.total);
        let lead = format!("{} ", c.kept);
        for i in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
            if i.path == c.path {
                i.message = i.message.replace(&kept, &all);
                if let Some(rest) = i.message.strip_prefix(&lead) {
                    i.message = format!("{} {rest}", c.total);
                }
            }
        }
        report.warnings.push(Issue {
            path: c.path.clone(),
            description: c.path.to_string(),
            message: c.message(),
            severity: Severity::Warning,
        });
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
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut valid, mut invalid, mut failed, mut errors, mut warnings) = (0, 0, 0, 0, 0);
    // The media check probes the URLs of all files at once, so it reads them all first;
    // without it, one file at a time is held.
    let load = |name: &str| {
        body::load(name).and_then(|mut b| super::set::apply(&mut b.doc, &args.set).map(|()| b))
    };
    let preloaded: Option<Vec<Result<Body, String>>> = args
        .check_media
        .then(|| args.files.iter().map(|n| load(n)).collect());
    let settings = crate::media::MediaSettings {
        extra_root_certs: args.cacert.iter().cloned().collect(),
        ..Default::default()
    };
    let media = preloaded
        .as_deref()
        .map(|bodies| check_media(bodies, &settings))
        .unwrap_or_default();
    let mut preloaded = preloaded.map(Vec::into_iter);
    for name in &args.files {
        let loaded = match preloaded.as_mut().and_then(Iterator::next) {
            Some(b) => b,
            None => load(name),
        };
        let outcome = match loaded {
            Ok(body) => {
                let mut report = validate(&body.doc);
                report.warnings.extend(media.findings(&body.doc));
                cut_warnings(&body, &mut report);
                Outcome::Checked(report)
            }
            Err(e) => Outcome::Failed(e),
        };
        // Everything from the file (its name, its keys, the values quoted in messages) is
        // printed with its control characters visible: a key can hold escape codes.
        let shown_name = one_line(name);
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
        match (&outcome, args.format) {
            (Outcome::Checked(r), Format::Json) => {
                let line = serde_json::to_string(&JsonLine {
                    file: name,
                    valid: r.is_valid(),
                    error: None,
                    errors: &r.errors,
                    warnings: &r.warnings,
                })
                .unwrap_or_default();
                let _ = writeln!(out, "{}", terminal_safe_json(&line));
            }
            (Outcome::Failed(e), Format::Json) => {
                let line = serde_json::to_string(&JsonLine {
                    file: name,
                    valid: false,
                    error: Some(e),
                    errors: &[],
                    warnings: &[],
                })
                .unwrap_or_default();
                let _ = writeln!(out, "{}", terminal_safe_json(&line));
            }
            (Outcome::Checked(r), Format::Human) => {
                for (i, word, code) in r
                    .errors
                    .iter()
                    .map(|i| (i, "error", "1;31"))
                    .chain(r.warnings.iter().map(|i| (i, "warning", "1;33")))
                {
                    let _ = writeln!(
                        out,
                        "{shown_name}: {}: {}: {}",
                        shown_path(i),
                        paint.wrap(code, word),
                        one_line(&i.message)
                    );
                }
            }
            (Outcome::Failed(e), Format::Human) => {
                let _ = writeln!(
                    out,
                    "{shown_name}: {}: {}",
                    paint.wrap("1;31", "error"),
                    one_line(e)
                );
            }
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
    bodies: &[Result<Body, String>],
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
    let urls: Vec<String> = bodies
        .iter()
        .flatten()
        .flat_map(|b| media_urls(&b.doc))
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
