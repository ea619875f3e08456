//! [`App::handle`]: commands become worker requests and state changes, never waits.

use std::sync::Arc;
use std::sync::mpsc::channel;

use burin_grbl::codes::{OverrideKind as GrblOverride, override_bytes, rapid_override_byte};
use burin_grbl::realtime::{CYCLE_START, FEED_HOLD, JOG_CANCEL};
use burin_link::JobControl;

use super::design_worker::DesignRequest;
use super::machine_worker::{self, MachineRequest};
use super::presets::preset_matches;
use super::state::{DesignState, FileKind, LinkStatus};
use super::{App, Command, Level, MachineLink, Notice, OverrideKind};
use crate::machine::port_choices;
use crate::settings::FRAME_POWER_CAP_PCT;

impl App {
    /// Carries out one command. Anything slow is handed to a worker.
    pub fn handle(&mut self, cmd: Command) {
        match cmd {
            Command::OpenFile(path) => self.open(path),
            Command::CloseFile => {
                self.state.design = None;
            }
            Command::EditLayer { colour, operation } => {
                if let Err(why) = operation.validate() {
                    self.notice(
                        Notice::new(Level::Error, "notice-layer-invalid").arg("error", why),
                    );
                    return;
                }
                let Some(d) = self.state.design.as_mut() else {
                    return;
                };
                let library = &self.state.presets.library;
                if let Some(row) = d.layers.iter_mut().find(|l| l.colour == colour) {
                    row.operation = operation;
                    row.preset = row
                        .preset
                        .take()
                        .filter(|name| preset_matches(library, name, &operation));
                    self.regenerate();
                }
            }
            Command::ApplyPreset { colour, name } => self.apply_preset(colour, &name),
            Command::SaveLayerAsPreset {
                colour,
                name,
                material,
                thickness_mm,
                machine,
                notes,
            } => self.save_layer_as_preset(colour, name, material, thickness_mm, machine, notes),
            Command::UpdatePreset { name, preset } => self.update_preset(&name, preset),
            Command::DeletePreset { name } => self.delete_preset(&name),
            Command::SetPlacement(p) => {
                let Some(d) = self.state.design.as_mut() else {
                    return;
                };
                d.placement = p;
                self.state.settings.origin_mode = p.mode;
                self.regenerate();
            }
            Command::Generate => self.regenerate(),
            Command::RefreshPorts => {
                let (tx, rx) = channel();
                let wake = self.waker.clone();
                std::thread::Builder::new()
                    .name("burin-ports".into())
                    .spawn(move || {
                        let _ = tx.send(port_choices());
                        wake.wake();
                    })
                    .ok();
                self.ports_rx = Some(rx);
            }
            Command::SetSelectedPort(port) => self.state.selected_port = port,
            Command::Connect { port } => self.connect(port),
            Command::Disconnect => {
                self.send_machine(MachineRequest::Disconnect);
            }
            Command::Jog {
                dx_mm,
                dy_mm,
                dz_mm,
            } => {
                if let Some(line) = self.jog_line(dx_mm, dy_mm, dz_mm) {
                    self.machine_line(line);
                }
            }
            Command::JogContinuous { x, y, z } => self.jog_continuous(x, y, z),
            Command::JogCancel => {
                if self.send_machine(MachineRequest::Realtime(JOG_CANCEL)) {
                    self.state.machine.jogging = false;
                }
            }
            Command::Home => self.machine_line("$H".into()),
            Command::Unlock => self.machine_line("$X".into()),
            Command::SetOriginHere => self.machine_line("G10L20P1X0Y0".into()),
            Command::GoToOrigin => {
                let feed = self.state.settings.jog.feed_mm_min;
                self.machine_line(format!("$J=G90G21X0Y0F{}", fmt_num(feed)));
            }
            Command::Frame => self.frame(),
            Command::Start => self.start(),
            Command::Pause => self.pause(),
            Command::Resume => self.resume(),
            Command::Stop => self.stop(),
            Command::Override { kind, pct } => self.override_to(kind, pct),
            Command::ConsoleLine(line) => {
                let line = line.trim().to_string();
                if line.is_empty() {
                    return;
                }
                if self.state.machine.job.is_some() {
                    self.notice(Notice::new(Level::Warning, "notice-busy-job"));
                    return;
                }
                self.machine_line(line);
            }
            Command::WriteSetting { number, value } => {
                let value = value.trim().to_string();
                let valid = !value.is_empty() && value.parse::<f64>().is_ok_and(|v| v.is_finite());
                if !valid {
                    self.notice(
                        Notice::new(Level::Error, "notice-setting-invalid")
                            .arg("number", number)
                            .arg("value", value),
                    );
                    return;
                }
                self.machine_line(format!("${number}={value}"));
                self.machine_line("$$".into());
            }
            Command::EnableLaserMode => {
                self.machine_line("$32=1".into());
                self.machine_line("$$".into());
            }
            Command::SetHasZ(z) => self.state.settings.machine.has_z = z,
            Command::SetJog {
                step_mm,
                feed_mm_min,
            } => {
                if step_mm.is_finite() && step_mm > 0.0 {
                    self.state.settings.jog.step_mm = step_mm;
                }
                if feed_mm_min.is_finite() && feed_mm_min > 0.0 {
                    self.state.settings.jog.feed_mm_min = feed_mm_min;
                }
            }
            Command::SetFrame {
                power_pct,
                feed_mm_min,
            } => {
                if power_pct.is_finite() {
                    self.state.settings.frame.power_pct = power_pct.clamp(0.0, FRAME_POWER_CAP_PCT);
                }
                if feed_mm_min.is_finite() && feed_mm_min > 0.0 {
                    self.state.settings.frame.feed_mm_min = feed_mm_min;
                }
            }
            Command::SetLanguage(code) => {
                self.state.settings.language = code;
                self.save_settings();
            }
            Command::SetShowConsole(show) => self.state.settings.window.show_console = show,
            Command::SetWindowSize { width, height } => {
                if width.is_finite() && height.is_finite() && width > 100.0 && height > 100.0 {
                    self.state.settings.window.width = width;
                    self.state.settings.window.height = height;
                }
            }
            Command::SaveSettings => self.save_settings(),
            Command::ClearNotices => self.state.notices.clear(),
        }
    }

