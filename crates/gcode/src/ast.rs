//! The G-code model: a [`Program`] is a list of [`Line`]s, each a block of [`Word`]s, a `$`
//! system command, a `%` delimiter or nothing (blank or comment only).

use std::fmt;

/// One G-code word: a letter and its number, e.g. `X10.5`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Word {
    /// Upper-case ASCII letter (`G`, `M`, `X`, ...).
    pub letter: char,
    /// The number as written (millimetres or inches for axis words, depending on `G20`/`G21`).
    pub value: f64,
}

impl Word {
    /// A word; the letter is upper-cased.
    pub fn new(letter: char, value: f64) -> Self {
        Self {
            letter: letter.to_ascii_uppercase(),
            value,
        }
    }

    /// True if this is the command `letter code`, e.g. `is('G', 38.2)`. Command numbers are
    /// compared to 0.001, so `G01` and `G1.0` both match `G1`.
    pub fn is(&self, letter: char, code: f64) -> bool {
        self.letter == letter && (self.value - code).abs() < 1e-3
    }
}

impl fmt::Display for Word {
    /// As streamed: numbers between -1 and 1 without the leading zero (`X.5`), as the
    /// emitter writes them, so a job read back from its file sends the same bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.value;
        if v != 0.0 && v.abs() < 1.0 {
            let digits = format!("{}", v.abs());
            let fraction = digits.strip_prefix('0').unwrap_or(&digits);
            let sign = if v < 0.0 { "-" } else { "" };
            write!(f, "{}{sign}{fraction}", self.letter)
        } else {
            write!(f, "{}{}", self.letter, FmtNum(v))
        }
    }
}

/// Writes a number in the shortest form that reads back to the same `f64`, never `-0`, never
/// with an exponent. The emitter rounds before building words, so this prints `10.5`, not
/// `10.500`.
pub(crate) struct FmtNum(pub f64);

impl fmt::Display for FmtNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0.0 {
            f.write_str("0")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// What a line holds besides its comment.
#[derive(Debug, Clone, PartialEq)]
pub enum LineKind {
    /// Nothing to execute: an empty or comment-only line (GRBL still answers `ok`).
    Empty,
    /// A block of G-code words, in source order.
    Words(Vec<Word>),
    /// A `$` system command as GRBL sees it after its pre-filter (upper case, no spaces),
    /// e.g. `$H`, `$32=1`, `$J=G91X1F100`.
    System(String),
    /// The `%` program delimiter (GRBL answers it with `error:1`; streamers skip it).
    Percent,
}

/// One source line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the source text (or in the emitted text).
    pub number: usize,
    pub kind: LineKind,
    /// Comment text without its delimiters, trimmed; several comments on one line are joined
    /// with a space.
    pub comment: Option<String>,
    /// The line started with `/` (block delete). GRBL 1.1 does not support block delete: it
    /// ignores the `/` and executes the line, and so do Burin's checks.
    pub block_delete: bool,
    /// Length in characters after GRBL's pre-filter (spaces, control characters, comments and
    /// `/` removed), known when the line was parsed from text. `None` for built lines; see
    /// [`Line::filtered_len`].
    pub source_filtered_len: Option<usize>,
}

impl Line {
    /// A block of words with no comment.
    pub fn block(number: usize, words: Vec<Word>) -> Self {
        Self::new(number, LineKind::Words(words))
    }

    /// A comment-only line.
    pub fn comment_only(number: usize, text: impl Into<String>) -> Self {
        let mut line = Self::new(number, LineKind::Empty);
        line.comment = Some(text.into());
        line
    }

    /// A `$` system command line; `text` includes the `$`.
    pub fn system(number: usize, text: impl Into<String>) -> Self {
        Self::new(number, LineKind::System(text.into()))
    }

    /// A line of the given kind, no comment, no block delete.
    pub fn new(number: usize, kind: LineKind) -> Self {
        Self {
            number,
            kind,
            comment: None,
            block_delete: false,
            source_filtered_len: None,
        }
    }

    /// The words of a G-code block; empty for every other kind of line.
    pub fn words(&self) -> &[Word] {
        match &self.kind {
            LineKind::Words(w) => w,
            _ => &[],
        }
    }

    /// The value of the first word with this letter (upper case), e.g. `line.get('X')`.
    pub fn get(&self, letter: char) -> Option<f64> {
        self.words()
            .iter()
            .find(|w| w.letter == letter)
            .map(|w| w.value)
    }

