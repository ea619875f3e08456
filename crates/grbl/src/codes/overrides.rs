//! Byte sequences that move a feed or spindle override from one percentage to another.
//!
//! GRBL latches each override byte as a flag until its main loop runs, so the *same* byte sent
//! twice in quick succession may count once. Sending a whole [`override_bytes`] sequence in
//! one write is therefore only approximate; for an exact result send [`next_override_byte`]
//! once per status report (the `Ov:` field gives the current value) until it returns `None`.

use crate::realtime::{
    FEED_OV_COARSE_MINUS, FEED_OV_COARSE_PLUS, FEED_OV_FINE_MINUS, FEED_OV_FINE_PLUS,
    FEED_OV_RESET, RAPID_OV_LOW, RAPID_OV_MEDIUM, RAPID_OV_RESET, SPINDLE_OV_COARSE_MINUS,
    SPINDLE_OV_COARSE_PLUS, SPINDLE_OV_FINE_MINUS, SPINDLE_OV_FINE_PLUS, SPINDLE_OV_RESET,
};

/// Lowest feed/spindle override GRBL accepts, %.
pub const OVERRIDE_MIN_PCT: u16 = 10;
/// Highest feed/spindle override GRBL accepts, %.
pub const OVERRIDE_MAX_PCT: u16 = 200;

/// Which stepped override to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideKind {
    /// Feed override (G1/G2/G3 feeds).
    Feed,
    /// Spindle override, i.e. laser power.
    Spindle,
}

struct Bytes {
    reset: u8,
    coarse_plus: u8,
    coarse_minus: u8,
    fine_plus: u8,
    fine_minus: u8,
}

fn bytes_for(kind: OverrideKind) -> Bytes {
    match kind {
        OverrideKind::Feed => Bytes {
            reset: FEED_OV_RESET,
            coarse_plus: FEED_OV_COARSE_PLUS,
            coarse_minus: FEED_OV_COARSE_MINUS,
            fine_plus: FEED_OV_FINE_PLUS,
            fine_minus: FEED_OV_FINE_MINUS,
        },
        OverrideKind::Spindle => Bytes {
            reset: SPINDLE_OV_RESET,
            coarse_plus: SPINDLE_OV_COARSE_PLUS,
            coarse_minus: SPINDLE_OV_COARSE_MINUS,
            fine_plus: SPINDLE_OV_FINE_PLUS,
            fine_minus: SPINDLE_OV_FINE_MINUS,
        },
    }
}

fn steps(b: &Bytes, from: u16, to: u16, out: &mut Vec<u8>) {
    let (coarse, fine, n) = if to >= from {
        (b.coarse_plus, b.fine_plus, to - from)
    } else {
        (b.coarse_minus, b.fine_minus, from - to)
    };
    out.extend(std::iter::repeat_n(coarse, usize::from(n / 10)));
    out.extend(std::iter::repeat_n(fine, usize::from(n % 10)));
}

/// Shortest byte sequence taking the `kind` override from `current_pct` to `target_pct`
/// (both clamped to 10..=200), using ±10/±1 steps and the 100 % reset byte when that is
/// shorter. Empty if nothing changes. Intermediate values stay within the range.
pub fn override_bytes(kind: OverrideKind, current_pct: u16, target_pct: u16) -> Vec<u8> {
    let from = current_pct.clamp(OVERRIDE_MIN_PCT, OVERRIDE_MAX_PCT);
    let to = target_pct.clamp(OVERRIDE_MIN_PCT, OVERRIDE_MAX_PCT);
    let b = bytes_for(kind);
    let mut direct = Vec::new();
    steps(&b, from, to, &mut direct);
    let mut via_reset = vec![b.reset];
    steps(&b, 100, to, &mut via_reset);
    if from != to && via_reset.len() < direct.len() {
        via_reset
    } else {
        direct
    }
}

/// First byte of [`override_bytes`]: send it, wait for the next `Ov:` report, repeat.
pub fn next_override_byte(kind: OverrideKind, current_pct: u16, target_pct: u16) -> Option<u8> {
    override_bytes(kind, current_pct, target_pct)
        .first()
        .copied()
}

/// The byte selecting a rapid override of `pct` (only 25, 50 and 100 exist; others round
/// down to the nearest, with anything under 50 giving 25).
pub fn rapid_override_byte(pct: u16) -> u8 {
    match pct {
        100.. => RAPID_OV_RESET,
        50..=99 => RAPID_OV_MEDIUM,
        _ => RAPID_OV_LOW,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What GRBL does with each byte, applied one at a time.
    fn simulate(kind: OverrideKind, mut pct: u16, bytes: &[u8]) -> u16 {
        let b = bytes_for(kind);
        for &x in bytes {
            pct = if x == b.reset {
                100
            } else if x == b.coarse_plus {
                pct + 10
            } else if x == b.coarse_minus {
                pct - 10
            } else if x == b.fine_plus {
                pct + 1
            } else if x == b.fine_minus {
                pct - 1
            } else {
                panic!("foreign byte {x:#x}")
            };
            assert!((OVERRIDE_MIN_PCT..=OVERRIDE_MAX_PCT).contains(&pct));
        }
        pct
    }

    #[test]
    fn examples() {
        assert_eq!(
            override_bytes(OverrideKind::Feed, 100, 123),
            vec![0x91, 0x91, 0x93, 0x93, 0x93]
        );
        assert_eq!(override_bytes(OverrideKind::Spindle, 150, 100), vec![0x99]);
        assert_eq!(
            override_bytes(OverrideKind::Spindle, 190, 101),
            vec![0x99, 0x9C]
        );
        assert_eq!(override_bytes(OverrideKind::Feed, 80, 78), vec![0x94, 0x94]);
        assert!(override_bytes(OverrideKind::Feed, 100, 100).is_empty());
        assert_eq!(next_override_byte(OverrideKind::Feed, 100, 90), Some(0x92));
        assert_eq!(rapid_override_byte(50), RAPID_OV_MEDIUM);
        assert_eq!(rapid_override_byte(10), RAPID_OV_LOW);
    }

    proptest! {
        #[test]
        fn reaches_target(from in 10u16..=200, to in 0u16..=300, feed in any::<bool>()) {
            let kind = if feed { OverrideKind::Feed } else { OverrideKind::Spindle };
            let seq = override_bytes(kind, from, to);
            prop_assert_eq!(simulate(kind, from, &seq), to.clamp(10, 200));
            prop_assert!(seq.len() <= 1 + 10 + 9);
        }

        #[test]
        fn closed_loop_converges(from in 10u16..=200, to in 10u16..=200) {
            let kind = OverrideKind::Feed;
            let mut pct = from;
            for _ in 0..40 {
                match next_override_byte(kind, pct, to) {
                    Some(b) => pct = simulate(kind, pct, &[b]),
                    None => break,
                }
            }
            prop_assert_eq!(pct, to);
        }
    }
}
