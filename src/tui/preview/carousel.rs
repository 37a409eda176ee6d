//! RCS_CAROUSEL: cards side by side, as wide as the pane lets two of them show, all as tall
//! as the tallest, scrolled to the card being edited.

use super::canvas::Canvas;
use super::rcs::{CardOpts, card, frame_style, hidden_problems};
use super::strings;
use super::{CardCache, DrawnCard, DrawnKey, Reads};
use super::{Ctx, Shown, marked, parts};
use crate::message::validate::type_name;
use crate::message::{FieldPath, Severity};
use crate::tui::pictures::{GraphicsKind, Load};
use crate::tui::theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A carousel card's width in a pane `width` wide: [`strings::CAROUSEL_CARD_WIDTH`], narrowed
/// (down to [`strings::CAROUSEL_CARD_MIN_WIDTH`]) when that lets two cards show side by side,
/// as a phone shows them; in a pane too narrow even for that, the pane's width.
pub(crate) fn carousel_card_width(width: u16) -> u16 {
    let gap = strings::CAROUSEL_GAP;
    let full = strings::CAROUSEL_CARD_WIDTH;
    if width >= 2 * full + gap {
        full
    } else if width >= 2 * strings::CAROUSEL_CARD_MIN_WIDTH + gap {
        (width - gap) / 2
    } else {
        full.min(width)
    }
}

/// How many carousel cards fit side by side, at least one.
fn cards_in_view(width: u16) -> usize {
    let cw = carousel_card_width(width).max(1);
    (usize::from(width) + usize::from(strings::CAROUSEL_GAP))
        / (usize::from(cw) + usize::from(strings::CAROUSEL_GAP))
}

/// The first carousel card to show at `width`: `previous`, moved just enough to bring the
/// focused card into view, and back when the area grew (no empty room at the right).
pub(crate) fn carousel_first(ctx: &Ctx<'_>, width: u16, previous: usize) -> usize {
    let n = match ctx.doc.get("cards") {
        Some(Value::Array(a)) => a.len().min(strings::MAX_CARDS),
        _ => return 0,
    };
    if n == 0 || ctx.doc.get("messageType").and_then(Value::as_str) != Some("RCS_CAROUSEL") {
        return 0;
    }
    let vis = cards_in_view(width).max(1);
    let mut first = previous.min(n - 1);
    if let Some(f) = ctx.focused_card() {
        let f = f.min(n - 1);
        if f < first {
            first = f;
        } else if f >= first + vis {
            first = f + 1 - vis;
        }
    }
    first.min(n.saturating_sub(vis))
}

/// The height of the tallest carousel card at `width`: every card is drawn that tall, as
/// phones draw them. A card's height is found when it changed (the app says which, see
/// `PreviewState::forget_card`) or the width did, and kept otherwise.
///
/// A changed card drawn before at this width is drawn again now, as tall as then, and its
/// height read from that drawing: unless the tallest card changed, it is the drawing the
/// frame copies, and the card is laid out once, not measured and then drawn (see
/// [`drawn_alike`] for when pictures allow it).
pub(crate) fn carousel_card_height(ctx: &Ctx<'_>, width: u16) -> i32 {
    let Some(Value::Array(list)) = ctx.doc.get("cards") else {
        return 0;
    };
    let cw = carousel_card_width(width);
    let path = FieldPath::root().key("cards");
    let n = list.len().min(strings::MAX_CARDS);
    ctx.cards.borrow_mut().resize(n, CardCache::default());
    let focus = ctx.focused_card();
    let mut tallest = 0;
    for (i, v) in list.iter().enumerate().take(n) {
        let known = ctx.cards.borrow()[i].height;
        let h = match known {
            Some((w, h)) if w == cw => h,
            _ => {
                let p = path.index(i);
                let before = ctx.cards.borrow()[i]
                    .drawn
                    .as_ref()
                    .filter(|d| d.key.width == cw)
                    .map(|d| d.key.height);
                let h = match before {
                    Some(min_height) if drawn_alike(ctx, focus == Some(i), v) => {
                        let opts = CardOpts {
                            width: cw,
                            carousel: true,
                            min_height,
                            frame: frame_style(ctx.severity_under(&p), focus == Some(i)),
                        };
                        keep_drawn(ctx, i, v, &p, &opts);
                        let h = ctx.cards.borrow()[i]
                            .drawn
                            .as_ref()
                            .map_or(0, |d| d.natural);
                        debug_assert_eq!(h, measure_card(ctx, cw, v, &p), "card {i}'s height");
                        h
                    }
                    _ => measure_card(ctx, cw, v, &p),
                };
                ctx.cards.borrow_mut()[i].height = Some((cw, h));
                h
            }
        };
        tallest = tallest.max(h);
    }
    tallest
}

