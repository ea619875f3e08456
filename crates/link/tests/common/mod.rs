//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::time::Duration;

use burin_grbl::MachineState;
use burin_grbl::message::State;
use burin_grbl::streamer::Progress;
use burin_link::{JobControl, JobObserver, SessionEvent, SessionOptions};

/// A raster-like job: `rows` rows of `cols` 0.1 mm G1 segments with changing power (M4),
/// G0 between rows, laser off at the end.
pub fn raster_job(rows: usize, cols: usize) -> Vec<String> {
    let mut v = vec![
        "G21 G90".to_string(),
        "M4 S0".to_string(),
        "G1 F3000".to_string(),
    ];
    for r in 0..rows {
        let y = r as f64 * 0.1;
        v.push(format!("G0 X0 Y{y:.1}"));
        for c in 1..=cols {
            let s = (c * 37 + r * 11) % 1000;
            v.push(format!("G1 X{:.1} S{s}", c as f64 * 0.1));
        }
    }
    v.push("M5".into());
    v.push("G0 X0 Y0".into());
    v
}

/// A vector-like job: squares cut with M3 at constant power.
pub fn squares_job(n: usize) -> Vec<String> {
    let mut v = vec!["G21 G90".to_string(), "M3 S800".to_string()];
    for i in 0..n {
        let o = 5.0 + (i % 20) as f64 * 4.0;
        v.push(format!("G0 X{o} Y{o}"));
        v.push(format!("G1 X{} Y{o} F2400", o + 3.0));
        v.push(format!("G1 X{} Y{}", o + 3.0, o + 3.0));
        v.push(format!("G1 X{o} Y{}", o + 3.0));
        v.push(format!("G1 X{o} Y{o}"));
    }
    v.push("M5".into());
    v.push("G0 X0 Y0".into());
    v
}

/// Session options for virtual-clock tests.
pub fn opts() -> SessionOptions {
    SessionOptions::default()
}

/// Records states seen and sends scripted controls.
#[derive(Default)]
pub struct Script {
    /// (after this many acked lines, control) in order.
    pub at_acked: Vec<(u64, JobControl)>,
    /// Resume this long after pausing (connection clock).
    pub resume_after: Option<Duration>,
    pub paused_at: Option<Duration>,
    pub states: Vec<State>,
    pub errors: Vec<(u64, u16)>,
    pub acked: u64,
    pub max_in_flight_seen: usize,
}

impl JobObserver for Script {
    fn on_event(&mut self, event: &SessionEvent, progress: &Progress, machine: &MachineState) {
        self.acked = progress.lines_acked;
        if let SessionEvent::Received {
            message: burin_grbl::Message::Status(_),
            ..
        } = event
            && let Some(s) = &machine.state
            && self.states.last() != Some(s)
        {
            self.states.push(s.clone());
        }
        if let SessionEvent::Stream(burin_grbl::StreamEvent::Error { line_no, code, .. }) = event {
            self.errors.push((*line_no, *code));
        }
    }

    fn control(
        &mut self,
        progress: &Progress,
        _machine: &MachineState,
        now: Duration,
    ) -> Option<JobControl> {
        if let (Some(p), Some(after)) = (self.paused_at, self.resume_after)
            && now >= p + after
        {
            self.paused_at = None;
            return Some(JobControl::Resume);
        }
        let (at, c) = *self.at_acked.first()?;
        if progress.lines_acked >= at {
            self.at_acked.remove(0);
            if c == JobControl::Pause {
                self.paused_at = Some(now);
            }
            return Some(c);
        }
        None
    }
}

/// Resident memory of this process, bytes (Linux).
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    pages * 4096
}
