//! `burin convert` and `burin info` as a user runs them: exit codes, messages, output files.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn burin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_burin"))
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("burin-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn converts_the_example_and_info_reads_it_back() {
    let dir = scratch("ok");
    let out = dir.join("hello.gcode");
    let o = burin(&[
        "convert",
        &example("hello.svg"),
        "-o",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["written"], true);
    assert_eq!(summary["layers"].as_array().unwrap().len(), 2);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("G21G90\n"));
    assert!(text.contains("\nM5\n"));

    let o = burin(&["info", out.to_str().unwrap(), "--json"]);
    assert!(o.status.success());
    let info: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = info["stats"]["powered_bounds"]["x_max_mm"]
        .as_f64()
        .unwrap()
        - info["stats"]["powered_bounds"]["x_min_mm"]
            .as_f64()
            .unwrap();
    assert!(
        (w - 56.0).abs() < 1e-3,
        "the 56 mm outline is 56 mm wide: {w}"
    );
    assert!(info["preflight"]["findings"].as_array().unwrap().is_empty());
}

#[test]
fn the_committed_example_gcode_is_current() {
    let dir = scratch("example");
    let out = dir.join("hello.gcode");
    assert!(
        burin(&[
            "convert",
            &example("hello.svg"),
            "-o",
            out.to_str().unwrap()
        ])
        .status
        .success()
    );
    let fresh = std::fs::read_to_string(&out).unwrap();
    let committed = std::fs::read_to_string(example("hello.gcode")).unwrap();
    assert_eq!(
        fresh, committed,
        "regenerate examples/hello.gcode with burin convert"
    );
}

