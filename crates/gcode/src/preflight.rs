//! Safety and validity checks of any parsed program against a [`MachineProfile`], before a
//! single byte is streamed.
//!
//! Works on programs from any tool, not only Burin's. Which lines GRBL refuses, and where each
//! line moves the head (arcs as the chords GRBL cuts them into at `$12`), come from the firmware
//! model ([`crate::motion`]); Burin's own rules look at what the program itself set
//! ([`crate::audit`]). Assumptions (shared with [`stats()`](crate::stats()) and the estimate):
//! GRBL is in laser mode (`$32=1`); the head starts at the work origin; the work area is given in
//! work coordinates ([`MachineProfile::work_area`]), i.e. no job offset is applied here. Only X
//! and Y are checked against the work area.

use std::fmt;

use serde::Serialize;

use crate::ast::{FmtNum, Line, LineKind, Program};
use crate::audit::{ModalAudit, MotionMode, Note, Spindle};
use crate::codes::check_words;
use crate::motion::{Firmware, Segment};
use crate::profile::MachineProfile;

/// How bad a finding is: errors refuse the job, warnings are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Warning,
    Error,
}

/// Which rule a finding comes from (stable, for tests and UI filtering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Check {
    /// `G21` not set before the first motion (error), or inches used (warning).
    Units,
    /// Neither `G90` nor `G91` set before the first motion.
    DistanceMode,
    /// An `S > 0` word on a `G0` line.
    PowerOnRapid,
    /// A powered `G1`/`G2`/`G3` with no `M3`/`M4` before it (error) or after `M5` (warning).
    LaserMode,
    /// The program ends with `M3`/`M4` still active.
    LaserOnAtEnd,
    /// A motion leaves the work area.
    WorkArea,
    /// `S` above the machine's `$30`.
    PowerAboveMax,
    /// Feed motion without a non-zero feed (GRBL `error:22`).
    FeedNotSet,
    /// More than 79 characters after GRBL's pre-filter (`error:11`).
    LineTooLong,
    /// `?`, `!`, `~`, Ctrl-X or a non-ASCII byte in a comment or `$` line: GRBL acts on them
    /// as realtime commands wherever they appear.
    RealtimeByte,
    /// Anything else GRBL 1.1 would refuse with `error:N` (unsupported code or letter, modal
    /// group conflict, repeated word, negative value, bad arc, missing `P`...).
    GrblError,
    /// Lines Burin cannot fully check or that behave surprisingly (`%`, `$` commands, block
    /// delete, `G28`/`G30`/`G53`/`G92`, probing, implicit motion mode).
    Unchecked,
}

/// One problem, on a 1-based line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub check: Check,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{sev}: line {}: {}", self.line, self.message)
    }
}

/// All findings, in the order found (aggregated ones at the end).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PreflightReport {
    pub findings: Vec<Finding>,
}

impl PreflightReport {
    /// True if nothing stops the job (warnings allowed).
    pub fn is_ok(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    /// The findings of one rule.
    pub fn of(&self, check: Check) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.check == check)
    }
}

impl fmt::Display for PreflightReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}

/// Per-line findings of one rule beyond this many are summarised in one extra finding.
const MAX_PER_CHECK: usize = 20;

/// Chars GRBL keeps of a line in its 80-byte line buffer.
const GRBL_LINE_MAX: usize = 79;

/// Runs every check over `program`.
pub fn preflight(program: &Program, profile: &MachineProfile) -> PreflightReport {
    let mut run = Run::new(profile);
    for (line, text) in program.lines().zip(program.line_texts()) {
        run.line(&line, text);
    }
    run.finish()
}

/// Worst excursion past one side of the work area.
#[derive(Default, Clone, Copy)]
struct Overshoot {
    first_line: usize,
    worst_mm: f64,
    worst_line: usize,
    lines: usize,
    last_line: usize,
}

struct Run<'a> {
    profile: &'a MachineProfile,
    /// What the program itself set (units, distances, laser...).
    audit: ModalAudit,
    /// The firmware's own parser: the authority on what GRBL refuses and where the head goes.
    firmware: Firmware,
    /// GRBL errors Burin's own rules expect on the current line: (code, message).
    pending: Vec<(u8, String)>,

    findings: Vec<Finding>,
    counts: Vec<(Check, usize)>,
    /// The current line's moves and notes (buffers reused from line to line).
    segments: Vec<Segment>,
    notes: Vec<Note>,
    seen_motion: bool,
    reported_laser_mode: bool,
    reported_laser_off: bool,
    /// X min, X max, Y min, Y max.
    over: [Overshoot; 4],
}

impl<'a> Run<'a> {
    fn new(profile: &'a MachineProfile) -> Self {
        Self {
            profile,
            audit: ModalAudit::default(),
            firmware: Firmware::new(profile),
            pending: Vec::new(),

            findings: Vec::new(),
            counts: Vec::new(),
            segments: Vec::new(),
            notes: Vec::new(),
            seen_motion: false,
            reported_laser_mode: false,
            reported_laser_off: false,
            over: [Overshoot::default(); 4],
        }
    }

