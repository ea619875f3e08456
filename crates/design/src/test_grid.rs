//! The material test: a grid of squares, one per setting, with burned labels, so a user finds
//! the speed and power (or interval, or passes) a material wants, like LightBurn's Material
//! Test.
//!
//! Rows step the speed (first row at `speed_mm_min.first`); columns step what [`Vary`] says.
//! Every cell is a layer of its own colour, so it gets its own [`Operation`]: the document
//! model keys layers by colour. Labels (title, legend, row speeds, column values) are one
//! Line layer drawn with the single-stroke [`crate::stroke_font`] at low power.
//!
//! Values are rounded to what the program can say exactly (speed to 1 mm/min, power to
//! 0.1 %, interval to 0.001 mm, passes to whole numbers), so a label is the setting burned.

use std::sync::Arc;

use thiserror::Error;

use crate::preset::{fmt_num, mode_label};
use crate::stroke_font::{text_paths, text_width_mm};
use crate::{
    Bitmap, DitherKind, DocPoint, Document, FillRule, ImportInfo, Layer, LayerSource, Mode,
    Operation, PathEl, Rgb, Shape,
};

/// Largest number of rows or columns.
pub const MAX_STEPS: u32 = 20;

/// The colour of the labels layer (cells never use it).
pub const LABEL_COLOUR: Rgb = Rgb(0, 0, 0);

/// What the columns step through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Vary {
    /// Power, `power_pct.first` .. `.last`.
    #[default]
    Power,
    /// Fill or image line interval, `interval_mm.first` .. `.last`.
    Interval,
    /// Passes, `passes.first` .. `.last`.
    Passes,
}

impl Vary {
    pub fn name(self) -> &'static str {
        match self {
            Vary::Power => "power",
            Vary::Interval => "interval",
            Vary::Passes => "passes",
        }
    }
}

/// Values from `first` to `last` in equal steps (either direction); one value when equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepRange {
    pub first: f64,
    pub last: f64,
}

impl StepRange {
    pub const fn new(first: f64, last: f64) -> Self {
        Self { first, last }
    }

    /// Always `value`.
    pub const fn single(value: f64) -> Self {
        Self::new(value, value)
    }

    pub fn is_single(&self) -> bool {
        self.first == self.last
    }

    /// Step `i` of `n` (0-based): `first` for 0, `last` for `n - 1`.
    pub fn step(&self, i: u32, n: u32) -> f64 {
        if n <= 1 {
            return self.first;
        }
        self.first + (self.last - self.first) * f64::from(i) / f64::from(n - 1)
    }
}

/// How to draw the test. Lengths in mm, speeds in mm/min, powers in % of the machine's
/// maximum (`$30`).
#[derive(Debug, Clone, PartialEq)]
pub struct TestGridOptions {
    /// `Fill` (hatched squares), `Line` (square outlines, e.g. cut-through tests) or `Image`
    /// (solid squares rastered). Default `Fill`.
    pub mode: Mode,
    /// Rows, 1..=[`MAX_STEPS`]. Default 5.
    pub rows: u32,
    /// Columns, 1..=[`MAX_STEPS`]. Default 5.
    pub cols: u32,
    /// Speed of the first and the last row, mm/min. Default 1000..6000.
    pub speed_mm_min: StepRange,
    /// What the columns step. The two quantities not varied must be single values.
    /// Default [`Vary::Power`].
    pub vary: Vary,
    /// Power, %. Default 10..100.
    pub power_pct: StepRange,
    /// Fill and image line interval, mm. Default 0.1.
    pub interval_mm: StepRange,
    /// Passes, whole numbers 1..=1000. Default 1.
    pub passes: StepRange,
    /// Side of a square, mm, 1..=200. Default 10.
    pub cell_mm: f64,
    /// Space between squares, mm, 0..=100. Default 2.
    pub gap_mm: f64,
    /// Burn labels (title, legend, row and column values). Default true.
    pub labels: bool,
    /// Capital height of the labels, mm, 0.5..=50 (shrunk where a label would not fit).
    /// Default 3.
    pub text_mm: f64,
    /// First line of the labels. Default "Material test".
    pub title: String,
    /// Power of the labels, %. Default 20.
    pub label_power_pct: f64,
    /// Speed of the labels, mm/min. Default 1500.
    pub label_speed_mm_min: f64,
}