/// True when card `v` drawn on its own now is the drawing the frame will copy, and asks
/// for nothing a drawing in place would not: no pictures, or pictures drawn in cells
/// (halfblocks) for the focused card (in view: the carousel scrolls to it) whose downloads
/// are settled. A card that is not in view must not ask for its pictures.
fn drawn_alike(ctx: &Ctx<'_>, focused: bool, v: &Value) -> bool {
    ctx.pictures.is_none_or(|pics| {
        focused
            && pics.store.graphics.kind == GraphicsKind::Halfblocks
            && downloads_settled(&pics, v)
    })
}

/// The rows card `v` (at `p`) needs at width `cw`.
fn measure_card(ctx: &Ctx<'_>, cw: u16, v: &Value, p: &FieldPath) -> i32 {
    let opts = CardOpts {
        width: cw,
        carousel: true,
        min_height: 0,
        frame: Style::new(),
    };
    let mut m = Canvas::measure(ratatui::layout::Rect::new(0, 0, cw, 1));
    card(ctx, &mut m, 0, 0, v, p, &opts).0
}

/// True when drawing `card` anywhere asks for no download: each of its pictures was
/// downloaded, or failed, already, or is not downloaded (the check could not reach it).
/// Such a card partly in view may be kept and copied.
fn downloads_settled(pics: &super::image::Pictures<'_>, card: &Value) -> bool {
    ["mediaUrl", "thumbnailUrl"].iter().all(|k| {
        card.get(*k).and_then(Value::as_str).is_none_or(|u| {
            // Asked of the store first: parsing the URL costs more, on every frame.
            matches!(pics.store.load(u), Some(Load::Ready(_) | Load::Failed(_)))
                || pics.not_downloaded(u)
                || !crate::media::is_checkable(u)
        })
    })
}

/// Draws card `i` at (`x`, `y`) as it was drawn before when nothing it shows has changed
/// since (its content, the width, the height, the focus inside it, its frame, its
/// pictures), and keeps what it draws otherwise: an edit to one card draws that card alone.
/// With pictures on, a card drawn in place is one only partly in view whose pictures are
/// still to be downloaded (a picture is downloaded only for a media area in view), or any
/// card when the terminal draws the pictures itself (kitty, sixel, iTerm2: one escape
/// sequence, not cells to copy or cut).
fn drawn_card(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    (x, y): (i32, i32),
    i: usize,
    v: &Value,
    p: &FieldPath,
    opts: &CardOpts,
) {
    if ctx.pictures.is_some_and(|pics| {
        pics.store.graphics.kind != GraphicsKind::Halfblocks
            || (!c.shows_all_rows(y, opts.min_height) && !downloads_settled(&pics, v))
    }) {
        // Drawn in place, over whatever a card left there.
        let h = u16::try_from(opts.min_height).unwrap_or(0);
        let (rect, _) = c.screen_rect(x, y, opts.width + strings::CAROUSEL_GAP, h);
        if ctx.slots.is_some_and(|s| s.borrow().holds(rect)) {
            c.blank(rect);
        }
        card(ctx, c, x, y, v, p, opts);
        return;
    }
    keep_drawn(ctx, i, v, p, opts);
    let cards = ctx.cards.borrow();
    let Some(d) = cards.get(i).and_then(|k| k.drawn.as_ref()) else {
        return;
    };
    let (w, h) = (d.cells.area.width, d.cells.area.height);
    // The blank gap at the card's right goes with it: nothing else is drawn there.
    let (rect, origin) = c.screen_rect(x, y, w + strings::CAROUSEL_GAP, h);
    let left = ctx
        .slots
        .is_some_and(|s| s.borrow_mut().place(rect, origin, d.id));
    if left {
        // The screen shows this drawing here already, but for the rows the scroll marks
        // may cover.
        if h > 0 {
            c.reserve(y + i32::from(h) - 1);
        }
        let rows = ctx
            .slots
            .map(|s| s.borrow().copied_rows(rect))
            .unwrap_or_default();
        if !rows.is_empty() {
            c.blit_rows(x, y, &d.cells, &rows);
        }
    } else {
        c.blit(x, y, &d.cells);
    }
}