#[test]
fn bad_inputs_fail_with_one_line_and_leave_no_file() {
    let dir = scratch("bad");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("empty.svg", Vec::new()),
        ("truncated.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><path d=\"M 0 0 L".to_vec()),
        ("text.svg", b"hello, this is not an svg".to_vec()),
        ("binary.svg", vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0x00]),
        ("html.svg", b"<html><body>nope</body></html>".to_vec()),
        ("huge.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><path d=\"M0 0 L1e30 1\" stroke=\"red\"/></svg>".to_vec()),
    ];
    for (name, bytes) in files {
        let input = dir.join(name);
        std::fs::write(&input, bytes).unwrap();
        let out = dir.join(format!("{name}.gcode"));
        let o = burin(&[
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: one line, got {err}");
        assert!(
            err.contains(name),
            "{name}: the error names the file: {err}"
        );
        assert!(!out.exists(), "{name}: no output file");
    }
    let o = burin(&[
        "convert",
        "/definitely/not/here.svg",
        "-o",
        dir.join("x.gcode").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/definitely/not/here.svg: cannot read"));
}

#[test]
fn a_job_outside_the_work_area_is_refused_with_the_overshoot() {
    let dir = scratch("area");
    let input = dir.join("wide.svg");
    std::fs::write(&input, r#"<svg xmlns="http://www.w3.org/2000/svg" width="500mm" height="100mm" viewBox="0 0 500 100"><rect x="10" y="10" width="420" height="50" fill="none" stroke="black"/></svg>"#).unwrap();
    let out = dir.join("wide.gcode");
    // An existing file is left as it was.
    std::fs::write(&out, "previous").unwrap();
    let o = burin(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("extends 30 mm past X max 400"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    // A bigger machine takes it.
    let o = burin(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--work-area",
        "600x400",
    ]);
    assert!(o.status.success());
}

#[test]
fn layer_settings_by_colour_reach_the_gcode() {
    let dir = scratch("layers");
    let out = dir.join("l.gcode");
    let o = burin(&[
        "convert",
        &example("hello.svg"),
        "-o",
        out.to_str().unwrap(),
        "--layer",
        "#000000:speed=450,power=100,passes=2,laser=m3",
        "--layer",
        "#f00:output=off",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("M3"));
    assert!(
        !text.contains("M4"),
        "the fill layer is off, the cut layer is M3"
    );
    assert!(text.contains("F450"));
    assert!(text.contains("S1000"));
    let o = burin(&[
        "convert",
        &example("hello.svg"),
        "-o",
        out.to_str().unwrap(),
        "--layer",
        "#00ff00:speed=1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no layer has colour #00ff00"));
}

fn write_png(path: &Path, w: u32, h: u32) {
    let img = image::GrayImage::from_fn(w, h, |x, y| {
        image::Luma([((x * 255) / w.max(1)) as u8 ^ (y as u8 & 8)])
    });
    img.save(path).unwrap();
}

#[test]
fn converts_a_photo_with_dithering() {
    let dir = scratch("photo");
    let png = dir.join("photo.png");
    write_png(&png, 80, 40);
    let out = dir.join("photo.gcode");
    let o = burin(&[
        "convert",
        png.to_str().unwrap(),
        "--mode",
        "image",
        "--dither",
        "jarvis",
        "--width",
        "40",
        "--interval",
        "0.2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let g = std::fs::read_to_string(&out).unwrap();
    assert!(g.starts_with("G21G90"));
    assert!(g.contains("M4"), "dynamic power");
    assert!(
        g.lines()
            .filter(|l| l.starts_with("G0"))
            .all(|l| !l.contains('S'))
    );
    // 40 x 20 mm at 0.2 mm: rows at y = 0.1 + k * 0.2 from the bottom.
    assert!(g.contains("Y19.9"), "top row on the pixel grid");
    let o = burin(&["info", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn hostile_pictures_are_refused_without_output() {
    let dir = scratch("badpng");
    let png = dir.join("ok.png");
    write_png(&png, 16, 16);
    let mut bytes = std::fs::read(&png).unwrap();
    // IHDR claims 100000 x 100000 pixels.
    bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let bomb = dir.join("bomb.png");
    std::fs::write(&bomb, &bytes).unwrap();
    let truncated = dir.join("cut.png");
    let good = std::fs::read(&png).unwrap();
    std::fs::write(&truncated, &good[..good.len() / 2]).unwrap();
    let garbage = dir.join("noise.jpg");
    std::fs::write(&garbage, b"\xff\xd8\xff\xe0 not really a jpeg at all").unwrap();
    for (input, says) in [
        (&bomb, "megapixels"),
        (&truncated, "picture"),
        (&garbage, "picture"),
    ] {
        let out = dir.join("never.gcode");
        let o = burin(&[
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{input:?}: {err}");
        assert!(
            err.contains(input.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
        assert!(
            err.contains(says) || err.contains("CRC") || err.contains("broken"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "no partial output");
    }
}

#[test]
fn a_raster_too_fast_for_the_link_is_named_and_can_be_capped() {
    let dir = scratch("fastraster");
    let png = dir.join("noise.png");
    // Fine checkerboard stripes: a pulse every pixel.
    let img = image::GrayImage::from_fn(200, 20, |x, _| {
        image::Luma([if x % 2 == 0 { 0 } else { 255 }])
    });
    img.save(&png).unwrap();
    let out = dir.join("fast.gcode");
    let args = |cap: bool| {
        let mut a = vec![
            "convert".to_string(),
            png.to_str().unwrap().to_string(),
            "--mode".into(),
            "image".into(),
            "--dither".into(),
            "threshold".into(),
            "--width".into(),
            "20".into(),
            "--interval".into(),
            "0.1".into(),
            "--speed".into(),
            "6000".into(),
            "-o".into(),
            out.to_str().unwrap().to_string(),
        ];
        if cap {
            a.push("--cap-feed".into());
        }
        a
    };
    let o = burin(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        text.contains("will stutter") && text.contains("Highest feed"),
        "{text}"
    );
    let o = burin(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(!text.contains("will stutter"), "{text}");
    assert!(
        !text.contains("6000 mm/min"),
        "the feed was lowered: {text}"
    );
}

#[test]
fn fills_scan_as_one_region_unless_asked_shape_by_shape() {
    // Two 10 x 10 mm squares overlapping by half: 150 mm² as one region, 200 mm² apart.
    let dir = scratch("fill-style");
    let svg = dir.join("overlap.svg");
    std::fs::write(
        &svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="40mm" viewBox="0 0 60 40">
             <rect x="20" y="10" width="10" height="10" fill="black"/>
             <rect x="25" y="10" width="10" height="10" fill="black"/></svg>"#,
    )
    .unwrap();
    let cut_mm = |style: &str| -> f64 {
        let out = dir.join(format!("{style}.gcode"));
        let o = burin(&[
            "convert",
            svg.to_str().unwrap(),
            "--fill-style",
            style,
            "--interval",
            "0.5",
            "--json",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["stats"]["cut_mm"].as_f64().unwrap()
    };
    let (region, shapes) = (cut_mm("region"), cut_mm("shapes"));
    assert!((region * 0.5 - 150.0).abs() < 1.0, "{region}");
    assert!((shapes * 0.5 - 200.0).abs() < 1.0, "{shapes}");
}
