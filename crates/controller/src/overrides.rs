//! User changes to layer operations: for every layer, or for one colour.

use burin_design::{DitherKind, FillStyle, LaserMode, Mode, Operation, Rgb, ScanDirection};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Settings a user asked for; `None` keeps the layer's value.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LayerOverride {
    /// Changing the mode first resets the other settings to that mode's defaults.
    pub mode: Option<Mode>,
    pub speed_mm_min: Option<f64>,
    pub power_max_pct: Option<f64>,
    pub power_min_pct: Option<f64>,
    pub passes: Option<u32>,
    pub interval_mm: Option<f64>,
    pub angle_deg: Option<f64>,
    pub bidirectional: Option<bool>,
    pub crosshatch: Option<bool>,
    pub air_assist: Option<bool>,
    pub output: Option<bool>,
    pub laser_mode: Option<LaserMode>,
    /// Image layers: how gray becomes pulses.
    pub dither: Option<DitherKind>,
    pub brightness: Option<f64>,
    pub contrast: Option<f64>,
    pub gamma: Option<f64>,
    pub invert: Option<bool>,
    pub threshold: Option<f64>,
    /// Image and region-fill layers: overscan, mm (omit for automatic).
    pub overscan_mm: Option<f64>,
    /// Fill layers: one region scanned like a raster, or shape by shape.
    pub fill_style: Option<FillStyle>,
    /// Grayscale image layers: power levels merged into one move (0..=32).
    pub gray_tolerance: Option<u8>,
    /// Image layers: rows along X or columns along Y.
    pub scan: Option<ScanDirection>,
}

#[derive(Debug, Error, Clone, PartialEq)]
pub enum OverrideError {
    #[error("'{0}': expected COLOUR:key=value[,key=value...], e.g. '#ff0000:mode=fill,speed=3000'")]
    Shape(String),
    #[error("'{0}' is not a colour (use #rrggbb or #rgb)")]
    Colour(String),
    #[error(
        "unknown layer setting '{0}' (known: mode, speed, power, min-power, passes, interval, angle, bidirectional, crosshatch, air, output, laser, dither, brightness, contrast, gamma, invert, threshold, overscan, gray-tolerance, scan, fill-style)"
    )]
    Key(String),
    #[error("bad value '{value}' for {key}: {why}")]
    Value {
        key: String,
        value: String,
        why: String,
    },
}

impl LayerOverride {
    /// Applies the override to `op`.
    pub fn apply(&self, op: &mut Operation) {
        if let Some(mode) = self.mode
            && mode != op.mode
        {
            *op = Operation::defaults_for(mode);
        }
        let set = |dst: &mut f64, v: Option<f64>| {
            if let Some(v) = v {
                *dst = v;
            }
        };
        set(&mut op.speed_mm_min, self.speed_mm_min);
        set(&mut op.power_max_pct, self.power_max_pct);
        set(&mut op.power_min_pct, self.power_min_pct);
        set(&mut op.fill.interval_mm, self.interval_mm);
        set(&mut op.image.interval_mm, self.interval_mm);
        set(&mut op.image.brightness, self.brightness);
        set(&mut op.image.contrast, self.contrast);
        set(&mut op.image.gamma, self.gamma);
        set(&mut op.image.threshold, self.threshold);
        if let Some(d) = self.dither {
            op.image.dither = d;
        }
        if let Some(i) = self.invert {
            op.image.invert = i;
        }
        if let Some(o) = self.overscan_mm {
            op.image.overscan_mm = Some(o);
            op.fill.overscan_mm = Some(o);
        }
        if let Some(s) = self.fill_style {
            op.fill.style = s;
        }
        if let Some(t) = self.gray_tolerance {
            op.image.gray_tolerance = t;
        }
        if let Some(d) = self.scan {
            op.image.scan = d;
        }
        if let Some(b) = self.bidirectional {
            op.image.bidirectional = b;
        }
        set(&mut op.fill.angle_deg, self.angle_deg);
        if let Some(v) = self.passes {
            op.passes = v;
        }
        if let Some(v) = self.bidirectional {
            op.fill.bidirectional = v;
        }
        if let Some(v) = self.crosshatch {
            op.fill.crosshatch = v;
        }
        if let Some(v) = self.air_assist {
            op.air_assist = v;
        }
        if let Some(v) = self.output {
            op.output = v;
        }
        if let Some(v) = self.laser_mode {
            op.laser_mode = v;
        }
    }

