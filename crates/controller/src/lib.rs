//! Burin's headless application core: everything the CLI and the desktop app share, with no
//! UI and no I/O beyond reading the input file.

pub mod job;
pub mod overrides;

pub use job::{
    ConvertError, ConvertOutcome, ConvertSettings, LayerSummary, convert_document, convert_svg_file,
};
pub use overrides::{LayerOverride, OverrideError};
