//! Plain image buffers shared by the raster stages: [`Gray`] (luminance in) and [`Levels`]
//! (burn power out).

/// Grayscale image, row-major, row 0 = top. Values are luminance 0.0 (black) ..= 1.0 (white).
///
/// Invariant: `data.len() == width * height`. The fields are public so callers can build and
/// take apart images freely; the raster functions panic if the invariant is broken.
#[derive(Clone, Debug, PartialEq)]
pub struct Gray {
    /// Pixels per row.
    pub width: usize,
    /// Number of rows.
    pub height: usize,
    /// `width * height` luminance values, row after row.
    pub data: Vec<f32>,
}

impl Gray {
    /// A `width` × `height` image with every pixel set to `fill`.
    pub fn new(width: usize, height: usize, fill: f32) -> Self {
        Self {
            width,
            height,
            data: vec![fill; width * height],
        }
    }

    /// From 8-bit luma (0 = black, 255 = white), row-major. `None` if `bytes.len()` is not
    /// `width * height`.
    pub fn from_luma8(width: usize, height: usize, bytes: &[u8]) -> Option<Self> {
        if width.checked_mul(height)? != bytes.len() {
            return None;
        }
        let data = bytes.iter().map(|&b| f32::from(b) / 255.0).collect();
        Some(Self {
            width,
            height,
            data,
        })
    }

    /// Luminance at column `x`, row `y`. Panics outside the image.
    pub fn get(&self, x: usize, y: usize) -> f32 {
        self.data[self.index(x, y)]
    }

    /// Sets the luminance at column `x`, row `y`. Panics outside the image.
    pub fn set(&mut self, x: usize, y: usize, v: f32) {
        let i = self.index(x, y);
        self.data[i] = v;
    }

    /// Row `y` (0 = top). Panics if `y >= height`.
    pub fn row(&self, y: usize) -> &[f32] {
        &self.data[y * self.width..(y + 1) * self.width]
    }

    /// True when the image has no pixels.
    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    fn index(&self, x: usize, y: usize) -> usize {
        // Checked per axis: an x past the row end would otherwise silently wrap to the next row.
        assert!(
            x < self.width && y < self.height,
            "pixel ({x}, {y}) outside {}x{} image",
            self.width,
            self.height
        );
        y * self.width + x
    }

    /// Panics with a clear message instead of an index error deep inside a filter.
    pub(super) fn check(&self) {
        assert_eq!(
            self.data.len(),
            self.width * self.height,
            "Gray data length does not match {}x{}",
            self.width,
            self.height
        );
    }
}

/// Burn power per pixel, row-major, row 0 = top: 0 = laser off, 255 = full power (black).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Levels {
    /// Pixels per row.
    pub width: usize,
    /// Number of rows.
    pub height: usize,
    /// `width * height` power values, row after row.
    pub data: Vec<u8>,
}

impl Levels {
    /// Power at column `x`, row `y`. Panics outside the image.
    pub fn get(&self, x: usize, y: usize) -> u8 {
        assert!(
            x < self.width && y < self.height,
            "pixel ({x}, {y}) outside image"
        );
        self.data[y * self.width + x]
    }

    /// Row `y` (0 = top). Panics if `y >= height`.
    pub fn row(&self, y: usize) -> &[u8] {
        &self.data[y * self.width..(y + 1) * self.width]
    }
}

/// Luminance made safe to burn: clamped to 0..=1, NaN read as white so a corrupt pixel
/// leaves the laser off rather than firing it.
pub(super) fn sanitize(v: f32) -> f32 {
    if v.is_nan() { 1.0 } else { v.clamp(0.0, 1.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_luma8_checks_length_and_scales() {
        assert!(Gray::from_luma8(2, 2, &[0, 1, 2]).is_none());
        assert!(Gray::from_luma8(usize::MAX, 2, &[]).is_none());
        let g = Gray::from_luma8(2, 1, &[0, 255]).expect("length matches");
        assert_eq!(g.get(0, 0), 0.0);
        assert_eq!(g.get(1, 0), 1.0);
    }

    #[test]
    fn get_set_row() {
        let mut g = Gray::new(3, 2, 1.0);
        g.set(2, 1, 0.25);
        assert_eq!(g.get(2, 1), 0.25);
        assert_eq!(g.row(1), &[1.0, 1.0, 0.25]);
    }

    #[test]
    #[should_panic(expected = "outside")]
    fn get_past_row_end_panics() {
        Gray::new(3, 2, 1.0).get(3, 0);
    }

    #[test]
    fn sanitize_clamps_and_whitens_nan() {
        assert_eq!(sanitize(-0.5), 0.0);
        assert_eq!(sanitize(1.5), 1.0);
        assert_eq!(sanitize(f32::NAN), 1.0);
    }
}
