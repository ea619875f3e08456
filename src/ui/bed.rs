//! The bed: the work area in mm with a grid and rulers, the job's toolpath in its layer
//! colours, travel moves thin, the head's live position and the executed part of a job.
//!
//! Segments are built once per program (burin_gcode::preview) and only transformed here.
//! Each frame walks them once, culls what is off screen and merges runs shorter than a pixel,
//! so the mesh handed to egui is bounded by what the screen can show, not by the job's size.

use burin_controller::OriginMode;
use burin_controller::app::{FileKind, Generated};
use burin_gcode::{PreviewPath, SegKindPreview};
use egui::{Color32, Mesh, Pos2, Rect, Sense, Shape, Stroke, Vec2, pos2, vec2};

use std::sync::Arc;

use super::BurinUi;
use super::raster::{PathRaster, PreviewPathRef, RASTER_ABOVE_SEGMENTS, RasterView};
use burin_controller::Command;

/// Camera over the bed: mm ↔ screen.
pub struct BedView {
    /// Work coordinates (mm) at the centre of the view.
    pub center_mm: Pos2,
    /// Zoom, screen points per mm.
    pub px_per_mm: f32,
    /// Fit the bed at the next frame.
    fit_pending: bool,
    /// Draw travel moves.
    pub show_travel: bool,
    /// Replay slider: fraction of the job's segments shown (1 = all).
    pub replay: f32,
    /// The job being dragged: offset so far, mm.
    drag_mm: Option<Vec2>,
    /// Segments drawn in the last frame (after culling and merging).
    pub last_drawn: usize,
    /// The design the view was last fitted to.
    fitted_for: Option<std::path::PathBuf>,
    /// When the zoom last changed.
    zoomed_at: Option<std::time::Instant>,
    last_zoom: f32,
    /// Big jobs are drawn from an image made in the background.
    raster: PathRaster,
    /// The preview with its colours, for the rasteriser (rebuilt when the program changes).
    raster_path: Option<Arc<PreviewPathRef>>,
}

impl Default for BedView {
    fn default() -> Self {
        Self {
            center_mm: pos2(200.0, 200.0),
            px_per_mm: 1.5,
            fit_pending: true,
            show_travel: true,
            replay: 1.0,
            drag_mm: None,
            last_drawn: 0,
            fitted_for: None,
            zoomed_at: None,
            last_zoom: 0.0,
            raster: PathRaster::default(),
            raster_path: None,
        }
    }
}

/// Screen transform for one frame.
#[derive(Clone, Copy)]
struct Xf {
    origin: Pos2,
    center: Pos2,
    s: f32,
}

impl Xf {
    fn to_screen(self, x: f32, y: f32) -> Pos2 {
        pos2(
            self.origin.x + (x - self.center.x) * self.s,
            self.origin.y - (y - self.center.y) * self.s,
        )
    }

    fn to_mm(self, p: Pos2) -> Pos2 {
        pos2(
            self.center.x + (p.x - self.origin.x) / self.s,
            self.center.y - (p.y - self.origin.y) / self.s,
        )
    }
}

impl BedView {
    /// Moves the camera by a step of a pan-and-zoom loop (the frame-rate benchmark).
    pub fn bench_step(&mut self, frame: u64) {
        let t = frame as f32 * 0.05;
        self.center_mm += vec2(t.cos(), t.sin()) * (20.0 / self.px_per_mm);
        self.px_per_mm *= if (frame / 60).is_multiple_of(2) {
            1.02
        } else {
            1.0 / 1.02
        };
    }

    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    fn fit(&mut self, rect: Rect, lo: Pos2, hi: Pos2) {
        let size = (hi - lo).max(vec2(1.0, 1.0));
        self.center_mm = lo + size / 2.0;
        let margin = 40.0;
        self.px_per_mm = ((rect.width() - margin) / size.x)
            .min((rect.height() - margin) / size.y)
            .max(0.01);
    }

    /// Pans with a drag (outside the job) or the scroll wheel; zooms to the cursor with
    /// Ctrl+wheel or a pinch.
    fn navigate(&mut self, ui: &egui::Ui, response: &egui::Response, rect: Rect, job_drag: bool) {
        let xf = self.xf(rect);
        if response.dragged() && !job_drag {
            let d = response.drag_delta();
            self.center_mm.x -= d.x / self.px_per_mm;
            self.center_mm.y += d.y / self.px_per_mm;
        }
        if response.hovered() {
            let (zoom, scroll, pointer) = ui.input(|i| {
                (
                    i.zoom_delta(),
                    i.smooth_scroll_delta(),
                    i.pointer.hover_pos(),
                )
            });
            let zoom = if zoom != 1.0 {
                zoom
            } else {
                // A plain wheel zooms too: on the bed there is nothing to scroll.
                (scroll.y / 200.0).exp()
            };
            if zoom != 1.0
                && let Some(p) = pointer
            {
                let before = xf.to_mm(p);
                self.px_per_mm = (self.px_per_mm * zoom).clamp(0.02, 2000.0);
                let after = self.xf(rect).to_mm(p);
                self.center_mm += before - after;
            }
        }
    }

