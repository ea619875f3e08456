//! Every line GRBL 1.1 (and grblHAL's compatible subset) sends, as data.
//!
//! [`parse`] never fails: anything it does not recognise, including garbled bytes and invalid
//! UTF-8, becomes [`Message::Unknown`] so a noisy serial line can never take the host down.

mod parser;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use parser::{parse, parse_str};

/// Most axes a position can carry (GRBL has 3; grblHAL builds go up to 6).
pub const MAX_AXES: usize = 6;

/// A position or offset as reported by GRBL: 1 to [`MAX_AXES`] values in report units
/// (mm, or inches when `$13=1`), X first.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Axes {
    values: [f64; MAX_AXES],
    len: u8,
}

impl Axes {
    /// Axes from a slice; `None` if it is empty or longer than [`MAX_AXES`].
    pub fn from_slice(values: &[f64]) -> Option<Self> {
        if values.is_empty() || values.len() > MAX_AXES {
            return None;
        }
        let mut out = [0.0; MAX_AXES];
        out[..values.len()].copy_from_slice(values);
        Some(Self {
            values: out,
            len: values.len() as u8,
        })
    }

    /// Three-axis position.
    pub fn xyz(x: f64, y: f64, z: f64) -> Self {
        Self {
            values: [x, y, z, 0.0, 0.0, 0.0],
            len: 3,
        }
    }

    /// The values actually reported.
    pub fn as_slice(&self) -> &[f64] {
        &self.values[..usize::from(self.len)]
    }

    /// Number of axes reported.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always false: an `Axes` holds at least one value.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// X value.
    pub fn x(&self) -> f64 {
        self.values[0]
    }

    /// Y value (0 if not reported).
    pub fn y(&self) -> f64 {
        self.values[1]
    }

    /// Z value (0 if not reported).
    pub fn z(&self) -> f64 {
        self.values[2]
    }

    /// Element-wise `self - other` over the axes `self` has (missing axes of `other` count as 0).
    pub fn minus(&self, other: &Axes) -> Axes {
        let mut out = *self;
        for (a, b) in out.values.iter_mut().zip(other.values.iter()) {
            *a -= b;
        }
        out
    }

    /// Element-wise `self + other` over the axes `self` has (missing axes of `other` count as 0).
    pub fn plus(&self, other: &Axes) -> Axes {
        let mut out = *self;
        for (a, b) in out.values.iter_mut().zip(other.values.iter()) {
            *a += b;
        }
        out
    }
}

/// Machine state from the first field of a status report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Idle,
    Run,
    /// `Hold:0` = hold complete, ready to resume; `Hold:1` = still decelerating (a reset now
    /// raises an alarm). A bare `Hold` is read as 1, the conservative choice.
    Hold(u8),
    Jog,
    Alarm,
    /// `Door:0` closed and ready, `1` stopped with the door open, `2` stopping, `3` resuming.
    Door(u8),
    Check,
    Home,
    Sleep,
    /// A state name this crate does not know (grblHAL's `Tool`, forks), kept verbatim.
    Other(String),
}

impl State {
    /// True if the machine may be moving (or about to move) in this state.
    pub fn is_moving(&self) -> bool {
        matches!(self, State::Run | State::Jog | State::Home)
            || matches!(self, State::Hold(n) if *n != 0)
            || matches!(self, State::Door(n) if *n >= 2)
    }
}

/// Which coordinates the report's position is in (`$10` bit 0 chooses).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ReportedPosition {
    /// `MPos:` machine position.
    Machine(Axes),
    /// `WPos:` work position (= MPos - WCO).
    Work(Axes),
}

/// `FS:feed,speed` or `F:feed`: the actual (not programmed) feed and spindle/laser value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FeedSpeed {
    /// Current feed in mm/min (in/min with `$13=1`).
    pub feed: f64,
    /// Current spindle/laser S value; `None` for `F:` (builds without variable spindle).
    pub speed: Option<f64>,
}

/// `Bf:blocks,bytes`: free planner blocks and free serial RX bytes (diagnostic, stale on arrival).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BufferState {
    /// Free planner blocks (15 when empty on a default build).
    pub planner_blocks_free: u16,
    /// Free bytes in the serial receive buffer (128 when empty on a default build).
    pub rx_bytes_free: u32,
}

/// `Ov:feed,rapid,spindle` override percentages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overrides {
    /// Feed override, % (10..=200).
    pub feed_pct: u16,
    /// Rapid override, % (25, 50 or 100).
    pub rapid_pct: u16,
    /// Spindle (laser power) override, % (10..=200).
    pub spindle_pct: u16,
}

impl Default for Overrides {
    fn default() -> Self {
        Self {
            feed_pct: 100,
            rapid_pct: 100,
            spindle_pct: 100,
        }
    }
}

/// A set of single-letter flags, as in `Pn:XYP` or `A:SF`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letters(pub String);

impl Letters {
    /// True if `letter` is present.
    pub fn has(&self, letter: char) -> bool {
        self.0.contains(letter)
    }

