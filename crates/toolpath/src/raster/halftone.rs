//! Clustered-dot halftone, like newspaper print: a screen of round dots that grow with the
//! darkness, rotated off the scan direction. Larger dots survive lasers and materials that
//! cannot hold single pixels.

use super::gray::{Gray, Levels, sanitize};

/// Samples per side of the table that turns spot-function values into thresholds.
const TABLE_SIDE: usize = 128;

/// Cell size used when `cells_per_mm * pixel_mm` is not a positive finite number, in pixels.
/// Offset of the screen origin from the pixel grid, in pixels. With the grid centred on a
/// cell, mirror-symmetric pixels share a threshold and switch on in groups of up to 8; at 0°
/// with an 8-pixel cell that quantizes the tone in 12.5 % steps. Unequal sub-pixel offsets
/// break the ties so the dot grows a pixel or two at a time (tone error ~2 % instead).
const SCREEN_PHASE: (f32, f32) = (0.25, 0.125);
const FALLBACK_CELL_PX: f32 = 8.0;

/// Halftones `img` with `cells_per_mm` dot cells per millimetre along the screen axes, the
/// screen rotated `angle_deg` counter-clockwise (as displayed, Y down), pixels `pixel_mm`
/// apart. A cell should span at least ~4 pixels for the dot sizes to render distinct tones.
///
/// A pixel burns when its darkness (`1 - v`) exceeds the threshold at its position in the
/// cell. Positions are ranked by the classic PostScript "round dot" spot function; the
/// threshold is the fraction of the cell ranked ahead of the position. This keeps the tone
/// exact (a 30 % dark area burns 30 % of each cell) where thresholding the raw spot value
/// would not: the dot's area grows with the square of its radius.
pub(super) fn halftone(img: &Gray, cells_per_mm: f32, angle_deg: f32, pixel_mm: f32) -> Levels {
    let freq = cells_per_mm * pixel_mm; // cells per pixel
    let freq = if freq.is_finite() && freq > 0.0 {
        freq
    } else {
        1.0 / FALLBACK_CELL_PX
    };
    let angle = if angle_deg.is_finite() {
        angle_deg
    } else {
        0.0
    };
    let (sin, cos) = angle.to_radians().sin_cos();
    let table = SpotTable::new();
    let (w, h) = (img.width, img.height);
    let mut data = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            // Pixel centre in cell units along the screen axes. Rows run down, so the screen's
            // u axis (cos, -sin) turns counter-clockwise as the engraving is seen.
            let (px, py) = (
                x as f32 + 0.5 + SCREEN_PHASE.0,
                y as f32 + 0.5 + SCREEN_PHASE.1,
            );
            let u = (px * cos - py * sin) * freq;
            let v = (px * sin + py * cos) * freq;
            // Position inside the cell, -1..1 on both axes, dot centred at 0.
            let (cu, cv) = (2.0 * (u - u.floor()) - 1.0, 2.0 * (v - v.floor()) - 1.0);
            let darkness = 1.0 - sanitize(img.data[y * w + x]);
            let burn = darkness > table.threshold(round_dot(cu, cv));
            data.push(if burn { 255 } else { 0 });
        }
    }
    Levels {
        width: w,
        height: h,
        data,
    }
}

/// The PostScript round-dot spot function on the cell `[-1, 1]²`: higher values burn
/// first. Inside the diamond `|x| + |y| <= 1` the black dot grows as a circle from the
/// centre; past 50 % it is the white corners that shrink as circles. At 50 % the cells form
/// a checkerboard.
fn round_dot(x: f32, y: f32) -> f32 {
    let (ax, ay) = (x.abs(), y.abs());
    if ax + ay <= 1.0 {
        1.0 - (ax * ax + ay * ay)
    } else {
        (ax - 1.0) * (ax - 1.0) + (ay - 1.0) * (ay - 1.0) - 1.0
    }
}

/// Spot values sampled over a cell, sorted, to rank any position within the cell.
struct SpotTable {
    sorted: Vec<f32>,
}

impl SpotTable {
    fn new() -> Self {
        let step = 2.0 / TABLE_SIDE as f32;
        let at = |i: usize| -1.0 + (i as f32 + 0.5) * step;
        let mut sorted: Vec<f32> = (0..TABLE_SIDE * TABLE_SIDE)
            .map(|i| round_dot(at(i % TABLE_SIDE), at(i / TABLE_SIDE)))
            .collect();
        sorted.sort_by(f32::total_cmp);
        Self { sorted }
    }

    /// Darkness above which a position with spot value `s` burns: the fraction of the cell
    /// with a higher spot value, kept strictly inside (0, 1) so black always burns and white
    /// never does.
    fn threshold(&self, s: f32) -> f32 {
        let n = self.sorted.len();
        let higher = n - self.sorted.partition_point(|&t| t <= s);
        (higher as f32 + 0.5) / (n as f32 + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_function_ranks_centre_first_and_corners_last() {
        assert_eq!(round_dot(0.0, 0.0), 1.0);
        assert_eq!(round_dot(1.0, 1.0), -1.0);
        assert!(round_dot(0.4, 0.4) > round_dot(0.6, 0.6));
    }

    #[test]
    fn thresholds_are_inside_the_unit_interval_and_rise_outwards() {
        let t = SpotTable::new();
        let centre = t.threshold(round_dot(0.0, 0.0));
        let corner = t.threshold(round_dot(1.0, 1.0));
        assert!(centre > 0.0 && centre < 0.01, "{centre}");
        assert!(corner < 1.0 && corner > 0.99, "{corner}");
        // The diamond |x| + |y| <= 1 is half the cell and fills first: its far vertex
        // burns at 50 %, the circle through (0.5, 0.5) at π/8 of the cell.
        assert!((t.threshold(round_dot(0.99, 0.0)) - 0.5).abs() < 0.01);
        assert!((t.threshold(round_dot(0.5, 0.5)) - std::f32::consts::FRAC_PI_8).abs() < 0.01);
    }

    #[test]
    fn dots_cluster() {
        // 20 % darkness, 10-pixel cells: the burned pixels form a blob in each cell centre.
        let l = halftone(&Gray::new(20, 20, 0.8), 1.0, 0.0, 0.1);
        assert_eq!(l.get(4, 4), 255);
        assert_eq!(l.get(5, 5), 255);
        assert_eq!(l.get(0, 0), 0);
        assert_eq!(l.get(9, 9), 0);
    }

    #[test]
    fn aligned_screen_keeps_tone() {
        // 0°, 8-pixel cells: the worst case for ties between mirror-image pixels.
        for k in 1..20 {
            let darkness = k as f32 / 20.0;
            let l = halftone(&Gray::new(64, 64, 1.0 - darkness), 1.0, 0.0, 0.125);
            let f = l.data.iter().filter(|&&p| p == 255).count() as f32 / 4096.0;
            assert!((f - darkness).abs() <= 0.03, "{darkness}: {f}");
        }
    }

    #[test]
    fn bad_parameters_fall_back_to_a_usable_screen() {
        let img = Gray::new(32, 32, 0.5);
        for (cells, pixel) in [(0.0, 0.1), (1.0, f32::NAN), (-1.0, 0.1)] {
            let l = halftone(&img, cells, f32::INFINITY, pixel);
            let burned = l.data.iter().filter(|&&p| p == 255).count();
            assert!((450..=574).contains(&burned), "{burned}");
        }
    }
}