    /// True if the line has a word with this letter.
    pub fn has(&self, letter: char) -> bool {
        self.words().iter().any(|w| w.letter == letter)
    }

    /// The numbers of the `G` words, in order (`G38.2` gives 38.2).
    pub fn g_codes(&self) -> impl Iterator<Item = f64> + '_ {
        self.codes('G')
    }

    /// The numbers of the `M` words, in order.
    pub fn m_codes(&self) -> impl Iterator<Item = f64> + '_ {
        self.codes('M')
    }

    fn codes(&self, letter: char) -> impl Iterator<Item = f64> + '_ {
        self.words()
            .iter()
            .filter(move |w| w.letter == letter)
            .map(|w| w.value)
    }

    /// True if the line has the command `G code` (compared to 0.001).
    pub fn has_g(&self, code: f64) -> bool {
        self.words().iter().any(|w| w.is('G', code))
    }

    /// True if the line has the command `M code`.
    pub fn has_m(&self, code: f64) -> bool {
        self.words().iter().any(|w| w.is('M', code))
    }

    /// True if the line has an `X`, `Y` or `Z` word.
    pub fn has_axis_words(&self) -> bool {
        self.words()
            .iter()
            .any(|w| matches!(w.letter, 'X' | 'Y' | 'Z'))
    }

    /// Characters GRBL keeps of this line after its pre-filter: the count measured in the
    /// source when parsed, otherwise the length of the words as [`Display`](fmt::Display)
    /// writes them.
    pub fn filtered_len(&self) -> usize {
        if let Some(n) = self.source_filtered_len {
            return n;
        }
        match &self.kind {
            LineKind::Empty => 0,
            LineKind::Words(w) => w.iter().map(|w| w.to_string().len()).sum(),
            LineKind::System(s) => s.len(),
            LineKind::Percent => 1,
        }
    }
}

impl fmt::Display for Line {
    /// Canonical text: `/` if block delete, the words with no spaces, then `; comment`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.block_delete {
            f.write_str("/")?;
        }
        let has_code = match &self.kind {
            LineKind::Empty => false,
            LineKind::Words(words) => {
                for w in words {
                    write!(f, "{w}")?;
                }
                !words.is_empty()
            }
            LineKind::System(s) => {
                f.write_str(s)?;
                true
            }
            LineKind::Percent => {
                f.write_str("%")?;
                true
            }
        };
        if let Some(c) = &self.comment {
            if has_code {
                f.write_str(" ")?;
            }
            if c.is_empty() {
                f.write_str(";")?;
            } else {
                write!(f, "; {c}")?;
            }
        }
        Ok(())
    }
}

/// A whole G-code program, held as its text: one allocation for the lines (each ended by LF)
/// and one offset per line. A million-line raster job costs its bytes plus 4 bytes a line,
/// not a parsed tree; [`Program::lines`] parses each line when it is read.
///
/// Every stored line parses (the constructors check it), in the canonical form
/// [`Line`]'s `Display` writes: no spaces, comments after the code, so what is streamed is
/// exactly what was checked.
#[derive(Clone, PartialEq, Default)]
pub struct Program {
    text: String,
    /// Byte offset of each line's LF in `text`.
    ends: Vec<u32>,
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Program")
            .field("lines", &self.ends.len())
            .field("bytes", &self.text.len())
            .finish()
    }
}

impl Program {
    /// An empty program.
    pub fn new() -> Self {
        Self::default()
    }

    /// A program of these lines, renumbered from 1 in order.
    pub fn from_lines(lines: impl IntoIterator<Item = Line>) -> Self {
        let mut p = Self::new();
        for l in lines {
            p.push(&l);
        }
        p
    }

    /// Appends `line` in canonical form. A line whose text would not read back (a word with a
    /// non-finite number) is stored as a comment saying so, which checks then flag as empty.
    pub fn push(&mut self, line: &Line) {
        use fmt::Write;
        let start = self.text.len();
        // Writing into a String cannot fail.
        let _ = write!(self.text, "{line}");
        let ok = !self.text[start..].contains(['\n', '\r'])
            && crate::parse::parse_line(&self.text[start..], 1).is_ok();
        if !ok {
            self.text.truncate(start);
            self.text.push_str("; unreadable line dropped");
        }
        self.end_line();
    }

    /// Appends text the caller knows to be one canonical line (no CR or LF): the emitter's
    /// fast path. Checked in debug builds.
    pub(crate) fn push_str_line(&mut self, text: &str) {
        debug_assert!(!text.contains(['\n', '\r']));
        debug_assert!(crate::parse::parse_line(text, 1).is_ok(), "{text}");
        self.text.push_str(text);
        self.end_line();
    }