    /// True if no letter is present.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A `<...>` status report. Every field but the state is optional and parsed by its prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    pub state: State,
    /// `MPos:` or `WPos:`.
    pub position: Option<ReportedPosition>,
    /// `WCO:` work coordinate offset, sent only now and then: remember the last one.
    pub wco: Option<Axes>,
    /// `FS:` or `F:`.
    pub feed_speed: Option<FeedSpeed>,
    /// `Bf:` (only with `$10` bit 1).
    pub buffer: Option<BufferState>,
    /// `Ln:` line number being executed (line-number builds only).
    pub line_number: Option<u32>,
    /// `Ov:`.
    pub overrides: Option<Overrides>,
    /// `Pn:` triggered input pins; `None` when absent (= nothing triggered).
    pub pins: Option<Letters>,
    /// `A:` accessories (S spindle CW, C CCW, F flood, M mist). Sent only with `Ov:`.
    pub accessories: Option<Letters>,
    /// Fields this crate does not know, or could not read, as (name, value), in order.
    pub other: Vec<(String, String)>,
}

impl StatusReport {
    /// A report with only a state, every optional field absent.
    pub fn new(state: State) -> Self {
        Self {
            state,
            position: None,
            wco: None,
            feed_speed: None,
            buffer: None,
            line_number: None,
            overrides: None,
            pins: None,
            accessories: None,
            other: Vec::new(),
        }
    }
}

/// One modal word from a `[GC:...]` report, e.g. `G54` or `F500`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModalWord {
    /// Upper-case word letter.
    pub letter: char,
    /// Its value (`G38.2` has 38.2).
    pub value: f64,
}

/// Parser modal state from `$G` (`[GC:G0 G54 G17 G21 G90 G94 M5 M9 T0 F0 S0]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModalState {
    pub words: Vec<ModalWord>,
}

impl ModalState {
    /// True if the word `letter value` is present, e.g. `has('G', 21.0)`.
    pub fn has(&self, letter: char, value: f64) -> bool {
        self.words
            .iter()
            .any(|w| w.letter == letter && (w.value - value).abs() < 1e-6)
    }

    /// Value of the first word with `letter` (useful for F, S, T).
    pub fn value(&self, letter: char) -> Option<f64> {
        self.words
            .iter()
            .find(|w| w.letter == letter)
            .map(|w| w.value)
    }
}

/// Which firmware printed the banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Firmware {
    /// `Grbl 1.1h ['$' for help]`
    Grbl,
    /// `GrblHAL 1.1f ['$' or '$HELP' for help]`
    GrblHal,
}

/// `[OPT:codes,blocks,rx]` build options from `$I`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildOptions {
    /// Option letters, e.g. `V` (variable spindle), `N` (line numbers).
    pub codes: String,
    /// Usable planner blocks (15 on a default build).
    pub planner_blocks: u16,
    /// Serial receive buffer, bytes (128 on a default build).
    pub rx_buffer_bytes: u32,
    /// Further comma-separated fields some forks add, verbatim (empty for GRBL 1.1).
    pub extra: String,
}

/// Offset tables reported by `$#`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CoordSystem {
    G54,
    G55,
    G56,
    G57,
    G58,
    G59,
    G28,
    G30,
    G92,
}

/// One parsed line from GRBL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Message {
    /// `ok`: the oldest line was accepted.
    Ok,
    /// `error:N`: the oldest line was thrown away.
    Error(u16),
    /// `ALARM:N`.
    Alarm(u16),
    /// `<...>` status report.
    Status(Box<StatusReport>),
    /// `[MSG:...]` feedback text.
    Msg(String),
    /// `[GC:...]` parser modal state.
    Modal(ModalState),
    /// `[HLP:...]` help text.
    Help(String),
    /// `[VER:1.1h.20190830:info]`.
    Version {
        /// Version, e.g. `1.1h`.
        version: String,
        /// Build date, e.g. `20190830`, if present.
        build: Option<String>,
        /// User build-info string (`$I=`), possibly empty.
        info: String,
    },
    /// `[OPT:...]`.
    Options(BuildOptions),
    /// `[PRB:x,y,z:0|1]`: last probe position and whether it succeeded.
    Probe { position: Axes, success: bool },
    /// `[G54:..]` .. `[G59:..]`, `[G28:..]`, `[G30:..]`, `[G92:..]`.
    Offset { system: CoordSystem, offset: Axes },
    /// `[TLO:z]` tool length offset.
    ToolLengthOffset(f64),
    /// `[echo:...]` pre-filtered echo of a received line.
    Echo(String),
    /// `$n=value` from `$$`.
    Setting { number: u16, value: String },
    /// `$Nx=line` from `$N`.
    StartupLine { index: u8, line: String },
    /// `>line:ok` / `>line:error:N`: a startup line ran after the banner.
    StartupResult {
        line: String,
        /// `None` for `ok`, `Some(N)` for `error:N`.
        error: Option<u16>,
    },
    /// Start-up banner: printed at power-up and after every soft reset.
    Banner { firmware: Firmware, version: String },
    /// Anything else, as (lossy UTF-8) text with the line ending removed.
    Unknown(String),
}

impl Message {
    /// True for `ok` and `error:N`, the only lines that acknowledge a sent line.
    pub fn is_response(&self) -> bool {
        matches!(self, Message::Ok | Message::Error(_))
    }
}
