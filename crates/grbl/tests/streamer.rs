//! The streamer against a scripted fake controller (tests/common).

mod common;

use std::time::Duration;

use burin_grbl::realtime::{CYCLE_START, FEED_HOLD, SOFT_RESET, STATUS_REPORT};
use burin_grbl::streamer::{JobStatus, StopReason, StreamError, StreamMode};
use burin_grbl::{StreamEvent, Streamer, StreamerOptions, parse_str};
use common::{BANNER, FakeState, Harness};
use proptest::prelude::*;

fn opts() -> StreamerOptions {
    StreamerOptions {
        // Tests drive status reports by hand unless they say otherwise.
        status_interval: None,
        ..StreamerOptions::default()
    }
}

fn job(n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            format!(
                "G1 X{}.{:03} Y{} F1200 S{}",
                i % 200,
                i % 1000,
                i % 97,
                i % 1000
            )
        })
        .collect()
}

fn count<F: Fn(&StreamEvent) -> bool>(events: &[StreamEvent], f: F) -> usize {
    events.iter().filter(|e| f(e)).count()
}

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

#[test]
fn streams_a_job_in_order_with_one_ok_per_line() {
    let lines = job(500);
    let mut h = Harness::new(Streamer::new(opts()));
    h.streamer.start_job(lines.clone()).expect("start");
    h.run_to_end(3, 10_000);
    assert!(h.finished());
    assert_eq!(h.fake.received, lines);
    assert_eq!(
        count(&h.events, |e| matches!(e, StreamEvent::Acked { .. })),
        500
    );
    let p = h.streamer.progress();
    assert_eq!((p.lines_read, p.lines_sent, p.lines_acked), (500, 500, 500));
    assert_eq!(h.streamer.in_flight_bytes(), 0);
    assert!(h.streamer.job_status().is_none());
    // Character counting keeps several lines queued, and never more than fit.
    assert!(h.max_in_flight_lines > 2);
    // LF only: no CR ever sent.
    assert!(!h.written.contains(&b'\r'));
}

#[test]
fn comments_blank_lines_and_realtime_chars_in_comments() {
    let lines: Vec<String> = [
        "G21 G90 (set up; status? no!)",
        "",
        "; only a comment",
        "M4 S0",
        "G1 X10 F1000 S500 (cut ~ here)",
        "M5",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut h = Harness::new(Streamer::new(opts()));
    h.streamer.start_job(lines).expect("start");
    h.run_to_end(1, 1000);
    assert_eq!(
        h.fake.received,
        vec!["G21 G90", "M4 S0", "G1 X10 F1000 S500", "M5"]
    );
    // No realtime byte from the comments reached the controller.
    assert!(h.fake.realtime_seen.is_empty());
    assert!(h.events.contains(&StreamEvent::Finished { lines: 6 }));
    assert!(h.events.contains(&StreamEvent::Acked { line_no: 5 }));
    assert_eq!(h.streamer.progress().lines_acked, 6);
}

#[test]
fn error_mid_job_stops_feeding_and_names_the_line() {
    let mut lines = job(200);
    lines[36] = "G99 X1".into();
    lines[3] = "(comment line)".into();
    let mut h = Harness::new(Streamer::new(opts()));
    h.fake.error_on.push(("G99 X1".into(), 20));
    h.streamer.start_job(lines).expect("start");
    for _ in 0..200 {
        h.round(10, 2);
        if h.events
            .iter()
            .any(|e| matches!(e, StreamEvent::Error { .. }))
        {
            break;
        }
    }
    let err = h
        .events
        .iter()
        .find(|e| matches!(e, StreamEvent::Error { .. }))
        .cloned();
    assert_eq!(
        err,
        Some(StreamEvent::Error {
            line_no: 37,
            code: 20,
            text: "Unsupported or invalid g-code command found in block.",
            source: "G99 X1".into(),
        })
    );
    assert_eq!(h.streamer.job_status(), Some(JobStatus::Halted));
    assert_eq!(h.fake.realtime_seen, vec![FEED_HOLD]);
    // Nothing new is fed: the controller only drains what was already queued.
    let sent_at_error = h.streamer.progress().lines_sent;
    for _ in 0..100 {
        h.round(10, 2);
    }
    assert_eq!(h.streamer.progress().lines_sent, sent_at_error);
    assert!(!h.finished());
    assert_eq!(h.streamer.progress().lines_failed, 1);
}

#[test]
fn check_mode_lists_every_error_without_halting() {
    let mut lines = job(50);
    lines[9] = "G99".into();
    lines[19] = "G98".into();
    let mut h = Harness::new(Streamer::new(StreamerOptions {
        halt_on_error: false,
        ..opts()
    }));
    h.fake.error_on = vec![("G99".into(), 20), ("G98".into(), 20)];
    h.streamer.start_job(lines).expect("start");
    h.run_to_end(2, 1000);
    let errors: Vec<u64> = h
        .events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Error { line_no, .. } => Some(*line_no),
            _ => None,
        })
        .collect();
    assert_eq!(errors, vec![10, 20]);
    assert!(h.finished());
    assert!(h.fake.realtime_seen.is_empty());
}