    fn push(&mut self, severity: Severity, check: Check, line: usize, message: String) {
        let count = match self.counts.iter_mut().find(|(c, _)| *c == check) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.counts.push((check, 1));
                1
            }
        };
        if count <= MAX_PER_CHECK {
            self.findings.push(Finding {
                severity,
                check,
                line,
                message,
            });
        }
    }

    /// `text`: the line as stored (canonical), what GRBL will receive.
    fn line(&mut self, line: &Line, text: &str) {
        let n = line.number;
        self.text_checks(line);

        // What Burin's own word rules say GRBL refuses; the firmware model decides.
        self.pending.clear();
        if let LineKind::Words(words) = &line.kind {
            for e in check_words(words) {
                self.pending.push((e.grbl_error, e.message));
            }
        }
        self.segments.clear();
        let refused = match self.firmware.line(text, &mut self.segments) {
            // `%` and `$` lines get their own warnings, not GRBL's answer.
            Err(code) if matches!(line.kind, LineKind::Words(_)) => Some(code),
            _ => None,
        };

        self.notes.clear();
        if refused.is_some() {
            // GRBL answers error and changes nothing: the audit runs on a copy, only for its
            // warnings about the line.
            let mut copy = self.audit;
            copy.step(line, &mut self.notes);
        } else {
            self.audit.step(line, &mut self.notes);
        }
        let notes = std::mem::take(&mut self.notes);
        for &note in &notes {
            self.note(n, note);
        }
        self.notes = notes;
        if let Some(code) = refused {
            // Burin's wording where its word rules say more than GRBL's table.
            let message = match self.pending.iter().position(|(c, _)| *c == code) {
                Some(i) => self.pending.swap_remove(i).1,
                None => format!(
                    "GRBL refuses this line with error:{code}: {}",
                    burin_grbl::codes::error_text(u16::from(code))
                ),
            };
            let check = if code == 22 {
                Check::FeedNotSet
            } else {
                Check::GrblError
            };
            self.push(Severity::Error, check, n, message);
            return;
        }

        // S > 0 on a G0 line: explicit G0, or axis words under a (possibly default) G0 mode.
        let s_word = line.get('S');
        if let Some(s) = s_word {
            let rapid_mode = matches!(self.audit.motion, None | Some(MotionMode::Rapid));
            if s > 0.0 && (line.has_g(0.0) || (line.has_axis_words() && rapid_mode)) {
                self.push(
                    Severity::Error,
                    Check::PowerOnRapid,
                    n,
                    format!("S{} on a G0 line: rapids must carry no power", FmtNum(s)),
                );
            }
            if s > self.profile.s_max {
                self.push(
                    Severity::Error,
                    Check::PowerAboveMax,
                    n,
                    format!(
                        "S{} is above the machine's maximum S{} ($30)",
                        FmtNum(s),
                        FmtNum(self.profile.s_max)
                    ),
                );
            }
        }

        let segments = std::mem::take(&mut self.segments);
        for seg in &segments {
            if !self.seen_motion {
                self.seen_motion = true;
                self.first_motion(n);
            }
            if !seg.rapid && seg.s > 0.0 {
                match self.audit.spindle {
                    None if !self.reported_laser_mode => {
                        self.reported_laser_mode = true;
                        self.push(
                            Severity::Error,
                            Check::LaserMode,
                            n,
                            "powered move before any M3/M4 sets the laser mode".into(),
                        );
                    }
                    Some(Spindle::Off) if !self.reported_laser_off => {
                        self.reported_laser_off = true;
                        self.push(
                            Severity::Warning,
                            Check::LaserMode,
                            n,
                            "cutting move with S > 0 while the laser is off (M5)".into(),
                        );
                    }
                    _ => {}
                }
            }
            let (lo, hi) = seg.extents_mm();
            self.bounds(n, lo, hi);
        }
        self.segments = segments;
    }

    fn text_checks(&mut self, line: &Line) {
        let n = line.number;
        let len = line.filtered_len();
        if len > GRBL_LINE_MAX {
            self.push(
                Severity::Error,
                Check::LineTooLong,
                n,
                format!(
                    "{len} characters after GRBL's filter; at most {GRBL_LINE_MAX} fit (error:11)"
                ),
            );
        }
        let mut texts: Vec<&str> = Vec::new();
        if let Some(c) = &line.comment {
            texts.push(c);
        }
        if let LineKind::System(s) = &line.kind {
            texts.push(s);
        }
        for t in texts {
            if let Some(c) = t
                .chars()
                .find(|c| matches!(c, '?' | '!' | '~' | '\x18') || !c.is_ascii())
            {
                self.push(
                    Severity::Error,
                    Check::RealtimeByte,
                    n,
                    format!(
                        "'{}' would reach GRBL as a realtime command (status, hold, resume, \
                         reset or override); remove it",
                        c.escape_default()
                    ),
                );
            }
        }
        if line.block_delete {
            self.push(
                Severity::Warning,
                Check::Unchecked,
                n,
                "GRBL 1.1 ignores block delete '/': this line runs".into(),
            );
        }
        match &line.kind {
            LineKind::Percent => self.push(
                Severity::Warning,
                Check::Unchecked,
                n,
                "'%' is answered with error:1 by GRBL; skip it when streaming".into(),
            ),
            LineKind::System(s) if s.starts_with("$J=") => self.push(
                Severity::Warning,
                Check::Unchecked,
                n,
                format!("jog {s} is not checked against the work area"),
            ),
            LineKind::System(s) if s.contains('=') => self.push(
                Severity::Warning,
                Check::Unchecked,
                n,
                format!("{s} writes GRBL's EEPROM: send it alone and wait for its ok"),
            ),
            _ => {}
        }
    }

    fn first_motion(&mut self, n: usize) {
        match self.audit.inches {
            None => self.push(
                Severity::Error,
                Check::Units,
                n,
                "first motion before G21 sets millimetres".into(),
            ),
            Some(true) => self.push(
                Severity::Warning,
                Check::Units,
                n,
                "program is in inches (G20)".into(),
            ),
            Some(false) => {}
        }
        if self.audit.relative.is_none() {
            self.push(
                Severity::Error,
                Check::DistanceMode,
                n,
                "first motion before G90 sets absolute distances".into(),
            );
        }
    }

    /// Warnings about lines GRBL accepts; GRBL's refusals come from the firmware model.
    fn note(&mut self, n: usize, note: Note) {
        let msg = match note {
            Note::ImplicitMotion => {
                "axis words before any G0/G1: GRBL uses whatever motion mode is active \
                 (checked as G0)"
            }
            Note::StoredPosition => {
                "G28/G30 go to a stored position Burin cannot see (checked as the origin)"
            }
            Note::MachineCoordinates => "G53 machine coordinates are checked as work coordinates",
            Note::OffsetChange => "coordinate offsets change here (G92/G10/G28.1/G30.1)",
            Note::Probe => "probing move (G38.x)",
        };
        self.push(Severity::Warning, Check::Unchecked, n, msg.into());
    }

    fn bounds(&mut self, n: usize, lo: [f64; 3], hi: [f64; 3]) {
        let a = self.profile.work_area();
        let past = [
            a.x_min_mm - lo[0],
            hi[0] - a.x_max_mm,
            a.y_min_mm - lo[1],
            hi[1] - a.y_max_mm,
        ];
        for (o, d) in self.over.iter_mut().zip(past) {
            if d > 1e-6 {
                if o.lines == 0 {
                    o.first_line = n;
                }
                if d > o.worst_mm {
                    o.worst_mm = d;
                    o.worst_line = n;
                }
                if o.last_line != n {
                    o.lines += 1;
                    o.last_line = n;
                }
            }
        }
    }

    fn finish(mut self) -> PreflightReport {
        let a = self.profile.work_area();
        let sides = [
            ("X min", a.x_min_mm),
            ("X max", a.x_max_mm),
            ("Y min", a.y_min_mm),
            ("Y max", a.y_max_mm),
        ];
        for (o, (side, limit)) in self.over.into_iter().zip(sides) {
            if o.lines > 0 {
                let mm = (o.worst_mm * 10.0).ceil() / 10.0;
                self.findings.push(Finding {
                    severity: Severity::Error,
                    check: Check::WorkArea,
                    line: o.first_line,
                    message: format!(
                        "extends {} mm past {side} {} (worst at line {}; {} line{} outside)",
                        FmtNum(mm),
                        FmtNum(limit),
                        o.worst_line,
                        o.lines,
                        if o.lines == 1 { "" } else { "s" }
                    ),
                });
            }
        }
        if matches!(
            self.audit.spindle,
            Some(Spindle::Constant | Spindle::Dynamic)
        ) {
            let on = self.audit.spindle_on_line.unwrap_or(0);
            self.findings.push(Finding {
                severity: Severity::Error,
                check: Check::LaserOnAtEnd,
                line: on,
                message: format!(
                    "program ends with the laser enabled (M3/M4 on line {on}); end with M5"
                ),
            });
        }
        for (check, count) in self.counts {
            if count > MAX_PER_CHECK {
                let like = self.findings.iter().find(|f| f.check == check).cloned();
                if let Some(like) = like {
                    self.findings.push(Finding {
                        message: format!(
                            "... and {} more like line {}",
                            count - MAX_PER_CHECK,
                            like.line
                        ),
                        ..like
                    });
                }
            }
        }
        PreflightReport {
            findings: self.findings,
        }
    }
}

#[cfg(test)]
#[path = "preflight_tests.rs"]
mod tests;
