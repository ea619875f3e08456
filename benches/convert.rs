//! `cargo bench --bench convert`: CPU time, output size and travel of `convert` on the corpus's
//! big files, in Burin's default modes (fills for filled shapes) and with every layer in Line
//! mode (what svg2gcode does), plus the path-ordering cost on its own.
//!
//! With `SVG2GCODE=/path/to/svg2gcode` (svg2gcode-cli 0.0.19) it also runs svg2gcode on the same
//! files in the same run and prints the CPU-time ratio. CPU time is user + system time from
//! /proc/self/stat, so a busy machine inflates wall time but not these figures much.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use burin_controller::{ConvertSettings, LayerOverride, convert_svg_file};
use burin_design::Mode;
use burin_gcode::{MachineProfile, parse_program, stats};
use burin_toolpath::{Anchor, JobOrigin, plan};

const FILES: &[&str] = &[
    "big_carddeck_dondorf",
    "big_carddeck_oxygen-white",
    "big_map_BlankMap-World",
    "big_inkscape_tutorial-tracing-pixelart",
    "map_simple-world-map",
];

fn main() {
    // `cargo bench` passes --bench; a filter argument picks files.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/svg");
    if !corpus.is_dir() {
        println!("skipping: corpus not found at {}", corpus.display());
        return;
    }
    let svg2gcode = std::env::var_os("SVG2GCODE").map(PathBuf::from);
    println!(
        "{:<40} {:>9} {:>9} {:>11} {:>12} {:>9} {:>9} {:>11}",
        "file", "mode", "cpu s", "order cpu s", "bytes", "cut m", "travel m", "svg2gcode"
    );
    for name in FILES
        .iter()
        .filter(|f| filter.is_empty() || filter.iter().any(|p| f.contains(p.as_str())))
    {
        let path = corpus.join(format!("{name}.svg"));
        for line_only in [false, true] {
            let mut settings = settings(line_only, true);
            let (cpu, outcome) = cpu_time(|| convert_svg_file(&path, &settings));
            let Ok(outcome) = outcome else { continue };
            // Ordering on its own: plan the converted document again with and without
            // optimisation (5 runs each, so 10 ms CPU ticks don't swamp it).
            let doc = &outcome.document;
            let (cpu_ordered, _) =
                cpu_time(|| (0..5).for_each(|_| drop(plan(doc, &settings.plan))));
            settings.plan.order.optimize = false;
            let (cpu_unordered, _) =
                cpu_time(|| (0..5).for_each(|_| drop(plan(doc, &settings.plan))));
            let order_cpu = cpu_ordered.saturating_sub(cpu_unordered) / 5;
            let peer = match (&svg2gcode, line_only) {
                (Some(bin), false) => run_svg2gcode(bin, &path),
                _ => None,
            };
            println!(
                "{:<40} {:>9} {:>9.3} {:>11.3} {:>12} {:>9.1} {:>9.2} {:>11}",
                name,
                if line_only { "line" } else { "default" },
                cpu.as_secs_f64(),
                order_cpu.as_secs_f64(),
                outcome.stats.byte_count,
                outcome.stats.cut_mm / 1000.0,
                outcome.stats.travel_mm / 1000.0,
                peer.map_or(String::new(), |p| format!(
                    "{:.3}s {}B {:.2}m",
                    p.0.as_secs_f64(),
                    p.1,
                    p.2
                ))
            );
            if let Some((peer_cpu, ..)) = peer {
                println!(
                    "{:<40} burin/svg2gcode CPU time: {:.2}",
                    "",
                    cpu.as_secs_f64() / peer_cpu.as_secs_f64().max(0.001)
                );
            }
        }
    }
}

fn settings(line_only: bool, optimize: bool) -> ConvertSettings {
    let mut s = ConvertSettings {
        profile: MachineProfile {
            travel_x_mm: 5000.0,
            travel_y_mm: 5000.0,
            ..MachineProfile::default()
        },
        ..ConvertSettings::default()
    };
    s.plan.origin = JobOrigin::CurrentPosition {
        anchor: Anchor::BottomLeft,
    };
    s.plan.order.optimize = optimize;
    if line_only {
        s.all_layers = LayerOverride {
            mode: Some(Mode::Line),
            ..Default::default()
        };
    }
    s
}

/// Runs svg2gcode like measure-by-hand did (laser on M4 S1000, off M5, 96 DPI, path order
/// optimised) and returns its CPU time, output bytes and travel in metres.
fn run_svg2gcode(bin: &Path, svg: &Path) -> Option<(Duration, usize, f64)> {
    let out = std::env::temp_dir().join(format!(
        "burin-bench-svg2gcode-{}.gcode",
        std::process::id()
    ));
    let before = children_cpu();
    let status = Command::new(bin)
        .args([
            "--on",
            "M4 S1000",
            "--off",
            "M5",
            "--begin",
            "M5",
            "--end",
            "M5",
            "--feedrate",
            "1000",
            "--dpi",
            "96",
        ])
        .args(["--optimize-path-order", "true"])
        .arg(svg)
        .arg("-o")
        .arg(&out)
        .status();
    let cpu = children_cpu().saturating_sub(before);
    if !status.is_ok_and(|s| s.success()) {
        return None;
    }
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    let travel = parse_program(&text)
        .map(|p| stats(&p, &MachineProfile::default()).travel_mm / 1000.0)
        .unwrap_or(f64::NAN);
    Some((cpu, text.len(), travel))
}

fn cpu_time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let before = self_cpu();
    let out = f();
    (self_cpu().saturating_sub(before), out)
}

/// (own, waited-for children) user + system CPU time from /proc/self/stat, in clock ticks of
/// 10 ms (Linux's USER_HZ is 100). Elsewhere both are zero and only sizes are meaningful.
fn proc_times() -> (Duration, Duration) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return (Duration::ZERO, Duration::ZERO);
    };
    // Fields after the parenthesised command name; utime is field 14 overall.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|v| v.parse().ok())
        .collect();
    if f.len() < 4 {
        return (Duration::ZERO, Duration::ZERO);
    }
    let tick = |t: u64| Duration::from_millis(t * 10);
    (tick(f[0] + f[1]), tick(f[2] + f[3]))
}

fn self_cpu() -> Duration {
    proc_times().0
}

fn children_cpu() -> Duration {
    proc_times().1
}
