//! Golden G-code for a representative job. Regenerate with `UPDATE_EXPECT=1 cargo test -p
//! burin-gcode --test golden` and review the diff.

use burin_gcode::{EmitOptions, MachineProfile, emit, parse_program, preflight, stats};
use burin_toolpath::{Block, BlockSettings, LaserMode, Move, PointMm, Toolpath};

fn job() -> Toolpath {
    let settings = |name: &str, feed, mode, air| BlockSettings {
        layer_name: name.into(),
        feed_mm_min: feed,
        laser_mode: mode,
        air_assist: air,
    };
    // A 20 x 1 mm fill: three scan lines, alternating, joined by laser-off links.
    let mut fill = vec![Move::Rapid {
        to: PointMm::new(10.0, 10.0),
    }];
    for (i, y) in [10.0, 10.5, 11.0].into_iter().enumerate() {
        let (a, b) = if i % 2 == 0 {
            (10.0, 30.0)
        } else {
            (30.0, 10.0)
        };
        if i > 0 {
            fill.push(Move::Cut {
                to: PointMm::new(a, y),
                power_pct: 0.0,
            });
        }
        fill.push(Move::Cut {
            to: PointMm::new(b, y),
            power_pct: 35.5,
        });
    }
    let cut = vec![
        Move::Rapid {
            to: PointMm::new(5.0, 5.0),
        },
        Move::Cut {
            to: PointMm::new(35.0, 5.0),
            power_pct: 100.0,
        },
        Move::Cut {
            to: PointMm::new(35.0, 15.123_456),
            power_pct: 100.0,
        },
        Move::Cut {
            to: PointMm::new(5.0, 15.123_456),
            power_pct: 100.0,
        },
        Move::Cut {
            to: PointMm::new(5.0, 5.0),
            power_pct: 100.0,
        },
    ];
    Toolpath {
        blocks: vec![
            Block {
                settings: settings("#ff0000 fill", 6000.0, LaserMode::Dynamic, true),
                moves: fill,
                scan: None,
            },
            Block {
                settings: settings("#000000 cut?", 300.0, LaserMode::Constant, false),
                moves: cut,
                scan: None,
            },
        ],
    }
}

#[test]
fn emitted_job_matches_golden_file() {
    let text = emit(&job(), &EmitOptions::default()).to_text();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/job.gcode");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &text).expect("write golden file");
    }
    let want = std::fs::read_to_string(path).expect("golden file (UPDATE_EXPECT=1 creates it)");
    assert_eq!(text, want);

    let p = parse_program(&text).expect("parses");
    let profile = MachineProfile::default();
    assert!(preflight(&p, &profile).findings.is_empty());
    let s = stats(&p, &profile);
    assert!(
        (s.cut_mm - (60.0 + 2.0 * 30.0 + 2.0 * 10.123)).abs() < 1e-9,
        "{}",
        s.cut_mm
    );
}
