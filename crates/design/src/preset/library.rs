//! The preset library as a human-editable TOML file:
//!
//! ```toml
//! version = 1
//!
//! [[preset]]
//! name = "Plywood 3 mm cut (diode)"
//! material = "Plywood"
//! thickness_mm = 3.0
//! mode = "cut"
//! speed_mm_min = 350.0
//! power_max_pct = 100.0
//! passes = 2
//! ```
//!
//! Version 0 (Burin's development builds, no `version` key) kept `[[presets]]` with
//! `kind = "cut" | "engrave" | "photo"`, `speed_mm_s`, a single `power_pct`, `thickness`
//! (0 = none), `line_interval_mm` and `air`; it is migrated on load. Newer versions are refused.

use serde::{Deserialize, Serialize};

use super::{Preset, PresetError, fmt_num, mode_label};
use crate::Mode;

/// The library format this Burin writes and reads. Bump it when an older Burin could no
/// longer read what this one writes (and add a migration for the old one).
pub const LIBRARY_VERSION: u32 = 1;

/// The starter library, as shipped: starting points to test on scrap.
pub const BUILTIN_TOML: &str = include_str!("builtin.toml");

const HEADER: &str = "\
# Burin material presets. Each [[preset]] is one setting; edit freely.
# Units: speed_mm_min in mm/min, power_min_pct/power_max_pct in % of full power ($30),
# thickness_mm and interval_mm in mm, angle_deg in degrees. mode: cut, fill or image.
# Burin keeps the previous version of this file beside it as .bak.

";

/// A list of presets, in the user's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    /// Format version ([`LIBRARY_VERSION`] once loaded).
    pub version: u32,
    /// The presets (`[[preset]]` tables). Names are unique, ignoring case.
    #[serde(rename = "preset", default)]
    pub presets: Vec<Preset>,
}

impl Default for Library {
    fn default() -> Self {
        Self {
            version: LIBRARY_VERSION,
            presets: Vec::new(),
        }
    }
}

/// A library read from TOML, with what a user should hear about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub library: Library,
    /// The file's version when it was older and has been migrated (saving writes the new one).
    pub migrated_from: Option<u32>,
    /// Presets that load but would be refused by [`Preset::validate`], and duplicate names,
    /// each starting with its line.
    pub problems: Vec<String>,
}

impl Library {
    /// An empty library.
    pub fn new() -> Self {
        Self::default()
    }

    /// The starter library (see [`BUILTIN_TOML`]).
    pub fn builtin() -> Self {
        // Parsing the embedded file is tested; an empty library beats a panic regardless.
        Self::from_toml(BUILTIN_TOML).unwrap_or_default()
    }

    /// Reads a library, migrating older versions; see [`Library::parse_toml`].
    pub fn from_toml(text: &str) -> Result<Self, PresetError> {
        Self::parse_toml(text).map(|p| p.library)
    }

