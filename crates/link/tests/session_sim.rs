//! The session driver against the simulator on a virtual clock (deterministic).

mod common;

use std::time::Duration;

use burin_grbl::message::State;
use burin_link::{JobControl, JobEnd, Session, VirtualSim};
use burin_sim::{MachineState as SimState, SimConfig};
use common::*;

const TICK: Duration = Duration::from_millis(1);

fn session(cfg: SimConfig) -> Session<VirtualSim> {
    let mut s = Session::new(VirtualSim::new(cfg, TICK), opts());
    s.connect().expect("the simulator answers");
    s
}

#[test]
fn connect_reads_build_info_and_settings() {
    let s = session(SimConfig::default());
    let m = s.machine();
    assert_eq!(m.rx_buffer_bytes(), Some(128));
    assert_eq!(m.planner_blocks(), Some(15));
    assert_eq!(m.laser_mode(), Some(true));
    assert_eq!(m.setting_f64(130), Some(400.0));
    assert_eq!(m.firmware.version.as_deref(), Some("1.1h"));
}

#[test]
fn set_laser_mode_writes_32() {
    let mut cfg = SimConfig::default();
    cfg.settings.laser_mode = false;
    let mut s = session(cfg);
    assert_eq!(s.machine().laser_mode(), Some(false));
    s.set_laser_mode().expect("$32=1 accepted");
    assert_eq!(s.machine().laser_mode(), Some(true));
    assert!(s.connection().grbl().settings().laser_mode);
}

#[test]
fn every_line_is_acknowledged_and_executed() {
    let mut s = session(SimConfig::default());
    let job = squares_job(40);
    let n = job.len() as u64;
    let report = s.run_job(job, &mut ());
    assert_eq!(report.end, JobEnd::Finished { lines: n });
    assert_eq!(report.progress.lines_acked, n);
    assert_eq!(report.progress.lines_failed, 0);
    assert_eq!(report.last_acked_line, Some(n));
    let g = s.connection().grbl();
    assert_eq!(g.state(), SimState::Idle);
    assert!(g.is_drained());
    assert!(g.host_violations().is_empty());
    // 40 squares of 4 x 3 mm.
    assert!(
        (g.burn_log().burned_mm - 40.0 * 12.0).abs() < 1e-6,
        "{}",
        g.burn_log().burned_mm
    );
    assert!(!g.burn_log().lit_during_rapid);
    assert!(s.max_in_flight_bytes() <= 128 && s.max_in_flight_bytes() > 100);
}

#[test]
fn an_error_mid_file_stops_the_job_and_names_the_line() {
    let mut s = session(SimConfig::default());
    let mut job = squares_job(40);
    job[99] = "G1 X10 Q5".into(); // line 100: error:20 (unsupported letter)
    let total = job.len();
    let mut script = Script::default();
    let report = s.run_job(job, &mut script);
    match &report.end {
        JobEnd::Error {
            line_no,
            code,
            source,
            ..
        } => {
            assert_eq!((*line_no, *code), (100, 20));
            assert_eq!(source, "G1 X10 Q5");
        }
        other => panic!("expected an error end, got {other:?}"),
    }
    assert_eq!(script.errors, vec![(100, 20)]);
    assert!(report.last_acked_line.is_some_and(|l| l >= 100));
    assert!((report.progress.lines_sent as usize) < total);
    // Held, then reset: the laser is off and the machine still.
    let g = s.connection().grbl();
    assert_eq!(g.laser_power_s(), 0.0);
    assert_eq!(g.state(), SimState::Idle);
    assert!(
        script.states.contains(&State::Hold(0)),
        "{:?}",
        script.states
    );
}

#[test]
fn feed_hold_and_resume() {
    let mut s = session(SimConfig::default());
    let job = squares_job(30);
    let n = job.len() as u64;
    let mut script = Script {
        at_acked: vec![(40, JobControl::Pause)],
        resume_after: Some(Duration::from_secs(2)),
        ..Script::default()
    };
    let report = s.run_job(job, &mut script);
    assert_eq!(report.end, JobEnd::Finished { lines: n });
    let holds = script
        .states
        .iter()
        .position(|st| *st == State::Hold(0))
        .expect("the hold completed");
    assert!(
        script.states[holds..].contains(&State::Run),
        "{:?}",
        script.states
    );
    let g = s.connection().grbl();
    assert!((g.burn_log().burned_mm - 30.0 * 12.0).abs() < 1e-6);
}

