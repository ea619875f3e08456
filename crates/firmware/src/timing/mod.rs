//! How long GRBL takes to run a program: lines go through this crate's parser into its
//! planner, as fast as a host can deliver them, and the planned blocks are executed with the
//! same analytic trapezoids as the simulator ([`crate::planner::next_piece`]). The simulator
//! and the estimate therefore share every number: junctions, look-ahead, rounding to steps,
//! arcs, dwells and syncs.
//!
//! Delivery: by default lines are available as soon as the planner has room (a host with
//! character counting on a link that keeps up). With [`Delivery`] limits, line `i` is parsed
//! no earlier than the link has carried its bytes and the firmware has finished the line
//! before it, and its block reaches the planner once the parse's CPU time has passed, at
//! the share the stepper interrupt leaves ([`crate::cpu`]). A firmware with a step segment
//! buffer ([`FirmwareCpu::segment_buffer_blocks`], an 8-bit GRBL) runs GRBL's main loop
//! instead ([`segmented`]): motion comes from segments prepared at its check points, and a
//! program that outruns the processor starves the stepper as it does on the machine.

mod host;
mod segmented;

use std::collections::VecDeque;

pub use crate::cpu::{Delivery, FirmwareCpu};
use crate::parser::{self, Ctx, Outcome, ParserState, Persistent, Step};
use crate::planner::{NewBlock, Overrides, Planner, next_piece};
use crate::settings::{N_AXIS, Settings};
use crate::stepper::Stepper;
use crate::words::SpindleMode;
pub use host::{HostLink, RX_BUFFER_BYTES};

/// Where the time went, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    /// From the first line to the end of motion.
    pub total_s: f64,
    /// Feed moves with the laser on (S > 0 in M3/M4).
    pub cutting_s: f64,
    /// Rapids and feed moves with the laser off.
    pub travel_s: f64,
    /// `G4` dwells.
    pub dwell_s: f64,
    /// Time the machine stood still waiting for lines (starved planner), in `total_s`.
    pub starved_s: f64,
    /// Time the stepper held the processor after each stop (`$1`, on an 8-bit GRBL), in
    /// `total_s`.
    pub idle_delay_s: f64,
    /// Motion time below the programmed speed (accelerating, decelerating, or held back by
    /// junctions or the look-ahead), in `total_s`: where acceleration costs time.
    pub below_feed_s: f64,
}

/// Runs lines through the firmware model; see the module docs.
pub struct JobTimer {
    settings: Settings,
    gc: ParserState,
    persistent: Persistent,
    planner: Planner,
    ov: Overrides,
    /// Current speed of block 0, mm/s.
    v_mm_s: f64,
    now_s: f64,
    /// Line index of each planned block, parallel to `planner.blocks`.
    owners: VecDeque<usize>,
    /// Seconds of motion (and dwell) attributed to each line so far.
    per_line: Vec<f64>,
    /// Of which with the laser firing.
    per_line_cutting: Vec<f64>,
    totals: Totals,
    delivery: Delivery,
    /// When the link has delivered everything sent so far, and the parser is next free.
    wire_s: f64,
    parser_free_s: f64,
    /// Lines GRBL refused: (line index, error code). They change nothing, as on the machine.
    pub errors: Vec<(usize, u8)>,
    feed_scale: f64,
    /// The parser's steps for the current line; one buffer for the whole program.
    outcome: Outcome,
    /// The step segment buffer, when the firmware model has one ([`segmented`]).
    stepper: Option<Stepper>,
    /// Character counting over the link (with the segment buffer model).
    host: HostLink,
    /// Line of the last motion run (the stop after it is its time).
    last_owner: usize,
}

