//! Link utilisation on a simulated 115200-baud wire: character counting vs send-response.
//!
//! Deterministic: everything runs on the simulator's virtual clock (no wall-clock reads), the
//! host is modelled as reacting within one 100 µs tick, and replies optionally take a fixed
//! USB latency. Run with
//! `cargo bench -p burin-link --bench link_utilisation --profile dev`.
//!
//! "Wire busy" is the fraction of time the host->GRBL direction carries bytes. It is reported
//! over the whole job and over the time the planner had room (fewer than 15 blocks queued):
//! when the planner is full GRBL stops reading, the RX buffer fills and no protocol can keep
//! the wire busy, nor does it need to.

use std::time::Duration;

use burin_grbl::streamer::StreamMode;
use burin_link::{Connection, JobEnd, LinkLost, Session, SessionOptions, VirtualSim};
use burin_sim::SimConfig;

const BAUD: u32 = 115_200;
const TICK: Duration = Duration::from_micros(100);

/// Wraps the virtual simulator and samples the wire and planner every tick.
struct Probe {
    sim: VirtualSim,
    byte_time_s: f64,
    last_t: Duration,
    last_bytes: u64,
    measuring: bool,
    /// Measure until the wire has delivered this many bytes (the job's last byte).
    stop_at_bytes: u64,
    total_s: f64,
    busy_s: f64,
    room_s: f64,
    room_busy_s: f64,
}

impl Probe {
    fn sample(&mut self) {
        let g = self.sim.grbl();
        let t = g.now();
        let bytes = g.wire_bytes_delivered();
        if self.measuring && self.last_bytes < self.stop_at_bytes {
            let dt = (t - self.last_t).as_secs_f64();
            // Not capped per step: a 100 µs step can see two 86.8 µs bytes land, and the
            // step before it none; only the totals are meaningful.
            let busy = (bytes - self.last_bytes) as f64 * self.byte_time_s;
            self.total_s += dt;
            self.busy_s += busy;
            // The planner state at the end of the step stands for the step (steps are 100 µs).
            if g.planner_blocks_used() < 15 {
                self.room_s += dt;
                self.room_busy_s += busy;
            }
        }
        self.last_t = t;
        self.last_bytes = bytes;
    }
}

impl Connection for Probe {
    fn now(&self) -> Duration {
        self.sim.now()
    }
    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost> {
        self.sim.write(bytes)
    }
    fn next_line(&mut self, deadline: Duration) -> Result<Option<Vec<u8>>, LinkLost> {
        loop {
            let now = self.sim.now();
            let step_end = deadline.min(now + TICK);
            let line = self.sim.next_line(step_end)?;
            self.sample();
            if line.is_some() || self.sim.now() >= deadline {
                return Ok(line);
            }
        }
    }
    fn name(&self) -> &str {
        "probe"
    }
}

/// A photo-engraving-like raster: rows of 0.1 mm G1 segments, S changing on every segment.
fn raster(rows: usize, cols: usize, feed: u32) -> Vec<String> {
    let mut v = vec![format!("G21 G90 M4 S0 F{feed}")];
    for r in 0..rows {
        let y = r as f64 * 0.1;
        let dir_right = r % 2 == 0;
        v.push(format!(
            "G0 X{} Y{y:.1}",
            if dir_right { 0.0 } else { cols as f64 * 0.1 }
        ));
        for c in 1..=cols {
            let x = if dir_right { c } else { cols - c } as f64 * 0.1;
            let s = (c * 37 + r * 101) % 1000;
            v.push(format!("G1 X{x:.1} S{s}"));
        }
    }
    v.push("M5 S0".into());
    v
}

struct Run {
    job_s: f64,
    busy: f64,
    busy_room: f64,
    room_share: f64,
    bytes: u64,
}

fn run(mode: StreamMode, feed: u32, latency: Duration, accel_mm_s2: f64) -> Run {
    let mut cfg = SimConfig::default().with_baud(BAUD);
    cfg.settings.accel_mm_s2[0] = accel_mm_s2;
    cfg.settings.accel_mm_s2[1] = accel_mm_s2;
    let sim = VirtualSim::new(cfg, TICK).with_reply_latency(latency);
    let probe = Probe {
        sim,
        byte_time_s: 10.0 / f64::from(BAUD),
        last_t: Duration::ZERO,
        last_bytes: 0,
        measuring: false,
        stop_at_bytes: u64::MAX,
        total_s: 0.0,
        busy_s: 0.0,
        room_s: 0.0,
        room_busy_s: 0.0,
    };
    let mut opts = SessionOptions::default();
    opts.streamer.mode = mode;
    let mut s = Session::new(probe, opts);
    s.connect().expect("connect");
    let start_bytes = s.connection().sim.grbl().wire_bytes_delivered();
    let job = raster(20, 400, feed);
    let job_bytes: u64 = job.iter().map(|l| l.len() as u64 + 1).sum();
    s.connection_mut().measuring = true;
    s.connection_mut().stop_at_bytes = start_bytes + job_bytes;
    let n = job.len() as u64;
    let report = s.run_job(job, &mut ());
    assert_eq!(report.end, JobEnd::Finished { lines: n });
    let p = s.connection();
    // Status polls (`?`, one byte each) share the wire with the job.
    assert!(p.sim.grbl().wire_bytes_delivered() - start_bytes >= job_bytes);
    assert!(p.sim.grbl().host_violations().is_empty());
    Run {
        job_s: report.elapsed.as_secs_f64(),
        busy: (p.busy_s / p.total_s).min(1.0),
        busy_room: (p.room_busy_s / p.room_s.max(1e-9)).min(1.0),
        room_share: p.room_s / p.total_s,
        bytes: p.sim.grbl().wire_bytes_delivered() - start_bytes,
    }
}

fn main() {
    println!(
        "raster 20 rows x 400 segments of 0.1 mm, S changing per segment, {BAUD} baud wire, \
         host tick {} us; utilisation measured from the job's first byte to its last",
        TICK.as_micros()
    );
    println!(
        "{:<20} {:>6} {:>6} {:>8} {:>8} {:>10} {:>12} {:>11} {:>8}",
        "mode", "accel", "F", "latency", "job s", "wire busy", "busy (room)", "room share", "bytes"
    );
    for accel in [1000.0, 5000.0] {
        for feed in [3000, 6000] {
            for latency_ms in [0u64, 2] {
                for (name, mode) in [
                    ("character counting", StreamMode::CharacterCounting),
                    ("send-response", StreamMode::SendResponse),
                ] {
                    let r = run(mode, feed, Duration::from_millis(latency_ms), accel);
                    println!(
                        "{name:<20} {accel:>6} {feed:>6} {:>6}ms {:>8.2} {:>9.1}% {:>11.1}% {:>10.1}% {:>8}",
                        latency_ms,
                        r.job_s,
                        r.busy * 100.0,
                        r.busy_room * 100.0,
                        r.room_share * 100.0,
                        r.bytes
                    );
                }
            }
        }
    }
}
