//! Through a real pseudo-terminal: the simulator runs as the "device" on the master side, the
//! code under test opens the slave by path like any serial port.

mod common;

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use burin_link::{JobEnd, Link, LinkLost, OpenError, SerialTransport, Session, SessionOptions};
use burin_sim::{Grbl, SimConfig};
use common::*;
use serialport::{SerialPort, TTYPort};

/// The device side: runs the simulator in real time on the pty master. After `drop_after`
/// lines were answered with `ok`, it closes the master (the cable is pulled) and records when.
struct Device {
    stop: Arc<AtomicBool>,
    dropped_at: Arc<std::sync::Mutex<Option<Instant>>>,
    oks: Arc<AtomicU64>,
    thread: Option<JoinHandle<Grbl>>,
}

impl Device {
    fn start(mut master: TTYPort, drop_after: Option<u64>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let dropped_at = Arc::new(std::sync::Mutex::new(None));
        let oks = Arc::new(AtomicU64::new(0));
        let (s, d, o) = (stop.clone(), dropped_at.clone(), oks.clone());
        let thread = std::thread::spawn(move || {
            let mut g = Grbl::new(SimConfig::default());
            g.read(); // power-up banner: real boards don't send one when the port opens
            master
                .set_timeout(Duration::from_millis(1))
                .expect("pty timeout");
            let t0 = Instant::now();
            let mut buf = [0u8; 256];
            while !s.load(Ordering::Relaxed) {
                match master.read(&mut buf) {
                    Ok(n) => g.write(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(_) => {}
                }
                g.advance_to(t0.elapsed());
                let out = g.read();
                if !out.is_empty() {
                    master.write_all(&out).expect("pty write");
                }
                o.store(g.counters().oks, Ordering::Relaxed);
                if drop_after.is_some_and(|n| g.counters().oks >= n) {
                    *d.lock().expect("lock") = Some(Instant::now());
                    drop(master);
                    return g;
                }
            }
            g
        });
        Self {
            stop,
            dropped_at,
            oks,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> Grbl {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .take()
            .expect("running")
            .join()
            .expect("device thread")
    }
}

fn pty() -> (TTYPort, TTYPort, String) {
    let (master, slave) = TTYPort::pair().expect("pty pair");
    let path = slave.name().expect("slave path");
    (master, slave, path)
}

#[test]
fn streams_a_job_through_a_pty() {
    let (master, _slave, path) = pty();
    let device = Device::start(master, None);
    let port = SerialTransport::open(&path, 115_200).expect("open the pty slave by path");
    let mut session = Session::new(Link::spawn(port), SessionOptions::default());
    session.connect().expect("banner after the soft reset");
    assert_eq!(session.machine().laser_mode(), Some(true));
    let job = raster_job(6, 60);
    let n = job.len() as u64;
    let report = session.run_job(job, &mut ());
    assert_eq!(report.end, JobEnd::Finished { lines: n });
    assert_eq!(report.last_acked_line, Some(n));
    assert!(session.max_in_flight_bytes() <= 128);
    drop(session);
    let g = device.finish();
    assert!(g.host_violations().is_empty(), "{:?}", g.host_violations());
    assert!(g.is_drained());
    assert!(
        g.burn_log().burned_mm > 6.0 * 5.9,
        "{}",
        g.burn_log().burned_mm
    );
}

#[test]
fn a_dropped_link_is_detected_within_a_second() {
    let (master, slave, path) = pty();
    drop(slave); // only the code under test holds the slave: closing the master hangs it up
    let device = Device::start(master, Some(150));
    let port = SerialTransport::open(&path, 115_200).expect("open the pty slave by path");
    let mut session = Session::new(Link::spawn(port), SessionOptions::default());
    session.connect().expect("banner");
    let report = session.run_job(raster_job(10, 100), &mut ());
    let detected = Instant::now();
    let dropped = device
        .dropped_at
        .lock()
        .expect("lock")
        .expect("device dropped the link");
    let JobEnd::LinkLost(lost) = &report.end else {
        panic!("expected a lost link, got {:?}", report.end);
    };
    assert!(
        matches!(lost, LinkLost::Read { .. } | LinkLost::Gone { .. }),
        "{lost:?}"
    );
    let delay = detected.duration_since(dropped);
    assert!(delay < Duration::from_secs(1), "detected after {delay:?}");
    // Connect's $I and $$ took 2 of the device's oks.
    let acked = report
        .last_acked_line
        .expect("some lines were acknowledged");
    let device_oks = device.oks.load(Ordering::Relaxed);
    assert!(
        acked + 2 <= device_oks && acked > 100,
        "acked {acked}, device {device_oks}"
    );
    let _ = device.finish();
}

#[test]
fn opening_a_missing_port_lists_the_existing_ones() {
    let err =
        SerialTransport::open("/dev/ttyUSB-burin-missing", 115_200).expect_err("no such device");
    assert!(matches!(err, OpenError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("no such port"), "{err}");
}

#[test]
fn a_vanished_device_path_is_reported_as_gone_within_a_second() {
    // A device node that disappears (USB unplug) is modelled by a symlink to the pty slave
    // that is deleted while the port is open; the master stays open, so reads do not fail.
    let (_master, _slave, path) = pty();
    let link_path = std::env::temp_dir().join(format!("burin-vanish-{}", std::process::id()));
    let _ = std::fs::remove_file(&link_path);
    std::os::unix::fs::symlink(&path, &link_path).expect("symlink");
    let name = link_path.to_string_lossy().into_owned();
    let port = SerialTransport::open(&name, 115_200).expect("open through the symlink");
    let mut link = Link::spawn(port);
    std::fs::remove_file(&link_path).expect("remove symlink");
    let removed = Instant::now();
    let lost = loop {
        match link.recv_timeout(Duration::from_secs(2)) {
            Some(burin_link::LinkEvent::Lost(l)) => break l,
            Some(burin_link::LinkEvent::Line(_)) => continue,
            other => panic!("expected Lost, got {other:?}"),
        }
    };
    assert_eq!(lost, LinkLost::Gone { name });
    assert!(
        removed.elapsed() < Duration::from_secs(1),
        "{:?}",
        removed.elapsed()
    );
    assert!(lost.to_string().contains("disappeared"));
}
