//! The [`Streamer`] state machine.

use std::collections::VecDeque;
use std::time::Duration;

use super::feed::{AfterAck, InFlight, Job, Origin, PendingLine};
use super::{
    CommandId, JobStatus, Output, Progress, StopReason, StreamError, StreamEvent, StreamMode,
    StreamerOptions, prepare_line,
};
use crate::codes::{alarm_text, error_text};
use crate::message::{Message, State, StatusReport};
use crate::poller::StatusPoller;
use crate::realtime::{CYCLE_START, FEED_HOLD, SOFT_RESET, STATUS_REPORT};

/// How often `?` is repeated while a stop waits for the hold to complete (GRBL answers within
/// 5-20 ms; a 0.5-1 s deceleration then costs a few dozen queries, not thousands).
const STOP_QUERY_INTERVAL: Duration = Duration::from_millis(20);

/// Sans-IO GRBL line streamer. It must be the only writer of *lines* to the port (every line
/// gets exactly one `ok`/`error`, and the count must stay exact); realtime bytes may go
/// around it, except soft reset, which must go through [`Streamer::soft_reset`] so the count
/// is cleared. Feed every line GRBL sends to [`Streamer::on_message`], call
/// [`Streamer::poll`] regularly (at least by [`Streamer::next_deadline`]), and write each
/// [`Output`]'s bytes in order.
#[derive(Debug)]
pub struct Streamer {
    pub(super) opts: StreamerOptions,
    pub(super) rx_bytes: usize,
    pub(super) fifo: VecDeque<InFlight>,
    pub(super) in_flight_bytes: usize,
    pub(super) job_in_flight: usize,
    pub(super) sync_in_flight: usize,
    pub(super) commands: VecDeque<PendingLine>,
    pub(super) next_command_id: CommandId,
    pub(super) job: Option<Job>,
    pub(super) alarm_locked: bool,
    pub(super) stop_deadline: Option<Duration>,
    /// While stopping: when the last `?` was sent, so re-queries stay at STOP_QUERY_INTERVAL.
    pub(super) stop_queried_at: Duration,
    pub(super) banner_deadline: Option<Duration>,
    pub(super) reset_expected: bool,
    pub(super) poller: Option<StatusPoller>,
    pub(super) planner_blocks: u16,
    pub(super) progress: Progress,
}

impl Default for Streamer {
    fn default() -> Self {
        Self::new(StreamerOptions::default())
    }
}

impl Streamer {
    /// An idle streamer: no job, nothing in flight.
    pub fn new(opts: StreamerOptions) -> Self {
        Self {
            rx_bytes: opts.rx_buffer_bytes.max(1),
            poller: opts.status_interval.map(StatusPoller::new),
            opts,
            fifo: VecDeque::new(),
            in_flight_bytes: 0,
            job_in_flight: 0,
            sync_in_flight: 0,
            commands: VecDeque::new(),
            next_command_id: 1,
            job: None,
            alarm_locked: false,
            stop_deadline: None,
            stop_queried_at: Duration::ZERO,
            banner_deadline: None,
            reset_expected: false,
            planner_blocks: 15,
            progress: Progress::default(),
        }
    }

    /// The options in use.
    pub fn options(&self) -> &StreamerOptions {
        &self.opts
    }

    /// Switches pacing; applies from the next line sent.
    pub fn set_mode(&mut self, mode: StreamMode) {
        self.opts.mode = mode;
    }

    /// Receive buffer size in use, bytes (before the margin).
    pub fn rx_buffer_bytes(&self) -> usize {
        self.rx_bytes
    }

    /// Bytes sent and not yet answered.
    pub fn in_flight_bytes(&self) -> usize {
        self.in_flight_bytes
    }

    /// Lines sent and not yet answered.
    pub fn in_flight_lines(&self) -> usize {
        self.fifo.len()
    }

    /// Progress of the current (or last) job.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// State of the current job; `None` when there is none.
    pub fn job_status(&self) -> Option<JobStatus> {
        self.job.as_ref().map(|j| j.status)
    }

    /// True while the controller refuses G-code until `$X` or `$H`.
    pub fn is_alarm_locked(&self) -> bool {
        self.alarm_locked
    }

    /// True between [`Streamer::stop`] and the soft reset it ends with.
    pub fn is_stopping(&self) -> bool {
        self.stop_deadline.is_some()
    }

    /// True after a reset until the banner arrives (or the reset timeout passes).
    pub fn is_waiting_for_reset(&self) -> bool {
        self.banner_deadline.is_some()
    }