    fn open(&mut self, path: std::path::PathBuf) {
        let revision = self.revision();
        let placement = crate::placement::Placement {
            mode: self.state.settings.origin_mode,
            ..Default::default()
        };
        self.state.opening = Some(path.clone());
        let _ = self.design_tx.send(DesignRequest::Open {
            revision,
            path,
            profile: self.state.settings.machine.profile(),
            placement,
        });
    }

    /// Asks for a new program for the open design (newest request wins).
    pub(super) fn regenerate(&mut self) {
        let revision = self.revision();
        let profile = self.state.settings.machine.profile();
        let Some(d) = self.state.design.as_mut() else {
            return;
        };
        d.revision = revision;
        d.generating = true;
        let text = d.generated.as_ref().map(|g| Arc::clone(&g.lines));
        let req = match (d.kind, &d.document, text) {
            (FileKind::Svg, Some(doc), _) => DesignRequest::Generate {
                revision,
                document: Arc::clone(doc),
                layers: d.layers.iter().map(|l| (l.colour, l.operation)).collect(),
                placement: d.placement,
                profile,
            },
            (FileKind::Gcode, _, Some(text)) => DesignRequest::Recheck {
                revision,
                text,
                profile,
            },
            _ => {
                d.generating = false;
                return;
            }
        };
        let _ = self.design_tx.send(req);
    }

