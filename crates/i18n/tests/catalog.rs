//! The public API, and coverage of GRBL's code tables in both languages.

use burin_grbl::codes::{ALARMS, ERRORS, SETTINGS};
use burin_i18n::{Arg, Catalog, Lang, missing_translations};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::{Error as DeError, StrDeserializer};

#[test]
fn no_missing_translations() {
    assert_eq!(missing_translations(), Vec::<(Lang, String)>::new());
}

#[test]
fn catalog_is_send_sync_and_debug() {
    fn check<T: Send + Sync + std::fmt::Debug>() {}
    check::<Catalog>();
    let debug = format!("{:?}", Catalog::new(Lang::Fr));
    assert!(debug.contains("Fr"), "{debug}");
}

#[test]
fn every_grbl_code_and_setting_has_its_texts() {
    for lang in Lang::ALL {
        let catalog = Catalog::new(lang);
        assert_eq!(catalog.lang(), lang);
        let mut keys: Vec<String> = Vec::new();
        keys.extend(ERRORS.iter().map(|e| format!("grbl-error-{}", e.code)));
        keys.extend(ALARMS.iter().map(|a| format!("grbl-alarm-{}", a.code)));
        for s in SETTINGS {
            for part in ["name", "unit", "desc"] {
                keys.push(format!("grbl-setting-{}-{part}", s.number));
            }
        }
        keys.extend(["grbl-error-unknown".into(), "grbl-alarm-unknown".into()]);
        for state in [
            "idle", "run", "hold", "jog", "alarm", "door", "check", "home", "sleep", "unknown",
        ] {
            keys.push(format!("grbl-state-{state}"));
        }
        for key in &keys {
            assert!(catalog.has(key), "{lang:?} lacks {key}");
        }
        for s in SETTINGS {
            assert!(catalog.grbl_setting_name(s.number).is_some());
            assert!(catalog.grbl_setting_unit(s.number).is_some());
            assert!(catalog.grbl_setting_desc(s.number).is_some());
        }
    }
}

#[test]
fn english_texts_follow_the_grbl_tables() {
    let en = Catalog::new(Lang::En);
    for e in ERRORS {
        assert_eq!(en.grbl_error(e.code), e.description);
    }
    for a in ALARMS {
        assert_eq!(en.grbl_alarm(a.code), a.description);
    }
    for s in SETTINGS {
        assert_eq!(en.grbl_setting_name(s.number).as_deref(), Some(s.name));
        assert_eq!(en.grbl_setting_unit(s.number).as_deref(), Some(s.unit));
        assert_eq!(
            en.grbl_setting_desc(s.number).as_deref(),
            Some(s.description)
        );
    }
}

#[test]
fn french_is_actually_translated() {
    let en = Catalog::new(Lang::En);
    let fr = Catalog::new(Lang::Fr);
    assert_ne!(fr.tr("grbl-alarm-1"), en.tr("grbl-alarm-1"));
    assert!(fr.grbl_alarm(1).contains("fin de course"));
    assert_eq!(fr.grbl_setting_name(32).as_deref(), Some("Mode laser"));
    assert_eq!(fr.grbl_setting_unit(120).as_deref(), Some("mm/s²"));
    assert_eq!(fr.tr("language"), "Langue");
    assert_eq!(en.tr("language"), "Language");
    assert_eq!(fr.tr("app-title"), "Burin");
    // A text identical in both languages must be a word French shares with English (names,
    // units, "Console", "Pause"...): listed here, so a forgotten translation fails.
    const SAME_IN_FRENCH: &[&str] = &[
        "anchor-center",
        "app-title",
        "console",
        "dither-atkinson",
        "dither-burkes",
        "dither-floyd-steinberg",
        "dither-jarvis",
        "dither-sierra-lite",
        "dither-sierra3",
        "dither-stucki",
        "filter-gcode",
        "grbl-setting-110-unit",
        "grbl-setting-111-unit",
        "grbl-setting-112-unit",
        "grbl-setting-24-unit",
        "grbl-setting-25-unit",
        "grbl-state-jog",
        "layer-angle",
        "layer-gamma",
        "layer-mode",
        "layer-passes",
        "machine",
        "machine-pos",
        "mode-image",
        "pause",
        "placement",
        "port",
        "view-console",
    ];
    let same = en
        .keys()
        .iter()
        .filter(|k| en.tr(k) == fr.tr(k) && !SAME_IN_FRENCH.contains(&k.as_str()))
        .cloned()
        .collect::<Vec<_>>();
    assert!(same.is_empty(), "untranslated: {same:?}");
}

