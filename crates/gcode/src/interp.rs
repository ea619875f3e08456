//! A GRBL 1.1 interpreter for checking and measuring (not for driving a machine).
//!
//! It walks a [`Program`](crate::Program) line by line the way GRBL's `gc_execute_line` does,
//! in laser mode (`$32=1`), keeping the modal state with "not set by this program" explicit
//! (`None`), and turns each line into [`Event`]s: motion segments in the program's initial work
//! coordinates (mm, any `G92` offset applied), dwells and planner syncs. Problems GRBL would
//! refuse, or that Burin cannot check, come out as [`Note`]s.
//!
//! Assumptions: the head starts at the work origin; `G28`/`G30` return to the work origin (their
//! stored positions are unknown); `G53` coordinates are treated as work coordinates; block
//! delete (`/`) is ignored, as GRBL 1.1 does.

use crate::arc::{Arc, ArcError};
use crate::ast::{Line, LineKind};

const MM_PER_INCH: f64 = 25.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MotionMode {
    Rapid,
    Linear,
    ArcCw,
    ArcCcw,
    Probe,
    Cancel,
}

/// Spindle / laser state: `M5`, `M3`, `M4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spindle {
    Off,
    Constant,
    Dynamic,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SegKind {
    Rapid,
    Linear,
    Arc(Arc),
    Probe,
}

/// One motion, positions in initial work coordinates, mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    pub line: usize,
    pub kind: SegKind,
    pub from: [f64; 3],
    pub to: [f64; 3],
    /// Programmed feed, mm/min (0 if unset; unused by rapids).
    pub feed_mm_min: f64,
    /// The laser fires: a feed move with `M3`/`M4` active and `S > 0`.
    pub powered: bool,
}

impl Segment {
    /// Bounding box (min, max) of the true path.
    pub fn extents(&self) -> ([f64; 3], [f64; 3]) {
        match &self.kind {
            SegKind::Arc(a) => a.extents(self.from, self.to),
            _ => {
                let mut lo = self.from;
                let mut hi = self.from;
                for i in 0..3 {
                    lo[i] = lo[i].min(self.to[i]);
                    hi[i] = hi[i].max(self.to[i]);
                }
                (lo, hi)
            }
        }
    }

    pub fn length(&self) -> f64 {
        match &self.kind {
            SegKind::Arc(a) => a.length(self.from, self.to),
            _ => dist(self.from, self.to),
        }
    }
}

