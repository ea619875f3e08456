//! The I/O thread driving the real-time simulator (the `--port sim` path), sped up.

mod common;

use std::time::Duration;

use burin_link::{JobEnd, Link, Session, SessionOptions, SimTransport, Transport};
use burin_sim::SimConfig;
use common::*;

#[test]
fn sim_transport_answers_in_real_time() {
    let (mut t, handle) = SimTransport::new(SimConfig::default(), 1.0);
    let mut buf = [0u8; 256];
    let n = t.read(&mut buf, Duration::from_millis(200)).expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).contains("Grbl 1.1h"));
    t.write(b"$I\n").expect("write");
    let n = t.read(&mut buf, Duration::from_millis(200)).expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).contains("[OPT:V,15,128]"));
    assert_eq!(t.read(&mut buf, Duration::from_millis(5)).expect("read"), 0);
    assert_eq!(t.name(), "sim");
    assert!(handle.lock().now() > Duration::ZERO);
}

#[test]
fn a_job_runs_through_the_io_thread() {
    let (t, handle) = SimTransport::new(SimConfig::default(), 20.0);
    let mut s = Session::new(Link::spawn(t), SessionOptions::default());
    s.connect().expect("connect");
    let job = squares_job(20);
    let n = job.len() as u64;
    let report = s.run_job(job, &mut ());
    assert_eq!(report.end, JobEnd::Finished { lines: n });
    let g = handle.lock();
    assert!((g.burn_log().burned_mm - 20.0 * 12.0).abs() < 1e-6);
    assert!(g.host_violations().is_empty());
    assert_eq!(g.laser_power_s(), 0.0);
}