impl Default for TestGridOptions {
    fn default() -> Self {
        Self {
            mode: Mode::Fill,
            rows: 5,
            cols: 5,
            speed_mm_min: StepRange::new(1000.0, 6000.0),
            vary: Vary::Power,
            power_pct: StepRange::new(10.0, 100.0),
            interval_mm: StepRange::single(0.1),
            passes: StepRange::single(1.0),
            cell_mm: 10.0,
            gap_mm: 2.0,
            labels: true,
            text_mm: 3.0,
            title: "Material test".into(),
            label_power_pct: 20.0,
            label_speed_mm_min: 1500.0,
        }
    }
}

/// Why a grid cannot be drawn.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TestGridError {
    #[error("{what} must be {allowed}, got {got}")]
    OutOfRange {
        what: &'static str,
        allowed: &'static str,
        got: String,
    },
    #[error("{what} is fixed when the columns vary {vary}: give one value, not {first}..{last}")]
    NotFixed {
        what: &'static str,
        vary: &'static str,
        first: f64,
        last: f64,
    },
    #[error("cut squares have no line interval: vary power or passes, or use fill or image")]
    IntervalInCut,
    #[error("cell {row},{col}: {message}")]
    Cell { row: u32, col: u32, message: String },
}

/// One square of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    /// 1-based, top row first.
    pub row: u32,
    /// 1-based, left column first.
    pub col: u32,
    /// Its layer's colour.
    pub colour: Rgb,
    /// Top-left corner of the square, doc space (mm, Y down).
    pub top_left: DocPoint,
    /// Side of the square, mm.
    pub size_mm: f64,
    /// What it burns with.
    pub operation: Operation,
}

impl GridCell {
    /// The line interval it burns with (fill and image), mm.
    pub fn interval_mm(&self) -> Option<f64> {
        match self.operation.mode {
            Mode::Line => None,
            Mode::Fill => Some(self.operation.fill.interval_mm),
            Mode::Image => Some(self.operation.image.interval_mm),
        }
    }
}

/// A generated test: the document to convert and where each setting sits in it.
#[derive(Debug, Clone, PartialEq)]
pub struct TestGrid {
    pub document: Document,
    /// Row by row, left to right.
    pub cells: Vec<GridCell>,
}

impl TestGrid {
    /// The cell at 1-based `row`, `col`.
    pub fn cell(&self, row: u32, col: u32) -> Option<&GridCell> {
        self.cells.iter().find(|c| c.row == row && c.col == col)
    }
}

/// Builds the test document (pure: no files).
pub fn test_grid(opts: &TestGridOptions) -> Result<TestGrid, TestGridError> {
    validate(opts)?;
    let pitch = opts.cell_mm + opts.gap_mm;
    let layout = Layout::new(opts);
    let mut cells = Vec::with_capacity((opts.rows * opts.cols) as usize);
    for r in 0..opts.rows {
        for c in 0..opts.cols {
            let operation = cell_operation(opts, r, c);
            operation
                .validate()
                .map_err(|message| TestGridError::Cell {
                    row: r + 1,
                    col: c + 1,
                    message,
                })?;
            cells.push(GridCell {
                row: r + 1,
                col: c + 1,
                colour: cell_colour(r, c, opts.rows, opts.cols),
                top_left: DocPoint::new(
                    layout.grid_left + f64::from(c) * pitch,
                    layout.grid_top + f64::from(r) * pitch,
                ),
                size_mm: opts.cell_mm,
                operation,
            });
        }
    }
    let mut layers = Vec::with_capacity(cells.len() + 1);
    // Labels first: in a cut test they are burned before the squares can drop out.
    if opts.labels {
        let mut op = Operation::defaults_for(Mode::Line);
        op.speed_mm_min = opts.label_speed_mm_min;
        op.power_max_pct = opts.label_power_pct;
        op.air_assist = false;
        let mut layer = Layer::new(LABEL_COLOUR, LayerSource::Stroke);
        layer.operation = op;
        layer.shapes = layout
            .labels
            .iter()
            .flat_map(|(text, baseline, cap)| text_paths(text, *baseline, *cap))
            .map(|path| shape("label", path))
            .collect();
        layers.push(layer);
    }
    for cell in &cells {
        layers.push(cell_layer(cell));
    }
    let document = Document {
        size_mm: layout.page_mm,
        layers,
        info: ImportInfo {
            dpi: 96.0,
            ..ImportInfo::default()
        },
    };
    Ok(TestGrid { document, cells })
}

