//! Material presets in the application core, headless: applying one to a layer, saving a
//! layer as one, editing and deleting, and starting with a library file that is broken.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use burin_controller::app::Level;
use burin_controller::{App, AppConfig, Command, LoadSource};
use burin_design::{Library, Mode, Rgb};

const RED: Rgb = Rgb(0xff, 0, 0);
const BLACK: Rgb = Rgb(0, 0, 0);

/// A library with one preset of each kind, with numbers no default uses.
const LIBRARY: &str = r#"version = 1

[[preset]]
name = "Test birch 3 mm cut"
material = "Birch"
thickness_mm = 3.0
mode = "cut"
speed_mm_min = 456.0
power_max_pct = 78.0

[[preset]]
name = "Test birch fill"
material = "Birch"
mode = "fill"
speed_mm_min = 2345.0
power_max_pct = 21.0
interval_mm = 0.2

[[preset]]
name = "Test photo"
material = "Birch"
mode = "image"
speed_mm_min = 3000.0
power_max_pct = 40.0
"#;

/// A 20 x 10 mm red outline and a black filled 5 mm square, on a 100 x 100 mm page.
fn write_svg(dir: &Path) -> PathBuf {
    let p = dir.join("job.svg");
    std::fs::write(
        &p,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100">
  <rect x="10" y="10" width="20" height="10" fill="none" stroke="#ff0000" stroke-width="0.1"/>
  <rect x="40" y="40" width="5" height="5" fill="#000000"/>
</svg>"##,
    )
    .unwrap();
    p
}

fn app_with_presets(path: &Path) -> App {
    App::new(AppConfig {
        presets_path: Some(path.to_path_buf()),
        ..AppConfig::for_tests(20.0)
    })
}

fn wait_generated(app: &mut App) {
    let start = Instant::now();
    loop {
        app.poll(Instant::now());
        if app
            .state()
            .design
            .as_ref()
            .is_some_and(|d| !d.generating && d.generated.is_some())
        {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out; notices: {:?}",
            app.state().notices
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn open(app: &mut App, dir: &Path) {
    app.handle(Command::OpenFile(write_svg(dir)));
    wait_generated(app);
}

fn program(app: &App) -> String {
    let g = app
        .state()
        .design
        .as_ref()
        .unwrap()
        .generated
        .clone()
        .unwrap();
    g.lines.as_str().to_string()
}

/// The program section of one layer (from its `; layer` comment to the next).
fn layer_section(program: &str, colour: &str) -> String {
    let start = program
        .find(&format!("; layer {colour}"))
        .unwrap_or_else(|| panic!("no layer {colour} in:\n{program}"));
    let rest = &program[start + 1..];
    let end = rest.find("; layer").map_or(rest.len(), |i| i + 1);
    rest[..end].to_string()
}

fn last_notice(app: &App) -> (&'static str, Vec<(&'static str, String)>) {
    let n = app.state().notices.last().unwrap();
    (n.key, n.args.clone())
}

fn layer_op(app: &App, colour: Rgb) -> burin_design::Operation {
    let d = app.state().design.as_ref().unwrap();
    d.layers
        .iter()
        .find(|l| l.colour == colour)
        .unwrap()
        .operation
}

fn layer_preset(app: &App, colour: Rgb) -> Option<String> {
    let d = app.state().design.as_ref().unwrap();
    d.layers
        .iter()
        .find(|l| l.colour == colour)
        .unwrap()
        .preset
        .clone()
}

#[test]
fn applying_a_preset_changes_the_programs_feed_and_power() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("presets.toml");
    std::fs::write(&path, LIBRARY).unwrap();
    let mut app = app_with_presets(&path);
    assert_eq!(app.state().presets.source, LoadSource::File);
    assert_eq!(app.state().presets.library.presets.len(), 3);
    open(&mut app, dir.path());
    let before = program(&app);
    assert!(!before.contains("F456"), "{before}");

    app.handle(Command::ApplyPreset {
        colour: RED,
        name: "test birch 3 MM cut".into(), // found ignoring case
    });
    assert_eq!(last_notice(&app).0, "notice-preset-applied");
    assert!(app.state().design.as_ref().unwrap().generating);
    wait_generated(&mut app);
    let op = layer_op(&app, RED);
    assert_eq!(
        (op.mode, op.speed_mm_min, op.power_max_pct),
        (Mode::Line, 456.0, 78.0)
    );
    assert_eq!(
        layer_preset(&app, RED).as_deref(),
        Some("Test birch 3 mm cut")
    );
    let red = layer_section(&program(&app), "#ff0000");
    // $30 = 1000 by default: 78 % is S780.
    assert!(red.contains("F456") && red.contains("S780"), "{red}");

    app.handle(Command::ApplyPreset {
        colour: BLACK,
        name: "Test birch fill".into(),
    });
    wait_generated(&mut app);
    let op = layer_op(&app, BLACK);
    assert_eq!((op.mode, op.fill.interval_mm), (Mode::Fill, 0.2));
    let black = layer_section(&program(&app), "#000000");
    assert!(black.contains("F2345") && black.contains("S210"), "{black}");
    // The other layer keeps what it was given.
    assert!(layer_section(&program(&app), "#ff0000").contains("F456"));

    // The layer is said to use the preset until it is changed away from it.
    let mut op = layer_op(&app, RED);
    op.output = false; // not something a preset sets
    app.handle(Command::EditLayer {
        colour: RED,
        operation: op,
    });
    assert_eq!(
        layer_preset(&app, RED).as_deref(),
        Some("Test birch 3 mm cut")
    );
    op.speed_mm_min = 500.0;
    app.handle(Command::EditLayer {
        colour: RED,
        operation: op,
    });
    assert_eq!(layer_preset(&app, RED), None);
    assert_eq!(
        layer_preset(&app, BLACK).as_deref(),
        Some("Test birch fill")
    );
}

#[test]
fn presets_that_do_not_fit_the_layer_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("presets.toml");
    std::fs::write(&path, LIBRARY).unwrap();
    let mut app = app_with_presets(&path);
    open(&mut app, dir.path());
    let op = layer_op(&app, RED);

    app.handle(Command::ApplyPreset {
        colour: RED,
        name: "Test photo".into(),
    });
    let (key, args) = last_notice(&app);
    assert_eq!(key, "notice-preset-wrong-mode");
    assert!(args.contains(&("layer", "#ff0000".into())), "{args:?}");
    app.handle(Command::ApplyPreset {
        colour: RED,
        name: "No such preset".into(),
    });
    assert_eq!(last_notice(&app).0, "notice-preset-not-found");
    assert_eq!(layer_op(&app, RED), op, "the layer is unchanged");
    assert!(!app.state().design.as_ref().unwrap().generating);
}

