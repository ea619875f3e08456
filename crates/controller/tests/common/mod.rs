//! Shared test helpers: the corpus location and conversion settings.

#![allow(dead_code)]

use std::path::PathBuf;

use burin_controller::ConvertSettings;
use burin_gcode::MachineProfile;

/// The shared corpus, or None (with a printed reason) when it is absent. In CI (`CI` set) its
/// absence is a failure, not a skip.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("MANIFEST.md").is_file() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "corpus not found at {} and CI is set: corpus tests must run in CI",
            dir.display()
        );
    }
    eprintln!(
        "skipping: corpus not found at {} (it lives beside the repository on the team's machines)",
        dir.display()
    );
    None
}

/// Settings for corpus files: default everything, but a machine big enough for any of them.
pub fn big_machine() -> ConvertSettings {
    ConvertSettings {
        profile: MachineProfile {
            travel_x_mm: 2000.0,
            travel_y_mm: 2000.0,
            ..MachineProfile::default()
        },
        ..ConvertSettings::default()
    }
}
