//! Toolpath -> GRBL 1.1 program, in laser mode (`$32=1`).
//!
//! The modal state of the machine is tracked with "unknown" explicit (`None`), as svg2gcode's
//! `machine.rs` does, so a word is written only when it changes what GRBL already holds.
//! Invariants (each has a test below):
//! * line 1 is `G21G90`; the header comments follow it;
//! * `M4` for [`LaserMode::Dynamic`] blocks, `M3` for `Constant`, written only on a change;
//! * no `S` word ever on a `G0` line; travel between cuts is `G0` (laser off by laser mode), and
//!   no `M5` mid-job (an M-state change forces a planner stop);
//! * only changed words: modal `G0`/`G1`, `F`, `S`, and only the axes that move;
//! * numbers with at most [`EmitOptions::max_decimals`] decimals, no trailing zeros, no `-0`;
//! * every line at most 79 characters (80 bytes with its LF);
//! * `M8` on blocks with air assist, `M9` when a block without it follows;
//! * the end is `M5`, then `M9` if air is still on, then `G0X0Y0` if asked (and the job
//!   moved; the return states both axes);
//! * comments carry printable ASCII only and never `?`, `!` or `~` (GRBL realtime bytes).

use burin_toolpath::{LaserMode, Move, PointMm, Toolpath};

use crate::ast::Program;

/// Longest line the emitter writes, characters without the LF. GRBL's limit (79 after its
/// pre-filter) then holds even for comment lines.
pub const MAX_LINE_CHARS: usize = 79;

/// How [`emit`] writes a program.
#[derive(Debug, Clone, PartialEq)]
pub struct EmitOptions {
    /// The S value that means 100 % power (GRBL `$30`). Power becomes the integer
    /// `S = round(power_pct / 100 * s_max)`. Default 1000.
    pub s_max: u32,
    /// Most digits after the decimal point for coordinates and feeds, 0..=6 (larger values are
    /// treated as 6). Default 3 (1 µm).
    pub max_decimals: u8,
    /// Comment lines written right after the `G21G90` line; sanitised like layer names.
    /// Default one line, `Burin`.
    pub header: Vec<String>,
    /// After the laser is off, rapid back to X0 Y0. Default true.
    pub return_to_origin: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        Self {
            s_max: 1000,
            max_decimals: 3,
            header: vec!["Burin".to_owned()],
            return_to_origin: true,
        }
    }
}

impl EmitOptions {
    /// Defaults with `s_max` taken from the machine's `$30` (rounded; at least 1).
    pub fn for_profile(profile: &crate::profile::MachineProfile) -> Self {
        let s_max = if profile.s_max.is_finite() {
            // Saturating float-to-int cast: values beyond u32 clamp.
            (profile.s_max.round() as u32).max(1)
        } else {
            1000
        };
        Self::default().with_s_max(s_max)
    }

    pub fn with_s_max(mut self, s_max: u32) -> Self {
        self.s_max = s_max;
        self
    }

    pub fn with_max_decimals(mut self, max_decimals: u8) -> Self {
        self.max_decimals = max_decimals;
        self
    }

    pub fn with_header(mut self, header: Vec<String>) -> Self {
        self.header = header;
        self
    }

    pub fn with_return_to_origin(mut self, return_to_origin: bool) -> Self {
        self.return_to_origin = return_to_origin;
        self
    }
}