    /// Parses `#rrggbb:key=value,key=value`.
    pub fn parse_for_colour(text: &str) -> Result<(Rgb, LayerOverride), OverrideError> {
        let (colour, settings) = text
            .rsplit_once(':')
            .ok_or_else(|| OverrideError::Shape(text.into()))?;
        let rgb = Rgb::parse(colour).ok_or_else(|| OverrideError::Colour(colour.into()))?;
        let mut o = LayerOverride::default();
        for pair in settings.split(',').filter(|p| !p.trim().is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| OverrideError::Shape(text.into()))?;
            o.set(k.trim(), v.trim())?;
        }
        Ok((rgb, o))
    }

    /// Sets one setting from its command-line name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), OverrideError> {
        let bad = |why: &str| OverrideError::Value {
            key: key.into(),
            value: value.into(),
            why: why.into(),
        };
        let num = || {
            value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad("not a number"))
        };
        let flag = || match value.to_ascii_lowercase().as_str() {
            "on" | "yes" | "true" | "1" => Ok(true),
            "off" | "no" | "false" | "0" => Ok(false),
            _ => Err(bad("use on or off")),
        };
        match key {
            "mode" => {
                self.mode = Some(match value.to_ascii_lowercase().as_str() {
                    "line" | "cut" => Mode::Line,
                    "fill" | "engrave" => Mode::Fill,
                    "image" | "raster" | "photo" => Mode::Image,
                    _ => return Err(bad("use line, fill or image")),
                })
            }
            "speed" => self.speed_mm_min = Some(num()?),
            "power" => self.power_max_pct = Some(num()?),
            "min-power" => self.power_min_pct = Some(num()?),
            "passes" => self.passes = Some(value.parse().map_err(|_| bad("not a whole number"))?),
            "interval" => self.interval_mm = Some(num()?),
            "angle" => self.angle_deg = Some(num()?),
            "bidirectional" => self.bidirectional = Some(flag()?),
            "crosshatch" => self.crosshatch = Some(flag()?),
            "air" => self.air_assist = Some(flag()?),
            "dither" => {
                self.dither = Some(DitherKind::from_name(value).ok_or_else(|| {
                    bad("use threshold, bayer4, bayer8, floyd-steinberg, jarvis, stucki, atkinson, burkes, sierra3, sierra2, sierra-lite, halftone or grayscale")
                })?)
            }
            "brightness" => self.brightness = Some(num()?),
            "contrast" => self.contrast = Some(num()?),
            "gamma" => self.gamma = Some(num()?),
            "threshold" => self.threshold = Some(num()?),
            "invert" => self.invert = Some(flag()?),
            "overscan" => self.overscan_mm = Some(num()?),
            "scan" => {
                self.scan = Some(match value.to_ascii_lowercase().as_str() {
                    "horizontal" | "x" => ScanDirection::Horizontal,
                    "vertical" | "y" => ScanDirection::Vertical,
                    _ => return Err(bad("use horizontal or vertical")),
                })
            }
            "fill-style" => {
                self.fill_style = Some(match value.to_ascii_lowercase().as_str() {
                    "region" => FillStyle::Region,
                    "shapes" | "shape-by-shape" => FillStyle::ShapeByShape,
                    _ => return Err(bad("use region or shapes")),
                })
            }
            "gray-tolerance" => {
                self.gray_tolerance = Some(
                    value
                        .parse()
                        .map_err(|_| bad("a whole number of levels, 0..32"))?,
                )
            }
            "output" => self.output = Some(flag()?),
            "laser" => {
                self.laser_mode = Some(match value.to_ascii_lowercase().as_str() {
                    "m4" | "dynamic" => LaserMode::Dynamic,
                    "m3" | "constant" => LaserMode::Constant,
                    _ => return Err(bad("use m3 or m4")),
                })
            }
            _ => return Err(OverrideError::Key(key.into())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_applies_a_colour_override() {
        let (rgb, o) =
            LayerOverride::parse_for_colour("#ff0000:mode=fill,speed=2500,power=45,crosshatch=on")
                .unwrap();
        assert_eq!(rgb, Rgb(255, 0, 0));
        let mut op = Operation::defaults_for(Mode::Line);
        o.apply(&mut op);
        assert_eq!(op.mode, Mode::Fill);
        assert_eq!(op.speed_mm_min, 2500.0);
        assert_eq!(op.power_max_pct, 45.0);
        assert!(op.fill.crosshatch);
        // Unset values come from the Fill defaults, not the old Line ones.
        assert_eq!(
            op.fill.interval_mm,
            Operation::defaults_for(Mode::Fill).fill.interval_mm
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(matches!(
            LayerOverride::parse_for_colour("red"),
            Err(OverrideError::Shape(_))
        ));
        assert!(matches!(
            LayerOverride::parse_for_colour("#zz0000:speed=1"),
            Err(OverrideError::Colour(_))
        ));
        assert!(matches!(
            LayerOverride::parse_for_colour("#f00:sped=1"),
            Err(OverrideError::Key(_))
        ));
        let e = LayerOverride::parse_for_colour("#f00:speed=fast").unwrap_err();
        assert_eq!(e.to_string(), "bad value 'fast' for speed: not a number");
    }
}
