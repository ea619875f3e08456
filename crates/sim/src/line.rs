//! The serial side: the wire (bytes in flight), the RX ring buffer, and GRBL's line
//! pre-filter (`protocol_main_loop`'s character handling).

use std::collections::VecDeque;

/// GRBL's line buffer holds 80 bytes including the terminator, so 79 usable characters.
pub(crate) const LINE_BUFFER_SIZE: usize = 80;

/// Bytes written by the host that have not reached the RX buffer yet (only with a baud rate).
#[derive(Debug, Default)]
pub(crate) struct Wire {
    /// Seconds per byte (10 bits per byte), or `None` for an instant link.
    pub byte_time_s: Option<f64>,
    queue: VecDeque<u8>,
    /// Virtual time at which the byte at the front finishes arriving.
    next_arrival_s: f64,
    /// Total bytes that reached the machine.
    pub delivered: u64,
}

impl Wire {
    pub fn new(baud: Option<u32>) -> Self {
        Self {
            byte_time_s: baud.map(|b| 10.0 / f64::from(b.max(1))),
            ..Self::default()
        }
    }

    /// Queues bytes written at `now_s`.
    pub fn push(&mut self, bytes: &[u8], now_s: f64) {
        if let Some(bt) = self.byte_time_s {
            if self.queue.is_empty() {
                self.next_arrival_s = now_s + bt;
            }
            self.queue.extend(bytes);
        }
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Pops the next byte if it has arrived by `now_s`.
    pub fn pop_arrived(&mut self, now_s: f64) -> Option<u8> {
        let bt = self.byte_time_s?;
        // A small tolerance so that accumulated float error never strands a byte.
        if self.queue.is_empty() || self.next_arrival_s > now_s + 1e-12 {
            return None;
        }
        let b = self.queue.pop_front()?;
        self.next_arrival_s += bt;
        self.delivered += 1;
        Some(b)
    }

    /// Time from `now_s` until the next byte the machine must react to (a line end or a
    /// realtime byte) has arrived; `None` if nothing significant is in flight. Ordinary bytes
    /// can be delivered in a batch with it because RX only drains at line ends.
    pub fn time_to_next_significant(&self, now_s: f64) -> Option<f64> {
        let bt = self.byte_time_s?;
        let idx = self
            .queue
            .iter()
            .position(|&b| b == b'\n' || b == b'\r' || burin_grbl::realtime::is_realtime(b))?;
        Some((self.next_arrival_s + bt * idx as f64 - now_s).max(0.0))
    }
}

/// Result of feeding one character into the line assembler.
#[derive(Debug, PartialEq)]
pub(crate) enum LineEvent {
    /// More characters are needed.
    Pending,
    /// A complete pre-filtered line (may be empty).
    Line(String),
    /// The line was longer than the line buffer: answer `error:11`.
    Overflow,
}

/// GRBL's pre-filter: drops spaces/control characters, `( )` and `;` comments, `/`,
/// upper-cases letters, and flags lines longer than 79 characters.
#[derive(Debug, Default)]
pub(crate) struct LineAssembler {
    buf: Vec<u8>,
    overflow: bool,
    paren_comment: bool,
    semicolon_comment: bool,
}

impl LineAssembler {
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    pub fn feed(&mut self, c: u8) -> LineEvent {
        if c == b'\n' || c == b'\r' {
            let ev = if self.overflow {
                LineEvent::Overflow
            } else {
                LineEvent::Line(String::from_utf8_lossy(&self.buf).into_owned())
            };
            self.clear();
            return ev;
        }
        if self.overflow || self.paren_comment || self.semicolon_comment {
            if c == b')' && self.paren_comment {
                self.paren_comment = false;
            }
            return LineEvent::Pending;
        }
        match c {
            0..=b' ' | b'/' => {}
            b'(' => self.paren_comment = true,
            b';' => self.semicolon_comment = true,
            _ if self.buf.len() >= LINE_BUFFER_SIZE - 1 => self.overflow = true,
            b'a'..=b'z' => self.buf.push(c - b'a' + b'A'),
            _ => self.buf.push(c),
        }
        LineEvent::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &mut LineAssembler, s: &[u8]) -> Vec<LineEvent> {
        s.iter()
            .map(|&c| a.feed(c))
            .filter(|e| *e != LineEvent::Pending)
            .collect()
    }

    #[test]
    fn prefilter_matches_grbl() {
        let mut a = LineAssembler::default();
        assert_eq!(
            run(&mut a, b"g1 x1 (comment) y2 ; tail\n"),
            vec![LineEvent::Line("G1X1Y2".into())]
        );
        assert_eq!(
            run(&mut a, b"G21\r\n"),
            vec![
                LineEvent::Line("G21".into()),
                LineEvent::Line(String::new())
            ]
        );
        let long = format!("G1{}\n", "X".repeat(78));
        assert_eq!(run(&mut a, long.as_bytes()), vec![LineEvent::Overflow]);
        let exact = format!("G1{}\n", "0".repeat(77));
        assert!(
            matches!(run(&mut a, exact.as_bytes())[0], LineEvent::Line(ref l) if l.len() == 79)
        );
    }

    #[test]
    fn wire_delivers_at_baud() {
        let mut w = Wire::new(Some(115_200));
        w.push(b"G1\n", 0.0);
        let bt = 10.0 / 115_200.0;
        assert_eq!(w.pop_arrived(bt * 0.5), None);
        assert_eq!(w.pop_arrived(bt), Some(b'G'));
        let t = w.time_to_next_significant(bt).unwrap_or(f64::NAN);
        assert!((t - 2.0 * bt).abs() < 1e-12);
    }
}
