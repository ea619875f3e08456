//! Measurements of a parsed program: size, extent, lengths and run time.

use serde::Serialize;

use crate::ast::Program;
use crate::estimate::TimeEstimate;
use crate::motion::Firmware;
use crate::profile::MachineProfile;

/// An axis-aligned rectangle in work coordinates, mm.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bounds {
    pub x_min_mm: f64,
    pub x_max_mm: f64,
    pub y_min_mm: f64,
    pub y_max_mm: f64,
}

impl Bounds {
    fn grow(b: &mut Option<Bounds>, lo: [f64; 3], hi: [f64; 3]) {
        let next = match *b {
            None => Bounds {
                x_min_mm: lo[0],
                x_max_mm: hi[0],
                y_min_mm: lo[1],
                y_max_mm: hi[1],
            },
            Some(c) => Bounds {
                x_min_mm: c.x_min_mm.min(lo[0]),
                x_max_mm: c.x_max_mm.max(hi[0]),
                y_min_mm: c.y_min_mm.min(lo[1]),
                y_max_mm: c.y_max_mm.max(hi[1]),
            },
        };
        *b = Some(next);
    }

    pub fn width_mm(&self) -> f64 {
        self.x_max_mm - self.x_min_mm
    }

    pub fn height_mm(&self) -> f64 {
        self.y_max_mm - self.y_min_mm
    }
}

/// What `burin info` shows about a program.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ProgramStats {
    /// Lines in the program, blank and comment lines included.
    pub line_count: usize,
    /// Bytes of the program's canonical text ([`Program::to_text`], LF endings): what a
    /// streamer sends if it re-writes the program.
    pub byte_count: usize,
    /// Motion commands (rapids, feeds, arcs; an arc counts once).
    pub motion_count: usize,
    /// Extent of all motion, X/Y, starting from the origin. Arcs count by the chords GRBL cuts
    /// them into (`$12`), so by at most `$12` less than the true circle.
    pub bounds: Option<Bounds>,
    /// Extent of the moves with the laser firing: what gets marked.
    pub powered_bounds: Option<Bounds>,
    /// Path length with the laser firing (`G1`/`G2`/`G3` with `M3`/`M4` and `S > 0`), mm; arcs
    /// by their chords.
    pub cut_mm: f64,
    /// Path length of rapids and laser-off feed moves, mm.
    pub travel_mm: f64,
    /// Run time as GRBL's planner would take it.
    pub time: TimeEstimate,
}

/// Measures `program` (run through the firmware model like [`crate::preflight()`]: laser mode,
/// start at the origin; lines GRBL refuses move nothing).
pub fn stats(program: &Program, profile: &MachineProfile) -> ProgramStats {
    let mut firmware = Firmware::new(profile);
    let mut segments = Vec::new();
    let mut s = ProgramStats {
        line_count: program.len(),
        byte_count: program.text_len(),
        motion_count: 0,
        bounds: None,
        powered_bounds: None,
        cut_mm: 0.0,
        travel_mm: 0.0,
        time: TimeEstimate::default(),
    };
    for text in program.line_texts() {
        segments.clear();
        if firmware.line(text, &mut segments).is_err() {
            continue;
        }
        for seg in &segments {
            if !seg.continues_arc {
                s.motion_count += 1;
            }
            let (lo, hi) = seg.extents_mm();
            Bounds::grow(&mut s.bounds, lo, hi);
            let len = seg.length_mm();
            if seg.powered {
                s.cut_mm += len;
                Bounds::grow(&mut s.powered_bounds, lo, hi);
            } else {
                s.travel_mm += len;
            }
        }
    }
    s.time = crate::estimate::estimate_time(program, profile);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_program;

    fn st(src: &str) -> ProgramStats {
        stats(
            &parse_program(src).expect("parses"),
            &MachineProfile::default(),
        )
    }

    #[test]
    fn lengths_bounds_and_counts() {
        let src = "G21G90\nM4\nG0X10Y10\nG1X30F1000S500\nG1Y20S0\nG0X0Y0\nM5\n";
        let s = st(src);
        assert_eq!(s.line_count, 7);
        assert_eq!(s.byte_count, src.len());
        assert_eq!(s.motion_count, 4);
        assert!((s.cut_mm - 20.0).abs() < 1e-12);
        let travel = 200f64.sqrt() + 10.0 + 1300f64.sqrt();
        assert!(
            (s.travel_mm - travel).abs() < 1e-9,
            "{} vs {travel}",
            s.travel_mm
        );
        let b = s.bounds.expect("moves");
        assert_eq!(
            (b.x_min_mm, b.x_max_mm, b.y_min_mm, b.y_max_mm),
            (0.0, 30.0, 0.0, 20.0)
        );
        let p = s.powered_bounds.expect("cuts");
        assert_eq!(
            (p.x_min_mm, p.x_max_mm, p.y_min_mm, p.y_max_mm),
            (10.0, 30.0, 10.0, 10.0)
        );
        assert!(s.time.cutting_s > 20.0 / (1000.0 / 60.0));
        assert!(s.time.travel_s > 0.0);
    }

    #[test]
    fn arcs_measure_as_the_chords_grbl_cuts() {
        // A half circle r = 10, cut as chords whose sagitta is about $12 = 0.002 mm: each is
        // r θ³ / 24 shorter than its arc, at most sweep · $12 / 3 in all (plus GRBL's rounding
        // of the chord count down).
        let s = st("G21 G90\nG0 X10\nM3 S100\nG3 X-10 I-10 J0 F100\nM5\n");
        let arc = std::f64::consts::PI * 10.0;
        let max_short = std::f64::consts::PI * 0.002 / 3.0 * 1.1;
        assert!(s.cut_mm < arc && arc - s.cut_mm < max_short, "{}", s.cut_mm);
        assert_eq!(s.motion_count, 2, "the arc counts once");
        let p = s.powered_bounds.expect("arc");
        assert!((p.y_max_mm - 10.0).abs() < 0.002 * 1.1 && p.y_min_mm.abs() < 1e-9);
        assert!((p.width_mm() - 20.0).abs() < 1e-9);
    }

    #[test]
    fn empty_program() {
        let s = st("");
        assert_eq!((s.line_count, s.byte_count, s.motion_count), (0, 0, 0));
        assert_eq!(s.bounds, None);
        assert_eq!(s.time.total_s, 0.0);
    }
}
