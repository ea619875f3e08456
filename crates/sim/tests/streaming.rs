//! The serial side: RX overflow detection, character counting, the wire model, line endings.

mod common;
use burin_sim::{Grbl, HostViolation, MachineState, SimConfig};
use common::*;
use std::time::Duration;

fn zigzag(n: usize) -> Vec<String> {
    let mut lines = vec!["G21 G90".to_string(), "M4 S600".to_string()];
    for i in 0..n {
        let x = if i % 2 == 0 { 40.0 } else { 5.0 };
        let y = 0.25 * i as f64;
        lines.push(format!("G1 X{x:.3} Y{y:.3} F3000 S{}", 200 + (i % 5) * 100));
    }
    lines.push("G0 X0 Y0".to_string());
    lines.push("M5".to_string());
    lines
}

#[test]
fn rx_overflow_is_dropped_and_recorded_as_a_host_violation() {
    let mut g = sim();
    // 20 lines of 12 bytes = 240 bytes written at once: GRBL can take only 128 + what it
    // consumes, so a host that does not count characters overflows the buffer.
    let mut burst = Vec::new();
    for i in 0..20 {
        burst.extend_from_slice(format!("G1 X{:02} F600\n", i + 10).as_bytes());
    }
    assert_eq!(burst.len(), 240);
    g.write(&burst);
    assert!(g.rx_used() <= 128);
    let v = g.host_violations();
    assert_eq!(v.len(), 1, "{v:?}");
    let HostViolation::RxOverflow { dropped_bytes, .. } = v[0];
    assert_eq!(dropped_bytes, 240 - 128);
    assert_eq!(g.counters().rx_bytes_dropped, 112);
    // A careful host never triggers it.
    let mut h = sim();
    h.write(&burst[..128]);
    assert!(h.host_violations().is_empty());
}

#[test]
fn character_counted_stream_completes_with_the_right_final_position() {
    let mut g = sim();
    let mut lines = zigzag(300);
    lines.pop(); // finish at the last cut, laser off
    lines.pop();
    lines.push("M5".into());
    let mut c = Counter::new(128);
    c.stream(&mut g, &lines, Duration::from_millis(2));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.oks, lines.len());
    assert!(g.host_violations().is_empty());
    run_until_idle(&mut g);
    let p = g.machine_position_mm();
    assert!(
        (p[0] - 5.0).abs() < 1e-9 && (p[1] - 74.75).abs() < 1e-9,
        "{p:?}"
    );
    assert_eq!(g.counters().lines_received, lines.len() as u64);
    assert_eq!(g.counters().oks, lines.len() as u64);
    let log = g.burn_log();
    assert!(!log.lit_during_rapid && !log.m4_lit_while_stationary);
    assert!(log.burned_mm > 300.0 * 35.0);
}

#[test]
fn counting_against_a_too_large_buffer_is_caught() {
    let mut g = sim();
    let lines = zigzag(100);
    let mut c = Counter::new(200); // host believes the buffer is 200 bytes
    let mut next = 0;
    for _ in 0..50 {
        while next < lines.len() && c.can_send(&lines[next]) {
            c.send(&mut g, &lines[next]);
            next += 1;
        }
        g.advance(Duration::from_millis(2));
        c.absorb(&mut g);
    }
    assert!(!g.host_violations().is_empty());
    // Dropped bytes corrupt lines: GRBL answers fewer lines than were sent.
    assert!(g.counters().lines_received < next as u64);
}

#[test]
fn the_planner_fills_and_blocks_the_parser() {
    let mut g = sim();
    let lines: Vec<String> = (0..40).map(|i| format!("G1 X{} F3000", i + 1)).collect();
    let mut c = Counter::new(128);
    let mut max_blocks = 0;
    let mut next = 0;
    while next < lines.len() {
        while next < lines.len() && c.can_send(&lines[next]) {
            c.send(&mut g, &lines[next]);
            next += 1;
        }
        g.advance(Duration::from_millis(1));
        c.absorb(&mut g);
        max_blocks = max_blocks.max(g.planner_blocks_used());
        // Collinear moves: the planner must not stop between them.
        if g.state() == MachineState::Run
            && g.machine_position_mm()[0] > 3.0
            && g.machine_position_mm()[0] < 30.0
        {
            assert!(
                g.speed_mm_min() > 1000.0,
                "starved at {:?}",
                g.machine_position_mm()
            );
        }
    }
    assert_eq!(max_blocks, 15);
}

#[test]
fn crlf_gives_an_extra_ok_and_cr_alone_ends_a_line() {
    let mut g = sim();
    g.write(b"G21\r\n");
    g.advance(Duration::ZERO);
    assert_eq!(text(&mut g), "ok\r\nok\r\n");
    g.write(b"G90\rG91\r");
    g.advance(Duration::ZERO);
    assert_eq!(text(&mut g), "ok\r\nok\r\n");
}

#[test]
fn realtime_bytes_are_taken_out_of_lines_and_comments() {
    let mut g = sim();
    g.write(b"G90 (status?) G94\n");
    g.advance(Duration::ZERO);
    let t = text(&mut g);
    assert!(t.starts_with("<Idle|"), "{t:?}");
    assert!(t.ends_with("ok\r\n"));
    // Several `?` before the report is produced give one report.
    g.write(b"???");
    g.advance(Duration::ZERO);
    assert_eq!(text(&mut g).matches('<').count(), 1);
    assert_eq!(g.rx_used(), 0);
}

#[test]
fn the_wire_model_limits_throughput_and_counts_bytes() {
    let mut g = Grbl::new(SimConfig::default().with_baud(115_200));
    g.read();
    let lines: Vec<String> = (0..200)
        .map(|i| {
            format!(
                "G1 X{:.3} Y{:.3} F6000",
                (i % 7) as f64 * 0.1,
                (i % 5) as f64 * 0.1
            )
        })
        .collect();
    let total: usize = lines.iter().map(|l| l.len() + 1).sum();
    let mut c = Counter::new(128);
    c.stream(&mut g, &lines, Duration::from_micros(500));
    run_until_idle(&mut g);
    assert_eq!(c.oks, lines.len());
    assert_eq!(g.wire_bytes_delivered(), total as u64);
    let wire_time = total as f64 * 10.0 / 115_200.0;
    assert!(
        g.now().as_secs_f64() >= wire_time,
        "bytes cannot beat the wire"
    );
    let u = g.link_utilisation().unwrap_or(0.0);
    assert!(u > 0.0 && u <= 1.0, "{u}");
    assert!(g.host_violations().is_empty());
}

#[test]
fn wire_delivers_writes_over_time() {
    let mut g = Grbl::new(SimConfig::default().with_baud(9600));
    g.read();
    g.write(b"G21\n");
    assert_eq!(g.rx_used(), 0);
    assert_eq!(g.wire_pending(), 4);
    g.advance(Duration::from_millis(3)); // under 4 byte times of 1.04 ms
    assert_eq!(text(&mut g), "");
    g.advance(Duration::from_millis(2));
    assert_eq!(text(&mut g), "ok\r\n");
}
