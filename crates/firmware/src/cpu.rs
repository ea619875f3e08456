//! What an 8-bit GRBL's processor does to a job's time, beyond the motion itself.
//!
//! Measured on GRBL 1.1h built with avr-gcc for the ATmega328P and run cycle by cycle in
//! simavr at 16 MHz (`tools/grbl-avr`):
//!
//! * The main loop parses a line ([`FirmwareCpu::line_cost_s`]), then plans its block
//!   ([`FirmwareCpu::plan_cost_s`]: more for a second axis, a turn, and every block the
//!   planner re-plans). A block reaches the planner only once its line is parsed.
//! * Between them, at its check points, it prepares step segments for the stepper
//!   ([`FirmwareCpu::prep_cost_s`], [`crate::stepper`]): 0.15-0.22 ms a segment, 0.5 ms more
//!   for the first segment of a block. On a job of short moves that is a third of the CPU.
//! * While the machine moves, the stepper interrupt fires 8 to 16 thousand times a second
//!   ([`stepper_ticks_per_s`]) and takes a fifth to a third of the CPU from the main loop
//!   ([`FirmwareCpu::isr_load`]). A job of short moves is parsed faster standing still.
//! * When the stepper runs out of segments it waits `$1` milliseconds inside its interrupt
//!   (`st_go_idle`) before anything else runs: every full stop of the machine (a sync, a
//!   dwell, a starved planner) costs that much ([`FirmwareCpu::idle_delay_blocks`]).

/// How a firmware's processor limits a job; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirmwareCpu {
    /// CPU seconds to take in and parse one line and answer it, before the parts below.
    pub line_s: f64,
    /// CPU seconds per byte of the line as sent (line feed included).
    pub per_byte_s: f64,
    /// CPU seconds per word of the line (letter and number).
    pub per_word_s: f64,
    /// CPU seconds to plan a block along one axis (`plan_buffer_line` without the
    /// re-plan), collinear with the one before.
    pub plan_block_s: f64,
    /// CPU seconds more per further axis the block moves.
    pub plan_axis_s: f64,
    /// CPU seconds more when the block turns from the one before (the junction speed is
    /// computed).
    pub plan_junction_s: f64,
    /// CPU seconds per block re-planned when a block is added (the reverse and
    /// forward passes run from the new block back to the last block that can't improve).
    pub replan_block_s: f64,
    /// CPU seconds of one stepper interrupt and its step-pulse reset; 0: the interrupt takes
    /// nothing from the parser.
    pub isr_tick_s: f64,
    /// Step segments the stepper's buffer holds (5 on an ATmega328P: 6 slots, one kept
    /// free), prepared at the main loop's check points ([`crate::stepper`]); 0: no segment
    /// buffer, motion follows the planner directly.
    pub segment_buffer_blocks: usize,
    /// The stepper blocks the processor for `$1` ms whenever the machine comes to a stop.
    pub idle_delay_blocks: bool,
    /// CPU seconds of one check point of the main loop (`protocol_execute_realtime`) with
    /// nothing to prepare.
    pub checkpoint_s: f64,
    /// CPU seconds to prepare one step segment (`st_prep_buffer`).
    pub prep_segment_s: f64,
    /// CPU seconds more for a segment that starts a block (its step data and speed profile).
    pub prep_block_s: f64,
    /// CPU seconds more per ramp (acceleration or deceleration) of the speed profile a
    /// segment goes through.
    pub prep_ramp_s: f64,
    /// CPU seconds more to start a block whose speed profile is a triangle.
    pub prep_triangle_s: f64,
}

