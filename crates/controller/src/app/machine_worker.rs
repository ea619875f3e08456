//! The machine worker: one thread per connection owns the [`Session`] (and through it the
//! link's I/O thread). It connects, forwards traffic and status, sends what the UI asks, and
//! streams jobs; the UI only ever sends requests and reads reports.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use burin_grbl::streamer::Progress;
use burin_grbl::{MachineState, Message};
use burin_link::{
    JobControl, JobObserver, JobReport, Link, Session, SessionEvent, SessionOptions, SimHandle,
};

use super::Waker;
use super::state::{ConsoleEntry, Direction, JobText};

/// How often state snapshots go to the UI at most.
const SNAPSHOT_EVERY: Duration = Duration::from_millis(40);
/// Idle loop turn: bounds how late a request is seen.
const IDLE_TURN: Duration = Duration::from_millis(10);

/// A request to the machine worker.
#[derive(Debug)]
pub(crate) enum MachineRequest {
    /// Send a line (command, jog, setting); its answer comes back as traffic.
    Line(String),
    /// A realtime byte.
    Realtime(u8),
    /// Stream `prefix`, then `lines`, then `suffix`.
    StartJob {
        prefix: Vec<String>,
        lines: Arc<JobText>,
        suffix: Vec<String>,
        framing: bool,
    },
    /// Control the running job.
    Control(JobControl),
    Disconnect,
}

/// What the worker reports.
#[derive(Debug)]
pub(crate) enum MachineReport {
    Connected {
        port: String,
        sim: Option<SimHandle>,
        rx_buffer_bytes: usize,
        state: Box<MachineState>,
    },
    ConnectFailed {
        port: String,
        error: String,
    },
    State(Box<MachineState>),
    Traffic(ConsoleEntry),
    JobStarted {
        total_lines: u64,
    },
    JobProgress(Progress),
    JobEnded {
        report: Box<JobReport>,
        framing: bool,
    },
    /// The link broke or closed.
    Lost {
        error: String,
    },
    Disconnected,
}

struct Out {
    tx: Sender<MachineReport>,
    wake: Waker,
    last_snapshot: Option<Instant>,
}

impl Out {
    fn send(&self, r: MachineReport) -> bool {
        let ok = self.tx.send(r).is_ok();
        self.wake.wake();
        ok
    }

    /// A state snapshot, at most every [`SNAPSHOT_EVERY`] unless `force`.
    fn snapshot(&mut self, m: &MachineState, force: bool) {
        let now = Instant::now();
        if force || self.last_snapshot.is_none_or(|t| now - t >= SNAPSHOT_EVERY) {
            self.last_snapshot = Some(now);
            self.send(MachineReport::State(Box::new(m.clone())));
        }
    }

    /// Traffic worth showing: everything but status reports (and, during jobs, the `ok`s).
    fn traffic(&self, raw: &str, message: &Message, in_job: bool) {
        match message {
            Message::Status(_) => {}
            Message::Ok if in_job => {}
            _ => {
                self.send(MachineReport::Traffic(ConsoleEntry {
                    direction: Direction::Received,
                    text: raw.to_string(),
                    error: match message {
                        Message::Error(c) => Some(*c),
                        _ => None,
                    },
                    alarm: match message {
                        Message::Alarm(c) => Some(*c),
                        _ => None,
                    },
                }));
            }
        }
    }
}

/// Connects to `port` and serves requests until [`MachineRequest::Disconnect`], a lost link,
/// or the UI going away.
pub(crate) fn run(
    port: String,
    baud: u32,
    sim_speed: f64,
    rx: Receiver<MachineRequest>,
    tx: Sender<MachineReport>,
    wake: Waker,
) {
    let mut out = Out {
        tx,
        wake,
        last_snapshot: None,
    };
    let (link, sim) = match burin_link::open(&port, baud, sim_speed) {
        Ok(l) => l,
        Err(e) => {
            out.send(MachineReport::ConnectFailed {
                port,
                error: e.to_string(),
            });
            return;
        }
    };
    let mut session = Session::new(link, SessionOptions::default());
    let connected = session.connect_with(&mut |ev| {
        if let SessionEvent::Received { raw, message } = ev {
            out.traffic(raw, message, false);
        }
    });
    if let Err(e) = connected {
        out.send(MachineReport::ConnectFailed {
            port,
            error: e.to_string(),
        });
        session.into_connection().close();
        return;
    }
    out.send(MachineReport::Connected {
        port,
        sim,
        rx_buffer_bytes: session.streamer().rx_buffer_bytes(),
        state: Box::new(session.machine().clone()),
    });
    let end = serve(&mut session, &rx, &mut out);
    match end {
        Ok(()) => {
            session.into_connection().close();
            out.send(MachineReport::Disconnected);
        }
        Err(error) => {
            out.send(MachineReport::Lost { error });
        }
    }
}

