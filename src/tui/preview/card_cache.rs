//! What the preview keeps of each carousel card between frames, and what the app tells it
//! when a card changed.

use super::{PreviewState, Reads};
use crate::message::FieldPath;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use serde_json::Value;

/// A carousel card's height at a width, and the card as drawn (for a width, a height, the
/// focus inside it, its frame and its pictures), kept until the app says it changed.
#[derive(Debug, Clone, Default)]
pub(crate) struct CardCache {
    pub height: Option<(u16, i32)>,
    pub drawn: Option<DrawnCard>,
    /// The card changed since it was drawn: it is drawn again, and the drawing before is
    /// kept only to see whether the new one looks the same.
    pub stale: bool,
    /// While stale: the card's keys whose values were changed (typing in its title), all
    /// others being as the drawing's `content` has them, so only these are compared with it.
    /// `None`: the change is not known that closely.
    pub changed_keys: Option<Vec<String>>,
}

/// A card drawn on its own: its cells, and the content rows it used and its focus took
/// (what a measure of it would find).
#[derive(Debug, Clone)]
pub(crate) struct DrawnCard {
    /// Two drawings of the card with the same id have the same cells.
    pub id: u64,
    pub key: DrawnKey,
    pub cells: Buffer,
    pub height: i32,
    pub focus: Option<(i32, i32)>,
    /// The rows its content needs (its height with no `min_height`).
    pub natural: i32,
    /// The card's value it was drawn from, and what else the drawing read: a changed card
    /// that would draw the same keeps this drawing (see [`Reads::draw_alike`]).
    pub content: Value,
    pub reads: Reads,
}

/// What a card drawn before must have had in common with the one to draw now.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DrawnKey {
    pub width: u16,
    pub height: i32,
    pub focus: Option<FieldPath>,
    pub frame: Style,
    /// With pictures on: the downloads', encodings' and probes' changes so far, and the
    /// field being typed inside the card (its URL is not downloaded). `None`: pictures off.
    pub pictures: Option<(u64, Option<FieldPath>)>,
}

impl PreviewState {
    /// Card `i` of a carousel changed, inside its key `key` when that is known: measure it
    /// again.
    pub fn forget_card(&mut self, i: usize, key: Option<&str>) {
        if let Some(c) = self.cards.get_mut(i) {
            c.height = None;
            let before = if c.stale {
                c.changed_keys.take()
            } else {
                Some(Vec::new())
            };
            c.changed_keys = before.zip(key).map(|(mut keys, k)| {
                if !keys.iter().any(|x| x == k) {
                    keys.push(k.to_string());
                }
                keys
            });
            c.stale = true;
        }
    }

    /// The cards changed (added, removed, moved, the draft replaced): measure them all again.
    pub fn forget_cards(&mut self) {
        self.cards.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &PreviewState) -> Option<Vec<&str>> {
        s.cards[0]
            .changed_keys
            .as_ref()
            .map(|k| k.iter().map(String::as_str).collect())
    }

    /// Edits between two frames add up: the card compares every key any of them changed,
    /// all of them once one change was not inside a key.
    #[test]
    fn the_keys_changed_since_the_drawing_add_up() {
        let mut s = PreviewState {
            cards: vec![CardCache::default()],
            ..Default::default()
        };
        s.forget_card(0, Some("title"));
        s.forget_card(0, Some("description"));
        s.forget_card(0, Some("title"));
        assert!(s.cards[0].stale);
        assert_eq!(keys(&s), Some(vec!["title", "description"]));
        s.forget_card(0, None);
        assert_eq!(keys(&s), None);
        s.forget_card(0, Some("title"));
        assert_eq!(
            keys(&s),
            None,
            "still unknown until the card is drawn again"
        );
        // Drawn again (as `carousel::keep_drawn` leaves it): the next change starts afresh.
        s.cards[0].stale = false;
        s.cards[0].changed_keys = None;
        s.forget_card(0, Some("height"));
        assert_eq!(keys(&s), Some(vec!["height"]));
        // A card not kept is left alone.
        s.forget_card(5, Some("title"));
        assert_eq!(s.cards.len(), 1);
    }
}
