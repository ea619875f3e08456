//! A uniform grid over the job for nearest-point queries and box lookups.

use crate::model::PointMm;

#[derive(Debug, Clone, Copy)]
struct Entry {
    p: PointMm,
    id: u32,
    tag: u32,
}

pub(crate) struct Grid {
    lo: PointMm,
    cell_mm: f64,
    nx: usize,
    ny: usize,
    cells: Vec<Vec<Entry>>,
}

impl Grid {
    /// A grid covering `boxes` with about `n_hint` cells.
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
        let cell_mm = ((w * h) / cells).sqrt().max(w / 1024.0).max(h / 1024.0).max(1e-6);
        let nx = ((w / cell_mm).ceil() as usize).clamp(1, 1024);
        let ny = ((h / cell_mm).ceil() as usize).clamp(1, 1024);
        Self { lo, cell_mm, nx, ny, cells: vec![Vec::new(); nx * ny] }
    }

    pub fn new_points(points: impl Iterator<Item = PointMm>, n_hint: usize) -> Self {
        Self::new(points.map(|p| (p, p)), n_hint)
    }

    fn cell_xy(&self, p: PointMm) -> (usize, usize) {
        let cx = ((p.x - self.lo.x) / self.cell_mm).floor();
        let cy = ((p.y - self.lo.y) / self.cell_mm).floor();
        let cx = if cx.is_finite() { cx.clamp(0.0, (self.nx - 1) as f64) as usize } else { 0 };
        let cy = if cy.is_finite() { cy.clamp(0.0, (self.ny - 1) as f64) as usize } else { 0 };
        (cx, cy)
    }

    pub fn insert_point(&mut self, p: PointMm, id: u32, tag: u32) {
        let (x, y) = self.cell_xy(p);
        self.cells[y * self.nx + x].push(Entry { p, id, tag });
    }

    pub fn insert_box(&mut self, lo: PointMm, hi: PointMm, id: u32, tag: u32) {
        let (x0, y0) = self.cell_xy(lo);
        let (x1, y1) = self.cell_xy(hi);
        for y in y0..=y1 {
            for x in x0..=x1 {
                self.cells[y * self.nx + x].push(Entry { p: lo, id, tag });
            }
        }
    }

    /// Everything registered in the cell containing `p`.
    pub fn cell_entries(&self, p: PointMm) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (x, y) = self.cell_xy(p);
        self.cells[y * self.nx + x].iter().map(|e| (e.id, e.tag))
    }

    /// The nearest entry whose id is alive, searching rings of cells outwards. Dead entries
    /// are dropped from the cells as they are met, so the grid shrinks as the tour grows.
    pub fn nearest(&mut self, p: PointMm, alive: &[bool]) -> Option<(u32, u32)> {
        let (cx, cy) = self.cell_xy(p);
        let mut best: Option<(f64, u32, u32)> = None;
        let max_r = self.nx.max(self.ny);
        for r in 0..=max_r {
            if let Some((d, _, _)) = best {
                // Every cell in ring r is at least (r - 1) cells away.
                if d < (r as f64 - 1.0).max(0.0) * self.cell_mm {
                    break;
                }
            }
            for (x, y) in ring(cx, cy, r, self.nx, self.ny) {
                let cell = &mut self.cells[y * self.nx + x];
                cell.retain(|e| alive.get(e.id as usize).copied().unwrap_or(false));
                for e in cell.iter() {
                    let d = p.distance_to(e.p);
                    if best.is_none_or(|(bd, _, _)| d < bd) {
                        best = Some((d, e.id, e.tag));
                    }
                }
            }
        }
        best.map(|(_, id, tag)| (id, tag))
    }

    /// Up to `k` distinct ids with an entry near any of `points`, nearest first.
    pub fn k_nearest_ids(&self, points: &[PointMm], k: usize) -> Vec<u32> {
        let mut found: Vec<(f64, u32)> = Vec::new();
        let max_r = self.nx.max(self.ny);
        for &p in points {
            let (cx, cy) = self.cell_xy(p);
            let mut seen_in_rings = 0;
            for r in 0..=max_r {
                for (x, y) in ring(cx, cy, r, self.nx, self.ny) {
                    for e in &self.cells[y * self.nx + x] {
                        found.push((p.distance_to(e.p), e.id));
                        seen_in_rings += 1;
                    }
                }
                if seen_in_rings >= 2 * k + 2 && r >= 1 {
                    break;
                }
            }
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: Vec<u32> = Vec::with_capacity(k);
        for (_, id) in found {
            if !out.contains(&id) {
                out.push(id);
                if out.len() == k {
                    break;
                }
            }
        }
        out
    }
}

/// The cells at Chebyshev distance exactly `r` from (cx, cy), clipped to the grid.
fn ring(cx: usize, cy: usize, r: usize, nx: usize, ny: usize) -> Vec<(usize, usize)> {
    if r == 0 {
        return vec![(cx, cy)];
    }
    let (cx, cy, r, nx, ny) = (cx as i64, cy as i64, r as i64, nx as i64, ny as i64);
    let mut out = Vec::new();
    for y in (cy - r).max(0)..=(cy + r).min(ny - 1) {
        if y == cy - r || y == cy + r {
            out.extend(((cx - r).max(0)..=(cx + r).min(nx - 1)).map(|x| (x as usize, y as usize)));
        } else {
            out.extend([cx - r, cx + r].into_iter().filter(|&x| x >= 0 && x < nx).map(|x| (x as usize, y as usize)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_skips_dead_entries() {
        let pts = [PointMm::new(0.0, 0.0), PointMm::new(10.0, 0.0), PointMm::new(50.0, 50.0)];
        let mut g = Grid::new_points(pts.iter().copied(), 3);
        for (i, p) in pts.iter().enumerate() {
            g.insert_point(*p, i as u32, 0);
        }
        let mut alive = vec![true; 3];
        assert_eq!(g.nearest(PointMm::new(1.0, 0.0), &alive), Some((0, 0)));
        alive[0] = false;
        assert_eq!(g.nearest(PointMm::new(1.0, 0.0), &alive), Some((1, 0)));
        alive[1] = false;
        assert_eq!(g.nearest(PointMm::new(1.0, 0.0), &alive), Some((2, 0)));
        alive[2] = false;
        assert_eq!(g.nearest(PointMm::new(1.0, 0.0), &alive), None);
    }

    #[test]
    fn ring_cells() {
        assert_eq!(ring(5, 5, 0, 10, 10).len(), 1);
        assert_eq!(ring(5, 5, 1, 10, 10).len(), 8);
        assert_eq!(ring(0, 0, 1, 10, 10).len(), 3);
    }
}
