//! The window's behaviour, headless, through egui_kittest and the accessibility tree: the
//! real widgets, found by their labels, over the real application core and the simulator.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use burin::ui::BurinUi;
use burin_controller::{App, AppConfig, Settings};
use burin_grbl::message::State;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn fixture(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("burin-ui-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    let p = d.join("job.svg");
    std::fs::write(
        &p,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100">
  <rect x="10" y="10" width="20" height="10" fill="none" stroke="#ff0000" stroke-width="0.1"/>
  <rect x="40" y="40" width="5" height="5" fill="#000000"/>
</svg>"##,
    )
    .expect("svg");
    p
}

fn harness(lang: &str) -> Harness<'static, BurinUi> {
    harness_with_presets(lang, None)
}

/// A window whose preset library is `presets` (`None`: the built-ins, in memory).
fn harness_with_presets(lang: &str, presets: Option<&Path>) -> Harness<'static, BurinUi> {
    let settings = Settings {
        language: Some(lang.into()),
        ..Settings::default()
    };
    let app = App::new(AppConfig {
        settings: Some(settings),
        presets_path: presets.map(Path::to_path_buf),
        ..AppConfig::for_tests(20.0)
    });
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, s: &mut BurinUi| s.ui(ui), BurinUi::new(app));
    h.step();
    h
}

/// Steps the UI in real time until `cond` holds.
fn until(h: &mut Harness<'_, BurinUi>, what: &str, cond: impl Fn(&BurinUi) -> bool) {
    let start = Instant::now();
    loop {
        h.step();
        if cond(h.state()) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "timed out waiting for {what}: {:?}",
            h.state().app.state().notices
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn open(h: &mut Harness<'_, BurinUi>, path: &Path) {
    h.get_by_label("Path").focus();
    h.step();
    h.get_by_label("Path")
        .type_text(&path.display().to_string());
    h.step();
    h.get_by_label("Open").click();
    until(h, "the design", |s| {
        s.app
            .state()
            .design
            .as_ref()
            .is_some_and(|d| d.generated.is_some() && !d.generating)
    });
}

fn connect(h: &mut Harness<'_, BurinUi>) {
    h.get_by_label("Connect").click();
    until(h, "Idle", |s| {
        s.app.state().machine.state.state == Some(State::Idle)
    });
    h.step();
    assert!(
        h.query_by_label("Idle").is_some(),
        "the state badge reads Idle"
    );
}

#[test]
fn open_shows_layers() {
    let mut h = harness("en");
    open(&mut h, &fixture("open"));
    h.step();
    assert!(h.query_all_by_label("#ff0000").count() >= 1);
    assert!(h.query_all_by_label("#000000").count() >= 1);
    assert!(h.query_by_label("Safety checks passed").is_some());
}

#[test]
fn open_a_corpus_card_deck_shows_its_layers() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/svg");
    if !corpus.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "corpus missing in CI");
        eprintln!("skipping: no corpus at {}", corpus.display());
        return;
    }
    let mut h = harness("en");
    open(&mut h, &corpus.join("boxes_TrayInsert_3x4.svg"));
    h.step();
    let n = h
        .state()
        .app
        .state()
        .design
        .as_ref()
        .map_or(0, |d| d.layers.len());
    assert!(n >= 1);
    let first = h
        .state()
        .app
        .state()
        .design
        .as_ref()
        .map(|d| d.layers[0].name.clone());
    assert!(h.query_all_by_label(&first.expect("a layer")).count() >= 1);
}

