use thiserror::Error;

/// An import failure: which file, and what is wrong with it.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("{file}: {kind}")]
pub struct ImportError {
    pub file: String,
    pub kind: ImportErrorKind,
}

/// What went wrong, in words a user can act on.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ImportErrorKind {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("the file is empty")]
    Empty,
    #[error("file is {bytes} bytes, more than the {limit}-byte limit")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("not an SVG: {0}")]
    NotSvg(String),
    #[error("broken gzip data (.svgz): {0}")]
    Gzip(String),
    #[error("XML error at line {line}, column {column}: {message}")]
    Xml {
        line: u32,
        column: u32,
        message: String,
    },
    #[error("elements nested {depth} deep at line {line}, more than the limit of {limit}")]
    TooDeep {
        depth: usize,
        limit: usize,
        line: u32,
    },
    #[error(
        "the document has no usable size (width, height or viewBox is zero, negative or missing)"
    )]
    InvalidSize,
    #[error("not a picture Burin can read (PNG, JPEG, BMP, GIF, WebP, TIFF): {0}")]
    NotImage(String),
    #[error("broken or truncated picture: {0}")]
    BrokenImage(String),
    #[error(
        "the picture is {width} x {height} pixels ({} megapixels), more than the limit of {} megapixels",
        (*width as u64 * *height as u64) / 1_000_000,
        limit / 1_000_000
    )]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("the picture has no pixels")]
    NoPixels,
    #[error("size {0}: give a width or height above 0 mm")]
    BadImageSize(String),
    #[error("too many elements (usvg's limit is 1,000,000)")]
    TooManyElements,
    #[error("coordinate {value} mm in element '{element}' is out of range (limit ±{limit} mm)")]
    BadCoordinate {
        element: String,
        value: f64,
        limit: f64,
    },
}
