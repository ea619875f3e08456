//! Text formats exactly as GRBL 1.1h prints them.

mod common;
use burin_sim::{Grbl, SimConfig};
use common::*;
use std::time::Duration;

#[test]
fn banner_at_power_up() {
    let mut g = Grbl::new(SimConfig::default());
    assert_eq!(text(&mut g), "\r\nGrbl 1.1h ['$' for help]\r\n");
    let mut g = Grbl::new(SimConfig::default().with_homing(false));
    assert_eq!(
        text(&mut g),
        "\r\nGrbl 1.1h ['$' for help]\r\n[MSG:'$H'|'$X' to unlock]\r\n"
    );
    assert!(status(&mut g).starts_with("<Alarm|"));
}

#[test]
fn idle_status_reports_rotate_wco_and_ov() {
    let mut g = sim();
    assert_eq!(
        status(&mut g),
        "<Idle|MPos:0.000,0.000,0.000|FS:0,0|WCO:0.000,0.000,0.000>"
    );
    assert_eq!(
        status(&mut g),
        "<Idle|MPos:0.000,0.000,0.000|FS:0,0|Ov:100,100,100>"
    );
    assert_eq!(status(&mut g), "<Idle|MPos:0.000,0.000,0.000|FS:0,0>");
}

#[test]
fn wco_follows_g92_and_wpos_mode() {
    let mut g = sim();
    status(&mut g);
    status(&mut g);
    send(&mut g, "G0 X10");
    run_until_idle(&mut g);
    send(&mut g, "G92 X0");
    assert_eq!(
        status(&mut g),
        "<Idle|MPos:10.000,0.000,0.000|FS:0,0|WCO:10.000,0.000,0.000>"
    );
    send(&mut g, "$10=0");
    assert!(status(&mut g).starts_with("<Idle|WPos:0.000,0.000,0.000|FS:0,0"));
    send(&mut g, "$10=3");
    assert!(status(&mut g).starts_with("<Idle|MPos:10.000,0.000,0.000|Bf:15,128|FS:0,0"));
}

#[test]
fn running_status_shows_speed_power_and_accessories() {
    let mut g = sim();
    status(&mut g);
    send(&mut g, "$10=3");
    send(&mut g, "M4 S600 G1 X100 F3000");
    g.write(b"G1 X110");
    g.advance(Duration::from_millis(500));
    let st = status(&mut g);
    // 0.05 s ramp (1.25 mm) + 0.45 s at 50 mm/s. The partial line has already left RX for
    // GRBL's line buffer. Ov is due on the second report (the first carried WCO) and A:C
    // shows the lit laser.
    assert_eq!(
        st,
        "<Run|MPos:23.750,0.000,0.000|Bf:14,128|FS:3000,600|Ov:100,100,100|A:C>"
    );
    send(&mut g, "");
    run_until_idle(&mut g);
}

#[test]
fn gcode_modes_parameters_and_build_info() {
    let mut g = sim();
    assert_eq!(
        send(&mut g, "$"),
        "[HLP:$$ $# $G $I $N $x=val $Nx=line $J=line $SLP $C $X $H ~ ! ? ctrl-x]\r\nok\r\n"
    );
    send(&mut g, "G91 G20 G1 F10 S100 M4 M8 T2 G55");
    assert_eq!(
        send(&mut g, "$G"),
        "[GC:G1 G55 G17 G20 G91 G94 M4 M8 T2 F254 S100]\r\nok\r\n"
    );
    send(&mut g, "G21 G10 L2 P1 X1 Y2 Z3");
    send(&mut g, "G92 X5");
    let p = send(&mut g, "$#");
    assert!(
        p.starts_with("[G54:1.000,2.000,3.000]\r\n[G55:0.000,0.000,0.000]\r\n"),
        "{p}"
    );
    assert!(p.contains("[G28:0.000,0.000,0.000]\r\n[G30:0.000,0.000,0.000]\r\n[G92:-5.000,0.000,0.000]\r\n[TLO:0.000]\r\n[PRB:0.000,0.000,0.000:0]\r\nok\r\n"), "{p}");
    assert_eq!(
        send(&mut g, "$I"),
        "[VER:1.1h.20190830:]\r\n[OPT:V,15,128]\r\nok\r\n"
    );
    assert_eq!(send(&mut g, "$I=burin"), "ok\r\n");
    assert!(send(&mut g, "$I").starts_with("[VER:1.1h.20190830:BURIN]"));
    assert_eq!(send(&mut g, "$N"), "$N0=\r\n$N1=\r\nok\r\n");
    let dump = send(&mut g, "$$");
    assert!(dump.starts_with("$0=10\r\n"));
    assert!(dump.contains("$32=1\r\n$100=80.000\r\n"));
    assert!(dump.ends_with("$132=200.000\r\nok\r\n"));
}

