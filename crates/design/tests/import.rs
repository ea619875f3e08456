//! Import behaviour on small hand-written SVGs, and every kind of bad input the issue lists.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::time::Instant;

use burin_design::{
    DocPoint, DpiChoice, DpiReason, ImportOptions, LayerSource, Mode, PathEl, Rgb,
    import_svg_bytes, import_svg_file,
};

fn import(svg: &str) -> burin_design::Document {
    import_svg_bytes(svg.as_bytes(), "test.svg", None, &ImportOptions::default()).unwrap()
}

fn import_err(data: &[u8]) -> String {
    let e = import_svg_bytes(data, "bad.svg", None, &ImportOptions::default()).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("bad.svg: "),
        "error must name the file: {msg}"
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
    msg
}

fn points(doc: &burin_design::Document) -> Vec<DocPoint> {
    doc.layers
        .iter()
        .flat_map(|l| &l.shapes)
        .flat_map(|s| &s.path)
        .filter_map(|el| match *el {
            PathEl::MoveTo(p) | PathEl::LineTo(p) => Some(p),
            PathEl::QuadTo(_, p) | PathEl::CubicTo(_, _, p) => Some(p),
            PathEl::Close => None,
        })
        .collect()
}

fn extent(doc: &burin_design::Document) -> (f64, f64, f64, f64) {
    let pts = points(doc);
    let f = |g: fn(&DocPoint) -> f64, max: bool| {
        pts.iter()
            .map(g)
            .fold(if max { f64::MIN } else { f64::MAX }, |a, b| {
                if max { a.max(b) } else { a.min(b) }
            })
    };
    (
        f(|p| p.x, false),
        f(|p| p.y, false),
        f(|p| p.x, true),
        f(|p| p.y, true),
    )
}

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-4, "{a} != {b}");
}

#[test]
fn fifty_mm_square_is_fifty_mm_in_every_unit() {
    let cases = [
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100"><rect x="10" y="10" width="50" height="50" stroke="black" fill="none"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10cm" height="10cm"><rect x="1cm" y="1cm" width="5cm" height="5cm" stroke="black" fill="none"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="4in" height="4in" viewBox="0 0 400 400"><rect x="10" y="10" width="196.8503937" height="196.8503937" stroke="black" fill="none"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="300pt"><rect x="0" y="0" width="141.7322835pt" height="141.7322835pt" stroke="black" fill="none"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="30pc" height="30pc"><rect x="0" y="0" width="11.8110236pc" height="11.8110236pc" stroke="black" fill="none"/></svg>"#,
        // 96 px per inch: 50 mm = 188.976378 px
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect x="0" y="0" width="188.976378" height="188.976378" stroke="black" fill="none"/></svg>"#,
    ];
    for svg in cases {
        let doc = import(svg);
        let (x0, y0, x1, y1) = extent(&doc);
        assert_close(x1 - x0, 50.0);
        assert_close(y1 - y0, 50.0);
    }
}

#[test]
fn old_inkscape_is_read_at_90_dpi_and_can_be_overridden() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="0.91 r13725" width="400" height="400"><rect width="90" height="90" stroke="red" fill="none"/></svg>"#;
    let doc = import(svg);
    assert_eq!(doc.info.dpi, 90.0);
    assert!(matches!(doc.info.dpi_reason, DpiReason::OldInkscape { .. }));
    let (x0, _, x1, _) = extent(&doc);
    assert_close(x1 - x0, 25.4);

    let opts = ImportOptions::default().with_dpi(DpiChoice::Fixed(96.0));
    let doc = import_svg_bytes(svg.as_bytes(), "t.svg", None, &opts).unwrap();
    assert_eq!(doc.info.dpi_reason, DpiReason::UserChoice);
    let (x0, _, x1, _) = extent(&doc);
    assert_close(x1 - x0, 90.0 * 25.4 / 96.0);
}

#[test]
fn layers_by_stroke_colour_then_fill_colour() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100">
        <rect x="1" y="1" width="10" height="10" stroke="#ff0000" fill="#00ff00"/>
        <rect x="20" y="1" width="10" height="10" fill="#0000ff"/>
        <circle cx="50" cy="50" r="5" stroke="red" fill="none"/>
        <g style="fill:#0000ff"><path d="M 60 60 L 70 60 L 70 70 Z"/></g>
        <rect x="80" y="1" width="10" height="10" fill="none" stroke="none"/>
    </svg>"##;
    let doc = import(svg);
    let names: Vec<_> = doc.layers.iter().map(|l| l.name()).collect();
    assert_eq!(names, ["#ff0000", "#0000ff"]);
    let red = doc.layer(Rgb(255, 0, 0)).unwrap();
    assert_eq!(red.shapes.len(), 2);
    assert_eq!(red.source, LayerSource::Stroke);
    assert_eq!(red.operation.mode, Mode::Line);
    let blue = doc.layer(Rgb::parse("#00f").unwrap()).unwrap();
    assert_eq!(blue.shapes.len(), 2);
    assert_eq!(blue.operation.mode, Mode::Fill);
}

