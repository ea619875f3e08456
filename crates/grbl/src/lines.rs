//! Assembles raw serial chunks into lines.

/// Default cap on one line's length, bytes. GRBL's longest lines (`[HLP:...]`, `$$` entries,
/// grblHAL's option lists) stay well below it.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1024;

/// Turns byte chunks as read from the port into complete lines.
///
/// CR, LF and CR LF all end a line; empty lines (such as the blank line before the banner)
/// are skipped. A line longer than the cap is cut at the cap and the rest of it, up to its
/// line ending, is dropped, so a device spewing bytes with no newline cannot make memory grow.
#[derive(Debug, Clone)]
pub struct LineSplitter {
    buf: Vec<u8>,
    /// Start of the not yet returned data in `buf`.
    start: usize,
    max_line_bytes: usize,
    /// The current line hit the cap: drop bytes until the next line ending.
    discarding: bool,
    /// Bytes of the unfinished line so far.
    line_len: usize,
    truncated_lines: u64,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_LINE_BYTES)
    }
}

impl LineSplitter {
    /// A splitter that cuts lines at `max_line_bytes` (at least 1).
    pub fn new(max_line_bytes: usize) -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            max_line_bytes: max_line_bytes.max(1),
            discarding: false,
            line_len: 0,
            truncated_lines: 0,
        }
    }

    /// Adds bytes read from the port.
    pub fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let is_end = b == b'\n' || b == b'\r';
            if self.discarding {
                if is_end {
                    self.discarding = false;
                    self.buf.push(b'\n');
                }
                continue;
            }
            if is_end {
                self.line_len = 0;
                self.buf.push(b'\n');
            } else if self.line_len >= self.max_line_bytes {
                self.discarding = true;
                self.line_len = 0;
                self.truncated_lines += 1;
            } else {
                self.line_len += 1;
                self.buf.push(b);
            }
        }
    }

    /// The next complete line without its line ending, or `None` until more bytes arrive.
    pub fn next_line(&mut self) -> Option<Vec<u8>> {
        loop {
            let rest = &self.buf[self.start..];
            let pos = rest.iter().position(|&b| b == b'\n')?;
            let line = rest[..pos].to_vec();
            self.start += pos + 1;
            self.compact();
            if !line.is_empty() {
                return Some(line);
            }
        }
    }

    /// Bytes of the unfinished line held so far.
    pub fn pending_bytes(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Lines cut at the cap since creation.
    pub fn truncated_lines(&self) -> u64 {
        self.truncated_lines
    }

    /// Forgets any partial line (e.g. after reopening the port).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.start = 0;
        self.discarding = false;
        self.line_len = 0;
    }

    fn compact(&mut self) {
        // Drop consumed bytes once they dominate, so the buffer stays bounded.
        if self.start > 4096 || self.start == self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn all(s: &mut LineSplitter) -> Vec<String> {
        std::iter::from_fn(|| s.next_line())
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect()
    }

    #[test]
    fn splits_crlf_lf_and_cr_across_chunks() {
        let mut s = LineSplitter::default();
        s.push(b"\r\nGrbl 1.1h ['$' for help]\r\no");
        assert_eq!(all(&mut s), vec!["Grbl 1.1h ['$' for help]"]);
        assert_eq!(s.pending_bytes(), 1);
        s.push(b"k\r");
        s.push(b"\nerror:20\nok\r");
        assert_eq!(all(&mut s), vec!["ok", "error:20", "ok"]);
        assert_eq!(s.pending_bytes(), 0);
    }

    #[test]
    fn caps_long_lines() {
        let mut s = LineSplitter::new(8);
        s.push(&[b'x'; 100]);
        assert!(s.next_line().is_none());
        assert!(s.pending_bytes() <= 8);
        s.push(b"yyy\nok\n");
        assert_eq!(all(&mut s), vec!["xxxxxxxx", "ok"]);
        assert_eq!(s.truncated_lines(), 1);
    }

    #[test]
    fn current_len_uses_the_unfinished_line_only() {
        let mut s = LineSplitter::new(4);
        s.push(b"abcd\nefgh\n");
        assert_eq!(all(&mut s), vec!["abcd", "efgh"]);
        assert_eq!(s.truncated_lines(), 0);
    }

    proptest! {
        #[test]
        fn chunking_does_not_change_lines(
            lines in proptest::collection::vec("[a-z:0-9<>|]{1,20}", 0..20),
            cuts in proptest::collection::vec(0usize..400, 0..10),
        ) {
            let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut s = LineSplitter::default();
            let mut got = Vec::new();
            let mut prev = 0;
            for c in cuts.into_iter().chain([bytes.len()]) {
                s.push(&bytes[prev..c]);
                prev = c;
                got.extend(all(&mut s));
            }
            prop_assert_eq!(got, lines);
        }

        #[test]
        fn memory_bounded(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let mut s = LineSplitter::new(64);
            s.push(&bytes);
            while let Some(l) = s.next_line() {
                prop_assert!(l.len() <= 64);
            }
            prop_assert!(s.pending_bytes() <= 64);
        }
    }
}
