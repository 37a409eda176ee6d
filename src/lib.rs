//! rcs-composer: compose, check and send rich RCS messages through the Aerialink (Convey) v5
//! Messages API, from the terminal.
//!
//! Layers, each importing only those above it:
//! - [`message`]: the request body model, field paths, the schema table and the validator
//!   (no terminal, network or async).
//! - [`media`]: media pre-flight (reachability, type, size, crop) and images for the
//!   preview; imports `message` only.
//! - [`store`]: drafts, history, config and profiles on disk; atomic writes.
//! - [`client`]: sending to the API.
//! - [`sandbox`]: the local stand-in for the API, and the delivery-callback listener.
//! - [`tui`]: the composer application.
//! - [`cli`]: the command line.
#![forbid(unsafe_code)]

pub mod cli;
pub mod client;
pub mod media;
pub mod message;
pub mod sandbox;
pub mod store;
pub mod tui;