#[test]
fn pause_and_resume_send_hold_and_cycle_start() {
    let mut h = Harness::new(Streamer::new(opts()));
    h.streamer.start_job(job(300)).expect("start");
    for _ in 0..5 {
        h.round(10, 2);
    }
    let out = h.streamer.pause();
    assert_eq!(out.bytes, vec![FEED_HOLD]);
    assert_eq!(out.events, vec![StreamEvent::Paused]);
    h.apply(out);
    assert_eq!(h.streamer.job_status(), Some(JobStatus::Paused));
    let sent = h.streamer.progress().lines_sent;
    for _ in 0..20 {
        h.round(10, 2);
    }
    assert_eq!(
        h.streamer.progress().lines_sent,
        sent,
        "no feeding while paused"
    );
    let out = h.streamer.resume(h.now);
    assert_eq!(out.bytes.first(), Some(&CYCLE_START));
    assert_eq!(out.events.first(), Some(&StreamEvent::Resumed));
    h.apply(out);
    h.run_to_end(2, 10_000);
    assert!(h.finished());
    assert_eq!(h.fake.lines_received, 300);
}

#[test]
fn stop_holds_then_resets_once_hold_completes() {
    let mut h = Harness::new(Streamer::new(opts()));
    h.fake.hold_steps = 3;
    h.streamer.start_job(job(300)).expect("start");
    for _ in 0..5 {
        h.round(10, 1);
    }
    assert!(h.streamer.in_flight_lines() > 0);
    let out = h.streamer.stop(h.now);
    assert_eq!(out.bytes, vec![FEED_HOLD, STATUS_REPORT]);
    h.apply(out);
    assert!(h.streamer.is_stopping());
    // Still decelerating: Hold:1 does not trigger the reset.
    h.round(10, 1);
    assert_eq!(h.fake.state, FakeState::Hold(true));
    assert!(!h.written.contains(&SOFT_RESET));
    // The streamer keeps asking for reports until the hold completes.
    for _ in 0..5 {
        if h.written.contains(&SOFT_RESET) {
            break;
        }
        h.round(10, 1);
    }
    assert!(h.written.contains(&SOFT_RESET));
    let reset_at = h.written.iter().position(|&b| b == SOFT_RESET);
    let hold_at = h.written.iter().position(|&b| b == FEED_HOLD);
    assert!(hold_at < reset_at);
    // Reset while held still: no alarm, FIFO cleared, job gone.
    assert_eq!(h.fake.state, FakeState::Idle);
    assert_eq!(h.streamer.in_flight_bytes(), 0);
    assert_eq!(h.streamer.in_flight_lines(), 0);
    assert!(h.streamer.job_status().is_none());
    assert!(h.events.contains(&StreamEvent::Stopped {
        reason: StopReason::User
    }));
    assert!(!h.streamer.is_waiting_for_reset(), "banner was delivered");
    // A new job streams normally after the reset.
    h.streamer.start_job(job(10)).expect("restart");
    h.events.clear();
    h.run_to_end(2, 1000);
    assert!(h.finished());
}

