//! The I/O thread: it alone owns the transport; the rest of the program talks to it through
//! channels. This (with the simulator's real-time pacing) is the only place Burin sleeps or
//! blocks on a device.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use burin_grbl::LineSplitter;

use crate::error::LinkLost;
use crate::transport::Transport;

/// How long one read may wait before the thread looks at its command queue again. Bounds the
/// latency of every write.
const READ_SLICE: Duration = Duration::from_millis(2);

/// What the rest of the program asks the I/O thread to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkCommand {
    /// Write these bytes (lines, in order with everything else).
    Write(Vec<u8>),
    /// Write one realtime byte (`?`, `!`, `~`, 0x18, overrides).
    Realtime(u8),
    /// Stop the thread and close the port.
    Close,
}

/// What the I/O thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEvent {
    /// One complete line from the controller, without its line ending.
    Line(Vec<u8>),
    /// The link broke (read or write error, device gone). The thread has ended.
    Lost(LinkLost),
    /// The thread ended after [`LinkCommand::Close`].
    Closed,
}

/// Handle to a running I/O thread. Dropping it closes the link and joins the thread.
#[derive(Debug)]
pub struct Link {
    commands: Sender<LinkCommand>,
    events: Receiver<LinkEvent>,
    name: String,
    started: Instant,
    thread: Option<JoinHandle<()>>,
    lost: Option<LinkLost>,
}

impl Link {
    /// Starts the I/O thread on `transport`.
    pub fn spawn<T: Transport + 'static>(transport: T) -> Self {
        let name = transport.name().to_string();
        let (cmd_tx, cmd_rx) = mpsc::channel();
        let (ev_tx, ev_rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(format!("burin-link {name}"))
            .spawn(move || io_loop(transport, &cmd_rx, &ev_tx))
            .ok();
        let lost = thread
            .is_none()
            .then(|| LinkLost::Closed { name: name.clone() });
        Self {
            commands: cmd_tx,
            events: ev_rx,
            name,
            started: Instant::now(),
            thread,
            lost,
        }
    }

    /// The transport's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Time since the link was started (the clock a session on this link uses).
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Queues a command for the thread. Fails once the thread has ended.
    pub fn send(&self, cmd: LinkCommand) -> Result<(), LinkLost> {
        self.commands.send(cmd).map_err(|_| self.gone())
    }

    /// Waits up to `timeout` for the next event; `None` on timeout. After the thread ended,
    /// returns its last event once, then `Lost`/`Closed` stays sticky via [`Link::lost`].
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<LinkEvent> {
        match self.events.recv_timeout(timeout) {
            Ok(ev) => {
                if let LinkEvent::Lost(l) = &ev {
                    self.lost = Some(l.clone());
                }
                Some(ev)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(LinkEvent::Lost(self.gone())),
        }
    }

    /// The reason the link was lost, once it was.
    pub fn lost(&self) -> Option<&LinkLost> {
        self.lost.as_ref()
    }

    /// Asks the thread to stop and waits for it.
    pub fn close(mut self) {
        self.shutdown();
    }

    /// Why the thread is gone. A write can find it gone before its `Lost` event has been read
    /// (the device hung up between two turns): that queued event is the real reason, not a
    /// close. Lines still queued behind a dead link are dropped with it.
    fn gone(&self) -> LinkLost {
        if let Some(l) = &self.lost {
            return l.clone();
        }
        self.events
            .try_iter()
            .find_map(|ev| match ev {
                LinkEvent::Lost(l) => Some(l),
                _ => None,
            })
            .unwrap_or_else(|| LinkLost::Closed {
                name: self.name.clone(),
            })
    }

    fn shutdown(&mut self) {
        let _ = self.commands.send(LinkCommand::Close);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn io_loop<T: Transport>(mut t: T, commands: &Receiver<LinkCommand>, events: &Sender<LinkEvent>) {
    let mut splitter = LineSplitter::default();
    let mut buf = [0u8; 512];
    loop {
        // Writes first, so replies to them can be read in the same turn.
        loop {
            let cmd = match commands.try_recv() {
                Ok(c) => c,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            };
            let result = match cmd {
                LinkCommand::Write(bytes) => t.write(&bytes),
                LinkCommand::Realtime(b) => t.write(&[b]),
                LinkCommand::Close => {
                    let _ = events.send(LinkEvent::Closed);
                    return;
                }
            };
            if let Err(lost) = result {
                let _ = events.send(LinkEvent::Lost(lost));
                return;
            }
        }
        match t.read(&mut buf, READ_SLICE) {
            Ok(n) => {
                splitter.push(&buf[..n]);
                while let Some(line) = splitter.next_line() {
                    if events.send(LinkEvent::Line(line)).is_err() {
                        return;
                    }
                }
            }
            Err(lost) => {
                let _ = events.send(LinkEvent::Lost(lost));
                return;
            }
        }
    }
}
