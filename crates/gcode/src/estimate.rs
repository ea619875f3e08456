//! Job time estimate that follows GRBL 1.1's planner (`planner.c`).
//!
//! Every linear block gets GRBL's numbers: nominal speed = the feed (or, for rapids, the rate)
//! limited by each axis' `$110`-`$112` along the move direction; acceleration likewise from
//! `$120`-`$122`; the speed at each junction from the junction deviation `$11`; then the
//! backward and forward passes, and a trapezoid (or triangle) per block. Arcs are split the way
//! `mc_arc` splits them (`$12`). M-state changes, `M0`, `$` commands and dwells stop the
//! machine; `G4 P` adds its seconds.
//!
//! Assumptions: the stream keeps GRBL's planner full (no starvation), overrides are at 100 %,
//! and GRBL can look ahead over [`MachineProfile::planner_blocks`] blocks. Real jobs take a
//! little longer when the serial link cannot keep up with very short segments. The extra stops
//! GRBL makes in `M3` mode for an `S` change on a line without motion are not modelled, nor
//! GRBL's dropping of blocks shorter than one step (only zero-length blocks are dropped).

use serde::Serialize;

use crate::ast::Program;
use crate::interp::{Event, Interp, SegKind, Segment};
use crate::profile::MachineProfile;

/// GRBL's `MINIMUM_FEED_RATE`, mm/min.
const MIN_FEED_MM_MIN: f64 = 1.0;

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

/// Estimates how long GRBL takes to run `program` on `profile`.
pub fn estimate_time(program: &Program, profile: &MachineProfile) -> TimeEstimate {
    let mut it = Interp::default();
    let mut planner = Planner::new(profile);
    let mut events = Vec::new();
    let mut notes = Vec::new();
    for line in program.lines() {
        events.clear();
        notes.clear();
        it.step(&line, &mut events, &mut notes);
        for e in &events {
            planner.event(e);
        }
    }
    planner.finish()
}

/// Seconds GRBL spends on each line of `program` (index = line index in `program`), by
/// the same planner model as [`estimate_time`]; they add up to its `total_s`. Progress and
/// remaining time during a job come from these, not from line counts.
pub fn line_times(program: &Program, profile: &MachineProfile) -> Vec<f64> {
    line_times_at(program, profile, 1.0)
}

/// [`line_times`] with every programmed feed multiplied by `feed_scale` (as GRBL's feed
/// override would; rapids unchanged), for asking "how fast would it run at a lower feed".
pub fn line_times_at(program: &Program, profile: &MachineProfile, feed_scale: f64) -> Vec<f64> {
    let mut it = Interp::default();
    let mut planner = Planner::new(profile).with_line_times(program.len());
    if feed_scale.is_finite() && feed_scale > 0.0 {
        planner.feed_scale = feed_scale;
    }
    let mut events = Vec::new();
    let mut notes = Vec::new();
    for (i, line) in program.lines().enumerate() {
        events.clear();
        notes.clear();
        it.step(&line, &mut events, &mut notes);
        planner.line_idx = i;
        for e in &events {
            planner.event(e);
        }
    }
    planner.flush();
    planner.per_line.unwrap_or_default()
}

#[derive(Debug, Clone, Copy)]
struct Block {
    len_mm: f64,
    nominal_mm_s: f64,
    accel_mm_s2: f64,
    max_entry_sqr: f64,
    powered: bool,
    /// Index of the program line the block came from.
    line_idx: usize,
}

/// Collects blocks until the machine must stop, then plans and times them.
pub(crate) struct Planner<'a> {
    profile: &'a MachineProfile,
    max_rate: [f64; 3],
    accel: [f64; 3],
    blocks: Vec<Block>,
    prev_unit: Option<[f64; 3]>,
    prev_nominal: f64,
    est: TimeEstimate,
    /// When asked for: seconds per program line index.
    per_line: Option<Vec<f64>>,
    /// Index of the line whose events are being fed.
    line_idx: usize,
    /// Factor on every programmed feed (GRBL's feed override), 1 normally.
    feed_scale: f64,
}

