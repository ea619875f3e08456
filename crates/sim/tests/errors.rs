//! Every error code the simulator produces, each from a real line.

mod common;
use burin_sim::{MachineState, SimConfig};
use common::*;

fn err(line: &str) -> String {
    let mut g = sim();
    send(&mut g, line)
}

#[test]
fn gcode_error_codes_match_grbl() {
    let cases: &[(&str, &str)] = &[
        ("%", "error:1"),
        ("G1 X", "error:2"),
        ("G1 X1 F-100", "error:4"),
        ("G99", "error:20"),
        ("G1 X1 Q1 F100", "error:20"),
        ("M7", "error:20"),
        ("G90 G91", "error:21"),
        ("M3 M5", "error:21"),
        ("G1 X10", "error:22"),
        ("G2 X10 I5", "error:22"),
        ("G59.1", "error:23"),
        ("G1.5 X1 F100", "error:23"),
        ("M3.1", "error:23"),
        ("G0 G1 X1", "error:24"),
        ("G10 L20 P1 G0 X0", "error:24"),
        ("X1 X2", "error:25"),
        ("G2 F100", "error:26"),
        ("G92", "error:26"),
        ("G10 L2 P1", "error:26"),
        ("N10000001 G0 X1", "error:27"),
        ("G4", "error:28"),
        ("G10 X1", "error:28"),
        ("G10 L2 P7 X1", "error:29"),
        ("G10 L3 P1 X1", "error:20"),
        ("G2 G53 X1 F100", "error:30"),
        ("G80 X1", "error:31"),
        ("G2 Z1 F100", "error:32"),
        ("G2 X10 I1 F100", "error:33"),
        ("G2 X0 Y0 R5 F100", "error:33"),
        ("G2 X10 R1 F100", "error:34"),
        ("G2 X10 K1 F100", "error:35"),
        ("G0 X1 I1", "error:36"),
        ("G4 P1 R1", "error:36"),
        ("G43.1 X1", "error:37"),
        ("T300", "error:38"),
    ];
    for (line, expect) in cases {
        assert_eq!(err(line), format!("{expect}\r\n"), "line {line:?}");
    }
}

#[test]
fn valid_lines_answer_ok() {
    for line in [
        "G21 G90 G94 G17 G54",
        "G1 X10 Y-5.5 F1200 S300 M4",
        "G2 X10 Y0 I5 J0 F600",
        "G3 X5 Y5 R5 F600",
        "G10 L2 P1 X1 Y2",
        "G10 L20 P0 X0",
        "G92 X0 Y0",
        "G92.1",
        "G28.1",
        "G30",
        "G43.1 Z1",
        "G49",
        "G40 G61",
        "G4 P0",
        "N100 G0 X1",
        "M8",
        "M9",
        "T1",
        "G91.1",
        "(only a comment)",
        "",
    ] {
        let mut g = sim();
        // Arcs longer than the planner answer only once their last chord is queued.
        let out = send(&mut g, line) + &run_until_idle(&mut g);
        assert_eq!(out, "ok\r\n", "line {line:?}");
    }
}

#[test]
fn a_bad_line_changes_nothing() {
    let mut g = sim();
    assert_eq!(
        send(&mut g, "G91 G20 M3 S500 G1 X1 X2 F100"),
        "error:25\r\n"
    );
    assert_eq!(send(&mut g, "G20 G91 G0 X10 Y"), "error:2\r\n");
    assert_eq!(
        send(&mut g, "$G"),
        "[GC:G0 G54 G17 G21 G90 G94 M5 M9 T0 F0 S0]\r\nok\r\n"
    );
    run_until_idle(&mut g);
    assert_eq!(g.machine_position_mm(), [0.0, 0.0, 0.0]);
}

