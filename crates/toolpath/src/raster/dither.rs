//! Dither modes: from luminance to burn power per pixel.

use std::fmt;

use super::diffusion::{self, diffuse};
use super::gray::{Gray, Levels, sanitize};
use super::halftone::halftone;
use super::ordered::bayer;

/// How gray tones become laser power. Every mode except [`Dither::Grayscale`] is binary:
/// each pixel is off (0) or full power (255), and tone comes from the density of dots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dither {
    /// Burn where luminance is below `level` (0.0 ..= 1.0, default 0.5). For line art and
    /// logos; photos lose all mid-tones.
    Threshold { level: f32 },
    /// Ordered dither, 4×4 Bayer matrix: 17 tones, coarse regular cross-hatch.
    Bayer4,
    /// Ordered dither, 8×8 Bayer matrix: 65 tones, finer cross-hatch.
    Bayer8,
    /// Error diffusion, Floyd–Steinberg: the usual photo default.
    FloydSteinberg,
    /// Error diffusion, Jarvis–Judice–Ninke: smoother, less grainy, softer edges.
    JarvisJudiceNinke,
    /// Error diffusion, Stucki: like Jarvis, slightly sharper.
    Stucki,
    /// Error diffusion, Atkinson: passes on only 3/4 of the error, so shadows and
    /// highlights go solid. High contrast, good on wood.
    Atkinson,
    /// Error diffusion, Burkes: two-row Stucki.
    Burkes,
    /// Error diffusion, Sierra (three rows).
    Sierra3,
    /// Error diffusion, Sierra two-row.
    Sierra2,
    /// Error diffusion, Sierra Lite: the smallest kernel.
    SierraLite,
    /// Clustered round dots on a screen of `cells_per_mm` cells per millimetre (default
    /// 1.0), rotated `angle_deg` degrees counter-clockwise (default 45, which hides the
    /// screen best).
    Halftone { cells_per_mm: f32, angle_deg: f32 },
    /// Variable power, no dithering: power = `round((1 - v) * 255)`. Needs a material
    /// whose darkness follows power (e.g. some woods, tiles with marking spray).
    Grayscale,
}

impl Dither {
    /// Every mode, with default parameters, in menu order.
    pub const ALL: [Dither; 13] = [
        Dither::Threshold { level: 0.5 },
        Dither::Bayer4,
        Dither::Bayer8,
        Dither::FloydSteinberg,
        Dither::JarvisJudiceNinke,
        Dither::Stucki,
        Dither::Atkinson,
        Dither::Burkes,
        Dither::Sierra3,
        Dither::Sierra2,
        Dither::SierraLite,
        Dither::Halftone {
            cells_per_mm: 1.0,
            angle_deg: 45.0,
        },
        Dither::Grayscale,
    ];

