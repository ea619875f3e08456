//! What a program draws, for the preview: every motion as 2-D segments in work coordinates,
//! with the program line it came from and the laser power, so a viewer can colour cuts,
//! thin out travel and highlight what a running job has already done.
//!
//! Built once per program (arcs split into chords here), then only transformed for display.

use crate::arc::Arc;
use crate::ast::Program;
use crate::interp::{Event, Interp, SegKind};

/// Chord tolerance for arcs in the preview, mm (finer than any screen pixel at 10x zoom).
const ARC_TOLERANCE_MM: f64 = 0.02;

/// What kind of motion a preview segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegKindPreview {
    /// `G0`: travel at rapid speed.
    Travel,
    /// A move with the laser off inside a burn: a feed move at S0 (fill links, raster
    /// overscan) or a `G0` hop written in relative distances (a gap inside a scan row).
    Link,
    /// A feed move with the laser firing.
    Cut,
}

/// One straight piece of a motion, work coordinates in mm (Y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreviewSeg {
    pub from: [f32; 2],
    pub to: [f32; 2],
    /// Index of the program line (into `Program::lines`).
    pub line_idx: u32,
    pub kind: SegKindPreview,
    /// Laser power 0..=1 of `s_max` (0 for travel).
    pub power: f32,
    /// Index into [`PreviewPath::layers`] (the `; layer NAME` comment in force), or
    /// `u16::MAX` before any layer comment.
    pub layer: u16,
}

/// The whole program as segments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviewPath {
    pub segments: Vec<PreviewSeg>,
    /// Layer names in order of first appearance (`; layer #ff0000` comments, as Burin writes).
    pub layers: Vec<String>,
    /// Bounding box of the cut segments (min, max), mm.
    pub cut_bounds: Option<([f32; 2], [f32; 2])>,
}

impl PreviewPath {
    /// The first segment belonging to a line at or after `line_idx` (binary search:
    /// segments are in line order).
    pub fn first_segment_at_line(&self, line_idx: u32) -> usize {
        self.segments.partition_point(|s| s.line_idx < line_idx)
    }
}

/// Interprets `program` like GRBL in laser mode (head starting at the work origin) and returns
/// its motions. `s_max` is the machine's `$30`, for the power fraction.
pub fn preview(program: &Program, s_max: f64) -> PreviewPath {
    let s_max = if s_max.is_finite() && s_max > 0.0 {
        s_max
    } else {
        1000.0
    };
    let mut out = PreviewPath::default();
    let mut it = Interp::default();
    let mut events = Vec::new();
    let mut notes = Vec::new();
    let mut layer = u16::MAX;
    for (i, line) in program.lines().enumerate() {
        if let Some(name) = line
            .comment
            .as_deref()
            .and_then(|c| c.strip_prefix("layer "))
        {
            let name = name.trim().to_string();
            let idx = match out.layers.iter().position(|l| *l == name) {
                Some(p) => p,
                None => {
                    out.layers.push(name);
                    out.layers.len() - 1
                }
            };
            layer = u16::try_from(idx).unwrap_or(u16::MAX - 1);
        }
        events.clear();
        notes.clear();
        it.step(&line, &mut events, &mut notes);
        let power = (it.s.unwrap_or(0.0) / s_max).clamp(0.0, 1.0) as f32;
        for e in &events {
            let Event::Motion(seg) = e else { continue };
            let cut = seg.powered && !matches!(seg.kind, SegKind::Rapid);
            let kind = if cut {
                SegKindPreview::Cut
            } else if matches!(seg.kind, SegKind::Rapid) && it.relative != Some(true) {
                SegKindPreview::Travel
            } else {
                SegKindPreview::Link
            };
            let mut push = |from: [f64; 3], to: [f64; 3]| {
                let s = PreviewSeg {
                    from: [from[0] as f32, from[1] as f32],
                    to: [to[0] as f32, to[1] as f32],
                    line_idx: u32::try_from(i).unwrap_or(u32::MAX),
                    kind,
                    power: if cut { power } else { 0.0 },
                    layer,
                };
                if cut {
                    grow(&mut out.cut_bounds, s.from);
                    grow(&mut out.cut_bounds, s.to);
                }
                out.segments.push(s);
            };
            match &seg.kind {
                SegKind::Arc(a) => arc_chords(a, seg.from, seg.to, &mut push),
                _ => push(seg.from, seg.to),
            }
        }
    }
    out
}

fn arc_chords(a: &Arc, from: [f64; 3], to: [f64; 3], push: &mut impl FnMut([f64; 3], [f64; 3])) {
    let mut at = from;
    for p in a.segment_points(from, to, ARC_TOLERANCE_MM) {
        push(at, p);
        at = p;
    }
}

fn grow(b: &mut Option<([f32; 2], [f32; 2])>, p: [f32; 2]) {
    if !(p[0].is_finite() && p[1].is_finite()) {
        return;
    }
    *b = Some(match *b {
        None => (p, p),
        Some((lo, hi)) => (
            [lo[0].min(p[0]), lo[1].min(p[1])],
            [hi[0].max(p[0]), hi[1].max(p[1])],
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_program;

    #[test]
    fn segments_carry_line_power_and_layer() {
        let src = "G21G90\n; layer #ff0000\nG0X10Y10\nM4\nG1X30F1000S500\nG1Y20S0\n\
                   ; layer #000000\nG1X10S1000\nG0X0Y0\nM5\n";
        let p = preview(&parse_program(src).expect("parses"), 1000.0);
        assert_eq!(p.layers, vec!["#ff0000".to_string(), "#000000".to_string()]);
        assert_eq!(p.segments.len(), 5);
        let s = &p.segments;
        assert_eq!(
            (s[0].kind, s[0].line_idx, s[0].layer),
            (SegKindPreview::Travel, 2, 0)
        );
        assert_eq!(
            (s[1].kind, s[1].power, s[1].to),
            (SegKindPreview::Cut, 0.5, [30.0, 10.0])
        );
        assert_eq!(s[2].kind, SegKindPreview::Link);
        assert_eq!(
            (s[3].kind, s[3].power, s[3].layer),
            (SegKindPreview::Cut, 1.0, 1)
        );
        assert_eq!(p.cut_bounds, Some(([10.0, 10.0], [30.0, 20.0])));
        assert_eq!(p.first_segment_at_line(5), 2);
        assert_eq!(p.first_segment_at_line(100), 5);
    }

    #[test]
    fn arcs_become_chords_that_end_at_the_target() {
        let src = "G21G90\nM4\nG1X10F600S100\nG2X10Y0I-5J0\n";
        // A half circle back... from (10,0) centre (5,0) to (10,0) is a full circle.
        let p = preview(&parse_program(src).expect("parses"), 1000.0);
        let arc: Vec<_> = p.segments.iter().filter(|s| s.line_idx == 3).collect();
        assert!(arc.len() > 20, "{}", arc.len());
        let last = arc.last().expect("chords");
        assert!((last.to[0] - 10.0).abs() < 1e-4 && last.to[1].abs() < 1e-4);
    }
}
