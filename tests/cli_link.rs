//! `burin send`, `burin console` and `burin ports` as processes, against the simulator.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn burin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_burin"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("burin runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn send_streams_a_file_to_the_simulator() {
    let out = burin(&[
        "send",
        "tests/fixtures/square.gcode",
        "--port",
        "sim",
        "--sim-speed",
        "50",
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Done: 12 lines"), "{stdout}");
    assert!(stdout.contains("from the machine's $130/$131"), "{stdout}");
    // The square's four 20 mm sides, at S500, nothing lit on rapids.
    assert!(stdout.contains("burned 80.0 mm"), "{stdout}");
    assert!(stdout.contains("max power S500"), "{stdout}");
    assert!(stdout.contains("laser lit during rapids: no"), "{stdout}");
    // `%` lines are warned about but skipped, not sent (GRBL would answer error:1).
    assert!(
        stderr.contains("line 1") && stderr.contains("'%'"),
        "{stderr}"
    );
}

#[test]
fn a_refused_line_stops_the_job_with_exit_1_and_names_it() {
    let out = burin(&[
        "send",
        "tests/fixtures/bad_line.gcode",
        "--port",
        "sim",
        "--sim-speed",
        "50",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // error:8 when the cycle is running by then (the simulated 8-bit GRBL parses each line in
    // about 2.5 ms, as the real one does), error:22 (no feed) when it is still idle.
    assert!(
        stderr.contains("line 6 (`$J=G91 X1`) was refused: error:8")
            || stderr.contains("line 6 (`$J=G91 X1`) was refused: error:22"),
        "{stderr}"
    );
    assert!(stderr.contains("soft reset (laser off)"), "{stderr}");
    assert!(stderr.contains("Last acknowledged line:"), "{stderr}");
}

#[test]
fn preflight_errors_refuse_with_exit_2() {
    // Machine-independent: refused before the port is even opened.
    let out = burin(&[
        "send",
        "tests/fixtures/unsupported_word.gcode",
        "--port",
        "/dev/burin-no-such-port",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("line 3") && stderr.contains("error:20"),
        "{stderr}"
    );
    // The work area comes from the machine's $130/$131 (400 x 400 on the simulator).
    let out = burin(&[
        "send",
        "tests/fixtures/outside_area.gcode",
        "--port",
        "sim",
        "--sim-speed",
        "50",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 4"), "{stderr}");
    assert!(text(&out.stdout).contains("Work area 400 x 400 mm"));
}

#[test]
fn a_missing_port_exits_3_and_lists_ports() {
    let out = burin(&[
        "send",
        "tests/fixtures/square.gcode",
        "--port",
        "/dev/ttyUSB-burin-missing",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no such port"), "{stderr}");
    let out = burin(&["send", "tests/fixtures/no-such-file.gcode", "--port", "sim"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn console_reads_a_pipe_and_explains_replies() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_burin"))
        .args(["console", "--port", "sim", "--sim-speed", "20"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("burin console runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"$I\nG99\n$J=G91 X5 F3000\nG4 P0\n?\n")
        .expect("write");
    let out = child
        .wait_with_output()
        .expect("console ends at end of input");
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("[OPT:V,15,128]"), "{stdout}");
    assert!(
        stdout.contains("error:20  (Unsupported or invalid g-code command"),
        "{stdout}"
    );
    assert!(stdout.contains("> $J=G91 X5 F3000"), "{stdout}");
    // The jog ran: the dwell waits for it, and the report shows where it ended.
    assert!(stdout.contains("<Idle|MPos:5.000,0.000,0.000"), "{stdout}");
}

#[test]
fn ports_lists_and_explains_typed_paths() {
    let out = burin(&["ports"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("--port sim"));
}

#[test]
fn ctrl_c_holds_resets_and_exits_130() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("long.gcode");
    let mut job = String::from("G21 G90\nM4 S0\n");
    for i in 0..400 {
        let y = f64::from(i) * 0.2;
        job.push_str(&format!("G1 X50 Y{y:.1} S600 F1200\nG1 X5 Y{y:.1}\n"));
    }
    job.push_str("M5\n");
    std::fs::write(&file, job).expect("write job");
    let mut child = Command::new(env!("CARGO_BIN_EXE_burin"))
        .args(["send", file.to_str().expect("utf-8 path"), "--port", "sim"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("burin send runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    // Wait until streaming is about to start, then let it run a little.
    for line in lines.by_ref() {
        if line.expect("utf-8").starts_with("Work area") {
            break;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let out = child.wait_with_output().expect("burin ends");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}\n{rest:?}");
    assert!(
        stderr.contains("interrupted: feed hold, then soft reset"),
        "{stderr}"
    );
    assert!(stderr.contains("Last acknowledged line:"), "{stderr}");
    // The simulator's summary: stopped early, laser never lit on a rapid.
    let summary = rest.join("\n");
    assert!(summary.contains("laser lit during rapids: no"), "{summary}");
}
