//! Golden G-code for a dozen corpus files, compared token by token with a float tolerance.
//! Regenerate with `UPDATE_EXPECT=1 cargo test -p burin-controller --test golden`.
//! Every golden file must also pass preflight.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

mod common;

use std::path::Path;

use burin_controller::convert_svg_file;
use burin_gcode::{LineKind, MachineProfile, parse_program, preflight};

const FILES: &[&str] = &[
    "boxes_TrayInsert_3x4",
    "boxes_Gears_24-12",
    "lineart_tabler_rocket",
    "lineart_tabler_settings",
    "logo_simpleicons_inkscape",
    "logo_simpleicons_debian",
    "inkscape_ex_live-path-effects-gears",
    "resvg_shapes_circle_simple-case",
    "resvg_painting_fill-rule_evenodd",
    "resvg_masking_clipPath_simple-case",
    "resvg_text_text_simple-case",
    "resvg_structure_transform_rotate-at-position",
    "resvg_painting_stroke-dasharray_mm-units",
];

/// Numbers may differ by this much (mm, or S units) between platforms' float rounding.
const TOLERANCE: f64 = 0.0015;

fn golden_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn corpus_files_match_their_golden_gcode() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for name in FILES {
        let svg = corpus.join("svg").join(format!("{name}.svg"));
        let outcome =
            convert_svg_file(&svg, &common::big_machine()).unwrap_or_else(|e| panic!("{e}"));
        let text = outcome.program.to_text();
        let path = golden_dir().join(format!("{name}.gcode"));
        if update {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_EXPECT=1 creates it)", path.display()));
        if let Err(why) = same_tokens(&expected, &text) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches (UPDATE_EXPECT=1 to accept):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_golden_file_passes_preflight() {
    let mut count = 0;
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "gcode") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let program = parse_program(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let profile = MachineProfile {
            travel_x_mm: 2000.0,
            travel_y_mm: 2000.0,
            ..MachineProfile::default()
        };
        let report = preflight(&program, &profile);
        assert!(
            report.is_ok() && report.findings.is_empty(),
            "{}:\n{report}",
            path.display()
        );
        count += 1;
    }
    assert!(count >= FILES.len(), "only {count} golden files");
}

/// A command line's source number and its words.
type CommandLine = (usize, Vec<(char, f64)>);

/// Compares the words of two programs, ignoring comments; numbers within TOLERANCE.
fn same_tokens(expected: &str, actual: &str) -> Result<(), String> {
    let words = |text: &str| -> Result<Vec<CommandLine>, String> {
        let p = parse_program(text).map_err(|e| e.to_string())?;
        Ok(p.lines()
            .filter_map(|l| match &l.kind {
                LineKind::Words(w) => {
                    Some((l.number, w.iter().map(|w| (w.letter, w.value)).collect()))
                }
                _ => None,
            })
            .collect())
    };
    let (e, a) = (words(expected)?, words(actual)?);
    if e.len() != a.len() {
        return Err(format!(
            "{} command lines expected, {} produced",
            e.len(),
            a.len()
        ));
    }
    for ((ln, ew), (_, aw)) in e.iter().zip(&a) {
        let same = ew.len() == aw.len()
            && ew
                .iter()
                .zip(aw)
                .all(|(x, y)| x.0 == y.0 && (x.1 - y.1).abs() <= TOLERANCE);
        if !same {
            return Err(format!("golden line {ln}: expected {ew:?}, got {aw:?}"));
        }
    }
    Ok(())
}