impl JobTimer {
    /// A machine with `settings`, at machine zero, G54 at zero, `planner_blocks` blocks of
    /// look-ahead (15 on an Uno).
    pub fn new(settings: Settings, planner_blocks: usize, delivery: Delivery) -> Self {
        let persistent = Persistent::default();
        let gc = ParserState::new(&persistent, [0.0; N_AXIS]);
        let mut planner = Planner::new(planner_blocks);
        planner.reset(&settings, [0.0; N_AXIS]);
        let segments = delivery.cpu.map_or(0, |c| c.segment_buffer_blocks);
        Self {
            settings,
            gc,
            persistent,
            planner,
            ov: Overrides::default(),
            v_mm_s: 0.0,
            now_s: 0.0,
            owners: VecDeque::new(),
            per_line: Vec::new(),
            per_line_cutting: Vec::new(),
            totals: Totals::default(),
            delivery,
            wire_s: 0.0,
            parser_free_s: 0.0,
            errors: Vec::new(),
            feed_scale: 1.0,
            outcome: Outcome::default(),
            stepper: (segments > 0).then(|| Stepper::new(segments)),
            host: HostLink::new(delivery.bytes_per_s),
            last_owner: 0,
        }
    }

    /// Multiplies every programmed feed (not rapids, not inverse time) by `scale`: "how long
    /// at a lower feed". Ignored unless finite and positive.
    pub fn with_feed_scale(mut self, scale: f64) -> Self {
        if scale.is_finite() && scale > 0.0 {
            self.feed_scale = scale;
        }
        self
    }

    /// Feeds line `idx` (0-based, increasing) as GRBL receives it after its pre-filter
    /// (upper case, no spaces or comments). `sent_bytes` is what the host sends for it,
    /// line feed included (for the link limit).
    pub fn line(&mut self, idx: usize, filtered: &[u8], sent_bytes: usize) {
        if self.per_line.len() <= idx {
            self.per_line.resize(idx + 1, 0.0);
            self.per_line_cutting.resize(idx + 1, 0.0);
        }
        let words = filtered.iter().filter(|b| b.is_ascii_uppercase()).count();
        if self.stepper.is_some() {
            self.receive_segmented(idx, sent_bytes, words);
        } else {
            self.receive(idx, sent_bytes, words);
        }
        if filtered.is_empty() || filtered[0] == b'$' {
            // `$` commands run with the machine idle.
            if !filtered.is_empty() {
                self.drain();
            }
            self.answered();
            return;
        }
        let ctx = Ctx {
            settings: &self.settings,
            force_origin: false,
            check_mode: false,
        };
        // Taken out of `self` while its steps run (they move the planner); put back after.
        let mut outcome = std::mem::take(&mut self.outcome);
        let result = parser::execute(
            filtered,
            0,
            false,
            &mut self.gc,
            &mut self.persistent,
            &ctx,
            &mut outcome,
        );
        if let Err(code) = result {
            // Refused: no steps, nothing changes, as on the machine.
            self.errors.push((idx, code));
        }
        for step in &outcome.steps {
            match *step {
                Step::Line(ref pl) | Step::Jog(ref pl) => {
                    if self.stepper.is_some() {
                        // `mc_line` checks in before waiting for room and planning.
                        self.checkpoint(idx);
                    }
                    while self.planner.is_full() {
                        self.make_room(idx);
                    }
                    let scaled = !pl.rapid && !pl.inverse_time;
                    let nb = NewBlock {
                        target_mm: pl.target,
                        feed: if scaled {
                            pl.feed * self.feed_scale
                        } else {
                            pl.feed
                        },
                        inverse_time: pl.inverse_time,
                        rapid: pl.rapid,
                        jog: pl.jog,
                        spindle: pl.spindle,
                        s: pl.s,
                    };
                    let v_now = self.stepper.as_ref().map_or(self.v_mm_s, |s| s.v_prep_mm_s);
                    if self.planner.push(&nb, &self.settings, self.ov, v_now) {
                        self.owners.push_back(idx);
                        if let Some(cpu) = self.delivery.cpu {
                            let p = &self.planner;
                            let cost_s =
                                cpu.plan_cost_s(p.last_axes, p.last_turned, p.last_replanned);
                            self.run_cpu(idx, cost_s);
                        }
                    }
                }
                Step::Sync | Step::Pause | Step::ProgramEnd => self.drain(),
                Step::Dwell(seconds) => {
                    self.drain();
                    if seconds.is_finite() && seconds > 0.0 {
                        self.now_s += seconds;
                        self.totals.dwell_s += seconds;
                        self.per_line[idx] += seconds;
                    }
                }
                Step::Spindle { .. } | Step::Coolant(_) => {}
            }
        }
        self.outcome = outcome;
        self.parser_free_s = self.now_s;
        self.answered();
    }