#[test]
fn transforms_use_and_nested_svg_are_resolved() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200mm" height="200mm" viewBox="0 0 200 200">
        <defs><rect id="r" width="10" height="10" stroke="black" fill="none"/></defs>
        <use xlink:href="#r" x="100" y="100"/>
        <g transform="translate(10 20) scale(2)"><rect width="5" height="5" stroke="black" fill="none"/></g>
        <svg x="150" y="0" width="20" height="20" viewBox="0 0 10 10"><rect width="10" height="10" stroke="black" fill="none"/></svg>
    </svg>"##;
    let doc = import(svg);
    let shapes = &doc.layers[0].shapes;
    assert_eq!(shapes.len(), 3);
    let ext = |i: usize| {
        let pts: Vec<_> = shapes[i]
            .path
            .iter()
            .filter_map(|e| match e {
                PathEl::MoveTo(p) | PathEl::LineTo(p) => Some(*p),
                _ => None,
            })
            .collect();
        let xs: Vec<f64> = pts.iter().map(|p| p.x).collect();
        let ys: Vec<f64> = pts.iter().map(|p| p.y).collect();
        (
            xs.iter().cloned().fold(f64::MAX, f64::min),
            ys.iter().cloned().fold(f64::MAX, f64::min),
            xs.iter().cloned().fold(f64::MIN, f64::max),
            ys.iter().cloned().fold(f64::MIN, f64::max),
        )
    };
    let (a, b, c, d) = ext(0);
    assert_close(a, 100.0);
    assert_close(b, 100.0);
    assert_close(c, 110.0);
    assert_close(d, 110.0);
    let (a, b, c, d) = ext(1);
    assert_close(a, 10.0);
    assert_close(b, 20.0);
    assert_close(c, 20.0);
    assert_close(d, 30.0);
    let (a, _, c, _) = ext(2);
    assert_close(a, 150.0);
    assert_close(c, 170.0);
}

#[test]
fn text_converts_with_the_bundled_font() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="30mm" viewBox="0 0 100 30"><text x="5" y="20" font-family="Some Font Nobody Has" font-size="12">Burin</text></svg>"#;
    let doc = import(svg);
    assert_eq!(doc.layers.len(), 1);
    let (x0, y0, x1, y1) = extent(&doc);
    assert!(
        x0 > 4.0 && x1 < 60.0 && x1 - x0 > 20.0,
        "text width {}",
        x1 - x0
    );
    assert!(y1 <= 20.5 && y0 > 5.0, "text height {y0}..{y1}");
}

#[test]
fn dashed_strokes_become_dashes() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="10mm" viewBox="0 0 100 10"><path d="M 0 5 L 100 5" stroke="black" stroke-dasharray="10 10"/></svg>"#;
    let doc = import(svg);
    let moves = doc.layers[0].shapes[0]
        .path
        .iter()
        .filter(|e| matches!(e, PathEl::MoveTo(_)))
        .count();
    assert_eq!(moves, 5);
}

#[test]
fn clip_paths_are_kept_with_the_shape() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100"><clipPath id="c"><rect x="10" y="10" width="20" height="20"/></clipPath><rect width="100" height="100" stroke="black" fill="none" clip-path="url(#c)"/></svg>"#;
    let doc = import(svg);
    let shape = &doc.layers[0].shapes[0];
    assert_eq!(shape.clips.len(), 1);
    assert_eq!(shape.clips[0].paths.len(), 1);
}

