//! Look-ahead planner and motion executor.
//!
//! The planner follows `planner.c`: per-axis limited rapid rate and acceleration, junction
//! speeds from junction deviation (`$11`), and a reverse (decelerate to a stop at the end of
//! the queue) plus forward (acceleration-limited) pass over all queued blocks. Instead of
//! GRBL's step segments, the executor integrates the trapezoid analytically: at any moment
//! it accelerates, cruises or decelerates at the block's acceleration so that the block's
//! exit speed equals the planned entry speed of the next block. Internally speeds are mm/s.

use crate::settings::{N_AXIS, Settings};
use crate::words::SpindleMode;
use std::collections::VecDeque;

/// GRBL's `MINIMUM_FEED_RATE` (1 mm/min) in mm/s.
const MINIMUM_FEED_MM_S: f64 = 1.0 / 60.0;
const SOME_LARGE_VALUE: f64 = 1.0e38;

/// Override percentages (GRBL's `sys.f_override`, `r_override`, `spindle_speed_ovr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overrides {
    /// Feed override, percent (10..=200). Applies to G1/G2/G3.
    pub feed_pct: u8,
    /// Rapid override, percent (100, 50 or 25). Applies to G0/G28/G30.
    pub rapid_pct: u8,
    /// Spindle/laser power override, percent (10..=200).
    pub spindle_pct: u8,
}

impl Default for Overrides {
    fn default() -> Self {
        Self {
            feed_pct: 100,
            rapid_pct: 100,
            spindle_pct: 100,
        }
    }
}

/// One queued linear move.
#[derive(Debug, Clone)]
pub struct Block {
    pub start_mm: [f64; N_AXIS],
    pub target_mm: [f64; N_AXIS],
    pub unit: [f64; N_AXIS],
    pub len_mm: f64,
    pub remaining_mm: f64,
    pub accel_mm_s2: f64,
    pub rapid_rate_mm_s: f64,
    /// Programmed rate, mm/s (the rapid rate for rapids).
    pub programmed_mm_s: f64,
    pub rapid: bool,
    pub jog: bool,
    pub max_junction_sqr: f64,
    pub entry_sqr: f64,
    pub spindle: SpindleMode,
    /// Planner spindle speed (0 = laser kept off on this block).
    pub s: f64,
    /// Steps of the busiest axis per mm of path (GRBL's `step_event_count / millimeters`):
    /// the stepper interrupt's rate is this times the speed.
    pub step_events_per_mm: f64,
    /// After the last re-plan: the entry speed can't improve any more (it is at its limit,
    /// or reached at full acceleration), so GRBL's re-plan stops here (`block_buffer_planned`).
    pub optimal: bool,
}

impl Block {
    /// GRBL's `plan_compute_profile_nominal_speed`.
    pub fn nominal_mm_s(&self, ov: Overrides) -> f64 {
        let mut v = self.programmed_mm_s;
        if self.rapid {
            v *= 0.01 * f64::from(ov.rapid_pct);
        } else {
            if !self.jog {
                v *= 0.01 * f64::from(ov.feed_pct);
            }
            v = v.min(self.rapid_rate_mm_s);
        }
        v.max(MINIMUM_FEED_MM_S)
    }

    pub fn position_mm(&self) -> [f64; N_AXIS] {
        let done = self.len_mm - self.remaining_mm;
        let mut p = self.start_mm;
        for (i, v) in p.iter_mut().enumerate() {
            *v += self.unit[i] * done;
        }
        p
    }
}

/// GRBL's `limit_value_by_axis_maximum`.
fn limit_by_axis(max: &[f64; N_AXIS], unit: &[f64; N_AXIS]) -> f64 {
    let mut limit = SOME_LARGE_VALUE;
    for i in 0..N_AXIS {
        if unit[i] != 0.0 {
            limit = limit.min((max[i] / unit[i]).abs());
        }
    }
    limit
}

/// The planner queue; `blocks[0]` is the one executing (or next to execute).
#[derive(Debug, Default)]
pub struct Planner {
    pub blocks: VecDeque<Block>,
    pub capacity: usize,
    /// Planner position in steps (GRBL's `pl.position`).
    pub position_steps: [i64; N_AXIS],
    previous_unit: [f64; N_AXIS],
    previous_nominal: f64,
    /// Blocks the last [`Planner::push`] re-planned, as GRBL counts them (from the new block
    /// back to the last optimal one): the firmware's planning work grows with it.
    pub last_replanned: usize,
    /// Axes the last pushed block moves, and whether its junction speed with the block
    /// before it was computed (it turns): what planning it cost the firmware.
    pub last_axes: usize,
    pub last_turned: bool,
    /// Whole blocks the stepper's segment buffer may hold apart from the planner (5 on an
    /// 8-bit GRBL, see [`crate::cpu::FirmwareCpu::segment_buffer_blocks`]); 0: every queued
    /// block can be joined to a new one.
    pub segment_buffer_blocks: usize,
}

