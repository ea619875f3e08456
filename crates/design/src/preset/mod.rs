//! Material presets: named laser settings for a material ("3 mm plywood, cut") that a layer's
//! [`Operation`] takes in one step, kept in a [`Library`] the user can edit by hand (TOML),
//! share, and import from LightBurn (`.clb`) and LaserGRBL (`.psh`).
//!
//! Plain data: no files are written here (the store lives in `burin_controller::presets`).
//! Units are Burin's everywhere: mm, mm/min, percent of the machine's maximum power.

mod exchange;
mod lasergrbl;
mod library;
mod lightburn;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{DitherKind, Mode, Operation};

pub use exchange::{
    ImportReport, Imported, MAX_PRESET_FILE_BYTES, PresetFormat, decode_text, import_text,
    read_preset_file,
};
pub use lasergrbl::{export_lasergrbl, import_lasergrbl};
pub use library::{BUILTIN_TOML, LIBRARY_VERSION, Library, Parsed};
pub use lightburn::{export_lightburn, import_lightburn};

/// Longest preset name, material or machine accepted, characters.
pub const MAX_NAME_CHARS: usize = 200;

/// One material preset: what a layer's operation needs, plus what it is for.
///
/// Unknown keys are refused (with their line) so a misspelt `air_asist = true` in a
/// hand-edited file is reported instead of silently ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// Unique within a library, exactly as written (accents and case kept).
    pub name: String,
    /// Material, free text ("Plywood (birch)", "Contreplaqué peuplier"). Default empty.
    #[serde(default)]
    pub material: String,
    /// Material thickness, mm. Default `None` (surface work, or any thickness).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thickness_mm: Option<f64>,
    /// Which laser it was tuned on ("10 W diode", "40 W CO2"). Default empty: any machine.
    #[serde(default)]
    pub machine: String,
    /// `cut` (follow lines, [`Mode::Line`]), `fill` (hatch areas) or `image` (raster).
    #[serde(with = "mode_name")]
    pub mode: Mode,
    /// Feed while burning, mm/min.
    pub speed_mm_min: f64,
    /// Minimum power, % of the machine's maximum (images map white to it). Default 0.
    #[serde(default)]
    pub power_min_pct: f64,
    /// Maximum power, % of the machine's maximum.
    pub power_max_pct: f64,
    /// Times the layer is run. Default 1.
    #[serde(default = "one")]
    pub passes: u32,
    /// Fill: distance between scan lines; image: line interval and pixel size, mm.
    /// Default `None`: the layer keeps its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_mm: Option<f64>,
    /// Fill scan-line angle, degrees counter-clockwise from X. Default `None`: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub angle_deg: Option<f64>,
    /// Image dither (`jarvis`, `floyd-steinberg`, `grayscale`…). Default `None`: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "dither_name")]
    pub dither: Option<DitherKind>,
    /// Air assist (`M8`) while this preset burns. Default false.
    #[serde(default)]
    pub air_assist: bool,
    /// Free text: how it was tested, what to watch. Default empty.
    #[serde(default)]
    pub notes: String,
}

fn one() -> u32 {
    1
}

/// What went wrong reading, checking or changing presets.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PresetError {
    /// The TOML does not parse or does not fit the layout; `line` is 1-based when known.
    #[error("{}{message}", line_prefix(*line))]
    Toml {
        line: Option<usize>,
        message: String,
    },
    /// A library written by a newer Burin: refused rather than half-read.
    #[error(
        "written by a newer Burin (preset library version {found}; this one reads up to {LIBRARY_VERSION})"
    )]
    TooNew { found: i64 },
    /// The XML does not parse; `line` and `column` are 1-based.
    #[error("line {line}, column {column}: {message}")]
    Xml {
        line: u32,
        column: u32,
        message: String,
    },
    /// Well-formed, but not the format asked for.
    #[error("not a {expected} file: {found}")]
    WrongFormat {
        expected: &'static str,
        found: String,
    },
    #[error("cannot read: {0}")]
    Io(String),
    #[error("file too large ({bytes} bytes; preset files are limited to {limit})")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("not UTF-8 or UTF-16 text")]
    NotText,
    #[error("a preset named \"{0}\" already exists")]
    Duplicate(String),
    #[error("no preset named \"{0}\"")]
    NotFound(String),
    #[error("preset \"{name}\": {message}")]
    Invalid { name: String, message: String },
}

fn line_prefix(line: Option<usize>) -> String {
    line.map(|l| format!("line {l}: ")).unwrap_or_default()
}

impl Preset {
    /// A preset for `mode` with `Operation::defaults_for(mode)`'s values and no material.
    pub fn new(name: impl Into<String>, mode: Mode) -> Self {
        Self::from_operation(name, "", None, &Operation::defaults_for(mode))
    }