/// GRBL's `limit_value_by_axis_maximum`: the largest value along `unit` that keeps every axis
/// within its own maximum.
fn limit_by_axes(max: [f64; 3], unit: [f64; 3]) -> f64 {
    let mut limit = f64::INFINITY;
    for i in 0..3 {
        if unit[i] != 0.0 {
            limit = limit.min(max[i] / unit[i].abs());
        }
    }
    limit
}

impl<'a> Planner<'a> {
    pub fn new(profile: &'a MachineProfile) -> Self {
        // A zero or negative setting would make time infinite; keep it tiny but positive.
        let positive = |v: f64| if v.is_finite() && v > 1e-9 { v } else { 1e-9 };
        Self {
            profile,
            max_rate: profile.max_rate_mm_s().map(positive),
            accel: profile.accel_mm_s2().map(positive),
            blocks: Vec::new(),
            prev_unit: None,
            prev_nominal: 0.0,
            est: TimeEstimate::default(),
            per_line: None,
            line_idx: 0,
            feed_scale: 1.0,
        }
    }

    /// Also records the time of every line (see [`line_times`]).
    fn with_line_times(mut self, lines: usize) -> Self {
        self.per_line = Some(vec![0.0; lines]);
        self
    }

    pub fn event(&mut self, e: &Event) {
        match e {
            Event::Motion(seg) => self.segment(seg),
            Event::Dwell { seconds } => {
                self.flush();
                if seconds.is_finite() && *seconds > 0.0 {
                    self.est.dwell_s += seconds;
                    let at = self.line_idx;
                    if let Some(slot) = self.per_line.as_mut().and_then(|v| v.get_mut(at)) {
                        *slot += seconds;
                    }
                }
            }
            Event::Sync => self.flush(),
        }
    }

    fn segment(&mut self, seg: &Segment) {
        let feed = match seg.kind {
            SegKind::Rapid => None,
            _ => Some(seg.feed_mm_min),
        };
        match &seg.kind {
            SegKind::Arc(a) => {
                let mut from = seg.from;
                let tol = self.profile.arc_tolerance_mm;
                for p in a.segment_points(seg.from, seg.to, tol) {
                    self.line(from, p, feed, seg.powered);
                    from = p;
                }
            }
            _ => self.line(seg.from, seg.to, feed, seg.powered),
        }
        if seg.kind == SegKind::Probe {
            // A probe cycle ends in a stop.
            self.flush();
        }
    }

    /// Adds one linear block: `feed_mm_min` `None` for a rapid.
    fn line(&mut self, from: [f64; 3], to: [f64; 3], feed_mm_min: Option<f64>, powered: bool) {
        let delta = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
        let len = (delta[0] * delta[0] + delta[1] * delta[1] + delta[2] * delta[2]).sqrt();
        if !len.is_finite() || len <= 1e-9 {
            return; // GRBL drops blocks without steps.
        }
        let unit = delta.map(|d| d / len);
        let rapid_rate = limit_by_axes(self.max_rate, unit);
        let nominal = match feed_mm_min {
            None => rapid_rate,
            Some(f) => ((f * self.feed_scale).max(MIN_FEED_MM_MIN) / 60.0).min(rapid_rate),
        };
        let accel = limit_by_axes(self.accel, unit);
        let junction_sqr = match self.prev_unit {
            // First block after a stop starts from rest.
            None => 0.0,
            Some(prev) => {
                let cos = -(prev[0] * unit[0] + prev[1] * unit[1] + prev[2] * unit[2]);
                if cos > 0.999_999 {
                    0.0
                } else if cos < -0.999_999 {
                    f64::INFINITY
                } else {
                    let j = [unit[0] - prev[0], unit[1] - prev[1], unit[2] - prev[2]];
                    let jl = (j[0] * j[0] + j[1] * j[1] + j[2] * j[2]).sqrt();
                    let j_accel = limit_by_axes(self.accel, j.map(|v| v / jl));
                    let sin_half = (0.5 * (1.0 - cos)).sqrt();
                    (j_accel * self.profile.junction_deviation_mm * sin_half / (1.0 - sin_half))
                        .max(0.0)
                }
            }
        };
        let nominal_min = nominal.min(self.prev_nominal);
        self.blocks.push(Block {
            len_mm: len,
            nominal_mm_s: nominal,
            accel_mm_s2: accel,
            max_entry_sqr: junction_sqr.min(nominal_min * nominal_min),
            powered,
            line_idx: self.line_idx,
        });
        self.prev_unit = Some(unit);
        self.prev_nominal = nominal;
    }