/// What card `i` drawn with `opts` must have in common with a drawing of it kept before.
fn drawn_key(ctx: &Ctx<'_>, p: &FieldPath, opts: &CardOpts) -> DrawnKey {
    DrawnKey {
        width: opts.width,
        height: opts.min_height,
        focus: ctx.focus.filter(|f| f.starts_with(p)).cloned(),
        frame: opts.frame,
        pictures: ctx.pictures.map(|pics| {
            (
                pics.generation,
                pics.typing.filter(|t| t.starts_with(p)).cloned(),
            )
        }),
    }
}

/// Card `i` drawn on its own with `opts`: kept from before when nothing it shows changed,
/// else drawn now and kept. Returns the content rows it used and its focus's rows, as a
/// measure of it would find them.
fn keep_drawn(
    ctx: &Ctx<'_>,
    i: usize,
    v: &Value,
    p: &FieldPath,
    opts: &CardOpts,
) -> (i32, Option<(i32, i32)>) {
    let key = drawn_key(ctx, p, opts);
    if let Some(k) = ctx.cards.borrow().get(i)
        && let Some(d) = &k.drawn
        && d.key == key
        && !k.stale
    {
        return (d.height, d.focus);
    }
    // A card that changed but would draw the same (typed past where its title or its
    // description stops showing) keeps its drawing.
    let alike = {
        let cards = ctx.cards.borrow();
        cards.get(i).and_then(|k| {
            let d = k.drawn.as_ref()?;
            (d.key == key
                && d.reads
                    .draw_alike(ctx, &d.content, v, k.changed_keys.as_deref()))
            .then_some((d.height, d.focus))
        })
    };
    if let Some(out) = alike {
        #[cfg(debug_assertions)]
        {
            let cards = ctx.cards.borrow();
            if let Some(d) = cards[i].drawn.as_ref() {
                let mut fresh = Buffer::empty(d.cells.area);
                let mut own = Canvas::new(&mut fresh, d.cells.area, 0);
                let (_, natural) = card(ctx, &mut own, 0, 0, v, p, opts);
                let (height, focus) = (own.height, own.focus);
                debug_assert!(
                    fresh == d.cells,
                    "card {i} kept as alike differs from drawn"
                );
                debug_assert_eq!((height, focus, natural), (d.height, d.focus, d.natural));
            }
        }
        let mut cards = ctx.cards.borrow_mut();
        cards[i].stale = false;
        cards[i].changed_keys = None;
        return out;
    }
    // The same card drawn as tall as another card now is: its drawing is stretched or
    // shrunk, not laid out again (typing in one card changes every card's height when it
    // changes the tallest's).
    let resized = {
        let cards = ctx.cards.borrow();
        cards.get(i).filter(|k| !k.stale).and_then(|k| {
            let d = k.drawn.as_ref()?;
            let same = DrawnKey {
                height: key.height,
                ..d.key.clone()
            } == key;
            same.then(|| restretch(d, opts.min_height)).flatten()
        })
    };
    if let Some(d) = resized {
        #[cfg(debug_assertions)]
        {
            let mut fresh = Buffer::empty(d.cells.area);
            card(
                ctx,
                &mut Canvas::new(&mut fresh, d.cells.area, 0),
                0,
                0,
                v,
                p,
                opts,
            );
            debug_assert!(fresh == d.cells, "card {i} stretched differs from drawn");
        }
        let out = (d.height, d.focus);
        ctx.cards.borrow_mut()[i].drawn = Some(DrawnCard { key, ..d });
        return out;
    }
    let area = Rect::new(
        0,
        0,
        opts.width,
        u16::try_from(opts.min_height).unwrap_or(0),
    );
    let mut cells = Buffer::empty(area);
    *ctx.reads.borrow_mut() = Some(Reads::default());
    let (height, focus, natural) = {
        let mut own = Canvas::new(&mut cells, area, 0);
        let (_, natural) = card(ctx, &mut own, 0, 0, v, p, opts);
        (own.height, own.focus, natural)
    };
    let reads = ctx.reads.borrow_mut().take().unwrap_or_default();
    let mut kept = ctx.cards.borrow_mut();
    if kept.len() <= i {
        kept.resize(i + 1, CardCache::default());
    }
    // A drawing that looks as the one before keeps its id: the screen showing that one
    // shows this one.
    let id = match &kept[i].drawn {
        Some(d) if d.cells == cells => d.id,
        _ => next_id(),
    };
    kept[i].drawn = Some(DrawnCard {
        id,
        key,
        cells,
        height,
        focus,
        natural,
        content: v.clone(),
        reads,
    });
    kept[i].stale = false;
    kept[i].changed_keys = None;
    (height, focus)
}

