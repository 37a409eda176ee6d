//! What a keystroke can have changed in the form since the frame before: the rows whose
//! kept lines may not stand ([`Reach`]), under what they were made ([`FormSeen`]).

use crate::message::FieldPath;
use crate::tui::app::App;

/// What the form's kept rows were made under: the rows, the problems' places, the
/// document, the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormSeen {
    rows: u64,
    places: u64,
    doc: u64,
    width: usize,
}

impl FormSeen {
    pub(super) fn of(app: &App, width: usize) -> Self {
        FormSeen {
            rows: app.form.rows_generation,
            places: app.problems.places_generation(),
            doc: app.save.generation,
            width,
        }
    }
}

/// Which rows may show something new since the frame before.
pub(super) enum Reach<'a> {
    /// None: the document, the rows, the problems' places and the width are as they were.
    Nothing,
    /// Those at, above or below the one value changed.
    Value(&'a FieldPath),
    All,
}

impl Reach<'_> {
    pub(super) fn since(app: &App, before: Option<FormSeen>, now: FormSeen) -> Reach<'_> {
        let Some(b) =
            before.filter(|b| (b.rows, b.places, b.width) == (now.rows, now.places, now.width))
        else {
            return Reach::All;
        };
        match &app.form.value_edit {
            _ if b.doc == now.doc => Reach::Nothing,
            Some((g, p)) if *g == now.doc && b.doc + 1 == now.doc => Reach::Value(p),
            _ => Reach::All,
        }
    }

    /// True when the row at `path` is out of this reach: its value, its summary and its
    /// marks are as on the frame before.
    pub(super) fn leaves(&self, path: &FieldPath) -> bool {
        match self {
            Reach::Nothing => true,
            Reach::Value(p) => !p.starts_with(path) && !path.starts_with(p),
            Reach::All => false,
        }
    }
}

#[cfg(test)]
mod kept_rows_tests {
    use crate::message::FieldPath;
    use crate::tui::form::RowKind;
    use crate::tui::harness::Harness;
    use ratatui::crossterm::event::KeyCode;

    fn focused(h: &Harness) -> String {
        h.app
            .focused()
            .map(|r| r.path.to_string())
            .unwrap_or_default()
    }

    /// A card's summary row scrolled out of view while its title is typed in is made
    /// again when the wheel brings it back: it was out of the frames the edit was drawn
    /// on, so what was kept of it is older than the frame before. In view, an edit of the
    /// title makes it again too.
    #[test]
    fn a_summary_changed_while_out_of_view_shows_the_change_back_in_view() {
        let dir = tempfile::tempdir().expect("temp dir");
        let doc = serde_json::from_str(include_str!("../../../assets/examples/carousel.json"))
            .expect("the example");
        let mut h = Harness::new(dir.path().join("c.json"), doc, false, 120, 16);
        // Card 2's row is drawn, then scrolled out of view above its title.
        h.app.focus_problem(&FieldPath::parse("cards.1.title"));
        h.draw();
        h.app
            .focus_problem(&FieldPath::parse("cards.1.choices.0.postbackData"));
        h.draw();
        while focused(&h) != "cards.1.title" {
            h.press(KeyCode::Up);
        }
        let item = h
            .app
            .form
            .rows
            .iter()
            .position(|r| {
                r.path == FieldPath::parse("cards.1") && matches!(r.kind, RowKind::Item { .. })
            })
            .expect("card 2's row");
        assert!(
            !h.app.view.geometry.form_lines.contains(&Some(item)),
            "card 2's row is out of view:\n{}",
            h.screen()
        );
        for c in "XYZ".chars() {
            h.press(KeyCode::Char(c));
        }
        // The wheel brings the row back into view; the focus stays on the title.
        let form = h.app.view.geometry.form;
        h.act(crate::tui::action::Action::Scroll {
            column: form.x + 2,
            row: form.y + 2,
            down: false,
        });
        assert_eq!(focused(&h), "cards.1.title");
        assert!(h.app.view.geometry.form_lines.contains(&Some(item)));
        let line = h
            .screen()
            .lines()
            .find(|l| l.contains("▾ Card 2"))
            .map(str::to_string)
            .unwrap_or_default();
        assert!(line.contains("Card 2XYZ"), "{}", h.screen());
        // Typed in view, the title reaches the row above it too.
        h.press(KeyCode::Char('W'));
        assert!(
            h.screen().contains("▾ Card 2  Card 2XYZW"),
            "{}",
            h.screen()
        );
    }
}
