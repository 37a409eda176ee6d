//! What goes through the composer's one channel: [`Message`]s (facts: a terminal event, a
//! save finished, the editor returned) and the [`Action`]s (commands) the keymap makes of
//! key presses. `App::update` is synchronous; slow work is an [`Effect`] the runtime carries
//! out, answering with a `Message`.

use super::send::ProfileSource;
use crate::client::SendOutcome;
use crate::profile::Profile;
use crate::sandbox::DeliveryUpdate;
use crate::store::drafts::DraftInfo;
use crate::store::history::{HistoryEntry, HistoryLog};
use crate::store::stamp::Stamp;
use ratatui::crossterm::event::Event;
use serde_json::Value;
use std::path::PathBuf;

/// A change to the text of the field being typed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextEdit {
    Insert(char),
    Paste(String),
    Newline,
    Backspace,
    DeleteWord,
    /// Alt-D: the word after the cursor.
    DeleteWordForward,
    /// Ctrl-K: from the cursor to the end of the line.
    KillToEnd,
    Delete,
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
}

/// A command, from the keymap or a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Save,
    OpenDrafts,
    EditAsJson,
    Help,
    /// F5: send the draft with the active profile (local errors block it).
    Send,
    /// Shift-F5: send even with local errors, to see the server's own answer.
    SendAnyway,
    /// Show the send pane in place of the preview and give it the keys (or hide it).
    ToggleSendPane,
    /// The same for the deliveries view.
    ToggleDeliveries,
    OpenHistory,
    OpenProfiles,
    /// Scroll the pane that has the keys (send pane, deliveries) by this many lines.
    PaneScroll(isize),
    ToggleFallback,
    Undo,
    Redo,
    /// Ctrl-U: empty the focused field.
    ClearField,
    /// Alt-C: add a choice where the focus is (after its choice, or to its card's).
    AddChoiceHere,
    /// Alt-N: add a card after the one the focus is in.
    AddCardHere,
    /// Go to the next (1) or previous (-1) card, or choice.
    JumpCard(isize),
    JumpChoice(isize),
    /// Ctrl-G: a list of every field to go to.
    OpenGoTo,
    /// Ctrl-N: a new draft (its type picked first).
    NewDraft,
    NextProblem,
    PrevProblem,
    NextField,
    PrevField,
    PageDown,
    PageUp,
    /// Enter: open a picker, toggle, fold, add, or go to the next field.
    Activate,
    /// Esc: close what is open, or clear the message line.
    Back,
    /// Space on a toggle or a header.
    Toggle,
    /// Previous/next value of a picker field.
    CycleValue(isize),
    Fold,
    Unfold,
    AddItem,
    DeleteItem,
    DuplicateItem,
    /// Move the card or choice that holds the focus by this many places.
    MoveItem(isize),
    Edit(TextEdit),
    /// In a list overlay (picker, drafts, help).
    MenuMove(isize),
    /// In an open list of values: select the next one starting with this letter.
    MenuJump(char),
    /// A letter command of the drafts browser (`n`, `d`, `r`, `x`) or a confirmation (`y`).
    MenuKey(char),
    Click {
        column: u16,
        row: u16,
    },
    Scroll {
        column: u16,
        row: u16,
        down: bool,
    },
    /// The terminal changed size: redraw.
    Redraw,
    /// F9: check every media URL of the draft again, and download its pictures again.
    RecheckMedia,
    /// Alt-I: pictures in the preview on or off.
    ToggleImages,
    /// Copy the curl command of the send F5 would make to the clipboard (OSC 52).
    CopyCurl,
    /// Copy the JSON body F5 would send to the clipboard (OSC 52).
    CopyBody,
    /// Give the terminal back to the shell and stop, as Ctrl-Z does elsewhere (Ctrl-Z is
    /// undo here); `fg` comes back. SIGTSTP from outside does the same.
    Suspend,
}