    /// Reads a library. Syntax and layout errors carry their line; out-of-range values load
    /// and are listed in [`Parsed::problems`] so one typo doesn't hide the whole library.
    pub fn parse_toml(text: &str) -> Result<Parsed, PresetError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let version = match table.get("version") {
            None => 0,
            Some(toml::Value::Integer(n)) => *n,
            Some(_) => {
                return Err(PresetError::Toml {
                    line: key_line(text, "version"),
                    message: "version must be a whole number".into(),
                });
            }
        };
        if version > i64::from(LIBRARY_VERSION) {
            return Err(PresetError::TooNew { found: version });
        }
        let (mut library, migrated_from, table_header) = match version {
            0 => (v0::parse(text)?, Some(0), "[[presets]]"),
            1 => {
                let lib: Library = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
                (lib, None, "[[preset]]")
            }
            _ => {
                return Err(PresetError::Toml {
                    line: key_line(text, "version"),
                    message: format!("unknown library version {version}"),
                });
            }
        };
        library.version = LIBRARY_VERSION;
        let lines = table_lines(text, table_header);
        let at = |i: usize| {
            lines
                .get(i)
                .map(|l| format!("line {l}: "))
                .unwrap_or_default()
        };
        let mut problems = Vec::new();
        for (i, p) in library.presets.iter().enumerate() {
            if let Err(e) = p.validate() {
                problems.push(format!("{}{e}", at(i)));
            }
            if let Some(first) = library.presets[..i]
                .iter()
                .position(|q| same_name(&q.name, &p.name))
            {
                problems.push(format!(
                    "{}preset \"{}\" has the same name as the one at {}only the first is found by name",
                    at(i),
                    p.name,
                    at(first)
                ));
            }
        }
        Ok(Parsed {
            library,
            migrated_from,
            problems,
        })
    }

    /// The library as TOML (current version, with a short header saying the units).
    pub fn to_toml(&self) -> Result<String, PresetError> {
        let lib = Library {
            version: LIBRARY_VERSION,
            presets: self.presets.clone(),
        };
        let body = toml::to_string_pretty(&lib).map_err(|e| PresetError::Toml {
            line: None,
            message: e.to_string(),
        })?;
        Ok(format!("{HEADER}{body}"))
    }

    /// Index of the preset called `name`: the exact name first, then the only one equal
    /// ignoring case (`None` when several are).
    pub fn position(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.presets.iter().position(|p| p.name == name) {
            return Some(i);
        }
        let mut found = self
            .presets
            .iter()
            .enumerate()
            .filter(|(_, p)| same_name(&p.name, name));
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// The preset called `name` (see [`Library::position`]).
    pub fn find(&self, name: &str) -> Option<&Preset> {
        self.position(name).map(|i| &self.presets[i])
    }

    /// Presets matching every word of `query` (ignoring case) in their name, material,
    /// machine, mode or thickness (`3 mm`, `3mm`). An empty query matches all.
    pub fn search(&self, query: &str) -> Vec<&Preset> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.presets
            .iter()
            .filter(|p| {
                let thickness = p.thickness_mm.map(fmt_num).unwrap_or_default();
                let hay = format!(
                    "{} {} {} {} {thickness} mm {thickness}mm",
                    p.name,
                    p.material,
                    p.machine,
                    mode_label(p.mode)
                )
                .to_lowercase();
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect()
    }

    /// Presets of one mode.
    pub fn of_mode(&self, mode: Mode) -> impl Iterator<Item = &Preset> {
        self.presets.iter().filter(move |p| p.mode == mode)
    }

    /// Appends a new preset; refused when invalid or when the name is taken (ignoring case).
    pub fn add(&mut self, preset: Preset) -> Result<(), PresetError> {
        preset.validate()?;
        if self
            .presets
            .iter()
            .any(|p| same_name(&p.name, &preset.name))
        {
            return Err(PresetError::Duplicate(preset.name));
        }
        self.presets.push(preset);
        Ok(())
    }

    /// Adds `preset`, or replaces the one of the same name in place. Returns the old one.
    pub fn replace(&mut self, preset: Preset) -> Result<Option<Preset>, PresetError> {
        preset.validate()?;
        match self.position(&preset.name) {
            Some(i) => Ok(Some(std::mem::replace(&mut self.presets[i], preset))),
            None => {
                self.presets.push(preset);
                Ok(None)
            }
        }
    }

    /// Replaces the preset called `name` with `preset`, which may be renamed (not onto
    /// another preset's name).
    pub fn update(&mut self, name: &str, preset: Preset) -> Result<(), PresetError> {
        let i = self
            .position(name)
            .ok_or_else(|| PresetError::NotFound(name.to_string()))?;
        preset.validate()?;
        let taken = self
            .presets
            .iter()
            .enumerate()
            .any(|(j, p)| j != i && same_name(&p.name, &preset.name));
        if taken {
            return Err(PresetError::Duplicate(preset.name));
        }
        self.presets[i] = preset;
        Ok(())
    }

    /// Removes and returns the preset called `name`.
    pub fn remove(&mut self, name: &str) -> Result<Preset, PresetError> {
        let i = self
            .position(name)
            .ok_or_else(|| PresetError::NotFound(name.to_string()))?;
        Ok(self.presets.remove(i))
    }
}

/// Names are unique ignoring case, so `find("plywood 3 mm cut")` can't be ambiguous.
fn same_name(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn toml_error(text: &str, e: &toml::de::Error) -> PresetError {
    PresetError::Toml {
        line: e.span().map(|s| line_of(text, s.start)),
        // serde's type names mean little to someone editing a file by hand.
        message: e
            .message()
            .trim()
            .replace("expected f64", "expected a number")
            .replace("expected u32", "expected a whole number"),
    }
}

/// Line of the first top-level `key = …`.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// Lines of each `[[header]]` table, in order: where the n-th preset starts.
fn table_lines(text: &str, header: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with(header))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Version 0: what Burin's development builds wrote.
mod v0 {
    use serde::Deserialize;

    use super::super::{Preset, PresetError};
    use super::{Library, toml_error};
    use crate::Mode;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct V0Library {
        #[serde(default)]
        presets: Vec<V0Preset>,
    }

    #[derive(Deserialize, Clone, Copy)]
    #[serde(rename_all = "lowercase")]
    enum V0Kind {
        Cut,
        Engrave,
        Photo,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct V0Preset {
        name: String,
        #[serde(default)]
        material: String,
        /// mm; 0 meant "no thickness".
        #[serde(default)]
        thickness: f64,
        kind: V0Kind,
        speed_mm_s: f64,
        power_pct: f64,
        #[serde(default = "super::super::one")]
        passes: u32,
        #[serde(default)]
        line_interval_mm: Option<f64>,
        #[serde(default)]
        air: bool,
        #[serde(default)]
        notes: String,
    }

    pub(super) fn parse(text: &str) -> Result<Library, PresetError> {
        let old: V0Library = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let presets = old
            .presets
            .into_iter()
            .map(|p| Preset {
                name: p.name,
                material: p.material,
                thickness_mm: (p.thickness > 0.0).then_some(p.thickness),
                machine: String::new(),
                mode: match p.kind {
                    V0Kind::Cut => Mode::Line,
                    V0Kind::Engrave => Mode::Fill,
                    V0Kind::Photo => Mode::Image,
                },
                // mm/s → mm/min, rounded so 5.5 mm/s reads back as 330, not 329.99999.
                speed_mm_min: (p.speed_mm_s * 60.0 * 1000.0).round() / 1000.0,
                power_min_pct: 0.0,
                power_max_pct: p.power_pct,
                passes: p.passes,
                interval_mm: p.line_interval_mm,
                angle_deg: None,
                dither: None,
                air_assist: p.air,
                notes: p.notes,
            })
            .collect();
        Ok(Library {
            version: super::LIBRARY_VERSION,
            presets,
        })
    }
}
