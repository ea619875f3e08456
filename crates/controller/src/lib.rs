//! Burin's headless application core: everything the CLI and the desktop app share, with no
//! UI. [`app::App`] is the application (commands in, state out, workers for the slow parts);
//! [`job`] converts a file to a checked program; [`settings`] persists the user's choices;
//! [`presets`] keeps the material preset library.

pub mod app;
pub mod job;
pub mod machine;
pub mod overrides;
pub mod placement;
pub mod presets;
pub mod settings;

pub use app::{App, AppConfig, AppState, Command, PresetsView};
pub use job::{
    ConvertError, ConvertOutcome, ConvertSettings, LayerSummary, Planned, check_program,
    convert_document, convert_file, convert_svg_file, import_file, plan_document,
};
pub use overrides::{LayerOverride, OverrideError};
pub use placement::{OriginMode, Placement};
pub use presets::{
    LoadOutcome, LoadSource, PresetStore, PresetStoreError, UnknownPreset, find_preset,
};
pub use settings::Settings;
