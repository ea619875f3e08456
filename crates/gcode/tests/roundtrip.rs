//! Property tests: emitted programs read back to the same geometry and pass preflight; the
//! parser (and everything after it) never panics.

use burin_gcode::{EmitOptions, MachineProfile, emit, parse_program, preflight, stats};
use burin_toolpath::{Block, BlockSettings, LaserMode, Move, PointMm, Toolpath};
use proptest::prelude::*;

fn point() -> impl Strategy<Value = PointMm> {
    (0.0..400.0f64, 0.0..400.0f64).prop_map(|(x, y)| PointMm::new(x, y))
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        point().prop_map(|to| Move::Rapid { to }),
        (point(), 0.0..=100.0f64).prop_map(|(to, power_pct)| Move::Cut { to, power_pct }),
        // Zero power links and tiny steps that round away.
        point().prop_map(|to| Move::Cut { to, power_pct: 0.0 }),
    ]
}

fn a_block() -> impl Strategy<Value = Block> {
    (
        ".{0,100}",
        1.0..20000.0f64,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(a_move(), 0..30),
    )
        .prop_map(
            |(layer_name, feed_mm_min, constant, air_assist, moves)| Block {
                settings: BlockSettings {
                    layer_name,
                    feed_mm_min,
                    laser_mode: if constant {
                        LaserMode::Constant
                    } else {
                        LaserMode::Dynamic
                    },
                    air_assist,
                },
                moves,
                scan: None,
            },
        )
}

/// A motion read back from G-code text with a tiny independent interpreter.
#[derive(Debug)]
struct Read {
    cut: bool,
    x: f64,
    y: f64,
    s: f64,
    f: f64,
}

fn read_back(text: &str) -> Vec<Read> {
    let p = parse_program(text).expect("emitted text parses");
    let (mut g, mut x, mut y, mut s, mut f) = (None, f64::NAN, f64::NAN, 0.0, 0.0);
    let mut out = Vec::new();
    for l in p.lines() {
        if l.has_g(0.0) {
            g = Some(0);
        }
        if l.has_g(1.0) {
            g = Some(1);
        }
        if let Some(v) = l.get('S') {
            assert_ne!(g, Some(0), "S on a G0 line: {l}");
            s = v;
        }
        if let Some(v) = l.get('F') {
            f = v;
        }
        if l.has_axis_words() {
            x = l.get('X').unwrap_or(x);
            y = l.get('Y').unwrap_or(y);
            out.push(Read {
                cut: g == Some(1),
                x,
                y,
                s,
                f,
            });
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn emit_then_parse_keeps_geometry_and_passes_preflight(
        blocks in prop::collection::vec(a_block(), 0..6),
        s_max in 1u32..=1000,
    ) {
        let tp = Toolpath { blocks };
        let opts = EmitOptions::default().with_s_max(s_max);
        let text = emit(&tp, &opts).to_text();

        for line in text.lines() {
            prop_assert!(line.len() <= 79, "long line {line}");
            prop_assert!(line.is_ascii() && !line.contains(['?', '!', '~']));
        }

        let program = parse_program(&text).expect("parses");
        let profile = MachineProfile { s_max: f64::from(s_max), ..MachineProfile::default() };
        let report = preflight(&program, &profile);
        prop_assert!(report.findings.is_empty(), "{report}\n{text}");

        // Expected motions: every move whose target differs (at 1 µm) from where the head is.
        let mut want = Vec::new();
        let mut at: Option<(f64, f64)> = None;
        for b in &tp.blocks {
            for m in &b.moves {
                let to = m.to();
                let r = ((to.x * 1000.0).round(), (to.y * 1000.0).round());
                if at == Some(r) {
                    continue;
                }
                at = Some(r);
                want.push((m, b.settings.feed_mm_min));
            }
        }
        let mut got = read_back(&text);
        // The final return to the origin is not part of the toolpath.
        if at.is_some() && at != Some((0.0, 0.0)) {
            let back = got.pop().expect("return move");
            prop_assert!(!back.cut && back.x == 0.0 && back.y == 0.0);
        }
        prop_assert_eq!(got.len(), want.len());
        for (g, (m, feed)) in got.iter().zip(&want) {
            let to = m.to();
            prop_assert!((g.x - to.x).abs() <= 0.0005 + 1e-9, "{} vs {}", g.x, to.x);
            prop_assert!((g.y - to.y).abs() <= 0.0005 + 1e-9, "{} vs {}", g.y, to.y);
            match **m {
                Move::Rapid { .. } => prop_assert!(!g.cut),
                Move::Cut { power_pct, .. } => {
                    prop_assert!(g.cut);
                    let s = power_pct / 100.0 * f64::from(s_max);
                    prop_assert!((g.s - s).abs() <= 1.0, "S{} vs {s}", g.s);
                    prop_assert!((g.f - feed).abs() <= 0.0005 + 1e-9);
                }
            }
        }

        // Lit length agrees with the toolpath, counting as lit what rounds to S >= 1.
        let mut lit = 0.0;
        let mut from = PointMm::new(0.0, 0.0);
        for (m, _) in &want {
            if let Move::Cut { to, power_pct } = **m
                && (power_pct / 100.0 * f64::from(s_max)).round() >= 1.0
            {
                lit += from.distance_to(to);
            }
            from = m.to();
        }
        let st = stats(&program, &profile);
        prop_assert!((st.cut_mm - lit).abs() < 0.001 * (1.0 + want.len() as f64), "{} vs {lit}", st.cut_mm);
        prop_assert!(st.time.total_s.is_finite() && st.time.total_s >= 0.0);
    }

    #[test]
    fn parser_never_panics_on_any_text(src in ".{0,300}") {
        if let Ok(p) = parse_program(&src) {
            let profile = MachineProfile::default();
            let _ = preflight(&p, &profile);
            let _ = stats(&p, &profile);
        }
    }

    #[test]
    fn parser_never_panics_on_gcode_like_text(
        src in "[GMXYZIJKRFSPNgmxyz0-9 .;()+%$=/\r\n\t?!~-]{0,300}",
    ) {
        match parse_program(&src) {
            Ok(p) => {
                let profile = MachineProfile::default();
                let r = preflight(&p, &profile);
                let st = stats(&p, &profile);
                prop_assert!(!st.time.total_s.is_nan());
                // Display of a parsed program parses again to the same words.
                let again = parse_program(&p.to_text()).expect("canonical text parses");
                prop_assert_eq!(again.len(), p.len());
                for (a, b) in again.lines().zip(p.lines()) {
                    prop_assert_eq!(a.words(), b.words());
                    prop_assert_eq!(&a.kind, &b.kind);
                }
                let _ = r.is_ok();
            }
            Err(e) => {
                prop_assert!(e.line >= 1 && e.column >= 1);
            }
        }
    }
}
