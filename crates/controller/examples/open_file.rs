//! Opens a file through the application core and reports how long until its preview shows,
//! until it is checked, and the resident memory: `cargo run --release -p burin-controller --example
//! open_file -- FILE`.

use std::time::{Duration, Instant};

use burin_controller::{App, AppConfig, Command};

fn status(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .map(|l| l[key.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "-".into())
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: open_file FILE");
        std::process::exit(2);
    };
    let mut app = App::new(AppConfig::for_tests(1.0));
    let t0 = Instant::now();
    app.handle(Command::OpenFile(path.clone().into()));
    let mut preview_s = None;
    loop {
        app.poll(Instant::now());
        let s = app.state();
        if preview_s.is_none() && s.design.as_ref().is_some_and(|d| d.generated.is_some()) {
            preview_s = Some(t0.elapsed().as_secs_f64());
        }
        if s.opening.is_none()
            && s.design
                .as_ref()
                .is_none_or(|d| !d.generating && d.generated.is_some())
        {
            break;
        }
        if s.opening.is_none() && s.design.is_none() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let took = t0.elapsed().as_secs_f64();
    let segs = app
        .state()
        .design
        .as_ref()
        .and_then(|d| d.generated.as_ref())
        .map_or(0, |g| g.preview.segments.len());
    println!(
        "{path}: preview shown after {:.2} s, checked after {took:.2} s, {segs} segments; \
         RSS now {}, peak {}",
        preview_s.unwrap_or(f64::NAN),
        status("VmRSS:"),
        status("VmHWM:")
    );
    for n in &app.state().notices {
        println!("  {} {:?}", n.key, n.args);
    }
}