#[test]
fn stop_ignores_an_idle_report_from_before_the_hold() {
    let mut s = Streamer::new(opts());
    s.start_job(job(20)).expect("start");
    s.poll(ms(0));
    s.stop(ms(0));
    let out = s.on_message(&parse_str("<Idle|MPos:0,0,0|FS:0,0>"), ms(25));
    assert_eq!(out.bytes, vec![STATUS_REPORT], "no reset yet, ask again");
    let out = s.on_message(&parse_str("<Hold:0|MPos:0,0,0|FS:0,0>"), ms(30));
    assert_eq!(out.bytes, vec![SOFT_RESET]);
    assert_eq!(
        out.events,
        vec![StreamEvent::Stopped {
            reason: StopReason::User
        }]
    );
}

#[test]
fn stop_requeries_at_a_bounded_rate() {
    let mut s = Streamer::new(opts());
    s.start_job(job(20)).expect("start");
    s.poll(ms(0));
    s.stop(ms(0));
    // A fast link answering every `?` at once: the reports keep saying Hold:1 (decelerating).
    let mut queries = 0;
    for t in 0..500u64 {
        let now = Duration::from_micros(t * 100);
        let out = s.on_message(&parse_str("<Hold:1|MPos:0,0,0|FS:500,0>"), now);
        queries += out.bytes.iter().filter(|&&b| b == STATUS_REPORT).count();
        queries += s
            .poll(now)
            .bytes
            .iter()
            .filter(|&&b| b == STATUS_REPORT)
            .count();
    }
    // 50 ms of reports: one query per 20 ms, not one per report.
    assert!((2..=4).contains(&queries), "{queries} queries in 50 ms");
    let out = s.on_message(&parse_str("<Hold:0|MPos:0,0,0|FS:0,0>"), ms(60));
    assert_eq!(out.bytes, vec![SOFT_RESET]);
}

#[test]
fn stop_falls_back_to_reset_after_timeout() {
    let mut s = Streamer::new(opts());
    s.start_job(job(20)).expect("start");
    let first = s.poll(ms(0));
    assert!(first.bytes.len() > 100);
    let out = s.stop(ms(0));
    assert_eq!(out.bytes, vec![FEED_HOLD, STATUS_REPORT]);
    // Until the timeout only re-queries go out (no reset, no lines).
    assert!(s.poll(ms(999)).bytes.iter().all(|&b| b == STATUS_REPORT));
    assert_eq!(
        s.resume(ms(999)),
        burin_grbl::Output::default(),
        "no resume mid-stop"
    );
    let out = s.poll(ms(1000));
    assert_eq!(out.bytes, vec![SOFT_RESET]);
    assert_eq!(
        out.events,
        vec![StreamEvent::Stopped {
            reason: StopReason::User
        }]
    );
    assert_eq!(s.in_flight_bytes(), 0);
    // Late oks for flushed lines are not counted against anything.
    let out = s.on_message(&parse_str("ok"), ms(1001));
    assert!(out.events.is_empty());
    assert_eq!(s.progress().unexpected_responses, 1);
}

