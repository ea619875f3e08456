//! A scripted fake GRBL for streamer tests: a 128-byte receive buffer that drops bytes when
//! full (like the real one), realtime bytes taken out of the stream, one `ok` per line.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::Duration;

use burin_grbl::realtime::{self, CYCLE_START, FEED_HOLD, SOFT_RESET, STATUS_REPORT};
use burin_grbl::{Output, StreamEvent, Streamer};

pub const BANNER: &str = "Grbl 1.1h ['$' for help]";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeState {
    Idle,
    Run,
    /// Hold; `true` while still decelerating (Hold:1).
    Hold(bool),
    Alarm,
}

pub struct FakeGrbl {
    pub rx: VecDeque<u8>,
    pub rx_capacity: usize,
    /// Bytes lost to a full receive buffer (must stay 0).
    pub dropped: usize,
    pub lines_received: u64,
    /// Keep received lines in `received` (off for huge jobs).
    pub keep_lines: bool,
    pub received: Vec<String>,
    /// Lines answered with `error:code`: (exact line text, code).
    pub error_on: Vec<(String, u16)>,
    /// Responses and pushes not yet read by the host.
    pub outbox: VecDeque<String>,
    pub state: FakeState,
    pub realtime_seen: Vec<u8>,
    pub resets: u32,
    /// Hold takes this many `step` calls to complete (Hold:1 before that).
    pub hold_steps: u32,
    hold_left: u32,
    status_pending: bool,
    current: Vec<u8>,
}

impl Default for FakeGrbl {
    fn default() -> Self {
        Self {
            rx: VecDeque::new(),
            rx_capacity: 128,
            dropped: 0,
            lines_received: 0,
            keep_lines: true,
            received: Vec::new(),
            error_on: Vec::new(),
            outbox: VecDeque::new(),
            state: FakeState::Idle,
            realtime_seen: Vec::new(),
            resets: 0,
            hold_steps: 0,
            hold_left: 0,
            status_pending: false,
            current: Vec::new(),
        }
    }
}

impl FakeGrbl {
    /// Bytes arriving from the host.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if realtime::is_realtime(b) {
                self.realtime_seen.push(b);
                match b {
                    STATUS_REPORT => self.status_pending = true,
                    FEED_HOLD if self.state != FakeState::Alarm => {
                        self.hold_left = self.hold_steps;
                        self.state = FakeState::Hold(self.hold_steps > 0);
                    }
                    CYCLE_START if matches!(self.state, FakeState::Hold(false)) => {
                        self.state = FakeState::Run;
                    }
                    SOFT_RESET => self.reset(),
                    _ => {}
                }
            } else if self.rx.len() >= self.rx_capacity {
                self.dropped += 1;
            } else {
                self.rx.push_back(b);
            }
        }
    }

    fn reset(&mut self) {
        self.resets += 1;
        self.rx.clear();
        self.current.clear();
        self.status_pending = false;
        if matches!(self.state, FakeState::Run | FakeState::Hold(true)) {
            self.outbox.push_back("ALARM:3".into());
            self.state = FakeState::Alarm;
        } else if self.state != FakeState::Alarm {
            self.state = FakeState::Idle;
        }
        self.outbox.push_back(String::new());
        self.outbox.push_back(BANNER.into());
        if self.state == FakeState::Alarm {
            self.outbox.push_back("[MSG:'$H'|'$X' to unlock]".into());
        }
    }

    /// One slice of controller time: the hold advances, a pending status report is
    /// produced, and up to `max_lines` complete lines are executed (none while held).
    pub fn step(&mut self, max_lines: usize) {
        if let FakeState::Hold(true) = self.state {
            self.hold_left = self.hold_left.saturating_sub(1);
            if self.hold_left == 0 {
                self.state = FakeState::Hold(false);
            }
        }
        if self.status_pending {
            self.status_pending = false;
            self.outbox.push_back(self.status_line());
        }
        if matches!(self.state, FakeState::Hold(_)) {
            return;
        }
        let mut done = 0;
        while done < max_lines {
            let Some(pos) = self.rx.iter().position(|&b| b == b'\n') else {
                break;
            };
            let line: Vec<u8> = self.rx.drain(..=pos).collect();
            let text = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
            self.lines_received += 1;
            done += 1;
            let reply = self.execute(&text);
            self.outbox.push_back(reply);
            if self.keep_lines {
                self.received.push(text);
            }
        }
        if done == 0 && self.state == FakeState::Run {
            self.state = FakeState::Idle;
        }
    }

    fn execute(&mut self, text: &str) -> String {
        if let Some((_, code)) = self.error_on.iter().find(|(l, _)| l == text) {
            return format!("error:{code}");
        }
        match (self.state, text) {
            (FakeState::Alarm, "$X") => {
                self.state = FakeState::Idle;
                self.outbox.push_back("[MSG:Caution: Unlocked]".into());
                "ok".into()
            }
            (FakeState::Alarm, t) if !t.starts_with('$') => "error:9".into(),
            (FakeState::Idle, t) if t.starts_with('G') => {
                self.state = FakeState::Run;
                "ok".into()
            }
            _ => "ok".into(),
        }
    }

    pub fn status_line(&self) -> String {
        let state = match self.state {
            FakeState::Idle => "Idle",
            FakeState::Run => "Run",
            FakeState::Hold(true) => "Hold:1",
            FakeState::Hold(false) => "Hold:0",
            FakeState::Alarm => "Alarm",
        };
        let free = self.rx_capacity - self.rx.len();
        format!("<{state}|MPos:0.000,0.000,0.000|Bf:15,{free}|FS:0,0>")
    }

    /// Makes GRBL raise an alarm now (like a soft limit), with no flush.
    pub fn alarm(&mut self, code: u16) {
        self.state = FakeState::Alarm;
        self.outbox.push_back(format!("ALARM:{code}"));
    }
}

