//! Fill layers scanned as one region: every shape's inside (by its own fill rule, within its
//! clip paths) is united row by row, so overlapping shapes burn once, and the rows are burned
//! like a raster ([`crate::Scan`]: overscan, rapids over blanks).

use burin_design::Shape;

use crate::flatten::flatten;
use crate::hatch::Scanner;
use crate::model::{PointMm, ScanLine, Span};
use crate::place::MachineFromDoc;

/// The rows of `shapes` filled at `interval_mm`, in the frame rotated by `angle_deg` (see
/// [`crate::Scan::angle_deg`]), top row first. Rows sit at `(k + 0.5) * interval` in that
/// frame, the same grid as shape-by-shape hatching.
pub(crate) fn region_scan_lines<'a>(
    shapes: impl IntoIterator<Item = &'a Shape>,
    t: &MachineFromDoc,
    tolerance_mm: f64,
    interval_mm: f64,
    angle_deg: f64,
    power_pct: f64,
) -> Vec<ScanLine> {
    if !(interval_mm.is_finite() && interval_mm > 0.0) {
        return Vec::new();
    }
    let (sin, cos) = crate::scan::sin_cos_deg(angle_deg);
    // Machine space into the rows' frame (rotation by -angle).
    let rot = |p: PointMm| PointMm::new(p.x * cos + p.y * sin, -p.x * sin + p.y * cos);
    let scanner = |paths: &[Vec<PointMm>], rule| {
        let mut edges = Vec::new();
        for poly in paths.iter().filter(|p| p.len() >= 2) {
            for (i, &a) in poly.iter().enumerate() {
                let b = poly[(i + 1) % poly.len()];
                if a != b {
                    edges.push((rot(a), rot(b)));
                }
            }
        }
        Scanner::new(edges, rule, interval_mm)
    };
    let to_machine = |pts: &[burin_design::DocPoint]| -> Vec<PointMm> {
        pts.iter().map(|p| t.apply(*p)).collect()
    };

    // Spans per row index k, from every shape.
    let mut rows: std::collections::BTreeMap<i64, Vec<(f64, f64)>> = Default::default();
    for shape in shapes {
        let polys: Vec<Vec<PointMm>> = flatten(&shape.path, tolerance_mm)
            .iter()
            .map(|l| to_machine(&l.points))
            .collect();
        let area = scanner(&polys, shape.fill_rule);
        let clips: Vec<Scanner> = shape
            .clips
            .iter()
            .map(|c| {
                let polys: Vec<Vec<PointMm>> = c
                    .paths
                    .iter()
                    .flat_map(|p| flatten(p, tolerance_mm))
                    .map(|l| to_machine(&l.points))
                    .collect();
                scanner(&polys, c.rule)
            })
            .collect();
        let Some((k0, k1)) = area.line_range() else {
            continue;
        };
        for k in k0..=k1 {
            let y = (k as f64 + 0.5) * interval_mm;
            let mut spans = area.spans(y);
            for c in &clips {
                spans = crate::region::intersect_spans(&spans, &c.spans(y));
            }
            spans.retain(|&(a, b)| b - a > 1e-6);
            if !spans.is_empty() {
                rows.entry(k).or_default().extend(spans);
            }
        }
    }

    rows.into_iter()
        .rev()
        .map(|(k, mut spans)| {
            // Union: sort by start, merge what overlaps or touches.
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
            for (a, b) in spans {
                match merged.last_mut() {
                    Some(last) if a <= last.x1 + 1e-9 => last.x1 = last.x1.max(b),
                    _ => merged.push(Span {
                        x0: a,
                        x1: b,
                        power_pct,
                    }),
                }
            }
            ScanLine {
                y: (k as f64 + 0.5) * interval_mm,
                spans: merged,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burin_design::{DocPoint, FillRule, PathEl};

    fn rect(x: f64, y: f64, w: f64, h: f64, rule: FillRule) -> Shape {
        let p = DocPoint::new;
        Shape {
            id: String::new(),
            path: vec![
                PathEl::MoveTo(p(x, y)),
                PathEl::LineTo(p(x + w, y)),
                PathEl::LineTo(p(x + w, y + h)),
                PathEl::LineTo(p(x, y + h)),
                PathEl::Close,
            ],
            fill_rule: rule,
            clips: Vec::new(),
        }
    }

    fn lit_length(lines: &[ScanLine]) -> f64 {
        lines
            .iter()
            .flat_map(|l| &l.spans)
            .map(|s| s.x1 - s.x0)
            .sum()
    }

    const T: MachineFromDoc = MachineFromDoc { dx: 0.0, dy: 100.0 };

    #[test]
    fn overlapping_shapes_burn_once() {
        // Two 10 x 10 squares overlapping by half: 150 mm² of area, 1 mm rows.
        let a = rect(0.0, 0.0, 10.0, 10.0, FillRule::NonZero);
        let b = rect(5.0, 0.0, 10.0, 10.0, FillRule::NonZero);
        let lines = region_scan_lines([&a, &b], &T, 0.01, 1.0, 0.0, 30.0);
        assert_eq!(lines.len(), 10);
        assert!((lit_length(&lines) - 150.0).abs() < 1e-9);
        assert!(lines.iter().all(|l| l.spans.len() == 1));
        assert!(lines[0].y > lines[9].y, "top row first");
        assert_eq!(lines[0].spans[0].power_pct, 30.0);
    }

    #[test]
    fn each_shape_keeps_its_own_fill_rule_and_gaps_stay_blank() {
        // A ring under even-odd (hole in the middle) and a separate square to the right.
        let p = DocPoint::new;
        let ring = Shape {
            id: String::new(),
            path: vec![
                PathEl::MoveTo(p(0.0, 0.0)),
                PathEl::LineTo(p(10.0, 0.0)),
                PathEl::LineTo(p(10.0, 10.0)),
                PathEl::LineTo(p(0.0, 10.0)),
                PathEl::Close,
                PathEl::MoveTo(p(3.0, 3.0)),
                PathEl::LineTo(p(7.0, 3.0)),
                PathEl::LineTo(p(7.0, 7.0)),
                PathEl::LineTo(p(3.0, 7.0)),
                PathEl::Close,
            ],
            fill_rule: FillRule::EvenOdd,
            clips: Vec::new(),
        };
        let sq = rect(20.0, 0.0, 5.0, 10.0, FillRule::NonZero);
        let lines = region_scan_lines([&ring, &sq], &T, 0.01, 1.0, 0.0, 50.0);
        assert!((lit_length(&lines) - (100.0 - 16.0 + 50.0)).abs() < 1e-9);
        // A row through the hole: ring left, ring right, square.
        let mid = lines
            .iter()
            .find(|l| (l.y - 95.0).abs() < 0.6)
            .expect("a middle row");
        assert_eq!(mid.spans.len(), 3, "{mid:?}");
    }

    #[test]
    fn angled_rows_cover_the_same_area() {
        let a = rect(0.0, 0.0, 20.0, 20.0, FillRule::NonZero);
        let lines = region_scan_lines([&a], &T, 0.01, 0.1, 30.0, 30.0);
        // Area = rows x interval, within the rows' discretisation.
        let area = lit_length(&lines) * 0.1;
        assert!((area - 400.0).abs() < 4.0, "{area}");
    }
}
