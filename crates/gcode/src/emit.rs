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

use crate::ast::{Line, Program, Word};

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
pub fn emit(toolpath: &Toolpath, opts: &EmitOptions) -> Program {
    let mut e = Emitter::new(opts);
    e.push(vec![Word::new('G', 21.0), Word::new('G', 90.0)]);
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
            e.push(vec![Word::new('M', 8.0)]);
            e.air = Some(true);
        } else if !s.air_assist && e.air == Some(true) {
            e.push(vec![Word::new('M', 9.0)]);
            e.air = Some(false);
        }
        let feed = if s.feed_mm_min.is_finite() {
            s.feed_mm_min.max(0.0)
        } else {
            0.0
        };
        for m in &block.moves {
            match *m {
                Move::Rapid { to } => e.move_to(Motion::Rapid, to, false),
                Move::Cut { to, power_pct } => {
                    if e.spindle != Some(s.laser_mode) {
                        let code = match s.laser_mode {
                            LaserMode::Dynamic => 4.0,
                            LaserMode::Constant => 3.0,
                        };
                        e.push(vec![Word::new('M', code)]);
                        e.spindle = Some(s.laser_mode);
                    }
                    let pct = if power_pct.is_finite() {
                        power_pct.clamp(0.0, 100.0)
                    } else {
                        0.0
                    };
                    // Saturating cast is fine: pct is clamped and s_max is u32.
                    let s_value = (pct / 100.0 * f64::from(opts.s_max)).round() as u32;
                    e.feed_mm_min = feed;
                    e.s_value = s_value;
                    e.move_to(Motion::Feed, to, false);
                }
            }
        }
    }
    e.push(vec![Word::new('M', 5.0)]);
    if e.air == Some(true) {
        e.push(vec![Word::new('M', 9.0)]);
    }
    // Only if the job moved at all; the return line states G0 and both axes in full.
    if opts.return_to_origin && e.x.is_some() {
        e.move_to(Motion::Rapid, PointMm::new(0.0, 0.0), true);
    }
    Program { lines: e.lines }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Motion {
    Rapid,
    Feed,
}

/// What GRBL's parser holds, as far as this program has set it; `None` is unknown.
struct Emitter {
    scale: f64,
    lines: Vec<Line>,
    motion: Option<Motion>,
    x: Option<f64>,
    y: Option<f64>,
    feed: Option<f64>,
    s: Option<u32>,
    spindle: Option<LaserMode>,
    air: Option<bool>,
    /// Feed and S wanted by the next feed move.
    feed_mm_min: f64,
    s_value: u32,
}

impl Emitter {
    fn new(opts: &EmitOptions) -> Self {
        Self {
            scale: 10f64.powi(i32::from(opts.max_decimals.min(6))),
            lines: Vec::new(),
            motion: None,
            x: None,
            y: None,
            feed: None,
            s: None,
            spindle: None,
            air: None,
            feed_mm_min: 0.0,
            s_value: 0,
        }
    }

    fn round(&self, v: f64) -> f64 {
        let r = (v * self.scale).round() / self.scale;
        // Rounding +-0.0004 gives -0; make it a plain 0 so state compares and prints cleanly.
        if r == 0.0 { 0.0 } else { r }
    }

    fn push(&mut self, words: Vec<Word>) {
        let n = self.lines.len() + 1;
        self.lines.push(Line::block(n, words));
    }

    fn comment(&mut self, text: &str) {
        let n = self.lines.len() + 1;
        // "; " takes two characters of the line.
        let text = sanitize_comment(text, MAX_LINE_CHARS - 2);
        self.lines.push(Line::comment_only(n, text));
    }

    /// `force`: write the G word and both axes even if unchanged.
    fn move_to(&mut self, motion: Motion, to: PointMm, force: bool) {
        if !to.x.is_finite() || !to.y.is_finite() {
            return;
        }
        let (x, y) = (self.round(to.x), self.round(to.y));
        if self.x == Some(x) && self.y == Some(y) {
            return;
        }
        let mut words = Vec::with_capacity(5);
        if force || self.motion != Some(motion) {
            let g = match motion {
                Motion::Rapid => 0.0,
                Motion::Feed => 1.0,
            };
            words.push(Word::new('G', g));
        }
        if force || self.x != Some(x) {
            words.push(Word::new('X', x));
        }
        if force || self.y != Some(y) {
            words.push(Word::new('Y', y));
        }
        if motion == Motion::Feed {
            let f = self.round(self.feed_mm_min);
            if self.feed != Some(f) {
                words.push(Word::new('F', f));
                self.feed = Some(f);
            }
            if self.s != Some(self.s_value) {
                words.push(Word::new('S', f64::from(self.s_value)));
                self.s = Some(self.s_value);
            }
        }
        self.push(words);
        self.motion = Some(motion);
        self.x = Some(x);
        self.y = Some(y);
    }
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
