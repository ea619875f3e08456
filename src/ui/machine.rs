//! Right panel: the port and connection, the machine's state and position, jogging, and the
//! job controls (frame, start, pause/resume, stop, overrides, progress).

use std::time::{Duration, Instant};

use burin_controller::Command;
use burin_controller::app::{LinkStatus, OverrideKind, format_duration_pub};
use burin_controller::settings::FRAME_POWER_CAP_PCT;
use egui::{Color32, RichText};

use super::BurinUi;
use super::layers::number;
use super::text::{num, state_badge};

/// Holding a jog button longer than this starts a continuous jog.
const HOLD_FOR_CONTINUOUS: Duration = Duration::from_millis(350);

/// Jog steps offered, mm.
const JOG_STEPS: [f64; 4] = [0.1, 1.0, 10.0, 50.0];

impl BurinUi {
    pub fn machine_ui(&mut self, ui: &mut egui::Ui) {
        self.connection_ui(ui);
        ui.separator();
        self.status_panel_ui(ui);
        ui.separator();
        self.jog_ui(ui);
        ui.separator();
        self.job_ui(ui);
    }

    fn port_label(&self, id: &str) -> String {
        let p = self.app.state().ports.iter().find(|p| p.id == id);
        match p {
            Some(p) if p.is_simulator() => self.t("port-simulator"),
            Some(p) if !p.adapter.is_empty() => format!("{} ({})", p.id, p.adapter),
            _ => id.to_string(),
        }
    }