/// Card drawing `d` as tall as `min_height` makes it: the rows of its content, then rows of
/// its sides alone, then its bottom edge (see `rcs::card` and `preview::frame`). `None` when
/// the content does not fit in both heights, or is too short to have a side to copy.
fn restretch(d: &DrawnCard, min_height: i32) -> Option<DrawnCard> {
    let old_h = i32::from(d.cells.area.height);
    if d.natural < 3 || old_h < d.natural || min_height < d.natural {
        return None;
    }
    let new_h = u16::try_from(min_height).ok()?;
    let w = d.cells.area.width;
    if w < 2 {
        return None;
    }
    let area = Rect::new(0, 0, w, new_h);
    let mut cells = Buffer::empty(area);
    let row = |y: u16| {
        let from = usize::from(y) * usize::from(w);
        from..from + usize::from(w)
    };
    let content = u16::try_from(d.natural - 1).ok()?;
    for y in 0..content {
        cells.content[row(y)].clone_from_slice(&d.cells.content[row(y)]);
    }
    for y in content..new_h - 1 {
        cells[(0, y)] = d.cells[(0, 1)].clone();
        cells[(w - 1, y)] = d.cells[(w - 1, 1)].clone();
    }
    let last = u16::try_from(old_h - 1).ok()?;
    cells.content[row(new_h - 1)].clone_from_slice(&d.cells.content[row(last)]);
    Some(DrawnCard {
        id: next_id(),
        key: d.key.clone(),
        cells,
        height: min_height.max(d.natural),
        focus: d.focus,
        natural: d.natural,
        content: d.content.clone(),
        reads: d.reads.clone(),
    })
}

