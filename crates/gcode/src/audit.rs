//! What the program itself set, for preflight's rules about it: GRBL's modal state with "not
//! set by this program" kept explicit (`None`), and the lines that behave surprisingly or that
//! Burin cannot fully check ([`Note`]s), which GRBL accepts without complaint.
//!
//! Motion is not decided here: where the head goes, and which lines GRBL refuses, come from the
//! firmware model ([`crate::motion`]). Block delete (`/`) is ignored, as GRBL 1.1 does.

use crate::ast::{Line, LineKind};

/// Motion mode (modal group 1) as far as these checks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MotionMode {
    Rapid,
    /// `G1`, `G2`, `G3`.
    Feed,
    /// `G38.x`.
    Probe,
    /// `G80`.
    Cancel,
}

/// Spindle / laser state: `M5`, `M3`, `M4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spindle {
    Off,
    Constant,
    Dynamic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Note {
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

/// The modal state as far as the program has set it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ModalAudit {
    /// `G20` (true) or `G21` (false).
    pub inches: Option<bool>,
    /// `G91` (true) or `G90` (false).
    pub relative: Option<bool>,
    pub motion: Option<MotionMode>,
    pub spindle: Option<Spindle>,
    /// Line of the last `M3`/`M4` that turned the laser on.
    pub spindle_on_line: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NonModal {
    Dwell,
    /// `G10`, `G28.1`, `G30.1`, `G92`, `G92.1`.
    Offsets,
    /// `G28`, `G30`.
    Home,
}

impl ModalAudit {
    /// Takes in one line's modal words and appends what is worth a warning to `notes`.
    pub fn step(&mut self, line: &Line, notes: &mut Vec<Note>) {
        let LineKind::Words(words) = &line.kind else {
            return;
        };
        let mut new_motion = None;
        let mut non_modal = None;
        let mut machine_coords = false;
        let mut spindle = None;
        let mut end = false;
        let mut has_axes = false;
        for w in words {
            match w.letter {
                'G' => match (w.value * 10.0).round() as i64 {
                    0 => new_motion = Some(MotionMode::Rapid),
                    10 | 20 | 30 => new_motion = Some(MotionMode::Feed),
                    382..=385 => new_motion = Some(MotionMode::Probe),
                    800 => new_motion = Some(MotionMode::Cancel),
                    40 => non_modal = Some(NonModal::Dwell),
                    100 | 281 | 301 | 920 | 921 => non_modal = Some(NonModal::Offsets),
                    280 | 300 => non_modal = Some(NonModal::Home),
                    530 => machine_coords = true,
                    200 => self.inches = Some(true),
                    210 => self.inches = Some(false),
                    900 => self.relative = Some(false),
                    910 => self.relative = Some(true),
                    _ => {}
                },
                'M' => match (w.value * 10.0).round() as i64 {
                    20 | 300 => end = true,
                    30 => spindle = Some(Spindle::Constant),
                    40 => spindle = Some(Spindle::Dynamic),
                    50 => spindle = Some(Spindle::Off),
                    _ => {}
                },
                'X' | 'Y' | 'Z' => has_axes = true,
                _ => {}
            }
        }

        // In gcode.c's order of execution: spindle, modes, non-modal, motion, program flow.
        if let Some(sp) = spindle {
            self.spindle = Some(sp);
            if sp != Spindle::Off {
                self.spindle_on_line = Some(line.number);
            }
        }
        if new_motion.is_some() {
            self.motion = new_motion;
        }
        match non_modal {
            Some(NonModal::Offsets) => notes.push(Note::OffsetChange),
            Some(NonModal::Home) => notes.push(Note::StoredPosition),
            Some(NonModal::Dwell) | None if has_axes => {
                if machine_coords {
                    notes.push(Note::MachineCoordinates);
                }
                match self.motion {
                    None => notes.push(Note::ImplicitMotion),
                    Some(MotionMode::Probe) => notes.push(Note::Probe),
                    _ => {}
                }
            }
            _ => {}
        }
        if end {
            // M2/M30 reset these modes (GRBL 1.1 `gc_execute_line`, program flow).
            self.motion = Some(MotionMode::Feed);
            self.relative = Some(false);
            self.spindle = Some(Spindle::Off);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_program;

    fn run(src: &str) -> (ModalAudit, Vec<(usize, Note)>) {
        let p = parse_program(src).expect("parses");
        let mut audit = ModalAudit::default();
        let mut notes = Vec::new();
        for l in p.lines() {
            let mut n = Vec::new();
            audit.step(&l, &mut n);
            notes.extend(n.into_iter().map(|n| (l.number, n)));
        }
        (audit, notes)
    }

    #[test]
    fn modes_are_unknown_until_the_program_sets_them() {
        let (a, _) = run("M5\nG1 X1 F10");
        assert_eq!((a.inches, a.relative), (None, None));
        assert_eq!(a.motion, Some(MotionMode::Feed));
        let (a, _) = run("G20 G91\nG0 X1\nG90 X1");
        assert_eq!((a.inches, a.relative), (Some(true), Some(false)));
    }

    #[test]
    fn surprising_lines_are_noted() {
        let (_, notes) = run("X1\nG92 X0\nG10 L2 P1 X0\nG28\nG53 G0 X1\nG38.2 Z-1 F10\nG4 P1");
        assert_eq!(
            notes,
            vec![
                (1, Note::ImplicitMotion),
                (2, Note::OffsetChange),
                (3, Note::OffsetChange),
                (4, Note::StoredPosition),
                (5, Note::MachineCoordinates),
                (6, Note::Probe),
            ]
        );
    }

    #[test]
    fn program_end_turns_laser_off_and_resets_modes() {
        let (a, _) = run("G91 M3 S100\nM2");
        assert_eq!(a.spindle, Some(Spindle::Off));
        assert_eq!(a.relative, Some(false));
        assert_eq!(a.spindle_on_line, Some(1));
    }
}
