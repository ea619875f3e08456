use super::*;
use crate::parse::parse_program;
use crate::preflight::preflight;
use crate::profile::MachineProfile;
use burin_toolpath::{Block, BlockSettings};

fn block(layer: &str, feed: f64, mode: LaserMode, air: bool, moves: Vec<Move>) -> Block {
    Block {
        settings: BlockSettings {
            layer_name: layer.into(),
            feed_mm_min: feed,
            laser_mode: mode,
            air_assist: air,
        },
        moves,
        scan: None,
    }
}

fn rapid(x: f64, y: f64) -> Move {
    Move::Rapid {
        to: PointMm::new(x, y),
    }
}

fn cut(x: f64, y: f64, power_pct: f64) -> Move {
    Move::Cut {
        to: PointMm::new(x, y),
        power_pct,
    }
}

fn text(blocks: Vec<Block>, opts: &EmitOptions) -> String {
    emit(&Toolpath { blocks }, opts).to_text()
}

fn lines(blocks: Vec<Block>) -> Vec<String> {
    text(blocks, &EmitOptions::default())
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_small_job_reads_as_expected() {
    let b = block(
        "cut",
        1200.0,
        LaserMode::Dynamic,
        false,
        vec![
            rapid(10.0, 10.0),
            cut(20.0, 10.0, 50.0),
            cut(20.0, 20.0, 50.0),
            cut(10.0, 20.0, 75.0),
            rapid(30.0, 30.0),
            cut(40.0, 30.0, 75.0),
        ],
    );
    let want = "G21G90\n; Burin\n; layer cut\nG0X10Y10\nM4\nG1X20F1200S500\nY20\nX10S750\n\
                G0X30Y30\nG1X40\nM5\nG0X0Y0\n";
    assert_eq!(text(vec![b], &EmitOptions::default()), want);
}

#[test]
fn first_line_sets_mm_and_absolute_then_header() {
    let l = lines(vec![]);
    assert_eq!(l, vec!["G21G90", "; Burin", "M5"]);
    let opts = EmitOptions::default()
        .with_header(vec!["job 1".into(), "by me".into()])
        .with_return_to_origin(false);
    let t = text(vec![], &opts);
    assert_eq!(t, "G21G90\n; job 1\n; by me\nM5\n");
}

#[test]
fn laser_mode_words_follow_the_blocks_and_switch_only_on_change() {
    let l = lines(vec![
        block(
            "a",
            100.0,
            LaserMode::Dynamic,
            false,
            vec![cut(1.0, 0.0, 10.0)],
        ),
        block(
            "a",
            100.0,
            LaserMode::Dynamic,
            false,
            vec![cut(2.0, 0.0, 10.0)],
        ),
        block(
            "a",
            100.0,
            LaserMode::Constant,
            false,
            vec![cut(3.0, 0.0, 10.0)],
        ),
        block(
            "a",
            100.0,
            LaserMode::Dynamic,
            false,
            vec![cut(4.0, 0.0, 10.0)],
        ),
    ]);
    let m: Vec<_> = l.iter().filter(|s| s.starts_with('M')).cloned().collect();
    assert_eq!(m, vec!["M4", "M3", "M4", "M5"]);
}

#[test]
fn power_is_an_integer_fraction_of_s_max() {
    let moves = vec![
        cut(1.0, 0.0, 33.333),
        cut(2.0, 0.0, 0.0),
        cut(3.0, 0.0, 150.0),
        cut(4.0, 0.0, f64::NAN),
        cut(5.0, 0.0, -5.0),
        cut(6.0, 0.0, 100.0),
    ];
    let t = text(
        vec![block("p", 100.0, LaserMode::Dynamic, false, moves)],
        &EmitOptions::default().with_s_max(255),
    );
    let s: Vec<_> = parse_program(&t)
        .expect("parses")
        .lines()
        .filter_map(|l| l.get('S'))
        .collect();
    // 33.333 % of 255 = 84.999 -> 85; >100 % clamps; NaN and negative are off.
    assert_eq!(s, vec![85.0, 0.0, 255.0, 0.0, 255.0]);
}

#[test]
fn rapids_never_carry_s_and_no_m5_before_the_end() {
    let moves = vec![
        rapid(5.0, 5.0),
        cut(6.0, 5.0, 80.0),
        rapid(7.0, 7.0),
        cut(8.0, 7.0, 20.0),
        rapid(1.0, 1.0),
    ];
    let p = emit(
        &Toolpath {
            blocks: vec![block("r", 500.0, LaserMode::Constant, false, moves)],
        },
        &EmitOptions::default(),
    );
    let mut rapid_mode = false;
    for l in p.lines() {
        if l.has_g(0.0) {
            rapid_mode = true;
        }
        if l.has_g(1.0) {
            rapid_mode = false;
        }
        if rapid_mode {
            assert!(!l.has('S'), "S on a rapid: {l}");
        }
    }
    let m5: Vec<_> = p
        .lines()
        .filter(|l| l.has_m(5.0))
        .map(|l| l.number)
        .collect();
    let last_cut = p.lines().rev().find(|l| l.has_g(1.0) || l.has('S'));
    assert_eq!(m5.len(), 1);
    assert!(m5[0] > last_cut.map_or(0, |l| l.number));
}

#[test]
fn only_changed_words_are_written() {
    let l = lines(vec![block(
        "m",
        600.0,
        LaserMode::Dynamic,
        false,
        vec![
            cut(1.0, 0.0, 10.0),
            cut(1.0, 2.0, 10.0),
            cut(3.0, 4.0, 20.0),
            cut(3.0, 5.0, 20.0),
        ],
    )]);
    assert_eq!(&l[4..8], &["G1X1Y0F600S100", "Y2", "X3Y4S200", "Y5"]);
    // F changes with the block, not on every line.
    let l = lines(vec![
        block(
            "a",
            600.0,
            LaserMode::Dynamic,
            false,
            vec![cut(1.0, 0.0, 10.0)],
        ),
        block(
            "a",
            900.0,
            LaserMode::Dynamic,
            false,
            vec![cut(2.0, 0.0, 10.0)],
        ),
        block(
            "a",
            900.0,
            LaserMode::Dynamic,
            false,
            vec![cut(3.0, 0.0, 10.0)],
        ),
    ]);
    let f = l.iter().filter(|s| s.contains('F')).count();
    assert_eq!(f, 2, "{l:?}");
}

#[test]
fn numbers_are_minimal_and_never_negative_zero() {
    let moves = vec![
        rapid(10.123_456, 3.0),
        rapid(-0.000_4, 2.5),
        rapid(1.0 / 3.0, -2.0),
    ];
    let l = lines(vec![block(
        "n",
        100.0,
        LaserMode::Dynamic,
        false,
        moves.clone(),
    )]);
    assert_eq!(&l[3..6], &["G0X10.123Y3", "X0Y2.5", "X.333Y-2"]);
    let t = text(
        vec![block("n", 100.0, LaserMode::Dynamic, false, moves)],
        &EmitOptions::default().with_max_decimals(1),
    );
    assert!(t.contains("G0X10.1Y3\nX0Y2.5\nX.3Y-2\n"), "{t}");
    assert!(!t.contains("-0"), "{t}");
}

#[test]
fn moves_that_round_to_the_current_position_are_dropped() {
    let l = lines(vec![block(
        "d",
        100.0,
        LaserMode::Dynamic,
        false,
        vec![
            rapid(1.0, 1.0),
            rapid(1.0002, 1.0),
            cut(1.0001, 0.9999, 50.0),
            cut(2.0, 1.0, 50.0),
        ],
    )]);
    // The dropped cut's M4 stays (it precedes the cut), its F and S move to the next cut.
    assert_eq!(&l[3..], &["G0X1Y1", "M4", "G1X2F100S500", "M5", "G0X0Y0"]);
}

#[test]
fn air_assist_on_and_off_with_the_blocks() {
    let l = lines(vec![
        block(
            "a",
            100.0,
            LaserMode::Dynamic,
            true,
            vec![cut(1.0, 0.0, 10.0)],
        ),
        block(
            "a",
            100.0,
            LaserMode::Dynamic,
            true,
            vec![cut(2.0, 0.0, 10.0)],
        ),
        block(
            "a",
            100.0,
            LaserMode::Dynamic,
            false,
            vec![cut(3.0, 0.0, 10.0)],
        ),
        block(
            "a",
            100.0,
            LaserMode::Dynamic,
            true,
            vec![cut(4.0, 0.0, 10.0)],
        ),
    ]);
    let m: Vec<_> = l.iter().filter(|s| s.starts_with('M')).cloned().collect();
    assert_eq!(m, vec!["M8", "M4", "M9", "M8", "M5", "M9"]);
    // End order: laser off, air off, then the return rapid.
    assert_eq!(&l[l.len() - 3..], &["M5", "M9", "G0X0Y0"]);
    let no_air = lines(vec![block(
        "a",
        100.0,
        LaserMode::Dynamic,
        false,
        vec![cut(1.0, 0.0, 1.0)],
    )]);
    assert!(!no_air.iter().any(|s| s == "M9" || s == "M8"));
}

#[test]
fn return_to_origin_is_optional_and_skipped_at_the_origin() {
    let job = || {
        vec![block(
            "a",
            100.0,
            LaserMode::Dynamic,
            false,
            vec![cut(1.0, 0.0, 10.0)],
        )]
    };
    let t = text(job(), &EmitOptions::default().with_return_to_origin(false));
    assert!(t.ends_with("M5\n"), "{t}");
    let back = vec![block(
        "a",
        100.0,
        LaserMode::Dynamic,
        false,
        vec![cut(1.0, 0.0, 10.0), cut(0.0, 0.0, 10.0)],
    )];
    assert!(text(back, &EmitOptions::default()).ends_with("X0\nM5\n"));
}

#[test]
fn comments_are_sanitised_and_lines_stay_short() {
    let name = format!("Red?!~ caf\u{e9} {}", "x".repeat(200));
    let t = text(
        vec![block(
            &name,
            100.0,
            LaserMode::Dynamic,
            false,
            vec![cut(1.0, 0.0, 10.0)],
        )],
        &EmitOptions::default().with_header(vec!["hello\u{18}world?".into()]),
    );
    assert!(t.is_ascii());
    assert!(!t.contains(['?', '!', '~', '\x18']), "{t}");
    assert!(t.contains("; layer Red___ caf_ xxx"), "{t}");
    assert!(t.contains("; hello_world_"), "{t}");
    for line in t.lines() {
        assert!(line.len() <= MAX_LINE_CHARS, "{} chars: {line}", line.len());
    }
}

#[test]
fn non_finite_targets_are_dropped_and_bad_feeds_are_caught_by_preflight() {
    let t = text(
        vec![block(
            "x",
            f64::NAN,
            LaserMode::Dynamic,
            false,
            vec![rapid(f64::INFINITY, 1.0), cut(1.0, 1.0, 10.0)],
        )],
        &EmitOptions::default(),
    );
    assert!(!t.contains("inf") && !t.contains("NaN"), "{t}");
    let p = parse_program(&t).expect("parses");
    let r = preflight(&p, &MachineProfile::default());
    assert!(!r.is_ok());
    assert!(
        r.of(crate::preflight::Check::FeedNotSet).count() == 1,
        "{r}"
    );
}

#[test]
fn emitted_programs_pass_preflight() {
    let t = text(
        vec![
            block(
                "fill",
                3000.0,
                LaserMode::Dynamic,
                true,
                vec![
                    rapid(10.0, 10.0),
                    cut(50.0, 10.0, 40.0),
                    cut(50.0, 10.1, 0.0),
                ],
            ),
            block(
                "cut",
                300.0,
                LaserMode::Constant,
                false,
                vec![rapid(100.0, 100.0), cut(120.0, 100.0, 100.0)],
            ),
        ],
        &EmitOptions::default(),
    );
    let r = preflight(
        &parse_program(&t).expect("parses"),
        &MachineProfile::default(),
    );
    assert!(r.findings.is_empty(), "{r}\n{t}");
}

#[test]
fn options_follow_the_machine_profile() {
    let profile = MachineProfile {
        s_max: 255.0,
        ..MachineProfile::default()
    };
    assert_eq!(EmitOptions::for_profile(&profile).s_max, 255);
    assert_eq!(
        EmitOptions::for_profile(&MachineProfile::default()),
        EmitOptions::default()
    );
}

/// Rows of a 300-DPI-like grid (0.0847 mm pixels, so increments don't round evenly) with
/// random spans and powers.
fn scan_block(bidirectional: bool, min_x: Option<f64>) -> Block {
    use burin_toolpath::{Scan, ScanLine, Span};
    let px = 0.0847;
    let mut seed = 12345u64;
    let mut rnd = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut lines = Vec::new();
    for r in 0..40 {
        let mut spans = Vec::new();
        let mut c = rnd(5);
        while c < 300 {
            let len = 1 + rnd(6);
            spans.push(Span {
                x0: 5.0 + c as f64 * px,
                x1: 5.0 + (c + len) as f64 * px,
                power_pct: [100.0, 37.0, 5.5][rnd(3) as usize],
            });
            // Mostly 1-3 px gaps, sometimes a long one (crossed with a rapid).
            c += len + if rnd(20) == 0 { 150 } else { 1 + rnd(3) };
        }
        lines.push(ScanLine {
            y: 50.0 - r as f64 * px,
            spans,
        });
    }
    let mut b = block(
        "img",
        3000.0,
        LaserMode::Dynamic,
        false,
        vec![rapid(0.5, 60.0)],
    );
    b.scan = Some(Scan {
        lines,
        bidirectional,
        overscan_mm: 2.5,
        bed_min: min_x.map(|x: f64| PointMm::new(x, 0.0)),
        passes: 2,
        angle_deg: 0.0,
    });
    b
}

#[test]
fn scan_rows_are_relative_and_burn_exactly_where_absolute_moves_would() {
    use crate::preview::{SegKindPreview, preview};
    for (bidi, min_x) in [(true, None), (false, Some(0.0))] {
        let scanned = scan_block(bidi, min_x);
        // The same moves as a plain block, written in absolute coordinates.
        let mut plain = scanned.clone();
        let mut moves = plain.moves.clone();
        plain
            .scan
            .take()
            .map(|s| s.for_each_move(PointMm::new(0.5, 60.0), |m| moves.push(m)));
        plain.moves = moves;
        let rel = emit(
            &Toolpath {
                blocks: vec![scanned],
            },
            &EmitOptions::default(),
        );
        let abs = emit(
            &Toolpath {
                blocks: vec![plain],
            },
            &EmitOptions::default(),
        );
        let text = rel.text();
        assert!(text.contains("G91G1"), "rows are relative");
        assert!(text.contains("\nG90G0X"), "each stretch starts absolute");
        assert!(
            text.contains("\nG90\nM5\n"),
            "absolute again after the rows"
        );
        assert!(
            text.len() < abs.text().len(),
            "{} vs {}",
            text.len(),
            abs.text().len()
        );
        let report = preflight(&rel, &MachineProfile::default());
        assert!(report.is_ok(), "{report:?}");
        let segs = |p: &Program| -> Vec<([f32; 2], [f32; 2], u32)> {
            preview(p, 1000.0)
                .segments
                .iter()
                // Every motion, lit or not, with its power when lit: rapids inside rows are
                // relative hops in one program and absolute in the other.
                .map(|s| {
                    let lit = s.kind == SegKindPreview::Cut;
                    (
                        s.from,
                        s.to,
                        if lit {
                            (s.power * 1000.0).round() as u32
                        } else {
                            0
                        },
                    )
                })
                .collect()
        };
        let (a, b) = (segs(&rel), segs(&abs));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            let close =
                |p: [f32; 2], q: [f32; 2]| (p[0] - q[0]).abs() < 1e-4 && (p[1] - q[1]).abs() < 1e-4;
            assert!(
                close(x.0, y.0) && close(x.1, y.1) && x.2 == y.2,
                "{x:?} vs {y:?}"
            );
        }
    }
}
