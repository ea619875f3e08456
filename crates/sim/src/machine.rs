//! The virtual machine: public API, virtual time and motion execution.

use crate::burn::BurnLog;
use crate::config::{N_AXIS, Settings, SimConfig};
use crate::gcode::{Outcome, ParserState, Persistent};
use crate::line::{LineAssembler, Wire};
use crate::planner::{Overrides, Planner};
use crate::report::ReportCounters;
use crate::runner::Work;
use crate::words::SpindleMode;
use std::collections::VecDeque;
use std::time::Duration;

/// GRBL's machine state as shown in status reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineState {
    /// `Idle`.
    Idle,
    /// `Run` (GRBL's CYCLE).
    Run,
    /// `Hold:0` (`true`, complete) or `Hold:1` (`false`, decelerating).
    Hold {
        /// The hold has stopped the machine and it is ready to resume.
        complete: bool,
    },
    /// `Jog` (also while a jog is being cancelled).
    Jog,
    /// `Alarm`.
    Alarm,
    /// `Door:n` with GRBL's sub-state number (0 closed/ready, 2 stopping, 3 resuming).
    Door(u8),
    /// `Check` (`$C` mode).
    Check,
    /// `Home` (homing cycle).
    Home,
    /// `Sleep`.
    Sleep,
}

impl MachineState {
    /// The state text of a status report (`Idle`, `Hold:0`, `Door:2`, ...).
    pub fn as_report_str(&self) -> String {
        match self {
            MachineState::Idle => "Idle".into(),
            MachineState::Run => "Run".into(),
            MachineState::Hold { complete } => format!("Hold:{}", if *complete { 0 } else { 1 }),
            MachineState::Jog => "Jog".into(),
            MachineState::Alarm => "Alarm".into(),
            MachineState::Door(n) => format!("Door:{n}"),
            MachineState::Check => "Check".into(),
            MachineState::Home => "Home".into(),
            MachineState::Sleep => "Sleep".into(),
        }
    }
}

/// Internal state (GRBL's `sys.state`); sub-states live in the suspend flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Idle,
    Cycle,
    Hold,
    Jog,
    Alarm,
    Door,
    Check,
    Homing,
    Sleep,
}

/// A host bug the simulator detected. Real GRBL fails silently in these cases.
#[derive(Debug, Clone, PartialEq)]
pub enum HostViolation {
    /// Bytes arrived while the RX buffer was full and were dropped (a character-counting bug).
    RxOverflow {
        /// Virtual time of the first dropped byte, seconds.
        at_s: f64,
        /// Consecutive bytes dropped.
        dropped_bytes: usize,
    },
}

/// Event counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Lines taken out of the RX buffer and answered (including empty lines).
    pub lines_received: u64,
    /// `ok` responses sent.
    pub oks: u64,
    /// `error:N` responses sent.
    pub errors: u64,
    /// `ALARM:N` messages sent.
    pub alarms: u64,
    /// Status reports sent.
    pub status_reports: u64,
    /// Non-realtime bytes accepted into the RX buffer.
    pub rx_bytes_accepted: u64,
    /// Bytes dropped because the RX buffer was full.
    pub rx_bytes_dropped: u64,
    /// Realtime bytes received.
    pub realtime_bytes: u64,
    /// Soft resets performed (0x18, `$C` leave, `$RST=`).
    pub resets: u64,
    /// Planner blocks executed to the end.
    pub blocks_completed: u64,
}

/// Pending realtime requests (GRBL's `sys_rt_exec_*` flags).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RtFlags {
    pub status: bool,
    pub cycle_start: bool,
    pub feed_hold: bool,
    pub door: bool,
    pub motion_cancel: bool,
    /// Bits: 0 reset, 1 +10, 2 -10, 3 +1, 4 -1.
    pub feed_ov: u8,
    /// Bits: 0 reset (100), 1 medium (50), 2 low (25).
    pub rapid_ov: u8,
    pub spindle_ov: u8,
    pub spindle_stop: bool,
    pub flood: bool,
}

