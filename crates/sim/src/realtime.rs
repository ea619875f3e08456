//! Realtime bytes (serial ISR + `protocol_exec_rt_system`), soft reset and status reports.

use crate::config::N_AXIS;
use crate::gcode::ParserState;
use crate::machine::{Grbl, HostViolation, State};
use crate::planner::Overrides;
use crate::report::{ReportCounters, StatusInput, status_report};
use crate::words::SpindleMode;
use burin_grbl::realtime as rt;

const MAX_VIOLATIONS_KEPT: usize = 1000;

impl Grbl {
    /// One byte arriving from the wire (GRBL's serial RX interrupt).
    pub(crate) fn receive(&mut self, b: u8) {
        if !rt::is_realtime(b) {
            if self.rx.len() < self.cfg.rx_buffer_bytes {
                self.rx.push_back(b);
                self.counters.rx_bytes_accepted += 1;
                self.last_byte_dropped = false;
            } else {
                self.counters.rx_bytes_dropped += 1;
                let kept = self.violations.len();
                match self.violations.last_mut() {
                    Some(HostViolation::RxOverflow { dropped_bytes, .. })
                        if self.last_byte_dropped =>
                    {
                        *dropped_bytes += 1;
                    }
                    _ if kept < MAX_VIOLATIONS_KEPT => {
                        self.violations.push(HostViolation::RxOverflow {
                            at_s: self.now_s,
                            dropped_bytes: 1,
                        });
                    }
                    _ => {}
                }
                self.last_byte_dropped = true;
            }
            return;
        }
        self.counters.realtime_bytes += 1;
        let f = &mut self.rt;
        match b {
            rt::SOFT_RESET => self.soft_reset(),
            rt::STATUS_REPORT => f.status = true,
            rt::CYCLE_START => f.cycle_start = true,
            rt::FEED_HOLD => f.feed_hold = true,
            rt::SAFETY_DOOR => f.door = true,
            rt::JOG_CANCEL if self.state == State::Jog => f.motion_cancel = true,
            rt::FEED_OV_RESET => f.feed_ov |= 1,
            rt::FEED_OV_COARSE_PLUS => f.feed_ov |= 2,
            rt::FEED_OV_COARSE_MINUS => f.feed_ov |= 4,
            rt::FEED_OV_FINE_PLUS => f.feed_ov |= 8,
            rt::FEED_OV_FINE_MINUS => f.feed_ov |= 16,
            rt::RAPID_OV_RESET => f.rapid_ov |= 1,
            rt::RAPID_OV_MEDIUM => f.rapid_ov |= 2,
            rt::RAPID_OV_LOW => f.rapid_ov |= 4,
            rt::SPINDLE_OV_RESET => f.spindle_ov |= 1,
            rt::SPINDLE_OV_COARSE_PLUS => f.spindle_ov |= 2,
            rt::SPINDLE_OV_COARSE_MINUS => f.spindle_ov |= 4,
            rt::SPINDLE_OV_FINE_PLUS => f.spindle_ov |= 8,
            rt::SPINDLE_OV_FINE_MINUS => f.spindle_ov |= 16,
            rt::SPINDLE_STOP_TOGGLE => f.spindle_stop = true,
            rt::FLOOD_TOGGLE => f.flood = true,
            _ => {} // Mist (no M7 in this build), debug and unknown extended bytes.
        }
    }

    /// Acts on pending realtime requests, in `protocol_exec_rt_system` order.
    pub(crate) fn process_realtime(&mut self) {
        if self.idle_delay_left_s.is_some() {
            // The stepper interrupt holds the processor for `$1` after a stop: realtime
            // requests (a status report too) wait for the main loop's next check point.
            return;
        }
        let f = std::mem::take(&mut self.rt);
        if f.status {
            if self.critical || self.state == State::Homing {
                self.rt.status = true; // Not answered now; kept until possible or reset.
            } else {
                let report = self.status_report_text();
                self.counters.status_reports += 1;
                self.print(&report);
            }
        }
        if f.feed_hold || f.door || f.motion_cancel {
            self.apply_hold(f.feed_hold, f.door);
        }
        if f.cycle_start && !(f.feed_hold || f.motion_cancel || f.door) {
            self.apply_cycle_start();
        }
        self.apply_overrides(&f);
    }

