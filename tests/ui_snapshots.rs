//! Reference images of the key panels (egui_kittest + wgpu on a software renderer).
//! Regenerate with `UPDATE_SNAPSHOTS=1 cargo test --test ui_snapshots` and review the PNGs
//! in tests/snapshots. Skipped with a note when no renderer is available; a failure when
//! `CI` is set.

use std::time::{Duration, Instant};

use burin::ui::BurinUi;
use burin_controller::{App, AppConfig, Command, Settings};
use burin_grbl::message::State;
use egui_kittest::Harness;

fn ui_state() -> BurinUi {
    let settings = Settings {
        language: Some("en".into()),
        ..Settings::default()
    };
    BurinUi::new(App::new(AppConfig {
        settings: Some(settings),
        ..AppConfig::for_tests(20.0)
    }))
}

fn svg() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("burin-snap-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("dir");
    let p = d.join("job.svg");
    std::fs::write(
        &p,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100">
  <circle cx="30" cy="30" r="20" fill="none" stroke="#ff0000" stroke-width="0.1"/>
  <rect x="55" y="55" width="30" height="20" fill="#0000ff"/>
</svg>"##,
    )
    .expect("svg");
    p
}

fn wait(h: &mut Harness<'_, BurinUi>, cond: impl Fn(&BurinUi) -> bool) {
    let start = Instant::now();
    while !cond(h.state()) {
        h.step();
        assert!(start.elapsed() < Duration::from_secs(30), "timed out");
        std::thread::sleep(Duration::from_millis(5));
    }
    h.step();
    h.step();
}

/// True if a renderer works here; otherwise prints why (or fails in CI).
fn renderer_available(h: &mut Harness<'_, BurinUi>) -> bool {
    // Without an adapter kittest's renderer panics while it is created: catch that too.
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h.render()))
        .unwrap_or_else(|p| {
            Err(p
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "the renderer panicked".into()))
        });
    match rendered {
        Ok(_) => true,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "no renderer in CI: {e}");
            eprintln!(
                "skipping snapshots: no wgpu renderer ({e}); apt install mesa-vulkan-drivers"
            );
            false
        }
    }
}

#[test]
fn panels() {
    let mut state = ui_state();
    state.cmd(Command::OpenFile(svg()));
    let mut h = Harness::builder()
        .with_size(egui::vec2(330.0, 640.0))
        .build_ui_state(
            |ui, s: &mut BurinUi| {
                s.poll();
                s.layers_ui(ui)
            },
            state,
        );
    wait(&mut h, |s| {
        s.app
            .state()
            .design
            .as_ref()
            .is_some_and(|d| d.generated.is_some() && !d.generating)
    });
    if !renderer_available(&mut h) {
        return;
    }
    let mut results = egui_kittest::SnapshotResults::new();
    h.snapshot("layers_panel");
    results.extend_harness(&mut h);

    let mut state = h.into_state();
    state.cmd(Command::Connect { port: "sim".into() });
    let mut h = Harness::builder()
        .with_size(egui::vec2(300.0, 620.0))
        .build_ui_state(
            |ui, s: &mut BurinUi| {
                s.poll();
                s.machine_ui(ui)
            },
            state,
        );
    wait(&mut h, |s| {
        s.app.state().machine.state.state == Some(State::Idle)
    });
    h.snapshot("machine_panel");
    results.extend_harness(&mut h);

    let mut h = Harness::builder()
        .with_size(egui::vec2(600.0, 500.0))
        .build_ui_state(
            |ui, s: &mut BurinUi| {
                s.poll();
                s.bed_ui(ui)
            },
            h.into_state(),
        );
    h.step();
    h.step();
    h.snapshot("bed_with_toolpath");
    results.extend_harness(&mut h);
    results.unwrap();
}
