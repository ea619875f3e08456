//! The Toolpath: what the laser does, in machine space.
//!
//! Plain data handed from `toolpath::plan` to `gcode::emit`. Machine space is GRBL work
//! coordinates: millimetres, Y up, origin wherever the job placement put it.

use serde::{Deserialize, Serialize};

/// A point in machine space, millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PointMm {
    pub x: f64,
    pub y: f64,
}

impl PointMm {
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }

    pub fn distance_to(self, other: PointMm) -> f64 {
        // Not `hypot`: its overflow guard costs 5x, and coordinates are bounded millimetres.
        let (dx, dy) = (self.x - other.x, self.y - other.y);
        (dx * dx + dy * dy).sqrt()
    }
}

pub use burin_design::LaserMode;

/// Settings shared by every move of a [`Block`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockSettings {
    /// Name of the layer this block came from (for comments and progress), e.g. `#ff0000`.
    pub layer_name: String,
    /// Feed rate of cutting moves, mm/min.
    pub feed_mm_min: f64,
    /// `M3` or `M4`.
    pub laser_mode: LaserMode,
    /// Air assist (`M8`) on during this block.
    pub air_assist: bool,
}

/// One motion of the head.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Move {
    /// Travel at rapid speed with the laser off (`G0`).
    Rapid { to: PointMm },
    /// Travel at the block's feed with the laser at `power_pct` percent of the machine's
    /// maximum (0..=100). A power of 0 is a laser-off link inside a fill or an overscan.
    Cut { to: PointMm, power_pct: f64 },
}

impl Move {
    pub fn to(&self) -> PointMm {
        match *self {
            Move::Rapid { to } | Move::Cut { to, .. } => to,
        }
    }
}

/// One burned stretch of a scan row: from `x0` to `x1` (machine X, mm) at `power_pct`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub x0: f64,
    pub x1: f64,
    pub power_pct: f64,
}

/// A scan row in machine space: its Y and the lit spans, left to right, not overlapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanLine {
    pub y: f64,
    pub spans: Vec<Span>,
}

/// Rows burned back and forth like a raster (images, and fills scanned as one region).
/// Kept as rows rather than moves: a 3000 x 3000 picture is millions of moves, and the
/// emitter writes them straight to text ([`Scan::for_each_move`] gives them one at a time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    /// Rows in burn order (top row first for pictures).
    pub lines: Vec<ScanLine>,
    /// Alternate direction row by row. Default true.
    pub bidirectional: bool,
    /// Run-out at S0 beyond both ends of every burned stretch, mm.
    pub overscan_mm: f64,
    /// The overscan stops at this corner's X and Y (the bed's lower-left in absolute jobs),
    /// machine mm; `None`: no limit.
    pub bed_min: Option<PointMm>,
    /// How many times the rows are burned (at least 1).
    pub passes: u32,
    /// Direction of the rows, degrees counter-clockwise from machine X. The rows' coordinates
    /// (`y`, span `x0`/`x1`) are in the frame rotated by this angle: a machine point is
    /// `(x cos a - y sin a, x sin a + y cos a)`. 0 for pictures.
    #[serde(default)]
    pub angle_deg: f64,
}

/// A run of moves sharing the same settings (typically one layer, one pass): its `moves`,
/// then its `scan` rows if it has any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub settings: BlockSettings,
    pub moves: Vec<Move>,
    #[serde(default)]
    pub scan: Option<Scan>,
}

impl Block {
    /// A block of plain moves.
    pub fn new(settings: BlockSettings, moves: Vec<Move>) -> Self {
        Self {
            settings,
            moves,
            scan: None,
        }
    }

    /// Every move of the block in order, from the head at `at`; returns where it ends.
    pub fn for_each_move(&self, mut at: PointMm, mut f: impl FnMut(&Move)) -> PointMm {
        for m in &self.moves {
            f(m);
            at = m.to();
        }
        if let Some(scan) = &self.scan {
            at = scan.for_each_move(at, |m| f(&m));
        }
        at
    }

    /// Number of moves, scan rows included.
    pub fn move_count(&self) -> usize {
        let mut n = 0;
        self.for_each_move(PointMm::default(), |_| n += 1);
        n
    }
}

/// The whole job in execution order. The head starts at the machine-space origin.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Toolpath {
    pub blocks: Vec<Block>,
}

/// Lengths and extent of a toolpath, all in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ToolpathStats {
    /// Length travelled with the laser on (power > 0).
    pub cut_mm: f64,
    /// Length travelled with the laser off at feed speed (fill links, overscan).
    pub link_mm: f64,
    /// Length travelled by rapids, counted from the origin.
    pub rapid_mm: f64,
    /// Bounding box of the lit moves (power > 0), min and max: what the laser marks.
    pub bounds: Option<(PointMm, PointMm)>,
}

impl Toolpath {
    /// Measures the toolpath, starting at the origin.
    pub fn stats(&self) -> ToolpathStats {
        let mut s = ToolpathStats::default();
        let mut at = PointMm::default();
        let grow = |p: PointMm, b: &mut Option<(PointMm, PointMm)>| {
            *b = Some(match *b {
                None => (p, p),
                Some((lo, hi)) => (
                    PointMm::new(lo.x.min(p.x), lo.y.min(p.y)),
                    PointMm::new(hi.x.max(p.x), hi.y.max(p.y)),
                ),
            });
        };
        for block in &self.blocks {
            block.for_each_move(at, |m| {
                let d = at.distance_to(m.to());
                match *m {
                    Move::Rapid { .. } => s.rapid_mm += d,
                    Move::Cut { power_pct, .. } if power_pct > 0.0 => {
                        s.cut_mm += d;
                        grow(at, &mut s.bounds);
                        grow(m.to(), &mut s.bounds);
                    }
                    Move::Cut { .. } => s.link_mm += d,
                }
                at = m.to();
            });
        }
        s
    }

    /// Number of moves in all blocks, scan rows included.
    pub fn move_count(&self) -> usize {
        self.blocks.iter().map(Block::move_count).sum()
    }
}