#[test]
fn system_command_error_codes() {
    let mut g = sim();
    assert_eq!(send(&mut g, "$J"), "error:3\r\n");
    assert_eq!(send(&mut g, "$J X1"), "error:3\r\n"); // spaces are filtered: "$JX1"
    assert_eq!(send(&mut g, "$999=1"), "error:3\r\n");
    assert_eq!(send(&mut g, "$50=1"), "error:3\r\n");
    assert_eq!(send(&mut g, "$100"), "error:3\r\n");
    assert_eq!(send(&mut g, "$$$"), "error:3\r\n");
    assert_eq!(send(&mut g, "$100=abc"), "error:2\r\n");
    assert_eq!(send(&mut g, "$10=-1"), "error:4\r\n");
    assert_eq!(send(&mut g, "$H"), "error:5\r\n");
    assert_eq!(send(&mut g, "$0=2"), "error:6\r\n");
    assert_eq!(send(&mut g, "$20=1"), "error:10\r\n");
    assert_eq!(send(&mut g, "$100=100000"), "error:12\r\n");
    assert_eq!(send(&mut g, "$J=G1 X1 F100"), "error:16\r\n");
    assert_eq!(send(&mut g, "$J=M3 X1 F100"), "error:16\r\n");
    assert_eq!(send(&mut g, "$J=X10"), "error:22\r\n");
    assert_eq!(send(&mut g, "$J=X10 S100 F100"), "error:36\r\n");
    assert_eq!(send(&mut g, "$110=3000"), "ok\r\n");
    assert_eq!(g.settings().max_rate_mm_min[0], 3000.0);
}

#[test]
fn error_8_for_commands_in_the_wrong_state() {
    let mut g = sim();
    assert_eq!(send(&mut g, "G1 X300 F1000"), "ok\r\n");
    g.advance(TICK);
    assert_eq!(g.state(), MachineState::Run);
    assert_eq!(send(&mut g, "$$"), "error:8\r\n");
    assert_eq!(send(&mut g, "$J=X1 F100"), "error:8\r\n");
    assert_eq!(send(&mut g, "$#"), "error:8\r\n");
    assert_eq!(send(&mut g, "$C"), "error:8\r\n");
    // `$G` works while running.
    assert!(send(&mut g, "$G").starts_with("[GC:G1 "));

    let mut a = sim_with(SimConfig::default().with_homing(false));
    assert_eq!(a.state(), MachineState::Alarm);
    assert_eq!(send(&mut a, "$C"), "error:8\r\n");
    assert_eq!(send(&mut a, "$N0=G21"), "error:8\r\n");
}

#[test]
fn error_9_gcode_locked_in_alarm_and_jog() {
    let mut g = sim_with(SimConfig::default().with_homing(false));
    assert_eq!(send(&mut g, "G0 X1"), "error:9\r\n");
    assert_eq!(send(&mut g, "$$").lines().last(), Some("ok"));
    assert_eq!(send(&mut g, "$X"), "[MSG:Caution: Unlocked]\r\nok\r\n");
    assert_eq!(send(&mut g, "$J=G91 X-50 F1000"), "ok\r\n");
    g.advance(TICK);
    assert_eq!(g.state(), MachineState::Jog);
    assert_eq!(send(&mut g, "G0 X1"), "error:9\r\n");
}

#[test]
fn error_11_for_an_overlong_line_without_executing_it() {
    let mut g = sim();
    let long = format!("G1 X1 F100 ({})", "c".repeat(100)); // comments do not count
    assert_eq!(send(&mut g, &long), "ok\r\n");
    let long = format!("G0 X5 {}", "Y1".repeat(40));
    assert_eq!(send(&mut g, &long), "error:11\r\n");
    run_until_idle(&mut g);
    assert!(
        (g.machine_position_mm()[0] - 1.0).abs() < 1e-9,
        "the long line must not move X to 5"
    );
}

#[test]
fn error_15_jog_beyond_soft_limits() {
    let mut g = sim_with(SimConfig::default().with_homing(true));
    assert_eq!(send(&mut g, "$X"), "[MSG:Caution: Unlocked]\r\nok\r\n");
    assert_eq!(send(&mut g, "$J=X10 F1000"), "error:15\r\n");
    assert_eq!(send(&mut g, "$J=X-10 F1000"), "ok\r\n");
    assert_eq!(g.state(), MachineState::Jog);
}