    fn xf(&self, rect: Rect) -> Xf {
        Xf {
            origin: rect.center(),
            center: self.center_mm,
            s: self.px_per_mm,
        }
    }
}

fn layer_colour(name: Option<&String>, power: f32) -> Color32 {
    if let Some(rgb) = name.and_then(|n| burin_design::Rgb::parse(n)) {
        // White artwork would vanish on the bed: show it dark grey.
        if rgb.0 > 235 && rgb.1 > 235 && rgb.2 > 235 {
            return Color32::from_gray(90);
        }
        return Color32::from_rgb(rgb.0, rgb.1, rgb.2);
    }
    let g = (200.0 - 180.0 * power.clamp(0.0, 1.0)) as u8;
    Color32::from_gray(g)
}

/// Adds a line as a quad.
fn quad(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, colour: Color32) {
    let d = b - a;
    let len = d.length();
    let n = if len > 1e-6 {
        vec2(-d.y, d.x) / len * (width / 2.0)
    } else {
        vec2(width / 2.0, 0.0)
    };
    let i = mesh.vertices.len() as u32;
    mesh.colored_vertex(a + n, colour);
    mesh.colored_vertex(a - n, colour);
    mesh.colored_vertex(b - n, colour);
    mesh.colored_vertex(b + n, colour);
    mesh.add_triangle(i, i + 1, i + 2);
    mesh.add_triangle(i, i + 2, i + 3);
}

/// What to draw of a program, for one frame.
struct PathStyle<'a> {
    offset: Vec2,
    /// Segments before this index are shown.
    upto: usize,
    /// Segments of program lines before this are executed (highlighted).
    executed_line: Option<i64>,
    show_travel: bool,
    layers: &'a [String],
}

/// Walks the segments once: cull, merge sub-pixel runs, emit quads. Returns how many were
/// drawn.
fn path_mesh(
    path: &PreviewPath,
    xf: Xf,
    clip: Rect,
    style: &PathStyle<'_>,
    mesh: &mut Mesh,
) -> usize {
    let clip = clip.expand(2.0);
    let mut drawn = 0;
    let mut pending: Option<(Pos2, Pos2, Color32, f32)> = None;
    let flush = |p: &mut Option<(Pos2, Pos2, Color32, f32)>, mesh: &mut Mesh, drawn: &mut usize| {
        if let Some((a, b, c, w)) = p.take() {
            quad(mesh, a, b, w, c);
            *drawn += 1;
        }
    };
    let done = Color32::from_rgb(0xff, 0x6d, 0x00);
    for seg in path.segments.iter().take(style.upto) {
        // Laser-off feed moves (raster gaps and overscan) would only cloud the picture.
        if seg.kind == SegKindPreview::Link {
            continue;
        }
        let travel = seg.kind == SegKindPreview::Travel;
        if travel && !style.show_travel {
            continue;
        }
        let a = xf.to_screen(seg.from[0] + style.offset.x, seg.from[1] + style.offset.y);
        let b = xf.to_screen(seg.to[0] + style.offset.x, seg.to[1] + style.offset.y);
        if !clip.intersects(Rect::from_two_pos(a, b)) {
            flush(&mut pending, mesh, &mut drawn);
            continue;
        }
        let executed = style
            .executed_line
            .is_some_and(|l| i64::from(seg.line_idx) < l);
        let (colour, width) = if travel {
            (Color32::from_rgba_unmultiplied(120, 120, 160, 110), 0.7)
        } else if executed {
            (done, 1.8)
        } else {
            (
                layer_colour(style.layers.get(seg.layer as usize), seg.power),
                1.2,
            )
        };
        match &mut pending {
            // Continue a run while it stays under a pixel and keeps its look.
            Some((start, end, c, w)) if *c == colour && *w == width && end.distance(a) < 0.01 => {
                if start.distance(b) < 1.0 {
                    *end = b;
                    continue;
                }
                flush(&mut pending, mesh, &mut drawn);
                pending = Some((a, b, colour, width));
            }
            _ => {
                flush(&mut pending, mesh, &mut drawn);
                pending = Some((a, b, colour, width));
            }
        }
    }
    flush(&mut pending, mesh, &mut drawn);
    drawn
}

