//! Streaming a job through a [`Session`]: controls, observer, and how it ended.

use std::time::Duration;

use burin_grbl::MachineState;
use burin_grbl::StreamEvent;
use burin_grbl::codes::alarm_text;
use burin_grbl::message::State;
use burin_grbl::realtime::STATUS_REPORT;
use burin_grbl::streamer::{LineNo, Progress, StopReason, StreamError};

use super::{Session, SessionEvent};
use crate::connection::Connection;
use crate::error::LinkLost;

/// How often the job loop asks for a status report while waiting for Idle after the last
/// `ok`, when the streamer's own polling is off.
const FINISH_POLL: Duration = Duration::from_millis(200);

/// A request to a running job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobControl {
    /// Feed hold (`!`).
    Pause,
    /// Cycle start (`~`).
    Resume,
    /// Feed hold, then soft reset once stopped (laser off, buffers flushed).
    Stop,
    /// Soft reset at once.
    Reset,
    /// Any other realtime byte (feed/power/rapid overrides, jog cancel), sent at once.
    Realtime(u8),
}

/// Watches a job and may steer it. Both methods are called from the job loop.
pub trait JobObserver {
    /// Every session event, with the progress after it.
    fn on_event(&mut self, _event: &SessionEvent, _progress: &Progress, _machine: &MachineState) {}
    /// Asked once per loop turn (at least every [`SessionOptions::turn`](super::SessionOptions::turn)).
    fn control(
        &mut self,
        _progress: &Progress,
        _machine: &MachineState,
        _now: Duration,
    ) -> Option<JobControl> {
        None
    }
}

/// An observer that does nothing.
impl JobObserver for () {}

/// How a job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEnd {
    /// Every line acknowledged and the machine back to Idle.
    Finished { lines: u64 },
    /// GRBL answered `error:code` to job line `line_no`; the job was stopped (hold, reset).
    Error {
        line_no: LineNo,
        code: u16,
        text: &'static str,
        source: String,
    },
    /// A line failed the streamer's pre-check and was never sent; the job was stopped.
    Rejected {
        line_no: LineNo,
        reason: String,
        source: String,
    },
    /// `ALARM:code`: GRBL stopped everything and is locked.
    Alarm { code: u16, text: &'static str },
    /// Stopped on request ([`JobControl::Stop`]/[`JobControl::Reset`]).
    Stopped,
    /// The controller reset on its own (unexpected banner).
    ControllerReset,
    /// The link broke.
    LinkLost(LinkLost),
    /// The job could not start.
    NotStarted(StreamError),
}

/// The outcome of [`Session::run_job`].
#[derive(Debug, Clone, PartialEq)]
pub struct JobReport {
    pub end: JobEnd,
    pub progress: Progress,
    /// The last job line GRBL acknowledged (`ok` or `error`), `None` if none was.
    pub last_acked_line: Option<LineNo>,
    /// Duration on the connection's clock.
    pub elapsed: Duration,
}

