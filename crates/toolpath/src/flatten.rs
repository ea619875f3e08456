//! Curves -> polylines within a chord tolerance (lyon_geom, in f64).

use burin_design::{DocPoint, PathEl};
use lyon::geom::{CubicBezierSegment, QuadraticBezierSegment, point};

/// A flattened subpath in doc space.
#[derive(Debug, Clone, PartialEq)]
pub struct Polyline {
    pub points: Vec<DocPoint>,
    /// Ends where it starts (explicit `Z`, or a path that returns to its start).
    pub closed: bool,
}

/// Flattens `path` so no point of a curve is further than `tolerance_mm` from its chord.
/// Closed subpaths end with their first point repeated.
pub fn flatten(path: &[PathEl], tolerance_mm: f64) -> Vec<Polyline> {
    let mut out = Vec::new();
    let mut cur: Vec<DocPoint> = Vec::new();
    let finish = |cur: &mut Vec<DocPoint>, explicit_close: bool, out: &mut Vec<Polyline>| {
        if cur.len() < 2 {
            cur.clear();
            return;
        }
        let first = cur[0];
        let last = cur[cur.len() - 1];
        let returns = (first.x - last.x).abs() < 1e-9 && (first.y - last.y).abs() < 1e-9;
        if explicit_close && !returns {
            cur.push(first);
        }
        let pts = std::mem::take(cur);
        if pts.len() >= 2 {
            out.push(Polyline {
                points: pts,
                closed: explicit_close || returns,
            });
        }
    };
    let p2 = |p: DocPoint| point(p.x, p.y);
    for el in path {
        match *el {
            PathEl::MoveTo(p) => {
                finish(&mut cur, false, &mut out);
                cur.push(p);
            }
            PathEl::LineTo(p) => push(&mut cur, p),
            PathEl::QuadTo(c, p) => {
                let Some(&from) = cur.last() else { continue };
                let seg = QuadraticBezierSegment {
                    from: p2(from),
                    ctrl: p2(c),
                    to: p2(p),
                };
                seg.for_each_flattened(tolerance_mm, &mut |l| {
                    push(&mut cur, DocPoint::new(l.to.x, l.to.y))
                });
            }
            PathEl::CubicTo(c1, c2, p) => {
                let Some(&from) = cur.last() else { continue };
                let seg = CubicBezierSegment {
                    from: p2(from),
                    ctrl1: p2(c1),
                    ctrl2: p2(c2),
                    to: p2(p),
                };
                seg.for_each_flattened(tolerance_mm, &mut |l| {
                    push(&mut cur, DocPoint::new(l.to.x, l.to.y))
                });
            }
            PathEl::Close => {
                let start = cur.first().copied();
                finish(&mut cur, true, &mut out);
                // SVG: after Z the current point is the subpath's start.
                if let Some(s) = start {
                    cur.push(s);
                }
            }
        }
    }
    finish(&mut cur, false, &mut out);
    out
}

/// Appends `p`, skipping exact repeats of the last point.
fn push(cur: &mut Vec<DocPoint>, p: DocPoint) {
    if cur.last().is_some_and(|l| l.x == p.x && l.y == p.y) {
        return;
    }
    cur.push(p);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circle(r: f64) -> Vec<PathEl> {
        // 4 cubic arcs, the way usvg writes a <circle>.
        let k = 0.552_284_749_8 * r;
        let p = DocPoint::new;
        vec![
            PathEl::MoveTo(p(r, 0.0)),
            PathEl::CubicTo(p(r, k), p(k, r), p(0.0, r)),
            PathEl::CubicTo(p(-k, r), p(-r, k), p(-r, 0.0)),
            PathEl::CubicTo(p(-r, -k), p(-k, -r), p(0.0, -r)),
            PathEl::CubicTo(p(k, -r), p(r, -k), p(r, 0.0)),
            PathEl::Close,
        ]
    }

    #[test]
    fn circle_length_is_within_a_tenth_of_a_percent() {
        // Chords fall short of the arc by about tolerance / (3 r) (relative): 0.1 % needs
        // r >= 3.3 mm at the default 0.01 mm tolerance, and a finer tolerance below that.
        for (r, tol) in [(1.0, 0.003), (3.5, 0.01), (10.0, 0.01), (100.0, 0.01)] {
            let lines = flatten(&circle(r), tol);
            assert_eq!(lines.len(), 1);
            assert!(lines[0].closed);
            let len: f64 = lines[0]
                .points
                .windows(2)
                .map(|w| (w[0].x - w[1].x).hypot(w[0].y - w[1].y))
                .sum();
            let want = 2.0 * std::f64::consts::PI * r;
            assert!((len - want).abs() / want < 0.001, "r={r}: {len} vs {want}");
        }
    }

    #[test]
    fn tolerance_bounds_the_chord_error() {
        let r = 50.0;
        for tol in [0.1, 0.01, 0.001] {
            let lines = flatten(&circle(r), tol);
            for w in lines[0].points.windows(2) {
                let mid = DocPoint::new((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0);
                let err = r - mid.x.hypot(mid.y);
                // The cubic approximation of a circle itself deviates by 0.027 % of r.
                assert!(err <= tol + r * 0.0003, "tol {tol}: chord error {err}");
            }
        }
    }

    #[test]
    fn open_and_closed_subpaths() {
        let p = DocPoint::new;
        let path = vec![
            PathEl::MoveTo(p(0.0, 0.0)),
            PathEl::LineTo(p(1.0, 0.0)),
            PathEl::LineTo(p(1.0, 1.0)),
            PathEl::Close,
            PathEl::LineTo(p(5.0, 5.0)),
            PathEl::MoveTo(p(9.0, 9.0)),
            PathEl::MoveTo(p(10.0, 10.0)),
            PathEl::LineTo(p(11.0, 10.0)),
        ];
        let lines = flatten(&path, 0.01);
        assert_eq!(lines.len(), 3);
        assert!(lines[0].closed);
        assert_eq!(lines[0].points.len(), 4);
        assert!(!lines[1].closed);
        assert_eq!(lines[1].points, vec![p(0.0, 0.0), p(5.0, 5.0)]);
        assert!(!lines[2].closed);
    }
}
