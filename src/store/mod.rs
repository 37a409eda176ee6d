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

/// The most a draft or a request body read from disk may hold. The API refuses bodies over
/// 1 MB; this only stops a wrong path (`/dev/zero`, a log file) from eating the memory.
pub const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// Reads everything `r` gives, failing once it passes `limit` bytes.
pub fn read_capped(mut r: impl std::io::Read, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    (&mut r).take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is larger than {} MB", limit / (1024 * 1024)),
        ));
    }
    Ok(buf)
}
