//! Reading artwork files into a [`Document`](crate::Document).
//!
//! Every failure is an [`ImportError`] naming the file and the problem, never a panic: the
//! input is untrusted (broken, hostile or simply not an SVG).

mod error;
mod image;
mod svg;
mod svg_image;
mod units;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use error::{ImportError, ImportErrorKind};
pub use image::{
    ImageImportOptions, file_dpi, import_image_bytes, import_image_file, is_image_path,
};
pub use units::{DpiChoice, DpiReason};

use crate::Document;

/// Options for reading an SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// Pixels per inch for `px` and unit-less lengths. Default [`DpiChoice::Auto`]: 96 (the
    /// CSS standard) unless the file says it came from Inkscape before 0.92 (90) or Adobe
    /// Illustrator (72). Lengths in mm, cm, in, pt and pc are exact whatever this says.
    pub dpi: DpiChoice,
    /// Also load the system's fonts for `<text>`. Default false: only the bundled Noto Sans,
    /// so a file converts identically on every machine.
    pub system_fonts: bool,
    /// Largest accepted file, bytes (after gzip decompression for .svgz). Default 256 MiB.
    pub max_file_bytes: u64,
    /// Deepest accepted element nesting. Default 256 (real drawings stay under ~30); deeper
    /// files are refused instead of exhausting the stack.
    pub max_depth: usize,
    /// Largest accepted coordinate magnitude, mm. Default 100 000 (100 m).
    pub max_coordinate_mm: f64,
    /// Largest picture inside the SVG (`<image>`), pixels, checked from its header before
    /// decoding. Default 300 megapixels.
    pub max_image_pixels: u64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            dpi: DpiChoice::Auto,
            system_fonts: false,
            max_file_bytes: 256 * 1024 * 1024,
            max_depth: 256,
            max_coordinate_mm: 100_000.0,
            max_image_pixels: 300_000_000,
        }
    }
}

impl ImportOptions {
    pub fn with_dpi(mut self, dpi: DpiChoice) -> Self {
        self.dpi = dpi;
        self
    }
}

/// How a file was read: what a user should be shown next to the import.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportInfo {
    /// The file, when imported from one.
    pub source: Option<PathBuf>,
    /// Pixels per inch used for px and unit-less lengths.
    pub dpi: f64,
    pub dpi_reason: DpiReason,
    /// False when the page size is given in absolute units (mm, in, …), so the DPI choice
    /// changes nothing.
    pub dpi_matters: bool,
    /// Things that were skipped or approximated (bitmaps, masks, unknown paints, …).
    pub warnings: Vec<String>,
}

/// Reads and imports an SVG (or gzip-compressed SVGZ) file.
pub fn import_svg_file(path: &Path, opts: &ImportOptions) -> Result<Document, ImportError> {
    let (file, data) = read_limited(path, opts.max_file_bytes)?;
    let dir = path.parent().map(Path::to_path_buf);
    let mut doc = import_svg_bytes(&data, &file, dir.as_deref(), opts)?;
    doc.info.source = Some(path.to_path_buf());
    Ok(doc)
}

/// Reads a file for import, refusing folders and files over `max_bytes` before reading.
/// Returns the name used in messages and the bytes.
pub(crate) fn read_limited(path: &Path, max_bytes: u64) -> Result<(String, Vec<u8>), ImportError> {
    let file = path.display().to_string();
    let err = |kind| ImportError {
        file: file.clone(),
        kind,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(ImportErrorKind::Io(e.to_string())))?;
    if meta.is_dir() {
        return Err(err(ImportErrorKind::Io("is a directory".into())));
    }
    if meta.len() > max_bytes {
        return Err(err(ImportErrorKind::TooLarge {
            bytes: meta.len(),
            limit: max_bytes,
        }));
    }
    let data = std::fs::read(path).map_err(|e| err(ImportErrorKind::Io(e.to_string())))?;
    Ok((file, data))
}

/// Imports SVG bytes. `name` is used in error messages; `resources_dir` is the folder that
/// relative links resolve against (`<image>` files are read only from inside it).
pub fn import_svg_bytes(
    data: &[u8],
    name: &str,
    resources_dir: Option<&Path>,
    opts: &ImportOptions,
) -> Result<Document, ImportError> {
    svg::import(data, resources_dir, opts).map_err(|kind| ImportError {
        file: name.to_string(),
        kind,
    })
}
