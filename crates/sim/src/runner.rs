//! The protocol loop (`protocol_main_loop`): take characters out of RX, execute complete
//! lines, and carry out their steps in order, blocking where GRBL blocks (full planner,
//! buffer syncs, dwells, holds).

use crate::gcode::{self, Ctx, PlanLine, Step, outside_travel};
use crate::line::LineEvent;
use crate::machine::{Grbl, State};
use crate::planner::NewBlock;
use crate::system::After;
use crate::words::SpindleMode;
use burin_firmware::stepper::PrepWork;

const STATUS_OVERFLOW: u8 = 11;
const STATUS_GC_LOCK: u8 = 9;

/// Queued work of the line being executed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Work {
    Step(Step),
    /// Send `ok` / `error:N` for the line.
    Respond(u8),
    /// A startup line's result `>line:ok`.
    StartupResult(String, u8),
}

/// Why the main loop stopped taking lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stopped {
    /// Parsing a line, waiting out a dwell or the stepper's idle delay, suspended.
    Busy,
    /// The receive buffer holds no complete line.
    NoInput,
    /// Waiting for room in the planner or for motion to end (a sync).
    Blocked,
}

impl Grbl {
    /// One pass of GRBL's main loop: realtime requests, then lines until blocked.
    pub(crate) fn service(&mut self) {
        self.process_realtime();
        if self.critical {
            return;
        }
        let stopped = self.run_protocol();
        // Auto cycle start (`protocol_auto_cycle_start`): queued motion starts when the main
        // loop finds no input, waits for room in the planner or syncs; not while it is busy
        // with a line.
        if stopped != Stopped::Busy
            && self.state == State::Idle
            && !self.suspended
            && !self.planner.blocks.is_empty()
        {
            self.planner.recalculate(self.ov, self.v_mm_s);
            self.state = State::Cycle;
        }
    }

    fn run_protocol(&mut self) -> Stopped {
        loop {
            if self.critical
                || self.suspended
                || self.state == State::Sleep
                || self.homing_left_s.is_some()
                || self.dwell_left_s.is_some()
                || self.idle_delay_left_s.is_some()
                || self.parser_cpu_left_s > 0.0
            {
                return Stopped::Busy;
            }
            if let Some(line) = self.pending_line.take() {
                // Parsed: now it plans and answers.
                self.execute_line(&line);
                continue;
            }
            if !self.work.is_empty() {
                if !self.run_work_item() {
                    return Stopped::Blocked;
                }
                continue;
            }
            let Some(byte) = self.rx.pop_front() else {
                return Stopped::NoInput;
            };
            self.line_raw_bytes += 1;
            match self.asm.feed(byte) {
                LineEvent::Pending => {}
                LineEvent::Overflow => {
                    self.counters.lines_received += 1;
                    self.respond(STATUS_OVERFLOW);
                }
                LineEvent::Line(line) => {
                    self.counters.lines_received += 1;
                    let raw_bytes = std::mem::take(&mut self.line_raw_bytes);
                    let words = line.bytes().filter(|b| b.is_ascii_uppercase()).count();
                    let cost_s = self
                        .cfg
                        .cpu
                        .map_or(0.0, |c| c.line_cost_s(raw_bytes, words));
                    if cost_s > 0.0 {
                        self.pending_line = Some(line);
                        self.parser_cpu_left_s = cost_s;
                        return Stopped::Busy;
                    }
                    self.execute_line(&line);
                }
            }
        }
    }

    /// Executes one complete pre-filtered line.
    fn execute_line(&mut self, line: &str) {
        let bytes = line.as_bytes();
        if bytes.is_empty() {
            self.respond(0);
            return;
        }
        if bytes[0] == b'$' {
            let mut after = After::Nothing;
            if let Some(code) = self.execute_system(bytes, &mut after) {
                self.respond(code);
            }
            match after {
                After::Reset => self.soft_reset(),
                After::Sleep => self.enter_sleep(),
                After::Nothing => {}
            }
            return;
        }
        if matches!(self.state, State::Alarm | State::Jog) {
            self.respond(STATUS_GC_LOCK);
            return;
        }
        match self.execute_gcode(bytes, 0, false) {
            Ok(()) => self.work.push_back(Work::Respond(0)),
            Err(code) => self.respond(code),
        }
    }

    /// Validates and executes a G-code block (or a `$J=` body with `jog`), queueing its steps.
    pub(crate) fn execute_gcode(&mut self, line: &[u8], start: usize, jog: bool) -> Result<(), u8> {
        let ctx = Ctx {
            settings: &self.settings,
            force_origin: self.cfg.homing_force_set_origin,
            check_mode: self.state == State::Check,
        };
        gcode::execute(
            line,
            start,
            jog,
            &mut self.gc,
            &mut self.persistent,
            &ctx,
            &mut self.outcome,
        )?;
        if self.outcome.wco_changed {
            self.report_counters.wco = 0;
        }
        self.work
            .extend(self.outcome.steps.drain(..).map(Work::Step));
        Ok(())
    }

    /// Runs the startup lines (`$N0`, `$N1`), printing `>line:ok` for each.
    pub(crate) fn run_startup_lines(&mut self) {
        for i in 0..self.persistent.startup.len() {
            let line = self.persistent.startup[i].clone();
            if line.is_empty() {
                continue;
            }
            let code = match self.execute_gcode(line.as_bytes(), 0, false) {
                Ok(()) => 0,
                Err(c) => c,
            };
            self.work.push_back(Work::StartupResult(line, code));
        }
    }