    /// Waits for line `idx` of `sent_bytes` to arrive, then parses it (without a segment
    /// buffer model).
    fn receive(&mut self, idx: usize, sent_bytes: usize, words: usize) {
        // When can GRBL start on this line?
        if let Some(bps) = self.delivery.bytes_per_s.filter(|b| *b > 0.0) {
            self.wire_s += sent_bytes as f64 / bps;
        }
        let ready = self.wire_s.max(self.parser_free_s);
        if ready > self.now_s {
            // Standing still for this line is this line's time: per-line times add up to the
            // total, and progress shows the wait where it happens.
            let starved_before_s = self.totals.starved_s;
            self.run_until(ready);
            self.per_line[idx] += self.totals.starved_s - starved_before_s;
        }
        // GRBL parses the line, then plans its block: the machine moves on what is already
        // queued meanwhile, and the stepper interrupt slows the parser down while it does.
        self.run_cpu(idx, self.delivery.line_cost_s(sent_bytes, words));
        self.parser_free_s = self.now_s;
    }

    fn answered(&mut self) {
        if self.stepper.is_some() {
            self.host.answered(self.now_s);
        }
    }

    /// Runs everything queued to a stop and returns the seconds per line and the totals.
    pub fn finish(self) -> (Vec<f64>, Totals) {
        let (per_line, _, totals) = self.finish_detailed();
        (per_line, totals)
    }

    /// [`JobTimer::finish`], plus the seconds per line with the laser firing.
    pub fn finish_detailed(mut self) -> (Vec<f64>, Vec<f64>, Totals) {
        self.drain();
        self.totals.total_s = self.now_s;
        (self.per_line, self.per_line_cutting, self.totals)
    }

    /// Motion until every queued block has run.
    fn drain(&mut self) {
        if self.stepper.is_some() {
            self.drain_segmented();
            return;
        }
        while !self.planner.blocks.is_empty() {
            self.finish_block();
        }
        self.v_mm_s = 0.0;
    }

    /// Motion (or standing still) until `t`, waiting for the next line.
    fn run_until(&mut self, t: f64) {
        while self.now_s < t {
            if self.planner.blocks.is_empty() {
                self.totals.starved_s += t - self.now_s;
                self.now_s = t;
                self.v_mm_s = 0.0;
                return;
            }
            self.step(t - self.now_s);
        }
    }

    /// Motion while the parser spends `cpu_s` seconds of CPU on line `idx`: time runs at the
    /// CPU share the stepper interrupt leaves, full speed while standing still (that wait
    /// is the line's), not at all while the stepper blocks after a stop.
    fn run_cpu(&mut self, idx: usize, cpu_s: f64) {
        let Some(cpu) = self.delivery.cpu else {
            return;
        };
        if self.stepper.is_some() {
            self.run_cpu_segmented(idx, cpu, cpu_s);
            return;
        }
        let mut left_s = cpu_s;
        while left_s > 1e-15 {
            let Some(block) = self.planner.blocks.front() else {
                self.totals.starved_s += left_s;
                self.now_s += left_s;
                if let Some(slot) = self.per_line.get_mut(idx) {
                    *slot += left_s;
                }
                self.v_mm_s = 0.0;
                return;
            };
            let events_per_mm = block.step_events_per_mm;
            let free = |v: f64| 1.0 - cpu.isr_load(v * events_per_mm);
            let v0 = self.v_mm_s;
            let dt_s = self.step(left_s / free(v0));
            // Speeds change within a piece: the interrupt's share at its mean speed.
            left_s -= dt_s * free(0.5 * (v0 + self.v_mm_s));
        }
    }

    /// Motion until the planner has room for a block.
    fn make_room(&mut self, idx: usize) {
        if self.stepper.is_some() {
            self.make_room_segmented(idx);
        } else {
            self.finish_block();
        }
    }

