//! `burin presets …` as a user runs it, always on a `--library` in a scratch folder.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn burin(lib: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_burin"))
        .arg("presets")
        .arg("--library")
        .arg(lib)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("burin-cli-presets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/design/tests/fixtures/presets")
        .join(name)
        .display()
        .to_string()
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}\n{}", stdout(o), stderr(o));
}

#[test]
fn list_shows_the_builtins_and_searches_without_writing() {
    let dir = scratch("list");
    let lib = dir.join("presets.toml");
    let o = burin(&lib, &["list"]);
    ok(&o);
    let out = stdout(&o);
    let header = out.lines().next().unwrap();
    for col in [
        "NAME",
        "MATERIAL",
        "THICKNESS",
        "MODE",
        "SPEED",
        "POWER",
        "PASSES",
        "MACHINE",
    ] {
        assert!(header.contains(col), "{header}");
    }
    assert!(out.contains("Plywood 3 mm cut (diode)"));
    assert!(out.contains("350 mm/min"));

    let o = burin(&lib, &["list", "--search", "acrylic"]);
    ok(&o);
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r.contains("Acrylic") && r.contains("40 W CO2")),
        "{rows:?}"
    );
    assert!(!lib.exists(), "reading never writes");

    let o = burin(&lib, &["show", "acrylic 3 mm cut (co2)"]);
    ok(&o);
    assert!(stdout(&o).contains("name:        Acrylic 3 mm cut (CO2)"));
    assert!(stdout(&o).contains("test on scrap"));
}

