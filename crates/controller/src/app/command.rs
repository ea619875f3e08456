//! What the UI (or a test, or a script) asks the application to do.

use std::path::PathBuf;

use burin_design::{Operation, Preset, Rgb};

use crate::placement::Placement;

/// Which realtime override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideKind {
    /// Feed rate, 10..=200 %.
    Feed,
    /// Laser power (GRBL's spindle override), 10..=200 %.
    Power,
    /// Rapids: 25, 50 or 100 %.
    Rapid,
}

/// An intent. Commands never block: slow work goes to a worker and reports back through
/// [`App::poll`](super::App::poll).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open an SVG or a G-code file (by extension; anything else is tried as SVG).
    OpenFile(PathBuf),
    /// Close the design.
    CloseFile,
    /// Replace one layer's operation (mode, speed, power, passes, fill settings, output).
    EditLayer {
        colour: Rgb,
        operation: Operation,
    },
    /// Give a layer the settings of the preset called `name` (see `Preset::apply_to`).
    ApplyPreset {
        colour: Rgb,
        name: String,
    },
    /// Keep a layer's settings as a preset (replacing one of the same name) and save the
    /// library. `thickness_mm` is `None` for surface work or any thickness.
    SaveLayerAsPreset {
        colour: Rgb,
        name: String,
        material: String,
        thickness_mm: Option<f64>,
        machine: String,
        notes: String,
    },
    /// Replace the preset called `name` (it may be renamed) and save the library.
    UpdatePreset {
        name: String,
        preset: Preset,
    },
    /// Remove the preset called `name` and save the library.
    DeletePreset {
        name: String,
    },
    /// Change where the job goes.
    SetPlacement(Placement),
    /// Re-plan the design with the current settings.
    Generate,
    /// Look for serial ports again.
    RefreshPorts,
    /// Choose a port in the list (remembered for the next run).
    SetSelectedPort(String),
    /// Connect to a port path or `sim`.
    Connect {
        port: String,
    },
    Disconnect,
    /// Jog by a distance, mm (relative, `$J=G91`), at the jog feed.
    Jog {
        dx_mm: f64,
        dy_mm: f64,
        dz_mm: f64,
    },
    /// Start a continuous jog in a direction (each component -1, 0 or 1) until
    /// [`Command::JogCancel`]; it stops at the work area's edge.
    JogContinuous {
        x: i8,
        y: i8,
        z: i8,
    },
    /// Stop a jog at once (0x85).
    JogCancel,
    /// Homing cycle (`$H`).
    Home,
    /// Clear an alarm lock (`$X`).
    Unlock,
    /// Make the head's position the work origin (`G10 L20 P1 X0 Y0`).
    SetOriginHere,
    /// Move to the work origin (as a jog: laser off, cancellable).
    GoToOrigin,
    /// Trace the job's bounding box (laser off, or at the frame power, capped at 5 %).
    Frame,
    /// Stream the generated program.
    Start,
    /// Feed hold (the laser goes off in laser mode).
    Pause,
    /// Cycle start after a pause.
    Resume,
    /// Feed hold, then soft reset once stopped: laser off, job abandoned.
    Stop,
    /// Set a realtime override, %.
    Override {
        kind: OverrideKind,
        pct: u16,
    },
    /// Send one line typed in the console.
    ConsoleLine(String),
    /// Write a GRBL setting (`$n=value`), then read `$$` back.
    WriteSetting {
        number: u16,
        value: String,
    },
    /// Turn laser mode on (`$32=1`).
    EnableLaserMode,
    /// The machine has a Z axis to jog.
    SetHasZ(bool),
    /// Jog step, mm, and feed, mm/min.
    SetJog {
        step_mm: f64,
        feed_mm_min: f64,
    },
    /// Frame power %, (capped at 5 %) and feed, mm/min.
    SetFrame {
        power_pct: f64,
        feed_mm_min: f64,
    },
    /// UI language code (`en`, `fr`), or `None` to follow the system.
    SetLanguage(Option<String>),
    /// Show or hide the console panel.
    SetShowConsole(bool),
    /// Remember the window size, logical points.
    SetWindowSize {
        width: f32,
        height: f32,
    },
    /// Write the settings file now.
    SaveSettings,
    /// Forget the notices shown so far.
    ClearNotices,
}
