//! Document -> Toolpath: the whole planning stage.

use burin_design::{Document, FillStyle, Layer, Mode, Shape};
use thiserror::Error;

use crate::fill_scan::region_scan_lines;
use crate::flatten::flatten;
use crate::hatch::hatch;
use crate::model::{Block, BlockSettings, Move, PointMm, Scan, ScanLine, Toolpath};
use crate::order::{OrderOptions, order_runs};
use crate::place::{JobOrigin, MachineFromDoc, machine_from_doc};
use crate::raster::{auto_overscan_mm, scan_lines};
use crate::region::Region;
use crate::run::Run;

/// Options for [`plan`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    /// Largest distance between a curve and its flattened chords, mm. Default 0.01.
    pub tolerance_mm: f64,
    /// Where the job sits on the machine. Default [`JobOrigin::Absolute`].
    pub origin: JobOrigin,
    /// Path ordering. Default: inner shapes first, travel optimised.
    pub order: OrderOptions,
    /// The machine's X acceleration (`$120`), mm/s², for automatic raster overscan.
    /// Default 1000.
    pub accel_x_mm_s2: f64,
    /// The machine's Y acceleration (`$121`), mm/s², for vertically scanned pictures.
    /// Default 1000.
    pub accel_y_mm_s2: f64,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            tolerance_mm: 0.01,
            origin: JobOrigin::Absolute,
            order: OrderOptions::default(),
            accel_x_mm_s2: 1000.0,
            accel_y_mm_s2: 1000.0,
        }
    }
}

impl PlanOptions {
    pub fn with_tolerance_mm(mut self, tolerance_mm: f64) -> Self {
        self.tolerance_mm = tolerance_mm;
        self
    }

    pub fn with_origin(mut self, origin: JobOrigin) -> Self {
        self.origin = origin;
        self
    }
}

#[derive(Debug, Error, Clone, PartialEq)]
pub enum PlanError {
    #[error("layer {layer}: {message}")]
    InvalidOperation { layer: String, message: String },
    #[error("tolerance must be between 0.0001 and 1 mm, got {0}")]
    InvalidTolerance(f64),
}

/// What planning produced besides the toolpath.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanReport {
    /// Notes for the user, e.g. a Fill layer with no closed shapes.
    pub warnings: Vec<String>,
    /// The doc -> machine transform that was used.
    pub machine_from_doc: Option<MachineFromDoc>,
}

