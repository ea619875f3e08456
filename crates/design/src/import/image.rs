//! Photos and bitmaps: decoded with limits checked before anything big is allocated, turned
//! to luma with transparency composited on white, and sized from the file's DPI or the
//! width/height the user gives.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use image::{ImageDecoder, ImageReader, Limits};

use super::error::{ImportError, ImportErrorKind};
use crate::{Bitmap, DocPoint, Document, ImportInfo, Layer, LayerSource, Mode, Operation, Rgb};

/// Options for reading a picture.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageImportOptions {
    /// Largest accepted picture, pixels (checked from the header, before decoding).
    /// Default 300 megapixels.
    pub max_pixels: u64,
    /// Largest accepted file, bytes. Default 512 MiB.
    pub max_file_bytes: u64,
    /// Width on the material, mm. With only one of width/height the other keeps the aspect
    /// ratio; with neither, the file's DPI decides (else [`ImageImportOptions::fallback_dpi`]).
    pub width_mm: Option<f64>,
    /// Height on the material, mm.
    pub height_mm: Option<f64>,
    /// DPI when the file states none and no size is given. Default 254 (0.1 mm per pixel,
    /// the usual line interval, so each pixel is one burn).
    pub fallback_dpi: f64,
}

impl Default for ImageImportOptions {
    fn default() -> Self {
        Self {
            max_pixels: 300_000_000,
            max_file_bytes: 512 * 1024 * 1024,
            width_mm: None,
            height_mm: None,
            fallback_dpi: 254.0,
        }
    }
}

/// True for the extensions [`import_image_file`] reads.
pub fn is_image_path(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "png" | "jpg" | "jpeg" | "bmp" | "gif" | "webp" | "tif" | "tiff"
        )
    })
}

/// Reads a picture into a document with one Image layer (black, `#000000`).
pub fn import_image_file(path: &Path, opts: &ImageImportOptions) -> Result<Document, ImportError> {
    let (file, data) = super::read_limited(path, opts.max_file_bytes)?;
    let mut doc = import_image_bytes(&data, &file, opts)?;
    doc.info.source = Some(path.to_path_buf());
    Ok(doc)
}

/// [`import_image_file`] on bytes already read; `name` is used in messages.
pub fn import_image_bytes(
    data: &[u8],
    name: &str,
    opts: &ImageImportOptions,
) -> Result<Document, ImportError> {
    let err = |kind| ImportError {
        file: name.to_string(),
        kind,
    };
    let (w, h, luma) = decode_luma(data, opts.max_pixels).map_err(err)?;
    let (dpi, dpi_from_file) = match file_dpi(data) {
        Some(d) => (d, true),
        None => (opts.fallback_dpi, false),
    };
    let aspect = f64::from(h) / f64::from(w);
    let bad = |v: f64| !(v.is_finite() && v > 0.0);
    let size_mm = match (opts.width_mm, opts.height_mm) {
        (Some(wm), _) if bad(wm) => {
            return Err(err(ImportErrorKind::BadImageSize(format!("{wm} mm"))));
        }
        (_, Some(hm)) if bad(hm) => {
            return Err(err(ImportErrorKind::BadImageSize(format!("{hm} mm"))));
        }
        (Some(wm), Some(hm)) => (wm, hm),
        (Some(wm), None) => (wm, wm * aspect),
        (None, Some(hm)) => (hm / aspect, hm),
        (None, None) => (f64::from(w) * 25.4 / dpi, f64::from(h) * 25.4 / dpi),
    };
    let mut warnings = Vec::new();
    if !dpi_from_file && opts.width_mm.is_none() && opts.height_mm.is_none() {
        warnings.push(format!(
            "{name}: no DPI in the file: sized at {dpi} DPI ({:.1} x {:.1} mm); give a width to choose",
            size_mm.0, size_mm.1
        ));
    }
    let mut layer = Layer::new(Rgb(0, 0, 0), LayerSource::Fill);
    layer.operation = Operation::defaults_for(Mode::Image);
    layer.image = Some(Arc::new(Bitmap {
        width_px: w,
        height_px: h,
        luma,
        top_left: DocPoint::new(0.0, 0.0),
        size_mm,
    }));
    Ok(Document {
        size_mm,
        layers: vec![layer],
        info: ImportInfo {
            source: None,
            dpi,
            dpi_reason: Default::default(),
            dpi_matters: !dpi_from_file,
            warnings,
        },
    })
}

