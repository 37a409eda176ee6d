//! The validator: walks any JSON value with the schema tables and reports every problem the
//! API would answer with a 400 (errors) and every likely mistake it would let through
//! (warnings), each at the API's own path and in the API's style.

use super::gsm;
use super::path::{FieldPath, Segment};
use super::schema::{
    self, CARD_FIELDS, CHOICE_FIELDS, Check, ChoiceType, FailoverKind, Field, Kind, MessageType,
    Required,
};
use super::uri;
use serde_json::{Map, Value};

pub use super::report::{Issue, Report, Severity};
// What the validator reads off single values; used by the forms and the preview too.
use super::value::{decimal_places, number_hint};
pub use super::value::{
    is_e164ish, json_len, looks_like_phone_number, parse_date_time, type_name, utf16_len,
};

mod incremental;

pub use incremental::revalidate_field;

fn body_size_message(size: usize) -> String {
    format!(
        "the request body is {size} bytes; RCS Business Messaging accepts at most {} bytes",
        schema::RBM_MAX_BODY_BYTES
    )
}

/// Validates a request body. Never panics, whatever the value.
pub fn validate(doc: &Value) -> Report {
    validate_at(doc, jiff::Timestamp::now())
}

/// Validates as of `now` (the moment a calendar start is compared with).
pub fn validate_at(doc: &Value, now: jiff::Timestamp) -> Report {
    let mut v = Walker {
        path: Vec::with_capacity(8),
        report: Report::default(),
        now,
    };
    match doc {
        Value::Object(obj) => v.message(obj, doc),
        other => v.push(
            Severity::Error,
            None,
            "Request Body",
            format!(
                "the request body must be a JSON object, not {}",
                type_name(other)
            ),
        ),
    }
    v.report
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Walker<'a> {
    path: Vec<Seg<'a>>,
    report: Report,
    now: jiff::Timestamp,
}

/// Where a field sits, for the wording of its messages.
#[derive(Clone, Copy)]
struct Ctx {
    choice_type: Option<ChoiceType>,
    enabled: bool,
    in_carousel: bool,
}

const TOP: Ctx = Ctx {
    choice_type: None,
    enabled: false,
    in_carousel: false,
};

impl<'a> Walker<'a> {
    fn field_path(&self, last: Option<&str>) -> FieldPath {
        let mut segs: Vec<Segment> = self
            .path
            .iter()
            .map(|s| match s {
                Seg::Key(k) => Segment::Key((*k).to_string()),
                Seg::Index(i) => Segment::Index(*i),
            })
            .collect();
        if let Some(k) = last {
            segs.push(Segment::Key(k.to_string()));
        }
        FieldPath::from_segments(segs)
    }

    /// Records an issue at the current path plus `key`.
    fn push(&mut self, severity: Severity, key: Option<&str>, description: &str, message: String) {
        let issue = Issue {
            path: self.field_path(key),
            description: description.to_string(),
            message,
            severity,
        };
        match severity {
            Severity::Error => self.report.errors.push(issue),
            Severity::Warning => self.report.warnings.push(issue),
        }
    }

