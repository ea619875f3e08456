//! Arc geometry as GRBL computes it (`gcode.c` for the centre, `motion_control.c` `mc_arc` for
//! the sweep and the segment count).

use std::f64::consts::{FRAC_PI_2, TAU};

/// GRBL's `ARC_ANGULAR_TRAVEL_EPSILON`: below this a start = end arc is a full circle.
const ANGULAR_EPSILON: f64 = 5e-7;

/// Why GRBL would refuse an arc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArcError {
    /// `error:33`: radius-format arc to its own start, zero radius, or end radius differs
    /// from start radius by more than GRBL tolerates.
    InvalidTarget,
    /// `error:34`: radius too small for the chord.
    RadiusTooSmall,
}

/// A circular (or helical) arc in one of the three planes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Arc {
    /// Indices of the plane's first and second axis and of the linear (helix) axis:
    /// G17 = (X, Y, Z), G18 = (Z, X, Y), G19 = (Y, Z, X).
    pub axes: [usize; 3],
    pub center: [f64; 2],
    pub radius: f64,
    pub start_angle: f64,
    /// Signed sweep in radians: positive counter-clockwise.
    pub travel: f64,
}

impl Arc {
    /// Centre-offset (`I J K`) arc, mm. Checks the end radius as GRBL does.
    pub fn from_offset(
        from: [f64; 3],
        to: [f64; 3],
        offset: [f64; 2],
        clockwise: bool,
        axes: [usize; 3],
    ) -> Result<Self, ArcError> {
        let [a0, a1, _] = axes;
        let radius = offset[0].hypot(offset[1]);
        let x = to[a0] - from[a0];
        let y = to[a1] - from[a1];
        let target_r = (x - offset[0]).hypot(y - offset[1]);
        let delta_r = (target_r - radius).abs();
        if radius <= 0.0 || (delta_r > 0.005 && (delta_r > 0.5 || delta_r > 0.001 * radius)) {
            return Err(ArcError::InvalidTarget);
        }
        Ok(Self::build(from, to, offset, radius, clockwise, axes))
    }

    /// Radius-format (`R`) arc, mm; a negative radius asks for the long way round.
    pub fn from_radius(
        from: [f64; 3],
        to: [f64; 3],
        r: f64,
        clockwise: bool,
        axes: [usize; 3],
    ) -> Result<Self, ArcError> {
        let [a0, a1, _] = axes;
        if from == to || r == 0.0 {
            return Err(ArcError::InvalidTarget);
        }
        let x = to[a0] - from[a0];
        let y = to[a1] - from[a1];
        let h2 = 4.0 * r * r - x * x - y * y;
        if h2 < 0.0 {
            return Err(ArcError::RadiusTooSmall);
        }
        let chord = x.hypot(y);
        if chord == 0.0 {
            // Only the linear axis moves: GRBL divides by zero here; refuse instead.
            return Err(ArcError::InvalidTarget);
        }
        let mut h = -h2.sqrt() / chord;
        if !clockwise {
            h = -h;
        }
        if r < 0.0 {
            h = -h;
        }
        let offset = [0.5 * (x - y * h), 0.5 * (y + x * h)];
        Ok(Self::build(from, to, offset, r.abs(), clockwise, axes))
    }

    fn build(
        from: [f64; 3],
        to: [f64; 3],
        offset: [f64; 2],
        radius: f64,
        clockwise: bool,
        axes: [usize; 3],
    ) -> Self {
        let [a0, a1, _] = axes;
        let center = [from[a0] + offset[0], from[a1] + offset[1]];
        let r0 = [-offset[0], -offset[1]];
        let rt = [to[a0] - center[0], to[a1] - center[1]];
        let mut travel = (r0[0] * rt[1] - r0[1] * rt[0]).atan2(r0[0] * rt[0] + r0[1] * rt[1]);
        if clockwise {
            if travel >= -ANGULAR_EPSILON {
                travel -= TAU;
            }
        } else if travel <= ANGULAR_EPSILON {
            travel += TAU;
        }
        Self {
            axes,
            center,
            radius,
            start_angle: r0[1].atan2(r0[0]),
            travel,
        }
    }

    /// Path length, mm (a helix if the linear axis moves).
    pub fn length(&self, from: [f64; 3], to: [f64; 3]) -> f64 {
        let lin = to[self.axes[2]] - from[self.axes[2]];
        (self.travel * self.radius).hypot(lin)
    }

    fn point_at(&self, angle: f64) -> [f64; 2] {
        [
            self.center[0] + self.radius * angle.cos(),
            self.center[1] + self.radius * angle.sin(),
        ]
    }

    /// Bounding box (min, max) of the true arc, not just its end points.
    pub fn extents(&self, from: [f64; 3], to: [f64; 3]) -> ([f64; 3], [f64; 3]) {
        let mut lo = [0.0; 3];
        let mut hi = [0.0; 3];
        for i in 0..3 {
            lo[i] = from[i].min(to[i]);
            hi[i] = from[i].max(to[i]);
        }
        let [a0, a1, _] = self.axes;
        for k in 0..4 {
            let c = f64::from(k) * FRAC_PI_2;
            let ahead = if self.travel >= 0.0 {
                (c - self.start_angle).rem_euclid(TAU)
            } else {
                (self.start_angle - c).rem_euclid(TAU)
            };
            if ahead <= self.travel.abs() {
                let p = self.point_at(c);
                lo[a0] = lo[a0].min(p[0]);
                hi[a0] = hi[a0].max(p[0]);
                lo[a1] = lo[a1].min(p[1]);
                hi[a1] = hi[a1].max(p[1]);
            }
        }
        (lo, hi)
    }

