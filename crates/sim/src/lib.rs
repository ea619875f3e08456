//! Burin's virtual GRBL 1.1 laser machine.
//!
//! [`Grbl`] is a sans-IO, deterministic model of GRBL 1.1h (build 20190830) on an
//! ATmega328p driving a diode laser: a 128-byte RX buffer, GRBL's line pre-filter, the
//! G-code parser and its error codes, `$` commands, realtime bytes, a 15-block look-ahead
//! planner with junction deviation and trapezoidal acceleration, laser mode (M3/M4), soft
//! limits, homing, jogging, check mode and soft reset. It never reads a clock: the caller
//! moves virtual time with [`Grbl::advance`]. What the laser burned is recorded in a
//! [`BurnLog`], and host mistakes GRBL would silently suffer (RX overflow) are recorded as
//! [`HostViolation`]s.
//!
//! ```
//! use burin_sim::{Grbl, SimConfig, MachineState};
//! use std::time::Duration;
//!
//! let mut grbl = Grbl::new(SimConfig::default());
//! grbl.read(); // banner
//! grbl.write(b"G1 X10 F600\n");
//! grbl.advance(Duration::ZERO);
//! assert_eq!(grbl.read(), b"ok\r\n");
//! for _ in 0..200 {
//!     grbl.advance(Duration::from_millis(10));
//! }
//! assert_eq!(grbl.state(), MachineState::Idle);
//! assert!((grbl.machine_position_mm()[0] - 10.0).abs() < 1e-9);
//! ```
//!
//! # Time and ordering model
//!
//! * [`Grbl::write`] without a baud rate puts bytes straight into RX (or drops them, with a
//!   [`HostViolation::RxOverflow`], when RX is full). With [`SimConfig::baud`] they queue on
//!   a wire and arrive one byte per 10 bit times during [`Grbl::advance`]. Output is never
//!   throttled.
//! * Realtime bytes are removed on arrival. A soft reset (0x18) acts at once (its output is
//!   readable right after `write`); every other request (`?`, `!`, `~`, overrides, ...) acts
//!   at the next `advance`, even `advance(Duration::ZERO)`. Repeats before that coalesce,
//!   like GRBL's flag bits.
//! * Lines are consumed like `protocol_main_loop`: characters leave RX into the 80-byte line
//!   buffer while the parser is free; a line that needs a planner block while all 15 are
//!   used (or a buffer sync, dwell, hold, homing) blocks the parser, so the *next* lines stay
//!   in RX. That is why character counting matters. `ok` for a move is sent once it is
//!   planned; for M3/M4/M5 changes, G4, G10, G92, coordinate changes and M0/M2 only after
//!   the planner has drained (GRBL's syncs). Queued motion starts as soon as the parser has
//!   run out of complete lines or is blocked (auto cycle start).
//! * Motion: the planner reproduces `planner.c` (axis-limited rates and accelerations,
//!   junction deviation, reverse/forward passes, override-aware nominal speeds), but the
//!   stepper is replaced by an analytic trapezoid executor: exact in time, no step-segment
//!   granularity. Targets are rounded to whole steps (`$100`-`$102`), as GRBL does.
//! * With [`SimConfig::cpu`] (the app's simulated machine uses an 8-bit GRBL's), a received
//!   line is executed only once its parse time has passed, at the CPU share the stepper
//!   interrupt leaves; the blocks the stepper already holds leave the planner; and after
//!   each stop the stepper holds everything for `$1` ms before the cycle ends
//!   ([`burin_firmware::cpu`]). Without it the firmware is instant.
//!
//! # Known differences from the firmware
//!
//! * No probing (G38.x answers `error:20`), no hard limits or limit switches, no door pin
//!   (`Door:1` is never reported: the door counts as closed once the machine has stopped),
//!   no parking, no line-number (`Ln:`) build.
//! * Homing (`$H`) moves X and Y only; its duration is an estimate (seek at `$25`, locate
//!   and pull-off at `$24`). `[MSG:'$H'|'$X' to unlock]` on power-up follows
//!   `HOMING_INIT_LOCK`; a reset from Idle stays Idle, as on the firmware.
//! * A `$J=` without an axis word answers `error:16` (GRBL's behaviour there is undefined).
//!   A jog lights the laser only in G1/G2/G3 mode (GRBL.md §8).
//! * Arcs in G93 give each chord an equal share of the block's time.

mod burn;
mod config;
mod line;
mod machine;
mod motion;
mod realtime;
mod report;
mod runner;
mod system;

// The firmware model itself (parser, validator, planner, arcs) lives in burin-firmware, shared
// with preflight and the time estimate; the simulator adds the protocol, I/O, time and reports.
use burin_firmware::{parser as gcode, planner, words};

pub use burn::{BurnLog, BurnSegment};
pub use config::{FirmwareCpu, N_AXIS, Settings, SimConfig};
pub use machine::{Counters, Grbl, HostViolation, MachineState};
pub use planner::Overrides;
pub use words::SpindleMode;
