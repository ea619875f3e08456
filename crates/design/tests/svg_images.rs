//! `<image>` elements in SVGs: embedded and linked pictures become image layers placed where
//! the SVG puts them; links never leave the SVG's folder; bad pictures are skipped with a
//! warning, never a panic.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::io::Cursor;

use burin_design::{Document, ImportOptions, Mode, import_svg_bytes, import_svg_file};

/// A w x h PNG whose pixel (x, y) is `f(x, y)` (gray).
fn png(w: u32, h: u32, f: impl Fn(u32, u32) -> u8) -> Vec<u8> {
    let img = image::GrayImage::from_fn(w, h, |x, y| image::Luma([f(x, y)]));
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn svg_with(body: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
             width="100mm" height="80mm" viewBox="0 0 100 80">{body}</svg>"#
    )
}

fn import(svg: &str) -> Document {
    import_svg_bytes(svg.as_bytes(), "t.svg", None, &ImportOptions::default()).unwrap()
}

#[test]
fn an_embedded_picture_becomes_an_image_layer_where_the_svg_puts_it() {
    // Left half black, right half white, 4 x 2 px, drawn at (10, 20) mm, 40 x 20 mm.
    let data = base64(&png(4, 2, |x, _| if x < 2 { 0 } else { 255 }));
    let doc = import(&svg_with(&format!(
        r#"<rect x="0" y="0" width="5" height="5" fill="red"/>
           <image x="10" y="20" width="40" height="20" xlink:href="data:image/png;base64,{data}"/>"#
    )));
    assert_eq!(doc.layers.len(), 2);
    let img = &doc.layers[0];
    assert_eq!(img.operation.mode, Mode::Image, "pictures come first");
    assert_ne!(img.colour, doc.layers[1].colour);
    let b = img.image.as_ref().unwrap();
    assert_eq!((b.width_px, b.height_px), (4, 2));
    assert!((b.top_left.x - 10.0).abs() < 1e-4 && (b.top_left.y - 20.0).abs() < 1e-4);
    assert!((b.size_mm.0 - 40.0).abs() < 1e-4 && (b.size_mm.1 - 20.0).abs() < 1e-4);
    assert_eq!(&b.luma[..4], &[0, 0, 255, 255]);
}

#[test]
fn aspect_ratio_transforms_and_mirroring_are_followed() {
    let data = base64(&png(4, 2, |x, _| if x < 2 { 0 } else { 255 }));
    // A 4:2 picture in a 40 x 40 box keeps its aspect (preserveAspectRatio default: centred),
    // and a group transform moves and scales it.
    let doc = import(&svg_with(&format!(
        r#"<g transform="translate(5 6) scale(0.5)">
             <image x="0" y="0" width="40" height="40" xlink:href="data:image/png;base64,{data}"/>
           </g>"#
    )));
    let b = doc.layers[0].image.as_ref().unwrap();
    assert!(
        (b.size_mm.0 - 20.0).abs() < 1e-4 && (b.size_mm.1 - 10.0).abs() < 1e-4,
        "{:?}",
        b.size_mm
    );
    assert!(
        (b.top_left.x - 5.0).abs() < 1e-4 && (b.top_left.y - 11.0).abs() < 1e-4,
        "{:?}",
        b.top_left
    );
    // Mirrored in X: the pixels are flipped so the burn looks as drawn.
    let doc = import(&svg_with(&format!(
        r#"<image transform="scale(-1 1)" x="-50" y="0" width="40" height="20" xlink:href="data:image/png;base64,{data}"/>"#
    )));
    let b = doc.layers[0].image.as_ref().unwrap();
    assert_eq!(&b.luma[..4], &[255, 255, 0, 0]);
    assert!((b.top_left.x - 10.0).abs() < 1e-4, "{:?}", b.top_left);
    // Rotated: placed upright in its bounding box, and the user is told.
    let doc = import(&svg_with(&format!(
        r#"<image transform="rotate(30 50 40)" x="30" y="30" width="40" height="20" xlink:href="data:image/png;base64,{data}"/>"#
    )));
    assert_eq!(doc.layers.len(), 1);
    assert!(
        doc.info.warnings.iter().any(|w| w.contains("rotated")),
        "{:?}",
        doc.info.warnings
    );
}

