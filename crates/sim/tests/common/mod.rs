//! Helpers shared by the integration tests.
#![allow(dead_code)]

use burin_sim::{Grbl, MachineState, SimConfig};
use std::collections::VecDeque;
use std::time::Duration;

pub const TICK: Duration = Duration::from_millis(5);

/// A machine with default settings and the power-up banner already read.
pub fn sim() -> Grbl {
    sim_with(SimConfig::default())
}

pub fn sim_with(cfg: SimConfig) -> Grbl {
    let mut g = Grbl::new(cfg);
    g.read();
    g
}

pub fn text(g: &mut Grbl) -> String {
    String::from_utf8(g.read()).expect("GRBL output is ASCII")
}

/// Sends one line (LF-terminated), processes it without moving time, returns the output.
pub fn send(g: &mut Grbl, line: &str) -> String {
    g.write(line.as_bytes());
    g.write(b"\n");
    g.advance(Duration::ZERO);
    text(g)
}

/// Advances in `TICK` steps until the machine is drained and idle; returns the output.
pub fn run_until_idle(g: &mut Grbl) -> String {
    let mut out = String::new();
    for _ in 0..2_000_000 {
        g.advance(TICK);
        out.push_str(&text(g));
        if g.is_drained() {
            return out;
        }
    }
    panic!("machine never became idle: {:?}", g.state());
}

/// Advances until `pred` holds (or panics after a simulated hour).
pub fn run_until(g: &mut Grbl, mut pred: impl FnMut(&Grbl) -> bool) -> String {
    let mut out = String::new();
    for _ in 0..720_000 {
        if pred(g) {
            return out;
        }
        g.advance(TICK);
        out.push_str(&text(g));
    }
    panic!("condition never met; state {:?}", g.state());
}

/// Polls a status report and returns it (without CR LF).
pub fn status(g: &mut Grbl) -> String {
    g.write(b"?");
    g.advance(Duration::ZERO);
    let t = text(g);
    t.lines()
        .find(|l| l.starts_with('<'))
        .unwrap_or_else(|| panic!("no status report in {t:?}"))
        .to_string()
}

pub fn is_idle(g: &Grbl) -> bool {
    g.state() == MachineState::Idle
}

/// A minimal character-counting streamer: the protocol from GRBL.md §1, independent of the
/// burin-grbl crate so that the simulator is tested on its own.
pub struct Counter {
    pub rx_size: usize,
    pending: VecDeque<usize>,
    partial: String,
    pub oks: usize,
    pub errors: Vec<String>,
    pub pushes: Vec<String>,
}

impl Counter {
    pub fn new(rx_size: usize) -> Self {
        Self {
            rx_size,
            pending: VecDeque::new(),
            partial: String::new(),
            oks: 0,
            errors: vec![],
            pushes: vec![],
        }
    }

    pub fn in_flight(&self) -> usize {
        self.pending.iter().sum()
    }

    pub fn can_send(&self, line: &str) -> bool {
        let with_lf = line.len() + 1;
        self.in_flight() + with_lf <= self.rx_size
    }

    pub fn send(&mut self, g: &mut Grbl, line: &str) {
        self.pending.push_back(line.len() + 1);
        g.write(line.as_bytes());
        g.write(b"\n");
    }

    pub fn absorb(&mut self, g: &mut Grbl) {
        self.partial.push_str(&text(g));
        while let Some(pos) = self.partial.find("\r\n") {
            let l: String = self.partial[..pos].to_string();
            self.partial.drain(..pos + 2);
            if l == "ok" {
                self.oks += 1;
                self.pending.pop_front();
            } else if l.starts_with("error:") {
                self.errors.push(l);
                self.pending.pop_front();
            } else if !l.is_empty() {
                self.pushes.push(l);
            }
        }
    }

    /// Streams all lines with character counting, advancing `tick` between attempts.
    pub fn stream(&mut self, g: &mut Grbl, lines: &[String], tick: Duration) {
        let mut next = 0;
        let mut guard = 0u64;
        while next < lines.len() || !self.pending.is_empty() {
            while next < lines.len() && self.can_send(&lines[next]) {
                self.send(g, &lines[next]);
                next += 1;
            }
            g.advance(tick);
            self.absorb(g);
            guard += 1;
            assert!(guard < 50_000_000, "stream stalled at line {next}");
        }
    }
}