/// Plans every output layer of `doc`: Image layers first, then Fill layers (engrave before
/// cutting parts free), then Line layers, each in document order.
pub fn plan(doc: &Document, opts: &PlanOptions) -> Result<(Toolpath, PlanReport), PlanError> {
    if !(opts.tolerance_mm.is_finite() && (0.0001..=1.0).contains(&opts.tolerance_mm)) {
        return Err(PlanError::InvalidTolerance(opts.tolerance_mm));
    }
    let mut report = PlanReport::default();
    let mut layers: Vec<&Layer> = doc.layers.iter().filter(|l| l.operation.output).collect();
    layers.sort_by_key(|l| match l.operation.mode {
        Mode::Image => 0,
        Mode::Fill => 1,
        Mode::Line => 2,
    });
    for l in &layers {
        l.operation
            .validate()
            .map_err(|message| PlanError::InvalidOperation {
                layer: l.name(),
                message,
            })?;
    }

    // Build everything in the absolute frame, then shift for the chosen origin.
    let absolute = machine_from_doc(JobOrigin::Absolute, doc.size_mm.1, Default::default());
    let is_region_fill =
        |l: &Layer| l.operation.mode == Mode::Fill && l.operation.fill.style == FillStyle::Region;
    // Image layers become scan lines, kept in row order (never reordered for travel).
    let mut images: Vec<(&Layer, Vec<ScanLine>, f64)> = Vec::new();
    for l in layers.iter().filter(|l| l.operation.mode == Mode::Image) {
        match &l.image {
            Some(b) => {
                let (_, lines, angle) = scan_lines(b, &l.operation, &absolute);
                images.push((l, lines, angle));
            }
            None => report.warnings.push(format!(
                "layer {} burns nothing: an image layer needs a picture",
                l.name()
            )),
        }
    }

    // Layers with identical settings burn as one: a multi-colour drawing given one setting
    // shouldn't sweep the bed once per colour. Different settings keep their own block, in
    // layer order.
    let mut groups: Vec<Group> = Vec::new();
    for layer in layers.iter().filter(|l| l.operation.mode != Mode::Image) {
        match groups.iter_mut().find(|g| *g.op == layer.operation) {
            Some(g) => g.layers.push(layer),
            None => groups.push(Group {
                op: &layer.operation,
                layers: vec![layer],
                runs: Vec::new(),
                scans: Vec::new(),
            }),
        }
    }
    for g in &mut groups {
        if is_region_fill(g.layers[0]) {
            let fill = &g.op.fill;
            let mut angles = vec![fill.angle_deg];
            if fill.crosshatch {
                angles.push(fill.angle_deg + 90.0);
            }
            for angle in angles {
                let shapes = g.layers.iter().flat_map(|l| &l.shapes);
                let lines = region_scan_lines(
                    shapes,
                    &absolute,
                    opts.tolerance_mm,
                    fill.interval_mm,
                    angle,
                    g.op.power_max_pct,
                );
                if !lines.is_empty() {
                    g.scans.push((angle, lines));
                }
            }
        } else {
            for l in &g.layers {
                g.runs.extend(layer_runs(l, &absolute, opts.tolerance_mm));
            }
        }
        if g.runs.is_empty() && g.scans.is_empty() {
            for l in g.layers.iter().filter(|l| !l.shapes.is_empty()) {
                let why = match l.operation.mode {
                    Mode::Fill => "it has no closed shapes to fill",
                    Mode::Line | Mode::Image => "its shapes are empty or clipped away",
                };
                report
                    .warnings
                    .push(format!("layer {} burns nothing: {why}", l.name()));
            }
        }
    }

    // Placement: the job's bounding box from everything it burns (only needed when the job
    // is placed relative to the head; a picture has millions of span ends).
    let mut ends: Vec<PointMm> = Vec::new();
    if matches!(opts.origin, JobOrigin::CurrentPosition { .. }) {
        let mut add = |angle: f64, lines: &[ScanLine]| {
            let frame = Rotation::new(angle);
            for l in lines {
                // A row's extent is its first and last span (spans are in order).
                if let (Some(first), Some(last)) = (l.spans.first(), l.spans.last()) {
                    ends.push(frame.to_machine(first.x0, l.y));
                    ends.push(frame.to_machine(last.x1, l.y));
                }
            }
        };
        for (_, lines, angle) in &images {
            add(*angle, lines);
        }
        for g in &groups {
            for (angle, lines) in &g.scans {
                add(*angle, lines);
            }
        }
        for g in &groups {
            ends.extend(g.runs.iter().flat_map(|r| r.points.iter().copied()));
        }
    }
    let transform = place(&ends, opts.origin, doc.size_mm.1, &absolute);
    report.machine_from_doc = Some(transform);
    let (sx, sy) = (transform.dx - absolute.dx, transform.dy - absolute.dy);
    let shift_lines = |angle: f64, lines: &mut [ScanLine]| {
        // The shift in the rows' rotated frame.
        let r = Rotation::new(angle);
        let (dx, dy) = (sx * r.cos + sy * r.sin, -sx * r.sin + sy * r.cos);
        for line in lines {
            line.y += dy;
            for span in &mut line.spans {
                span.x0 += dx;
                span.x1 += dx;
            }
        }
    };
    for (_, lines, angle) in &mut images {
        shift_lines(*angle, lines);
    }
    for g in &mut groups {
        for (angle, lines) in &mut g.scans {
            shift_lines(*angle, lines);
        }
        for p in g.runs.iter_mut().flat_map(|r| r.points.iter_mut()) {
            p.x += sx;
            p.y += sy;
        }
    }

    // Absolute jobs: the bed starts at (0, 0), so overscan stops there.
    let bed_min = matches!(opts.origin, JobOrigin::Absolute).then_some(PointMm::new(0.0, 0.0));
    let mut at = PointMm::default();
    let mut blocks = Vec::new();
    for (layer, lines, angle) in &mut images {
        let op = &layer.operation;
        if lines.is_empty() {
            continue;
        }
        // Rows run along X, columns along Y: the run-up uses that axis' acceleration.
        let accel = if *angle == 0.0 {
            opts.accel_x_mm_s2
        } else {
            opts.accel_y_mm_s2
        };
        let overscan = op
            .image
            .overscan_mm
            .unwrap_or_else(|| auto_overscan_mm(op.speed_mm_min, accel));
        let scan = Scan {
            lines: std::mem::take(lines),
            bidirectional: op.image.bidirectional,
            overscan_mm: overscan,
            bed_min,
            passes: op.passes,
            angle_deg: *angle,
        };
        let (end, shortened) = scan.end_from(at);
        at = end;
        if shortened {
            report.warnings.push(format!(
                "layer {}: the picture starts less than its {overscan:.1} mm overscan from the \
                 bed's left edge; the overscan there is shortened and the first pixels of those \
                 rows may burn lighter (move the picture right to avoid it)",
                layer.name()
            ));
        }
        blocks.push(Block {
            settings: block_settings(op, layer.name()),
            moves: Vec::new(),
            scan: Some(scan),
        });
    }
    for g in groups {
        let op = g.op;
        let names: Vec<String> = g.layers.iter().map(|l| l.name()).collect();
        let settings = block_settings(op, block_name(&names));
        if !g.scans.is_empty() {
            let overscan = op
                .fill
                .overscan_mm
                .unwrap_or_else(|| auto_overscan_mm(op.speed_mm_min, opts.accel_x_mm_s2));
            let mut shortened = false;
            for (angle, lines) in g.scans {
                let scan = Scan {
                    lines,
                    bidirectional: op.fill.bidirectional,
                    overscan_mm: overscan,
                    bed_min,
                    passes: op.passes,
                    angle_deg: angle,
                };
                let (end, short) = scan.end_from(at);
                (at, shortened) = (end, shortened | short);
                blocks.push(Block {
                    settings: settings.clone(),
                    moves: Vec::new(),
                    scan: Some(scan),
                });
            }
            if shortened {
                report.warnings.push(format!(
                    "layer {}: the fill is less than its {overscan:.1} mm overscan from the bed's \
                     edge; the overscan there is shortened and those rows may burn darker at \
                     their ends (move the design away from the edge to avoid it)",
                    block_name(&names)
                ));
            }
            continue;
        }
        if g.runs.is_empty() {
            continue;
        }
        let ordered = order_runs(g.runs, at, &opts.order);
        let mut moves = Vec::new();
        for _ in 0..op.passes {
            for run in &ordered {
                at = emit_run(run, at, op.power_max_pct, &mut moves);
            }
        }
        blocks.push(Block {
            settings,
            moves,
            scan: None,
        });
    }
    Ok((Toolpath { blocks }, report))
}

