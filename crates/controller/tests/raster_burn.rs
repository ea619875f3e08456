//! The burn matches the picture: emitted G-code is replayed onto a pixel grid (an independent
//! G-code interpreter, `burin_gcode::preview`) and compared with the processed image, pixel by
//! pixel. Catches off-by-one rows, burning in the overscan, bidirectional offsets and
//! rounding drift.

mod common;

use std::sync::Arc;

use burin_controller::{ConvertSettings, convert_document};
use burin_design::{
    Bitmap, DitherKind, DocPoint, Document, ImageImportOptions, ImportInfo, Layer, LayerSource,
    Mode, Operation, Rgb, import_image_file,
};
use burin_gcode::{MachineProfile, SegKindPreview, preview};
use burin_toolpath::raster::process;

const S_MAX: f64 = 1000.0;

fn doc_with(bitmap: Bitmap, op: Operation) -> Document {
    let mut layer = Layer::new(Rgb(0, 0, 0), LayerSource::Fill);
    layer.operation = op;
    let page = (bitmap.size_mm.0 + 40.0, bitmap.size_mm.1 + 40.0);
    layer.image = Some(Arc::new(bitmap));
    Document {
        size_mm: page,
        layers: vec![layer],
        info: ImportInfo::default(),
    }
}

/// A test card: gradient left to right, a dark disc, a white band, a black frame.
fn test_card(w: u32, h: u32, at: DocPoint, size_mm: (f64, f64)) -> Bitmap {
    let mut luma = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
            let d = ((fx - 0.6).powi(2) + (fy - 0.5).powi(2)).sqrt();
            let v = if x < 2 || y < 2 || x >= w - 2 || y >= h - 2 {
                0.0
            } else if (0.45..0.55).contains(&fy) {
                1.0
            } else if d < 0.2 {
                0.1
            } else {
                fx
            };
            luma.push((v * 255.0).round() as u8);
        }
    }
    Bitmap {
        width_px: w,
        height_px: h,
        luma,
        top_left: at,
        size_mm,
    }
}

/// Replays the program: the power (S) that burned at each pixel centre of the image grid.
/// Panics on a burn outside the image (an overscan that fires) or a row off the grid.
fn replay(program: &burin_gcode::Program, b: &Bitmap, interval: f64, page_h: f64) -> Vec<f64> {
    let cols = (b.size_mm.0 / interval).round() as usize;
    let rows = (b.size_mm.1 / interval).round() as usize;
    let left = b.top_left.x;
    let top_machine = page_h - b.top_left.y;
    let mut burned = vec![0.0; cols * rows];
    let p = preview(program, S_MAX);
    for s in p.segments.iter().filter(|s| s.kind == SegKindPreview::Cut) {
        if (s.from[0] - s.to[0]).abs() < 1e-4 && (s.from[1] - s.to[1]).abs() > 1e-4 {
            burn_column(&mut burned, s, b, interval, page_h, (cols, rows));
            continue;
        }
        let (x0, x1) = (
            f64::from(s.from[0].min(s.to[0])),
            f64::from(s.from[0].max(s.to[0])),
        );
        let y = f64::from(s.from[1]);
        assert!(
            (s.from[1] - s.to[1]).abs() < 1e-4,
            "a raster burn must be horizontal or vertical: {s:?}"
        );
        let row_f = (top_machine - y) / interval - 0.5;
        let row = row_f.round();
        assert!(
            (row_f - row).abs() < 0.01,
            "row {row_f} is off the pixel grid"
        );
        assert!(
            row >= 0.0 && (row as usize) < rows,
            "burn outside the image at y {y}"
        );
        assert!(
            x0 >= left - 1e-3 && x1 <= left + cols as f64 * interval + 1e-3,
            "burn outside the image (overscan?) from x {x0} to {x1}"
        );
        let c0 = ((x0 - left) / interval - 0.5).ceil().max(0.0) as usize;
        let c1 = ((x1 - left) / interval - 0.5).floor() as isize;
        for c in c0..=(c1.max(-1) as usize).min(cols.saturating_sub(1)) {
            if (c as isize) <= c1 {
                burned[row as usize * cols + c] = f64::from(s.power) * S_MAX;
            }
        }
    }
    burned
}

/// A vertical burn (a picture scanned by columns): its column, and the pixel rows whose
/// centres it covers.
fn burn_column(
    burned: &mut [f64],
    s: &burin_gcode::PreviewSeg,
    b: &Bitmap,
    interval: f64,
    page_h: f64,
    (cols, rows): (usize, usize),
) {
    let x = f64::from(s.from[0]);
    let col_f = (x - b.top_left.x) / interval - 0.5;
    let col = col_f.round();
    assert!(
        (col_f - col).abs() < 0.01,
        "column {col_f} is off the pixel grid"
    );
    assert!(
        col >= 0.0 && (col as usize) < cols,
        "burn outside the image at x {x}"
    );
    let top_machine = page_h - b.top_left.y;
    let (y0, y1) = (
        f64::from(s.from[1].min(s.to[1])),
        f64::from(s.from[1].max(s.to[1])),
    );
    let bottom = top_machine - rows as f64 * interval;
    assert!(
        y0 >= bottom - 1e-3 && y1 <= top_machine + 1e-3,
        "burn outside the image (overscan?) from y {y0} to {y1}"
    );
    for r in 0..rows {
        let centre = top_machine - (r as f64 + 0.5) * interval;
        if centre > y0 && centre < y1 {
            burned[r * cols + col as usize] = f64::from(s.power) * S_MAX;
        }
    }
}

