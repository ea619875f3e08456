//! A headless session driver: connect, query, stream a job, pause/resume/stop, and end safely.
//!
//! It combines a [`Connection`] with the sans-IO pieces of `burin-grbl` (message parser,
//! [`MachineState`], [`Streamer`]). Blocking, single-threaded, and free of any terminal, so the
//! CLI, tests and a future UI worker can all drive it.

use std::time::Duration;

use burin_grbl::codes::{alarm_text, error_text};
use burin_grbl::streamer::{LineNo, StreamError};
use burin_grbl::{MachineState, Message, Output, StreamEvent, Streamer, StreamerOptions, parse};
use thiserror::Error;

use crate::connection::Connection;
use crate::error::LinkLost;

mod job;

pub use job::{JobControl, JobEnd, JobObserver, JobReport};

/// Session settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionOptions {
    /// How long [`Session::connect`] waits for the `Grbl ` banner after its soft reset.
    /// Default 5 s (an Arduino that reboots when the port opens takes 1-2 s).
    pub banner_timeout: Duration,
    /// Quiet time before the connect reset and after its banner, so a stray (power-up or
    /// reboot) banner cannot be mistaken for the reply to a command. Default 250 ms.
    pub banner_quiet: Duration,
    /// How long a command waits for its `ok`/`error`. Default 10 s (`$$` on a slow board,
    /// EEPROM writes).
    pub command_timeout: Duration,
    /// Longest single wait in the job loop; bounds how late a pause/stop request is seen.
    /// Default 20 ms.
    pub turn: Duration,
    /// Streamer settings. Default: [`StreamerOptions::default`] with a 5 s reset timeout
    /// (real boards may reboot on reset).
    pub streamer: StreamerOptions,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            banner_timeout: Duration::from_secs(5),
            banner_quiet: Duration::from_millis(250),
            command_timeout: Duration::from_secs(10),
            turn: Duration::from_millis(20),
            streamer: StreamerOptions {
                reset_timeout: Duration::from_secs(5),
                ..StreamerOptions::default()
            },
        }
    }
}

/// Something that happened during a session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionEvent {
    /// A line from the controller, raw and parsed.
    Received { raw: String, message: Message },
    /// News from the streamer.
    Stream(StreamEvent),
}

/// Reply to a command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommandReply {
    /// Non-response lines that arrived while waiting (e.g. `$n=v`, `[VER:]`, `[MSG:]`).
    pub lines: Vec<Message>,
}

