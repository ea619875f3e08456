//! Ordered dithering with Bayer matrices: a fixed threshold per position in a tiled n×n
//! pattern. No error carried between pixels, so it is fast, stable under edits, and its
//! regular cross-hatch texture suits materials that blur isolated dots (wood, leather).

use super::gray::{Gray, Levels, sanitize};

/// Dithers with the Bayer matrix of size `2^bits` (2 = 4×4, 3 = 8×8). A pixel burns when its
/// luminance is below `(index + 0.5) / n²`, so the thresholds are spread evenly inside
/// (0, 1): black always burns, white never does.
pub(super) fn bayer(img: &Gray, bits: u32) -> Levels {
    let n = 1usize << bits;
    let thresholds: Vec<f32> = (0..n * n)
        .map(|i| (bayer_index(i % n, i / n, bits) as f32 + 0.5) / (n * n) as f32)
        .collect();
    let (w, h) = (img.width, img.height);
    let mut data = Vec::with_capacity(w * h);
    for y in 0..h {
        let t_row = &thresholds[(y % n) * n..(y % n + 1) * n];
        for x in 0..w {
            let v = sanitize(img.data[y * w + x]);
            data.push(if v < t_row[x % n] { 255 } else { 0 });
        }
    }
    Levels {
        width: w,
        height: h,
        data,
    }
}

/// Position of `(x, y)` in the Bayer matrix of size `2^bits`, in 0..4^bits.
///
/// Recursive definition `M(2n) = 4·M(n) + M(2)` over the 2×2 base `[[0, 2], [3, 1]]`: the
/// lowest coordinate bits pick the most significant base-4 digit, so consecutive thresholds
/// land as far apart as possible.
fn bayer_index(x: usize, y: usize, bits: u32) -> usize {
    (0..bits).fold(0, |acc, k| {
        let (bx, by) = ((x >> k) & 1, (y >> k) & 1);
        acc * 4 + [[0, 2], [3, 1]][by][bx]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_4x4_is_the_classic_one() {
        let want = [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]];
        for (y, row) in want.iter().enumerate() {
            for (x, &v) in row.iter().enumerate() {
                assert_eq!(bayer_index(x, y, 2), v, "({x}, {y})");
            }
        }
    }

    #[test]
    fn matrix_8x8_is_a_permutation() {
        let mut seen = [false; 64];
        for y in 0..8 {
            for x in 0..8 {
                seen[bayer_index(x, y, 3)] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(bayer_index(1, 0, 3), 32);
    }
}
