//! The Document: artwork in doc space (millimetres, Y down), grouped into layers.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::import::ImportInfo;
use crate::operation::{Mode, Operation};

/// A point in doc space, millimetres, Y down.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DocPoint {
    pub x: f64,
    pub y: f64,
}

impl DocPoint {
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// One path command in doc space. Curves are kept exact; flattening is the toolpath stage's job.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum PathEl {
    MoveTo(DocPoint),
    LineTo(DocPoint),
    QuadTo(DocPoint, DocPoint),
    CubicTo(DocPoint, DocPoint, DocPoint),
    Close,
}

/// How the inside of a shape is decided, as in SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FillRule {
    #[default]
    NonZero,
    EvenOdd,
}

/// An area that clips shapes: the union of its paths under `rule`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipRegion {
    pub paths: Vec<Vec<PathEl>>,
    pub rule: FillRule,
}

/// One drawable shape, already transformed into doc space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    /// The `id` of the SVG element it came from (may be empty).
    pub id: String,
    pub path: Vec<PathEl>,
    /// Fill rule for Fill mode (from the SVG `fill-rule`).
    pub fill_rule: FillRule,
    /// Regions this shape is clipped to; the shape shows only where it is inside all of them.
    pub clips: Vec<Arc<ClipRegion>>,
}

/// An sRGB colour, the key of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Parses `#rgb`, `#rrggbb` or `rrggbb` (case-insensitive).
    pub fn parse(text: &str) -> Option<Rgb> {
        let t = text.trim().trim_start_matches('#');
        let nib = |c: u8| (c as char).to_digit(16).map(|v| v as u8);
        let b = t.as_bytes();
        match b.len() {
            3 => Some(Rgb(nib(b[0])? * 17, nib(b[1])? * 17, nib(b[2])? * 17)),
            6 => Some(Rgb(
                nib(b[0])? * 16 + nib(b[1])?,
                nib(b[2])? * 16 + nib(b[3])?,
                nib(b[4])? * 16 + nib(b[5])?,
            )),
            _ => None,
        }
    }
}

/// What made a shape join its layer: its stroke colour, or its fill colour if unstroked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LayerSource {
    Stroke,
    Fill,
}

/// A grayscale bitmap placed in doc space: what an image layer burns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bitmap {
    pub width_px: u32,
    pub height_px: u32,
    /// Luma, row-major from the top row, 0 black .. 255 white, alpha already composited on
    /// white (transparent parts are not burned).
    pub luma: Vec<u8>,
    /// Top-left corner of the image, doc space (mm, Y down).
    pub top_left: DocPoint,
    /// Width and height on the material, mm.
    pub size_mm: (f64, f64),
}

/// All shapes of one colour, and what to do with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    pub colour: Rgb,
    /// Where most of its shapes got their colour; decides the default mode.
    pub source: LayerSource,
    pub operation: Operation,
    pub shapes: Vec<Shape>,
    /// The picture of an image layer (photos and bitmaps).
    #[serde(default)]
    pub image: Option<Arc<Bitmap>>,
}

impl Layer {
    /// `#rrggbb`, the name users see and type on the command line.
    pub fn name(&self) -> String {
        self.colour.hex()
    }

    /// A new layer with the defaults LightBurn users expect: stroked artwork is cut (Line),
    /// filled-only artwork is engraved (Fill).
    pub fn new(colour: Rgb, source: LayerSource) -> Self {
        let mode = match source {
            LayerSource::Stroke => Mode::Line,
            LayerSource::Fill => Mode::Fill,
        };
        Self {
            colour,
            source,
            operation: Operation::defaults_for(mode),
            shapes: Vec::new(),
            image: None,
        }
    }
}

/// The artwork, in doc space, grouped into layers in the order they first appear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Page width and height, mm.
    pub size_mm: (f64, f64),
    pub layers: Vec<Layer>,
    /// How the file was read (DPI used and why, warnings).
    pub info: ImportInfo,
}