/// The physical spindle/laser output.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SpindleOut {
    /// Direction of the last applied state.
    pub mode: SpindleMode,
    /// Programmed S applied at rest (before override); 0 keeps the output off.
    pub base_s: f64,
    /// Effective output now (GRBL's `sys.spindle_speed`), S units.
    pub output_s: f64,
    /// Spindle stop override (0x9E) or door: output forced off.
    pub stopped: bool,
    pub flood: bool,
}

/// A virtual GRBL 1.1 laser controller. Sans-IO and deterministic: bytes go in with
/// [`Grbl::write`], time passes only in [`Grbl::advance`], replies come out of [`Grbl::read`].
#[derive(Debug)]
pub struct Grbl {
    pub(crate) cfg: SimConfig,
    pub(crate) settings: Settings,
    pub(crate) persistent: Persistent,
    pub(crate) gc: ParserState,
    pub(crate) planner: Planner,
    pub(crate) pos_mm: [f64; N_AXIS],
    pub(crate) v_mm_s: f64,
    pub(crate) state: State,
    /// A hold (feed hold, door, jog cancel, M0) is active: GRBL's `sys.suspend != 0`.
    pub(crate) suspended: bool,
    pub(crate) hold_complete: bool,
    pub(crate) jog_cancel: bool,
    /// The door opened during a jog cancel: enter Door once stopped.
    pub(crate) door_after_jog: bool,
    /// A soft-limit violation waits for the hold to stop the machine before `ALARM:2`.
    pub(crate) soft_limit_pending: bool,
    pub(crate) door_restore_left_s: Option<f64>,
    pub(crate) critical: bool,
    pub(crate) rx: VecDeque<u8>,
    pub(crate) wire: Wire,
    pub(crate) asm: LineAssembler,
    pub(crate) out: Vec<u8>,
    pub(crate) work: VecDeque<Work>,
    /// The parser's steps for the line being executed; one buffer, moved into `work`.
    pub(crate) outcome: Outcome,
    pub(crate) dwell_left_s: Option<f64>,
    pub(crate) homing_left_s: Option<f64>,
    pub(crate) rt: RtFlags,
    pub(crate) ov: Overrides,
    pub(crate) report_counters: ReportCounters,
    pub(crate) spindle: SpindleOut,
    pub(crate) burn: BurnLog,
    pub(crate) counters: Counters,
    pub(crate) violations: Vec<HostViolation>,
    pub(crate) last_byte_dropped: bool,
    pub(crate) now_s: f64,
    pub(crate) run_time_s: f64,
    /// CPU seconds the firmware still needs for the line in `pending_line` or for re-planning
    /// ([`SimConfig::cpu`]); nothing else is read or executed until it is 0.
    pub(crate) parser_cpu_left_s: f64,
    /// A received line whose parse is still using up `parser_cpu_left_s`.
    pub(crate) pending_line: Option<String>,
    /// The stepper holds the processor after a stop (`$1`, [`FirmwareCpu::idle_delay_blocks`]).
    pub(crate) idle_delay_left_s: Option<f64>,
    /// Bytes of the line being received, as sent (spaces and comments included): the
    /// firmware's time per line grows with them ([`FirmwareCpu::per_byte_s`]).
    pub(crate) line_raw_bytes: usize,
}

/// Guard against a stuck loop: at most this many zero-duration steps in a row.
const MAX_ZERO_STEPS: u32 = 100_000;

impl Grbl {
    /// Powers the machine up: banner (if configured), and Alarm with
    /// `[MSG:'$H'|'$X' to unlock]` when homing is enabled (GRBL's `HOMING_INIT_LOCK`).
    pub fn new(cfg: SimConfig) -> Self {
        let settings = cfg.settings.clone();
        let persistent = Persistent::default();
        let mut planner = Planner::new(cfg.planner_blocks);
        planner.reset(&settings, [0.0; N_AXIS]);
        planner.segment_buffer_blocks = cfg.cpu.map_or(0, |c| c.segment_buffer_blocks);
        let mut g = Self {
            gc: ParserState::new(&persistent, [0.0; N_AXIS]),
            wire: Wire::new(cfg.baud),
            burn: BurnLog::new(cfg.burn_log_max_segments),
            state: if settings.homing_enable {
                State::Alarm
            } else {
                State::Idle
            },
            settings,
            persistent,
            planner,
            pos_mm: [0.0; N_AXIS],
            v_mm_s: 0.0,
            suspended: false,
            hold_complete: false,
            jog_cancel: false,
            door_after_jog: false,
            soft_limit_pending: false,
            door_restore_left_s: None,
            critical: false,
            rx: VecDeque::new(),
            asm: LineAssembler::default(),
            out: Vec::new(),
            work: VecDeque::new(),
            outcome: Outcome::default(),
            dwell_left_s: None,
            homing_left_s: None,
            rt: RtFlags::default(),
            ov: Overrides::default(),
            report_counters: ReportCounters::default(),
            spindle: SpindleOut::default(),
            counters: Counters::default(),
            violations: Vec::new(),
            last_byte_dropped: false,
            now_s: 0.0,
            run_time_s: 0.0,
            parser_cpu_left_s: 0.0,
            pending_line: None,
            idle_delay_left_s: None,
            line_raw_bytes: 0,
            cfg,
        };
        if g.cfg.banner_on_start {
            g.print_banner();
        }
        g.after_banner();
        g
    }

