//! Step 4 of GRBL's `gc_execute_line`: update the parser state in GRBL's order of
//! execution and emit the physical work as [`Step`]s.

// Axis loops index several parallel arrays, as gcode.c does.
#![allow(clippy::needless_range_loop)]

use crate::arc::segment_arc;
use crate::parser::{Ctx, Outcome, ParserState, Persistent, PlanLine, Step};
use crate::settings::N_AXIS;
use crate::words::*;

/// Appends the block's steps to `out` (which the caller has cleared).
#[allow(clippy::too_many_arguments)] // gcode.c's locals, handed over from validation
pub fn execute_block(
    b: Block,
    gc: &mut ParserState,
    persistent: &mut Persistent,
    ctx: &Ctx<'_>,
    coord_data_index: usize,
    block_coord_system: [f64; N_AXIS],
    arc_radius: f64,
    out: &mut Outcome,
) {
    let laser = ctx.settings.laser_mode;
    // Laser-mode flags, as in gcode.c.
    let mut laser_disable = false;
    let mut laser_is_motion = false;
    let mut force_sync = false;
    if laser {
        laser_disable = !b.modal.motion.is_feed();
        if b.axis_words != 0 && b.axis_command == AxisCommand::MotionMode {
            laser_is_motion = true;
        } else if gc.modal.spindle == SpindleMode::Cw {
            if gc.modal.motion.is_feed() {
                force_sync = laser_disable;
            } else {
                force_sync = !laser_disable;
            }
        }
    }
    gc.line_number = b.n;
    gc.modal.inverse_time = b.modal.inverse_time;
    gc.feed = b.f;
    // [4] Spindle speed.
    if gc.s != b.s || force_sync {
        if gc.modal.spindle != SpindleMode::Off && !laser_is_motion {
            let s = if laser_disable { 0.0 } else { b.s };
            out.steps.push(Step::Sync);
            out.steps.push(Step::Spindle {
                mode: gc.modal.spindle,
                s,
            });
        }
        gc.s = b.s;
    }
    let pl_s = if laser_disable { 0.0 } else { gc.s };
    gc.tool = b.t;
    // [7] Spindle control.
    if gc.modal.spindle != b.modal.spindle {
        out.steps.push(Step::Sync);
        out.steps.push(Step::Spindle {
            mode: b.modal.spindle,
            s: pl_s,
        });
        gc.modal.spindle = b.modal.spindle;
    }
    // [8] Coolant.
    if gc.modal.coolant_flood != b.modal.coolant_flood {
        out.steps.push(Step::Sync);
        out.steps.push(Step::Coolant(b.modal.coolant_flood));
        gc.modal.coolant_flood = b.modal.coolant_flood;
    }
    // [10] Dwell.
    if b.non_modal == NonModal::Dwell {
        out.steps.push(Step::Sync);
        out.steps.push(Step::Dwell(b.p));
    }
    gc.modal.plane = b.modal.plane;
    gc.modal.inches = b.modal.inches;
    // [14] Tool length offset.
    if b.axis_command == AxisCommand::ToolLengthOffset {
        gc.modal.tlo_dynamic = b.modal.tlo_dynamic;
        let tlo = if b.modal.tlo_dynamic { b.xyz[2] } else { 0.0 };
        if gc.tlo != tlo {
            gc.tlo = tlo;
            wco_change(out);
        }
    }
    // [15] Coordinate system.
    if gc.modal.coord_select != b.modal.coord_select {
        gc.modal.coord_select = b.modal.coord_select;
        gc.coord_system = block_coord_system;
        wco_change(out);
    }
    gc.modal.incremental = b.modal.incremental;
    let mk_line = |target: [f64; N_AXIS], rapid: bool, gc: &ParserState| PlanLine {
        target,
        feed: gc.feed,
        inverse_time: gc.modal.inverse_time,
        rapid,
        jog: false,
        spindle: gc.modal.spindle,
        s: pl_s,
    };
    // [19] Predefined positions, G10, G92.
    match b.non_modal {
        NonModal::SetCoordData => {
            out.steps.push(Step::Sync); // EEPROM write sync
            persistent.coord[coord_data_index] = b.ijk;
            if gc.modal.coord_select == coord_data_index {
                gc.coord_system = b.ijk;
                wco_change(out);
            }
        }
        NonModal::GoHome0 | NonModal::GoHome1 => {
            if b.axis_command != AxisCommand::None {
                out.steps.push(Step::Line(mk_line(b.xyz, true, gc)));
            }
            out.steps.push(Step::Line(mk_line(b.ijk, true, gc)));
            gc.position = b.ijk;
        }
        NonModal::SetHome0 => {
            out.steps.push(Step::Sync);
            persistent.g28 = gc.position;
        }
        NonModal::SetHome1 => {
            out.steps.push(Step::Sync);
            persistent.g30 = gc.position;
        }
        NonModal::SetOffset => {
            gc.g92 = b.xyz;
            wco_change(out);
        }
        NonModal::ResetOffset => {
            gc.g92 = [0.0; N_AXIS];
            wco_change(out);
        }
        _ => {}
    }
    // [20] Motion.
    gc.modal.motion = b.modal.motion;
    if gc.modal.motion != Motion::None && b.axis_command == AxisCommand::MotionMode {
        match gc.modal.motion {
            Motion::Linear => out.steps.push(Step::Line(mk_line(b.xyz, false, gc))),
            Motion::Seek => out.steps.push(Step::Line(mk_line(b.xyz, true, gc))),
            Motion::CwArc | Motion::CcwArc => {
                let line = mk_line(b.xyz, false, gc);
                let first = out.steps.len();
                // Chords go straight into the step buffer: no list of points per arc.
                segment_arc(
                    gc.position,
                    b.xyz,
                    b.ijk,
                    arc_radius,
                    gc.modal.plane.axes(),
                    gc.modal.motion == Motion::CwArc,
                    ctx.settings.arc_tolerance_mm,
                    |target| {
                        out.steps.push(Step::Line(PlanLine {
                            target,
                            ..line.clone()
                        }))
                    },
                );
                if line.inverse_time {
                    // Each chord gets its share of the block's inverse time.
                    let chords = (out.steps.len() - first) as f64;
                    for step in &mut out.steps[first..] {
                        if let Step::Line(chord) = step {
                            chord.feed *= chords;
                        }
                    }
                }
            }
            Motion::None => {}
        }
        gc.position = b.xyz;
    }
    // [21] Program flow.
    match b.modal.program_flow {
        ProgramFlow::Paused => {
            out.steps.push(Step::Sync);
            out.steps.push(Step::Pause);
        }
        ProgramFlow::Completed => {
            out.steps.push(Step::Sync);
            gc.modal.motion = Motion::Linear;
            gc.modal.plane = Plane::Xy;
            gc.modal.incremental = false;
            gc.modal.inverse_time = false;
            gc.modal.coord_select = 0;
            gc.modal.spindle = SpindleMode::Off;
            gc.modal.coolant_flood = false;
            if !ctx.check_mode {
                gc.coord_system = persistent.coord[0];
                out.wco_changed = true;
            }
            out.steps.push(Step::ProgramEnd);
        }
        ProgramFlow::Running => {}
    }
}

fn wco_change(out: &mut Outcome) {
    // GRBL's FORCE_BUFFER_SYNC_DURING_WCO_CHANGE (on by default).
    out.steps.push(Step::Sync);
    out.wco_changed = true;
}
