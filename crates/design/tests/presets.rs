//! Material presets: the TOML library (versions, errors with lines, lookups) and the
//! built-in starter library. Import and export: `preset_exchange.rs`.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::path::{Path, PathBuf};

use burin_design::preset::{BUILTIN_TOML, LIBRARY_VERSION, read_preset_file};
use burin_design::{DitherKind, Library, Mode, Operation, Preset, PresetError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/presets")
        .join(name)
}

fn read(name: &str) -> String {
    read_preset_file(&fixture(name)).unwrap()
}

fn preset(name: &str, mode: Mode) -> Preset {
    Preset::new(name, mode)
}

#[test]
fn builtin_library_validates_and_covers_the_common_materials() {
    let parsed = Library::parse_toml(BUILTIN_TOML).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.migrated_from, None);
    let lib = Library::builtin();
    assert_eq!(lib, parsed.library);
    assert!(lib.presets.len() >= 30);
    for p in &lib.presets {
        p.validate().unwrap();
        assert!(p.notes.contains("test on scrap"), "{}: {}", p.name, p.notes);
        assert!(
            p.machine == "5-10 W diode" || p.machine == "40 W CO2",
            "{}",
            p.name
        );
        assert_eq!(lib.find(&p.name).unwrap(), p, "names are unique");
    }
    let has = |machine: &str, material: &str, thickness: Option<f64>, mode: Mode| {
        lib.presets.iter().any(|p| {
            p.machine.contains(machine)
                && p.material.starts_with(material)
                && (thickness.is_none() || p.thickness_mm == thickness)
                && p.mode == mode
        })
    };
    for machine in ["diode", "CO2"] {
        for material in ["Plywood", "MDF"] {
            for t in [3.0, 6.0] {
                assert!(
                    has(machine, material, Some(t), Mode::Line),
                    "{machine} {material} {t}"
                );
                assert!(
                    has(machine, material, Some(t), Mode::Fill),
                    "{machine} {material} {t}"
                );
            }
        }
        for material in ["Cardboard", "Leather", "Cork"] {
            assert!(
                has(machine, material, None, Mode::Line),
                "{machine} {material}"
            );
            assert!(
                has(machine, material, None, Mode::Fill),
                "{machine} {material}"
            );
        }
        assert!(has(machine, "Anodised aluminium", None, Mode::Fill));
        assert!(has(machine, "Slate", None, Mode::Fill));
        assert!(has(machine, "Slate", None, Mode::Image));
        assert!(has(machine, "Plywood", Some(3.0), Mode::Image));
        assert!(
            !has(machine, "Slate", None, Mode::Line),
            "slate is engraved, not cut"
        );
    }
    assert!(has("CO2", "Acrylic", Some(3.0), Mode::Line));
    assert!(
        !lib.presets
            .iter()
            .any(|p| p.machine.contains("diode") && p.material.contains("Acrylic"))
    );

    // Realistic figures: a 10 W diode cuts 3 mm ply at 300-400 mm/min, full power, 2 passes;
    // a 40 W CO2 cuts 3 mm acrylic at 600-900 mm/min, 60-70 %.
    let ply = lib.find("Plywood 3 mm cut (diode)").unwrap();
    assert!((300.0..=400.0).contains(&ply.speed_mm_min));
    assert_eq!(
        (ply.power_max_pct, ply.passes, ply.air_assist),
        (100.0, 2, true)
    );
    let fill = lib.find("Plywood 3 mm fill (diode)").unwrap();
    assert!((3000.0..=6000.0).contains(&fill.speed_mm_min));
    assert!((20.0..=40.0).contains(&fill.power_max_pct));
    let acrylic = lib.find("Acrylic 3 mm cut (CO2)").unwrap();
    assert!((600.0..=900.0).contains(&acrylic.speed_mm_min));
    assert!((60.0..=70.0).contains(&acrylic.power_max_pct));
}

#[test]
fn toml_round_trip_keeps_everything() {
    let mut lib = Library::builtin();
    let mut p = preset("Gravure \"fine\" — érable", Mode::Image);
    p.material = "Érable\tmassif".replace('\t', " ");
    p.notes = "ligne 1\nligne 2 # pas un commentaire".into();
    p.dither = Some(DitherKind::FloydSteinberg);
    lib.add(p).unwrap();
    let text = lib.to_toml().unwrap();
    assert!(text.starts_with("# Burin material presets"));
    assert!(text.contains("\nversion = 1\n"), "{}", &text[..400]);
    assert!(text.contains("[[preset]]"));
    assert!(text.contains("mode = \"cut\""));
    assert!(text.contains("dither = \"floyd-steinberg\""));
    assert_eq!(Library::from_toml(&text).unwrap(), lib);
}