/// Grid spacing (mm) so that lines are at least ~12 px apart.
fn grid_step(px_per_mm: f32) -> f32 {
    for step in [1.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0] {
        if step * px_per_mm >= 12.0 {
            return step;
        }
    }
    5000.0
}

impl BurinUi {
    pub fn bed_ui(&mut self, ui: &mut egui::Ui) {
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        let state = self.app.state();
        let profile = state.settings.machine.profile();
        let (w, h) = (profile.travel_x_mm as f32, profile.travel_y_mm as f32);
        let wco = state
            .machine
            .state
            .wco
            .as_ref()
            .map_or(Vec2::ZERO, |o| vec2(o.x() as f32, o.y() as f32));
        // The bed in work coordinates: machine 0..W shifted by the work offset.
        let bed_lo = pos2(-wco.x, -wco.y);
        let bed_hi = pos2(w - wco.x, h - wco.y);
        if self.bed.fit_pending && rect.width() > 50.0 {
            self.bed.fit_pending = false;
            self.bed.fit(rect, bed_lo, bed_hi);
        }
        let design = state.design.clone();
        let generated: Option<Arc<Generated>> = design.as_ref().and_then(|d| d.generated.clone());
        // A newly opened design: show it, with the bed's origin in view when it is near.
        let opened = design.as_ref().map(|d| d.path.clone());
        if opened != self.bed.fitted_for
            && rect.width() > 50.0
            && let Some((lo, hi)) = design.as_ref().and_then(|d| d.job_box_mm())
        {
            self.bed.fitted_for = opened;
            let (lo, hi) = (
                pos2(lo[0] as f32, lo[1] as f32),
                pos2(hi[0] as f32, hi[1] as f32),
            );
            let margin = (hi - lo) * 0.15 + vec2(5.0, 5.0);
            let lo = (lo - margin).min(pos2(-5.0, -5.0));
            self.bed.fit(rect, lo, hi + margin);
        }
        let head = state.machine.work_pos();
        let job = state.machine.job.clone();
        // Where the program's coordinates land: current-position jobs follow the head.
        let mode = design
            .as_ref()
            .filter(|d| d.kind == FileKind::Svg)
            .map_or(OriginMode::Absolute, |d| d.placement.mode);
        let job_offset = match (&job, mode, head) {
            (Some(j), _, _) => vec2(j.offset_mm.0 as f32, j.offset_mm.1 as f32),
            (None, OriginMode::CurrentPosition, Some(p)) => vec2(p[0] as f32, p[1] as f32),
            _ => Vec2::ZERO,
        };

        // Dragging the job (absolute placement only) moves it; elsewhere a drag pans.
        let xf = self.bed.xf(rect);
        let box_screen = design
            .as_ref()
            .and_then(|d| d.job_box_mm())
            .map(|(lo, hi)| {
                Rect::from_two_pos(
                    xf.to_screen(lo[0] as f32 + job_offset.x, lo[1] as f32 + job_offset.y),
                    xf.to_screen(hi[0] as f32 + job_offset.x, hi[1] as f32 + job_offset.y),
                )
            });
        let movable = mode == OriginMode::Absolute
            && design.as_ref().is_some_and(|d| d.kind == FileKind::Svg)
            && job.is_none();
        let mut job_drag = false;
        if movable
            && response.drag_started()
            && let (Some(b), Some(p)) = (box_screen, response.interact_pointer_pos())
            && b.contains(p)
        {
            self.bed.drag_mm = Some(Vec2::ZERO);
        }
        if let Some(d) = self.bed.drag_mm.as_mut() {
            job_drag = true;
            let delta = response.drag_delta();
            d.x += delta.x / self.bed.px_per_mm;
            d.y -= delta.y / self.bed.px_per_mm;
            if response.drag_stopped() {
                let moved = *d;
                self.bed.drag_mm = None;
                if let Some(dsg) = design.as_ref()
                    && let Some((lo, _)) = dsg.job_box_mm()
                {
                    let mut p = dsg.placement;
                    p.position_mm = Some((lo[0] + f64::from(moved.x), lo[1] + f64::from(moved.y)));
                    self.cmd(Command::SetPlacement(p));
                }
            }
        }
        self.bed.navigate(ui, &response, rect, job_drag);
        if response.double_clicked() {
            self.bed.fit(rect, bed_lo, bed_hi);
        }
        let xf = self.bed.xf(rect);
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, Color32::from_gray(28));
        let bed_rect = Rect::from_two_pos(
            xf.to_screen(bed_lo.x, bed_lo.y),
            xf.to_screen(bed_hi.x, bed_hi.y),
        );
        painter.rect_filled(bed_rect, 0.0, Color32::from_gray(238));