#[test]
fn alarm_stops_feeding_and_requires_unlock() {
    let mut h = Harness::new(Streamer::new(opts()));
    h.streamer.start_job(job(300)).expect("start");
    for _ in 0..3 {
        h.round(10, 1);
    }
    h.fake.alarm(2);
    h.round(10, 1);
    assert!(h.events.contains(&StreamEvent::Alarm {
        code: 2,
        text: "Soft limit alarm. G-code motion target exceeds machine travel. Machine position retained. Alarm may be safely unlocked.",
    }));
    assert!(h.events.contains(&StreamEvent::Stopped {
        reason: StopReason::Alarm(2)
    }));
    let sent = h.fake.lines_received;
    for _ in 0..50 {
        h.round(10, 4);
    }
    // The queued lines come back as error:9, which is not reported as job errors.
    assert_eq!(
        count(&h.events, |e| matches!(e, StreamEvent::Error { .. })),
        0
    );
    assert!(h.fake.lines_received > sent);
    assert_eq!(h.streamer.in_flight_lines(), 0);
    assert!(h.streamer.is_alarm_locked());
    assert_eq!(h.streamer.start_job(job(5)), Err(StreamError::AlarmLocked));
    assert_eq!(
        h.streamer.send_command("G0 X0"),
        Err(StreamError::AlarmLocked)
    );
    let before = h.fake.lines_received;
    let id = h.streamer.unlock().expect("unlock");
    h.round(10, 4);
    assert_eq!(h.fake.lines_received, before + 1);
    assert_eq!(h.fake.received.last().map(String::as_str), Some("$X"));
    assert!(h.events.contains(&StreamEvent::CommandAcked { id }));
    assert!(!h.streamer.is_alarm_locked());
    h.streamer.start_job(job(5)).expect("unlocked");
}

#[test]
fn eeprom_writes_go_alone() {
    let lines: Vec<String> = [
        "G1 X1 F100",
        "G1 X2",
        "$32=1",
        "G1 X3",
        "G10 L20 P1 X0",
        "G1 X4",
        "G28.1",
        "G1 X5",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut h = Harness::new(Streamer::new(opts()));
    h.streamer.start_job(lines.clone()).expect("start");
    let sync = ["$32=1", "G10 L20 P1 X0", "G28.1"];
    for _ in 0..100 {
        h.now += ms(10);
        let out = h.streamer.poll(h.now);
        let text = String::from_utf8_lossy(&out.bytes).into_owned();
        for s in sync {
            if text.contains(s) {
                // Sent only with nothing else in flight, and nothing after it.
                assert!(text.ends_with(&format!("{s}\n")), "{text:?}");
                assert_eq!(h.streamer.in_flight_lines(), 1, "{s} not alone");
            }
        }
        h.apply(out);
        h.fake.step(1);
        while let Some(l) = h.fake.outbox.pop_front() {
            let out = h.streamer.on_line(l.as_bytes(), h.now);
            let text = String::from_utf8_lossy(&out.bytes).into_owned();
            for s in sync {
                if text.contains(s) {
                    assert!(text.ends_with(&format!("{s}\n")), "{text:?}");
                    assert_eq!(h.streamer.in_flight_lines(), 1, "{s} not alone");
                }
            }
            h.apply(out);
        }
        if h.finished() {
            break;
        }
    }
    assert!(h.finished());
    assert_eq!(h.fake.received, lines);
}

#[test]
fn send_response_mode_keeps_one_line_in_flight() {
    let mut h = Harness::new(Streamer::new(StreamerOptions {
        mode: StreamMode::SendResponse,
        ..opts()
    }));
    h.streamer.start_job(job(100)).expect("start");
    h.run_to_end(5, 10_000);
    assert!(h.finished());
    assert_eq!(h.max_in_flight_lines, 1);
    assert_eq!(h.fake.lines_received, 100);
}

#[test]
fn rejected_line_halts_before_sending_it() {
    let lines: Vec<String> = ["G1 X1 F100", "G1 X2 ! oops", "G1 X3"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut h = Harness::new(Streamer::new(opts()));
    h.streamer.start_job(lines).expect("start");
    h.run_to_end(1, 50);
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, StreamEvent::Rejected { line_no: 2, .. }))
    );
    // Line 1 went out, then the hold; the held controller has not run line 1 yet.
    assert_eq!(h.written, b"G1 X1 F100\n!");
    assert!(h.fake.received.is_empty());
    assert_eq!(h.streamer.job_status(), Some(JobStatus::Halted));
    assert_eq!(h.fake.realtime_seen, vec![FEED_HOLD]);
    // Resume skips the refused line.
    let out = h.streamer.resume(h.now);
    h.apply(out);
    h.run_to_end(1, 50);
    assert_eq!(h.fake.received, vec!["G1 X1 F100", "G1 X3"]);
    assert!(h.finished());
}