#[test]
fn hand_written_minimal_preset_takes_defaults() {
    let text = "version = 1\n\n[[preset]]\nname = \"Mine\"\nmode = \"engrave\"\nspeed_mm_min = 2000\npower_max_pct = 20\n";
    let lib = Library::from_toml(text).unwrap();
    let p = &lib.presets[0];
    assert_eq!(p.mode, Mode::Fill);
    assert_eq!(p.speed_mm_min, 2000.0);
    assert_eq!((p.power_min_pct, p.passes, p.air_assist), (0.0, 1, false));
    assert_eq!(
        (p.thickness_mm, p.interval_mm, p.dither),
        (None, None, None)
    );
    assert_eq!(p.material, "");
    assert_eq!(Library::from_toml("version = 1\n").unwrap(), Library::new());
}

#[test]
fn version_0_file_is_migrated() {
    let parsed = Library::parse_toml(&read("v0.toml")).unwrap();
    assert_eq!(parsed.migrated_from, Some(0));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let lib = parsed.library;
    assert_eq!(lib.version, LIBRARY_VERSION);
    let cut = lib.find("Bouleau 3 mm découpe").unwrap();
    assert_eq!(cut.mode, Mode::Line);
    assert_eq!(cut.speed_mm_min, 330.0, "5.5 mm/s");
    assert_eq!(
        (cut.power_max_pct, cut.passes, cut.air_assist),
        (100.0, 2, true)
    );
    assert_eq!(cut.thickness_mm, Some(3.0));
    assert_eq!(cut.material, "Contreplaqué bouleau");
    assert_eq!(cut.notes, "bords propres à 2 passes");
    let engrave = lib.find("Bouleau gravure").unwrap();
    assert_eq!(engrave.mode, Mode::Fill);
    assert_eq!(engrave.speed_mm_min, 4000.0);
    assert_eq!(engrave.interval_mm, Some(0.1));
    assert_eq!(engrave.thickness_mm, None);
    let photo = lib.find("Ardoise photo").unwrap();
    assert_eq!(
        (photo.mode, photo.thickness_mm, photo.speed_mm_min),
        (Mode::Image, None, 2400.0)
    );
    // Saved again, it is a version 1 file that reads back the same.
    let again = Library::parse_toml(&lib.to_toml().unwrap()).unwrap();
    assert_eq!(again.migrated_from, None);
    assert_eq!(again.library, lib);
}

#[test]
fn newer_versions_are_refused() {
    let e = Library::from_toml("version = 2\n[[preset]]\nname = \"x\"\nlaser = \"fiber\"\n")
        .unwrap_err();
    assert_eq!(e, PresetError::TooNew { found: 2 });
    assert!(e.to_string().contains("newer Burin"), "{e}");
    let e = Library::from_toml("\nversion = \"one\"\n").unwrap_err();
    assert!(e.to_string().starts_with("line 2: version"), "{e}");
}