#[test]
fn unknown_codes_and_settings() {
    let en = Catalog::new(Lang::En);
    let fr = Catalog::new(Lang::Fr);
    assert_eq!(en.grbl_error(18), "Unknown error (code 18).");
    assert_eq!(fr.grbl_error(79), "Erreur inconnue (code 79).");
    assert_eq!(en.grbl_alarm(11), "Unknown alarm (code 11).");
    assert_eq!(fr.grbl_alarm(0), "Alarme inconnue (code 0).");
    assert_eq!(en.grbl_setting_name(7), None);
    assert_eq!(fr.grbl_setting_desc(7), None);
    assert_eq!(fr.grbl_setting_unit(999), None);
}

#[test]
fn tr_args_substitutes_variables_without_isolation_marks() {
    let fr = Catalog::new(Lang::Fr);
    assert_eq!(
        fr.tr_args("grbl-error-unknown", &[("code", Arg::from(42u32))]),
        "Erreur inconnue (code 42)."
    );
    assert_eq!(
        fr.tr_args("grbl-error-unknown", &[("code", Arg::from("X"))]),
        "Erreur inconnue (code X)."
    );
    assert_eq!(
        fr.tr_args("grbl-error-unknown", &[("code", Arg::from(2.5))]),
        "Erreur inconnue (code 2.5)."
    );
    let owned = String::from("abc");
    for arg in [
        Arg::from(&owned),
        Arg::from(owned.clone()),
        Arg::from(3),
        Arg::from(3u64),
        Arg::from(3usize),
        Arg::from(-3i64),
    ] {
        let text = fr.tr_args("grbl-alarm-unknown", &[("code", arg)]);
        assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
    }
    // Extra arguments are ignored; a message without variables formats as usual.
    assert_eq!(fr.tr_args("language", &[("x", Arg::from(1))]), "Langue");
}

#[test]
fn missing_key_returns_the_key() {
    let en = Catalog::new(Lang::En);
    assert_eq!(en.tr("no-such-message"), "no-such-message");
    assert_eq!(
        en.tr_args("no-such-message", &[("a", Arg::from(1))]),
        "no-such-message"
    );
    assert_eq!(en.tr("language.no-such-attr"), "language.no-such-attr");
    // A forgotten argument leaves a visible placeholder rather than failing.
    assert_eq!(en.tr("grbl-error-unknown"), "Unknown error (code {$code}).");
    assert!(!en.has("no-such-message"));
    assert!(en.has("language"));
    let keys = en.keys();
    assert!(keys.contains(&"language".to_owned()));
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );
}

#[test]
fn lang_codes() {
    assert_eq!(Lang::from_code("fr"), Some(Lang::Fr));
    assert_eq!(Lang::from_code("fr-FR"), Some(Lang::Fr));
    assert_eq!(Lang::from_code("fr_CA.UTF-8"), Some(Lang::Fr));
    assert_eq!(Lang::from_code("FR-be"), Some(Lang::Fr));
    assert_eq!(Lang::from_code("fr_FR@euro"), Some(Lang::Fr));
    assert_eq!(Lang::from_code("en"), Some(Lang::En));
    assert_eq!(Lang::from_code("en-US"), Some(Lang::En));
    assert_eq!(Lang::from_code("EN_gb.utf8"), Some(Lang::En));
    assert_eq!(Lang::from_code("de-DE"), None);
    assert_eq!(Lang::from_code("C"), None);
    assert_eq!(Lang::from_code(""), None);
    assert_eq!(Lang::from_code("french"), None);
    for lang in Lang::ALL {
        assert_eq!(Lang::from_code(lang.code()), Some(lang));
    }
    assert_eq!(Lang::En.native_name(), "English");
    assert_eq!(Lang::Fr.native_name(), "Français");
    assert!(Lang::ALL.contains(&Lang::system()));
}

#[test]
fn lang_deserializes_from_its_code() {
    let de = |s: &'static str| {
        let d: StrDeserializer<'_, DeError> = s.into_deserializer();
        Lang::deserialize(d).ok()
    };
    assert_eq!(de("fr"), Some(Lang::Fr));
    assert_eq!(de("en"), Some(Lang::En));
    assert_eq!(de("Fr"), None);
}
