//! What GRBL 1.1's `gc_execute_line` (grbl/gcode.c, step 2) accepts in one block: letters,
//! G and M codes, modal groups, repeats and negative values. Default build (no `ENABLE_M7`,
//! no parking override).

use crate::ast::Word;

/// A problem GRBL would answer with `error:N`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WordError {
    pub grbl_error: u8,
    pub message: String,
}

fn err(grbl_error: u8, message: String) -> WordError {
    WordError {
        grbl_error,
        message,
    }
}

/// Modal group of a supported G code given in hundredths (G38.2 = 3820), or `None` if GRBL
/// 1.1 refuses it.
fn g_group(hundredths: i64) -> Option<u8> {
    Some(match hundredths {
        400 | 1000 | 2800 | 2810 | 3000 | 3010 | 5300 | 9200 | 9210 => 0,
        0 | 100 | 200 | 300 | 3820 | 3830 | 3840 | 3850 | 8000 => 1,
        1700 | 1800 | 1900 => 2,
        9000 | 9100 => 3,
        9110 => 4,
        9300 | 9400 => 5,
        2000 | 2100 => 6,
        4000 => 7,
        4310 | 4900 => 8,
        5400 | 5500 | 5600 | 5700 | 5800 | 5900 => 12,
        6100 => 13,
        _ => return None,
    })
}

/// Modal group of a supported M code (integer), or `None`.
fn m_group(code: i64) -> Option<u8> {
    Some(match code {
        0 | 1 | 2 | 30 => 4,
        3..=5 => 7,
        8 | 9 => 8,
        _ => return None,
    })
}

/// Value words GRBL knows (bit index for repeat detection).
fn value_word_bit(letter: char) -> Option<u32> {
    "FIJKLNPRSTXYZ"
        .find(letter)
        .and_then(|i| u32::try_from(i).ok())
}

/// Checks one block's words the way GRBL does before executing anything.
pub(crate) fn check_words(words: &[Word]) -> Vec<WordError> {
    let mut out = Vec::new();
    let mut groups: u32 = 0;
    let mut values: u32 = 0;
    let mut motion_axis_cmd = false;
    let mut nonmodal_axis_cmd = false;
    for w in words {
        let hundredths = (w.value * 100.0).round() as i64;
        match w.letter {
            'G' => {
                let Some(group) = g_group(hundredths) else {
                    // gcode.c: a known integer code with a fraction is error:23, except the
                    // codes that have decimal variants, which refuse unknown ones with 20.
                    let int = w.value.trunc() as i64;
                    let has_variants = matches!(int, 28 | 30 | 38 | 43 | 90 | 91 | 92);
                    if !has_variants && g_group(int * 100).is_some() {
                        out.push(err(23, format!("{w} is not a GRBL command (error:23)")));
                    } else {
                        out.push(err(20, format!("GRBL 1.1 does not support {w} (error:20)")));
                    }
                    continue;
                };
                if group == 1 && hundredths != 8000 {
                    motion_axis_cmd = true;
                }
                if matches!(hundredths, 1000 | 2800 | 3000 | 9200) {
                    nonmodal_axis_cmd = true;
                }
                if groups & (1 << group) != 0 {
                    out.push(err(
                        21,
                        format!("{w} repeats a modal group already used on this line (error:21)"),
                    ));
                }
                groups |= 1 << group;
            }
            'M' => {
                if hundredths % 100 != 0 {
                    out.push(err(23, format!("{w} is not a GRBL command (error:23)")));
                    continue;
                }
                let code = hundredths / 100;
                let Some(group) = m_group(code) else {
                    let why = match code {
                        6 => " (no tool changer)",
                        7 => " (M7 mist needs a build with ENABLE_M7)",
                        _ => "",
                    };
                    out.push(err(
                        20,
                        format!("GRBL 1.1 does not support {w}{why} (error:20)"),
                    ));
                    continue;
                };
                // M groups live above the G groups.
                let bit = 1 << (16 + u32::from(group));
                if groups & bit != 0 {
                    out.push(err(
                        21,
                        format!("{w} repeats a modal group already used on this line (error:21)"),
                    ));
                }
                groups |= bit;
            }
            letter => {
                let Some(bit) = value_word_bit(letter) else {
                    out.push(err(
                        20,
                        format!("GRBL 1.1 does not support the word {letter} (error:20)"),
                    ));
                    continue;
                };
                if values & (1 << bit) != 0 {
                    out.push(err(
                        25,
                        format!("word {letter} appears twice on this line (error:25)"),
                    ));
                }
                values |= 1 << bit;
                if matches!(letter, 'F' | 'N' | 'P' | 'T' | 'S') && w.value < 0.0 {
                    out.push(err(4, format!("{w} must not be negative (error:4)")));
                }
                if letter == 'N' && w.value > 9_999_999.0 {
                    out.push(err(
                        27,
                        format!("{w}: line numbers end at 9999999 (error:27)"),
                    ));
                }
                if letter == 'T' && w.value > 255.0 {
                    out.push(err(38, format!("{w}: tool numbers end at 255 (error:38)")));
                }
            }
        }
    }
    if motion_axis_cmd && nonmodal_axis_cmd {
        out.push(err(
            24,
            "a motion command and G10/G28/G30/G92 both claim the axis words (error:24)".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_line;

    fn codes(text: &str) -> Vec<u8> {
        let l = parse_line(text, 1).expect("parses");
        check_words(l.words())
            .iter()
            .map(|e| e.grbl_error)
            .collect()
    }

    #[test]
    fn grbl_accepts_the_usual_laser_header_and_moves() {
        for ok in [
            "G21 G90 G94 G17 G40 G49 G54 G61 G91.1",
            "G0 X1 Y2 Z3",
            "G1 X1 F100 S500 M4",
            "G2 X1 Y1 I1 J0",
            "M3 M8",
            "M9 M5 M2",
            "G4 P0.5",
            "G38.2 Z-5 F10",
            "G92 X0 Y0",
            "N10 T1 G28.1",
            "M30",
        ] {
            assert_eq!(codes(ok), Vec::<u8>::new(), "{ok}");
        }
    }

    #[test]
    fn grbl_refusals() {
        assert_eq!(codes("G99"), vec![20]);
        assert_eq!(codes("M6 T1"), vec![20]);
        assert_eq!(codes("M7"), vec![20]);
        assert_eq!(codes("G1 A5"), vec![20]);
        assert_eq!(codes("G1 Q1"), vec![20]);
        assert_eq!(codes("G0 G1 X1"), vec![21]);
        assert_eq!(codes("M3 M5"), vec![21]);
        assert_eq!(codes("G59.1"), vec![23]);
        assert_eq!(codes("G1.5 X1"), vec![23]);
        assert_eq!(codes("G38.1 Z1"), vec![20]);
        assert_eq!(codes("G90.1"), vec![20]);
        assert_eq!(codes("G1.05 X1"), vec![23]);
        assert_eq!(codes("X1 X2"), vec![25]);
        assert_eq!(codes("G1 X1 F-5"), vec![4]);
        assert_eq!(codes("N10000000"), vec![27]);
        assert_eq!(codes("T300"), vec![38]);
        assert_eq!(codes("G1 G92 X1"), vec![24]);
    }
}
