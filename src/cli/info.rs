//! `burin info FILE.gcode [--json]`: what a G-code file does, and whether it is safe to send.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use burin_gcode::{parse_program, preflight, stats};
use serde::Serialize;

use super::profile::ProfileArgs;

#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// The G-code file.
    pub file: PathBuf,
    #[command(flatten)]
    pub machine: ProfileArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Info<'a> {
    file: &'a std::path::Path,
    stats: burin_gcode::ProgramStats,
    preflight: burin_gcode::PreflightReport,
    throughput: burin_gcode::Throughput,
    /// The highest feed the link keeps up with, when the job's is higher, mm/min.
    safe_feed_mm_min: Option<f64>,
}

/// Reads and parses a G-code file; errors name the file and what is wrong.
pub fn read_program(path: &std::path::Path) -> anyhow::Result<burin_gcode::Program> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a text file (bad byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    parse_program(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

pub fn run(args: InfoArgs) -> anyhow::Result<ExitCode> {
    let profile = args.machine.profile()?;
    let program = read_program(&args.file)?;
    let s = stats(&program, &profile);
    let report = preflight(&program, &profile);
    let ok = report.is_ok();
    let (throughput, safe_feed) =
        super::profile::throughput_check(&program, &profile, &args.machine);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Info {
                file: &args.file,
                stats: s,
                preflight: report,
                throughput,
                safe_feed_mm_min: safe_feed,
            })?
        );
    } else {
        println!(
            "{}: {} lines, {} bytes",
            args.file.display(),
            s.line_count,
            s.byte_count
        );
        if let Some(b) = s.bounds {
            println!(
                "  extent: X {:.3}..{:.3}, Y {:.3}..{:.3} mm ({:.3} x {:.3} mm)",
                b.x_min_mm,
                b.x_max_mm,
                b.y_min_mm,
                b.y_max_mm,
                b.width_mm(),
                b.height_mm()
            );
        }
        if let Some(b) = s.powered_bounds {
            println!(
                "  burns:  X {:.3}..{:.3}, Y {:.3}..{:.3} mm",
                b.x_min_mm, b.x_max_mm, b.y_min_mm, b.y_max_mm
            );
        }
        println!("  cut {:.1} mm, travel {:.1} mm", s.cut_mm, s.travel_mm);
        println!(
            "  estimated time {} (cutting {}, travel {})",
            hms(s.time.total_s),
            hms(s.time.cutting_s),
            hms(s.time.travel_s)
        );
        if let Some(w) = super::profile::throughput_warning(&throughput, safe_feed) {
            println!("  {w}");
        }
        if report.findings.is_empty() {
            println!("  preflight: ok");
        }
        for f in &report.findings {
            println!("  {f}");
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Seconds as `1h 02m 03s`, `2m 03s` or `4.5s`.
pub fn hms(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "?".into();
    }
    let s = seconds.round() as u64;
    match s {
        0..60 => format!("{seconds:.1}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m {:02}s", s / 3600, (s % 3600) / 60, s % 60),
    }
}
