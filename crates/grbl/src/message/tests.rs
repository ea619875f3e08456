//! Parser tests with real lines from GRBL 1.1h (see GRBL.md) and grblHAL.

use proptest::prelude::*;

use super::*;

fn status(line: &str) -> StatusReport {
    match parse_str(line) {
        Message::Status(r) => *r,
        other => panic!("{line:?} parsed as {other:?}"),
    }
}

#[test]
fn responses_and_alarms() {
    assert_eq!(parse(b"ok\r\n"), Message::Ok);
    assert_eq!(parse(b"error:20"), Message::Error(20));
    assert_eq!(parse(b"ALARM:3\r\n"), Message::Alarm(3));
    assert!(Message::Ok.is_response() && Message::Error(9).is_response());
    assert!(!Message::Alarm(1).is_response());
    // Near misses are not responses.
    assert_eq!(parse(b"okay"), Message::Unknown("okay".into()));
    assert_eq!(parse(b"error:"), Message::Unknown("error:".into()));
    assert_eq!(parse(b"error:x1"), Message::Unknown("error:x1".into()));
}

#[test]
fn status_report_full() {
    let r = status("<Idle|MPos:0.000,0.000,0.000|Bf:15,128|FS:0,0|Pn:XYP|WCO:-1.500,2.000,0.000>");
    assert_eq!(r.state, State::Idle);
    assert_eq!(
        r.position,
        Some(ReportedPosition::Machine(Axes::xyz(0.0, 0.0, 0.0)))
    );
    assert_eq!(
        r.buffer,
        Some(BufferState {
            planner_blocks_free: 15,
            rx_bytes_free: 128
        })
    );
    assert_eq!(
        r.feed_speed,
        Some(FeedSpeed {
            feed: 0.0,
            speed: Some(0.0)
        })
    );
    assert!(
        r.pins
            .as_ref()
            .is_some_and(|p| p.has('X') && p.has('P') && !p.has('Z'))
    );
    assert_eq!(r.wco, Some(Axes::xyz(-1.5, 2.0, 0.0)));
    assert!(r.other.is_empty());
}

#[test]
fn status_fields_any_order_and_unknown_kept() {
    let r = status(
        "<Run|WPos:10.000,-2.500,1.000|Ov:110,100,90|A:CF|F:500|Ln:42|Foo:bar|Bf:3,0|Pn:zz!>",
    );
    assert_eq!(r.state, State::Run);
    assert_eq!(
        r.position,
        Some(ReportedPosition::Work(Axes::xyz(10.0, -2.5, 1.0)))
    );
    assert_eq!(
        r.overrides,
        Some(Overrides {
            feed_pct: 110,
            rapid_pct: 100,
            spindle_pct: 90
        })
    );
    assert!(
        r.accessories
            .as_ref()
            .is_some_and(|a| a.has('C') && a.has('F'))
    );
    assert_eq!(
        r.feed_speed,
        Some(FeedSpeed {
            feed: 500.0,
            speed: None
        })
    );
    assert_eq!(r.line_number, Some(42));
    assert_eq!(r.buffer.map(|b| b.planner_blocks_free), Some(3));
    // Unknown fields and unreadable known ones are kept, not fatal.
    assert_eq!(
        r.other,
        vec![("Foo".into(), "bar".into()), ("Pn".into(), "zz!".into())]
    );
}