#[test]
fn startup_lines_run_after_reset() {
    let mut g = sim();
    assert_eq!(send(&mut g, "$N0=G21G91"), "ok\r\n");
    g.write(&[burin_grbl::realtime::SOFT_RESET]);
    g.advance(Duration::ZERO);
    assert_eq!(
        text(&mut g),
        "\r\nGrbl 1.1h ['$' for help]\r\n>G21G91:ok\r\n"
    );
    assert!(send(&mut g, "$G").contains(" G91 "));
}

#[test]
fn restore_sleep_and_unlock_messages() {
    let mut g = sim();
    send(&mut g, "$110=1000");
    assert_eq!(
        send(&mut g, "$RST=$"),
        "[MSG:Restoring defaults]\r\nok\r\n\r\nGrbl 1.1h ['$' for help]\r\n"
    );
    assert_eq!(g.settings().max_rate_mm_min[0], 6000.0);
    assert_eq!(send(&mut g, "$RST=x"), "error:3\r\n");
    assert_eq!(send(&mut g, "$X"), "ok\r\n");
    assert_eq!(send(&mut g, "$SLP"), "ok\r\n[MSG:Sleeping]\r\n");
    assert!(status(&mut g).starts_with("<Sleep|"));
    g.write(&[burin_grbl::realtime::SOFT_RESET]);
    assert_eq!(
        text(&mut g),
        "\r\nGrbl 1.1h ['$' for help]\r\n[MSG:'$H'|'$X' to unlock]\r\n"
    );
}

#[test]
fn inch_reports() {
    let mut g = sim();
    send(&mut g, "$13=1");
    send(&mut g, "G0 X25.4");
    run_until_idle(&mut g);
    assert_eq!(
        status(&mut g),
        "<Idle|MPos:1.0000,0.0000,0.0000|FS:0.0,0|WCO:0.0000,0.0000,0.0000>"
    );
}

/// While an 8-bit GRBL's stepper holds the processor for `$1` (25 ms) after a stop, the
/// main loop can't answer `?`: the report comes once the wait is over.
#[test]
fn a_status_request_waits_out_the_stepper_idle_delay() {
    let mut g = sim_with(SimConfig::default().with_grbl_328p_timing());
    send(&mut g, "G1X1F600");
    // Run until the head is at X1 with the cycle not yet over: the idle delay.
    let mut waited_ms = 0;
    while g.machine_position_mm()[0] < 1.0 - 1e-9 || is_idle(&g) {
        g.advance(Duration::from_millis(1));
        text(&mut g);
        waited_ms += 1;
        assert!(waited_ms < 2000, "the move never ended");
    }
    g.write(b"?");
    g.advance(Duration::from_millis(1));
    assert!(
        !text(&mut g).contains('<'),
        "answered during the idle delay"
    );
    g.advance(Duration::from_millis(30));
    let out = text(&mut g);
    assert!(out.contains("<Idle|"), "{out:?}");
}