#[test]
fn missing_empty_and_non_svg_files() {
    let e = import_svg_file(
        std::path::Path::new("/nonexistent/x.svg"),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with("/nonexistent/x.svg: cannot read"),
        "{e}"
    );
    assert!(import_err(b"").contains("empty"));
    assert!(import_err(b"   \n").contains("empty"));
    assert!(
        import_err(
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect wid"
        )
        .contains("XML error at line 1")
    );
    assert!(import_err(b"<html><body/></html>").contains("root element is <html>"));
    assert!(import_err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").contains("binary"));
    assert!(import_err(&[0xff, 0xfe, 0x41, 0x42]).contains("not UTF-8"));
    // A declared single-byte encoding is honoured: "Привет" in windows-1251.
    let mut cp1251 = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50\" height=\"20\"><text x=\"1\" y=\"15\">".to_vec();
    cp1251.extend_from_slice(&[0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    cp1251.extend_from_slice(b"</text></svg>");
    let doc = import_svg_bytes(&cp1251, "ru.svg", None, &ImportOptions::default()).unwrap();
    assert_eq!(
        doc.layers.len(),
        1,
        "Cyrillic text converts with the bundled font"
    );
    assert!(import_err(b"\x1f\x8b\x08\0garbage").contains("gzip"));
    assert!(import_err(b"just some text").contains("XML error"));
}

#[test]
fn absurd_coordinates_and_sizes() {
    let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M 0 0 L 1e30 5" stroke="black"/></svg>"#;
    assert!(import_err(huge.as_bytes()).contains("out of range"));
    let nan = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M 0 0 L NaN 5 L 3 3" stroke="black"/></svg>"#;
    // usvg stops parsing path data at the bad number; what remains must be finite.
    if let Ok(doc) = import_svg_bytes(nan.as_bytes(), "nan.svg", None, &ImportOptions::default()) {
        assert!(
            points(&doc)
                .iter()
                .all(|p| p.x.is_finite() && p.y.is_finite())
        );
    }
    let zero = r#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"><rect width="5" height="5"/></svg>"#;
    assert!(import_err(zero.as_bytes()).contains("no usable size"));
    let scale = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g transform="scale(1e35)"><rect width="5" height="5" stroke="black"/></g></svg>"#;
    let r = import_svg_bytes(scale.as_bytes(), "s.svg", None, &ImportOptions::default());
    if let Ok(doc) = r {
        assert!(points(&doc).iter().all(|p| p.x.abs() <= 100_000.0));
    }
}

#[test]
fn twenty_thousand_nested_groups_are_refused_quickly() {
    let mut svg =
        String::from(r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">"#);
    for _ in 0..20_000 {
        svg.push_str("<g>");
    }
    svg.push_str(r#"<rect width="5" height="5" stroke="black"/>"#);
    for _ in 0..20_000 {
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    let t = Instant::now();
    let msg = import_err(svg.as_bytes());
    assert!(msg.contains("nested"), "{msg}");
    assert!(t.elapsed().as_secs() < 20);
}

#[test]
fn entity_bombs_and_external_entities_are_refused() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&i;</text></svg>"#;
    let t = Instant::now();
    let msg = import_err(bomb.as_bytes());
    assert!(msg.contains("XML error"), "{msg}");
    assert!(t.elapsed().as_secs() < 20);

    let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE svg [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="5">&xxe;</text></svg>"#;
    match import_svg_bytes(xxe.as_bytes(), "xxe.svg", None, &ImportOptions::default()) {
        Err(e) => assert!(e.to_string().contains("xxe.svg")),
        // If accepted, nothing of /etc/passwd may have been read: the text must be empty.
        Ok(doc) => assert_eq!(doc.shape_count(), 0),
    }
}

#[test]
fn linked_files_are_never_read() {
    let dir = tempfile_dir();
    let secret = dir.join("secret.png");
    std::fs::write(&secret, b"not really a png").unwrap();
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="{}" width="5" height="5"/><image href="../../../../etc/passwd" width="5" height="5"/><rect width="2" height="2" stroke="black"/></svg>"#,
        secret.display()
    );
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let path = sub.join("doc.svg");
    std::fs::write(&path, svg).unwrap();
    let doc = import_svg_file(&path, &ImportOptions::default()).unwrap();
    assert_eq!(doc.shape_count(), 1);
    assert!(
        doc.info.warnings.iter().any(|w| w.contains("not read")),
        "{:?}",
        doc.info.warnings
    );
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("burin-design-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn nesting_at_the_limit_imports_on_a_small_test_thread_stack() {
    let mut svg =
        String::from(r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">"#);
    for _ in 0..250 {
        svg.push_str(r#"<g transform="translate(0.01 0)">"#);
    }
    svg.push_str(r#"<rect width="5" height="5" stroke="black"/>"#);
    for _ in 0..250 {
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    // Test threads get 2 MiB of stack; the app's main thread has 8.
    let doc = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || import(&svg))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(doc.shape_count(), 1);
}
