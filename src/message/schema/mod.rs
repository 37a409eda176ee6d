//! The vendor's rules as one table of data (`../shared/spec/validation.md`, resolved).
//!
//! Every field of every message type, card, choice type and failover is described once here:
//! its JSON key, its label, its kind, its limits and when it is required. The validator walks
//! a document with these tables, the forms build their fields from them, and the API-style
//! error `description` comes from them, so a form field cannot drift from what is checked.

/// The four message types' names, in the order of the vendor document.
pub const MESSAGE_TYPES: &[&str] = &{
    let mut out = [""; MessageType::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = MessageType::ALL[i].as_str();
        i += 1;
    }
    out
};
/// The six choice types' names, in the order of the vendor document.
pub const CHOICE_TYPES: &[&str] = &{
    let mut out = [""; ChoiceType::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = ChoiceType::ALL[i].as_str();
        i += 1;
    }
    out
};
pub const HEIGHTS: &[&str] = &["SHORT", "MEDIUM", "TALL"];
pub const APPLICATIONS: &[&str] = &["BROWSER", "WEBVIEW"];
pub const WEBVIEW_VIEW_MODES: &[&str] = &["FULL", "HALF", "TALL"];

/// Most cards in a carousel (vendor).
pub const MAX_CARDS: usize = 10;
/// Most choices on a card or on each carousel card (vendor).
pub const MAX_CARD_CHOICES: usize = 4;
/// Most suggestions RCS Business Messaging shows on one message.
pub const RBM_MAX_SUGGESTIONS: usize = 11;
/// Longest text RCS Business Messaging accepts, in characters.
pub const RBM_MAX_TEXT: usize = 3072;
/// Largest request body RCS Business Messaging accepts, in bytes.
pub const RBM_MAX_BODY_BYTES: usize = 250_000;
/// Fewest cards RCS clients show as a carousel.
pub const RBM_MIN_CAROUSEL_CARDS: usize = 2;

/// What a field holds. Lengths are maxima in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A string. `allow_empty`: free text that may be present and empty (a label).
    /// `multiline`: a line break is part of the value (a message, a description); every
    /// other text is one line (a name, a title, a phone number, a label).
    Text {
        max: Option<usize>,
        allow_empty: bool,
        multiline: bool,
    },
    /// An absolute URI. `any_scheme`: any scheme is accepted, one other than http/https is a
    /// warning (OPEN_URL's `url`); otherwise it must be http or https with a host.
    Url {
        max: Option<usize>,
        any_scheme: bool,
    },
    /// One of a fixed set of strings (case-sensitive).
    Enum(&'static [&'static str]),
    Bool,
    /// A JSON number within a range; more than `decimals` decimals is a warning.
    Number {
        min: f64,
        max: f64,
        decimals: usize,
    },
    /// ISO 8601 date-time with `Z` or an offset.
    DateTime,
    /// An array of choices. `max`: the vendor's maximum; `rbm_max`: a warning above it.
    Choices {
        max: Option<usize>,
        rbm_max: Option<usize>,
    },
    /// An array of carousel cards.
    Cards {
        min: usize,
        max: usize,
    },
    /// A failover object.
    Failover(FailoverKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailoverKind {
    Sms,
    Mms,
}

impl FailoverKind {
    pub fn key(self) -> &'static str {
        match self {
            FailoverKind::Sms => "smsFailover",
            FailoverKind::Mms => "mmsFailover",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            FailoverKind::Sms => SMS_FAILOVER_FIELDS,
            FailoverKind::Mms => MMS_FAILOVER_FIELDS,
        }
    }
}

/// When a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Always,
    Optional,
    /// Required by the choice's type: the message names it
    /// (`When choice type is OPEN_URL, 'url' is required`).
    ByChoiceType,
    /// Required when the failover's `enabled` is true.
    WhenEnabled,
}

/// A rule beyond kind and length, named here so the table stays the one place to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    None,
    /// The RCS sender: an error when it is a phone number.
    SenderNotPhone,
    /// A recipient: a warning when it does not look like a phone number.
    LooksLikePhone,
    /// RCS Business Messaging's text limit (warning).
    RbmTextLength,
    /// A calendar event's end must come after its start (error); a start in the past warns.
    EventTime,
    /// SMS text outside the GSM 03.38 alphabet goes out as UCS-2 (warning).
    Gsm7,
    /// A card height inside a carousel: TALL is not shown there (warning).
    CarouselHeight,
}