/// Decodes a picture to luma on white, refusing more than `max_pixels` from the header,
/// before anything is allocated for the pixels. Returns width, height and the luma rows.
pub(crate) fn decode_luma(
    data: &[u8],
    max_pixels: u64,
) -> Result<(u32, u32, Vec<u8>), ImportErrorKind> {
    if data.is_empty() {
        return Err(ImportErrorKind::Empty);
    }
    let reader = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .map_err(|e| ImportErrorKind::NotImage(e.to_string()))?;
    if reader.format().is_none() {
        return Err(ImportErrorKind::NotImage(
            "unknown format (the first bytes match no supported picture type)".into(),
        ));
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ImportErrorKind::BrokenImage(e.to_string()))?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(ImportErrorKind::NoPixels);
    }
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(ImportErrorKind::TooManyPixels {
            width: w,
            height: h,
            limit: max_pixels,
        });
    }
    // The decoder's own allocations stay within what the pixel limit allows (16-bit RGBA).
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    decoder
        .set_limits(limits)
        .map_err(|e| ImportErrorKind::BrokenImage(e.to_string()))?;
    let img = image::DynamicImage::from_decoder(decoder)
        .map_err(|e| ImportErrorKind::BrokenImage(e.to_string()))?;
    Ok((w, h, luma_on_white(&img)))
}

/// Rec. 709 luma of the (gamma-encoded) sRGB values, with alpha composited on white.
fn luma_on_white(img: &image::DynamicImage) -> Vec<u8> {
    let rgba = img.to_rgba8();
    rgba.pixels()
        .map(|p| {
            let [r, g, b, a] = p.0;
            let l = 0.2126 * f32::from(r) + 0.7152 * f32::from(g) + 0.0722 * f32::from(b);
            let a = f32::from(a) / 255.0;
            (l * a + 255.0 * (1.0 - a)).round().clamp(0.0, 255.0) as u8
        })
        .collect()
}

