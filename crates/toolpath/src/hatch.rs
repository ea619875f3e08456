//! Scan-line fill of closed shapes: spans per line under the shape's fill rule, intersected
//! with its clip regions, chained zig-zag into runs where the link between two lines stays
//! inside the shape.

use burin_design::{FillRule, FillSettings};

use crate::model::PointMm;
use crate::region::{Region, crossing, intersect_spans, spans_from_crossings};
use crate::run::Run;

/// Hatches `area` (clipped to every region of `clips`) with lines `interval_mm` apart at
/// `angle_deg`. Returns runs ready for ordering; links between lines are unlit segments.
pub fn hatch(area: &Region, clips: &[Region], settings: &FillSettings, angle_deg: f64) -> Vec<Run> {
    let interval = settings.interval_mm;
    if area.is_empty() || interval <= 0.0 {
        return Vec::new();
    }
    let (sin, cos) = angle_deg.to_radians().sin_cos();
    // Rotate by -angle so scan lines are horizontal; rotate results back.
    let rot = |p: PointMm| PointMm::new(p.x * cos + p.y * sin, -p.x * sin + p.y * cos);
    let unrot = |p: PointMm| PointMm::new(p.x * cos - p.y * sin, p.x * sin + p.y * cos);
    let rotated = |r: &Region| {
        Scanner::new(
            r.edges.iter().map(|&(a, b)| (rot(a), rot(b))).collect(),
            r.rule,
            interval,
        )
    };
    let shape = rotated(area);
    let clips: Vec<Scanner> = clips.iter().map(rotated).collect();
    let Some((k0, k1)) = shape.line_range() else {
        return Vec::new();
    };

    // Spans on the scan lines (k + 0.5) * interval and on the half-lines between them (used to
    // check that a link from one line to the next stays inside).
    let spans_at = |y: f64| {
        let mut s = shape.spans(y);
        for c in &clips {
            s = intersect_spans(&s, &c.spans(y));
        }
        s.retain(|&(a, b)| b - a > 1e-6);
        s
    };
    let lines: Vec<Vec<(f64, f64)>> = (k0..=k1)
        .map(|k| spans_at((k as f64 + 0.5) * interval))
        .collect();
    let halves: Vec<Vec<(f64, f64)>> = (k0..k1)
        .map(|k| spans_at((k as f64 + 1.0) * interval))
        .collect();
    let mut used: Vec<Vec<bool>> = lines.iter().map(|l| vec![false; l.len()]).collect();
    let y_of = |i: usize| (k0 as f64 + i as f64 + 0.5) * interval;

    let mut runs = Vec::new();
    for start_line in 0..lines.len() {
        for start_span in 0..lines[start_line].len() {
            if used[start_line][start_span] {
                continue;
            }
            used[start_line][start_span] = true;
            let (a, b) = lines[start_line][start_span];
            let y = y_of(start_line);
            let mut pts = vec![PointMm::new(a, y), PointMm::new(b, y)];
            let mut lit = vec![true];
            let mut at_right = true;
            let mut span = (a, b);
            let mut line = start_line;
            while settings.bidirectional && line + 1 < lines.len() {
                let next = line + 1;
                let exit_x = if at_right { span.1 } else { span.0 };
                // The unused overlapping span on the next line whose near end is closest.
                let cand = lines[next]
                    .iter()
                    .enumerate()
                    .filter(|&(j, s)| !used[next][j] && s.0 < span.1 && s.1 > span.0)
                    .min_by(|(_, s), (_, t)| {
                        let ds = (if at_right { s.1 } else { s.0 } - exit_x).abs();
                        let dt = (if at_right { t.1 } else { t.0 } - exit_x).abs();
                        ds.total_cmp(&dt)
                    });
                let Some((j, &s)) = cand else { break };
                let enter_x = if at_right { s.1 } else { s.0 };
                // Nudge the link's midpoint towards the inside and test it on the half-line.
                let nudge = (interval * 0.25)
                    .min((s.1 - s.0) * 0.25)
                    .min((span.1 - span.0) * 0.25);
                let mid = (exit_x + enter_x) / 2.0 + if at_right { -nudge } else { nudge };
                if !halves[line].iter().any(|&(l, r)| l <= mid && mid <= r) {
                    break;
                }
                used[next][j] = true;
                let ny = y_of(next);
                let far_x = if at_right { s.0 } else { s.1 };
                pts.push(PointMm::new(enter_x, ny));
                lit.push(false);
                pts.push(PointMm::new(far_x, ny));
                lit.push(true);
                at_right = !at_right;
                span = s;
                line = next;
            }
            runs.push(Run {
                points: pts.into_iter().map(unrot).collect(),
                lit,
                closed: false,
            });
        }
    }
    runs
}