    /// The API's `description`: the label at the top level, the key below it.
    fn describe(&self, f: &Field) -> &'static str {
        if self.path.is_empty() { f.label } else { f.key }
    }

    fn error(&mut self, f: &Field, message: String) {
        let d = self.describe(f);
        self.push(Severity::Error, Some(f.key), d, message);
    }

    fn warn(&mut self, f: &Field, message: String) {
        let d = self.describe(f);
        self.push(Severity::Warning, Some(f.key), d, message);
    }

    fn message(&mut self, obj: &'a Map<String, Value>, doc: &Value) {
        let head = schema::HEAD_FIELDS;
        let mt = match obj.get("messageType") {
            Some(Value::String(s)) => MessageType::parse(s),
            _ => None,
        };
        for f in head {
            self.field(obj, f, TOP);
        }
        if let Some(t) = mt {
            for f in t.own_fields() {
                self.field(obj, f, TOP);
            }
        }
        for f in schema::TAIL_FIELDS {
            if let (Some(t), Kind::Failover(fk)) = (mt, f.kind)
                && fk != t.failover()
                && obj.contains_key(f.key)
            {
                self.warn(
                    f,
                    format!(
                        "'{}' is ignored for {}; use {}",
                        f.key,
                        t.as_str(),
                        t.failover().key()
                    ),
                );
            }
            self.field(obj, f, TOP);
        }
        for key in obj.keys() {
            let known = match mt {
                Some(t) => t.fields().any(|f| f.key == key),
                None => schema::is_top_level_key(key),
            };
            if !known {
                let msg = match mt {
                    Some(t) => format!(
                        "'{key}' is not a field of {}; it is kept as it is",
                        t.as_str()
                    ),
                    None => format!("'{key}' is not a known field; it is kept as it is"),
                };
                self.push(Severity::Warning, Some(key), key, msg);
            }
        }
        let size = json_len(doc);
        self.report.body_len = size;
        if size > schema::RBM_MAX_BODY_BYTES {
            self.push(
                Severity::Warning,
                None,
                "Request Body",
                body_size_message(size),
            );
        }
    }

    /// Checks one field of `obj` against its schema entry.
    fn field(&mut self, obj: &'a Map<String, Value>, f: &Field, ctx: Ctx) {
        let required = match f.required {
            Required::Always => true,
            Required::Optional => false,
            Required::ByChoiceType => ctx.choice_type.is_some(),
            Required::WhenEnabled => ctx.enabled,
        };
        let value = match obj.get(f.key) {
            None => {
                if required {
                    let msg = Self::required_message(f, ctx);
                    self.error(f, msg);
                }
                return;
            }
            Some(Value::Null) => {
                let msg = if required {
                    format!("{} (it is null)", Self::required_message(f, ctx))
                } else {
                    format!("'{}' must not be null", f.key)
                };
                self.error(f, msg);
                return;
            }
            Some(v) => v,
        };
        match f.kind {
            Kind::Text {
                max, allow_empty, ..
            } => {
                let Some(s) = self.string(f, value) else {
                    return;
                };
                if s.is_empty() {
                    if !allow_empty {
                        self.error(f, Self::empty_message(f, ctx, required));
                    }
                    return;
                }
                if let Some(max) = max {
                    self.max_length(f, s, max);
                }
                if !allow_empty && s.trim().is_empty() {
                    self.warn(
                        f,
                        format!("'{}' holds only spaces; it reads as empty", f.key),
                    );
                }
                self.check_text(f, s);
            }
            Kind::Url { max, any_scheme } => {
                let Some(s) = self.string(f, value) else {
                    return;
                };
                if s.is_empty() {
                    self.error(f, Self::empty_message(f, ctx, required));
                    return;
                }
                if let Some(max) = max
                    && !self.max_length(f, s, max)
                {
                    return;
                }
                self.url(f, s, any_scheme);
            }
            Kind::Enum(values) => {
                let Some(s) = self.string(f, value) else {
                    return;
                };
                if !values.contains(&s) {
                    let msg = if s.is_empty() && required {
                        Self::required_message(f, ctx)
                    } else {
                        format!("'{}' must be one of {}", f.key, values.join(", "))
                    };
                    self.error(f, msg);
                    return;
                }
                if f.check == Check::CarouselHeight && ctx.in_carousel && s == "TALL" {
                    self.warn(
                        f,
                        "TALL media is not shown in carousels (RCS Business Messaging); use SHORT or MEDIUM".to_string(),
                    );
                }
            }
            Kind::Bool => {
                if !value.is_boolean() {
                    self.error(
                        f,
                        format!("'{}' must be a boolean, not {}", f.key, type_name(value)),
                    );
                }
            }
            Kind::Number { min, max, decimals } => {
                let Some(n) = value.as_f64() else {
                    let hint = value.as_str().and_then(number_hint).unwrap_or_default();
                    self.error(
                        f,
                        format!(
                            "'{}' must be a number, not {}{hint}",
                            f.key,
                            type_name(value)
                        ),
                    );
                    return;
                };
                if !(min..=max).contains(&n) {
                    self.error(f, format!("'{}' must be between {min} and {max}", f.key));
                    return;
                }
                let d = decimal_places(value);
                if d > decimals {
                    self.warn(
                        f,
                        format!("'{}' has {d} decimals; the API keeps {decimals}", f.key),
                    );
                }
            }
            Kind::DateTime => {
                let Some(s) = self.string(f, value) else {
                    return;
                };
                if s.is_empty() {
                    let msg = Self::required_message(f, ctx);
                    self.error(f, msg);
                    return;
                }
                if parse_date_time(s).is_none() {
                    self.error(
                        f,
                        format!(
                            "'{}' must be an ISO 8601 date-time with Z or an offset, like 2030-03-03T15:00:00Z",
                            f.key
                        ),
                    );
                }
                // The comparison with the other end of the event is made in `choice`.
            }
            Kind::Choices { max, rbm_max } => {
                let Value::Array(items) = value else {
                    self.error(
                        f,
                        format!("'{}' must be an array, not {}", f.key, type_name(value)),
                    );
                    return;
                };
                if let Some(max) = max
                    && items.len() > max
                {
                    self.error(
                        f,
                        format!(
                            "'{}' must contain at most {max} items (it has {})",
                            f.key,
                            items.len()
                        ),
                    );
                }
                if let Some(rbm) = rbm_max
                    && items.len() > rbm
                {
                    self.warn(
                        f,
                        format!(
                            "{} choices; RCS Business Messaging shows at most {rbm} suggestions on a message",
                            items.len()
                        ),
                    );
                }
                self.path.push(Seg::Key(f.key));
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    self.choice(item);
                    self.path.pop();
                }
                self.path.pop();
            }
            Kind::Cards { min, max } => {
                let Value::Array(items) = value else {
                    self.error(
                        f,
                        format!("'{}' must be an array, not {}", f.key, type_name(value)),
                    );
                    return;
                };
                if items.len() < min {
                    self.error(f, format!("'{}' must contain at least {min} item", f.key));
                } else if items.len() > max {
                    self.error(
                        f,
                        format!(
                            "'{}' must contain at most {max} items (it has {})",
                            f.key,
                            items.len()
                        ),
                    );
                } else if items.len() < schema::RBM_MIN_CAROUSEL_CARDS {
                    self.warn(
                        f,
                        format!(
                            "a carousel of {} card; RCS clients show carousels of {} or more (RCS Business Messaging)",
                            items.len(),
                            schema::RBM_MIN_CAROUSEL_CARDS
                        ),
                    );
                }
                self.path.push(Seg::Key(f.key));
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    self.card(item);
                    self.path.pop();
                }
                self.path.pop();
            }
            Kind::Failover(fk) => {
                let Value::Object(fo) = value else {
                    self.error(
                        f,
                        format!("'{}' must be an object, not {}", f.key, type_name(value)),
                    );
                    return;
                };
                self.path.push(Seg::Key(f.key));
                self.failover(fo, fk);
                self.path.pop();
            }
        }
    }

    /// What an empty string at a field that may not be empty is told.
    fn empty_message(f: &Field, ctx: Ctx, required: bool) -> String {
        if required {
            Self::required_message(f, ctx)
        } else {
            format!("'{}' is not allowed to be empty", f.key)
        }
    }

    fn required_message(f: &Field, ctx: Ctx) -> String {
        match (f.required, ctx.choice_type) {
            (Required::ByChoiceType, Some(t)) => {
                format!(
                    "When choice type is {}, '{}' is required",
                    t.as_str(),
                    f.key
                )
            }
            (Required::WhenEnabled, _) => {
                format!("When 'enabled' is true, '{}' is required", f.key)
            }
            _ => format!("'{}' is required", f.key),
        }
    }

    /// The value as a string, or an error naming its type.
    fn string(&mut self, f: &Field, value: &'a Value) -> Option<&'a str> {
        match value {
            Value::String(s) => Some(s),
            other => {
                self.error(
                    f,
                    format!("'{}' must be a string, not {}", f.key, type_name(other)),
                );
                None
            }
        }
    }

    /// Reports an over-long string; true when it fits.
    fn max_length(&mut self, f: &Field, s: &str, max: usize) -> bool {
        // Quick accept: a string of at most `max` bytes has at most `max` UTF-16 units.
        if s.len() <= max {
            return true;
        }
        let n = utf16_len(s);
        if n > max {
            self.error(
                f,
                format!(
                    "'{}' must be at most {max} characters long (it has {n})",
                    f.key
                ),
            );
            return false;
        }
        true
    }

    fn check_text(&mut self, f: &Field, s: &str) {
        match f.check {
            Check::SenderNotPhone if looks_like_phone_number(s) => {
                self.error(f, "RCS is not available for phone numbers".to_string());
            }
            Check::LooksLikePhone if !is_e164ish(s) => self.warn(
                f,
                format!(
                    "'{}' does not look like a phone number (7 to 15 digits, optional leading +)",
                    f.key
                ),
            ),
            Check::RbmTextLength
                if s.len() > schema::RBM_MAX_TEXT && utf16_len(s) > schema::RBM_MAX_TEXT =>
            {
                self.warn(
                    f,
                    format!(
                        "'{}' is {} characters long; RCS Business Messaging accepts at most {}",
                        f.key,
                        utf16_len(s),
                        schema::RBM_MAX_TEXT
                    ),
                )
            }
            Check::Gsm7 if !s.is_ascii() || !gsm::is_gsm7(s) => {
                let odd: String = gsm::non_gsm_chars(s).into_iter().take(5).collect();
                if !odd.is_empty() {
                    self.warn(
                        f,
                        format!(
                            "'{}' has characters outside the GSM alphabet ({odd}): the SMS goes out as UCS-2, 70 characters a segment instead of 160",
                            f.key
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    fn url(&mut self, f: &Field, s: &str, any_scheme: bool) {
        match uri::parse_absolute(s) {
            Err(why) => {
                let what = if any_scheme {
                    "a valid absolute URI"
                } else {
                    "a valid http or https URI"
                };
                self.error(f, format!("'{}' must be {what}: {why}", f.key));
            }
            Ok(u) if any_scheme => {
                let web =
                    u.scheme.eq_ignore_ascii_case("http") || u.scheme.eq_ignore_ascii_case("https");
                if web && u.host.is_none_or(str::is_empty) {
                    self.warn(
                        f,
                        format!("'{}' has no host; RCS clients cannot open it", f.key),
                    );
                } else if !web {
                    self.warn(
                        f,
                        format!(
                            "'{}' uses the scheme '{}'; RCS clients open http and https links",
                            f.key, u.scheme
                        ),
                    );
                }
            }
            Ok(u) if !u.is_web() => {
                let why = if u.host.is_none_or(str::is_empty)
                    && (u.scheme.eq_ignore_ascii_case("http")
                        || u.scheme.eq_ignore_ascii_case("https"))
                {
                    "it has no host".to_string()
                } else {
                    format!("its scheme is '{}'", u.scheme)
                };
                self.error(
                    f,
                    format!("'{}' must be a valid http or https URI: {why}", f.key),
                );
            }
            Ok(_) => {}
        }
    }

    fn unknown_keys(
        &mut self,
        obj: &'a Map<String, Value>,
        known: &[&'static [Field]],
        what: &dyn Fn() -> String,
    ) {
        for key in obj.keys() {
            if !known.iter().any(|fs| fs.iter().any(|f| f.key == key)) {
                self.push(
                    Severity::Warning,
                    Some(key),
                    key,
                    format!("'{key}' is not a field of {}; it is kept as it is", what()),
                );
            }
        }
    }

    /// The item as an object, or an error at the item's own path.
    fn item_object(&mut self, item: &'a Value, what: &str) -> Option<&'a Map<String, Value>> {
        match item {
            Value::Object(obj) => Some(obj),
            other => {
                self.push(
                    Severity::Error,
                    None,
                    what,
                    format!("a {what} must be an object, not {}", type_name(other)),
                );
                None
            }
        }
    }

    fn choice(&mut self, item: &'a Value) {
        let Some(obj) = self.item_object(item, "choice") else {
            return;
        };
        let ct = match obj.get("type") {
            Some(Value::String(s)) => ChoiceType::parse(s),
            _ => None,
        };
        let ctx = Ctx {
            choice_type: ct,
            enabled: false,
            in_carousel: false,
        };
        for f in CHOICE_FIELDS {
            self.field(obj, f, ctx);
        }
        let Some(ct) = ct else {
            // Only title and postbackData are checked for a choice of unknown type; keys
            // that no choice type has are still worth a word.
            let unknown: Vec<&'a String> =
                obj.keys().filter(|k| !schema::is_choice_key(k)).collect();
            for key in unknown {
                self.push(
                    Severity::Warning,
                    Some(key),
                    key,
                    format!("'{key}' is not a field of any choice; it is kept as it is"),
                );
            }
            return;
        };
        for f in ct.own_fields() {
            self.field(obj, f, ctx);
        }
        if ct == ChoiceType::CreateCalendarEvent {
            self.event_times(obj);
        }
        self.unknown_keys(obj, &[CHOICE_FIELDS, ct.own_fields()], &|| {
            format!("{} choices", ct.as_str())
        });
    }

    /// endTime after startTime (an error at endTime); a start in the past (a warning).
    fn event_times(&mut self, obj: &'a Map<String, Value>) {
        let get = |k: &str| obj.get(k).and_then(Value::as_str).and_then(parse_date_time);
        let start = get("startTime");
        let end = get("endTime");
        let (start_f, end_f) = (&schema::CALENDAR_FIELDS[0], &schema::CALENDAR_FIELDS[1]);
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            self.error(end_f, "'endTime' must be after 'startTime'".to_string());
        }
        if let Some(s) = start
            && s < self.now
        {
            self.warn(start_f, "'startTime' is in the past".to_string());
        }
    }

    fn card(&mut self, item: &'a Value) {
        let Some(obj) = self.item_object(item, "card") else {
            return;
        };
        let ctx = Ctx {
            choice_type: None,
            enabled: false,
            in_carousel: true,
        };
        for f in CARD_FIELDS {
            self.field(obj, f, ctx);
        }
        self.unknown_keys(obj, &[CARD_FIELDS], &|| "a carousel card".to_string());
    }

    fn failover(&mut self, obj: &'a Map<String, Value>, fk: FailoverKind) {
        let fields = fk.fields();
        let enabled_field = &fields[0];
        let enabled = match obj.get("enabled") {
            Some(Value::Bool(b)) => *b,
            _ => {
                // Only `enabled` is reported while it is missing or not a boolean.
                self.field(obj, enabled_field, TOP);
                return;
            }
        };
        let ctx = Ctx {
            choice_type: None,
            enabled,
            in_carousel: false,
        };
        for f in fields {
            self.field(obj, f, ctx);
        }
        self.unknown_keys(obj, &[fields], &|| fk.key().to_string());
    }
}