    /// The text buffer for the emitter to write one line into; finish with [`Self::end_line`].
    pub(crate) fn buf(&mut self) -> &mut String {
        &mut self.text
    }

    pub(crate) fn end_line(&mut self) {
        // Offsets are u32: programs are capped far below 4 GiB by the file-size limits.
        self.ends.push(self.text.len() as u32);
        self.text.push('\n');
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text of line `idx` (0-based), without its LF.
    pub fn line_text(&self, idx: usize) -> Option<&str> {
        let end = *self.ends.get(idx)? as usize;
        let start = if idx == 0 {
            0
        } else {
            self.ends[idx - 1] as usize + 1
        };
        self.text.get(start..end)
    }

    /// Line `idx` (0-based), parsed; its number is `idx + 1`.
    pub fn line(&self, idx: usize) -> Option<Line> {
        self.line_text(idx).map(|t| read_stored(t, idx + 1))
    }

    /// Every line, parsed as it is read.
    pub fn lines(&self) -> impl DoubleEndedIterator<Item = Line> + ExactSizeIterator + '_ {
        self.line_texts()
            .enumerate()
            .map(|(i, t)| read_stored(t, i + 1))
    }

    /// The text of every line, without LFs.
    pub fn line_texts(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.line_text(i).unwrap_or(""))
    }

    /// The whole text, every line ended by LF (never CR LF: GRBL would answer the empty line
    /// between CR and LF with an extra `ok`).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offsets of each line's LF in [`Self::text`].
    pub fn line_ends(&self) -> &[u32] {
        &self.ends
    }

    /// The text, copied.
    pub fn to_text(&self) -> String {
        self.text.clone()
    }

    /// Number of bytes of [`Program::text`], line feeds included.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }
}

/// Stored lines always parse; should one not, it reads as an empty line rather than a panic.
fn read_stored(text: &str, number: usize) -> Line {
    crate::parse::parse_line(text, number).unwrap_or_else(|_| Line::new(number, LineKind::Empty))
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_display_is_minimal_and_never_negative_zero() {
        assert_eq!(Word::new('x', 10.5).to_string(), "X10.5");
        assert_eq!(Word::new('x', 0.5).to_string(), "X.5");
        assert_eq!(Word::new('y', -0.025).to_string(), "Y-.025");
        assert_eq!(Word::new('s', 0.0).to_string(), "S0");
        assert_eq!(Word::new('x', -1.5).to_string(), "X-1.5");
        assert_eq!(Word::new('Y', 3.0).to_string(), "Y3");
        assert_eq!(Word::new('Y', -0.0).to_string(), "Y0");
        assert_eq!(Word::new('G', 38.2).to_string(), "G38.2");
        assert_eq!(Word::new('X', 1e-7).to_string(), "X.0000001");
    }

    #[test]
    fn accessors() {
        let line = Line::block(
            3,
            vec![
                Word::new('G', 1.0),
                Word::new('X', 2.0),
                Word::new('M', 4.0),
                Word::new('G', 38.2),
            ],
        );
        assert_eq!(line.get('X'), Some(2.0));
        assert_eq!(line.get('Y'), None);
        assert_eq!(line.g_codes().collect::<Vec<_>>(), vec![1.0, 38.2]);
        assert_eq!(line.m_codes().collect::<Vec<_>>(), vec![4.0]);
        assert!(line.has_g(38.2) && !line.has_g(38.3) && line.has_m(4.0));
        assert!(line.has_axis_words());
        assert_eq!(line.to_string(), "G1X2M4G38.2");
        assert_eq!(line.filtered_len(), 11);
    }

    #[test]
    fn line_display_variants() {
        let mut l = Line::block(1, vec![Word::new('G', 0.0)]);
        l.comment = Some("go".into());
        l.block_delete = true;
        assert_eq!(l.to_string(), "/G0 ; go");
        assert_eq!(Line::comment_only(2, "Burin").to_string(), "; Burin");
        assert_eq!(Line::system(3, "$H").to_string(), "$H");
        assert_eq!(Line::new(4, LineKind::Percent).to_string(), "%");
        assert_eq!(Line::new(5, LineKind::Empty).to_string(), "");
        let p = Program::from_lines([Line::system(1, "$H"), Line::new(2, LineKind::Empty)]);
        assert_eq!(p.to_text(), "$H\n\n");
        assert_eq!(p.text_len(), 4);
    }
}
