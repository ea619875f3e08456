//! Steps 3 and 4 of GRBL's `gc_execute_line`: validate the whole block, then update the
//! parser state and write the physical work (moves, syncs, spindle changes) as [`Step`]s
//! into the caller's reused [`Outcome`]. A block that fails validation returns its error code
//! and changes nothing.

// Axis loops index several parallel arrays (words, targets, offsets), as gcode.c does.
#![allow(clippy::needless_range_loop)]

use crate::settings::{N_AXIS, Settings};
use crate::words::*;

const MM_PER_INCH: f64 = 25.4;
const MAX_LINE_NUMBER: f64 = 10_000_000.0;
const N_COORDINATE_SYSTEM: usize = 6;

pub const E_TRAVEL_EXCEEDED: u8 = 15;
pub const E_INVALID_JOG: u8 = 16;
const E_UNDEFINED_FEED: u8 = 22;
const E_NO_AXIS_WORDS: u8 = 26;
const E_INVALID_LINE_NUMBER: u8 = 27;
const E_VALUE_WORD_MISSING: u8 = 28;
const E_UNSUPPORTED_COORD: u8 = 29;
const E_G53_MOTION: u8 = 30;
const E_AXIS_WORDS_EXIST: u8 = 31;
const E_NO_AXIS_IN_PLANE: u8 = 32;
const E_INVALID_TARGET: u8 = 33;
const E_ARC_RADIUS: u8 = 34;
const E_NO_OFFSETS_IN_PLANE: u8 = 35;
const E_UNUSED_WORDS: u8 = 36;
const E_G43_AXIS: u8 = 37;

/// The interpreter state (GRBL's `gc_state`).
#[derive(Debug, Clone)]
pub struct ParserState {
    pub modal: Modal,
    /// mm/min in G94, or the inverse-time value in G93.
    pub feed: f64,
    pub s: f64,
    pub tool: u8,
    pub line_number: f64,
    /// Parser position, machine mm (ahead of the real position while moves are queued).
    pub position: [f64; N_AXIS],
    /// Active work coordinate system offset (G54..G59 data).
    pub coord_system: [f64; N_AXIS],
    pub g92: [f64; N_AXIS],
    pub tlo: f64,
}

impl ParserState {
    /// GRBL's `gc_init`: everything zero, G54 loaded, position synced to `position`.
    pub fn new(persistent: &Persistent, position: [f64; N_AXIS]) -> Self {
        Self {
            modal: Modal::default(),
            feed: 0.0,
            s: 0.0,
            tool: 0,
            line_number: 0.0,
            position,
            coord_system: persistent.coord[0],
            g92: [0.0; N_AXIS],
            tlo: 0.0,
        }
    }

    /// The work coordinate offset (`WCO:`): WCS + G92 (+ TLO on Z).
    pub fn wco(&self) -> [f64; N_AXIS] {
        let mut w = [0.0; N_AXIS];
        for (i, v) in w.iter_mut().enumerate() {
            *v = self.coord_system[i] + self.g92[i];
        }
        w[2] += self.tlo;
        w
    }
}

/// Data GRBL keeps in EEPROM next to the settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Persistent {
    pub coord: [[f64; N_AXIS]; N_COORDINATE_SYSTEM],
    pub g28: [f64; N_AXIS],
    pub g30: [f64; N_AXIS],
    pub startup: [String; 2],
    pub build_info: String,
}

/// One linear move for the planner (GRBL's `mc_line` + `plan_line_data_t`).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLine {
    pub target: [f64; N_AXIS],
    /// mm/min, or 1/min when `inverse_time`.
    pub feed: f64,
    pub inverse_time: bool,
    pub rapid: bool,
    pub jog: bool,
    pub spindle: SpindleMode,
    /// Planner spindle speed: 0 for moves on which laser mode keeps the laser off.
    pub s: f64,
}

/// Physical work produced by a block, executed in order by the protocol runner.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Queue a move (waits for a free planner block; soft limits are checked here).
    Line(PlanLine),
    /// Queue a jog move; the state becomes Jog if Idle.
    Jog(PlanLine),
    /// Wait until the planner is empty and motion has stopped.
    Sync,
    /// Set the spindle/laser output (GRBL's `spindle_sync` after its buffer sync).
    Spindle {
        mode: SpindleMode,
        s: f64,
    },
    Coolant(bool),
    /// Dwell, seconds (after a sync).
    Dwell(f64),
    /// M0: feed hold until cycle start.
    Pause,
    /// M2/M30: spindle and coolant off, `[MSG:Pgm End]`.
    ProgramEnd,
}