/// Input to [`Planner::push`].
pub struct NewBlock {
    pub target_mm: [f64; N_AXIS],
    /// Programmed feed in mm/min, or 1/min if `inverse_time`.
    pub feed: f64,
    pub inverse_time: bool,
    pub rapid: bool,
    pub jog: bool,
    pub spindle: SpindleMode,
    pub s: f64,
}

impl Planner {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            ..Self::default()
        }
    }

    pub fn is_full(&self) -> bool {
        self.blocks.len() >= self.capacity
    }

    pub fn free(&self) -> usize {
        self.capacity.saturating_sub(self.blocks.len())
    }

    /// Empties the queue and syncs the planner position to `mpos` (GRBL's `plan_reset` +
    /// `plan_sync_position`).
    pub fn reset(&mut self, settings: &Settings, mpos: [f64; N_AXIS]) {
        self.blocks.clear();
        self.previous_unit = [0.0; N_AXIS];
        self.previous_nominal = 0.0;
        self.sync_position(settings, mpos);
    }

    pub fn sync_position(&mut self, settings: &Settings, mpos: [f64; N_AXIS]) {
        for (i, steps) in self.position_steps.iter_mut().enumerate() {
            *steps = (mpos[i] * settings.spm(i)).round() as i64;
        }
    }

    /// GRBL's `plan_buffer_line`. Returns false for an empty (zero-step) block, which is
    /// dropped. `v_now` is the current speed of the executing block, mm/s.
    pub fn push(&mut self, nb: &NewBlock, settings: &Settings, ov: Overrides, v_now: f64) -> bool {
        let mut target_steps = [0i64; N_AXIS];
        let mut delta_mm = [0.0; N_AXIS];
        let mut start_mm = [0.0; N_AXIS];
        let mut target_mm = [0.0; N_AXIS];
        let mut any = false;
        for i in 0..N_AXIS {
            let spm = settings.spm(i);
            target_steps[i] = (nb.target_mm[i] * spm).round() as i64;
            let d = target_steps[i].saturating_sub(self.position_steps[i]);
            any |= d != 0;
            delta_mm[i] = d as f64 / spm;
            start_mm[i] = self.position_steps[i] as f64 / spm;
            target_mm[i] = target_steps[i] as f64 / spm;
        }
        if !any {
            return false;
        }
        let len = delta_mm.iter().map(|d| d * d).sum::<f64>().sqrt();
        self.last_axes = delta_mm.iter().filter(|d| **d != 0.0).count();
        self.last_turned = false;
        let unit = delta_mm.map(|d| d / len);
        let max_rate = settings.rate_limits_mm_s();
        let accel_mm_s2 = limit_by_axis(&settings.accel_limits(), &unit);
        let rapid_rate = limit_by_axis(&max_rate, &unit);
        let programmed = if nb.rapid {
            rapid_rate
        } else if nb.inverse_time {
            len * nb.feed / 60.0
        } else {
            nb.feed / 60.0
        };
        let max_junction_sqr = if self.blocks.is_empty() || self.all_with_the_stepper(v_now) {
            0.0
        } else {
            let mut cos_theta = 0.0;
            let mut junction_unit = [0.0; N_AXIS];
            for i in 0..N_AXIS {
                cos_theta -= self.previous_unit[i] * unit[i];
                junction_unit[i] = unit[i] - self.previous_unit[i];
            }
            if cos_theta > 0.999_999 {
                0.0 // MINIMUM_JUNCTION_SPEED² (0 in the default config)
            } else if cos_theta < -0.999_999 {
                SOME_LARGE_VALUE
            } else {
                self.last_turned = true;
                let n = junction_unit.iter().map(|d| d * d).sum::<f64>().sqrt();
                let junction_unit = junction_unit.map(|d| d / n);
                let junction_accel = limit_by_axis(&settings.accel_limits(), &junction_unit);
                let sin_theta_d2 = (0.5 * (1.0 - cos_theta)).sqrt();
                (junction_accel * settings.junction_deviation_mm * sin_theta_d2
                    / (1.0 - sin_theta_d2))
                    .max(0.0)
            }
        };
        let block = Block {
            start_mm,
            target_mm,
            unit,
            len_mm: len,
            remaining_mm: len,
            accel_mm_s2,
            rapid_rate_mm_s: rapid_rate,
            programmed_mm_s: programmed,
            rapid: nb.rapid,
            jog: nb.jog,
            max_junction_sqr,
            entry_sqr: 0.0,
            spindle: nb.spindle,
            s: nb.s,
            step_events_per_mm: (0..N_AXIS)
                .map(|i| (delta_mm[i] * settings.spm(i)).abs())
                .fold(0.0, f64::max)
                / len,
            optimal: false,
        };
        self.previous_nominal = block.nominal_mm_s(ov);
        self.previous_unit = unit;
        self.position_steps = target_steps;
        self.last_replanned = 1 + self
            .blocks
            .iter()
            .skip(1)
            .rev()
            .take_while(|b| !b.optimal)
            .count();
        self.blocks.push_back(block);
        self.recalculate(ov, v_now);
        true
    }

    /// Whether GRBL's step preparation has already taken every queued block out of its
    /// planner: there are at most [`Planner::segment_buffer_blocks`] of them and each fits in
    /// one 10 ms step segment, so each went to the stepper whole. A new block then has
    /// nothing to be joined to and starts from rest, as in `plan_buffer_line`.
    fn all_with_the_stepper(&self, v_now: f64) -> bool {
        /// GRBL's `DT_SEGMENT`: 1 / ACCELERATION_TICKS_PER_SECOND (100).
        const SEGMENT_S: f64 = 0.010;
        if self.blocks.len() > self.segment_buffer_blocks {
            return false;
        }
        self.blocks.iter().enumerate().all(|(i, b)| {
            let (d, v) = if i == 0 {
                (b.remaining_mm, v_now)
            } else {
                (b.len_mm, b.entry_sqr.max(0.0).sqrt())
            };
            // At the speed it starts at; a block starting slowly spans several segments and
            // stays in the planner while the first ones run.
            d <= v * SEGMENT_S
        })
    }

    /// Reverse and forward passes over the whole queue. Block 0's entry is the current
    /// speed `v_now` over its remaining distance.
    pub fn recalculate(&mut self, ov: Overrides, v_now: f64) {
        let n = self.blocks.len();
        if n == 0 {
            return;
        }
        // Reverse pass: every block must be able to stop at the end of the queue. Nominal
        // speeds are carried from block to block (no list of them: this runs on every line).
        let mut next_entry_sqr = 0.0;
        let mut nominal_mm_s = self.blocks[n - 1].nominal_mm_s(ov);
        for i in (1..n).rev() {
            let nominal_before_mm_s = self.blocks[i - 1].nominal_mm_s(ov);
            let b = &mut self.blocks[i];
            let max_entry = b
                .max_junction_sqr
                .min(nominal_mm_s * nominal_mm_s)
                .min(nominal_before_mm_s * nominal_before_mm_s);
            b.entry_sqr = max_entry.min(next_entry_sqr + 2.0 * b.accel_mm_s2 * b.len_mm);
            b.optimal = b.entry_sqr >= max_entry;
            next_entry_sqr = b.entry_sqr;
            nominal_mm_s = nominal_before_mm_s;
        }
        // Forward pass: entries reachable by accelerating from the current speed.
        self.blocks[0].entry_sqr = v_now * v_now;
        let mut prev_v_sqr = v_now * v_now;
        let mut prev_d = self.blocks[0].remaining_mm;
        let mut prev_a = self.blocks[0].accel_mm_s2;
        for i in 1..n {
            let b = &mut self.blocks[i];
            let reachable_sqr = prev_v_sqr + 2.0 * prev_a * prev_d;
            if reachable_sqr < b.entry_sqr {
                b.entry_sqr = reachable_sqr;
                b.optimal = true;
            }
            prev_v_sqr = b.entry_sqr;
            prev_d = b.len_mm;
            prev_a = b.accel_mm_s2;
        }
    }

    /// Planned exit speed of block 0, mm/s.
    pub fn exit_speed(&self) -> f64 {
        self.blocks
            .get(1)
            .map_or(0.0, |b| b.entry_sqr.max(0.0).sqrt())
    }
}

