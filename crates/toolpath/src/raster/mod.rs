//! Image processing for raster engraving: photos and bitmaps burned line by line.
//!
//! Pure functions over plain buffers; turning rows into moves is a later step. The usual
//! pipeline, as in LightBurn and LaserGRBL:
//!
//! 1. [`resample`] the image to one pixel per scan-line dot: `width_mm / pixel_mm` by
//!    `height_mm / pixel_mm`, where `pixel_mm` is the line interval (e.g. 0.1 mm = 254 DPI).
//! 2. [`adjust`] brightness, contrast, gamma and inversion.
//! 3. [`dither`] to burn power per pixel ([`Levels`]): on/off for every mode except
//!    [`Dither::Grayscale`], which varies the power.
//!
//! Conventions: [`Gray`] holds luminance (0.0 black ..= 1.0 white), [`Levels`] holds power
//! (0 off ..= 255 full). Dark means burn, so 1.0 maps to 0 and 0.0 to 255. Row 0 is the top.

mod adjust;
mod diffusion;
mod dither;
mod gray;
mod halftone;
mod ordered;
mod resample;
pub mod scan;

pub use adjust::{Adjust, adjust};
pub use dither::{Dither, dither};
pub use gray::{Gray, Levels};
pub use resample::{resample, resample_luma8};
pub use scan::{auto_overscan_mm, process, scan_lines};
