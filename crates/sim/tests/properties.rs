//! Property tests: arbitrary host input never panics the simulator and keeps its books.

mod common;
use burin_sim::{Grbl, SimConfig};
use common::*;
use proptest::prelude::*;
use std::time::Duration;

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("G0".to_string()),
        Just("G1".to_string()),
        Just("G2".to_string()),
        Just("G3".to_string()),
        Just("G4 P0.01".to_string()),
        Just("G91".to_string()),
        Just("G90".to_string()),
        Just("G20".to_string()),
        Just("G92".to_string()),
        Just("M3".to_string()),
        Just("M4".to_string()),
        Just("M5".to_string()),
        Just("$J=".to_string()),
        Just("$X".to_string()),
        Just("$C".to_string()),
        Just("$120=0".to_string()),
        Just("$100=0".to_string()),
        Just("!".to_string()),
        Just("~".to_string()),
        Just("?".to_string()),
        Just("\u{18}".to_string()),
        (
            prop::sample::select(vec!['X', 'Y', 'Z', 'I', 'J', 'R', 'F', 'S', 'P', 'N']),
            -500.0f64..500.0
        )
            .prop_map(|(l, v)| format!("{l}{v:.3}")),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..6).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut g = sim();
        for chunk in bytes.chunks(37) {
            g.write(chunk);
            g.advance(Duration::from_millis(7));
            let _ = g.read();
        }
        g.advance(Duration::from_secs(5));
        prop_assert!(g.rx_used() <= 128);
        let c = g.counters();
        prop_assert!(c.oks + c.errors <= c.lines_received);
    }

    #[test]
    fn arbitrary_gcode_keeps_books_and_laws(lines in prop::collection::vec(line(), 1..25)) {
        let mut g = Grbl::new(SimConfig::default());
        g.read();
        let mut c = Counter::new(128);
        for l in &lines {
            if c.can_send(l) {
                c.send(&mut g, l);
            }
            g.advance(Duration::from_millis(3));
            c.absorb(&mut g);
        }
        for _ in 0..400 {
            g.advance(Duration::from_millis(50));
            c.absorb(&mut g);
        }
        prop_assert!(g.host_violations().is_empty());
        let log = g.burn_log();
        prop_assert!(!log.lit_during_rapid);
        prop_assert!(!log.m4_lit_while_stationary);
        prop_assert!(log.max_power_s <= g.settings().spindle_max_s + 1e-9);
        prop_assert!(g.machine_position_mm().iter().all(|v| v.is_finite()));
    }

    #[test]
    fn streamed_moves_end_at_the_last_target(targets in prop::collection::vec((0.0f64..300.0, 0.0f64..300.0), 1..60)) {
        let mut g = sim();
        let lines: Vec<String> = targets.iter().map(|(x, y)| format!("G1 X{x:.3} Y{y:.3} F4000")).collect();
        let mut c = Counter::new(128);
        c.stream(&mut g, &lines, Duration::from_millis(4));
        run_until_idle(&mut g);
        let (x, y) = targets[targets.len() - 1];
        let p = g.machine_position_mm();
        // Targets are rounded to whole steps (80 steps/mm).
        prop_assert!((p[0] - (x * 1000.0).round() / 1000.0).abs() <= 0.5 / 80.0 + 1e-9);
        prop_assert!((p[1] - (y * 1000.0).round() / 1000.0).abs() <= 0.5 / 80.0 + 1e-9);
        prop_assert_eq!(c.oks, lines.len());
    }
}
