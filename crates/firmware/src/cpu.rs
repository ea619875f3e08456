//! What an 8-bit GRBL's processor does to a job's time, beyond the motion itself.
//!
//! Measured on GRBL 1.1h built with avr-gcc for the ATmega328P and run cycle by cycle in
//! simavr at 16 MHz (`tools/grbl-avr`):
//!
//! * The main loop parses and plans one line at a time: [`FirmwareCpu::line_cost_s`] of CPU,
//!   plus [`FirmwareCpu::replan_block_s`] for every block the planner re-plans. A block reaches
//!   the planner only once its line is parsed.
//! * While the machine moves, the stepper interrupt fires 8 to 16 thousand times a second
//!   ([`stepper_ticks_per_s`]) and takes a fifth to a third of the CPU from the parser
//!   ([`FirmwareCpu::isr_load`]). A job of short moves is parsed faster standing still.
//! * The step preparation hands whole blocks to the stepper's segment buffer and takes them
//!   out of the planner: when the blocks still queued all fit in it, a new block cannot be
//!   joined to them and starts from rest ([`FirmwareCpu::segment_buffer_blocks`]).
//! * When the stepper runs out of segments it waits `$1` milliseconds inside its interrupt
//!   (`st_go_idle`) before anything else runs: every full stop of the machine (a sync, a
//!   dwell, a starved planner) costs that much ([`FirmwareCpu::idle_delay_blocks`]).

/// How a firmware's processor limits a job; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirmwareCpu {
    /// CPU seconds to take in, parse and plan one line, before the parts below.
    pub line_s: f64,
    /// CPU seconds per byte of the line as sent (line feed included).
    pub per_byte_s: f64,
    /// CPU seconds per planner block re-planned when a block is added (the reverse and
    /// forward passes run from the new block back to the last block that can't improve).
    pub replan_block_s: f64,
    /// CPU seconds of one stepper interrupt and its step-pulse reset; 0: the interrupt takes
    /// nothing from the parser.
    pub isr_tick_s: f64,
    /// Blocks that each fit in one 10 ms step segment and that the stepper's segment buffer
    /// may already hold (5 on an ATmega328P: 6 slots, one kept free); 0: every queued block
    /// stays in the planner.
    pub segment_buffer_blocks: usize,
    /// The stepper blocks the processor for `$1` ms whenever the machine comes to a stop.
    pub idle_delay_blocks: bool,
}

/// GRBL 1.1h on a 16 MHz ATmega328P: CPU seconds per line, fitted (with the two below) to
/// runs of the real firmware whose parser is the limit: 3000-line runs of 0.05 mm moves at
/// several steps per mm and accelerations, and spirals of 0.05 mm chords on three machines.
/// Fitted while moving, they carry the step preparation of short blocks too: standing still,
/// a line costs less (0.85 ms for `X0.1`, 1.43 ms for `X0.123Y-0.101`, measured).
pub const GRBL_328P_LINE_S: f64 = 1.0e-3;
/// Per byte of a line, seconds (reading digits into floats and the serial interrupt).
pub const GRBL_328P_LINE_PER_BYTE_S: f64 = 0.069e-3;
/// Per block re-planned, seconds.
pub const GRBL_328P_REPLAN_BLOCK_S: f64 = 0.069e-3;
/// One stepper interrupt on the ATmega328P, seconds of CPU: 275 cycles for `TIMER1_COMPA`
/// plus 17 for the pulse reset, counted in the emulated firmware at 0.25 to 8 kHz step rates
/// (AMASS levels 0 to 3), on one and two axes.
pub const GRBL_328P_ISR_TICK_S: f64 = 292.0 / 16.0e6;

impl FirmwareCpu {
    /// GRBL 1.1h on an ATmega328P at 16 MHz (an Uno, or the board of most cheap engravers).
    pub fn grbl_328p() -> Self {
        Self {
            line_s: GRBL_328P_LINE_S,
            per_byte_s: GRBL_328P_LINE_PER_BYTE_S,
            replan_block_s: GRBL_328P_REPLAN_BLOCK_S,
            isr_tick_s: GRBL_328P_ISR_TICK_S,
            segment_buffer_blocks: 5,
            idle_delay_blocks: true,
        }
    }

    /// A firmware that spends `line_s` seconds on every line and nothing else (no
    /// interrupt load, no segment buffer, no idle delay).
    pub fn per_line(line_s: f64) -> Self {
        Self {
            line_s,
            per_byte_s: 0.0,
            replan_block_s: 0.0,
            isr_tick_s: 0.0,
            segment_buffer_blocks: 0,
            idle_delay_blocks: false,
        }
    }

    /// The same firmware on an infinitely fast processor: its stepper and idle delay, but
    /// lines cost nothing. What the machine itself would take.
    pub fn without_cpu_time(self) -> Self {
        Self {
            line_s: 0.0,
            per_byte_s: 0.0,
            replan_block_s: 0.0,
            isr_tick_s: 0.0,
            ..self
        }
    }

    /// CPU seconds for a line of `sent_bytes` (0 if the costs are not finite and positive).
    pub fn line_cost_s(&self, sent_bytes: usize) -> f64 {
        let t = self.line_s + self.per_byte_s * sent_bytes as f64;
        if t.is_finite() && t > 0.0 { t } else { 0.0 }
    }

    /// CPU seconds to re-plan `blocks` blocks.
    pub fn replan_cost_s(&self, blocks: usize) -> f64 {
        let t = self.replan_block_s * blocks as f64;
        if t.is_finite() && t > 0.0 { t } else { 0.0 }
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

    /// CPU seconds for a line of `sent_bytes` (0 without a processor model).
    pub fn line_cost_s(&self, sent_bytes: usize) -> f64 {
        self.cpu.map_or(0.0, |c| c.line_cost_s(sent_bytes))
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
        assert!(
            (cpu.line_cost_s(10) - (GRBL_328P_LINE_S + 10.0 * GRBL_328P_LINE_PER_BYTE_S)).abs()
                < 1e-15
        );
        assert_eq!(cpu.without_cpu_time().line_cost_s(100), 0.0);
        assert!(cpu.without_cpu_time().idle_delay_blocks);
        assert_eq!(FirmwareCpu::per_line(f64::NAN).line_cost_s(3), 0.0);
        assert_eq!(Delivery::unlimited().line_cost_s(20), 0.0);
        assert_eq!(FirmwareCpu::per_line(2e-3).replan_cost_s(7), 0.0);
    }
}