    /// What `op` does, as a preset (e.g. "save layer as preset"). The interval, angle and
    /// dither are taken for the modes that use them and left `None` otherwise.
    pub fn from_operation(
        name: impl Into<String>,
        material: impl Into<String>,
        thickness_mm: Option<f64>,
        op: &Operation,
    ) -> Self {
        let (interval_mm, angle_deg, dither) = match op.mode {
            Mode::Line => (None, None, None),
            Mode::Fill => (Some(op.fill.interval_mm), Some(op.fill.angle_deg), None),
            Mode::Image => (Some(op.image.interval_mm), None, Some(op.image.dither)),
        };
        Self {
            name: name.into(),
            material: material.into(),
            thickness_mm,
            machine: String::new(),
            mode: op.mode,
            speed_mm_min: op.speed_mm_min,
            power_min_pct: op.power_min_pct,
            power_max_pct: op.power_max_pct,
            passes: op.passes,
            interval_mm,
            angle_deg,
            dither,
            air_assist: op.air_assist,
            notes: String::new(),
        }
    }

    /// Sets `op`'s mode, speed, powers, passes and air assist, and the interval (fill or
    /// image), fill angle and image dither when the preset has them. Everything else
    /// (output, M3/M4, crosshatch, image tone) is the layer's own and stays as it was.
    pub fn apply_to(&self, op: &mut Operation) {
        op.mode = self.mode;
        op.speed_mm_min = self.speed_mm_min;
        op.power_min_pct = self.power_min_pct;
        op.power_max_pct = self.power_max_pct;
        op.passes = self.passes;
        op.air_assist = self.air_assist;
        match self.mode {
            Mode::Line => {}
            Mode::Fill => {
                if let Some(i) = self.interval_mm {
                    op.fill.interval_mm = i;
                }
                if let Some(a) = self.angle_deg {
                    op.fill.angle_deg = a;
                }
            }
            Mode::Image => {
                if let Some(i) = self.interval_mm {
                    op.image.interval_mm = i;
                }
                if let Some(d) = self.dither {
                    op.image.dither = d;
                }
            }
        }
    }

    /// The operation this preset gives a new layer: `defaults_for(mode)` with the preset on top.
    pub fn to_operation(&self) -> Operation {
        let mut op = Operation::defaults_for(self.mode);
        self.apply_to(&mut op);
        op
    }

    /// Checks the texts and the ranges [`Operation::validate`] enforces (speed above 0,
    /// power 0..100 % with min ≤ max, passes 1..1000, intervals), plus the thickness.
    pub fn validate(&self) -> Result<(), PresetError> {
        let invalid = |message: String| PresetError::Invalid {
            name: self.name.clone(),
            message,
        };
        if self.name.trim().is_empty() {
            return Err(invalid("the name is empty".into()));
        }
        for (what, text) in [
            ("name", &self.name),
            ("material", &self.material),
            ("machine", &self.machine),
        ] {
            if text.chars().count() > MAX_NAME_CHARS {
                return Err(invalid(format!(
                    "the {what} is longer than {MAX_NAME_CHARS} characters"
                )));
            }
            if text.chars().any(char::is_control) {
                return Err(invalid(format!(
                    "the {what} contains a line break or control character"
                )));
            }
        }
        if let Some(t) = self.thickness_mm
            && !(t.is_finite() && t > 0.0 && t <= 1000.0)
        {
            return Err(invalid(format!("thickness must be 0..1000 mm, got {t}")));
        }
        // A cut ignores the interval, but a nonsense value is still a typo worth reporting.
        if let Some(i) = self.interval_mm
            && !(i.is_finite() && (0.01..=100.0).contains(&i))
        {
            return Err(invalid(format!("interval must be 0.01..100 mm, got {i}")));
        }
        if let Some(a) = self.angle_deg
            && !(a.is_finite() && (-360.0..=360.0).contains(&a))
        {
            return Err(invalid(format!("angle must be -360..360 degrees, got {a}")));
        }
        self.to_operation().validate().map_err(invalid)
    }

    /// `3 mm`, or empty without a thickness.
    pub fn thickness_label(&self) -> String {
        self.thickness_mm
            .map(|t| format!("{} mm", fmt_num(t)))
            .unwrap_or_default()
    }
}

/// The word presets and the command line use for a mode: `cut`, `fill` or `image`.
pub fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Line => "cut",
        Mode::Fill => "fill",
        Mode::Image => "image",
    }
}

/// Parses `cut`/`line`, `fill`/`engrave`/`scan`, `image`/`raster`/`photo` (any case).
pub fn parse_mode(text: &str) -> Option<Mode> {
    match text.trim().to_ascii_lowercase().as_str() {
        "cut" | "line" | "score" => Some(Mode::Line),
        "fill" | "engrave" | "scan" => Some(Mode::Fill),
        "image" | "raster" | "photo" => Some(Mode::Image),
        _ => None,
    }
}

/// A number without trailing zeros (`3`, `2.5`, `0.08`), at most 6 decimals.
pub(crate) fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// TOML spelling of [`Mode`]: `cut`, `fill`, `image` (the aliases of [`parse_mode`] read too).
mod mode_name {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::Mode;

    pub fn serialize<S: Serializer>(mode: &Mode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::mode_label(*mode))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Mode, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_mode(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "unknown mode \"{text}\": expected cut, fill or image"
            ))
        })
    }
}

/// TOML spelling of a dither: [`DitherKind::name`] (`jarvis`, `floyd-steinberg`…).
mod dither_name {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::DitherKind;

