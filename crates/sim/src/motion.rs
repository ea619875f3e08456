//! Timed activity: motion pieces, hold/resume, laser output, dwell and door restore.

use crate::machine::{Grbl, State};
use crate::planner::next_piece;
use crate::words::SpindleMode;

impl Grbl {
    pub(crate) fn motion_active(&self) -> bool {
        !self.planner.blocks.is_empty()
            && match self.state {
                State::Cycle | State::Jog => true,
                State::Hold | State::Door => !self.hold_complete,
                _ => false,
            }
    }

    fn holding(&self) -> bool {
        self.suspended && !self.hold_complete
    }

    /// Runs timed activity for at most `max_dt` seconds; returns the time used.
    pub(crate) fn run_activity(&mut self, max_dt: f64) -> f64 {
        if let Some(left) = self.idle_delay_left_s {
            let used = left.min(max_dt);
            if left - used <= 1e-12 {
                self.idle_delay_left_s = None;
                self.cycle_stop();
            } else {
                self.idle_delay_left_s = Some(left - used);
            }
            return used;
        }
        if let Some(left) = self.homing_left_s {
            let used = left.min(max_dt);
            self.homing_left_s = Some(left - used);
            if left - used <= 0.0 {
                self.finish_homing();
            }
            return used;
        }
        if self.motion_active() {
            return self.step_motion(max_dt);
        }
        if self.suspended && !self.hold_complete && self.v_mm_s <= 0.0 {
            // A hold requested while no block was left: it is complete at once.
            self.on_hold_complete();
            return 0.0;
        }
        let mut used = max_dt;
        if !self.suspended
            && let Some(left) = self.dwell_left_s
        {
            used = left.min(max_dt);
            self.dwell_left_s = (left - used > 1e-12).then_some(left - used);
        }
        if let Some(left) = self.door_restore_left_s {
            used = left.min(used);
            if left - used <= 1e-12 {
                self.door_restore_left_s = None;
                self.finish_door_restore();
            } else {
                self.door_restore_left_s = Some(left - used);
            }
        }
        self.burn
            .record_stationary(used, self.spindle.output_s, self.spindle.mode);
        used
    }

    fn step_motion(&mut self, max_dt: f64) -> f64 {
        let hold = self.holding();
        let Some(p) = next_piece(&self.planner, self.v_mm_s, hold, self.ov, max_dt) else {
            self.v_mm_s = 0.0;
            self.on_hold_complete();
            return 0.0;
        };
        let Some(block) = self.planner.blocks.front_mut() else {
            return 0.0;
        };
        let from = block.position_mm();
        block.remaining_mm -= p.dist_mm;
        let done = block.remaining_mm <= 1e-9;
        if done {
            block.remaining_mm = 0.0;
        }
        let to = if done {
            block.target_mm
        } else {
            block.position_mm()
        };
        let (rapid, s, mode, programmed) =
            (block.rapid, block.s, block.spindle, block.programmed_mm_s);
        // Laser output for this piece.
        let (p0, p1) = if self.settings.laser_mode {
            (
                self.block_power(s, mode, programmed, p.v0),
                self.block_power(s, mode, programmed, p.v1),
            )
        } else {
            (self.spindle.output_s, self.spindle.output_s)
        };
        self.burn.record_move(
            from,
            to,
            p.dt_s,
            0.5 * (p0 + p1),
            p0.max(p1),
            programmed * 60.0,
            if self.settings.laser_mode {
                mode
            } else {
                self.spindle.mode
            },
            rapid,
        );
        if self.settings.laser_mode {
            self.spindle.output_s = p1;
            self.spindle.mode = mode;
            self.spindle.base_s = if mode == SpindleMode::Cw { s } else { 0.0 };
        }
        self.pos_mm = to;
        self.v_mm_s = p.v1;
        self.run_time_s += p.dt_s;
        if done {
            self.planner.blocks.pop_front();
            self.counters.blocks_completed += 1;
            if self.planner.blocks.is_empty() {
                self.v_mm_s = 0.0;
                if hold {
                    self.on_hold_complete();
                } else if let Some(idle_s) = self.idle_delay_s() {
                    // GRBL's `st_go_idle` waits `$1` ms inside the stepper interrupt before
                    // the cycle ends: nothing else runs meanwhile.
                    self.idle_delay_left_s = Some(idle_s);
                } else {
                    self.cycle_stop();
                }
            } else {
                self.planner.recalculate(self.ov, self.v_mm_s);
            }
        } else if hold && self.v_mm_s <= 1e-9 {
            self.v_mm_s = 0.0;
            self.on_hold_complete();
        }
        p.dt_s
    }