#[test]
fn stop_mid_job_leaves_the_laser_off() {
    let mut s = session(SimConfig::default());
    let job = squares_job(60); // M3: the laser is lit during every G1
    let mut script = Script {
        at_acked: vec![(80, JobControl::Stop)],
        ..Script::default()
    };
    let report = s.run_job(job, &mut script);
    assert_eq!(report.end, JobEnd::Stopped);
    assert!(report.last_acked_line.is_some_and(|l| l >= 80));
    let burned_at_stop = {
        let g = s.connection().grbl();
        assert_eq!(g.laser_power_s(), 0.0);
        // Stop waits for the hold to complete, so the reset costs no position: no alarm.
        assert_eq!(g.state(), SimState::Idle);
        assert!(g.counters().resets >= 2, "connect reset and stop reset");
        g.burn_log().burned_mm
    };
    assert!(burned_at_stop < 60.0 * 12.0);
    // Nothing burns afterwards.
    let g = s.connection_mut().grbl_mut();
    g.advance(Duration::from_secs(10));
    assert_eq!(g.burn_log().burned_mm, burned_at_stop);
    assert_eq!(g.laser_power_s(), 0.0);
}

#[test]
fn immediate_reset_mid_job_alarms_and_leaves_the_laser_off() {
    let mut s = session(SimConfig::default());
    let mut script = Script {
        at_acked: vec![(80, JobControl::Reset)],
        ..Script::default()
    };
    let report = s.run_job(squares_job(60), &mut script);
    assert_eq!(report.end, JobEnd::Stopped);
    let g = s.connection().grbl();
    assert_eq!(g.laser_power_s(), 0.0);
    // A reset while moving costs the position: GRBL locks with ALARM:3.
    assert_eq!(g.state(), SimState::Alarm);
    assert!(s.machine().alarm_locked);
    assert_eq!(s.machine().last_alarm, Some(3));
}

#[test]
fn an_alarm_ends_the_job() {
    // Soft limits on a homed machine: a move beyond travel raises ALARM:2.
    let mut s = session(SimConfig::default().with_homing(true));
    s.command("$H").expect("homing");
    let job: Vec<String> = vec![
        "G21 G90".into(),
        "G53 G0 X-10 Y-10".into(),
        "G53 G1 X-500 F3000".into(),
        "G53 G0 X-20".into(),
    ];
    let report = s.run_job(job, &mut ());
    assert!(
        matches!(report.end, JobEnd::Alarm { code: 2, .. }),
        "{:?}",
        report.end
    );
    assert_eq!(s.connection().grbl().laser_power_s(), 0.0);
}

#[test]
fn a_million_lines_stream_in_flat_memory() {
    let cfg = SimConfig {
        burn_log_max_segments: Some(1000),
        ..SimConfig::default()
    };
    let mut s = Session::new(VirtualSim::new(cfg, Duration::from_millis(5)), opts());
    s.connect().expect("connect");
    const N: u64 = 1_000_000;
    // Generated lazily: the job itself never exists in memory.
    let job = (0..N).map(|i| {
        if i == 0 {
            "G21 G90 M4 F6000".to_string()
        } else {
            format!("G1 X{:.1} S{}", (i % 2000) as f64 * 0.2, i % 1000)
        }
    });
    struct Mem {
        at_100k: Option<u64>,
        max_after: u64,
    }
    impl burin_link::JobObserver for Mem {
        fn control(
            &mut self,
            p: &burin_grbl::streamer::Progress,
            _m: &burin_grbl::MachineState,
            _now: Duration,
        ) -> Option<JobControl> {
            if p.lines_acked >= 100_000 && p.lines_acked.is_multiple_of(10_000) {
                let rss = rss_bytes();
                match self.at_100k {
                    None => self.at_100k = Some(rss),
                    Some(_) => self.max_after = self.max_after.max(rss),
                }
            }
            None
        }
    }
    let mut mem = Mem {
        at_100k: None,
        max_after: 0,
    };
    let report = s.run_job(job, &mut mem);
    assert_eq!(report.end, JobEnd::Finished { lines: N });
    assert_eq!(report.progress.lines_acked, N);
    assert!(s.max_in_flight_bytes() <= 128);
    let base = mem.at_100k.expect("sampled");
    let growth = mem.max_after.saturating_sub(base);
    // 900,000 more lines held in memory would cost tens of MB.
    assert!(growth < 8 << 20, "RSS grew by {growth} bytes");
}

#[test]
fn a_job_finishes_without_automatic_status_polls() {
    let mut o = opts();
    o.streamer.status_interval = None;
    let mut s = Session::new(VirtualSim::new(SimConfig::default(), TICK), o);
    s.connect().expect("connect");
    let job = squares_job(3);
    let n = job.len() as u64;
    let report = s.run_job(job, &mut ());
    assert_eq!(report.end, JobEnd::Finished { lines: n });
    assert!(s.connection().grbl().is_drained());
}