    pub fn serialize<S: Serializer>(d: &Option<DitherKind>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(d.name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DitherKind>, D::Error> {
        let text = String::deserialize(d)?;
        DitherKind::from_name(&text).map(Some).ok_or_else(|| {
            let names: Vec<&str> = DitherKind::ALL.iter().map(|k| k.name()).collect();
            D::Error::custom(format!(
                "unknown dither \"{text}\": expected one of {}",
                names.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_operation_then_apply_gives_the_same_operation() {
        for mode in [Mode::Line, Mode::Fill, Mode::Image] {
            let mut op = Operation::defaults_for(mode);
            op.speed_mm_min = 1234.0;
            op.power_min_pct = 5.0;
            op.power_max_pct = 55.0;
            op.passes = 3;
            op.fill.interval_mm = 0.08;
            op.fill.angle_deg = 45.0;
            op.image.interval_mm = 0.07;
            op.image.dither = DitherKind::Stucki;
            let p = Preset::from_operation("p", "Birch", Some(3.0), &op);
            assert!(p.validate().is_ok(), "{mode:?}");
            let mut back = Operation::defaults_for(Mode::Line);
            back.fill = op.fill;
            back.image = op.image;
            p.apply_to(&mut back);
            assert_eq!(back.speed_mm_min, 1234.0);
            assert_eq!(back.mode, mode);
            assert_eq!(back.passes, 3);
            assert_eq!(back.power_max_pct, 55.0);
            assert_eq!(back, op);
        }
    }

    #[test]
    fn apply_sets_only_what_the_mode_uses() {
        let mut p = Preset::new("fill", Mode::Fill);
        p.interval_mm = Some(0.2);
        p.angle_deg = Some(30.0);
        p.dither = Some(DitherKind::Atkinson);
        let mut op = Operation::defaults_for(Mode::Image);
        op.image.invert = true;
        p.apply_to(&mut op);
        assert_eq!(op.mode, Mode::Fill);
        assert_eq!(op.fill.interval_mm, 0.2);
        assert_eq!(op.fill.angle_deg, 30.0);
        assert_eq!(op.image.dither, DitherKind::default());
        assert!(op.image.invert, "the layer's own image settings stay");
        p.interval_mm = None;
        op.fill.interval_mm = 0.3;
        p.apply_to(&mut op);
        assert_eq!(op.fill.interval_mm, 0.3, "None leaves the layer's interval");
    }

    #[test]
    fn validate_names_the_problem() {
        let ok = Preset::new("Plywood 3 mm cut", Mode::Line);
        assert!(ok.validate().is_ok());
        let cases: Vec<(Preset, &str)> = vec![
            (
                Preset {
                    speed_mm_min: 0.0,
                    ..ok.clone()
                },
                "speed",
            ),
            (
                Preset {
                    speed_mm_min: f64::NAN,
                    ..ok.clone()
                },
                "speed",
            ),
            (
                Preset {
                    power_max_pct: 150.0,
                    ..ok.clone()
                },
                "power",
            ),
            (
                Preset {
                    power_min_pct: 90.0,
                    power_max_pct: 10.0,
                    ..ok.clone()
                },
                "min power",
            ),
            (
                Preset {
                    passes: 0,
                    ..ok.clone()
                },
                "passes",
            ),
            (
                Preset {
                    thickness_mm: Some(-1.0),
                    ..ok.clone()
                },
                "thickness",
            ),
            (
                Preset {
                    interval_mm: Some(f64::INFINITY),
                    ..ok.clone()
                },
                "interval",
            ),
            (
                Preset {
                    angle_deg: Some(f64::NAN),
                    ..ok.clone()
                },
                "angle",
            ),
            (
                Preset {
                    name: " ".into(),
                    ..ok.clone()
                },
                "name is empty",
            ),
            (
                Preset {
                    material: "a\nb".into(),
                    ..ok.clone()
                },
                "material contains",
            ),
        ];
        for (p, want) in cases {
            let e = p
                .validate()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains(want), "{e:?} should mention {want}");
        }
        let image = Preset {
            interval_mm: Some(20.0),
            ..Preset::new("img", Mode::Image)
        };
        assert!(image.validate().is_err(), "image interval is 0.01..10 mm");
    }

    #[test]
    fn labels_and_numbers() {
        assert_eq!(parse_mode("Engrave"), Some(Mode::Fill));
        assert_eq!(parse_mode("LINE"), Some(Mode::Line));
        assert_eq!(parse_mode("photo"), Some(Mode::Image));
        assert_eq!(parse_mode("weld"), None);
        for m in [Mode::Line, Mode::Fill, Mode::Image] {
            assert_eq!(parse_mode(mode_label(m)), Some(m));
        }
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(2.50), "2.5");
        assert_eq!(fmt_num(0.08), "0.08");
        assert_eq!(fmt_num(-0.0000001), "0");
        let p = Preset {
            thickness_mm: Some(3.0),
            ..Preset::new("x", Mode::Line)
        };
        assert_eq!(p.thickness_label(), "3 mm");
    }
}