#[test]
fn controller_reset_mid_job_clears_the_fifo() {
    let mut s = Streamer::new(opts());
    s.start_job(job(100)).expect("start");
    let id = s.send_command("$G").expect("queued");
    s.poll(ms(0));
    let queued = s.send_command("$#").expect("queued");
    assert!(s.in_flight_lines() > 1);
    let out = s.on_message(&parse_str(BANNER), ms(1));
    assert_eq!(
        out.events,
        vec![
            StreamEvent::CommandFlushed { id },
            StreamEvent::CommandFlushed { id: queued },
            StreamEvent::Stopped {
                reason: StopReason::ControllerReset
            },
        ]
    );
    assert!(out.bytes.is_empty());
    assert_eq!(s.in_flight_bytes(), 0);
    assert!(s.job_status().is_none());
}

#[test]
fn rx_buffer_size_from_opt_and_idle_bf() {
    let mut s = Streamer::new(opts());
    let out = s.on_message(&parse_str("[OPT:VNMSL,35,1024,3,0]"), ms(0));
    assert_eq!(
        out.events,
        vec![StreamEvent::RxBufferResized { bytes: 1024 }]
    );
    assert_eq!(s.rx_buffer_bytes(), 1024);
    // A busy report does not raise it; an idle one with nothing in flight does.
    s.on_message(&parse_str("<Run|MPos:0,0,0|Bf:35,2048>"), ms(1));
    assert_eq!(s.rx_buffer_bytes(), 1024);
    s.on_message(&parse_str("<Idle|MPos:0,0,0|Bf:35,2048>"), ms(2));
    assert_eq!(s.rx_buffer_bytes(), 2048);
    // With a larger buffer, more bytes go out at once.
    s.start_job(job(200)).expect("start");
    let out = s.poll(ms(3));
    assert!(out.bytes.len() > 1500 && out.bytes.len() <= 2048);

    let mut fixed = Streamer::new(StreamerOptions {
        auto_rx_buffer: false,
        rx_margin_bytes: 8,
        ..opts()
    });
    fixed.on_message(&parse_str("[OPT:V,15,256]"), ms(0));
    assert_eq!(fixed.rx_buffer_bytes(), 128);
    fixed.start_job(job(50)).expect("start");
    assert!(fixed.poll(ms(1)).bytes.len() <= 120);
}

#[test]
fn status_polling_at_5_hz() {
    let mut s = Streamer::default();
    let polls = (0..=1000)
        .step_by(10)
        .filter(|&t| s.poll(ms(t)).bytes.contains(&STATUS_REPORT))
        .count();
    assert_eq!(polls, 6); // 0, 200, 400, 600, 800, 1000 ms
    assert_eq!(s.next_deadline(), Some(ms(1200)));
}

#[test]
fn progress_estimates_executed_lines() {
    let mut s = Streamer::new(opts());
    s.start_job(job(40)).expect("start");
    s.poll(ms(0));
    for _ in 0..10 {
        s.on_message(&parse_str("ok"), ms(1));
    }
    assert_eq!(s.progress().lines_acked, 10);
    s.on_message(&parse_str("<Run|MPos:0,0,0|Bf:11,0|FS:1000,500>"), ms(2));
    assert_eq!(s.progress().lines_executed, 6); // 4 of 15 planner blocks still queued
    s.on_message(
        &parse_str("<Run|MPos:0,0,0|Bf:15,0|FS:1000,500|Ln:9>"),
        ms(3),
    );
    assert_eq!(s.progress().lines_executed, 10);
    assert_eq!(s.progress().executing_line_number, Some(9));
}