/// A new drawing's id.
fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// RCS_CAROUSEL: a position row, then the cards side by side from `first`, each `tallest`
/// rows.
pub(crate) fn carousel(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    y: i32,
    obj: &Map<String, Value>,
    first: usize,
    tallest: i32,
) -> i32 {
    let root = FieldPath::root();
    let path = root.key("cards");
    let w = usize::from(c.width());
    let list = match obj.get("cards") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        other => {
            let text: Cow<'_, str> = match other {
                Some(Value::Array(_)) => strings::NO_CARDS.into(),
                None | Some(Value::Null) => strings::missing("cards").into(),
                Some(v) => strings::wrong_type("cards", type_name(v)).into(),
            };
            let s = marked(text, Some(Severity::Error), Style::new(), true);
            parts(c, 0, y, w, &[s]);
            return hidden_problems(ctx, c, 0, y + 1, w, &path, &[], true);
        }
    };
    let n = list.len().min(strings::MAX_CARDS);
    let first = first.min(n - 1);
    let vis = cards_in_view(c.width()).max(1);
    let focus = ctx.focused_card().filter(|f| *f < n);

    // Where we are: hidden to the left, the card's position, hidden to the right.
    let mut pos: Vec<Shown<'_>> = Vec::with_capacity(5);
    if first > 0 {
        pos.push(Shown::plain(strings::hidden_left(first), theme::key_hint()));
        pos.push(Shown::plain("  ", Style::new()));
    }
    let current = focus.unwrap_or(first) + 1;
    pos.push(Shown::plain(strings::position(current, n), theme::title()));
    let right = n.saturating_sub(first + vis);
    if right > 0 {
        pos.push(Shown::plain("  ", Style::new()));
        pos.push(Shown::plain(
            strings::hidden_right(right),
            theme::key_hint(),
        ));
    }
    parts(c, 0, y, w, &pos);
    let mut y = y + 1;
    y = hidden_problems(ctx, c, 0, y, w, &path, &[], true);

    let cw = carousel_card_width(c.width());
    let step = i32::from(cw) + i32::from(strings::CAROUSEL_GAP);
    for (i, v) in list.iter().enumerate().take(n).skip(first) {
        let x = (i - first) as i32 * step;
        if x >= i32::from(c.width()) {
            break;
        }
        let p = path.index(i);
        let focused = focus == Some(i);
        if c.is_measuring() {
            let h = u16::try_from(tallest).unwrap_or(0);
            ctx.planned
                .borrow_mut()
                .push((x, y, cw + strings::CAROUSEL_GAP, h));
        }
        if c.is_measuring() && !focused {
            // Its height is known; only the focused card's inside matters to the scroll.
            c.reserve(y + tallest - 1);
            continue;
        }
        let opts = CardOpts {
            width: cw,
            carousel: true,
            min_height: tallest,
            frame: frame_style(ctx.severity_under(&p), focused),
        };
        if c.is_measuring() && drawn_alike(ctx, focused, v) {
            // The card being edited is drawn now, where the drawing pass finds it: its rows
            // and its focus are those a measure finds, and it is not laid out twice.
            let (h, inside) = keep_drawn(ctx, i, v, &p, &opts);
            #[cfg(debug_assertions)]
            {
                let mut m = Canvas::measure(Rect::new(0, 0, cw, 1));
                card(ctx, &mut m, 0, 0, v, &p, &opts);
                debug_assert_eq!(
                    (h, inside),
                    (m.height, m.focus),
                    "card {i} drawn vs measured"
                );
            }
            if h > 0 {
                c.reserve(y + h - 1);
            }
            if let Some((top, bottom)) = inside {
                c.mark_focus(y + top, y + bottom);
            }
        } else if c.is_measuring() {
            card(ctx, c, x, y, v, &p, &opts);
        } else {
            drawn_card(ctx, c, (x, y), i, v, &p, &opts);
        }
        if focused {
            // A focused button inside marks itself, smaller, and wins.
            c.mark_focus(y, y + tallest);
        }
    }
    y += tallest;
    if list.len() > strings::MAX_CARDS {
        let text = strings::more_cards(list.len() - strings::MAX_CARDS);
        let s = marked(text.into(), Some(Severity::Error), Style::new(), false);
        parts(c, 0, y, w, &[s]);
        y += 1;
    }
    y
}

#[cfg(test)]
mod tests {
    use super::super::image::Pictures;
    use super::super::{Preview, PreviewState};
    use crate::media::ImageFailure;
    use crate::message::FieldPath;
    use crate::tui::pictures::ImageStore;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::StatefulWidget;
    use serde_json::Value;
    use std::collections::HashMap;

    /// A card typed in is drawn as a fresh drawing of it: kept when the edit is past where
    /// its title or description stops showing (and the validator's answers it read are the
    /// same), drawn again otherwise (debug builds also compare each kept card with a fresh
    /// drawing).
    #[test]
    fn a_card_typed_in_is_the_card_drawn_from_nothing() {
        use proptest::prelude::*;
        let area = Rect::new(0, 0, 88, 60);
        let render = |doc: &Value, focus: &FieldPath, state: &mut PreviewState| {
            let report = crate::message::validate(doc);
            let mut buf = Buffer::empty(area);
            Preview::new(doc, &report, Some(focus)).render(area, &mut buf, state);
            buf
        };
        let edits = proptest::collection::vec(
            (
                any::<bool>(),
                0.0f64..=1.0,
                prop_oneof![
                    Just(None),
                    Just(Some('a')),
                    Just(Some(' ')),
                    Just(Some('\n')),
                    Just(Some('é')),
                    Just(Some('日')),
                ],
            ),
            1..40,
        );
        let kept_any = std::cell::Cell::new(false);
        proptest!(ProptestConfig::with_cases(16), |(steps in edits, long in 90usize..110)| {
            let mut doc = crate::message::samples::largest_carousel();
            doc["cards"][0]["title"] = "t".repeat(long).into();
            let mut kept = PreviewState::default();
            for (title, at, op) in steps {
                let key = if title { "title" } else { "description" };
                let focus = FieldPath::parse(&format!("cards.0.{key}"));
                let mut text: Vec<char> = doc["cards"][0][key]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .collect();
                let i = ((text.len() as f64) * at) as usize;
                match op {
                    Some(c) => text.insert(i.min(text.len()), c),
                    None if i < text.len() => {
                        text.remove(i);
                    }
                    None => {}
                }
                doc["cards"][0][key] = text.into_iter().collect::<String>().into();
                kept.forget_card(0, Some(key));
                let drawn = render(&doc, &focus, &mut kept);
                // Kept as alike: the drawing is still the one of the value before.
                let content = kept.cards[0].drawn.as_ref().map(|d| &d.content);
                if content != Some(&doc["cards"][0]) {
                    kept_any.set(true);
                }
                let fresh = render(&doc, &focus, &mut PreviewState::default());
                prop_assert_eq!(drawn, fresh);
            }
        });
        assert!(kept_any.get(), "no edit was past a cut");
    }

