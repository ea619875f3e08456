//! GRBL 1.1 realtime command bytes: acted on as soon as they arrive, never buffered,
//! never acknowledged, need no newline.

/// Ctrl-X: soft reset. Stops at once, laser and coolant off, flushes every buffer.
pub const SOFT_RESET: u8 = 0x18;
/// `?`: queue one status report.
pub const STATUS_REPORT: u8 = b'?';
/// `~`: cycle start / resume from hold, M0 or a closed door.
pub const CYCLE_START: u8 = b'~';
/// `!`: feed hold (decelerate to a stop). Does not switch the laser off by itself.
pub const FEED_HOLD: u8 = b'!';
/// Safety door: hold, spindle and coolant off.
pub const SAFETY_DOOR: u8 = 0x84;
/// Jog cancel: only acts in the Jog state.
pub const JOG_CANCEL: u8 = 0x85;
/// Debug report (debug builds only).
pub const DEBUG_REPORT: u8 = 0x86;
/// Feed override: back to 100 %.
pub const FEED_OV_RESET: u8 = 0x90;
/// Feed override +10 %.
pub const FEED_OV_COARSE_PLUS: u8 = 0x91;
/// Feed override -10 %.
pub const FEED_OV_COARSE_MINUS: u8 = 0x92;
/// Feed override +1 %.
pub const FEED_OV_FINE_PLUS: u8 = 0x93;
/// Feed override -1 %.
pub const FEED_OV_FINE_MINUS: u8 = 0x94;
/// Rapid override 100 %.
pub const RAPID_OV_RESET: u8 = 0x95;
/// Rapid override 50 %.
pub const RAPID_OV_MEDIUM: u8 = 0x96;
/// Rapid override 25 %.
pub const RAPID_OV_LOW: u8 = 0x97;
/// Spindle (laser power) override back to 100 %.
pub const SPINDLE_OV_RESET: u8 = 0x99;
/// Spindle (laser power) override +10 %.
pub const SPINDLE_OV_COARSE_PLUS: u8 = 0x9A;
/// Spindle (laser power) override -10 %.
pub const SPINDLE_OV_COARSE_MINUS: u8 = 0x9B;
/// Spindle (laser power) override +1 %.
pub const SPINDLE_OV_FINE_PLUS: u8 = 0x9C;
/// Spindle (laser power) override -1 %.
pub const SPINDLE_OV_FINE_MINUS: u8 = 0x9D;
/// Spindle stop toggle (HOLD state only).
pub const SPINDLE_STOP_TOGGLE: u8 = 0x9E;
/// Flood coolant (air assist on most lasers) toggle.
pub const FLOOD_TOGGLE: u8 = 0xA0;
/// Mist coolant toggle (only with M7 builds).
pub const MIST_TOGGLE: u8 = 0xA1;

/// True if GRBL acts on `byte` as a realtime command wherever it appears in the stream,
/// i.e. it never reaches the line buffer. Extended bytes 0x80..=0xFF are all taken out
/// of the stream (unknown ones are thrown away).
pub const fn is_realtime(byte: u8) -> bool {
    matches!(byte, SOFT_RESET | STATUS_REPORT | CYCLE_START | FEED_HOLD) || byte >= 0x80
}
