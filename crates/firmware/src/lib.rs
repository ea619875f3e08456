//! GRBL 1.1 as data: one model of the firmware, shared by the simulator (`burin-sim`), the
//! preflight checks and the time estimate (`burin-gcode`), so the three cannot disagree.
//!
//! * [`settings`]: the `$` settings, the rules `$n=value` enforces, the `$$` dump.
//! * [`words`]: `gcode.c`'s first half: one pre-filtered line into a [`words::Block`] of
//!   commands and values, with GRBL's error codes (modal group violations, repeated words,
//!   unsupported commands, ...). Its numbers: [`number::read_float`].
//! * [`parser`]: `gcode.c`'s second half: validate the block against the parser state
//!   ([`parser::ParserState`]) and execute it into [`parser::Step`]s (motions, dwells,
//!   syncs, settings changes). A bad line changes nothing.
//! * [`exec`] and [`arc`]: motion blocks as the planner sees them, arcs split like `mc_arc`.
//! * [`cpu`]: what an 8-bit GRBL's processor adds: time per line, the stepper interrupt's
//!   load, the segment buffer, the idle delay after each stop.
//! * [`planner`]: `planner.c`: axis-limited rates and accelerations, junction deviation,
//!   the look-ahead buffer's reverse and forward passes, override-aware speeds; and the
//!   analytic trapezoid executor that moves through planned blocks ([`planner::next_piece`]).
//! * [`stepper`]: `stepper.c`'s segment buffer: what an 8-bit GRBL commits to ahead of the
//!   step pulses, and when the main loop refills it.
//!
//! Sans-IO, no clock, no threads: callers own time.

pub mod arc;
pub mod cpu;
pub mod exec;
pub mod number;
pub mod parser;
pub mod planner;
pub mod settings;
pub mod stepper;
pub mod timing;
pub mod words;

pub use settings::{N_AXIS, Settings};
