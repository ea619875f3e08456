//! Pre-checks a line before it goes to GRBL: what GRBL's pre-filter will keep, whether it fits
//! the 80-byte line buffer, realtime characters, and whether it writes EEPROM.

use thiserror::Error;

use crate::realtime;

/// Longest line GRBL accepts, counted after its pre-filter (its line buffer holds 80 bytes).
pub const MAX_LINE_CHARS: usize = 79;

/// Why a line cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LineError {
    /// More than [`MAX_LINE_CHARS`] characters survive GRBL's pre-filter (it would answer
    /// `error:11` and execute nothing).
    #[error("line has {chars} characters after GRBL's pre-filter, at most 79 fit")]
    TooLong { chars: usize },
    /// A character GRBL acts on at once (`?`, `!`, `~`, Ctrl-X or anything non-ASCII) outside a
    /// comment.
    #[error("character {ch:?} at column {column} is a GRBL realtime command")]
    RealtimeChar { ch: char, column: usize },
    /// CR or LF inside the line would split it in two.
    #[error("line break inside the line")]
    LineBreak,
}

/// A line ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedLine {
    /// Text to send, without its LF.
    pub text: String,
    /// It writes EEPROM (or resets GRBL): send it alone, with nothing else in flight.
    pub sync: bool,
    /// What GRBL's pre-filter keeps: upper case, no spaces, no comments.
    pub filtered: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Comment {
    None,
    Paren,
    Semicolon,
}

/// True for characters that must never reach GRBL inside a line.
fn is_realtime_char(ch: char) -> bool {
    u8::try_from(ch).map_or(true, realtime::is_realtime)
}

/// Cleans and checks `src`.
///
/// Inside comments, realtime characters (and anything non-ASCII or control) are removed;
/// with `strip_comments` the comments go entirely (GRBL ignores them anyway and they cost
/// receive-buffer bytes). Outside comments such characters are refused, as are lines longer
/// than [`MAX_LINE_CHARS`] after GRBL's pre-filter. Leading and trailing blanks are trimmed.
pub fn prepare_line(src: &str, strip_comments: bool) -> Result<PreparedLine, LineError> {
    let mut text = String::with_capacity(src.len());
    let mut filtered = String::with_capacity(src.len());
    let mut comment = Comment::None;
    for (column, ch) in src.chars().enumerate() {
        if ch == '\n' || ch == '\r' {
            return Err(LineError::LineBreak);
        }
        match comment {
            Comment::Paren | Comment::Semicolon => {
                if comment == Comment::Paren && ch == ')' {
                    comment = Comment::None;
                }
                let harmless = ch.is_ascii() && !ch.is_ascii_control() && !is_realtime_char(ch);
                if !strip_comments && harmless {
                    text.push(ch);
                }
            }
            Comment::None => {
                if ch == '(' || ch == ';' {
                    comment = if ch == '(' {
                        Comment::Paren
                    } else {
                        Comment::Semicolon
                    };
                    if !strip_comments {
                        text.push(ch);
                    }
                    continue;
                }
                if is_realtime_char(ch) {
                    return Err(LineError::RealtimeChar { ch, column });
                }
                if ch.is_ascii_control() {
                    // GRBL drops control characters; don't spend buffer bytes on them.
                    continue;
                }
                text.push(ch);
                if ch != ' ' && ch != '/' {
                    filtered.push(ch.to_ascii_uppercase());
                }
            }
        }
    }
    if filtered.len() > MAX_LINE_CHARS {
        return Err(LineError::TooLong {
            chars: filtered.len(),
        });
    }
    let sync = is_sync_command(&filtered);
    let trimmed = text.trim();
    if trimmed.len() != text.len() {
        text = trimmed.to_string();
    }
    Ok(PreparedLine {
        text,
        sync,
        filtered,
    })
}

