#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use super::*;
use burin_design::{Mode, Preset};

fn mine(name: &str) -> Preset {
    Preset {
        material: "Contreplaqué peuplier".into(),
        thickness_mm: Some(3.0),
        ..Preset::new(name, Mode::Line)
    }
}

fn dir() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("burin").join("presets.toml");
    (d, path)
}

fn files(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn missing_file_gives_the_builtins_and_writes_nothing() {
    let (_d, path) = dir();
    let out = PresetStore::load(&path);
    assert_eq!(out.source, LoadSource::Builtin);
    assert!(out.error.is_none() && out.warnings.is_empty());
    assert_eq!(*out.store.library(), Library::builtin());
    assert!(!path.exists());
}

#[test]
fn round_trip_and_backup_of_the_previous_save() {
    let (_d, path) = dir();
    let mut store = PresetStore::load(&path).store;
    store.library_mut().add(mine("Peuplier 3 mm")).unwrap();
    let first = store.save().unwrap();
    assert_eq!(first, Saved::default(), "nothing to back up the first time");
    let first_text = std::fs::read_to_string(&path).unwrap();

    let out = PresetStore::load(&path);
    assert_eq!(out.source, LoadSource::File);
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.store.library(), store.library());

    let mut store = out.store;
    store.library_mut().remove("Peuplier 3 mm").unwrap();
    let second = store.save().unwrap();
    let bak = path.with_file_name("presets.toml.bak");
    assert_eq!(second.backup.as_deref(), Some(bak.as_path()));
    assert_eq!(std::fs::read_to_string(&bak).unwrap(), first_text);
    assert!(
        PresetStore::load(&path)
            .store
            .library()
            .find("Peuplier 3 mm")
            .is_none()
    );
    assert_eq!(
        files(&path),
        ["presets.toml", "presets.toml.bak"],
        "no temporary file left"
    );
}

#[test]
fn corrupt_file_is_reported_kept_and_replaced_only_after_a_copy() {
    let (_d, path) = dir();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let broken = "version = 1\n\n[[preset]]\nname = \"A\nmode = \"cut\"\n";
    std::fs::write(&path, broken).unwrap();

    let out = PresetStore::load(&path);
    assert_eq!(out.source, LoadSource::Builtin, "no backup yet");
    let e = out.error.as_ref().unwrap().to_string();
    assert!(e.contains("presets.toml: line 4:"), "{e}");
    let copy = out.corrupt_copy.clone().unwrap();
    assert_eq!(copy, path.with_file_name("presets.toml.corrupt-1"));
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), broken);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "left untouched"
    );

    // Loading again reuses the identical copy instead of piling up new ones.
    assert_eq!(PresetStore::load(&path).corrupt_copy, Some(copy.clone()));

    let mut store = out.store;
    store.library_mut().add(mine("Peuplier 3 mm")).unwrap();
    let saved = store.save().unwrap();
    assert_eq!(saved.corrupt_copy, Some(copy.clone()));
    assert_eq!(saved.backup, None, "a broken file is not a backup");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), broken);
    let now = PresetStore::load(&path);
    assert_eq!(now.source, LoadSource::File);
    assert!(now.store.library().find("Peuplier 3 mm").is_some());
    assert_eq!(
        files(&path),
        ["presets.toml", "presets.toml.corrupt-1"],
        "no .bak made from the broken file"
    );
}

#[test]
fn broken_file_falls_back_to_the_backup_which_survives_the_next_save() {
    let (_d, path) = dir();
    let mut lib = Library::new();
    lib.add(mine("A")).unwrap();
    PresetStore::new(&path, lib.clone()).save().unwrap();
    let mut newer = lib.clone();
    newer.add(mine("B")).unwrap();
    PresetStore::new(&path, newer).save().unwrap(); // .bak now holds {A}

    std::fs::write(&path, "version = 1\n[[preset]]\nspeed_mm_min = \"fast\"\n").unwrap();
    let out = PresetStore::load(&path);
    assert_eq!(out.source, LoadSource::Backup);
    assert_eq!(*out.store.library(), lib);
    assert!(out.error.unwrap().to_string().contains("line 3"));
    assert!(out.warnings.iter().any(|w| w.contains("using the backup")));

    let mut store = out.store;
    store.library_mut().add(mine("C")).unwrap();
    let saved = store.save().unwrap();
    assert!(saved.corrupt_copy.is_some());
    let bak = std::fs::read_to_string(path.with_file_name("presets.toml.bak")).unwrap();
    assert_eq!(
        Library::from_toml(&bak).unwrap(),
        lib,
        "the last good library is still the backup"
    );
    let names: Vec<String> = PresetStore::load(&path)
        .store
        .library()
        .presets
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["A", "C"]);
}

