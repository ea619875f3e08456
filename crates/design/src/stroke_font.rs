//! A small single-stroke font (Hershey style) for text burned as lines: test-grid labels.
//!
//! Outline fonts would be filled or traced twice; a laser wants one pass per stroke, so each
//! glyph is a few polylines on a grid, written here as data. Units: the capital height is
//! [`CAP_UNITS`], baseline at 0, Y up; lower-case descenders reach [`DESCENT_UNITS`].
//! Covers digits, A–Z, a–z, space and `. , % / - : ( ) + = ' ?`; common accented Latin
//! letters are drawn without their accent, anything else as `?`.

use crate::{DocPoint, PathEl};

/// Height of a capital letter, glyph units.
pub const CAP_UNITS: i8 = 10;
/// Lowest point of a descender (g, j, p, q, y), glyph units.
pub const DESCENT_UNITS: i8 = -3;
/// Space after every glyph, glyph units.
pub const SPACING_UNITS: i8 = 2;

/// One character: its width and its strokes (polylines of grid points, Y up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub ch: char,
    /// Width of the drawing, glyph units; the advance is this plus [`SPACING_UNITS`].
    pub width: i8,
    pub strokes: &'static [&'static [(i8, i8)]],
}

const fn g(ch: char, width: i8, strokes: &'static [&'static [(i8, i8)]]) -> Glyph {
    Glyph { ch, width, strokes }
}

// Shared shapes: the bowl of a, d, g, q (open on the right) and of b, p (open on the left).
#[rustfmt::skip]
const BOWL_RIGHT: &[(i8, i8)] = &[(5, 5), (4, 6), (1, 6), (0, 5), (0, 1), (1, 0), (4, 0), (5, 1)];
#[rustfmt::skip]
const BOWL_LEFT: &[(i8, i8)] = &[(0, 5), (1, 6), (4, 6), (5, 5), (5, 1), (4, 0), (1, 0), (0, 1)];
#[rustfmt::skip]
const ARCH: &[(i8, i8)] = &[(0, 5), (1, 6), (4, 6), (5, 5), (5, 0)];
#[rustfmt::skip]
const P_BOWL: &[(i8, i8)] = &[(0, 0), (0, 10), (5, 10), (6, 9), (6, 6), (5, 5), (0, 5)];
#[rustfmt::skip]
const O_RING: &[(i8, i8)] = &[
    (2, 0), (0, 2), (0, 8), (2, 10), (4, 10), (6, 8), (6, 2), (4, 0), (2, 0),
];