/// The idle loop. `Err` carries why the link was lost.
fn serve(
    session: &mut Session<Link>,
    rx: &Receiver<MachineRequest>,
    out: &mut Out,
) -> Result<(), String> {
    loop {
        loop {
            let req = match rx.try_recv() {
                Ok(r) => r,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Ok(()),
            };
            match req {
                MachineRequest::Line(line) => {
                    out.send(MachineReport::Traffic(ConsoleEntry {
                        direction: Direction::Sent,
                        text: line.clone(),
                        error: None,
                        alarm: None,
                    }));
                    if let Err(e) = session.send_line(&line) {
                        out.send(MachineReport::Traffic(ConsoleEntry {
                            direction: Direction::Sent,
                            text: format!("{line}  ({e})"),
                            error: None,
                            alarm: None,
                        }));
                    }
                }
                MachineRequest::Realtime(b) => session.realtime(b).map_err(|e| e.to_string())?,
                MachineRequest::Control(c) => {
                    let byte = match c {
                        JobControl::Pause => burin_grbl::realtime::FEED_HOLD,
                        JobControl::Resume => burin_grbl::realtime::CYCLE_START,
                        JobControl::Stop | JobControl::Reset => burin_grbl::realtime::SOFT_RESET,
                        JobControl::Realtime(b) => b,
                    };
                    session.realtime(byte).map_err(|e| e.to_string())?;
                }
                MachineRequest::StartJob {
                    prefix,
                    lines,
                    suffix,
                    framing,
                } => {
                    let disconnect = run_job(session, rx, out, prefix, lines, suffix, framing);
                    if let Some(burin_link::JobEnd::LinkLost(l)) = disconnect.as_ref() {
                        return Err(l.to_string());
                    }
                    if disconnect.is_none() {
                        return Ok(());
                    }
                }
                MachineRequest::Disconnect => return Ok(()),
            }
        }
        let until = session.connection().elapsed() + IDLE_TURN;
        let mut status = false;
        session
            .pump(until, &mut |ev| {
                if let SessionEvent::Received { raw, message } = ev {
                    status = true;
                    out.traffic(raw, message, false);
                }
            })
            .map_err(|e| e.to_string())?;
        if status {
            out.snapshot(session.machine(), false);
        }
    }
}

/// Streams one job. Returns `None` if the UI asked to disconnect (the job was stopped first),
/// else how it ended.
fn run_job(
    session: &mut Session<Link>,
    rx: &Receiver<MachineRequest>,
    out: &mut Out,
    prefix: Vec<String>,
    lines: Arc<JobText>,
    suffix: Vec<String>,
    framing: bool,
) -> Option<burin_link::JobEnd> {
    let total = (prefix.len() + lines.len() + suffix.len()) as u64;
    out.send(MachineReport::JobStarted { total_lines: total });
    let body_len = lines.len();
    let body = (0..body_len).map(move |i| lines.line(i).to_string());
    let job = prefix.into_iter().chain(body).chain(suffix);
    let mut obs = Observer {
        rx,
        out,
        queued: VecDeque::new(),
        disconnect: false,
        last_progress: None,
    };
    let report = session.run_job(job, &mut obs);
    let disconnect = obs.disconnect;
    out.snapshot(session.machine(), true);
    out.send(MachineReport::JobProgress(report.progress));
    let end = report.end.clone();
    out.send(MachineReport::JobEnded {
        report: Box::new(report),
        framing,
    });
    if disconnect { None } else { Some(end) }
}

struct Observer<'a> {
    rx: &'a Receiver<MachineRequest>,
    out: &'a mut Out,
    queued: VecDeque<JobControl>,
    disconnect: bool,
    last_progress: Option<Instant>,
}

impl JobObserver for Observer<'_> {
    fn on_event(&mut self, event: &SessionEvent, progress: &Progress, machine: &MachineState) {
        if let SessionEvent::Received { raw, message } = event {
            self.out.traffic(raw, message, true);
            if matches!(message, Message::Status(_)) {
                self.out.snapshot(machine, false);
            }
        }
        let now = Instant::now();
        if self.last_progress.is_none_or(|t| now - t >= SNAPSHOT_EVERY) {
            self.last_progress = Some(now);
            self.out.send(MachineReport::JobProgress(*progress));
        }
    }

    fn control(
        &mut self,
        _progress: &Progress,
        _machine: &MachineState,
        _now: Duration,
    ) -> Option<JobControl> {
        loop {
            match self.rx.try_recv() {
                Ok(MachineRequest::Control(c)) => self.queued.push_back(c),
                Ok(MachineRequest::Realtime(b)) => self.queued.push_back(JobControl::Realtime(b)),
                Ok(MachineRequest::Disconnect) | Err(TryRecvError::Disconnected) => {
                    if !self.disconnect {
                        self.disconnect = true;
                        self.queued.push_back(JobControl::Stop);
                    }
                    break;
                }
                // Lines and new jobs wait: the app refuses them while a job runs.
                Ok(MachineRequest::Line(_) | MachineRequest::StartJob { .. }) => {}
                Err(TryRecvError::Empty) => break,
            }
        }
        self.queued.pop_front()
    }
}
