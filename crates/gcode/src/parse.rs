//! A nom parser for GRBL programs.
//!
//! It follows GRBL's own two steps (`protocol.c`, then `gcode.c`): a pre-filter drops spaces,
//! control characters, `( )` and `;` comments and `/`, and upper-cases letters; then the
//! filtered text is read as `$` command, `%` or a run of letter+number words. So `g1x10y5f300`,
//! `G1 X 10` and `N10 G1 X10 (note)` all read as GRBL reads them. Which letters and codes GRBL
//! actually supports is checked later by [`crate::preflight()`], not here.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{take_till, take_while1},
    character::complete::{anychar, char, digit0, one_of, satisfy},
    combinator::{map, opt, rest},
    sequence::preceded,
};
use thiserror::Error;

use crate::ast::{Line, LineKind, Program, Word};

/// Why a line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    #[error("expected a word letter, found '{}'", .0.escape_default())]
    ExpectedLetter(char),
    #[error("word '{0}' has no number")]
    MissingNumber(char),
    #[error("number of word '{0}' is out of range")]
    NumberOutOfRange(char),
    #[error("realtime command byte '{}' outside a comment", .0.escape_default())]
    RealtimeByte(char),
    #[error("'%' must stand alone on its line")]
    StrayPercent,
}

/// A parse failure at a 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub kind: ParseErrorKind,
}

/// Parses a whole program. Lines end in LF, CR LF or a lone CR (GRBL accepts both CR and LF
/// as a line end); a final line terminator does not start an extra line. Stops at the first
/// bad line.
/// The program keeps each line in canonical form (see [`Program`]).
pub fn parse_program(src: &str) -> Result<Program, ParseError> {
    let mut program = Program::new();
    for (i, text) in split_lines(src).enumerate() {
        let line = parse_line(text, i + 1)?;
        program.push(&line);
    }
    Ok(program)
}

impl std::str::FromStr for Program {
    type Err = ParseError;

    /// Same as [`parse_program`].
    fn from_str(src: &str) -> Result<Self, Self::Err> {
        parse_program(src)
    }
}

/// Splits text into lines on LF, CR LF or CR, without the terminators.
pub fn split_lines(src: &str) -> impl Iterator<Item = &str> {
    let mut rest = src;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\r', '\n']) {
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
            Some(at) => {
                let line = &rest[..at];
                let term = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[at + term..];
                Some(line)
            }
        }
    })
}

/// Parses one line (without its terminator); `number` is its 1-based line number.
pub fn parse_line(text: &str, number: usize) -> Result<Line, ParseError> {
    if let Some(line) = parse_plain(text, number) {
        return Ok(line);
    }
    let err = |byte_at: usize, kind| ParseError {
        line: number,
        column: column_of(text, byte_at),
        kind,
    };

    // Pre-filter, keeping the byte offset of each kept character for error columns.
    let mut filtered = String::new();
    let mut offsets: Vec<usize> = Vec::new();
    let mut comments: Vec<&str> = Vec::new();
    let mut block_delete = false;
    let mut input = text;
    while !input.is_empty() {
        let at = text.len() - input.len();
        let Ok((after, p)) = piece(input) else {
            // `anychar` accepts any non-empty input, so this is unreachable; fail safe anyway.
            return Err(err(at, ParseErrorKind::ExpectedLetter('?')));
        };
        match p {
            Piece::Comment(c) => {
                let c = c.trim();
                if !c.is_empty() {
                    comments.push(c);
                }
            }
            Piece::Skip => {}
            Piece::Slash => block_delete |= filtered.is_empty(),
            Piece::Code(c) => {
                if matches!(c, '?' | '!' | '~' | '\x18') {
                    return Err(err(at, ParseErrorKind::RealtimeByte(c)));
                }
                filtered.push(c.to_ascii_uppercase());
                offsets.push(at);
            }
        }
        input = after;
    }

    let kind = if filtered.starts_with('$') {
        LineKind::System(filtered.clone())
    } else if filtered.starts_with('%') {
        if filtered.len() > 1 {
            return Err(err(offsets[1], ParseErrorKind::StrayPercent));
        }
        LineKind::Percent
    } else if filtered.is_empty() {
        LineKind::Empty
    } else {
        let mut words = Vec::new();
        let mut rest: &str = &filtered;
        while !rest.is_empty() {
            let pos = filtered.len() - rest.len();
            match word(rest) {
                Ok((after, (letter, digits))) => {
                    let value: f64 = digits.parse().unwrap_or(f64::INFINITY);
                    if !value.is_finite() {
                        return Err(err(offsets[pos], ParseErrorKind::NumberOutOfRange(letter)));
                    }
                    words.push(Word { letter, value });
                    rest = after;
                }
                Err(_) => {
                    let first = rest.chars().next().unwrap_or(' ');
                    return Err(if first.is_ascii_uppercase() {
                        let at = offsets.get(pos + 1).copied().unwrap_or(text.len());
                        err(at, ParseErrorKind::MissingNumber(first))
                    } else if first == '%' {
                        err(offsets[pos], ParseErrorKind::StrayPercent)
                    } else {
                        err(offsets[pos], ParseErrorKind::ExpectedLetter(first))
                    });
                }
            }
        }
        LineKind::Words(words)
    };

    Ok(Line {
        number,
        kind,
        comment: (!comments.is_empty()).then(|| comments.join(" ")),
        block_delete,
        source_filtered_len: Some(filtered.chars().count()),
    })
}

