//! Arc segmentation, a port of GRBL's `mc_arc`: chords whose sagitta stays within `$12`.

use crate::settings::N_AXIS;
use std::f64::consts::PI;

const ARC_ANGULAR_TRAVEL_EPSILON: f64 = 5e-7;

/// Splits an arc into chord end points (machine mm), the last one exactly `target`, handed to
/// `chord_end` in order (so the parser needs no list of them per arc).
/// `offset` is the centre relative to `position` (I/J/K), `axes` is (axis_0, axis_1, linear).
#[allow(clippy::too_many_arguments)] // mc_arc's parameters
pub fn segment_arc(
    position: [f64; N_AXIS],
    target: [f64; N_AXIS],
    offset: [f64; N_AXIS],
    radius: f64,
    axes: (usize, usize, usize),
    clockwise: bool,
    tolerance_mm: f64,
    mut chord_end: impl FnMut([f64; N_AXIS]),
) {
    let (a0, a1, al) = axes;
    let center0 = position[a0] + offset[a0];
    let center1 = position[a1] + offset[a1];
    let r0 = -offset[a0];
    let r1 = -offset[a1];
    let rt0 = target[a0] - center0;
    let rt1 = target[a1] - center1;
    let mut angular_travel = (r0 * rt1 - r1 * rt0).atan2(r0 * rt0 + r1 * rt1);
    if clockwise {
        if angular_travel >= -ARC_ANGULAR_TRAVEL_EPSILON {
            angular_travel -= 2.0 * PI;
        }
    } else if angular_travel <= ARC_ANGULAR_TRAVEL_EPSILON {
        angular_travel += 2.0 * PI;
    }
    let denom = (tolerance_mm * (2.0 * radius - tolerance_mm)).sqrt();
    let segments = if denom > 0.0 && denom.is_finite() {
        ((0.5 * angular_travel * radius).abs() / denom).floor()
    } else {
        0.0
    };
    // Bound the work for absurd inputs; GRBL's uint16 counter wraps at 65535.
    let segments = segments.min(65_535.0) as usize;
    if segments > 1 {
        let theta_per_segment = angular_travel / segments as f64;
        let linear_per_segment = (target[al] - position[al]) / segments as f64;
        for i in 1..segments {
            let theta = theta_per_segment * i as f64;
            let (sin_t, cos_t) = theta.sin_cos();
            let mut p = position;
            p[a0] = center0 + r0 * cos_t - r1 * sin_t;
            p[a1] = center1 + r0 * sin_t + r1 * cos_t;
            p[al] = position[al] + linear_per_segment * i as f64;
            chord_end(p);
        }
    }
    chord_end(target);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_circle_stays_within_tolerance() {
        let mut pts = Vec::new();
        segment_arc(
            [10.0, 0.0, 0.0],
            [0.0, 10.0, 0.0],
            [-10.0, 0.0, 0.0],
            10.0,
            (0, 1, 2),
            false,
            0.002,
            |p| pts.push(p),
        );
        // GRBL: floor(|0.5·θ·r| / sqrt(tol·(2r - tol))) segments.
        let expect =
            (0.5 * std::f64::consts::FRAC_PI_2 * 10.0 / (0.002f64 * (20.0 - 0.002)).sqrt()).floor();
        assert_eq!(pts.len(), expect as usize);
        assert_eq!(*pts.last().unwrap(), [0.0, 10.0, 0.0]);
        let mut prev = [10.0, 0.0, 0.0];
        for p in &pts {
            assert!(((p[0].powi(2) + p[1].powi(2)).sqrt() - 10.0).abs() < 1e-9);
            let chord = ((p[0] - prev[0]).powi(2) + (p[1] - prev[1]).powi(2)).sqrt();
            let sagitta = 10.0 - (100.0 - chord * chord / 4.0).sqrt();
            // GRBL floors the segment count, so chords may exceed $12 by a hair.
            assert!(sagitta <= 0.002 * 1.1);
            prev = *p;
        }
    }
}
