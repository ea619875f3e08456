//! nom 8 grammar for GRBL's output lines.

use std::str::FromStr;

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_till, take_while1},
    character::complete::{char, digit1, one_of, satisfy},
    combinator::{all_consuming, map_opt, map_res, opt, rest, value},
    multi::separated_list1,
    number::complete::recognize_float,
    sequence::{preceded, separated_pair},
};

use super::{
    Axes, BufferState, BuildOptions, CoordSystem, FeedSpeed, Firmware, Letters, Message,
    ModalState, ModalWord, Overrides, ReportedPosition, State, StatusReport,
};

type Res<'a, T> = IResult<&'a str, T>;

/// Parse one line from GRBL (with or without its CR LF). Never fails and never panics:
/// unrecognised input, invalid UTF-8 included, becomes [`Message::Unknown`].
pub fn parse(line: &[u8]) -> Message {
    parse_str(&String::from_utf8_lossy(line))
}

/// [`parse`] for text already decoded.
pub fn parse_str(line: &str) -> Message {
    let line = line.trim_matches(|c: char| c.is_ascii_whitespace());
    match all_consuming(message).parse(line) {
        Ok((_, msg)) => msg,
        Err(_) => Message::Unknown(line.to_string()),
    }
}

fn message(i: &str) -> Res<'_, Message> {
    alt((
        value(Message::Ok, tag("ok")),
        preceded(tag("error:"), uint).map(Message::Error),
        preceded(tag("ALARM:"), uint).map(Message::Alarm),
        status,
        bracketed,
        startup_line,
        setting,
        startup_result,
        banner,
    ))
    .parse(i)
}

fn uint<T: FromStr>(i: &str) -> Res<'_, T> {
    map_res(digit1, str::parse::<T>).parse(i)
}

fn float(i: &str) -> Res<'_, f64> {
    map_opt(recognize_float, |s: &str| {
        s.parse::<f64>().ok().filter(|v| v.is_finite())
    })
    .parse(i)
}

fn axes(i: &str) -> Res<'_, Axes> {
    map_opt(separated_list1(char(','), float), |v: Vec<f64>| {
        Axes::from_slice(&v)
    })
    .parse(i)
}

/// Runs `p` on a whole field value; `None` if it does not consume all of it.
fn whole<'a, T>(
    v: &'a str,
    p: impl Parser<&'a str, Output = T, Error = nom::error::Error<&'a str>>,
) -> Option<T> {
    all_consuming(p).parse(v).ok().map(|(_, t)| t)
}

// ---- status report ---------------------------------------------------------------------

fn status(i: &str) -> Res<'_, Message> {
    let fail = || nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify));
    let inner = i
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .ok_or_else(fail)?;
    let mut fields = inner.split('|');
    let state = fields.next().and_then(parse_state).ok_or_else(fail)?;
    let mut report = StatusReport::new(state);
    for field in fields {
        if !status_field(&mut report, field) {
            let (name, val) = field.split_once(':').unwrap_or((field, ""));
            report.other.push((name.to_string(), val.to_string()));
        }
    }
    Ok(("", Message::Status(Box::new(report))))
}

fn parse_state(s: &str) -> Option<State> {
    let (name, sub) = match s.split_once(':') {
        Some((n, sub)) => (n, Some(sub.parse::<u8>().ok()?)),
        None => (s, None),
    };
    // GRBL 1.1 gives substates only for Hold and Door; forks (grblHAL) add some elsewhere,
    // e.g. `Alarm:9`, which must still read as that state.
    let state = match (name, sub) {
        ("Idle", _) => State::Idle,
        ("Run", _) => State::Run,
        ("Hold", sub) => State::Hold(sub.unwrap_or(1)),
        ("Jog", _) => State::Jog,
        ("Alarm", _) => State::Alarm,
        ("Door", sub) => State::Door(sub.unwrap_or(1)),
        ("Check", _) => State::Check,
        ("Home", _) => State::Home,
        ("Sleep", _) => State::Sleep,
        (other, _) => {
            let ok = !other.is_empty() && other.chars().all(|c| c.is_ascii_alphanumeric());
            if !ok {
                return None;
            }
            State::Other(s.to_string())
        }
    };
    Some(state)
}

/// Applies one known field to `r`; false if the field is unknown or unreadable.
fn status_field(r: &mut StatusReport, field: &str) -> bool {
    let Some((name, v)) = field.split_once(':') else {
        return false;
    };
    match name {
        "MPos" => whole(v, axes).map(|a| r.position = Some(ReportedPosition::Machine(a))),
        "WPos" => whole(v, axes).map(|a| r.position = Some(ReportedPosition::Work(a))),
        "WCO" => whole(v, axes).map(|a| r.wco = Some(a)),
        "FS" => whole(v, separated_pair(float, char(','), float)).map(|(feed, speed)| {
            r.feed_speed = Some(FeedSpeed {
                feed,
                speed: Some(speed),
            })
        }),
        "F" => whole(v, float).map(|feed| r.feed_speed = Some(FeedSpeed { feed, speed: None })),
        "Bf" => whole(v, separated_pair(uint::<u16>, char(','), uint::<u32>)).map(|(b, rx)| {
            r.buffer = Some(BufferState {
                planner_blocks_free: b,
                rx_bytes_free: rx,
            })
        }),
        "Ln" => whole(v, uint::<u32>).map(|n| r.line_number = Some(n)),
        "Ov" => whole(
            v,
            (uint::<u16>, char(','), uint::<u16>, char(','), uint::<u16>),
        )
        .map(|(f, _, rp, _, s)| {
            r.overrides = Some(Overrides {
                feed_pct: f,
                rapid_pct: rp,
                spindle_pct: s,
            })
        }),
        "Pn" => letters(v).map(|l| r.pins = Some(l)),
        "A" => letters(v).map(|l| r.accessories = Some(l)),
        _ => None,
    }
    .is_some()
}