fn check(bitmap: Bitmap, op: Operation, what: &str) {
    let levels = process(&bitmap, &op.image);
    let doc = doc_with(bitmap.clone(), op);
    let page_h = doc.size_mm.1;
    let settings = ConvertSettings {
        profile: MachineProfile {
            travel_x_mm: 2000.0,
            travel_y_mm: 2000.0,
            s_max: S_MAX,
            ..MachineProfile::default()
        },
        ..ConvertSettings::default()
    };
    let out = convert_document(doc, &settings).expect("converts");
    assert!(out.preflight.is_ok(), "{what}: {:?}", out.preflight);
    assert!(out.stats.cut_mm > 0.0);
    let burned = replay(&out.program, &bitmap, op.image.interval_mm, page_h);
    assert_eq!(burned.len(), levels.data.len());
    // Grayscale may merge levels within its tolerance; binary dithers must match exactly.
    let merge_s = if op.image.dither == DitherKind::Grayscale {
        f64::from(op.image.gray_tolerance) / 255.0 * (op.power_max_pct - op.power_min_pct) / 100.0
            * S_MAX
    } else {
        0.0
    };
    let mut wrong = 0;
    for (i, (&got, &level)) in burned.iter().zip(&levels.data).enumerate() {
        let want = if level == 0 {
            0.0
        } else {
            let pct =
                op.power_min_pct + (op.power_max_pct - op.power_min_pct) * f64::from(level) / 255.0;
            pct / 100.0 * S_MAX
        };
        // The emitter writes whole S values.
        if (got - want).abs() > 0.51 + merge_s {
            wrong += 1;
            if wrong < 5 {
                eprintln!("{what}: pixel {i}: burned S{got}, image wants S{want}");
            }
        }
    }
    assert_eq!(wrong, 0, "{what}: {wrong} pixels differ");
}

fn image_op(dither: DitherKind, bidirectional: bool) -> Operation {
    let mut op = Operation::defaults_for(Mode::Image);
    op.image.dither = dither;
    op.image.bidirectional = bidirectional;
    op.image.interval_mm = 0.2;
    op.power_min_pct = 5.0;
    op.power_max_pct = 60.0;
    op
}

#[test]
fn every_dither_burns_exactly_its_pixels() {
    for dither in DitherKind::ALL {
        for bidirectional in [true, false] {
            let b = test_card(90, 60, DocPoint::new(15.0, 12.3), (18.0, 12.0));
            check(
                b,
                image_op(dither, bidirectional),
                &format!("{} bidirectional={bidirectional}", dither.name()),
            );
        }
    }
}

#[test]
fn grayscale_without_merging_burns_every_level_exactly() {
    let b = test_card(90, 60, DocPoint::new(15.0, 12.3), (18.0, 12.0));
    let mut op = image_op(DitherKind::Grayscale, true);
    op.image.gray_tolerance = 0;
    check(b, op, "grayscale, tolerance 0");
}

#[test]
fn vertical_scanning_burns_the_same_pixels() {
    for dither in [
        DitherKind::Jarvis,
        DitherKind::Threshold,
        DitherKind::Grayscale,
    ] {
        for bidirectional in [true, false] {
            let b = test_card(60, 90, DocPoint::new(15.0, 12.3), (12.0, 18.0));
            let mut op = image_op(dither, bidirectional);
            op.image.scan = burin_design::ScanDirection::Vertical;
            check(
                b,
                op,
                &format!("vertical {} bidirectional={bidirectional}", dither.name()),
            );
        }
    }
    // At the bed's bottom edge (the page is the picture plus 40 mm, so doc y 40 is machine
    // y 0) the overscan stops at y = 0.
    let b = test_card(40, 50, DocPoint::new(10.0, 40.0), (8.0, 10.0));
    let mut op = image_op(DitherKind::FloydSteinberg, true);
    op.image.scan = burin_design::ScanDirection::Vertical;
    check(b, op, "vertical at the bed edge");
}

#[test]
fn resampled_and_at_the_bed_edge() {
    // 137 x 91 px stretched over 25 x 20 mm at 0.1 mm: resampling, and the picture at x = 0
    // (overscan shortened, never below the bed).
    let b = test_card(137, 91, DocPoint::new(0.0, 5.0), (25.0, 20.0));
    let mut op = image_op(DitherKind::FloydSteinberg, true);
    op.image.interval_mm = 0.1;
    check(b, op, "floyd at the edge");
}

#[test]
fn every_corpus_picture() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let mut n = 0;
    for e in std::fs::read_dir(dir.join("img")).expect("img dir") {
        let path = e.expect("entry").path();
        let opts = ImageImportOptions {
            width_mm: Some(30.0),
            ..ImageImportOptions::default()
        };
        let doc = import_image_file(&path, &opts).expect("imports");
        let mut b = Bitmap::clone(doc.layers[0].image.as_ref().expect("a picture"));
        b.top_left = DocPoint::new(10.0, 10.0);
        for dither in [DitherKind::Jarvis, DitherKind::Grayscale] {
            let mut op = image_op(dither, true);
            op.image.interval_mm = 0.25;
            check(
                b.clone(),
                op,
                &format!("{} {}", path.display(), dither.name()),
            );
        }
        n += 1;
    }
    assert!(n >= 5, "{n} pictures");
}