/// The legend line: mode, what rows and columns step, and the fixed settings.
pub fn legend(opts: &TestGridOptions) -> String {
    let cols = match opts.vary {
        Vary::Power => "power %",
        Vary::Interval => "interval mm",
        Vary::Passes => "passes",
    };
    let mut parts = vec![format!(
        "{}: rows speed mm/min, cols {cols}",
        mode_label(opts.mode)
    )];
    if opts.vary != Vary::Power {
        parts.push(format!("power {}%", fmt_num(power(opts, 0))));
    }
    if opts.vary != Vary::Interval && opts.mode != Mode::Line {
        parts.push(format!("interval {} mm", fmt_num(interval(opts, 0))));
    }
    if opts.vary != Vary::Passes {
        let n = passes(opts, 0);
        parts.push(format!("{n} pass{}", if n == 1 { "" } else { "es" }));
    }
    parts.join(", ")
}

/// The label of column `col` (0-based): the value it varies.
pub fn column_label(opts: &TestGridOptions, col: u32) -> String {
    match opts.vary {
        Vary::Power => fmt_num(power(opts, col)),
        Vary::Interval => fmt_num(interval(opts, col)),
        Vary::Passes => passes(opts, col).to_string(),
    }
}

fn round_to(v: f64, step: f64) -> f64 {
    (v / step).round() * step
}

fn speed(opts: &TestGridOptions, row: u32) -> f64 {
    opts.speed_mm_min.step(row, opts.rows).round()
}

/// Power of column `col` (the fixed one when power doesn't vary).
fn power(opts: &TestGridOptions, col: u32) -> f64 {
    let c = if opts.vary == Vary::Power { col } else { 0 };
    round_to(opts.power_pct.step(c, opts.cols), 0.1)
}

fn interval(opts: &TestGridOptions, col: u32) -> f64 {
    let c = if opts.vary == Vary::Interval { col } else { 0 };
    round_to(opts.interval_mm.step(c, opts.cols), 0.001)
}

fn passes(opts: &TestGridOptions, col: u32) -> u32 {
    let c = if opts.vary == Vary::Passes { col } else { 0 };
    // Validated to 1..=1000 first; the cast cannot truncate.
    opts.passes.step(c, opts.cols).round().clamp(1.0, 1000.0) as u32
}

fn cell_operation(opts: &TestGridOptions, row: u32, col: u32) -> Operation {
    let mut op = Operation::defaults_for(opts.mode);
    op.speed_mm_min = speed(opts, row);
    op.power_min_pct = 0.0;
    op.power_max_pct = power(opts, col);
    op.passes = passes(opts, col);
    op.fill.interval_mm = interval(opts, col);
    op.image.interval_mm = interval(opts, col);
    // A solid square: every pixel on, whatever the dither would do with mid-grays.
    op.image.dither = DitherKind::Threshold;
    op
}

