//! Scan rows to moves: overscan at S0 past each end of every burned stretch (so the head is
//! at speed wherever it burns), alternate directions when asked, rapids over the blanks
//! between spans, and a new overscan after blank gaps too long to cross in one go.

use crate::model::{Move, PointMm, Scan, ScanLine, Span};

/// Maps the rows' rotated frame to machine space.
#[derive(Clone, Copy)]
struct Frame {
    sin: f64,
    cos: f64,
}

impl Frame {
    fn new(angle_deg: f64) -> Self {
        let (sin, cos) = sin_cos_deg(angle_deg);
        Self { sin, cos }
    }

    fn to_machine(self, x: f64, y: f64) -> PointMm {
        if self.sin == 0.0 && self.cos == 1.0 {
            return PointMm::new(x, y);
        }
        PointMm::new(x * self.cos - y * self.sin, x * self.sin + y * self.cos)
    }
}

/// Sine and cosine of an angle in degrees, exact for quarter turns, so pictures scanned at
/// 0 or 90 degrees stay on their pixel grid (`sin_cos` of π/2 gives a cosine of 6e-17).
pub(crate) fn sin_cos_deg(angle_deg: f64) -> (f64, f64) {
    if !angle_deg.is_finite() {
        return (0.0, 1.0);
    }
    let quarter = angle_deg / 90.0;
    if quarter == quarter.round() {
        return match (quarter as i64).rem_euclid(4) {
            0 => (0.0, 1.0),
            1 => (1.0, 0.0),
            2 => (0.0, -1.0),
            _ => (-1.0, 0.0),
        };
    }
    angle_deg.to_radians().sin_cos()
}

impl Scan {
    /// Gaps longer than this are crossed with a rapid and a new overscan; shorter ones with a
    /// rapid hop at the engraving pace.
    pub fn skip_gap_mm(&self) -> f64 {
        2.0 * self.overscan_mm + 2.0
    }

    /// True if the overscan of some stretch is cut short by [`Scan::bed_min`].
    pub fn overscan_shortened(&self) -> bool {
        self.end_from(PointMm::default()).1
    }

    /// Where the head ends after the scan, starting at `at`, and whether some overscan was
    /// cut short by [`Scan::bed_min`]: one pass without building moves.
    pub fn end_from(&self, at: PointMm) -> (PointMm, bool) {
        let mut short = false;
        let end = self.for_each_move_inner(at, &mut |_| {}, &mut short);
        (end, short)
    }

    /// Every move of every pass, in order and in machine space, from the head at `at`;
    /// returns where it ends.
    pub fn for_each_move(&self, at: PointMm, mut f: impl FnMut(Move)) -> PointMm {
        let mut short = false;
        self.for_each_move_inner(at, &mut f, &mut short)
    }

    fn for_each_move_inner(
        &self,
        mut at: PointMm,
        f: &mut dyn FnMut(Move),
        shortened: &mut bool,
    ) -> PointMm {
        let frame = Frame::new(self.angle_deg);
        let row = Row {
            frame,
            overscan: self.overscan_mm,
            skip_gap: self.skip_gap_mm(),
            bed_min: self.bed_min,
        };
        let mut forward = true;
        for _ in 0..self.passes.max(1) {
            for line in &self.lines {
                at = row.moves(line, forward, at, f, shortened);
                if self.bidirectional {
                    forward = !forward;
                }
            }
        }
        at
    }
}

struct Row {
    frame: Frame,
    overscan: f64,
    skip_gap: f64,
    bed_min: Option<PointMm>,
}

impl Row {
    /// Where an overscan from the burn at `burn_x` going `out` (±1 along the row) ends: its
    /// full length, or less if that would leave the bed (when the burn itself is on it).
    fn overscan_end(&self, burn_x: f64, y: f64, out: f64, shortened: &mut bool) -> f64 {
        let mut len = self.overscan;
        if let Some(min) = self.bed_min {
            let p = self.frame.to_machine(burn_x, y);
            let d = (out * self.frame.cos, out * self.frame.sin);
            for (p_axis, min_axis, d_axis) in [(p.x, min.x, d.0), (p.y, min.y, d.1)] {
                if d_axis < -1e-12 && p_axis >= min_axis {
                    let room = (p_axis - min_axis) / -d_axis;
                    if room < len {
                        len = room;
                        *shortened = true;
                    }
                }
            }
        }
        burn_x + out * len
    }

    /// The moves of one row.
    fn moves(
        &self,
        line: &ScanLine,
        forward: bool,
        mut at: PointMm,
        f: &mut dyn FnMut(Move),
        shortened: &mut bool,
    ) -> PointMm {
        let n = line.spans.len();
        // Spans in burn order, with ends swapped when going against the row's direction.
        let span = |k: usize| -> Span {
            if forward {
                line.spans[k]
            } else {
                let s = line.spans[n - 1 - k];
                Span {
                    x0: s.x1,
                    x1: s.x0,
                    power_pct: s.power_pct,
                }
            }
        };
        let dir = if forward { 1.0 } else { -1.0 };
        let y = line.y;
        let to = |x: f64| self.frame.to_machine(x, y);
        let mut i = 0;
        while i < n {
            // A stretch of spans without a gap worth a new overscan.
            let mut j = i + 1;
            while j < n && (span(j).x0 - span(j - 1).x1).abs() <= self.skip_gap {
                j += 1;
            }
            let first = span(i);
            let entry_x = self.overscan_end(first.x0, y, -dir, shortened);
            let entry = to(entry_x);
            if at != entry {
                f(Move::Rapid { to: entry });
            }
            if entry_x != first.x0 {
                f(Move::Cut {
                    to: to(first.x0),
                    power_pct: 0.0,
                });
            }
            let mut prev_x1 = first.x0;
            for k in i..j {
                let s = span(k);
                if s.x0 != prev_x1 {
                    // The blank between two spans: a rapid, which in laser mode keeps the
                    // laser off with no planner stop (GRBL.md §8), and the next burn's `G1`
                    // brings back its power without an `S` word. The head reaches the next
                    // span at no more than the feed: the planner joins the rapid to the
                    // slower feed move.
                    f(Move::Rapid { to: to(s.x0) });
                }
                f(Move::Cut {
                    to: to(s.x1),
                    power_pct: s.power_pct,
                });
                prev_x1 = s.x1;
            }
            let exit_x = self.overscan_end(prev_x1, y, dir, shortened);
            if exit_x != prev_x1 {
                f(Move::Cut {
                    to: to(exit_x),
                    power_pct: 0.0,
                });
            }
            at = to(exit_x);
            i = j;
        }
        at
    }
}
