//! Areas bounded by closed polygons under a fill rule: inside tests, scan-line spans, and
//! clipping of polylines. Used for fills and for SVG clip paths.

use burin_design::FillRule;

use crate::model::PointMm;

/// A filled area in machine space: the polygons' edges and the rule deciding "inside".
#[derive(Debug, Clone)]
pub struct Region {
    pub(crate) edges: Vec<(PointMm, PointMm)>,
    pub(crate) rule: FillRule,
    lo: PointMm,
    hi: PointMm,
}

impl Region {
    /// Builds a region from polygons (each implicitly closed).
    pub fn new(polygons: &[Vec<PointMm>], rule: FillRule) -> Self {
        let mut edges = Vec::new();
        let mut lo = PointMm::new(f64::MAX, f64::MAX);
        let mut hi = PointMm::new(f64::MIN, f64::MIN);
        for poly in polygons {
            if poly.len() < 2 {
                continue;
            }
            for (i, &a) in poly.iter().enumerate() {
                let b = poly[(i + 1) % poly.len()];
                if a != b {
                    edges.push((a, b));
                }
                lo = PointMm::new(lo.x.min(a.x), lo.y.min(a.y));
                hi = PointMm::new(hi.x.max(a.x), hi.y.max(a.y));
            }
        }
        Self {
            edges,
            rule,
            lo,
            hi,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    fn inside_by_rule(&self, winding: i32) -> bool {
        match self.rule {
            FillRule::NonZero => winding != 0,
            FillRule::EvenOdd => winding % 2 != 0,
        }
    }

    /// Point-in-region by the winding number of a ray towards +X.
    pub fn contains(&self, p: PointMm) -> bool {
        if p.x < self.lo.x || p.x > self.hi.x || p.y < self.lo.y || p.y > self.hi.y {
            return false;
        }
        let mut winding = 0;
        for &(a, b) in &self.edges {
            if let Some((x, dir)) = crossing(a, b, p.y)
                && x > p.x
            {
                winding += dir;
            }
        }
        self.inside_by_rule(winding)
    }

    /// Splits a polyline at the region's boundary and keeps the pieces inside.
    pub fn clip_polyline(&self, pts: &[PointMm]) -> Vec<Vec<PointMm>> {
        let mut out: Vec<Vec<PointMm>> = Vec::new();
        let mut cur: Vec<PointMm> = Vec::new();
        for w in pts.windows(2) {
            let (p, q) = (w[0], w[1]);
            let mut ts = vec![0.0, 1.0];
            let (slo, shi) = (
                PointMm::new(p.x.min(q.x), p.y.min(q.y)),
                PointMm::new(p.x.max(q.x), p.y.max(q.y)),
            );
            for &(a, b) in &self.edges {
                if a.x.max(b.x) < slo.x
                    || a.x.min(b.x) > shi.x
                    || a.y.max(b.y) < slo.y
                    || a.y.min(b.y) > shi.y
                {
                    continue;
                }
                if let Some(t) = segment_param(p, q, a, b) {
                    ts.push(t);
                }
            }
            ts.sort_by(f64::total_cmp);
            ts.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
            for t in ts.windows(2) {
                let a = lerp(p, q, t[0]);
                let b = lerp(p, q, t[1]);
                if self.contains(lerp(p, q, (t[0] + t[1]) / 2.0)) {
                    if cur.last() != Some(&a) {
                        if cur.len() >= 2 {
                            out.push(std::mem::take(&mut cur));
                        }
                        cur.clear();
                        cur.push(a);
                    }
                    cur.push(b);
                } else if cur.len() >= 2 {
                    out.push(std::mem::take(&mut cur));
                } else {
                    cur.clear();
                }
            }
        }
        if cur.len() >= 2 {
            out.push(cur);
        }
        out
    }
}

/// Where the edge a-b crosses the horizontal line `y`, and its direction (+1 up, -1 down).
/// Half-open in y so a vertex shared by two edges is counted once.
#[inline]
pub(crate) fn crossing(a: PointMm, b: PointMm, y: f64) -> Option<(f64, i32)> {
    let (lo, hi, dir) = if a.y < b.y { (a, b, 1) } else { (b, a, -1) };
    if y < lo.y || y >= hi.y || lo.y == hi.y {
        return None;
    }
    Some((lo.x + (y - lo.y) * (hi.x - lo.x) / (hi.y - lo.y), dir))
}

/// Spans `[x0, x1]` of a horizontal line inside the area bounded by `edges` under `rule`.
pub(crate) fn spans_from_crossings(
    xs: &mut [(f64, i32)],
    rule: FillRule,
    out: &mut Vec<(f64, f64)>,
) {
    xs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut winding = 0;
    let mut start = 0.0;
    for &(x, dir) in xs.iter() {
        let was = inside(rule, winding);
        winding += dir;
        let now = inside(rule, winding);
        if !was && now {
            start = x;
        } else if was && !now && x > start {
            out.push((start, x));
        }
    }
}

fn inside(rule: FillRule, winding: i32) -> bool {
    match rule {
        FillRule::NonZero => winding != 0,
        FillRule::EvenOdd => winding % 2 != 0,
    }
}

/// Intersects two sorted, disjoint span lists.
pub(crate) fn intersect_spans(a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if hi > lo {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

fn lerp(p: PointMm, q: PointMm, t: f64) -> PointMm {
    PointMm::new(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t)
}

/// Parameter on p-q where it properly crosses segment a-b, if it does.
fn segment_param(p: PointMm, q: PointMm, a: PointMm, b: PointMm) -> Option<f64> {
    let r = (q.x - p.x, q.y - p.y);
    let s = (b.x - a.x, b.y - a.y);
    let denom = r.0 * s.1 - r.1 * s.0;
    if denom.abs() < 1e-15 {
        return None;
    }
    let ap = (a.x - p.x, a.y - p.y);
    let t = (ap.0 * s.1 - ap.1 * s.0) / denom;
    let u = (ap.0 * r.1 - ap.1 * r.0) / denom;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, size: f64) -> Vec<PointMm> {
        vec![
            PointMm::new(x0, y0),
            PointMm::new(x0 + size, y0),
            PointMm::new(x0 + size, y0 + size),
            PointMm::new(x0, y0 + size),
        ]
    }

    #[test]
    fn contains_honours_the_fill_rule() {
        // Outer and inner squares wound the same way: a hole under even-odd only.
        let polys = vec![square(0.0, 0.0, 10.0), square(3.0, 3.0, 4.0)];
        let nz = Region::new(&polys, FillRule::NonZero);
        let eo = Region::new(&polys, FillRule::EvenOdd);
        assert!(nz.contains(PointMm::new(5.0, 5.0)));
        assert!(!eo.contains(PointMm::new(5.0, 5.0)));
        assert!(eo.contains(PointMm::new(1.0, 5.0)));
        assert!(!nz.contains(PointMm::new(11.0, 5.0)));
    }

    #[test]
    fn clipping_keeps_the_inside_pieces() {
        let r = Region::new(&[square(0.0, 0.0, 10.0)], FillRule::NonZero);
        let pieces = r.clip_polyline(&[PointMm::new(-5.0, 5.0), PointMm::new(15.0, 5.0)]);
        assert_eq!(
            pieces,
            vec![vec![PointMm::new(0.0, 5.0), PointMm::new(10.0, 5.0)]]
        );
        let pieces = r.clip_polyline(&[
            PointMm::new(2.0, 2.0),
            PointMm::new(4.0, 2.0),
            PointMm::new(4.0, 20.0),
        ]);
        assert_eq!(pieces.len(), 1);
        assert_eq!(
            pieces[0],
            vec![
                PointMm::new(2.0, 2.0),
                PointMm::new(4.0, 2.0),
                PointMm::new(4.0, 10.0)
            ]
        );
        assert!(
            r.clip_polyline(&[PointMm::new(20.0, 20.0), PointMm::new(30.0, 30.0)])
                .is_empty()
        );
    }

    #[test]
    fn span_intersection() {
        let a = [(0.0, 5.0), (7.0, 10.0)];
        let b = [(3.0, 8.0)];
        assert_eq!(intersect_spans(&a, &b), vec![(3.0, 5.0), (7.0, 8.0)]);
    }
}
