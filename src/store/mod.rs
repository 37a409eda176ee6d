//! Files on disk: where they live, and writing them so that a crash never leaves a
//! truncated one.

pub mod atomic;
pub mod config;
pub mod drafts;
pub mod history;
pub mod lock;
pub mod paths;
pub mod stamp;

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
pub fn read_capped(r: impl std::io::Read, limit: u64) -> std::io::Result<Vec<u8>> {
    read_capped_sized(r, limit, 0)
}

/// [`read_capped`] of what is expected to be `expected` bytes (a file's size): read in one
/// go, not in reads that grow from 32 bytes (14 reads and as many copies for a 128 KB
/// draft).
pub fn read_capped_sized(
    mut r: impl std::io::Read,
    limit: u64,
    expected: u64,
) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // One byte more than expected: the read that finds the end needs room.
    let room = expected.min(limit).saturating_add(1);
    let mut buf = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    (&mut r).take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is larger than {} MB", limit / (1024 * 1024)),
        ));
    }
    Ok(buf)
}

/// Opens `path` for reading only if it is a regular file, without waiting: a FIFO would
/// block the open until something writes to it, a device could be endless. The file is
/// opened with `O_NONBLOCK` and checked on the open descriptor, so it cannot be swapped for
/// a FIFO between the check and the read.
pub fn open_regular(path: &std::path::Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::io::{Error, ErrorKind};
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let f = opts.open(path)?;
    let meta = f.metadata()?;
    if meta.is_dir() {
        return Err(Error::new(ErrorKind::IsADirectory, "it is a folder"));
    }
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", file_kind(&meta)),
        ));
    }
    Ok((f, meta))
}

/// What a file that is not a regular file is, in words.
pub fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        return "a folder";
    }
    "a special file"
}