/// Layers burned together (identical operations), and what they burn.
struct Group<'a> {
    op: &'a burin_design::Operation,
    layers: Vec<&'a Layer>,
    /// Lines and shape-by-shape fills.
    runs: Vec<Run>,
    /// Region fills: rows per scan angle (two with crosshatch).
    scans: Vec<(f64, Vec<ScanLine>)>,
}

fn block_settings(op: &burin_design::Operation, layer_name: String) -> BlockSettings {
    BlockSettings {
        layer_name,
        feed_mm_min: op.speed_mm_min,
        laser_mode: op.laser_mode,
        air_assist: op.air_assist,
    }
}

/// Rotation of scan rows' frame into machine space (see [`Scan::angle_deg`]).
#[derive(Clone, Copy)]
struct Rotation {
    sin: f64,
    cos: f64,
}

impl Rotation {
    fn new(angle_deg: f64) -> Self {
        let (sin, cos) = crate::scan::sin_cos_deg(angle_deg);
        Self { sin, cos }
    }

    fn to_machine(self, x: f64, y: f64) -> PointMm {
        PointMm::new(x * self.cos - y * self.sin, x * self.sin + y * self.cos)
    }
}

/// `#ff0000`, `#ff0000+#00ff00`, or `#ff0000+#00ff00+#0000ff and 4 more`.
fn block_name(names: &[String]) -> String {
    match names.len() {
        0..=3 => names.join("+"),
        n => format!("{} and {} more", names[..3].join("+"), n - 3),
    }
}

