//! What a program draws, for the preview: every motion as 2-D segments in work coordinates,
//! with the program line it came from and the laser power, so a viewer can colour cuts,
//! thin out travel and highlight what a running job has already done.
//!
//! Built once per program from the firmware model ([`crate::motion`]: arcs are the chords GRBL
//! cuts them into at `$12`), then only transformed for display.

use crate::ast::Program;
use crate::motion::Firmware;
use crate::profile::MachineProfile;

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

/// Runs `program` through the firmware model of a default machine (laser mode, head starting at
/// the work origin, `$12` = 0.002 mm) and returns its motions. `s_max` is the machine's `$30`,
/// for the power fraction.
pub fn preview(program: &Program, s_max: f64) -> PreviewPath {
    preview_for(
        program,
        &MachineProfile {
            s_max,
            ..MachineProfile::default()
        },
    )
}

/// [`preview`] on `profile`'s machine (its `$30` and `$12`).
pub fn preview_for(program: &Program, profile: &MachineProfile) -> PreviewPath {
    let s_max = if profile.s_max.is_finite() && profile.s_max > 0.0 {
        profile.s_max
    } else {
        1000.0
    };
    let mut out = PreviewPath::default();
    let mut firmware = Firmware::new(profile);
    let mut segments = Vec::new();
    let mut layer = u16::MAX;
    for (i, text) in program.line_texts().enumerate() {
        // Only lines with a comment are parsed here; raster rows have none.
        if text.contains(';')
            && let Some(line) = program.line(i)
            && let Some(name) = line
                .comment
                .as_deref()
                .and_then(|c| c.strip_prefix("layer "))
        {
            let name = name.trim();
            let idx = match out.layers.iter().position(|l| l == name) {
                Some(p) => p,
                None => {
                    out.layers.push(name.to_string());
                    out.layers.len() - 1
                }
            };
            layer = u16::try_from(idx).unwrap_or(u16::MAX - 1);
        }
        segments.clear();
        if firmware.line(text, &mut segments).is_err() {
            continue;
        }
        let line_idx = u32::try_from(i).unwrap_or(u32::MAX);
        for seg in &segments {
            let kind = if seg.powered {
                SegKindPreview::Cut
            } else if seg.rapid && !firmware.incremental() {
                SegKindPreview::Travel
            } else {
                SegKindPreview::Link
            };
            let s = PreviewSeg {
                from: [seg.from_mm[0] as f32, seg.from_mm[1] as f32],
                to: [seg.to_mm[0] as f32, seg.to_mm[1] as f32],
                line_idx,
                kind,
                power: if seg.powered {
                    (seg.s / s_max).clamp(0.0, 1.0) as f32
                } else {
                    0.0
                },
                layer,
            };
            if seg.powered {
                grow(&mut out.cut_bounds, s.from);
                grow(&mut out.cut_bounds, s.to);
            }
            out.segments.push(s);
        }
    }
    out
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

    #[test]
    fn lines_grbl_refuses_draw_nothing() {
        let src = "G21G90\nG0G1X5\nG0X10\nG2X20I1\n";
        let p = preview(&parse_program(src).expect("parses"), 1000.0);
        let ends: Vec<_> = p
            .segments
            .iter()
            .map(|s| (s.from, s.to, s.line_idx))
            .collect();
        assert_eq!(ends, vec![([0.0, 0.0], [10.0, 0.0], 2)]);
    }
}
