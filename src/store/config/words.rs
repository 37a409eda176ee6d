//! Config errors in words: which profile and key a TOML or serde message is about, what was
//! expected and what was found, and "did you mean" for a mistyped key.

use super::ConfigError;
use std::path::Path;

/// The keys a profile may hold, for "did you mean" and the list in messages.
pub const PROFILE_KEYS: &[&str] = &[
    "base_url",
    "username",
    "password",
    "password_env",
    "password_command",
    "allow_insecure",
    "connect_timeout_secs",
    "timeout_secs",
    "sandbox",
    "ca_file",
];

/// The word of `candidates` closest to `word` (at most two edits away, case ignored), for
/// "did you mean".
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    candidates
        .iter()
        .map(|c| {
            (
                edit_distance(&w, &c.to_lowercase().chars().collect::<Vec<_>>()),
                *c,
            )
        })
        .filter(|(d, c)| *d <= 2.min(c.len() / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A TOML or serde message about one value, in words: which profile and key (read from the
/// text at `line`), what was expected and what was found.
pub(super) fn field_error(
    text: &str,
    path: &Path,
    line: usize,
    message: &str,
) -> Option<ConfigError> {
    let lines: Vec<&str> = text.lines().collect();
    let profile = lines[..line.min(lines.len())].iter().rev().find_map(|l| {
        let l = l.trim();
        let inner = l.strip_prefix('[')?.strip_suffix(']')?.trim();
        let name = inner.strip_prefix("profiles.")?;
        Some(name.trim().trim_matches('"').to_string())
    })?;
    let key = lines
        .get(line.checked_sub(1)?)?
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())?;
    let message = if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or(rest);
        match closest(unknown, PROFILE_KEYS) {
            Some(good) => format!("unknown key {unknown}: did you mean {good}?"),
            None => format!(
                "unknown key {unknown}; a profile's keys are {}",
                PROFILE_KEYS.join(", ")
            ),
        }
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        let expected = match expected.trim() {
            "f64" | "a float" | "i64" | "an integer" => "a number, like 30",
            "a boolean" | "bool" => "true or false",
            "a string" => "text in double quotes",
            other => other,
        };
        let found = found
            .replacen("string ", "the text ", 1)
            .replacen("integer ", "the number ", 1)
            .replacen("boolean ", "", 1)
            .replace('`', "");
        format!("must be {expected}, not {found}")
    } else {
        return None;
    };
    Some(ConfigError::Field {
        path: path.to_path_buf(),
        line,
        profile,
        field: key,
        message,
    })
}