// GRBL 1.1h on a 16 MHz ATmega328P. Each cost was counted in the emulated firmware
// (`tools/grbl-avr`, `GRBLSIM_INCL`: cycles per function with its callees, without
// interrupts), then the seven marked "fitted" were refined together by a Nelder-Mead search
// on 11 parser-bound runs (3000-line runs of short moves, spirals of 0.05 mm chords on three
// machines, circles, a camera photo); the counted value is given for each.
/// Per line, seconds: the `ok` answer (0.03 ms) and the parse's fixed part (0.10 ms).
/// Counted.
pub const GRBL_328P_LINE_S: f64 = 0.127e-3;
/// Per byte of a line, seconds: the serial interrupt, the main loop's filter, and reading
/// number digits. Counted.
pub const GRBL_328P_LINE_PER_BYTE_S: f64 = 0.0188e-3;
/// Per word of a line, seconds (`gc_execute_line`'s word loop and `read_float`). Counted.
pub const GRBL_328P_WORD_S: f64 = 0.054e-3;
/// Planning a block on one axis, collinear with the one before (`plan_buffer_line` without
/// the re-plan). Fitted (counted 0.47 to 0.50 ms).
pub const GRBL_328P_PLAN_BLOCK_S: f64 = 0.415e-3;
/// Planning, per further axis. Counted.
pub const GRBL_328P_PLAN_AXIS_S: f64 = 0.12e-3;
/// Planning, when the junction speed is computed. Fitted (counted about 0.25 ms: a unit
/// vector 0.131 ms, an axis limit 0.081 ms, a square root).
pub const GRBL_328P_PLAN_JUNCTION_S: f64 = 0.372e-3;
/// Per block re-planned (`planner_recalculate`), seconds. Fitted (counted 0.05 to 0.22 ms
/// a call).
pub const GRBL_328P_REPLAN_BLOCK_S: f64 = 0.0675e-3;
/// One stepper interrupt on the ATmega328P, seconds of CPU: 275 cycles for `TIMER1_COMPA`
/// plus 17 for the pulse reset, counted in the emulated firmware at 0.25 to 8 kHz step rates
/// (AMASS levels 0 to 3), on one and two axes.
pub const GRBL_328P_ISR_TICK_S: f64 = 292.0 / 16.0e6;
/// One check point of GRBL's main loop with nothing to prepare, seconds
/// (`protocol_execute_realtime` and an `st_prep_buffer` call that finds the buffer full).
/// Counted.
pub const GRBL_328P_CHECKPOINT_S: f64 = 0.0105e-3;
/// Preparing one step segment (`st_prep_buffer`), seconds. Fitted (counted 0.218 ms a
/// segment on long blocks, ramps included).
pub const GRBL_328P_PREP_SEGMENT_S: f64 = 0.144e-3;
/// Preparing a segment that starts a block, seconds more: its step data and speed profile.
/// Fitted (counted 0.48 to 0.63 ms).
pub const GRBL_328P_PREP_BLOCK_S: f64 = 0.502e-3;
/// Preparing, per ramp (acceleration or deceleration) within a segment, seconds. Fitted.
pub const GRBL_328P_PREP_RAMP_S: f64 = 0.0523e-3;
/// Starting a block whose speed profile is a triangle (it never reaches its nominal speed),
/// seconds more: a square root and divisions. Fitted (the diode spiral, mostly triangles,
/// spends 0.03 ms a block more in `sqrtf` than the CO2 one, and more in divisions).
pub const GRBL_328P_PREP_TRIANGLE_S: f64 = 0.0504e-3;

impl FirmwareCpu {
    /// GRBL 1.1h on an ATmega328P at 16 MHz (an Uno, or the board of most cheap engravers).
    pub fn grbl_328p() -> Self {
        Self {
            line_s: GRBL_328P_LINE_S,
            per_byte_s: GRBL_328P_LINE_PER_BYTE_S,
            per_word_s: GRBL_328P_WORD_S,
            plan_block_s: GRBL_328P_PLAN_BLOCK_S,
            plan_axis_s: GRBL_328P_PLAN_AXIS_S,
            plan_junction_s: GRBL_328P_PLAN_JUNCTION_S,
            replan_block_s: GRBL_328P_REPLAN_BLOCK_S,
            isr_tick_s: GRBL_328P_ISR_TICK_S,
            segment_buffer_blocks: 5,
            idle_delay_blocks: true,
            checkpoint_s: GRBL_328P_CHECKPOINT_S,
            prep_segment_s: GRBL_328P_PREP_SEGMENT_S,
            prep_block_s: GRBL_328P_PREP_BLOCK_S,
            prep_ramp_s: GRBL_328P_PREP_RAMP_S,
            prep_triangle_s: GRBL_328P_PREP_TRIANGLE_S,
        }
    }

