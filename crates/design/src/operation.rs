//! What the laser does with a layer: the per-layer settings LightBurn calls a "cut setting".

use serde::{Deserialize, Serialize};

/// How GRBL drives the laser during cutting moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LaserMode {
    /// `M4`: power scaled with the actual speed, laser off when motion stops. The safe default:
    /// corners and accelerations don't over-burn.
    #[default]
    Dynamic,
    /// `M3`: constant power for the whole move, including acceleration and standstill.
    Constant,
}

/// What a layer does with its shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Follow the outlines (cut or score).
    Line,
    /// Scan-line hatch the inside of closed shapes (engrave an area).
    Fill,
}

/// Settings of a fill (hatch) operation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FillSettings {
    /// Distance between scan lines, mm. Default 0.1 (254 lines per inch).
    pub interval_mm: f64,
    /// Scan-line angle, degrees counter-clockwise from the X axis (machine space). Default 0.
    pub angle_deg: f64,
    /// Burn in both directions (zig-zag) instead of returning to the same side. Default true.
    pub bidirectional: bool,
    /// Add a second pass at `angle_deg + 90`. Default false.
    pub crosshatch: bool,
}

impl Default for FillSettings {
    fn default() -> Self {
        Self {
            interval_mm: 0.1,
            angle_deg: 0.0,
            bidirectional: true,
            crosshatch: false,
        }
    }
}

/// Everything a layer's job needs to know about the laser.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub mode: Mode,
    /// Feed while the laser is on, mm/min. Defaults: Line 600, Fill 3000.
    pub speed_mm_min: f64,
    /// Minimum power, percent of the machine's maximum (GRBL `$30`). GRBL has no per-move
    /// minimum, so Line and Fill burn at `power_max_pct`; kept for image engraving, where it maps
    /// white. Default 0.
    pub power_min_pct: f64,
    /// Maximum power, percent of the machine's maximum. Defaults: Line 80, Fill 30.
    pub power_max_pct: f64,
    /// How many times the whole layer is run. Default 1.
    pub passes: u32,
    /// Air assist (`M8`) during this layer. Defaults: Line on, Fill off.
    pub air_assist: bool,
    /// Whether the layer is burned at all. Default true.
    pub output: bool,
    /// `M4` (dynamic) or `M3` (constant) power. Default dynamic.
    pub laser_mode: LaserMode,
    /// Fill settings, used when `mode` is `Fill`.
    pub fill: FillSettings,
}

impl Operation {
    /// The default settings for `mode`: safe starting values for a 5-10 W diode laser.
    pub fn defaults_for(mode: Mode) -> Self {
        match mode {
            Mode::Line => Self {
                mode,
                speed_mm_min: 600.0,
                power_min_pct: 0.0,
                power_max_pct: 80.0,
                passes: 1,
                air_assist: true,
                output: true,
                laser_mode: LaserMode::Dynamic,
                fill: FillSettings::default(),
            },
            Mode::Fill => Self {
                mode,
                speed_mm_min: 3000.0,
                power_min_pct: 0.0,
                power_max_pct: 30.0,
                passes: 1,
                air_assist: false,
                output: true,
                laser_mode: LaserMode::Dynamic,
                fill: FillSettings::default(),
            },
        }
    }

    /// Checks ranges a user can get wrong; the message names the field and the allowed range.
    pub fn validate(&self) -> Result<(), String> {
        let pct = |v: f64| (0.0..=100.0).contains(&v);
        if !(self.speed_mm_min.is_finite() && self.speed_mm_min > 0.0) {
            return Err(format!(
                "speed must be above 0 mm/min, got {}",
                self.speed_mm_min
            ));
        }
        if !pct(self.power_max_pct) || !pct(self.power_min_pct) {
            return Err(format!(
                "power must be 0..100 %, got min {} max {}",
                self.power_min_pct, self.power_max_pct
            ));
        }
        if self.power_min_pct > self.power_max_pct {
            return Err(format!(
                "min power {} % is above max power {} %",
                self.power_min_pct, self.power_max_pct
            ));
        }
        if self.passes == 0 || self.passes > 1000 {
            return Err(format!("passes must be 1..1000, got {}", self.passes));
        }
        let f = &self.fill;
        if !(f.interval_mm.is_finite() && f.interval_mm >= 0.01 && f.interval_mm <= 100.0) {
            return Err(format!(
                "fill interval must be 0.01..100 mm, got {}",
                f.interval_mm
            ));
        }
        if !f.angle_deg.is_finite() {
            return Err("fill angle must be a number of degrees".into());
        }
        Ok(())
    }
}