#[test]
fn status_states_and_substates() {
    let cases = [
        ("Idle", State::Idle),
        ("Run", State::Run),
        ("Hold:0", State::Hold(0)),
        ("Hold:1", State::Hold(1)),
        ("Hold", State::Hold(1)),
        ("Jog", State::Jog),
        ("Alarm", State::Alarm),
        ("Door:0", State::Door(0)),
        ("Door:1", State::Door(1)),
        ("Door:2", State::Door(2)),
        ("Door:3", State::Door(3)),
        ("Check", State::Check),
        ("Home", State::Home),
        ("Sleep", State::Sleep),
        ("Tool", State::Other("Tool".into())),
        ("Alarm:9", State::Alarm),
        ("Run:1", State::Run),
    ];
    for (text, want) in cases {
        let r = status(&format!("<{text}|MPos:1.000,2.000,3.000|FS:0,0>"));
        assert_eq!(r.state, want, "{text}");
    }
    assert!(State::Hold(1).is_moving() && !State::Hold(0).is_moving());
    assert!(matches!(
        parse_str("<Hold:x|MPos:0,0,0>"),
        Message::Unknown(_)
    ));
    assert!(matches!(parse_str("<|MPos:0,0,0>"), Message::Unknown(_)));
}

#[test]
fn status_inches_and_more_axes() {
    let r = status("<Jog|MPos:1.0000,2.0000,3.0000,4.0000|FS:12.5,0>");
    let Some(ReportedPosition::Machine(p)) = r.position else {
        panic!("no MPos");
    };
    assert_eq!(p.as_slice(), &[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(r.feed_speed.map(|f| f.feed), Some(12.5));
}

#[test]
fn bracket_messages() {
    assert_eq!(
        parse_str("[MSG:'$H'|'$X' to unlock]"),
        Message::Msg("'$H'|'$X' to unlock".into())
    );
    assert_eq!(
        parse_str("[MSG:Caution: Unlocked]"),
        Message::Msg("Caution: Unlocked".into())
    );
    assert_eq!(
        parse_str("[HLP:$$ $# $G $I $N $x=val $Nx=line $J=line $SLP $C $X $H ~ ! ? ctrl-x]"),
        Message::Help("$$ $# $G $I $N $x=val $Nx=line $J=line $SLP $C $X $H ~ ! ? ctrl-x".into())
    );
    assert_eq!(
        parse_str("[echo:G1X1F100]"),
        Message::Echo("G1X1F100".into())
    );
    assert_eq!(parse_str("[TLO:0.000]"), Message::ToolLengthOffset(0.0));
    assert!(matches!(parse_str("[FOO:1]"), Message::Unknown(_)));
}

#[test]
fn gc_modal_words() {
    let Message::Modal(m) = parse_str("[GC:G0 G54 G17 G21 G90 G94 M5 M9 T0 F0 S0]") else {
        panic!("not GC");
    };
    assert_eq!(m.words.len(), 11);
    assert!(m.has('G', 54.0) && m.has('G', 21.0) && m.has('M', 5.0));
    assert!(!m.has('G', 20.0));
    assert_eq!(m.value('F'), Some(0.0));
    let Message::Modal(m) = parse_str("[GC:G38.2 G54 G17 G21 G91 G94 M4 M8 T1 F1500. S250.5]")
    else {
        panic!("not GC");
    };
    assert!(m.has('G', 38.2) && m.has('M', 4.0));
    assert_eq!(m.value('S'), Some(250.5));
}

#[test]
fn version_and_options() {
    assert_eq!(
        parse_str("[VER:1.1h.20190830:]"),
        Message::Version {
            version: "1.1h".into(),
            build: Some("20190830".into()),
            info: String::new()
        }
    );
    assert_eq!(
        parse_str("[VER:1.1f.20230919:My laser: 5W]"),
        Message::Version {
            version: "1.1f".into(),
            build: Some("20230919".into()),
            info: "My laser: 5W".into()
        }
    );
    assert_eq!(
        parse_str("[OPT:V,15,128]"),
        Message::Options(BuildOptions {
            codes: "V".into(),
            planner_blocks: 15,
            rx_buffer_bytes: 128,
            extra: String::new()
        })
    );
    assert_eq!(
        parse_str("[OPT:VNMSL,35,1024,3,0]"),
        Message::Options(BuildOptions {
            codes: "VNMSL".into(),
            planner_blocks: 35,
            rx_buffer_bytes: 1024,
            extra: "3,0".into()
        })
    );
    assert!(matches!(parse_str("[OPT:,15,128]"), Message::Options(o) if o.codes.is_empty()));
}

#[test]
fn offsets_and_probe() {
    let systems = [
        ("G54", CoordSystem::G54),
        ("G55", CoordSystem::G55),
        ("G56", CoordSystem::G56),
        ("G57", CoordSystem::G57),
        ("G58", CoordSystem::G58),
        ("G59", CoordSystem::G59),
        ("G28", CoordSystem::G28),
        ("G30", CoordSystem::G30),
        ("G92", CoordSystem::G92),
    ];
    for (name, system) in systems {
        assert_eq!(
            parse_str(&format!("[{name}:1.000,-2.000,0.500]")),
            Message::Offset {
                system,
                offset: Axes::xyz(1.0, -2.0, 0.5)
            }
        );
    }
    assert_eq!(
        parse_str("[PRB:0.000,0.000,-1.250:1]"),
        Message::Probe {
            position: Axes::xyz(0.0, 0.0, -1.25),
            success: true
        }
    );
    assert!(matches!(
        parse_str("[PRB:0.000,0.000,0.000:0]"),
        Message::Probe { success: false, .. }
    ));
    assert!(matches!(parse_str("[G59.1:0,0,0]"), Message::Unknown(_)));
}

#[test]
fn settings_and_startup_lines() {
    assert_eq!(
        parse_str("$0=10"),
        Message::Setting {
            number: 0,
            value: "10".into()
        }
    );
    assert_eq!(
        parse_str("$11=0.010"),
        Message::Setting {
            number: 11,
            value: "0.010".into()
        }
    );
    assert_eq!(
        parse_str("$N0=G20G54"),
        Message::StartupLine {
            index: 0,
            line: "G20G54".into()
        }
    );
    assert_eq!(
        parse_str("$N1="),
        Message::StartupLine {
            index: 1,
            line: String::new()
        }
    );
    assert_eq!(
        parse_str(">G20G54:ok"),
        Message::StartupResult {
            line: "G20G54".into(),
            error: None
        }
    );
    assert_eq!(
        parse_str(">G99:error:20"),
        Message::StartupResult {
            line: "G99".into(),
            error: Some(20)
        }
    );
}

#[test]
fn banners() {
    assert_eq!(
        parse(b"Grbl 1.1h ['$' for help]\r\n"),
        Message::Banner {
            firmware: Firmware::Grbl,
            version: "1.1h".into()
        }
    );
    assert_eq!(
        parse_str("GrblHAL 1.1f ['$' or '$HELP' for help]"),
        Message::Banner {
            firmware: Firmware::GrblHal,
            version: "1.1f".into()
        }
    );
    assert!(matches!(parse_str("Grblx 1.1"), Message::Unknown(_)));
}

#[test]
fn garbage_is_unknown() {
    assert_eq!(parse(b""), Message::Unknown(String::new()));
    assert_eq!(
        parse(b"\xff\xfeok"),
        Message::Unknown("\u{fffd}\u{fffd}ok".into())
    );
    assert!(matches!(parse(b"<Idle|MPos:0,0,0"), Message::Unknown(_)));
    assert!(matches!(parse(b"<Idle|MPos:nan,0,0>"), Message::Status(r) if !r.other.is_empty()));
}

proptest! {
    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn never_panics_on_near_grammar(s in "[<\\[]?[A-Za-z$>]{0,6}[:|,0-9.\\-=A-Z ]{0,40}[>\\]]?") {
        let _ = parse_str(&s);
    }

    #[test]
    fn error_codes_round_trip(n in 0u16..1000) {
        prop_assert_eq!(parse_str(&format!("error:{n}")), Message::Error(n));
        prop_assert_eq!(parse_str(&format!("ALARM:{n}")), Message::Alarm(n));
    }
}
