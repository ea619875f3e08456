//! Material presets from and to other programs: LightBurn `.clb` and LaserGRBL `.psh`
//! import on hand-written fixtures, round trips, and hostile input.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::path::{Path, PathBuf};

use burin_design::preset::{
    BUILTIN_TOML, PresetFormat, export_lasergrbl, export_lightburn, import_lasergrbl,
    import_lightburn, import_text, read_preset_file,
};
use burin_design::{DitherKind, Library, Mode, Preset, PresetError};

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
fn lightburn_library_imports_with_names_units_and_reasons() {
    let imported = import_lightburn(&read("atelier.clb")).unwrap();
    let r = &imported.report;
    assert_eq!(
        r.imported,
        [
            "Ardoise - Photo",
            "Ardoise - Croquis",
            "Contreplaqué peuplier 3 mm - Découpe",
            "Contreplaqué peuplier 3 mm - Gravure & remplissage",
            "Cuir végétal - 2 mm - Découpe",
        ]
    );
    let skipped: Vec<&str> = r.skipped.iter().map(|(what, _)| what.as_str()).collect();
    assert_eq!(
        skipped,
        [
            "Contreplaqué peuplier 3 mm - Vitesse folle",
            "Contreplaqué peuplier 3 mm - Fraise",
            "Cuir végétal - 2 mm - Sans réglage",
            "Cuir végétal - 2 mm - Trop de passes",
        ]
    );
    let why: Vec<&str> = r.skipped.iter().map(|(_, why)| why.as_str()).collect();
    assert!(why[0].contains("speed \"NaN\""), "{why:?}");
    assert!(why[1].contains("\"Tool\""), "{why:?}");
    assert!(why[2].contains("no <CutSetting>"), "{why:?}");
    assert!(why[3].contains("passes"), "{why:?}");

    let p = |n: usize| &imported.presets[n];
    let photo = p(0);
    assert_eq!(
        (photo.mode, photo.material.as_str()),
        (Mode::Image, "Ardoise")
    );
    assert_eq!(photo.speed_mm_min, 2500.0, "41.666667 mm/s");
    assert_eq!((photo.power_min_pct, photo.power_max_pct), (5.0, 60.0));
    assert_eq!(photo.interval_mm, Some(0.1), "254 dpi");
    assert_eq!(photo.dither, Some(DitherKind::Stucki));
    assert_eq!(photo.thickness_mm, None);
    assert!(photo.notes.contains("negative=1"), "{}", photo.notes);
    assert!(!photo.notes.contains("LinkPath"), "bookkeeping is dropped");
    assert_eq!(p(1).dither, None);
    assert!(p(1).notes.contains("\"sketch\""), "{}", p(1).notes);

    let cut = p(2);
    assert_eq!(cut.material, "Contreplaqué peuplier 3 mm");
    assert_eq!((cut.mode, cut.thickness_mm), (Mode::Line, Some(3.0)));
    assert_eq!(
        (cut.speed_mm_min, cut.power_max_pct, cut.passes),
        (360.0, 100.0, 2)
    );
    assert!(cut.air_assist);
    assert!(cut.notes.contains("kerf=0.1"), "{}", cut.notes);
    let fill = p(3);
    assert_eq!((fill.mode, fill.speed_mm_min), (Mode::Fill, 4200.0));
    assert_eq!((fill.interval_mm, fill.angle_deg), (Some(0.08), Some(45.0)));
    assert!(!fill.air_assist, "no runBlower: Burin's fill default");
    assert!(fill.notes.contains("crossHatch=1"), "{}", fill.notes);
    let leather = p(4);
    assert_eq!(
        (leather.speed_mm_min, leather.power_min_pct),
        (450.0, 10.0),
        "7,5 mm/s"
    );
}

#[test]
fn broken_xml_reports_its_line() {
    let e = import_lightburn(&read("broken.clb")).unwrap_err();
    let PresetError::Xml { line, .. } = e else {
        panic!("{e:?}");
    };
    assert_eq!(line, 8, "{e}");
    assert!(e.to_string().starts_with("line 8, column "), "{e}");
    let e = import_lightburn("<MaterialDB/>").unwrap_err();
    assert!(e.to_string().contains("not a LightBurn library"), "{e}");
}

