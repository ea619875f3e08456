//! Text GRBL prints: numbers, status reports, `$G`, `$#`, banner (report.c).

use crate::config::{N_AXIS, Settings};
use crate::gcode::{ParserState, Persistent};
use crate::planner::Overrides;
use crate::words::{Motion, Plane, SpindleMode};

pub(crate) use burin_firmware::settings::fmt_fixed;

/// Coordinates as GRBL prints them: mm with 3 decimals, or inches with 4 if `$13=1`.
pub(crate) fn fmt_coords(settings: &Settings, v: &[f64; N_AXIS]) -> String {
    v.iter()
        .map(|x| {
            if settings.report_inches {
                fmt_fixed(x / 25.4, 4)
            } else {
                fmt_fixed(*x, 3)
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn fmt_rate(settings: &Settings, mm_min: f64) -> String {
    if settings.report_inches {
        fmt_fixed(mm_min / 25.4, 1)
    } else {
        fmt_fixed(mm_min, 0)
    }
}

/// Rotation counters for the `WCO:` and `Ov:` fields (GRBL's `report_wco_counter` and
/// `report_ovr_counter`): a field is printed when its counter is 0.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ReportCounters {
    pub wco: u8,
    pub ovr: u8,
}

/// Everything a status report shows.
pub(crate) struct StatusInput<'a> {
    pub state: &'a str,
    pub busy: bool,
    pub mpos: [f64; N_AXIS],
    pub wco: [f64; N_AXIS],
    pub planner_free: usize,
    pub rx_free: usize,
    pub feed_mm_min: f64,
    pub spindle_s: f64,
    pub ov: Overrides,
    pub spindle_on: Option<SpindleMode>,
    pub flood: bool,
}

const WCO_BUSY: u8 = 30;
const WCO_IDLE: u8 = 10;
const OVR_BUSY: u8 = 20;
const OVR_IDLE: u8 = 10;

/// Formats `<...>\r\n` and advances the rotation counters like `report_realtime_status`.
pub(crate) fn status_report(
    settings: &Settings,
    c: &mut ReportCounters,
    s: &StatusInput<'_>,
) -> String {
    let mut out = format!("<{}|", s.state);
    if settings.status_report_mask & 1 != 0 {
        out.push_str("MPos:");
        out.push_str(&fmt_coords(settings, &s.mpos));
    } else {
        let mut w = s.mpos;
        for (p, o) in w.iter_mut().zip(s.wco) {
            *p -= o;
        }
        out.push_str("WPos:");
        out.push_str(&fmt_coords(settings, &w));
    }
    if settings.status_report_mask & 2 != 0 {
        out.push_str(&format!("|Bf:{},{}", s.planner_free, s.rx_free));
    }
    out.push_str(&format!(
        "|FS:{},{}",
        fmt_rate(settings, s.feed_mm_min),
        fmt_fixed(s.spindle_s, 0)
    ));
    if c.wco > 0 {
        c.wco -= 1;
    } else {
        c.wco = if s.busy { WCO_BUSY - 1 } else { WCO_IDLE - 1 };
        if c.ovr == 0 {
            c.ovr = 1; // Ov goes into the next report.
        }
        out.push_str("|WCO:");
        out.push_str(&fmt_coords(settings, &s.wco));
    }
    if c.ovr > 0 {
        c.ovr -= 1;
    } else {
        c.ovr = if s.busy { OVR_BUSY - 1 } else { OVR_IDLE - 1 };
        out.push_str(&format!(
            "|Ov:{},{},{}",
            s.ov.feed_pct, s.ov.rapid_pct, s.ov.spindle_pct
        ));
        if s.spindle_on.is_some() || s.flood {
            out.push_str("|A:");
            match s.spindle_on {
                Some(SpindleMode::Cw) => out.push('S'),
                Some(SpindleMode::Ccw) => out.push('C'),
                _ => {}
            }
            if s.flood {
                out.push('F');
            }
        }
    }
    out.push_str(">\r\n");
    out
}

/// `[GC:...]` reply to `$G`.
pub(crate) fn gcode_modes(settings: &Settings, gc: &ParserState) -> String {
    let m = &gc.modal;
    let motion = match m.motion {
        Motion::Seek => "G0",
        Motion::Linear => "G1",
        Motion::CwArc => "G2",
        Motion::CcwArc => "G3",
        Motion::None => "G80",
    };
    let plane = match m.plane {
        Plane::Xy => "G17",
        Plane::Zx => "G18",
        Plane::Yz => "G19",
    };
    let spindle = match m.spindle {
        SpindleMode::Cw => "M3",
        SpindleMode::Ccw => "M4",
        SpindleMode::Off => "M5",
    };
    format!(
        "[GC:{motion} G{} {plane} {} {} {} {spindle} {} T{} F{} S{}]\r\n",
        m.coord_select + 54,
        if m.inches { "G20" } else { "G21" },
        if m.incremental { "G91" } else { "G90" },
        if m.inverse_time { "G93" } else { "G94" },
        if m.coolant_flood { "M8" } else { "M9" },
        gc.tool,
        fmt_rate(settings, gc.feed),
        fmt_fixed(gc.s, 0),
    )
}

/// `$#` reply (without the final `ok`).
pub(crate) fn ngc_parameters(settings: &Settings, gc: &ParserState, p: &Persistent) -> String {
    let mut out = String::new();
    for (i, c) in p.coord.iter().enumerate() {
        out.push_str(&format!("[G{}:{}]\r\n", 54 + i, fmt_coords(settings, c)));
    }
    out.push_str(&format!("[G28:{}]\r\n", fmt_coords(settings, &p.g28)));
    out.push_str(&format!("[G30:{}]\r\n", fmt_coords(settings, &p.g30)));
    out.push_str(&format!("[G92:{}]\r\n", fmt_coords(settings, &gc.g92)));
    let tlo = if settings.report_inches {
        fmt_fixed(gc.tlo / 25.4, 4)
    } else {
        fmt_fixed(gc.tlo, 3)
    };
    out.push_str(&format!("[TLO:{tlo}]\r\n"));
    out.push_str(&format!(
        "[PRB:{}:0]\r\n",
        fmt_coords(settings, &[0.0; N_AXIS])
    ));
    out
}

pub(crate) const HELP: &str =
    "[HLP:$$ $# $G $I $N $x=val $Nx=line $J=line $SLP $C $X $H ~ ! ? ctrl-x]\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_formatting() {
        assert_eq!(fmt_fixed(0.0, 3), "0.000");
        assert_eq!(fmt_fixed(-0.0, 3), "0.000");
        assert_eq!(fmt_fixed(-1.5, 3), "-1.500");
        assert_eq!(fmt_fixed(1000.0, 0), "1000");
        assert_eq!(fmt_fixed(0.01, 3), "0.010");
    }

    #[test]
    fn wco_then_ov_rotation() {
        let s = Settings::default();
        let mut c = ReportCounters::default();
        let input = StatusInput {
            state: "Idle",
            busy: false,
            mpos: [0.0; 3],
            wco: [0.0; 3],
            planner_free: 15,
            rx_free: 128,
            feed_mm_min: 0.0,
            spindle_s: 0.0,
            ov: Overrides::default(),
            spindle_on: None,
            flood: false,
        };
        let r1 = status_report(&s, &mut c, &input);
        assert_eq!(
            r1,
            "<Idle|MPos:0.000,0.000,0.000|FS:0,0|WCO:0.000,0.000,0.000>\r\n"
        );
        let r2 = status_report(&s, &mut c, &input);
        assert_eq!(
            r2,
            "<Idle|MPos:0.000,0.000,0.000|FS:0,0|Ov:100,100,100>\r\n"
        );
        let plain: Vec<String> = (0..8).map(|_| status_report(&s, &mut c, &input)).collect();
        assert!(
            plain
                .iter()
                .all(|r| !r.contains("WCO") && !r.contains("Ov"))
        );
        assert!(status_report(&s, &mut c, &input).contains("|WCO:"));
    }
}