fn emit_run(run: &Run, mut at: PointMm, power_pct: f64, moves: &mut Vec<Move>) -> PointMm {
    if at != run.entry() {
        moves.push(Move::Rapid { to: run.entry() });
    }
    for (i, p) in run.points.iter().enumerate().skip(1) {
        let power_pct = if run.is_lit(i - 1) { power_pct } else { 0.0 };
        moves.push(Move::Cut { to: *p, power_pct });
    }
    at = run.exit();
    at
}

/// The doc -> machine transform for `origin`, from the burned points in the absolute frame.
fn place(
    points: &[PointMm],
    origin: JobOrigin,
    page_h: f64,
    absolute: &MachineFromDoc,
) -> MachineFromDoc {
    let JobOrigin::CurrentPosition { .. } = origin else {
        return *absolute;
    };
    let mut lo = PointMm::new(f64::MAX, f64::MAX);
    let mut hi = PointMm::new(f64::MIN, f64::MIN);
    for p in points {
        lo = PointMm::new(lo.x.min(p.x), lo.y.min(p.y));
        hi = PointMm::new(hi.x.max(p.x), hi.y.max(p.y));
    }
    if lo.x > hi.x {
        return *absolute;
    }
    // Bounds back in doc space (the absolute frame only flips Y about the page).
    let doc_lo = burin_design::DocPoint::new(lo.x, page_h - hi.y);
    let doc_hi = burin_design::DocPoint::new(hi.x, page_h - lo.y);
    machine_from_doc(origin, page_h, (doc_lo, doc_hi))
}

/// The runs of one layer in machine space, unordered.
fn layer_runs(layer: &Layer, t: &MachineFromDoc, tolerance_mm: f64) -> Vec<Run> {
    let mut runs = Vec::new();
    for shape in &layer.shapes {
        let lines = flatten(&shape.path, tolerance_mm);
        let clips = clip_regions(shape, t, tolerance_mm);
        match layer.operation.mode {
            Mode::Line => {
                for line in lines {
                    let pts: Vec<PointMm> = line.points.iter().map(|p| t.apply(*p)).collect();
                    if clips.is_empty() {
                        runs.push(Run::lit_polyline(pts, line.closed));
                        continue;
                    }
                    let mut pieces = vec![pts];
                    for c in &clips {
                        pieces = pieces.iter().flat_map(|p| c.clip_polyline(p)).collect();
                    }
                    runs.extend(pieces.into_iter().map(|p| Run::lit_polyline(p, false)));
                }
            }
            // Pictures are scanned separately (see `scan_lines`).
            Mode::Image => {}
            Mode::Fill => {
                let polys: Vec<Vec<PointMm>> = lines
                    .iter()
                    .map(|l| l.points.iter().map(|p| t.apply(*p)).collect())
                    .collect();
                // The Y flip mirrors the shape; winding flips sign with it, which neither rule minds.
                let area = Region::new(&polys, shape.fill_rule);
                let fill = &layer.operation.fill;
                runs.extend(hatch(&area, &clips, fill, fill.angle_deg));
                if fill.crosshatch {
                    runs.extend(hatch(&area, &clips, fill, fill.angle_deg + 90.0));
                }
            }
        }
    }
    runs
}

