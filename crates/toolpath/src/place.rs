//! Job placement: the one doc -> machine transform. The Y flip happens here and nowhere else.

use serde::{Deserialize, Serialize};

use burin_design::DocPoint;

use crate::model::PointMm;

/// One of the 9 reference points of the job's bounding box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Anchor {
    TopLeft,
    Top,
    TopRight,
    Left,
    Center,
    Right,
    #[default]
    BottomLeft,
    Bottom,
    BottomRight,
}

impl Anchor {
    pub const ALL: [Anchor; 9] = [
        Anchor::TopLeft,
        Anchor::Top,
        Anchor::TopRight,
        Anchor::Left,
        Anchor::Center,
        Anchor::Right,
        Anchor::BottomLeft,
        Anchor::Bottom,
        Anchor::BottomRight,
    ];

    /// Fractions (0 = left/bottom, 1 = right/top) of the box, in machine orientation (Y up).
    fn fractions(self) -> (f64, f64) {
        match self {
            Anchor::TopLeft => (0.0, 1.0),
            Anchor::Top => (0.5, 1.0),
            Anchor::TopRight => (1.0, 1.0),
            Anchor::Left => (0.0, 0.5),
            Anchor::Center => (0.5, 0.5),
            Anchor::Right => (1.0, 0.5),
            Anchor::BottomLeft => (0.0, 0.0),
            Anchor::Bottom => (0.5, 0.0),
            Anchor::BottomRight => (1.0, 0.0),
        }
    }
}

/// Where the job sits on the machine.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum JobOrigin {
    /// The page's bottom-left corner is the work origin (0, 0): the artwork lands where it sits
    /// on the page, like LightBurn's "absolute coordinates".
    #[default]
    Absolute,
    /// The `anchor` of the job's bounding box is at the work origin; the sender sets the work
    /// origin at the laser head before running ("current position" in LightBurn).
    CurrentPosition { anchor: Anchor },
}

/// An affine map from doc space (mm, Y down) to machine space (mm, Y up):
/// `x_m = x_d + dx`, `y_m = -y_d + dy`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MachineFromDoc {
    pub dx: f64,
    pub dy: f64,
}

impl MachineFromDoc {
    pub fn apply(&self, p: DocPoint) -> PointMm {
        PointMm::new(p.x + self.dx, self.dy - p.y)
    }
}

/// The doc -> machine transform for a page of `page_height_mm` whose artwork spans
/// `bounds_in_doc` (min, max), placed according to `origin`.
pub fn machine_from_doc(
    origin: JobOrigin,
    page_height_mm: f64,
    bounds_in_doc: (DocPoint, DocPoint),
) -> MachineFromDoc {
    match origin {
        JobOrigin::Absolute => MachineFromDoc {
            dx: 0.0,
            dy: page_height_mm,
        },
        JobOrigin::CurrentPosition { anchor } => {
            let (lo, hi) = bounds_in_doc;
            let (fx, fy) = anchor.fractions();
            // Box in machine orientation: x lo..hi, y from -hi.y (bottom) to -lo.y (top).
            let ax = lo.x + fx * (hi.x - lo.x);
            let ay = -hi.y + fy * (hi.y - lo.y);
            MachineFromDoc { dx: -ax, dy: -ay }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_flips_y_about_the_page() {
        let t = machine_from_doc(
            JobOrigin::Absolute,
            100.0,
            (DocPoint::new(0.0, 0.0), DocPoint::new(1.0, 1.0)),
        );
        assert_eq!(t.apply(DocPoint::new(10.0, 0.0)), PointMm::new(10.0, 100.0));
        assert_eq!(t.apply(DocPoint::new(10.0, 100.0)), PointMm::new(10.0, 0.0));
    }

    #[test]
    fn every_anchor_lands_on_the_origin() {
        let (lo, hi) = (DocPoint::new(10.0, 20.0), DocPoint::new(50.0, 80.0));
        for anchor in Anchor::ALL {
            let t = machine_from_doc(JobOrigin::CurrentPosition { anchor }, 300.0, (lo, hi));
            let corners =
                [lo, hi, DocPoint::new(lo.x, hi.y), DocPoint::new(hi.x, lo.y)].map(|p| t.apply(p));
            let min_x = corners.iter().map(|p| p.x).fold(f64::MAX, f64::min);
            let max_x = corners.iter().map(|p| p.x).fold(f64::MIN, f64::max);
            let min_y = corners.iter().map(|p| p.y).fold(f64::MAX, f64::min);
            let max_y = corners.iter().map(|p| p.y).fold(f64::MIN, f64::max);
            let (fx, fy) = anchor.fractions();
            assert!((min_x + fx * (max_x - min_x)).abs() < 1e-9, "{anchor:?}");
            assert!((min_y + fy * (max_y - min_y)).abs() < 1e-9, "{anchor:?}");
            assert!((max_x - min_x - 40.0).abs() < 1e-9 && (max_y - min_y - 60.0).abs() < 1e-9);
        }
        // Top-left of the artwork (doc y = 20, the top) is the machine's top-left.
        let t = machine_from_doc(
            JobOrigin::CurrentPosition {
                anchor: Anchor::TopLeft,
            },
            300.0,
            (lo, hi),
        );
        assert_eq!(t.apply(DocPoint::new(10.0, 20.0)), PointMm::new(0.0, 0.0));
    }
}
