//! Feeding lines: what may be sent now under character counting and send-response.

use std::fmt;
use std::time::Duration;

use super::core::Streamer;
use super::{
    CommandId, JobStatus, LineNo, Output, PreparedLine, StreamEvent, StreamMode, prepare_line,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    Job(LineNo),
    Command(CommandId),
}

/// What an `ok` for this line means beyond "accepted".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AfterAck {
    Nothing,
    /// `$X` / `$H`: the alarm lock is gone.
    Unlocks,
    /// `$RST=`: GRBL resets right after the `ok`.
    Resets,
    /// `$C`: resets after the `ok` if it left check mode (`[MSG:Disabled]`).
    MayReset,
}

#[derive(Debug)]
pub(super) struct InFlight {
    pub(super) len: usize,
    pub(super) origin: Origin,
    pub(super) source: String,
    pub(super) sync: bool,
    pub(super) after_ack: AfterAck,
}

#[derive(Debug)]
pub(super) struct PendingLine {
    pub(super) origin: Origin,
    pub(super) source: String,
    pub(super) prepared: PreparedLine,
}

pub(super) struct Job {
    pub(super) lines: Box<dyn Iterator<Item = String> + Send>,
    pub(super) next_line_no: LineNo,
    pub(super) peeked: Option<PendingLine>,
    pub(super) exhausted: bool,
    pub(super) status: JobStatus,
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job")
            .field("next_line_no", &self.next_line_no)
            .field("peeked", &self.peeked)
            .field("exhausted", &self.exhausted)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Streamer {
    pub(super) fn capacity(&self) -> usize {
        self.rx_bytes
            .saturating_sub(self.opts.rx_margin_bytes)
            .max(1)
    }

    /// Sends as many lines as the receive buffer and the pacing rules allow.
    pub(super) fn fill(&mut self, now: Duration, out: &mut Output) {
        if let Some(deadline) = self.banner_deadline {
            if now < deadline {
                return;
            }
            self.banner_deadline = None;
        }
        if self.stop_deadline.is_some() {
            return;
        }
        while self.sync_in_flight == 0 {
            let from_command = !self.commands.is_empty();
            if !from_command && !self.peek_job_line(out) {
                break;
            }
            let next = if from_command {
                self.commands.front()
            } else {
                self.job.as_ref().and_then(|j| j.peeked.as_ref())
            };
            let Some(next) = next else { break };
            let len = next.prepared.text.len() + 1;
            let alone = next.prepared.sync || self.opts.mode == StreamMode::SendResponse;
            if !self.fifo.is_empty() && (alone || self.in_flight_bytes + len > self.capacity()) {
                break;
            }
            let line = if from_command {
                self.commands.pop_front()
            } else {
                self.job.as_mut().and_then(|j| j.peeked.take())
            };
            if let Some(line) = line {
                self.send(line, out);
            }
        }
        self.check_finished(out);
    }

    /// Makes sure the job's next sendable line is peeked; false if there is none now.
    fn peek_job_line(&mut self, out: &mut Output) -> bool {
        let Some(job) = self.job.as_mut() else {
            return false;
        };
        if job.status != JobStatus::Running || self.alarm_locked {
            return false;
        }
        while job.peeked.is_none() {
            if job.exhausted {
                return false;
            }
            let Some(source) = job.lines.next() else {
                job.exhausted = true;
                return false;
            };
            let line_no = job.next_line_no;
            job.next_line_no += 1;
            self.progress.lines_read += 1;
            match prepare_line(&source, self.opts.strip_comments) {
                Ok(p) if p.text.is_empty() => {
                    // Nothing for GRBL to do; don't spend a round trip on it.
                    self.progress.lines_sent += 1;
                    self.progress.lines_acked += 1;
                }
                Ok(prepared) => {
                    job.peeked = Some(PendingLine {
                        origin: Origin::Job(line_no),
                        source,
                        prepared,
                    });
                }
                Err(reason) => {
                    out.events.push(StreamEvent::Rejected {
                        line_no,
                        reason,
                        source,
                    });
                    self.halt(out);
                    return false;
                }
            }
        }
        true
    }

    fn send(&mut self, line: PendingLine, out: &mut Output) {
        let PendingLine {
            origin,
            source,
            prepared,
        } = line;
        out.bytes.extend_from_slice(prepared.text.as_bytes());
        out.bytes.push(b'\n');
        let len = prepared.text.len() + 1;
        let after_ack = match prepared.filtered.as_str() {
            "$X" | "$H" => AfterAck::Unlocks,
            "$C" => AfterAck::MayReset,
            f if f.starts_with("$RST=") => AfterAck::Resets,
            _ => AfterAck::Nothing,
        };
        self.in_flight_bytes += len;
        if prepared.sync {
            self.sync_in_flight += 1;
        }
        if let Origin::Job(line_no) = origin {
            self.job_in_flight += 1;
            self.progress.lines_sent += 1;
            out.events.push(StreamEvent::Sent { line_no });
        }
        self.fifo.push_back(InFlight {
            len,
            origin,
            source,
            sync: prepared.sync,
            after_ack,
        });
    }

    pub(super) fn check_finished(&mut self, out: &mut Output) {
        let done = self.job.as_ref().is_some_and(|j| {
            j.status == JobStatus::Running
                && j.exhausted
                && j.peeked.is_none()
                && self.job_in_flight == 0
        });
        if done {
            self.job = None;
            out.events.push(StreamEvent::Finished {
                lines: self.progress.lines_read,
            });
        }
    }
}
