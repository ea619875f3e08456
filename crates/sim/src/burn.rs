//! What the machine physically did with the laser: burned segments and totals.

use crate::config::N_AXIS;
use crate::words::SpindleMode;

/// One straight piece of head travel with the laser on.
#[derive(Debug, Clone, PartialEq)]
pub struct BurnSegment {
    /// Start, machine mm.
    pub from_mm: [f64; N_AXIS],
    /// End, machine mm.
    pub to_mm: [f64; N_AXIS],
    /// Effective power (S units after override, M4 scaling and `$30`/`$31` clamping),
    /// time-averaged over the segment.
    pub power_s: f64,
    /// Programmed feed of the block, mm/min (after overrides are *not* applied).
    pub feed_mm_min: f64,
    /// M3 (constant) or M4 (dynamic).
    pub mode: SpindleMode,
}

/// Totals and (bounded) segment list of everything the laser did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BurnLog {
    /// Burned segments, merged when collinear and consecutive with equal power, feed and
    /// mode. Stops growing at the configured cap (see `truncated`).
    pub segments: Vec<BurnSegment>,
    /// True if segments were dropped because of the cap; totals are still complete.
    pub truncated: bool,
    /// Length travelled with the laser on, mm.
    pub burned_mm: f64,
    /// Length travelled with the laser off, mm.
    pub travel_mm: f64,
    /// Integral of power over time, S·s (energy in power units).
    pub energy_s_s: f64,
    /// Highest effective power seen, S units.
    pub max_power_s: f64,
    /// Time the laser was on while the head stood still, seconds (M3 at rest, or in a hold).
    pub stationary_on_s: f64,
    /// The laser was on during a G0/G28/G30 rapid (must never happen in laser mode).
    pub lit_during_rapid: bool,
    /// The laser was on in M4 while the head stood still (must never happen).
    pub m4_lit_while_stationary: bool,
    /// Time the laser was on during moves, seconds.
    pub on_time_s: f64,
    cap: Option<usize>,
}

const COLLINEAR_TOL: f64 = 1e-9;
const POWER_TOL: f64 = 1e-6;

impl BurnLog {
    pub(crate) fn new(cap: Option<usize>) -> Self {
        Self {
            cap,
            ..Self::default()
        }
    }

    /// Records head motion from `from` to `to` over `dt_s` with average power `power_s`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record_move(
        &mut self,
        from: [f64; N_AXIS],
        to: [f64; N_AXIS],
        dt_s: f64,
        power_s: f64,
        peak_power_s: f64,
        feed_mm_min: f64,
        mode: SpindleMode,
        rapid: bool,
    ) {
        let len = dist(&from, &to);
        if power_s <= 0.0 {
            self.travel_mm += len;
            return;
        }
        self.burned_mm += len;
        self.energy_s_s += power_s * dt_s;
        self.on_time_s += dt_s;
        self.max_power_s = self.max_power_s.max(peak_power_s);
        if rapid {
            self.lit_during_rapid = true;
        }
        if len <= 0.0 {
            return;
        }
        if let Some(last) = self.segments.last_mut()
            && last.mode == mode
            && (last.power_s - power_s).abs() <= POWER_TOL * power_s.max(1.0)
            && last.feed_mm_min == feed_mm_min
            && last.to_mm == from
            && collinear(&last.from_mm, &last.to_mm, &to)
        {
            last.to_mm = to;
            return;
        }
        if self.cap.is_some_and(|c| self.segments.len() >= c) {
            self.truncated = true;
            return;
        }
        self.segments.push(BurnSegment {
            from_mm: from,
            to_mm: to,
            power_s,
            feed_mm_min,
            mode,
        });
    }

    /// Records the laser on at `power_s` with the head at rest for `dt_s`.
    pub(crate) fn record_stationary(&mut self, dt_s: f64, power_s: f64, mode: SpindleMode) {
        if power_s <= 0.0 || dt_s <= 0.0 {
            return;
        }
        self.stationary_on_s += dt_s;
        self.energy_s_s += power_s * dt_s;
        self.max_power_s = self.max_power_s.max(power_s);
        if mode == SpindleMode::Ccw {
            self.m4_lit_while_stationary = true;
        }
    }
}

fn dist(a: &[f64; N_AXIS], b: &[f64; N_AXIS]) -> f64 {
    (0..N_AXIS)
        .map(|i| (b[i] - a[i]).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// True if `c` continues the direction `a -> b`.
fn collinear(a: &[f64; N_AXIS], b: &[f64; N_AXIS], c: &[f64; N_AXIS]) -> bool {
    let ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    let bc = [c[0] - b[0], c[1] - b[1], c[2] - b[2]];
    let lab = dist(a, b);
    let lbc = dist(b, c);
    if lab == 0.0 || lbc == 0.0 {
        return true;
    }
    let dot = (ab[0] * bc[0] + ab[1] * bc[1] + ab[2] * bc[2]) / (lab * lbc);
    dot > 1.0 - COLLINEAR_TOL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_collinear_and_respects_cap() {
        let mut log = BurnLog::new(Some(2));
        let m = SpindleMode::Ccw;
        log.record_move(
            [0.0; 3],
            [1.0, 0.0, 0.0],
            0.1,
            500.0,
            500.0,
            600.0,
            m,
            false,
        );
        log.record_move(
            [1.0, 0.0, 0.0],
            [2.0, 0.0, 0.0],
            0.1,
            500.0,
            500.0,
            600.0,
            m,
            false,
        );
        assert_eq!(log.segments.len(), 1);
        assert_eq!(log.segments[0].to_mm, [2.0, 0.0, 0.0]);
        log.record_move(
            [2.0, 0.0, 0.0],
            [2.0, 1.0, 0.0],
            0.1,
            500.0,
            500.0,
            600.0,
            m,
            false,
        );
        log.record_move(
            [2.0, 1.0, 0.0],
            [3.0, 1.0, 0.0],
            0.1,
            500.0,
            500.0,
            600.0,
            m,
            false,
        );
        assert_eq!(log.segments.len(), 2);
        assert!(log.truncated);
        assert!((log.burned_mm - 4.0).abs() < 1e-12);
        log.record_move(
            [3.0, 1.0, 0.0],
            [0.0, 1.0, 0.0],
            0.1,
            0.0,
            0.0,
            600.0,
            m,
            true,
        );
        assert!((log.travel_mm - 3.0).abs() < 1e-12);
        assert!(!log.lit_during_rapid);
    }
}