#[test]
fn lasergrbl_database_imports_with_machines_and_reasons() {
    let imported = import_lasergrbl(&read("materials.psh")).unwrap();
    let r = &imported.report;
    assert_eq!(
        r.imported,
        [
            "Contreplaqué peuplier - 3mm - Cut (Atomstack A5 Pro (5.5W))",
            "Contreplaqué peuplier - Engrave (Atomstack A5 Pro (5.5W))",
            "Kraft Paper - 250 g/mq - Cut (Ortur LM2 Pro (10W))",
        ]
    );
    let why: Vec<&str> = r.skipped.iter().map(|(_, why)| why.as_str()).collect();
    assert_eq!(why.len(), 4, "{:?}", r.skipped);
    assert!(why[0].contains("hidden"), "{why:?}");
    assert!(why[1].contains("unknown action \"Weld\""), "{why:?}");
    assert!(why[2].contains("Power \"lots\""), "{why:?}");
    assert!(why[3].contains("power must be 0..100"), "{why:?}");

    let cut = &imported.presets[0];
    assert_eq!(cut.machine, "Atomstack A5 Pro (5.5W)");
    assert_eq!(cut.material, "Contreplaqué peuplier");
    assert_eq!((cut.mode, cut.thickness_mm), (Mode::Line, Some(3.0)));
    assert_eq!(
        (cut.speed_mm_min, cut.power_max_pct, cut.passes),
        (250.0, 100.0, 3)
    );
    assert_eq!(cut.notes, "Testé sur chute <OK>, pas de brûlure au dos.");
    let engrave = &imported.presets[1];
    assert_eq!((engrave.mode, engrave.thickness_mm), (Mode::Fill, None));
    let kraft = &imported.presets[2];
    assert_eq!(kraft.thickness_mm, None);
    assert!(
        kraft.notes.ends_with("thickness: 250 g/mq"),
        "{}",
        kraft.notes
    );
}

/// Presets exercising everything both formats can carry, accents and markup included.
fn exchange_library() -> Vec<Preset> {
    let mut presets: Vec<Preset> = Library::builtin().presets;
    let mut odd = preset("Gravure \"fine\" & <rapide> — érable", Mode::Fill);
    odd.material = "Érable & chêne".into();
    odd.thickness_mm = Some(4.5);
    odd.angle_deg = Some(-30.0);
    odd.interval_mm = Some(0.07);
    odd.power_min_pct = 3.0;
    odd.speed_mm_min = 1234.0;
    presets.push(odd);
    presets
}

#[test]
fn lightburn_round_trip_keeps_what_the_format_carries() {
    let presets = exchange_library();
    let xml = export_lightburn(&presets, "Burin & co");
    assert!(xml.contains("<LightBurnLibrary DisplayName=\"Burin &amp; co\">"));
    let back = import_lightburn(&xml).unwrap();
    assert!(back.report.skipped.is_empty(), "{:?}", back.report.skipped);
    // LightBurn has no machine or notes; everything else comes back as it was.
    let carried = |p: &Preset| Preset {
        machine: String::new(),
        notes: String::new(),
        ..p.clone()
    };
    let mut want: Vec<Preset> = presets.iter().map(carried).collect();
    // Exported grouped by material, in order of first appearance.
    let mut order: Vec<String> = Vec::new();
    for p in &want {
        if !order.contains(&p.material) {
            order.push(p.material.clone());
        }
    }
    want.sort_by_key(|p| order.iter().position(|m| *m == p.material));
    assert_eq!(back.presets, want);
}

#[test]
fn lasergrbl_round_trip_keeps_what_the_format_carries() {
    let presets = exchange_library();
    let mut twin = presets[0].clone();
    twin.name = "Plywood 3 mm cut, clean edges".into();
    twin.speed_mm_min = 300.0;
    let mut presets = presets;
    presets.push(twin);
    let xml = export_lasergrbl(&presets);
    assert!(xml.contains("<MaterialDB xmlns=\"http://tempuri.org/MaterialDB.xsd\">"));
    assert!(xml.contains("<Action>Cut (Plywood 3 mm cut, clean edges)</Action>"));
    let back = import_lasergrbl(&xml).unwrap();
    assert!(back.report.skipped.is_empty(), "{:?}", back.report.skipped);
    assert_eq!(back.presets.len(), presets.len());
    for (a, b) in presets.iter().zip(&back.presets) {
        let carried = |p: &Preset| {
            (
                p.material.clone(),
                p.thickness_mm,
                p.machine.clone(),
                p.mode,
                p.speed_mm_min,
                p.power_max_pct,
                p.passes,
                p.notes.clone(),
            )
        };
        assert_eq!(carried(a), carried(b), "{}", a.name);
    }
}