    /// The line segments GRBL plans for this arc: the points after `from`, ending at `to`.
    /// The count follows `mc_arc`: `floor(|travel * r / 2| / sqrt(tol * (2r - tol)))`.
    pub fn segment_points(&self, from: [f64; 3], to: [f64; 3], tolerance_mm: f64) -> Vec<[f64; 3]> {
        let denom = (tolerance_mm * (2.0 * self.radius - tolerance_mm)).sqrt();
        let raw = (0.5 * self.travel * self.radius).abs() / denom;
        // GRBL keeps the count in a u16; cap it the same way so a huge arc cannot explode.
        let segments = if raw.is_finite() && raw >= 1.0 {
            raw.floor().min(f64::from(u16::MAX)) as usize
        } else {
            1
        };
        let lin = self.axes[2];
        let mut pts = Vec::with_capacity(segments);
        for i in 1..segments {
            let t = i as f64 / segments as f64;
            let p = self.point_at(self.start_angle + self.travel * t);
            let mut q = [0.0; 3];
            q[self.axes[0]] = p[0];
            q[self.axes[1]] = p[1];
            q[lin] = from[lin] + (to[lin] - from[lin]) * t;
            pts.push(q);
        }
        pts.push(to);
        pts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    const XY: [usize; 3] = [0, 1, 2];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn quarter_circle_ccw_by_offset() {
        // (10,0) -> (0,10) around the origin, counter-clockwise: a quarter turn.
        let a = Arc::from_offset([10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [-10.0, 0.0], false, XY)
            .expect("valid");
        assert!(close(a.travel, FRAC_PI_2));
        assert!(close(
            a.length([10.0, 0.0, 0.0], [0.0, 10.0, 0.0]),
            5.0 * PI
        ));
        let (lo, hi) = a.extents([10.0, 0.0, 0.0], [0.0, 10.0, 0.0]);
        assert!(close(lo[0], 0.0) && close(hi[0], 10.0) && close(hi[1], 10.0));
    }

    #[test]
    fn clockwise_half_circle_reaches_past_its_end_points() {
        // (0,0) -> (20,0) clockwise around (10,0): bulges to y = +10.
        let a = Arc::from_offset([0.0; 3], [20.0, 0.0, 0.0], [10.0, 0.0], true, XY).expect("ok");
        assert!(close(a.travel, -PI));
        let (lo, hi) = a.extents([0.0; 3], [20.0, 0.0, 0.0]);
        assert!(close(hi[1], 10.0) && close(lo[1], 0.0));
        // Counter-clockwise goes below.
        let b = Arc::from_offset([0.0; 3], [20.0, 0.0, 0.0], [10.0, 0.0], false, XY).expect("ok");
        let (lo, hi) = b.extents([0.0; 3], [20.0, 0.0, 0.0]);
        assert!(close(lo[1], -10.0) && close(hi[1], 0.0));
    }

    #[test]
    fn full_circle_when_start_equals_end() {
        let p = [5.0, 0.0, 0.0];
        let a = Arc::from_offset(p, p, [-5.0, 0.0], false, XY).expect("ok");
        assert!(close(a.travel, TAU));
        let (lo, hi) = a.extents(p, p);
        assert!(close(lo[0], -5.0) && close(hi[0], 5.0) && close(lo[1], -5.0));
    }

    #[test]
    fn radius_form_matches_offset_form() {
        let from = [0.0; 3];
        let to = [10.0, 10.0, 0.0];
        // Short way clockwise with R10: centre at (10, 0).
        let a = Arc::from_radius(from, to, 10.0, true, XY).expect("ok");
        assert!(close(a.center[0], 10.0) && close(a.center[1], 0.0));
        assert!(close(a.travel, -FRAC_PI_2));
        let long = Arc::from_radius(from, to, -10.0, true, XY).expect("ok");
        assert!(close(long.travel, -1.5 * PI));
        assert_eq!(
            Arc::from_radius(from, to, 1.0, true, XY),
            Err(ArcError::RadiusTooSmall)
        );
        assert_eq!(
            Arc::from_radius(from, from, 5.0, true, XY),
            Err(ArcError::InvalidTarget)
        );
    }

    #[test]
    fn end_radius_mismatch_is_refused() {
        let r = Arc::from_offset([10.0, 0.0, 0.0], [0.0, 11.0, 0.0], [-10.0, 0.0], false, XY);
        assert_eq!(r, Err(ArcError::InvalidTarget));
    }

    #[test]
    fn segment_count_follows_mc_arc() {
        // r = 10, quarter turn, tol 0.002: floor(0.5*pi/2*10 / sqrt(0.002*19.998)) = 39.
        let from = [10.0, 0.0, 0.0];
        let to = [0.0, 10.0, 0.0];
        let a = Arc::from_offset(from, to, [-10.0, 0.0], false, XY).expect("ok");
        let pts = a.segment_points(from, to, 0.002);
        let expect = (0.5 * FRAC_PI_2 * 10.0 / (0.002f64 * 19.998).sqrt()).floor() as usize;
        assert_eq!(pts.len(), expect);
        assert_eq!(pts.last().copied(), Some(to));
        for p in &pts {
            assert!(close(p[0].hypot(p[1]), 10.0));
        }
    }
}