    /// Plans the collected blocks to a stop and adds their times.
    fn flush(&mut self) {
        let n = self.blocks.len();
        self.prev_unit = None;
        self.prev_nominal = 0.0;
        if n == 0 {
            return;
        }
        let b = std::mem::take(&mut self.blocks);
        let reach = |k: usize| 2.0 * b[k].accel_mm_s2 * b[k].len_mm;
        let mut entry: Vec<f64> = b.iter().map(|blk| blk.max_entry_sqr).collect();
        entry[0] = 0.0;

        // GRBL only holds `planner_blocks`: at a junction it must be able to stop within the
        // blocks it can see after it.
        let window = self.profile.planner_blocks.saturating_sub(1) as usize;
        if window > 0 {
            for j in 1..n {
                let last = (j + window - 1).min(n - 1);
                if last == n - 1 {
                    continue; // the real end is in view: the full passes below cover it
                }
                let mut v = 0.0;
                for k in (j..=last).rev() {
                    v = (v + reach(k)).min(entry[k]);
                }
                entry[j] = v;
            }
        }
        // Backward pass: decelerate to a stop after the last block.
        let mut next = 0.0;
        for k in (0..n).rev() {
            entry[k] = entry[k].min(next + reach(k));
            next = entry[k];
        }
        // Forward pass: what acceleration can actually reach.
        for k in 0..n - 1 {
            entry[k + 1] = entry[k + 1].min(entry[k] + reach(k));
        }
        for k in 0..n {
            let exit = if k + 1 < n { entry[k + 1] } else { 0.0 };
            let t = block_time(&b[k], entry[k], exit);
            if let Some(slot) = self
                .per_line
                .as_mut()
                .and_then(|v| v.get_mut(b[k].line_idx))
            {
                *slot += t;
            }
            if b[k].powered {
                self.est.cutting_s += t;
            } else {
                self.est.travel_s += t;
            }
        }
    }

    pub fn finish(mut self) -> TimeEstimate {
        self.flush();
        let e = &mut self.est;
        e.total_s = e.cutting_s + e.travel_s + e.dwell_s;
        self.est
    }
}

/// Time of one block: accelerate from the entry speed, cruise, decelerate to the exit speed
/// (speeds given squared, mm²/s²).
fn block_time(b: &Block, entry_sqr: f64, exit_sqr: f64) -> f64 {
    let a = b.accel_mm_s2;
    let len = b.len_mm;
    let peak_sqr = (b.nominal_mm_s * b.nominal_mm_s)
        .min((2.0 * a * len + entry_sqr + exit_sqr) / 2.0)
        .max(entry_sqr.max(exit_sqr));
    let (v0, v1, vp) = (entry_sqr.sqrt(), exit_sqr.sqrt(), peak_sqr.sqrt());
    // NaN-safe: only a positive peak speed moves anything.
    if vp.is_nan() || vp <= 0.0 {
        return 0.0;
    }
    let d_acc = (peak_sqr - entry_sqr) / (2.0 * a);
    let d_dec = (peak_sqr - exit_sqr) / (2.0 * a);
    let cruise = (len - d_acc - d_dec).max(0.0);
    (vp - v0) / a + (vp - v1) / a + cruise / vp
}

#[cfg(test)]
#[path = "estimate_tests.rs"]
mod tests;