/// Writes `toolpath` as a GRBL program. The head is assumed to start at the origin, but the
/// first motion still states both axes.
///
/// Moves whose target rounds to the current position are dropped, as are moves with a
/// non-finite target. A non-finite or negative feed is written as `F0`, which
/// [`crate::preflight()`] refuses (GRBL `error:22`); coordinates beyond ±10⁹ mm would break the
/// line-length invariant.
///
/// Scan rows ([`burin_toolpath::Scan`]) are written in relative distances (`G91`): a row of
/// pixels is then `G1X.3`, `G0X.1`, `G1X.2`, … instead of repeating its absolute position on
/// every line; blanks are `G0` hops, so an on/off pattern needs no `S` word at all. Each row
/// starts with an absolute `G90G0` to its entry, so a row never depends on the one before,
/// and `G90` is restored after the block. The increments are differences of rounded absolute
/// positions, so nothing drifts.
pub fn emit(toolpath: &Toolpath, opts: &EmitOptions) -> Program {
    let mut e = Emitter::new(opts);
    e.raw("G21G90");
    e.relative = Some(false);
    for h in &opts.header {
        e.comment(h);
    }
    let mut layer: Option<&str> = None;
    for block in &toolpath.blocks {
        let s = &block.settings;
        if layer != Some(s.layer_name.as_str()) {
            e.comment(&format!("layer {}", s.layer_name));
            layer = Some(s.layer_name.as_str());
        }
        if s.air_assist && e.air != Some(true) {
            e.raw("M8");
            e.air = Some(true);
        } else if !s.air_assist && e.air == Some(true) {
            e.raw("M9");
            e.air = Some(false);
        }
        let feed = if s.feed_mm_min.is_finite() {
            s.feed_mm_min.max(0.0)
        } else {
            0.0
        };
        for m in &block.moves {
            e.motion(m, s.laser_mode, feed, false);
        }
        if let Some(scan) = &block.scan {
            let at = e.at;
            // Rapids along the rows are hops over blanks; which axis that is depends on the
            // scan's direction (angled rows have no single axis: their rapids stay absolute).
            let a = scan.angle_deg.rem_euclid(180.0);
            e.row_axis = if a == 0.0 {
                Some(0)
            } else if a == 90.0 {
                Some(1)
            } else {
                None
            };
            scan.for_each_move(at, |m| e.motion(&m, s.laser_mode, feed, true));
            e.row_axis = None;
            if e.relative == Some(true) {
                e.raw("G90");
                e.relative = Some(false);
            }
        }
    }
    e.raw("M5");
    if e.air == Some(true) {
        e.raw("M9");
    }
    // Only if the job moved at all; the return line states G0 and both axes in full.
    if opts.return_to_origin && e.x.is_some() {
        e.move_to(Motion::Rapid, PointMm::new(0.0, 0.0), true, false);
    }
    e.program
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Motion {
    Rapid,
    Feed,
}

/// What GRBL's parser holds, as far as this program has set it; `None` is unknown.
/// Positions and feeds are integers in units of the last written decimal (µm by default), so
/// what is compared is exactly what is written.
struct Emitter {
    scale: f64,
    decimals: u32,
    s_max: u32,
    program: Program,
    motion: Option<Motion>,
    relative: Option<bool>,
    x: Option<i64>,
    y: Option<i64>,
    feed: Option<i64>,
    s: Option<u32>,
    spindle: Option<LaserMode>,
    air: Option<bool>,
    /// The last target asked for, unrounded (where scan rows continue from).
    at: PointMm,
    /// While writing scan rows: the axis they run along (0 = X, 1 = Y).
    row_axis: Option<u8>,
    /// Feed and S wanted by the next feed move.
    feed_mm_min: f64,
    s_value: u32,
}

impl Emitter {
    fn new(opts: &EmitOptions) -> Self {
        let decimals = u32::from(opts.max_decimals.min(6));
        Self {
            scale: 10f64.powi(decimals as i32),
            decimals,
            s_max: opts.s_max,
            program: Program::new(),
            motion: None,
            relative: None,
            x: None,
            y: None,
            feed: None,
            s: None,
            spindle: None,
            air: None,
            at: PointMm::default(),
            row_axis: None,
            feed_mm_min: 0.0,
            s_value: 0,
        }
    }

    /// `v` in output units; the saturating cast keeps absurd values finite (and refused later
    /// by preflight's work-area check).
    fn quantize(&self, v: f64) -> i64 {
        let r = v * self.scale;
        // Round half away from zero; the cast truncates (and saturates), with no libm call.
        (r + 0.5f64.copysign(r)) as i64
    }

    fn raw(&mut self, text: &str) {
        self.program.push_str_line(text);
    }

    fn comment(&mut self, text: &str) {
        // "; " takes two characters of the line.
        let text = sanitize_comment(text, MAX_LINE_CHARS - 2);
        self.program.push_str_line(&format!("; {text}"));
    }

    fn motion(&mut self, m: &Move, mode: LaserMode, feed: f64, relative: bool) {
        match *m {
            // Inside a scan row (already relative) a rapid along the row is a hop over a
            // blank: relative too. Anything else (a new row, a new stretch) is absolute.
            Move::Rapid { to } => {
                // Along the row: the other coordinate doesn't change.
                let along = match self.row_axis {
                    Some(0) => self.y == Some(self.quantize(to.y)),
                    Some(_) => self.x == Some(self.quantize(to.x)),
                    None => false,
                };
                let hop = relative && self.relative == Some(true) && along;
                self.move_to(Motion::Rapid, to, false, hop)
            }
            Move::Cut { to, power_pct } => {
                if self.spindle != Some(mode) {
                    self.raw(match mode {
                        LaserMode::Dynamic => "M4",
                        LaserMode::Constant => "M3",
                    });
                    self.spindle = Some(mode);
                }
                let pct = if power_pct.is_finite() {
                    power_pct.clamp(0.0, 100.0)
                } else {
                    0.0
                };
                // Saturating cast is fine: pct is clamped and s_max is u32.
                // pct is clamped to 0..=100, so this is positive: + 0.5 and truncate rounds.
                self.s_value = (pct / 100.0 * f64::from(self.s_max) + 0.5) as u32;
                self.feed_mm_min = feed;
                self.move_to(Motion::Feed, to, false, relative);
            }
        }
    }

    /// `force`: write the G word and both axes even if unchanged. `relative`: write the move
    /// as `G91` increments.
    fn move_to(&mut self, motion: Motion, to: PointMm, force: bool, relative: bool) {
        if !to.x.is_finite() || !to.y.is_finite() {
            return;
        }
        self.at = to;
        let (x, y) = (self.quantize(to.x), self.quantize(to.y));
        if self.x == Some(x) && self.y == Some(y) {
            return;
        }
        let relative = relative && self.x.is_some() && self.y.is_some();
        let decimals = self.decimals;
        // The program's text, taken to append this line while the state is updated.
        let mut line = std::mem::take(self.program.buf());
        if self.relative != Some(relative) {
            line.push_str(if relative { "G91" } else { "G90" });
            self.relative = Some(relative);
        }
        if force || self.motion != Some(motion) {
            line.push_str(match motion {
                Motion::Rapid => "G0",
                Motion::Feed => "G1",
            });
        }
        let (x0, y0) = (self.x.unwrap_or(0), self.y.unwrap_or(0));
        if force || self.x != Some(x) {
            line.push('X');
            write_fixed(&mut line, if relative { x - x0 } else { x }, decimals);
        }
        if force || self.y != Some(y) {
            line.push('Y');
            write_fixed(&mut line, if relative { y - y0 } else { y }, decimals);
        }
        if motion == Motion::Feed {
            let f = self.quantize(self.feed_mm_min);
            if self.feed != Some(f) {
                line.push('F');
                write_fixed(&mut line, f, decimals);
                self.feed = Some(f);
            }
            if self.s != Some(self.s_value) {
                line.push('S');
                write_fixed(&mut line, i64::from(self.s_value), 0);
                self.s = Some(self.s_value);
            }
        }
        *self.program.buf() = line;
        self.program.end_line();
        self.motion = Some(motion);
        self.x = Some(x);
        self.y = Some(y);
    }
}

/// Writes `units / 10^decimals` in the fewest characters GRBL reads back exactly: no
/// trailing zeros, no leading zero before the point (`.5`), never `-0`.
fn write_fixed(out: &mut String, units: i64, decimals: u32) {
    if units == 0 {
        out.push('0');
        return;
    }
    // Digits are written backwards from the end of a stack buffer.
    let mut buf = [0u8; 32];
    let mut at = buf.len();
    let mut v = units.unsigned_abs();
    let mut frac_digits = decimals;
    // Trailing zeros of the fraction are dropped, not written.
    while frac_digits > 0 && v.is_multiple_of(10) {
        v /= 10;
        frac_digits -= 1;
    }
    for _ in 0..frac_digits {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    if frac_digits > 0 {
        at -= 1;
        buf[at] = b'.';
    }
    while v > 0 {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    if units < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or("0"));
}

#[cfg(test)]
#[test]
fn fixed_point_numbers_are_shortest() {
    let f = |u: i64, d: u32| {
        let mut s = String::new();
        write_fixed(&mut s, u, d);
        s
    };
    assert_eq!(f(0, 3), "0");
    assert_eq!(f(1500, 3), "1.5");
    assert_eq!(f(100, 3), ".1");
    assert_eq!(f(-100, 3), "-.1");
    assert_eq!(f(-12345, 3), "-12.345");
    assert_eq!(f(3000000, 3), "3000");
    assert_eq!(f(1000, 0), "1000");
    assert_eq!(f(7, 3), ".007");
    assert_eq!(f(i64::MIN, 3), "-9223372036854775.808");
}

/// Printable ASCII only, minus GRBL's realtime characters `?`, `!`, `~` (each replaced by `_`),
/// at most `max_chars` characters.
pub fn sanitize_comment(text: &str, max_chars: usize) -> String {
    text.chars()
        .map(|c| {
            if (' '..='~').contains(&c) && !matches!(c, '?' | '!' | '~') {
                c
            } else {
                '_'
            }
        })
        .take(max_chars)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
#[path = "emit_tests.rs"]
mod tests;