fn clip_regions(shape: &Shape, t: &MachineFromDoc, tolerance_mm: f64) -> Vec<Region> {
    shape
        .clips
        .iter()
        .map(|c| {
            let polys: Vec<Vec<PointMm>> = c
                .paths
                .iter()
                .flat_map(|p| flatten(p, tolerance_mm))
                .map(|l| l.points.iter().map(|p| t.apply(*p)).collect())
                .collect();
            Region::new(&polys, c.rule)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burin_design::{DocPoint, FillRule, LayerSource, PathEl, Rgb, Shape};

    fn square_layer(colour: Rgb, x: f64) -> Layer {
        let p = DocPoint::new;
        let path = vec![
            PathEl::MoveTo(p(x, 10.0)),
            PathEl::LineTo(p(x + 5.0, 10.0)),
            PathEl::LineTo(p(x + 5.0, 15.0)),
            PathEl::LineTo(p(x, 15.0)),
            PathEl::Close,
        ];
        let mut l = Layer::new(colour, LayerSource::Stroke);
        l.shapes.push(Shape {
            id: String::new(),
            path,
            fill_rule: FillRule::NonZero,
            clips: Vec::new(),
        });
        l
    }

    fn doc(layers: Vec<Layer>) -> Document {
        Document {
            size_mm: (100.0, 100.0),
            layers,
            info: Default::default(),
        }
    }

    #[test]
    fn layers_with_identical_settings_burn_as_one_block() {
        let (a, b, c) = (Rgb(255, 0, 0), Rgb(0, 0, 255), Rgb(0, 255, 0));
        let mut d = doc(vec![
            square_layer(a, 0.0),
            square_layer(b, 50.0),
            square_layer(c, 10.0),
        ]);
        let (tp, _) = plan(&d, &PlanOptions::default()).unwrap();
        assert_eq!(tp.blocks.len(), 1);
        assert_eq!(tp.blocks[0].settings.layer_name, "#ff0000+#0000ff+#00ff00");
        // One sweep: the far square (x = 50) is visited last, not in the middle.
        let rapids: Vec<f64> = tp.blocks[0]
            .moves
            .iter()
            .filter_map(|m| {
                if let Move::Rapid { to } = m {
                    Some(to.x)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(rapids.len(), 3);
        assert!(rapids[2] >= 50.0, "{rapids:?}");
        // Different settings keep separate blocks, in layer order.
        d.layers[1].operation.speed_mm_min = 123.0;
        let (tp, _) = plan(&d, &PlanOptions::default()).unwrap();
        assert_eq!(tp.blocks.len(), 2);
        assert_eq!(tp.blocks[1].settings.feed_mm_min, 123.0);
    }

    fn fill_layer(style: FillStyle) -> Layer {
        let mut l = square_layer(Rgb(0, 0, 0), 10.0);
        let second = square_layer(Rgb(0, 0, 0), 12.5).shapes.remove(0);
        l.shapes.push(second);
        l.operation = burin_design::Operation::defaults_for(Mode::Fill);
        l.operation.fill.style = style;
        l.operation.fill.interval_mm = 0.5;
        l
    }

    #[test]
    fn region_fills_burn_overlaps_once_with_overscan() {
        // Two 5 x 5 squares overlapping by half: 37.5 mm² united, 50 mm² shape by shape.
        let (region, _) = plan(
            &doc(vec![fill_layer(FillStyle::Region)]),
            &PlanOptions::default(),
        )
        .unwrap();
        let (shapes, _) = plan(
            &doc(vec![fill_layer(FillStyle::ShapeByShape)]),
            &PlanOptions::default(),
        )
        .unwrap();
        let (r, s) = (region.stats(), shapes.stats());
        assert!((r.cut_mm * 0.5 - 37.5).abs() < 1e-6, "{r:?}");
        assert!((s.cut_mm * 0.5 - 50.0).abs() < 1e-6, "{s:?}");
        assert!(region.blocks[0].scan.is_some() && shapes.blocks[0].scan.is_none());
        // Every row runs out past both ends at S0: 3000 mm/min at 1000 mm/s² needs 2 mm.
        let scan = region.blocks[0].scan.as_ref().unwrap();
        assert!((scan.overscan_mm - 2.0).abs() < 1e-9);
        assert!((r.link_mm - 10.0 * 2.0 * 2.0).abs() < 1e-6, "{r:?}");
        // Crosshatch adds a second scan at 90 degrees over the same area.
        let mut d = doc(vec![fill_layer(FillStyle::Region)]);
        d.layers[0].operation.fill.crosshatch = true;
        let (cross, _) = plan(&d, &PlanOptions::default()).unwrap();
        assert_eq!(cross.blocks.len(), 2);
        assert!((cross.stats().cut_mm * 0.5 - 75.0).abs() < 1e-6);
    }
}
