//! The rendered preview of the draft: what the recipient's RCS client shows, or the SMS/MMS
//! fallback. A widget over the draft document with no state beyond its scroll position.

use crate::message::{FieldPath, Report};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::StatefulWidget;
use serde_json::Value;

/// What the preview remembers between frames.
#[derive(Debug, Clone, Default)]
pub struct PreviewState {
    /// Show the SMS/MMS fallback instead of the RCS message.
    pub show_fallback: bool,
    /// First line shown, for vertical scrolling.
    pub scroll: u16,
}

/// The preview of `doc`. `focus` is the field being edited: a carousel scrolls so that its
/// card is in view.
pub struct Preview<'a> {
    pub doc: &'a Value,
    pub report: &'a Report,
    pub focus: Option<&'a FieldPath>,
}

impl StatefulWidget for Preview<'_> {
    type State = PreviewState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut PreviewState) {
        let _ = (self.doc, self.report, self.focus, state);
        buf.set_string(area.x, area.y, "preview", ratatui::style::Style::new());
    }
}