    fn connect(&mut self, port: String) {
        if self.machine.is_some() {
            return;
        }
        let (req_tx, req_rx) = channel();
        let (rep_tx, rep_rx) = channel();
        let baud = self.state.settings.machine.baud;
        let speed = self.sim_speed;
        let wake = self.waker.clone();
        let p = port.clone();
        let spawned = std::thread::Builder::new()
            .name("burin-machine".into())
            .spawn(move || machine_worker::run(p, baud, speed, req_rx, rep_tx, wake));
        let thread = match spawned {
            Ok(thread) => thread,
            Err(e) => {
                self.notice(
                    Notice::new(Level::Error, "notice-connect-failed")
                        .arg("port", &port)
                        .arg("error", e),
                );
                return;
            }
        };
        self.machine = Some(MachineLink {
            tx: req_tx,
            rx: rep_rx,
            thread: Some(thread),
        });
        self.state.selected_port = port.clone();
        self.state.settings.machine.port = Some(port.clone());
        self.state.machine.link = LinkStatus::Connecting { port };
    }

    /// Sends a command line if connected and no job runs.
    pub(super) fn machine_line(&mut self, line: String) {
        if !self.state.machine.is_connected() {
            self.notice(Notice::new(Level::Warning, "notice-not-connected"));
            return;
        }
        if self.state.machine.job.is_some() {
            self.notice(Notice::new(Level::Warning, "notice-busy-job"));
            return;
        }
        self.send_machine(MachineRequest::Line(line));
    }

    fn pause(&mut self) {
        if self.state.machine.job.is_some() {
            self.send_machine(MachineRequest::Control(JobControl::Pause));
            if let Some(j) = self.state.machine.job.as_mut() {
                j.paused = true;
            }
        } else {
            self.send_machine(MachineRequest::Realtime(FEED_HOLD));
        }
    }

    fn resume(&mut self) {
        if self.state.machine.job.is_some() {
            self.send_machine(MachineRequest::Control(JobControl::Resume));
            if let Some(j) = self.state.machine.job.as_mut() {
                j.paused = false;
            }
        } else {
            self.send_machine(MachineRequest::Realtime(CYCLE_START));
        }
    }

    fn stop(&mut self) {
        if self.state.machine.job.is_some() {
            self.send_machine(MachineRequest::Control(JobControl::Stop));
            if let Some(j) = self.state.machine.job.as_mut() {
                j.stopping = true;
            }
        } else if self.state.machine.jogging || self.state.machine.is_moving() {
            // A jog or a homing cycle: cancel the jog, hold anything else.
            self.send_machine(MachineRequest::Realtime(JOG_CANCEL));
            self.send_machine(MachineRequest::Realtime(FEED_HOLD));
            self.state.machine.jogging = false;
        }
    }

    fn override_to(&mut self, kind: OverrideKind, pct: u16) {
        let ov = self.state.machine.state.overrides;
        let bytes = match kind {
            OverrideKind::Feed => override_bytes(GrblOverride::Feed, ov.feed_pct, pct),
            OverrideKind::Power => override_bytes(GrblOverride::Spindle, ov.spindle_pct, pct),
            OverrideKind::Rapid => vec![rapid_override_byte(pct)],
        };
        let in_job = self.state.machine.job.is_some();
        for b in bytes {
            if in_job {
                self.send_machine(MachineRequest::Control(JobControl::Realtime(b)));
            } else {
                self.send_machine(MachineRequest::Realtime(b));
            }
        }
    }
}

/// A number for a G-code word: at most 3 decimals, no trailing zeros.
pub(super) fn fmt_num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

impl DesignState {
    /// The job's box in work coordinates (min, max) as generated, mm.
    pub fn job_box_mm(&self) -> Option<([f64; 2], [f64; 2])> {
        let g = self.generated.as_ref()?;
        match g.stats.powered_bounds.or(g.stats.bounds) {
            Some(b) if g.checked => Some(([b.x_min_mm, b.y_min_mm], [b.x_max_mm, b.y_max_mm])),
            // Before the checks: the preview's box (cuts only, as f32).
            _ => g.preview.cut_bounds.map(|(lo, hi)| {
                (
                    [f64::from(lo[0]), f64::from(lo[1])],
                    [f64::from(hi[0]), f64::from(hi[1])],
                )
            }),
        }
    }
}
