//! `burin estimate FILE.gcode [--settings DUMP] [--json]`: how long GRBL takes to run a
//! file, by the firmware model the simulator runs on (burin-firmware): total, per layer,
//! cutting vs travel, where acceleration costs time, and, with link limits, the stops of a
//! starved planner.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use burin_gcode::{Delivery, estimate_detailed};
use serde::Serialize;

use super::info::hms;

#[derive(Debug, clap::Args)]
pub struct EstimateArgs {
    /// The G-code file.
    pub file: PathBuf,
    /// A saved `$$` dump of the machine (lines `$N=value`); GRBL's defaults for the rest.
    /// Without it: Burin's default diode profile (6000 mm/min, 1000 mm/s², $11=0.01).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Planner blocks GRBL holds (15 on an 8-bit Uno; 31 or more on 32-bit boards).
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub planner_blocks: usize,
    /// Serial speed, baud: lines can't reach GRBL faster than the link carries them.
    /// 0 = no limit.
    #[arg(long = "link-baud", default_value_t = 0, value_name = "BAUD")]
    pub link_baud: u32,
    /// Lines per second the firmware parses and plans (about 400 on an 8-bit GRBL). 0 = no
    /// limit.
    #[arg(long, default_value_t = 0.0, value_name = "N")]
    pub firmware_lines_per_s: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    file: &'a std::path::Path,
    /// Everything, seconds.
    total_s: f64,
    cutting_s: f64,
    travel_s: f64,
    dwell_s: f64,
    /// Motion below the programmed speed (acceleration, junctions, look-ahead), seconds.
    below_feed_s: f64,
    /// Standing still waiting for lines (link or firmware too slow), seconds.
    starved_s: f64,
    layers: &'a [burin_gcode::LayerTime],
    /// Lines GRBL would refuse: [line, error code].
    refused_lines: &'a [(usize, u8)],
    settings_notes: Vec<String>,
}

pub fn run(args: EstimateArgs) -> anyhow::Result<ExitCode> {
    let (settings, notes) = match &args.settings {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let (s, notes) = burin_firmware::Settings::from_dump(&text);
            let notes: Vec<String> = notes
                .into_iter()
                .map(|(line, n)| format!("{}: line {line}: {n}", path.display()))
                .collect();
            (s, notes)
        }
        None => (
            burin_gcode::MachineProfile::default().firmware_settings(),
            Vec::new(),
        ),
    };
    let program = super::info::read_program(&args.file)?;
    let delivery = Delivery {
        bytes_per_s: (args.link_baud > 0).then(|| f64::from(args.link_baud) / 10.0),
        line_time_s: (args.firmware_lines_per_s > 0.0).then(|| 1.0 / args.firmware_lines_per_s),
    };
    let e = estimate_detailed(&program, &settings, args.planner_blocks, delivery);
    let t = e.totals;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Report {
                file: &args.file,
                total_s: t.total_s,
                cutting_s: t.cutting_s,
                travel_s: t.travel_s,
                dwell_s: t.dwell_s,
                below_feed_s: t.below_feed_s,
                starved_s: t.starved_s,
                layers: &e.layers,
                refused_lines: &e.refused,
                settings_notes: notes,
            })?
        );
        return Ok(ExitCode::SUCCESS);
    }
    for n in &notes {
        eprintln!("note: {n}");
    }
    println!("{}: {}", args.file.display(), hms(t.total_s));
    println!(
        "  cutting {}, travel {}{}",
        hms(t.cutting_s),
        hms(t.travel_s),
        if t.dwell_s > 0.0 {
            format!(", dwell {}", hms(t.dwell_s))
        } else {
            String::new()
        }
    );
    if t.total_s > 0.0 {
        println!(
            "  {:.0} % of the time below the programmed speed (acceleration, corners, look-ahead)",
            100.0 * t.below_feed_s / t.total_s
        );
    }
    if t.starved_s > 0.0 {
        println!(
            "  {} standing still waiting for lines: the link or the controller can't keep up",
            hms(t.starved_s)
        );
    }
    if e.layers.len() > 1 || e.layers.first().is_some_and(|l| !l.name.starts_with('(')) {
        for l in &e.layers {
            println!(
                "  layer {}: {} (cutting {}, travel {})",
                l.name,
                hms(l.seconds),
                hms(l.cutting_s),
                hms(l.seconds - l.cutting_s)
            );
        }
    }
    if !e.refused.is_empty() {
        println!(
            "  {} line(s) GRBL would refuse and skip, first at line {} (error:{})",
            e.refused.len(),
            e.refused[0].0,
            e.refused[0].1
        );
    }
    Ok(ExitCode::SUCCESS)
}
