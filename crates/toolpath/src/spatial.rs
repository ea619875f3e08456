//! A uniform grid of boxes, for "which closed loops could contain this point" lookups.

use crate::model::PointMm;

pub(crate) struct Grid {
    lo: PointMm,
    cell_mm: f64,
    nx: usize,
    ny: usize,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    /// A grid covering `boxes` with about `n_hint` cells (at most 1024 x 1024).
    pub fn new(boxes: impl Iterator<Item = (PointMm, PointMm)>, n_hint: usize) -> Self {
        let mut lo = PointMm::new(f64::MAX, f64::MAX);
        let mut hi = PointMm::new(f64::MIN, f64::MIN);
        for (a, b) in boxes {
            lo = PointMm::new(lo.x.min(a.x), lo.y.min(a.y));
            hi = PointMm::new(hi.x.max(b.x), hi.y.max(b.y));
        }
        if lo.x > hi.x {
            lo = PointMm::default();
            hi = PointMm::new(1.0, 1.0);
        }
        let w = (hi.x - lo.x).max(1e-6);
        let h = (hi.y - lo.y).max(1e-6);
        let cells = n_hint.clamp(1, 1 << 18) as f64;
        let cell_mm = ((w * h) / cells)
            .sqrt()
            .max(w / 1024.0)
            .max(h / 1024.0)
            .max(1e-6);
        let nx = ((w / cell_mm).ceil() as usize).clamp(1, 1024);
        let ny = ((h / cell_mm).ceil() as usize).clamp(1, 1024);
        Self {
            lo,
            cell_mm,
            nx,
            ny,
            cells: vec![Vec::new(); nx * ny],
        }
    }

    fn cell_xy(&self, p: PointMm) -> (usize, usize) {
        let cx = ((p.x - self.lo.x) / self.cell_mm).floor();
        let cy = ((p.y - self.lo.y) / self.cell_mm).floor();
        let cx = if cx.is_finite() {
            cx.clamp(0.0, (self.nx - 1) as f64) as usize
        } else {
            0
        };
        let cy = if cy.is_finite() {
            cy.clamp(0.0, (self.ny - 1) as f64) as usize
        } else {
            0
        };
        (cx, cy)
    }

    /// Registers `id` in every cell its box touches.
    pub fn insert_box(&mut self, lo: PointMm, hi: PointMm, id: u32) {
        let (x0, y0) = self.cell_xy(lo);
        let (x1, y1) = self.cell_xy(hi);
        for y in y0..=y1 {
            for x in x0..=x1 {
                self.cells[y * self.nx + x].push(id);
            }
        }
    }

    /// Every id whose box touches the cell containing `p`.
    pub fn cell_entries(&self, p: PointMm) -> impl Iterator<Item = u32> + '_ {
        let (x, y) = self.cell_xy(p);
        self.cells[y * self.nx + x].iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_are_found_from_any_point_inside() {
        let mut g = Grid::new(
            [(PointMm::new(0.0, 0.0), PointMm::new(100.0, 100.0))].into_iter(),
            100,
        );
        g.insert_box(PointMm::new(10.0, 10.0), PointMm::new(20.0, 20.0), 7);
        assert!(g.cell_entries(PointMm::new(15.0, 15.0)).any(|id| id == 7));
        assert!(!g.cell_entries(PointMm::new(90.0, 90.0)).any(|id| id == 7));
    }
}
