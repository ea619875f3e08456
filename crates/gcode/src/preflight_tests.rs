use super::*;
use crate::parse::parse_program;

const GOOD: &str = "G21 G90\nM4\nG0 X10 Y10\nG1 X20 F1000 S500\nG0 X0 Y0\nM5\n";

fn check(src: &str) -> PreflightReport {
    preflight(
        &parse_program(src).expect("test program parses"),
        &MachineProfile::default(),
    )
}

fn lines_of(r: &PreflightReport, c: Check) -> Vec<(usize, Severity)> {
    r.of(c).map(|f| (f.line, f.severity)).collect()
}

#[test]
fn a_clean_program_passes() {
    let r = check(GOOD);
    assert!(r.is_ok(), "{r}");
    assert!(r.findings.is_empty(), "{r}");
}

#[test]
fn units_and_distance_must_be_set_before_first_motion() {
    let r = check("M4\nG0 X1\nG21 G90\nM5");
    assert_eq!(lines_of(&r, Check::Units), vec![(2, Severity::Error)]);
    assert_eq!(
        lines_of(&r, Check::DistanceMode),
        vec![(2, Severity::Error)]
    );
    // Same line is fine: modal words apply before the motion.
    assert!(check("G21 G90 G0 X1\nM5").is_ok());
    // Explicit G91 is deterministic too.
    assert!(check("G21 G91 G0 X1\nM5").is_ok());
    let inch = check("G20 G90 G0 X1\nM5");
    assert_eq!(lines_of(&inch, Check::Units), vec![(1, Severity::Warning)]);
}

#[test]
fn power_on_a_rapid_is_refused_explicit_or_modal() {
    let r = check("G21 G90\nM4\nG0 X1 S100\nG1 X2 F100 S10\nG0\nX3 S5\nS0 G0 X4\nM5");
    assert_eq!(
        lines_of(&r, Check::PowerOnRapid),
        vec![(3, Severity::Error), (6, Severity::Error)]
    );
}

#[test]
fn laser_mode_must_precede_powered_cuts() {
    let r = check("G21 G90\nG1 X10 F100 S300\nM4\nM5\n");
    assert_eq!(lines_of(&r, Check::LaserMode), vec![(2, Severity::Error)]);
    let r = check("G21 G90\nM4\nM5\nG1 X10 F100 S300\n");
    assert_eq!(lines_of(&r, Check::LaserMode), vec![(4, Severity::Warning)]);
    // S0 cuts need no laser mode.
    assert!(check("G21 G90\nG1 X10 F100 S0\n").is_ok());
}

#[test]
fn program_must_end_with_laser_off() {
    let r = check("G21 G90\nM3 S100\nG1 X10 F100\n");
    assert_eq!(
        lines_of(&r, Check::LaserOnAtEnd),
        vec![(2, Severity::Error)]
    );
    // M5 then powered motion again (needs a new M4) is still caught.
    let r = check("G21 G90\nM4\nG1 X1 F100 S9\nM5\nM4\nG1 X2\n");
    assert_eq!(
        lines_of(&r, Check::LaserOnAtEnd),
        vec![(5, Severity::Error)]
    );
    // M2 ends with the spindle off.
    assert!(check("G21 G90\nM4\nG1 X1 F100 S9\nM2\n").is_ok());
}

#[test]
fn work_area_overshoot_names_side_and_distance() {
    let r = check("G21 G90\nG0 X412.3 Y10\nG0 X-5\nG0 X420\nM5\n");
    let msgs: Vec<_> = r
        .of(Check::WorkArea)
        .map(|f| (f.line, f.message.clone()))
        .collect();
    assert_eq!(
        msgs,
        vec![
            (
                3,
                "extends 5 mm past X min 0 (worst at line 3; 2 lines outside)".to_owned()
            ),
            (
                2,
                "extends 20 mm past X max 400 (worst at line 4; 3 lines outside)".to_owned()
            ),
        ]
    );
    assert!(!r.is_ok());
}

#[test]
fn arcs_are_checked_by_their_true_extent() {
    // End points inside, but the half circle bulges to y = -10 below the work area.
    let r = check("G21 G90\nG0 X10 Y5\nG3 X30 Y5 I10 J0 F500\nM5\n");
    let f: Vec<_> = r.of(Check::WorkArea).collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].line, 3);
    assert!(
        f[0].message.starts_with("extends 5 mm past Y min 0"),
        "{}",
        f[0].message
    );
    // The same arc clockwise bulges upwards and fits.
    assert!(check("G21 G90\nG0 X10 Y5\nG2 X30 Y5 I10 J0 F500\nM5\n").is_ok());
}

#[test]
fn relative_moves_are_tracked_for_bounds() {
    let r = check("G21 G91\nG0 X300\nX50\nX60\nG90\nX0\nM5\n");
    let f: Vec<_> = r.of(Check::WorkArea).collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].line, 4);
    assert!(f[0].message.starts_with("extends 10 mm past X max 400"));
}

