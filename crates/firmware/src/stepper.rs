//! GRBL's step segment buffer (`stepper.c`): between the planner and the step pulses.
//!
//! The step preparation (`st_prep_buffer`) cuts the planner's first block into segments of
//! at most 10 ms, each with the speeds the plan gives *when it is prepared*, and takes a
//! block out of the planner once all of it is in segments. The stepper interrupt runs the
//! segments; when it finds none it stops the machine (`st_go_idle`), and only a cycle start
//! sets it going again. The preparation runs only when the main loop reaches a check point
//! (`protocol_execute_realtime`): before each line, before each block is planned, and while
//! it waits. On an 8-bit GRBL these facts shape jobs of short moves: at most 5 segments, one
//! block each, are committed, each with the plan of its time, and a parser busy with a long
//! line lets the stepper run dry.
//!
//! Segments are stored as the analytic pieces of [`next_piece`] (constant acceleration), so
//! a segment's motion is exactly the plan's; GRBL's rounding of each segment to whole steps
//! is not modelled (it carries the remainder to the next segment, so time is kept).

use std::collections::VecDeque;

use crate::planner::{Overrides, Piece, Planner, next_piece};
use crate::words::SpindleMode;

/// GRBL's `DT_SEGMENT`: 1 / `ACCELERATION_TICKS_PER_SECOND` (100), seconds.
pub const SEGMENT_S: f64 = 0.010;

/// One constant-acceleration piece of a prepared segment.
#[derive(Debug, Clone, Copy)]
pub struct SegmentPiece {
    pub piece: Piece,
    /// Line the block came from.
    pub owner: usize,
    /// The laser fires during it.
    pub lit: bool,
    /// Below the block's nominal speed (accelerating, decelerating, held back).
    pub below_feed: bool,
    /// Steps of the busiest axis per mm: the interrupt's rate is this times the speed.
    pub step_events_per_mm: f64,
    /// The last piece of its segment: a slot of the buffer frees when it ends.
    pub ends_segment: bool,
}

/// What preparing one segment involved: what GRBL's arithmetic for it costs
/// ([`crate::cpu::FirmwareCpu::prep_cost_s`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrepWork {
    /// It started a block: step data and speed profile computed first.
    pub starts_block: bool,
    /// Ramps (acceleration, deceleration) of the speed profile it went through.
    pub ramps: usize,
    /// The block it started never reaches its nominal speed (a triangle profile: a square
    /// root and more divisions).
    pub triangle: bool,
}

/// The segment buffer and the preparation's state.
#[derive(Debug, Default)]
pub struct Stepper {
    /// Prepared motion, oldest first; the front one is running (or next).
    pub pieces: VecDeque<SegmentPiece>,
    /// Whole segments in `pieces`.
    pub segments: usize,
    /// Segments the buffer holds (GRBL: `SEGMENT_BUFFER_SIZE` 6, one slot kept free).
    pub capacity: usize,
    /// Speed at the end of the last prepared segment, mm/s: the planner's first block
    /// starts there (`st_update_plan_block_parameters`).
    pub v_prep_mm_s: f64,
    /// The machine is in a cycle (GRBL's `STATE_CYCLE`): the interrupt runs segments and the
    /// check points prepare more.
    pub running: bool,
    /// Time already run of the front piece, seconds.
    pub front_done_s: f64,
    /// The planner's first block is partly prepared.
    block_started: bool,
    /// The segment being prepared, not yet in the buffer ([`Stepper::commit`]).
    made: Vec<SegmentPiece>,
}