    /// Latest time by which [`Streamer::poll`] should be called next.
    pub fn next_deadline(&self) -> Option<Duration> {
        let poll = self
            .poller
            .as_ref()
            .map(|p| p.next_due().unwrap_or(Duration::ZERO));
        let stop_query = self
            .stop_deadline
            .map(|_| self.stop_queried_at.saturating_add(STOP_QUERY_INTERVAL));
        [poll, self.stop_deadline, stop_query, self.banner_deadline]
            .into_iter()
            .flatten()
            .min()
    }

    /// Starts streaming `lines` (pulled one at a time; line numbers start at 1). Lines go out
    /// on the next [`Streamer::poll`] or [`Streamer::on_message`].
    pub fn start_job<I>(&mut self, lines: I) -> Result<(), StreamError>
    where
        I: IntoIterator<Item = String>,
        I::IntoIter: Send + 'static,
    {
        if self.job.is_some() {
            return Err(StreamError::JobActive);
        }
        if self.stop_deadline.is_some() {
            return Err(StreamError::Stopping);
        }
        if self.alarm_locked {
            return Err(StreamError::AlarmLocked);
        }
        self.job = Some(Job {
            lines: Box::new(lines.into_iter()),
            next_line_no: 1,
            peeked: None,
            exhausted: false,
            status: JobStatus::Running,
        });
        self.progress = Progress::default();
        Ok(())
    }

    /// Queues one line outside the job (a `$` command, a jog, an MDI line). Commands go
    /// before further job lines. While alarm-locked only `$` commands are accepted.
    pub fn send_command(&mut self, line: &str) -> Result<CommandId, StreamError> {
        if self.stop_deadline.is_some() {
            return Err(StreamError::Stopping);
        }
        let prepared = prepare_line(line, self.opts.strip_comments)?;
        if self.alarm_locked && !prepared.filtered.starts_with('$') {
            return Err(StreamError::AlarmLocked);
        }
        let id = self.next_command_id;
        self.next_command_id += 1;
        self.commands.push_back(PendingLine {
            origin: Origin::Command(id),
            source: line.to_string(),
            prepared,
        });
        Ok(id)
    }

    /// Queues `$X` (clear the alarm lock).
    pub fn unlock(&mut self) -> Result<CommandId, StreamError> {
        self.send_command("$X")
    }

    /// Parses one raw line from GRBL and handles it like [`Streamer::on_message`].
    pub fn on_line(&mut self, line: &[u8], now: Duration) -> Output {
        self.on_message(&crate::message::parse(line), now)
    }

    /// Handles one message from GRBL.
    pub fn on_message(&mut self, msg: &Message, now: Duration) -> Output {
        let mut out = Output::default();
        match msg {
            Message::Ok => self.on_response(None, now, &mut out),
            Message::Error(code) => self.on_response(Some(*code), now, &mut out),
            Message::Alarm(code) => {
                self.alarm_locked = true;
                out.events.push(StreamEvent::Alarm {
                    code: *code,
                    text: alarm_text(*code),
                });
                if self.job.take().is_some() {
                    out.events.push(StreamEvent::Stopped {
                        reason: StopReason::Alarm(*code),
                    });
                }
            }
            Message::Status(r) => self.on_status(r, now, &mut out),
            Message::Options(o) => {
                self.planner_blocks = o.planner_blocks;
                if self.opts.auto_rx_buffer {
                    self.set_rx(o.rx_buffer_bytes as usize, &mut out);
                }
            }
            Message::Banner { .. } => self.on_banner(&mut out),
            Message::Msg(text) => match text.as_str() {
                "'$H'|'$X' to unlock" | "Reset to continue" => self.alarm_locked = true,
                "Caution: Unlocked" => self.alarm_locked = false,
                "Disabled" => self.reset_expected = true,
                _ => {}
            },
            _ => {}
        }
        self.fill(now, &mut out);
        out
    }

    /// Time-driven work: status polls, the stop timeout, and sending lines.
    pub fn poll(&mut self, now: Duration) -> Output {
        let mut out = Output::default();
        if let Some(p) = &mut self.poller
            && p.poll(now)
        {
            out.bytes.push(STATUS_REPORT);
        }
        if self.stop_deadline.is_some_and(|d| now >= d) {
            self.reset(now, true, &mut out);
        } else if self.stop_deadline.is_some() {
            self.query_while_stopping(now, &mut out);
        }
        self.fill(now, &mut out);
        out
    }

