//! Other writers of a draft's file: a second instance of the app, a program that writes the
//! file while the app has it open. Nothing of theirs is written over without the person's
//! say, nothing of ours is lost. The real app and runtime (the writer thread included) on a
//! test backend; real files in a temp dir.

use ratatui::crossterm::event::KeyCode;
use rcs_composer::tui::app::Overlay;
use rcs_composer::tui::harness::Harness;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const TEXT: &str = include_str!("../assets/examples/text.json");

/// The app on the draft at `path` as the real loop starts it (its lock taken, its file's
/// content remembered).
fn open(path: &Path) -> Harness {
    let doc: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut h = Harness::new(path.to_path_buf(), doc, true, 140, 34);
    h.start();
    h
}

fn source_of(path: &Path) -> String {
    let doc: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    doc["source"].as_str().unwrap().to_string()
}

/// The conflict files beside `path`.
fn conflict_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".conflict-"))
        .collect();
    v.sort();
    v
}

/// Types `text` at the end of the source field (the second row).
fn type_in_source(h: &mut Harness, text: &str) {
    if h.app.form.focus != 1 {
        h.app.form.focus = 0;
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::End);
    h.type_str(text);
}

/// Failed before: both instances said "saved" and the last writer won silently.
#[test]
fn two_instances_on_one_draft_keep_both_versions_and_the_second_is_told_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.json");
    fs::write(&path, TEXT).unwrap();
    let mut a = open(&path);
    let mut b = open(&path);
    assert_eq!(a.app.save.held_by, None);
    assert_eq!(b.app.save.held_by, Some(std::process::id()));
    let screen = b.screen();
    assert!(
        screen.contains("is open in another rcs-composer (pid"),
        "{screen}"
    );

    type_in_source(&mut b, "B");
    b.sync();
    type_in_source(&mut a, "A");
    a.autosave();
    a.sync();
    assert_eq!(source_of(&path), "CONVEYA");

    // b's save finds the file changed: its version goes beside it, a's stays.
    b.autosave();
    b.sync();
    assert_eq!(source_of(&path), "CONVEYA");
    let copies = conflict_files(dir.path());
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(source_of(&copies[0]), "CONVEYB");
    let name = copies[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("d.conflict-") && name.ends_with(".json"),
        "{name}"
    );
    let c = b.app.save.conflict.as_ref().expect("a conflict");
    assert_eq!(c.ours, copies[0]);
    assert!(matches!(b.app.overlay, Some(Overlay::Picker(_))));
    let screen = b.screen();
    assert!(
        screen.contains("The draft was changed by someone else"),
        "{screen}"
    );
    assert!(
        screen.contains("changed on disk by the rcs-composer with pid"),
        "{screen}"
    );

    // Later: go on editing; ours keeps being saved in the conflict file, and only there.
    b.press(KeyCode::Enter);
    type_in_source(&mut b, "C");
    b.autosave();
    b.sync();
    assert_eq!(source_of(&copies[0]), "CONVEYBC");
    assert_eq!(source_of(&path), "CONVEYA");
    assert_eq!(conflict_files(dir.path()).len(), 1);
    assert!(!b.app.unsaved());

    // Ctrl-S shows the choices again; Overwrite writes ours over the file, deliberately.
    b.ctrl('s');
    assert!(matches!(b.app.overlay, Some(Overlay::Picker(_))));
    b.press(KeyCode::Down);
    b.press(KeyCode::Down);
    b.press(KeyCode::Enter);
    b.sync();
    assert_eq!(source_of(&path), "CONVEYBC");
    assert!(b.app.save.conflict.is_none());
    assert!(
        b.screen().contains("Wrote this version over"),
        "{}",
        b.screen()
    );

    // a had nothing unsaved: its next key finds b's write and reloads it.
    a.app.save.last_check = None;
    a.press(KeyCode::Right);
    a.sync();
    assert_eq!(a.app.doc["source"], "CONVEYBC");
    let screen = a.screen();
    assert!(screen.contains("reloaded it"), "{screen}");
    assert!(!a.app.unsaved());
}

