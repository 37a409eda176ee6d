//! What a file held when this process last read or wrote it (size, modification time and a
//! hash of the bytes), so that before writing it again we can tell whether someone else
//! wrote it meanwhile: another instance of the app, an editor, `git checkout`.

use std::fs::Metadata;
use std::hash::Hasher;
use std::io;
use std::path::Path;
use std::time::SystemTime;

/// A file's content as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub hash: u64,
}

impl Stamp {
    pub fn of(bytes: &[u8], meta: &Metadata) -> Stamp {
        Stamp {
            len: bytes.len() as u64,
            modified: meta.modified().ok(),
            hash: hash(bytes),
        }
    }

    /// The stamp of bytes just written (the file's time read back from `path`).
    pub fn written(path: &Path, bytes: &[u8]) -> Stamp {
        Stamp {
            len: bytes.len() as u64,
            modified: std::fs::metadata(path).and_then(|m| m.modified()).ok(),
            hash: hash(bytes),
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    // rustc-hash's hash of bytes (it passes SMHasher): the same bytes give the same hash,
    // which is all a stamp needs, at about 8 times the speed of the standard SipHash (a
    // 128 KB draft is hashed when it is opened, and twice for each autosave).
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// The file at a path compared with the stamp of what we last saw there.
#[derive(Debug)]
pub enum OnDisk {
    /// Still what we saw (its time may have been touched; the fresh stamp is given).
    Same(Stamp),
    /// Gone: deleted or renamed away. Writing there overwrites nobody's work.
    Gone,
    /// Someone wrote it: its bytes and their stamp.
    Changed { bytes: Vec<u8>, stamp: Stamp },
}

/// True for the errors that mean there is no file at the path (nothing there, or a part of
/// the path is not a folder).
pub fn is_absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Reads a regular file whole (at most [`super::MAX_READ_BYTES`]) with its stamp.
pub fn read(path: &Path) -> io::Result<(Vec<u8>, Stamp)> {
    let (f, meta) = super::open_regular(path)?;
    let bytes = super::read_capped_sized(f, super::MAX_READ_BYTES, meta.len())?;
    let stamp = Stamp::of(&bytes, &meta);
    Ok((bytes, stamp))
}

/// Compares the file at `path` with `known`. When its size and time are unchanged, a small
/// file is still read and hashed (a same-size write within the clock's resolution, or a
/// time set back by hand, would hide otherwise); a large one is taken as unchanged.
pub fn compare(path: &Path, known: &Stamp) -> io::Result<OnDisk> {
    const ALWAYS_HASH_BELOW: u64 = 4 * 1024 * 1024;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if is_absent(&e) => return Ok(OnDisk::Gone),
        Err(e) => return Err(e),
    };
    let same_meta = meta.len() == known.len && meta.modified().ok() == known.modified;
    if same_meta && meta.len() >= ALWAYS_HASH_BELOW {
        return Ok(OnDisk::Same(*known));
    }
    let (bytes, stamp) = match read(path) {
        Ok(r) => r,
        Err(e) if is_absent(&e) => return Ok(OnDisk::Gone),
        Err(e) => return Err(e),
    };
    if stamp.hash == known.hash && stamp.len == known.len {
        Ok(OnDisk::Same(stamp))
    } else {
        Ok(OnDisk::Changed { bytes, stamp })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_write_by_someone_else_is_seen_even_at_the_same_size_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.json");
        fs::write(&p, "{\"a\": 1}").unwrap();
        let (_, known) = read(&p).unwrap();
        assert!(matches!(compare(&p, &known).unwrap(), OnDisk::Same(_)));
        // Touched only: still the same.
        let f = fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(SystemTime::now() + std::time::Duration::from_secs(5))
            .unwrap();
        assert!(matches!(compare(&p, &known).unwrap(), OnDisk::Same(_)));
        // Same size, time set back to what it was.
        fs::write(&p, "{\"a\": 2}").unwrap();
        let f = fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(known.modified.unwrap()).unwrap();
        match compare(&p, &known).unwrap() {
            OnDisk::Changed { bytes, .. } => assert_eq!(bytes, b"{\"a\": 2}"),
            other => panic!("{other:?}"),
        }
        fs::remove_file(&p).unwrap();
        assert!(matches!(compare(&p, &known).unwrap(), OnDisk::Gone));
    }
}
