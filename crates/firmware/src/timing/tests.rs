use super::*;

fn time(lines: &[&str], settings: Settings) -> (Vec<f64>, Totals) {
    let mut t = JobTimer::new(settings, 15, Delivery::default());
    let mut filtered = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        prefilter_into(l, &mut filtered);
        t.line(i, &filtered, l.len() + 1);
    }
    t.finish()
}

fn settings() -> Settings {
    Settings {
        max_rate_mm_min: [6000.0, 6000.0, 500.0],
        accel_mm_s2: [1000.0, 1000.0, 10.0],
        ..Settings::default()
    }
}

#[test]
fn a_long_move_is_a_trapezoid() {
    // 100 mm at 3000 mm/min (50 mm/s), 1000 mm/s²: 0.05 s up and down (1.25 mm each),
    // 97.5 mm cruise at 50 mm/s = 1.95 s; 2.05 s in all.
    let (per_line, t) = time(&["G21G90", "G1X100F3000"], settings());
    assert!((t.total_s - 2.05).abs() < 2.05e-3 * 0.5, "{t:?}");
    assert!((per_line[1] - t.total_s).abs() < 1e-9);
    assert_eq!(t.cutting_s, 0.0, "S0: laser off");
}

#[test]
fn a_short_move_is_a_triangle() {
    // 1 mm at a feed it never reaches: peak sqrt(a d) = 31.6 mm/s, t = 2 sqrt(d / a).
    let (_, t) = time(&["G1X1F6000"], settings());
    let want = 2.0 * (1.0f64 / 1000.0).sqrt();
    assert!((t.total_s - want).abs() < want * 1e-3, "{t:?} vs {want}");
}

#[test]
fn a_raster_row_with_overscan_is_one_trapezoid() {
    // Diagonal rapid to the entry: per-axis limits give 141.4 mm/s and 1414 mm/s² along
    // it, so its 14.14 mm are an exact triangle of 2 sqrt(d / a) = 0.2 s; G4 P0 stops.
    // Then a row written as Burin writes rows (relative, collinear, powers changing on
    // the fly): 2 mm overscan, 15 mm burned, 2 mm overscan, one trapezoid at 50 mm/s:
    // L / v + v / a = 19 / 50 + 0.05 = 0.43 s.
    let lines = [
        "G21G90",
        "M4",
        "G0X10Y10",
        "G4P0",
        "G91G1X2F3000S0",
        "X10S500",
        "X5S300",
        "X2S0",
        "G90",
        "M5",
    ];
    let (per_line, t) = time(&lines, settings());
    let want = 0.2 + 0.43;
    assert!((t.total_s - want).abs() < want * 1e-3, "{t:?} vs {want}");
    let row: f64 = per_line[4..8].iter().sum();
    assert!((row - 0.43).abs() < 0.43e-3, "{row}");
    // Burned 15 mm at 50 mm/s, cruising all the way: 0.3 s of cutting.
    assert!((t.cutting_s - 0.3).abs() < 0.3e-3, "{t:?}");
}

#[test]
fn dwells_syncs_and_refused_lines() {
    let mut timer = JobTimer::new(settings(), 15, Delivery::default());
    for (i, l) in [
        "G1X10F600",
        "G4P1.5",
        "G1 X20 (c) ; c",
        "G1X30Y",
        "M4S100",
        "G1X40",
    ]
    .iter()
    .enumerate()
    {
        timer.line(i, &prefilter(l), l.len() + 1);
    }
    let errors = timer.errors.clone();
    let (per_line, t) = timer.finish();
    assert_eq!(errors, vec![(3, 2)], "X30Y: bad number format");
    assert!((per_line[1] - 1.5).abs() < 1e-12);
    assert!((t.dwell_s - 1.5).abs() < 1e-12);
    assert!(t.cutting_s > 0.9, "the last move burns: {t:?}");
    let sum: f64 = per_line.iter().sum();
    assert!((sum - t.total_s).abs() < 1e-9);
}