    /// Bytes from the host. Realtime bytes act wherever they appear; the rest goes to the RX
    /// buffer (through the wire queue if a baud rate is configured). A soft reset (0x18) takes
    /// effect immediately; other realtime requests at the next [`Grbl::advance`].
    pub fn write(&mut self, bytes: &[u8]) {
        if self.wire.byte_time_s.is_some() {
            self.wire.push(bytes, self.now_s);
        } else {
            for &b in bytes {
                self.receive(b);
            }
        }
    }

    /// Moves virtual time forward by `dt`, processing input and motion. `advance(ZERO)`
    /// processes what is pending (lines, realtime requests, status reports) without moving.
    pub fn advance(&mut self, dt: Duration) {
        let mut remaining = dt.as_secs_f64();
        let mut zero_steps = 0u32;
        loop {
            while let Some(b) = self.wire.pop_arrived(self.now_s) {
                self.receive(b);
            }
            self.service();
            if remaining <= 0.0 {
                break;
            }
            let mut slice = remaining;
            if let Some(t) = self.wire.time_to_next_significant(self.now_s) {
                slice = slice.min(t);
            }
            // The parser's CPU: it runs at the share the stepper interrupt leaves, and not at
            // all while the stepper holds the processor after a stop.
            let cpu_free = self.cpu_free();
            if self.parser_cpu_left_s > 0.0 && cpu_free(self.v_mm_s) > 0.0 {
                slice = slice.min(self.parser_cpu_left_s / cpu_free(self.v_mm_s));
            }
            let v0 = self.v_mm_s;
            let used = self.run_activity(slice).clamp(0.0, slice);
            if used <= 0.0 {
                zero_steps += 1;
                if zero_steps < MAX_ZERO_STEPS {
                    continue;
                }
            }
            zero_steps = 0;
            let used = if used <= 0.0 { slice } else { used };
            if self.parser_cpu_left_s > 0.0 {
                // Speeds change within a piece: the interrupt's share at its mean speed.
                self.parser_cpu_left_s -= used * cpu_free(0.5 * (v0 + self.v_mm_s));
                if self.parser_cpu_left_s < 1e-12 {
                    self.parser_cpu_left_s = 0.0;
                }
            }
            self.now_s += used;
            remaining -= used;
            if remaining < 1e-12 {
                remaining = 0.0;
            }
        }
    }

    /// The share of the processor the parser gets, as a function of the current block's
    /// speed, for what the machine is doing now: all of it standing still, none while the
    /// stepper holds it after a stop.
    fn cpu_free(&self) -> impl Fn(f64) -> f64 + use<> {
        let (cpu, events_per_mm, frozen) = match self.cfg.cpu {
            Some(cpu) if self.idle_delay_left_s.is_none() => (
                Some(cpu),
                self.planner
                    .blocks
                    .front()
                    .filter(|_| self.motion_active())
                    .map_or(0.0, |b| b.step_events_per_mm),
                false,
            ),
            Some(_) => (None, 0.0, true),
            None => (None, 0.0, false),
        };
        move |v_mm_s: f64| {
            if frozen {
                0.0
            } else {
                cpu.map_or(1.0, |c| 1.0 - c.isr_load(v_mm_s * events_per_mm))
            }
        }
    }

