//! Will the link keep up? A program of many short moves (a raster at speed) needs more lines
//! and bytes per second than a 115200-baud link or an 8-bit GRBL's parser can take; GRBL's
//! planner then runs dry and the head stutters, burning dark spots. This measures what a
//! program needs against those limits and names the feed that fits.

use crate::ast::Program;

/// What the link and the firmware can take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkLimits {
    /// Serial speed, baud (10 bits per byte on the wire). Default 115200.
    pub baud: u32,
    /// Lines per second GRBL parses and plans. Default 400 (an ATmega328p; 32-bit boards do
    /// several thousand).
    pub firmware_lines_per_s: f64,
    /// Motion lines the planner holds, which smooths bursts shorter than that. Default 16.
    pub window_lines: usize,
}

impl Default for LinkLimits {
    fn default() -> Self {
        Self {
            baud: 115_200,
            firmware_lines_per_s: 400.0,
            window_lines: 16,
        }
    }
}

/// What a program needs, at its busiest.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Throughput {
    /// Most motion lines per second over any planner-sized window.
    pub peak_lines_per_s: f64,
    /// Most bytes per second (line feeds included) over any window.
    pub peak_bytes_per_s: f64,
    /// What the link delivers, bytes per second.
    pub link_bytes_per_s: f64,
    pub firmware_lines_per_s: f64,
    /// The factor (≤ 1) to apply to the feed so neither limit is exceeded; 1 if none is.
    pub feed_factor: f64,
}

impl Throughput {
    /// True when the program needs more than the link or the firmware gives.
    pub fn stutters(&self) -> bool {
        self.feed_factor < 0.999
    }
}

/// Measures `program` with its per-line times (the machine's own, from
/// [`crate::line_times_at`]).
pub fn throughput(program: &Program, line_times: &[f64], limits: &LinkLimits) -> Throughput {
    let link_bytes_per_s = f64::from(limits.baud.max(1)) / 10.0;
    let window = limits.window_lines.max(1);
    // Motion lines only: (seconds, bytes).
    let lines: Vec<(f64, f64)> = program
        .line_texts()
        .zip(line_times)
        .filter(|(_, t)| **t > 0.0)
        // The bytes streamed: the stored line as written, plus its LF.
        .map(|(l, t)| (*t, (l.len() + 1) as f64))
        .collect();
    let (mut peak_lines, mut peak_bytes) = (0.0f64, 0.0f64);
    if lines.len() >= window {
        let (mut t, mut b) = (0.0, 0.0);
        for (i, (ti, bi)) in lines.iter().enumerate() {
            t += ti;
            b += bi;
            if i >= window {
                t -= lines[i - window].0;
                b -= lines[i - window].1;
            }
            if i + 1 >= window && t > 1e-9 {
                peak_lines = peak_lines.max(window as f64 / t);
                peak_bytes = peak_bytes.max(b / t);
            }
        }
    }
    let mut factor: f64 = 1.0;
    if peak_bytes > link_bytes_per_s {
        factor = factor.min(link_bytes_per_s / peak_bytes);
    }
    if peak_lines > limits.firmware_lines_per_s {
        factor = factor.min(limits.firmware_lines_per_s / peak_lines);
    }
    Throughput {
        peak_lines_per_s: peak_lines,
        peak_bytes_per_s: peak_bytes,
        link_bytes_per_s,
        firmware_lines_per_s: limits.firmware_lines_per_s,
        feed_factor: factor,
    }
}

