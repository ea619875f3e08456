//! `burin console`: talk to GRBL line by line; replies are shown with their meaning.
//!
//! Reads standard input line by line (a terminal or a pipe). `?`, `!` and `~` typed alone are
//! sent as realtime bytes; `ctrl-x` or `reset` sends a soft reset (0x18); everything else
//! (G-code, `$` commands, `$J=` jogs) is sent as a line. Ends at end of input once every line
//! was answered. Exit codes: 0 normal end; 3 the port could not be opened, the controller did
//! not answer, or the link was lost.

use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::mpsc::{self, TryRecvError};
use std::time::Duration;

use burin_grbl::StreamEvent;
use burin_grbl::realtime::{CYCLE_START, FEED_HOLD, SOFT_RESET, STATUS_REPORT};
use burin_link::{Connection, Session, SessionEvent, SessionOptions, describe};

use super::send::{EXIT_DONE, EXIT_LINK};

/// Talk to a GRBL machine line by line.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Type G-code or $ commands. `?`, `!` and `~` alone are sent as \
    realtime bytes (status, feed hold, resume); `ctrl-x` or `reset` sends a soft reset. \
    Exit codes: 0 normal end of input; 3 port error or link lost."
)]
pub struct ConsoleArgs {
    /// Serial port path (see `burin ports`), or `sim` for the built-in simulated machine.
    #[arg(long)]
    pub port: String,
    /// Baud rate (GRBL 1.1 uses 115200).
    #[arg(long, default_value_t = burin_link::DEFAULT_BAUD)]
    pub baud: u32,
    /// With --port sim: run the simulator's clock this many times faster than real time
    /// (a test and demo aid).
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    pub sim_speed: f64,
}

/// What a typed line means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Nothing to send.
    Empty,
    /// A realtime byte.
    Realtime(u8),
    /// Soft reset.
    Reset,
    /// A line for GRBL.
    Line(String),
}

/// Reads one typed line.
pub fn parse_input(typed: &str) -> Input {
    let t = typed.trim();
    match t {
        "" => Input::Empty,
        "?" => Input::Realtime(STATUS_REPORT),
        "!" => Input::Realtime(FEED_HOLD),
        "~" => Input::Realtime(CYCLE_START),
        _ if t.eq_ignore_ascii_case("ctrl-x") || t.eq_ignore_ascii_case("reset") => Input::Reset,
        _ => Input::Line(t.to_string()),
    }
}

/// After the input ends: wait this long at most for outstanding answers and queued lines
/// (a line sent while the machine is held is not answered until it resumes).
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// ... and this long after the last answer for stray reports (a `?` reply, an alarm).
const LINGER: Duration = Duration::from_millis(300);

pub fn run(args: ConsoleArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.sim_speed.is_finite() && args.sim_speed > 0.0,
        "--sim-speed must be a positive number"
    );
    let (link, _sim) = match burin_link::open(&args.port, args.baud, args.sim_speed) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("burin: {e}");
            return Ok(ExitCode::from(EXIT_LINK));
        }
    };
    let mut opts = SessionOptions::default();
    // The user asks for status with `?`; automatic polls would flood the screen.
    opts.streamer.status_interval = None;
    let mut session = Session::new(link, opts);
    if let Err(e) = session.connect() {
        eprintln!("burin: {e}");
        return Ok(ExitCode::from(EXIT_LINK));
    }
    let m = session.machine();
    println!(
        "Connected to GRBL {} on {}; laser mode {}.",
        m.firmware.version.as_deref().unwrap_or("?"),
        args.port,
        match m.laser_mode() {
            Some(true) => "on ($32=1)",
            Some(false) => "OFF ($32=0)",
            None => "unknown",
        }
    );
    if m.alarm_locked {
        println!("The machine is in alarm: home with $H or unlock with $X.");
    }

    // From a pipe, echo what is sent so the replies can be matched to it.
    let echo = !std::io::stdin().is_terminal();
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    let mut print = |ev: &SessionEvent| match ev {
        SessionEvent::Received { raw, message } => println!("{}", describe(raw, message)),
        SessionEvent::Stream(StreamEvent::CommandFlushed { .. }) => {
            println!("(a line was flushed by the reset before it was answered)");
        }
        SessionEvent::Stream(_) => {}
    };
    // Typed input is handled in order: a line waits until the one before it was answered (as
    // a person typing would); realtime bytes go out as soon as they are reached, so `!`, `~`
    // and a reset are never stuck behind a line the machine is not answering.
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut input_open = true;
    let mut drain_deadline = None;
    let mut quiet_since: Option<Duration> = None;
    loop {
        let now = session.connection().now();
        if let Err(e) = session.pump(now + Duration::from_millis(20), &mut print) {
            eprintln!("burin: {e}");
            return Ok(ExitCode::from(EXIT_LINK));
        }
        while input_open {
            match rx.try_recv() {
                Ok(typed) => queue.push_back(typed),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => input_open = false,
            }
        }
        while let Some(typed) = queue.front() {
            let input = parse_input(typed);
            let ready = session.is_quiet() && !session.streamer().is_waiting_for_reset();
            if matches!(input, Input::Line(_)) && !ready {
                break;
            }
            if echo && input != Input::Empty {
                println!("> {}", typed.trim());
            }
            queue.pop_front();
            quiet_since = None;
            let result = match input {
                Input::Empty => Ok(()),
                Input::Realtime(b) => session.realtime(b),
                Input::Reset => session.realtime(SOFT_RESET),
                Input::Line(l) => session.send_line(&l).map(|_| ()),
            };
            match result {
                Ok(()) => {}
                Err(burin_link::SessionError::Lost(l)) => {
                    eprintln!("burin: link lost: {l}");
                    return Ok(ExitCode::from(EXIT_LINK));
                }
                Err(e) => println!("not sent: {e}"),
            }
        }
        if !input_open {
            let now = session.connection().now();
            let deadline = *drain_deadline.get_or_insert(now + DRAIN_TIMEOUT);
            if queue.is_empty() && session.is_quiet() && !session.streamer().is_waiting_for_reset()
            {
                let since = *quiet_since.get_or_insert(now);
                if now >= since + LINGER {
                    break;
                }
            } else {
                quiet_since = None;
            }
            if now >= deadline {
                eprintln!("burin: gave up waiting for the last answers");
                break;
            }
        }
    }
    Ok(ExitCode::from(EXIT_DONE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lines_map_to_realtime_reset_or_lines() {
        assert_eq!(parse_input("?"), Input::Realtime(b'?'));
        assert_eq!(parse_input(" ! "), Input::Realtime(b'!'));
        assert_eq!(parse_input("~"), Input::Realtime(b'~'));
        assert_eq!(parse_input("ctrl-x"), Input::Reset);
        assert_eq!(parse_input("RESET"), Input::Reset);
        assert_eq!(parse_input("   "), Input::Empty);
        assert_eq!(
            parse_input("$J=G91 X10 F1000"),
            Input::Line("$J=G91 X10 F1000".into())
        );
        assert_eq!(parse_input("G0 X1 ?"), Input::Line("G0 X1 ?".into()));
    }
}