/// One field of the API's request body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The JSON key.
    pub key: &'static str,
    /// The form's label; also the API's `description` for a top-level field (nested fields
    /// are described by their key, as in the API's own error examples).
    pub label: &'static str,
    pub kind: Kind,
    pub required: Required,
    pub check: Check,
    /// A short hint for the form (format, example).
    pub hint: &'static str,
    /// Set on a field whose value is the type of its object: choosing another one adds and
    /// drops fields (see `edit::switch_message_type` and `edit::switch_choice_type`).
    pub switch: Option<Switch>,
}

/// What a type field switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    MessageType,
    ChoiceType,
}

const fn text(
    key: &'static str,
    label: &'static str,
    max: Option<usize>,
    required: Required,
) -> Field {
    Field {
        key,
        label,
        kind: Kind::Text {
            max,
            allow_empty: false,
            multiline: false,
        },
        required,
        check: Check::None,
        hint: "",
        switch: None,
    }
}

const fn url(key: &'static str, label: &'static str, required: Required) -> Field {
    Field {
        key,
        label,
        kind: Kind::Url {
            max: None,
            any_scheme: false,
        },
        required,
        check: Check::None,
        hint: "https://…",
        switch: None,
    }
}

const fn with_check(mut f: Field, check: Check) -> Field {
    f.check = check;
    f
}

const fn switching(mut f: Field, s: Switch) -> Field {
    f.switch = Some(s);
    f
}

/// A free text where a line break is part of the value (Alt-Enter, or a pasted one).
const fn multiline(mut f: Field) -> Field {
    if let Kind::Text { multiline, .. } = &mut f.kind {
        *multiline = true;
    }
    f
}

const fn with_hint(mut f: Field, hint: &'static str) -> Field {
    f.hint = hint;
    f
}

const fn enumeration(
    key: &'static str,
    label: &'static str,
    values: &'static [&'static str],
    required: Required,
) -> Field {
    Field {
        key,
        label,
        kind: Kind::Enum(values),
        required,
        check: Check::None,
        hint: "",
        switch: None,
    }
}

const fn date_time(key: &'static str, label: &'static str) -> Field {
    Field {
        key,
        label,
        kind: Kind::DateTime,
        required: Required::ByChoiceType,
        check: Check::EventTime,
        hint: "2030-03-03T15:00:00Z or 2030-03-03T15:00:00+01:00",
        switch: None,
    }
}

const fn number(key: &'static str, label: &'static str, min: f64, max: f64) -> Field {
    Field {
        key,
        label,
        kind: Kind::Number {
            min,
            max,
            decimals: 6,
        },
        required: Required::ByChoiceType,
        check: Check::None,
        hint: "a number, up to 6 decimals",
        switch: None,
    }
}

const fn choices(max: Option<usize>, rbm_max: Option<usize>) -> Field {
    Field {
        key: "choices",
        label: "Choices",
        kind: Kind::Choices { max, rbm_max },
        required: Required::Optional,
        check: Check::None,
        hint: "",
        switch: None,
    }
}

mod lookup;

pub use lookup::{field_at, fields_of, is_choice_key, is_top_level_key};

use Required::{Always, ByChoiceType, Optional, WhenEnabled};

/// Fields every message type starts with.
pub const HEAD_FIELDS: &[Field] = &[
    switching(
        enumeration("messageType", "Message Type", MESSAGE_TYPES, Always),
        Switch::MessageType,
    ),
    with_hint(
        with_check(
            text("source", "Source", None, Always),
            Check::SenderNotPhone,
        ),
        "an RCS sender ID such as CONVEY, not a phone number",
    ),
    with_hint(
        with_check(
            text("destination", "Destination", None, Always),
            Check::LooksLikePhone,
        ),
        "the recipient's phone number, e.g. 15559876543",
    ),
];