    /// Feed hold (`!`). The job stops feeding until [`Streamer::resume`]. In M3 mode the
    /// laser stays lit while held; [`Streamer::stop`] turns it off.
    pub fn pause(&mut self) -> Output {
        if let Some(job) = &mut self.job
            && job.status == JobStatus::Running
        {
            job.status = JobStatus::Paused;
        }
        Output {
            bytes: vec![FEED_HOLD],
            events: vec![StreamEvent::Paused],
        }
    }

    /// Cycle start (`~`). A paused or halted job feeds again (after an error this skips the
    /// failed line). Does nothing while a stop is in progress.
    pub fn resume(&mut self, now: Duration) -> Output {
        if self.stop_deadline.is_some() {
            return Output::default();
        }
        if let Some(job) = &mut self.job {
            job.status = JobStatus::Running;
        }
        let mut out = Output {
            bytes: vec![CYCLE_START],
            events: vec![StreamEvent::Resumed],
        };
        self.fill(now, &mut out);
        out
    }

    /// Stops the job: feed hold now, then a soft reset (laser off, buffers flushed) as soon as
    /// a status report shows the hold complete or the machine still, or after
    /// `stop_hold_timeout` (via [`Streamer::poll`]). Ends with [`StreamEvent::Stopped`].
    pub fn stop(&mut self, now: Duration) -> Output {
        if self.stop_deadline.is_some() {
            return Output::default();
        }
        self.stop_deadline = Some(now.saturating_add(self.opts.stop_hold_timeout));
        self.stop_queried_at = now;
        Output {
            // Ask for a fresh report so the hold's completion is seen at once.
            bytes: vec![FEED_HOLD, STATUS_REPORT],
            events: Vec::new(),
        }
    }

    /// Soft reset (0x18) at once: motion stops with no deceleration (GRBL raises `ALARM:3`
    /// if it was moving), laser off, and every in-flight line is forgotten.
    pub fn soft_reset(&mut self, now: Duration) -> Output {
        let mut out = Output::default();
        self.reset(now, false, &mut out);
        out
    }

    /// Sends a realtime byte. Soft reset, feed hold and cycle start are routed to
    /// [`Streamer::soft_reset`], [`Streamer::pause`] and [`Streamer::resume`].
    pub fn realtime(&mut self, byte: u8, now: Duration) -> Output {
        match byte {
            SOFT_RESET => self.soft_reset(now),
            FEED_HOLD => self.pause(),
            CYCLE_START => self.resume(now),
            b => Output {
                bytes: vec![b],
                events: Vec::new(),
            },
        }
    }

    // ---- internals -------------------------------------------------------------------

    fn set_rx(&mut self, bytes: usize, out: &mut Output) {
        let bytes = bytes.clamp(1, self.opts.max_rx_buffer_bytes.max(1));
        if bytes != self.rx_bytes {
            self.rx_bytes = bytes;
            out.events.push(StreamEvent::RxBufferResized { bytes });
        }
    }

    fn on_response(&mut self, code: Option<u16>, now: Duration, out: &mut Output) {
        let Some(entry) = self.fifo.pop_front() else {
            self.progress.unexpected_responses += 1;
            return;
        };
        self.in_flight_bytes -= entry.len;
        if entry.sync {
            self.sync_in_flight -= 1;
        }
        match (entry.origin, code) {
            (Origin::Job(line_no), None) => {
                self.job_in_flight -= 1;
                self.progress.lines_acked += 1;
                out.events.push(StreamEvent::Acked { line_no });
            }
            (Origin::Job(line_no), Some(code)) => {
                self.job_in_flight -= 1;
                self.progress.lines_acked += 1;
                self.progress.lines_failed += 1;
                // In alarm GRBL refuses every queued line with error:9; the alarm is the news.
                if !(self.alarm_locked && code == 9) {
                    out.events.push(StreamEvent::Error {
                        line_no,
                        code,
                        text: error_text(code),
                        source: entry.source,
                    });
                }
                if self.opts.halt_on_error {
                    self.halt(out);
                }
            }
            (Origin::Command(id), None) => {
                out.events.push(StreamEvent::CommandAcked { id });
                match entry.after_ack {
                    AfterAck::Unlocks => self.alarm_locked = false,
                    AfterAck::Resets => {
                        self.banner_deadline = Some(now.saturating_add(self.opts.reset_timeout))
                    }
                    AfterAck::MayReset if self.reset_expected => {
                        self.banner_deadline = Some(now.saturating_add(self.opts.reset_timeout));
                    }
                    AfterAck::MayReset | AfterAck::Nothing => {}
                }
                self.reset_expected = false;
            }
            (Origin::Command(id), Some(code)) => out.events.push(StreamEvent::CommandError {
                id,
                code,
                text: error_text(code),
            }),
        }
    }