/// The largest factor on the program's feeds at which it no longer outruns `limits`, or `None`
/// if it keeps up as written. Not simply [`Throughput::feed_factor`]: dense rows of short
/// moves are often held below their feed by the planner's look-ahead (it must be able to stop
/// within the blocks it holds), and rapid hops don't follow the feed, so lowering the feed
/// frees fewer lines per second than it seems. Found by bisection on the planner model, to
/// 1 %; `Some(0.05)` means even a twentieth of the feed is not enough.
pub fn safe_feed_scale(
    program: &Program,
    profile: &crate::MachineProfile,
    limits: &LinkLimits,
) -> Option<f64> {
    let at = |scale: f64| {
        throughput(
            program,
            &crate::line_times_at(program, profile, scale),
            limits,
        )
    };
    let first = at(1.0);
    if !first.stutters() {
        return None;
    }
    // The linear guess is an upper bound: times never shrink faster than the feed grows.
    let (mut lo, mut hi) = (0.05, first.feed_factor.clamp(0.05, 1.0));
    if !at(hi).stutters() {
        return Some(hi);
    }
    if at(lo).stutters() {
        return Some(lo);
    }
    while hi - lo > 0.01 * hi {
        let mid = 0.5 * (lo + hi);
        if at(mid).stutters() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MachineProfile, line_times_at, parse_program};

    fn raster(feed: f64, px: f64) -> Program {
        let mut src = String::from("G21G90\nM4\n");
        for row in 0..20 {
            src.push_str(&format!("G0X0Y{}\n", row as f64 * 0.1));
            for i in 1..=400 {
                let s = if i % 2 == 0 { 0 } else { 500 };
                src.push_str(&format!("G1X{:.1}F{feed}S{s}\n", i as f64 * px));
            }
        }
        src.push_str("M5\n");
        parse_program(&src).expect("parses")
    }

    #[test]
    fn a_fast_raster_outruns_the_link_and_a_slow_one_does_not() {
        let profile = MachineProfile {
            accel_x_mm_s2: 5000.0,
            ..MachineProfile::default()
        };
        let fast = raster(6000.0, 0.1);
        let t = throughput(
            &fast,
            &line_times_at(&fast, &profile, 1.0),
            &LinkLimits::default(),
        );
        // 0.1 mm pixels at 100 mm/s: 1000 lines/s, well above 400.
        assert!(t.peak_lines_per_s > 900.0, "{t:?}");
        assert!(t.stutters());
        assert!(t.feed_factor < 0.45, "{t:?}");
        let scale = safe_feed_scale(&fast, &profile, &LinkLimits::default()).expect("stutters");
        assert!(scale <= t.feed_factor);
        // A whole feed, as emitters write it (the F word's length counts on the link).
        let slow = raster((6000.0 * scale).floor(), 0.1);
        let t2 = throughput(
            &slow,
            &line_times_at(&slow, &profile, 1.0),
            &LinkLimits::default(),
        );
        assert!(!t2.stutters(), "the suggested feed fits: {t2:?}");
    }

    #[test]
    fn the_safe_feed_accounts_for_the_look_ahead() {
        // At 1000 mm/s² the planner's 16 blocks of 0.1 mm hold the head near 57 mm/s whatever
        // the feed, so the linear guess (limit / peak) is too optimistic.
        let profile = MachineProfile::default();
        let fast = raster(9000.0, 0.1);
        let limits = LinkLimits::default();
        let t = throughput(&fast, &line_times_at(&fast, &profile, 1.0), &limits);
        let scale = safe_feed_scale(&fast, &profile, &limits).expect("stutters");
        assert!(scale < t.feed_factor * 0.9, "{scale} vs {}", t.feed_factor);
        let at = throughput(&fast, &line_times_at(&fast, &profile, scale), &limits);
        assert!(!at.stutters(), "{at:?}");
        let above = throughput(
            &fast,
            &line_times_at(&fast, &profile, scale * 1.05),
            &limits,
        );
        assert!(above.stutters(), "{above:?}");
        let slow = raster(1000.0, 0.1);
        assert_eq!(safe_feed_scale(&slow, &profile, &limits), None);
    }

    #[test]
    fn short_programs_and_long_moves_never_stutter() {
        let p = parse_program("G21G90\nG0X10\nG1X100F1000S100\nM5\n").expect("parses");
        let t = throughput(
            &p,
            &line_times_at(&p, &MachineProfile::default(), 1.0),
            &LinkLimits::default(),
        );
        assert!(!t.stutters());
    }
}
