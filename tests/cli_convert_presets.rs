//! `burin convert --preset NAME` and `--layer COLOUR=PRESET` as a user runs them, on a
//! library in a scratch folder: the G-code carries the preset's F and S, passes repeat,
//! explicit flags win, unknown names fail with exit 2 and no file.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A red outline (a Line layer) and a blue filled square (a Fill layer), 20 mm each.
const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="30mm" viewBox="0 0 60 30">
  <rect x="5" y="5" width="20" height="20" fill="none" stroke="#ff0000" stroke-width="0.1"/>
  <rect x="35" y="5" width="20" height="20" fill="#0000ff"/>
</svg>"##;

const LIBRARY: &str = r#"version = 1

[[preset]]
name = "Test cut 3 mm"
material = "Birch"
thickness_mm = 3.0
mode = "cut"
speed_mm_min = 345.0
power_max_pct = 65.0
passes = 3

[[preset]]
name = "Test fill"
mode = "fill"
speed_mm_min = 2345.0
power_max_pct = 35.0
interval_mm = 0.2
"#;

struct Scratch {
    dir: PathBuf,
    svg: PathBuf,
    lib: PathBuf,
}

fn scratch(name: &str) -> Scratch {
    let dir =
        std::env::temp_dir().join(format!("burin-cli-cpresets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("two.svg");
    std::fs::write(&svg, SVG).unwrap();
    let lib = dir.join("presets.toml");
    std::fs::write(&lib, LIBRARY).unwrap();
    Scratch { dir, svg, lib }
}

/// `burin convert two.svg -o OUT --library LIB ARGS…`, with a config folder of its own.
fn convert(s: &Scratch, out: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_burin"))
        .env("XDG_CONFIG_HOME", s.dir.join("config"))
        .env("HOME", &s.dir)
        .arg("convert")
        .arg(&s.svg)
        .arg("-o")
        .arg(out)
        .arg("--library")
        .arg(&s.lib)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What one layer burned: every (F, S) pair in force while the laser fired, and the length.
#[derive(Debug, Default)]
struct Burned {
    feeds_and_s: Vec<(f64, f64)>,
    mm: f64,
}

fn burned(gcode: &Path) -> BTreeMap<String, Burned> {
    let text = std::fs::read_to_string(gcode).unwrap();
    let program = burin_gcode::parse_program(&text).unwrap();
    let mut modal = Vec::new();
    let (mut f, mut s) = (f64::NAN, 0.0);
    for line in program.lines() {
        f = line.get('F').unwrap_or(f);
        s = line.get('S').unwrap_or(s);
        modal.push((f, s));
    }
    let path = burin_gcode::preview(&program, 1000.0);
    let mut out: BTreeMap<String, Burned> = BTreeMap::new();
    for seg in &path.segments {
        if seg.kind != burin_gcode::SegKindPreview::Cut {
            continue;
        }
        let layer = path.layers[usize::from(seg.layer)].clone();
        let b = out.entry(layer).or_default();
        let fs = modal[seg.line_idx as usize];
        if !b.feeds_and_s.contains(&fs) {
            b.feeds_and_s.push(fs);
        }
        let (dx, dy) = (seg.to[0] - seg.from[0], seg.to[1] - seg.from[1]);
        b.mm += f64::from(dx.hypot(dy));
    }
    out
}

#[test]
fn a_preset_for_every_layer_sets_feed_power_and_passes() {
    let s = scratch("all");
    let out = s.dir.join("all.gcode");
    let o = convert(&s, &out, &["--preset", "Test cut 3 mm"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("preset \"Test cut 3 mm\" on every layer"),
        "{stdout}"
    );
    // Same settings now, so the two layers burn as one block.
    let b = burned(&out);
    let burn = &b["#ff0000+#0000ff"];
    // S = 65 % of $30 = 1000.
    assert_eq!(burn.feeds_and_s, [(345.0, 650.0)]);
    // Both squares are cut now, three times round: 2 × 3 × 80 mm.
    assert!((burn.mm - 480.0).abs() < 0.01, "{} mm", burn.mm);
}

#[test]
fn layer_presets_pick_by_colour_and_ignore_case() {
    let s = scratch("layers");
    let out = s.dir.join("layers.gcode");
    let o = convert(
        &s,
        &out,
        &[
            "--layer",
            "#ff0000=Test cut 3 mm",
            "--layer",
            "#00f=test FILL",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let b = burned(&out);
    let red = &b["#ff0000"];
    assert_eq!(red.feeds_and_s, [(345.0, 650.0)]);
    assert!((red.mm - 240.0).abs() < 0.01, "{red:?}");
    let blue = &b["#0000ff"];
    assert_eq!(blue.feeds_and_s, [(2345.0, 350.0)]);
    // 20 × 20 mm hatched at 0.2 mm: about 100 lines of 20 mm.
    assert!((1900.0..2100.0).contains(&blue.mm), "{blue:?}");
}

#[test]
fn explicit_flags_and_keys_win_over_presets() {
    let s = scratch("win");
    let out = s.dir.join("win.gcode");
    let o = convert(
        &s,
        &out,
        &[
            "--preset",
            "Test cut 3 mm",
            "--speed",
            "999",
            "--layer",
            "#0000ff:passes=1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let b = burned(&out);
    assert_eq!(b["#ff0000"].feeds_and_s, [(999.0, 650.0)]);
    assert!((b["#ff0000"].mm - 240.0).abs() < 0.01);
    assert_eq!(b["#0000ff"].feeds_and_s, [(999.0, 650.0)]);
    assert!((b["#0000ff"].mm - 80.0).abs() < 0.01, "one pass by key");
}

#[test]
fn unknown_presets_fail_with_close_names_and_no_file() {
    let s = scratch("unknown");
    let out = s.dir.join("never.gcode");
    let cases: [(&[&str], &str); 4] = [
        (
            &["--preset", "test cut"],
            r#"--preset: no preset named "test cut"; close names: "Test cut 3 mm""#,
        ),
        (
            &["--layer", "#ff0000=Cut"],
            r#"--layer #ff0000: no preset named "Cut"; close names: "Test cut 3 mm""#,
        ),
        (
            &["--layer", "#ff0000=Walnut veneer"],
            "(see `burin presets list`)",
        ),
        (
            &["--layer", "#00ff00=Test fill"],
            "no layer has colour #00ff00",
        ),
    ];
    for (args, want) in cases {
        let o = convert(&s, &out, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!out.exists(), "{args:?}: no output file");
    }
}

#[test]
fn without_a_library_file_the_builtins_are_used() {
    let s = scratch("builtin");
    let out = s.dir.join("builtin.gcode");
    let o = Command::new(env!("CARGO_BIN_EXE_burin"))
        .env("XDG_CONFIG_HOME", s.dir.join("config"))
        .env("HOME", &s.dir)
        .arg("convert")
        .arg(&s.svg)
        .arg("-o")
        .arg(&out)
        .args(["--preset", "plywood 3 mm cut (diode)"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let b = burned(&out);
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(
        b.values().all(|l| l.feeds_and_s == [(350.0, 1000.0)]),
        "{b:?}"
    );
    assert!(
        !s.dir.join("config").exists(),
        "converting never writes the library"
    );
}
