//! Burin G-code: the G-code model, a parser for GRBL programs, the GRBL 1.1 emitter, preflight
//! safety checks, statistics and a planner-accurate time estimate.
//!
//! ```text
//! Toolpath --emit--> Program --to_text--> text --parse_program--> Program --preflight/stats-->
//! ```
//!
//! # Laser-safety invariants of [`emit()`] (each is a test)
//! * The first line is `G21G90` (millimetres, absolute); comments follow it.
//! * `M4` (dynamic power) for cuts unless a block asks for `M3`; switched only on change.
//! * No `S` word on a `G0` line, ever. Travel is `G0`, which keeps the laser off in laser mode
//!   (`$32=1`); no `M5` mid-job (it would force a planner stop).
//! * The program ends with `M5` (then `M9` if air assist is on, then `G0X0Y0`).
//! * Every line is at most 79 characters; comments hold printable ASCII without GRBL's
//!   realtime characters `?`, `!`, `~`.
//! * Only changed words are written; numbers have at most 3 decimals (configurable), no
//!   trailing zeros, never `-0`.
//!
//! [`preflight()`] checks any program, Burin's or another tool's, for the same properties and for
//! what GRBL 1.1 would refuse, against a [`MachineProfile`]; a job is streamed only if
//! [`PreflightReport::is_ok`]. Its assumptions: laser mode on, the head starts at the work
//! origin, and the work area is given in work coordinates (no job offset applied).
//!
//! Where a program moves the head is decided in one place: burin-firmware's parser (GRBL's
//! `gcode.c`), run over the program by the private `motion` module. [`preview()`], [`stats()`]
//! and [`preflight()`] read its segments (arcs as the chords GRBL cuts at `$12`), and the
//! estimate runs the same parser inside burin-firmware's `JobTimer`; lines GRBL refuses move
//! nothing in any of them.

pub mod ast;
pub mod emit;
pub mod estimate;
pub mod parse;
pub mod preflight;
pub mod preview;
pub mod profile;
pub mod stats;
pub mod throughput;

mod audit;
mod codes;
mod motion;

pub use ast::{Line, LineKind, Program, Word};
pub use burin_firmware::cpu::{Delivery, FirmwareCpu};
pub use emit::{EmitOptions, MAX_LINE_CHARS, emit, sanitize_comment};
pub use estimate::{
    DetailedEstimate, LayerTime, TimeEstimate, delivery_for, estimate_detailed, estimate_time,
    line_times, line_times_at, line_times_with,
};
pub use parse::{ParseError, ParseErrorKind, parse_line, parse_program, split_lines};
pub use preflight::{Check, Finding, PreflightReport, Severity, preflight};
pub use preview::{PreviewPath, PreviewSeg, SegKindPreview, preview, preview_for};
pub use profile::{MachineProfile, WorkArea};
pub use stats::{Bounds, ProgramStats, stats};
pub use throughput::{LinkLimits, Throughput, safe_feed_scale, throughput};
