//! Job time estimate: the program is run through the shared firmware model
//! ([`burin_firmware::timing`]): GRBL's own parser, its look-ahead planner (`planner.c`:
//! per-axis rates and accelerations projected on each move, junction deviation `$11`, the
//! 15-block buffer, reverse and forward passes), arcs split like `mc_arc` (`$12`), targets
//! rounded to whole steps (blocks shorter than a step are dropped), laser mode (no stop on
//! `S` changes; M-state changes, `M0`, `$` commands and dwells stop the machine), and the same
//! analytic trapezoids the simulator moves by. So a job on the Simulator takes as long as
//! the estimate says.
//!
//! Assumptions: the stream keeps GRBL's planner full (see [`line_times_with`] for a link and
//! firmware that can't), overrides at 100 %, the head starts at the work origin.

use burin_firmware::timing::{Delivery, JobTimer, prefiltered};
use serde::Serialize;

use crate::ast::Program;
use crate::profile::MachineProfile;

/// Estimated run time, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct TimeEstimate {
    /// Everything: `cutting_s + travel_s + dwell_s`.
    pub total_s: f64,
    /// Moves with the laser firing.
    pub cutting_s: f64,
    /// Rapids and laser-off feed moves.
    pub travel_s: f64,
    /// `G4` dwells.
    pub dwell_s: f64,
}

/// How fast the profile's firmware takes lines: an 8-bit GRBL (a planner of 16 blocks or
/// fewer, as an ATmega328P has) parses and plans 350 to 550 lines a second, less while the
/// machine moves fast, and stops 25 ms after each full stop ([`Delivery::grbl_328p`],
/// measured on the real firmware); a 32-bit board with a bigger planner keeps up with
/// anything. The link is left out: at 115200 baud it carries more
/// than an 8-bit GRBL parses unless lines are over about 28 bytes, and `burin estimate`
/// and the stutter warning look at it apart.
pub fn delivery_for(profile: &MachineProfile) -> Delivery {
    if (1..=16).contains(&profile.planner_blocks) {
        Delivery::grbl_328p(0)
    } else {
        Delivery::unlimited()
    }
}

/// Estimates how long GRBL takes to run `program` on `profile`, including the firmware's
/// time per line ([`delivery_for`]).
pub fn estimate_time(program: &Program, profile: &MachineProfile) -> TimeEstimate {
    run(program, profile, 1.0, delivery_for(profile)).1
}

/// Seconds GRBL spends on each line of `program` (index = line index in `program`), by
/// the same model as [`estimate_time`]; they add up to its `total_s`. Progress and
/// remaining time during a job come from these, not from line counts.
pub fn line_times(program: &Program, profile: &MachineProfile) -> Vec<f64> {
    run(program, profile, 1.0, delivery_for(profile)).0
}

/// The machine's own time per line, as if every line reached the planner the moment it had
/// room, with every programmed feed multiplied by `feed_scale` (as GRBL's feed override
/// would; rapids unchanged): what the motion asks of the link and the firmware, for the
/// stutter check and for asking "how fast would it run at a lower feed".
pub fn line_times_at(program: &Program, profile: &MachineProfile, feed_scale: f64) -> Vec<f64> {
    run(program, profile, feed_scale, Delivery::unlimited()).0
}

/// [`line_times`] and the totals when lines reach GRBL no faster than `delivery` allows (a
/// serial link's bytes per second, the firmware's time per line): a program that outruns
/// them starves the planner, and the estimate includes those stops.
pub fn line_times_with(
    program: &Program,
    profile: &MachineProfile,
    delivery: Delivery,
) -> (Vec<f64>, TimeEstimate) {
    run(program, profile, 1.0, delivery)
}

/// Time spent under one `; layer NAME` comment (Burin writes one per layer block).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerTime {
    /// The layer's name, or `(before any layer)`.
    pub name: String,
    pub seconds: f64,
    /// Of which with the laser firing; the rest is travel, overscan and dwell.
    pub cutting_s: f64,
}

