//! Where each line moves the head, as decided by Burin's one model of GRBL 1.1: burin-firmware's
//! parser (`gcode.c`'s rules and error codes, arcs split into chords like `mc_arc` at `$12`).
//! Preview, stats and preflight read motion from here and nowhere else.
//!
//! The parser starts the way the estimate's [`JobTimer`](burin_firmware::timing::JobTimer)
//! does: the profile's firmware settings (laser mode on), the head at machine zero, G54 and
//! G92 at zero, nothing stored for `G28`/`G30`. So machine space and the program's initial work
//! coordinates coincide at the start; segments are given in the latter all the same, converted
//! from the machine-space targets the parser returns.

use burin_firmware::parser::{self, Ctx, Outcome, ParserState, Persistent, Step};
use burin_firmware::timing::prefiltered;
use burin_firmware::words::SpindleMode;
use burin_firmware::{N_AXIS, Settings};

use crate::profile::MachineProfile;

/// One straight move the planner receives: a `G0`/`G1` line, one chord of an arc, or one leg of
/// a `G28`/`G30`. Positions in the program's initial work coordinates, mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    pub from_mm: [f64; N_AXIS],
    pub to_mm: [f64; N_AXIS],
    /// `G0` (and `G28`/`G30` legs): the laser is off in laser mode.
    pub rapid: bool,
    /// The laser fires: a feed move with `M3`/`M4` active and `S > 0`.
    pub powered: bool,
    /// The planner's `S` for this move (0 on rapids).
    pub s: f64,
    /// A further chord of the arc that the previous segment started, so an arc can be counted
    /// as one motion.
    pub continues_arc: bool,
}

impl Segment {
    /// Bounding box (min, max), mm.
    pub fn extents_mm(&self) -> ([f64; N_AXIS], [f64; N_AXIS]) {
        let mut lo = self.from_mm;
        let mut hi = self.from_mm;
        for ((lo, hi), to) in lo.iter_mut().zip(hi.iter_mut()).zip(self.to_mm) {
            *lo = lo.min(to);
            *hi = hi.max(to);
        }
        (lo, hi)
    }

    pub fn length_mm(&self) -> f64 {
        self.from_mm
            .iter()
            .zip(self.to_mm)
            .map(|(a, b)| (b - a) * (b - a))
            .sum::<f64>()
            .sqrt()
    }
}

/// The firmware's parser, run line by line over a program.
pub(crate) struct Firmware {
    settings: Settings,
    state: ParserState,
    persistent: Persistent,
    /// Work coordinate offset when the program starts, machine mm: a machine position minus
    /// this is a position in initial work coordinates.
    start_wco_mm: [f64; N_AXIS],
    /// Pre-filtered bytes of a line that isn't canonical, and the parser's steps: one buffer
    /// each for the whole program.
    filtered: Vec<u8>,
    outcome: Outcome,
}

impl Firmware {
    /// GRBL as `profile` describes it, just powered up with the head at machine zero.
    pub fn new(profile: &MachineProfile) -> Self {
        let persistent = Persistent::default();
        let state = ParserState::new(&persistent, [0.0; N_AXIS]);
        let start_wco_mm = state.wco();
        Self {
            settings: profile.firmware_settings(),
            state,
            persistent,
            start_wco_mm,
            filtered: Vec::new(),
            outcome: Outcome::default(),
        }
    }

    /// Runs one line (as stored in a [`Program`](crate::Program)) and appends the moves it
    /// plans to `out`. Returns GRBL's `error:N` if the firmware refuses the line; a refused line
    /// changes nothing. Blank, comment and `$` lines do nothing here (`$` commands only stop
    /// motion).
    pub fn line(&mut self, text: &str, out: &mut Vec<Segment>) -> Result<(), u8> {
        let filtered = prefiltered(text, &mut self.filtered);
        if filtered.is_empty() || filtered[0] == b'$' {
            return Ok(());
        }
        // As the machine runs it (not `$C` check mode), like the estimate's JobTimer; the two
        // differ only in what `M2` does to G54, never in which lines are refused.
        let ctx = Ctx {
            settings: &self.settings,
            force_origin: false,
            check_mode: false,
        };
        let mut at_mm = self.state.position;
        parser::execute(
            filtered,
            0,
            false,
            &mut self.state,
            &mut self.persistent,
            &ctx,
            &mut self.outcome,
        )?;
        let mut previous_was_feed = false;
        for step in &self.outcome.steps {
            let Step::Line(pl) = step else {
                previous_was_feed = false;
                continue;
            };
            out.push(Segment {
                from_mm: self.work_mm(at_mm),
                to_mm: self.work_mm(pl.target),
                rapid: pl.rapid,
                powered: !pl.rapid && pl.spindle != SpindleMode::Off && pl.s > 0.0,
                s: pl.s,
                // A block plans several feed lines only when they are one arc's chords.
                continues_arc: previous_was_feed && !pl.rapid,
            });
            previous_was_feed = !pl.rapid;
            at_mm = pl.target;
        }
        Ok(())
    }