#[test]
fn saving_a_layer_writes_the_file_and_survives_a_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config").join("presets.toml");
    let mut app = app_with_presets(&path);
    assert_eq!(app.state().presets.source, LoadSource::Builtin);
    assert_eq!(app.state().presets.library, Library::builtin());
    assert!(!path.exists(), "loading writes nothing");
    open(&mut app, dir.path());
    let mut op = layer_op(&app, RED);
    op.speed_mm_min = 777.0;
    op.power_max_pct = 33.0;
    op.passes = 2;
    app.handle(Command::EditLayer {
        colour: RED,
        operation: op,
    });
    app.handle(Command::SaveLayerAsPreset {
        colour: RED,
        name: " Bouleau 4 mm découpe ".into(),
        material: "Contreplaqué bouleau".into(),
        thickness_mm: Some(4.0),
        machine: "10 W diode".into(),
        notes: "two passes".into(),
    });
    assert_eq!(
        last_notice(&app),
        (
            "notice-preset-saved",
            vec![("name", "Bouleau 4 mm découpe".to_string())]
        )
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Contreplaqué bouleau"), "{text}");
    assert_eq!(
        layer_preset(&app, RED).as_deref(),
        Some("Bouleau 4 mm découpe"),
        "the layer now uses the preset it was saved as"
    );
    let builtin = Library::builtin().presets.len();
    assert_eq!(app.state().presets.library.presets.len(), builtin + 1);
    drop(app);

    let mut app = app_with_presets(&path);
    let p = app.state().presets.clone();
    assert_eq!((p.source, p.load_error), (LoadSource::File, None));
    let saved = p.library.find("Bouleau 4 mm découpe").unwrap();
    assert_eq!(saved.material, "Contreplaqué bouleau");
    assert_eq!(saved.thickness_mm, Some(4.0));
    assert_eq!(saved.machine, "10 W diode");
    assert_eq!(saved.notes, "two passes");
    assert_eq!(
        (
            saved.mode,
            saved.speed_mm_min,
            saved.power_max_pct,
            saved.passes
        ),
        (Mode::Line, 777.0, 33.0, 2)
    );
    assert_eq!(p.library.search("bouleau 4 mm").len(), 1);

    // The same name again replaces it; the previous file is kept as .bak.
    open(&mut app, dir.path());
    app.handle(Command::SaveLayerAsPreset {
        colour: RED,
        name: "bouleau 4 mm DÉCOUPE".into(),
        material: "Contreplaqué bouleau".into(),
        thickness_mm: None,
        machine: String::new(),
        notes: String::new(),
    });
    assert_eq!(last_notice(&app).0, "notice-preset-replaced");
    assert_eq!(app.state().presets.library.presets.len(), builtin + 1);
    assert!(path.with_file_name("presets.toml.bak").exists());

    // Edit (renamed), then delete; each survives a reload.
    let mut edited = app
        .state()
        .presets
        .library
        .find("bouleau 4 mm découpe")
        .cloned()
        .unwrap();
    edited.name = "Birch 4 mm cut".into();
    edited.speed_mm_min = 600.0;
    app.handle(Command::UpdatePreset {
        name: "bouleau 4 mm DÉCOUPE".into(),
        preset: edited,
    });
    assert_eq!(last_notice(&app).0, "notice-preset-updated");
    let reloaded = app_with_presets(&path);
    let lib = &reloaded.state().presets.library;
    assert!(lib.find("bouleau 4 mm découpe").is_none());
    assert_eq!(lib.find("Birch 4 mm cut").unwrap().speed_mm_min, 600.0);

    app.handle(Command::DeletePreset {
        name: "Birch 4 mm cut".into(),
    });
    assert_eq!(last_notice(&app).0, "notice-preset-deleted");
    let reloaded = app_with_presets(&path);
    assert_eq!(reloaded.state().presets.library, Library::builtin());
}

