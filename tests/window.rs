//! The real window: the binary starts under a display (Xvfb), draws frames with a design and
//! a job running on the simulator, and exits 0 when asked. Skipped with a note when there is
//! no display and no `xvfb-run`; a failure when `CI` is set.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn display_runner() -> Option<Vec<String>> {
    let has = |cmd: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {cmd}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has("xvfb-run") {
        return Some(vec![
            "xvfb-run".into(),
            "-a".into(),
            "-s".into(),
            "-screen 0 1400x900x24".into(),
        ]);
    }
    if std::env::var_os("DISPLAY").is_some() {
        return Some(Vec::new());
    }
    None
}

#[test]
fn the_window_starts_draws_and_exits_cleanly() {
    let Some(runner) = display_runner() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the window test: install xvfb (see .ci/run)"
        );
        eprintln!("skipping: no display and no xvfb-run (apt install xvfb xauth)");
        return;
    };
    let home = std::env::temp_dir().join(format!("burin-window-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).expect("home");
    let svg = home.join("job.svg");
    std::fs::write(
        &svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="40mm" viewBox="0 0 60 40">
  <circle cx="20" cy="20" r="15" fill="none" stroke="#ff0000"/>
  <rect x="40" y="10" width="10" height="20" fill="#000000"/></svg>"##,
    )
    .expect("svg");
    let exe = env!("CARGO_BIN_EXE_burin");
    let mut args = runner;
    args.extend([
        exe.to_string(),
        svg.display().to_string(),
        "--connect".into(),
        "sim".into(),
        "--start".into(),
        "--sim-speed".into(),
        "5".into(),
        "--exit-after-frames".into(),
        "120".into(),
    ]);
    let mut child = Command::new(&args[0])
        .args(&args[1..])
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the window");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the window did not exit within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(status.success(), "exit {status:?}: {stderr}");
    assert!(stderr.contains("burin: drew 120 frames"), "{stderr}");
    // Settings were saved where the platform says, atomically.
    let saved = home.join("config/burin/settings.toml");
    assert!(saved.is_file(), "settings saved at {}", saved.display());
    let _ = std::fs::remove_dir_all(&home);
}