    /// A firmware that spends `line_s` seconds on every line and nothing else (no
    /// interrupt load, no segment buffer, no idle delay).
    pub fn per_line(line_s: f64) -> Self {
        Self {
            line_s,
            segment_buffer_blocks: 0,
            idle_delay_blocks: false,
            ..Self::grbl_328p().without_cpu_time()
        }
    }

    /// The same firmware on an infinitely fast processor: its stepper and idle delay, but
    /// lines cost nothing. What the machine itself would take.
    pub fn without_cpu_time(self) -> Self {
        Self {
            line_s: 0.0,
            per_byte_s: 0.0,
            per_word_s: 0.0,
            plan_block_s: 0.0,
            plan_axis_s: 0.0,
            plan_junction_s: 0.0,
            replan_block_s: 0.0,
            isr_tick_s: 0.0,
            checkpoint_s: 0.0,
            prep_segment_s: 0.0,
            prep_block_s: 0.0,
            prep_ramp_s: 0.0,
            prep_triangle_s: 0.0,
            ..self
        }
    }

    /// CPU seconds to take in and parse a line of `sent_bytes` holding `words` words (0 if
    /// the costs are not finite and positive).
    pub fn line_cost_s(&self, sent_bytes: usize, words: usize) -> f64 {
        positive(self.line_s + self.per_byte_s * sent_bytes as f64 + self.per_word_s * words as f64)
    }

    /// CPU seconds to prepare a step segment that involved `work`.
    pub fn prep_cost_s(&self, work: crate::stepper::PrepWork) -> f64 {
        let block_s = if work.starts_block {
            self.prep_block_s
        } else {
            0.0
        };
        let triangle_s = if work.triangle {
            self.prep_triangle_s
        } else {
            0.0
        };
        positive(self.prep_segment_s + block_s + triangle_s + self.prep_ramp_s * work.ramps as f64)
    }

    /// CPU seconds to plan a block moving `axes` axes, turning from the block before it or
    /// not (`junction`), that re-planned `replanned` blocks.
    pub fn plan_cost_s(&self, axes: usize, junction: bool, replanned: usize) -> f64 {
        let junction_s = if junction { self.plan_junction_s } else { 0.0 };
        positive(
            self.plan_block_s
                + self.plan_axis_s * axes.saturating_sub(1) as f64
                + junction_s
                + self.replan_block_s * replanned as f64,
        )
    }

    /// Seconds the stepper holds the processor after a stop with a step idle delay (`$1`)
    /// of `step_idle_delay_ms`: 0 if this firmware doesn't block, or for 255 (motors kept
    /// on, no wait).
    pub fn idle_delay_s(&self, step_idle_delay_ms: u8) -> f64 {
        if self.idle_delay_blocks && step_idle_delay_ms != 255 {
            f64::from(step_idle_delay_ms) / 1000.0
        } else {
            0.0
        }
    }

    /// Share of the CPU the stepper interrupt takes at a busiest-axis step rate of
    /// `step_rate_hz`, at most 0.9.
    pub fn isr_load(&self, step_rate_hz: f64) -> f64 {
        if !(self.isr_tick_s.is_finite() && self.isr_tick_s > 0.0) {
            return 0.0;
        }
        (stepper_ticks_per_s(step_rate_hz) * self.isr_tick_s).min(0.9)
    }
}

fn positive(t: f64) -> f64 {
    if t.is_finite() && t > 0.0 { t } else { 0.0 }
}

/// GRBL 1.1's stepper interrupt rate, per second, for a busiest-axis step rate of
/// `step_rate_hz`: with adaptive multi-axis step smoothing (AMASS, on by default) the
/// interrupt runs 2, 4 or 8 times per step below 8, 4 and 2 kHz (`stepper.c`).
pub fn stepper_ticks_per_s(step_rate_hz: f64) -> f64 {
    if !(step_rate_hz.is_finite() && step_rate_hz > 0.0) {
        return 0.0;
    }
    // AMASS_LEVELn = F_CPU / (8000 >> (n - 1)) cycles per step, F_CPU = 16 MHz.
    let cycles_per_step = 16.0e6 / step_rate_hz;
    let level = if cycles_per_step < 2000.0 {
        0
    } else if cycles_per_step < 4000.0 {
        1
    } else if cycles_per_step < 8000.0 {
        2
    } else {
        3
    };
    step_rate_hz * f64::from(1u32 << level)
}