pub(crate) fn dist(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2) + (b[2] - a[2]).powi(2)).sqrt()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Event {
    Motion(Segment),
    /// `G4 P<seconds>`; GRBL first waits for all motion to finish.
    Dwell {
        seconds: f64,
    },
    /// Motion stops here (M-state change, `M0`, `M2`, `$` command, offsets...).
    Sync,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Note {
    /// A feed motion with no feed rate (GRBL `error:22`).
    FeedUnset,
    Arc(ArcError),
    /// `G2`/`G3` without axis words in the plane (`error:32`).
    ArcNoAxisWords,
    /// Centre-format arc without `I`/`J`/`K` in the plane (`error:35`).
    ArcNoOffset,
    /// `G4` without `P` (`error:28`).
    DwellNoP,
    /// Axis words while no motion mode was set by the program: GRBL uses whatever mode is
    /// active (G0 after power-up).
    ImplicitMotion,
    /// `G28`/`G30`: a stored position Burin cannot see (assumed to be the work origin).
    StoredPosition,
    /// `G53`: machine coordinates, checked as if they were work coordinates.
    MachineCoordinates,
    /// `G92`/`G10`/`G28.1`/`G30.1`: offsets or stored positions change.
    OffsetChange,
    /// `G38.x` probing.
    Probe,
}

/// GRBL's parser state as far as the program has set it.
#[derive(Debug, Clone)]
pub(crate) struct Interp {
    pub inches: Option<bool>,
    pub relative: Option<bool>,
    pub motion: Option<MotionMode>,
    pub inverse_time: bool,
    /// Feed rate, mm/min, in G94 mode.
    pub feed_mm_min: Option<f64>,
    pub s: Option<f64>,
    pub spindle: Option<Spindle>,
    /// Line of the last `M3`/`M4` that turned the laser on.
    pub spindle_on_line: Option<usize>,
    pub plane: [usize; 3],
    /// Current position in program (work) coordinates, mm.
    pub pos: [f64; 3],
    /// `G92` offset: initial work coordinates = program coordinates + offset.
    pub g92: [f64; 3],
}

impl Default for Interp {
    fn default() -> Self {
        Self {
            inches: None,
            relative: None,
            motion: None,
            inverse_time: false,
            feed_mm_min: None,
            s: None,
            spindle: None,
            spindle_on_line: None,
            plane: [0, 1, 2],
            pos: [0.0; 3],
            g92: [0.0; 3],
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NonModal {
    Dwell,
    G10,
    Home(bool),
    SetHome,
    G92,
    G92Clear,
}

fn phys(p: [f64; 3], off: [f64; 3]) -> [f64; 3] {
    [p[0] + off[0], p[1] + off[1], p[2] + off[2]]
}

impl Interp {
    /// Executes one line, appending what it does to `events` and `notes` (with the line's
    /// number attached by the caller).
    pub fn step(&mut self, line: &Line, events: &mut Vec<Event>, notes: &mut Vec<Note>) {
        let words = match &line.kind {
            LineKind::Words(w) => w,
            LineKind::System(_) => {
                events.push(Event::Sync);
                return;
            }
            LineKind::Empty | LineKind::Percent => return,
        };

        let mut new_motion = None;
        let mut non_modal = None;
        let mut machine_coords = false;
        let mut spindle = None;
        let mut pause = false;
        let mut end = false;
        let mut units = None;
        let mut distance = None;
        let mut plane = None;
        let mut inverse = None;
        let (mut f, mut s, mut p, mut r) = (None, None, None, None);
        let mut xyz = [None; 3];
        let mut ijk = [None; 3];
        for w in words {
            match w.letter {
                'G' => match (w.value * 10.0).round() as i64 {
                    0 => new_motion = Some(MotionMode::Rapid),
                    10 => new_motion = Some(MotionMode::Linear),
                    20 => new_motion = Some(MotionMode::ArcCw),
                    30 => new_motion = Some(MotionMode::ArcCcw),
                    382..=385 => new_motion = Some(MotionMode::Probe),
                    800 => new_motion = Some(MotionMode::Cancel),
                    40 => non_modal = Some(NonModal::Dwell),
                    100 => non_modal = Some(NonModal::G10),
                    280 => non_modal = Some(NonModal::Home(false)),
                    300 => non_modal = Some(NonModal::Home(true)),
                    281 | 301 => non_modal = Some(NonModal::SetHome),
                    920 => non_modal = Some(NonModal::G92),
                    921 => non_modal = Some(NonModal::G92Clear),
                    530 => machine_coords = true,
                    170 => plane = Some([0, 1, 2]),
                    180 => plane = Some([2, 0, 1]),
                    190 => plane = Some([1, 2, 0]),
                    200 => units = Some(true),
                    210 => units = Some(false),
                    900 => distance = Some(false),
                    910 => distance = Some(true),
                    930 => inverse = Some(true),
                    940 => inverse = Some(false),
                    _ => {}
                },
                'M' => match (w.value * 10.0).round() as i64 {
                    0 => pause = true,
                    20 | 300 => end = true,
                    30 => spindle = Some(Spindle::Constant),
                    40 => spindle = Some(Spindle::Dynamic),
                    50 => spindle = Some(Spindle::Off),
                    _ => {}
                },
                'F' => f = Some(w.value),
                'S' => s = Some(w.value),
                'P' => p = Some(w.value),
                'R' => r = Some(w.value),
                'X' => xyz[0] = Some(w.value),
                'Y' => xyz[1] = Some(w.value),
                'Z' => xyz[2] = Some(w.value),
                'I' => ijk[0] = Some(w.value),
                'J' => ijk[1] = Some(w.value),
                'K' => ijk[2] = Some(w.value),
                _ => {}
            }
        }

        // Execution order of gcode.c: feed mode, feed, S, spindle, dwell, plane, units,
        // distance, non-modal, motion, program flow.
        if let Some(inv) = inverse {
            self.inverse_time = inv;
        }
        if units.is_some() {
            self.inches = units;
        }
        let scale = if self.inches == Some(true) {
            MM_PER_INCH
        } else {
            1.0
        };
        if let (Some(f), false) = (f, self.inverse_time) {
            self.feed_mm_min = Some(f * scale);
        }
        if s.is_some() {
            self.s = s;
        }
        if let Some(sp) = spindle {
            if self.spindle != Some(sp) {
                events.push(Event::Sync);
            }
            self.spindle = Some(sp);
            if sp != Spindle::Off {
                self.spindle_on_line = Some(line.number);
            }
        }
        if non_modal == Some(NonModal::Dwell) {
            match p {
                Some(seconds) => events.push(Event::Dwell { seconds }),
                None => notes.push(Note::DwellNoP),
            }
        }
        if let Some(pl) = plane {
            self.plane = pl;
        }
        if distance.is_some() {
            self.relative = distance;
        }
        if let Some(m) = new_motion {
            self.motion = Some(m);
        }

        let has_axes = xyz.iter().any(Option::is_some);
        let mut target = self.pos;
        for i in 0..3 {
            if let Some(v) = xyz[i] {
                let v = v * scale;
                target[i] = if self.relative == Some(true) && !machine_coords {
                    self.pos[i] + v
                } else {
                    v
                };
            }
        }

        match non_modal {
            Some(NonModal::G92) => {
                notes.push(Note::OffsetChange);
                for (i, v) in xyz.iter().enumerate() {
                    if let Some(v) = *v {
                        let here = self.pos[i] + self.g92[i];
                        self.pos[i] = v * scale;
                        self.g92[i] = here - self.pos[i];
                    }
                }
            }
            Some(NonModal::G92Clear) => {
                notes.push(Note::OffsetChange);
                self.pos = phys(self.pos, self.g92);
                self.g92 = [0.0; 3];
            }
            Some(NonModal::G10 | NonModal::SetHome) => {
                notes.push(Note::OffsetChange);
                events.push(Event::Sync);
            }
            Some(NonModal::Home(_)) => {
                notes.push(Note::StoredPosition);
                if has_axes {
                    self.rapid(line.number, target, events);
                }
                let origin = [-self.g92[0], -self.g92[1], -self.g92[2]];
                self.rapid(line.number, origin, events);
            }
            Some(NonModal::Dwell) | None => {
                let mode = self.motion;
                let feed_mode = matches!(
                    mode,
                    Some(MotionMode::Linear | MotionMode::ArcCw | MotionMode::ArcCcw)
                );
                let explicit = new_motion.is_some();
                if feed_mode && (has_axes || explicit) {
                    let unset = if self.inverse_time {
                        f.is_none_or(|f| f <= 0.0)
                    } else {
                        self.feed_mm_min.is_none_or(|f| f <= 0.0)
                    };
                    if unset {
                        notes.push(Note::FeedUnset);
                    }
                }
                if has_axes {
                    if machine_coords {
                        notes.push(Note::MachineCoordinates);
                    }
                    match mode {
                        None => {
                            notes.push(Note::ImplicitMotion);
                            self.rapid(line.number, target, events);
                        }
                        Some(MotionMode::Rapid) => self.rapid(line.number, target, events),
                        Some(MotionMode::Cancel) => {}
                        Some(MotionMode::Probe) => {
                            notes.push(Note::Probe);
                            let feed = self.feed_mm_min.unwrap_or(0.0);
                            self.segment(line.number, SegKind::Probe, target, feed, events);
                        }
                        Some(MotionMode::Linear) => {
                            let feed = self.feed_for(f, dist(self.pos, target));
                            self.segment(line.number, SegKind::Linear, target, feed, events);
                        }
                        Some(m @ (MotionMode::ArcCw | MotionMode::ArcCcw)) => {
                            let ijk = ijk.map(|v| v.map(|v| v * scale));
                            let r = r.map(|r| r * scale);
                            self.arc(line.number, m, target, xyz, ijk, r, f, events, notes);
                        }
                    }
                } else if matches!(mode, Some(MotionMode::ArcCw | MotionMode::ArcCcw)) && explicit {
                    notes.push(Note::ArcNoAxisWords);
                }
            }
        }

        if pause {
            events.push(Event::Sync);
        }
        if end {
            // M2/M30 reset these modes (GRBL 1.1 `gc_execute_line`, program flow).
            events.push(Event::Sync);
            self.motion = Some(MotionMode::Linear);
            self.plane = [0, 1, 2];
            self.relative = Some(false);
            self.inverse_time = false;
            self.spindle = Some(Spindle::Off);
        }
    }

    fn feed_for(&self, f: Option<f64>, length: f64) -> f64 {
        if self.inverse_time {
            // G93: F is 1/minutes for this move.
            f.map_or(0.0, |f| f * length)
        } else {
            self.feed_mm_min.unwrap_or(0.0)
        }
    }

    fn rapid(&mut self, line: usize, target: [f64; 3], events: &mut Vec<Event>) {
        self.segment(line, SegKind::Rapid, target, 0.0, events);
    }

    fn segment(
        &mut self,
        line: usize,
        kind: SegKind,
        target: [f64; 3],
        feed_mm_min: f64,
        events: &mut Vec<Event>,
    ) {
        let powered = matches!(kind, SegKind::Linear | SegKind::Arc(_))
            && matches!(self.spindle, Some(Spindle::Constant | Spindle::Dynamic))
            && self.s.is_some_and(|s| s > 0.0);
        events.push(Event::Motion(Segment {
            line,
            kind,
            from: phys(self.pos, self.g92),
            to: phys(target, self.g92),
            feed_mm_min,
            powered,
        }));
        self.pos = target;
    }

    #[allow(clippy::too_many_arguments)]
    fn arc(
        &mut self,
        line: usize,
        mode: MotionMode,
        target: [f64; 3],
        xyz: [Option<f64>; 3],
        ijk: [Option<f64>; 3],
        r: Option<f64>,
        f: Option<f64>,
        events: &mut Vec<Event>,
        notes: &mut Vec<Note>,
    ) {
        let axes = self.plane;
        let clockwise = mode == MotionMode::ArcCw;
        if xyz[axes[0]].is_none() && xyz[axes[1]].is_none() {
            notes.push(Note::ArcNoAxisWords);
            return;
        }
        let from = self.pos;
        let arc = match r {
            Some(r) => Arc::from_radius(from, target, r, clockwise, axes),
            None => {
                if ijk[axes[0]].is_none() && ijk[axes[1]].is_none() {
                    notes.push(Note::ArcNoOffset);
                    return;
                }
                let off = [ijk[axes[0]].unwrap_or(0.0), ijk[axes[1]].unwrap_or(0.0)];
                Arc::from_offset(from, target, off, clockwise, axes)
            }
        };
        match arc {
            Ok(a) => {
                let feed = self.feed_for(f, a.length(from, target));
                // Arc geometry is translation-invariant, but its centre must follow G92.
                let mut shifted = a;
                shifted.center = [
                    a.center[0] + self.g92[axes[0]],
                    a.center[1] + self.g92[axes[1]],
                ];
                self.segment(line, SegKind::Arc(shifted), target, feed, events);
            }
            Err(e) => notes.push(Note::Arc(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_program;

    fn run(src: &str) -> (Interp, Vec<Event>, Vec<(usize, Note)>) {
        let p = parse_program(src).expect("parses");
        let mut it = Interp::default();
        let mut events = Vec::new();
        let mut notes = Vec::new();
        for l in p.lines() {
            let mut n = Vec::new();
            it.step(&l, &mut events, &mut n);
            notes.extend(n.into_iter().map(|n| (l.number, n)));
        }
        (it, events, notes)
    }

    fn motions(events: &[Event]) -> Vec<Segment> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Motion(s) => Some(*s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn relative_mode_accumulates() {
        let (it, ev, _) = run("G21 G91\nG0 X10 Y5\nX10\nG90 X1");
        let m = motions(&ev);
        assert_eq!(m[0].to, [10.0, 5.0, 0.0]);
        assert_eq!(m[1].to, [20.0, 5.0, 0.0]);
        assert_eq!(m[2].to, [1.0, 5.0, 0.0]);
        assert_eq!(it.relative, Some(false));
    }

    #[test]
    fn inches_convert_and_power_needs_spindle_and_s() {
        let (_, ev, _) = run("G20 G90 G1 X1 F10 S500\nM4\nG1 X2\nS0 X3");
        let m = motions(&ev);
        assert_eq!(m[0].to[0], 25.4);
        assert_eq!(m[0].feed_mm_min, 254.0);
        assert!(!m[0].powered, "no M3/M4 yet");
        assert!(m[1].powered);
        assert!(!m[2].powered, "S0");
    }

    #[test]
    fn g92_offsets_shift_into_initial_coordinates() {
        let (_, ev, _) = run("G90 G0 X100 Y100\nG92 X0 Y0\nG0 X10\nG92.1\nG0 X0");
        let m = motions(&ev);
        assert_eq!(m[1].to, [110.0, 100.0, 0.0]);
        assert_eq!(m[2].to, [0.0, 100.0, 0.0]);
    }

    #[test]
    fn feed_unset_and_arc_problems_are_noted() {
        let (_, _, notes) = run("G1 X1\nG2 X5 Y5\nG2 X5 Y5 R1\nG4\nF100 G1 X2");
        assert_eq!(
            notes,
            vec![
                (1, Note::FeedUnset),
                (2, Note::FeedUnset),
                (2, Note::ArcNoOffset),
                (3, Note::FeedUnset),
                (3, Note::Arc(ArcError::RadiusTooSmall)),
                (4, Note::DwellNoP),
            ]
        );
    }

    #[test]
    fn program_end_turns_laser_off_and_resets_modes() {
        let (it, _, _) = run("G91 M3 S100\nM2");
        assert_eq!(it.spindle, Some(Spindle::Off));
        assert_eq!(it.relative, Some(false));
        assert_eq!(it.spindle_on_line, Some(1));
    }
}