/// What executing a block did: its steps, and whether the work coordinate offset changed.
/// Callers keep one and pass it to every [`execute`], which clears it first, so a program
/// of a million lines reuses one buffer of steps.
#[derive(Debug, Default)]
pub struct Outcome {
    pub steps: Vec<Step>,
    pub wco_changed: bool,
}

impl Outcome {
    fn clear(&mut self) {
        self.steps.clear();
        self.wco_changed = false;
    }
}

/// Settings a block needs.
pub struct Ctx<'a> {
    pub settings: &'a Settings,
    pub force_origin: bool,
    pub check_mode: bool,
}

/// True if the machine-space `target` lies outside the travel (GRBL's
/// `system_check_travel_limits`).
pub fn outside_travel(settings: &Settings, force_origin: bool, target: &[f64; N_AXIS]) -> bool {
    (0..N_AXIS).any(|i| {
        let travel = settings.max_travel_mm[i];
        if force_origin && settings.homing_dir_mask & (1 << i) != 0 {
            target[i] < 0.0 || target[i] > travel
        } else {
            target[i] > 0.0 || target[i] < -travel
        }
    })
}

/// Validates and executes one pre-filtered line (`line[start..]`) into `out` (cleared first;
/// left empty when the line is refused).
pub fn execute(
    line: &[u8],
    start: usize,
    jog: bool,
    gc: &mut ParserState,
    persistent: &mut Persistent,
    ctx: &Ctx<'_>,
    out: &mut Outcome,
) -> Result<(), u8> {
    out.clear();
    let mut b = parse_block(line, start, &gc.modal, jog)?;

    // [0] Implicit motion mode when axis words come without an axis command.
    if b.axis_words != 0 && b.axis_command == AxisCommand::None {
        b.axis_command = AxisCommand::MotionMode;
    }
    if b.value_words & W_N != 0 && b.n > MAX_LINE_NUMBER {
        return Err(E_INVALID_LINE_NUMBER);
    }
    // [2]/[3] Feed rate mode and feed rate.
    if jog {
        if b.value_words & W_F == 0 {
            return Err(E_UNDEFINED_FEED);
        }
        if b.modal.inches {
            b.f *= MM_PER_INCH;
        }
    } else if b.modal.inverse_time {
        if b.axis_command == AxisCommand::MotionMode
            && !matches!(b.modal.motion, Motion::None | Motion::Seek)
            && b.value_words & W_F == 0
        {
            return Err(E_UNDEFINED_FEED);
        }
    } else if !gc.modal.inverse_time {
        if b.value_words & W_F != 0 {
            if b.modal.inches {
                b.f *= MM_PER_INCH;
            }
        } else {
            b.f = gc.feed;
        }
    }
    // [4] Spindle speed.
    if b.value_words & W_S == 0 {
        b.s = gc.s;
    }
    // [10] Dwell needs P.
    if b.non_modal == NonModal::Dwell {
        if b.value_words & W_P == 0 {
            return Err(E_VALUE_WORD_MISSING);
        }
        b.value_words &= !W_P;
    }
    let (axis_0, axis_1, _) = b.modal.plane.axes();
    // [12] Units.
    if b.modal.inches {
        for i in 0..N_AXIS {
            if b.axis_words & (1 << i) != 0 {
                b.xyz[i] *= MM_PER_INCH;
            }
        }
    }
    // [14] G43.1 takes exactly the Z word.
    if b.axis_command == AxisCommand::ToolLengthOffset
        && b.modal.tlo_dynamic
        && b.axis_words != 1 << 2
    {
        return Err(E_G43_AXIS);
    }
    // [15] Coordinate system selection.
    let mut block_coord_system = gc.coord_system;
    if b.command_words & G_COORD != 0 {
        if b.modal.coord_select >= N_COORDINATE_SYSTEM {
            return Err(E_UNSUPPORTED_COORD);
        }
        if gc.modal.coord_select != b.modal.coord_select {
            block_coord_system = persistent.coord[b.modal.coord_select];
        }
    }
    // [19] Non-modal commands that use axis words.
    let mut coord_data_index = 0usize;
    match b.non_modal {
        NonModal::SetCoordData => {
            if b.axis_words == 0 {
                return Err(E_NO_AXIS_WORDS);
            }
            if b.value_words & (W_P | W_L) == 0 {
                return Err(E_VALUE_WORD_MISSING);
            }
            let p = b.p.trunc();
            if p > N_COORDINATE_SYSTEM as f64 {
                return Err(E_UNSUPPORTED_COORD);
            }
            if b.l != 20 && (b.l != 2 || b.value_words & W_R != 0) {
                return Err(E_UNSUPPORTED);
            }
            b.value_words &= !(W_L | W_P);
            coord_data_index = if p > 0.0 {
                p as usize - 1
            } else {
                b.modal.coord_select
            };
            b.ijk = persistent.coord[coord_data_index];
            for i in 0..N_AXIS {
                if b.axis_words & (1 << i) != 0 {
                    b.ijk[i] = if b.l == 20 {
                        let mut v = gc.position[i] - gc.g92[i] - b.xyz[i];
                        if i == 2 {
                            v -= gc.tlo;
                        }
                        v
                    } else {
                        b.xyz[i]
                    };
                }
            }
        }
        NonModal::SetOffset => {
            if b.axis_words == 0 {
                return Err(E_NO_AXIS_WORDS);
            }
            for i in 0..N_AXIS {
                b.xyz[i] = if b.axis_words & (1 << i) != 0 {
                    let mut v = gc.position[i] - block_coord_system[i] - b.xyz[i];
                    if i == 2 {
                        v -= gc.tlo;
                    }
                    v
                } else {
                    gc.g92[i]
                };
            }
        }
        _ => {
            if b.axis_command != AxisCommand::ToolLengthOffset && b.axis_words != 0 {
                for i in 0..N_AXIS {
                    if b.axis_words & (1 << i) == 0 {
                        b.xyz[i] = gc.position[i];
                    } else if b.non_modal != NonModal::AbsoluteOverride {
                        if b.modal.incremental {
                            b.xyz[i] += gc.position[i];
                        } else {
                            b.xyz[i] += block_coord_system[i] + gc.g92[i];
                            if i == 2 {
                                b.xyz[i] += gc.tlo;
                            }
                        }
                    }
                }
            }
            match b.non_modal {
                NonModal::GoHome0 | NonModal::GoHome1 => {
                    b.ijk = if b.non_modal == NonModal::GoHome0 {
                        persistent.g28
                    } else {
                        persistent.g30
                    };
                    if b.axis_words != 0 {
                        for i in 0..N_AXIS {
                            if b.axis_words & (1 << i) == 0 {
                                b.ijk[i] = gc.position[i];
                            }
                        }
                    } else {
                        b.axis_command = AxisCommand::None;
                    }
                }
                NonModal::AbsoluteOverride
                    if !matches!(b.modal.motion, Motion::Seek | Motion::Linear) =>
                {
                    return Err(E_G53_MOTION);
                }
                _ => {}
            }
        }
    }
    if b.axis_command == AxisCommand::None || b.axis_words == 0 {
        // Targets of axis-less blocks stay at the parser position.
        if b.non_modal != NonModal::SetOffset && b.non_modal != NonModal::SetCoordData {
            b.xyz = gc.position;
        }
    }
    // [20] Motion modes.
    let mut arc_radius = 0.0;
    if b.modal.motion == Motion::None {
        if b.axis_words != 0 {
            return Err(E_AXIS_WORDS_EXIST);
        }
    } else if b.axis_command == AxisCommand::MotionMode {
        if b.modal.motion == Motion::Seek {
            if b.axis_words == 0 {
                b.axis_command = AxisCommand::None;
            }
        } else {
            if b.f == 0.0 {
                return Err(E_UNDEFINED_FEED);
            }
            match b.modal.motion {
                Motion::Linear if b.axis_words == 0 => b.axis_command = AxisCommand::None,
                Motion::CwArc | Motion::CcwArc => {
                    arc_radius = validate_arc(&mut b, gc, axis_0, axis_1)?;
                }
                _ => {}
            }
        }
    }
    // [0] Leftover words.
    if jog {
        b.value_words &= !(W_N | W_F);
    } else {
        b.value_words &= !(W_N | W_F | W_S | W_T);
    }
    if b.axis_command != AxisCommand::None {
        b.value_words &= !(W_X | W_Y | W_Z);
    }
    if b.value_words != 0 {
        return Err(E_UNUSED_WORDS);
    }

    // STEP 4: execute.
    if jog {
        return execute_jog(&b, gc, ctx, out);
    }
    crate::exec::execute_block(
        b,
        gc,
        persistent,
        ctx,
        coord_data_index,
        block_coord_system,
        arc_radius,
        out,
    );
    Ok(())
}