#[test]
fn commands_are_answered_separately_from_the_job() {
    let mut s = Streamer::new(opts());
    let a = s.send_command("$$").expect("queued");
    let b = s.send_command("G0 X5").expect("queued");
    let out = s.poll(ms(0));
    assert_eq!(out.bytes, b"$$\nG0 X5\n");
    assert!(out.events.is_empty());
    let out = s.on_message(&parse_str("ok"), ms(1));
    assert_eq!(out.events, vec![StreamEvent::CommandAcked { id: a }]);
    let out = s.on_message(&parse_str("error:22"), ms(1));
    assert_eq!(
        out.events,
        vec![StreamEvent::CommandError {
            id: b,
            code: 22,
            text: "Feed rate has not yet been set or is undefined."
        }]
    );
    assert!(matches!(
        s.send_command("G1 X1 ?"),
        Err(StreamError::Line(_))
    ));
}

#[test]
fn leaving_check_mode_waits_for_the_reset_banner() {
    let mut s = Streamer::new(opts());
    s.send_command("$C").expect("queued");
    s.send_command("G0 X1").expect("queued");
    assert_eq!(s.poll(ms(0)).bytes, b"$C\n", "$C goes alone");
    s.on_message(&parse_str("[MSG:Disabled]"), ms(1));
    let out = s.on_message(&parse_str("ok"), ms(1));
    assert!(
        out.bytes.is_empty(),
        "GRBL resets now; nothing may be sent into it"
    );
    assert!(s.poll(ms(100)).bytes.is_empty());
    // The command queued behind `$C` was never sent, so it goes once the reset is over.
    let out = s.on_message(&parse_str(BANNER), ms(120));
    assert_eq!(out.bytes, b"G0 X1\n");
    assert!(out.events.is_empty());
    assert!(!s.is_waiting_for_reset());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The bytes sent and not acknowledged never exceed the receive buffer, whatever the line
    /// lengths and however fast the controller works, and every line arrives intact.
    #[test]
    fn never_overfills_the_receive_buffer(
        lengths in proptest::collection::vec(1usize..=79, 1..150),
        speeds in proptest::collection::vec(0usize..5, 1..40),
        margin in 0usize..4,
    ) {
        let lines: Vec<String> = lengths
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let body = format!("G1X{i}");
                let pad = n.saturating_sub(body.len());
                format!("{body}{}", "0".repeat(pad))
            })
            .map(|l| l.chars().take(79).collect())
            .collect();
        let mut h = Harness::new(Streamer::new(StreamerOptions {
            rx_margin_bytes: margin,
            ..opts()
        }));
        h.streamer.start_job(lines.clone()).expect("start");
        for round in 0..20_000 {
            if h.finished() {
                break;
            }
            h.round(10, speeds[round % speeds.len()].max(usize::from(round % 7 == 0)));
            prop_assert!(h.streamer.in_flight_bytes() + margin <= 128);
        }
        prop_assert!(h.finished());
        prop_assert_eq!(&h.fake.received, &lines);
    }
}

/// A million generated lines stream through with bounded state: the job is a lazy iterator
/// (no Vec of lines anywhere), and the streamer never holds more than one buffer's worth.
#[test]
fn million_line_job_streams_in_constant_memory() {
    const N: u64 = 1_000_000;
    let lines = (0..N).map(|i| format!("G1X{}Y{}S{}", i % 400, i % 300, i % 1000));
    let mut h = Harness::new(Streamer::new(opts()));
    h.record_bytes = false;
    h.fake.keep_lines = false;
    h.streamer.start_job(lines).expect("start");
    let mut rounds = 0u64;
    while !h.finished() {
        h.round(1, 16);
        h.events.clear_if_large();
        rounds += 1;
        assert!(rounds < 1_000_000, "stalled");
    }
    assert_eq!(h.fake.lines_received, N);
    let p = h.streamer.progress();
    assert_eq!((p.lines_read, p.lines_acked, p.lines_failed), (N, N, 0));
    // Lines are at least 9 bytes here, so at most 14 fit in 128 bytes.
    assert!(h.max_in_flight_lines <= 14, "{}", h.max_in_flight_lines);
}

