//! Step 2 of GRBL's `gc_execute_line`: import the words of a block, checking letters,
//! numbers, modal group conflicts and repeated words. No state changes happen here.

use crate::settings::N_AXIS;

// Numbers have their own module; `words::read_float` stays its public path.
pub use crate::number::read_float;

pub const E_EXPECTED_LETTER: u8 = 1;
pub const E_BAD_NUMBER: u8 = 2;
pub const E_NEGATIVE: u8 = 4;
pub const E_UNSUPPORTED: u8 = 20;
pub const E_MODAL_GROUP: u8 = 21;
pub const E_NOT_INTEGER: u8 = 23;
pub const E_AXIS_CONFLICT: u8 = 24;
pub const E_WORD_REPEATED: u8 = 25;
pub const E_MAX_VALUE: u8 = 38;

/// Motion modes (modal group 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    Seek,
    Linear,
    CwArc,
    CcwArc,
    None,
}

impl Motion {
    /// True for the modes in which a laser may be lit (G1, G2, G3).
    pub fn is_feed(self) -> bool {
        matches!(self, Motion::Linear | Motion::CwArc | Motion::CcwArc)
    }
}

/// Plane selection (G17/G18/G19) as (axis_0, axis_1, axis_linear).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plane {
    Xy,
    Zx,
    Yz,
}

impl Plane {
    pub fn axes(self) -> (usize, usize, usize) {
        match self {
            Plane::Xy => (0, 1, 2),
            Plane::Zx => (2, 0, 1),
            Plane::Yz => (1, 2, 0),
        }
    }
}

/// Spindle / laser direction state (M3/M4/M5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpindleMode {
    /// M5.
    #[default]
    Off,
    /// M3: constant power in laser mode.
    Cw,
    /// M4: dynamic (speed-scaled) power in laser mode.
    Ccw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramFlow {
    Running,
    Paused,
    Completed,
}

/// Non-modal commands (group 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonModal {
    None,
    Dwell,
    SetCoordData,
    GoHome0,
    SetHome0,
    GoHome1,
    SetHome1,
    AbsoluteOverride,
    SetOffset,
    ResetOffset,
}

/// Which command consumes the axis words of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisCommand {
    None,
    NonModal,
    MotionMode,
    ToolLengthOffset,
}

/// The modal state of the parser (the part a block may change).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Modal {
    pub motion: Motion,
    pub inverse_time: bool,
    pub inches: bool,
    pub incremental: bool,
    pub plane: Plane,
    pub coord_select: usize,
    pub spindle: SpindleMode,
    pub coolant_flood: bool,
    pub program_flow: ProgramFlow,
    /// G43.1 active (else G49).
    pub tlo_dynamic: bool,
}

impl Default for Modal {
    /// GRBL's power-up modes: G0 G54 G17 G21 G90 G94 M5 M9.
    fn default() -> Self {
        Self {
            motion: Motion::Seek,
            inverse_time: false,
            inches: false,
            incremental: false,
            plane: Plane::Xy,
            coord_select: 0,
            spindle: SpindleMode::Off,
            coolant_flood: false,
            program_flow: ProgramFlow::Running,
            tlo_dynamic: false,
        }
    }
}

// Value word bits.
pub const W_F: u16 = 1 << 0;
pub const W_I: u16 = 1 << 1;
pub const W_J: u16 = 1 << 2;
pub const W_K: u16 = 1 << 3;
pub const W_L: u16 = 1 << 4;
pub const W_N: u16 = 1 << 5;
pub const W_P: u16 = 1 << 6;
pub const W_R: u16 = 1 << 7;
pub const W_S: u16 = 1 << 8;
pub const W_T: u16 = 1 << 9;
pub const W_X: u16 = 1 << 10;
pub const W_Y: u16 = 1 << 11;
pub const W_Z: u16 = 1 << 12;

// Modal group bits.
pub const G_NON_MODAL: u16 = 1 << 0;
pub const G_MOTION: u16 = 1 << 1;
pub const G_PLANE: u16 = 1 << 2;
pub const G_DISTANCE: u16 = 1 << 3;
pub const G_ARC_DISTANCE: u16 = 1 << 4;
pub const G_FEED_MODE: u16 = 1 << 5;
pub const G_UNITS: u16 = 1 << 6;
pub const G_CUTTER: u16 = 1 << 7;
pub const G_TLO: u16 = 1 << 8;
pub const G_COORD: u16 = 1 << 9;
pub const G_CONTROL: u16 = 1 << 10;
pub const M_FLOW: u16 = 1 << 11;
pub const M_SPINDLE: u16 = 1 << 12;
pub const M_COOLANT: u16 = 1 << 13;