/// Drives a streamer against a fake, checking the character-counting invariants on every
/// exchange, and records events.
pub struct Harness {
    pub streamer: Streamer,
    pub fake: FakeGrbl,
    pub now: Duration,
    pub events: Vec<StreamEvent>,
    /// Most lines in flight seen.
    pub max_in_flight_lines: usize,
    /// Bytes the host wrote, if recording.
    pub record_bytes: bool,
    pub written: Vec<u8>,
}

impl Harness {
    pub fn new(streamer: Streamer) -> Self {
        Self {
            streamer,
            fake: FakeGrbl::default(),
            now: Duration::ZERO,
            events: Vec::new(),
            max_in_flight_lines: 0,
            record_bytes: true,
            written: Vec::new(),
        }
    }

    pub fn apply(&mut self, out: Output) {
        if self.record_bytes {
            self.written.extend_from_slice(&out.bytes);
        }
        self.fake.write(&out.bytes);
        self.events.extend(out.events);
        self.check();
    }

    pub fn check(&mut self) {
        let in_flight = self.streamer.in_flight_bytes();
        assert!(
            in_flight <= self.streamer.rx_buffer_bytes(),
            "{in_flight} bytes in flight exceed the receive buffer"
        );
        assert!(
            self.fake.rx.len() <= in_flight,
            "controller holds bytes not counted"
        );
        assert_eq!(self.fake.dropped, 0, "receive buffer overflowed");
        self.max_in_flight_lines = self
            .max_in_flight_lines
            .max(self.streamer.in_flight_lines());
    }

    /// Delivers everything the fake has said to the streamer.
    pub fn deliver(&mut self) {
        while let Some(line) = self.fake.outbox.pop_front() {
            let out = self.streamer.on_line(line.as_bytes(), self.now);
            self.apply(out);
        }
    }

    /// One round: time passes by `dt_ms`, the streamer polls, the fake runs up to
    /// `max_lines` lines, and its replies are delivered.
    pub fn round(&mut self, dt_ms: u64, max_lines: usize) {
        self.now += Duration::from_millis(dt_ms);
        let out = self.streamer.poll(self.now);
        self.apply(out);
        self.fake.step(max_lines);
        self.deliver();
    }

    pub fn finished(&self) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e, StreamEvent::Finished { .. }))
    }

    /// Runs rounds until the job finishes (or `limit` rounds pass).
    pub fn run_to_end(&mut self, max_lines: usize, limit: usize) {
        for _ in 0..limit {
            if self.finished() {
                return;
            }
            self.round(10, max_lines);
        }
    }
}
