//! Error diffusion: each pixel is set on or off and the rounding error is pushed onto the
//! pixels not yet visited, so the local average tone survives.

use super::gray::{Gray, Levels, sanitize};

/// A diffusion kernel: `(dx, dy, weight)` taps relative to the current pixel, for a
/// left-to-right row; every tap has `dy > 0` or `dx > 0`. Each tap receives
/// `error * weight / divisor`.
pub(super) struct Kernel {
    pub taps: &'static [(isize, usize, f32)],
    pub divisor: f32,
}

/// Floyd–Steinberg (1976).
pub(super) const FLOYD_STEINBERG: Kernel = Kernel {
    taps: &[(1, 0, 7.0), (-1, 1, 3.0), (0, 1, 5.0), (1, 1, 1.0)],
    divisor: 16.0,
};

/// Jarvis, Judice & Ninke (1976): wider, smoother, slower.
pub(super) const JARVIS_JUDICE_NINKE: Kernel = Kernel {
    taps: &[
        (1, 0, 7.0),
        (2, 0, 5.0),
        (-2, 1, 3.0),
        (-1, 1, 5.0),
        (0, 1, 7.0),
        (1, 1, 5.0),
        (2, 1, 3.0),
        (-2, 2, 1.0),
        (-1, 2, 3.0),
        (0, 2, 5.0),
        (1, 2, 3.0),
        (2, 2, 1.0),
    ],
    divisor: 48.0,
};

/// Stucki (1981): JJN's footprint with weights that favour the near neighbours.
pub(super) const STUCKI: Kernel = Kernel {
    taps: &[
        (1, 0, 8.0),
        (2, 0, 4.0),
        (-2, 1, 2.0),
        (-1, 1, 4.0),
        (0, 1, 8.0),
        (1, 1, 4.0),
        (2, 1, 2.0),
        (-2, 2, 1.0),
        (-1, 2, 2.0),
        (0, 2, 4.0),
        (1, 2, 2.0),
        (2, 2, 1.0),
    ],
    divisor: 42.0,
};

/// Atkinson (Apple, 1984): 1/8 to six neighbours, so only 3/4 of the error is passed on.
/// The lost quarter pushes near-black and near-white to solid, for crisp high contrast.
pub(super) const ATKINSON: Kernel = Kernel {
    taps: &[
        (1, 0, 1.0),
        (2, 0, 1.0),
        (-1, 1, 1.0),
        (0, 1, 1.0),
        (1, 1, 1.0),
        (0, 2, 1.0),
    ],
    divisor: 8.0,
};

/// Burkes (1988): Stucki's first two rows, cheaper.
pub(super) const BURKES: Kernel = Kernel {
    taps: &[
        (1, 0, 8.0),
        (2, 0, 4.0),
        (-2, 1, 2.0),
        (-1, 1, 4.0),
        (0, 1, 8.0),
        (1, 1, 4.0),
        (2, 1, 2.0),
    ],
    divisor: 32.0,
};

/// Sierra (1989), three rows.
pub(super) const SIERRA3: Kernel = Kernel {
    taps: &[
        (1, 0, 5.0),
        (2, 0, 3.0),
        (-2, 1, 2.0),
        (-1, 1, 4.0),
        (0, 1, 5.0),
        (1, 1, 4.0),
        (2, 1, 2.0),
        (-1, 2, 2.0),
        (0, 2, 3.0),
        (1, 2, 2.0),
    ],
    divisor: 32.0,
};

/// Sierra two-row (1990).
pub(super) const SIERRA2: Kernel = Kernel {
    taps: &[
        (1, 0, 4.0),
        (2, 0, 3.0),
        (-2, 1, 1.0),
        (-1, 1, 2.0),
        (0, 1, 3.0),
        (1, 1, 2.0),
        (2, 1, 1.0),
    ],
    divisor: 16.0,
};

/// Sierra Lite (1990): the smallest kernel, close to Floyd–Steinberg in quality.
pub(super) const SIERRA_LITE: Kernel = Kernel {
    taps: &[(1, 0, 2.0), (-1, 1, 1.0), (0, 1, 1.0)],
    divisor: 4.0,
};

/// Largest |dx| and dy of any kernel above; sizes the error buffer.
const REACH: usize = 2;
const ROWS: usize = REACH + 1;

