//! Resizing to the engraving resolution: one output pixel per dot on the scan line.

use super::gray::Gray;

/// Resizes `src` to `out_w` × `out_h`.
///
/// Each axis is filtered on its own (the filters are separable), so an image can shrink in
/// one direction and grow in the other:
/// - shrinking: exact area averaging. An output pixel is the mean of the source area it
///   covers, edge pixels weighted by the fraction covered. Unlike point sampling this keeps
///   fine detail from aliasing into moiré and keeps the overall tone (the mean) exact.
/// - growing: bilinear interpolation between source pixel centres, clamped at the edges.
///
/// A 0-sized output is an empty image. An empty source gives white (nothing to burn) at the
/// requested size.
pub fn resample(src: &Gray, out_w: usize, out_h: usize) -> Gray {
    src.check();
    if out_w == 0 || out_h == 0 || src.is_empty() {
        return Gray::new(out_w, out_h, 1.0);
    }
    resample_rows(&src.data, src.width, src.height, out_w, out_h, |v| v)
}

/// [`resample`] straight from 8-bit luma (`width` × `height`, row-major), the same result as
/// `resample(&Gray::from_luma8(..), ..)` without a float copy of the whole source (a 4096 x
/// 4096 photo would be 64 MB of f32). `None` if the length doesn't match the size.
pub fn resample_luma8(
    width: usize,
    height: usize,
    bytes: &[u8],
    out_w: usize,
    out_h: usize,
) -> Option<Gray> {
    if width.checked_mul(height)? != bytes.len() {
        return None;
    }
    if out_w == 0 || out_h == 0 || bytes.is_empty() {
        return Some(Gray::new(out_w, out_h, 1.0));
    }
    let lut: [f32; 256] = std::array::from_fn(|b| b as f32 / 255.0);
    Some(resample_rows(
        bytes,
        width,
        height,
        out_w,
        out_h,
        |b: u8| lut[usize::from(b)],
    ))
}

fn resample_rows<T: Copy>(
    src: &[T],
    sw: usize,
    sh: usize,
    out_w: usize,
    out_h: usize,
    value: impl Fn(T) -> f32,
) -> Gray {
    let xs = axis_taps(sw, out_w);
    let ys = axis_taps(sh, out_h);

    // Horizontal pass: every source row becomes `out_w` wide.
    let mut tmp = vec![0.0f32; out_w * sh];
    for (src_row, tmp_row) in src.chunks_exact(sw).zip(tmp.chunks_exact_mut(out_w)) {
        for (t, taps) in tmp_row.iter_mut().zip(&xs) {
            *t = taps.iter().map(|&(j, w)| value(src_row[j]) * w).sum();
        }
    }
    // Vertical pass: blend whole rows, which walks memory in order.
    let mut data = vec![0.0f32; out_w * out_h];
    for (out_row, taps) in data.chunks_exact_mut(out_w).zip(&ys) {
        for &(j, w) in taps {
            let tmp_row = &tmp[j * out_w..(j + 1) * out_w];
            for (o, t) in out_row.iter_mut().zip(tmp_row) {
                *o += w * t;
            }
        }
        // Weights sum to 1 only up to rounding; keep the documented 0..=1 range.
        for o in out_row.iter_mut() {
            *o = o.clamp(0.0, 1.0);
        }
    }
    Gray {
        width: out_w,
        height: out_h,
        data,
    }
}

