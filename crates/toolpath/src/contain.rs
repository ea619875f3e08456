//! Which closed loop directly contains each run: the precedence behind "cut inner shapes first".

use crate::model::PointMm;
use crate::region::Region;
use crate::run::Run;
use crate::spatial::Grid;

/// Vertices tested per run. All must be inside: one vertex on a shared border (neighbouring
/// countries on a map) would decide by a coin flip.
const PROBES: usize = 5;

struct Bounds {
    lo: PointMm,
    hi: PointMm,
}

impl Bounds {
    fn of(pts: &[PointMm]) -> Bounds {
        let mut b = Bounds {
            lo: PointMm::new(f64::MAX, f64::MAX),
            hi: PointMm::new(f64::MIN, f64::MIN),
        };
        for p in pts {
            b.lo = PointMm::new(b.lo.x.min(p.x), b.lo.y.min(p.y));
            b.hi = PointMm::new(b.hi.x.max(p.x), b.hi.y.max(p.y));
        }
        b
    }

    fn area(&self) -> f64 {
        (self.hi.x - self.lo.x) * (self.hi.y - self.lo.y)
    }

    fn contains(&self, o: &Bounds) -> bool {
        self.lo.x <= o.lo.x && self.lo.y <= o.lo.y && self.hi.x >= o.hi.x && self.hi.y >= o.hi.y
    }
}

/// For every run, the smallest closed loop that contains it (its direct parent), if any.
pub(crate) fn direct_parents(runs: &[Run]) -> Vec<Option<usize>> {
    let n = runs.len();
    let bbs: Vec<Bounds> = runs.iter().map(|r| Bounds::of(&r.points)).collect();
    let loops: Vec<usize> = (0..n)
        .filter(|&i| runs[i].closed && bbs[i].area() > 0.0)
        .collect();
    let mut grid = Grid::new(loops.iter().map(|&i| (bbs[i].lo, bbs[i].hi)), loops.len());
    for (k, &i) in loops.iter().enumerate() {
        grid.insert_box(bbs[i].lo, bbs[i].hi, k as u32);
    }
    let mut regions: Vec<Option<Region>> = (0..loops.len()).map(|_| None).collect();
    let mut parent = vec![None; n];
    for i in 0..n {
        let b = &bbs[i];
        let pts = &runs[i].points;
        if pts.is_empty() {
            continue;
        }
        let probes: Vec<PointMm> = (0..PROBES)
            .map(|k| pts[k * (pts.len() - 1) / PROBES])
            .collect();
        // Cheap box checks first, then point-in-polygon smallest first: the first loop that
        // holds every probe is the direct parent.
        let mut cands: Vec<(f64, u32)> = grid
            .cell_entries(probes[0])
            .filter(|&k| {
                let j = loops[k as usize];
                j != i && bbs[j].area() > b.area() && bbs[j].contains(b)
            })
            .map(|k| (bbs[loops[k as usize]].area(), k))
            .collect();
        cands.sort_by(|a, c| a.0.total_cmp(&c.0));
        let mut best: Option<(f64, usize)> = None;
        for (area, k) in cands {
            let j = loops[k as usize];
            let region = regions[k as usize].get_or_insert_with(|| {
                Region::new(
                    std::slice::from_ref(&runs[j].points),
                    burin_design::FillRule::EvenOdd,
                )
            });
            if probes.iter().all(|p| region.contains(*p)) {
                best = Some((area, j));
                break;
            }
        }
        parent[i] = best.map(|(_, j)| j);
    }
    parent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Run {
        let p = PointMm::new;
        Run::lit_polyline(
            vec![
                p(x0, y0),
                p(x0 + s, y0),
                p(x0 + s, y0 + s),
                p(x0, y0 + s),
                p(x0, y0),
            ],
            true,
        )
    }

    #[test]
    fn parents_are_the_smallest_containing_loops() {
        let runs = [
            square(0.0, 0.0, 100.0),
            square(10.0, 10.0, 50.0),
            square(20.0, 20.0, 5.0),
            square(200.0, 0.0, 5.0),
        ];
        assert_eq!(direct_parents(&runs), vec![None, Some(0), Some(1), None]);
    }

    #[test]
    fn neighbours_sharing_a_border_are_not_nested() {
        let p = PointMm::new;
        let big = Run::lit_polyline(
            vec![
                p(0.0, 0.0),
                p(10.0, 0.0),
                p(10.0, 10.0),
                p(0.0, 10.0),
                p(0.0, 0.0),
            ],
            true,
        );
        let inside = Run::lit_polyline(
            vec![
                p(8.0, 4.0),
                p(9.0, 4.0),
                p(9.0, 6.0),
                p(8.0, 6.0),
                p(8.0, 4.0),
            ],
            true,
        );
        assert_eq!(direct_parents(&[big.clone(), inside]), vec![None, Some(0)]);
        // A neighbour starting on the big square's border (as map countries do) is not nested,
        // even when the vertex that starts it tests as inside.
        let neighbour = Run::lit_polyline(
            vec![
                p(10.0, 4.0),
                p(9.999, 5.0),
                p(11.0, 6.0),
                p(11.0, 4.0),
                p(10.0, 4.0),
            ],
            true,
        );
        assert_eq!(direct_parents(&[big, neighbour]), vec![None, None]);
    }
}
