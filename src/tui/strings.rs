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
pub const PICK_NEW_DRAFT_TYPE: &str = "New draft: message type";

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

pub fn problems_title(errors: usize, warnings: usize, server: usize, media: usize) -> String {
    let mut s = format!(
        "{PANE_PROBLEMS}: {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
    if server > 0 {
        s.push_str(&format!(", {server} from the server"));
    }
    if media > 0 {
        s.push_str(&format!(", {media} from the media check"));
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub const MEDIA_CHECK_OFF: &str = "The media check is off (media_check = false in config.toml, or --no-media-check); \
     pictures are downloaded again.";
pub const IMAGES_ON: &str = "Pictures in the preview: on (Alt-I turns them off).";
pub const IMAGES_OFF: &str = "Pictures in the preview: off (Alt-I turns them on).";
pub const IMAGES_NEED_COLOR: &str =
    "Pictures need colours: NO_COLOR is set, or the terminal has none (TERM).";
pub const MEDIA_NEEDS_CONFIG: &str = "No media URL is checked or downloaded: config.toml could not be read, \
     so the hosts it marks private are not known. Fix it, then Ctrl-P reads it again.";

pub fn media_rechecking(n: usize) -> String {
    match n {
        0 => "The draft has no media URL to check.".into(),
        1 => "Checking the media URL again…".into(),
        n => format!("Checking the {n} media URLs again…"),
    }
}

pub fn more_problems(n: usize) -> String {
    format!("… {n} more: F8 goes to each, the wheel scrolls")
}

pub fn switched_type(to: &str, dropped: &[String], moved: &[String], kept: &[String]) -> String {
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
    s.push_str(&kept_as_is(kept));
    s
}

pub fn switched_choice_type(to: &str, dropped: &[String], kept: &[String]) -> String {
    let mut s = format!("Choice is now {to}; title and postback data kept.");
    if !dropped.is_empty() {
        s.push_str(&format!(
            " Dropped: {} (Ctrl-Z brings them back).",
            dropped.join(", ")
        ));
    }
    s.push_str(&kept_as_is(kept));
    s
}

/// Fields a switch left that the new type does not use, offered for removal.
fn kept_as_is(kept: &[String]) -> String {
    match kept {
        [] => String::new(),
        [one] => format!(" Kept as it is: {one} (x on its row removes it)."),
        more => format!(
            " Kept as they are: {} (x on a row removes it).",
            more.join(", ")
        ),
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

// ----- the draft's file and other writers -----

pub const CONFLICT_TITLE: &str = "The draft was changed by someone else";

fn who(held_by: Option<u32>) -> String {
    match held_by {
        Some(pid) => format!("the rcs-composer with pid {pid}"),
        None => "another program".into(),
    }
}

pub fn conflict(path: &str, copy: &str, held_by: Option<u32>) -> String {
    format!(
        "{path} was changed on disk by {} since it was opened here; it stays as they wrote it, and your version is saved in {copy}. Pick: reload theirs or overwrite (Ctrl-S shows the choices again).",
        who(held_by)
    )
}

pub fn conflict_not_kept(path: &str, err: &str) -> String {
    format!(
        "{path} was changed on disk by another program; it was not written over, but your version could not be saved beside it ({err}). Your changes are in memory: Ctrl-S tries again."
    )
}

pub fn conflict_on_exit(path: &str, copy: &str) -> String {
    format!(
        "{path} was changed by another program while it was open; it was left as they wrote it, and your version is in {copy}"
    )
}

pub fn reloaded_from_disk(path: &str) -> String {
    format!(
        "{path} was changed on disk by another program; reloaded it (Ctrl-Z brings back what was here)."
    )
}

pub fn changed_not_a_draft(path: &str, err: &str) -> String {
    format!(
        "{path} was changed on disk and is not a draft now ({err}); it was not reloaded. A change here is saved beside it."
    )
}

pub fn reloaded_theirs(path: &str, copy: &str) -> String {
    format!("Reloaded {path} as it is on disk; your version stays in {copy} (Ctrl-O opens it).")
}

pub fn overwrote(path: &str, copy: &str) -> String {
    format!(
        "Wrote this version over {path}; {copy} holds your version too and can be deleted (Ctrl-O)."
    )
}

pub fn conflict_later(copy: &str) -> String {
    format!("Your version keeps being saved in {copy}; Ctrl-S shows the choices again.")
}

pub fn open_elsewhere(path: &str, pid: u32) -> String {
    format!(
        "{path} is open in another rcs-composer (pid {pid}). Both can edit it: the file is checked before every save, and a change made there is never written over."
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

pub fn editor_exit(cmd: &str, status: &str, kept: Option<&str>) -> String {
    match kept {
        Some(p) => format!(
            "The editor '{cmd}' ended without finishing ({status}); the draft is unchanged and what it had saved is kept in {p}."
        ),
        None => format!("The editor '{cmd}' failed ({status}); the draft is unchanged."),
    }
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
/// How the message line about a send in flight begins.
pub const SENDING_PREFIX: &str = "Sending…";

/// The message line while a send is in flight, counting the seconds.
pub fn sending(secs: u64) -> String {
    if secs == 0 {
        format!("{SENDING_PREFIX} Esc cancels.")
    } else {
        format!("{SENDING_PREFIX} {secs} s. Esc cancels.")
    }
}

pub const COPIED_CURL: &str = "the curl command";
pub const COPIED_BODY: &str = "the JSON body";

pub fn copied(what: &str, osc52: bool) -> String {
    if osc52 {
        format!(
            "Copied {what} to the clipboard through the terminal (OSC 52). If nothing was \
             copied, the send pane (F6) shows it to select."
        )
    } else {
        format!(
            "This terminal cannot take the clipboard (OSC 52): the send pane (F6) shows {what} \
             to select."
        )
    }
}

pub fn cannot_copy_curl(err: &str) -> String {
    format!("No curl command: {err}")
}
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
    format!(
        "Profile '{name}' cannot send: {}. Ctrl-P picks another.",
        err.trim_end_matches('.')
    )
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
pub const UNDONE: &str = "Undone (Ctrl-Y redoes).";
pub const NOTHING_TO_REDO: &str = "Nothing to redo.";
pub const REDONE: &str = "Redone.";
pub const NOTHING_TO_CLEAR: &str = "Ctrl-U clears a field; this row has no value of its own.";
pub const ADD_CHOICE_WHERE: &str =
    "Alt-C adds a choice to the card the focus is in: move into a card first.";
pub const ADD_CARD_WHERE: &str = "Alt-N adds a card to a carousel; this message has no cards.";

pub const FOOTER_HELP: &str = "help";
pub const FOOTER_NEXT_PROBLEM: &str = "next problem";
pub const GOTO_TITLE: &str = "Go to (type to narrow, Enter goes, Esc closes)";
pub const GOTO_NOTHING: &str = "Nothing matches; Backspace widens the search.";
pub const RECOVERY_TITLE: &str = "An earlier edit was not valid JSON";

pub fn recovery_question(path: &str) -> String {
    format!(
        "It is kept in {path}. r continues from it; Enter edits the draft as it is; Esc cancels."
    )
}

pub fn recovery_unreadable(path: &str, err: &str) -> String {
    format!("Could not read the kept edit {path}: {err}. Ctrl-E then Enter edits the draft.")
}

pub fn removed_key(path: &str) -> String {
    format!("Removed {path} (Ctrl-Z brings it back).")
}

pub fn no_more_items(what: &str, forward: bool) -> String {
    if forward {
        format!("No {what} after this one.")
    } else {
        format!("No {what} before this one.")
    }
}
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

/// The heading of a group of keys in the help.
pub fn when_label(w: crate::tui::keymap::When) -> &'static str {
    use crate::tui::keymap::When;
    match w {
        When::Always | When::Composer => "anywhere",
        When::Form => "form",
        When::Text => "text field",
        When::Picker => "picker field",
        When::Toggle => "toggle",
        When::Item => "card/choice",
        When::InItem => "moving between cards and choices",
        When::AddRow => "an add row",
        When::GoTo => "go to (Ctrl-G)",
        When::Recovery => "an edit kept from $EDITOR",
        When::Drafts => "drafts",
        When::DraftsRename => "renaming a draft",
        When::PickerOpen => "list of values",
        When::Pane => "send pane / deliveries",
        When::History => "history",
        When::Profiles => "profiles",
        When::Help => "help",
        When::Confirm => "a question",
        When::TextFirst | When::NotText | When::DraftsConfirm | When::PaneGuard | When::List => "",
    }
}
