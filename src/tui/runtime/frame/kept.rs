//! What a frame leaves on the screen: the form's unchanged lines, the spare buffer, a frame
//! that changes nothing; and, on a key in one card, everything else.

use crate::tui::harness::Harness;

/// The largest carousel at 200x60.
fn largest_carousel(dir: &std::path::Path) -> Harness {
    let doc = crate::message::samples::largest_carousel();
    Harness::new(dir.join("d.json"), doc, true, 200, 60)
}

/// A frame drawn again with nothing changed leaves every line of the form alone.
#[test]
fn a_frame_drawn_again_unchanged_leaves_the_form_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = largest_carousel(dir.path());
    h.draw();
    h.app.dirty = true;
    h.draw();
    let screen = h.app.view.shown.area;
    let left = h.app.view.lines.form.clean(screen);
    assert_eq!(left.len(), usize::from(h.app.view.geometry.form.height));
}

/// A frame that changes nothing writes nothing, not even "hide the cursor" again; the
/// frame after a screen forgotten (a resize, the editor) is written whole, and hides it.
#[test]
fn a_frame_that_changes_nothing_writes_nothing() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = largest_carousel(dir.path());
    let viewport = Viewport::Fixed(Rect::new(0, 0, 200, 60));
    /// What the terminal was sent, shared with the test.
    #[derive(Clone, Default)]
    struct Sent(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
    impl std::io::Write for Sent {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sent = Sent::default();
    let backend = CrosstermBackend::new(sent.clone());
    let mut t = Terminal::with_options(backend, TerminalOptions { viewport }).expect("term");
    // A new terminal: nothing drawn before is on it.
    let mut view = std::mem::take(&mut h.app.view);
    view.forget_screen();
    let frame = |t: &mut Terminal<CrosstermBackend<Sent>>, view: &mut _| {
        super::draw(t, &h.app, view).expect("draw");
        std::mem::take(&mut *sent.0.borrow_mut())
    };
    let first = frame(&mut t, &mut view);
    assert!(first.len() > 1000, "{}", first.len());
    assert!(first.ends_with(b"\x1b[?25l"), "the cursor hidden");
    assert!(frame(&mut t, &mut view).is_empty(), "nothing changed");
    view.forget_screen();
    assert_eq!(frame(&mut t, &mut view), first, "written whole again");
}

/// ratatui's second buffer is emptied on the first frame and again after a resize, and
/// the frame it held is still the one drawn on next.
#[test]
fn the_spare_buffer_is_kept_empty() {
    use ratatui::layout::Rect;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = largest_carousel(dir.path());
    let spare = |h: &mut Harness| {
        // Swapping blanks the spare and makes it the frame; swapped back, the frame is
        // blank too, and the next draw writes it whole.
        h.terminal.swap_buffers();
        let area = h.terminal.current_buffer_mut().area;
        h.terminal.swap_buffers();
        h.app.view.forget_screen();
        area
    };
    h.draw();
    assert_eq!(spare(&mut h), Rect::ZERO, "emptied by a frame");
    h.draw();
    h.terminal.backend_mut().resize(120, 40);
    h.terminal.resize(Rect::new(0, 0, 120, 40)).expect("resize");
    assert_eq!(
        spare(&mut h),
        Rect::new(0, 0, 120, 40),
        "whole after a resize"
    );
    h.draw();
    assert_eq!(spare(&mut h), Rect::ZERO, "emptied by the frame after");
    // Drawn on the buffer it kept (debug builds compare each frame with one drawn whole).
    h.draw();
    assert!(h.screen().contains("rcs-composer"), "{}", h.screen());
}

mod on_a_key {
    use ratatui::crossterm::event::KeyCode;
    use std::collections::BTreeMap;

    /// Typing past the limit of card 1's title in the largest carousel (what tools/tuiperf
    /// types) changes the title's row, its message, and the problems pane's line about it:
    /// every card in view, the other problems and the other rows of the form are left on
    /// the screen, neither written nor compared.
    #[test]
    fn a_key_in_one_card_leaves_the_cards_and_other_problems_on_the_screen() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h =
            crate::tui::harness::Harness::title_past_its_limit(dir.path().join("d.json"), 200, 60);
        h.press(KeyCode::F(8));
        assert_eq!(
            h.app.focused().map(|r| r.path.to_string()).as_deref(),
            Some("cards.0.title")
        );
        h.press(KeyCode::Char('x'));
        let view = &h.app.view;
        let screen = view.shown.area;
        let w = usize::from(screen.width);

        // The cards: three in view (the third cut by the pane's edge), each left whole; and
        // the blank rows below them, whole rows of the pane.
        let pane = view.geometry.preview;
        let mut cards: BTreeMap<usize, usize> = BTreeMap::new();
        let mut blank = Vec::new();
        for r in view.preview.slots.clean(screen) {
            if r.len() == usize::from(pane.width) {
                blank.push(r.start / w);
            } else {
                *cards.entry(r.start % w).or_default() += 1;
            }
        }
        let rows: Vec<usize> = cards.values().copied().collect();
        assert_eq!(rows.len(), 3, "cards left: {cards:?}");
        assert!(
            rows.iter().all(|n| *n == rows[0] && *n > 10),
            "each card left whole: {cards:?}"
        );
        let below: Vec<usize> =
            (usize::from(pane.bottom()) - blank.len()..usize::from(pane.bottom())).collect();
        assert!(blank.len() > 5, "blank rows left: {blank:?}");
        assert_eq!(blank, below, "the blank rows are the pane's last");

        // The problems: all but the title's own line.
        let problems = usize::from(view.geometry.problems.height);
        assert_eq!(view.lines.problems.clean(screen).len(), problems - 1);

        // The panes' borders: the same places and titles.
        let lines = &view.lines;
        for (name, memo) in [
            ("form", &lines.form_frame),
            ("preview", &lines.preview_frame),
            ("problems", &lines.problems_frame),
        ] {
            assert!(
                !memo.clean(screen).is_empty(),
                "the {name} pane's border is left"
            );
        }

        // The form: all but the title's lines (the input, two lines, and its message).
        let form = usize::from(view.geometry.form.height);
        assert_eq!(view.lines.form.clean(screen).len(), form - 3);
    }

    /// At 120x40 with the media check's findings (as tools/tuiperf runs it with no
    /// network), the preview scrolls: the second card in view reaches the pane's last row,
    /// where the mark that says more is below goes. A key in card 1 leaves both cards on the
    /// screen but for that row of the second card, which is copied again under the mark.
    #[test]
    fn a_card_under_a_scroll_mark_is_left_but_for_the_marks_row() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h =
            crate::tui::harness::Harness::title_past_its_limit(dir.path().join("d.json"), 120, 40);
        h.media_unreachable();
        h.press(KeyCode::F(8));
        h.press(KeyCode::Char('x'));
        let view = &h.app.view;
        let screen = view.shown.area;
        let pane = view.geometry.preview;
        let last = pane.bottom() - 1;
        let mark = &view.shown[(pane.right() - 1, last)];
        assert_eq!(mark.symbol(), "▼", "the mark that says more is below");

        // Row by row, the cards left (their cells kept, neither written nor compared).
        let w = usize::from(screen.width);
        let mut per_row: BTreeMap<usize, usize> = BTreeMap::new();
        for r in view.preview.slots.clean(screen) {
            if r.len() < usize::from(pane.width) {
                *per_row.entry(r.start / w).or_default() += 1;
            }
        }
        let last = usize::from(last);
        let (first, _) = per_row.first_key_value().expect("cards left");
        assert!(*first < last, "cards left: {per_row:?}");
        for (row, n) in &per_row {
            let want = if *row == last { 1 } else { 2 };
            assert_eq!(*n, want, "cards left on row {row}: {per_row:?}");
        }
        assert!(
            per_row.contains_key(&last),
            "card 1 is left on the last row"
        );
    }
}
