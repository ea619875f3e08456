//! `burin estimate FILE.gcode [--settings DUMP] [--json]`: how long GRBL takes to run a
//! file, by the firmware model the simulator runs on (burin-firmware): total, per layer,
//! cutting vs travel, where acceleration costs time, and, with link limits, the stops of a
//! starved planner.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use burin_gcode::{Delivery, FirmwareCpu, estimate_detailed};
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
    #[arg(long = "link-baud", default_value_t = 115_200, value_name = "BAUD")]
    pub link_baud: u32,
    /// Lines per second the firmware parses and plans, the same for every line. Without it:
    /// an 8-bit GRBL 1.1 (ATmega328P, 16 MHz) as measured on the real firmware: about 1 ms
    /// a line plus 0.07 ms a byte and per block re-planned, slowed by the stepper interrupt
    /// while moving, and 25 ms (`$1`) after each full stop. 0 = no limit (a fast 32-bit
    /// board).
    #[arg(long, value_name = "N")]
    pub firmware_lines_per_s: Option<f64>,
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
    /// Standing still after each stop while an 8-bit GRBL's stepper holds it (`$1`).
    idle_delay_s: f64,
    /// How much longer than with unlimited delivery, because the link or the firmware can't
    /// keep the planner full (slower motion or stops), seconds.
    delivery_limited_s: f64,
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
    let mut delivery = Delivery::grbl_328p(args.link_baud);
    if let Some(n) = args.firmware_lines_per_s {
        delivery.cpu = (n > 0.0).then(|| FirmwareCpu::per_line(1.0 / n));
    }
    let e = estimate_detailed(&program, &settings, args.planner_blocks, delivery);
    let t = e.totals;
    // A planner short of lines mostly plans slower moves rather than stopping, so starved
    // time alone understates it: compare with the same machine fed by a host and a
    // processor that always keep up.
    let keeping_up = Delivery {
        bytes_per_s: None,
        cpu: delivery.cpu.map(FirmwareCpu::without_cpu_time),
    };
    let delivery_limited_s = if delivery == keeping_up {
        0.0
    } else {
        let free = estimate_detailed(&program, &settings, args.planner_blocks, keeping_up);
        (t.total_s - free.totals.total_s).max(0.0)
    };
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
                idle_delay_s: t.idle_delay_s,
                delivery_limited_s,
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
        "  cutting {}, travel {}{}{}",
        hms(t.cutting_s),
        hms(t.travel_s),
        if t.dwell_s > 0.0 {
            format!(", dwell {}", hms(t.dwell_s))
        } else {
            String::new()
        },
        if t.idle_delay_s >= 0.05 {
            format!(
                ", stopped {} ($1 after each full stop)",
                hms(t.idle_delay_s)
            )
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
    if delivery_limited_s > 0.005 * t.total_s {
        println!(
            "  {} of it because the link or the controller can't keep up with the lines \
             ({} standing still)",
            hms(delivery_limited_s),
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
