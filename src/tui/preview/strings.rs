//! Every word and glyph the preview shows, and the limits it cuts text at, in one place.

use crate::message::ChoiceType;

// --- Limits: what an RCS client cuts, and how we draw it ---------------------------------

/// A suggestion chip's or a card button's title: RCS clients (Google's RBM) cut suggestion
/// text at 25 characters, the API's own maximum.
pub const CHIP_TITLE_CHARS: usize = 25;
/// A card title shows on at most 2 lines in RCS clients; the rest is cut with `…`.
pub const CARD_TITLE_LINES: usize = 2;
/// A carousel card's description shows on at most 4 lines (the cards have one height).
pub const CAROUSEL_DESCRIPTION_LINES: usize = 4;
/// A standalone card's description shows on at most 10 lines.
pub const CARD_DESCRIPTION_LINES: usize = 10;
/// Any other text beyond this is not shown (no field the API accepts is longer), so a
/// pasted megabyte costs no more to draw than a legal value.
pub const FIELD_CHARS: usize = 4096;
/// Message text beyond RBM's 3072 characters is not shown.
pub const MESSAGE_TEXT_CHARS: usize = crate::message::schema::RBM_MAX_TEXT;
/// Suggestions beyond RBM's 11 are not shown.
pub const MAX_CHIPS: usize = crate::message::schema::RBM_MAX_SUGGESTIONS;
/// Buttons on one card.
pub const MAX_CARD_BUTTONS: usize = crate::message::schema::MAX_CARD_CHOICES;
/// Cards in one carousel.
pub const MAX_CARDS: usize = crate::message::schema::MAX_CARDS;

/// The widest a text bubble grows (cells, frame included), about three quarters of a phone.
pub const BUBBLE_WIDTH: u16 = 44;
/// A standalone card or media box (cells, frame included).
pub const CARD_WIDTH: u16 = 40;
/// A carousel card (cells, frame included): a chip title of 25 and its glyph fit inside.
pub const CAROUSEL_CARD_WIDTH: u16 = 30;
/// The narrowest a carousel card gets so that two still show side by side in a narrow pane.
pub const CAROUSEL_CARD_MIN_WIDTH: u16 = 24;
/// Columns between carousel cards.
pub const CAROUSEL_GAP: u16 = 1;
/// Rows of a media area for SHORT, MEDIUM and TALL: RCS clients' 112, 168 and 264 dp, at 28
/// dp a row.
pub const MEDIA_ROWS_SHORT: u16 = 4;
pub const MEDIA_ROWS_MEDIUM: u16 = 6;
pub const MEDIA_ROWS_TALL: u16 = 9;
/// The media box of an RCS_MEDIA message and of an MMS.
pub const MEDIA_BOX_ROWS: u16 = 4;

// --- Glyphs ------------------------------------------------------------------------------

/// One cell each, distinct, so a chip's type shows at a glance.
pub fn choice_glyph(t: ChoiceType) -> &'static str {
    match t {
        ChoiceType::Reply => "↩",
        ChoiceType::OpenUrl => "↗",
        ChoiceType::DialPhone => "✆",
        ChoiceType::ShowLocation => "⌖",
        ChoiceType::RequestLocation => "➤",
        ChoiceType::CreateCalendarEvent => "▦",
    }
}
/// A choice whose type is missing or unknown.
pub const GLYPH_UNKNOWN: &str = "?";
pub const MEDIA_FILL: &str = "░";
pub const MORE_LEFT: &str = "◀";
pub const MORE_RIGHT: &str = "▶";
pub const MORE_UP: &str = "▲";
pub const MORE_DOWN: &str = "▼";

/// The kinds of media RCS clients draw differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Unknown,
}

impl MediaKind {
    /// Guessed from a file name's extension.
    pub fn from_name(name: &str) -> MediaKind {
        let Some((_, ext)) = name.rsplit_once('.') else {
            return MediaKind::Unknown;
        };
        let ext = ext.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "bmp" | "heic" | "heif" | "svg" | "avif"
            | "tif" | "tiff" => MediaKind::Image,
            "mp4" | "m4v" | "mov" | "webm" | "3gp" | "3g2" | "mkv" | "avi" | "mpeg" | "mpg" => {
                MediaKind::Video
            }
            "mp3" | "m4a" | "aac" | "wav" | "ogg" | "oga" | "opus" | "amr" | "flac" | "mid" => {
                MediaKind::Audio
            }
            "pdf" | "doc" | "docx" | "xls" | "xlsx" | "ppt" | "pptx" | "txt" | "csv" | "rtf"
            | "odt" | "ods" | "odp" | "vcf" | "ics" | "zip" => MediaKind::Document,
            _ => MediaKind::Unknown,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MediaKind::Image => "▣ image",
            MediaKind::Video => "▶ video",
            MediaKind::Audio => "♪ audio",
            MediaKind::Document => "▤ document",
            MediaKind::Unknown => "◇ file of unknown kind",
        }
    }
}