/// Why a session step failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SessionError {
    #[error(
        "no GRBL banner from {name} within {:.1} s after a soft reset: is it a GRBL controller, \
         switched on, at the right baud rate (GRBL 1.1 uses 115200)?{}",
        waited.as_secs_f64(),
        heard_hint(heard)
    )]
    NoBanner {
        name: String,
        waited: Duration,
        /// The first lines heard instead, if any.
        heard: Vec<String>,
    },
    #[error("`{line}`: no reply within {:.1} s", waited.as_secs_f64())]
    Timeout { line: String, waited: Duration },
    #[error("`{line}`: error:{code} ({text})")]
    Command {
        line: String,
        code: u16,
        text: &'static str,
    },
    #[error("`{line}` was flushed by a controller reset before it was answered")]
    Flushed { line: String },
    #[error(transparent)]
    Lost(#[from] LinkLost),
    #[error(transparent)]
    Stream(#[from] StreamError),
}

fn heard_hint(heard: &[String]) -> String {
    if heard.is_empty() {
        " Nothing was received.".into()
    } else {
        format!(" Received instead: {}", heard.join(" | "))
    }
}

/// A driver over one connection.
#[derive(Debug)]
pub struct Session<C: Connection> {
    conn: C,
    streamer: Streamer,
    machine: MachineState,
    opts: SessionOptions,
    last_acked: Option<LineNo>,
    pending_commands: usize,
    max_in_flight_bytes: usize,
}

impl<C: Connection> Session<C> {
    /// A session over `conn`. Nothing is sent until [`Session::connect`] or another call.
    pub fn new(conn: C, opts: SessionOptions) -> Self {
        Self {
            streamer: Streamer::new(opts.streamer.clone()),
            conn,
            machine: MachineState::default(),
            opts,
            last_acked: None,
            pending_commands: 0,
            max_in_flight_bytes: 0,
        }
    }

    /// What is known about the machine.
    pub fn machine(&self) -> &MachineState {
        &self.machine
    }

    /// The streamer (read-only: counts, receive buffer size, job state).
    pub fn streamer(&self) -> &Streamer {
        &self.streamer
    }

    /// The connection.
    pub fn connection(&self) -> &C {
        &self.conn
    }

    /// The connection, mutably.
    pub fn connection_mut(&mut self) -> &mut C {
        &mut self.conn
    }

    /// Gives the connection back.
    pub fn into_connection(self) -> C {
        self.conn
    }

    /// The most bytes ever in flight (sent, not yet acknowledged) during this session.
    pub fn max_in_flight_bytes(&self) -> usize {
        self.max_in_flight_bytes
    }

    /// True when no command is waiting for its answer and no line is in flight.
    pub fn is_quiet(&self) -> bool {
        self.pending_commands == 0 && self.streamer.in_flight_lines() == 0
    }

    /// Soft reset, wait for the banner, then read `$I` (build options: buffer sizes) and `$$`
    /// (settings). Real GRBL prints no banner on open unless the board reboots, so the reset
    /// is what makes it talk.
    pub fn connect(&mut self) -> Result<(), SessionError> {
        self.connect_with(&mut |_| {})
    }

    /// [`Session::connect`], reporting every event to `sink`.
    pub fn connect_with(
        &mut self,
        sink: &mut dyn FnMut(&SessionEvent),
    ) -> Result<(), SessionError> {
        // Whatever is already on its way (a power-up banner, old replies) must not be taken for
        // the answer to what is sent next.
        let now = self.conn.now();
        self.pump(now + self.opts.banner_quiet, sink)?;
        let now = self.conn.now();
        let out = self.streamer.soft_reset(now);
        self.emit(out, sink)?;
        let deadline = now + self.opts.banner_timeout;
        let mut heard = Vec::new();
        let mut got_banner = false;
        while !got_banner {
            let now = self.conn.now();
            if now >= deadline {
                return Err(SessionError::NoBanner {
                    name: self.conn.name().to_string(),
                    waited: self.opts.banner_timeout,
                    heard,
                });
            }
            self.turn((now + self.opts.turn).min(deadline), &mut |ev| {
                if let SessionEvent::Received { raw, message } = ev {
                    if matches!(message, Message::Banner { .. }) {
                        got_banner = true;
                    } else if heard.len() < 5 && !matches!(message, Message::Status(_)) {
                        heard.push(raw.clone());
                    }
                }
                sink(ev);
            })?;
        }
        // A board that reboots when the port opens may print its boot banner after the one
        // the reset produced (or the other way round): wait until the banners stop, so no
        // command is flushed by a late one.
        let mut quiet_until = self.conn.now() + self.opts.banner_quiet;
        while self.conn.now() < quiet_until {
            let mut banner = false;
            let until = quiet_until;
            self.pump(until, &mut |ev| {
                if let SessionEvent::Received {
                    message: Message::Banner { .. },
                    ..
                } = ev
                {
                    banner = true;
                }
                sink(ev);
            })?;
            if banner {
                quiet_until = self.conn.now() + self.opts.banner_quiet;
            }
        }
        self.command_with("$I", sink)?;
        self.command_with("$$", sink)?;
        Ok(())
    }

    /// Sends one line and waits for its answer (send-response). A line flushed by a reset is
    /// sent again, twice at most (a board that reboots on open may print a second banner).
    pub fn command(&mut self, line: &str) -> Result<CommandReply, SessionError> {
        self.command_with(line, &mut |_| {})
    }

    /// [`Session::command`], reporting every event to `sink`.
    pub fn command_with(
        &mut self,
        line: &str,
        sink: &mut dyn FnMut(&SessionEvent),
    ) -> Result<CommandReply, SessionError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.command_once(line, sink) {
                Err(SessionError::Flushed { .. }) if attempts < 3 => continue,
                r => return r,
            }
        }
    }

    fn command_once(
        &mut self,
        line: &str,
        sink: &mut dyn FnMut(&SessionEvent),
    ) -> Result<CommandReply, SessionError> {
        let id = self.send_line(line)?;
        let now = self.conn.now();
        let out = self.streamer.poll(now);
        self.emit(out, sink)?;
        let deadline = now + self.opts.command_timeout;
        let mut reply = CommandReply::default();
        let mut result: Option<Result<(), SessionError>> = None;
        while result.is_none() {
            let now = self.conn.now();
            if now >= deadline {
                return Err(SessionError::Timeout {
                    line: line.to_string(),
                    waited: self.opts.command_timeout,
                });
            }
            self.turn((now + self.opts.turn).min(deadline), &mut |ev| {
                match ev {
                    SessionEvent::Stream(StreamEvent::CommandAcked { id: i }) if *i == id => {
                        result = Some(Ok(()));
                    }
                    SessionEvent::Stream(StreamEvent::CommandError { id: i, code, text })
                        if *i == id =>
                    {
                        result = Some(Err(SessionError::Command {
                            line: line.to_string(),
                            code: *code,
                            text,
                        }));
                    }
                    SessionEvent::Stream(StreamEvent::CommandFlushed { id: i }) if *i == id => {
                        result = Some(Err(SessionError::Flushed {
                            line: line.to_string(),
                        }));
                    }
                    SessionEvent::Received { message, .. }
                        if !message.is_response() && !matches!(message, Message::Status(_)) =>
                    {
                        reply.lines.push(message.clone());
                    }
                    _ => {}
                }
                sink(ev);
            })?;
        }
        result.unwrap_or(Ok(())).map(|()| reply)
    }

    /// Turns laser mode on (`$32=1`, an EEPROM write, sent alone) and reads the settings back.
    pub fn set_laser_mode(&mut self) -> Result<(), SessionError> {
        self.command("$32=1")?;
        self.command("$$")?;
        Ok(())
    }

    /// Queues a line (command, jog, MDI) without waiting; its answer arrives through
    /// [`Session::pump`].
    pub fn send_line(&mut self, line: &str) -> Result<u64, SessionError> {
        let id = self.streamer.send_command(line)?;
        self.pending_commands += 1;
        Ok(id)
    }

    /// Sends a realtime byte now (soft reset, hold and resume go through the streamer so its
    /// count stays right).
    pub fn realtime(&mut self, byte: u8) -> Result<(), SessionError> {
        let now = self.conn.now();
        let out = self.streamer.realtime(byte, now);
        self.emit(out, &mut |_| {})?;
        Ok(())
    }

    /// Processes traffic until `until` (connection clock), reporting every event to `sink`.
    pub fn pump(
        &mut self,
        until: Duration,
        sink: &mut dyn FnMut(&SessionEvent),
    ) -> Result<(), SessionError> {
        loop {
            let now = self.conn.now();
            if now >= until {
                return Ok(());
            }
            self.turn(until.min(now + self.opts.turn), sink)?;
        }
    }

    /// Writes an output and reports its events.
    fn emit(&mut self, out: Output, sink: &mut dyn FnMut(&SessionEvent)) -> Result<(), LinkLost> {
        if !out.bytes.is_empty() {
            self.conn.write(&out.bytes)?;
        }
        self.max_in_flight_bytes = self
            .max_in_flight_bytes
            .max(self.streamer.in_flight_bytes());
        for ev in out.events {
            match &ev {
                StreamEvent::Acked { line_no } | StreamEvent::Error { line_no, .. } => {
                    self.last_acked = Some(self.last_acked.map_or(*line_no, |l| l.max(*line_no)));
                }
                StreamEvent::CommandAcked { .. }
                | StreamEvent::CommandError { .. }
                | StreamEvent::CommandFlushed { .. } => {
                    self.pending_commands = self.pending_commands.saturating_sub(1);
                }
                _ => {}
            }
            sink(&SessionEvent::Stream(ev));
        }
        Ok(())
    }

    /// One turn: time-driven streamer work, then at most one line from the controller
    /// (waiting until `until` at most, or earlier if the streamer has a deadline).
    fn turn(
        &mut self,
        until: Duration,
        sink: &mut dyn FnMut(&SessionEvent),
    ) -> Result<(), LinkLost> {
        let now = self.conn.now();
        let out = self.streamer.poll(now);
        self.emit(out, sink)?;
        let deadline = self
            .streamer
            .next_deadline()
            .map_or(until, |d| d.max(now).min(until));
        let Some(raw) = self.conn.next_line(deadline)? else {
            return Ok(());
        };
        let message = parse(&raw);
        self.machine.apply(&message);
        let now = self.conn.now();
        let out = self.streamer.on_message(&message, now);
        sink(&SessionEvent::Received {
            raw: String::from_utf8_lossy(&raw).into_owned(),
            message,
        });
        self.emit(out, sink)
    }
}

/// A line from GRBL in words: `error:N` and `ALARM:N` get their meaning appended; everything
/// else is shown as received.
pub fn describe(raw: &str, message: &Message) -> String {
    match message {
        Message::Error(code) => format!("{raw}  ({})", error_text(*code)),
        Message::Alarm(code) => format!("{raw}  ({})", alarm_text(*code)),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burin_grbl::parse_str;

    #[test]
    fn describe_translates_errors_and_alarms() {
        let e = describe("error:20", &parse_str("error:20"));
        assert!(
            e.starts_with("error:20") && e.contains(error_text(20)),
            "{e}"
        );
        assert!(error_text(20).to_lowercase().contains("unsupported"));
        let a = describe("ALARM:3", &parse_str("ALARM:3"));
        assert!(a.contains(alarm_text(3)), "{a}");
        assert_eq!(describe("ok", &parse_str("ok")), "ok");
    }
}
