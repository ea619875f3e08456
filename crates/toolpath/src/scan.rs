//! Scan rows to moves: overscan at S0 past each end of every burned stretch (so the head is
//! at speed wherever it burns), alternate directions when asked, rapids over the blanks
//! between spans, and a new overscan after blank gaps too long to cross in one go.

use crate::model::{Move, PointMm, Scan, ScanLine, Span};

impl Scan {
    /// Gaps longer than this are crossed with a rapid (then a new overscan): cheaper than
    /// crossing them at the engraving feed.
    pub fn skip_gap_mm(&self) -> f64 {
        2.0 * self.overscan_mm + 2.0
    }

    /// True if the overscan of some stretch is cut short by [`Scan::min_x`].
    pub fn overscan_shortened(&self) -> bool {
        let mut short = false;
        self.for_each_move_inner(PointMm::default(), &mut |_| {}, &mut short);
        short
    }

    /// Every move of every pass, in order, from the head at `at`; returns where it ends.
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
        let overscan = self.overscan_mm;
        let min_x = self.min_x;
        let mut clamp = |x: f64, burn_x: f64| match min_x {
            Some(m) if x < m && burn_x >= m => {
                *shortened = true;
                m
            }
            _ => x,
        };
        let skip_gap = self.skip_gap_mm();
        let mut forward = true;
        for _ in 0..self.passes.max(1) {
            for line in &self.lines {
                at = row_moves(line, forward, overscan, skip_gap, &mut clamp, at, f);
                if self.bidirectional {
                    forward = !forward;
                }
            }
        }
        at
    }
}

/// The moves of one row.
fn row_moves(
    line: &ScanLine,
    forward: bool,
    overscan: f64,
    skip_gap: f64,
    clamp: &mut impl FnMut(f64, f64) -> f64,
    mut at: PointMm,
    f: &mut dyn FnMut(Move),
) -> PointMm {
    let n = line.spans.len();
    // Spans in burn order, with ends swapped when going right to left.
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
    let cut = |x: f64, power_pct: f64| Move::Cut {
        to: PointMm::new(x, y),
        power_pct,
    };
    let mut i = 0;
    while i < n {
        // A stretch of spans without a gap worth a rapid.
        let mut j = i + 1;
        while j < n && (span(j).x0 - span(j - 1).x1).abs() <= skip_gap {
            j += 1;
        }
        let first = span(i);
        let entry = PointMm::new(clamp(first.x0 - dir * overscan, first.x0), y);
        if at != entry {
            f(Move::Rapid { to: entry });
        }
        if entry.x != first.x0 {
            f(cut(first.x0, 0.0));
        }
        let mut prev_x1 = first.x0;
        for k in i..j {
            let s = span(k);
            if s.x0 != prev_x1 {
                // The blank between two spans: a rapid, which in laser mode keeps the laser
                // off with no planner stop (GRBL.md §8), and the next burn's `G1` brings back
                // its power without an `S` word. The head arrives at the next span at no more
                // than the feed: the planner joins the rapid to the slower feed move.
                f(Move::Rapid {
                    to: PointMm::new(s.x0, y),
                });
            }
            f(cut(s.x1, s.power_pct));
            prev_x1 = s.x1;
        }
        let exit_x = clamp(prev_x1 + dir * overscan, prev_x1);
        if exit_x != prev_x1 {
            f(cut(exit_x, 0.0));
        }
        at = PointMm::new(exit_x, y);
        i = j;
    }
    at
}
