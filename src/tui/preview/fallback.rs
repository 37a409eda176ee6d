//! The fallback view: the SMS or MMS that goes out when RCS fails, or why none does.

use super::canvas::Canvas;
use super::rcs::{bubble, frame_style, hidden_problems, media_lines, problem_paragraph};
use super::strings;
use super::{Ctx, Need, Shown, frame, marked, paragraph, parts};
use crate::message::gsm::{self, Encoding, sms_cost};
use crate::message::schema::FailoverKind;
use crate::message::validate::type_name;
use crate::message::{FieldPath, MessageType, Severity};
use crate::tui::theme;
use ratatui::style::Style;
use serde_json::{Map, Value};

pub(crate) fn draw(ctx: &Ctx<'_>, c: &mut Canvas<'_>, obj: &Map<String, Value>) {
    let w = usize::from(c.width());
    let Some(mt) = obj
        .get("messageType")
        .and_then(Value::as_str)
        .and_then(MessageType::parse)
    else {
        problem_paragraph(c, 0, strings::FALLBACK_NEEDS_TYPE, Severity::Warning);
        return;
    };
    let kind = mt.failover();
    let key = kind.key();
    let other = match kind {
        FailoverKind::Sms => FailoverKind::Mms,
        FailoverKind::Mms => FailoverKind::Sms,
    };
    let base = FieldPath::root().key(key);
    let mut y = match obj.get(key) {
        None | Some(Value::Null) => note(c, 0, &strings::no_failover(key)),
        Some(Value::Object(f)) => match f.get("enabled") {
            Some(Value::Bool(true)) => {
                let y = match kind {
                    FailoverKind::Sms => sms(ctx, c, f, &base),
                    FailoverKind::Mms => mms(ctx, c, f, &base),
                };
                let shown = [
                    "enabled",
                    "failoverSource",
                    "fallbackText",
                    "mediaUrl",
                    "subject",
                ];
                hidden_problems(ctx, c, 0, y + 1, w, &base, &shown, true)
            }
            Some(Value::Bool(false)) => note(c, 0, &strings::failover_off(key)),
            _ => problem_paragraph(c, 0, &strings::failover_enabled_bad(key), Severity::Error),
        },
        Some(v) => problem_paragraph(
            c,
            0,
            &strings::failover_not_object(key, type_name(v)),
            Severity::Error,
        ),
    };
    if !matches!(obj.get(other.key()), None | Some(Value::Null)) {
        let text = strings::ignored_failover(other.key(), mt.as_str(), key);
        y = problem_paragraph(c, y + 1, &text, Severity::Warning);
    }
    c.reserve(y.saturating_sub(1));
}

fn note(c: &mut Canvas<'_>, y: i32, text: &str) -> i32 {
    let w = usize::from(c.width());
    paragraph(c, 0, y, w, usize::MAX, text, false, theme::muted())
}

/// Title, then `From …`; returns the next row.
fn head(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    f: &Map<String, Value>,
    base: &FieldPath,
    title: &str,
) -> i32 {
    let w = usize::from(c.width());
    parts(c, 0, 0, w, &[Shown::plain(title, theme::title())]);
    let mut from = vec![Shown::plain(strings::FROM, theme::muted())];
    from.extend(ctx.text(
        Some(f),
        base,
        "failoverSource",
        Need::Required,
        Style::new(),
    ));
    parts(c, 0, 1, w, &from);
    mark_if_focused(ctx, c, base, "failoverSource", 1, 2);
    2
}

fn mark_if_focused(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    base: &FieldPath,
    key: &str,
    top: i32,
    bottom: i32,
) {
    if ctx.focused(&base.key(key)) {
        c.mark_focus(top, bottom);
    }
}