#[test]
fn burin_toml_import_skips_invalid_and_repeated_presets() {
    let text = "version = 1\n[[preset]]\nname = \"A\"\nmode = \"cut\"\nspeed_mm_min = 300\npower_max_pct = 100\n[[preset]]\nname = \"a\"\nmode = \"cut\"\nspeed_mm_min = 300\npower_max_pct = 100\n[[preset]]\nname = \"B\"\nmode = \"cut\"\nspeed_mm_min = -1\npower_max_pct = 100\n";
    let got = import_text(PresetFormat::Burin, text).unwrap();
    assert_eq!(got.report.imported, ["A"]);
    assert_eq!(got.report.skipped.len(), 2);
    assert!(
        got.report.skipped[1].1.contains("speed"),
        "{:?}",
        got.report.skipped
    );
    assert_eq!(
        PresetFormat::sniff(&read("atelier.clb")),
        Some(PresetFormat::LightBurn)
    );
    assert_eq!(
        PresetFormat::sniff(&read("materials.psh")),
        Some(PresetFormat::LaserGrbl)
    );
    assert_eq!(PresetFormat::sniff(BUILTIN_TOML), Some(PresetFormat::Burin));
}

#[test]
fn hostile_input_is_refused_or_skipped_never_panics() {
    let refused = [
        "",
        "<",
        "not xml at all",
        "<!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><LightBurnLibrary>&b;</LightBurnLibrary>",
        "<LightBurnLibrary><Material name=\"x\"></LightBurnLibrary>",
        "<Other/>",
    ];
    for text in refused {
        assert!(import_lightburn(text).is_err(), "{text}");
        assert!(import_lasergrbl(text).is_err(), "{text}");
    }
    let skipped = [
        r#"<LightBurnLibrary><Material><Entry><CutSetting type="Cut"><speed Value="1e308"/><maxPower Value="50"/></CutSetting></Entry></Material></LightBurnLibrary>"#,
        r#"<LightBurnLibrary><Material name="x"><Entry><CutSetting type="Cut"><speed/><maxPower Value="50"/></CutSetting></Entry></Material></LightBurnLibrary>"#,
        r#"<LightBurnLibrary><Material name="x"><Entry><CutSetting type="Cut"><speed Value="5"/><maxPower Value="-inf"/></CutSetting></Entry></Material></LightBurnLibrary>"#,
        r#"<LightBurnLibrary><Material name="x&#10;y"><Entry><CutSetting type="Cut"><speed Value="5"/><maxPower Value="5"/></CutSetting></Entry></Material></LightBurnLibrary>"#,
        r#"<LightBurnLibrary><Material name="x"><Entry Thickness="1e300"><CutSetting type="Cut"><speed Value="5"/><maxPower Value="5"/></CutSetting></Entry></Material></LightBurnLibrary>"#,
        r#"<LightBurnLibrary><Material name="x"><Entry><CutSetting><speed Value="5"/><maxPower Value="5"/></CutSetting></Entry></Material></LightBurnLibrary>"#,
    ];
    for text in skipped {
        let got = import_lightburn(text).unwrap();
        assert!(got.presets.is_empty(), "{text}: {:?}", got.presets);
        assert_eq!(got.report.skipped.len(), 1, "{text}");
    }
    let psh = "<MaterialDB><Materials><Action>Cut</Action><Power>NaN</Power><Speed>1</Speed></Materials><Materials><Action>Cut</Action><Power>5</Power><Speed>99999999999999999999</Speed><Cycles>2</Cycles></Materials><Materials/></MaterialDB>";
    let got = import_lasergrbl(psh).unwrap();
    assert!(got.presets.len() <= 1, "{:?}", got.presets);
    assert_eq!(got.report.skipped.len() + got.presets.len(), 3);

    // Every prefix of the real-looking fixtures: an error or a report, never a panic.
    for name in ["atelier.clb", "materials.psh", "v0.toml"] {
        let text = read(name);
        let cut_points = (0..text.len())
            .step_by(23)
            .filter(|i| text.is_char_boundary(*i));
        for end in cut_points {
            let part = &text[..end];
            let _ = import_lightburn(part);
            let _ = import_lasergrbl(part);
            let _ = Library::parse_toml(part);
        }
    }
}