    /// `dt_s` of motion for line `owner`, with the laser firing or not, below the block's
    /// nominal speed or not.
    fn account_motion(&mut self, owner: usize, dt_s: f64, lit: bool, below_feed: bool) {
        self.now_s += dt_s;
        if below_feed {
            self.totals.below_feed_s += dt_s;
        }
        if lit {
            self.totals.cutting_s += dt_s;
        } else {
            self.totals.travel_s += dt_s;
        }
        if let Some(slot) = self.per_line.get_mut(owner) {
            *slot += dt_s;
        }
        if lit && let Some(slot) = self.per_line_cutting.get_mut(owner) {
            *slot += dt_s;
        }
    }

    /// After a stop, GRBL's stepper holds the processor for `$1` ms (on an 8-bit board);
    /// that time is line `owner`'s.
    fn hold_idle_delay(&mut self, owner: usize) {
        let idle_s = self
            .delivery
            .cpu
            .map_or(0.0, |c| c.idle_delay_s(self.settings.step_idle_delay_ms));
        self.now_s += idle_s;
        self.totals.idle_delay_s += idle_s;
        if let Some(slot) = self.per_line.get_mut(owner) {
            *slot += idle_s;
        }
    }

    /// Runs block 0 to its end.
    fn finish_block(&mut self) {
        let n = self.planner.blocks.len();
        while self.planner.blocks.len() == n {
            self.step(f64::INFINITY);
        }
    }

    /// One piece of motion of block 0, at most `max_dt` long; returns its duration.
    fn step(&mut self, max_dt: f64) -> f64 {
        let Some(p) = next_piece(&self.planner, self.v_mm_s, false, self.ov, max_dt) else {
            return 0.0;
        };
        let Some(block) = self.planner.blocks.front_mut() else {
            return 0.0;
        };
        block.remaining_mm -= p.dist_mm;
        let lit = !block.rapid && block.s > 0.0 && block.spindle != SpindleMode::Off;
        let nominal = block.nominal_mm_s(self.ov);
        let below_feed = p.v0.max(p.v1) < nominal * 0.999 || (p.v0 - p.v1).abs() > 1e-9;
        let done = block.remaining_mm <= 1e-9 || (p.dt_s <= 0.0 && p.dist_mm <= 0.0);
        let owner = self.owners.front().copied().unwrap_or(0);
        self.account_motion(owner, p.dt_s, lit, below_feed);
        self.v_mm_s = p.v1;
        if done {
            self.planner.blocks.pop_front();
            self.owners.pop_front();
            if self.planner.blocks.is_empty() {
                self.v_mm_s = 0.0;
                // Out of segments: GRBL's stepper holds the processor for `$1` ms.
                self.hold_idle_delay(owner);
            } else {
                self.planner.recalculate(self.ov, self.v_mm_s);
            }
        }
        p.dt_s
    }
}

/// GRBL's line pre-filter (`protocol.c`): drops spaces and control characters, `( )` and `;`
/// comments and `/`, upper-cases letters. Returns the bytes the parser sees.
/// [`prefilter_into`] does the same into a reused buffer.
pub fn prefilter(line: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    prefilter_into(line, &mut out);
    out
}

/// [`prefilter`] without a copy when `line` already is what GRBL sees before any `;` comment
/// (upper case, no spaces, no `( )` or `/`), as Burin's emitter writes it: the common case on
/// million-line jobs. Other lines are filtered into `buffer`.
pub fn prefiltered<'a>(line: &'a str, buffer: &'a mut Vec<u8>) -> &'a [u8] {
    let code = line.split(';').next().unwrap_or("").trim_end_matches(' ');
    let kept_as_is =
        |b: u8| b > b' ' && b != 0x7f && b != b'(' && b != b'/' && !b.is_ascii_lowercase();
    if code.bytes().all(kept_as_is) {
        code.as_bytes()
    } else {
        prefilter_into(line, buffer);
        buffer
    }
}

/// [`prefilter`] into `out` (cleared first): one buffer for every line of a program.
pub fn prefilter_into(line: &str, out: &mut Vec<u8>) {
    out.clear();
    let mut in_paren = false;
    for &b in line.as_bytes() {
        if in_paren {
            if b == b')' {
                in_paren = false;
            }
            continue;
        }
        match b {
            b'(' => in_paren = true,
            b';' => break,
            b'/' => {}
            b if b <= b' ' || b == 0x7f => {}
            b => out.push(b.to_ascii_uppercase()),
        }
    }
}

#[cfg(test)]
mod tests;