/// One parsed block (GRBL's `parser_block_t`) before validation.
#[derive(Debug, Clone)]
pub struct Block {
    pub modal: Modal,
    pub non_modal: NonModal,
    pub axis_command: AxisCommand,
    pub command_words: u16,
    pub value_words: u16,
    pub axis_words: u8,
    pub ijk_words: u8,
    pub f: f64,
    pub ijk: [f64; N_AXIS],
    pub l: u8,
    pub n: f64,
    pub p: f64,
    pub r: f64,
    pub s: f64,
    pub t: u8,
    pub xyz: [f64; N_AXIS],
}

/// Parses the words of `line` (already pre-filtered) starting at `start`.
pub fn parse_block(line: &[u8], start: usize, state: &Modal, jog: bool) -> Result<Block, u8> {
    let mut b = Block {
        modal: *state,
        non_modal: NonModal::None,
        axis_command: AxisCommand::None,
        command_words: 0,
        value_words: 0,
        axis_words: 0,
        ijk_words: 0,
        f: 0.0,
        ijk: [0.0; N_AXIS],
        l: 0,
        n: 0.0,
        p: 0.0,
        r: 0.0,
        s: 0.0,
        t: 0,
        xyz: [0.0; N_AXIS],
    };
    if jog {
        b.modal.motion = Motion::Linear;
        b.modal.inverse_time = false;
    }
    let mut i = start;
    while i < line.len() {
        let letter = line[i];
        if !letter.is_ascii_uppercase() {
            return Err(E_EXPECTED_LETTER);
        }
        i += 1;
        let value = read_float(line, &mut i).ok_or(E_BAD_NUMBER)?;
        // GRBL: int_value = trunc(value) as uint8; mantissa = round(100 * fraction). Only
        // commands read them, so value words (most words) skip the two libm calls.
        let command = |value: f64| {
            let int_value = value.trunc();
            (int_value, (100.0 * (value - int_value)).round() as i32)
        };
        match letter {
            b'G' => {
                let (int_value, mantissa) = command(value);
                parse_g(&mut b, int_value, mantissa)?
            }
            b'M' => {
                let (int_value, mantissa) = command(value);
                parse_m(&mut b, int_value, mantissa)?
            }
            _ => parse_value(&mut b, letter, value)?,
        }
    }
    Ok(b)
}

fn parse_g(b: &mut Block, int_value: f64, mut mantissa: i32) -> Result<(), u8> {
    if !(0.0..=255.0).contains(&int_value) {
        return Err(E_UNSUPPORTED);
    }
    let g = int_value as u8;
    let group = match g {
        10 | 28 | 30 | 92 | 4 | 53 => {
            if matches!(g, 10 | 28 | 30 | 92) && mantissa == 0 {
                if b.axis_command != AxisCommand::None {
                    return Err(E_AXIS_CONFLICT);
                }
                b.axis_command = AxisCommand::NonModal;
            }
            b.non_modal = match g {
                4 => NonModal::Dwell,
                53 => NonModal::AbsoluteOverride,
                10 => NonModal::SetCoordData,
                _ => {
                    let base = match (g, mantissa) {
                        (28, 0) => NonModal::GoHome0,
                        (28, 10) => NonModal::SetHome0,
                        (30, 0) => NonModal::GoHome1,
                        (30, 10) => NonModal::SetHome1,
                        (92, 0) => NonModal::SetOffset,
                        (92, 10) => NonModal::ResetOffset,
                        _ => return Err(E_UNSUPPORTED),
                    };
                    mantissa = 0;
                    base
                }
            };
            G_NON_MODAL
        }
        0..=3 => {
            if b.axis_command != AxisCommand::None {
                return Err(E_AXIS_CONFLICT);
            }
            b.axis_command = AxisCommand::MotionMode;
            b.modal.motion =
                [Motion::Seek, Motion::Linear, Motion::CwArc, Motion::CcwArc][g as usize];
            G_MOTION
        }
        80 => {
            b.modal.motion = Motion::None;
            G_MOTION
        }
        17..=19 => {
            b.modal.plane = [Plane::Xy, Plane::Zx, Plane::Yz][(g - 17) as usize];
            G_PLANE
        }
        90 | 91 => {
            if mantissa == 0 {
                b.modal.incremental = g == 91;
                G_DISTANCE
            } else {
                if mantissa != 10 || g == 90 {
                    return Err(E_UNSUPPORTED);
                }
                mantissa = 0;
                G_ARC_DISTANCE
            }
        }
        93 | 94 => {
            b.modal.inverse_time = g == 93;
            G_FEED_MODE
        }
        20 | 21 => {
            b.modal.inches = g == 20;
            G_UNITS
        }
        40 => G_CUTTER,
        43 | 49 => {
            if b.axis_command != AxisCommand::None {
                return Err(E_AXIS_CONFLICT);
            }
            b.axis_command = AxisCommand::ToolLengthOffset;
            if g == 49 {
                b.modal.tlo_dynamic = false;
            } else if mantissa == 10 {
                b.modal.tlo_dynamic = true;
            } else {
                return Err(E_UNSUPPORTED);
            }
            mantissa = 0;
            G_TLO
        }
        54..=59 => {
            b.modal.coord_select = (g - 54) as usize;
            G_COORD
        }
        61 => {
            if mantissa != 0 {
                return Err(E_UNSUPPORTED);
            }
            G_CONTROL
        }
        // G38.x probing is not simulated (no probe input).
        _ => return Err(E_UNSUPPORTED),
    };
    if mantissa > 0 {
        return Err(E_NOT_INTEGER);
    }
    if b.command_words & group != 0 {
        return Err(E_MODAL_GROUP);
    }
    b.command_words |= group;
    Ok(())
}

