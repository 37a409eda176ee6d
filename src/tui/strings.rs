//! Every user-facing string of the composer, in one place, and the table of keys that the
//! help overlay and the footer are both drawn from.

pub const APP: &str = "rcs-composer";

pub const PANE_FORM: &str = "Message";
pub const PANE_PREVIEW_RCS: &str = "Preview: RCS";
pub const PANE_PREVIEW_FALLBACK: &str = "Preview: fallback";
pub const PANE_PROBLEMS: &str = "Problems";
pub const NO_PROBLEMS: &str = "No problems: this message can be sent.";
pub const HELP_TITLE: &str = "Keys (Esc closes)";
pub const DRAFTS_TITLE: &str = "Drafts";
pub const PICK_MESSAGE_TYPE: &str = "Message type";
pub const PICK_CHOICE_TYPE: &str = "Choice type";
pub const PICK_VALUE: &str = "Pick a value";

pub const SAVED: &str = "saved";
pub const UNSAVED: &str = "unsaved";
pub const NOT_ON_DISK: &str = "new, not saved yet";
pub const PROFILE: &str = "profile";

pub const EMPTY: &str = "—";
pub const ON: &str = "[x] on";
pub const OFF: &str = "[ ] off";
pub const NOT_A_LIST: &str = "not a list; Ctrl-E edits it as JSON, Delete removes it";
pub const NOT_AN_OBJECT: &str = "not an object; Ctrl-E edits it as JSON, Delete removes it";
pub const ROOT_NOT_OBJECT: &str =
    "This draft is not a JSON object, so it has no fields to show. Ctrl-E edits it as JSON.";
pub const UNKNOWN_KEY: &str = "kept as it is";

pub fn too_small(w: u16, h: u16, min_w: u16, min_h: u16) -> String {
    format!(
        "The terminal is {w}×{h}; the composer needs at least {min_w}×{min_h}. Enlarge it, or Ctrl-Q to quit (the draft is saved)."
    )
}

pub fn card_label(i: usize) -> String {
    format!("Card {}", i + 1)
}

pub fn choice_label(i: usize) -> String {
    format!("Choice {}", i + 1)
}

pub fn list_count(label: &str, len: usize, max: Option<usize>) -> String {
    match max {
        Some(m) => format!("{label} ({len}/{m})"),
        None => format!("{label} ({len})"),
    }
}

pub fn add_item(kind_singular: &str, len: usize, max: Option<usize>) -> String {
    match max {
        Some(m) if len >= m => format!("{kind_singular}s full: {len} of {m}"),
        Some(m) => format!("+ add {kind_singular} ({} left of {m})", m - len),
        None => format!("+ add {kind_singular}"),
    }
}

pub fn list_full(kind_singular: &str, max: usize) -> String {
    format!("No more {kind_singular}s: the limit is {max}.")
}

