//! Left panel: the file, its layers (one row per colour), the job's placement and the
//! preview figures with the replay slider.

use burin_controller::app::{FileKind, format_duration_pub};
use burin_controller::{Command, OriginMode, Placement};
use burin_design::Mode;
use burin_toolpath::Anchor;
use egui::{Color32, DragValue};

use super::BurinUi;
use super::text::num;

/// A labelled number field (the label is the field's accessible name).
pub(crate) fn number(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut f64,
    range: std::ops::RangeInclusive<f64>,
    suffix: &str,
    decimals: usize,
) -> bool {
    let l = ui.label(label);
    ui.add(
        DragValue::new(value)
            .range(range)
            .suffix(suffix)
            .max_decimals(decimals)
            .speed(0.1),
    )
    .labelled_by(l.id)
    .changed()
}

impl BurinUi {
    pub fn layers_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if ui
                .button(self.t("open"))
                .on_hover_text(ui.ctx().format_shortcut(&super::SHORTCUT_OPEN))
                .clicked()
            {
                self.open_dialog();
            }
            let l = ui.label(self.t("open-path"));
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.path_input).desired_width(150.0))
                .labelled_by(l.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(self.t("open-go")).clicked() || enter)
                && !self.path_input.trim().is_empty()
            {
                let p = std::path::PathBuf::from(self.path_input.trim());
                self.cmd(Command::OpenFile(p));
            }
        });
        if let Some(p) = &self.app.state().opening {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(
                    self.tr
                        .tr_args("opening", &[("file", p.display().to_string().into())]),
                );
            });
        }
        let Some(design) = self.app.state().design.clone() else {
            ui.add_space(8.0);
            ui.label(self.t("no-design-hint"));
            return;
        };
        ui.separator();
        let name = design
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        ui.strong(name);
        if let Some(info) = &design.import_info {
            ui.label(
                self.tr
                    .tr_args("import-dpi", &[("dpi", num(info.dpi, 0).into())]),
            );
        }
        if design.kind == FileKind::Svg {
            ui.heading(self.t("layers"));
            self.layer_list_ui(ui, &design.layers);
            let selected = self
                .selected_layer
                .and_then(|c| design.layers.iter().find(|l| l.colour == c))
                .or(design.layers.first());
            if let Some(row) = selected {
                self.layer_details_ui(ui, row);
            }
            ui.separator();
            self.placement_ui(ui, &design.placement, design.job_box_mm());
        }
        ui.separator();
        self.preview_ui(ui, &design);
    }

    /// One compact row per layer; only the rows in view are laid out (a card deck has
    /// hundreds of colours).
    fn layer_list_ui(&mut self, ui: &mut egui::Ui, layers: &[burin_controller::app::LayerRow]) {
        let row_h = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .id_salt("layer-list")
            .max_height(260.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_h, layers.len(), |ui, range| {
                for row in &layers[range] {
                    let mut op = row.operation;
                    let mut changed = false;
                    ui.push_id(row.name.clone(), |ui| {
                        ui.horizontal(|ui| {
                            let (r, _) = ui
                                .allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                            ui.painter().rect_filled(
                                r,
                                2.0,
                                Color32::from_rgb(row.colour.0, row.colour.1, row.colour.2),
                            );
                            let selected = self.selected_layer == Some(row.colour);
                            if ui.selectable_label(selected, &row.name).clicked() {
                                self.selected_layer = Some(row.colour);
                            }
                            changed |= ui
                                .checkbox(&mut op.output, self.t("layer-output"))
                                .changed();
                            ui.label(self.mode_name(op.mode));
                            ui.label(format!(
                                "{} mm/min {} %",
                                num(op.speed_mm_min, 0),
                                num(op.power_max_pct, 0)
                            ));
                        });
                    });
                    if changed {
                        self.cmd(Command::EditLayer {
                            colour: row.colour,
                            operation: op,
                        });
                    }
                }
            });
    }

    /// Every setting of the selected layer.
    fn layer_details_ui(&mut self, ui: &mut egui::Ui, row: &burin_controller::app::LayerRow) {
        let mut op = row.operation;
        let mut changed = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                ui.painter().rect_filled(
                    r,
                    2.0,
                    Color32::from_rgb(row.colour.0, row.colour.1, row.colour.2),
                );
                ui.strong(&row.name);
                let l = ui.label(self.t("layer-mode"));
                egui::ComboBox::from_id_salt("mode")
                    .selected_text(self.mode_name(op.mode))
                    .show_ui(ui, |ui| {
                        let modes: &[Mode] = if row.has_image {
                            &[Mode::Image]
                        } else {
                            &[Mode::Line, Mode::Fill]
                        };
                        for &m in modes {
                            changed |= ui
                                .selectable_value(&mut op.mode, m, self.mode_name(m))
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(l.id);
            });
            self.layer_presets_ui(ui, row);
            ui.horizontal(|ui| {
                changed |= number(
                    ui,
                    &self.t("layer-speed"),
                    &mut op.speed_mm_min,
                    1.0..=100_000.0,
                    " mm/min",
                    0,
                );
                changed |= number(
                    ui,
                    &self.t("layer-power"),
                    &mut op.power_max_pct,
                    0.0..=100.0,
                    " %",
                    1,
                );
            });
            ui.horizontal(|ui| {
                let mut passes = f64::from(op.passes);
                if number(ui, &self.t("layer-passes"), &mut passes, 1.0..=100.0, "", 0) {
                    op.passes = passes as u32;
                    changed = true;
                }
                changed |= ui
                    .checkbox(&mut op.air_assist, self.t("layer-air"))
                    .changed();
            });
            if op.mode == Mode::Image {
                changed |= self.image_settings_ui(ui, &mut op);
            }
            if op.mode == Mode::Fill {
                ui.horizontal(|ui| {
                    changed |= number(
                        ui,
                        &self.t("layer-interval"),
                        &mut op.fill.interval_mm,
                        0.01..=5.0,
                        " mm",
                        3,
                    );
                    changed |= number(
                        ui,
                        &self.t("layer-angle"),
                        &mut op.fill.angle_deg,
                        -180.0..=180.0,
                        " °",
                        1,
                    );
                });
                ui.horizontal(|ui| {
                    changed |= ui
                        .checkbox(&mut op.fill.bidirectional, self.t("layer-bidirectional"))
                        .changed();
                    changed |= ui
                        .checkbox(&mut op.fill.crosshatch, self.t("layer-crosshatch"))
                        .changed();
                });
                changed |= self.fill_scan_ui(ui, &mut op.fill);
            }
        });
        if changed {
            self.cmd(Command::EditLayer {
                colour: row.colour,
                operation: op,
            });
        }
    }

    /// How a fill is scanned: the whole layer as one region with overscan (default), or
    /// each shape on its own.
    fn fill_scan_ui(&mut self, ui: &mut egui::Ui, fill: &mut burin_design::FillSettings) -> bool {
        use burin_design::FillStyle;
        let mut changed = false;
        let mut apart = fill.style == FillStyle::ShapeByShape;
        if ui
            .checkbox(&mut apart, self.t("layer-fill-shape-by-shape"))
            .on_hover_text(self.t("layer-fill-shape-by-shape-hint"))
            .changed()
        {
            fill.style = if apart {
                FillStyle::ShapeByShape
            } else {
                FillStyle::Region
            };
            changed = true;
        }
        if fill.style == FillStyle::Region {
            ui.horizontal(|ui| {
                let mut auto = fill.overscan_mm.is_none();
                if ui
                    .checkbox(&mut auto, self.t("layer-overscan-auto"))
                    .changed()
                {
                    fill.overscan_mm = if auto { None } else { Some(2.0) };
                    changed = true;
                }
                if let Some(mut o) = fill.overscan_mm
                    && number(ui, &self.t("layer-overscan"), &mut o, 0.0..=100.0, " mm", 1)
                {
                    fill.overscan_mm = Some(o);
                    changed = true;
                }
            });
        }
        changed
    }

    /// Dither, line interval, tone adjustments and overscan of an image layer.
    fn image_settings_ui(&mut self, ui: &mut egui::Ui, op: &mut burin_design::Operation) -> bool {
        let mut changed = false;
        let mut dither = op.image.dither;
        ui.horizontal(|ui| {
            let l = ui.label(self.t("layer-dither"));
            egui::ComboBox::from_id_salt("dither")
                .selected_text(self.t(&format!("dither-{}", dither.name())))
                .show_ui(ui, |ui| {
                    for d in burin_design::DitherKind::ALL {
                        let text = self.t(&format!("dither-{}", d.name()));
                        changed |= ui.selectable_value(&mut dither, d, text).changed();
                    }
                })
                .response
                .labelled_by(l.id);
        });
        op.image.dither = dither;
        ui.horizontal(|ui| {
            changed |= number(
                ui,
                &self.t("layer-interval"),
                &mut op.image.interval_mm,
                0.02..=2.0,
                " mm",
                3,
            );
            changed |= number(
                ui,
                &self.t("layer-min-power"),
                &mut op.power_min_pct,
                0.0..=100.0,
                " %",
                1,
            );
        });
        ui.horizontal(|ui| {
            changed |= number(
                ui,
                &self.t("layer-brightness"),
                &mut op.image.brightness,
                -1.0..=1.0,
                "",
                2,
            );
            changed |= number(
                ui,
                &self.t("layer-contrast"),
                &mut op.image.contrast,
                -1.0..=1.0,
                "",
                2,
            );
            changed |= number(
                ui,
                &self.t("layer-gamma"),
                &mut op.image.gamma,
                0.1..=5.0,
                "",
                2,
            );
        });
        ui.horizontal(|ui| {
            changed |= ui
                .checkbox(&mut op.image.invert, self.t("layer-invert"))
                .changed();
            changed |= ui
                .checkbox(&mut op.image.bidirectional, self.t("layer-bidirectional"))
                .changed();
            let mut vertical = op.image.scan == burin_design::ScanDirection::Vertical;
            if ui
                .checkbox(&mut vertical, self.t("layer-scan-vertical"))
                .changed()
            {
                op.image.scan = if vertical {
                    burin_design::ScanDirection::Vertical
                } else {
                    burin_design::ScanDirection::Horizontal
                };
                changed = true;
            }
        });
        if op.image.dither == burin_design::DitherKind::Grayscale {
            ui.horizontal(|ui| {
                let mut t = f64::from(op.image.gray_tolerance);
                if number(
                    ui,
                    &self.t("layer-gray-tolerance"),
                    &mut t,
                    0.0..=32.0,
                    "",
                    0,
                ) {
                    // The range above keeps the cast in 0..=32.
                    op.image.gray_tolerance = t.round() as u8;
                    changed = true;
                }
            });
        }
        ui.horizontal(|ui| {
            let mut auto = op.image.overscan_mm.is_none();
            if ui
                .checkbox(&mut auto, self.t("layer-overscan-auto"))
                .changed()
            {
                op.image.overscan_mm = if auto { None } else { Some(5.0) };
                changed = true;
            }
            if let Some(mut o) = op.image.overscan_mm
                && number(ui, &self.t("layer-overscan"), &mut o, 0.0..=100.0, " mm", 1)
            {
                op.image.overscan_mm = Some(o);
                changed = true;
            }
        });
        changed
    }

    pub(crate) fn mode_name(&self, m: Mode) -> String {
        self.t(match m {
            Mode::Line => "mode-line",
            Mode::Fill => "mode-fill",
            Mode::Image => "mode-image",
        })
    }

    fn placement_ui(
        &mut self,
        ui: &mut egui::Ui,
        current: &Placement,
        job_box: Option<([f64; 2], [f64; 2])>,
    ) {
        ui.heading(self.t("placement"));
        let mut p = *current;
        let mut changed = false;
        ui.horizontal(|ui| {
            let l = ui.label(self.t("origin-mode"));
            egui::ComboBox::from_id_salt("origin-mode")
                .selected_text(self.origin_name(p.mode))
                .show_ui(ui, |ui| {
                    for m in OriginMode::ALL {
                        changed |= ui
                            .selectable_value(&mut p.mode, m, self.origin_name(m))
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if p.mode != OriginMode::Absolute {
            ui.label(self.t("anchor"));
            egui::Grid::new("anchor-grid").show(ui, |ui| {
                for (i, a) in Anchor::ALL.into_iter().enumerate() {
                    let label = self.t(anchor_key(a));
                    let r = ui
                        .selectable_label(p.anchor == a, if p.anchor == a { "(x)" } else { "( )" });
                    if r.on_hover_text(&label).clicked() {
                        p.anchor = a;
                        changed = true;
                    }
                    if i % 3 == 2 {
                        ui.end_row();
                    }
                }
            });
        }
        if let Some((lo, hi)) = job_box {
            let (mut x, mut y) = (lo[0], lo[1]);
            let (mut w, mut h) = (hi[0] - lo[0], hi[1] - lo[1]);
            let (w0, h0) = (w, h);
            ui.horizontal(|ui| {
                ui.add_enabled_ui(p.mode == OriginMode::Absolute, |ui| {
                    if number(ui, "X", &mut x, -10_000.0..=10_000.0, " mm", 2)
                        | number(ui, "Y", &mut y, -10_000.0..=10_000.0, " mm", 2)
                    {
                        p.position_mm = Some((x, y));
                        changed = true;
                    }
                });
            });
            ui.horizontal(|ui| {
                let wc = number(ui, &self.t("width"), &mut w, 0.1..=10_000.0, " mm", 2);
                let hc = number(ui, &self.t("height"), &mut h, 0.1..=10_000.0, " mm", 2);
                if wc || hc {
                    if self.lock_ratio && w0 > 0.0 && h0 > 0.0 {
                        if wc {
                            h = w * h0 / w0;
                        } else {
                            w = h * w0 / h0;
                        }
                    }
                    // Sizes apply to the artwork's box; keep the bottom-left where it is.
                    let scale = |cur: Option<(f64, f64)>| cur.unwrap_or((w0, h0));
                    let (sw, sh) = scale(p.size_mm);
                    p.size_mm = Some((sw * w / w0.max(1e-9), sh * h / h0.max(1e-9)));
                    if p.mode == OriginMode::Absolute {
                        p.position_mm = Some((lo[0], lo[1]));
                    }
                    changed = true;
                }
            });
            let label = self.t("lock-ratio");
            ui.checkbox(&mut self.lock_ratio, label);
        }
        if ui.button(self.t("placement-reset")).clicked() {
            p = Placement {
                mode: p.mode,
                anchor: p.anchor,
                ..Placement::default()
            };
            changed = true;
        }
        if changed {
            self.cmd(Command::SetPlacement(p));
        }
    }

    fn origin_name(&self, m: OriginMode) -> String {
        self.t(match m {
            OriginMode::Absolute => "origin-absolute",
            OriginMode::CurrentPosition => "origin-current",
            OriginMode::UserOrigin => "origin-user",
        })
    }

    fn preview_ui(&mut self, ui: &mut egui::Ui, design: &burin_controller::app::DesignState) {
        ui.heading(self.t("preview"));
        if design.generating {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(self.t("generating"));
            });
        }
        let Some(g) = &design.generated else {
            return;
        };
        if !g.checked {
            ui.label(self.t("checking"));
            self.replay_ui(ui);
            return;
        }
        let t = g.stats.time.total_s;
        egui::Grid::new("preview-stats").show(ui, |ui| {
            ui.label(self.t("estimate-time"));
            ui.label(format_duration_pub(std::time::Duration::from_secs_f64(
                t.max(0.0),
            )));
            ui.end_row();
            ui.label(self.t("cut-length"));
            ui.label(format!("{} m", num(g.stats.cut_mm / 1000.0, 2)));
            ui.end_row();
            ui.label(self.t("travel-length"));
            ui.label(format!("{} m", num(g.stats.travel_mm / 1000.0, 2)));
            ui.end_row();
            ui.label(self.t("program-lines"));
            ui.label(g.stats.line_count.to_string());
            ui.end_row();
        });
        if let Some(f) = g.preflight.errors().next() {
            ui.colored_label(
                Color32::from_rgb(0xe5, 0x39, 0x35),
                format!("{} {f}", self.t("preflight-refused")),
            );
        } else {
            ui.colored_label(Color32::from_rgb(0x43, 0xa0, 0x47), self.t("preflight-ok"));
        }
        for w in g.warnings.iter().take(5) {
            ui.small(w);
        }
        self.replay_ui(ui);
    }

    fn replay_ui(&mut self, ui: &mut egui::Ui) {
        let l = ui.label(self.t("replay"));
        ui.add(egui::Slider::new(&mut self.bed.replay, 0.0..=1.0).show_value(false))
            .labelled_by(l.id);
    }
}

fn anchor_key(a: Anchor) -> &'static str {
    match a {
        Anchor::TopLeft => "anchor-top-left",
        Anchor::Top => "anchor-top",
        Anchor::TopRight => "anchor-top-right",
        Anchor::Left => "anchor-left",
        Anchor::Center => "anchor-center",
        Anchor::Right => "anchor-right",
        Anchor::BottomLeft => "anchor-bottom-left",
        Anchor::Bottom => "anchor-bottom",
        Anchor::BottomRight => "anchor-bottom-right",
    }
}