/// Edges bucketed by scan line, so each line only looks at the edges that cross it.
pub(crate) struct Scanner {
    edges: Vec<(PointMm, PointMm)>,
    rule: FillRule,
    interval: f64,
    y_lo: f64,
    y_hi: f64,
    /// Edge indices per band of height `interval` starting at `band0 * interval`.
    bands: Vec<Vec<usize>>,
    band0: i64,
}

impl Scanner {
    pub(crate) fn new(edges: Vec<(PointMm, PointMm)>, rule: FillRule, interval: f64) -> Self {
        let y_lo = edges
            .iter()
            .map(|e| e.0.y.min(e.1.y))
            .fold(f64::MAX, f64::min);
        let y_hi = edges
            .iter()
            .map(|e| e.0.y.max(e.1.y))
            .fold(f64::MIN, f64::max);
        let mut s = Scanner {
            edges,
            rule,
            interval,
            y_lo,
            y_hi,
            bands: Vec::new(),
            band0: 0,
        };
        if s.edges.is_empty() {
            return s;
        }
        s.band0 = (y_lo / interval).floor() as i64;
        let n = ((y_hi / interval).floor() as i64 - s.band0 + 1).max(1) as usize;
        s.bands = vec![Vec::new(); n];
        for (i, e) in s.edges.iter().enumerate() {
            let b0 = s.band(e.0.y.min(e.1.y));
            let b1 = s.band(e.0.y.max(e.1.y));
            for b in &mut s.bands[b0..=b1] {
                b.push(i);
            }
        }
        s
    }

    fn band(&self, y: f64) -> usize {
        let b = (y / self.interval).floor() as i64 - self.band0;
        b.clamp(0, self.bands.len() as i64 - 1) as usize
    }

    /// The first and last scan line index k with (k + 0.5) * interval inside the y range.
    pub(crate) fn line_range(&self) -> Option<(i64, i64)> {
        if self.edges.is_empty() {
            return None;
        }
        let k0 = (self.y_lo / self.interval - 0.5).ceil() as i64;
        let k1 = (self.y_hi / self.interval - 0.5).floor() as i64;
        (k1 >= k0).then_some((k0, k1))
    }

