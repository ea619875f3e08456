//! `burin estimate`: the firmware model's time, with a saved `$$` dump and link limits.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use std::process::Command;

fn burin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_burin"))
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = burin(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A fresh folder for one test's files.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("burin-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn totals_follow_the_settings_and_the_link() {
    let dir = scratch("estimate");
    // One 100 mm cut at 3000 mm/min: 2.05 s at 1000 mm/s² (two 0.05 s ramps of 1.25 mm).
    let job = dir.join("line.gcode");
    std::fs::write(&job, "G21G90\n; layer cut\nM4\nG1X100F3000S500\nM5\n").unwrap();
    // Closed forms need a host and firmware that always keep up.
    let free = ["--firmware-lines-per-s", "0", "--link-baud", "0", "--json"];
    let j = json(&[&["estimate", job.to_str().unwrap()][..], &free].concat());
    let total = j["total_s"].as_f64().unwrap();
    assert!((total - 2.05).abs() < 0.002, "{j}");
    // By default an 8-bit GRBL over 115200 baud: the first line reaches the planner a few
    // milliseconds late, and the stepper holds the processor 25 ms (`$1`) after the stop at
    // M5. That is all on a job of long moves.
    let real = json(&["estimate", job.to_str().unwrap(), "--json"]);
    let real_total = real["total_s"].as_f64().unwrap();
    assert!(
        (real["idle_delay_s"].as_f64().unwrap() - 0.025).abs() < 1e-9,
        "{real}"
    );
    assert!(
        real_total > total + 0.025 && real_total < total + 0.045,
        "{real}"
    );
    assert!((j["cutting_s"].as_f64().unwrap() - total).abs() < 1e-9);
    assert_eq!(j["layers"][0]["name"], "cut");
    assert!(
        (j["layers"][0]["cutting_s"].as_f64().unwrap() - total).abs() < 1e-9,
        "{j}"
    );
    // A saved $$ dump with slower acceleration: 0.5 s ramps of 12.5 mm, 75 mm cruise.
    let dump = dir.join("machine.txt");
    std::fs::write(
        &dump,
        "$110=6000.000\n$111=6000.000\n$120=100.000\n$121=100.000\nok\n",
    )
    .unwrap();
    let j = json(
        &[
            &[
                "estimate",
                job.to_str().unwrap(),
                "--settings",
                dump.to_str().unwrap(),
            ][..],
            &free,
        ]
        .concat(),
    );
    let slow = j["total_s"].as_f64().unwrap();
    assert!((slow - 2.5).abs() < 0.003, "{j}");
    assert!(j["below_feed_s"].as_f64().unwrap() > 0.99, "{j}");

    // 2000 short moves: 400 lines/s on the firmware makes the machine wait.
    let mut src = String::from("G21G90\nM4\nG1F6000S100\n");
    for i in 1..=2000 {
        src.push_str(&format!("X{}\n", f64::from(i) * 0.1));
    }
    src.push_str("M5\n");
    let dense = dir.join("dense.gcode");
    std::fs::write(&dense, src).unwrap();
    let unlimited = json(&[&["estimate", dense.to_str().unwrap()][..], &free].concat());
    let limited = json(&[
        "estimate",
        dense.to_str().unwrap(),
        "--firmware-lines-per-s",
        "400",
        "--link-baud",
        "115200",
        "--json",
    ]);
    let (f, l) = (
        unlimited["total_s"].as_f64().unwrap(),
        limited["total_s"].as_f64().unwrap(),
    );
    assert!(l >= 2000.0 / 400.0 * 0.99 && l > f * 1.2, "{f} vs {l}");
    let lost = limited["delivery_limited_s"].as_f64().unwrap();
    assert!((lost - (l - f)).abs() < 1e-6, "{limited}");
    // The default 8-bit GRBL model. GRBL 1.1h itself (emulated) takes 2.55 ms a line on this
    // job written short (`X0.3`); these lines are up to 20 bytes (`X0.30000000000000004`).
    let uno = json(&["estimate", dense.to_str().unwrap(), "--json"]);
    let u = uno["total_s"].as_f64().unwrap();
    assert!(u > 2000.0 * 2.4e-3 && u < 2000.0 * 3.2e-3, "{uno}");
    let text = String::from_utf8(
        burin(&[
            "estimate",
            dense.to_str().unwrap(),
            "--firmware-lines-per-s",
            "400",
        ])
        .stdout,
    )
    .unwrap();
    assert!(text.contains("can't keep up"), "{text}");
}

#[test]
fn info_and_estimate_agree_on_a_saved_dump() {
    let dir = scratch("estimate-info");
    let job = dir.join("corner.gcode");
    std::fs::write(&job, "G21G90\nM4\nG1X50F4000S300\nY50\nX0\nM5\n").unwrap();
    let dump = dir.join("dump.txt");
    std::fs::write(&dump, "$11=0.050\n$110=8000.000\n$111=8000.000\n$120=400.000\n$121=400.000\n$130=300.000\n$131=200.000\n").unwrap();
    // info's time includes the 8-bit firmware's time per line but not the link (it warns
    // about the link apart).
    let e = json(&[
        "estimate",
        job.to_str().unwrap(),
        "--settings",
        dump.to_str().unwrap(),
        "--link-baud",
        "0",
        "--json",
    ]);
    let i = json(&[
        "info",
        job.to_str().unwrap(),
        "--settings",
        dump.to_str().unwrap(),
        "--json",
    ]);
    let (te, ti) = (
        e["total_s"].as_f64().unwrap(),
        i["stats"]["time"]["total_s"].as_f64().unwrap(),
    );
    assert!((te - ti).abs() < 1e-9, "{te} vs {ti}");
    let default = json(&["info", job.to_str().unwrap(), "--json"]);
    assert!(
        default["stats"]["time"]["total_s"].as_f64().unwrap() < ti,
        "slower acceleration"
    );
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    use std::io::Read;
    let dir = scratch("estimate-pipe");
    // Many layers: more output than a pipe's buffer, so burin writes after the reader left.
    let mut src = String::from("G21G90\nM4\n");
    for i in 0..20_000 {
        src.push_str(&format!("; layer L{i}\nG1X{}F3000S100\n", i % 50));
    }
    let job = dir.join("layers.gcode");
    std::fs::write(&job, src).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_burin"))
        .args(["estimate", job.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the reader is gone, as with `| head -c 16`.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