/// A fact the app reacts to. Every source of work answers through this one type.
#[derive(Debug)]
pub enum Message {
    Terminal(Event),
    /// The terminal's input ended (the terminal went away) or could not be read.
    InputClosed(Option<String>),
    Do(Action),
    /// A write job finished. `generation` is the document generation it held, for a draft.
    Written {
        path: PathBuf,
        generation: Option<u64>,
        result: Result<(), String>,
    },
    /// A job on the drafts folder finished.
    Drafts(DraftAnswer),
    /// The history file was read again (Ctrl-R).
    HistoryRead(Result<HistoryLog, String>),
    /// The editor returned: the file's new text, or why it could not run.
    EditorDone {
        generation: u64,
        command: String,
        result: Result<String, String>,
    },
    /// The autosave delay has passed.
    AutosaveDue,
    /// A send was answered (any answer, network failures included). `profile` has its
    /// secret blanked; `body` is the request as sent.
    SendFinished {
        id: u64,
        profile: Box<Profile>,
        body: Value,
        outcome: Box<SendOutcome>,
        warnings: Vec<String>,
    },
    /// A send could not start: the profile could not be resolved (e.g. its password command
    /// failed). Nothing was sent.
    SendFailed {
        id: u64,
        reason: String,
    },
    /// The listener received a delivery update.
    Delivery(DeliveryUpdate),
    /// A line of the in-process sandbox's log (requests, callbacks, refused callbacks).
    SandboxLog(String),
    /// A history line was appended (or could not be).
    HistoryWritten {
        result: Result<(), String>,
    },
    /// The media check of one URL finished.
    MediaProbed {
        url: String,
        probe: crate::media::Probe,
    },
    /// The media check of URLs whose host is not found (or gave no answer in time), settled
    /// together by its one lookup: one message, one frame, for a draft's many URLs on it.
    MediaProbedTogether {
        probes: Vec<(String, crate::media::Probe)>,
    },
    /// A picture for the preview was downloaded and decoded (or could not be).
    ImageLoaded {
        url: String,
        result: Result<std::sync::Arc<super::pictures::Picture>, crate::media::ImageFailure>,
    },
    /// A picture was encoded for the terminal at one size (`None`: the encoder failed).
    ImageEncoded {
        key: super::pictures::EncodeKey,
        graphics: super::pictures::Graphics,
        result: Option<super::pictures::Encoded>,
    },
    /// Another second of the send `id` in flight (the message line counts them).
    SendTick {
        id: u64,
    },
    /// config.toml was read again (Ctrl-P).
    ConfigRead(Result<Option<crate::store::config::Config>, crate::store::config::ConfigError>),
    /// A draft write finished ([`Effect::SaveDraft`]).
    DraftWritten {
        path: PathBuf,
        generation: u64,
        answer: SaveAnswer,
    },
    /// Someone else wrote the open draft's file since we last read or wrote it (found by a
    /// check, [`Effect::CheckDraft`]): its content now.
    DraftChanged {
        path: PathBuf,
        theirs: Result<Value, String>,
        stamp: Stamp,
    },
    /// The draft's lock was taken ([`Effect::LockDraft`]); `holder` is the pid of another
    /// live instance that has it open.
    DraftLocked {
        path: PathBuf,
        holder: Option<u32>,
    },
    /// The terminal was handed back after a suspend or a SIGCONT: draw everything again.
    Resumed,
}

/// What became of a draft write.
#[derive(Debug)]
pub enum SaveAnswer {
    Saved,
    /// Someone else wrote the file since we last read or wrote it, and it was not written
    /// over. `theirs` is its content now; `ours` is where our version was written instead
    /// (`None` when there was nothing unsaved to keep).
    Conflict {
        theirs: Result<Value, String>,
        stamp: Stamp,
        ours: Option<Result<PathBuf, String>>,
    },
    Failed(String),
}

/// How a draft write treats a file someone else wrote since we last read or wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveCheck {
    /// Not over it: our version goes beside it (when `unsaved`), and the app decides.
    Checked { unsaved: bool },
    /// Over it, deliberately ("keep mine"), or a file that is ours alone (a conflict copy).
    Overwrite,
}

/// What the writer takes as the draft file's content last read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Read the file now.
    Now,
    /// These bytes (their stamp).
    Stamp(Stamp),
    /// No file: a new draft.
    Absent,
}