fn letters(v: &str) -> Option<Letters> {
    v.chars()
        .all(|c| c.is_ascii_alphanumeric())
        .then(|| Letters(v.to_string()))
}

// ---- [...] push messages ---------------------------------------------------------------

fn bracketed(i: &str) -> Res<'_, Message> {
    let fail = || nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify));
    let inner = i
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .ok_or_else(fail)?;
    let (_, msg) = all_consuming(bracket_body)
        .parse(inner)
        .map_err(|_| fail())?;
    Ok(("", msg))
}

fn bracket_body(i: &str) -> Res<'_, Message> {
    alt((
        preceded(tag("MSG:"), rest).map(|s: &str| Message::Msg(s.to_string())),
        preceded(tag("GC:"), modal_words).map(Message::Modal),
        preceded(tag("HLP:"), rest).map(|s: &str| Message::Help(s.to_string())),
        preceded(tag("VER:"), version),
        preceded(tag("OPT:"), options).map(Message::Options),
        preceded(tag("PRB:"), separated_pair(axes, char(':'), one_of("01"))).map(
            |(position, flag)| Message::Probe {
                position,
                success: flag == '1',
            },
        ),
        separated_pair(coord_system, char(':'), axes)
            .map(|(system, offset)| Message::Offset { system, offset }),
        preceded(tag("TLO:"), float).map(Message::ToolLengthOffset),
        preceded(tag("echo:"), rest).map(|s: &str| Message::Echo(s.to_string())),
    ))
    .parse(i)
}

fn modal_words(i: &str) -> Res<'_, ModalState> {
    separated_list1(
        char(' '),
        (satisfy(|c| c.is_ascii_uppercase()), float)
            .map(|(letter, value)| ModalWord { letter, value }),
    )
    .map(|words| ModalState { words })
    .parse(i)
}

fn version(i: &str) -> Res<'_, Message> {
    let (i, (full, info)) = separated_pair(take_till(|c| c == ':'), char(':'), rest).parse(i)?;
    // "1.1h.20190830": the part after the last dot is the build date when it is all digits.
    let (version, build) = match full.rsplit_once('.') {
        Some((v, b)) if b.len() == 8 && b.bytes().all(|c| c.is_ascii_digit()) => {
            (v.to_string(), Some(b.to_string()))
        }
        _ => (full.to_string(), None),
    };
    Ok((
        i,
        Message::Version {
            version,
            build,
            info: info.to_string(),
        },
    ))
}

fn options(i: &str) -> Res<'_, BuildOptions> {
    (
        take_till(|c| c == ','),
        char(','),
        uint::<u16>,
        char(','),
        uint::<u32>,
        opt(preceded(char(','), rest)),
    )
        .map(
            |(codes, _, planner_blocks, _, rx_buffer_bytes, extra)| BuildOptions {
                codes: codes.to_string(),
                planner_blocks,
                rx_buffer_bytes,
                extra: extra.unwrap_or("").to_string(),
            },
        )
        .parse(i)
}

fn coord_system(i: &str) -> Res<'_, CoordSystem> {
    alt((
        value(CoordSystem::G54, tag("G54")),
        value(CoordSystem::G55, tag("G55")),
        value(CoordSystem::G56, tag("G56")),
        value(CoordSystem::G57, tag("G57")),
        value(CoordSystem::G58, tag("G58")),
        value(CoordSystem::G59, tag("G59")),
        value(CoordSystem::G28, tag("G28")),
        value(CoordSystem::G30, tag("G30")),
        value(CoordSystem::G92, tag("G92")),
    ))
    .parse(i)
}

// ---- $ lines, startup results, banner --------------------------------------------------

fn setting(i: &str) -> Res<'_, Message> {
    preceded(char('$'), separated_pair(uint::<u16>, char('='), rest))
        .map(|(number, v): (u16, &str)| Message::Setting {
            number,
            value: v.to_string(),
        })
        .parse(i)
}

fn startup_line(i: &str) -> Res<'_, Message> {
    preceded(tag("$N"), separated_pair(uint::<u8>, char('='), rest))
        .map(|(index, line): (u8, &str)| Message::StartupLine {
            index,
            line: line.to_string(),
        })
        .parse(i)
}

fn startup_result(i: &str) -> Res<'_, Message> {
    let fail = || nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify));
    let body = i.strip_prefix('>').ok_or_else(fail)?;
    if let Some(line) = body.strip_suffix(":ok") {
        return Ok((
            "",
            Message::StartupResult {
                line: line.to_string(),
                error: None,
            },
        ));
    }
    let (line, code) = body.rsplit_once(":error:").ok_or_else(fail)?;
    let (_, code) = all_consuming(uint::<u16>).parse(code).map_err(|_| fail())?;
    Ok((
        "",
        Message::StartupResult {
            line: line.to_string(),
            error: Some(code),
        },
    ))
}

fn banner(i: &str) -> Res<'_, Message> {
    (
        alt((
            value(Firmware::GrblHal, tag("GrblHAL")),
            value(Firmware::Grbl, tag("Grbl")),
        )),
        char(' '),
        take_while1(|c: char| c.is_ascii_digit()),
        take_till(|c| c == ' '),
        opt(preceded(char(' '), preceded(char('['), rest))),
    )
        .map(
            |(firmware, _, major, tail, _): (Firmware, char, &str, &str, _)| Message::Banner {
                firmware,
                version: format!("{major}{tail}"),
            },
        )
        .parse(i)
}