    fn apply_hold(&mut self, feed_hold: bool, door: bool) {
        if !matches!(
            self.state,
            State::Alarm | State::Check | State::Sleep | State::Homing
        ) {
            if matches!(self.state, State::Cycle | State::Jog) && !self.suspended {
                self.suspended = true;
                self.hold_complete = false;
                if self.state == State::Jog {
                    self.jog_cancel = true;
                }
            }
            if self.state == State::Idle {
                self.suspended = true;
                self.hold_complete = true;
            }
            if feed_hold && !matches!(self.state, State::Door | State::Jog) {
                self.state = State::Hold;
            }
            if door {
                self.print("[MSG:Check Door]\r\n");
                if self.jog_cancel {
                    self.door_after_jog = true;
                } else {
                    self.state = State::Door;
                    if self.hold_complete {
                        self.door_stop_outputs();
                    }
                }
            }
        }
    }

    /// `$SLP`: everything off; only a reset leaves (into Alarm).
    pub(crate) fn enter_sleep(&mut self) {
        self.state = State::Sleep;
        self.planner.reset(&self.settings, self.pos_mm);
        self.spindle_sync(SpindleMode::Off, 0.0);
        self.spindle.flood = false;
        self.print("[MSG:Sleeping]\r\n");
    }

    fn apply_cycle_start(&mut self) {
        if self.soft_limit_pending {
            return; // Stopping for a soft-limit alarm; only a reset helps.
        }
        if self.state == State::Door && self.hold_complete && self.door_restore_left_s.is_none() {
            let spindle_was_on = self.spindle.mode != SpindleMode::Off && self.spindle.base_s > 0.0;
            let delay = if self.settings.laser_mode || !spindle_was_on {
                0.0
            } else {
                self.cfg.door_spindle_delay_s
            };
            self.door_restore_left_s = Some(delay);
            return;
        }
        let resumable =
            self.state == State::Idle || (self.state == State::Hold && self.hold_complete);
        if resumable {
            self.resume_cycle();
        }
    }

    fn apply_overrides(&mut self, f: &crate::machine::RtFlags) {
        if f.feed_ov != 0 || f.rapid_ov != 0 {
            let mut feed = i32::from(self.ov.feed_pct);
            if f.feed_ov & 1 != 0 {
                feed = 100;
            }
            if f.feed_ov & 2 != 0 {
                feed += 10;
            }
            if f.feed_ov & 4 != 0 {
                feed -= 10;
            }
            if f.feed_ov & 8 != 0 {
                feed += 1;
            }
            if f.feed_ov & 16 != 0 {
                feed -= 1;
            }
            let feed = feed.clamp(10, 200) as u8;
            let mut rapid = self.ov.rapid_pct;
            if f.rapid_ov & 1 != 0 {
                rapid = 100;
            }
            if f.rapid_ov & 2 != 0 {
                rapid = 50;
            }
            if f.rapid_ov & 4 != 0 {
                rapid = 25;
            }
            if feed != self.ov.feed_pct || rapid != self.ov.rapid_pct {
                self.ov.feed_pct = feed;
                self.ov.rapid_pct = rapid;
                self.report_counters.ovr = 0;
                self.planner.recalculate(self.ov, self.v_mm_s);
            }
        }
        if f.spindle_ov != 0 {
            let mut sp = i32::from(self.ov.spindle_pct);
            if f.spindle_ov & 1 != 0 {
                sp = 100;
            }
            if f.spindle_ov & 2 != 0 {
                sp += 10;
            }
            if f.spindle_ov & 4 != 0 {
                sp -= 10;
            }
            if f.spindle_ov & 8 != 0 {
                sp += 1;
            }
            if f.spindle_ov & 16 != 0 {
                sp -= 1;
            }
            let sp = sp.clamp(10, 200) as u8;
            if sp != self.ov.spindle_pct {
                self.ov.spindle_pct = sp;
                self.report_counters.ovr = 0;
                if !self.motion_active() {
                    self.refresh_rest_output();
                }
            }
        }
        if f.spindle_stop && self.state == State::Hold {
            self.spindle.stopped = !self.spindle.stopped;
            self.refresh_rest_output();
            self.report_counters.ovr = 0;
        }
        if f.flood && matches!(self.state, State::Idle | State::Cycle | State::Hold) {
            self.gc.modal.coolant_flood = !self.gc.modal.coolant_flood;
            self.spindle.flood = self.gc.modal.coolant_flood;
            self.report_counters.ovr = 0;
        }
    }