/// Every glyph of the font, one per line (kept so by `rustfmt::skip`), in grid units.
#[rustfmt::skip]
pub const GLYPHS: &[Glyph] = &[
    g(' ', 4, &[]),
    // Digits.
    g('0', 6, &[
        &[(1, 0), (0, 1), (0, 9), (1, 10), (5, 10), (6, 9), (6, 1), (5, 0), (1, 0)],
        &[(1, 2), (5, 8)],
    ]),
    g('1', 6, &[&[(1, 8), (3, 10), (3, 0)], &[(1, 0), (5, 0)]]),
    g('2', 6, &[&[(0, 9), (1, 10), (5, 10), (6, 9), (6, 6), (0, 0), (6, 0)]]),
    g('3', 6, &[&[(0, 10), (6, 10), (3, 6), (5, 6), (6, 5), (6, 1), (5, 0), (1, 0), (0, 1)]]),
    g('4', 6, &[&[(4, 0), (4, 10), (0, 3), (6, 3)]]),
    g('5', 6, &[&[(6, 10), (0, 10), (0, 6), (5, 6), (6, 5), (6, 1), (5, 0), (1, 0), (0, 1)]]),
    g('6', 6, &[&[
        (5, 10), (2, 10), (0, 8), (0, 1), (1, 0), (5, 0), (6, 1), (6, 5), (5, 6), (0, 6),
    ]]),
    g('7', 6, &[&[(0, 10), (6, 10), (2, 0)]]),
    g('8', 6, &[&[
        (1, 6), (0, 5), (0, 1), (1, 0), (5, 0), (6, 1), (6, 5), (5, 6),
        (1, 6), (0, 7), (0, 9), (1, 10), (5, 10), (6, 9), (6, 7), (5, 6),
    ]]),
    g('9', 6, &[&[
        (6, 4), (1, 4), (0, 5), (0, 9), (1, 10), (5, 10), (6, 9), (6, 2), (4, 0), (1, 0),
    ]]),
    // Capitals.
    g('A', 6, &[&[(0, 0), (3, 10), (6, 0)], &[(1, 3), (5, 3)]]),
    g('B', 6, &[
        &[(0, 0), (0, 10), (4, 10), (5, 9), (5, 7), (4, 6), (0, 6)],
        &[(4, 6), (6, 5), (6, 1), (5, 0), (0, 0)],
    ]),
    g('C', 6, &[&[(6, 9), (5, 10), (1, 10), (0, 9), (0, 1), (1, 0), (5, 0), (6, 1)]]),
    g('D', 6, &[&[(0, 0), (0, 10), (4, 10), (6, 8), (6, 2), (4, 0), (0, 0)]]),
    g('E', 6, &[&[(6, 10), (0, 10), (0, 0), (6, 0)], &[(0, 5), (4, 5)]]),
    g('F', 6, &[&[(6, 10), (0, 10), (0, 0)], &[(0, 5), (4, 5)]]),
    g('G', 6, &[&[
        (6, 9), (5, 10), (1, 10), (0, 9), (0, 1), (1, 0), (5, 0), (6, 1), (6, 4), (3, 4),
    ]]),
    g('H', 6, &[&[(0, 0), (0, 10)], &[(6, 0), (6, 10)], &[(0, 5), (6, 5)]]),
    g('I', 4, &[&[(0, 10), (4, 10)], &[(2, 10), (2, 0)], &[(0, 0), (4, 0)]]),
    g('J', 6, &[&[(6, 10), (6, 1), (5, 0), (1, 0), (0, 1), (0, 3)]]),
    g('K', 6, &[&[(0, 0), (0, 10)], &[(6, 10), (0, 4)], &[(2, 6), (6, 0)]]),
    g('L', 6, &[&[(0, 10), (0, 0), (6, 0)]]),
    g('M', 8, &[&[(0, 0), (0, 10), (4, 4), (8, 10), (8, 0)]]),
    g('N', 6, &[&[(0, 0), (0, 10), (6, 0), (6, 10)]]),
    g('O', 6, &[O_RING]),
    g('P', 6, &[P_BOWL]),
    g('Q', 6, &[O_RING, &[(3, 3), (6, 0)]]),
    g('R', 6, &[P_BOWL, &[(3, 5), (6, 0)]]),
    g('S', 6, &[&[
        (6, 9), (5, 10), (1, 10), (0, 9), (0, 6), (1, 5),
        (5, 5), (6, 4), (6, 1), (5, 0), (1, 0), (0, 1),
    ]]),
    g('T', 6, &[&[(0, 10), (6, 10)], &[(3, 10), (3, 0)]]),
    g('U', 6, &[&[(0, 10), (0, 1), (1, 0), (5, 0), (6, 1), (6, 10)]]),
    g('V', 6, &[&[(0, 10), (3, 0), (6, 10)]]),
    g('W', 8, &[&[(0, 10), (2, 0), (4, 6), (6, 0), (8, 10)]]),
    g('X', 6, &[&[(0, 10), (6, 0)], &[(0, 0), (6, 10)]]),
    g('Y', 6, &[&[(0, 10), (3, 5), (6, 10)], &[(3, 5), (3, 0)]]),
    g('Z', 6, &[&[(0, 10), (6, 10), (0, 0), (6, 0)]]),
    // Lower case: x-height 6, ascenders 10, descenders -3.
    g('a', 5, &[&[(5, 6), (5, 0)], BOWL_RIGHT]),
    g('b', 5, &[&[(0, 10), (0, 0)], BOWL_LEFT]),
    g('c', 5, &[&[(5, 5), (4, 6), (1, 6), (0, 5), (0, 1), (1, 0), (4, 0), (5, 1)]]),
    g('d', 5, &[&[(5, 10), (5, 0)], BOWL_RIGHT]),
    g('e', 5, &[&[(0, 3), (5, 3), (5, 5), (4, 6), (1, 6), (0, 5), (0, 1), (1, 0), (4, 0), (5, 1)]]),
    g('f', 4, &[&[(4, 10), (3, 10), (2, 9), (2, 0)], &[(0, 6), (4, 6)]]),
    g('g', 5, &[&[(5, 6), (5, -2), (4, -3), (1, -3), (0, -2)], BOWL_RIGHT]),
    g('h', 5, &[&[(0, 10), (0, 0)], ARCH]),
    g('i', 2, &[&[(1, 6), (1, 0)], &[(1, 8), (1, 9)]]),
    g('j', 3, &[&[(3, 6), (3, -2), (2, -3), (0, -3)], &[(3, 8), (3, 9)]]),
    g('k', 5, &[&[(0, 10), (0, 0)], &[(5, 6), (0, 1)], &[(2, 3), (5, 0)]]),
    g('l', 3, &[&[(1, 10), (1, 1), (2, 0), (3, 0)]]),
    g('m', 8, &[
        &[(0, 6), (0, 0)],
        &[(0, 5), (1, 6), (3, 6), (4, 5), (4, 0)],
        &[(4, 5), (5, 6), (7, 6), (8, 5), (8, 0)],
    ]),
    g('n', 5, &[&[(0, 6), (0, 0)], ARCH]),
    g('o', 5, &[&[(1, 0), (0, 1), (0, 5), (1, 6), (4, 6), (5, 5), (5, 1), (4, 0), (1, 0)]]),
    g('p', 5, &[&[(0, 6), (0, -3)], BOWL_LEFT]),
    g('q', 5, &[&[(5, 6), (5, -3)], BOWL_RIGHT]),
    g('r', 4, &[&[(0, 6), (0, 0)], &[(0, 4), (2, 6), (4, 6)]]),
    g('s', 5, &[&[
        (5, 5), (4, 6), (1, 6), (0, 5), (0, 4), (1, 3),
        (4, 3), (5, 2), (5, 1), (4, 0), (1, 0), (0, 1),
    ]]),
    g('t', 4, &[&[(2, 9), (2, 1), (3, 0), (4, 0)], &[(0, 6), (4, 6)]]),
    g('u', 5, &[&[(0, 6), (0, 1), (1, 0), (4, 0), (5, 1)], &[(5, 6), (5, 0)]]),
    g('v', 6, &[&[(0, 6), (3, 0), (6, 6)]]),
    g('w', 8, &[&[(0, 6), (2, 0), (4, 5), (6, 0), (8, 6)]]),
    g('x', 5, &[&[(0, 6), (5, 0)], &[(0, 0), (5, 6)]]),
    g('y', 6, &[&[(0, 6), (3, 0)], &[(6, 6), (1, -3)]]),
    g('z', 5, &[&[(0, 6), (5, 6), (0, 0), (5, 0)]]),
    // Punctuation; dots are short strokes, so they burn.
    g('.', 1, &[&[(0, 0), (0, 1)]]),
    g(',', 1, &[&[(1, 1), (1, 0), (0, -2)]]),
    g(':', 1, &[&[(0, 0), (0, 1)], &[(0, 5), (0, 6)]]),
    g('%', 6, &[
        &[(0, 0), (6, 10)],
        &[(1, 10), (0, 9), (0, 7), (1, 6), (2, 7), (2, 9), (1, 10)],
        &[(5, 4), (4, 3), (4, 1), (5, 0), (6, 1), (6, 3), (5, 4)],
    ]),
    g('/', 5, &[&[(0, 0), (5, 10)]]),
    g('-', 4, &[&[(0, 4), (4, 4)]]),
    g('+', 6, &[&[(0, 4), (6, 4)], &[(3, 1), (3, 7)]]),
    g('=', 6, &[&[(0, 3), (6, 3)], &[(0, 6), (6, 6)]]),
    g('(', 3, &[&[(3, 10), (1, 8), (0, 5), (0, 2), (1, -1), (3, -3)]]),
    g(')', 3, &[&[(0, 10), (2, 8), (3, 5), (3, 2), (2, -1), (0, -3)]]),
    g('\'', 1, &[&[(0, 10), (0, 7)]]),
    g('?', 5, &[&[(0, 8), (1, 10), (4, 10), (5, 9), (5, 7), (3, 5), (3, 3)], &[(3, 0), (3, 1)]]),
];