    /// A card whose media goes from MEDIUM to TALL grows, and every card is drawn as tall
    /// as the tallest: the cards that did not change are stretched from their
    /// drawing to that height, and the frame is the one drawn from nothing (debug builds
    /// also check each stretched card against a fresh drawing of it).
    #[test]
    fn cards_drawn_at_a_new_height_are_those_drawn_from_nothing() {
        let mut doc = crate::message::samples::largest_carousel();
        let focus = FieldPath::parse("cards.0.height");
        let area = Rect::new(0, 0, 88, 60);
        let render = |doc: &Value, state: &mut PreviewState| {
            let report = crate::message::validate(doc);
            let mut buf = Buffer::empty(area);
            Preview::new(doc, &report, Some(&focus)).render(area, &mut buf, state);
            buf
        };
        let mut kept = PreviewState::default();
        render(&doc, &mut kept);
        let height = |s: &PreviewState| s.cards[1].drawn.as_ref().map(|d| d.key.height);
        let before = height(&kept);
        for (grow, step) in [(true, "grown"), (false, "shrunk back")] {
            doc["cards"][0]["height"] = if grow { "TALL" } else { "MEDIUM" }.into();
            kept.forget_card(0, Some("height"));
            let drawn = render(&doc, &mut kept);
            let fresh = render(&doc, &mut PreviewState::default());
            assert_eq!(drawn, fresh, "{step}");
            let now = height(&kept);
            assert_eq!(
                now != before,
                grow,
                "{step}: card 2's height {before:?} -> {now:?}"
            );
        }
    }

    /// A card only partly in view whose pictures have all failed asks for nothing when drawn:
    /// it is kept and copied on the next frame, and that frame is the one drawn from nothing.
    #[test]
    fn a_card_partly_in_view_with_settled_pictures_is_kept_and_copied_as_drawn() {
        let doc = crate::message::samples::largest_carousel();
        let report = crate::message::validate(&doc);
        let mut store = ImageStore::default();
        for card in doc["cards"].as_array().into_iter().flatten() {
            for k in ["mediaUrl", "thumbnailUrl"] {
                if let Some(u) = card.get(k).and_then(Value::as_str) {
                    store.start_load(u);
                    store.loaded(u.to_string(), Err(ImageFailure::Timeout));
                }
            }
        }
        let probes = HashMap::new();
        let focus = FieldPath::parse("cards.0.title");
        // Shorter than a card: every card is partly in view.
        let area = Rect::new(0, 0, 52, 16);
        let render = |state: &mut PreviewState| {
            let mut buf = Buffer::empty(area);
            let mut p = Preview::new(&doc, &report, Some(&focus));
            p.pictures = Some(Pictures {
                store: &store,
                probes: &probes,
                typing: None,
                generation: store.generation(),
            });
            p.render(area, &mut buf, state);
            buf
        };
        let mut kept = PreviewState::default();
        let first = render(&mut kept);
        assert!(
            kept.cards.iter().any(|c| c.drawn.is_some()),
            "the cards in view are kept"
        );
        let copied = render(&mut kept);
        let fresh = render(&mut PreviewState::default());
        assert_eq!(first, fresh);
        assert_eq!(copied, fresh);
    }
}
