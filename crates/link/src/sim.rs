//! The built-in virtual GRBL ([`burin_sim::Grbl`]) behind the [`Transport`] trait.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use burin_sim::{Grbl, SimConfig};

use crate::error::LinkLost;
use crate::transport::Transport;

/// How long [`SimTransport::read`] sleeps between looks at the simulator, real time.
const SIM_POLL: Duration = Duration::from_millis(1);

/// Shared access to the simulator behind a [`SimTransport`], to inspect it (burn log, state)
/// while or after the I/O thread drives it.
#[derive(Debug, Clone)]
pub struct SimHandle(Arc<Mutex<Grbl>>);

impl SimHandle {
    /// Locks the simulator. A panic in another holder does not poison it for inspection.
    pub fn lock(&self) -> MutexGuard<'_, Grbl> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The simulator in real time: each call advances it by the wall-clock time elapsed since the
/// last one, times `speed`.
#[derive(Debug)]
pub struct SimTransport {
    grbl: Arc<Mutex<Grbl>>,
    started: Instant,
    /// Virtual seconds per real second.
    speed: f64,
    pending: Vec<u8>,
}

impl SimTransport {
    /// A simulator running at `speed` times real time (1.0 = real time; larger values are a
    /// test and demo aid: the job finishes sooner, and the planner may starve between reads,
    /// as a slower host would make it). Non-finite or non-positive speeds mean 1.0. The wire
    /// model (`cfg.baud`) follows the same clock.
    pub fn new(cfg: SimConfig, speed: f64) -> (Self, SimHandle) {
        let grbl = Arc::new(Mutex::new(Grbl::new(cfg)));
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        let t = Self {
            grbl: Arc::clone(&grbl),
            started: Instant::now(),
            speed,
            pending: Vec::new(),
        };
        (t, SimHandle(grbl))
    }

    fn sim_now(&self) -> Duration {
        self.started.elapsed().mul_f64(self.speed)
    }

    /// Advances the simulator to now and moves its output into `pending`.
    fn catch_up(&mut self) {
        let now = self.sim_now();
        let mut g = self.grbl.lock().unwrap_or_else(|e| e.into_inner());
        g.advance_to(now);
        g.read_into(&mut self.pending);
    }
}

impl Transport for SimTransport {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, LinkLost> {
        let until = Instant::now() + timeout;
        loop {
            self.catch_up();
            if !self.pending.is_empty() {
                let n = buf.len().min(self.pending.len());
                buf[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                return Ok(n);
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(0);
            }
            std::thread::sleep(left.min(SIM_POLL));
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost> {
        let now = self.sim_now();
        let mut g = self.grbl.lock().unwrap_or_else(|e| e.into_inner());
        g.advance_to(now);
        g.write(bytes);
        // Replies to what was just written are available at once, as over a fast wire.
        g.advance(Duration::ZERO);
        Ok(())
    }

    fn name(&self) -> &str {
        "sim"
    }
}
