//! Where files live: the data dir (`$XDG_DATA_HOME/rcs-composer`: drafts, history) and the
//! config dir (`$XDG_CONFIG_HOME/rcs-composer`: config.toml), from `directories`, so tests
//! point them at a temp dir with the XDG variables.

use std::path::PathBuf;

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "rcs-composer")
}

/// The data dir; `./.rcs-composer` when no home can be found.
pub fn data_dir() -> PathBuf {
    dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".rcs-composer"))
}

/// The config dir; `./.rcs-composer` when no home can be found.
pub fn config_dir() -> PathBuf {
    dirs()
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".rcs-composer"))
}

pub fn drafts_dir() -> PathBuf {
    data_dir().join("drafts")
}

pub fn history_file() -> PathBuf {
    data_dir().join("history.jsonl")
}

pub fn config_file() -> PathBuf {
    config_dir().join("config.toml")
}
