//! Files on disk: where they live, and writing them so that a crash never leaves a
//! truncated one.

pub mod atomic;
pub mod config;
pub mod drafts;
pub mod history;
pub mod paths;

/// The one format drafts, examples and history requests are written in: the request body
/// itself, pretty-printed with two-space indents, keys in their own order, and a final
/// newline. `curl --data @draft.json` sends it as it is.
pub fn to_draft_json(doc: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}
