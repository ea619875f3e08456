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
//! the share the stepper interrupt leaves ([`crate::cpu`]). A program that outruns an 8-bit
//! GRBL starves the planner here just as it does on the machine.

use std::collections::VecDeque;

pub use crate::cpu::{Delivery, FirmwareCpu};
use crate::parser::{self, Ctx, Outcome, ParserState, Persistent, Step};
use crate::planner::{NewBlock, Overrides, Planner, next_piece};
use crate::settings::{N_AXIS, Settings};
use crate::words::SpindleMode;

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
}

impl JobTimer {
    /// A machine with `settings`, at machine zero, G54 at zero, `planner_blocks` blocks of
    /// look-ahead (15 on an Uno).
    pub fn new(settings: Settings, planner_blocks: usize, delivery: Delivery) -> Self {
        let persistent = Persistent::default();
        let gc = ParserState::new(&persistent, [0.0; N_AXIS]);
        let mut planner = Planner::new(planner_blocks);
        planner.reset(&settings, [0.0; N_AXIS]);
        planner.segment_buffer_blocks = delivery.cpu.map_or(0, |c| c.segment_buffer_blocks);
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
        self.run_cpu(idx, self.delivery.line_cost_s(sent_bytes));
        self.parser_free_s = self.now_s;
        if filtered.is_empty() || filtered[0] == b'$' {
            // `$` commands run with the machine idle.
            if !filtered.is_empty() {
                self.drain();
            }
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
                    while self.planner.is_full() {
                        self.finish_block();
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
                    if self.planner.push(&nb, &self.settings, self.ov, self.v_mm_s) {
                        self.owners.push_back(idx);
                        if let Some(cpu) = self.delivery.cpu {
                            self.run_cpu(idx, cpu.replan_cost_s(self.planner.last_replanned));
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
        if p.v0.max(p.v1) < nominal * 0.999 || (p.v0 - p.v1).abs() > 1e-9 {
            self.totals.below_feed_s += p.dt_s;
        }
        let owner = self.owners.front().copied().unwrap_or(0);
        self.now_s += p.dt_s;
        if lit {
            self.totals.cutting_s += p.dt_s;
        } else {
            self.totals.travel_s += p.dt_s;
        }
        if let Some(slot) = self.per_line.get_mut(owner) {
            *slot += p.dt_s;
        }
        if lit && let Some(slot) = self.per_line_cutting.get_mut(owner) {
            *slot += p.dt_s;
        }
        self.v_mm_s = p.v1;
        let done = block.remaining_mm <= 1e-9 || (p.dt_s <= 0.0 && p.dist_mm <= 0.0);
        if done {
            self.planner.blocks.pop_front();
            self.owners.pop_front();
            if self.planner.blocks.is_empty() {
                self.v_mm_s = 0.0;
                // Out of segments: GRBL's stepper holds the processor for `$1` ms.
                let idle_s = self
                    .delivery
                    .cpu
                    .map_or(0.0, |c| c.idle_delay_s(self.settings.step_idle_delay_ms));
                self.now_s += idle_s;
                self.totals.idle_delay_s += idle_s;
                if let Some(slot) = self.per_line.get_mut(owner) {
                    *slot += idle_s;
                }
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
mod tests {
    use super::*;

    fn time(lines: &[&str], settings: Settings) -> (Vec<f64>, Totals) {
        let mut t = JobTimer::new(settings, 15, Delivery::default());
        let mut filtered = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            prefilter_into(l, &mut filtered);
            t.line(i, &filtered, l.len() + 1);
        }
        t.finish()
    }

    fn settings() -> Settings {
        Settings {
            max_rate_mm_min: [6000.0, 6000.0, 500.0],
            accel_mm_s2: [1000.0, 1000.0, 10.0],
            ..Settings::default()
        }
    }

    #[test]
    fn a_long_move_is_a_trapezoid() {
        // 100 mm at 3000 mm/min (50 mm/s), 1000 mm/s²: 0.05 s up and down (1.25 mm each),
        // 97.5 mm cruise at 50 mm/s = 1.95 s; 2.05 s in all.
        let (per_line, t) = time(&["G21G90", "G1X100F3000"], settings());
        assert!((t.total_s - 2.05).abs() < 2.05e-3 * 0.5, "{t:?}");
        assert!((per_line[1] - t.total_s).abs() < 1e-9);
        assert_eq!(t.cutting_s, 0.0, "S0: laser off");
    }

    #[test]
    fn a_short_move_is_a_triangle() {
        // 1 mm at a feed it never reaches: peak sqrt(a d) = 31.6 mm/s, t = 2 sqrt(d / a).
        let (_, t) = time(&["G1X1F6000"], settings());
        let want = 2.0 * (1.0f64 / 1000.0).sqrt();
        assert!((t.total_s - want).abs() < want * 1e-3, "{t:?} vs {want}");
    }

    #[test]
    fn a_raster_row_with_overscan_is_one_trapezoid() {
        // Diagonal rapid to the entry: per-axis limits give 141.4 mm/s and 1414 mm/s² along
        // it, so its 14.14 mm are an exact triangle of 2 sqrt(d / a) = 0.2 s; G4 P0 stops.
        // Then a row written as Burin writes rows (relative, collinear, powers changing on
        // the fly): 2 mm overscan, 15 mm burned, 2 mm overscan, one trapezoid at 50 mm/s:
        // L / v + v / a = 19 / 50 + 0.05 = 0.43 s.
        let lines = [
            "G21G90",
            "M4",
            "G0X10Y10",
            "G4P0",
            "G91G1X2F3000S0",
            "X10S500",
            "X5S300",
            "X2S0",
            "G90",
            "M5",
        ];
        let (per_line, t) = time(&lines, settings());
        let want = 0.2 + 0.43;
        assert!((t.total_s - want).abs() < want * 1e-3, "{t:?} vs {want}");
        let row: f64 = per_line[4..8].iter().sum();
        assert!((row - 0.43).abs() < 0.43e-3, "{row}");
        // Burned 15 mm at 50 mm/s, cruising all the way: 0.3 s of cutting.
        assert!((t.cutting_s - 0.3).abs() < 0.3e-3, "{t:?}");
    }

    #[test]
    fn dwells_syncs_and_refused_lines() {
        let mut timer = JobTimer::new(settings(), 15, Delivery::default());
        for (i, l) in [
            "G1X10F600",
            "G4P1.5",
            "G1 X20 (c) ; c",
            "G1X30Y",
            "M4S100",
            "G1X40",
        ]
        .iter()
        .enumerate()
        {
            timer.line(i, &prefilter(l), l.len() + 1);
        }
        let errors = timer.errors.clone();
        let (per_line, t) = timer.finish();
        assert_eq!(errors, vec![(3, 2)], "X30Y: bad number format");
        assert!((per_line[1] - 1.5).abs() < 1e-12);
        assert!((t.dwell_s - 1.5).abs() < 1e-12);
        assert!(t.cutting_s > 0.9, "the last move burns: {t:?}");
        let sum: f64 = per_line.iter().sum();
        assert!((sum - t.total_s).abs() < 1e-9);
    }

    #[test]
    fn a_slow_delivery_starves_the_planner() {
        // 0.1 mm segments at 6000 mm/min need 1000 lines/s; a 400 lines/s parser can't.
        let lines: Vec<String> = (1..=2000)
            .map(|i| format!("G1X{:.1}F6000", i as f64 * 0.1))
            .collect();
        let run = |d: Delivery| {
            let mut t = JobTimer::new(settings(), 15, d);
            let mut filtered = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                prefilter_into(l, &mut filtered);
                t.line(i, &filtered, l.len() + 1);
            }
            t.finish().1
        };
        let free = run(Delivery::default());
        let slow = run(Delivery {
            cpu: Some(FirmwareCpu::per_line(1.0 / 400.0)),
            ..Delivery::default()
        });
        assert!(slow.total_s >= 2000.0 / 400.0 * 0.99, "{slow:?}");
        assert!(slow.total_s > free.total_s * 1.2, "{slow:?} vs {free:?}");
        assert!(free.starved_s == 0.0);
    }

    fn run_328p(settings: &Settings, lines: &[&str]) -> Totals {
        let mut t = JobTimer::new(settings.clone(), 15, Delivery::grbl_328p(117_647));
        let mut filtered = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            prefilter_into(l, &mut filtered);
            t.line(i, &filtered, l.len() + 1);
        }
        t.finish().1
    }

    /// The 8-bit model against runs of the real firmware (GRBL 1.1h for the ATmega328P,
    /// built with avr-gcc and run in simavr at 16 MHz), streamed with character counting at
    /// the AVR's 117647 baud: 3000 identical 0.05 mm moves in G91 at 3000 mm/min, where the
    /// parser is the limit (the moves alone take 3 to 4 s), on two machines.
    #[test]
    fn the_8_bit_model_matches_the_real_firmware_on_parser_bound_runs() {
        let diode = Settings {
            steps_per_mm: [80.0, 80.0, 250.0],
            max_rate_mm_min: [6000.0, 6000.0, 500.0],
            accel_mm_s2: [1000.0, 1000.0, 10.0],
            laser_mode: true,
            ..Settings::default()
        };
        // 20000 mm/s², 160 steps/mm: the moves could go much faster than the lines come.
        let quick = Settings {
            steps_per_mm: [160.0, 160.0, 250.0],
            max_rate_mm_min: [11250.0, 11250.0, 500.0],
            accel_mm_s2: [20000.0, 20000.0, 10.0],
            laser_mode: true,
            ..Settings::default()
        };
        // (machine, line, repeats, seconds measured on the firmware for the whole run)
        for (settings, line, n, measured_s) in [
            (&diode, "X0.05", 3000, 7.306),
            (&diode, "X0.05Y0.05", 3000, 8.078),
            (&diode, "X0.05S500", 3000, 7.531),
            (&quick, "X0.05", 1500, 2.954),
            (&quick, "X0.05Y0.05", 1500, 3.378),
        ] {
            let head = ["G21G91", "M4S500", "G1F3000"];
            let lines: Vec<&str> = head
                .into_iter()
                .chain(std::iter::repeat_n(line, n))
                .chain(["M5", "G90"])
                .collect();
            let total = run_328p(settings, &lines).total_s;
            let err = (total - measured_s) / measured_s;
            assert!(
                err.abs() < 0.05,
                "{line}: model {total:.3} s, firmware {measured_s} s"
            );
        }
    }

    #[test]
    fn every_full_stop_holds_an_8_bit_grbl_for_its_idle_delay() {
        // Three moves, each followed by a sync (M4/M5 toggles stop the planner in laser mode).
        let lines = [
            "G1X10F3000",
            "M4S100",
            "G1X20",
            "M5",
            "G1X30",
            "M4",
            "G1X40",
            "M5",
        ];
        let mut s = settings();
        let no_cpu = |d: Delivery| Delivery {
            cpu: d.cpu.map(FirmwareCpu::without_cpu_time),
            ..d
        };
        let run = |s: &Settings| {
            let mut t = JobTimer::new(s.clone(), 15, no_cpu(Delivery::grbl_328p(0)));
            for (i, l) in lines.iter().enumerate() {
                t.line(i, &prefilter(l), l.len() + 1);
            }
            t.finish().1
        };
        let with_delay = run(&s);
        s.step_idle_delay_ms = 255;
        let kept_on = run(&s);
        // Four stops (the last one ends the job): 4 x 25 ms.
        assert!(
            (with_delay.idle_delay_s - 0.1).abs() < 1e-9,
            "{with_delay:?}"
        );
        assert!((with_delay.total_s - kept_on.total_s - 0.1).abs() < 1e-9);
        assert_eq!(kept_on.idle_delay_s, 0.0);
    }

    #[test]
    fn prefilter_is_grbls() {
        let mut buffer = Vec::new();
        for line in [
            "G1X10Y5",
            "G1X10Y5 ; end",
            "g1 x10 (note) y5 ; end",
            "/G0X1",
            "G0X1\t",
            "",
            "; only a comment",
        ] {
            assert_eq!(
                prefiltered(line, &mut buffer),
                prefilter(line).as_slice(),
                "{line}"
            );
        }
        assert_eq!(prefilter("g1 x10 (note) y5 ; end"), b"G1X10Y5");
        assert_eq!(prefilter("/G0X1"), b"G0X1");
        assert_eq!(prefilter("(unclosed G1"), b"");
        let mut buffer = b"left over".to_vec();
        prefilter_into("m5 (off)", &mut buffer);
        assert_eq!(buffer, b"M5", "the buffer is cleared first");
    }
}
