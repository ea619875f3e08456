//! Shared test helpers: the corpus location and conversion settings.

#![allow(dead_code)]

use std::path::PathBuf;

use burin_controller::ConvertSettings;
use burin_gcode::MachineProfile;

/// The shared corpus, or None (with a printed reason) when it is absent. In CI (`CI` set) its
/// absence is a failure, not a skip.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("MANIFEST.md").is_file() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "corpus not found at {} and CI is set: corpus tests must run in CI",
            dir.display()
        );
    }
    eprintln!(
        "skipping: corpus not found at {} (it lives beside the repository on the team's machines)",
        dir.display()
    );
    None
}

/// Settings for corpus files: default everything, but a machine big enough for any of them.
pub fn big_machine() -> ConvertSettings {
    ConvertSettings {
        profile: MachineProfile {
            travel_x_mm: 2000.0,
            travel_y_mm: 2000.0,
            ..MachineProfile::default()
        },
        ..ConvertSettings::default()
    }
}

/// Streams `program` to the simulator `g` with character counting against its 128-byte RX
/// buffer, moving virtual time by `tick`, and returns the virtual seconds from the first byte
/// to idle. Every line must be answered `ok`.
pub fn stream_to_sim(
    g: &mut burin_sim::Grbl,
    program: &burin_gcode::Program,
    tick: std::time::Duration,
) -> f64 {
    g.advance(std::time::Duration::from_millis(10));
    g.read();
    let start = g.now().as_secs_f64();
    let lines: Vec<&str> = program.line_texts().collect();
    let mut in_flight = std::collections::VecDeque::new();
    let (mut used, mut next, mut oks) = (0usize, 0usize, 0usize);
    let mut out = Vec::new();
    loop {
        while next < lines.len() && used + lines[next].len() < 127 {
            g.write(lines[next].as_bytes());
            g.write(b"\n");
            used += lines[next].len() + 1;
            in_flight.push_back(lines[next].len() + 1);
            next += 1;
        }
        g.advance(tick);
        g.read_into(&mut out);
        let text = String::from_utf8_lossy(&out).to_string();
        out.clear();
        for reply in text
            .split("\r\n")
            .filter(|l| l.starts_with("ok") || l.starts_with("error"))
        {
            assert_eq!(reply, "ok", "GRBL refused a line");
            oks += 1;
            used -= in_flight.pop_front().unwrap_or(0);
        }
        if oks == lines.len() && g.state() == burin_sim::MachineState::Idle {
            return g.now().as_secs_f64() - start;
        }
        assert!(g.now().as_secs_f64() - start < 36_000.0, "stuck");
    }
}
