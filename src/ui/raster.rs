//! Big jobs on the bed: the toolpath rasterised into an image off the UI thread, then drawn as
//! one texture that pans and zooms with the camera. A frame costs the same for a million
//! segments as for ten; when the view moves past the image's margin or the zoom changes, a new
//! image is made in the background while the old one, scaled, stays on screen.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use burin_gcode::{PreviewPath, SegKindPreview};
use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions, Vec2, pos2};

/// Jobs with more segments than this are rasterised; smaller ones are drawn as meshes.
pub const RASTER_ABOVE_SEGMENTS: usize = 60_000;

/// Extra image around the view on each side, as a fraction of the view (panning within it
/// needs no new image).
const MARGIN: f32 = 0.3;

/// What an image was drawn for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RasterView {
    /// Work coordinates of the image's top-left pixel corner, mm.
    pub top_left_mm: Pos2,
    /// Image pixels per mm.
    pub px_per_mm: f32,
    pub size_px: [usize; 2],
    pub revision: u64,
    pub offset_mm: Vec2,
    pub upto: usize,
    pub executed_line: Option<i64>,
    pub show_travel: bool,
}

struct Job {
    path: Arc<PreviewPathRef>,
    view: RasterView,
}

/// The preview with its layer colours resolved.
pub struct PreviewPathRef {
    pub path: Arc<Generated>,
    pub colours: Vec<Color32>,
}

use burin_controller::app::Generated;

/// The background rasteriser and the last image.
pub struct PathRaster {
    tx: Sender<Job>,
    rx: Receiver<(ColorImage, RasterView)>,
    texture: Option<(TextureHandle, RasterView)>,
    pending: Option<RasterView>,
}

impl Default for PathRaster {
    fn default() -> Self {
        let (tx, job_rx) = channel::<Job>();
        let (img_tx, rx) = channel();
        std::thread::Builder::new()
            .name("burin-raster".into())
            .spawn(move || {
                while let Ok(mut job) = job_rx.recv() {
                    while let Ok(newer) = job_rx.try_recv() {
                        job = newer;
                    }
                    let img = rasterise(&job.path, &job.view);
                    if img_tx.send((img, job.view)).is_err() {
                        return;
                    }
                }
            })
            .ok();
        Self {
            tx,
            rx,
            texture: None,
            pending: None,
        }
    }
}

