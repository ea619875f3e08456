//! `burin send`: check a G-code file, then stream it to a GRBL machine or the simulator.
//!
//! Exit codes: 0 the job finished; 1 the machine refused a line (`error:N`), raised an alarm,
//! reset on its own, or could not start the job (alarm lock); 2 usage, file, parse or preflight
//! error, or laser mode off and not enabled; 3 the port could not be opened, the controller did
//! not answer, or the link was lost; 130 interrupted (Ctrl-C: feed hold, then soft reset).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::Context;
use burin_gcode::{Check, MachineProfile, PreflightReport, parse_program, preflight, split_lines};
use burin_grbl::streamer::{Progress, StreamMode};
use burin_grbl::{MachineState, StreamEvent};
use burin_link::{
    Connection, JobControl, JobEnd, JobObserver, JobReport, Session, SessionEvent, SessionOptions,
    SimHandle,
};
use indicatif::{ProgressBar, ProgressStyle};

/// The job finished.
pub const EXIT_DONE: u8 = 0;
/// The machine refused a line, raised an alarm or reset; or the job could not start.
pub const EXIT_JOB: u8 = 1;
/// Usage, file, parse or preflight error; laser mode off.
pub const EXIT_USAGE: u8 = 2;
/// Port could not be opened, no answer, or link lost.
pub const EXIT_LINK: u8 = 3;
/// Interrupted with Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Stream a G-code file (checked first) to a GRBL machine.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 done; 1 the machine refused a line (error:N), \
    raised an alarm or reset; 2 usage, file or preflight error, or laser mode off; 3 port \
    error or link lost; 130 interrupted (Ctrl-C: feed hold, then soft reset, laser off)."
)]
pub struct SendArgs {
    /// The G-code file.
    pub file: PathBuf,
    /// Serial port path (see `burin ports`; any path works, e.g. a pty), or `sim` for the
    /// built-in simulated machine.
    #[arg(long)]
    pub port: String,
    /// Baud rate (GRBL 1.1 uses 115200).
    #[arg(long, default_value_t = burin_link::DEFAULT_BAUD)]
    pub baud: u32,
    /// If laser mode is off ($32=0), turn it on ($32=1, stored in the controller) without
    /// asking.
    #[arg(long)]
    pub set_laser_mode: bool,
    /// With --port sim: run the simulator's clock this many times faster than real time
    /// (a test and demo aid; the physics stay the same, only the clock runs faster).
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    pub sim_speed: f64,
    /// Pace lines with send-response (one at a time) instead of character counting. Slower;
    /// for troubleshooting only.
    #[arg(long)]
    pub send_response: bool,
}