/// How lines reach the planner: the serial link and the firmware's processor. `None`
/// fields: no limit (lines arrive as soon as the planner has room and cost nothing).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Delivery {
    /// Serial link, bytes per second (baud / 10 for 8N1).
    pub bytes_per_s: Option<f64>,
    /// The firmware's processor.
    pub cpu: Option<FirmwareCpu>,
}

impl Delivery {
    /// No limits: lines arrive as fast as the planner takes them.
    pub fn unlimited() -> Self {
        Self::default()
    }

    /// An 8-bit GRBL ([`FirmwareCpu::grbl_328p`]) behind a serial link of `baud` (8N1);
    /// `baud` 0 means no link limit.
    pub fn grbl_328p(baud: u32) -> Self {
        Self {
            bytes_per_s: (baud > 0).then(|| f64::from(baud) / 10.0),
            cpu: Some(FirmwareCpu::grbl_328p()),
        }
    }

    /// CPU seconds for a line of `sent_bytes` and `words` (0 without a processor model).
    pub fn line_cost_s(&self, sent_bytes: usize, words: usize) -> f64 {
        self.cpu.map_or(0.0, |c| c.line_cost_s(sent_bytes, words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amass_keeps_the_interrupt_between_8_and_16_khz() {
        assert_eq!(stepper_ticks_per_s(0.0), 0.0);
        assert_eq!(stepper_ticks_per_s(f64::NAN), 0.0);
        assert_eq!(stepper_ticks_per_s(1000.0), 8000.0);
        assert_eq!(stepper_ticks_per_s(1999.0), 15992.0);
        assert_eq!(stepper_ticks_per_s(2500.0), 10000.0);
        assert_eq!(stepper_ticks_per_s(5000.0), 10000.0);
        assert_eq!(stepper_ticks_per_s(20000.0), 20000.0);
        let cpu = FirmwareCpu::grbl_328p();
        // Measured: 13.6 % + 0.9 % of the CPU at 1 kHz, 25.6 % + 1.7 % at 1.9 kHz.
        assert!((cpu.isr_load(1000.0) - 0.146).abs() < 0.005);
        assert!((cpu.isr_load(1900.0) - 0.277).abs() < 0.005);
        assert_eq!(cpu.isr_load(1e9), 0.9);
        assert_eq!(FirmwareCpu::per_line(1e-3).isr_load(1000.0), 0.0);
    }

    #[test]
    fn line_costs() {
        let cpu = FirmwareCpu::grbl_328p();
        let want = GRBL_328P_LINE_S + 10.0 * GRBL_328P_LINE_PER_BYTE_S + 2.0 * GRBL_328P_WORD_S;
        assert!((cpu.line_cost_s(10, 2) - want).abs() < 1e-15);
        assert_eq!(cpu.without_cpu_time().line_cost_s(100, 3), 0.0);
        assert!(cpu.without_cpu_time().idle_delay_blocks);
        assert_eq!(FirmwareCpu::per_line(f64::NAN).line_cost_s(3, 1), 0.0);
        assert_eq!(Delivery::unlimited().line_cost_s(20, 2), 0.0);
        assert_eq!(FirmwareCpu::per_line(2e-3).plan_cost_s(2, true, 7), 0.0);
        // A turn on two axes costs the second axis and the junction on top.
        let straight = cpu.plan_cost_s(1, false, 0);
        let turn = cpu.plan_cost_s(2, true, 0);
        assert!(
            (turn - straight - GRBL_328P_PLAN_AXIS_S - GRBL_328P_PLAN_JUNCTION_S).abs() < 1e-15
        );
        // The first segment of a block costs its profile on top.
        let work = |starts_block, ramps| crate::stepper::PrepWork {
            starts_block,
            ramps,
            triangle: false,
        };
        assert!(cpu.prep_cost_s(work(true, 0)) > cpu.prep_cost_s(work(false, 2)));
    }
}
