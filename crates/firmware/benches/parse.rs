//! `cargo bench -p burin-firmware --bench parse`: wall time of the firmware model over a
//! million lines: GRBL's pre-filter plus `parser::execute` on every line, and the same lines
//! through `timing::JobTimer` (parser + planner + trapezoids). Programs: `/tmp/million.gcode`
//! when it exists (or the file named by `BURIN_BENCH_GCODE`), and always a generated
//! million-line raster-like program (`G1X.1S300`, `X.2`, `G0X5.3`, ...).
//!
//! Each figure is the best of a few runs, so a busy machine inflates it less.

use std::hint::black_box;
use std::time::{Duration, Instant};

use burin_firmware::parser::{self, Ctx, Outcome, ParserState, Persistent, Step};
use burin_firmware::timing::{Delivery, JobTimer, prefilter_into};
use burin_firmware::{N_AXIS, Settings};

const RUNS: usize = 5;
const RASTER_LINES: usize = 1_000_000;

fn main() {
    let path = std::env::var("BURIN_BENCH_GCODE").unwrap_or_else(|_| "/tmp/million.gcode".into());
    match std::fs::read_to_string(&path) {
        Ok(text) => bench(&path, &text),
        Err(e) => println!("{path}: skipped ({e})"),
    }
    bench("generated raster", &raster_program(RASTER_LINES));
}

fn bench(name: &str, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let parse = best_of(|| parse_all(&lines));
    let timer = best_of(|| time_all(&lines));
    println!(
        "{name}: {} lines: prefilter + parser::execute {:.3} s, JobTimer {:.3} s",
        lines.len(),
        parse.as_secs_f64(),
        timer.as_secs_f64(),
    );
}

fn best_of(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Every line through the pre-filter and the parser, as `burin_gcode::motion` runs them.
fn parse_all(lines: &[&str]) {
    let settings = Settings {
        laser_mode: true,
        ..Settings::default()
    };
    let mut persistent = Persistent::default();
    let mut gc = ParserState::new(&persistent, [0.0; N_AXIS]);
    let ctx = Ctx {
        settings: &settings,
        force_origin: false,
        check_mode: false,
    };
    let mut filtered = Vec::new();
    let mut outcome = Outcome::default();
    let mut moves = 0usize;
    for line in lines {
        prefilter_into(line, &mut filtered);
        if filtered.is_empty() || filtered[0] == b'$' {
            continue;
        }
        if parser::execute(
            &filtered,
            0,
            false,
            &mut gc,
            &mut persistent,
            &ctx,
            &mut outcome,
        )
        .is_ok()
        {
            moves += outcome
                .steps
                .iter()
                .filter(|s| matches!(s, Step::Line(_)))
                .count();
        }
    }
    black_box(moves);
}

fn time_all(lines: &[&str]) {
    let settings = Settings {
        laser_mode: true,
        ..Settings::default()
    };
    let mut timer = JobTimer::new(settings, 15, Delivery::grbl_328p(115_200));
    let mut filtered = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        prefilter_into(line, &mut filtered);
        timer.line(i, &filtered, line.len() + 1);
    }
    black_box(timer.finish().1);
}

/// Rows the way Burin's emitter writes dithered rasters: each row entered with an absolute
/// `G90G0`, then `G91` increments of a tenth of a millimetre, powers changing on the fly and
/// `G0` hops over blanks.
fn raster_program(n_lines: usize) -> String {
    let mut out = String::from("G21G90\nM4\nG1F6000\n");
    let mut n = 3;
    let mut row = 0usize;
    while n < n_lines {
        out.push_str(&format!("G90G0X10Y{:.1}\nG91\n", 10.0 + row as f64 * 0.1));
        n += 2;
        for k in 0..60 {
            if n >= n_lines {
                break;
            }
            let line = match k % 6 {
                0 => "G1X.1S300",
                1 => "X.2",
                2 => "X.1S0",
                3 => "G0X5.3",
                4 => "G1X.3S120",
                _ => "X.1S1000",
            };
            out.push_str(line);
            out.push('\n');
            n += 1;
        }
        row += 1;
    }
    out.push_str("G90\nM5\n");
    out
}
