//! A Document written back as SVG (millimetre page, one group per layer), so generated
//! artwork such as the material test can be edited elsewhere or opened again.
//!
//! Line layers become stroked paths and Fill layers filled ones, in the layer's colour, so
//! importing the file gives the same layers with their default modes. Pictures are written
//! as a rectangle filled with the layer colour (their pixels are not embedded).

use std::fmt::Write;

use crate::{Document, FillRule, Layer, Mode, PathEl};

/// `doc` as an SVG document (UTF-8 text).
pub fn document_to_svg(doc: &Document) -> String {
    let (w, h) = doc.size_mm;
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored.
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}mm" height="{}mm" viewBox="0 0 {} {}">"#,
        num(w),
        num(h),
        num(w),
        num(h)
    );
    for layer in &doc.layers {
        write_layer(&mut out, layer);
    }
    out.push_str("</svg>\n");
    out
}

fn write_layer(out: &mut String, layer: &Layer) {
    let colour = layer.colour.hex();
    let paint = match layer.operation.mode {
        Mode::Line => format!(
            r#"fill="none" stroke="{colour}" stroke-width="0.1" stroke-linecap="round" stroke-linejoin="round""#
        ),
        Mode::Fill | Mode::Image => format!(r#"fill="{colour}" stroke="none""#),
    };
    // Paint on every element, not only the group: some renderers don't inherit it.
    let _ = writeln!(out, r#"  <g id="layer-{}">"#, &colour[1..]);
    if let Some(b) = &layer.image {
        let _ = writeln!(
            out,
            r#"    <rect x="{}" y="{}" width="{}" height="{}" fill="{colour}" stroke="none"/>"#,
            num(b.top_left.x),
            num(b.top_left.y),
            num(b.size_mm.0),
            num(b.size_mm.1)
        );
    }
    for shape in &layer.shapes {
        let rule = match shape.fill_rule {
            FillRule::NonZero => "",
            FillRule::EvenOdd => r#" fill-rule="evenodd""#,
        };
        let _ = writeln!(
            out,
            r#"    <path d="{}" {paint}{rule}/>"#,
            path_data(&shape.path)
        );
    }
    out.push_str("  </g>\n");
}

fn path_data(path: &[PathEl]) -> String {
    let mut d = String::new();
    for el in path {
        if !d.is_empty() {
            d.push(' ');
        }
        match *el {
            PathEl::MoveTo(p) => {
                let _ = write!(d, "M{} {}", num(p.x), num(p.y));
            }
            PathEl::LineTo(p) => {
                let _ = write!(d, "L{} {}", num(p.x), num(p.y));
            }
            PathEl::QuadTo(a, p) => {
                let _ = write!(d, "Q{} {} {} {}", num(a.x), num(a.y), num(p.x), num(p.y));
            }
            PathEl::CubicTo(a, b, p) => {
                let _ = write!(
                    d,
                    "C{} {} {} {} {} {}",
                    num(a.x),
                    num(a.y),
                    num(b.x),
                    num(b.y),
                    num(p.x),
                    num(p.y)
                );
            }
            PathEl::Close => d.push('Z'),
        }
    }
    d
}

/// At most 4 decimals (0.1 µm), no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::test_grid::{TestGridOptions, test_grid};
    use crate::{ImportOptions, import_svg_bytes};

    #[test]
    fn a_test_grid_reads_back_with_the_same_layers_and_shapes() {
        let grid = test_grid(&TestGridOptions {
            rows: 2,
            cols: 3,
            ..TestGridOptions::default()
        })
        .unwrap();
        let svg = document_to_svg(&grid.document);
        assert!(svg.contains(r#"width="#));
        let back =
            import_svg_bytes(svg.as_bytes(), "grid.svg", None, &ImportOptions::default()).unwrap();
        assert!((back.size_mm.0 - grid.document.size_mm.0).abs() < 1e-3);
        assert!((back.size_mm.1 - grid.document.size_mm.1).abs() < 1e-3);
        assert_eq!(back.layers.len(), grid.document.layers.len());
        for layer in &grid.document.layers {
            let again = back.layer(layer.colour).unwrap();
            assert_eq!(
                again.operation.mode,
                layer.operation.mode,
                "{}",
                layer.name()
            );
            assert_eq!(again.shapes.len(), layer.shapes.len(), "{}", layer.name());
        }
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.12345), "0.1235");
        assert_eq!(num(-0.00001), "0");
    }
}
