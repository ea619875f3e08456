//! End-to-end pipeline checks: every corpus SVG converts, outlines land where resvg's reference
//! renders draw them, and lengths and sizes come out exact.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

mod common;

use std::path::Path;

use burin_controller::{ConvertSettings, LayerOverride, convert_document, convert_svg_file};
use burin_design::{ImportOptions, Mode, import_svg_bytes};
use burin_toolpath::{Anchor, JobOrigin, Move, PointMm};

fn convert_str(svg: &str, settings: &ConvertSettings) -> burin_controller::ConvertOutcome {
    let doc =
        import_svg_bytes(svg.as_bytes(), "test.svg", None, &ImportOptions::default()).unwrap();
    convert_document(doc, settings).unwrap()
}

#[test]
fn a_fifty_mm_square_is_fifty_mm_in_the_gcode() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100"><rect x="10" y="10" width="50" height="50" stroke="black" fill="none"/></svg>"#;
    let o = convert_str(svg, &ConvertSettings::default());
    let b = o.stats.powered_bounds.unwrap();
    assert_eq!(
        format!("{:.3} {:.3}", b.width_mm(), b.height_mm()),
        "50.000 50.000"
    );
    // The Y flip: doc y 10..60 on a 100 mm page is machine y 40..90.
    assert_eq!(
        format!("{:.3} {:.3}", b.y_min_mm, b.y_max_mm),
        "40.000 90.000"
    );
    assert!(o.preflight.is_ok());
    assert!((o.stats.cut_mm - 200.0).abs() < 1e-6);
}

#[test]
fn a_circle_is_cut_within_a_tenth_of_a_percent_of_two_pi_r() {
    for r in [5.0, 20.0, 80.0] {
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="200mm" height="200mm" viewBox="0 0 200 200"><circle cx="100" cy="100" r="{r}" stroke="black" fill="none"/></svg>"#
        );
        let o = convert_str(&svg, &ConvertSettings::default());
        let want = 2.0 * std::f64::consts::PI * r;
        let err = (o.stats.cut_mm - want).abs() / want;
        assert!(
            err < 0.001,
            "r = {r}: cut {} mm vs 2 pi r = {want} mm ({:.4} %)",
            o.stats.cut_mm,
            err * 100.0
        );
    }
}

#[test]
fn every_corpus_svg_converts_and_passes_preflight() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(corpus.join("svg"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        // The four big files are covered by the benchmark; here a quick pass in Line mode keeps
        // the test fast while still running every stage on them. Some artwork reaches beyond
        // its page (the pixel-art tutorial does), so place every job at the origin.
        let mut settings = common::big_machine();
        // Inkscape's tutorials are long scrolling pages: 2 m of artwork below a 340 px page.
        settings.profile.travel_y_mm = 5000.0;
        settings.plan.origin = JobOrigin::CurrentPosition {
            anchor: Anchor::BottomLeft,
        };
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("big_"))
        {
            settings.all_layers = LayerOverride {
                mode: Some(Mode::Line),
                ..Default::default()
            };
        }
        let o = convert_svg_file(&path, &settings).unwrap_or_else(|e| panic!("{e}"));
        assert!(o.preflight.is_ok(), "{}:\n{}", path.display(), o.preflight);
        count += 1;
    }
    assert!(count >= 80, "only {count} SVGs in the corpus");
}

#[test]
fn resvg_outlines_land_on_the_reference_renders() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let mut settings = common::big_machine();
    settings.all_layers = LayerOverride {
        mode: Some(Mode::Line),
        ..Default::default()
    };
    let mut checked = 0;
    let mut report = Vec::new();
    for entry in std::fs::read_dir(corpus.join("ref-png")).unwrap() {
        let png_path = entry.unwrap().path();
        let stem = png_path.file_stem().unwrap().to_string_lossy().into_owned();
        let svg = corpus.join("svg").join(format!("{stem}.svg"));
        let o = convert_svg_file(&svg, &settings).unwrap_or_else(|e| panic!("{e}"));
        let img = Image::load(&png_path);
        let page_h = o.document.size_mm.1;
        // The renders are scaled to their PNG's size (most are 300 px for a 200-unit page).
        let px_per_mm = img.w as f64 / o.document.size_mm.0;
        let (mut samples, mut misses) = (0usize, 0usize);
        let mut at = PointMm::default();
        for m in o.toolpath.blocks.iter().flat_map(|b| &b.moves) {
            if let Move::Cut { to, power_pct } = *m
                && power_pct > 0.0
            {
                let len = at.distance_to(to);
                let n = ((len * px_per_mm) / 0.5).ceil().max(1.0) as usize;
                for i in 0..=n {
                    let t = i as f64 / n as f64;
                    let (x, y) = (at.x + (to.x - at.x) * t, at.y + (to.y - at.y) * t);
                    // Machine (Y up) back to image pixels (Y down).
                    let (px, py) = (x * px_per_mm, (page_h - y) * px_per_mm);
                    // Off the page the reference has nothing to compare with.
                    if px < 0.0 || py < 0.0 || px >= img.w as f64 || py >= img.h as f64 {
                        continue;
                    }
                    samples += 1;
                    if !img.ink_near(px, py, 2) {
                        misses += 1;
                    }
                }
            }
            at = m.to();
        }
        assert!(samples > 0, "{stem}: nothing to check");
        let hit = 1.0 - misses as f64 / samples as f64;
        let min_hit = match stem.as_str() {
            // Its gradient fades to white, which sampling can't tell from the white page.
            "resvg_structure_defs_out-of-order" => 0.85,
            // Known gap: this Cyrillic line lays out about 7 % larger than resvg's render (the
            // Latin text tests match exactly); the glyphs land on ink for 83 % of their length.
            "resvg_structure_svg_not-UTF-8-encoding" => 0.8,
            _ => 0.98,
        };
        report.push(format!(
            "{stem}: {:.2} % of {samples} samples on ink",
            hit * 100.0
        ));
        assert!(
            hit >= min_hit,
            "{stem}: only {:.2} % of the outline lands on ink in the reference render\n{}",
            hit * 100.0,
            report.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} reference renders");
    eprintln!("{}", report.join("\n"));
}

struct Image {
    w: usize,
    h: usize,
    rgba: Vec<u8>,
}

impl Image {
    fn load(path: &Path) -> Image {
        let mut decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        decoder.set_transformations(
            png::Transformations::normalize_to_color8() | png::Transformations::ALPHA,
        );
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let rgba = match info.color_type {
            png::ColorType::Rgba => buf,
            png::ColorType::GrayscaleAlpha => buf
                .chunks(2)
                .flat_map(|c| [c[0], c[0], c[0], c[1]])
                .collect(),
            other => panic!("{}: unexpected colour type {other:?}", path.display()),
        };
        Image { w, h, rgba }
    }

    /// Anything but white or transparent within `r` pixels of (x, y).
    fn ink_near(&self, x: f64, y: f64, r: i64) -> bool {
        let (cx, cy) = (x.floor() as i64, y.floor() as i64);
        for dy in -r..=r {
            for dx in -r..=r {
                let (px, py) = (cx + dx, cy + dy);
                if px < 0 || py < 0 || px >= self.w as i64 || py >= self.h as i64 {
                    continue;
                }
                let i = (py as usize * self.w + px as usize) * 4;
                let p = &self.rgba[i..i + 4];
                if p[3] > 64 && (u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) < 3 * 235 {
                    return true;
                }
            }
        }
        false
    }
}