/// Fields every message type ends with.
pub const TAIL_FIELDS: &[Field] = &[
    Field {
        key: "callbackURL",
        label: "Callback URL",
        kind: Kind::Url {
            max: Some(2048),
            any_scheme: false,
        },
        required: Optional,
        check: Check::None,
        hint: "https://… receives delivery status updates",
        switch: None,
    },
    Field {
        key: "smsFailover",
        label: "SMS Failover",
        kind: Kind::Failover(FailoverKind::Sms),
        required: Optional,
        check: Check::None,
        hint: "",
        switch: None,
    },
    Field {
        key: "mmsFailover",
        label: "MMS Failover",
        kind: Kind::Failover(FailoverKind::Mms),
        required: Optional,
        check: Check::None,
        hint: "",
        switch: None,
    },
];

pub const TEXT_FIELDS: &[Field] = &[
    with_check(
        multiline(text("messageText", "Message Text", None, Always)),
        Check::RbmTextLength,
    ),
    choices(None, Some(RBM_MAX_SUGGESTIONS)),
];

pub const MEDIA_FIELDS: &[Field] = &[
    url("mediaUrl", "Media URL", Always),
    url("thumbnailUrl", "Thumbnail URL", Always),
    text("filenameOverride", "Filename Override", Some(100), Always),
    choices(None, Some(RBM_MAX_SUGGESTIONS)),
];

/// The fields of an RCS_CARD message and of each carousel card.
pub const CARD_FIELDS: &[Field] = &[
    text("title", "Title", Some(100), Always),
    multiline(text("description", "Description", Some(500), Always)),
    with_check(
        enumeration("height", "Height", HEIGHTS, Always),
        Check::CarouselHeight,
    ),
    url("mediaUrl", "Media URL", Always),
    url("thumbnailUrl", "Thumbnail URL", Optional),
    text("filenameOverride", "Filename Override", Some(100), Optional),
    choices(Some(MAX_CARD_CHOICES), None),
];

pub const CAROUSEL_FIELDS: &[Field] = &[Field {
    key: "cards",
    label: "Cards",
    kind: Kind::Cards {
        min: 1,
        max: MAX_CARDS,
    },
    required: Always,
    check: Check::None,
    hint: "",
    switch: None,
}];

/// Fields every choice has.
pub const CHOICE_FIELDS: &[Field] = &[
    switching(
        enumeration("type", "Type", CHOICE_TYPES, Always),
        Switch::ChoiceType,
    ),
    text("title", "Title", Some(25), Always),
    multiline(text("postbackData", "Postback Data", Some(2048), Always)),
];

pub const OPEN_URL_FIELDS: &[Field] = &[
    Field {
        key: "url",
        label: "URL",
        kind: Kind::Url {
            max: Some(2048),
            any_scheme: true,
        },
        required: ByChoiceType,
        check: Check::None,
        hint: "https://…",
        switch: None,
    },
    enumeration("application", "Application", APPLICATIONS, ByChoiceType),
    enumeration(
        "webviewViewMode",
        "Webview View Mode",
        WEBVIEW_VIEW_MODES,
        ByChoiceType,
    ),
];

pub const DIAL_PHONE_FIELDS: &[Field] = &[with_hint(
    text("phoneNumber", "Phone Number", Some(20), ByChoiceType),
    "e.g. 15551234567",
)];

pub const SHOW_LOCATION_FIELDS: &[Field] = &[
    number("latitude", "Latitude", -90.0, 90.0),
    number("longitude", "Longitude", -180.0, 180.0),
    Field {
        key: "label",
        label: "Label",
        kind: Kind::Text {
            max: None,
            allow_empty: true,
            multiline: false,
        },
        required: Optional,
        check: Check::None,
        hint: "",
        switch: None,
    },
];

pub const CALENDAR_FIELDS: &[Field] = &[
    date_time("startTime", "Start Time"),
    date_time("endTime", "End Time"),
    text("eventTitle", "Event Title", Some(100), ByChoiceType),
    Field {
        key: "description",
        label: "Description",
        kind: Kind::Text {
            max: Some(500),
            allow_empty: true,
            multiline: true,
        },
        required: Optional,
        check: Check::None,
        hint: "",
        switch: None,
    },
];

