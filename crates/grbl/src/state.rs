//! What the host knows about the machine, folded from GRBL's messages.
//!
//! [`MachineState`] is a *view* for people and for safety checks (position, state, overrides,
//! settings). It is **not** the source of truth for streaming: reports such as `Bf:` are stale
//! by the time they arrive, so the [`Streamer`](crate::streamer::Streamer) keeps its own exact
//! character count from the lines it sent and the `ok`/`error` lines it received.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::message::{
    Axes, BufferState, BuildOptions, CoordSystem, Firmware, Letters, Message, ModalState,
    Overrides, ReportedPosition, State,
};

/// Firmware identity from the banner and `$I`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FirmwareInfo {
    /// From the banner; `None` until one was seen.
    pub firmware: Option<Firmware>,
    /// Version, e.g. `1.1h` (banner or `[VER:]`).
    pub version: Option<String>,
    /// Build date from `[VER:]`, e.g. `20190830`.
    pub build: Option<String>,
    /// `[OPT:]` build options.
    pub options: Option<BuildOptions>,
}

/// Machine state reduced from parsed messages with [`MachineState::apply`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineState {
    /// Last reported state; `None` before the first status report.
    pub state: Option<State>,
    /// Machine position, report units (mm unless `$13=1`). Derived from WPos + WCO when the
    /// report carries WPos.
    pub machine_pos: Option<Axes>,
    /// Work position = MPos - WCO. Derived when the report carries MPos.
    pub work_pos: Option<Axes>,
    /// Last work coordinate offset seen (GRBL sends it only now and then).
    pub wco: Option<Axes>,
    /// Actual feed, mm/min (report units).
    pub feed_mm_min: Option<f64>,
    /// Actual spindle/laser S value.
    pub spindle_s: Option<f64>,
    /// Override percentages; 100/100/100 until a report says otherwise and after a reset.
    pub overrides: Overrides,
    /// Last `Bf:` report (diagnostic only).
    pub buffer: Option<BufferState>,
    /// Last `Ln:` line number.
    pub line_number: Option<u32>,
    /// Triggered input pins (`Pn:`); empty when none.
    pub pins: Letters,
    /// Active accessories (`A:`); empty when none.
    pub accessories: Letters,
    /// The most recent `ALARM:N`.
    pub last_alarm: Option<u16>,
    /// True while GRBL refuses G-code until `$X`/`$H` (alarm state, or booted locked).
    pub alarm_locked: bool,
    /// Check mode (`$C`) is on.
    pub check_mode: bool,
    /// Firmware identity and build options.
    pub firmware: FirmwareInfo,
    /// `$n=value` settings as reported, raw text by number.
    pub settings: BTreeMap<u16, String>,
    /// `$Nx=line` startup lines.
    pub startup_lines: BTreeMap<u8, String>,
    /// Last `[GC:]` modal state.
    pub modal: Option<ModalState>,
    /// Offsets from `$#`.
    pub offsets: BTreeMap<String, Axes>,
    /// Last `[PRB:]`: position and success.
    pub probe: Option<(Axes, bool)>,
    /// Last `[MSG:]` text.
    pub last_message: Option<String>,
    /// Status reports applied so far.
    pub reports: u64,
}

impl MachineState {
    /// Receive buffer size from `[OPT:]`, bytes; `None` if not yet known.
    pub fn rx_buffer_bytes(&self) -> Option<u32> {
        self.firmware.options.as_ref().map(|o| o.rx_buffer_bytes)
    }

    /// Planner size from `[OPT:]`, blocks; `None` if not yet known.
    pub fn planner_blocks(&self) -> Option<u16> {
        self.firmware.options.as_ref().map(|o| o.planner_blocks)
    }

    /// Setting `$number` as a number, if reported and numeric.
    pub fn setting_f64(&self, number: u16) -> Option<f64> {
        self.settings.get(&number)?.trim().parse().ok()
    }

    /// Laser mode (`$32=1`), if `$$` was read.
    pub fn laser_mode(&self) -> Option<bool> {
        self.setting_f64(32).map(|v| v != 0.0)
    }

