//! `burin test-grid` as a user runs it: the table, the G-code (checked cell by cell against
//! the table), the SVG, refusals, and `--save-cell` into a scratch library.

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
    let dir = std::env::temp_dir().join(format!("burin-cli-grid-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Table rows: (row, col, speed, power, passes, layer).
fn table(stdout: &str) -> Vec<(u32, u32, f64, f64, u32, String)> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("ROW"))
        .skip(1)
        .take_while(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[5].parse().unwrap(),
                f[6].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_three_by_four_grid_burns_what_its_table_says() {
    let dir = scratch("grid");
    let out = dir.join("grid.gcode");
    let svg = dir.join("grid.svg");
    let o = burin(&[
        "test-grid",
        "--rows",
        "3",
        "--cols",
        "4",
        "--speeds",
        "1000..3000",
        "--powers",
        "20..80",
        "-o",
        s(&out),
        "--svg",
        s(&svg),
    ]);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stdout}{stderr}");
    let cells = table(&stdout);
    assert_eq!(cells.len(), 12, "{stdout}");
    assert_eq!(cells[6], (2, 3, 2000.0, 60.0, 1, cells[6].5.clone()));

    // Replay: per layer (one per cell), the F and S in force whenever the laser fires.
    let program = burin_gcode::parse_program(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let report = burin_gcode::preflight(&program, &burin_gcode::MachineProfile::default());
    assert!(report.is_ok(), "{:?}", report.findings);
    let mut modal = Vec::new();
    let (mut f, mut sv) = (f64::NAN, 0.0);
    for line in program.lines() {
        f = line.get('F').unwrap_or(f);
        sv = line.get('S').unwrap_or(sv);
        modal.push((f, sv));
    }
    let path = burin_gcode::preview(&program, 1000.0);
    let mut seen = vec![false; cells.len()];
    let mut label_burns = 0;
    for seg in &path.segments {
        if seg.kind != burin_gcode::SegKindPreview::Cut {
            continue;
        }
        let layer = &path.layers[usize::from(seg.layer)];
        let (feed, s_word) = modal[seg.line_idx as usize];
        if layer == "#000000" {
            assert_eq!((feed, s_word), (1500.0, 200.0), "labels: 1500 mm/min, 20 %");
            label_burns += 1;
            continue;
        }
        let i = cells.iter().position(|c| &c.5 == layer).unwrap();
        let (_, _, speed, power, _, _) = &cells[i];
        assert_eq!(feed, *speed, "{layer}");
        assert_eq!(s_word, power * 10.0, "{layer}");
        seen[i] = true;
    }
    assert!(seen.iter().all(|s| *s), "every cell burns");
    assert!(label_burns > 100);
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(svg_text.matches("<g id=\"layer-").count(), 13);
}

#[test]
fn save_cell_keeps_that_cells_settings_as_a_preset() {
    let dir = scratch("save");
    let lib = dir.join("presets.toml");
    let grid = [
        "test-grid",
        "--mode",
        "cut",
        "--vary",
        "passes",
        "--rows",
        "3",
        "--cols",
        "4",
        "--speeds",
        "200..400",
        "--powers",
        "90",
    ];
    let mut args = grid.to_vec();
    args.extend([
        "--save-cell",
        "2,3",
        "--name",
        "Birch 3 mm cut (my diode)",
        "--material",
        "Birch plywood",
        "--thickness",
        "3",
        "--library",
        s(&lib),
    ]);
    let o = burin(&args);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("saved cell 2,3 (300 mm/min, 90 %, 3 pass(es))"),
        "{stdout}"
    );

    let o = burin(&[
        "presets",
        "--library",
        s(&lib),
        "show",
        "Birch 3 mm cut (my diode)",
    ]);
    let (shown, _) = text(&o);
    assert!(o.status.success());
    for want in [
        "material:    Birch plywood",
        "thickness:   3 mm",
        "mode:        cut",
        "speed:       300 mm/min",
        "power:       90 %",
        "passes:      3",
    ] {
        assert!(shown.contains(want), "{want}: {shown}");
    }
    // The same name again is refused, and the library is unchanged.
    let before = std::fs::read_to_string(&lib).unwrap();
    let o = burin(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("already exists"));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), before);

    let mut bad = grid.to_vec();
    bad.extend([
        "--save-cell",
        "4,1",
        "--name",
        "x",
        "--material",
        "y",
        "--library",
        s(&lib),
    ]);
    let o = burin(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("the grid has 3 rows and 4 columns"));
}

#[test]
fn bad_grids_and_oversized_jobs_write_nothing() {
    let dir = scratch("bad");
    let out = dir.join("never.gcode");
    let cases: [(&[&str], &str); 4] = [
        (&["--rows", "0"], "rows must be 1..20"),
        (
            &["--mode", "cut", "--vary", "interval"],
            "cut squares have no line interval",
        ),
        (
            &["--vary", "interval", "--powers", "10..20"],
            "power is fixed",
        ),
        (&["--speeds", "fast"], "--speeds: 'fast' is not a number"),
    ];
    for (extra, want) in cases {
        let mut args = vec!["test-grid", "-o", s(&out)];
        args.extend_from_slice(extra);
        let o = burin(&args);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(want), "{extra:?}: {err}");
        assert!(!out.exists());
    }
    let o = burin(&["test-grid", "-o", s(&out), "--work-area", "40x40"]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(!out.exists(), "refused by preflight");
}

#[test]
fn a_grid_placed_at_the_head_is_centred_there() {
    let dir = scratch("current");
    let out = dir.join("current.gcode");
    let o = burin(&[
        "test-grid",
        "--mode",
        "image",
        "--rows",
        "2",
        "--cols",
        "2",
        "--origin",
        "current",
        "--anchor",
        "center",
        "-o",
        s(&out),
    ]);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stdout}{stderr}");
    let gcode = std::fs::read_to_string(&out).unwrap();
    assert!(
        gcode.contains("; Origin: Center of the job"),
        "{gcode:.300}"
    );
    let o = burin(&["info", s(&out), "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let b = &info["stats"]["bounds"];
    assert!(b["x_min_mm"].as_f64().unwrap() < 0.0 && b["x_max_mm"].as_f64().unwrap() > 0.0);
}