    /// Short kebab-case name, as accepted by [`Dither::from_name`] (parameters are not part
    /// of the name).
    pub fn name(&self) -> &'static str {
        match self {
            Dither::Threshold { .. } => "threshold",
            Dither::Bayer4 => "bayer4",
            Dither::Bayer8 => "bayer8",
            Dither::FloydSteinberg => "floyd-steinberg",
            Dither::JarvisJudiceNinke => "jarvis",
            Dither::Stucki => "stucki",
            Dither::Atkinson => "atkinson",
            Dither::Burkes => "burkes",
            Dither::Sierra3 => "sierra3",
            Dither::Sierra2 => "sierra2",
            Dither::SierraLite => "sierra-lite",
            Dither::Halftone { .. } => "halftone",
            Dither::Grayscale => "grayscale",
        }
    }

    /// The mode called `name`, with default parameters (threshold 0.5; halftone 1 cell/mm
    /// at 45°). Case-insensitive; `_` and spaces count as `-`. Accepts every
    /// [`name`](Self::name) plus "floyd", "sierra", "jarvis-judice-ninke" and "greyscale".
    pub fn from_name(name: &str) -> Option<Dither> {
        let key: String = name
            .trim()
            .chars()
            .map(|c| match c {
                '_' | ' ' => '-',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let found = match key.as_str() {
            "floyd" => Dither::FloydSteinberg,
            "sierra" => Dither::Sierra3,
            "jarvis-judice-ninke" => Dither::JarvisJudiceNinke,
            "greyscale" => Dither::Grayscale,
            key => return Self::ALL.into_iter().find(|d| d.name() == key),
        };
        Some(found)
    }

    /// True when every pixel comes out 0 or 255 (all modes but [`Dither::Grayscale`]).
    pub fn is_binary(&self) -> bool {
        !matches!(self, Dither::Grayscale)
    }
}

impl fmt::Display for Dither {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Burn power per pixel of `img` under `mode`. `pixel_mm` is the size of one pixel (the
/// scan-line interval), used by [`Dither::Halftone`] to size its cells in millimetres.
///
/// Binary modes give only 0 and 255; error diffusion thresholds at 0.5 and scans serpentine.
/// Luminance outside 0..=1 is clamped and NaN counts as white (no burn).
pub fn dither(img: &Gray, mode: &Dither, pixel_mm: f32) -> Levels {
    img.check();
    let per_pixel = |f: &dyn Fn(f32) -> u8| Levels {
        width: img.width,
        height: img.height,
        data: img.data.iter().map(|&v| f(sanitize(v))).collect(),
    };
    match *mode {
        Dither::Threshold { level } => per_pixel(&|v| if v < level { 255 } else { 0 }),
        Dither::Grayscale => per_pixel(&|v| ((1.0 - v) * 255.0).round() as u8),
        Dither::Bayer4 => bayer(img, 2),
        Dither::Bayer8 => bayer(img, 3),
        Dither::FloydSteinberg => diffuse(img, &diffusion::FLOYD_STEINBERG),
        Dither::JarvisJudiceNinke => diffuse(img, &diffusion::JARVIS_JUDICE_NINKE),
        Dither::Stucki => diffuse(img, &diffusion::STUCKI),
        Dither::Atkinson => diffuse(img, &diffusion::ATKINSON),
        Dither::Burkes => diffuse(img, &diffusion::BURKES),
        Dither::Sierra3 => diffuse(img, &diffusion::SIERRA3),
        Dither::Sierra2 => diffuse(img, &diffusion::SIERRA2),
        Dither::SierraLite => diffuse(img, &diffusion::SIERRA_LITE),
        Dither::Halftone {
            cells_per_mm,
            angle_deg,
        } => halftone(img, cells_per_mm, angle_deg, pixel_mm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIXEL_MM: f32 = 0.1;

    fn burned(l: &Levels) -> f64 {
        l.data.iter().filter(|&&p| p == 255).count() as f64 / l.data.len() as f64
    }

    fn error_diffusion_and_bayer() -> impl Iterator<Item = Dither> {
        Dither::ALL.into_iter().filter(|d| {
            !matches!(
                d,
                Dither::Threshold { .. } | Dither::Halftone { .. } | Dither::Grayscale
            )
        })
    }

    #[test]
    fn half_gray_burns_half_with_every_binary_mode() {
        let img = Gray::new(64, 64, 0.5);
        for mode in Dither::ALL.iter().filter(|d| d.is_binary()) {
            if matches!(mode, Dither::Threshold { .. }) {
                continue; // 0.5 sits exactly on the threshold; see the next test.
            }
            let f = burned(&dither(&img, mode, PIXEL_MM));
            assert!((f - 0.5).abs() <= 0.03, "{mode}: {f}");
        }
    }

    #[test]
    fn threshold_burns_below_level_only() {
        let mode = Dither::Threshold { level: 0.5 };
        let dark = dither(&Gray::new(8, 8, 0.4), &mode, PIXEL_MM);
        let light = dither(&Gray::new(8, 8, 0.6), &mode, PIXEL_MM);
        let exact = dither(&Gray::new(8, 8, 0.5), &mode, PIXEL_MM);
        assert!(dark.data.iter().all(|&p| p == 255));
        assert!(light.data.iter().all(|&p| p == 0));
        assert!(exact.data.iter().all(|&p| p == 0));
    }

    #[test]
    fn quarter_tones_keep_their_density() {
        // Luminance 0.75 is 25 % dark, 0.25 is 75 % dark. Atkinson is tested below: it
        // drops a quarter of the error by design, so it cannot keep these tones.
        for (lum, want) in [(0.75, 0.25), (0.25, 0.75)] {
            let img = Gray::new(64, 64, lum);
            for mode in error_diffusion_and_bayer().filter(|&d| d != Dither::Atkinson) {
                let f = burned(&dither(&img, &mode, PIXEL_MM));
                assert!((f - want).abs() <= 0.03, "{mode} at {lum}: {f}");
            }
        }
    }

    #[test]
    fn atkinson_pushes_tones_away_from_mid_gray() {
        // Only 3/4 of the error is passed on, so in a flat area the effective value settles
        // at 4v - 3 (light) or 4v (dark): light tones fade, dark tones go solid, mid-gray
        // stays. 10 % dark settles at 0.6 and never burns.
        let at = |darkness: f32| {
            burned(&dither(
                &Gray::new(64, 64, 1.0 - darkness),
                &Dither::Atkinson,
                PIXEL_MM,
            ))
        };
        assert_eq!(at(0.1), 0.0);
        assert_eq!(at(0.9), 1.0);
        assert!((0.1..0.22).contains(&at(0.25)), "{}", at(0.25));
        assert!((0.78..0.9).contains(&at(0.75)), "{}", at(0.75));
        assert!((at(0.5) - 0.5).abs() <= 0.03);
    }

    #[test]
    fn black_burns_everywhere_and_white_nowhere() {
        let black = Gray::new(33, 17, 0.0);
        let white = Gray::new(33, 17, 1.0);
        for mode in &Dither::ALL {
            let b = dither(&black, mode, PIXEL_MM);
            let w = dither(&white, mode, PIXEL_MM);
            assert_eq!((b.width, b.height), (33, 17));
            assert!(b.data.iter().all(|&p| p == 255), "{mode} black");
            assert!(w.data.iter().all(|&p| p == 0), "{mode} white");
        }
    }

    #[test]
    fn binary_modes_only_emit_off_or_full() {
        let mut img = Gray::new(50, 20, 0.0);
        for (i, v) in img.data.iter_mut().enumerate() {
            *v = (i % 50) as f32 / 49.0;
        }
        for mode in Dither::ALL.iter().filter(|d| d.is_binary()) {
            let l = dither(&img, mode, PIXEL_MM);
            assert!(l.data.iter().all(|&p| p == 0 || p == 255), "{mode}");
        }
    }

    #[test]
    fn grayscale_maps_luminance_to_inverse_power() {
        let img = Gray {
            width: 5,
            height: 1,
            data: vec![0.0, 1.0, 0.5, -0.2, f32::NAN],
        };
        let l = dither(&img, &Dither::Grayscale, PIXEL_MM);
        assert_eq!(l.data, [255, 0, 128, 255, 0]);
    }

    #[test]
    fn halftone_coverage_follows_darkness() {
        for angle_deg in [0.0, 45.0] {
            let mode = Dither::Halftone {
                cells_per_mm: 1.0,
                angle_deg,
            };
            for darkness in [0.1, 0.25, 0.5, 0.75, 0.9] {
                let img = Gray::new(64, 64, 1.0 - darkness);
                let f = burned(&dither(&img, &mode, PIXEL_MM));
                assert!(
                    (f - f64::from(darkness)).abs() <= 0.06,
                    "{angle_deg}° at {darkness}: {f}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for mode in Dither::ALL {
            assert_eq!(Dither::from_name(mode.name()), Some(mode), "{mode}");
        }
        let aliases = [
            ("floyd", Dither::FloydSteinberg),
            ("Floyd_Steinberg", Dither::FloydSteinberg),
            ("sierra", Dither::Sierra3),
            ("Sierra Lite", Dither::SierraLite),
            ("jarvis-judice-ninke", Dither::JarvisJudiceNinke),
            ("greyscale", Dither::Grayscale),
            (" BAYER8 ", Dither::Bayer8),
        ];
        for (name, mode) in aliases {
            assert_eq!(Dither::from_name(name), Some(mode), "{name}");
        }
        assert_eq!(Dither::from_name("stippling"), None);
        assert_eq!(Dither::from_name(""), None);
    }

    #[test]
    fn floyd_steinberg_gradient_gets_denser_towards_black() {
        // Left = black, right = white: burned fraction per 32-column band strictly falls
        // from left to right, i.e. rises monotonically towards the black end.
        let (w, h) = (256, 16);
        let mut img = Gray::new(w, h, 0.0);
        for y in 0..h {
            for x in 0..w {
                img.set(x, y, (x as f32 + 0.5) / w as f32);
            }
        }
        let l = dither(&img, &Dither::FloydSteinberg, PIXEL_MM);
        let bands: Vec<f64> = (0..w / 32)
            .map(|b| {
                let burned = (0..h)
                    .flat_map(|y| l.row(y)[b * 32..(b + 1) * 32].iter())
                    .filter(|&&p| p == 255)
                    .count();
                burned as f64 / (32 * h) as f64
            })
            .collect();
        assert!(bands.windows(2).all(|p| p[0] > p[1]), "{bands:?}");
        assert!(bands[0] > 0.85 && bands[7] < 0.15, "{bands:?}");
    }

    #[test]
    fn empty_image_gives_empty_levels() {
        for mode in &Dither::ALL {
            let l = dither(&Gray::new(0, 3, 0.5), mode, PIXEL_MM);
            assert!(l.data.is_empty());
            assert_eq!((l.width, l.height), (0, 3));
        }
    }
}