    /// Folds one message into the state.
    pub fn apply(&mut self, msg: &Message) {
        match msg {
            Message::Status(r) => {
                self.reports += 1;
                self.alarm_locked = r.state == State::Alarm;
                self.check_mode = r.state == State::Check;
                self.state = Some(r.state.clone());
                if let Some(wco) = r.wco {
                    self.wco = Some(wco);
                }
                match r.position {
                    Some(ReportedPosition::Machine(m)) => {
                        self.machine_pos = Some(m);
                        self.work_pos = self.wco.map(|w| m.minus(&w)).or(Some(m));
                    }
                    Some(ReportedPosition::Work(w)) => {
                        self.work_pos = Some(w);
                        self.machine_pos = self.wco.map(|o| w.plus(&o)).or(Some(w));
                    }
                    None => {}
                }
                if let Some(fs) = r.feed_speed {
                    self.feed_mm_min = Some(fs.feed);
                    self.spindle_s = fs.speed;
                }
                if let Some(b) = r.buffer {
                    self.buffer = Some(b);
                }
                if let Some(n) = r.line_number {
                    self.line_number = Some(n);
                }
                // Pn: is left out when no pin is triggered.
                self.pins = r.pins.clone().unwrap_or_default();
                // A: only comes with Ov:, and is left out when nothing is on.
                if let Some(ov) = r.overrides {
                    self.overrides = ov;
                    self.accessories = r.accessories.clone().unwrap_or_default();
                } else if let Some(a) = &r.accessories {
                    self.accessories = a.clone();
                }
            }
            Message::Alarm(code) => {
                self.last_alarm = Some(*code);
                self.alarm_locked = true;
                self.state = Some(State::Alarm);
            }
            Message::Msg(text) => {
                match text.as_str() {
                    "'$H'|'$X' to unlock" | "Reset to continue" => self.alarm_locked = true,
                    "Caution: Unlocked" => self.alarm_locked = false,
                    "Enabled" => self.check_mode = true,
                    "Disabled" => self.check_mode = false,
                    _ => {}
                }
                self.last_message = Some(text.clone());
            }
            Message::Banner { firmware, version } => {
                // A (soft) reset: overrides, G92 and parser modes go back to defaults, and
                // check mode ends. The alarm lock, if any, is announced by its own [MSG:].
                self.firmware.firmware = Some(*firmware);
                self.firmware.version = Some(version.clone());
                self.overrides = Overrides::default();
                self.check_mode = false;
                self.modal = None;
                self.buffer = None;
                self.accessories = Letters::default();
            }
            Message::Version { version, build, .. } => {
                self.firmware.version = Some(version.clone());
                self.firmware.build = build.clone();
            }
            Message::Options(o) => self.firmware.options = Some(o.clone()),
            Message::Setting { number, value } => {
                self.settings.insert(*number, value.clone());
            }
            Message::StartupLine { index, line } => {
                self.startup_lines.insert(*index, line.clone());
            }
            Message::Modal(m) => self.modal = Some(m.clone()),
            Message::Offset { system, offset } => {
                self.offsets
                    .insert(coord_name(*system).to_string(), *offset);
            }
            Message::ToolLengthOffset(z) => {
                self.offsets
                    .insert("TLO".to_string(), Axes::xyz(0.0, 0.0, *z));
            }
            Message::Probe { position, success } => self.probe = Some((*position, *success)),
            Message::Ok
            | Message::Error(_)
            | Message::Help(_)
            | Message::Echo(_)
            | Message::StartupResult { .. }
            | Message::Unknown(_) => {}
        }
    }
}

