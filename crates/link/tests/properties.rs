//! Property: through the session driver, the bytes sent and not yet acknowledged never exceed
//! the receive buffer the controller reports, and the simulator never overflows.

use std::time::Duration;

use burin_link::{JobEnd, Session, SessionOptions, VirtualSim};
use burin_sim::SimConfig;
use proptest::prelude::*;

fn line(x: u32, y: u32, s: u32, digits: usize) -> String {
    let f = |v: u32| format!("{:.*}", digits, f64::from(v) / 7.0);
    format!("G1 X{} Y{} S{s}", f(x), f(y))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn in_flight_bytes_never_exceed_the_reported_buffer(
        rx in 48usize..300,
        moves in proptest::collection::vec((0u32..700, 0u32..700, 0u32..1000, 0usize..4), 1..60),
    ) {
        let cfg = SimConfig { rx_buffer_bytes: rx, ..SimConfig::default() };
        let mut s = Session::new(VirtualSim::new(cfg, Duration::from_millis(2)), SessionOptions::default());
        s.connect().expect("connect");
        prop_assert_eq!(s.streamer().rx_buffer_bytes(), rx);
        let mut job = vec!["G21 G90 M4 F4000".to_string()];
        job.extend(moves.iter().map(|&(x, y, p, d)| line(x, y, p, d)));
        job.push("M5".into());
        let n = job.len() as u64;
        let report = s.run_job(job, &mut ());
        prop_assert_eq!(report.end, JobEnd::Finished { lines: n });
        prop_assert!(s.max_in_flight_bytes() <= rx, "{} > {}", s.max_in_flight_bytes(), rx);
        prop_assert!(s.connection().grbl().host_violations().is_empty());
    }
}