#[test]
fn a_slow_delivery_starves_the_planner() {
    // 0.1 mm segments at 6000 mm/min need 1000 lines/s; a 400 lines/s parser can't.
    let lines: Vec<String> = (1..=2000)
        .map(|i| format!("G1X{:.1}F6000", i as f64 * 0.1))
        .collect();
    let run = |d: Delivery| {
        let mut t = JobTimer::new(settings(), 15, d);
        let mut filtered = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            prefilter_into(l, &mut filtered);
            t.line(i, &filtered, l.len() + 1);
        }
        t.finish().1
    };
    let free = run(Delivery::default());
    let slow = run(Delivery {
        cpu: Some(FirmwareCpu::per_line(1.0 / 400.0)),
        ..Delivery::default()
    });
    assert!(slow.total_s >= 2000.0 / 400.0 * 0.99, "{slow:?}");
    assert!(slow.total_s > free.total_s * 1.2, "{slow:?} vs {free:?}");
    assert!(free.starved_s == 0.0);
}

fn run_328p(settings: &Settings, lines: &[String]) -> Totals {
    // simavr's serial port frames a byte in 11 bits: 117647 baud carries 10695 bytes/s,
    // which is 106950 baud of 8N1.
    let mut t = JobTimer::new(settings.clone(), 15, Delivery::grbl_328p(106_950));
    let mut filtered = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        prefilter_into(l, &mut filtered);
        t.line(i, &filtered, l.len() + 1);
    }
    t.finish().1
}

/// Burin's spiral of 0.05 mm chords (`tools/grbl-avr/gen_jobs.py`, as Burin streams it).
fn spiral() -> Vec<String> {
    let mut lines: Vec<String> = ["G21G90", "M4S600", "G0X40Y40", "G1F3000"]
        .map(String::from)
        .to_vec();
    let (mut r, mut a) = (2.0f64, 0.0f64);
    let short = |v: f64| {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        if s == "-0" { "0".to_string() } else { s }
    };
    while r < 15.0 {
        lines.push(format!(
            "X{}Y{}",
            short(40.0 + r * a.cos()),
            short(40.0 + r * a.sin())
        ));
        a += 0.05 / r;
        r += 0.05 * 0.02;
    }
    lines.extend(["M5", "G0X0Y0"].map(String::from));
    lines
}

