//! [`JobTimer`] with GRBL's step segment buffer ([`crate::stepper`]) and main loop: motion
//! runs from prepared segments, and the main loop prepares them only at its check points.
//!
//! `protocol.c`'s main loop, as far as time goes:
//! * It reads the line's bytes as they arrive. When the receive buffer runs empty it starts
//!   a cycle if blocks are queued (auto cycle start) and prepares segments while it waits.
//! * At the end of a line it checks in (`protocol_execute_realtime`: prepares segments if
//!   in a cycle), parses the line, and for every block checks in again (`mc_line`), waits
//!   for room in the planner (starting a cycle if it is full, preparing while it waits),
//!   plans it, and answers `ok`.
//! * A sync (`M3`/`M4`/`M5` changes, `G4`, `$` commands, program end) starts a cycle and
//!   waits until the machine stops.
//!
//! The stepper interrupt runs segments; finding none, it stops, holds the processor for `$1`
//! ms, and the cycle ends with blocks possibly still queued: they wait for the next cycle
//! start. While it runs, the interrupt takes its share of the CPU ([`FirmwareCpu::isr_load`]).

use super::JobTimer;
use crate::cpu::FirmwareCpu;

impl JobTimer {
    /// Waits for line `idx` of `sent_bytes` (character counting over the link), then spends
    /// the check point at its end and its parse.
    pub(super) fn receive_segmented(&mut self, idx: usize, sent_bytes: usize, words: usize) {
        let arrival_s = self.host.send(sent_bytes);
        if arrival_s > self.now_s {
            // The receive buffer ran empty: auto cycle start, and prepare while waiting.
            self.cycle_start(idx);
            self.wait_until(idx, arrival_s);
        }
        // The bytes are read (and the serial interrupt has run) before the check point at
        // the line's end; the parse comes after it.
        let Some(cpu) = self.delivery.cpu else {
            return;
        };
        let bytes_s = cpu.per_byte_s * sent_bytes as f64;
        self.run_cpu(idx, bytes_s);
        self.checkpoint(idx);
        self.run_cpu(idx, (cpu.line_cost_s(sent_bytes, words) - bytes_s).max(0.0));
    }

    /// `protocol_execute_realtime`: prepares segments while in a cycle.
    pub(super) fn checkpoint(&mut self, idx: usize) {
        let Some(cpu) = self.delivery.cpu else {
            return;
        };
        self.run_cpu(idx, cpu.checkpoint_s);
        if self.stepper.as_ref().is_some_and(|s| s.running) {
            self.prepare(idx);
        }
    }

    /// GRBL's `st_prep_buffer`: one segment at a time while a slot is free and the planner
    /// has a block; the stepper runs meanwhile, so a preparation slower than the segments
    /// it makes keeps the main loop here.
    fn prepare(&mut self, idx: usize) {
        let Some(cpu) = self.delivery.cpu else {
            return;
        };
        while let Some(st) = self.stepper.as_mut()
            && st.has_room()
            && let Some(work) = st.prepare_one(&mut self.planner, &mut self.owners, self.ov)
        {
            // The stepper runs what it has while this segment is being made, and only gets
            // it at the end.
            self.run_cpu(idx, cpu.prep_cost_s(work));
            if let Some(st) = self.stepper.as_mut() {
                st.commit();
            }
        }
    }

    /// GRBL's cycle start: when idle with motion queued, prepares and starts the stepper.
    fn cycle_start(&mut self, idx: usize) {
        let Some(st) = self.stepper.as_ref() else {
            return;
        };
        if st.running || (self.planner.blocks.is_empty() && st.pieces.is_empty()) {
            return;
        }
        self.prepare(idx);
        if let Some(st) = self.stepper.as_mut() {
            st.running = true;
        }
    }

    /// One step of a waiting main loop: prepare a segment if one is due, else run the
    /// stepper for at most `max_dt`. Returns false when nothing moves and nothing is due.
    fn wait_step(&mut self, idx: usize, max_dt: f64) -> bool {
        let Some(st) = self.stepper.as_ref() else {
            return false;
        };
        if st.running && st.has_room() && !self.planner.blocks.is_empty() {
            self.prepare(idx);
            return true;
        }
        if !self.moving() {
            return false;
        }
        self.step_segmented(max_dt);
        true
    }