/// Arc checks of step 3 [20]; computes the centre offset into `b.ijk` and returns the radius.
fn validate_arc(b: &mut Block, gc: &ParserState, axis_0: usize, axis_1: usize) -> Result<f64, u8> {
    if b.axis_words == 0 {
        return Err(E_NO_AXIS_WORDS);
    }
    if b.axis_words & ((1 << axis_0) | (1 << axis_1)) == 0 {
        return Err(E_NO_AXIS_IN_PLANE);
    }
    let mut x = b.xyz[axis_0] - gc.position[axis_0];
    let mut y = b.xyz[axis_1] - gc.position[axis_1];
    if b.value_words & W_R != 0 {
        b.value_words &= !W_R;
        if gc.position == b.xyz {
            return Err(E_INVALID_TARGET);
        }
        if b.modal.inches {
            b.r *= MM_PER_INCH;
        }
        let h2 = 4.0 * b.r * b.r - x * x - y * y;
        if h2 < 0.0 {
            return Err(E_ARC_RADIUS);
        }
        let mut h_x2_div_d = -h2.sqrt() / x.hypot(y);
        if b.modal.motion == Motion::CcwArc {
            h_x2_div_d = -h_x2_div_d;
        }
        if b.r < 0.0 {
            h_x2_div_d = -h_x2_div_d;
            b.r = -b.r;
        }
        b.ijk[axis_0] = 0.5 * (x - y * h_x2_div_d);
        b.ijk[axis_1] = 0.5 * (y + x * h_x2_div_d);
        Ok(b.r)
    } else {
        if b.ijk_words & ((1 << axis_0) | (1 << axis_1)) == 0 {
            return Err(E_NO_OFFSETS_IN_PLANE);
        }
        b.value_words &= !(W_I | W_J | W_K);
        if b.modal.inches {
            for i in 0..N_AXIS {
                if b.ijk_words & (1 << i) != 0 {
                    b.ijk[i] *= MM_PER_INCH;
                }
            }
        }
        x -= b.ijk[axis_0];
        y -= b.ijk[axis_1];
        let target_r = x.hypot(y);
        let r = b.ijk[axis_0].hypot(b.ijk[axis_1]);
        let delta_r = (target_r - r).abs();
        if delta_r > 0.005 && (delta_r > 0.5 || delta_r > 0.001 * r) {
            return Err(E_INVALID_TARGET);
        }
        Ok(r)
    }
}

