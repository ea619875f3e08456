//! `$` system commands (GRBL's `system_execute_line`).

use crate::config::{N_AXIS, STATUS_BAD_NUMBER, STATUS_INVALID_STATEMENT};
use crate::gcode::Persistent;
use crate::machine::{Grbl, State};
use crate::report::{HELP, gcode_modes, ngc_parameters};
use crate::runner::Work;
use crate::words::read_float;

const STATUS_SETTING_DISABLED: u8 = 5;
const STATUS_IDLE_ERROR: u8 = 8;

/// What happens right after a `$` command has been answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    Nothing,
    Reset,
    Sleep,
}

impl Grbl {
    /// Executes a `$` line. Returns the status to answer now, or `None` if the answer was
    /// queued behind work (jogs, homing, startup-line storage). Sets `after` to what GRBL
    /// does right after answering (reset for `$C` leave and `$RST=`, sleep for `$SLP`).
    pub(crate) fn execute_system(&mut self, line: &[u8], after: &mut After) -> Option<u8> {
        let at = |i: usize| line.get(i).copied().unwrap_or(0);
        match at(1) {
            0 => {
                self.print(HELP);
                Some(0)
            }
            b'J' => {
                if !matches!(self.state, State::Idle | State::Jog) {
                    return Some(STATUS_IDLE_ERROR);
                }
                if at(2) != b'=' {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                match self.execute_gcode(line, 3, true) {
                    Ok(()) => {
                        self.work.push_back(Work::Respond(0));
                        None
                    }
                    Err(code) => Some(code),
                }
            }
            c @ (b'$' | b'G' | b'C' | b'X') => {
                if at(2) != 0 {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                match c {
                    b'$' => {
                        if matches!(self.state, State::Cycle | State::Hold) {
                            return Some(STATUS_IDLE_ERROR);
                        }
                        let dump = self.settings.dump();
                        self.print(&dump);
                    }
                    b'G' => {
                        let modes = gcode_modes(&self.settings, &self.gc);
                        self.print(&modes);
                    }
                    b'C' => {
                        if self.state == State::Check {
                            self.print("[MSG:Disabled]\r\n");
                            *after = After::Reset;
                        } else {
                            if self.state != State::Idle {
                                return Some(STATUS_IDLE_ERROR);
                            }
                            self.state = State::Check;
                            self.print("[MSG:Enabled]\r\n");
                        }
                    }
                    _ => {
                        if self.state == State::Alarm {
                            self.print("[MSG:Caution: Unlocked]\r\n");
                            self.state = State::Idle;
                        }
                    }
                }
                Some(0)
            }
            _ => {
                if !matches!(self.state, State::Idle | State::Alarm) {
                    return Some(STATUS_IDLE_ERROR);
                }
                self.execute_idle_system(line, after)
            }
        }
    }

    /// The `$` commands allowed only in Idle or Alarm.
    fn execute_idle_system(&mut self, line: &[u8], after: &mut After) -> Option<u8> {
        let at = |i: usize| line.get(i).copied().unwrap_or(0);
        match at(1) {
            b'#' => {
                if at(2) != 0 {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                let text = ngc_parameters(&self.settings, &self.gc, &self.persistent);
                self.print(&text);
                Some(0)
            }
            b'H' => {
                if !self.settings.homing_enable {
                    return Some(STATUS_SETTING_DISABLED);
                }
                if at(2) != 0 {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                self.state = State::Homing;
                self.homing_left_s = Some(self.homing_duration_s());
                self.work.push_back(Work::Respond(0));
                None
            }
            b'S' => {
                if &line[1..] != b"SLP" {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                *after = After::Sleep;
                Some(0)
            }
            b'I' => {
                if at(2) == 0 {
                    let info = format!(
                        "[VER:{}:{}]\r\n[OPT:V{},{},{}]\r\n",
                        self.cfg.firmware,
                        self.persistent.build_info,
                        if self.cfg.homing_force_set_origin {
                            "Z"
                        } else {
                            ""
                        },
                        self.cfg.planner_blocks,
                        self.cfg.rx_buffer_bytes
                    );
                    self.print(&info);
                } else {
                    if at(2) != b'=' {
                        return Some(STATUS_INVALID_STATEMENT);
                    }
                    self.persistent.build_info = String::from_utf8_lossy(&line[3..]).into_owned();
                }
                Some(0)
            }
            b'R' => {
                if line.len() != 6 || &line[1..5] != b"RST=" {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                match line[5] {
                    b'$' => self.settings = self.cfg.settings.clone(),
                    b'#' => self.clear_parameters(),
                    b'*' => {
                        self.settings = self.cfg.settings.clone();
                        self.persistent = Persistent::default();
                    }
                    _ => return Some(STATUS_INVALID_STATEMENT),
                }
                self.print("[MSG:Restoring defaults]\r\n");
                *after = After::Reset;
                Some(0)
            }
            b'N' if at(2) == 0 => {
                let text: String = self
                    .persistent
                    .startup
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("$N{i}={l}\r\n"))
                    .collect();
                self.print(&text);
                Some(0)
            }
            b'N' => {
                if self.state != State::Idle {
                    return Some(STATUS_IDLE_ERROR);
                }
                let mut i = 2;
                let Some(index) = read_float(line, &mut i) else {
                    return Some(STATUS_BAD_NUMBER);
                };
                if at(i) != b'=' {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                let body = line[i + 1..].to_vec();
                // GRBL validates the line by executing it once.
                if let Err(code) = self.execute_gcode(&body, 0, false) {
                    return Some(code);
                }
                let slot = index.trunc();
                if (0.0..self.persistent.startup.len() as f64).contains(&slot) {
                    self.persistent.startup[slot as usize] =
                        String::from_utf8_lossy(&body).into_owned();
                }
                self.work.push_back(Work::Respond(0));
                None
            }
            _ => {
                let mut i = 1;
                let Some(parameter) = read_float(line, &mut i) else {
                    return Some(STATUS_BAD_NUMBER);
                };
                if at(i) != b'=' {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                i += 1;
                let Some(value) = read_float(line, &mut i) else {
                    return Some(STATUS_BAD_NUMBER);
                };
                if i != line.len() || !(0.0..=255.0).contains(&parameter) {
                    return Some(STATUS_INVALID_STATEMENT);
                }
                // A changed rate or laser mode applies to blocks planned afterwards.
                Some(self.settings.store(parameter as u32, value))
            }
        }
    }

    fn clear_parameters(&mut self) {
        self.persistent.coord = [[0.0; N_AXIS]; 6];
        self.persistent.g28 = [0.0; N_AXIS];
        self.persistent.g30 = [0.0; N_AXIS];
    }

    /// Virtual duration of a homing cycle: seek to the switches, then locate and pull off.
    fn homing_duration_s(&self) -> f64 {
        let s = &self.settings;
        let mut seek_mm: f64 = 0.0;
        for i in 0..2 {
            let switch = self.home_position(i);
            seek_mm = seek_mm.max((self.pos_mm[i] - switch).abs());
        }
        let seek = seek_mm / (s.homing_seek_mm_min / 60.0).max(1e-6);
        let locate = 2.0 * s.homing_pulloff_mm / (s.homing_feed_mm_min / 60.0).max(1e-6);
        seek + locate
    }
}
