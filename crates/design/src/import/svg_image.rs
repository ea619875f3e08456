//! `<image>` elements inside an SVG: embedded data URIs and files beside the SVG become image
//! layers placed where the SVG puts them. Links never leave the SVG's own folder.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use usvg::tiny_skia_path::Transform;

use super::image::decode_luma;
use crate::document::{Bitmap, DocPoint, Layer, LayerSource, Rgb};
use crate::{Mode, Operation};

/// The `xlink:href` resolver for strings (not data URIs): a relative path to a PNG, JPEG, GIF
/// or WebP file inside `dir` (the SVG's folder, subfolders included), at most `max_bytes`.
/// Anything else (URLs, absolute paths elsewhere, `..` out of the folder, other formats) is
/// refused with a warning naming the link.
pub(super) fn linked_image_resolver(
    dir: Option<PathBuf>,
    max_bytes: u64,
    warnings: Arc<Mutex<Vec<String>>>,
) -> usvg::ImageHrefStringResolverFn<'static> {
    Box::new(move |href: &str, _opts: &usvg::Options| {
        let refuse = |why: &str| {
            if let Ok(mut w) = warnings.lock() {
                w.push(format!("linked picture '{href}' not read: {why}"));
            }
            None
        };
        let Some(dir) = &dir else {
            return refuse("the SVG was not opened from a file, so it has no folder");
        };
        if href.contains("://") || href.starts_with("file:") {
            return refuse("only files in the SVG's own folder are read");
        }
        let (Ok(path), Ok(folder)) = (dir.join(href).canonicalize(), dir.canonicalize()) else {
            return refuse("file not found");
        };
        if !path.starts_with(&folder) {
            return refuse("it is outside the SVG's folder");
        }
        let data = match super::read_limited(&path, max_bytes) {
            Ok((_, d)) => Arc::new(d),
            Err(e) => return refuse(&e.kind.to_string()),
        };
        match image::guess_format(&data) {
            Ok(image::ImageFormat::Png) => Some(usvg::ImageKind::PNG(data)),
            Ok(image::ImageFormat::Jpeg) => Some(usvg::ImageKind::JPEG(data)),
            Ok(image::ImageFormat::Gif) => Some(usvg::ImageKind::GIF(data)),
            Ok(image::ImageFormat::WebP) => Some(usvg::ImageKind::WEBP(data)),
            // Linked SVGs could link back to themselves; pictures only.
            _ => refuse("not a PNG, JPEG, GIF or WebP picture"),
        }
    })
}

/// A picture found in the SVG, placed in doc space, waiting for its layer colour.
pub(super) struct PlacedImage {
    pub bitmap: Bitmap,
}

/// Decodes `img` and places it by `ts` (SVG user units to the canvas) scaled by `mm_per_px`.
/// Axis-aligned placements are exact (mirroring flips the pixels); rotated or skewed ones are
/// placed upright in their bounding box, with a warning.
pub(super) fn place_image(
    img: &usvg::Image,
    ts: Transform,
    mm_per_px: f64,
    max_pixels: u64,
    warnings: &mut Vec<String>,
) -> Option<PlacedImage> {
    let name = if img.id().is_empty() {
        "<image>".to_string()
    } else {
        format!("<image id=\"{}\">", img.id())
    };
    let data = match img.kind() {
        usvg::ImageKind::PNG(d)
        | usvg::ImageKind::JPEG(d)
        | usvg::ImageKind::GIF(d)
        | usvg::ImageKind::WEBP(d) => d,
        // Nested SVG pictures are walked as vector artwork by the caller.
        usvg::ImageKind::SVG(_) => return None,
    };
    let (w, h, mut luma) = match decode_luma(data, max_pixels) {
        Ok(v) => v,
        Err(e) => {
            warnings.push(format!("{name} skipped: {e}"));
            return None;
        }
    };
    // The picture spans (0, 0)..size in its own units; usvg's transform maps it to the canvas.
    let size = img.size();
    let (sw, sh) = (f64::from(size.width()), f64::from(size.height()));
    let corners = [(0.0, 0.0), (sw, 0.0), (0.0, sh), (sw, sh)].map(|(x, y)| {
        let (x, y) = (x as f32, y as f32);
        let tx = f64::from(ts.sx * x + ts.kx * y + ts.tx);
        let ty = f64::from(ts.ky * x + ts.sy * y + ts.ty);
        (tx * mm_per_px, ty * mm_per_px)
    });
    let lo = corners
        .iter()
        .fold((f64::MAX, f64::MAX), |a, c| (a.0.min(c.0), a.1.min(c.1)));
    let hi = corners
        .iter()
        .fold((f64::MIN, f64::MIN), |a, c| (a.0.max(c.0), a.1.max(c.1)));
    let size_mm = (hi.0 - lo.0, hi.1 - lo.1);
    if !(size_mm.0.is_finite() && size_mm.1.is_finite() && size_mm.0 > 0.0 && size_mm.1 > 0.0) {
        warnings.push(format!("{name} skipped: it has no area on the page"));
        return None;
    }
    let skewed = ts.kx.abs() > 1e-6 || ts.ky.abs() > 1e-6;
    if skewed {
        warnings.push(format!(
            "{name} is rotated or skewed: it is engraved upright in its bounding box"
        ));
    } else {
        let (wu, hu) = (w as usize, h as usize);
        if ts.sx < 0.0 {
            for row in luma.chunks_mut(wu) {
                row.reverse();
            }
        }
        if ts.sy < 0.0 {
            let rows: Vec<&[u8]> = luma.chunks(wu).rev().collect();
            luma = rows.concat();
            debug_assert_eq!(luma.len(), wu * hu);
        }
    }
    Some(PlacedImage {
        bitmap: Bitmap {
            width_px: w,
            height_px: h,
            luma,
            top_left: DocPoint::new(lo.0, lo.1),
            size_mm,
        },
    })
}

/// One Image layer per picture, each with a colour no other layer uses (near-black greys:
/// they read as "photo" in the layer list).
pub(super) fn image_layers(images: Vec<PlacedImage>, used: &[Rgb]) -> Vec<Layer> {
    let mut taken: Vec<Rgb> = used.to_vec();
    let mut next = 1u32;
    images
        .into_iter()
        .map(|img| {
            let colour = loop {
                // Greys 1..255, then any colour; 16 M colours outnumber any picture count.
                let c = if next < 256 {
                    Rgb(next as u8, next as u8, next as u8)
                } else {
                    Rgb((next >> 16) as u8, (next >> 8) as u8, next as u8)
                };
                next += 1;
                if !taken.contains(&c) {
                    break c;
                }
            };
            taken.push(colour);
            let mut layer = Layer::new(colour, LayerSource::Fill);
            layer.operation = Operation::defaults_for(Mode::Image);
            layer.image = Some(Arc::new(img.bitmap));
            layer
        })
        .collect()
}