    pub(crate) fn spans(&self, y: f64) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        if self.edges.is_empty() || y < self.y_lo || y > self.y_hi {
            return out;
        }
        let mut xs: Vec<(f64, i32)> = self.bands[self.band(y)]
            .iter()
            .filter_map(|&i| crossing(self.edges[i].0, self.edges[i].1, y))
            .collect();
        spans_from_crossings(&mut xs, self.rule, &mut out);
        out
    }
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

    fn lit_length(runs: &[Run]) -> f64 {
        runs.iter()
            .map(|r| {
                r.points
                    .windows(2)
                    .enumerate()
                    .filter(|(i, _)| r.is_lit(*i))
                    .map(|(_, w)| w[0].distance_to(w[1]))
                    .sum::<f64>()
            })
            .sum()
    }

    #[test]
    fn a_square_is_one_zig_zag_run() {
        let region = Region::new(&[square(0.0, 0.0, 10.0)], FillRule::NonZero);
        let runs = hatch(
            &region,
            &[],
            &FillSettings {
                interval_mm: 1.0,
                ..Default::default()
            },
            0.0,
        );
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].points.len(), 20);
        assert!((lit_length(&runs) - 100.0).abs() < 1e-9);
        // Lines at y = 0.5, 1.5, ... 9.5 alternate direction.
        assert_eq!(runs[0].points[0], PointMm::new(0.0, 0.5));
        assert_eq!(runs[0].points[1], PointMm::new(10.0, 0.5));
        assert_eq!(runs[0].points[2], PointMm::new(10.0, 1.5));
    }

    #[test]
    fn unidirectional_gives_one_run_per_line() {
        let region = Region::new(&[square(0.0, 0.0, 10.0)], FillRule::NonZero);
        let s = FillSettings {
            interval_mm: 1.0,
            bidirectional: false,
            ..Default::default()
        };
        let runs = hatch(&region, &[], &s, 0.0);
        assert_eq!(runs.len(), 10);
        assert!(
            runs.iter()
                .all(|r| r.points[0].x == 0.0 && r.points[1].x == 10.0)
        );
    }

    #[test]
    fn even_odd_hole_is_not_burned_and_not_crossed_by_links() {
        let polys = [square(0.0, 0.0, 10.0), square(3.0, 3.0, 4.0)];
        let region = Region::new(&polys, FillRule::EvenOdd);
        let runs = hatch(
            &region,
            &[],
            &FillSettings {
                interval_mm: 0.5,
                ..Default::default()
            },
            0.0,
        );
        assert!(
            (lit_length(&runs) * 0.5 - (100.0 - 16.0)).abs() < 1e-6,
            "{}",
            lit_length(&runs)
        );
        let hole = Region::new(&[square(3.01, 3.01, 3.98)], FillRule::NonZero); // strict interior
        for r in &runs {
            for w in r.points.windows(2) {
                let mid = PointMm::new((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0);
                assert!(!hole.contains(mid), "a move crosses the hole at {mid:?}");
            }
        }
        // Under non-zero the same polygons are one solid square.
        let solid = Region::new(&polys, FillRule::NonZero);
        let runs = hatch(
            &solid,
            &[],
            &FillSettings {
                interval_mm: 0.5,
                ..Default::default()
            },
            0.0,
        );
        assert!((lit_length(&runs) * 0.5 - 100.0).abs() < 1e-6);
    }

    #[test]
    fn angled_hatch_covers_the_same_area() {
        let region = Region::new(&[square(0.0, 0.0, 10.0)], FillRule::NonZero);
        for angle in [0.0, 30.0, 45.0, 90.0, 135.0] {
            let runs = hatch(
                &region,
                &[],
                &FillSettings {
                    interval_mm: 0.1,
                    ..Default::default()
                },
                angle,
            );
            let area = lit_length(&runs) * 0.1;
            assert!((area - 100.0).abs() < 1.5, "angle {angle}: area {area}");
            for r in &runs {
                for p in &r.points {
                    assert!(p.x > -1e-6 && p.x < 10.0 + 1e-6 && p.y > -1e-6 && p.y < 10.0 + 1e-6);
                }
            }
        }
    }

    #[test]
    fn clip_regions_limit_the_fill() {
        let region = Region::new(&[square(0.0, 0.0, 10.0)], FillRule::NonZero);
        let clip = Region::new(&[square(5.0, 5.0, 10.0)], FillRule::NonZero);
        let runs = hatch(
            &region,
            &[clip],
            &FillSettings {
                interval_mm: 0.5,
                ..Default::default()
            },
            0.0,
        );
        assert!((lit_length(&runs) * 0.5 - 25.0).abs() < 1e-6);
    }
}