impl PathRaster {
    /// Draws the image for the current view (asking for a better one when needed). `view_mm`
    /// is the visible area (min, max) in work coordinates, `px_per_mm` the zoom in pixels.
    #[allow(clippy::too_many_arguments)]
    pub fn paint(
        &mut self,
        ctx: &egui::Context,
        painter: &egui::Painter,
        path: &Arc<PreviewPathRef>,
        want: RasterView,
        view_mm: (Pos2, Pos2),
        zooming: bool,
        to_screen: impl Fn(Pos2) -> Pos2,
    ) {
        while let Ok((img, view)) = self.rx.try_recv() {
            if self.pending == Some(view) {
                self.pending = None;
            }
            match &mut self.texture {
                Some((t, v)) => {
                    t.set(img, TextureOptions::LINEAR);
                    *v = view;
                }
                None => {
                    let t = ctx.load_texture("burin-path", img, TextureOptions::LINEAR);
                    self.texture = Some((t, view));
                }
            }
        }
        let covers = |v: &RasterView| {
            let w = v.size_px[0] as f32 / v.px_per_mm;
            let h = v.size_px[1] as f32 / v.px_per_mm;
            let lo = pos2(v.top_left_mm.x, v.top_left_mm.y - h);
            let hi = pos2(v.top_left_mm.x + w, v.top_left_mm.y);
            lo.x <= view_mm.0.x && lo.y <= view_mm.0.y && hi.x >= view_mm.1.x && hi.y >= view_mm.1.y
        };
        let same_content = |v: &RasterView| {
            v.revision == want.revision
                && v.offset_mm == want.offset_mm
                && v.upto == want.upto
                && v.executed_line == want.executed_line
                && v.show_travel == want.show_travel
                && (v.px_per_mm / want.px_per_mm - 1.0).abs() < 1e-3
        };
        // While the zoom keeps changing, the last image scaled by up to 1.5x will do: a new
        // image per wheel step would keep a core busy for nothing.
        let near_zoom = |v: &RasterView| {
            let r = v.px_per_mm / want.px_per_mm;
            (0.67..=1.5).contains(&r)
        };
        let good = self.texture.as_ref().is_some_and(|(_, v)| {
            let content = RasterView {
                px_per_mm: want.px_per_mm,
                ..*v
            };
            covers(v) && same_content(&content) && (same_content(v) || (zooming && near_zoom(v)))
        });
        let asked = self
            .pending
            .as_ref()
            .is_some_and(|v| same_content(v) && covers(v));
        if !good && !asked {
            self.pending = Some(want);
            let _ = self.tx.send(Job {
                path: Arc::clone(path),
                view: want,
            });
        }
        if self.pending.is_some() {
            ctx.request_repaint();
        }
        if let Some((t, v)) = &self.texture
            && v.revision == want.revision
        {
            let w = v.size_px[0] as f32 / v.px_per_mm;
            let h = v.size_px[1] as f32 / v.px_per_mm;
            let a = to_screen(v.top_left_mm);
            let b = to_screen(pos2(v.top_left_mm.x + w, v.top_left_mm.y - h));
            painter.image(
                t.id(),
                Rect::from_two_pos(a, b),
                Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0)),
                Color32::WHITE,
            );
        }
    }

    /// The image to ask for: the visible area plus a margin; `size_px` is the view's size.
    pub fn view_for(visible_mm: (Pos2, Pos2), size_px: Vec2) -> (Pos2, [usize; 2]) {
        let (lo, hi) = visible_mm;
        let m = (hi - lo) * MARGIN;
        let top_left = pos2(lo.x - m.x, hi.y + m.y);
        let size = size_px * (1.0 + 2.0 * MARGIN);
        (
            top_left,
            [
                size.x.ceil().max(1.0) as usize,
                size.y.ceil().max(1.0) as usize,
            ],
        )
    }
}

/// Draws every segment as a 1-pixel line (premultiplied colours, later segments on top).
fn rasterise(p: &PreviewPathRef, v: &RasterView) -> ColorImage {
    let [w, h] = v.size_px;
    let mut img = ColorImage::filled([w, h], Color32::TRANSPARENT);
    let path: &PreviewPath = &p.path.preview;
    let travel = Color32::from_rgba_unmultiplied(120, 120, 160, 110);
    let done = Color32::from_rgb(0xff, 0x6d, 0x00);
    let to_px = |x: f32, y: f32| {
        (
            (x + v.offset_mm.x - v.top_left_mm.x) * v.px_per_mm,
            (v.top_left_mm.y - (y + v.offset_mm.y)) * v.px_per_mm,
        )
    };
    for seg in path.segments.iter().take(v.upto) {
        if seg.kind == SegKindPreview::Link {
            continue;
        }
        let is_travel = seg.kind == SegKindPreview::Travel;
        if is_travel && !v.show_travel {
            continue;
        }
        let colour = if is_travel {
            travel
        } else if v.executed_line.is_some_and(|l| i64::from(seg.line_idx) < l) {
            done
        } else {
            p.colours
                .get(seg.layer as usize)
                .copied()
                .unwrap_or_else(|| power_grey(seg.power))
        };
        let (x0, y0) = to_px(seg.from[0], seg.from[1]);
        let (x1, y1) = to_px(seg.to[0], seg.to[1]);
        line(&mut img, x0, y0, x1, y1, colour);
    }
    img
}