#[test]
fn add_edit_show_remove() {
    let dir = scratch("edit");
    let lib = dir.join("presets.toml");
    let add = [
        "add",
        "--name",
        "Peuplier 3 mm gravure",
        "--material",
        "Contreplaqué peuplier",
        "--thickness",
        "3",
        "--mode",
        "fill",
        "--speed",
        "3500",
        "--power",
        "28",
        "--interval",
        "0.08",
        "--angle",
        "-45",
        "--machine",
        "10 W diode",
        "--notes",
        "testé sur chute",
    ];
    let o = burin(&lib, &add);
    ok(&o);
    assert!(stdout(&o).contains("added \"Peuplier 3 mm gravure\""));
    let text = std::fs::read_to_string(&lib).unwrap();
    assert!(text.contains("name = \"Peuplier 3 mm gravure\""), "{text}");
    assert!(text.contains("material = \"Contreplaqué peuplier\""));
    assert!(
        text.contains("Plywood 3 mm cut (diode)"),
        "the built-ins are kept"
    );

    let o = burin(&lib, &add);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));

    let o = burin(&lib, &["show", "peuplier 3 mm gravure"]);
    ok(&o);
    let s = stdout(&o);
    for want in [
        "mode:        fill",
        "speed:       3500 mm/min",
        "power:       28 %",
        "interval:    0.08 mm",
        "angle:       -45°",
        "air assist:  off",
        "  testé sur chute",
    ] {
        assert!(s.contains(want), "{want} in\n{s}");
    }

    let o = burin(
        &lib,
        &[
            "edit",
            "Peuplier 3 mm gravure",
            "--name",
            "Peuplier gravure",
            "--thickness",
            "none",
            "--air",
            "--min-power",
            "5",
            "--passes",
            "2",
        ],
    );
    ok(&o);
    let s = stdout(&burin(&lib, &["show", "Peuplier gravure"]));
    for want in [
        "thickness:   -",
        "air assist:  on",
        "power:       5-28 %",
        "passes:      2",
        "speed:       3500 mm/min",
    ] {
        assert!(s.contains(want), "{want} in\n{s}");
    }
    assert!(
        lib.with_file_name("presets.toml.bak").exists(),
        "the previous save is kept"
    );

    // Out-of-range values are refused and the file is left as it was.
    let before = std::fs::read_to_string(&lib).unwrap();
    let o = burin(&lib, &["edit", "Peuplier gravure", "--power", "150"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("power must be 0..100"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), before);
    let o = burin(
        &lib,
        &[
            "add", "--name", "x", "--mode", "weld", "--speed", "1", "--power", "1",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cut, fill or image"), "{}", stderr(&o));

    let o = burin(&lib, &["remove", "PEUPLIER GRAVURE"]);
    ok(&o);
    assert!(stdout(&o).contains("removed \"Peuplier gravure\""));
    let o = burin(&lib, &["show", "Peuplier gravure"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no preset named"), "{}", stderr(&o));
}

#[test]
fn import_reports_what_was_read_and_skipped() {
    let dir = scratch("import");
    let lib = dir.join("presets.toml");
    let o = burin(&lib, &["import", &fixture("atelier.clb")]);
    ok(&o);
    let s = stdout(&o);
    assert!(
        s.contains("LightBurn library (.clb) (5 imported, 4 skipped)"),
        "{s}"
    );
    assert!(
        s.contains("  + Contreplaqué peuplier 3 mm - Découpe"),
        "{s}"
    );
    assert!(
        s.contains("  - Contreplaqué peuplier 3 mm - Fraise: LightBurn \"Tool\""),
        "{s}"
    );
    let o = burin(&lib, &["list", "--search", "cuir"]);
    assert!(stdout(&o).contains("450 mm/min"), "{}", stdout(&o));

    // Importing again replaces rather than duplicates.
    let o = burin(&lib, &["import", &fixture("atelier.clb")]);
    ok(&o);
    assert!(stdout(&o).contains("(replaced the one of that name)"));
    let o = burin(&lib, &["list", "--search", "Ardoise - Photo"]);
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));

    // A LaserGRBL file under another extension is recognised by its content.
    let renamed = dir.join("materials.xml");
    std::fs::copy(fixture("materials.psh"), &renamed).unwrap();
    let o = burin(&lib, &["import", renamed.to_str().unwrap()]);
    ok(&o);
    assert!(stdout(&o).contains("LaserGRBL material database (.psh) (3 imported, 4 skipped)"));

    let o = burin(&lib, &["import", &fixture("broken.clb")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("broken.clb: line 8, column"),
        "{}",
        stderr(&o)
    );
    let empty = dir.join("empty.clb");
    std::fs::write(&empty, "<LightBurnLibrary DisplayName=\"x\"/>").unwrap();
    let o = burin(&lib, &["import", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("nothing imported"));
}

#[test]
fn export_to_each_format_imports_back() {
    let dir = scratch("export");
    let lib = dir.join("presets.toml");
    for ext in ["clb", "psh", "toml"] {
        let file = dir.join(format!("co2.{ext}"));
        let o = burin(&lib, &["export", file.to_str().unwrap(), "--search", "co2"]);
        ok(&o);
        assert!(stdout(&o).contains("21 presets written"), "{}", stdout(&o));
        let fresh = dir.join(format!("fresh-{ext}.toml"));
        let o = burin(&fresh, &["import", file.to_str().unwrap()]);
        ok(&o);
        assert!(
            stdout(&o).contains("(21 imported, 0 skipped)"),
            "{}",
            stdout(&o)
        );
    }
    let o = burin(
        &dir.join("fresh-clb.toml"),
        &["show", "Acrylic 3 mm cut (CO2)"],
    );
    ok(&o);
    assert!(
        stdout(&o).contains("speed:       720 mm/min"),
        "{}",
        stdout(&o)
    );
    let o = burin(&lib, &["export", dir.join("x.txt").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".clb (LightBurn)"), "{}", stderr(&o));
}

#[test]
fn a_corrupt_library_is_reported_and_kept() {
    let dir = scratch("corrupt");
    let lib = dir.join("presets.toml");
    std::fs::write(
        &lib,
        "version = 1\n[[preset]]\nname = \"Mine\"\nspeed_mm_min = fast\n",
    )
    .unwrap();
    let o = burin(&lib, &["list", "--search", "slate"]);
    ok(&o);
    assert!(
        stderr(&o).contains("presets.toml: line 4:"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("using the built-in presets"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("Slate fill (diode)"));
    let copy = dir.join("presets.toml.corrupt-1");
    assert!(copy.exists());

    let o = burin(
        &lib,
        &[
            "add", "--name", "New", "--mode", "cut", "--speed", "300", "--power", "90",
        ],
    );
    ok(&o);
    assert!(
        std::fs::read_to_string(&copy)
            .unwrap()
            .contains("speed_mm_min = fast")
    );
    let o = burin(&lib, &["show", "New"]);
    ok(&o);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}
