use super::*;
use crate::parse::parse_program;
use burin_firmware::cpu::FirmwareCpu;

/// The machine's own time (lines always there when the planner has room): the closed forms.
fn est_with(src: &str, profile: &MachineProfile) -> TimeEstimate {
    line_times_with(
        &parse_program(src).expect("parses"),
        profile,
        Delivery::unlimited(),
    )
    .1
}

fn est(src: &str) -> TimeEstimate {
    est_with(src, &MachineProfile::default())
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// One block from rest to rest: accelerate over v²/2a, cruise, decelerate.
fn trapezoid(len: f64, v: f64, a: f64) -> f64 {
    let d = v * v / (2.0 * a);
    if 2.0 * d >= len {
        2.0 * (len / a).sqrt() // triangle: peak v = sqrt(a * len)
    } else {
        2.0 * v / a + (len - 2.0 * d) / v
    }
}

#[test]
fn single_cut_is_a_trapezoid() {
    // 100 mm at F6000 = 100 mm/s, a = 1000 mm/s²: 5 mm and 0.1 s to accelerate, same to stop,
    // 90 mm cruise in 0.9 s.
    let t = est("G21 G90\nM4\nG1 X100 F6000 S500\nM5\n");
    assert!(close(t.cutting_s, 1.1, 1e-9), "{t:?}");
    assert_eq!(t.travel_s, 0.0);
    assert!(close(t.total_s, 1.1, 1e-9));
}

#[test]
fn short_move_is_a_triangle() {
    let t = est("G21 G90\nG1 X4 F6000\n");
    assert!(
        close(t.travel_s, 2.0 * (4.0f64 / 1000.0).sqrt(), 1e-9),
        "{t:?}"
    );
    assert!(close(t.travel_s, trapezoid(4.0, 100.0, 1000.0), 1e-12));
}

#[test]
fn rapids_run_at_max_rate_with_per_axis_limits() {
    let t = est("G21 G90\nG0 X100\n");
    assert!(close(t.travel_s, 1.1, 1e-9), "{t:?}");
    // Diagonal: each axis may do 100 mm/s and 1000 mm/s², so along the diagonal the limits are
    // sqrt(2) larger over a sqrt(2) longer path: the same 1.1 s.
    let t = est("G21 G90\nG0 X100 Y100\n");
    assert!(close(t.travel_s, 1.1, 1e-9), "{t:?}");
    // A feed above the axis limits is capped by them.
    let t = est("G21 G90\nG1 X100 F60000\n");
    assert!(close(t.travel_s, 1.1, 1e-9), "{t:?}");
}

#[test]
fn collinear_blocks_do_not_stop() {
    let t = est("G21 G90\nG1 X50 F6000\nX100\n");
    assert!(close(t.travel_s, 1.1, 1e-9), "{t:?}");
}

#[test]
fn reversal_stops_completely() {
    let t = est("G21 G90\nG1 X100 F6000\nX0\n");
    assert!(close(t.travel_s, 2.2, 1e-9), "{t:?}");
}

#[test]
fn right_angle_corner_uses_junction_deviation() {
    // cos(theta) = 0, sin(theta/2) = sqrt(0.5); junction direction (-1, 1)/sqrt(2) allows
    // a = 1000*sqrt(2); v² = a * 0.01 * s / (1 - s).
    let s = 0.5f64.sqrt();
    let vj_sqr = 1000.0 * 2f64.sqrt() * 0.01 * s / (1.0 - s);
    let vj = vj_sqr.sqrt();
    let (v, a, len) = (100.0, 1000.0, 100.0);
    let d_acc = v * v / (2.0 * a);
    let d_dec = (v * v - vj_sqr) / (2.0 * a);
    let one = v / a + (v - vj) / a + (len - d_acc - d_dec) / v;
    let t = est("G21 G90\nG1 X100 F6000\nY100\n");
    assert!(close(t.travel_s, 2.0 * one, 1e-9), "{t:?} vs {}", 2.0 * one);
    // Stopping at the corner would be slower, passing it at full speed faster.
    assert!(t.travel_s > 2.0 * 1.0 && t.travel_s < 2.2);
}

#[test]
fn m_state_changes_and_dwell_stop_the_machine() {
    // The M4 between the two collinear moves forces a stop: two separate trapezoids.
    let t = est("G21 G90\nG1 X50 F6000\nM4\nX100\nM5\n");
    assert!(close(t.total_s, 2.0 * trapezoid(50.0, 100.0, 1000.0), 1e-9));
    let t = est("G21 G90\nG1 X50 F6000\nG4 P2.5\nX100\n");
    assert!(close(t.dwell_s, 2.5, 1e-12));
    assert!(close(
        t.total_s,
        2.5 + 2.0 * trapezoid(50.0, 100.0, 1000.0),
        1e-9
    ));
}

#[test]
fn powered_and_unpowered_time_are_split() {
    let t = est("G21 G90\nM4\nG0 X100\nG1 X0 F6000 S100\nX-100 S0\nM5\n");
    // Rapid alone (reversal stops), then the cut and the S0 link are collinear.
    let (v, a) = (100.0, 1000.0);
    assert!(close(t.cutting_s + t.travel_s, t.total_s, 1e-12));
    let rapid = trapezoid(100.0, v, a);
    let cut = v / a + (100.0 - v * v / (2.0 * a)) / v; // accelerate, then cruise
    let link = (100.0 - v * v / (2.0 * a)) / v + v / a; // cruise then stop
    assert!(close(t.cutting_s, cut, 1e-9), "{t:?}");
    assert!(close(t.travel_s, rapid + link, 1e-9), "{t:?}");
}

#[test]
fn full_circle_takes_circumference_over_feed() {
    // r = 10 at F600 (10 mm/s): accelerating to 10 mm/s costs 0.01 s extra at each end.
    let t = est("G21 G90\nG0 X10\nM4\nG3 X10 Y0 I-10 J0 F600 S100\nM5\n");
    let want = 2.0 * std::f64::consts::PI * 10.0 / 10.0 + 0.01;
    assert!(close(t.cutting_s, want, 0.005), "{t:?} vs {want}");
}

#[test]
fn short_segments_are_limited_by_planner_lookahead() {
    let mut src = String::from("G21 G90\nG1 F6000\n");
    for i in 1..=1000 {
        src.push_str(&format!("X{}\n", f64::from(i) * 0.1));
    }
    let unlimited = MachineProfile {
        planner_blocks: 0,
        ..MachineProfile::default()
    };
    let t = est_with(&src, &unlimited);
    assert!(close(t.total_s, 1.1, 1e-6), "{t:?}");
    // With 15 blocks GRBL sees 14 blocks (1.4 mm) past each junction, so junctions are
    // passed at v² = 2 a 1.4; within each 0.1 mm block the head speeds up to
    // v² + a 0.1 and slows down again. The first and last 1.4 mm are a plain ramp.
    let a: f64 = 1000.0;
    let vj_sqr = 2.0 * a * 1.4;
    let vj = vj_sqr.sqrt();
    let per_block = 2.0 * ((vj_sqr + a * 0.1).sqrt() - vj) / a;
    let ramp = vj / a; // 1.4 mm from rest to vj (or back)
    let want = 1000.0 * per_block + 2.0 * (ramp - 14.0 * per_block);
    let t = est(&src);
    assert!(close(t.total_s, want, 0.002), "{t:?} vs {want}");
}

#[test]
fn line_times_add_up_to_the_total_and_land_on_motion_lines() {
    let src = "G21G90\nM4\nG0X10Y10\nG1X30F1000S500\nG4P0.5\nG1Y20S0\nG0X0Y0\nM5\n";
    let program = crate::parse::parse_program(src).expect("parses");
    let profile = MachineProfile::default();
    // With the default 8-bit firmware's time per line too.
    let per_line = super::line_times(&program, &profile);
    let total = estimate_time(&program, &profile).total_s;
    let sum: f64 = per_line.iter().sum();
    assert!((sum - total).abs() < 1e-9, "{sum} vs {total}");
    // Against the same firmware with an instant processor: the lines' parse time shows
    // only where the machine waits for them, a few milliseconds.
    let keeping_up = Delivery {
        bytes_per_s: None,
        cpu: Delivery::grbl_328p(0)
            .cpu
            .map(FirmwareCpu::without_cpu_time),
    };
    let (_, firmware) = line_times_with(&program, &profile, keeping_up);
    assert!(
        total > firmware.total_s && total < firmware.total_s + 0.02,
        "{total} vs {firmware:?}"
    );
    let (per_line, machine) = line_times_with(&program, &profile, Delivery::unlimited());
    // Which stops twice (the dwell's sync, the end) for `$1` = 25 ms.
    assert!(
        (firmware.total_s - machine.total_s - 0.05).abs() < 1e-9,
        "{firmware:?} vs {machine:?}"
    );
    let total = machine.total_s;
    assert_eq!(per_line.len(), program.len());
    let sum: f64 = per_line.iter().sum();
    assert!((sum - total).abs() < 1e-9, "{sum} vs {total}");
    assert_eq!(per_line[0], 0.0);
    assert_eq!(per_line[1], 0.0);
    assert!(per_line[3] > 20.0 / (1000.0 / 60.0), "{}", per_line[3]);
    assert!((per_line[4] - 0.5).abs() < 1e-12);
    assert_eq!(per_line[7], 0.0);
}

#[test]
fn an_8_bit_grbl_is_slower_than_its_planner_on_dense_lines_only() {
    // 2000 moves of 0.05 mm at 3000 mm/min: 2 s of motion, but about 2.4 ms a line to parse.
    let mut src = String::from("G21G91\nM4S500\nG1F3000\n");
    for _ in 0..2000 {
        src.push_str("X.05\n");
    }
    let program = parse_program(&src).expect("parses");
    let uno = estimate_time(&program, &MachineProfile::default()).total_s;
    assert!((uno / (2000.0 * 2.425e-3) - 1.0).abs() < 0.03, "{uno}");
    // A 32-bit board (bigger planner) keeps up: the machine's time.
    let fast = MachineProfile {
        planner_blocks: 35,
        ..MachineProfile::default()
    };
    assert!(estimate_time(&program, &fast).total_s < 3.0);
    // Long moves: the parse time hides behind the motion; what is left is the first lines'
    // parse and the 25 ms the stepper holds the processor after the final stop (`$1`).
    let long = parse_program("G21G90\nM4S500\nG1X100F3000\nY50\nX0\nM5\n").expect("parses");
    let uno = estimate_time(&long, &MachineProfile::default()).total_s;
    let machine = est("G21G90\nM4S500\nG1X100F3000\nY50\nX0\nM5\n").total_s;
    assert!(
        uno > machine + 0.025 && uno - machine < 0.035,
        "{uno} vs {machine}"
    );
}

#[test]
fn a_header_that_only_waits_is_not_a_layer() {
    let src = "G21G90\n; Burin\n; layer cut\nM4\nG1X50F3000S500\nM5\n";
    let program = parse_program(src).expect("parses");
    let profile = MachineProfile::default();
    let e = estimate_detailed(
        &program,
        &profile.firmware_settings(),
        15,
        Delivery::grbl_328p(115_200),
    );
    assert_eq!(e.layers.len(), 1, "{:?}", e.layers);
    assert_eq!(e.layers[0].name, "cut");
    let sum: f64 = e.layers.iter().map(|l| l.seconds).sum();
    assert!(
        (sum - e.totals.total_s).abs() < 1e-9,
        "{sum} vs {:?}",
        e.totals
    );
}