    /// Advances to the absolute virtual time `now` (no-op if `now` is in the past).
    pub fn advance_to(&mut self, now: Duration) {
        let dt = now.as_secs_f64() - self.now_s;
        self.advance(Duration::from_secs_f64(dt.max(0.0)));
    }

    /// Drains the bytes GRBL has sent (CR LF terminated lines).
    pub fn read(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Appends the bytes GRBL has sent to `buf`.
    pub fn read_into(&mut self, buf: &mut Vec<u8>) {
        buf.append(&mut self.out);
    }

    /// Virtual time since power-up.
    pub fn now(&self) -> Duration {
        Duration::from_secs_f64(self.now_s)
    }

    /// The state as a status report would show it.
    pub fn state(&self) -> MachineState {
        match self.state {
            State::Idle => MachineState::Idle,
            State::Cycle => MachineState::Run,
            State::Hold if self.jog_cancel => MachineState::Jog,
            State::Hold => MachineState::Hold {
                complete: self.hold_complete,
            },
            State::Jog => MachineState::Jog,
            State::Alarm => MachineState::Alarm,
            State::Door => MachineState::Door(if self.door_restore_left_s.is_some() {
                3
            } else if self.hold_complete {
                0
            } else {
                2
            }),
            State::Check => MachineState::Check,
            State::Homing => MachineState::Home,
            State::Sleep => MachineState::Sleep,
        }
    }

    /// Machine position, mm (continuous; reports round it to whole steps).
    pub fn machine_position_mm(&self) -> [f64; N_AXIS] {
        self.pos_mm
    }

    /// Work position (machine position minus the current WCO), mm.
    pub fn work_position_mm(&self) -> [f64; N_AXIS] {
        let wco = self.gc.wco();
        let mut p = self.pos_mm;
        for i in 0..N_AXIS {
            p[i] -= wco[i];
        }
        p
    }

    /// Current work coordinate offset (`WCO:`), mm.
    pub fn work_coordinate_offset_mm(&self) -> [f64; N_AXIS] {
        self.gc.wco()
    }

    /// Current head speed, mm/min.
    pub fn speed_mm_min(&self) -> f64 {
        self.v_mm_s * 60.0
    }

    /// Current effective laser/spindle output, S units (what `FS:` reports).
    pub fn laser_power_s(&self) -> f64 {
        self.spindle.output_s
    }

    /// Planner blocks in use (including the executing one).
    pub fn planner_blocks_used(&self) -> usize {
        self.planner.blocks.len()
    }

    /// Bytes waiting in the RX buffer.
    pub fn rx_used(&self) -> usize {
        self.rx.len()
    }

    /// Bytes written but still on the wire (always 0 without a baud rate).
    pub fn wire_pending(&self) -> usize {
        self.wire.pending()
    }

    /// Bytes delivered over the wire model so far (0 without a baud rate).
    pub fn wire_bytes_delivered(&self) -> u64 {
        self.wire.delivered
    }

    /// Fraction of the elapsed virtual time the wire was busy (`None` without a baud rate).
    pub fn link_utilisation(&self) -> Option<f64> {
        let bt = self.wire.byte_time_s?;
        (self.now_s > 0.0).then(|| (self.wire.delivered as f64 * bt / self.now_s).min(1.0))
    }

    /// Host bugs detected so far.
    pub fn host_violations(&self) -> &[HostViolation] {
        &self.violations
    }

    /// Event counters.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// What the laser did.
    pub fn burn_log(&self) -> &BurnLog {
        &self.burn
    }

    /// The current `$` settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Current override percentages.
    pub fn overrides(&self) -> Overrides {
        self.ov
    }

    /// Total virtual time spent in motion (Run, Jog, or decelerating into a hold), seconds.
    pub fn motion_time_s(&self) -> f64 {
        self.run_time_s
    }

    /// True when nothing is queued anywhere: state Idle, planner empty, no line in progress,
    /// RX and wire empty.
    pub fn is_drained(&self) -> bool {
        self.state == State::Idle
            && self.planner.blocks.is_empty()
            && self.work.is_empty()
            && self.rx.is_empty()
            && self.wire.pending() == 0
            && self.dwell_left_s.is_none()
            && self.pending_line.is_none()
            && self.idle_delay_left_s.is_none()
    }
}
