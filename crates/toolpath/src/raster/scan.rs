//! From an image layer to scan lines: resample to the line interval, adjust, dither, then one
//! row of lit spans per pixel row, equal neighbours merged and blank rows skipped. The moves
//! (overscan, directions, rapids over long gaps) come from [`crate::Scan`].

use burin_design::{Bitmap, DitherKind, DocPoint, ImageSettings, Operation, ScanDirection};

use super::{Adjust, Dither, Gray, Levels, adjust, dither, resample_luma8};
use crate::model::{ScanLine, Span};
use crate::place::MachineFromDoc;

/// Extra overscan beyond the distance needed to reach speed, mm.
const OVERSCAN_MARGIN_MM: f64 = 0.5;
/// And as a factor on that distance (GRBL's trapezoid, junction and rounding).
const OVERSCAN_FACTOR: f64 = 1.2;

/// The overscan for a feed: the distance to reach it at `accel_mm_s2` (v²/2a), plus a margin.
pub fn auto_overscan_mm(feed_mm_min: f64, accel_mm_s2: f64) -> f64 {
    let v = feed_mm_min / 60.0;
    let a = if accel_mm_s2.is_finite() && accel_mm_s2 > 0.0 {
        accel_mm_s2
    } else {
        1000.0
    };
    (v * v / (2.0 * a) * OVERSCAN_FACTOR + OVERSCAN_MARGIN_MM).min(100.0)
}

/// The dither of a layer's settings.
pub fn dither_for(s: &ImageSettings) -> Dither {
    match s.dither {
        DitherKind::Threshold => Dither::Threshold {
            level: s.threshold as f32,
        },
        DitherKind::Bayer4 => Dither::Bayer4,
        DitherKind::Bayer8 => Dither::Bayer8,
        DitherKind::FloydSteinberg => Dither::FloydSteinberg,
        DitherKind::Jarvis => Dither::JarvisJudiceNinke,
        DitherKind::Stucki => Dither::Stucki,
        DitherKind::Atkinson => Dither::Atkinson,
        DitherKind::Burkes => Dither::Burkes,
        DitherKind::Sierra3 => Dither::Sierra3,
        DitherKind::Sierra2 => Dither::Sierra2,
        DitherKind::SierraLite => Dither::SierraLite,
        DitherKind::Halftone => Dither::Halftone {
            cells_per_mm: s.halftone_cells_per_mm as f32,
            angle_deg: s.halftone_angle_deg as f32,
        },
        DitherKind::Grayscale => Dither::Grayscale,
    }
}

/// The processed image: one level per pixel of `interval` size (what the burn should match).
pub fn process(bitmap: &Bitmap, s: &ImageSettings) -> Levels {
    let px = s.interval_mm;
    let cols = (bitmap.size_mm.0 / px).round().max(1.0) as usize;
    let rows = (bitmap.size_mm.1 / px).round().max(1.0) as usize;
    let mut img = resample_luma8(
        bitmap.width_px as usize,
        bitmap.height_px as usize,
        &bitmap.luma,
        cols,
        rows,
    )
    // A bitmap whose size disagrees with its pixels burns nothing rather than garbage.
    .unwrap_or_else(|| Gray::new(cols, rows, 1.0));
    adjust(
        &mut img,
        &Adjust {
            brightness: s.brightness as f32,
            contrast: s.contrast as f32,
            gamma: s.gamma as f32,
            invert: s.invert,
        },
    );
    dither(&img, &dither_for(s), px as f32)
}

/// Power of a level: off at 0; binary dithers burn at max; grayscale spreads min..max.
fn power_of(level: u8, op: &Operation) -> f64 {
    if level == 0 {
        return 0.0;
    }
    let f = f64::from(level) / 255.0;
    op.power_min_pct + (op.power_max_pct - op.power_min_pct) * f
}

/// The scan lines of an image layer in the frame of its scan direction (see
/// [`crate::Scan::angle_deg`]; the angle is returned), absolute frame `t`. Horizontal: one
/// line per pixel row, top row first. Vertical: one per pixel column, left column first, the
/// rows' frame turned 90° (a line's `y` is minus the column's machine X, spans run along
/// machine Y). Pixel edges sit on the interval grid from the image's corner.
pub fn scan_lines(
    bitmap: &Bitmap,
    op: &Operation,
    t: &MachineFromDoc,
) -> (Levels, Vec<ScanLine>, f64) {
    let levels = process(bitmap, &op.image);
    let px = op.image.interval_mm;
    let (left, top) = (bitmap.top_left.x, bitmap.top_left.y);
    // Only grayscale has levels between off and full; binary dithers merge equal pixels.
    let tolerance = match op.image.dither {
        DitherKind::Grayscale => u16::from(op.image.gray_tolerance),
        _ => 0,
    };
    let (w, h) = (levels.width, levels.height);
    let mut lines = Vec::new();
    let angle = match op.image.scan {
        ScanDirection::Horizontal => {
            for r in 0..h {
                let row = levels.row(r);
                let y_doc = top + (r as f64 + 0.5) * px;
                let y = t.apply(DocPoint::new(left, y_doc)).y;
                let edge = |i: usize| t.apply(DocPoint::new(left + i as f64 * px, y_doc)).x;
                let spans = spans_of(w, |i| row[i], edge, tolerance, op);
                if !spans.is_empty() {
                    lines.push(ScanLine { y, spans });
                }
            }
            0.0
        }
        ScanDirection::Vertical => {
            for c in 0..w {
                let x = t.apply(DocPoint::new(left + (c as f64 + 0.5) * px, top)).x;
                // Along the line, machine Y upwards: pixel i is image row h - 1 - i, from
                // the bottom edge of the picture.
                let level = |i: usize| levels.row(h - 1 - i)[c];
                let edge = |i: usize| t.apply(DocPoint::new(left, top + (h - i) as f64 * px)).y;
                let spans = spans_of(h, level, edge, tolerance, op);
                if !spans.is_empty() {
                    lines.push(ScanLine { y: -x, spans });
                }
            }
            90.0
        }
    };
    (levels, lines, angle)
}

