//! A raster job streamed through the simulator over a modelled 115200-baud link to a modelled
//! 8-bit GRBL (about 400 lines a second): at the feed `convert` calls safe the machine keeps
//! moving and the job takes the estimated time; well above it, GRBL runs dry and the job takes
//! longer, which is the stutter the check warns about.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

mod common;

use std::sync::Arc;
use std::time::Duration;

use burin_controller::{ConvertSettings, convert_document};
use burin_design::{
    Bitmap, DitherKind, DocPoint, Document, ImportInfo, Layer, LayerSource, Mode, Operation, Rgb,
};
use burin_gcode::{
    Delivery, FirmwareCpu, LinkLimits, MachineProfile, Program, line_times_at, line_times_with,
    safe_feed_scale, throughput,
};
use burin_sim::{Grbl, SimConfig};

const BAUD: u32 = 115_200;
const LINES_PER_S: f64 = 400.0;

/// A photo-like picture: smooth shading with fine texture, so Jarvis makes short runs.
fn picture(w: u32, h: u32) -> Bitmap {
    let mut luma = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
            let v = 0.5
                + 0.35 * (fx * 9.0).sin() * (fy * 5.0).cos()
                + 0.1 * ((x * 7 + y * 3) % 5) as f64 / 5.0;
            luma.push((v.clamp(0.0, 1.0) * 255.0) as u8);
        }
    }
    Bitmap {
        width_px: w,
        height_px: h,
        luma,
        top_left: DocPoint::new(10.0, 10.0),
        size_mm: (f64::from(w) * 0.1, f64::from(h) * 0.1),
    }
}

fn program_at(feed_mm_min: f64) -> (Program, ConvertSettings) {
    let mut layer = Layer::new(Rgb(0, 0, 0), LayerSource::Fill);
    layer.operation = Operation::defaults_for(Mode::Image);
    layer.operation.image.dither = DitherKind::Jarvis;
    layer.operation.speed_mm_min = feed_mm_min;
    layer.image = Some(Arc::new(picture(300, 24)));
    let doc = Document {
        size_mm: (60.0, 40.0),
        layers: vec![layer],
        info: ImportInfo::default(),
    };
    let settings = ConvertSettings {
        profile: MachineProfile {
            max_rate_x_mm_min: 12_000.0,
            max_rate_y_mm_min: 12_000.0,
            accel_x_mm_s2: 2000.0,
            accel_y_mm_s2: 2000.0,
            ..MachineProfile::default()
        },
        ..ConvertSettings::default()
    };
    let out = convert_document(doc, &settings).unwrap();
    assert!(out.preflight.is_ok(), "{:?}", out.preflight);
    (out.program, settings)
}

/// Streams `program` with character counting (128-byte RX) and returns the virtual seconds
/// from the first byte to idle.
fn stream(program: &Program, profile: &MachineProfile) -> f64 {
    let mut cfg = SimConfig::default()
        .with_baud(BAUD)
        .with_line_time_s(1.0 / LINES_PER_S);
    cfg.burn_log_max_segments = Some(0);
    cfg.settings.max_rate_mm_min[0] = profile.max_rate_x_mm_min;
    cfg.settings.max_rate_mm_min[1] = profile.max_rate_y_mm_min;
    cfg.settings.accel_mm_s2[0] = profile.accel_x_mm_s2;
    cfg.settings.accel_mm_s2[1] = profile.accel_y_mm_s2;
    common::stream_to_sim(&mut Grbl::new(cfg), program, Duration::from_micros(500))
}

#[test]
fn at_the_safe_feed_the_link_keeps_up_and_above_it_grbl_runs_dry() {
    let limits = LinkLimits {
        baud: BAUD,
        firmware_lines_per_s: LINES_PER_S,
        ..LinkLimits::default()
    };
    // Far too fast for 400 lines/s at 0.1 mm pixels: the check names a safe feed.
    let (fast, settings) = program_at(9000.0);
    let t = throughput(
        &fast,
        &line_times_at(&fast, &settings.profile, 1.0),
        &limits,
    );
    assert!(t.stutters(), "{t:?}");
    let scale = safe_feed_scale(&fast, &settings.profile, &limits).unwrap();
    let safe_feed = (9000.0 * scale).floor();
    // Below the linear guess: the look-ahead already holds these short moves under the feed.
    assert!(scale <= t.feed_factor, "{scale} vs {}", t.feed_factor);

    let (safe, _) = program_at(safe_feed);
    let lt = line_times_at(&safe, &settings.profile, 1.0);
    let t_safe = throughput(&safe, &lt, &limits);
    assert!(!t_safe.stutters(), "{t_safe:?}");
    // The machine's own time (no link or firmware limit), against a simulator at 400 lines/s.
    let machine_time = |p: &Program| {
        line_times_with(p, &settings.profile, Delivery::unlimited())
            .1
            .total_s
    };
    let est_safe = machine_time(&safe);
    let sim_safe = stream(&safe, &settings.profile);

    let est_fast = machine_time(&fast);
    let sim_fast = stream(&fast, &settings.profile);
    println!(
        "safe feed {safe_feed} mm/min: estimate {est_safe:.2} s, simulator {sim_safe:.2} s ({:+.1} %); \
         9000 mm/min: estimate {est_fast:.2} s, simulator {sim_fast:.2} s ({:+.1} %)",
        (sim_safe / est_safe - 1.0) * 100.0,
        (sim_fast / est_fast - 1.0) * 100.0
    );
    // The estimate with the link and the firmware's line rate predicts the stutter.
    let delivery = Delivery {
        bytes_per_s: Some(f64::from(BAUD) / 10.0),
        cpu: Some(FirmwareCpu::per_line(1.0 / LINES_PER_S)),
    };
    let (_, limited) = line_times_with(&fast, &settings.profile, delivery);
    println!(
        "9000 mm/min with the link and 400 lines/s in the estimate: {:.2} s ({:+.1} % from the simulator)",
        limited.total_s,
        (limited.total_s / sim_fast - 1.0) * 100.0
    );
    assert!(
        (limited.total_s / sim_fast - 1.0).abs() < 0.03,
        "{} vs {sim_fast}",
        limited.total_s
    );
    assert!(
        sim_safe <= est_safe * 1.05,
        "at the safe feed the job runs as estimated: {sim_safe} vs {est_safe}"
    );
    assert!(
        sim_fast >= est_fast * 1.15,
        "above it, starved: {sim_fast} vs {est_fast}"
    );
}
