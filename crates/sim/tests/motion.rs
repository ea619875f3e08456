//! Motion in virtual time: trapezoids, holds, resets, jogs, check mode, laser power.

mod common;
use burin_grbl::realtime as rt;
use burin_sim::{MachineState, SimConfig, SpindleMode};
use common::*;
use std::time::Duration;

fn rel_err(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn single_long_move_matches_the_trapezoid_formula() {
    // X: 6000 mm/min = 100 mm/s, 1000 mm/s². Trapezoid: 2·v/a + (d - v²/a)/v.
    let mut g = sim();
    assert_eq!(send(&mut g, "G1 X100 F6000"), "ok\r\n");
    run_until_idle(&mut g);
    let (v, a, d) = (100.0, 1000.0, 100.0);
    let expect = 2.0 * v / a + (d - v * v / a) / v;
    assert!(
        rel_err(g.motion_time_s(), expect) < 0.01,
        "{} vs {expect}",
        g.motion_time_s()
    );
    // The virtual clock agrees within one polling tick.
    assert!((g.now().as_secs_f64() - expect).abs() <= TICK.as_secs_f64() + 1e-9);
    assert_eq!(g.machine_position_mm(), [100.0, 0.0, 0.0]);
}

#[test]
fn short_move_is_a_triangle_and_diagonals_use_the_axis_limits() {
    let mut g = sim();
    send(&mut g, "G1 X2 F6000");
    run_until_idle(&mut g);
    let expect = 2.0 * (2.0f64 / 1000.0).sqrt();
    assert!(rel_err(g.motion_time_s(), expect) < 0.01);

    // Y limited to 3000 mm/min: the 45° rapid runs at 50/cos45 mm/s along the path.
    let mut s = burin_sim::Settings::default();
    s.max_rate_mm_min[1] = 3000.0;
    let mut g = sim_with(SimConfig::default().with_settings(s));
    send(&mut g, "G0 X100 Y100");
    run_until_idle(&mut g);
    let v = 50.0 * 2f64.sqrt();
    let a = 1000.0 * 2f64.sqrt();
    let d = 100.0 * 2f64.sqrt();
    let expect = 2.0 * v / a + (d - v * v / a) / v;
    assert!(
        rel_err(g.motion_time_s(), expect) < 0.01,
        "{} vs {expect}",
        g.motion_time_s()
    );
}

#[test]
fn corners_slow_down_to_the_junction_speed() {
    let mut g = sim();
    send(&mut g, "G1 X50 F6000");
    send(&mut g, "G1 X50 Y50");
    let mut min_speed_near_corner = f64::MAX;
    run_until(&mut g, |g| {
        let p = g.machine_position_mm();
        if (p[0] - 50.0).abs() < 0.05 && p[1] < 0.05 {
            min_speed_near_corner = min_speed_near_corner.min(g.speed_mm_min());
        }
        is_idle(g)
    });
    // 90°: v = sqrt(a·δ·sin(θ/2)/(1−sin(θ/2))) with a along the junction = 1000·√2.
    let sin = 0.5f64.sqrt();
    let vj = (1000.0 * 2f64.sqrt() * 0.01 * sin / (1.0 - sin)).sqrt() * 60.0;
    assert!(
        min_speed_near_corner < vj * 1.5 + 1.0 && min_speed_near_corner < 1000.0,
        "{min_speed_near_corner} vs {vj}"
    );
    assert_eq!(g.machine_position_mm(), [50.0, 50.0, 0.0]);
}

#[test]
fn feed_hold_decelerates_then_resume_completes_the_job() {
    let mut g = sim();
    send(&mut g, "G1 X100 F6000");
    g.advance(Duration::from_millis(500)); // cruising at 100 mm/s
    assert_eq!(g.state(), MachineState::Run);
    let x_at_hold = g.machine_position_mm()[0];
    g.write(b"!");
    g.advance(Duration::from_millis(20));
    assert_eq!(g.state(), MachineState::Hold { complete: false });
    assert!(status(&mut g).starts_with("<Hold:1|"));
    run_until(&mut g, |g| {
        g.state() == MachineState::Hold { complete: true }
    });
    assert!(status(&mut g).starts_with("<Hold:0|"));
    // Stopped within v²/(2a) = 5 mm of where the hold began (plus one tick of motion).
    let stop = g.machine_position_mm()[0] - x_at_hold;
    assert!((stop - 5.0).abs() < 0.01, "stopping distance {stop}");
    g.advance(Duration::from_millis(200));
    assert_eq!(g.speed_mm_min(), 0.0);
    g.write(b"~");
    run_until_idle(&mut g);
    assert_eq!(g.machine_position_mm(), [100.0, 0.0, 0.0]);
}

#[test]
fn soft_reset_mid_job_alarms_flushes_and_kills_the_laser() {
    let mut g = sim();
    let job: Vec<String> = (0..10)
        .map(|i| format!("G1 X{} F3000 S800", 20 * (i + 1)))
        .collect();
    send(&mut g, "M4");
    for l in &job[..8] {
        g.write(format!("{l}\n").as_bytes());
    }
    g.write(b"G1 X5"); // a partial line in the RX buffer
    g.advance(Duration::from_millis(300));
    text(&mut g);
    assert_eq!(g.state(), MachineState::Run);
    assert!(g.laser_power_s() > 0.0);
    g.write(&[rt::SOFT_RESET]);
    let out = text(&mut g);
    assert_eq!(
        out,
        "ALARM:3\r\n\r\nGrbl 1.1h ['$' for help]\r\n[MSG:'$H'|'$X' to unlock]\r\n"
    );
    assert_eq!(g.state(), MachineState::Alarm);
    assert_eq!(g.planner_blocks_used(), 0);
    assert_eq!(g.rx_used(), 0);
    assert_eq!(g.laser_power_s(), 0.0);
    let x = g.machine_position_mm()[0];
    g.advance(Duration::from_secs(2));
    assert_eq!(text(&mut g), "", "no ok for flushed lines");
    assert_eq!(g.machine_position_mm()[0], x, "motion stopped at once");
    assert_eq!(send(&mut g, "$X"), "[MSG:Caution: Unlocked]\r\nok\r\n");
    assert_eq!(
        send(&mut g, "$G"),
        "[GC:G0 G54 G17 G21 G90 G94 M5 M9 T0 F0 S0]\r\nok\r\n"
    );
    assert!(!g.burn_log().m4_lit_while_stationary);
}

#[test]
fn soft_reset_when_idle_only_prints_the_banner_and_clears_g92() {
    let mut g = sim();
    send(&mut g, "G92 X10");
    g.write(&[rt::SOFT_RESET]);
    assert_eq!(text(&mut g), "\r\nGrbl 1.1h ['$' for help]\r\n");
    assert_eq!(g.state(), MachineState::Idle);
    assert!(status(&mut g).ends_with("|WCO:0.000,0.000,0.000>"));
}

#[test]
fn jog_then_jog_cancel_returns_to_idle_and_syncs_the_parser() {
    let mut g = sim();
    assert_eq!(send(&mut g, "$J=G91 X100 F3000"), "ok\r\n");
    assert_eq!(send(&mut g, "$J=G91 X100 F3000"), "ok\r\n");
    assert_eq!(g.state(), MachineState::Jog);
    g.advance(Duration::from_millis(500));
    assert!(status(&mut g).starts_with("<Jog|"));
    g.write(&[rt::JOG_CANCEL]);
    let out = run_until(&mut g, is_idle);
    assert_eq!(out, "");
    let x = g.machine_position_mm()[0];
    assert!(x > 10.0 && x < 40.0, "{x}");
    assert_eq!(g.planner_blocks_used(), 0);
    // The parser continues from where the head stopped; the jog did not change modes (G90).
    assert_eq!(send(&mut g, "G0 X0"), "ok\r\n");
    run_until_idle(&mut g);
    assert_eq!(g.machine_position_mm()[0], 0.0);
    assert!(send(&mut g, "$G").starts_with("[GC:G0 G54 G17 G21 G90"));
    // 0x85 outside Jog is ignored.
    g.write(&[rt::JOG_CANCEL]);
    g.advance(TICK);
    assert_eq!(g.state(), MachineState::Idle);
}

#[test]
fn feed_hold_during_a_jog_cancels_it() {
    let mut g = sim();
    send(&mut g, "$J=X50 F3000");
    g.advance(Duration::from_millis(200));
    g.write(b"!");
    run_until(&mut g, is_idle);
    assert!(g.machine_position_mm()[0] < 50.0);
    assert_eq!(g.planner_blocks_used(), 0);
}

#[test]
fn check_mode_validates_without_moving() {
    let mut g = sim();
    assert_eq!(send(&mut g, "$C"), "[MSG:Enabled]\r\nok\r\n");
    assert_eq!(g.state(), MachineState::Check);
    assert!(status(&mut g).starts_with("<Check|"));
    assert_eq!(send(&mut g, "G0 X50 M3 S1000"), "ok\r\n");
    assert_eq!(send(&mut g, "G1 X10 Y10"), "error:22\r\n");
    assert_eq!(send(&mut g, "G4 P5"), "ok\r\n"); // dwell skipped
    assert_eq!(send(&mut g, "G1 X20 F100"), "ok\r\n");
    g.advance(Duration::from_secs(1));
    assert_eq!(g.machine_position_mm(), [0.0; 3]);
    assert_eq!(g.laser_power_s(), 0.0);
    assert_eq!(
        send(&mut g, "$C"),
        "[MSG:Disabled]\r\nok\r\n\r\nGrbl 1.1h ['$' for help]\r\n"
    );
    assert_eq!(g.state(), MachineState::Idle);
    assert!(send(&mut g, "$G").starts_with("[GC:G0 G54 G17 G21 G90 G94 M5 M9 T0 F0 S0]"));
    assert_eq!(g.burn_log().burned_mm, 0.0);
}

#[test]
fn m4_power_scales_with_speed_and_m3_is_constant() {
    let mut g = sim();
    send(&mut g, "M4 S800");
    send(&mut g, "G1 X50 F3000");
    run_until_idle(&mut g);
    let log = g.burn_log().clone();
    // Energy = ∫ S·v/F dt = S·d/F: constant per mm whatever the acceleration did.
    let expect = 800.0 * 50.0 / 50.0;
    assert!(
        rel_err(log.energy_s_s, expect) < 1e-6,
        "{} vs {expect}",
        log.energy_s_s
    );
    assert!((log.burned_mm - 50.0).abs() < 1e-9);
    assert!(
        log.segments.first().is_some_and(|s| s.power_s < 800.0),
        "ramps up"
    );
    assert!(
        log.segments
            .iter()
            .any(|s| (s.power_s - 800.0).abs() < 1e-6),
        "full power at cruise"
    );
    assert!(
        log.segments
            .iter()
            .all(|s| s.mode == SpindleMode::Ccw && s.power_s <= 800.0 + 1e-9)
    );
    assert!(!log.m4_lit_while_stationary);
    assert_eq!(g.laser_power_s(), 0.0, "M4 is dark at rest");

    let mut g = sim();
    send(&mut g, "M3 S800");
    send(&mut g, "G1 X50 F3000");
    run_until_idle(&mut g);
    let log = g.burn_log();
    assert!(
        log.segments
            .iter()
            .all(|s| (s.power_s - 800.0).abs() < 1e-9)
    );
    assert!(
        log.energy_s_s > 800.0 * 1.02,
        "M3 burns during acceleration too"
    );
    // M3 stays lit at rest in G1 mode (GRBL.md §8), which the log records.
    assert_eq!(g.laser_power_s(), 800.0);
    g.advance(Duration::from_secs(1));
    assert!(g.burn_log().stationary_on_s >= 1.0);
    assert!(!g.burn_log().m4_lit_while_stationary);
}

#[test]
fn g0_never_burns() {
    let mut g = sim();
    for l in [
        "G0 M3 S1000 X5",
        "G1 X10 F1000",
        "G0 X50",
        "G1 X60",
        "M4",
        "G0 X100 Y10",
        "G1 X110 S500",
        "M5",
    ] {
        assert_eq!(send(&mut g, l), "ok\r\n", "{l}");
        run_until_idle(&mut g);
    }
    let log = g.burn_log();
    assert!(!log.lit_during_rapid);
    assert!((log.burned_mm - 25.0).abs() < 1e-9, "{}", log.burned_mm);
    for s in &log.segments {
        let xs = [s.from_mm[0], s.to_mm[0]];
        assert!(
            xs.iter().all(|&x| (5.0..=10.0).contains(&x))
                || xs.iter().all(|&x| (50.0..=60.0).contains(&x))
                || xs.iter().all(|&x| (100.0..=110.0).contains(&x)),
            "{s:?}"
        );
    }
    assert!(log.max_power_s <= 1000.0);
}

#[test]
fn non_laser_mode_burns_during_rapids_and_the_log_shows_it() {
    let s = burin_sim::Settings {
        laser_mode: false,
        ..Default::default()
    };
    let mut g = sim_with(SimConfig::default().with_settings(s));
    send(&mut g, "M3 S1000");
    send(&mut g, "G0 X10");
    run_until_idle(&mut g);
    assert!(g.burn_log().lit_during_rapid);
}

#[test]
fn soft_limit_alarm_locks_until_reset() {
    let mut g = sim_with(SimConfig::default().with_homing(true));
    assert_eq!(g.state(), MachineState::Alarm);
    assert_eq!(send(&mut g, "$H"), "");
    assert_eq!(g.state(), MachineState::Home);
    let out = run_until(&mut g, is_idle);
    assert_eq!(out, "ok\r\n");
    assert_eq!(g.machine_position_mm(), [-1.0, -1.0, 0.0]);
    assert_eq!(send(&mut g, "G0 X-100 Y-100"), "ok\r\n");
    run_until_idle(&mut g);
    // Not moving: the alarm is immediate.
    assert_eq!(
        send(&mut g, "G0 X-500"),
        "ALARM:2\r\n[MSG:Reset to continue]\r\n"
    );
    assert_eq!(g.state(), MachineState::Alarm);
    assert_eq!(g.machine_position_mm(), [-100.0, -100.0, 0.0]);
    g.write(b"?");
    g.advance(TICK);
    assert_eq!(text(&mut g), "", "no status report after a critical alarm");
    g.write(b"G0 X-1\n");
    g.advance(Duration::from_secs(1));
    assert_eq!(text(&mut g), "");
    g.write(&[rt::SOFT_RESET]);
    assert_eq!(
        text(&mut g),
        "\r\nGrbl 1.1h ['$' for help]\r\n[MSG:'$H'|'$X' to unlock]\r\n"
    );
}

#[test]
fn homing_with_forced_origin_gives_positive_travel() {
    let s = burin_sim::Settings {
        homing_enable: true,
        soft_limits: true,
        homing_dir_mask: 3,
        ..Default::default()
    };
    let cfg = SimConfig {
        homing_force_set_origin: true,
        ..SimConfig::default().with_settings(s)
    };
    let mut g = sim_with(cfg);
    send(&mut g, "$H");
    run_until(&mut g, is_idle);
    assert_eq!(g.machine_position_mm(), [0.0; 3]);
    assert_eq!(send(&mut g, "G0 X100 Y100"), "ok\r\n");
    run_until_idle(&mut g);
    assert_eq!(g.machine_position_mm(), [100.0, 100.0, 0.0]);
    assert!(send(&mut g, "$I").contains("[OPT:VZ,15,128]"));
}

#[test]
fn dwell_and_m0_hold_the_ok() {
    let mut g = sim();
    assert_eq!(send(&mut g, "G1 X10 F600"), "ok\r\n");
    assert_eq!(send(&mut g, "G4 P1"), "");
    let t0 = g.now().as_secs_f64();
    let out = run_until(&mut g, |g| g.counters().oks == 2);
    assert_eq!(out, "ok\r\n");
    // 10 mm at 10 mm/s (plus 0.01 s of ramps) then 1 s of dwell.
    assert!(g.now().as_secs_f64() - t0 >= 2.0);

    assert_eq!(send(&mut g, "M0"), "");
    assert_eq!(g.state(), MachineState::Hold { complete: true });
    g.advance(Duration::from_secs(1));
    assert_eq!(text(&mut g), "");
    g.write(b"~");
    g.advance(TICK);
    assert_eq!(text(&mut g), "ok\r\n");
    assert_eq!(send(&mut g, "M2"), "[MSG:Pgm End]\r\nok\r\n");
    assert!(send(&mut g, "$G").starts_with("[GC:G1 G54 G17 G21 G90 G94 M5 M9"));
}

#[test]
fn feed_override_speeds_up_and_raises_m4_power() {
    let mut g = sim();
    send(&mut g, "M4 S500 G1 X200 F3000");
    g.advance(Duration::from_millis(500));
    assert!((g.speed_mm_min() - 3000.0).abs() < 1e-6);
    g.write(&[rt::FEED_OV_COARSE_PLUS, rt::FEED_OV_COARSE_PLUS]); // coalesced: +10 once
    g.advance(Duration::from_millis(300));
    assert_eq!(g.overrides().feed_pct, 110);
    assert!((g.speed_mm_min() - 3300.0).abs() < 1e-6);
    assert!((g.laser_power_s() - 550.0).abs() < 1e-6);
    let st = status(&mut g);
    assert!(st.contains("|FS:3300,550"), "{st}");
    g.write(&[rt::SPINDLE_OV_COARSE_MINUS]);
    g.advance(Duration::from_millis(10));
    assert!((g.laser_power_s() - 495.0).abs() < 1e-6);
    for _ in 0..30 {
        g.write(&[rt::FEED_OV_COARSE_MINUS]);
        g.advance(TICK);
    }
    assert_eq!(g.overrides().feed_pct, 10);
}

#[test]
fn safety_door_stops_turns_the_laser_off_and_resumes() {
    let mut g = sim();
    send(&mut g, "M3 S300 G1 X100 F3000");
    g.advance(Duration::from_millis(300));
    assert!(g.laser_power_s() > 0.0);
    g.write(&[rt::SAFETY_DOOR]);
    g.advance(TICK);
    assert_eq!(text(&mut g), "[MSG:Check Door]\r\n");
    assert_eq!(g.state(), MachineState::Door(2));
    run_until(&mut g, |g| g.state() == MachineState::Door(0));
    assert_eq!(g.laser_power_s(), 0.0);
    g.write(b"~");
    run_until_idle(&mut g);
    assert_eq!(g.machine_position_mm()[0], 100.0);
}

#[test]
fn spindle_stop_toggle_in_hold() {
    let mut g = sim();
    send(&mut g, "M3 S300 G1 X100 F3000");
    g.advance(Duration::from_millis(300));
    g.write(b"!");
    run_until(&mut g, |g| {
        g.state() == MachineState::Hold { complete: true }
    });
    assert_eq!(g.laser_power_s(), 300.0, "M3 stays lit in a hold");
    g.write(&[rt::SPINDLE_STOP_TOGGLE]);
    g.advance(TICK);
    assert_eq!(g.laser_power_s(), 0.0);
    g.write(b"~");
    run_until_idle(&mut g);
    assert_eq!(g.machine_position_mm()[0], 100.0);
}

#[test]
fn arcs_end_on_target_and_burn_their_length() {
    let mut g = sim();
    send(&mut g, "G0 X10 Y0");
    send(&mut g, "M4 S400");
    g.write(b"G3 X-10 Y0 I-10 J0 F1200\n");
    run_until_idle(&mut g);
    let p = g.machine_position_mm();
    assert!((p[0] + 10.0).abs() < 1e-9 && p[1].abs() < 1e-9, "{p:?}");
    let half_circle = std::f64::consts::PI * 10.0;
    assert!(rel_err(g.burn_log().burned_mm, half_circle) < 1e-3);
}

#[test]
fn soft_limit_while_moving_stops_with_deceleration_then_alarms() {
    let mut g = sim_with(SimConfig::default().with_homing(true));
    send(&mut g, "$X");
    send(&mut g, "G1 X-100 F6000");
    g.advance(Duration::from_millis(300));
    assert_eq!(g.state(), MachineState::Run);
    assert!((g.speed_mm_min() - 6000.0).abs() < 1e-6);
    let x_at_violation = g.machine_position_mm()[0];
    assert_eq!(
        send(&mut g, "G1 X-500"),
        "",
        "no answer for the offending line"
    );
    assert_eq!(g.state(), MachineState::Hold { complete: false });
    let out = run_until(&mut g, |g| g.state() == MachineState::Alarm);
    assert_eq!(out, "ALARM:2\r\n[MSG:Reset to continue]\r\n");
    assert_eq!(g.speed_mm_min(), 0.0);
    assert_eq!(g.planner_blocks_used(), 0);
    let x = g.machine_position_mm()[0];
    // Stopped v²/(2a) = 5 mm after the violation was parsed, inside the travel.
    assert!(
        (x_at_violation - x - 5.0).abs() < 0.02,
        "{x_at_violation} -> {x}"
    );
    g.write(b"~");
    g.advance(Duration::from_secs(1));
    assert_eq!(
        g.machine_position_mm()[0],
        x,
        "a resume cannot move after the alarm"
    );
}

#[test]
fn door_during_a_jog_cancels_it_into_the_door_state() {
    let mut g = sim();
    send(&mut g, "$J=X100 F3000");
    g.advance(Duration::from_millis(200));
    g.write(&[rt::SAFETY_DOOR]);
    g.advance(TICK);
    assert_eq!(text(&mut g), "[MSG:Check Door]\r\n");
    run_until(&mut g, |g| g.state() == MachineState::Door(0));
    assert_eq!(g.planner_blocks_used(), 0);
    g.write(b"~");
    run_until(&mut g, is_idle);
    assert!(g.machine_position_mm()[0] < 100.0);
}

#[test]
fn coordinate_systems_offsets_and_predefined_positions() {
    let mut g = sim();
    let go = |g: &mut burin_sim::Grbl, l: &str| {
        assert_eq!(send(g, l) + &run_until_idle(g), "ok\r\n", "{l}");
        g.machine_position_mm()
    };
    go(&mut g, "G0 X10 Y10");
    go(&mut g, "G10 L20 P1 X0 Y0"); // G54 origin here
    assert_eq!(go(&mut g, "G0 X5"), [15.0, 10.0, 0.0]);
    go(&mut g, "G92 X0"); // G92: current X is 0
    assert_eq!(go(&mut g, "G0 X1"), [16.0, 10.0, 0.0]);
    assert_eq!(go(&mut g, "G53 G0 X0 Y0"), [0.0, 0.0, 0.0]);
    assert_eq!(g.work_position_mm(), [-15.0, -10.0, 0.0]); // WCO = G54 10 + G92 5
    go(&mut g, "G92.1");
    go(&mut g, "G55");
    assert_eq!(go(&mut g, "G0 X3"), [3.0, 0.0, 0.0]);
    go(&mut g, "G53 G0 X20 Y30");
    go(&mut g, "G28.1");
    go(&mut g, "G53 G0 X0 Y0");
    assert_eq!(go(&mut g, "G28"), [20.0, 30.0, 0.0]);
    go(&mut g, "G53 G0 X0 Y0");
    // With axis words only those axes go home, through the intermediate point.
    assert_eq!(go(&mut g, "G28 X5"), [20.0, 0.0, 0.0]);
    go(&mut g, "G20");
    assert_eq!(go(&mut g, "G91 G0 X1"), [45.4, 0.0, 0.0]);
    let p = send(&mut g, "$#");
    assert!(p.starts_with("[G54:10.000,10.000,0.000]"), "{p}");
    assert!(p.contains("[G28:20.000,30.000,0.000]"), "{p}");
}

#[test]
fn inverse_time_feed_sets_the_block_duration() {
    let mut g = sim();
    // F60 in G93: the block takes 1/60 min. 10 mm in 1 s = 10 mm/s, ramps of 0.01 s.
    assert_eq!(send(&mut g, "G93 G1 X10 F60"), "ok\r\n");
    run_until_idle(&mut g);
    let expect = 2.0 * 10.0 / 1000.0 + (10.0 - 100.0 / 1000.0) / 10.0;
    assert!(
        rel_err(g.motion_time_s(), expect) < 0.01,
        "{}",
        g.motion_time_s()
    );
    assert_eq!(
        send(&mut g, "G1 X20"),
        "error:22\r\n",
        "G93 needs F on every move"
    );
}
