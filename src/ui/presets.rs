//! Material presets in the window: the picker in the selected layer's settings, the
//! "Save layer as preset" window and the preset manager (search, values, edit, delete).
//! The library is `AppState::presets`; every change is a [`Command`] (the controller saves).

use burin_controller::Command;
use burin_controller::app::{LayerRow, layer_preset, preset_matches};
use burin_design::{Mode, Preset, Rgb};
use burin_i18n::Arg;
use egui::{Color32, RichText};

use super::BurinUi;
use super::layers::number;
use super::text::num;

const ERROR: Color32 = Color32::from_rgb(0xe5, 0x39, 0x35);

/// What the preset windows show beside the library: which are open, what is being typed.
#[derive(Debug, Default)]
pub(crate) struct PresetWindows {
    /// The manager window is open.
    manager_open: bool,
    /// The manager's search (material, thickness, name…).
    search: String,
    /// The preset shown in the manager, by name.
    selected: Option<String>,
    /// The shown preset being edited: (the preset as it was when editing began, the edits).
    edit: Option<(Preset, PresetForm)>,
    /// A delete waiting for its confirmation.
    confirm_delete: Option<String>,
    /// The "Save layer as preset" window, when open.
    save_as: Option<SaveAsForm>,
    /// The picker lists every mode the layer can take, not only its current one.
    all_modes: bool,
}

/// A preset being edited; the thickness is typed text (empty: none).
#[derive(Debug, Clone, PartialEq)]
struct PresetForm {
    preset: Preset,
    thickness: String,
}

impl PresetForm {
    fn new(preset: &Preset) -> Self {
        Self {
            preset: preset.clone(),
            thickness: preset.thickness_mm.map(fmt_mm).unwrap_or_default(),
        }
    }

    /// The edited preset (texts trimmed), or `None` while the thickness is not a number.
    fn result(&self) -> Option<Preset> {
        let thickness_mm = parse_thickness(&self.thickness).ok()?;
        let p = &self.preset;
        Some(Preset {
            name: p.name.trim().to_string(),
            material: p.material.trim().to_string(),
            machine: p.machine.trim().to_string(),
            notes: p.notes.trim().to_string(),
            thickness_mm,
            ..p.clone()
        })
    }
}

/// "Save layer as preset": the layer and the texts typed so far.
#[derive(Debug, Clone)]
struct SaveAsForm {
    colour: Rgb,
    layer: String,
    name: String,
    material: String,
    thickness: String,
    machine: String,
    notes: String,
}

/// A typed thickness: empty is none; `3`, `2,5`, `4 mm` are millimetres.
fn parse_thickness(text: &str) -> Result<Option<f64>, ()> {
    let t = text.trim().trim_end_matches("mm").trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(Some(v)),
        _ => Err(()),
    }
}

/// Where a window `half_width` wide starts so that it is centred, `down` below the top.
fn top_middle(ctx: &egui::Context, half_width: f32, down: f32) -> egui::Pos2 {
    let r = ctx.content_rect();
    egui::pos2(r.center().x - half_width, r.top() + down)
}

/// `3`, `2.5` (f64's shortest form: no trailing zeros).
fn fmt_mm(v: f64) -> String {
    format!("{v}")
}