    /// Waits until `t_s`, preparing segments as slots free up; standing still is line
    /// `idx`'s.
    fn wait_until(&mut self, idx: usize, t_s: f64) {
        while self.now_s < t_s {
            if !self.wait_step(idx, t_s - self.now_s) {
                self.stand_still(idx, t_s - self.now_s);
                return;
            }
        }
    }

    /// The planner is full: start a cycle and run until a block has left it.
    pub(super) fn make_room_segmented(&mut self, idx: usize) {
        let n = self.planner.blocks.len();
        while self.planner.blocks.len() == n {
            self.cycle_start(idx);
            if !self.wait_step(idx, f64::INFINITY) {
                return;
            }
        }
    }

    /// A sync: start a cycle and run until the machine has stopped.
    pub(super) fn drain_segmented(&mut self) {
        let idx = self.per_line.len().saturating_sub(1);
        loop {
            self.cycle_start(idx);
            if !self.stepper.as_ref().is_some_and(|s| s.running) {
                break;
            }
            while self.stepper.as_ref().is_some_and(|s| s.running) {
                if !self.wait_step(idx, f64::INFINITY) {
                    self.step_segmented(0.0);
                }
            }
            // A stepper that ran dry with blocks queued ends the cycle; GRBL's sync starts
            // it only once and would wait for ever, which the preparation's speed rules
            // out on the machine: start again.
        }
        self.v_mm_s = 0.0;
    }

    fn moving(&self) -> bool {
        self.stepper
            .as_ref()
            .is_some_and(|s| s.running && !s.pieces.is_empty())
    }

    fn stand_still(&mut self, idx: usize, dt_s: f64) {
        self.totals.starved_s += dt_s;
        self.now_s += dt_s;
        if let Some(slot) = self.per_line.get_mut(idx) {
            *slot += dt_s;
        }
    }

    /// The parser spends `cpu_s` of CPU on line `idx` while the stepper runs what is
    /// prepared (and takes its share of the CPU), without preparing more.
    pub(super) fn run_cpu_segmented(&mut self, idx: usize, cpu: FirmwareCpu, cpu_s: f64) {
        let mut left_s = cpu_s;
        while left_s > 1e-15 {
            let Some(front) = self.stepper.as_ref().and_then(|s| {
                s.running
                    .then(|| s.front().copied())
                    .flatten()
                    .map(|f| (f, s.speed_mm_s()))
            }) else {
                if self.stepper.as_ref().is_some_and(|s| s.running) {
                    // Running with nothing prepared: the stepper stops now.
                    self.step_segmented(0.0);
                    continue;
                }
                self.stand_still(idx, left_s);
                return;
            };
            let (piece, v0) = front;
            let free = |v: f64| 1.0 - cpu.isr_load(v * piece.step_events_per_mm);
            let dt_s = self.step_segmented(left_s / free(v0));
            let v1 = self.stepper.as_ref().map_or(0.0, |s| s.speed_mm_s());
            // Speeds change within a piece: the interrupt's share at its mean speed.
            left_s -= dt_s * free(0.5 * (v0 + v1));
        }
    }

    /// Runs at most `max_dt` of the stepper's front piece; returns the motion time. With
    /// nothing prepared in a cycle, the stepper stops: `$1` of blocked processor, and the
    /// cycle ends.
    fn step_segmented(&mut self, max_dt: f64) -> f64 {
        let Some(st) = self.stepper.as_mut() else {
            return 0.0;
        };
        if !st.running {
            return 0.0;
        }
        let Some((dt_s, piece)) = st.advance(max_dt) else {
            self.stop();
            return 0.0;
        };
        let ran_dry = st.pieces.is_empty();
        self.v_mm_s = st.speed_mm_s();
        self.last_owner = piece.owner;
        self.account_motion(piece.owner, dt_s, piece.lit, piece.below_feed);
        if ran_dry {
            // The interrupt finds no next segment.
            self.stop();
        }
        dt_s
    }

    /// `st_go_idle`: the stepper holds the processor for `$1`, then the cycle ends.
    fn stop(&mut self) {
        if let Some(st) = self.stepper.as_mut() {
            st.running = false;
        }
        self.hold_idle_delay(self.last_owner);
        self.v_mm_s = 0.0;
    }
}