pub fn problems_title(errors: usize, warnings: usize, server: usize) -> String {
    let mut s = format!(
        "{PANE_PROBLEMS}: {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
    if server > 0 {
        s.push_str(&format!(", {server} from the server"));
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn more_problems(n: usize) -> String {
    format!("… {n} more: F8 goes to each, the wheel scrolls")
}

pub fn switched_type(to: &str, dropped: &[String], moved: &[String]) -> String {
    let mut s = format!("Now {to}.");
    if !moved.is_empty() {
        s.push_str(&format!(" Moved: {}.", moved.join(", ")));
    }
    if dropped.is_empty() {
        s.push_str(" Nothing was dropped.");
    } else {
        s.push_str(&format!(
            " Dropped: {} (Ctrl-Z brings them back).",
            dropped.join(", ")
        ));
    }
    s
}

pub fn switched_choice_type(to: &str, dropped: &[String]) -> String {
    if dropped.is_empty() {
        format!("Choice is now {to}; title and postback data kept.")
    } else {
        format!(
            "Choice is now {to}; title and postback data kept. Dropped: {} (Ctrl-Z brings them back).",
            dropped.join(", ")
        )
    }
}

pub fn saved_to(path: &str) -> String {
    format!("Saved to {path}.")
}

pub fn save_failed(path: &str, err: &str) -> String {
    format!(
        "Could not save {path}: {err}. Kept in memory: Ctrl-S tries again; quitting saves a copy in the drafts folder."
    )
}

pub fn opened(path: &str) -> String {
    format!("Opened {path}.")
}

pub fn could_not_open(err: &str) -> String {
    format!("Could not open the draft: {err}. Opened a new draft instead.")
}

pub fn editor_failed(cmd: &str, err: &str) -> String {
    format!("Could not run the editor '{cmd}': {err}. Set $VISUAL or $EDITOR.")
}

pub fn editor_exit(cmd: &str, status: &str) -> String {
    format!("The editor '{cmd}' failed ({status}); the draft is unchanged.")
}

pub fn editor_removed(cmd: &str, path: &str) -> String {
    format!("The editor '{cmd}' removed {path}; the draft is unchanged.")
}

pub fn editor_not_utf8(at_byte: usize, kept: Option<&str>) -> String {
    match kept {
        Some(p) => format!(
            "The edited file is not UTF-8 text (byte {at_byte}); the draft is unchanged and your edit is kept in {p}."
        ),
        None => {
            format!("The edited file is not UTF-8 text (byte {at_byte}); the draft is unchanged.")
        }
    }
}

pub fn editor_invalid(err: &str, recovery: &str) -> String {
    format!(
        "The edited JSON is not valid ({err}). Your edit is kept in {recovery}; the draft is unchanged."
    )
}

pub const EDITOR_UNCHANGED: &str = "The editor made no change.";
pub const EDITOR_RELOADED: &str = "Reloaded the draft from the editor.";
// ----- sending -----

pub const PANE_SEND: &str = "Send";
pub const PANE_DELIVERIES: &str = "Deliveries";
pub const HISTORY_TITLE: &str = "History: sends, newest first";
pub const PROFILES_TITLE: &str = "Profiles (Enter uses one)";
pub const CONFIRM_TITLE: &str = "Send?";
pub const SENDING: &str = "Sending… Esc cancels.";
pub const SENDING_SHORT: &str = "sending… (Esc cancels)";
pub const SEND_IN_FLIGHT: &str = "A send is already in flight; Esc cancels it.";
pub const SEND_NOT_CONFIRMED: &str = "Not sent.";
pub const NO_PROFILE_LABEL: &str = "none (Ctrl-P)";
pub const NOTHING_SENT_YET: &str =
    "Nothing sent yet. F5 sends the draft with the active profile (Ctrl-P picks one).";
pub const NO_DELIVERIES: &str = "No delivery updates yet. Messages sent to the sandbox report \
    queued → sent → delivered here, one step a second.";
pub const HISTORY_EMPTY: &str = "No sends yet.";
pub const SANDBOX_LOG: &str = "Sandbox log";
pub const SERVER_ISSUES_NOTE: &str = "⇄ marks these fields on the form; F8 goes to each. Editing a field clears its mark; the next send clears them all.";

pub fn sandbox_label(name: &str) -> String {
    format!("{name} — nothing is delivered")
}

pub fn no_profile(error: Option<&str>) -> String {
    match error {
        Some(e) => format!("Not sent: no profile to send with. {e}. Ctrl-P picks one."),
        None => "Not sent: no profile to send with. Ctrl-P picks one.".into(),
    }
}

pub fn profile_unusable(name: &str, err: &str) -> String {
    format!("Profile '{name}' cannot send: {err}. Ctrl-P picks another.")
}

pub fn profile_chosen(name: &str, url: &str, sandbox: bool) -> String {
    if sandbox {
        format!("Sending with '{name}' ({url}): a sandbox, nothing is delivered.")
    } else {
        format!("Sending with '{name}' ({url}). F5 asks before each send.")
    }
}

pub fn config_problem(err: &str) -> String {
    format!("Config: {err}. Using the built-in sandbox; Ctrl-P lists the profiles.")
}

pub fn blocked_by_errors(n: usize, secs: u64) -> String {
    format!(
        "Not sent: {n} error{} found locally (F8 goes to each). F5 again within {secs} s, or Shift-F5, sends anyway so the server's own validation can be seen.",
        plural(n)
    )
}

pub fn confirm_real(profile: &str, url: &str, destination: &str) -> String {
    format!("This sends a real message to {destination} with profile '{profile}' ({url}).")
}

pub fn confirm_repeat(secs: u64, guids: &str) -> String {
    format!("The same request was accepted {secs} s ago ({guids}); this sends it again.")
}

pub fn confirm_question(parts: &[String]) -> String {
    format!("{} y sends, any other key cancels.", parts.join(" "))
}

pub fn cancelled(secs: f64) -> String {
    format!(
        "Cancelled after {secs:.1} s. The request may already have reached the server; the history shows this send as cancelled."
    )
}

pub fn cancelled_before_sending(secs: f64) -> String {
    format!("Cancelled after {secs:.1} s, while getting the profile's secret: nothing was sent.")
}

pub fn not_sent(reason: &str) -> String {
    format!("Not sent: {reason}")
}

pub fn accepted_status(n: usize, latency: &str) -> String {
    format!(
        "Accepted: {n} message{} in {latency}. F7 shows the delivery updates.",
        plural(n)
    )
}

pub fn rejected_status(n: usize) -> String {
    format!(
        "The server rejected it: {n} problem{} (⇄ on the form, F8 goes to each).",
        plural(n)
    )
}

pub fn failed_status(status: Option<u16>, summary: &str) -> String {
    match status {
        // The summary often starts with the status already.
        Some(c) if summary.starts_with(&format!("HTTP {c}")) => summary.to_string(),
        Some(c) => format!("HTTP {c}: {summary}"),
        None => format!("No answer: {summary}"),
    }
}

pub fn history_failed(path: &str, err: &str) -> String {
    format!("Could not add the send to {path}: {err}")
}

pub fn history_unreadable(path: &str, err: &str) -> String {
    format!("Could not read {path}: {err}")
}

pub fn reopened(time: &str, path: &str) -> String {
    format!("The request sent at {time} is now a new draft: {path}.")
}
pub fn too_long_to_edit(label: &str, chars: usize) -> String {
    format!(
        "{label} is {chars} characters, too long to edit here: Backspace clears it (Ctrl-Z undoes), Ctrl-E edits the JSON."
    )
}

pub fn cleared_huge(label: &str, chars: usize) -> String {
    format!("Cleared {label} ({chars} characters); Ctrl-Z brings it back.")
}

pub fn paste_left_out(n: usize, multiline: bool) -> String {
    let what = if multiline {
        "escape codes and other control characters"
    } else {
        "line breaks and control characters: this field is one line"
    };
    let chars = if n == 1 { "character" } else { "characters" };
    format!("Pasted without {n} {chars} ({what}).")
}

pub const NOT_A_TERMINAL: &str = "the composer needs a terminal, and standard output is not one. \
     In scripts, use `rcs-composer validate FILE` or `rcs-composer send FILE`.";

pub const NOTHING_TO_UNDO: &str = "Nothing to undo.";
pub const UNDONE: &str = "Undone.";
pub const NO_PROBLEM_TO_JUMP: &str = "No problems to jump to.";
pub const NOT_IN_A_LIST: &str = "Move to a card or a choice first.";
pub const ALREADY_AT_END: &str = "It is already at that end.";

pub fn deleted_item(what: &str) -> String {
    format!("Deleted {what} (Ctrl-Z brings it back).")
}

pub fn duplicated_item(what: &str) -> String {
    format!("Duplicated {what}.")
}

pub fn confirm_delete(name: &str) -> String {
    format!("Delete the draft '{name}'? y deletes, any other key keeps it.")
}

pub const DRAFTS_EMPTY: &str = "No drafts yet. n starts one.";
pub const RENAME_PROMPT: &str = "New name (Enter renames, Esc cancels): ";
pub const CANNOT_DELETE_OPEN: &str =
    "That draft is open. Open another one first, then delete this one.";

pub fn drafts_error(err: &str) -> String {
    format!("Drafts: {err}")
}

pub const VALID: &str = "valid";
pub const INVALID: &str = "invalid";
pub const UNREADABLE: &str = "unreadable";

/// Where a key applies, for the help overlay and the footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Everywhere in the composer.
    Always,
    /// On any field of the form.
    Form,
    /// In a text field.
    Text,
    /// On a picker field (message type, choice type, height, …).
    Picker,
    /// On a toggle (failover).
    Toggle,
    /// On a card or a choice header, or a list.
    Item,
    /// In the drafts browser.
    Drafts,
    /// In an open list of values.
    PickerOpen,
    /// In the send pane or the deliveries view (F6, F7).
    Pane,
    /// In the history (Ctrl-R).
    History,
    /// In the list of profiles (Ctrl-P).
    Profiles,
}

/// One line of the help overlay.
pub struct KeyHelp {
    pub keys: &'static str,
    pub what: &'static str,
    pub when: When,
    /// Shown in the footer when `when` applies.
    pub footer: bool,
}

const fn k(keys: &'static str, what: &'static str, when: When, footer: bool) -> KeyHelp {
    KeyHelp {
        keys,
        what,
        when,
        footer,
    }
}

/// Every key of the composer. The keymap (`keymap.rs`) implements exactly these.
pub const KEYS: &[KeyHelp] = &[
    k("Tab ↓", "next field", When::Form, true),
    k("S-Tab ↑", "previous field", When::Form, false),
    k("PgUp PgDn", "move a page", When::Form, false),
    k("F8", "next problem", When::Always, true),
    k("S-F8", "previous problem", When::Always, false),
    k(
        "← → Home End",
        "move in the text (Ctrl-← → by word)",
        When::Text,
        false,
    ),
    k(
        "Backspace Del",
        "delete a character (Ctrl-W a word)",
        When::Text,
        false,
    ),
    k(
        "Alt-Enter",
        "new line (message text, descriptions)",
        When::Text,
        false,
    ),
    k("Enter", "open the list of values", When::Picker, true),
    k("← →", "previous / next value", When::Picker, true),
    k("Space Enter", "turn on or off", When::Toggle, true),
    k("Enter Space", "fold or unfold", When::Item, true),
    k(
        "a +",
        "add a card or choice (pick its type)",
        When::Item,
        true,
    ),
    k("Del x", "delete this card or choice", When::Item, true),
    k("d", "duplicate this card or choice", When::Item, true),
    k(
        "Alt-↑ ↓ / Alt-← →",
        "move the card or choice (from any of its fields too)",
        When::Form,
        false,
    ),
    k(
        "Ctrl-Z",
        "undo one step: a field's typing, a list edit, a type switch",
        When::Always,
        false,
    ),
    k("Ctrl-S", "save", When::Always, true),
    k("Ctrl-O", "drafts", When::Always, true),
    k(
        "Ctrl-E",
        "edit the draft as JSON in $VISUAL/$EDITOR",
        When::Always,
        false,
    ),
    k(
        "Ctrl-F",
        "preview the SMS/MMS fallback or the RCS message",
        When::Always,
        false,
    ),
    k(
        "? F1",
        "this help (? on a non-text field)",
        When::Always,
        true,
    ),
    k("F5", "send (with the active profile)", When::Always, true),
    k(
        "F5 F5 / S-F5",
        "send anyway despite local errors: F5 twice within 5 s, or Shift-F5",
        When::Always,
        false,
    ),
    k("Esc", "cancel a send in flight", When::Always, false),
    k(
        "F6",
        "send pane: the request and the answer",
        When::Always,
        true,
    ),
    k(
        "F7",
        "deliveries: updates per sent message",
        When::Always,
        false,
    ),
    k("Ctrl-R", "history of sends", When::Always, false),
    k("Ctrl-P", "profiles: pick where to send", When::Always, true),
    k(
        "Esc",
        "close, cancel, clear the message line",
        When::Always,
        false,
    ),
    k(
        "Ctrl-Q Ctrl-C",
        "quit (the draft is saved)",
        When::Always,
        true,
    ),
    k(
        "mouse",
        "click focuses a field or a problem; the wheel scrolls",
        When::Always,
        false,
    ),
    k("↑ ↓ Enter", "choose", When::PickerOpen, true),
    k(
        "a letter",
        "jump to the next value starting with it",
        When::PickerOpen,
        false,
    ),
    k("Esc", "keep the value", When::PickerOpen, true),
    k("↑ ↓", "select a draft", When::Drafts, false),
    k("Enter", "open", When::Drafts, true),
    k("n", "new draft", When::Drafts, true),
    k("d", "duplicate", When::Drafts, true),
    k("r", "rename", When::Drafts, true),
    k("Del x", "delete (asks first)", When::Drafts, true),
    k("Esc", "back", When::Drafts, true),
    k("↑ ↓ PgUp PgDn", "scroll", When::Pane, true),
    k(
        "F6 F7",
        "the other pane, or back to the preview",
        When::Pane,
        true,
    ),
    k(
        "Esc",
        "keys back to the form (the pane stays)",
        When::Pane,
        true,
    ),
    k("↑ ↓", "select a send", When::History, false),
    k("Enter", "show it whole", When::History, true),
    k("n", "its request as a new draft", When::History, true),
    k("Esc", "back", When::History, true),
    k("↑ ↓ Enter", "use a profile", When::Profiles, true),
    k("Esc", "keep the active one", When::Profiles, true),
];

pub fn when_label(w: When) -> &'static str {
    match w {
        When::Always => "anywhere",
        When::Form => "form",
        When::Text => "text field",
        When::Picker => "picker field",
        When::Toggle => "toggle",
        When::Item => "card/choice",
        When::Drafts => "drafts",
        When::PickerOpen => "list of values",
        When::Pane => "send pane / deliveries",
        When::History => "history",
        When::Profiles => "profiles",
    }
}