impl Document {
    pub fn layer(&self, colour: Rgb) -> Option<&Layer> {
        self.layers.iter().find(|l| l.colour == colour)
    }

    pub fn layer_mut(&mut self, colour: Rgb) -> Option<&mut Layer> {
        self.layers.iter_mut().find(|l| l.colour == colour)
    }

    /// Number of shapes over all layers.
    pub fn shape_count(&self) -> usize {
        self.layers.iter().map(|l| l.shapes.len()).sum()
    }

    /// Bounding box (min, max) of every path's control points, doc space. Control points
    /// enclose the curves, so the box may be slightly larger than the ink; it is what the
    /// placement panel scales and moves. `None` for an empty document.
    pub fn bounds_in_doc(&self) -> Option<(DocPoint, DocPoint)> {
        let mut b: Option<(DocPoint, DocPoint)> = None;
        let corners = self
            .layers
            .iter()
            .filter_map(|l| l.image.as_ref())
            .flat_map(|b| {
                [
                    PathEl::MoveTo(b.top_left),
                    PathEl::LineTo(DocPoint::new(
                        b.top_left.x + b.size_mm.0,
                        b.top_left.y + b.size_mm.1,
                    )),
                ]
            });
        let shape_els = self
            .layers
            .iter()
            .flat_map(|l| &l.shapes)
            .flat_map(|s| s.path.iter().copied());
        {
            for el in shape_els.chain(corners) {
                el.for_each_point(|p| {
                    if !(p.x.is_finite() && p.y.is_finite()) {
                        return;
                    }
                    b = Some(match b {
                        None => (p, p),
                        Some((lo, hi)) => (
                            DocPoint::new(lo.x.min(p.x), lo.y.min(p.y)),
                            DocPoint::new(hi.x.max(p.x), hi.y.max(p.y)),
                        ),
                    });
                });
            }
        }
        b
    }

    /// Maps every point (paths and clip regions) through `f`, in doc space. Used to scale and
    /// move the artwork before planning, so fill intervals stay in true millimetres.
    pub fn map_points(&mut self, f: impl Fn(DocPoint) -> DocPoint) {
        for layer in &mut self.layers {
            if let Some(b) = &layer.image {
                let a = f(b.top_left);
                let c = f(DocPoint::new(
                    b.top_left.x + b.size_mm.0,
                    b.top_left.y + b.size_mm.1,
                ));
                let mut moved = Bitmap::clone(b);
                moved.top_left = DocPoint::new(a.x.min(c.x), a.y.min(c.y));
                moved.size_mm = ((c.x - a.x).abs(), (c.y - a.y).abs());
                layer.image = Some(Arc::new(moved));
            }
        }
        for shape in self.layers.iter_mut().flat_map(|l| &mut l.shapes) {
            for el in &mut shape.path {
                el.map_points(&f);
            }
            for clip in &mut shape.clips {
                let mut region = ClipRegion::clone(clip);
                for el in region.paths.iter_mut().flatten() {
                    el.map_points(&f);
                }
                *clip = Arc::new(region);
            }
        }
    }
}

impl PathEl {
    fn for_each_point(&self, mut f: impl FnMut(DocPoint)) {
        match *self {
            PathEl::MoveTo(p) | PathEl::LineTo(p) => f(p),
            PathEl::QuadTo(a, b) => {
                f(a);
                f(b);
            }
            PathEl::CubicTo(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
            PathEl::Close => {}
        }
    }

    fn map_points(&mut self, f: &impl Fn(DocPoint) -> DocPoint) {
        match self {
            PathEl::MoveTo(p) | PathEl::LineTo(p) => *p = f(*p),
            PathEl::QuadTo(a, b) => {
                *a = f(*a);
                *b = f(*b);
            }
            PathEl::CubicTo(a, b, c) => {
                *a = f(*a);
                *b = f(*b);
                *c = f(*c);
            }
            PathEl::Close => {}
        }
    }
}
