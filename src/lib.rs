//! rcs-composer: compose, check and send rich RCS messages through the Aerialink (Convey) v5
//! Messages API, from the terminal.
//!
//! Layers, each importing only layers listed above it (`tests/layers.rs` holds the table and
//! checks every file):
//! - [`message`]: the request body model, field paths, the schema table and the validator
//!   (no terminal, network or async; no other module).
//! - [`text`]: text made safe for a terminal (no other module).
//! - [`profile`]: profiles and secrets, plain data (may use `message`, `text`).
//! - [`media`]: media pre-flight (reachability, type, size, crop) and images for the
//!   preview (may use `message`, `text`).
//! - [`store`]: drafts, history, config and profiles on disk; atomic writes (may use
//!   `message`, `text`, `profile`).
//! - [`client`]: sending to the API (may also use `store`).
//! - [`sandbox`]: the local stand-in for the API, and the delivery-callback listener (may use
//!   `message`, `text`, `profile`, `client`).
//! - [`tui`]: the composer application (anything but `cli`).
//! - [`cli`]: the command line (anything).
#![forbid(unsafe_code)]

pub mod cli;
pub mod client;
pub mod media;
pub mod message;
pub mod profile;
pub mod sandbox;
pub mod store;
pub mod text;
pub mod tui;
