//! What a [`Session`](crate::Session) talks through: a clock, a way to write, and a way to
//! wait for the next line. The I/O thread's [`Link`] is the real one; [`VirtualSim`] drives
//! the simulator directly on its own virtual clock (deterministic tests and benchmarks).

use std::collections::VecDeque;
use std::time::Duration;

use burin_grbl::LineSplitter;
use burin_sim::{Grbl, SimConfig};

use crate::error::LinkLost;
use crate::io_thread::{Link, LinkCommand, LinkEvent};

/// A line-oriented connection to a controller, with its own clock.
pub trait Connection {
    /// Time on this connection's clock (since any fixed origin).
    fn now(&self) -> Duration;
    /// Writes bytes to the controller.
    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost>;
    /// The next complete line from the controller, waiting until `deadline` (this
    /// connection's clock) at most; `Ok(None)` if none came in time.
    fn next_line(&mut self, deadline: Duration) -> Result<Option<Vec<u8>>, LinkLost>;
    /// Name for messages.
    fn name(&self) -> &str;
}

impl Connection for Link {
    fn now(&self) -> Duration {
        self.elapsed()
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost> {
        if let Some(l) = self.lost() {
            return Err(l.clone());
        }
        match bytes {
            [b] => self.send(LinkCommand::Realtime(*b)),
            _ => self.send(LinkCommand::Write(bytes.to_vec())),
        }
    }

    fn next_line(&mut self, deadline: Duration) -> Result<Option<Vec<u8>>, LinkLost> {
        if let Some(l) = self.lost() {
            return Err(l.clone());
        }
        let wait = deadline.saturating_sub(self.elapsed());
        match self.recv_timeout(wait) {
            None => Ok(None),
            Some(LinkEvent::Line(l)) => Ok(Some(l)),
            Some(LinkEvent::Lost(l)) => Err(l),
            Some(LinkEvent::Closed) => Err(LinkLost::Closed {
                name: self.name().to_string(),
            }),
        }
    }

    fn name(&self) -> &str {
        Link::name(self)
    }
}

/// The simulator on its virtual clock, with no thread: waiting for a line advances the
/// simulator in steps of `tick`. The host is modelled as infinitely fast, so results do not
/// depend on the machine running the test. Replies can be delayed by a fixed latency (USB
/// adapters deliver received bytes in frames, typically 1-16 ms apart).
#[derive(Debug)]
pub struct VirtualSim {
    grbl: Grbl,
    splitter: LineSplitter,
    tick: Duration,
    latency: Duration,
    out: Vec<u8>,
    inbox: VecDeque<(Duration, Vec<u8>)>,
}

impl VirtualSim {
    /// A new simulator; `tick` is the virtual time step while waiting (at least 1 µs).
    pub fn new(cfg: SimConfig, tick: Duration) -> Self {
        Self {
            grbl: Grbl::new(cfg),
            splitter: LineSplitter::default(),
            tick: tick.max(Duration::from_micros(1)),
            latency: Duration::ZERO,
            out: Vec::new(),
            inbox: VecDeque::new(),
        }
    }

    /// Delays every line from the controller by `latency` (virtual time). Default zero.
    pub fn with_reply_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// The simulator.
    pub fn grbl(&self) -> &Grbl {
        &self.grbl
    }

    /// The simulator, mutably (e.g. to advance it after a job).
    pub fn grbl_mut(&mut self) -> &mut Grbl {
        &mut self.grbl
    }

    fn collect(&mut self) {
        self.grbl.read_into(&mut self.out);
        if !self.out.is_empty() {
            self.splitter.push(&self.out);
            self.out.clear();
            let arrival = self.grbl.now() + self.latency;
            while let Some(l) = self.splitter.next_line() {
                self.inbox.push_back((arrival, l));
            }
        }
    }
}

impl Connection for VirtualSim {
    fn now(&self) -> Duration {
        self.grbl.now()
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost> {
        // Processed at the next advance: replies take at least one tick, as over a real link
        // (a host that re-asks on every reply must not spin at a standstill clock).
        self.grbl.write(bytes);
        Ok(())
    }

    fn next_line(&mut self, deadline: Duration) -> Result<Option<Vec<u8>>, LinkLost> {
        loop {
            self.collect();
            let now = self.grbl.now();
            if self.inbox.front().is_some_and(|(at, _)| *at <= now) {
                return Ok(self.inbox.pop_front().map(|(_, l)| l));
            }
            if now >= deadline {
                return Ok(None);
            }
            let mut step = self.tick.min(deadline - now);
            if let Some((at, _)) = self.inbox.front() {
                step = step.min(*at - now);
            }
            self.grbl.advance(step);
        }
    }

    fn name(&self) -> &str {
        "sim"
    }
}
