//! One model: every golden job (cuts, region fills, arcs, text, clip paths) streamed to the
//! simulator with character counting takes the time the estimate gives, because both run
//! burin-firmware's parser and planner.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

mod common;

use std::time::Duration;

use burin_gcode::{MachineProfile, Program, estimate_time, parse_program};
use burin_sim::{Grbl, SimConfig};

/// Virtual seconds from the first byte to idle.
fn simulate(program: &Program) -> f64 {
    // An 8-bit GRBL's time per line, as the app's simulated machine and the estimate have.
    let mut g = Grbl::new(
        SimConfig {
            burn_log_max_segments: Some(0),
            ..SimConfig::default()
        }
        .with_grbl_328p_timing(),
    );
    common::stream_to_sim(&mut g, program, Duration::from_micros(200))
}

#[test]
fn golden_jobs_take_the_estimated_time_on_the_simulator() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "gcode"))
        .collect();
    files.sort();
    let profile = MachineProfile::default();
    let mut worst: f64 = 0.0;
    for f in &files {
        let program = parse_program(&std::fs::read_to_string(f).unwrap()).unwrap();
        let est = estimate_time(&program, &profile).total_s;
        let sim = simulate(&program);
        let err = (sim / est - 1.0).abs();
        println!(
            "{}: estimate {est:.3} s, simulator {sim:.3} s ({:+.3} %)",
            f.file_name().unwrap().to_string_lossy(),
            (sim / est - 1.0) * 100.0
        );
        worst = worst.max(err);
    }
    assert!(files.len() >= 10);
    assert!(worst < 0.005, "worst difference {:.3} %", worst * 100.0);
}

/// Where the 8-bit firmware's processor is the limit (3000 chords of 0.05 mm: parsing,
/// planning, step preparation, the stepper interrupt's load, blocks that start from rest,
/// the stop delay), the simulator takes the estimated time within 1 %. The estimate prepares
/// step segments one at a time at GRBL's check points; the simulator, which has no segment
/// buffer, charges a block's first segment when it plans the block (9.56 s against 9.63 s).
#[test]
fn a_parser_bound_job_takes_the_estimated_time_on_the_simulator() {
    let mut src = String::from("G21G90\nM4S600\nG0X42Y40\nG1F3000\n");
    let (mut r, mut a) = (2.0f64, 0.0f64);
    for _ in 0..3000 {
        src.push_str(&format!(
            "X{:.3}Y{:.3}\n",
            40.0 + r * a.cos(),
            40.0 + r * a.sin()
        ));
        a += 0.05 / r;
        r += 0.001;
    }
    src.push_str("M5\nG0X0Y0\n");
    let program = parse_program(&src).unwrap();
    let est = estimate_time(&program, &MachineProfile::default()).total_s;
    let sim = simulate(&program);
    println!("spiral: estimate {est:.3} s, simulator {sim:.3} s");
    // 0.05 mm at 50 mm/s would be 3 s; the parser makes it about 9.
    assert!(est > 7.0, "{est}");
    assert!(
        (sim / est - 1.0).abs() < 0.01,
        "estimate {est} s, simulator {sim} s"
    );
}