#[test]
fn connect_jog_frame_and_run_a_job() {
    let mut h = harness("en");
    open(&mut h, &fixture("job"));
    connect(&mut h);

    // Jog +X by 10 mm.
    h.get_by_label("10").click();
    h.step();
    h.get_by_label("Jog X+").click();
    until(&mut h, "X = 10", |s| {
        let m = &s.app.state().machine;
        m.state.state == Some(State::Idle)
            && m.work_pos().is_some_and(|p| (p[0] - 10.0).abs() < 1e-9)
    });
    h.step();
    assert!(
        h.query_all_by_label("10.000").count() >= 1,
        "work X reads 10.000"
    );

    // Frame at the cap.
    h.get_by_label("Frame").click();
    until(&mut h, "frame done", |s| {
        s.app
            .state()
            .machine
            .last_job
            .as_ref()
            .is_some_and(|j| j.framing)
            && s.app.state().machine.job.is_none()
    });
    let cap = 0.05 * 1000.0;
    {
        let sim = h.state().app.sim().expect("sim").lock();
        assert!(
            sim.burn_log().max_power_s <= cap,
            "{}",
            sim.burn_log().max_power_s
        );
    }

    // Start, pause (laser off), resume, run to the end.
    h.get_by_label("Start").click();
    h.step();
    assert!(h.state().app.state().machine.job.is_some());
    h.get_by_label("Pause").click();
    until(&mut h, "Hold", |s| {
        s.app.state().machine.state.state == Some(State::Hold(0))
    });
    assert_eq!(
        h.state().app.sim().expect("sim").lock().laser_power_s(),
        0.0
    );
    h.step();
    h.get_by_label("Resume").click();
    let mut most = 0.0f64;
    let start = Instant::now();
    while h.state().app.state().machine.job.is_some() {
        h.step();
        if let Some(j) = &h.state().app.state().machine.job {
            most = most.max(j.fraction);
        }
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    let last = h
        .state()
        .app
        .state()
        .machine
        .last_job
        .clone()
        .expect("outcome");
    assert!(last.finished, "{last:?}");
    assert!(most > 0.3, "progress moved during the job: {most}");
    assert_eq!(last.fraction, 1.0, "progress reached 100 %");
    h.step();
    assert!(
        h.query_all_by_label_contains("Job finished").count() >= 1,
        "the outcome is shown"
    );
}

#[test]
fn stop_mid_job_turns_the_laser_off() {
    let mut h = harness("en");
    open(&mut h, &fixture("stop"));
    // Slow the red layer so the job lasts.
    assert!(
        h.query_all_by_label("Speed").count() >= 2,
        "one speed field per layer"
    );
    {
        let app = &mut h.state_mut().app;
        let d = app.state().design.clone().expect("design");
        for l in d.layers {
            let mut op = l.operation;
            op.speed_mm_min = 200.0;
            app.handle(burin_controller::Command::EditLayer {
                colour: l.colour,
                operation: op,
            });
        }
    }
    until(&mut h, "regenerated", |s| {
        s.app.state().design.as_ref().is_some_and(|d| !d.generating)
    });
    connect(&mut h);
    h.get_by_label("Start").click();
    until(&mut h, "cutting", |s| {
        s.app
            .sim()
            .is_some_and(|sim| sim.lock().laser_power_s() > 0.0)
    });
    h.get_by_label("Stop").click();
    until(&mut h, "stopped", |s| s.app.state().machine.job.is_none());
    let sim = h.state().app.sim().expect("sim").lock();
    assert_eq!(sim.laser_power_s(), 0.0);
    assert!(!sim.burn_log().lit_during_rapid);
}

#[test]
fn french_labels() {
    let mut h = harness("en");
    assert!(h.query_by_label("Connect").is_some());
    h.state_mut()
        .cmd(burin_controller::Command::SetLanguage(Some("fr".into())));
    h.step();
    h.step();
    assert!(h.query_by_label("Connecter").is_some());
    assert!(h.query_by_label("Connect").is_none());
    assert!(h.query_by_label("Démarrer").is_some());
    assert!(h.query_by_label("Cadrer").is_some());
}

/// True when some field labelled `label` holds `value` (several panels have a "Speed").
fn field_shows(h: &Harness<'_, BurinUi>, label: &str, value: f64) -> bool {
    h.query_all_by_label(label)
        .any(|n| n.accesskit_node().numeric_value() == Some(value))
}

/// Clicks the widget labelled `label` and lets popups and windows appear.
fn click(h: &mut Harness<'_, BurinUi>, label: &str) {
    h.get_by_label(label).click();
    for _ in 0..3 {
        h.step();
    }
}

fn open_preset_manager(h: &mut Harness<'_, BurinUi>) {
    click(h, "Presets");
    click(h, "Material presets…");
}

#[test]
fn picking_a_preset_sets_the_layers_speed_and_power() {
    let svg = fixture("preset-pick");
    let library = svg.with_file_name("presets.toml");
    std::fs::write(
        &library,
        "version = 1\n\n[[preset]]\nname = \"Test birch 3 mm cut\"\nmaterial = \"Birch\"\n\
         thickness_mm = 3.0\nmode = \"cut\"\nspeed_mm_min = 456.0\npower_max_pct = 78.0\n",
    )
    .expect("library");
    let mut h = harness_with_presets("en", Some(&library));
    open(&mut h, &svg);
    h.step();
    assert!(!field_shows(&h, "Speed", 456.0));
    // The first layer (the red outline, a cut) is the one shown in full.
    click(&mut h, "Preset");
    h.get_by_label("Test birch 3 mm cut").click();
    until(&mut h, "regenerated", |s| {
        s.app.state().design.as_ref().is_some_and(|d| !d.generating)
    });
    h.step();
    assert!(field_shows(&h, "Speed", 456.0), "the speed field reads 456");
    assert!(field_shows(&h, "Power", 78.0), "the power field reads 78");
    assert_eq!(
        h.get_by_label("Preset").value().as_deref(),
        Some("Test birch 3 mm cut"),
        "the picker names the preset the layer uses"
    );
    let program = h
        .state()
        .app
        .state()
        .design
        .as_ref()
        .and_then(|d| d.generated.clone())
        .expect("generated");
    assert!(program.lines.as_str().contains("F456"));
}

#[test]
fn a_layer_saved_as_preset_is_found_in_the_manager() {
    let svg = fixture("preset-save");
    let library = svg.with_file_name("presets.toml");
    let mut h = harness_with_presets("en", Some(&library));
    open(&mut h, &svg);
    click(&mut h, "Save layer as preset…");
    h.get_by_label("Name")
        .set_text_value_accesskit("Kraft 2 mm score");
    h.get_by_label("Material").set_text_value_accesskit("Kraft");
    h.get_by_label("Thickness (mm)")
        .set_text_value_accesskit("2");
    h.step();
    h.step();
    h.get_by_label("Save preset").click();
    h.step();
    h.step();
    assert!(
        h.query_by_label("Save preset").is_none(),
        "the window closed"
    );
    let text = std::fs::read_to_string(&library).expect("the library was written");
    assert!(text.contains("Kraft 2 mm score"), "{text}");

    open_preset_manager(&mut h);
    h.get_by_label("Search")
        .set_text_value_accesskit("kraft 2 mm");
    h.step();
    h.step();
    let total = burin_design::Library::builtin().presets.len() + 1;
    assert!(
        h.query_by_label(&format!("1 of {total} presets")).is_some(),
        "the search finds it alone"
    );
    assert!(h.query_all_by_label("Kraft 2 mm score").count() >= 1);
    assert!(h.query_by_label("Plywood 3 mm cut (diode)").is_none());
}

#[test]
fn the_manager_search_narrows_the_list_and_delete_asks_first() {
    let mut h = harness("en");
    let builtin = burin_design::Library::builtin();
    let total = builtin.presets.len();
    open_preset_manager(&mut h);
    assert!(
        h.query_by_label(&format!("{total} of {total} presets"))
            .is_some()
    );
    assert!(h.query_by_label("Plywood 3 mm cut (diode)").is_some());

    h.get_by_label("Search")
        .set_text_value_accesskit("mdf 6 mm");
    h.step();
    h.step();
    let shown = builtin.search("mdf 6 mm").len();
    assert!(shown >= 2 && shown < total, "{shown}");
    assert!(
        h.query_by_label(&format!("{shown} of {total} presets"))
            .is_some()
    );
    assert!(h.query_by_label("Plywood 3 mm cut (diode)").is_none());
    assert!(h.query_by_label("MDF 6 mm cut (diode)").is_some());

    // Show its values, then delete it: nothing goes before the confirmation.
    click(&mut h, "MDF 6 mm cut (diode)");
    let p = builtin.find("MDF 6 mm cut (diode)").expect("builtin");
    assert!(field_shows(&h, "Speed (mm/min)", p.speed_mm_min));
    assert!(field_shows(&h, "Max power (%)", p.power_max_pct));
    click(&mut h, "Delete…");
    assert_eq!(h.state().app.state().presets.library.presets.len(), total);
    click(&mut h, "Delete");
    assert_eq!(
        h.state().app.state().presets.library.presets.len(),
        total - 1
    );
    assert!(
        h.query_by_label(&format!("{} of {} presets", shown - 1, total - 1))
            .is_some()
    );
}

/// Every key the window, the application core and the catalogue tests name exists in both
/// languages.
#[test]
fn every_key_used_in_the_code_is_translated() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    for dir in ["src/ui", "crates/controller/src/app"] {
        for e in std::fs::read_dir(root.join(dir)).expect("dir") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "rs") {
                sources.push(std::fs::read_to_string(&p).expect("read"));
            }
        }
    }
    let mut keys = std::collections::BTreeSet::new();
    for src in &sources {
        for (i, _) in src.match_indices('"') {
            let rest = &src[i + 1..];
            let Some(end) = rest.find('"') else { continue };
            let k = &rest[..end];
            let is_key = [
                "notice-",
                "menu-",
                "view-",
                "layer-",
                "mode-",
                "origin-",
                "anchor-",
                "jog-",
                "override-",
                "grbl-state-",
                "settings-table",
                "job-",
                "port-",
                "preflight-",
                "preset",
                "open-",
                "filter-",
                "status-",
                "language",
            ]
            .iter()
            .any(|p| k.starts_with(p))
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if is_key {
                keys.insert(k.to_string());
            }
        }
    }
    // Widget ids that share the prefixes but are not texts.
    for id in ["jog-pad", "anchor-grid", "layer-list"] {
        keys.remove(id);
    }
    // Keys built at run time.
    for d in burin_design::DitherKind::ALL {
        keys.insert(format!("dither-{}", d.name()));
    }
    assert!(keys.len() > 60, "{}", keys.len());
    for lang in burin_i18n::Lang::ALL {
        let c = burin_i18n::Catalog::new(lang);
        let missing: Vec<_> = keys.iter().filter(|k| !c.has(k)).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
    }
    assert!(burin_i18n::missing_translations().is_empty());
}
