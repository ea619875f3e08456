//! The host side of the link as Burin streams: character counting against GRBL's receive
//! buffer, over a serial line of limited speed.

use std::collections::VecDeque;

/// GRBL 1.1's serial receive buffer on an ATmega328P, bytes (`[OPT:...,128]`).
pub const RX_BUFFER_BYTES: usize = 128;
/// GRBL's answer to a line, `ok\r\n`, bytes.
const OK_BYTES: f64 = 4.0;

/// When each line reaches the firmware; see the module docs.
#[derive(Debug)]
pub struct HostLink {
    /// Serial link, bytes per second; `None`: instant.
    bytes_per_s: Option<f64>,
    window_bytes: usize,
    /// Lines sent and not yet answered: (bytes, when the answer reaches the host, s).
    in_flight: VecDeque<(usize, f64)>,
    in_flight_bytes: usize,
    /// When the host last sent, and when the wire is next free, s.
    sent_s: f64,
    wire_free_s: f64,
}

impl HostLink {
    pub fn new(bytes_per_s: Option<f64>) -> Self {
        Self {
            bytes_per_s: bytes_per_s.filter(|b| b.is_finite() && *b > 0.0),
            window_bytes: RX_BUFFER_BYTES,
            in_flight: VecDeque::new(),
            in_flight_bytes: 0,
            sent_s: 0.0,
            wire_free_s: 0.0,
        }
    }

    /// Sends a line of `bytes` (line feed included) as soon as the receive buffer has room
    /// for it; returns when its last byte reaches the firmware, s. Every line sent before
    /// must have been answered with [`HostLink::answered`].
    pub fn send(&mut self, bytes: usize) -> f64 {
        while self.in_flight_bytes + bytes > self.window_bytes {
            let Some((b, ok_s)) = self.in_flight.pop_front() else {
                break;
            };
            self.in_flight_bytes -= b;
            self.sent_s = self.sent_s.max(ok_s);
        }
        let start_s = self.sent_s.max(self.wire_free_s);
        let arrival_s = start_s + self.bytes_per_s.map_or(0.0, |bps| bytes as f64 / bps);
        self.wire_free_s = arrival_s;
        self.in_flight.push_back((bytes, f64::INFINITY));
        self.in_flight_bytes += bytes;
        arrival_s
    }

    /// The firmware answered the last line sent at `now_s`.
    pub fn answered(&mut self, now_s: f64) {
        let ok_s = now_s + self.bytes_per_s.map_or(0.0, |bps| OK_BYTES / bps);
        if let Some(last) = self.in_flight.back_mut() {
            last.1 = ok_s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wait_for_room_in_the_receive_buffer() {
        let mut h = HostLink::new(Some(1000.0));
        // 10 lines of 20 bytes: 6 fit (120 bytes), the 7th waits for the first answer.
        let mut arrivals = Vec::new();
        for i in 0..10 {
            arrivals.push(h.send(20));
            if i < 6 {
                assert!((arrivals[i] - 0.02 * (i + 1) as f64).abs() < 1e-12);
            }
            // Answered 1 s after arriving.
            h.answered(arrivals[i] + 1.0);
        }
        // The 7th is sent when the first answer is in: 0.02 + 1 + 0.004, and takes 0.02 s.
        assert!(
            (arrivals[6] - (0.02 + 1.0 + 0.004 + 0.02)).abs() < 1e-12,
            "{arrivals:?}"
        );
    }
}