/// The common case without allocation beyond the words: a line of upper-case words and
/// plain numbers only (`G1X10.5S400`), as emitters write them. `None` sends anything else
/// (spaces, comments, `$`, errors) to the full parser, which gives the same result for plain
/// lines.
fn parse_plain(text: &str, number: usize) -> Option<Line> {
    let b = text.as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut words = Vec::with_capacity(4);
    let mut i = 0;
    while i < b.len() {
        let letter = b[i];
        if !letter.is_ascii_uppercase() {
            return None;
        }
        i += 1;
        let start = i;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let mut digits = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
                digits += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        let value: f64 = text.get(start..i)?.parse().ok()?;
        if !value.is_finite() {
            return None;
        }
        words.push(Word {
            letter: char::from(letter),
            value,
        });
    }
    Some(Line {
        number,
        kind: LineKind::Words(words),
        comment: None,
        block_delete: false,
        source_filtered_len: Some(b.len()),
    })
}

fn column_of(text: &str, byte_at: usize) -> usize {
    text.get(..byte_at).map_or(0, |s| s.chars().count()) + 1
}

enum Piece<'a> {
    Comment(&'a str),
    Skip,
    Slash,
    Code(char),
}

/// One lexical piece of a raw line. A `(` comment runs to the first `)` or, as in GRBL, to the
/// end of the line if it is never closed.
fn piece(i: &str) -> IResult<&str, Piece<'_>> {
    alt((
        map(
            preceded(char('('), (take_till(|c| c == ')'), opt(char(')')))),
            |(t, _)| Piece::Comment(t),
        ),
        map(preceded(char(';'), rest), Piece::Comment),
        // GRBL drops spaces and control characters; 0x18 is soft reset and is kept to be
        // refused as a realtime byte.
        map(
            take_while1(|c: char| (c <= ' ' && c != '\x18') || c == '\x7f'),
            |_| Piece::Skip,
        ),
        map(char('/'), |_| Piece::Slash),
        map(anychar, Piece::Code),
    ))
    .parse(i)
}

/// GRBL's `read_float`: optional sign, digits with an optional point; no exponent. Returns the
/// text of the number.
fn number(i: &str) -> IResult<&str, &str> {
    let (rest, (_, int, frac)) =
        (opt(one_of("+-")), digit0, opt(preceded(char('.'), digit0))).parse(i)?;
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        )));
    }
    Ok((rest, &i[..i.len() - rest.len()]))
}