/// The full estimate on explicit firmware settings (a saved `$$` dump), for `burin estimate`.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailedEstimate {
    /// Seconds per program line.
    pub per_line: Vec<f64>,
    pub totals: burin_firmware::timing::Totals,
    /// In order of first appearance.
    pub layers: Vec<LayerTime>,
    /// Lines GRBL would refuse (1-based line, error code); they are skipped, as on the machine.
    pub refused: Vec<(usize, u8)>,
}

/// Runs `program` on a machine with these firmware `settings` and `planner_blocks` of
/// look-ahead, with lines delivered no faster than `delivery`.
pub fn estimate_detailed(
    program: &Program,
    settings: &burin_firmware::Settings,
    planner_blocks: usize,
    delivery: Delivery,
) -> DetailedEstimate {
    let mut timer = JobTimer::new(settings.clone(), planner_blocks.max(1), delivery);
    let mut filtered = Vec::new();
    for (i, text) in program.line_texts().enumerate() {
        timer.line(i, prefiltered(text, &mut filtered), text.len() + 1);
    }
    let refused = timer.errors.iter().map(|&(i, c)| (i + 1, c)).collect();
    let (mut per_line, mut cutting, totals) = timer.finish_detailed();
    per_line.resize(program.len(), 0.0);
    cutting.resize(program.len(), 0.0);
    let mut layers: Vec<LayerTime> = Vec::new();
    let mut current: Option<usize> = None;
    for ((text, t), c) in program.line_texts().zip(&per_line).zip(&cutting) {
        if let Some(name) = text.strip_prefix("; layer ") {
            let name = name.trim().to_string();
            current = Some(match layers.iter().position(|l| l.name == name) {
                Some(i) => i,
                None => {
                    layers.push(LayerTime {
                        name,
                        seconds: 0.0,
                        cutting_s: 0.0,
                    });
                    layers.len() - 1
                }
            });
        }
        if *t > 0.0 {
            let i = *current.get_or_insert_with(|| {
                layers.push(LayerTime {
                    name: BEFORE_ANY_LAYER.into(),
                    seconds: 0.0,
                    cutting_s: 0.0,
                });
                layers.len() - 1
            });
            layers[i].seconds += t;
            layers[i].cutting_s += c;
        }
    }
    // The header before the first layer only waits for its lines to be parsed (a few ms with
    // an 8-bit GRBL): count that in the first layer rather than list a layer of nothing.
    if layers.len() > 1 && layers[0].name == BEFORE_ANY_LAYER && layers[0].seconds < 0.05 {
        let header = layers.remove(0);
        layers[0].seconds += header.seconds;
        layers[0].cutting_s += header.cutting_s;
    }
    DetailedEstimate {
        per_line,
        totals,
        layers,
        refused,
    }
}

const BEFORE_ANY_LAYER: &str = "(before any layer)";

fn run(
    program: &Program,
    profile: &MachineProfile,
    feed_scale: f64,
    delivery: Delivery,
) -> (Vec<f64>, TimeEstimate) {
    let blocks = match profile.planner_blocks {
        // "Unlimited": deep enough that no realistic job notices the end of the buffer.
        0 => 1024,
        n => n as usize,
    };
    let mut timer =
        JobTimer::new(profile.firmware_settings(), blocks, delivery).with_feed_scale(feed_scale);
    let mut filtered = Vec::new();
    for (i, text) in program.line_texts().enumerate() {
        timer.line(i, prefiltered(text, &mut filtered), text.len() + 1);
    }
    let (mut per_line, t) = timer.finish();
    per_line.resize(program.len(), 0.0);
    (
        per_line,
        TimeEstimate {
            total_s: t.total_s,
            cutting_s: t.cutting_s,
            travel_s: t.travel_s + t.starved_s + t.idle_delay_s,
            dwell_s: t.dwell_s,
        },
    )
}

#[cfg(test)]
#[path = "estimate_tests.rs"]
mod tests;