        // Grid and rulers.
        let step = grid_step(self.bed.px_per_mm);
        let major = step * 5.0;
        let grid = Stroke::new(0.5, Color32::from_gray(215));
        let grid_major = Stroke::new(0.8, Color32::from_gray(185));
        let ruler_font = egui::FontId::proportional(10.0);
        let mut x = (bed_lo.x / step).ceil() * step;
        while x <= bed_hi.x {
            let a = xf.to_screen(x, bed_lo.y);
            let b = xf.to_screen(x, bed_hi.y);
            let is_major = (x / major).round() * major == x;
            painter.line_segment([a, b], if is_major { grid_major } else { grid });
            if is_major {
                painter.text(
                    pos2(a.x + 2.0, rect.top() + 2.0),
                    egui::Align2::LEFT_TOP,
                    format!("{:.0}", x + 0.0),
                    ruler_font.clone(),
                    Color32::from_gray(170),
                );
            }
            x += step;
        }
        let mut y = (bed_lo.y / step).ceil() * step;
        while y <= bed_hi.y {
            let a = xf.to_screen(bed_lo.x, y);
            let b = xf.to_screen(bed_hi.x, y);
            let is_major = (y / major).round() * major == y;
            painter.line_segment([a, b], if is_major { grid_major } else { grid });
            if is_major {
                painter.text(
                    pos2(rect.left() + 2.0, a.y - 2.0),
                    egui::Align2::LEFT_BOTTOM,
                    format!("{:.0}", y + 0.0),
                    ruler_font.clone(),
                    Color32::from_gray(170),
                );
            }
            y += step;
        }