#[test]
fn parse_errors_name_their_line() {
    let ok = "version = 1\n\n[[preset]]\nname = \"A\"\nmode = \"cut\"\nspeed_mm_min = 300\npower_max_pct = 100\n";
    let cases = [
        (ok.replace("name = \"A\"", "name = \"A"), 4, "string"),
        (
            ok.replace("speed_mm_min = 300", "speed_mm_min = \"fast\""),
            6,
            "expected a number",
        ),
        (
            ok.replace("power_max_pct", "power_max_pc"),
            7,
            "power_max_pc",
        ),
        (ok.replace("\"cut\"", "\"weld\""), 5, "unknown mode"),
        (format!("{ok}dither = \"sepia\"\n"), 8, "unknown dither"),
        (ok.replace("mode = \"cut\"\n", ""), 3, "mode"),
        (format!("{ok}passes = 2.5\n"), 8, "whole number"),
    ];
    for (text, line, what) in cases {
        let e = Library::from_toml(&text).unwrap_err();
        let PresetError::Toml { line: Some(l), .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(*l, line, "{e}");
        let msg = e.to_string();
        assert!(msg.starts_with(&format!("line {line}: ")), "{msg}");
        assert!(msg.contains(what), "{msg} should mention {what}");
    }
}

#[test]
fn out_of_range_values_load_and_are_listed_with_their_line() {
    let text = "version = 1\n[[preset]]\nname = \"A\"\nmode = \"cut\"\nspeed_mm_min = 300\npower_max_pct = 100\n\n[[preset]]\nname = \"B\"\nmode = \"fill\"\nspeed_mm_min = 300\npower_max_pct = 150\n\n[[preset]]\nname = \"a\"\nmode = \"cut\"\nspeed_mm_min = 300\npower_max_pct = 10\n";
    let parsed = Library::parse_toml(text).unwrap();
    assert_eq!(parsed.library.presets.len(), 3);
    assert_eq!(parsed.problems.len(), 2, "{:?}", parsed.problems);
    assert!(
        parsed.problems[0].starts_with("line 8: preset \"B\": power"),
        "{:?}",
        parsed.problems
    );
    assert!(
        parsed.problems[1].starts_with("line 14: "),
        "{:?}",
        parsed.problems
    );
    assert!(
        parsed.problems[1].contains("line 2"),
        "{:?}",
        parsed.problems
    );
}

#[test]
fn find_search_add_replace_update_remove() {
    let mut lib = Library::builtin();
    assert_eq!(
        lib.find("plywood 3 MM cut (diode)").unwrap().name,
        "Plywood 3 mm cut (diode)"
    );
    assert!(lib.find("Plywood").is_none());

    let hits = lib.search("plywood 3mm co2");
    assert_eq!(
        hits.len(),
        3,
        "{:?}",
        hits.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
    assert!(
        hits.iter()
            .all(|p| p.thickness_mm == Some(3.0) && p.machine.contains("CO2"))
    );
    assert!(
        lib.search("acrylic")
            .iter()
            .all(|p| p.machine == "40 W CO2")
    );
    assert!(lib.search("slate image").len() == 2);
    assert_eq!(lib.search("").len(), lib.presets.len());
    assert!(lib.search("titanium").is_empty());
    assert!(lib.of_mode(Mode::Image).all(|p| p.dither.is_some()));

    let mine = Preset {
        material: "Contreplaqué peuplier".into(),
        thickness_mm: Some(3.0),
        ..preset("Peuplier 3 mm", Mode::Line)
    };
    lib.add(mine.clone()).unwrap();
    assert_eq!(lib.search("peuplier 3").len(), 1);
    assert_eq!(
        lib.add(Preset {
            name: "PEUPLIER 3 MM".into(),
            ..mine.clone()
        }),
        Err(PresetError::Duplicate("PEUPLIER 3 MM".into()))
    );
    let bad = Preset {
        passes: 0,
        ..mine.clone()
    };
    assert!(matches!(
        lib.add(Preset {
            name: "new".into(),
            ..bad.clone()
        }),
        Err(PresetError::Invalid { .. })
    ));

    let faster = Preset {
        speed_mm_min: 500.0,
        ..mine.clone()
    };
    assert_eq!(lib.replace(faster.clone()).unwrap(), Some(mine.clone()));
    assert_eq!(lib.find("Peuplier 3 mm").unwrap().speed_mm_min, 500.0);

    let renamed = Preset {
        name: "Plywood 3 mm cut (diode)".into(),
        ..faster.clone()
    };
    assert!(matches!(
        lib.update("Peuplier 3 mm", renamed),
        Err(PresetError::Duplicate(_))
    ));
    let renamed = Preset {
        name: "Peuplier 3 mm, 2 passes".into(),
        passes: 2,
        ..faster
    };
    lib.update("peuplier 3 mm", renamed).unwrap();
    assert!(lib.find("Peuplier 3 mm").is_none());
    assert_eq!(lib.remove("Peuplier 3 mm, 2 passes").unwrap().passes, 2);
    assert_eq!(
        lib.remove("nothing"),
        Err(PresetError::NotFound("nothing".into()))
    );

    // Two names equal ignoring case (hand-edited file): exact lookups still work, a
    // case-insensitive one is ambiguous and finds nothing.
    lib.presets.push(preset("Twin", Mode::Line));
    lib.presets.push(preset("TWIN", Mode::Fill));
    assert_eq!(lib.find("TWIN").unwrap().mode, Mode::Fill);
    assert!(lib.find("twin").is_none());
}

#[test]
fn preset_applies_to_a_layer_operation() {
    let lib = Library::builtin();
    let p = lib.find("Plywood 3 mm fill (diode)").unwrap();
    let mut op = Operation::defaults_for(Mode::Line);
    p.apply_to(&mut op);
    assert_eq!(op.mode, Mode::Fill);
    assert_eq!(
        (op.speed_mm_min, op.power_max_pct, op.fill.interval_mm),
        (4000.0, 30.0, 0.1)
    );
    op.validate().unwrap();
    let back = Preset::from_operation(&p.name, &p.material, p.thickness_mm, &op);
    assert_eq!(
        Preset {
            machine: p.machine.clone(),
            notes: p.notes.clone(),
            ..back
        },
        *p
    );
}