fn coord_name(system: CoordSystem) -> &'static str {
    match system {
        CoordSystem::G54 => "G54",
        CoordSystem::G55 => "G55",
        CoordSystem::G56 => "G56",
        CoordSystem::G57 => "G57",
        CoordSystem::G58 => "G58",
        CoordSystem::G59 => "G59",
        CoordSystem::G28 => "G28",
        CoordSystem::G30 => "G30",
        CoordSystem::G92 => "G92",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::parse_str;

    fn feed(state: &mut MachineState, lines: &[&str]) {
        for l in lines {
            state.apply(&parse_str(l));
        }
    }

    #[test]
    fn derives_work_position_from_remembered_wco() {
        let mut s = MachineState::default();
        feed(
            &mut s,
            &["<Idle|MPos:10.000,20.000,0.000|FS:0,0|WCO:1.000,2.000,0.000>"],
        );
        assert_eq!(s.work_pos, Some(Axes::xyz(9.0, 18.0, 0.0)));
        // Next report has no WCO: the last one still applies.
        feed(&mut s, &["<Run|MPos:11.000,20.000,0.000|FS:500,0>"]);
        assert_eq!(s.work_pos, Some(Axes::xyz(10.0, 18.0, 0.0)));
        assert_eq!(s.feed_mm_min, Some(500.0));
        // WPos reports give MPos = WPos + WCO.
        feed(&mut s, &["<Run|WPos:5.000,5.000,0.000|FS:500,0>"]);
        assert_eq!(s.machine_pos, Some(Axes::xyz(6.0, 7.0, 0.0)));
        assert_eq!(s.state, Some(State::Run));
    }

    #[test]
    fn overrides_accessories_pins() {
        let mut s = MachineState::default();
        feed(
            &mut s,
            &["<Run|MPos:0,0,0|FS:500,300|Pn:P|Ov:110,100,90|A:C>"],
        );
        assert_eq!(s.overrides.feed_pct, 110);
        assert!(s.accessories.has('C') && s.pins.has('P'));
        // No Ov: the accessories are unknown, keep them; no Pn: nothing triggered.
        feed(&mut s, &["<Run|MPos:1,0,0|FS:500,300>"]);
        assert!(s.accessories.has('C') && s.pins.is_empty());
        // Ov: without A: means everything off.
        feed(&mut s, &["<Idle|MPos:1,0,0|FS:0,0|Ov:110,100,90>"]);
        assert!(s.accessories.is_empty());
        feed(&mut s, &["Grbl 1.1h ['$' for help]"]);
        assert_eq!(s.overrides, Overrides::default());
    }

    #[test]
    fn alarm_lock_cycle() {
        let mut s = MachineState::default();
        feed(
            &mut s,
            &[
                "ALARM:3",
                "Grbl 1.1h ['$' for help]",
                "[MSG:'$H'|'$X' to unlock]",
            ],
        );
        assert!(s.alarm_locked);
        assert_eq!(s.last_alarm, Some(3));
        feed(&mut s, &["[MSG:Caution: Unlocked]", "ok"]);
        assert!(!s.alarm_locked);
        feed(&mut s, &["<Alarm|MPos:0,0,0|FS:0,0>"]);
        assert!(s.alarm_locked);
        feed(&mut s, &["<Idle|MPos:0,0,0|FS:0,0>"]);
        assert!(!s.alarm_locked);
    }

    #[test]
    fn firmware_settings_offsets() {
        let mut s = MachineState::default();
        feed(
            &mut s,
            &[
                "GrblHAL 1.1f ['$' or '$HELP' for help]",
                "[VER:1.1f.20230919:]",
                "[OPT:VNMSL,35,1024,3,0]",
                "$32=1",
                "$110=5000.000",
                "$N0=G21",
                "[G54:1.000,2.000,0.000]",
                "[TLO:0.500]",
                "[PRB:0.000,0.000,-3.000:1]",
                "[GC:G0 G54 G17 G21 G90 G94 M5 M9 T0 F0 S0]",
                "[MSG:Enabled]",
            ],
        );
        assert_eq!(s.firmware.firmware, Some(Firmware::GrblHal));
        assert_eq!(s.firmware.build.as_deref(), Some("20230919"));
        assert_eq!(s.rx_buffer_bytes(), Some(1024));
        assert_eq!(s.planner_blocks(), Some(35));
        assert_eq!(s.laser_mode(), Some(true));
        assert_eq!(s.setting_f64(110), Some(5000.0));
        assert_eq!(s.startup_lines.get(&0).map(String::as_str), Some("G21"));
        assert_eq!(s.offsets.get("G54"), Some(&Axes::xyz(1.0, 2.0, 0.0)));
        assert_eq!(s.offsets.get("TLO").map(Axes::z), Some(0.5));
        assert_eq!(s.probe.map(|p| p.1), Some(true));
        assert!(s.modal.as_ref().is_some_and(|m| m.has('G', 21.0)));
        assert!(s.check_mode);
    }
}