/// One constant-acceleration piece of motion within block 0.
#[derive(Debug, Clone, Copy)]
pub struct Piece {
    pub dt_s: f64,
    pub v0: f64,
    pub v1: f64,
    pub dist_mm: f64,
}

/// Plans the next constant-acceleration piece of block 0, at most `max_dt` long.
/// `hold` decelerates to a stop regardless of the plan. Returns `None` if there is nothing
/// to do (no block, or holding at standstill).
pub fn next_piece(
    planner: &Planner,
    v: f64,
    hold: bool,
    ov: Overrides,
    max_dt: f64,
) -> Option<Piece> {
    let b = planner.blocks.front()?;
    let d = b.remaining_mm.max(0.0);
    let a = b.accel_mm_s2;
    let eps_d = 1e-9 + 1e-12 * b.len_mm;
    let eps_v = 1e-9;
    let piece = |acc: f64, t: f64| {
        let t = t.clamp(0.0, max_dt);
        let v1 = (v + acc * t).max(0.0);
        let dist = ((v + v1) * 0.5 * t).min(d);
        Piece {
            dt_s: t,
            v0: v,
            v1,
            dist_mm: dist,
        }
    };
    if hold {
        if v <= eps_v {
            return None;
        }
        let stop_dist = v * v / (2.0 * a);
        if stop_dist >= d {
            let t_end = (v - (v * v - 2.0 * a * d).max(0.0).sqrt()) / a;
            return Some(end_piece(piece(-a, t_end), t_end, max_dt, d));
        }
        return Some(piece(-a, v / a));
    }
    if d <= eps_d {
        return Some(Piece {
            dt_s: 0.0,
            v0: v,
            v1: v,
            dist_mm: d,
        });
    }
    let vn = b.nominal_mm_s(ov);
    let ve = planner.exit_speed().min(vn.max(v));
    let decel_dist = if v > ve {
        (v * v - ve * ve) / (2.0 * a)
    } else {
        0.0
    };
    if v > ve + eps_v && decel_dist >= d - eps_d {
        // Decelerate to the exit speed over exactly the remaining distance.
        let a_eff = (v * v - ve * ve) / (2.0 * d);
        let t_end = 2.0 * d / (v + ve);
        return Some(end_piece(piece(-a_eff, t_end), t_end, max_dt, d));
    }
    if v < vn - eps_v {
        let peak = ((2.0 * a * d + v * v + ve * ve) * 0.5).sqrt();
        let vt = vn.min(peak);
        if vt > v + eps_v {
            return Some(piece(a, (vt - v) / a));
        }
    } else if v > vn + eps_v {
        // Override lowered the nominal speed: slow down to it.
        return Some(piece(-a, (v - vn) / a));
    }
    // Cruise until the deceleration point.
    let vc = v.max(eps_v);
    let cruise_d = (d - (vc * vc - ve * ve).max(0.0) / (2.0 * a)).max(0.0);
    let t = cruise_d / vc;
    if t <= 1e-12 {
        // Numerically at the decel point with v ≈ ve: finish the block at constant speed.
        let t_end = d / vc;
        let p = Piece {
            dt_s: t_end.min(max_dt),
            v0: vc,
            v1: vc,
            dist_mm: (vc * t_end.min(max_dt)).min(d),
        };
        return Some(end_piece(p, t_end, max_dt, d));
    }
    let tt = t.min(max_dt);
    Some(Piece {
        dt_s: tt,
        v0: vc,
        v1: vc,
        dist_mm: (vc * tt).min(d),
    })
}