    /// `G91` is in force (after the lines run so far).
    pub fn incremental(&self) -> bool {
        self.state.modal.incremental
    }

    fn work_mm(&self, machine_mm: [f64; N_AXIS]) -> [f64; N_AXIS] {
        let mut p = machine_mm;
        for (v, wco) in p.iter_mut().zip(self.start_wco_mm) {
            *v -= wco;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_program;

    fn run(src: &str) -> (Vec<Segment>, Vec<(usize, u8)>) {
        let p = parse_program(src).expect("parses");
        let mut fw = Firmware::new(&MachineProfile::default());
        let mut segs = Vec::new();
        let mut errors = Vec::new();
        for (i, text) in p.line_texts().enumerate() {
            if let Err(code) = fw.line(text, &mut segs) {
                errors.push((i + 1, code));
            }
        }
        (segs, errors)
    }

    #[test]
    fn relative_mode_accumulates() {
        let (m, _) = run("G21 G91\nG0 X10 Y5\nX10\nG90 X1");
        assert_eq!(m[0].to_mm, [10.0, 5.0, 0.0]);
        assert_eq!(m[1].from_mm, [10.0, 5.0, 0.0]);
        assert_eq!(m[1].to_mm, [20.0, 5.0, 0.0]);
        assert_eq!(m[2].to_mm, [1.0, 5.0, 0.0]);
    }

    #[test]
    fn inches_convert_and_power_needs_spindle_and_s() {
        let (m, _) = run("G20 G90 G1 X1 F10 S500\nM4\nG1 X2\nS0 X3\nG0 X4 S500");
        assert_eq!(m[0].to_mm[0], 25.4);
        assert!(!m[0].powered, "no M3/M4 yet");
        assert!(m[1].powered);
        assert_eq!(m[1].s, 500.0);
        assert!(!m[2].powered, "S0");
        assert!(
            m[3].rapid && !m[3].powered && m[3].s == 0.0,
            "G0 never fires"
        );
    }

    #[test]
    fn g92_offsets_shift_into_initial_coordinates() {
        let (m, _) = run("G90 G0 X100 Y100\nG92 X0 Y0\nG0 X10\nG92.1\nG0 X0");
        assert_eq!(m[1].to_mm, [110.0, 100.0, 0.0]);
        assert_eq!(m[2].to_mm, [0.0, 100.0, 0.0]);
    }

    #[test]
    fn arcs_are_the_firmwares_chords_and_refused_lines_move_nothing() {
        // Quarter circle r = 10 at $12 = 0.002: floor(0.5 pi/2 10 / sqrt(0.002 19.998)) chords.
        let (m, errors) = run("G21 G90\nG0 X10\nG3 X0 Y10 I-10 J0 F100\nG2 X5 Y5 R1\nG1 X0 Y0");
        let want = (0.5 * std::f64::consts::FRAC_PI_2 * 10.0 / (0.002f64 * 19.998).sqrt()).floor()
            as usize;
        let arc: Vec<_> = m[1..m.len() - 1].to_vec();
        assert_eq!(arc.len(), want);
        assert!(!arc[0].continues_arc && arc[1..].iter().all(|s| s.continues_arc));
        for s in &arc {
            assert!((s.to_mm[0].hypot(s.to_mm[1]) - 10.0).abs() < 1e-9);
        }
        assert_eq!(arc.last().map(|s| s.to_mm), Some([0.0, 10.0, 0.0]));
        assert_eq!(errors, vec![(4, 34)], "R1 is too small for the chord");
        let last = m.last().expect("moves");
        assert_eq!(
            (last.from_mm, last.continues_arc),
            ([0.0, 10.0, 0.0], false)
        );
    }

    #[test]
    fn home_goes_through_the_intermediate_point_to_the_stored_position() {
        // GRBL 1.1: `G28 X20` homes only X, by way of X20; `G28.1` stores where the head is.
        let (m, _) = run("G21 G90\nG0 X50 Y50\nG28 X20\nG0 X30\nG28.1\nG0 X0 Y0\nG30\nG28");
        let ends: Vec<_> = m.iter().map(|s| (s.to_mm[0], s.to_mm[1])).collect();
        assert_eq!(
            ends,
            vec![
                (50.0, 50.0),
                (20.0, 50.0),
                (0.0, 50.0),
                (30.0, 50.0),
                (0.0, 0.0),
                (0.0, 0.0),
                (30.0, 50.0),
            ]
        );
        assert!(m[1..3].iter().all(|s| s.rapid && !s.continues_arc));
    }

    #[test]
    fn canonical_lines_are_read_in_place() {
        let mut buffer = Vec::new();
        for text in ["G1X10.5S3", "G0X1 ; layer a", "M5 ;", "$H", ""] {
            let bytes = prefiltered(text, &mut buffer);
            assert!(text.as_bytes().starts_with(bytes), "{text}");
            assert!(buffer.is_empty(), "{text}: no copy");
        }
        assert_eq!(prefiltered("/G0X1", &mut buffer), b"G0X1");
        assert_eq!(prefiltered("g0 x1 (c)", &mut buffer), b"G0X1");
    }
}