    /// Soft reset (0x18, leaving `$C`, `$RST=`): GRBL's `mc_reset` plus the re-init in `main`.
    pub(crate) fn soft_reset(&mut self) {
        let moving = matches!(self.state, State::Cycle | State::Jog | State::Homing)
            || (matches!(self.state, State::Hold | State::Door)
                && self.suspended
                && !self.hold_complete);
        if moving {
            let code = if self.state == State::Homing { 6 } else { 3 };
            self.state = State::Alarm;
            self.counters.alarms += 1;
            self.print(&format!("ALARM:{code}\r\n"));
        }
        self.counters.resets += 1;
        self.homing_left_s = None;
        self.dwell_left_s = None;
        self.door_restore_left_s = None;
        self.idle_delay_left_s = None;
        self.pending_line = None;
        self.parser_cpu_left_s = 0.0;
        self.line_raw_bytes = 0;
        self.v_mm_s = 0.0;
        self.rx.clear();
        self.asm.clear();
        self.work.clear();
        self.rt = Default::default();
        self.planner.reset(&self.settings, self.pos_mm);
        // Machine position survives in whole steps, like sys_position.
        for i in 0..N_AXIS {
            let spm = self.settings.spm(i);
            self.pos_mm[i] = (self.pos_mm[i] * spm).round() / spm;
        }
        self.gc = ParserState::new(&self.persistent, self.pos_mm);
        self.ov = Overrides::default();
        self.report_counters = ReportCounters::default();
        self.spindle = Default::default();
        self.suspended = false;
        self.hold_complete = false;
        self.jog_cancel = false;
        self.door_after_jog = false;
        self.soft_limit_pending = false;
        self.critical = false;
        if !matches!(self.state, State::Alarm | State::Sleep) {
            self.state = State::Idle;
        }
        self.print_banner();
        self.after_banner();
    }

    pub(crate) fn print_banner(&mut self) {
        let banner = format!("\r\nGrbl {} ['$' for help]\r\n", self.cfg.banner_version);
        self.print(&banner);
    }

    /// The start of `protocol_main_loop`: alarm lock message or startup lines.
    pub(crate) fn after_banner(&mut self) {
        if matches!(self.state, State::Alarm | State::Sleep) {
            self.state = State::Alarm;
            self.print("[MSG:'$H'|'$X' to unlock]\r\n");
        } else {
            self.state = State::Idle;
            self.run_startup_lines();
        }
    }

    /// A status report, advancing the WCO/Ov rotation.
    pub(crate) fn status_report_text(&mut self) -> String {
        let busy = matches!(
            self.state,
            State::Homing | State::Cycle | State::Hold | State::Jog | State::Door
        );
        let mut mpos = self.pos_mm;
        for (i, p) in mpos.iter_mut().enumerate() {
            let spm = self.settings.spm(i);
            *p = (*p * spm).round() / spm;
        }
        let state = self.state().as_report_str();
        let input = StatusInput {
            state: &state,
            busy,
            mpos,
            wco: self.gc.wco(),
            planner_free: self.planner.free(),
            rx_free: self.cfg.rx_buffer_bytes.saturating_sub(self.rx.len()),
            feed_mm_min: if busy { self.v_mm_s * 60.0 } else { 0.0 },
            spindle_s: self.spindle.output_s,
            ov: self.ov,
            spindle_on: (self.spindle.output_s > 0.0).then_some(self.spindle.mode),
            flood: self.spindle.flood,
        };
        status_report(&self.settings, &mut self.report_counters, &input)
    }

    /// Ends a homing cycle: machine position at the home switches minus pull-off.
    pub(crate) fn finish_homing(&mut self) {
        self.homing_left_s = None;
        for i in 0..2 {
            self.pos_mm[i] = self.home_position(i);
        }
        self.planner.reset(&self.settings, self.pos_mm);
        self.gc.position = self.pos_mm;
        self.state = State::Idle;
        // Startup lines run before the `$H` ok, which is already queued.
        let queued = std::mem::take(&mut self.work);
        self.run_startup_lines();
        self.work.extend(queued);
    }

    /// Machine coordinate of axis `i` after homing (GRBL's `limits_go_home`).
    pub(crate) fn home_position(&self, i: usize) -> f64 {
        let s = &self.settings;
        let towards_negative = s.homing_dir_mask & (1 << i) != 0;
        if self.cfg.homing_force_set_origin {
            0.0
        } else if towards_negative {
            -s.max_travel_mm[i] + s.homing_pulloff_mm
        } else {
            -s.homing_pulloff_mm
        }
    }
}
