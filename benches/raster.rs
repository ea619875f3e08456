//! `cargo bench --bench raster`: a photo to dithered G-code. The corpus's 4096 x 4096 render at
//! 300 mm wide and 10 lines/mm (a 3000 x 3000 output raster) through resampling, Jarvis
//! dithering, scan lines with overscan, the GRBL emitter and the program text; decoding is
//! timed apart. Also bytes per pixel on skimage_camera.png at 100 mm, 10 lines/mm, S max 1000
//! (LaserGRBL-style output measures 8.17 B/px grayscale and 5.17 B/px Jarvis there).
//! CPU time is user + system from /proc/self/stat; peak memory is VmHWM.

use std::path::PathBuf;
use std::time::Instant;

use burin_controller::{ConvertSettings, plan_document};
use burin_design::{DitherKind, ImageImportOptions, Mode, import_image_file};
use burin_gcode::MachineProfile;

fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn settings() -> ConvertSettings {
    ConvertSettings {
        profile: MachineProfile {
            travel_x_mm: 1000.0,
            travel_y_mm: 1000.0,
            s_max: 1000.0,
            ..MachineProfile::default()
        },
        ..ConvertSettings::default()
    }
}

fn run(file: &std::path::Path, width_mm: f64, dither: DitherKind, gray_tolerance: u8, label: &str) {
    let t0 = Instant::now();
    let c0 = cpu_s();
    let opts = ImageImportOptions {
        width_mm: Some(width_mm),
        ..ImageImportOptions::default()
    };
    let mut doc = match import_image_file(file, &opts) {
        Ok(d) => d,
        Err(e) => {
            println!("{label}: {e}");
            return;
        }
    };
    let decode_s = t0.elapsed().as_secs_f64();
    let decode_cpu = cpu_s() - c0;
    for l in &mut doc.layers {
        l.operation = burin_design::Operation::defaults_for(Mode::Image);
        // Full power, as in the reference figures (S max 1000 → S1000).
        l.operation.power_max_pct = 100.0;
        l.operation.image.gray_tolerance = gray_tolerance;
        l.operation.image.dither = dither;
        l.operation.image.interval_mm = 0.1;
        // Away from the bed's edge, so every row gets its whole overscan.
        if let Some(b) = &mut l.image {
            std::sync::Arc::make_mut(b).top_left = burin_design::DocPoint::new(20.0, 20.0);
        }
    }
    doc.size_mm = (width_mm + 40.0, doc.size_mm.1 + 40.0);
    let b = doc.layers[0].image.clone().expect("a picture");
    let pixels = (b.size_mm.0 / 0.1).round() * (b.size_mm.1 / 0.1).round();
    // Stage split, measured apart (the pipeline below does all of it again).
    let op = doc.layers[0].operation;
    let ts = Instant::now();
    let levels = burin_toolpath::raster::process(&b, &op.image);
    let process_s = ts.elapsed().as_secs_f64();
    drop(levels);
    let t1 = Instant::now();
    let c1 = cpu_s();
    let planned = plan_document(doc, &settings()).expect("plans");
    let text = planned.program.text();
    let wall = t1.elapsed().as_secs_f64();
    let cpu = cpu_s() - c1;
    println!(
        "{label:<34} decode {decode_s:>5.2} s ({decode_cpu:.2} cpu) | dither+G-code {wall:>5.2} s ({cpu:.2} cpu; resample+dither {process_s:.2} s) | \
         {:>9.0} px {:>10} bytes {:>5.2} B/px | peak {:.0} MB",
        pixels,
        text.len(),
        text.len() as f64 / pixels,
        peak_mb()
    );
}

fn main() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/img");
    if !corpus.is_dir() {
        println!("skipping: corpus not found at {}", corpus.display());
        return;
    }
    let cam = corpus.join("skimage_camera.png");
    run(&cam, 100.0, DitherKind::Jarvis, 1, "camera 100 mm jarvis");
    run(
        &cam,
        100.0,
        DitherKind::Grayscale,
        1,
        "camera 100 mm grayscale",
    );
    run(
        &cam,
        100.0,
        DitherKind::Grayscale,
        0,
        "camera grayscale, every level",
    );
    let big = corpus.join("gnome_adwaita-l_4096.jpg");
    run(
        &big,
        300.0,
        DitherKind::Jarvis,
        1,
        "adwaita 300 mm (3000x3000) jarvis",
    );
}