pub fn run(args: SendArgs) -> anyhow::Result<ExitCode> {
    let src = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let program = parse_program(&src).with_context(|| format!("{}", args.file.display()))?;
    // Machine-independent findings first: a broken file is refused before any port is touched.
    let early = preflight(&program, &MachineProfile::default());
    if early.errors().any(|f| !machine_dependent(f.check)) {
        print_findings(&early);
        eprintln!(
            "burin: {}: refused by the preflight check",
            args.file.display()
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    anyhow::ensure!(
        args.sim_speed.is_finite() && args.sim_speed > 0.0,
        "--sim-speed must be a positive number"
    );
    let total_lines = split_lines(&src).count() as u64;

    let interrupts = Arc::new(AtomicU32::new(0));
    {
        let i = Arc::clone(&interrupts);
        // If a handler is already set (tests calling run twice), Ctrl-C keeps its default.
        let _ = ctrlc::set_handler(move || {
            i.fetch_add(1, Ordering::SeqCst);
        });
    }

    let (link, sim) = match burin_link::open(&args.port, args.baud, args.sim_speed) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("burin: {e}");
            return Ok(ExitCode::from(EXIT_LINK));
        }
    };
    let mut opts = SessionOptions::default();
    if args.send_response {
        opts.streamer.mode = StreamMode::SendResponse;
    }
    let mut session = Session::new(link, opts);
    if let Err(e) = session.connect() {
        eprintln!("burin: {e}");
        return Ok(ExitCode::from(EXIT_LINK));
    }
    let m = session.machine();
    println!(
        "Connected to {} on {} (receive buffer {} bytes).",
        firmware_name(m),
        args.port,
        session.streamer().rx_buffer_bytes()
    );
    if interrupts.load(Ordering::SeqCst) > 0 {
        eprintln!("burin: interrupted before the job started");
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }

    match ensure_laser_mode(&mut session, args.set_laser_mode) {
        Ok(true) => {}
        Ok(false) => return Ok(ExitCode::from(EXIT_USAGE)),
        Err(e) => {
            eprintln!("burin: {e}");
            return Ok(ExitCode::from(EXIT_LINK));
        }
    }

    let (profile, from_machine) = profile_from(session.machine());
    let area = profile.work_area();
    println!(
        "Work area {} x {} mm ({}).",
        area.x_max_mm - area.x_min_mm,
        area.y_max_mm - area.y_min_mm,
        if from_machine {
            "from the machine's $130/$131"
        } else {
            "default profile: the machine did not report $130/$131"
        }
    );
    let report = preflight(&program, &profile);
    print_findings(&report);
    if !report.is_ok() {
        eprintln!(
            "burin: {}: refused by the preflight check",
            args.file.display()
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    // Progress and remaining time come from the firmware model's time per line (the
    // estimate), re-projected from how fast the machine really goes, not from line counts.
    let mut done_s = Vec::with_capacity(program.len() + 1);
    done_s.push(0.0);
    for t in burin_gcode::line_times(&program, &profile) {
        let last = done_s.last().copied().unwrap_or(0.0);
        done_s.push(last + t);
    }
    drop(program);

    let total_s = done_s.last().copied().unwrap_or(0.0);
    let bar = progress_bar(total_s);
    let mut observer = SendObserver {
        bar: bar.clone(),
        interrupts: Arc::clone(&interrupts),
        stops_sent: 0,
        done_s,
        total_lines,
        started: std::time::Instant::now(),
    };
    let job = OwnedLines::new(src);
    let report = session.run_job(job, &mut observer);
    bar.finish_and_clear();
    let code = print_outcome(&report, session.connection().name());
    if let Some(sim) = sim {
        print_sim_summary(&sim);
    }
    Ok(ExitCode::from(code))
}

/// Findings that depend on the machine's settings, checked again once they are known.
fn machine_dependent(check: Check) -> bool {
    matches!(check, Check::WorkArea | Check::PowerAboveMax)
}

fn print_findings(report: &PreflightReport) {
    for f in &report.findings {
        eprintln!("{f}");
    }
}

fn firmware_name(m: &MachineState) -> String {
    match &m.firmware.version {
        Some(v) => format!("GRBL {v}"),
        None => "GRBL".into(),
    }
}

/// True if laser mode is on (or could not be read: then a warning). False: refused.
fn ensure_laser_mode<C: Connection>(
    session: &mut Session<C>,
    set: bool,
) -> Result<bool, burin_link::SessionError> {
    match session.machine().laser_mode() {
        Some(true) => Ok(true),
        None => {
            eprintln!("warning: could not read $32 (laser mode); make sure it is 1");
            Ok(true)
        }
        Some(false) => {
            eprintln!(
                "warning: laser mode is off ($32=0): the laser would stay on during G0 travel \
                 and pause at every power change."
            );
            let yes =
                set || (std::io::stdin().is_terminal() && ask("Turn laser mode on ($32=1) now?"));
            if !yes {
                eprintln!("burin: refused; re-run with --set-laser-mode to turn it on");
                return Ok(false);
            }
            session.set_laser_mode()?;
            let on = session.machine().laser_mode() == Some(true);
            if on {
                println!("Laser mode turned on ($32=1).");
            } else {
                eprintln!("burin: the controller did not keep $32=1");
            }
            Ok(on)
        }
    }
}

fn ask(question: &str) -> bool {
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}

/// The machine profile from `$$` (the work area from `$130`/`$131` when reported).
pub fn profile_from(m: &MachineState) -> (MachineProfile, bool) {
    burin_controller::machine::profile_from_settings(m, &MachineProfile::default())
}

/// A bar over the job's estimated time, in milliseconds.
fn progress_bar(total_s: f64) -> ProgressBar {
    let bar = ProgressBar::new((total_s * 1000.0).max(1.0) as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {percent}% {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

struct SendObserver {
    bar: ProgressBar,
    interrupts: Arc<AtomicU32>,
    stops_sent: u32,
    /// Estimated seconds when line i starts (index 0 = 0 s, last = the whole job).
    done_s: Vec<f64>,
    total_lines: u64,
    started: std::time::Instant,
}

impl SendObserver {
    /// Estimated seconds of the job done, from the lines GRBL has executed.
    fn done(&self, p: &Progress) -> f64 {
        let i = usize::try_from(p.lines_executed).unwrap_or(usize::MAX);
        self.done_s
            .get(i)
            .or(self.done_s.last())
            .copied()
            .unwrap_or(0.0)
    }

    /// Remaining wall time: the model's remaining seconds, scaled by how the real run has
    /// compared with the model so far (once there is enough of it to judge).
    fn remaining(&self, done: f64) -> f64 {
        let total = self.done_s.last().copied().unwrap_or(0.0);
        let left = (total - done).max(0.0);
        let elapsed = self.started.elapsed().as_secs_f64();
        if done > 5.0_f64.max(0.02 * total) {
            left * elapsed / done
        } else {
            left
        }
    }
}

impl JobObserver for SendObserver {
    fn on_event(&mut self, event: &SessionEvent, progress: &Progress, _m: &MachineState) {
        match event {
            SessionEvent::Stream(StreamEvent::Acked { .. }) => {
                let done = self.done(progress);
                self.bar.set_position((done * 1000.0) as u64);
                self.bar.set_message(format!(
                    "{}/{} lines, about {} left",
                    progress.lines_acked,
                    self.total_lines,
                    super::info::hms(self.remaining(done))
                ));
            }
            SessionEvent::Stream(StreamEvent::Error {
                line_no,
                code,
                text,
                source,
            }) => self
                .bar
                .println(format!("line {line_no}: `{source}`: error:{code} ({text})")),
            SessionEvent::Stream(StreamEvent::Alarm { code, text }) => {
                self.bar.println(format!("ALARM:{code} ({text})"));
            }
            _ => {}
        }
    }

    fn control(&mut self, _p: &Progress, _m: &MachineState, _now: Duration) -> Option<JobControl> {
        let n = self.interrupts.load(Ordering::SeqCst);
        if n > self.stops_sent {
            self.stops_sent = n;
            // First Ctrl-C: hold, then reset once stopped. Second: reset at once.
            return Some(if n == 1 {
                self.bar
                    .println("Interrupted: feed hold, then soft reset (laser off)...");
                JobControl::Stop
            } else {
                JobControl::Reset
            });
        }
        None
    }
}

fn last_line(r: &JobReport) -> String {
    match r.last_acked_line {
        Some(n) => format!("Last acknowledged line: {n}."),
        None => "No line was acknowledged.".into(),
    }
}

/// Prints how the job ended; returns the exit code.
fn print_outcome(r: &JobReport, port: &str) -> u8 {
    let secs = r.elapsed.as_secs_f64();
    match &r.end {
        JobEnd::Finished { lines } => {
            println!("Done: {lines} lines in {secs:.1} s.");
            EXIT_DONE
        }
        JobEnd::Error {
            line_no,
            code,
            text,
            source,
        } => {
            eprintln!(
                "burin: line {line_no} (`{source}`) was refused: error:{code} ({text}). The job \
                 was stopped: feed hold, then soft reset (laser off). {}",
                last_line(r)
            );
            EXIT_JOB
        }
        JobEnd::Rejected {
            line_no,
            reason,
            source,
        } => {
            eprintln!(
                "burin: line {line_no} (`{source}`) cannot be sent: {reason}. The job was \
                 stopped: feed hold, then soft reset (laser off). {}",
                last_line(r)
            );
            EXIT_JOB
        }
        JobEnd::Alarm { code, text } => {
            eprintln!(
                "burin: ALARM:{code} ({text}). GRBL stopped the machine and switched the laser \
                 off; unlock with $X or home with $H. {}",
                last_line(r)
            );
            EXIT_JOB
        }
        JobEnd::ControllerReset => {
            eprintln!(
                "burin: the controller reset itself during the job (power dip or reboot). {}",
                last_line(r)
            );
            EXIT_JOB
        }
        JobEnd::Stopped => {
            eprintln!(
                "burin: interrupted: feed hold, then soft reset (laser off). {}",
                last_line(r)
            );
            EXIT_INTERRUPTED
        }
        JobEnd::LinkLost(lost) => {
            eprintln!(
                "burin: link to {port} lost: {lost}. The controller may still be running the \
                 lines it had buffered: check the machine and switch the laser off. {}",
                last_line(r)
            );
            EXIT_LINK
        }
        JobEnd::NotStarted(e) => {
            eprintln!("burin: the job could not start: {e}");
            EXIT_JOB
        }
    }
}

fn print_sim_summary(sim: &SimHandle) {
    let g = sim.lock();
    let log = g.burn_log();
    println!(
        "Simulated machine: burned {:.1} mm, travelled {:.1} mm with the laser off, max power \
         S{:.0}, {:.1} s of motion; laser lit during rapids: {}.",
        log.burned_mm,
        log.travel_mm,
        log.max_power_s,
        g.motion_time_s(),
        if log.lit_during_rapid { "YES" } else { "no" }
    );
}

/// The file's lines, owned, for a job iterator (`Send + 'static`). Split like
/// [`split_lines`] so line numbers match the preflight's; `%` lines (program delimiters GRBL
/// answers with `error:1`) are sent as nothing.
struct OwnedLines {
    text: String,
    pos: usize,
}

impl OwnedLines {
    fn new(text: String) -> Self {
        Self { text, pos: 0 }
    }
}

impl Iterator for OwnedLines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        let rest = self.text.get(self.pos..)?;
        let line = split_lines(rest).next()?;
        let mut advance = line.len();
        let tail = &rest[advance..];
        advance += if tail.starts_with("\r\n") {
            2
        } else {
            usize::from(!tail.is_empty())
        };
        self.pos += advance;
        Some(if line.trim() == "%" {
            String::new()
        } else {
            line.to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_lines_split_like_the_parser() {
        let src = "G21\r\nG90\rG1 X1\n\n%\nM5";
        let owned: Vec<String> = OwnedLines::new(src.to_string()).collect();
        let split: Vec<&str> = split_lines(src).collect();
        assert_eq!(owned.len(), split.len());
        assert_eq!(owned, vec!["G21", "G90", "G1 X1", "", "", "M5"]);
    }

    #[test]
    fn profile_comes_from_settings() {
        let mut m = MachineState::default();
        m.settings.insert(130, "300.000".into());
        m.settings.insert(131, "180.000".into());
        m.settings.insert(30, "255".into());
        let (p, from_machine) = profile_from(&m);
        assert!(from_machine);
        assert_eq!(
            (p.travel_x_mm, p.travel_y_mm, p.s_max),
            (300.0, 180.0, 255.0)
        );
        let (d, from_machine) = profile_from(&MachineState::default());
        assert!(!from_machine);
        assert_eq!(d, MachineProfile::default());
    }
}