#[test]
fn newer_library_is_never_overwritten() {
    let (_d, path) = dir();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let future = "version = 7\n[[preset]]\nname = \"From the future\"\n";
    std::fs::write(&path, future).unwrap();
    let out = PresetStore::load(&path);
    assert_eq!(out.source, LoadSource::Builtin);
    assert!(
        out.error
            .as_ref()
            .unwrap()
            .to_string()
            .contains("newer Burin")
    );
    assert!(out.corrupt_copy.is_none());
    let e = out.store.save().unwrap_err();
    assert!(matches!(e, PresetStoreError::Refused { .. }), "{e}");
    // Even a store that didn't load it (another window) refuses to replace it.
    let e = PresetStore::new(&path, Library::new()).save().unwrap_err();
    assert!(matches!(e, PresetStoreError::Refused { .. }), "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), future);
}

#[test]
fn an_unreadable_target_is_refused_and_nothing_changes() {
    let (_d, path) = dir();
    std::fs::create_dir_all(&path).unwrap(); // a folder where the file should be
    let e = PresetStore::new(&path, Library::builtin())
        .save()
        .unwrap_err();
    assert!(matches!(e, PresetStoreError::Refused { .. }), "{e}");
    assert!(path.is_dir());
    let out = PresetStore::load(&path);
    assert_eq!(out.source, LoadSource::Builtin);
    assert!(out.error.is_some());
}

#[test]
fn old_version_loads_and_is_saved_in_the_current_one() {
    let (_d, path) = dir();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let v0 =
        "[[presets]]\nname = \"Old\"\nkind = \"engrave\"\nspeed_mm_s = 50.0\npower_pct = 20.0\n";
    std::fs::write(&path, v0).unwrap();
    let out = PresetStore::load(&path);
    assert_eq!(out.source, LoadSource::File);
    assert!(
        out.warnings.iter().any(|w| w.contains("version 0")),
        "{:?}",
        out.warnings
    );
    assert_eq!(
        out.store.library().find("Old").unwrap().speed_mm_min,
        3000.0
    );
    out.store.save().unwrap();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\nversion = 1\n")
    );
    assert_eq!(
        std::fs::read_to_string(path.with_file_name("presets.toml.bak")).unwrap(),
        v0
    );
}

#[test]
fn default_path_is_in_the_config_dir() {
    if let Some(p) = PresetStore::default_path() {
        assert!(p.ends_with("presets.toml"));
    }
}

#[test]
fn find_preset_suggests_close_names_ignoring_case() {
    let lib = Library::builtin();
    let exact = find_preset(&lib, "Plywood 3 mm cut (diode)").unwrap();
    assert_eq!(exact.name, "Plywood 3 mm cut (diode)");
    assert_eq!(
        find_preset(&lib, "plywood 3 mm cut (diode)").unwrap().name,
        exact.name
    );
    let e = find_preset(&lib, "PLYWOOD 3 mm").unwrap_err();
    assert!(
        e.close.iter().any(|n| n == "Plywood 3 mm cut (diode)"),
        "{e:?}"
    );
    assert!(
        e.close
            .iter()
            .all(|n| n.to_lowercase().contains("plywood 3 mm"))
    );
    assert!(
        e.to_string()
            .starts_with("no preset named \"PLYWOOD 3 mm\"; close names: \"")
    );
    let typo = find_preset(&lib, "plywod 3 mm cut").unwrap_err();
    assert!(!typo.close.is_empty(), "shares the word cut");
    assert!(typo.close.len() <= 8);
    let none = find_preset(&lib, "zzz").unwrap_err();
    assert!(none.close.is_empty());
    assert!(none.to_string().contains("burin presets list"));
}