/// Snaps a piece that reaches its planned end to exactly the remaining distance.
fn end_piece(mut p: Piece, t_end: f64, max_dt: f64, d: f64) -> Piece {
    if t_end <= max_dt {
        p.dist_mm = d;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(x: f64, y: f64, feed: f64) -> NewBlock {
        NewBlock {
            target_mm: [x, y, 0.0],
            feed,
            inverse_time: false,
            rapid: false,
            jog: false,
            spindle: SpindleMode::Off,
            s: 0.0,
        }
    }

    #[test]
    fn junction_speed_follows_deviation() {
        let s = Settings::default();
        let mut p = Planner::new(15);
        assert!(p.push(&nb(10.0, 0.0, 6000.0), &s, Overrides::default(), 0.0));
        assert!(p.push(&nb(10.0, 10.0, 6000.0), &s, Overrides::default(), 0.0));
        // 90° corner: v² = a·δ·sin(θ/2)/(1-sin(θ/2)), a limited along the junction vector.
        let sin = (0.5f64).sqrt();
        let expect = 1000.0 * 2f64.sqrt() * 0.010 * sin / (1.0 - sin);
        assert!((p.blocks[1].max_junction_sqr - expect).abs() < 1e-9);
        assert!(p.blocks[1].entry_sqr <= expect + 1e-9);
        // Straight continuation: full speed allowed at the junction.
        assert!(p.push(&nb(10.0, 20.0, 6000.0), &s, Overrides::default(), 0.0));
        assert!(p.blocks[2].max_junction_sqr > 1e30);
        assert!(
            !p.push(&nb(10.0, 20.0, 6000.0), &s, Overrides::default(), 0.0),
            "zero length"
        );
    }

    #[test]
    fn rates_are_axis_limited() {
        let s = Settings {
            max_rate_mm_min: [6000.0, 3000.0, 500.0],
            ..Settings::default()
        };
        let mut p = Planner::new(15);
        let mut r = nb(10.0, 10.0, 0.0);
        r.rapid = true;
        p.push(&r, &s, Overrides::default(), 0.0);
        // Y limits: 50 mm/s / (1/√2).
        assert!((p.blocks[0].rapid_rate_mm_s - 50.0 * 2f64.sqrt()).abs() < 1e-9);
    }
}
