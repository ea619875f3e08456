//! Streams G-code to GRBL without overflowing its receive buffer. Sans-IO: every method takes
//! what happened (a parsed line, the time) and returns what to write plus what to tell the
//! user, as an [`Output`].
//!
//! Character counting: a FIFO holds the length of every line sent and not yet answered; a
//! line goes out only if the sum plus its own length fits the controller's receive buffer.
//! Each `ok`/`error:N` pops the oldest entry. Lines that write EEPROM go out alone
//! (send-response), as GRBL's serial interrupts stop during the write.
//!
//! The job is pulled from an iterator one line at a time, so memory does not grow with the
//! job: a million-line raster needs no more than a short one.

mod core;
mod feed;
mod line;

use std::time::Duration;

use thiserror::Error;

pub use self::core::Streamer;
pub use line::{LineError, MAX_LINE_CHARS, PreparedLine, is_sync_command, prepare_line};

use crate::poller::DEFAULT_STATUS_INTERVAL;

/// How lines are paced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StreamMode {
    /// Fill the receive buffer (the fast, recommended way).
    #[default]
    CharacterCounting,
    /// One line in flight at a time (slow; the reference to compare against).
    SendResponse,
}

/// Streamer settings.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamerOptions {
    /// Controller receive buffer, bytes. Default 128 (GRBL on an ATmega328p).
    pub rx_buffer_bytes: usize,
    /// Bytes of the receive buffer left unused as a safety margin. Default 0.
    pub rx_margin_bytes: usize,
    /// Adopt the buffer size the controller reports: `[OPT:...,rx]` sets it, and a `Bf:`
    /// report showing more free bytes while idle with nothing in flight raises it. Default true.
    pub auto_rx_buffer: bool,
    /// Upper bound for an auto-detected buffer size, bytes. Default 16384.
    pub max_rx_buffer_bytes: usize,
    /// Pacing. Default [`StreamMode::CharacterCounting`].
    pub mode: StreamMode,
    /// Drop G-code comments before sending (GRBL ignores them; they cost buffer bytes).
    /// Default true.
    pub strip_comments: bool,
    /// On `error:N` in a job: stop feeding and send feed hold. Turn off to list every error
    /// of a job streamed in check mode (`$C`). Default true.
    pub halt_on_error: bool,
    /// Status poll interval; `None` disables polling. Default 200 ms (5 Hz).
    pub status_interval: Option<Duration>,
    /// How long [`Streamer::stop`] waits for the hold to complete (`Hold:0`) before it sends
    /// the soft reset anyway. Default 1 s. A reset while still decelerating raises `ALARM:3`.
    pub stop_hold_timeout: Duration,
    /// After a soft reset, how long to wait for the banner before sending lines again.
    /// Default 2 s.
    pub reset_timeout: Duration,
}

impl Default for StreamerOptions {
    fn default() -> Self {
        Self {
            rx_buffer_bytes: 128,
            rx_margin_bytes: 0,
            auto_rx_buffer: true,
            max_rx_buffer_bytes: 16384,
            mode: StreamMode::CharacterCounting,
            strip_comments: true,
            halt_on_error: true,
            status_interval: Some(DEFAULT_STATUS_INTERVAL),
            stop_hold_timeout: Duration::from_secs(1),
            reset_timeout: Duration::from_secs(2),
        }
    }
}

/// Number of a job line: 1 for the first line the iterator yields.
pub type LineNo = u64;

/// Handle for a command sent with [`Streamer::send_command`].
pub type CommandId = u64;

/// Why a job or the streaming stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// [`Streamer::stop`] or [`Streamer::soft_reset`].
    User,
    /// `ALARM:N`: the controller is locked until `$X`/`$H`.
    Alarm(u16),
    /// The controller reset on its own (banner seen unexpectedly), e.g. a board reboot.
    ControllerReset,
}

/// Something the user (or the controller layer) should know.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// Job line `line_no` was written.
    Sent { line_no: LineNo },
    /// Job line `line_no` got its `ok`.
    Acked { line_no: LineNo },
    /// Job line `line_no` got `error:code`; GRBL threw it away.
    Error {
        line_no: LineNo,
        code: u16,
        /// Human text for `code`.
        text: &'static str,
        /// The line as the job gave it.
        source: String,
    },
    /// Job line `line_no` failed the pre-check and was not sent; the job halted.
    Rejected {
        line_no: LineNo,
        reason: LineError,
        source: String,
    },
    /// A command got its `ok`.
    CommandAcked { id: CommandId },
    /// A command got `error:code`.
    CommandError {
        id: CommandId,
        code: u16,
        text: &'static str,
    },
    /// A command was flushed by a reset before it was answered.
    CommandFlushed { id: CommandId },
    /// `ALARM:code`.
    Alarm { code: u16, text: &'static str },
    /// Every job line was acknowledged. The machine may still be moving: watch for `Idle`.
    Finished { lines: u64 },
    /// Feed hold sent.
    Paused,
    /// Cycle start sent.
    Resumed,
    /// The job (if any) ended early and the in-flight lines were dropped.
    Stopped { reason: StopReason },
    /// The receive buffer size in use changed (from `[OPT:]` or `Bf:`).
    RxBufferResized { bytes: usize },
}

/// What to do after a call: write `bytes` to the port, in order, and handle `events`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Output {
    pub bytes: Vec<u8>,
    pub events: Vec<StreamEvent>,
}

impl Output {
    /// Appends `other` after `self`.
    pub fn extend(&mut self, other: Output) {
        self.bytes.extend(other.bytes);
        self.events.extend(other.events);
    }
}

/// Where the current job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Feeding lines.
    Running,
    /// Paused by the user (feed hold); not feeding.
    Paused,
    /// Stopped feeding after an error or a rejected line (feed hold sent); `resume` continues
    /// with the next line, `stop` ends the job.
    Halted,
}

/// Job progress counters. Lines skipped because they were empty after cleaning count as
/// sent and acknowledged without events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Lines taken from the job iterator.
    pub lines_read: u64,
    /// Lines written.
    pub lines_sent: u64,
    /// Lines answered (`ok` or `error`).
    pub lines_acked: u64,
    /// Lines answered with `error:N`.
    pub lines_failed: u64,
    /// Estimate of lines fully executed: acknowledged minus the planner blocks still in use
    /// per `Bf:`, or all acknowledged lines once the machine reports Idle.
    pub lines_executed: u64,
    /// Last `Ln:` value (the `N` number being executed, line-number builds only).
    pub executing_line_number: Option<u32>,
    /// Responses that arrived with nothing in flight (lines sent around the streamer).
    pub unexpected_responses: u64,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StreamError {
    #[error("a job is already running")]
    JobActive,
    #[error("the controller is in alarm: unlock with $X (or home with $H) first")]
    AlarmLocked,
    #[error("a stop is in progress")]
    Stopping,
    #[error(transparent)]
    Line(#[from] LineError),
}