/// Dithers `img` with `kernel`, thresholding at 0.5 (a pixel darker than mid-gray burns).
///
/// Always serpentine: odd rows run right to left with the kernel mirrored. Scanning every
/// row the same way drags the error sideways and leaves diagonal "worm" textures, which a
/// laser renders very visibly; alternating costs nothing.
pub(super) fn diffuse(img: &Gray, kernel: &Kernel) -> Levels {
    let (w, h) = (img.width, img.height);
    let scale = 1.0 / kernel.divisor;
    // Rolling error rows rather than a full f32 copy: a 300 mm photo at 0.05 mm is 36 M
    // pixels. REACH columns of padding each side swallow the error that falls off the edge.
    // rows[0] is the current row, rows[1] and rows[2] the next two.
    let mut rows: [Vec<f32>; ROWS] = std::array::from_fn(|_| vec![0.0f32; w + 2 * REACH]);
    // Taps split by row, weights pre-scaled; mirrored copies for right-to-left rows.
    let split = |mirror: bool| -> [Vec<(isize, f32)>; ROWS] {
        std::array::from_fn(|dy| {
            kernel
                .taps
                .iter()
                .filter(|t| t.1 == dy)
                .map(|&(dx, _, wt)| (if mirror { -dx } else { dx }, wt * scale))
                .collect()
        })
    };
    let (ltr, rtl_taps) = (split(false), split(true));
    let mut data = vec![0u8; w * h];
    for y in 0..h {
        let rtl = y % 2 == 1;
        let taps = if rtl { &rtl_taps } else { &ltr };
        let src = &img.data[y * w..(y + 1) * w];
        let out = &mut data[y * w..(y + 1) * w];
        let [r0, r1, r2] = &mut rows;
        for i in 0..w {
            let x = if rtl { w - 1 - i } else { i };
            // In range for every tap: |dx| <= REACH and the rows are padded by REACH.
            let at = x + REACH;
            let v = sanitize(src[x]) + r0[at];
            let burn = v < 0.5;
            out[x] = if burn { 255 } else { 0 };
            let e = v - if burn { 0.0 } else { 1.0 };
            for &(dx, wt) in &taps[0] {
                r0[at.wrapping_add_signed(dx)] += e * wt;
            }
            for &(dx, wt) in &taps[1] {
                r1[at.wrapping_add_signed(dx)] += e * wt;
            }
            for &(dx, wt) in &taps[2] {
                r2[at.wrapping_add_signed(dx)] += e * wt;
            }
        }
        // This row is done; it becomes row y + ROWS.
        rows.rotate_left(1);
        rows[ROWS - 1].fill(0.0);
    }
    Levels {
        width: w,
        height: h,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [(&str, &Kernel); 8] = [
        ("floyd-steinberg", &FLOYD_STEINBERG),
        ("jarvis", &JARVIS_JUDICE_NINKE),
        ("stucki", &STUCKI),
        ("atkinson", &ATKINSON),
        ("burkes", &BURKES),
        ("sierra3", &SIERRA3),
        ("sierra2", &SIERRA2),
        ("sierra-lite", &SIERRA_LITE),
    ];

    #[test]
    fn weights_sum_to_divisor() {
        for (name, k) in ALL {
            let sum: f32 = k.taps.iter().map(|t| t.2).sum();
            let want = if name == "atkinson" {
                k.divisor * 6.0 / 8.0
            } else {
                k.divisor
            };
            assert_eq!(sum, want, "{name}");
        }
    }

    #[test]
    fn taps_only_reach_unvisited_pixels_within_the_buffer() {
        for (name, k) in ALL {
            for &(dx, dy, _) in k.taps {
                assert!(dy > 0 || dx > 0, "{name}");
                assert!(dy <= REACH && dx.unsigned_abs() <= REACH, "{name}");
            }
        }
    }

    #[test]
    fn serpentine_rows_alternate_direction() {
        // Row 0 is white (no error carried). Row 1 runs right to left: 0.3 burns and pushes
        // +0.13 left, so the middle 0.6 stays off and pushes -0.12 onto the left 0.6, which
        // burns. Left to right would give [off, on, on].
        let mut img = Gray::new(3, 2, 1.0);
        for (x, v) in [0.6, 0.6, 0.3].into_iter().enumerate() {
            img.set(x, 1, v);
        }
        let l = diffuse(&img, &FLOYD_STEINBERG);
        assert_eq!(l.row(0), &[0, 0, 0]);
        assert_eq!(l.row(1), &[255, 0, 255]);
    }

    #[test]
    fn tiny_images_do_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (1, 5), (5, 1), (2, 2)] {
            for (_, k) in ALL {
                let l = diffuse(&Gray::new(w, h, 0.5), k);
                assert_eq!(l.data.len(), w * h);
            }
        }
    }
}
