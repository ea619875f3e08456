//! Burin design: the Document (artwork in millimetres, grouped into layers by colour, each
//! layer carrying an [`Operation`]), its import from SVG, material [`preset`]s, the
//! material [`test_grid`] generator (labelled with [`stroke_font`]) and SVG export.
//!
//! Doc space: millimetres, Y down, origin at the top-left of the SVG page. Everything in a
//! [`Document`] is in doc space; the Y flip to machine space happens later, in
//! `burin_toolpath::machine_from_doc`, and nowhere else.

mod document;
pub mod import;
mod operation;
pub mod preset;
pub mod stroke_font;
mod svg_export;
pub mod test_grid;

pub use document::*;
pub use import::{
    DpiChoice, DpiReason, ImageImportOptions, ImportError, ImportInfo, ImportOptions,
    import_image_bytes, import_image_file, import_svg_bytes, import_svg_file, is_image_path,
};
pub use operation::*;
pub use preset::{ImportReport, Library, Preset, PresetError, PresetFormat};
pub use svg_export::document_to_svg;