/// The 8-bit model against runs of the real firmware (GRBL 1.1h for the ATmega328P,
/// built with avr-gcc and run in simavr at 16 MHz), streamed with character counting: runs
/// where the processor is the limit. 3000 identical 0.05 mm moves in G91 at 3000 mm/min
/// (the moves alone take 3 to 4 s), and spirals of 13000 chords of 0.05 mm, on four
/// machines. Each job is timed from its first byte to its last step.
#[test]
fn the_8_bit_model_matches_the_real_firmware_on_parser_bound_runs() {
    let diode = Settings {
        steps_per_mm: [80.0, 80.0, 250.0],
        max_rate_mm_min: [6000.0, 6000.0, 500.0],
        accel_mm_s2: [1000.0, 1000.0, 10.0],
        laser_mode: true,
        ..Settings::default()
    };
    // 20000 mm/s², 160 steps/mm: the moves could go much faster than the lines come.
    let quick = Settings {
        steps_per_mm: [160.0, 160.0, 250.0],
        max_rate_mm_min: [11250.0, 11250.0, 500.0],
        accel_mm_s2: [20000.0, 20000.0, 10.0],
        laser_mode: true,
        ..Settings::default()
    };
    let slow = Settings {
        steps_per_mm: [160.0, 160.0, 250.0],
        max_rate_mm_min: [3000.0, 2500.0, 500.0],
        accel_mm_s2: [200.0, 150.0, 10.0],
        junction_deviation_mm: 0.05,
        arc_tolerance_mm: 0.01,
        laser_mode: true,
        ..Settings::default()
    };
    let co2 = Settings {
        steps_per_mm: [100.0, 100.0, 250.0],
        max_rate_mm_min: [18000.0, 15000.0, 500.0],
        accel_mm_s2: [3000.0, 2000.0, 10.0],
        junction_deviation_mm: 0.02,
        laser_mode: true,
        ..Settings::default()
    };
    let repeated = |line: &str, n: usize| -> Vec<String> {
        ["G21G91", "M4S500", "G1F3000"]
            .into_iter()
            .chain(std::iter::repeat_n(line, n))
            .chain(["M5", "G90"])
            .map(String::from)
            .collect()
    };
    // (machine, job, seconds measured on the firmware from the first byte to the last step)
    let runs = [
        (&diode, repeated("X.05", 3000), 7.255),
        (&diode, repeated("X.05Y.05", 3000), 8.004),
        (&diode, repeated("X.05S500", 3000), 7.506),
        (&quick, repeated("X.05", 1500), 2.933),
        (&quick, repeated("X.05Y.05", 1500), 3.324),
        (&diode, spiral(), 38.990),
        (&slow, spiral(), 48.024),
        (&co2, spiral(), 37.891),
    ];
    for (settings, lines, measured_s) in runs {
        // The run ends at the last step, before the stepper's `$1` wait.
        let total = run_328p(settings, &lines).total_s - 0.025;
        let err = (total - measured_s) / measured_s;
        assert!(
            err.abs() < 0.05,
            "{} lines: model {total:.3} s, firmware {measured_s} s",
            lines.len()
        );
    }
}

#[test]
fn every_full_stop_holds_an_8_bit_grbl_for_its_idle_delay() {
    // Three moves, each followed by a sync (M4/M5 toggles stop the planner in laser mode).
    let lines = [
        "G1X10F3000",
        "M4S100",
        "G1X20",
        "M5",
        "G1X30",
        "M4",
        "G1X40",
        "M5",
    ];
    let mut s = settings();
    let no_cpu = |d: Delivery| Delivery {
        cpu: d.cpu.map(FirmwareCpu::without_cpu_time),
        ..d
    };
    let run = |s: &Settings| {
        let mut t = JobTimer::new(s.clone(), 15, no_cpu(Delivery::grbl_328p(0)));
        for (i, l) in lines.iter().enumerate() {
            t.line(i, &prefilter(l), l.len() + 1);
        }
        t.finish().1
    };
    let with_delay = run(&s);
    s.step_idle_delay_ms = 255;
    let kept_on = run(&s);
    // Four stops (the last one ends the job): 4 x 25 ms.
    assert!(
        (with_delay.idle_delay_s - 0.1).abs() < 1e-9,
        "{with_delay:?}"
    );
    assert!((with_delay.total_s - kept_on.total_s - 0.1).abs() < 1e-9);
    assert_eq!(kept_on.idle_delay_s, 0.0);
}

#[test]
fn prefilter_is_grbls() {
    let mut buffer = Vec::new();
    for line in [
        "G1X10Y5",
        "G1X10Y5 ; end",
        "g1 x10 (note) y5 ; end",
        "/G0X1",
        "G0X1\t",
        "",
        "; only a comment",
    ] {
        assert_eq!(
            prefiltered(line, &mut buffer),
            prefilter(line).as_slice(),
            "{line}"
        );
    }
    assert_eq!(prefilter("g1 x10 (note) y5 ; end"), b"G1X10Y5");
    assert_eq!(prefilter("/G0X1"), b"G0X1");
    assert_eq!(prefilter("(unclosed G1"), b"");
    let mut buffer = b"left over".to_vec();
    prefilter_into("m5 (off)", &mut buffer);
    assert_eq!(buffer, b"M5", "the buffer is cleared first");
}