        // The toolpath.
        if let Some(g) = &generated {
            let n = g.preview.segments.len();
            let upto = if job.is_some() {
                n
            } else {
                (self.bed.replay.clamp(0.0, 1.0) * n as f32).round() as usize
            };
            let executed_line = job
                .as_ref()
                .filter(|j| !j.framing)
                .map(|j| j.lines_executed as i64 + j.first_program_line);
            let drag = self.bed.drag_mm.unwrap_or(Vec2::ZERO);
            let style = PathStyle {
                offset: job_offset + drag,
                upto,
                executed_line,
                show_travel: self.bed.show_travel,
                layers: &g.preview.layers,
            };
            if n > RASTER_ABOVE_SEGMENTS {
                let fresh = self
                    .bed
                    .raster_path
                    .as_ref()
                    .is_some_and(|p| Arc::ptr_eq(&p.path, g));
                if !fresh {
                    let colours = g
                        .preview
                        .layers
                        .iter()
                        .map(|l| layer_colour(Some(l), 1.0))
                        .collect();
                    self.bed.raster_path = Some(Arc::new(PreviewPathRef {
                        path: Arc::clone(g),
                        colours,
                    }));
                }
                let ppp = ui.ctx().pixels_per_point();
                let a = xf.to_mm(rect.left_top());
                let b = xf.to_mm(rect.right_bottom());
                let visible = (
                    pos2(a.x.min(b.x), a.y.min(b.y)),
                    pos2(a.x.max(b.x), a.y.max(b.y)),
                );
                let px_per_mm = self.bed.px_per_mm * ppp;
                let (top_left_mm, size_px) = PathRaster::view_for(visible, rect.size() * ppp);
                // A running job redraws its image in 200 steps, not at every line.
                let step = (g.lines.len() as i64 / 200).max(1);
                let want = RasterView {
                    top_left_mm,
                    px_per_mm,
                    size_px,
                    revision: g.revision,
                    offset_mm: style.offset,
                    upto,
                    executed_line: executed_line.map(|l| l / step * step),
                    show_travel: self.bed.show_travel,
                };
                if self.bed.last_zoom != self.bed.px_per_mm {
                    self.bed.last_zoom = self.bed.px_per_mm;
                    self.bed.zoomed_at = Some(std::time::Instant::now());
                }
                let zooming = self
                    .bed
                    .zoomed_at
                    .is_some_and(|t| t.elapsed() < std::time::Duration::from_millis(150));
                if zooming {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(160));
                }
                if let Some(path) = self.bed.raster_path.clone() {
                    self.bed.raster.paint(
                        ui.ctx(),
                        &painter,
                        &path,
                        want,
                        visible,
                        zooming,
                        |p: Pos2| xf.to_screen(p.x, p.y),
                    );
                }
                self.bed.last_drawn = 0;
            } else {
                let mut mesh = Mesh::default();
                self.bed.last_drawn = path_mesh(&g.preview, xf, rect, &style, &mut mesh);
                painter.add(Shape::mesh(mesh));
            }
            // The replay head.
            if job.is_none() && upto > 0 && upto < n {
                let s = &g.preview.segments[upto - 1];
                let p = xf.to_screen(s.to[0] + style.offset.x, s.to[1] + style.offset.y);
                painter.circle_filled(p, 4.0, Color32::from_rgb(0x1e, 0x88, 0xe5));
            }
            if let Some(b) = box_screen {
                let b = b.translate(drag * vec2(self.bed.px_per_mm, -self.bed.px_per_mm));
                painter.rect_stroke(
                    b,
                    0.0,
                    Stroke::new(1.0, Color32::from_rgb(0x1e, 0x88, 0xe5)),
                    egui::StrokeKind::Outside,
                );
            }
        }

        // The work origin and the head.
        let o = xf.to_screen(0.0, 0.0);
        let origin_stroke = Stroke::new(1.5, Color32::from_rgb(0x2e, 0x7d, 0x32));
        painter.line_segment([o - vec2(8.0, 0.0), o + vec2(8.0, 0.0)], origin_stroke);
        painter.line_segment([o - vec2(0.0, 8.0), o + vec2(0.0, 8.0)], origin_stroke);
        painter.circle_stroke(o, 4.0, origin_stroke);
        if let Some(p) = head {
            let c = xf.to_screen(p[0] as f32, p[1] as f32);
            let red = Color32::from_rgb(0xe5, 0x39, 0x35);
            painter.circle_stroke(c, 6.0, Stroke::new(2.0, red));
            painter.line_segment(
                [c - vec2(10.0, 0.0), c + vec2(10.0, 0.0)],
                Stroke::new(1.0, red),
            );
            painter.line_segment(
                [c - vec2(0.0, 10.0), c + vec2(0.0, 10.0)],
                Stroke::new(1.0, red),
            );
        }
        painter.text(
            rect.left_bottom() + vec2(6.0, -6.0),
            egui::Align2::LEFT_BOTTOM,
            self.t("bed-help"),
            egui::FontId::proportional(11.0),
            Color32::from_gray(150),
        );
        // Cursor position readout.
        if let Some(p) = response.hover_pos() {
            let mm = xf.to_mm(p);
            painter.text(
                rect.right_bottom() - vec2(6.0, 6.0),
                egui::Align2::RIGHT_BOTTOM,
                format!("X {:.1}  Y {:.1} mm", mm.x, mm.y),
                egui::FontId::monospace(11.0),
                Color32::from_gray(200),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burin_gcode::PreviewSeg;

    fn seg(x0: f32, x1: f32) -> PreviewSeg {
        PreviewSeg {
            from: [x0, 0.0],
            to: [x1, 0.0],
            line_idx: 0,
            kind: SegKindPreview::Cut,
            power: 1.0,
            layer: 0,
        }
    }

    #[test]
    fn sub_pixel_runs_merge_and_off_screen_segments_are_culled() {
        let path = PreviewPath {
            segments: (0..10_000)
                .map(|i| seg(i as f32 * 0.01, (i + 1) as f32 * 0.01))
                .collect(),
            layers: vec!["#ff0000".into()],
            cut_bounds: None,
        };
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(200.0, 200.0));
        let xf = Xf {
            origin: rect.center(),
            center: pos2(50.0, 0.0),
            s: 1.0,
        };
        let style = PathStyle {
            offset: Vec2::ZERO,
            upto: usize::MAX,
            executed_line: None,
            show_travel: true,
            layers: &path.layers,
        };
        let mut mesh = Mesh::default();
        let drawn = path_mesh(&path, xf, rect, &style, &mut mesh);
        // 100 mm at 1 px/mm: about one quad per pixel, not 10,000.
        assert!(drawn > 50 && drawn <= 110, "{drawn}");
        // Zoomed far in on x = 0..1 mm, most segments are culled.
        let xf = Xf {
            s: 1000.0,
            center: pos2(0.05, 0.0),
            ..xf
        };
        let mut mesh = Mesh::default();
        let drawn = path_mesh(&path, xf, rect, &style, &mut mesh);
        assert!(drawn < 30, "{drawn}");
    }
}