fn execute_jog(
    b: &Block,
    gc: &mut ParserState,
    ctx: &Ctx<'_>,
    out: &mut Outcome,
) -> Result<(), u8> {
    if b.command_words & !(G_DISTANCE | G_UNITS | G_NON_MODAL) != 0 {
        return Err(E_INVALID_JOG);
    }
    if !matches!(b.non_modal, NonModal::AbsoluteOverride | NonModal::None) {
        return Err(E_INVALID_JOG);
    }
    if b.axis_words == 0 {
        // GRBL's docs require an axis word; a jog without one would target the parser position.
        return Err(E_INVALID_JOG);
    }
    if ctx.settings.soft_limits && outside_travel(ctx.settings, ctx.force_origin, &b.xyz) {
        return Err(E_TRAVEL_EXCEEDED);
    }
    // Jogs inherit spindle state and power; per GRBL.md the laser can only be lit in G1/G2/G3.
    let s = if !ctx.settings.laser_mode || gc.modal.motion.is_feed() {
        gc.s
    } else {
        0.0
    };
    let line = PlanLine {
        target: b.xyz,
        feed: b.f,
        inverse_time: false,
        rapid: false,
        jog: true,
        spindle: gc.modal.spindle,
        s,
    };
    gc.position = b.xyz;
    out.steps.push(Step::Jog(line));
    Ok(())
}
