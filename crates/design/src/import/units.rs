//! Which DPI turns px into millimetres, and why.
//!
//! SVG says 96 px per inch (CSS). Inkscape before 0.92 used 90 and Adobe Illustrator 72, so
//! their files come out 6.7 % or 33 % too big when read at 96: the most common import bug in
//! laser software. Absolute units (mm, cm, in, pt, pc) don't depend on this at all.

use serde::{Deserialize, Serialize};

const INKSCAPE_NS: &str = "http://www.inkscape.org/namespaces/inkscape";
const ILLUSTRATOR_NS_PREFIX: &str = "http://ns.adobe.com/AdobeIllustrator";

/// The DPI a user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum DpiChoice {
    /// Detect from the file (see [`DpiReason`]).
    #[default]
    Auto,
    /// Use this many px per inch.
    Fixed(f64),
}

/// Why a DPI was used.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum DpiReason {
    /// The CSS/SVG standard, 96 px per inch.
    #[default]
    Standard,
    /// `inkscape:version` older than 0.92: 90 px per inch.
    OldInkscape { version: String },
    /// Written by Adobe Illustrator: 72 px per inch.
    Illustrator,
    /// Asked for by the user.
    UserChoice,
}

impl std::fmt::Display for DpiReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DpiReason::Standard => write!(f, "SVG standard"),
            DpiReason::OldInkscape { version } => {
                write!(f, "written by Inkscape {version} (< 0.92)")
            }
            DpiReason::Illustrator => write!(f, "written by Adobe Illustrator"),
            DpiReason::UserChoice => write!(f, "chosen by the user"),
        }
    }
}

/// Picks the DPI for `doc`, and says whether it matters (page size in px or unit-less).
pub(crate) fn choose_dpi(doc: &roxmltree::Document, choice: DpiChoice) -> (f64, DpiReason, bool) {
    let root = doc.root_element();
    let matters = ["width", "height"]
        .iter()
        .any(|a| !is_absolute_length(root.attribute(*a)));
    let (dpi, reason) = match choice {
        DpiChoice::Fixed(dpi) => (dpi, DpiReason::UserChoice),
        DpiChoice::Auto => detect(doc),
    };
    (dpi, reason, matters)
}

fn detect(doc: &roxmltree::Document) -> (f64, DpiReason) {
    let root = doc.root_element();
    if let Some(version) = root.attribute((INKSCAPE_NS, "version")) {
        if inkscape_before_092(version) {
            return (
                90.0,
                DpiReason::OldInkscape {
                    version: version.to_string(),
                },
            );
        }
        return (96.0, DpiReason::Standard);
    }
    let illustrator_ns = root
        .namespaces()
        .any(|ns| ns.uri().starts_with(ILLUSTRATOR_NS_PREFIX));
    // Illustrator writes "<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In -->"
    // before the root element.
    let illustrator_comment = doc
        .root()
        .children()
        .take_while(|n| !n.is_element())
        .any(|n| n.is_comment() && n.text().is_some_and(|t| t.contains("Adobe Illustrator")));
    if illustrator_ns || illustrator_comment {
        return (72.0, DpiReason::Illustrator);
    }
    (96.0, DpiReason::Standard)
}

/// "0.91 r13725" -> true, "0.92.4 (5da689c313, 2019-01-14)" -> false, "1.2.2" -> false.
fn inkscape_before_092(version: &str) -> bool {
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    let major: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let minor: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    major == 0 && minor < 92
}

/// True for lengths with an absolute unit: "100mm", "4in", "72pt". Percentages, px, unit-less
/// or missing lengths depend on the DPI (missing ones come from the viewBox in user units).
fn is_absolute_length(value: Option<&str>) -> bool {
    let Some(v) = value else { return false };
    let v = v.trim().to_ascii_lowercase();
    ["mm", "cm", "in", "pt", "pc"]
        .iter()
        .any(|u| v.ends_with(u))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(svg: &str) -> (f64, DpiReason, bool) {
        let doc = roxmltree::Document::parse(svg).unwrap();
        choose_dpi(&doc, DpiChoice::Auto)
    }

    #[test]
    fn inkscape_versions() {
        assert!(inkscape_before_092("0.91 r13725"));
        assert!(inkscape_before_092("0.48.4 r9939"));
        assert!(!inkscape_before_092("0.92.4 (5da689c313, 2019-01-14)"));
        assert!(!inkscape_before_092("1.2.2 (b0a8486541, 2022-12-01)"));
        assert!(!inkscape_before_092("garbage"));
    }

    #[test]
    fn detects_old_inkscape_and_illustrator() {
        let old = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="0.91 r13725" width="100" height="100"/>"#;
        let (dpi, reason, matters) = pick(old);
        assert_eq!(dpi, 90.0);
        assert!(matches!(reason, DpiReason::OldInkscape { .. }));
        assert!(matters);

        let ai = "<?xml version=\"1.0\"?>\n<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"72px\" height=\"72px\"/>";
        assert_eq!(pick(ai).0, 72.0);

        let plain = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="50mm"/>"#;
        let (dpi, reason, matters) = pick(plain);
        assert_eq!((dpi, reason, matters), (96.0, DpiReason::Standard, false));
    }
}
