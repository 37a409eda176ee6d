//! A choice (suggestion chip or card button) as shown: its type's glyph, its title as the
//! client cuts it, and the essential detail of what it does.

use super::strings::{self, CHIP_TITLE_CHARS};
use super::{Ctx, Need, Shown, marked};
use crate::message::validate::parse_date_time;
use crate::message::{ChoiceType, FieldPath, Severity};
use crate::tui::theme;
use serde_json::{Map, Value};

pub(crate) struct ChoiceView<'a> {
    pub glyph: &'static str,
    pub title: Shown<'a>,
    /// What it does, in parts drawn one after another (separators included).
    pub detail: Vec<Shown<'a>>,
    /// The worst problem reported anywhere in the choice.
    pub problem: Option<Severity>,
}

pub(crate) fn view<'a>(ctx: &Ctx<'a>, v: &'a Value, path: &FieldPath) -> ChoiceView<'a> {
    let problem = ctx.severity_under(path);
    let chip = theme::preview_chip();
    let muted = theme::muted();
    let Some(obj) = v.as_object() else {
        let text = strings::wrong_type("choice", crate::message::validate::type_name(v));
        return ChoiceView {
            glyph: strings::GLYPH_UNKNOWN,
            title: marked(text.into(), Some(Severity::Error), chip, true),
            detail: Vec::new(),
            problem: Some(Severity::Error),
        };
    };
    let obj = Some(obj);
    let title = ctx
        .text_limited(obj, path, "title", Need::Required, chip, CHIP_TITLE_CHARS)
        .unwrap_or_else(|| Shown::plain("", chip));
    let ty = obj
        .and_then(|o| o.get("type"))
        .and_then(Value::as_str)
        .and_then(ChoiceType::parse);
    let Some(ty) = ty else {
        let detail = ctx
            .text(obj, path, "type", Need::Required, muted)
            .into_iter()
            .collect();
        return ChoiceView {
            glyph: strings::GLYPH_UNKNOWN,
            title,
            detail,
            problem: problem.or(Some(Severity::Error)),
        };
    };
    let mut d: Vec<Shown<'a>> = Vec::new();
    match ty {
        ChoiceType::Reply => d.push(Shown::plain(strings::REPLY_DETAIL, muted)),
        ChoiceType::OpenUrl => open_url(ctx, obj, path, &mut d),
        ChoiceType::DialPhone => {
            d.push(Shown::plain(strings::CALL, muted));
            d.extend(ctx.text(obj, path, "phoneNumber", Need::Required, muted));
        }
        ChoiceType::ShowLocation => {
            if let Some(label) = ctx.text(obj, path, "label", Need::Optional, muted) {
                d.push(label);
                d.push(sep());
            }
            d.push(ctx.number(obj, path, "latitude", muted));
            d.push(Shown::plain(", ", muted));
            d.push(ctx.number(obj, path, "longitude", muted));
        }
        ChoiceType::RequestLocation => d.push(Shown::plain(strings::SHARE_LOCATION, muted)),
        ChoiceType::CreateCalendarEvent => {
            d.extend(ctx.text(obj, path, "eventTitle", Need::Required, muted));
            d.push(sep());
            if let Some(mut start) = ctx.text(obj, path, "startTime", Need::Required, muted) {
                if !start.placeholder
                    && let Some(Value::String(s)) = obj.and_then(|o| o.get("startTime"))
                    && let Some(short) = short_time(s)
                {
                    let sev = ctx.severity(&path.key("startTime"));
                    start = marked(short.into(), sev, muted, false);
                }
                d.push(start);
            }
        }
    }
    ChoiceView {
        glyph: strings::choice_glyph(ty),
        title,
        detail: d,
        problem,
    }
}

fn sep<'a>() -> Shown<'a> {
    Shown::plain(strings::DETAIL_SEPARATOR, theme::muted())
}

/// The URL's host, and browser or webview (with its height).
fn open_url<'a>(
    ctx: &Ctx<'a>,
    obj: Option<&'a Map<String, Value>>,
    path: &FieldPath,
    d: &mut Vec<Shown<'a>>,
) {
    let muted = theme::muted();
    if let Some(mut url) = ctx.text(obj, path, "url", Need::Required, muted) {
        if !url.placeholder
            && let Some(Value::String(s)) = obj.and_then(|o| o.get("url"))
        {
            let sev = ctx.severity(&path.key("url"));
            url = marked(super::urls::place(s), sev, muted, false);
        }
        d.push(url);
    }
    d.push(sep());
    let app = obj
        .and_then(|o| o.get("application"))
        .and_then(Value::as_str);
    let app_sev = ctx.severity(&path.key("application"));
    let webview = match (app, app_sev) {
        (Some("BROWSER"), None) => {
            d.push(Shown::plain(strings::BROWSER, muted));
            false
        }
        (Some("WEBVIEW"), None) => {
            d.push(Shown::plain(strings::WEBVIEW, muted));
            true
        }
        _ => {
            d.extend(ctx.text(obj, path, "application", Need::Required, muted));
            false
        }
    };
    let mode = obj.and_then(|o| o.get("webviewViewMode"));
    let mode_sev = ctx.severity(&path.key("webviewViewMode"));
    match (mode.and_then(Value::as_str), mode_sev) {
        (Some(m), None) if webview => {
            d.push(Shown::plain(", ", muted));
            d.push(Shown::plain(strings::view_mode(m), muted));
        }
        (_, Some(_)) => {
            d.push(Shown::plain(", ", muted));
            d.extend(ctx.text(obj, path, "webviewViewMode", Need::Required, muted));
        }
        _ => {}
    }
}

/// `2030-03-03T15:00:00.000+01:00` as `2030-03-03 15:00 +01:00` (`Z` as `UTC`).
fn short_time(s: &str) -> Option<String> {
    parse_date_time(s)?;
    let date = s.get(..10)?;
    let time = s.get(11..16)?;
    let zone = if s.ends_with(['Z', 'z']) {
        "UTC"
    } else {
        let tail = s.get(s.len().checked_sub(6)?..)?;
        if tail.starts_with(['+', '-']) {
            tail
        } else {
            ""
        }
    };
    Some(format!("{date} {time} {zone}").trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::ChoiceType;

    #[test]
    fn glyphs_are_distinct_and_one_cell() {
        let glyphs: Vec<&str> = ChoiceType::ALL
            .iter()
            .map(|t| strings::choice_glyph(*t))
            .collect();
        for (i, g) in glyphs.iter().enumerate() {
            assert_eq!(crate::tui::measure::width(g), 1, "{g}");
            assert!(!glyphs[i + 1..].contains(g), "{g} twice");
            assert_ne!(*g, strings::GLYPH_UNKNOWN);
        }
    }

    #[test]
    fn times_and_places() {
        assert_eq!(
            short_time("2030-03-03T15:00:00.000+01:00").as_deref(),
            Some("2030-03-03 15:00 +01:00")
        );
        assert_eq!(
            short_time("2030-03-03T15:00:00Z").as_deref(),
            Some("2030-03-03 15:00 UTC")
        );
        assert_eq!(short_time("tomorrow"), None);
    }
}