/// Distinct for up to [`MAX_STEPS`] rows and columns, and never [`LABEL_COLOUR`]: red grows
/// along a row, green down a column.
fn cell_colour(row: u32, col: u32, rows: u32, cols: u32) -> Rgb {
    let spread = |i: u32, n: u32| (40 + i * 200 / (n.max(2) - 1)).min(255) as u8;
    Rgb(spread(col, cols), spread(row, rows), 160)
}

fn shape(id: &str, path: Vec<PathEl>) -> Shape {
    Shape {
        id: id.into(),
        path,
        fill_rule: FillRule::NonZero,
        clips: Vec::new(),
    }
}

fn cell_layer(cell: &GridCell) -> Layer {
    let (x, y, s) = (cell.top_left.x, cell.top_left.y, cell.size_mm);
    let source = match cell.operation.mode {
        Mode::Line => LayerSource::Stroke,
        Mode::Fill | Mode::Image => LayerSource::Fill,
    };
    let mut layer = Layer::new(cell.colour, source);
    layer.operation = cell.operation;
    if cell.operation.mode == Mode::Image {
        layer.image = Some(Arc::new(Bitmap {
            width_px: 1,
            height_px: 1,
            luma: vec![0],
            top_left: cell.top_left,
            size_mm: (s, s),
        }));
    } else {
        let square = vec![
            PathEl::MoveTo(DocPoint::new(x, y)),
            PathEl::LineTo(DocPoint::new(x + s, y)),
            PathEl::LineTo(DocPoint::new(x + s, y + s)),
            PathEl::LineTo(DocPoint::new(x, y + s)),
            PathEl::Close,
        ];
        layer.shapes = vec![shape(&format!("cell-{}-{}", cell.row, cell.col), square)];
    }
    layer
}

/// Where the grid and the labels go, doc space.
struct Layout {
    grid_left: f64,
    grid_top: f64,
    page_mm: (f64, f64),
    /// Text, left end of its baseline, capital height (mm).
    labels: Vec<(String, DocPoint, f64)>,
}

impl Layout {
    fn new(opts: &TestGridOptions) -> Self {
        let pitch = opts.cell_mm + opts.gap_mm;
        let grid_w = f64::from(opts.cols) * pitch - opts.gap_mm;
        let grid_h = f64::from(opts.rows) * pitch - opts.gap_mm;
        if !opts.labels {
            return Self {
                grid_left: 0.0,
                grid_top: 0.0,
                page_mm: (grid_w, grid_h),
                labels: Vec::new(),
            };
        }
        let t = opts.text_mm;
        let mut labels = Vec::new();
        let mut baseline = 0.0;
        let mut widest: f64 = 0.0;
        let mut line = |text: String, cap: f64, labels: &mut Vec<_>| {
            baseline += cap;
            widest = widest.max(text_width_mm(&text, cap));
            labels.push((text, DocPoint::new(0.0, baseline), cap));
            // Room for descenders and a gap before the next line.
            baseline += 0.7 * cap;
        };
        if !opts.title.trim().is_empty() {
            line(opts.title.trim().to_string(), t, &mut labels);
        }
        line(legend(opts), 0.8 * t, &mut labels);
        // Row labels fit the cell's height; column labels fit the pitch, all the same size.
        let row_texts: Vec<String> = (0..opts.rows).map(|r| fmt_num(speed(opts, r))).collect();
        let row_cap = t.min(0.8 * opts.cell_mm);
        let row_w = row_texts
            .iter()
            .map(|s| text_width_mm(s, row_cap))
            .fold(0.0, f64::max);
        let col_texts: Vec<String> = (0..opts.cols).map(|c| column_label(opts, c)).collect();
        let col_cap = col_texts
            .iter()
            .map(|s| text_width_mm(s, t))
            .filter(|w| *w > 0.0)
            .fold(t, |cap, w| cap.min(t * 0.9 * pitch / w));
        let grid_left = row_w + 0.8 * t;
        let col_baseline = baseline + 0.3 * t + col_cap;
        let grid_top = col_baseline + 0.3 * col_cap + 0.5 * t;
        for (c, text) in (0..opts.cols).zip(col_texts) {
            let w = text_width_mm(&text, col_cap);
            let centre = grid_left + f64::from(c) * pitch + opts.cell_mm / 2.0;
            labels.push((text, DocPoint::new(centre - w / 2.0, col_baseline), col_cap));
        }
        for (r, text) in (0..opts.rows).zip(row_texts) {
            let w = text_width_mm(&text, row_cap);
            let middle = grid_top + f64::from(r) * pitch + opts.cell_mm / 2.0;
            labels.push((
                text,
                DocPoint::new(row_w - w, middle + row_cap / 2.0),
                row_cap,
            ));
        }
        Self {
            grid_left,
            grid_top,
            page_mm: ((grid_left + grid_w).max(widest), grid_top + grid_h),
            labels,
        }
    }
}