    pub(crate) fn respond(&mut self, code: u8) {
        if code == 0 {
            self.counters.oks += 1;
            self.out.extend_from_slice(b"ok\r\n");
        } else {
            self.counters.errors += 1;
            self.out
                .extend_from_slice(format!("error:{code}\r\n").as_bytes());
        }
    }

    pub(crate) fn print(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Tries to carry out the first work item; false if it has to wait.
    fn run_work_item(&mut self) -> bool {
        let Some(item) = self.work.front().cloned() else {
            return true;
        };
        let check = self.state == State::Check;
        match item {
            Work::Respond(code) => {
                self.work.pop_front();
                self.respond(code);
            }
            Work::StartupResult(line, code) => {
                self.work.pop_front();
                let status = if code == 0 {
                    "ok".to_string()
                } else {
                    format!("error:{code}")
                };
                self.print(&format!(">{line}:{status}\r\n"));
            }
            Work::Step(Step::Line(line)) => {
                if self.planner.is_full() {
                    return false;
                }
                self.work.pop_front();
                if self.settings.soft_limits
                    && outside_travel(
                        &self.settings,
                        self.cfg.homing_force_set_origin,
                        &line.target,
                    )
                {
                    if self.motion_active() {
                        // GRBL feed-holds to keep the position, then alarms.
                        self.soft_limit_pending = true;
                        self.suspended = true;
                        self.hold_complete = false;
                        self.state = State::Hold;
                    } else {
                        self.soft_limit_alarm();
                    }
                    return false;
                }
                if !check
                    && !self.plan(&line)
                    && self.settings.laser_mode
                    && line.spindle == SpindleMode::Cw
                {
                    // An empty M3 block still updates the laser (GRBL syncs for it).
                    self.work.push_front(Work::Step(Step::Spindle {
                        mode: SpindleMode::Cw,
                        s: line.s,
                    }));
                    self.work.push_front(Work::Step(Step::Sync));
                }
            }
            Work::Step(Step::Jog(line)) => {
                if self.planner.is_full() {
                    return false;
                }
                self.work.pop_front();
                self.plan(&line);
                if self.state == State::Idle && !self.planner.blocks.is_empty() {
                    self.planner.recalculate(self.ov, self.v_mm_s);
                    self.state = State::Jog;
                }
            }
            Work::Step(Step::Sync) => {
                if !self.planner.blocks.is_empty()
                    || matches!(self.state, State::Cycle | State::Jog)
                {
                    return false;
                }
                self.work.pop_front();
            }
            Work::Step(Step::Spindle { mode, s }) => {
                self.work.pop_front();
                if !check {
                    self.spindle_sync(mode, s);
                }
            }
            Work::Step(Step::Coolant(on)) => {
                self.work.pop_front();
                if !check {
                    self.spindle.flood = on;
                    self.report_counters.ovr = 0;
                }
            }
            Work::Step(Step::Dwell(seconds)) => {
                self.work.pop_front();
                if !check && seconds > 0.0 {
                    self.dwell_left_s = Some(seconds);
                    return false;
                }
            }
            Work::Step(Step::Pause) => {
                self.work.pop_front();
                if !check {
                    self.state = State::Hold;
                    self.suspended = true;
                    self.hold_complete = true;
                    return false;
                }
            }
            Work::Step(Step::ProgramEnd) => {
                self.work.pop_front();
                if !check {
                    self.spindle_sync(SpindleMode::Off, 0.0);
                    self.spindle.flood = false;
                }
                self.print("[MSG:Pgm End]\r\n");
            }
        }
        true
    }

    /// Queues a move in the planner; false for an empty (zero-step) move.
    fn plan(&mut self, line: &PlanLine) -> bool {
        let nb = NewBlock {
            target_mm: line.target,
            feed: line.feed,
            inverse_time: line.inverse_time,
            rapid: line.rapid,
            jog: line.jog,
            spindle: line.spindle,
            s: line.s,
        };
        let queued = self.planner.push(&nb, &self.settings, self.ov, self.v_mm_s);
        if queued && let Some(cpu) = self.cfg.cpu {
            let p = &self.planner;
            // Planning, and preparing the block's first step segment (the estimate prepares
            // segments one by one at the main loop's check points; here the first one is
            // charged with the block).
            self.parser_cpu_left_s += cpu.plan_cost_s(p.last_axes, p.last_turned, p.last_replanned)
                + cpu.prep_cost_s(PrepWork {
                    starts_block: true,
                    ramps: 1,
                    triangle: false,
                });
        }
        queued
    }

    /// GRBL's `spindle_set_state` after a buffer sync.
    pub(crate) fn spindle_sync(&mut self, mode: SpindleMode, s: f64) {
        self.spindle.mode = mode;
        // In laser mode M4 starts dark: the stepper scales it with speed once moving.
        self.spindle.base_s = match mode {
            SpindleMode::Off => 0.0,
            SpindleMode::Ccw if self.settings.laser_mode => 0.0,
            _ => s,
        };
        self.refresh_rest_output();
        self.report_counters.ovr = 0;
    }

    /// Soft-limit violation: stop, `ALARM:2`, and lock until reset.
    pub(crate) fn soft_limit_alarm(&mut self) {
        self.planner.reset(&self.settings, self.pos_mm);
        self.v_mm_s = 0.0;
        self.work.clear();
        self.spindle_sync(SpindleMode::Off, 0.0);
        self.spindle.flood = false;
        self.state = State::Alarm;
        self.suspended = false;
        self.hold_complete = false;
        self.critical = true;
        self.soft_limit_pending = false;
        self.counters.alarms += 1;
        self.print("ALARM:2\r\n[MSG:Reset to continue]\r\n");
    }
}