// --- Words -------------------------------------------------------------------------------

pub const TO: &str = " → ";
pub const NOT_AN_OBJECT: &str = "The draft is not a JSON object, so there is no message to show.";
pub const NO_MESSAGE_TYPE: &str =
    "messageType is missing: choose RCS_TEXT, RCS_MEDIA, RCS_CARD or RCS_CAROUSEL.";
pub fn unknown_message_type(t: &str) -> String {
    // Quote only the start: the value may be megabytes long.
    let head: String = t.chars().take(60).collect();
    let more = if head.len() < t.len() { "…" } else { "" };
    format!("messageType {head:?}{more} is not one of RCS_TEXT, RCS_MEDIA, RCS_CARD, RCS_CAROUSEL.")
}
pub fn not_a_message_type(type_name: &str) -> String {
    format!("messageType is {type_name}, not one of RCS_TEXT, RCS_MEDIA, RCS_CARD, RCS_CAROUSEL.")
}
pub fn missing(key: &str) -> String {
    format!("‹no {key}›")
}
pub fn empty(key: &str) -> String {
    format!("‹empty {key}›")
}
pub fn wrong_type(key: &str, type_name: &str) -> String {
    format!("‹{key}: {type_name}›")
}
pub fn more_chips(n: usize) -> String {
    format!("{n} more not shown: RCS clients show at most {MAX_CHIPS} suggestions")
}
pub fn more_buttons(n: usize) -> String {
    format!("{n} more not shown: a card has at most {MAX_CARD_BUTTONS}")
}
pub fn more_cards(n: usize) -> String {
    format!("{n} more cards not shown: a carousel has at most {MAX_CARDS}")
}
pub const NO_CARDS: &str = "‹no cards›";
pub fn hidden_left(n: usize) -> String {
    format!("{MORE_LEFT} {n} more")
}
pub fn hidden_right(n: usize) -> String {
    format!("{n} more {MORE_RIGHT}")
}
pub fn position(card: usize, of: usize) -> String {
    format!("{card}/{of}")
}
pub const THUMBNAIL: &str = "thumbnail ";
/// A picture being downloaded or encoded, in its media box.
pub const LOADING: &str = "loading…";
/// A video with no thumbnail to show as its first frame.
pub const PLAY: &str = "▶";
pub const NO_THUMBNAIL: &str = "no thumbnail";

pub const BROWSER: &str = "browser";
pub const WEBVIEW: &str = "webview";
pub fn view_mode(mode: &str) -> &'static str {
    match mode {
        "FULL" => "full",
        "HALF" => "half",
        "TALL" => "tall",
        _ => "?",
    }
}
pub const REPLY_DETAIL: &str = "reply";
pub const CALL: &str = "call ";
pub const SHARE_LOCATION: &str = "asks for your location";
pub const DETAIL_SEPARATOR: &str = " · ";

// Fallback
pub const SMS_TITLE: &str = "SMS sent if RCS fails";
pub const MMS_TITLE: &str = "MMS sent if RCS fails";
pub const FROM: &str = "From ";
pub const SUBJECT: &str = "Subject ";
pub fn sms_cost_line(encoding: &str, units: usize, capacity: usize, segments: usize) -> String {
    let s = if segments == 1 { "" } else { "s" };
    format!("{encoding} · {units}/{capacity} · {segments} segment{s}")
}
pub fn ucs2_because(chars: &str) -> String {
    format!("UCS-2 because of {chars}")
}
pub fn extension_chars(chars: &str) -> String {
    format!("{chars} count twice in GSM-7")
}
pub fn no_failover(key: &str) -> String {
    format!("No fallback: {key} is not set, so nothing is sent when RCS fails.")
}
pub fn failover_off(key: &str) -> String {
    format!("No fallback: {key} is turned off (enabled: false), so nothing is sent when RCS fails.")
}
pub fn failover_not_object(key: &str, type_name: &str) -> String {
    format!("{key} is {type_name}, not an object: there is no fallback to show.")
}
pub fn failover_enabled_bad(key: &str) -> String {
    format!("{key}.enabled must be true or false before the fallback can be shown.")
}
pub fn ignored_failover(key: &str, message_type: &str, used: &str) -> String {
    format!("{key} is set but {message_type} ignores it: it falls back with {used}.")
}
pub const FALLBACK_NEEDS_TYPE: &str =
    "No fallback to show: which one is sent depends on messageType, which is missing or unknown.";