    /// Laser power of a block at speed `v` (laser mode), S units.
    fn block_power(&self, s: f64, mode: SpindleMode, programmed_mm_s: f64, v: f64) -> f64 {
        if self.spindle.stopped || s <= 0.0 {
            return 0.0;
        }
        match mode {
            SpindleMode::Off => 0.0,
            SpindleMode::Cw => self.compute_power(s),
            SpindleMode::Ccw => {
                let scaled = if programmed_mm_s > 0.0 {
                    s * v / programmed_mm_s
                } else {
                    0.0
                };
                self.compute_power(scaled)
            }
        }
    }

    /// GRBL's `spindle_compute_pwm_value` (override, then `$30`/`$31` clamping) in S units.
    pub(crate) fn compute_power(&self, rpm: f64) -> f64 {
        let rpm = rpm * 0.01 * f64::from(self.ov.spindle_pct);
        let (min, max) = (self.settings.spindle_min_s, self.settings.spindle_max_s);
        if min >= max || rpm >= max {
            max
        } else if rpm <= min {
            if rpm <= 0.0 { 0.0 } else { min }
        } else {
            rpm
        }
    }

    /// The stepper's wait after a stop, seconds, if this firmware blocks for it.
    fn idle_delay_s(&self) -> Option<f64> {
        let ms = self.settings.step_idle_delay_ms;
        self.cfg
            .cpu
            .map(|c| c.idle_delay_s(ms))
            .filter(|s| *s > 0.0)
    }

    /// Motion finished with nothing queued (GRBL's cycle stop).
    fn cycle_stop(&mut self) {
        if self.settings.laser_mode && self.spindle.mode == SpindleMode::Ccw {
            self.spindle.output_s = 0.0;
        }
        if matches!(self.state, State::Cycle | State::Jog) {
            self.state = State::Idle;
        }
    }

    /// The machine stopped because of a hold.
    pub(crate) fn on_hold_complete(&mut self) {
        self.v_mm_s = 0.0;
        if self.settings.laser_mode && self.spindle.mode == SpindleMode::Ccw {
            self.spindle.output_s = 0.0;
        }
        if self.jog_cancel {
            // Flush every jog block and sync the parser to where the head stopped.
            self.planner.reset(&self.settings, self.pos_mm);
            self.gc.position = self.pos_mm;
            self.jog_cancel = false;
            if self.door_after_jog {
                self.door_after_jog = false;
                self.state = State::Door;
                self.hold_complete = true;
                self.door_stop_outputs();
            } else {
                self.suspended = false;
                self.hold_complete = false;
                self.state = State::Idle;
            }
            return;
        }
        self.hold_complete = true;
        if self.soft_limit_pending {
            self.soft_limit_alarm();
            return;
        }
        if self.state == State::Door {
            self.door_stop_outputs();
        }
    }

    pub(crate) fn door_stop_outputs(&mut self) {
        self.spindle.stopped = true;
        self.spindle.output_s = 0.0;
        self.spindle.flood = false;
        self.report_counters.ovr = 0;
    }

    /// Clears a hold: resume queued motion or go Idle.
    pub(crate) fn resume_cycle(&mut self) {
        self.suspended = false;
        self.hold_complete = false;
        if self.spindle.stopped {
            self.spindle.stopped = false;
            self.refresh_rest_output();
        }
        if self.planner.blocks.is_empty() {
            self.state = State::Idle;
        } else {
            self.planner.recalculate(self.ov, self.v_mm_s);
            self.state = State::Cycle;
        }
    }

    /// Output at rest from the last applied base S (after override changes or restores).
    pub(crate) fn refresh_rest_output(&mut self) {
        self.spindle.output_s = if self.spindle.stopped || self.spindle.mode == SpindleMode::Off {
            0.0
        } else {
            self.compute_power(self.spindle.base_s)
        };
    }

    fn finish_door_restore(&mut self) {
        self.spindle.stopped = false;
        self.spindle.flood = self.gc.modal.coolant_flood;
        self.refresh_rest_output();
        self.resume_cycle();
    }
}
