//! Every user flow of the desktop app, headless: the App against the built-in simulator
//! (its clock sped up), driven by the same commands the window sends.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use burin_controller::app::{LinkStatus, OverrideKind};
use burin_controller::{App, AppConfig, Command, OriginMode, Placement};
use burin_grbl::message::State;

/// Simulator clock factor for these tests.
const SPEED: f64 = 20.0;

fn fixture_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("burin-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

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
    .expect("write svg");
    p
}

fn wait_until(app: &mut App, what: &str, timeout: Duration, cond: impl Fn(&App) -> bool) {
    let start = Instant::now();
    loop {
        app.poll(Instant::now());
        if cond(app) {
            return;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out waiting for {what}; notices: {:?}; console tail: {:?}",
            app.state().notices,
            app.state().console.iter().rev().take(8).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn generated(app: &App) -> bool {
    app.state()
        .design
        .as_ref()
        .is_some_and(|d| !d.generating && d.generated.is_some())
}

fn idle(app: &App) -> bool {
    app.state().machine.is_connected()
        && app.state().machine.state.state == Some(State::Idle)
        && app.state().machine.job.is_none()
}

fn connected_app(dir: &Path) -> App {
    let mut app = App::new(AppConfig::for_tests(SPEED));
    app.handle(Command::OpenFile(write_svg(dir)));
    wait_until(&mut app, "the design", Duration::from_secs(20), generated);
    app.handle(Command::Connect { port: "sim".into() });
    wait_until(&mut app, "Idle", Duration::from_secs(20), idle);
    app
}

/// Sets every layer's speed, so jobs last long enough to watch.
fn set_speed(app: &mut App, speed_mm_min: f64) {
    let d = app.state().design.as_ref().expect("design");
    for l in d.layers.clone() {
        let mut op = l.operation;
        op.speed_mm_min = speed_mm_min;
        app.handle(Command::EditLayer {
            colour: l.colour,
            operation: op,
        });
    }
    wait_until(app, "regenerated", Duration::from_secs(20), generated);
}

fn work_x(app: &App) -> f64 {
    app.state().machine.work_pos().map_or(f64::NAN, |p| p[0])
}

#[test]
fn open_svg_shows_layers_and_a_checked_program() {
    let dir = fixture_dir("open");
    let mut app = App::new(AppConfig::for_tests(SPEED));
    app.handle(Command::OpenFile(write_svg(&dir)));
    wait_until(&mut app, "the design", Duration::from_secs(20), generated);
    let d = app.state().design.as_ref().expect("design");
    let names: Vec<&str> = d.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["#ff0000", "#000000"]);
    let g = d.generated.as_ref().expect("generated");
    assert!(g.preflight.is_ok(), "{:?}", g.preflight);
    assert!(!g.preview.segments.is_empty());
    assert!(g.stats.time.total_s > 0.0);
    let sum: f64 = g.line_times.iter().sum();
    assert!((sum - g.stats.time.total_s).abs() < 1e-6);
    // The 20 x 10 outline at (10, 10) from the top of a 100 mm page lands at y 70..80.
    let (lo, hi) = d.job_box_mm().expect("box");
    assert!(
        (lo[0] - 10.0).abs() < 0.1 && (hi[1] - 90.0).abs() < 0.1,
        "{lo:?} {hi:?}"
    );
    assert_eq!(app.state().settings.recent_files[0], dir.join("job.svg"));
}

#[test]
fn editing_a_layer_regenerates_in_the_background() {
    let dir = fixture_dir("edit");
    let mut app = App::new(AppConfig::for_tests(SPEED));
    app.handle(Command::OpenFile(write_svg(&dir)));
    wait_until(&mut app, "the design", Duration::from_secs(20), generated);
    let d = app.state().design.as_ref().expect("design");
    let before = d.generated.as_ref().expect("g").stats.cut_mm;
    let mut op = d.layers[1].operation;
    op.output = false;
    app.handle(Command::EditLayer {
        colour: d.layers[1].colour,
        operation: op,
    });
    assert!(app.state().design.as_ref().is_some_and(|d| d.generating));
    wait_until(&mut app, "regenerated", Duration::from_secs(20), generated);
    let after = app
        .state()
        .design
        .as_ref()
        .and_then(|d| d.generated.clone())
        .expect("g");
    assert!(
        after.stats.cut_mm < before,
        "{} vs {before}",
        after.stats.cut_mm
    );
    // 60 mm of outline remains.
    assert!(
        (after.stats.cut_mm - 60.0).abs() < 0.5,
        "{}",
        after.stats.cut_mm
    );
}

#[test]
fn broken_files_are_reported_not_fatal() {
    let dir = fixture_dir("broken");
    let mut app = App::new(AppConfig::for_tests(SPEED));
    let bad = dir.join("bad.svg");
    std::fs::write(&bad, "<svg><path d='M0 0 L").expect("w");
    app.handle(Command::OpenFile(bad));
    wait_until(&mut app, "the error", Duration::from_secs(10), |a| {
        a.state().opening.is_none()
    });
    let n = app.state().notices.last().expect("a notice");
    assert_eq!(n.key, "notice-open-failed");
    assert!(app.state().design.is_none());
    let gc = dir.join("bad.gcode");
    std::fs::write(&gc, "G1 X1 Y\u{0}\n").expect("w");
    app.handle(Command::OpenFile(gc));
    wait_until(&mut app, "the error", Duration::from_secs(10), |a| {
        a.state().opening.is_none()
    });
}

#[test]
fn connect_jog_and_origin() {
    let dir = fixture_dir("jog");
    let mut app = connected_app(&dir);
    assert!(matches!(
        app.state().machine.link,
        LinkStatus::Connected { .. }
    ));
    assert_eq!(app.state().machine.state.laser_mode(), Some(true));
    app.handle(Command::Jog {
        dx_mm: 10.0,
        dy_mm: 0.0,
        dz_mm: 0.0,
    });
    wait_until(&mut app, "x = 10", Duration::from_secs(20), |a| {
        idle(a) && (work_x(a) - 10.0).abs() < 1e-9
    });
    assert_eq!(format!("{:.3}", work_x(&app)), "10.000");
    app.handle(Command::SetOriginHere);
    wait_until(
        &mut app,
        "x = 0 after set origin",
        Duration::from_secs(20),
        |a| idle(a) && work_x(a).abs() < 1e-9,
    );
    app.handle(Command::Jog {
        dx_mm: 5.0,
        dy_mm: 5.0,
        dz_mm: 0.0,
    });
    wait_until(&mut app, "moved", Duration::from_secs(20), |a| {
        idle(a) && (work_x(a) - 5.0).abs() < 1e-9
    });
    app.handle(Command::GoToOrigin);
    wait_until(&mut app, "back at origin", Duration::from_secs(20), |a| {
        idle(a) && work_x(a).abs() < 1e-9
    });
    // Continuous jog, cancelled: the head stops short of the edge.
    app.handle(Command::JogContinuous { x: 1, y: 0, z: 0 });
    wait_until(&mut app, "jogging", Duration::from_secs(20), |a| {
        a.state().machine.state.state == Some(State::Jog)
    });
    app.handle(Command::JogCancel);
    wait_until(&mut app, "jog cancelled", Duration::from_secs(20), idle);
    let x = work_x(&app);
    assert!(x > 0.0 && x < 390.0, "{x}");
    let sim = app.sim().expect("sim").lock();
    assert!(!sim.burn_log().lit_during_rapid);
    assert_eq!(
        sim.burn_log().burned_mm,
        0.0,
        "jogging never fires the laser"
    );
}

#[test]
fn frame_never_exceeds_the_power_cap() {
    let dir = fixture_dir("frame");
    let mut app = connected_app(&dir);
    // Asking for 20 % is capped at 5 %.
    app.handle(Command::SetFrame {
        power_pct: 20.0,
        feed_mm_min: 6000.0,
    });
    assert_eq!(app.state().settings.frame.power_pct, 5.0);
    app.handle(Command::Frame);
    assert!(app.state().machine.job.as_ref().is_some_and(|j| j.framing));
    wait_until(&mut app, "frame done", Duration::from_secs(30), |a| {
        idle(a) && a.state().machine.last_job.is_some()
    });
    let last = app.state().machine.last_job.clone().expect("outcome");
    assert!(last.finished && last.framing, "{last:?}");
    let sim = app.sim().expect("sim").lock();
    let log = sim.burn_log();
    assert!(log.max_power_s <= 50.0 + 1e-9, "{}", log.max_power_s);
    assert!(
        log.burned_mm > 50.0,
        "the frame traced the box: {}",
        log.burned_mm
    );
    // The box is the job's: 10..45 x 55..90.
    for s in &log.segments {
        for p in [s.from_mm, s.to_mm] {
            assert!(
                p[0] > 9.9 && p[0] < 45.1 && p[1] > 54.9 && p[1] < 90.1,
                "{p:?}"
            );
        }
    }
}

#[test]
fn a_job_runs_to_the_end_with_progress_and_time() {
    let dir = fixture_dir("job");
    let mut app = connected_app(&dir);
    set_speed(&mut app, 1200.0);
    let estimate = app
        .state()
        .design
        .as_ref()
        .and_then(|d| d.generated.as_ref())
        .map(|g| g.stats.time.total_s)
        .expect("estimate");
    app.handle(Command::Start);
    assert!(app.state().machine.job.is_some());
    let mut fractions = Vec::new();
    let mut remaining = Vec::new();
    let start = Instant::now();
    while app.state().machine.job.is_some() {
        app.poll(Instant::now());
        if let Some(j) = &app.state().machine.job {
            fractions.push(j.fraction);
            if let Some(r) = j.remaining {
                remaining.push(r.as_secs_f64());
            }
        }
        assert!(start.elapsed() < Duration::from_secs(60), "job too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    let last = app.state().machine.last_job.clone().expect("outcome");
    assert!(last.finished, "{last:?}");
    assert_eq!(last.fraction, 1.0);
    let most = fractions.iter().copied().fold(0.0, f64::max);
    assert!(
        most > 0.9,
        "progress reached {most} over {} samples",
        fractions.len()
    );
    // Remaining time falls (allowing for the jitter between reports).
    let first = remaining.first().copied().unwrap_or(0.0);
    assert!(
        first <= estimate / SPEED + 0.5,
        "{first} vs {}",
        estimate / SPEED
    );
    for w in remaining.windows(2) {
        assert!(w[1] <= w[0] + 0.05, "remaining rose: {} -> {}", w[0], w[1]);
    }
    let sim = app.sim().expect("sim").lock();
    let log = sim.burn_log();
    assert!(!log.lit_during_rapid);
    assert!(log.burned_mm > 60.0, "{}", log.burned_mm);
    assert_eq!(sim.laser_power_s(), 0.0);
}

#[test]
fn closing_the_app_mid_cut_stops_the_job_with_the_laser_off() {
    let dir = fixture_dir("close");
    let mut app = connected_app(&dir);
    set_speed(&mut app, 300.0);
    app.handle(Command::Start);
    wait_until(&mut app, "cutting", Duration::from_secs(20), |a| {
        a.sim().is_some_and(|s| s.lock().laser_power_s() > 0.0)
    });
    let sim = app.sim().expect("sim").clone();
    let started = Instant::now();
    // What closing the window does: the App goes away. It must not return before the
    // machine thread has stopped the job, or the process could exit with the laser on.
    drop(app);
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "closing took too long"
    );
    let g = sim.lock();
    assert_eq!(g.laser_power_s(), 0.0, "laser off once the app is gone");
    assert_eq!(g.speed_mm_min(), 0.0, "head stopped once the app is gone");
}

#[test]
fn pause_holds_with_the_laser_off_then_resumes() {
    let dir = fixture_dir("pause");
    let mut app = connected_app(&dir);
    // Slow the job so there is time to pause mid-cut.
    set_speed(&mut app, 300.0);
    app.handle(Command::Start);
    wait_until(&mut app, "cutting", Duration::from_secs(20), |a| {
        a.sim().is_some_and(|s| s.lock().laser_power_s() > 0.0)
    });
    app.handle(Command::Pause);
    wait_until(&mut app, "Hold", Duration::from_secs(20), |a| {
        a.state().machine.state.state == Some(State::Hold(0))
    });
    {
        let sim = app.sim().expect("sim").lock();
        assert_eq!(sim.laser_power_s(), 0.0, "laser off while held");
        assert_eq!(sim.speed_mm_min(), 0.0);
    }
    app.handle(Command::Resume);
    wait_until(&mut app, "running again", Duration::from_secs(20), |a| {
        a.state().machine.state.state == Some(State::Run)
    });
    app.handle(Command::Override {
        kind: OverrideKind::Feed,
        pct: 200,
    });
    wait_until(
        &mut app,
        "feed override 200",
        Duration::from_secs(20),
        |a| a.state().machine.state.overrides.feed_pct == 200,
    );
    app.handle(Command::Stop);
    wait_until(&mut app, "stopped", Duration::from_secs(30), |a| {
        a.state().machine.job.is_none()
    });
    let last = app.state().machine.last_job.clone().expect("outcome");
    assert!(!last.finished);
    assert_eq!(last.notice.key, "notice-job-stopped");
    let sim = app.sim().expect("sim").lock();
    assert_eq!(sim.laser_power_s(), 0.0, "laser off after stop");
    assert!(!sim.burn_log().lit_during_rapid);
}

#[test]
fn current_position_jobs_start_at_the_head_and_are_checked_there() {
    let dir = fixture_dir("current");
    let mut app = connected_app(&dir);
    app.handle(Command::SetPlacement(Placement {
        mode: OriginMode::CurrentPosition,
        ..Placement::default()
    }));
    wait_until(&mut app, "regenerated", Duration::from_secs(20), generated);
    // Near the far corner the job does not fit: refused, nothing streamed.
    app.handle(Command::Jog {
        dx_mm: 390.0,
        dy_mm: 390.0,
        dz_mm: 0.0,
    });
    wait_until(&mut app, "at the corner", Duration::from_secs(30), |a| {
        idle(a) && (work_x(a) - 390.0).abs() < 1e-9
    });
    app.handle(Command::Start);
    assert!(app.state().machine.job.is_none());
    assert_eq!(
        app.state().notices.last().map(|n| n.key),
        Some("notice-job-off-bed")
    );
    app.handle(Command::Jog {
        dx_mm: -340.0,
        dy_mm: -340.0,
        dz_mm: 0.0,
    });
    wait_until(&mut app, "at 50,50", Duration::from_secs(30), |a| {
        idle(a) && (work_x(a) - 50.0).abs() < 1e-9
    });
    app.handle(Command::Start);
    assert!(
        app.state().machine.job.is_some(),
        "{:?}",
        app.state().notices
    );
    wait_until(&mut app, "job done", Duration::from_secs(60), |a| {
        a.state().machine.job.is_none()
    });
    assert!(
        app.state()
            .machine
            .last_job
            .as_ref()
            .is_some_and(|j| j.finished)
    );
    let sim = app.sim().expect("sim").lock();
    let lit: Vec<_> = sim
        .burn_log()
        .segments
        .iter()
        .filter(|s| s.power_s > 0.0)
        .collect();
    assert!(!lit.is_empty());
    // The job's bottom-left anchor is at the head: everything burns at x, y >= 50.
    for s in lit {
        assert!(
            s.from_mm[0] >= 50.0 - 1e-6 && s.from_mm[1] >= 50.0 - 1e-6,
            "{s:?}"
        );
    }
    // G92 is gone after the job: work and machine positions agree again.
    let wco = sim.work_coordinate_offset_mm();
    assert!(wco[0].abs() < 1e-9 && wco[1].abs() < 1e-9, "{wco:?}");
}