/// The lit spans of one line of `n` pixels: pixel `i` has `level(i)` and runs from `edge(i)`
/// to `edge(i + 1)` (increasing). Off stays off; lit pixels join while the run's spread stays
/// within twice `tolerance`, so its middle level is within the tolerance of each pixel.
fn spans_of(
    n: usize,
    level: impl Fn(usize) -> u8,
    edge: impl Fn(usize) -> f64,
    tolerance: u16,
    op: &Operation,
) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut c = 0;
    while c < n {
        let start = c;
        let (mut lo, mut hi) = (level(c), level(c));
        c += 1;
        while c < n {
            let v = level(c);
            let (l, h) = (lo.min(v), hi.max(v));
            if (v == 0) != (lo == 0) || u16::from(h - l) > 2 * tolerance {
                break;
            }
            (lo, hi) = (l, h);
            c += 1;
        }
        if lo == 0 {
            continue;
        }
        let mid = ((u16::from(lo) + u16::from(hi)) / 2) as u8;
        spans.push(Span {
            x0: edge(start),
            x1: edge(c),
            power_pct: power_of(mid, op),
        });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Move, PointMm, Scan};
    use burin_design::Mode;

    fn bitmap(w: u32, h: u32, f: impl Fn(u32, u32) -> u8) -> Bitmap {
        let luma = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        Bitmap {
            width_px: w,
            height_px: h,
            luma,
            top_left: DocPoint::new(10.0, 20.0),
            size_mm: (f64::from(w) * 0.1, f64::from(h) * 0.1),
        }
    }

    fn op(dither: DitherKind) -> Operation {
        let mut op = Operation::defaults_for(Mode::Image);
        op.image.dither = dither;
        op.power_max_pct = 50.0;
        op
    }

    #[test]
    fn rows_land_on_the_pixel_grid_and_merge_equal_pixels() {
        // 10 x 3 px at 0.1 mm: a black bar in columns 2..6 of the middle row only.
        let b = bitmap(10, 3, |x, y| {
            if y == 1 && (2..6).contains(&x) {
                0
            } else {
                255
            }
        });
        let t = MachineFromDoc { dx: 0.0, dy: 100.0 };
        let (levels, lines, _) = scan_lines(&b, &op(DitherKind::Threshold), &t);
        assert_eq!((levels.width, levels.height), (10, 3));
        assert_eq!(lines.len(), 1, "blank rows are skipped");
        let l = &lines[0];
        assert!((l.y - (100.0 - 20.15)).abs() < 1e-9, "{}", l.y);
        assert_eq!(l.spans.len(), 1);
        assert!((l.spans[0].x0 - 10.2).abs() < 1e-9 && (l.spans[0].x1 - 10.6).abs() < 1e-9);
        assert_eq!(l.spans[0].power_pct, 50.0);
    }

    #[test]
    fn grayscale_maps_power_between_min_and_max() {
        let b = bitmap(3, 1, |x, _| [0u8, 128, 255][x as usize]);
        let mut o = op(DitherKind::Grayscale);
        o.image.gray_tolerance = 0;
        o.power_min_pct = 10.0;
        let t = MachineFromDoc { dx: 0.0, dy: 0.0 };
        let (_, lines, _) = scan_lines(&b, &o, &t);
        let p: Vec<f64> = lines[0].spans.iter().map(|s| s.power_pct).collect();
        assert_eq!(p.len(), 2, "white is off");
        assert!((p[0] - 50.0).abs() < 1e-9);
        assert!(p[1] > 10.0 && p[1] < 50.0, "{p:?}");
    }

    #[test]
    fn grayscale_merges_levels_within_the_tolerance_and_never_lights_white() {
        // Luma 255 - level, so the processed levels are 0, 10, 11, 12, 13, 0, 40, 41.
        let levels = [0u8, 10, 11, 12, 13, 0, 40, 41];
        let b = bitmap(8, 1, |x, _| 255 - levels[x as usize]);
        let mut o = op(DitherKind::Grayscale);
        o.power_max_pct = 100.0;
        let t = MachineFromDoc { dx: 0.0, dy: 0.0 };
        let spans = |tol: u8| {
            let mut o = o;
            o.image.gray_tolerance = tol;
            let (lv, lines, _) = scan_lines(&b, &o, &t);
            assert_eq!(lv.row(0), levels, "resampling at 1:1 keeps the levels");
            lines[0]
                .spans
                .iter()
                .map(|s| {
                    (
                        ((s.x1 - s.x0) / 0.1).round() as u32,
                        (s.power_pct * 2.55).round() as u8,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            spans(0),
            vec![(1, 10), (1, 11), (1, 12), (1, 13), (1, 40), (1, 41)]
        );
        // Within 1: 10..12 (middle 11), then 13 alone, and 40..41 (middle 40).
        assert_eq!(spans(1), vec![(3, 11), (1, 13), (2, 40)]);
        assert_eq!(spans(2), vec![(4, 11), (2, 40)]);
    }

    #[test]
    fn moves_overscan_alternate_and_jump_long_gaps() {
        let lines = vec![
            ScanLine {
                y: 1.0,
                spans: vec![
                    Span {
                        x0: 0.0,
                        x1: 1.0,
                        power_pct: 50.0,
                    },
                    Span {
                        x0: 1.5,
                        x1: 2.0,
                        power_pct: 20.0,
                    },
                    Span {
                        x0: 30.0,
                        x1: 31.0,
                        power_pct: 50.0,
                    },
                ],
            },
            ScanLine {
                y: 0.9,
                spans: vec![Span {
                    x0: 0.0,
                    x1: 1.0,
                    power_pct: 50.0,
                }],
            },
        ];
        let scan = |lines: &[ScanLine], bidirectional, min_x: Option<f64>| Scan {
            lines: lines.to_vec(),
            bidirectional,
            overscan_mm: 2.0,
            bed_min: min_x.map(|x| PointMm::new(x, 0.0)),
            passes: 1,
            angle_deg: 0.0,
        };
        let mut moves = Vec::new();
        let s = scan(&lines, true, None);
        let end = s.for_each_move(PointMm::default(), |m| moves.push(m));
        assert!(!s.overscan_shortened());
        // Row 1 forward: rapid to -2, S0 to 0, burn, rapid hop over the small gap, burn, overscan,
        // rapid over the 28 mm gap, overscan in, burn, overscan out.
        let expect = [
            Move::Rapid {
                to: PointMm::new(-2.0, 1.0),
            },
            Move::Cut {
                to: PointMm::new(0.0, 1.0),
                power_pct: 0.0,
            },
            Move::Cut {
                to: PointMm::new(1.0, 1.0),
                power_pct: 50.0,
            },
            Move::Rapid {
                to: PointMm::new(1.5, 1.0),
            },
            Move::Cut {
                to: PointMm::new(2.0, 1.0),
                power_pct: 20.0,
            },
            Move::Cut {
                to: PointMm::new(4.0, 1.0),
                power_pct: 0.0,
            },
            Move::Rapid {
                to: PointMm::new(28.0, 1.0),
            },
            Move::Cut {
                to: PointMm::new(30.0, 1.0),
                power_pct: 0.0,
            },
            Move::Cut {
                to: PointMm::new(31.0, 1.0),
                power_pct: 50.0,
            },
            Move::Cut {
                to: PointMm::new(33.0, 1.0),
                power_pct: 0.0,
            },
            // Row 2 backward.
            Move::Rapid {
                to: PointMm::new(3.0, 0.9),
            },
            Move::Cut {
                to: PointMm::new(1.0, 0.9),
                power_pct: 0.0,
            },
            Move::Cut {
                to: PointMm::new(0.0, 0.9),
                power_pct: 50.0,
            },
            Move::Cut {
                to: PointMm::new(-2.0, 0.9),
                power_pct: 0.0,
            },
        ];
        assert_eq!(moves, expect);
        assert_eq!(end, PointMm::new(-2.0, 0.9));
        // At the bed's edge the overscan stops at x = 0.
        let mut moves = Vec::new();
        let s = scan(&lines[1..], false, Some(0.0));
        let end = s.for_each_move(PointMm::default(), |m| moves.push(m));
        assert!(s.overscan_shortened());
        assert_eq!(
            moves[0],
            Move::Rapid {
                to: PointMm::new(0.0, 0.9)
            }
        );
        assert_eq!(
            moves[1],
            Move::Cut {
                to: PointMm::new(1.0, 0.9),
                power_pct: 50.0
            }
        );
        assert_eq!(end, PointMm::new(3.0, 0.9));
    }

    #[test]
    fn overscan_follows_feed_and_acceleration() {
        // 6000 mm/min = 100 mm/s at 1000 mm/s²: 5 mm to reach speed, plus the margin.
        let d = auto_overscan_mm(6000.0, 1000.0);
        assert!((d - (5.0 * 1.2 + 0.5)).abs() < 1e-9, "{d}");
        assert!(auto_overscan_mm(6000.0, f64::NAN).is_finite());
    }
}