    fn connection_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.t("machine"));
        let state = self.app.state();
        let link = state.machine.link.clone();
        let mut selected = state.selected_port.clone();
        let ports = state.ports.clone();
        ui.add_enabled_ui(matches!(link, LinkStatus::Disconnected), |ui| {
            ui.horizontal(|ui| {
                let l = ui.label(self.t("port"));
                egui::ComboBox::from_id_salt("port")
                    .selected_text(self.port_label(&selected))
                    .show_ui(ui, |ui| {
                        for p in &ports {
                            let text = self.port_label(&p.id);
                            ui.selectable_value(&mut selected, p.id.clone(), text)
                                .on_hover_text(&p.description);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                if ui.button(self.t("ports-refresh")).clicked() {
                    self.cmd(Command::RefreshPorts);
                }
            });
            ui.horizontal(|ui| {
                let l = ui.label(self.t("port-path"));
                ui.add(egui::TextEdit::singleline(&mut self.port_input).desired_width(140.0))
                    .labelled_by(l.id);
            });
        });
        match link {
            LinkStatus::Disconnected => {
                if ui.button(self.t("connect")).clicked() {
                    let typed = self.port_input.trim().to_string();
                    let port = if typed.is_empty() {
                        selected.clone()
                    } else {
                        typed
                    };
                    self.cmd(Command::Connect { port });
                }
            }
            LinkStatus::Connecting { port } => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(
                        self.tr
                            .tr_args("connecting", &[("port", self.port_label(&port).into())]),
                    );
                });
            }
            LinkStatus::Connected { port } => {
                ui.horizontal(|ui| {
                    ui.label(
                        self.tr
                            .tr_args("connected-to", &[("port", self.port_label(&port).into())]),
                    );
                    if ui.button(self.t("disconnect")).clicked() {
                        self.cmd(Command::Disconnect);
                    }
                });
            }
        }
        // Keep the selection the user made in the list.
        if selected != self.app.state().selected_port
            && matches!(self.app.state().machine.link, LinkStatus::Disconnected)
        {
            self.port_input.clear();
            self.cmd(Command::SetSelectedPort(selected));
        }
    }

    fn status_panel_ui(&mut self, ui: &mut egui::Ui) {
        let m = self.app.state().machine.clone();
        let (label, colour) = state_badge(&self.tr, m.state.state.as_ref());
        ui.horizontal(|ui| {
            ui.label(self.t("state"));
            egui::Frame::new()
                .fill(colour)
                .corner_radius(4.0)
                .inner_margin(egui::Margin::symmetric(8, 2))
                .show(ui, |ui| {
                    ui.label(RichText::new(label).color(Color32::WHITE).strong())
                });
        });
        if m.is_connected() {
            let area = self.app.state().settings.machine.clone();
            let key = if m.area_from_machine {
                "machine-info"
            } else {
                "machine-info-saved"
            };
            let version = m
                .state
                .firmware
                .version
                .clone()
                .unwrap_or_else(|| "?".into());
            ui.small(self.tr.tr_args(
                key,
                &[
                    ("version", version.into()),
                    ("buffer", (m.rx_buffer_bytes as u64).into()),
                    ("w", num(area.work_x_mm, 0).into()),
                    ("h", num(area.work_y_mm, 0).into()),
                ],
            ));
        }
        if let Some(code) = m.state.last_alarm.filter(|_| m.state.alarm_locked) {
            ui.colored_label(
                Color32::from_rgb(0xe5, 0x39, 0x35),
                format!("ALARM:{code} {}", self.tr.grbl_alarm(code)),
            );
        }
        egui::Grid::new("positions").num_columns(4).show(ui, |ui| {
            ui.label("");
            ui.label("X");
            ui.label("Y");
            ui.label("Z");
            ui.end_row();
            for (key, pos) in [("work-pos", m.work_pos()), ("machine-pos", m.machine_pos())] {
                ui.label(self.t(key));
                for i in 0..3 {
                    ui.monospace(pos.map_or_else(|| "-".to_string(), |p| num(p[i], 3)));
                }
                ui.end_row();
            }
        });
        if m.is_connected() && m.state.laser_mode() == Some(false) {
            ui.colored_label(
                Color32::from_rgb(0xff, 0xa0, 0x00),
                self.t("laser-mode-off"),
            );
            if ui.button(self.t("laser-mode-enable")).clicked() {
                self.cmd(Command::EnableLaserMode);
            }
        }
        ui.add_enabled_ui(m.is_connected() && m.job.is_none(), |ui| {
            ui.horizontal_wrapped(|ui| {
                if ui.button(self.t("unlock")).clicked() {
                    self.cmd(Command::Unlock);
                }
                if ui.button(self.t("home")).clicked() {
                    self.cmd(Command::Home);
                }
                if ui.button(self.t("set-origin")).clicked() {
                    self.cmd(Command::SetOriginHere);
                }
                if ui.button(self.t("go-origin")).clicked() {
                    self.cmd(Command::GoToOrigin);
                }
            });
        });
    }

    fn jog_button(&mut self, ui: &mut egui::Ui, text: &str, name: &str, dir: (i8, i8, i8)) {
        let r = ui.add_sized([36.0, 30.0], egui::Button::new(text));
        let r = r.on_hover_text(name);
        // Accessible name: the direction in words.
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
        let step = self.app.state().settings.jog.step_mm;
        if r.is_pointer_button_down_on() {
            match self.jog_hold {
                None => self.jog_hold = Some((Instant::now(), dir, false)),
                Some((since, d, false)) if d == dir && since.elapsed() >= HOLD_FOR_CONTINUOUS => {
                    self.jog_hold = Some((since, d, true));
                    self.cmd(Command::JogContinuous {
                        x: dir.0,
                        y: dir.1,
                        z: dir.2,
                    });
                }
                _ => {}
            }
        } else if let Some((_, d, continuous)) = self.jog_hold
            && d == dir
        {
            self.jog_hold = None;
            if continuous {
                self.cmd(Command::JogCancel);
            } else if r.clicked() || r.drag_stopped() || !continuous {
                self.cmd(Command::Jog {
                    dx_mm: f64::from(dir.0) * step,
                    dy_mm: f64::from(dir.1) * step,
                    dz_mm: f64::from(dir.2) * step,
                });
            }
        }
    }

    fn jog_keys(&mut self, ui: &egui::Ui) {
        // Arrow keys jog when no text field has the keyboard.
        if ui.ctx().memory(|m| m.focused().is_some()) {
            return;
        }
        let step = self.app.state().settings.jog.step_mm;
        let keys = [
            (egui::Key::ArrowLeft, (-1, 0, 0)),
            (egui::Key::ArrowRight, (1, 0, 0)),
            (egui::Key::ArrowUp, (0, 1, 0)),
            (egui::Key::ArrowDown, (0, -1, 0)),
            (egui::Key::PageUp, (0, 0, 1)),
            (egui::Key::PageDown, (0, 0, -1)),
        ];
        for (key, dir) in keys {
            let (pressed, released) = ui.input(|i| (i.key_pressed(key), i.key_released(key)));
            let repeat = ui.input(|i| {
                i.events.iter().any(|e| matches!(e, egui::Event::Key { key: k, pressed: true, repeat: true, .. } if *k == key))
            });
            if pressed && !repeat {
                self.cmd(Command::Jog {
                    dx_mm: f64::from(dir.0) * step,
                    dy_mm: f64::from(dir.1) * step,
                    dz_mm: f64::from(dir.2) * step,
                });
                self.jog_hold = Some((Instant::now(), dir, false));
            } else if repeat
                && let Some((since, d, false)) = self.jog_hold
                && d == dir
                && since.elapsed() >= HOLD_FOR_CONTINUOUS
            {
                self.jog_hold = Some((since, d, true));
                self.cmd(Command::JogContinuous {
                    x: dir.0,
                    y: dir.1,
                    z: dir.2,
                });
            }
            if released
                && let Some((_, d, cont)) = self.jog_hold
                && d == dir
            {
                self.jog_hold = None;
                if cont {
                    self.cmd(Command::JogCancel);
                }
            }
        }
    }

    fn jog_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.t("jog"));
        let connected =
            self.app.state().machine.is_connected() && self.app.state().machine.job.is_none();
        if connected {
            self.jog_keys(ui);
        }
        ui.add_enabled_ui(connected, |ui| {
            ui.horizontal(|ui| {
                egui::Grid::new("jog-pad").show(ui, |ui| {
                    ui.label("");
                    self.jog_button(ui, "Y+", &self.t("jog-y-plus"), (0, 1, 0));
                    ui.label("");
                    ui.end_row();
                    self.jog_button(ui, "X-", &self.t("jog-x-minus"), (-1, 0, 0));
                    if ui
                        .add_sized([36.0, 30.0], egui::Button::new("0"))
                        .on_hover_text(self.t("go-origin"))
                        .clicked()
                    {
                        self.cmd(Command::GoToOrigin);
                    }
                    self.jog_button(ui, "X+", &self.t("jog-x-plus"), (1, 0, 0));
                    ui.end_row();
                    ui.label("");
                    self.jog_button(ui, "Y-", &self.t("jog-y-minus"), (0, -1, 0));
                    ui.label("");
                    ui.end_row();
                });
                if self.app.state().settings.machine.has_z {
                    ui.vertical(|ui| {
                        self.jog_button(ui, "Z+", &self.t("jog-z-plus"), (0, 0, 1));
                        self.jog_button(ui, "Z-", &self.t("jog-z-minus"), (0, 0, -1));
                    });
                }
            });
        });
        let jog = self.app.state().settings.jog.clone();
        let mut has_z = self.app.state().settings.machine.has_z;
        if ui.checkbox(&mut has_z, self.t("jog-has-z")).changed() {
            self.cmd(Command::SetHasZ(has_z));
        }
        ui.horizontal(|ui| {
            ui.label(self.t("jog-step"));
            for s in JOG_STEPS {
                if ui
                    .selectable_label(jog.step_mm == s, format!("{s}"))
                    .clicked()
                {
                    self.cmd(Command::SetJog {
                        step_mm: s,
                        feed_mm_min: jog.feed_mm_min,
                    });
                }
            }
        });
        ui.horizontal(|ui| {
            let mut feed = jog.feed_mm_min;
            if number(
                ui,
                &self.t("jog-feed"),
                &mut feed,
                10.0..=50_000.0,
                " mm/min",
                0,
            ) {
                self.cmd(Command::SetJog {
                    step_mm: jog.step_mm,
                    feed_mm_min: feed,
                });
            }
        });
    }

    fn job_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.t("job"));
        let state = self.app.state();
        let job = state.machine.job.clone();
        let connected = state.machine.is_connected();
        let frame = state.settings.frame.clone();
        let ov = state.machine.state.overrides;
        let last_job = state.machine.last_job.clone();
        ui.horizontal(|ui| {
            let mut p = frame.power_pct;
            if number(
                ui,
                &self.t("frame-power"),
                &mut p,
                0.0..=FRAME_POWER_CAP_PCT,
                " %",
                1,
            ) {
                self.cmd(Command::SetFrame {
                    power_pct: p,
                    feed_mm_min: frame.feed_mm_min,
                });
            }
        });
        ui.horizontal_wrapped(|ui| {
            let idle = connected && job.is_none();
            if ui
                .add_enabled(idle, egui::Button::new(self.t("frame")))
                .on_hover_text(ui.ctx().format_shortcut(&super::SHORTCUT_FRAME))
                .clicked()
            {
                self.cmd(Command::Frame);
            }
            if ui
                .add_enabled(idle, egui::Button::new(self.t("start")))
                .on_hover_text(ui.ctx().format_shortcut(&super::SHORTCUT_START))
                .clicked()
            {
                self.cmd(Command::Start);
            }
            let paused = job.as_ref().is_some_and(|j| j.paused);
            let (text, cmd) = if paused {
                (self.t("resume"), Command::Resume)
            } else {
                (self.t("pause"), Command::Pause)
            };
            if ui
                .add_enabled(connected, egui::Button::new(text))
                .on_hover_text(ui.ctx().format_shortcut(&super::SHORTCUT_PAUSE))
                .clicked()
            {
                self.cmd(cmd);
            }
            // Stop is never disabled while connected and never behind a dialog.
            if ui
                .add_enabled(
                    connected,
                    egui::Button::new(RichText::new(self.t("stop")).color(Color32::WHITE))
                        .fill(Color32::from_rgb(0xc6, 0x28, 0x28)),
                )
                .on_hover_text(ui.ctx().format_shortcut(&super::SHORTCUT_STOP))
                .clicked()
            {
                self.cmd(Command::Stop);
            }
        });
        if let Some(j) = &job {
            let pct = (j.fraction * 100.0).round();
            ui.add(
                egui::ProgressBar::new(j.fraction as f32)
                    .text(format!("{pct:.0} %"))
                    .show_percentage(),
            );
            let remaining = j
                .remaining
                .map_or_else(|| "-".to_string(), format_duration_pub);
            ui.label(self.tr.tr_args(
                "job-times",
                &[
                    ("elapsed", format_duration_pub(j.elapsed).into()),
                    ("remaining", remaining.into()),
                ],
            ));
            ui.label(self.tr.tr_args(
                "job-lines",
                &[
                    ("acked", j.lines_acked.into()),
                    ("total", j.total_lines.into()),
                ],
            ));
        } else if let Some(last) = &last_job {
            ui.label(super::text::notice(&self.tr, &last.notice));
        }
        ui.add_enabled_ui(connected, |ui| {
            for (key, kind, current) in [
                ("override-feed", OverrideKind::Feed, ov.feed_pct),
                ("override-power", OverrideKind::Power, ov.spindle_pct),
            ] {
                ui.horizontal(|ui| {
                    let mut v = f64::from(current);
                    let l = ui.label(self.t(key));
                    let r = ui
                        .add(
                            egui::Slider::new(&mut v, 10.0..=200.0)
                                .step_by(10.0)
                                .suffix(" %"),
                        )
                        .labelled_by(l.id);
                    if r.drag_stopped() || (r.changed() && !r.dragged()) {
                        self.cmd(Command::Override {
                            kind,
                            pct: v as u16,
                        });
                    }
                    if ui.small_button(self.t("override-reset")).clicked() {
                        self.cmd(Command::Override { kind, pct: 100 });
                    }
                });
            }
        });
    }
}