/// For each output index along one axis: the source indices it reads and their weights,
/// which sum to 1.
fn axis_taps(src: usize, out: usize) -> Vec<Vec<(usize, f32)>> {
    // f64 for coordinates: with thousands of pixels f32 would drift by a visible fraction.
    let scale = src as f64 / out as f64;
    if out <= src {
        (0..out)
            .map(|i| {
                // Covered interval [lo, hi) in source pixels, computed exactly from integers.
                let lo = (i * src) as f64 / out as f64;
                let hi = ((i + 1) * src) as f64 / out as f64;
                let first = lo.floor() as usize;
                let last = (hi.ceil() as usize).min(src);
                (first..last)
                    .filter_map(|j| {
                        let cover = hi.min(j as f64 + 1.0) - lo.max(j as f64);
                        (cover > 1e-12).then_some((j, (cover / scale) as f32))
                    })
                    .collect()
            })
            .collect()
    } else {
        (0..out)
            .map(|i| {
                // Centre of output pixel i, in source pixel-centre coordinates.
                let c = ((i as f64 + 0.5) * scale - 0.5).clamp(0.0, (src - 1) as f64);
                let j0 = c.floor() as usize;
                let f = c - j0 as f64;
                let j1 = (j0 + 1).min(src - 1);
                if f <= 0.0 || j1 == j0 {
                    vec![(j0, 1.0)]
                } else {
                    vec![(j0, (1.0 - f) as f32), (j1, f as f32)]
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean(g: &Gray) -> f64 {
        g.data.iter().map(|&v| f64::from(v)).sum::<f64>() / g.data.len() as f64
    }

    #[test]
    fn checkerboard_downscale_averages_to_half() {
        let mut g = Gray::new(4, 4, 0.0);
        for y in 0..4 {
            for x in 0..4 {
                g.set(x, y, ((x + y) % 2) as f32);
            }
        }
        let r = resample(&g, 2, 2);
        assert_eq!((r.width, r.height), (2, 2));
        for v in r.data {
            assert!((v - 0.5).abs() < 1e-6, "{v}");
        }
    }

    #[test]
    fn non_integer_downscale_preserves_mean() {
        let (w, h) = (37, 23);
        let data = (0..w * h)
            .map(|i| ((i * 7919) % 101) as f32 / 100.0)
            .collect();
        let g = Gray {
            width: w,
            height: h,
            data,
        };
        for (ow, oh) in [(10, 7), (3, 2), (36, 22), (1, 1), (37, 5)] {
            let r = resample(&g, ow, oh);
            assert_eq!(r.data.len(), ow * oh);
            assert!((mean(&r) - mean(&g)).abs() < 1e-4, "{ow}x{oh}");
        }
    }

    #[test]
    fn upscale_of_constant_stays_constant() {
        let g = Gray::new(3, 2, 0.3);
        for (ow, oh) in [(7, 5), (300, 2), (3, 11), (2, 9)] {
            let r = resample(&g, ow, oh);
            assert_eq!(r.data.len(), ow * oh);
            for &v in &r.data {
                assert!((v - 0.3).abs() < 1e-6, "{v}");
            }
        }
    }

    #[test]
    fn upscale_interpolates_between_centres() {
        let g = Gray {
            width: 2,
            height: 1,
            data: vec![0.0, 1.0],
        };
        let r = resample(&g, 4, 1);
        for (v, want) in r.data.iter().zip([0.0, 0.25, 0.75, 1.0]) {
            assert!((v - want).abs() < 1e-6, "{:?}", r.data);
        }
    }

    #[test]
    fn same_size_is_identity() {
        let g = Gray {
            width: 3,
            height: 1,
            data: vec![0.1, 0.5, 0.9],
        };
        assert_eq!(resample(&g, 3, 1), g);
    }

    #[test]
    fn zero_sized_output_or_input() {
        let g = Gray::new(4, 4, 0.0);
        for (w, h) in [(0, 0), (0, 5), (5, 0)] {
            let r = resample(&g, w, h);
            assert!(r.data.is_empty());
            assert_eq!((r.width, r.height), (w, h));
        }
        let r = resample(&Gray::new(0, 0, 0.0), 2, 2);
        assert_eq!(r, Gray::new(2, 2, 1.0));
    }

    #[test]
    fn from_luma8_matches_the_float_path_exactly() {
        let (w, h) = (37, 23);
        let bytes: Vec<u8> = (0..w * h).map(|i| ((i * 97) % 256) as u8).collect();
        let g = Gray::from_luma8(w, h, &bytes).expect("sizes match");
        for (ow, oh) in [(10, 7), (37, 23), (80, 50), (5, 40)] {
            let a = resample(&g, ow, oh);
            let b = resample_luma8(w, h, &bytes, ow, oh).expect("sizes match");
            assert_eq!(a.data, b.data, "{ow}x{oh}");
        }
        assert!(resample_luma8(3, 3, &bytes[..8], 2, 2).is_none());
    }
}