/// The glyph drawing `c`: its own, an accented letter's base letter, or `None` when the
/// font has neither (callers draw `?`).
pub fn glyph(c: char) -> Option<&'static Glyph> {
    let c = fold_accent(c);
    GLYPHS.iter().find(|g| g.ch == c)
}

/// `é` → `e`, `Ç` → `C`…: the base letter of common accented Latin letters.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'ç' => 'c',
        'Ç' => 'C',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        '×' => 'x',
        '\t' => ' ',
        other => other,
    }
}

/// The glyphs `text` is drawn with: control characters are dropped, unknown ones become `?`.
fn glyphs_of(text: &str) -> impl Iterator<Item = &'static Glyph> + '_ {
    let unknown = glyph('?');
    text.chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .filter_map(move |c| glyph(c).or(unknown))
}

/// Width of `text` drawn with capitals `cap_mm` high, mm (no spacing after the last glyph).
pub fn text_width_mm(text: &str, cap_mm: f64) -> f64 {
    let units: i32 = glyphs_of(text)
        .map(|g| i32::from(g.width) + i32::from(SPACING_UNITS))
        .sum();
    let units = (units - i32::from(SPACING_UNITS)).max(0);
    f64::from(units) * cap_mm / f64::from(CAP_UNITS)
}