fn parse_m(b: &mut Block, int_value: f64, mantissa: i32) -> Result<(), u8> {
    if mantissa > 0 {
        return Err(E_NOT_INTEGER);
    }
    let group = match int_value as i64 {
        0 => {
            b.modal.program_flow = ProgramFlow::Paused;
            M_FLOW
        }
        1 => M_FLOW, // Optional stop: ignored, like GRBL.
        2 | 30 => {
            b.modal.program_flow = ProgramFlow::Completed;
            M_FLOW
        }
        3 => {
            b.modal.spindle = SpindleMode::Cw;
            M_SPINDLE
        }
        4 => {
            b.modal.spindle = SpindleMode::Ccw;
            M_SPINDLE
        }
        5 => {
            b.modal.spindle = SpindleMode::Off;
            M_SPINDLE
        }
        8 => {
            b.modal.coolant_flood = true;
            M_COOLANT
        }
        9 => {
            b.modal.coolant_flood = false;
            M_COOLANT
        }
        _ => return Err(E_UNSUPPORTED),
    };
    if b.command_words & group != 0 {
        return Err(E_MODAL_GROUP);
    }
    b.command_words |= group;
    Ok(())
}

fn parse_value(b: &mut Block, letter: u8, value: f64) -> Result<(), u8> {
    // L and T are small integers (GRBL's uint8 cast, clamped here).
    let int_u8 = || value.trunc().clamp(0.0, 255.0) as u8;
    let bit = match letter {
        b'F' => {
            b.f = value;
            W_F
        }
        b'I' | b'J' | b'K' => {
            let axis = (letter - b'I') as usize;
            b.ijk[axis] = value;
            b.ijk_words |= 1 << axis;
            [W_I, W_J, W_K][axis]
        }
        b'L' => {
            b.l = int_u8();
            W_L
        }
        b'N' => {
            b.n = value.trunc();
            W_N
        }
        b'P' => {
            b.p = value;
            W_P
        }
        b'R' => {
            b.r = value;
            W_R
        }
        b'S' => {
            b.s = value;
            W_S
        }
        b'T' => {
            if value > 255.0 {
                return Err(E_MAX_VALUE);
            }
            b.t = int_u8();
            W_T
        }
        b'X' | b'Y' | b'Z' => {
            let axis = (letter - b'X') as usize;
            b.xyz[axis] = value;
            b.axis_words |= 1 << axis;
            [W_X, W_Y, W_Z][axis]
        }
        _ => return Err(E_UNSUPPORTED),
    };
    if b.value_words & bit != 0 {
        return Err(E_WORD_REPEATED);
    }
    if bit & (W_F | W_N | W_P | W_T | W_S) != 0 && value < 0.0 {
        return Err(E_NEGATIVE);
    }
    b.value_words |= bit;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Block, u8> {
        parse_block(s.as_bytes(), 0, &Modal::default(), false)
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse("%").err(), Some(E_EXPECTED_LETTER));
        assert_eq!(parse("X").err(), Some(E_BAD_NUMBER));
        assert_eq!(parse("G99").err(), Some(E_UNSUPPORTED));
        assert_eq!(parse("Q1").err(), Some(E_UNSUPPORTED));
        assert_eq!(parse("G90G91").err(), Some(E_MODAL_GROUP));
        assert_eq!(parse("G59.1").err(), Some(E_NOT_INTEGER));
        assert_eq!(parse("G0G1X1").err(), Some(E_AXIS_CONFLICT));
        assert_eq!(parse("X1X2").err(), Some(E_WORD_REPEATED));
        assert_eq!(parse("F-1").err(), Some(E_NEGATIVE));
        assert_eq!(parse("T256").err(), Some(E_MAX_VALUE));
        assert!(parse("G1X1.5Y-2F100S10M4").is_ok());
    }
}
