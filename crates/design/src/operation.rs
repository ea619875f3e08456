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
    /// Burn a bitmap row by row, dithered or in grayscale (photos, logos).
    Image,
}

/// How an image's gray levels become laser pulses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DitherKind {
    /// On where darker than the threshold.
    Threshold,
    /// Ordered dither, 4×4 Bayer matrix.
    Bayer4,
    /// Ordered dither, 8×8 Bayer matrix.
    Bayer8,
    FloydSteinberg,
    /// Jarvis–Judice–Ninke: smooth, the usual choice for photos on wood.
    #[default]
    Jarvis,
    Stucki,
    Atkinson,
    Burkes,
    Sierra3,
    Sierra2,
    SierraLite,
    /// Clustered dots on a rotated screen, like print.
    Halftone,
    /// Power follows the gray level between the layer's min and max power.
    Grayscale,
}

impl DitherKind {
    pub const ALL: [DitherKind; 13] = [
        DitherKind::Threshold,
        DitherKind::Bayer4,
        DitherKind::Bayer8,
        DitherKind::FloydSteinberg,
        DitherKind::Jarvis,
        DitherKind::Stucki,
        DitherKind::Atkinson,
        DitherKind::Burkes,
        DitherKind::Sierra3,
        DitherKind::Sierra2,
        DitherKind::SierraLite,
        DitherKind::Halftone,
        DitherKind::Grayscale,
    ];

    /// The name used on the command line (`--dither jarvis`).
    pub fn name(self) -> &'static str {
        match self {
            DitherKind::Threshold => "threshold",
            DitherKind::Bayer4 => "bayer4",
            DitherKind::Bayer8 => "bayer8",
            DitherKind::FloydSteinberg => "floyd-steinberg",
            DitherKind::Jarvis => "jarvis",
            DitherKind::Stucki => "stucki",
            DitherKind::Atkinson => "atkinson",
            DitherKind::Burkes => "burkes",
            DitherKind::Sierra3 => "sierra3",
            DitherKind::Sierra2 => "sierra2",
            DitherKind::SierraLite => "sierra-lite",
            DitherKind::Halftone => "halftone",
            DitherKind::Grayscale => "grayscale",
        }
    }

    /// Parses a name (case and `_`/`-` insensitive; `floyd`, `sierra`, `greyscale` accepted).
    pub fn from_name(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        let n = match n.as_str() {
            "floyd" | "fs" => "floyd-steinberg",
            "sierra" => "sierra3",
            "sierralite" => "sierra-lite",
            "greyscale" | "gray" | "grey" => "grayscale",
            "jarvis-judice-ninke" | "jjn" => "jarvis",
            other => other,
        }
        .to_string();
        Self::ALL.into_iter().find(|d| d.name() == n)
    }
}

/// Which way an image is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ScanDirection {
    /// Rows along X (the usual: X is the light, fast axis on most machines).
    #[default]
    Horizontal,
    /// Columns along Y: for tall pictures, or machines whose Y axis is the faster one.
    Vertical,
}

/// Settings of an image (raster) operation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ImageSettings {
    /// Distance between scan lines and pixel size, mm (DPI = 25.4 / interval). Default 0.1.
    pub interval_mm: f64,
    pub dither: DitherKind,
    /// Threshold mode: gray level (0 black .. 1 white) below which the laser fires. Default 0.5.
    pub threshold: f64,
    /// Halftone screen: cells per mm. Default 1.5 (about 38 lines per inch).
    pub halftone_cells_per_mm: f64,
    /// Halftone screen angle, degrees. Default 45.
    pub halftone_angle_deg: f64,
    /// Added to every gray level, -1..1. Default 0.
    pub brightness: f64,
    /// Contrast about mid-gray, -1..1. Default 0.
    pub contrast: f64,
    /// Gray levels are raised to this power (> 0; above 1 darkens mid-tones). Default 1.
    pub gamma: f64,
    /// Burn the light parts instead of the dark ones. Default false.
    pub invert: bool,
    /// Burn rows in both directions. Default true.
    pub bidirectional: bool,
    /// Run-out beyond each row's ends with the laser at S0, mm, so the head is at speed when it
    /// burns. `None` (default): from the machine's X acceleration, v²/2a plus a margin.
    pub overscan_mm: Option<f64>,
    /// Grayscale mode: neighbouring pixels whose power differs by at most this many of the 255
    /// levels burn as one move at their middle power, so no pixel is off by more than this.
    /// 0 keeps every level; 0..=32. Default 1 (one step of an 8-bit GRBL's PWM), which
    /// shortens photo G-code by about a third.
    #[serde(default = "default_gray_tolerance")]
    pub gray_tolerance: u8,
    /// Rows along X or columns along Y. Default horizontal.
    #[serde(default)]
    pub scan: ScanDirection,
}