/// True if a pre-filtered line writes EEPROM or resets GRBL, so it must be sent alone
/// (send-response): `$x=`, `$Nx=`, `$I=`, `$RST=`, `$C` (leaving check mode resets),
/// `G10` (L2/L20), `G28.1`, `G30.1`. Jogs (`$J=`) are not.
pub fn is_sync_command(filtered: &str) -> bool {
    if let Some(rest) = filtered.strip_prefix('$') {
        return (rest.contains('=') && !rest.starts_with("J=")) || rest == "C";
    }
    words(filtered).any(|(letter, tenths)| letter == 'G' && matches!(tenths, 100 | 281 | 301))
}

/// G-code words of a pre-filtered line as (letter, value × 10 rounded); unreadable numbers
/// are skipped.
fn words(filtered: &str) -> impl Iterator<Item = (char, i64)> + '_ {
    let b = filtered.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let letter = b[i];
            i += 1;
            if !letter.is_ascii_alphabetic() {
                continue;
            }
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || matches!(b[i], b'.' | b'-' | b'+')) {
                i += 1;
            }
            if let Ok(v) = filtered[start..i].parse::<f64>() {
                return Some((char::from(letter), (v * 10.0).round() as i64));
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn strips_realtime_chars_from_comments() {
        let p = prepare_line("G90 (status? now!) G94 ; done~", false).expect("valid");
        assert_eq!(p.text, "G90 (status now) G94 ; done");
        assert_eq!(p.filtered, "G90G94");
        let p = prepare_line("G90 (status? now!) G94 ; done~", true).expect("valid");
        assert_eq!(p.text, "G90  G94");
        let p = prepare_line("G1 X1 (température ~)", false).expect("valid");
        assert_eq!(p.text, "G1 X1 (temprature )");
    }

    #[test]
    fn refuses_realtime_outside_comments() {
        assert_eq!(
            prepare_line("G1 X1 ?", true),
            Err(LineError::RealtimeChar { ch: '?', column: 6 })
        );
        assert!(matches!(
            prepare_line("G1 X1\u{18}", true),
            Err(LineError::RealtimeChar { .. })
        ));
        assert!(matches!(
            prepare_line("G1 X1é", true),
            Err(LineError::RealtimeChar { ch: 'é', .. })
        ));
        assert_eq!(prepare_line("G1\nX1", true), Err(LineError::LineBreak));
    }

    #[test]
    fn length_counts_after_prefilter() {
        let exactly = format!("G1 X{}", "1".repeat(MAX_LINE_CHARS - 3));
        assert!(prepare_line(&exactly, true).is_ok());
        let with_spaces = format!("G1 X {} (a long comment that GRBL drops)", "1".repeat(75));
        assert!(prepare_line(&with_spaces, false).is_ok());
        let too_long = format!("G1X{}", "1".repeat(MAX_LINE_CHARS - 2));
        assert_eq!(
            prepare_line(&too_long, true),
            Err(LineError::TooLong { chars: 80 })
        );
    }

    #[test]
    fn eeprom_writes_are_sync() {
        for l in [
            "$32=1",
            "$N0=G21",
            "$I=my laser",
            "$RST=$",
            "G10 L2 P1 X0",
            "g10l20p1x0y0",
            "G28.1",
            "G30.1",
            "$C",
        ] {
            assert!(prepare_line(l, true).is_ok_and(|p| p.sync), "{l}");
        }
        for l in [
            "$J=G91 X1 F100",
            "$$",
            "$#",
            "$X",
            "$H",
            "G28",
            "G30",
            "G1 X10.1",
            "G2.81",
        ] {
            assert!(prepare_line(l, true).is_ok_and(|p| !p.sync), "{l}");
        }
    }

    proptest! {
        #[test]
        fn accepted_lines_are_safe(s in "\\PC{0,100}") {
            if let Ok(p) = prepare_line(&s, false) {
                prop_assert!(p.text.bytes().all(|b| !realtime::is_realtime(b) && b != b'\n'));
                prop_assert!(p.filtered.len() <= MAX_LINE_CHARS);
            }
        }
    }
}