/// `text` as open polylines in doc space (mm, Y down), its baseline starting at `baseline`,
/// capitals `cap_mm` high.
pub fn text_paths(text: &str, baseline: DocPoint, cap_mm: f64) -> Vec<Vec<PathEl>> {
    let scale = cap_mm / f64::from(CAP_UNITS);
    let mut paths = Vec::new();
    let mut x_units = 0.0;
    for g in glyphs_of(text) {
        for stroke in g.strokes {
            let mut path = Vec::with_capacity(stroke.len());
            for (i, &(x, y)) in stroke.iter().enumerate() {
                // Glyph Y is up; doc Y is down.
                let p = DocPoint::new(
                    baseline.x + (x_units + f64::from(x)) * scale,
                    baseline.y - f64::from(y) * scale,
                );
                path.push(if i == 0 {
                    PathEl::MoveTo(p)
                } else {
                    PathEl::LineTo(p)
                });
            }
            if path.len() >= 2 {
                paths.push(path);
            }
        }
        x_units += f64::from(g.width) + f64::from(SPACING_UNITS);
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUIRED: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .%/-:";

    #[test]
    fn every_required_character_has_a_glyph_of_its_own() {
        for c in REQUIRED.chars() {
            let g = glyph(c).unwrap_or_else(|| panic!("no glyph for {c:?}"));
            assert_eq!(g.ch, c);
            assert_eq!(g.strokes.is_empty(), c == ' ', "{c:?}");
        }
        let mut seen = std::collections::HashSet::new();
        for g in GLYPHS {
            assert!(seen.insert(g.ch), "{:?} defined twice", g.ch);
        }
    }

    #[test]
    fn every_stroke_stays_inside_its_cell() {
        for g in GLYPHS {
            assert!((0..=8).contains(&g.width), "{:?}", g.ch);
            for s in g.strokes {
                assert!(s.len() >= 2, "{:?}: a stroke needs two points", g.ch);
                for &(x, y) in *s {
                    assert!((0..=g.width).contains(&x), "{:?}: x {x}", g.ch);
                    assert!(
                        (DESCENT_UNITS..=CAP_UNITS).contains(&y),
                        "{:?}: y {y}",
                        g.ch
                    );
                }
                for w in s.windows(2) {
                    assert_ne!(w[0], w[1], "{:?}: zero-length piece", g.ch);
                }
            }
        }
    }

    #[test]
    fn text_lands_in_its_box_and_advances() {
        let cap = 3.0;
        let text = "Speed 1000 mm/min: 20.5% (jg)";
        let paths = text_paths(text, DocPoint::new(10.0, 20.0), cap);
        let w = text_width_mm(text, cap);
        assert!(w > 0.0);
        for el in paths.iter().flatten() {
            let (PathEl::MoveTo(p) | PathEl::LineTo(p)) = *el else {
                panic!("only lines")
            };
            assert!(p.x >= 10.0 - 1e-9 && p.x <= 10.0 + w + 1e-9, "{p:?}");
            assert!(
                p.y >= 20.0 - cap - 1e-9 && p.y <= 20.0 + 0.3 * cap + 1e-9,
                "{p:?}"
            );
        }
        // "1" then "11": the second starts one advance to the right.
        assert!(text_width_mm("11", cap) > 2.0 * text_width_mm("1", cap));
        assert_eq!(text_width_mm("", cap), 0.0);
    }

    #[test]
    fn unknown_characters_become_question_marks_and_never_panic() {
        let q = text_paths("?", DocPoint::default(), 5.0);
        for text in ["€", "漢", "\u{1F600}", "a\u{0}b\nc"] {
            let paths = text_paths(text, DocPoint::default(), 5.0);
            assert!(!paths.is_empty(), "{text:?} draws something");
        }
        assert_eq!(text_paths("€", DocPoint::default(), 5.0), q);
        assert_eq!(text_width_mm("a\nb", 5.0), text_width_mm("ab", 5.0));
        // Accented letters keep their base letter.
        assert_eq!(
            text_paths("é", DocPoint::default(), 5.0),
            text_paths("e", DocPoint::default(), 5.0)
        );
    }
}