#[test]
fn links_are_read_only_from_the_svgs_folder() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("job");
    std::fs::create_dir_all(dir.join("pics")).unwrap();
    std::fs::write(dir.join("pics/logo.png"), png(3, 3, |_, _| 0)).unwrap();
    std::fs::write(root.path().join("secret.png"), png(3, 3, |_, _| 0)).unwrap();
    let outside = root.path().join("secret.png");
    let svg = svg_with(&format!(
        r#"<image x="0" y="0" width="9" height="9" xlink:href="pics/logo.png"/>
           <image x="10" y="0" width="9" height="9" xlink:href="../secret.png"/>
           <image x="20" y="0" width="9" height="9" xlink:href="{}"/>
           <image x="30" y="0" width="9" height="9" xlink:href="https://example.com/a.png"/>
           <image x="40" y="0" width="9" height="9" xlink:href="missing.png"/>"#,
        outside.display()
    ));
    let path = dir.join("job.svg");
    std::fs::write(&path, svg).unwrap();
    let doc = import_svg_file(&path, &ImportOptions::default()).unwrap();
    assert_eq!(doc.layers.len(), 1, "only the picture beside the SVG");
    let w = doc.info.warnings.join("\n");
    assert!(
        w.contains("'../secret.png' not read: it is outside the SVG's folder"),
        "{w}"
    );
    assert!(w.contains("https://example.com/a.png' not read"), "{w}");
    assert!(w.contains("'missing.png' not read: file not found"), "{w}");
    assert_eq!(w.matches("not read").count(), 4, "{w}");
    // From bytes (no folder), links are not followed at all.
    let doc = import_svg_bytes(
        std::fs::read(&path).unwrap().as_slice(),
        "job.svg",
        None,
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(doc.layers.is_empty());
}

#[test]
fn hostile_pictures_are_skipped_with_a_warning() {
    // A PNG header claiming 100000 x 100000 pixels, then garbage.
    let mut huge = png(1, 1, |_, _| 0);
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let truncated = &png(8, 8, |x, y| (x * y) as u8)[..40];
    let doc = import(&svg_with(&format!(
        r#"<image x="0" y="0" width="9" height="9" xlink:href="data:image/png;base64,{}"/>
           <image x="0" y="0" width="9" height="9" xlink:href="data:image/png;base64,{}"/>
           <rect x="0" y="0" width="5" height="5" fill="red"/>"#,
        base64(&huge),
        base64(truncated)
    )));
    assert_eq!(doc.layers.len(), 1, "the rest of the drawing still imports");
    assert_eq!(doc.layers[0].operation.mode, Mode::Fill);
}

#[test]
fn corpus_svg_with_embedded_pictures() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/svg/big_inkscape_tutorial-tracing-pixelart.svg");
    if !path.exists() {
        if std::env::var_os("CI").is_some() {
            panic!("corpus missing at {}", path.display());
        }
        eprintln!("skipping: corpus not found at {}", path.display());
        return;
    }
    let doc = import_svg_file(&path, &ImportOptions::default()).unwrap();
    let images: Vec<_> = doc.layers.iter().filter(|l| l.image.is_some()).collect();
    assert!(images.len() >= 5, "{} pictures", images.len());
    for l in &images {
        let b = l.image.as_ref().unwrap();
        assert_eq!(b.luma.len(), (b.width_px * b.height_px) as usize);
        assert!(b.size_mm.0 > 0.0 && b.size_mm.1 > 0.0);
    }
    // Its one linked picture is not in the corpus: named in a warning.
    assert!(
        doc.info
            .warnings
            .iter()
            .any(|w| w.contains("pixelart-dialog.png"))
    );
}