/// Work the runtime does for the app.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Write a file atomically (drafts, recovery files), in order with other file jobs.
    Write {
        path: PathBuf,
        generation: Option<u64>,
        contents: Contents,
    },
    /// Work on the drafts folder (listing, opening, creating, copying, renaming, deleting),
    /// in order with the writes before it; answered with `Message::Drafts`.
    Drafts(DraftJob),
    /// Read the history file; answered with `Message::HistoryRead`.
    ReadHistory { path: PathBuf },
    /// Open `text` in `$VISUAL`/`$EDITOR`, in a temp file beside `draft`.
    RunEditor {
        generation: u64,
        draft: PathBuf,
        text: String,
        /// Start from this file's text instead (an earlier edit kept as a recovery file).
        from: Option<PathBuf>,
    },
    /// Resolve the profile (off the UI thread) and post `body`; answer with
    /// `Message::SendFinished` or `Message::SendFailed` carrying `id`.
    Send {
        id: u64,
        source: Box<ProfileSource>,
        body: Value,
        /// Shared with the app's `SendState::InFlight` (see `send::SendPhase`).
        phase: super::send::SendPhase,
    },
    /// Abort the send `id` (Esc): its answer, if any, never arrives.
    CancelSend { id: u64 },
    /// Append a line to the history file, in order with the other file jobs.
    AppendHistory {
        path: PathBuf,
        entry: Box<HistoryEntry>,
    },
    /// Media work on the network runtime; answered with `Message::MediaProbed`,
    /// `ImageLoaded` or `ImageEncoded`.
    Media(super::app::MediaJob),
    /// Read config.toml again; answered with `Message::ConfigRead`.
    ReadConfig { path: PathBuf },
    /// Put `text` on the clipboard through the terminal (OSC 52).
    CopyToClipboard { text: String },
    /// Write the draft, checking first that nobody else wrote its file since we last read or
    /// wrote it; answered with `Message::DraftWritten`.
    SaveDraft {
        path: PathBuf,
        generation: u64,
        contents: Contents,
        check: SaveCheck,
    },
    /// See whether someone else wrote the draft's file; answered with
    /// `Message::DraftChanged` only if so (not counted as a job in flight).
    CheckDraft { path: PathBuf },
    /// What the draft's file holds as far as this app knows (not answered).
    KnowDraft { path: PathBuf, known: Known },
    /// Take the draft's lock (releasing the previous one); answered with
    /// `Message::DraftLocked`.
    LockDraft { path: PathBuf },
    /// Remove the temp files killed processes left in these folders (not answered).
    Tidy { dirs: Vec<PathBuf> },
    /// Save, then give the terminal back and stop until `fg` (answered with
    /// `Message::Resumed`).
    Suspend,
    /// Take the terminal again (raw mode, the alternate screen) and draw it all: after a
    /// suspend, or a SIGCONT after someone else stopped the app.
    Reenter,
}

/// Why a new draft is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewDraft {
    /// `n` in the drafts browser.
    Blank,
    /// `n` in the history: a send's request again, sent at `time`.
    FromHistory { time: String },
}

/// A job on the drafts folder. File work never runs in `update`: a slow disk or a thousand
/// drafts must not stall a keystroke.
#[derive(Debug, Clone)]
pub enum DraftJob {
    /// List the drafts of `dir` (each one read and validated).
    List {
        dir: PathBuf,
    },
    /// Read and parse a draft to open it.
    Open {
        path: PathBuf,
    },
    /// Find a free name in `dir` after `stem` for `doc`, and write it there when `write`.
    Create {
        dir: PathBuf,
        stem: String,
        doc: Value,
        write: bool,
        why: NewDraft,
    },
    /// Copy a draft beside itself (`NAME-copy.json`): the file's bytes, or `bytes` when given
    /// (the open draft, as it is on screen).
    Copy {
        from: PathBuf,
        bytes: Option<Vec<u8>>,
    },
    /// Rename a file, refusing to replace another.
    Rename {
        from: PathBuf,
        to: PathBuf,
    },
    Delete {
        path: PathBuf,
    },
}

/// What a [`DraftJob`] came to.
#[derive(Debug)]
pub enum DraftAnswer {
    Listed {
        dir: PathBuf,
        result: Result<Vec<DraftInfo>, String>,
    },
    Opened {
        path: PathBuf,
        result: Result<Value, String>,
    },
    Created {
        path: PathBuf,
        doc: Value,
        why: NewDraft,
        /// Whether it was written (`Ok(false)`: not asked to).
        result: Result<bool, String>,
    },
    Copied {
        from: PathBuf,
        result: Result<PathBuf, String>,
    },
    Renamed {
        from: PathBuf,
        to: PathBuf,
        result: Result<(), String>,
    },
    Deleted {
        path: PathBuf,
        result: Result<(), String>,
    },
}

/// What a write puts in its file.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A draft, serialized by the writer thread: a big draft never costs a key its
    /// serialization, nor a copy (the writer shares the document until it has written it;
    /// a change made meanwhile copies it first).
    Draft(std::sync::Arc<Value>),
}

impl Contents {
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Contents::Bytes(b) => b,
            Contents::Draft(doc) => crate::store::to_draft_json(&doc).into_bytes(),
        }
    }
}