#[test]
fn s_above_machine_maximum() {
    let r = check("G21 G90\nM4\nG1 X1 F100 S1200\nM5\n");
    assert_eq!(
        lines_of(&r, Check::PowerAboveMax),
        vec![(3, Severity::Error)]
    );
    let small = MachineProfile {
        s_max: 255.0,
        ..MachineProfile::default()
    };
    let p = parse_program("G21 G90\nM4\nG1 X1 F100 S300\nM5\n").expect("parses");
    assert!(!preflight(&p, &small).is_ok());
}

#[test]
fn feed_must_be_set_before_feed_motion() {
    let r = check("G21 G90\nM4\nG1 X1 S10\nF0\nG1 X2\nF100\nG1 X3\nM5\n");
    assert_eq!(
        lines_of(&r, Check::FeedNotSet),
        vec![(3, Severity::Error), (5, Severity::Error)]
    );
    // G1 with no axis words still needs a feed in GRBL.
    let r = check("G21 G90\nG1\n");
    assert_eq!(lines_of(&r, Check::FeedNotSet), vec![(2, Severity::Error)]);
}

#[test]
fn long_lines_count_after_grbl_filter() {
    let long = format!("G21 G90\nG0 X1 ({})\n", "c".repeat(200));
    assert!(check(&long).is_ok(), "comments do not count");
    // Programs keep lines in canonical form (what is streamed), so padding like `X1.000…`
    // is gone before the check; six long numbers are not.
    let digits = format!(
        "G21 G90\nG1{}\n",
        "XYZFSI"
            .chars()
            .map(|c| format!("{c}1234567.1234567"))
            .collect::<String>()
    );
    let r = check(&digits);
    assert_eq!(lines_of(&r, Check::LineTooLong), vec![(2, Severity::Error)]);
    let spaced = format!("G21 G90\nG0{}X1\n", " ".repeat(100));
    assert!(check(&spaced).is_ok(), "spaces do not count");
}

#[test]
fn realtime_bytes_in_comments_and_system_lines() {
    let r = check("G21 G90 (ready?)\n; stop!\n; ok~\n; caf\u{e9}\n$I=\u{e9}\nM5\n");
    assert_eq!(
        lines_of(&r, Check::RealtimeByte),
        vec![
            (1, Severity::Error),
            (2, Severity::Error),
            (3, Severity::Error),
            (4, Severity::Error),
            (5, Severity::Error)
        ]
    );
}

#[test]
fn unsupported_codes_and_grbl_errors() {
    let r = check("G21 G90\nG99\nM6 T1\nG0 G1 X1\nX1 X2\nG4\nG2 X5 Y5 R1 F100\n");
    let lines: Vec<_> = r.of(Check::GrblError).map(|f| f.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7]);
    assert!(r.findings[0].message.contains("G99"));
}

#[test]
fn warnings_do_not_fail_the_job() {
    let r = check("%\n$H\n$32=1\nG21 G90\n/G0 X1\nG92 X0\nG28\nM5\n%\n");
    assert!(r.is_ok(), "{r}");
    let lines: Vec<_> = r.of(Check::Unchecked).map(|f| f.line).collect();
    assert_eq!(lines, vec![1, 3, 5, 6, 7, 9]);
}

#[test]
fn repeated_findings_are_summarised() {
    let mut src = String::from("G21 G90\n");
    for _ in 0..30 {
        src.push_str("G0 X1 S5\n");
    }
    let r = check(&src);
    let f: Vec<_> = r.of(Check::PowerOnRapid).collect();
    assert_eq!(f.len(), MAX_PER_CHECK + 1);
    assert_eq!(f[MAX_PER_CHECK].message, "... and 10 more like line 2");
}

#[test]
fn report_display() {
    let r = check("G21 G90\nG0 X500\n");
    assert_eq!(
        r.to_string(),
        "error: line 2: extends 100 mm past X max 400 (worst at line 2; 1 line outside)\n"
    );
}

#[test]
fn lines_the_firmware_refuses_carry_its_error_code() {
    // error:26: an arc with no axis word; error:31: axis words a command doesn't use;
    // error:33: an arc whose target equals its start (full circle by R).
    let r = check("G21 G90\nG1 X1 F100\nG2 I5\nG80 X3\nG2 X1 R5\nG0 X2\n");
    let f: Vec<(usize, String)> = r
        .of(Check::GrblError)
        .map(|f| (f.line, f.message.clone()))
        .collect();
    assert_eq!(
        f.iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![3, 4, 5],
        "{f:?}"
    );
    assert!(f[0].1.contains("error:26"), "{f:?}");
    assert!(f[1].1.contains("error:31"), "{f:?}");
    assert!(f[2].1.contains("error:33"), "{f:?}");
    // A refused line changes nothing: the last move still starts from X1.
    assert!(r.of(Check::WorkArea).next().is_none());
}

#[test]
fn motion_follows_the_firmware_offsets_too() {
    // G10 L2 moves the G54 origin 350 mm right: X100 then lands at X450 of the work area.
    let r = check("G21 G90\nG10 L2 P1 X350\nG0 X100\nM5\n");
    let f: Vec<_> = r.of(Check::WorkArea).collect();
    assert_eq!(f.len(), 1, "{r}");
    assert!(
        f[0].message.starts_with("extends 50 mm past X max 400"),
        "{}",
        f[0].message
    );
    assert_eq!(lines_of(&r, Check::Unchecked), vec![(2, Severity::Warning)]);
}