fn validate(opts: &TestGridOptions) -> Result<(), TestGridError> {
    let out = |what, allowed, got: String| Err(TestGridError::OutOfRange { what, allowed, got });
    for (what, n) in [("rows", opts.rows), ("columns", opts.cols)] {
        if !(1..=MAX_STEPS).contains(&n) {
            return out(what, "1..20", n.to_string());
        }
    }
    let within = |r: &StepRange, lo: f64, hi: f64| {
        [r.first, r.last]
            .iter()
            .all(|v| v.is_finite() && (lo..=hi).contains(v))
    };
    let show = |r: &StepRange| format!("{}..{}", r.first, r.last);
    if !within(&opts.speed_mm_min, 1.0, 1_000_000.0) {
        return out("speed", "1..1000000 mm/min", show(&opts.speed_mm_min));
    }
    if !within(&opts.power_pct, 0.0, 100.0) {
        return out("power", "0..100 %", show(&opts.power_pct));
    }
    if !within(&opts.interval_mm, 0.01, 10.0) {
        return out("interval", "0.01..10 mm", show(&opts.interval_mm));
    }
    let whole = |v: f64| v.fract() == 0.0;
    if !within(&opts.passes, 1.0, 1000.0) || !whole(opts.passes.first) || !whole(opts.passes.last) {
        return out("passes", "whole numbers 1..1000", show(&opts.passes));
    }
    let fixed = [
        ("power", Vary::Power, opts.power_pct),
        ("interval", Vary::Interval, opts.interval_mm),
        ("passes", Vary::Passes, opts.passes),
    ];
    for (what, vary, range) in fixed {
        if opts.vary != vary && !range.is_single() {
            return Err(TestGridError::NotFixed {
                what,
                vary: opts.vary.name(),
                first: range.first,
                last: range.last,
            });
        }
    }
    if opts.vary == Vary::Interval && opts.mode == Mode::Line {
        return Err(TestGridError::IntervalInCut);
    }
    if !(opts.cell_mm.is_finite() && (1.0..=200.0).contains(&opts.cell_mm)) {
        return out("cell size", "1..200 mm", opts.cell_mm.to_string());
    }
    if !(opts.gap_mm.is_finite() && (0.0..=100.0).contains(&opts.gap_mm)) {
        return out("gap", "0..100 mm", opts.gap_mm.to_string());
    }
    if opts.labels {
        if !(opts.text_mm.is_finite() && (0.5..=50.0).contains(&opts.text_mm)) {
            return out("text height", "0.5..50 mm", opts.text_mm.to_string());
        }
        let p = opts.label_power_pct;
        if !(p.is_finite() && (0.0..=100.0).contains(&p)) {
            return out("label power", "0..100 %", p.to_string());
        }
        let s = opts.label_speed_mm_min;
        if !(s.is_finite() && (1.0..=1_000_000.0).contains(&s)) {
            return out("label speed", "1..1000000 mm/min", s.to_string());
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "test_grid_tests.rs"]
mod tests;
