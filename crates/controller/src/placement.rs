//! Where the job goes on the machine: origin mode, anchor, and the size and position the user
//! gives in the placement panel. Applied to the document before planning, so hatch intervals
//! and tolerances stay true millimetres whatever the scale.

use burin_design::{DocPoint, Document};
use burin_toolpath::{Anchor, JobOrigin};
use serde::{Deserialize, Serialize};

/// How job coordinates relate to the machine (LightBurn's "Start from").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OriginMode {
    /// Job coordinates are work coordinates: the job lands where it sits on the bed.
    #[default]
    Absolute,
    /// The anchor of the job's box goes where the head is when the job starts.
    CurrentPosition,
    /// The anchor of the job's box goes to the work origin the user set ("Set origin here").
    UserOrigin,
}

impl OriginMode {
    pub const ALL: [OriginMode; 3] = [
        OriginMode::Absolute,
        OriginMode::CurrentPosition,
        OriginMode::UserOrigin,
    ];
}

/// The placement panel's values.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Placement {
    pub mode: OriginMode,
    /// Anchor for [`OriginMode::CurrentPosition`] and [`OriginMode::UserOrigin`].
    pub anchor: Anchor,
    /// Absolute mode: the job box's bottom-left corner in work coordinates, mm. `None`: where
    /// the page puts it (the page's bottom-left at the work origin).
    pub position_mm: Option<(f64, f64)>,
    /// The job box's width and height, mm. `None`: the size in the file.
    pub size_mm: Option<(f64, f64)>,
}

impl Placement {
    /// Scales and moves `doc` as the placement says and returns the origin to plan with.
    /// Non-finite or non-positive sizes are ignored (the panel validates them first).
    pub fn apply(&self, doc: &mut Document) -> JobOrigin {
        if let Some((lo, hi)) = doc.bounds_in_doc() {
            let (w, h) = (hi.x - lo.x, hi.y - lo.y);
            let (mut sx, mut sy) = (1.0, 1.0);
            if let Some((tw, th)) = self.size_mm {
                if tw.is_finite() && tw > 0.0 && w > 1e-9 {
                    sx = tw / w;
                }
                if th.is_finite() && th > 0.0 && h > 1e-9 {
                    sy = th / h;
                }
            }
            // After scaling about `lo`, the box is lo..lo+(w*sx, h*sy) in doc space.
            let (mut dx, mut dy) = (0.0, 0.0);
            if let (OriginMode::Absolute, Some((px, py))) = (self.mode, self.position_mm)
                && px.is_finite()
                && py.is_finite()
            {
                // Absolute plans put machine (x, y) = (x_doc, page_h - y_doc).
                let page_h = doc.size_mm.1;
                dx = px - lo.x;
                dy = page_h - py - (lo.y + h * sy);
            }
            if sx != 1.0 || sy != 1.0 || dx != 0.0 || dy != 0.0 {
                doc.map_points(|p| {
                    DocPoint::new(lo.x + (p.x - lo.x) * sx + dx, lo.y + (p.y - lo.y) * sy + dy)
                });
            }
        }
        match self.mode {
            OriginMode::Absolute => JobOrigin::Absolute,
            OriginMode::CurrentPosition | OriginMode::UserOrigin => JobOrigin::CurrentPosition {
                anchor: self.anchor,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burin_design::{ImportOptions, import_svg_bytes};

    fn square_doc() -> Document {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100">
            <rect x="10" y="20" width="30" height="40" fill="none" stroke="red"/></svg>"##;
        import_svg_bytes(svg, "t.svg", None, &ImportOptions::default()).expect("imports")
    }

    #[test]
    fn size_and_position_land_the_box_in_machine_space() {
        let mut doc = square_doc();
        let p = Placement {
            position_mm: Some((5.0, 7.0)),
            size_mm: Some((60.0, 20.0)),
            ..Placement::default()
        };
        assert_eq!(p.apply(&mut doc), JobOrigin::Absolute);
        let (lo, hi) = doc.bounds_in_doc().expect("bounds");
        let page_h = doc.size_mm.1;
        // Machine box: x lo..hi, y page_h-hi.y .. page_h-lo.y
        assert!(
            (lo.x - 5.0).abs() < 1e-9 && (hi.x - 65.0).abs() < 1e-9,
            "{lo:?} {hi:?}"
        );
        assert!((page_h - hi.y - 7.0).abs() < 1e-9);
        assert!((page_h - lo.y - 27.0).abs() < 1e-9);
    }

    #[test]
    fn relative_modes_plan_with_the_anchor() {
        let mut doc = square_doc();
        let before = doc.bounds_in_doc();
        let p = Placement {
            mode: OriginMode::CurrentPosition,
            anchor: Anchor::Center,
            position_mm: Some((50.0, 50.0)),
            ..Placement::default()
        };
        assert_eq!(
            p.apply(&mut doc),
            JobOrigin::CurrentPosition {
                anchor: Anchor::Center
            }
        );
        // Position only applies to Absolute.
        assert_eq!(doc.bounds_in_doc(), before);
    }
}
