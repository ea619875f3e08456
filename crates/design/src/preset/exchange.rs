//! What the importers share: the report, format detection, reading a file as text, and the
//! small XML and naming helpers of the LightBurn and LaserGRBL formats.

use std::collections::HashSet;
use std::path::Path;

use super::{Library, Preset, PresetError};

/// Largest preset file read, bytes (16 MiB: thousands of presets; bounds hostile input).
pub const MAX_PRESET_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What an import read and what it left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// Names of the presets read, in file order.
    pub imported: Vec<String>,
    /// What was left out (the entry, as the file names it) and why.
    pub skipped: Vec<(String, String)>,
}

/// Presets read from a file, not yet added to any library.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    /// Every preset passes [`Preset::validate`]; names are unique ignoring case.
    pub presets: Vec<Preset>,
    pub report: ImportReport,
}

impl Imported {
    /// Keeps `preset` if it validates (renamed `… (2)` if its name is taken), else reports it.
    pub(crate) fn push(&mut self, mut preset: Preset, what: &str, taken: &mut HashSet<String>) {
        preset.name = unique_name(taken, &preset.name);
        match preset.validate() {
            Ok(()) => {
                self.report.imported.push(preset.name.clone());
                self.presets.push(preset);
            }
            Err(e) => {
                let why = match e {
                    PresetError::Invalid { message, .. } => message,
                    other => other.to_string(),
                };
                self.report.skipped.push((what.to_string(), why));
            }
        }
    }

    pub(crate) fn skip(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.report.skipped.push((what.into(), why.into()));
    }
}

/// The preset file formats Burin reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresetFormat {
    /// Burin's own TOML library (`.toml`).
    Burin,
    /// A LightBurn material library (`.clb`).
    LightBurn,
    /// A LaserGRBL material database (`.psh`).
    LaserGrbl,
}

impl PresetFormat {
    /// From the file extension (`.toml`, `.clb`, `.psh`, any case).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Self::Burin),
            "clb" => Some(Self::LightBurn),
            "psh" => Some(Self::LaserGrbl),
            _ => None,
        }
    }

    /// From the content: the XML root of the two XML formats, or a TOML library's keys.
    pub fn sniff(text: &str) -> Option<Self> {
        let head: String = text.chars().take(4096).collect();
        if head.contains("<LightBurnLibrary") {
            return Some(Self::LightBurn);
        }
        if head.contains("<MaterialDB") {
            return Some(Self::LaserGrbl);
        }
        let t = head.trim_start_matches('\u{feff}').trim_start();
        let tomlish = head.contains("[[preset") || head.lines().any(|l| l.starts_with("version"));
        (!t.starts_with('<') && tomlish).then_some(Self::Burin)
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Burin => "toml",
            Self::LightBurn => "clb",
            Self::LaserGrbl => "psh",
        }
    }

    /// How a user calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Burin => "Burin preset library (.toml)",
            Self::LightBurn => "LightBurn library (.clb)",
            Self::LaserGrbl => "LaserGRBL material database (.psh)",
        }
    }
}

/// Text from a preset file's bytes: UTF-8 or UTF-16 with a byte-order mark, else UTF-8.
pub fn decode_text(bytes: &[u8]) -> Result<String, PresetError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return if had_errors {
            Err(PresetError::NotText)
        } else {
            Ok(text.into_owned())
        };
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| PresetError::NotText)
}