pub const SMS_FAILOVER_FIELDS: &[Field] = &[
    Field {
        key: "enabled",
        label: "Enabled",
        kind: Kind::Bool,
        required: Always,
        check: Check::None,
        hint: "",
        switch: None,
    },
    with_hint(
        text("failoverSource", "Failover Source", Some(50), WhenEnabled),
        "the SMS sender number, on the same connection as the source",
    ),
    with_check(
        multiline(text(
            "fallbackText",
            "Fallback Text",
            Some(160),
            WhenEnabled,
        )),
        Check::Gsm7,
    ),
];

pub const MMS_FAILOVER_FIELDS: &[Field] = &[
    SMS_FAILOVER_FIELDS[0],
    with_hint(
        text("failoverSource", "Failover Source", Some(50), WhenEnabled),
        "the MMS sender number, on the same connection as the source",
    ),
    multiline(text(
        "fallbackText",
        "Fallback Text",
        Some(160),
        WhenEnabled,
    )),
    url("mediaUrl", "Media URL", WhenEnabled),
    text("subject", "Subject", Some(100), WhenEnabled),
];

/// A known message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    Text,
    Media,
    Card,
    Carousel,
}

impl MessageType {
    pub const ALL: [MessageType; 4] = [
        MessageType::Text,
        MessageType::Media,
        MessageType::Card,
        MessageType::Carousel,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "RCS_TEXT" => MessageType::Text,
            "RCS_MEDIA" => MessageType::Media,
            "RCS_CARD" => MessageType::Card,
            "RCS_CAROUSEL" => MessageType::Carousel,
            _ => return None,
        })
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            MessageType::Text => "RCS_TEXT",
            MessageType::Media => "RCS_MEDIA",
            MessageType::Card => "RCS_CARD",
            MessageType::Carousel => "RCS_CAROUSEL",
        }
    }

    /// The type's own fields, between the head and the tail.
    pub fn own_fields(self) -> &'static [Field] {
        match self {
            MessageType::Text => TEXT_FIELDS,
            MessageType::Media => MEDIA_FIELDS,
            MessageType::Card => CARD_FIELDS,
            MessageType::Carousel => CAROUSEL_FIELDS,
        }
    }

    /// Every top-level field of this type, in schema order.
    pub fn fields(self) -> impl Iterator<Item = &'static Field> {
        HEAD_FIELDS
            .iter()
            .chain(self.own_fields())
            .chain(TAIL_FIELDS)
    }

    /// The failover this type uses; the other one is ignored by the API.
    pub fn failover(self) -> FailoverKind {
        match self {
            MessageType::Text => FailoverKind::Sms,
            _ => FailoverKind::Mms,
        }
    }
}

/// A known choice type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChoiceType {
    Reply,
    OpenUrl,
    DialPhone,
    ShowLocation,
    RequestLocation,
    CreateCalendarEvent,
}

impl ChoiceType {
    pub const ALL: [ChoiceType; 6] = [
        ChoiceType::Reply,
        ChoiceType::OpenUrl,
        ChoiceType::DialPhone,
        ChoiceType::ShowLocation,
        ChoiceType::RequestLocation,
        ChoiceType::CreateCalendarEvent,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ChoiceType::Reply => "REPLY",
            ChoiceType::OpenUrl => "OPEN_URL",
            ChoiceType::DialPhone => "DIAL_PHONE",
            ChoiceType::ShowLocation => "SHOW_LOCATION",
            ChoiceType::RequestLocation => "REQUEST_LOCATION",
            ChoiceType::CreateCalendarEvent => "CREATE_CALENDAR_EVENT",
        }
    }

    /// The fields this type adds to the common ones.
    pub fn own_fields(self) -> &'static [Field] {
        match self {
            ChoiceType::Reply | ChoiceType::RequestLocation => &[],
            ChoiceType::OpenUrl => OPEN_URL_FIELDS,
            ChoiceType::DialPhone => DIAL_PHONE_FIELDS,
            ChoiceType::ShowLocation => SHOW_LOCATION_FIELDS,
            ChoiceType::CreateCalendarEvent => CALENDAR_FIELDS,
        }
    }

    /// Every field of this choice type, in schema order.
    pub fn fields(self) -> impl Iterator<Item = &'static Field> {
        CHOICE_FIELDS.iter().chain(self.own_fields())
    }
}
