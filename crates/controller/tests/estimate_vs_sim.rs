//! One model: every golden job (cuts, region fills, arcs, text, clip paths) streamed to the
//! simulator with character counting takes the time the estimate gives, because both run
//! burin-firmware's parser and planner.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::collections::VecDeque;
use std::time::Duration;

use burin_gcode::{MachineProfile, Program, estimate_time, parse_program};
use burin_sim::{Grbl, MachineState, SimConfig};

/// Virtual seconds from the first byte to idle, streaming with a 128-byte RX window.
fn simulate(program: &Program) -> f64 {
    let mut g = Grbl::new(SimConfig {
        burn_log_max_segments: Some(0),
        ..SimConfig::default()
    });
    g.advance(Duration::from_millis(10));
    g.read();
    let start = g.now().as_secs_f64();
    let lines: Vec<&str> = program.line_texts().collect();
    let mut in_flight: VecDeque<usize> = VecDeque::new();
    let (mut used, mut next, mut acked) = (0usize, 0usize, 0usize);
    let mut out = Vec::new();
    loop {
        while next < lines.len() && used + lines[next].len() < 127 {
            g.write(lines[next].as_bytes());
            g.write(b"\n");
            used += lines[next].len() + 1;
            in_flight.push_back(lines[next].len() + 1);
            next += 1;
        }
        g.advance(Duration::from_micros(200));
        g.read_into(&mut out);
        let text = String::from_utf8_lossy(&out).to_string();
        out.clear();
        for reply in text
            .split("\r\n")
            .filter(|l| l.starts_with("ok") || l.starts_with("error"))
        {
            assert_eq!(reply, "ok");
            acked += 1;
            used -= in_flight.pop_front().unwrap();
        }
        if acked == lines.len() && g.state() == MachineState::Idle {
            return g.now().as_secs_f64() - start;
        }
    }
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