impl<C: Connection> Session<C> {
    /// Streams `lines` (line numbers start at 1) until they are all acknowledged and the
    /// machine is Idle, or the job ends otherwise. On an error or rejected line the machine is
    /// held and soft-reset (laser off); on an alarm GRBL has already stopped everything; on a
    /// lost link a hold and a reset are attempted. The report names the last acknowledged line.
    pub fn run_job<I>(&mut self, lines: I, observer: &mut dyn JobObserver) -> JobReport
    where
        I: IntoIterator<Item = String>,
        I::IntoIter: Send + 'static,
    {
        let started = self.conn.now();
        self.last_acked = None;
        if let Err(e) = self.streamer.start_job(lines) {
            return self.report(JobEnd::NotStarted(e), started);
        }
        let mut pending_end: Option<JobEnd> = None;
        let mut want_stop = false;
        let mut finished: Option<(u64, u64)> = None;
        let mut last_query: Option<Duration> = None;
        let end = loop {
            let now = self.conn.now();
            let progress = self.streamer.progress();
            let mut events = Vec::new();
            if let Some(c) = observer.control(&progress, &self.machine, now) {
                let out = match c {
                    JobControl::Pause => self.streamer.pause(),
                    JobControl::Resume => self.streamer.resume(now),
                    JobControl::Stop => self.streamer.stop(now),
                    JobControl::Reset => self.streamer.soft_reset(now),
                    JobControl::Realtime(b) => self.streamer.realtime(b, now),
                };
                if let Err(lost) = self.emit(out, &mut |ev| events.push(ev.clone())) {
                    break self.lost_link(lost);
                }
            }
            let turn_end = now + self.opts.turn;
            if let Err(lost) = self.turn(turn_end, &mut |ev| events.push(ev.clone())) {
                for ev in &events {
                    observer.on_event(ev, &self.streamer.progress(), &self.machine);
                }
                break self.lost_link(lost);
            }
            let mut end = None;
            for ev in &events {
                observer.on_event(ev, &self.streamer.progress(), &self.machine);
                let SessionEvent::Stream(se) = ev else {
                    continue;
                };
                match se {
                    StreamEvent::Error {
                        line_no,
                        code,
                        text,
                        source,
                    } => {
                        pending_end.get_or_insert(JobEnd::Error {
                            line_no: *line_no,
                            code: *code,
                            text,
                            source: source.clone(),
                        });
                        want_stop = true;
                    }
                    StreamEvent::Rejected {
                        line_no,
                        reason,
                        source,
                    } => {
                        pending_end.get_or_insert(JobEnd::Rejected {
                            line_no: *line_no,
                            reason: reason.to_string(),
                            source: source.clone(),
                        });
                        want_stop = true;
                    }
                    StreamEvent::Alarm { code, text } => {
                        pending_end.get_or_insert(JobEnd::Alarm { code: *code, text });
                    }
                    StreamEvent::Stopped { reason } => {
                        let fallback = match reason {
                            StopReason::User => JobEnd::Stopped,
                            StopReason::Alarm(code) => JobEnd::Alarm {
                                code: *code,
                                text: alarm_text(*code),
                            },
                            StopReason::ControllerReset => JobEnd::ControllerReset,
                        };
                        end = Some(pending_end.take().unwrap_or(fallback));
                    }
                    StreamEvent::Finished { lines } => {
                        finished = Some((*lines, self.machine.reports));
                    }
                    _ => {}
                }
            }
            if let Some(end) = end {
                break end;
            }
            if want_stop && !self.streamer.is_stopping() && self.streamer.job_status().is_some() {
                want_stop = false;
                let out = self.streamer.stop(self.conn.now());
                if let Err(lost) = self.emit(out, &mut |_| {}) {
                    break self.lost_link(lost);
                }
            }
            if let Some((lines, reports)) = finished {
                if self.machine.reports > reports && self.machine.state == Some(State::Idle) {
                    break JobEnd::Finished { lines };
                }
                // Without automatic polls, ask for the reports that show the machine idle.
                let now = self.conn.now();
                if self.opts.streamer.status_interval.is_none()
                    && last_query.is_none_or(|t| now >= t + FINISH_POLL)
                {
                    last_query = Some(now);
                    if let Err(lost) = self.conn.write(&[STATUS_REPORT]) {
                        break self.lost_link(lost);
                    }
                }
            }
            if let Some(alarm @ JobEnd::Alarm { .. }) = &pending_end
                && self.streamer.job_status().is_none()
            {
                break alarm.clone();
            }
        };
        if !matches!(end, JobEnd::LinkLost(_)) {
            self.settle_after_reset(observer);
        }
        self.report(end, started)
    }

    /// After a reset, waits (up to the streamer's reset timeout) for the banner, so the
    /// machine state reflects the reset.
    fn settle_after_reset(&mut self, observer: &mut dyn JobObserver) {
        let deadline = self.conn.now() + self.opts.streamer.reset_timeout;
        while self.streamer.is_waiting_for_reset() {
            let now = self.conn.now();
            if now >= deadline {
                break;
            }
            let mut events = Vec::new();
            if self
                .turn(deadline.min(now + self.opts.turn), &mut |ev| {
                    events.push(ev.clone())
                })
                .is_err()
            {
                break;
            }
            for ev in &events {
                observer.on_event(ev, &self.streamer.progress(), &self.machine);
            }
        }
    }

    fn lost_link(&mut self, lost: LinkLost) -> JobEnd {
        // The port may still take bytes (e.g. only reading failed): hold and reset, laser off.
        let now = self.conn.now();
        let out = self.streamer.stop(now);
        let _ = self.conn.write(&out.bytes);
        let out = self.streamer.soft_reset(now);
        let _ = self.conn.write(&out.bytes);
        JobEnd::LinkLost(lost)
    }

    fn report(&self, end: JobEnd, started: Duration) -> JobReport {
        JobReport {
            end,
            progress: self.streamer.progress(),
            last_acked_line: self.last_acked,
            elapsed: self.conn.now().saturating_sub(started),
        }
    }
}