impl Stepper {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            ..Self::default()
        }
    }

    /// A slot is free.
    pub fn has_room(&self) -> bool {
        self.segments < self.capacity
    }

    /// The next segment starts a block (GRBL loads its step data and computes its speed
    /// profile first, which costs more than the segment).
    pub fn next_starts_block(&self) -> bool {
        !self.block_started
    }

    /// Prepares one segment of at most 10 ms from the planner's first block, taking the
    /// block out of the planner (and its owner out of `owners`) once it is all prepared: a
    /// segment never spans two blocks. The segment reaches the buffer with
    /// [`Stepper::commit`], once its preparation time has passed. `None` with nothing to
    /// prepare.
    pub fn prepare_one(
        &mut self,
        planner: &mut Planner,
        owners: &mut VecDeque<usize>,
        ov: Overrides,
    ) -> Option<PrepWork> {
        if planner.blocks.is_empty() {
            return None;
        }
        self.made.clear();
        let starts_block = !self.block_started;
        let mut segment_s = 0.0;
        let mut ramps = 0;
        // A block whose profile never reaches its nominal speed (a triangle) costs GRBL a
        // square root and more divisions when its profile is computed.
        let triangle = !self.block_started
            && planner.blocks.front().is_some_and(|b| {
                let v0 = self.v_prep_mm_s;
                let ve = planner.exit_speed();
                let peak_sqr = (2.0 * b.accel_mm_s2 * b.remaining_mm + v0 * v0 + ve * ve) * 0.5;
                let nominal = b.nominal_mm_s(ov);
                peak_sqr < nominal * nominal
            });
        while let Some(p) = next_piece(planner, self.v_prep_mm_s, false, ov, SEGMENT_S - segment_s)
        {
            let Some(block) = planner.blocks.front_mut() else {
                break;
            };
            self.block_started = true;
            block.remaining_mm -= p.dist_mm;
            let nominal = block.nominal_mm_s(ov);
            let piece = SegmentPiece {
                piece: p,
                owner: owners.front().copied().unwrap_or(0),
                lit: !block.rapid && block.s > 0.0 && block.spindle != SpindleMode::Off,
                below_feed: p.v0.max(p.v1) < nominal * 0.999 || (p.v0 - p.v1).abs() > 1e-9,
                step_events_per_mm: block.step_events_per_mm,
                ends_segment: false,
            };
            if p.dt_s > 0.0 {
                self.made.push(piece);
                if (p.v1 - p.v0).abs() > 1e-9 {
                    ramps += 1;
                }
            }
            segment_s += p.dt_s;
            self.v_prep_mm_s = p.v1;
            let block_done = block.remaining_mm <= 1e-9 || (p.dt_s <= 0.0 && p.dist_mm <= 0.0);
            if block_done {
                // `plan_discard_current_block`.
                planner.blocks.pop_front();
                owners.pop_front();
                self.block_started = false;
                break;
            }
            if segment_s >= SEGMENT_S * (1.0 - 1e-9) {
                break;
            }
        }
        if let Some(last) = self.made.last_mut() {
            last.ends_segment = true;
        }
        if planner.blocks.is_empty() {
            // Nothing left to plan from: the next block starts from rest (`plan_buffer_line`
            // on an empty planner), and the prepared segments end at a stop.
            self.v_prep_mm_s = 0.0;
        }
        Some(PrepWork {
            starts_block,
            ramps,
            triangle,
        })
    }

    /// Puts the segment [`Stepper::prepare_one`] made into the buffer.
    pub fn commit(&mut self) {
        if !self.made.is_empty() {
            self.pieces.extend(self.made.drain(..));
            self.segments += 1;
        }
    }

    /// The running piece, if any.
    pub fn front(&self) -> Option<&SegmentPiece> {
        self.pieces.front()
    }

    /// Speed now, mm/s.
    pub fn speed_mm_s(&self) -> f64 {
        self.pieces.front().map_or(0.0, |s| {
            let p = &s.piece;
            if p.dt_s > 0.0 {
                p.v0 + (p.v1 - p.v0) * (self.front_done_s / p.dt_s)
            } else {
                p.v1
            }
        })
    }

    /// Runs at most `max_dt` of the front piece. Returns the time run and the piece it
    /// belonged to (`None` with nothing prepared). Pops the piece when it ends.
    pub fn advance(&mut self, max_dt: f64) -> Option<(f64, SegmentPiece)> {
        let front = *self.pieces.front()?;
        let left = (front.piece.dt_s - self.front_done_s).max(0.0);
        if max_dt < left {
            self.front_done_s += max_dt;
            return Some((max_dt, front));
        }
        self.pieces.pop_front();
        self.front_done_s = 0.0;
        if front.ends_segment {
            self.segments = self.segments.saturating_sub(1);
        }
        Some((left, front))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::NewBlock;
    use crate::settings::Settings;

    impl Stepper {
        /// `st_prep_buffer` without the clock: fills every free slot. Returns the
        /// segments prepared.
        fn prepare(
            &mut self,
            planner: &mut Planner,
            owners: &mut VecDeque<usize>,
            ov: Overrides,
        ) -> usize {
            let mut prepared = 0;
            while self.has_room() && self.prepare_one(planner, owners, ov).is_some() {
                self.commit();
                prepared += 1;
            }
            prepared
        }

        /// Time left in the prepared segments, seconds.
        fn buffered_s(&self) -> f64 {
            self.pieces.iter().map(|s| s.piece.dt_s).sum::<f64>() - self.front_done_s
        }
    }

    fn nb(x: f64, feed: f64) -> NewBlock {
        NewBlock {
            target_mm: [x, 0.0, 0.0],
            feed,
            inverse_time: false,
            rapid: false,
            jog: false,
            spindle: SpindleMode::Off,
            s: 0.0,
        }
    }

    #[test]
    fn a_long_block_is_cut_into_10_ms_segments_and_kept_in_the_planner() {
        let settings = Settings::default();
        let mut planner = Planner::new(15);
        planner.reset(&settings, [0.0; 3]);
        let ov = Overrides::default();
        assert!(planner.push(&nb(100.0, 600.0), &settings, ov, 0.0));
        let mut owners = VecDeque::from([0]);
        let mut st = Stepper::new(5);
        assert_eq!(st.prepare(&mut planner, &mut owners, ov), 5);
        assert_eq!(st.segments, 5);
        assert!((st.buffered_s() - 0.05).abs() < 1e-9);
        assert_eq!(planner.blocks.len(), 1, "the block is still being prepared");
        // Running one segment frees one slot.
        let mut run = 0.0;
        while st.segments == 5 {
            run += st.advance(1.0).map_or(0.0, |(dt, _)| dt);
        }
        assert!((run - 0.01).abs() < 1e-9);
        assert_eq!(st.prepare(&mut planner, &mut owners, ov), 1);
    }

    #[test]
    fn short_blocks_go_to_the_stepper_whole() {
        let settings = Settings::default();
        let mut planner = Planner::new(15);
        planner.reset(&settings, [0.0; 3]);
        let ov = Overrides::default();
        let mut owners = VecDeque::new();
        for i in 1..=8 {
            assert!(planner.push(&nb(0.05 * f64::from(i), 600.0), &settings, ov, 0.0));
            owners.push_back(i as usize);
        }
        let mut st = Stepper::new(5);
        assert_eq!(st.prepare(&mut planner, &mut owners, ov), 5);
        assert_eq!(planner.blocks.len(), 3);
        assert_eq!(owners.front(), Some(&6));
        // Everything prepared runs to the end of the fifth block at the plan of its time.
        let owners_run: Vec<usize> = st.pieces.iter().map(|p| p.owner).collect();
        assert_eq!(owners_run.first(), Some(&1));
        assert_eq!(owners_run.last(), Some(&5));
    }
}