#[test]
fn invalid_presets_are_refused_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("presets.toml");
    let mut app = app_with_presets(&path);
    open(&mut app, dir.path());
    app.handle(Command::SaveLayerAsPreset {
        colour: RED,
        name: "  ".into(),
        material: String::new(),
        thickness_mm: Some(-1.0),
        machine: String::new(),
        notes: String::new(),
    });
    let (key, args) = last_notice(&app);
    assert_eq!(key, "notice-preset-invalid");
    assert!(args[0].1.contains("name is empty"), "{args:?}");
    let mut p = app.state().presets.library.presets[0].clone();
    let first = p.name.clone();
    p.name = app.state().presets.library.presets[1].name.clone();
    app.handle(Command::UpdatePreset {
        name: first,
        preset: p,
    });
    assert_eq!(last_notice(&app).0, "notice-preset-invalid");
    app.handle(Command::DeletePreset {
        name: "No such preset".into(),
    });
    assert_eq!(last_notice(&app).0, "notice-preset-not-found");
    assert!(!path.exists(), "nothing changed, nothing written");
}

#[test]
fn a_corrupt_library_is_reported_and_kept_and_the_app_starts_with_the_builtins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("presets.toml");
    let broken = LIBRARY.replace("speed_mm_min = 2345.0", "speed_mm_min = 2345.0.0");
    let line = broken.lines().position(|l| l.contains("2345.0.0")).unwrap() + 1;
    std::fs::write(&path, &broken).unwrap();

    let mut app = app_with_presets(&path);
    let p = app.state().presets.clone();
    assert_eq!(p.source, LoadSource::Builtin);
    assert_eq!(p.library, Library::builtin());
    let error = p.load_error.unwrap();
    assert!(error.contains(&format!("line {line}")), "{error}");
    let n = app.state().notices.last().unwrap();
    assert_eq!(
        (n.level, n.key),
        (Level::Error, "notice-presets-unreadable-builtin")
    );
    assert!(n.args[0].1.contains(&format!("line {line}")), "{n:?}");
    let copy = p.corrupt_copy.unwrap();
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), broken);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "starting does not touch the broken file"
    );

    // The first change writes a good library; the broken one is still kept aside.
    let name = Library::builtin().presets[0].name.clone();
    app.handle(Command::DeletePreset { name: name.clone() });
    assert_eq!(last_notice(&app).0, "notice-preset-deleted");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), broken);
    let reloaded = app_with_presets(&path);
    let p = &reloaded.state().presets;
    assert_eq!((p.source, &p.load_error), (LoadSource::File, &None));
    assert!(p.library.find(&name).is_none());
    assert!(app.state().presets.load_error.is_none());
}

#[test]
fn a_corrupt_library_with_a_backup_uses_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("presets.toml");
    std::fs::write(dir.path().join("presets.toml.bak"), LIBRARY).unwrap();
    std::fs::write(&path, "version = 1\n\n[[preset]\nname = \"x\"\n").unwrap();
    let app = app_with_presets(&path);
    let p = &app.state().presets;
    assert_eq!(p.source, LoadSource::Backup);
    assert!(p.library.find("Test birch fill").is_some());
    assert!(p.load_error.as_deref().unwrap().contains("line 3"), "{p:?}");
    assert_eq!(
        app.state().notices.last().unwrap().key,
        "notice-presets-unreadable-backup"
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("version = 1\n\n[[preset]\n")
    );
}

#[test]
fn a_library_from_a_newer_burin_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("presets.toml");
    let newer = "version = 99\n\n[[preset]]\nname = \"future\"\n";
    std::fs::write(&path, newer).unwrap();
    let mut app = app_with_presets(&path);
    assert_eq!(app.state().presets.source, LoadSource::Builtin);
    assert!(
        app.state()
            .presets
            .load_error
            .as_deref()
            .unwrap()
            .contains("newer Burin")
    );
    let name = Library::builtin().presets[0].name.clone();
    app.handle(Command::DeletePreset { name });
    let (key, _) = last_notice(&app);
    assert_eq!(key, "notice-presets-not-saved");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);
    // Kept for the session even though it could not be saved.
    assert_eq!(
        app.state().presets.library.presets.len(),
        Library::builtin().presets.len() - 1
    );
}

#[test]
fn tests_keep_the_builtins_in_memory() {
    let app = App::new(AppConfig::for_tests(1.0));
    let p = &app.state().presets;
    assert_eq!((p.path.as_ref(), p.source), (None, LoadSource::Builtin));
    assert_eq!(p.library, Library::builtin());
}
