//! Tone adjustments before dithering: brightness, contrast, gamma, invert.

use super::gray::{Gray, sanitize};

/// Tone adjustments, applied per pixel in this order:
///
/// 1. invert (if set),
/// 2. brightness,
/// 3. contrast,
/// 4. gamma,
///
/// clamping to 0..=1 after each step. Brightness and contrast before gamma is LightBurn's
/// order. Invert comes first so the sliders always act on the image that gets burned:
/// "brighter" always means less power and gamma > 1 always deepens the mid-tones, whether or
/// not the image is inverted (e.g. for slate or anodized aluminium, where the mark is lighter
/// than the surface). Out-of-range parameters are clamped to their documented range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adjust {
    /// Added to every value. -1.0 ..= 1.0, default 0.0; positive = lighter = less burn.
    pub brightness: f32,
    /// Contrast about mid-gray 0.5. -1.0 ..= 1.0, default 0.0. The slope through 0.5 is
    /// `(1 + c) / (1 - c)`: -1 flattens to 0.5, 0 leaves the image alone, 0.5 triples the
    /// slope, 1 is a hard threshold at 0.5.
    pub contrast: f32,
    /// Exponent applied as `v^gamma`. Greater than 0, default 1.0 (no change); above 1
    /// darkens the mid-tones (more burn), below 1 lightens them. Black and white stay put.
    /// A value that is not a positive finite number is treated as 1.0.
    pub gamma: f32,
    /// Swap black and white, default false.
    pub invert: bool,
}

impl Default for Adjust {
    fn default() -> Self {
        Self {
            brightness: 0.0,
            contrast: 0.0,
            gamma: 1.0,
            invert: false,
        }
    }
}

impl Adjust {
    /// The adjusted value of one luminance `v`.
    pub fn apply(&self, v: f32) -> f32 {
        let mut v = sanitize(v);
        if self.invert {
            v = 1.0 - v;
        }
        v = sanitize(v + clamp_or_zero(self.brightness, 1.0));
        // Stop short of 1: the slope would be infinite and 0.5 * inf gives NaN.
        let c = clamp_or_zero(self.contrast, 0.999);
        v = sanitize((v - 0.5) * ((1.0 + c) / (1.0 - c)) + 0.5);
        let g = self.gamma;
        if g.is_finite() && g > 0.0 && g != 1.0 {
            v = sanitize(v.powf(g));
        }
        v
    }
}

/// Applies `a` to every pixel of `img`, leaving values in 0..=1.
pub fn adjust(img: &mut Gray, a: &Adjust) {
    for v in &mut img.data {
        *v = a.apply(*v);
    }
}

/// `v` clamped to -1..=`max`; NaN reads as 0 (no adjustment).
fn clamp_or_zero(v: f32, max: f32) -> f32 {
    if v.is_nan() { 0.0 } else { v.clamp(-1.0, max) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn default_is_identity() {
        let a = Adjust::default();
        for v in [0.0, 0.2, 0.5, 0.77, 1.0] {
            assert!(close(a.apply(v), v));
        }
    }

    #[test]
    fn invert_maps_0_2_to_0_8() {
        let a = Adjust {
            invert: true,
            ..Adjust::default()
        };
        assert!(close(a.apply(0.2), 0.8));
        let mut g = Gray::new(1, 1, 0.2);
        adjust(&mut g, &a);
        assert!(close(g.data[0], 0.8));
    }

    #[test]
    fn gamma_2_maps_half_to_quarter() {
        let a = Adjust {
            gamma: 2.0,
            ..Adjust::default()
        };
        assert!(close(a.apply(0.5), 0.25));
        let bad = Adjust {
            gamma: -1.0,
            ..Adjust::default()
        };
        assert!(close(bad.apply(0.5), 0.5));
    }

    #[test]
    fn brightness_and_contrast_clamp() {
        let bright = Adjust {
            brightness: 0.5,
            ..Adjust::default()
        };
        assert!(close(bright.apply(0.8), 1.0));
        assert!(close(bright.apply(0.2), 0.7));
        let dark = Adjust {
            brightness: -5.0,
            ..Adjust::default()
        };
        assert!(close(dark.apply(0.9), 0.0));
        let contrast = Adjust {
            contrast: 0.5,
            ..Adjust::default()
        };
        assert!(close(contrast.apply(0.6), 0.8));
        assert!(close(contrast.apply(0.9), 1.0));
        assert!(close(contrast.apply(0.1), 0.0));
        let flat = Adjust {
            contrast: -1.0,
            ..Adjust::default()
        };
        assert!(close(flat.apply(0.9), 0.5));
        let hard = Adjust {
            contrast: 1.0,
            ..Adjust::default()
        };
        assert!(close(hard.apply(0.51), 1.0));
        assert!(close(hard.apply(0.49), 0.0));
        assert!(close(Adjust::default().apply(1.7), 1.0));
        assert!(close(Adjust::default().apply(-0.3), 0.0));
    }

    #[test]
    fn invert_happens_before_brightness() {
        let a = Adjust {
            invert: true,
            brightness: 0.1,
            ..Adjust::default()
        };
        // 0.2 -> inverted 0.8 -> brighter 0.9: brightness lightens what gets burned.
        assert!(close(a.apply(0.2), 0.9));
    }
}