trait ClearIfLarge {
    fn clear_if_large(&mut self);
}

impl ClearIfLarge for Vec<StreamEvent> {
    /// Keeps only the interesting events so the test itself stays small.
    fn clear_if_large(&mut self) {
        if self.len() > 1024 {
            self.retain(|e| !matches!(e, StreamEvent::Sent { .. } | StreamEvent::Acked { .. }));
        }
    }
}

/// Anything the device or the user does, in any order, never panics and never breaks the
/// counters.
#[derive(Debug, Clone)]
enum Step {
    Device(String),
    Poll(u64),
    Pause,
    Resume,
    Stop,
    Reset,
    Command(String),
    Job(usize),
    Unlock,
}

fn step_strategy() -> impl Strategy<Value = Step> {
    let device = prop_oneof![
        Just("ok".to_string()),
        (0u16..50).prop_map(|n| format!("error:{n}")),
        (0u16..12).prop_map(|n| format!("ALARM:{n}")),
        Just(BANNER.to_string()),
        Just("[MSG:'$H'|'$X' to unlock]".to_string()),
        Just("[MSG:Caution: Unlocked]".to_string()),
        Just("[MSG:Disabled]".to_string()),
        (0u32..5000).prop_map(|rx| format!("[OPT:V,15,{rx}]")),
        (
            prop_oneof![
                Just("Idle"),
                Just("Run"),
                Just("Hold:0"),
                Just("Hold:1"),
                Just("Alarm"),
                Just("Door:1"),
                Just("Jog")
            ],
            0u16..20,
            0u32..3000
        )
            .prop_map(|(s, b, rx)| format!("<{s}|MPos:0,0,0|Bf:{b},{rx}|Ln:3>")),
        ".{0,20}",
    ];
    prop_oneof![
        4 => device.prop_map(Step::Device),
        2 => (0u64..1500).prop_map(Step::Poll),
        1 => Just(Step::Pause),
        1 => Just(Step::Resume),
        1 => Just(Step::Stop),
        1 => Just(Step::Reset),
        1 => prop_oneof![
            Just("$X".to_string()),
            Just("$32=1".to_string()),
            Just("$C".to_string()),
            Just("$RST=$".to_string()),
            Just("G0 X1".to_string()),
            ".{0,90}",
        ]
        .prop_map(Step::Command),
        1 => (0usize..30).prop_map(Step::Job),
        1 => Just(Step::Unlock),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_is_handled(steps in proptest::collection::vec(step_strategy(), 0..120)) {
        let mut s = Streamer::default();
        let mut now = Duration::ZERO;
        for step in steps {
            let out = match step {
                Step::Device(line) => s.on_line(line.as_bytes(), now),
                Step::Poll(dt) => {
                    now += ms(dt);
                    s.poll(now)
                }
                Step::Pause => s.pause(),
                Step::Resume => s.resume(now),
                Step::Stop => s.stop(now),
                Step::Reset => s.soft_reset(now),
                Step::Command(c) => {
                    let _ = s.send_command(&c);
                    s.poll(now)
                }
                Step::Job(n) => {
                    let _ = s.start_job(job(n));
                    s.poll(now)
                }
                Step::Unlock => {
                    let _ = s.unlock();
                    s.poll(now)
                }
            };
            // Only whole lines (and realtime bytes) are ever written.
            if out.bytes.iter().any(|b| !burin_grbl::realtime::is_realtime(*b)) {
                prop_assert_eq!(
                    out.bytes.iter().rev().find(|b| !burin_grbl::realtime::is_realtime(**b)),
                    Some(&b'\n')
                );
            }
            prop_assert_eq!(s.in_flight_lines() == 0, s.in_flight_bytes() == 0);
        }
    }
}