    /// Stops feeding the job and holds the machine (once).
    pub(super) fn halt(&mut self, out: &mut Output) {
        if let Some(job) = &mut self.job
            && job.status != JobStatus::Halted
        {
            job.status = JobStatus::Halted;
            out.bytes.push(FEED_HOLD);
        }
    }

    fn on_status(&mut self, r: &StatusReport, now: Duration, out: &mut Output) {
        self.alarm_locked = r.state == State::Alarm;
        if let Some(n) = r.line_number {
            self.progress.executing_line_number = Some(n);
        }
        let acked = self.progress.lines_acked;
        let estimate = if r.state == State::Idle && self.job_in_flight == 0 {
            acked
        } else if let Some(bf) = r.buffer {
            let used = self.planner_blocks.saturating_sub(bf.planner_blocks_free);
            acked.saturating_sub(u64::from(used))
        } else {
            self.progress.lines_executed
        };
        self.progress.lines_executed = estimate.max(self.progress.lines_executed).min(acked);
        if self.opts.auto_rx_buffer
            && r.state == State::Idle
            && self.fifo.is_empty()
            && let Some(bf) = r.buffer
            && bf.rx_bytes_free as usize > self.rx_bytes
        {
            self.set_rx(bf.rx_bytes_free as usize, out);
        }
        if self.stop_deadline.is_some() {
            if safe_to_reset(&r.state) {
                self.reset(now, true, out);
            } else {
                // Not there yet (or a report from before the hold): ask again, at a bounded
                // rate so a fast link isn't flooded with `?` while the head decelerates.
                self.query_while_stopping(now, out);
            }
        }
    }

    fn query_while_stopping(&mut self, now: Duration, out: &mut Output) {
        if now >= self.stop_queried_at.saturating_add(STOP_QUERY_INTERVAL)
            && !out.bytes.contains(&STATUS_REPORT)
        {
            out.bytes.push(STATUS_REPORT);
            self.stop_queried_at = now;
        }
    }

    fn on_banner(&mut self, out: &mut Output) {
        let expected = self.banner_deadline.take().is_some();
        let was_active = self.job.is_some() || !self.fifo.is_empty();
        let was_stopping = self.stop_deadline.take().is_some();
        // After a reset we caused, commands not yet sent may still go; after a surprise
        // reset nothing queued before it should run.
        self.flush(out, !expected);
        // A lasting alarm is announced again by the [MSG:] that follows the banner.
        self.alarm_locked = false;
        self.reset_expected = false;
        if self.job.take().is_some() || (!expected && was_active) || was_stopping {
            let reason = if was_stopping {
                StopReason::User
            } else {
                StopReason::ControllerReset
            };
            out.events.push(StreamEvent::Stopped { reason });
        }
    }

    /// Sends 0x18 and forgets everything in flight. `announce`: always report `Stopped`.
    fn reset(&mut self, now: Duration, announce: bool, out: &mut Output) {
        out.bytes.push(SOFT_RESET);
        let was_active = self.job.take().is_some() || !self.fifo.is_empty();
        self.flush(out, true);
        self.stop_deadline = None;
        self.reset_expected = false;
        self.banner_deadline = Some(now.saturating_add(self.opts.reset_timeout));
        if announce || was_active {
            out.events.push(StreamEvent::Stopped {
                reason: StopReason::User,
            });
        }
    }

    /// GRBL dropped everything it had received: no responses will come for it.
    /// `queued_too`: also drop commands not yet sent.
    fn flush(&mut self, out: &mut Output, queued_too: bool) {
        let keep = if queued_too { 0 } else { self.commands.len() };
        let flushed = self.fifo.drain(..).map(|e| e.origin);
        let queued = self.commands.drain(keep..).map(|c| c.origin);
        for origin in flushed.chain(queued) {
            if let Origin::Command(id) = origin {
                out.events.push(StreamEvent::CommandFlushed { id });
            }
        }
        self.in_flight_bytes = 0;
        self.job_in_flight = 0;
        self.sync_in_flight = 0;
    }
}

/// True if a soft reset now cannot cost the machine position: the hold has completed, or
/// the state is one a feed hold does not move out of. `Idle` is not enough: after `!` an idle
/// GRBL reports `Hold:0`, so an `Idle` report was produced before the hold was seen, and
/// queued lines could still start moving.
fn safe_to_reset(state: &State) -> bool {
    matches!(
        state,
        State::Hold(0) | State::Alarm | State::Check | State::Door(0 | 1) | State::Sleep
    )
}