/// Reads a preset file as text, refusing folders and files over [`MAX_PRESET_FILE_BYTES`].
pub fn read_preset_file(path: &Path) -> Result<String, PresetError> {
    let meta = std::fs::metadata(path).map_err(|e| PresetError::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(PresetError::Io("is a folder".into()));
    }
    if meta.len() > MAX_PRESET_FILE_BYTES {
        return Err(PresetError::TooLarge {
            bytes: meta.len(),
            limit: MAX_PRESET_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| PresetError::Io(e.to_string()))?;
    decode_text(&bytes)
}

/// Reads presets in `format`. A Burin library's invalid or repeated presets are skipped
/// with the reason, like the other formats' entries.
pub fn import_text(format: PresetFormat, text: &str) -> Result<Imported, PresetError> {
    match format {
        PresetFormat::LightBurn => super::import_lightburn(text),
        PresetFormat::LaserGrbl => super::import_lasergrbl(text),
        PresetFormat::Burin => {
            let parsed = Library::parse_toml(text)?;
            let mut out = Imported::default();
            let mut taken = HashSet::new();
            for p in parsed.library.presets {
                if taken.contains(&p.name.to_lowercase()) {
                    out.skip(p.name, "the same name as an earlier preset in the file");
                    continue;
                }
                let what = p.name.clone();
                out.push(p, &what, &mut taken);
            }
            Ok(out)
        }
    }
}

/// `base`, or `base (2)`, `base (3)`… whichever is free (ignoring case); marks it taken.
pub(crate) fn unique_name(taken: &mut HashSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = format!("{base} ({n})");
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// A readable name from a file's parts: `Plywood - 3 mm - Cut`. The thickness is left out
/// when the material already says it ("Contreplaqué 3 mm").
pub(crate) fn compose_name(material: &str, thickness: &str, what: &str) -> String {
    let squash = |s: &str| s.to_lowercase().replace(' ', "");
    let mut parts: Vec<&str> = Vec::new();
    let material = material.trim();
    if !material.is_empty() {
        parts.push(material);
    }
    let thickness = thickness.trim();
    if !thickness.is_empty() && !squash(material).contains(&squash(thickness)) {
        parts.push(thickness);
    }
    let what = what.trim();
    if !what.is_empty() && what != material {
        parts.push(what);
    }
    if parts.is_empty() {
        "Imported preset".into()
    } else {
        parts.join(" - ")
    }
}

/// A finite number; a decimal comma (`3,5`) is read as a point.
pub(crate) fn parse_num(text: &str) -> Option<f64> {
    let t = text.trim();
    let t = if t.contains(',') && !t.contains('.') {
        t.replace(',', ".")
    } else {
        t.to_string()
    };
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number of passes, 1..=1000.
pub(crate) fn parse_passes(text: &str) -> Result<u32, String> {
    match parse_num(text) {
        Some(v) if v.fract() == 0.0 && (1.0..=1000.0).contains(&v) => Ok(v as u32),
        _ => Err(format!("passes \"{text}\" is not a whole number 1..1000")),
    }
}

/// Rounded to 1/1000: unit conversions (mm/s × 60) then read back as the number written.
pub(crate) fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Parses XML, refusing DTDs (entity expansion), with the error's line and column.
pub(crate) fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, PresetError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 4_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let pos = e.pos();
        let message = e.to_string();
        let message = message
            .strip_suffix(&format!(" at {pos}"))
            .unwrap_or(&message)
            .to_string();
        PresetError::Xml {
            line: pos.row,
            column: pos.col,
            message,
        }
    })
}

/// Text safe in an XML attribute or element: markup characters and line breaks as
/// references; control characters XML 1.0 can't carry are dropped.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{fffe}' | '\u{ffff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` to `notes` on a new line.
pub(crate) fn add_note(notes: &mut String, line: &str) {
    if !notes.is_empty() {
        notes.push('\n');
    }
    notes.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_numbers_and_escapes() {
        assert_eq!(
            compose_name("Plywood", "3 mm", "Cut"),
            "Plywood - 3 mm - Cut"
        );
        assert_eq!(
            compose_name("Contreplaqué peuplier 3 mm", "3 mm", "Découpe"),
            "Contreplaqué peuplier 3 mm - Découpe"
        );
        assert_eq!(compose_name("", "", ""), "Imported preset");
        let mut taken = HashSet::new();
        assert_eq!(unique_name(&mut taken, "Cut"), "Cut");
        assert_eq!(unique_name(&mut taken, "cut"), "cut (2)");
        assert_eq!(unique_name(&mut taken, "Cut"), "Cut (3)");
        assert_eq!(parse_num(" 3,5 "), Some(3.5));
        assert_eq!(parse_num("NaN"), None);
        assert_eq!(parse_num("1e999"), None);
        assert_eq!(parse_passes("2"), Ok(2));
        assert!(parse_passes("2.5").is_err());
        assert!(parse_passes("99999999999").is_err());
        assert_eq!(
            xml_escape("a<b>&\"c'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;"
        );
        assert_eq!(round3(349.99998), 350.0);
    }

    #[test]
    fn formats_by_extension_and_content() {
        assert_eq!(
            PresetFormat::from_path(Path::new("a/B.CLB")),
            Some(PresetFormat::LightBurn)
        );
        assert_eq!(
            PresetFormat::from_path(Path::new("x.psh")),
            Some(PresetFormat::LaserGrbl)
        );
        assert_eq!(PresetFormat::from_path(Path::new("x.txt")), None);
        assert_eq!(
            PresetFormat::sniff("<?xml version=\"1.0\"?>\n<LightBurnLibrary>"),
            Some(PresetFormat::LightBurn)
        );
        assert_eq!(
            PresetFormat::sniff("<MaterialDB xmlns=\"x\">"),
            Some(PresetFormat::LaserGrbl)
        );
        assert_eq!(
            PresetFormat::sniff("version = 1\n"),
            Some(PresetFormat::Burin)
        );
        assert_eq!(PresetFormat::sniff("<svg/>"), None);
        assert_eq!(PresetFormat::sniff("hello"), None);
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "é".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&bytes), Ok("é".into()));
        assert_eq!(decode_text(&[0xc3, 0x28]), Err(PresetError::NotText));
    }
}