/// The text as a bubble; returns the next row.
fn text_bubble(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    f: &Map<String, Value>,
    base: &FieldPath,
    y: i32,
) -> i32 {
    let text = ctx
        .text(Some(f), base, "fallbackText", Need::Required, Style::new())
        .unwrap_or_else(|| Shown::plain("", Style::new()));
    let path = base.key("fallbackText");
    let focused = ctx.focused(&path);
    let end = bubble(c, 0, y, &text, frame_style(ctx.severity(&path), focused));
    if focused {
        c.mark_focus(y, end);
    }
    end
}

fn sms(ctx: &Ctx<'_>, c: &mut Canvas<'_>, f: &Map<String, Value>, base: &FieldPath) -> i32 {
    let w = usize::from(c.width());
    let mut y = head(ctx, c, f, base, strings::SMS_TITLE) + 1;
    y = text_bubble(ctx, c, f, base, y);
    let Some(text) = f.get("fallbackText").and_then(Value::as_str) else {
        return y;
    };
    let cost = sms_cost(text);
    let capacity = cost.per_segment * cost.segments.max(1);
    let line = strings::sms_cost_line(cost.encoding.name(), cost.units, capacity, cost.segments);
    let style = if cost.segments > 1 {
        theme::warning()
    } else {
        theme::muted()
    };
    parts(c, 0, y, w, &[Shown::plain(line, style)]);
    y += 1;
    match cost.encoding {
        Encoding::Ucs2 => {
            let list = char_list(gsm::non_gsm_chars(text));
            let s = marked(
                strings::ucs2_because(&list).into(),
                Some(Severity::Warning),
                Style::new(),
                false,
            );
            parts(c, 0, y, w, &[s]);
            y += 1;
        }
        Encoding::Gsm7 => {
            let mut ext: Vec<char> = Vec::new();
            for ch in text.chars().filter(|ch| gsm::is_extension(*ch)) {
                if !ext.contains(&ch) {
                    ext.push(ch);
                }
            }
            if !ext.is_empty() {
                let s = Shown::plain(strings::extension_chars(&char_list(ext)), theme::muted());
                parts(c, 0, y, w, &[s]);
                y += 1;
            }
        }
    }
    y
}

/// Up to eight characters, spaced, the others as `…`; control characters by their code.
fn char_list(chars: Vec<char>) -> String {
    let mut out: Vec<String> = chars
        .iter()
        .take(8)
        .map(|ch| {
            if ch.is_control() {
                format!("U+{:04X}", u32::from(*ch))
            } else {
                ch.to_string()
            }
        })
        .collect();
    if chars.len() > 8 {
        out.push(crate::tui::measure::ELLIPSIS.to_string());
    }
    out.join(" ")
}

fn mms(ctx: &Ctx<'_>, c: &mut Canvas<'_>, f: &Map<String, Value>, base: &FieldPath) -> i32 {
    let w = usize::from(c.width());
    let mut y = head(ctx, c, f, base, strings::MMS_TITLE);
    let mut subject = vec![Shown::plain(strings::SUBJECT, theme::muted())];
    subject.extend(ctx.text(Some(f), base, "subject", Need::Required, theme::title()));
    parts(c, 0, y, w, &subject);
    mark_if_focused(ctx, c, base, "subject", y, y + 1);
    y += 2;

    let bw = strings::CARD_WIDTH.min(c.width());
    let lines = media_lines(ctx, f, base, None, Need::Optional);
    let h = i32::from(strings::MEDIA_BOX_ROWS) + 2;
    let path = base.key("mediaUrl");
    let focused = ctx.focused(&path);
    let size = (usize::from(bw.saturating_sub(2)), strings::MEDIA_BOX_ROWS);
    let whole = crate::tui::pictures::Fit::Whole;
    super::image::media(ctx, c, (1, y + 1), size, &lines, (f, base), whole);
    frame(c, 0, y, bw, h, frame_style(ctx.severity(&path), focused));
    if focused {
        c.mark_focus(y, y + h);
    }
    y += h;
    text_bubble(ctx, c, f, base, y)
}
