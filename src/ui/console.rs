//! Bottom panel: the traffic with errors and alarms in plain words, a command line with
//! history, and the machine's `$$` settings as an editable table.

use burin_controller::Command;
use burin_controller::app::Direction;
use burin_grbl::codes::SETTINGS;
use egui::{Color32, RichText};

use super::BurinUi;

impl BurinUi {
    pub fn console_ui(&mut self, ui: &mut egui::Ui) {
        ui.columns(2, |cols| {
            self.traffic_ui(&mut cols[0]);
            self.settings_table_ui(&mut cols[1]);
        });
    }

    fn traffic_ui(&mut self, ui: &mut egui::Ui) {
        ui.strong(self.t("console"));
        let height = (ui.available_height() - 30.0).max(40.0);
        egui::ScrollArea::vertical()
            .id_salt("console-scroll")
            .max_height(height)
            .stick_to_bottom(true)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for e in &self.app.state().console {
                    let (prefix, colour) = match e.direction {
                        Direction::Sent => ("> ", Color32::from_rgb(0x64, 0xb5, 0xf6)),
                        Direction::Received => ("< ", ui.visuals().text_color()),
                    };
                    let mut text = format!("{prefix}{}", e.text);
                    let mut colour = colour;
                    if let Some(c) = e.error {
                        text.push_str(&format!("  ({})", self.tr.grbl_error(c)));
                        colour = Color32::from_rgb(0xe5, 0x39, 0x35);
                    }
                    if let Some(c) = e.alarm {
                        text.push_str(&format!("  ({})", self.tr.grbl_alarm(c)));
                        colour = Color32::from_rgb(0xe5, 0x39, 0x35);
                    }
                    ui.label(RichText::new(text).monospace().color(colour));
                }
            });
        ui.horizontal(|ui| {
            let l = ui.label(self.t("console-command"));
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.console_input).desired_width(220.0))
                .labelled_by(l.id);
            if r.has_focus() {
                let (up, down) = ui.input(|i| {
                    (
                        i.key_pressed(egui::Key::ArrowUp),
                        i.key_pressed(egui::Key::ArrowDown),
                    )
                });
                let n = self.console_history.len();
                if up && n > 0 {
                    let pos = self.history_pos.map_or(n - 1, |p| p.saturating_sub(1));
                    self.history_pos = Some(pos);
                    self.console_input = self.console_history[pos].clone();
                }
                if down && let Some(p) = self.history_pos {
                    if p + 1 < n {
                        self.history_pos = Some(p + 1);
                        self.console_input = self.console_history[p + 1].clone();
                    } else {
                        self.history_pos = None;
                        self.console_input.clear();
                    }
                }
            }
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(self.t("console-send")).clicked() || enter)
                && !self.console_input.trim().is_empty()
            {
                let line = std::mem::take(&mut self.console_input);
                self.console_history.push(line.clone());
                self.history_pos = None;
                self.cmd(Command::ConsoleLine(line));
                r.request_focus();
            }
        });
    }

    fn settings_table_ui(&mut self, ui: &mut egui::Ui) {
        ui.strong(self.t("settings-table"));
        let values = self.app.state().machine.state.settings.clone();
        if values.is_empty() {
            ui.label(self.t("settings-table-empty"));
            return;
        }
        let mut write: Option<(u16, String)> = None;
        egui::ScrollArea::vertical()
            .id_salt("settings-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("settings-grid")
                    .striped(true)
                    .show(ui, |ui| {
                        for (n, value) in &values {
                            let name = self.tr.grbl_setting_name(*n).unwrap_or_default();
                            let unit = self.tr.grbl_setting_unit(*n).unwrap_or_default();
                            let desc = self.tr.grbl_setting_desc(*n).unwrap_or_default();
                            let known = SETTINGS.iter().any(|s| s.number == *n);
                            ui.monospace(format!("${n}"));
                            let l = ui
                                .label(if known { name.clone() } else { String::new() })
                                .on_hover_text(&desc);
                            let edit = self
                                .setting_edits
                                .entry(*n)
                                .or_insert_with(|| value.clone());
                            let r = ui
                                .add(egui::TextEdit::singleline(edit).desired_width(70.0))
                                .labelled_by(l.id);
                            if r.lost_focus()
                                && ui.input(|i| i.key_pressed(egui::Key::Enter))
                                && edit != value
                            {
                                write = Some((*n, edit.clone()));
                            }
                            if !r.has_focus() && edit != value && !r.lost_focus() {
                                *edit = value.clone();
                            }
                            ui.label(unit);
                            ui.end_row();
                        }
                    });
            });
        if let Some((number, value)) = write {
            self.cmd(Command::WriteSetting { number, value });
        }
    }
}