impl BurinUi {
    /// The preset picker and "Save layer as preset…", in the selected layer's settings.
    pub(crate) fn layer_presets_ui(&mut self, ui: &mut egui::Ui, row: &LayerRow) {
        let library = &self.app.state().presets.library;
        let op = row.operation;
        // The preset applied last, unless the layer has been changed away from it since.
        let current = row
            .preset
            .clone()
            .filter(|name| preset_matches(library, name, &op));
        // Only what the layer can take: pictures are engraved as images, shapes never are.
        let all = self.presets.all_modes;
        let mut list: Vec<&Preset> = library
            .presets
            .iter()
            .filter(|p| {
                if row.has_image {
                    p.mode == Mode::Image
                } else {
                    p.mode == op.mode || (all && p.mode != Mode::Image)
                }
            })
            .collect();
        // Grouped by material and thickness, so "3 mm plywood" presets sit together.
        list.sort_by(|a, b| {
            let thickness = |p: &Preset| p.thickness_mm.unwrap_or(0.0);
            (a.material.cmp(&b.material))
                .then(thickness(a).total_cmp(&thickness(b)))
                .then(a.name.cmp(&b.name))
        });
        let mut picked = None;
        let mut all_modes = all;
        let all_label = self.t("preset-all-modes");
        ui.horizontal(|ui| {
            let l = ui.label(self.t("preset"));
            let shown = current.clone().unwrap_or_else(|| self.t("preset-custom"));
            egui::ComboBox::from_id_salt("picker")
                .selected_text(shown)
                .width(200.0)
                .height(420.0)
                .show_ui(ui, |ui| {
                    if list.is_empty() {
                        ui.label(self.t("preset-none-for-mode"));
                    }
                    let mut group = None;
                    for p in &list {
                        let g = (p.material.as_str(), p.thickness_mm);
                        if group != Some(g) {
                            group = Some(g);
                            ui.label(RichText::new(self.group_title(p)).weak().small());
                        }
                        let selected = current.as_deref() == Some(p.name.as_str());
                        let r = ui.selectable_label(selected, &p.name);
                        if r.on_hover_text(self.summary(p)).clicked() {
                            picked = Some(p.name.clone());
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let mut save_as = false;
        ui.horizontal(|ui| {
            save_as = ui.button(self.t("preset-save-layer")).clicked();
            if !row.has_image {
                ui.checkbox(&mut all_modes, all_label);
            }
        });
        self.presets.all_modes = all_modes;
        if save_as {
            self.open_save_as(row, current.as_deref());
        }
        if let Some(name) = picked {
            self.cmd(Command::ApplyPreset {
                colour: row.colour,
                name,
            });
        }
    }

    /// "Plywood, 3 mm" (or "No material").
    fn group_title(&self, p: &Preset) -> String {
        let material = if p.material.is_empty() {
            self.t("preset-no-material")
        } else {
            p.material.clone()
        };
        match p.thickness_mm {
            Some(t) => format!("{material}, {} mm", fmt_mm(t)),
            None => material,
        }
    }

    /// Labelled text fields in a two-column grid; the last one (notes) has two lines.
    fn texts_ui<const N: usize>(
        &self,
        ui: &mut egui::Ui,
        id: &str,
        fields: [(&str, &mut String); N],
    ) {
        egui::Grid::new(id).num_columns(2).show(ui, |ui| {
            for (i, (key, value)) in fields.into_iter().enumerate() {
                let l = ui.label(self.t(key));
                let edit = if i + 1 == N {
                    egui::TextEdit::multiline(value).desired_rows(2)
                } else {
                    egui::TextEdit::singleline(value)
                };
                ui.add(edit.desired_width(220.0)).labelled_by(l.id);
                ui.end_row();
            }
        });
    }

    /// "Interval: 0.1 mm": the name of setting `key` and its value (French puts a space
    /// before the colon).
    fn value_text(&self, key: &str, value: String) -> String {
        self.tr.tr_args(
            "preset-value",
            &[
                ("name", Arg::from(self.t(key))),
                ("value", Arg::from(value)),
            ],
        )
    }

    /// One line with what a preset does.
    fn summary(&self, p: &Preset) -> String {
        let mut s = self.tr.tr_args(
            "preset-summary",
            &[
                ("mode", Arg::from(self.mode_name(p.mode))),
                ("speed", Arg::from(num(p.speed_mm_min, 0))),
                ("power", Arg::from(num(p.power_max_pct, 0))),
                ("passes", Arg::from(p.passes)),
            ],
        );
        if !p.machine.is_empty() {
            s = format!("{s} ({})", p.machine);
        }
        s
    }

    /// Opens "Save layer as preset", filled from the preset the layer uses, if any.
    fn open_save_as(&mut self, row: &LayerRow, current: Option<&str>) {
        let library = &self.app.state().presets.library;
        let form = match current.and_then(|n| library.find(n)) {
            Some(p) => SaveAsForm {
                colour: row.colour,
                layer: row.name.clone(),
                name: p.name.clone(),
                material: p.material.clone(),
                thickness: p.thickness_mm.map(fmt_mm).unwrap_or_default(),
                machine: p.machine.clone(),
                notes: p.notes.clone(),
            },
            None => SaveAsForm {
                colour: row.colour,
                layer: row.name.clone(),
                name: format!("{} {}", row.name, self.mode_name(row.operation.mode)),
                material: String::new(),
                thickness: String::new(),
                machine: String::new(),
                notes: String::new(),
            },
        };
        self.presets.save_as = Some(form);
    }

    /// The "Presets" menu.
    pub(crate) fn presets_menu_ui(&mut self, ui: &mut egui::Ui) {
        if ui.button(self.t("menu-presets-manage")).clicked() {
            self.presets.manager_open = true;
            ui.close();
        }
    }

    /// A lasting reminder in the status bar while the library file could not be used (the
    /// start-up notice is soon replaced by others); it opens the manager, which says why.
    pub(crate) fn presets_status_ui(&mut self, ui: &mut egui::Ui) {
        if self.app.state().presets.load_error.is_some() {
            let text = RichText::new(self.t("presets-problem")).color(ERROR);
            if ui.small_button(text).clicked() {
                self.presets.manager_open = true;
            }
        }
    }

    /// The preset windows that are open.
    pub(crate) fn preset_windows_ui(&mut self, ctx: &egui::Context) {
        self.save_as_window(ctx);
        if self.presets.manager_open {
            let mut open = true;
            egui::Window::new(self.t("presets-title"))
                .id(egui::Id::unique("mgr-window"))
                // Over the bed, not over the layers it works with; it grows downwards.
                .default_pos(top_middle(ctx, 280.0, 60.0))
                .open(&mut open)
                .default_width(560.0)
                .resizable(true)
                .show(ctx, |ui| self.manager_ui(ui));
            self.presets.manager_open &= open;
        }
    }

    fn save_as_window(&mut self, ctx: &egui::Context) {
        let Some(mut form) = self.presets.save_as.take() else {
            return;
        };
        // The layer's current settings, as the controller will take them.
        let op = self
            .app
            .state()
            .design
            .as_ref()
            .and_then(|d| d.layers.iter().find(|l| l.colour == form.colour))
            .map(|l| l.operation);
        let Some(op) = op else {
            return; // the design was closed: nothing to save
        };
        let mut open = true;
        let mut done = false;
        egui::Window::new(self.t("preset-save-title"))
            .id(egui::Id::unique("save-as-window"))
            .default_pos(top_middle(ctx, 180.0, 160.0))
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                // What will be kept: the layer's settings as they are now.
                let of = self
                    .tr
                    .tr_args("preset-save-layer-of", &[("layer", Arg::from(&form.layer))]);
                let what = self.summary(&layer_preset(&op, "", "", None, "", ""));
                ui.label(format!("{of} {what}"));
                self.texts_ui(
                    ui,
                    "save-as-grid",
                    [
                        ("preset-name", &mut form.name),
                        ("preset-material", &mut form.material),
                        ("preset-thickness", &mut form.thickness),
                        ("preset-machine", &mut form.machine),
                        ("preset-notes", &mut form.notes),
                    ],
                );
                let checked = match parse_thickness(&form.thickness) {
                    Err(()) => Err(self.t("preset-thickness-invalid")),
                    Ok(t) => {
                        let p = layer_preset(
                            &op,
                            &form.name,
                            &form.material,
                            t,
                            &form.machine,
                            &form.notes,
                        );
                        p.validate().map(|()| p).map_err(|e| e.to_string())
                    }
                };
                match &checked {
                    Err(why) => {
                        ui.colored_label(ERROR, why);
                    }
                    Ok(p) if self.app.state().presets.library.find(&p.name).is_some() => {
                        ui.label(self.t("preset-will-replace"));
                    }
                    Ok(_) => {}
                }
                ui.horizontal(|ui| {
                    let save =
                        ui.add_enabled(checked.is_ok(), egui::Button::new(self.t("preset-save")));
                    if save.clicked()
                        && let Ok(p) = &checked
                    {
                        self.cmd(Command::SaveLayerAsPreset {
                            colour: form.colour,
                            name: p.name.clone(),
                            material: p.material.clone(),
                            thickness_mm: p.thickness_mm,
                            machine: p.machine.clone(),
                            notes: p.notes.clone(),
                        });
                        // Show it in the manager, where it can be found and checked.
                        self.presets.selected = Some(p.name.clone());
                        done = true;
                    }
                    if ui.button(self.t("preset-cancel")).clicked() {
                        done = true;
                    }
                });
            });
        if open && !done {
            self.presets.save_as = Some(form);
        }
    }

    fn manager_ui(&mut self, ui: &mut egui::Ui) {
        self.load_report_ui(ui);
        let l = ui.label(self.t("presets-search"));
        let hint = self.t("presets-search-hint");
        ui.add(
            egui::TextEdit::singleline(&mut self.presets.search)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        let library = self.app.state().presets.library.clone();
        let found = library.search(&self.presets.search);
        ui.label(self.tr.tr_args(
            "presets-count",
            &[
                ("shown", Arg::from(found.len())),
                ("total", Arg::from(library.presets.len())),
            ],
        ));
        egui::ScrollArea::vertical()
            .id_salt("mgr-list")
            .max_height(240.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("mgr-grid").striped(true).show(ui, |ui| {
                    for p in &found {
                        let selected = self.presets.selected.as_deref() == Some(p.name.as_str());
                        if ui.selectable_label(selected, &p.name).clicked() {
                            self.presets.selected = Some(p.name.clone());
                            self.presets.confirm_delete = None;
                        }
                        ui.label(self.group_title(p));
                        ui.label(self.mode_name(p.mode));
                        ui.label(format!("{} mm/min", num(p.speed_mm_min, 0)));
                        ui.label(format!("{} %", num(p.power_max_pct, 0)));
                        ui.end_row();
                    }
                });
            });
        ui.separator();
        let shown = self
            .presets
            .selected
            .as_deref()
            .and_then(|n| library.find(n))
            .cloned();
        match shown {
            Some(p) => self.preset_details_ui(ui, &p),
            None => {
                self.presets.edit = None;
                ui.label(self.t("presets-pick-one"));
            }
        }
    }

    /// Why the library file was not used, what was used instead and where the broken file is.
    fn load_report_ui(&self, ui: &mut egui::Ui) {
        let presets = &self.app.state().presets;
        if let Some(e) = &presets.load_error {
            let key = match presets.source {
                burin_controller::LoadSource::Backup => "presets-load-error-backup",
                _ => "presets-load-error-builtin",
            };
            ui.colored_label(ERROR, self.tr.tr_args(key, &[("error", Arg::from(e))]));
        }
        if let Some(copy) = &presets.corrupt_copy {
            let copy = copy.display().to_string();
            ui.small(
                self.tr
                    .tr_args("presets-copy-kept", &[("copy", Arg::from(copy))]),
            );
        }
        for w in presets.warnings.iter().take(5) {
            ui.small(w);
        }
        match &presets.path {
            Some(p) => {
                let path = p.display().to_string();
                ui.small(
                    self.tr
                        .tr_args("presets-file", &[("path", Arg::from(path))]),
                );
            }
            None => {
                ui.small(self.t("presets-in-memory"));
            }
        }
    }

    /// The shown preset: its values (editable), save changes, delete with confirmation.
    fn preset_details_ui(&mut self, ui: &mut egui::Ui, p: &Preset) {
        // Edits of another preset, or of one changed since (saved over), start again.
        let mut form = match self.presets.edit.take() {
            Some((was, form)) if was == *p => form,
            _ => PresetForm::new(p),
        };
        ui.strong(&p.name);
        // Texts in one grid, numbers in another: a grid sizes its columns by their widest
        // cell, and text fields want to be wide.
        // Texts in one grid, numbers in another: a grid sizes its columns by their widest
        // cell, and text fields want to be wide.
        self.texts_ui(
            ui,
            "mgr-texts",
            [
                ("preset-name", &mut form.preset.name),
                ("preset-material", &mut form.preset.material),
                ("preset-thickness", &mut form.thickness),
                ("preset-machine", &mut form.preset.machine),
                ("preset-notes", &mut form.preset.notes),
            ],
        );
        egui::Grid::new("mgr-numbers")
            .num_columns(4)
            .show(ui, |ui| {
                let p = &mut form.preset;
                let mut passes = f64::from(p.passes);
                let fields = [
                    ("preset-speed", &mut p.speed_mm_min, 1.0..=100_000.0, 0),
                    ("layer-passes", &mut passes, 1.0..=1000.0, 0),
                    ("preset-power-max", &mut p.power_max_pct, 0.0..=100.0, 1),
                    ("preset-power-min", &mut p.power_min_pct, 0.0..=100.0, 1),
                ];
                for (i, (key, value, range, decimals)) in fields.into_iter().enumerate() {
                    number(ui, &self.t(key), value, range, "", decimals);
                    if i % 2 == 1 {
                        ui.end_row();
                    }
                }
                // The field's range keeps the cast in 1..=1000.
                p.passes = passes as u32;
            });
        ui.horizontal(|ui| {
            let label = self.t("layer-air");
            ui.checkbox(&mut form.preset.air_assist, label);
            ui.label(self.value_text("layer-mode", self.mode_name(p.mode)));
            if let Some(i) = p.interval_mm {
                ui.label(self.value_text("layer-interval", format!("{} mm", fmt_mm(i))));
            }
            if let Some(a) = p.angle_deg {
                ui.label(self.value_text("layer-angle", format!("{} °", fmt_mm(a))));
            }
            if let Some(d) = p.dither {
                let dither = self.t(&format!("dither-{}", d.name()));
                ui.label(self.value_text("layer-dither", dither));
            }
        });
        let edited = form.result();
        let checked = match &edited {
            None => Err(self.t("preset-thickness-invalid")),
            Some(e) => e.validate().map_err(|e| e.to_string()),
        };
        if let Err(why) = &checked {
            ui.colored_label(ERROR, why);
        }
        let changed = edited.as_ref() != Some(p);
        ui.horizontal(|ui| {
            let save = egui::Button::new(self.t("preset-save-changes"));
            if ui.add_enabled(changed && checked.is_ok(), save).clicked()
                && let Some(e) = edited.clone()
            {
                let new_name = e.name.trim().to_string();
                self.cmd(Command::UpdatePreset {
                    name: p.name.clone(),
                    preset: e,
                });
                if self.app.state().presets.library.find(&new_name).is_some() {
                    self.presets.selected = Some(new_name);
                }
            }
            if ui.button(self.t("preset-revert")).clicked() {
                form = PresetForm::new(p);
            }
            if ui.button(self.t("preset-delete")).clicked() {
                self.presets.confirm_delete = Some(p.name.clone());
            }
        });
        if self.presets.confirm_delete.as_deref() == Some(p.name.as_str()) {
            ui.horizontal(|ui| {
                ui.colored_label(
                    ERROR,
                    self.tr
                        .tr_args("preset-delete-confirm", &[("name", Arg::from(&p.name))]),
                );
                if ui.button(self.t("preset-delete-yes")).clicked() {
                    self.cmd(Command::DeletePreset {
                        name: p.name.clone(),
                    });
                    self.presets.confirm_delete = None;
                    self.presets.selected = None;
                }
                if ui.button(self.t("preset-cancel")).clicked() {
                    self.presets.confirm_delete = None;
                }
            });
        }
        self.presets.edit = Some((p.clone(), form));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thickness_is_typed_in_mm_with_a_point_or_a_comma() {
        assert_eq!(parse_thickness(""), Ok(None));
        assert_eq!(parse_thickness(" 3 "), Ok(Some(3.0)));
        assert_eq!(parse_thickness("2,5"), Ok(Some(2.5)));
        assert_eq!(parse_thickness("4 mm"), Ok(Some(4.0)));
        assert_eq!(parse_thickness("abc"), Err(()));
        assert_eq!(parse_thickness("-1"), Err(()));
        assert_eq!(fmt_mm(3.0), "3");
        assert_eq!(fmt_mm(2.5), "2.5");
    }
}