/// Pixels per inch stated in the file: PNG `pHYs` (metres) or JPEG JFIF density.
pub fn file_dpi(data: &[u8]) -> Option<f64> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if data.starts_with(PNG) {
        let mut at = 8;
        while at + 12 <= data.len() {
            let len = u32::from_be_bytes(data[at..at + 4].try_into().ok()?) as usize;
            let kind = &data[at + 4..at + 8];
            if kind == b"IDAT" {
                return None;
            }
            if kind == b"pHYs" && len >= 9 && at + 8 + 9 <= data.len() {
                let d = &data[at + 8..at + 17];
                let x = u32::from_be_bytes(d[0..4].try_into().ok()?);
                let unit = d[8];
                return (unit == 1 && x > 0).then(|| f64::from(x) * 0.0254);
            }
            at = at.checked_add(12 + len)?;
        }
        return None;
    }
    // JPEG: SOI, then APP0 "JFIF\0" with units (1 = dpi, 2 = dots per cm) and X density.
    if data.len() > 18
        && data[0] == 0xFF
        && data[1] == 0xD8
        && data[2] == 0xFF
        && data[3] == 0xE0
        && &data[6..11] == b"JFIF\0"
    {
        let units = data[13];
        let x = u16::from_be_bytes([data[14], data[15]]);
        return match (units, x) {
            (1, x) if x > 1 => Some(f64::from(x)),
            (2, x) if x > 1 => Some(f64::from(x) * 2.54),
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, dpi: Option<u32>, f: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba(f(x, y)));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("encode");
        if let Some(dpi) = dpi {
            // Insert a pHYs chunk after IHDR (8 + 25 bytes).
            let ppm = (f64::from(dpi) / 0.0254).round() as u32;
            let mut chunk = Vec::new();
            chunk.extend_from_slice(&9u32.to_be_bytes());
            chunk.extend_from_slice(b"pHYs");
            chunk.extend_from_slice(&ppm.to_be_bytes());
            chunk.extend_from_slice(&ppm.to_be_bytes());
            chunk.push(1);
            chunk.extend_from_slice(&[0, 0, 0, 0]); // CRC is not checked by the DPI reader
            out.splice(33..33, chunk);
        }
        out
    }

    #[test]
    fn size_from_dpi_width_or_fallback() {
        let data = png(100, 50, Some(254), |_, _| [0, 0, 0, 255]);
        assert_eq!(file_dpi(&data).map(|d| d.round()), Some(254.0));
        let doc = import_image_bytes(&data, "a.png", &ImageImportOptions::default());
        // A pHYs without a valid CRC may be refused by the decoder; then only DPI parsing is
        // tested here, and sizing below uses a clean file.
        if let Ok(doc) = doc {
            let s = doc.layers[0].image.as_ref().expect("bitmap").size_mm;
            assert!(
                (s.0 - 10.0).abs() < 0.01 && (s.1 - 5.0).abs() < 0.01,
                "{s:?}"
            );
        }
        let clean = png(100, 50, None, |x, _| {
            if x < 50 {
                [0, 0, 0, 255]
            } else {
                [255, 255, 255, 0]
            }
        });
        let opts = ImageImportOptions {
            width_mm: Some(40.0),
            ..Default::default()
        };
        let doc = import_image_bytes(&clean, "b.png", &opts).expect("imports");
        let b = doc.layers[0].image.clone().expect("bitmap");
        assert_eq!((b.width_px, b.height_px), (100, 50));
        assert_eq!(b.size_mm, (40.0, 20.0));
        assert_eq!(b.luma[0], 0, "black stays black");
        assert_eq!(b.luma[99], 255, "transparent is white");
        assert_eq!(doc.layers[0].operation.mode, Mode::Image);
        let doc =
            import_image_bytes(&clean, "b.png", &ImageImportOptions::default()).expect("imports");
        let s = doc.layers[0].image.as_ref().expect("bitmap").size_mm;
        assert!((s.0 - 10.0).abs() < 1e-9, "fallback 254 DPI: {s:?}");
        assert_eq!(doc.info.warnings.len(), 1);
    }

    #[test]
    fn bad_pictures_are_named_errors() {
        let e = |data: &[u8]| {
            import_image_bytes(data, "x.png", &ImageImportOptions::default()).expect_err("refused")
        };
        assert!(matches!(e(b"").kind, ImportErrorKind::Empty));
        assert!(matches!(
            e(b"hello, not a picture").kind,
            ImportErrorKind::NotImage(_)
        ));
        let good = png(20, 20, None, |_, _| [10, 20, 30, 255]);
        let truncated = &good[..good.len() / 2];
        assert!(
            matches!(e(truncated).kind, ImportErrorKind::BrokenImage(_)),
            "{:?}",
            e(truncated)
        );
        // A PNG header claiming 100000 x 100000 pixels is refused before decoding.
        let mut huge = good.clone();
        huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let k = e(&huge).kind;
        assert!(
            matches!(
                k,
                ImportErrorKind::TooManyPixels { width: 100_000, .. }
                    | ImportErrorKind::BrokenImage(_)
            ),
            "{k:?}"
        );
        let opts = ImageImportOptions {
            width_mm: Some(-3.0),
            ..Default::default()
        };
        assert!(matches!(
            import_image_bytes(&good, "x.png", &opts)
                .expect_err("bad size")
                .kind,
            ImportErrorKind::BadImageSize(_)
        ));
    }
}