fn power_grey(power: f32) -> Color32 {
    Color32::from_gray((200.0 - 180.0 * power.clamp(0.0, 1.0)) as u8)
}

/// A 1-pixel DDA line, clipped to the image.
fn line(img: &mut ColorImage, x0: f32, y0: f32, x1: f32, y1: f32, c: Color32) {
    let [w, h] = img.size;
    let (wf, hf) = (w as f32, h as f32);
    if (x0 < 0.0 && x1 < 0.0)
        || (y0 < 0.0 && y1 < 0.0)
        || (x0 >= wf && x1 >= wf)
        || (y0 >= hf && y1 >= hf)
    {
        return;
    }
    if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
        return;
    }
    let (dx, dy) = (x1 - x0, y1 - y0);
    let steps = dx.abs().max(dy.abs()).ceil().clamp(1.0, 100_000.0);
    let (sx, sy) = (dx / steps, dy / steps);
    let (mut x, mut y) = (x0, y0);
    let n = steps as usize;
    for _ in 0..=n {
        if x >= 0.0 && y >= 0.0 && x < wf && y < hf {
            let i = y as usize * w + x as usize;
            img.pixels[i] = c;
        }
        x += sx;
        y += sy;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burin_gcode::PreviewSeg;

    #[test]
    fn lines_land_on_their_pixels_and_clip() {
        let mut img = ColorImage::filled([10, 10], Color32::TRANSPARENT);
        line(&mut img, 0.5, 5.5, 9.5, 5.5, Color32::RED);
        line(&mut img, -50.0, -50.0, -1.0, -1.0, Color32::BLUE);
        line(&mut img, 5.5, -100.0, 5.5, 100.0, Color32::GREEN);
        for x in 0..10 {
            let p = img.pixels[5 * 10 + x];
            assert!(
                p == Color32::RED || (x == 5 && p == Color32::GREEN),
                "{x} {p:?}"
            );
        }
        assert!(!img.pixels.contains(&Color32::BLUE));
        assert_eq!(
            img.pixels.iter().filter(|p| **p == Color32::GREEN).count(),
            10
        );
    }

    #[test]
    fn a_million_segments_make_one_bounded_image() {
        let segments = (0..1_000_000)
            .map(|i| {
                let da = std::f32::consts::TAU / 1e6; // one turn: first half executed
                let a = i as f32 * da;
                PreviewSeg {
                    from: [50.0 + 40.0 * a.cos(), 50.0 + 40.0 * a.sin()],
                    to: [50.0 + 40.0 * (a + da).cos(), 50.0 + 40.0 * (a + da).sin()],
                    line_idx: i,
                    kind: SegKindPreview::Cut,
                    power: 1.0,
                    layer: 0,
                }
            })
            .collect();
        let generated = test_generated(PreviewPath {
            segments,
            layers: vec!["#ff0000".into()],
            cut_bounds: None,
        });
        let p = PreviewPathRef {
            path: Arc::new(generated),
            colours: vec![Color32::RED],
        };
        let v = RasterView {
            top_left_mm: pos2(0.0, 100.0),
            px_per_mm: 2.0,
            size_px: [200, 200],
            revision: 1,
            offset_mm: Vec2::ZERO,
            upto: usize::MAX,
            executed_line: Some(500_000),
            show_travel: true,
        };
        let img = rasterise(&p, &v);
        assert_eq!(img.size, [200, 200]);
        let red = img.pixels.iter().filter(|c| **c == Color32::RED).count();
        let done = img
            .pixels
            .iter()
            .filter(|c| c.r() == 0xff && c.g() == 0x6d)
            .count();
        assert!(red > 100 && done > 100, "{red} {done}");
    }

    fn test_generated(preview: PreviewPath) -> Generated {
        Generated {
            revision: 1,
            checked: true,
            lines: Arc::default(),
            preview,
            stats: Default::default(),
            preflight: Default::default(),
            line_times: Arc::default(),
            warnings: Vec::new(),
        }
    }
}