fn word(i: &str) -> IResult<&str, (char, &str)> {
    (satisfy(|c| c.is_ascii_uppercase()), number).parse(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(char, f64)> {
        parse_line(text, 1)
            .expect("parses")
            .words()
            .iter()
            .map(|w| (w.letter, w.value))
            .collect()
    }

    #[test]
    fn compact_lowercase_and_spaced_forms_agree() {
        let want = vec![('G', 1.0), ('X', 10.0), ('Y', 5.0), ('F', 300.0)];
        assert_eq!(words("g1x10y5f300"), want);
        assert_eq!(words("G1 X10 Y5 F300"), want);
        assert_eq!(words("G01 X 1 0 Y5.0 F300."), want);
        assert_eq!(words("\tG1X10Y5F300  "), want);
    }

    #[test]
    fn numbers_in_grbl_forms() {
        assert_eq!(words("G59.1X1.25"), vec![('G', 59.1), ('X', 1.25)]);
        assert_eq!(words("X-12.5Y+0.125"), vec![('X', -12.5), ('Y', 0.125)]);
        let e = parse_line("X-Y1", 1).expect_err("sign alone");
        assert_eq!(e.kind, ParseErrorKind::MissingNumber('X'));
        let e = parse_line("X.Y1", 1).expect_err("point alone");
        assert_eq!(e.kind, ParseErrorKind::MissingNumber('X'));
        assert_eq!(
            words("X.5Y-.25Z+3I-0J7."),
            vec![
                ('X', 0.5),
                ('Y', -0.25),
                ('Z', 3.0),
                ('I', -0.0),
                ('J', 7.0)
            ]
        );
    }

    #[test]
    fn comments_are_kept_and_removed_from_code() {
        let l = parse_line("G0 (go home) X0 ; done", 7).expect("parses");
        assert_eq!(l.number, 7);
        assert_eq!(l.to_string(), "G0X0 ; go home done");
        assert_eq!(l.source_filtered_len, Some(4));
        let unclosed = parse_line("G0 X1 (never closed", 1).expect("parses");
        assert_eq!(unclosed.get('X'), Some(1.0));
        assert_eq!(unclosed.comment.as_deref(), Some("never closed"));
        let only = parse_line("  ; just a note", 1).expect("parses");
        assert_eq!(only.kind, LineKind::Empty);
    }

    #[test]
    fn line_numbers_block_delete_percent_and_system() {
        assert_eq!(
            words("N10 G1 X1"),
            vec![('N', 10.0), ('G', 1.0), ('X', 1.0)]
        );
        let bd = parse_line("/G1 X1", 1).expect("parses");
        assert!(bd.block_delete);
        assert_eq!(parse_line("%", 1).expect("parses").kind, LineKind::Percent);
        assert_eq!(
            parse_line(" % (start)", 1).expect("parses").kind,
            LineKind::Percent
        );
        assert_eq!(
            parse_line("$32 = 1", 1).expect("parses").kind,
            LineKind::System("$32=1".into())
        );
        assert_eq!(
            parse_line("$h", 1).expect("parses").kind,
            LineKind::System("$H".into())
        );
        assert_eq!(parse_line("", 1).expect("parses").kind, LineKind::Empty);
    }

    #[test]
    fn errors_carry_line_column_and_reason() {
        let e = parse_line("G1 X10 Y", 4).expect_err("missing number");
        assert_eq!((e.line, e.column), (4, 9));
        assert_eq!(e.kind, ParseErrorKind::MissingNumber('Y'));
        assert_eq!(e.to_string(), "line 4, column 9: word 'Y' has no number");

        let e = parse_line("G1 X1 #5", 1).expect_err("bad letter");
        assert_eq!((e.column, e.kind), (7, ParseErrorKind::ExpectedLetter('#')));

        let e = parse_line("G1 X1?", 1).expect_err("realtime byte");
        assert_eq!((e.column, e.kind), (6, ParseErrorKind::RealtimeByte('?')));

        let e = parse_line("ä G1", 1).expect_err("non-ASCII");
        assert_eq!((e.column, e.kind), (1, ParseErrorKind::ExpectedLetter('ä')));

        let e = parse_line("G1 X1 %", 1).expect_err("stray percent");
        assert_eq!((e.column, e.kind), (7, ParseErrorKind::StrayPercent));

        let e = parse_line("X1E5", 1).expect("E is a (unsupported) word, not an exponent");
        assert_eq!(e.get('E'), Some(5.0));
    }

    #[test]
    fn plain_lines_read_the_same_by_both_paths() {
        for t in [
            "G1X10.5S400",
            "X.1S0",
            "X-.25Y+3",
            "G0X0Y0",
            "M4",
            "F3000",
            "X7.",
            "N10G1",
        ] {
            let fast = parse_plain(t, 3).expect("plain");
            // Through the full parser: a trailing space takes the line off the fast path.
            let slow = parse_line(&format!("{t} "), 3).expect("parses");
            assert_eq!(fast.words(), slow.words(), "{t}");
            assert_eq!(fast.source_filtered_len, slow.source_filtered_len, "{t}");
        }
        for t in ["X", "X-", "X.", "G1 X1", "x1", "X1;c", "$H", "%", "X1..2"] {
            assert!(
                parse_plain(t, 1).is_none_or(|l| parse_line(t, 1) == Ok(l)),
                "{t}"
            );
        }
    }

    #[test]
    fn huge_numbers_are_refused_not_infinite() {
        let big = format!("X{}", "9".repeat(400));
        let e = parse_line(&big, 1).expect_err("out of range");
        assert_eq!(e.kind, ParseErrorKind::NumberOutOfRange('X'));
    }

    #[test]
    fn line_endings_lf_crlf_cr() {
        let p = parse_program("G21\r\nG90\nG0X1\rG1X2\n").expect("parses");
        assert_eq!(p.len(), 4);
        let last = p.line(3).expect("4 lines");
        assert_eq!(last.number, 4);
        assert_eq!(last.get('X'), Some(2.0));
        assert_eq!(p.text(), "G21\nG90\nG0X1\nG1X2\n");
        assert_eq!(parse_program("").expect("parses").len(), 0);
        assert_eq!(parse_program("\n").expect("parses").len(), 1);
        let via_from_str: Program = "G21\r\nG90".parse().expect("parses");
        assert_eq!(via_from_str.len(), 2);
        let e = parse_program("G0\nG1 X\n").expect_err("line 2");
        assert_eq!((e.line, e.column), (2, 5));
    }
}