/// Failed before: a draft changed by another program was written over at the next save.
#[test]
fn a_file_changed_under_the_app_is_reloaded_when_nothing_here_is_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.json");
    fs::write(&path, TEXT).unwrap();
    let mut h = open(&path);
    let theirs = TEXT.replace("\"CONVEY\"", "\"EDITED\"");
    fs::write(&path, &theirs).unwrap();
    h.app.save.last_check = None;
    h.press(KeyCode::Down);
    h.sync();
    assert_eq!(h.app.doc["source"], "EDITED");
    let screen = h.screen();
    assert!(
        screen.contains("e.json was changed on disk by another program; reloaded it"),
        "{screen}"
    );
    // Ctrl-Z brings back what was here; saving it then is deliberate.
    h.ctrl('z');
    assert_eq!(h.app.doc["source"], "CONVEY");
    h.autosave();
    h.sync();
    assert_eq!(source_of(&path), "CONVEY");
    assert!(conflict_files(dir.path()).is_empty());
}

#[test]
fn reload_takes_theirs_and_keeps_ours_in_the_conflict_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.json");
    fs::write(&path, TEXT).unwrap();
    let mut h = open(&path);
    type_in_source(&mut h, "MINE");
    h.sync();
    fs::write(&path, TEXT.replace("\"CONVEY\"", "\"THEIRS\"")).unwrap();
    h.autosave();
    h.sync();
    let copies = conflict_files(dir.path());
    assert_eq!(copies.len(), 1);
    // Reload is the second choice.
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.sync();
    assert_eq!(h.app.doc["source"], "THEIRS");
    assert_eq!(source_of(&path), "THEIRS");
    assert_eq!(source_of(&copies[0]), "CONVEYMINE");
    assert!(h.app.save.conflict.is_none());
    // Typing now saves over the file as usual: it is what we last read.
    type_in_source(&mut h, "2");
    h.autosave();
    h.sync();
    assert_eq!(source_of(&path), "THEIRS2");
    assert_eq!(conflict_files(dir.path()).len(), 1);
}

/// A file that is no draft any more is not loaded; our next change goes beside it.
#[test]
fn a_file_overwritten_with_garbage_is_not_loaded_and_ours_is_kept_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    fs::write(&path, TEXT).unwrap();
    let mut h = open(&path);
    fs::write(&path, "not json").unwrap();
    h.app.save.last_check = None;
    h.press(KeyCode::Down);
    h.sync();
    assert!(h.screen().contains("is not a draft now"), "{}", h.screen());
    assert_eq!(h.app.doc["source"], "CONVEY");
    type_in_source(&mut h, "X");
    h.autosave();
    h.sync();
    assert_eq!(fs::read_to_string(&path).unwrap(), "not json");
    let copies = conflict_files(dir.path());
    assert_eq!(copies.len(), 1);
    assert_eq!(source_of(&copies[0]), "CONVEYX");
}

#[test]
fn a_stale_lock_is_taken_over_without_a_word_and_removed_on_exit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    fs::write(&path, TEXT).unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let lock = dir.path().join(".s.json.lock");
    fs::write(&lock, format!("{dead} 1 gone\n")).unwrap();
    let mut h = open(&path);
    assert_eq!(h.app.save.held_by, None);
    assert!(!h.screen().contains("is open in another"), "{}", h.screen());
    let held = fs::read_to_string(&lock).unwrap();
    assert!(
        held.starts_with(&format!("{} ", std::process::id())),
        "{held}"
    );
    h.act(rcs_composer::tui::action::Action::Quit);
    h.rt.finish(&mut h.app);
    assert!(!lock.exists());
}

/// A 0600 draft stays 0600 through the app's saves, and a symlinked draft is edited
/// through its link.
#[cfg(unix)]
#[test]
fn the_app_keeps_a_draft_s_mode_and_writes_through_its_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    fs::create_dir_all(&real).unwrap();
    let target = real.join("t.json");
    fs::write(&target, TEXT).unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("l.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut h = open(&link);
    type_in_source(&mut h, "L");
    h.autosave();
    h.sync();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(source_of(&target), "CONVEYL");
    let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!h.app.unsaved());
}
