//! Preflight refuses exactly the lines the (simulated) firmware answers with `error:N`, and
//! with the same code: both run burin-firmware's parser.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::time::Duration;

use burin_gcode::{Check, MachineProfile, parse_program, preflight};
use burin_sim::{Grbl, SimConfig};

/// Lines a hand-written or foreign program might hold, good and bad.
const LINES: &[&str] = &[
    "G21 G90",
    "G1 X10 F600",
    "G2 I5",
    "G80 X3",
    "G2 X1 R5",
    "G0 G1 X1",
    "X1 X2",
    "G4",
    "G4 P0.5",
    "G99",
    "M6 T1",
    "G1 X5 Y5",
    "G3 X0 Y0 I-2.5 J-2.5",
    "G17 G18",
    "G20",
    "G21",
    "M4 S300",
    "G1 X20 S-5",
    "G1 F-100 X3",
    "G91 G0 X1",
    "G90",
    "G10 L2 P1 X0",
    "G53 G0 X0",
    "G43.1 Z1",
    "G1 X1 Y1 Z1 A1",
    "G38.2 X1 F10",
    "M3 M5",
    "G0 X1 G28",
    "G92 X0 Y0",
    "G92.1",
    "N10 G1 X2",
    "G1 X3 N5",
    "G2 X1 Y1 I0 J0",
    "G93 G1 X5",
    "G94 G1 X6 F300",
    "G1 X7 E4",
    "M8",
    "M9",
    "M7",
    "G61",
    "G54",
    "G59.1",
    "G40",
    "G49",
    "M2",
];

#[test]
fn preflight_and_the_simulator_refuse_the_same_lines() {
    let program = parse_program(&LINES.join("\n")).unwrap();
    // No work-area limits in the way: this is about what GRBL's parser accepts.
    let profile = MachineProfile {
        travel_x_mm: 1e6,
        travel_y_mm: 1e6,
        ..MachineProfile::default()
    };
    let report = preflight(&program, &profile);
    let mut flagged: Vec<(usize, Option<u16>)> = report
        .findings
        .iter()
        .filter(|f| matches!(f.check, Check::GrblError | Check::FeedNotSet))
        .map(|f| (f.line, code_in(&f.message)))
        .collect();
    flagged.sort_unstable();
    flagged.dedup();

    let mut g = Grbl::new(SimConfig::default());
    g.read();
    let mut refused = Vec::new();
    for (i, line) in LINES.iter().enumerate() {
        g.write(line.as_bytes());
        g.write(b"\n");
        let mut reply = String::new();
        for _ in 0..10_000 {
            g.advance(Duration::from_millis(5));
            reply.push_str(&String::from_utf8_lossy(&g.read()));
            if reply.contains("ok") || reply.contains("error:") {
                break;
            }
        }
        if let Some(at) = reply.find("error:") {
            let code: u16 = reply[at + 6..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap();
            refused.push((i + 1, Some(code)));
        }
    }
    assert_eq!(flagged, refused, "preflight (left) vs simulator (right)");
    assert!(
        refused.len() >= 10,
        "the list exercises errors: {refused:?}"
    );
}

fn code_in(msg: &str) -> Option<u16> {
    let at = msg.find("error:")? + 6;
    msg[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}