fn default_gray_tolerance() -> u8 {
    1
}

impl Default for ImageSettings {
    fn default() -> Self {
        Self {
            interval_mm: 0.1,
            dither: DitherKind::default(),
            threshold: 0.5,
            halftone_cells_per_mm: 1.5,
            halftone_angle_deg: 45.0,
            brightness: 0.0,
            contrast: 0.0,
            gamma: 1.0,
            invert: false,
            bidirectional: true,
            overscan_mm: None,
            gray_tolerance: default_gray_tolerance(),
            scan: ScanDirection::Horizontal,
        }
    }
}

/// How a Fill layer's shapes are hatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FillStyle {
    /// All the layer's shapes as one area (each inside by its own fill rule), scanned row by
    /// row across the whole layer like a raster: overlaps burn once, every row gets overscan,
    /// long blank gaps are crossed with a rapid. LightBurn's default.
    #[default]
    Region,
    /// Each shape hatched on its own in zig-zag runs, shapes ordered for short travel.
    /// Overlapping shapes burn twice; no overscan.
    ShapeByShape,
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
    /// One region scanned like a raster, or shape by shape. Default [`FillStyle::Region`].
    #[serde(default)]
    pub style: FillStyle,
    /// Region style: run-out at S0 beyond each burned stretch, mm. `None` (default): from the
    /// machine's acceleration and the feed, as for images.
    #[serde(default)]
    pub overscan_mm: Option<f64>,
}

impl Default for FillSettings {
    fn default() -> Self {
        Self {
            interval_mm: 0.1,
            angle_deg: 0.0,
            bidirectional: true,
            crosshatch: false,
            style: FillStyle::default(),
            overscan_mm: None,
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
    /// Image settings, used when `mode` is `Image`.
    #[serde(default)]
    pub image: ImageSettings,
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
                image: ImageSettings::default(),
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
                image: ImageSettings::default(),
            },
            Mode::Image => Self {
                mode,
                speed_mm_min: 3000.0,
                power_min_pct: 0.0,
                power_max_pct: 40.0,
                passes: 1,
                air_assist: false,
                output: true,
                laser_mode: LaserMode::Dynamic,
                fill: FillSettings::default(),
                image: ImageSettings::default(),
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
        if let Some(o) = f.overscan_mm
            && !(o.is_finite() && (0.0..=100.0).contains(&o))
        {
            return Err(format!("fill overscan must be 0..100 mm, got {o}"));
        }
        let i = &self.image;
        if !(i.interval_mm.is_finite() && (0.01..=10.0).contains(&i.interval_mm)) {
            return Err(format!(
                "image interval must be 0.01..10 mm, got {}",
                i.interval_mm
            ));
        }
        let unit = |v: f64| v.is_finite() && (-1.0..=1.0).contains(&v);
        if !unit(i.brightness) || !unit(i.contrast) {
            return Err(format!(
                "brightness and contrast must be -1..1, got {} and {}",
                i.brightness, i.contrast
            ));
        }
        if !(i.gamma.is_finite() && (0.05..=20.0).contains(&i.gamma)) {
            return Err(format!("gamma must be 0.05..20, got {}", i.gamma));
        }
        if !(i.threshold.is_finite() && (0.0..=1.0).contains(&i.threshold)) {
            return Err(format!("threshold must be 0..1, got {}", i.threshold));
        }
        if !(i.halftone_cells_per_mm.is_finite()
            && i.halftone_cells_per_mm > 0.0
            && i.halftone_angle_deg.is_finite())
        {
            return Err("halftone cells per mm must be above 0 and the angle a number".into());
        }
        if i.gray_tolerance > 32 {
            return Err(format!(
                "gray tolerance must be 0..32 levels, got {}",
                i.gray_tolerance
            ));
        }
        if let Some(o) = i.overscan_mm
            && !(o.is_finite() && (0.0..=100.0).contains(&o))
        {
            return Err(format!("overscan must be 0..100 mm, got {o}"));
        }
        Ok(())
    }
}
