//! The material preset commands: give a layer a preset's settings, keep a layer's settings as
//! a preset, edit and delete presets. The library is small and changes are rare, so each
//! change is saved at once (atomically, the previous file kept as `.bak`: see
//! [`crate::presets`]); the library the window shows is `state.presets.library`.

use std::path::PathBuf;

use burin_design::{Library, Mode, Operation, Preset, Rgb};

use super::state::PresetsView;
use super::{App, Level, Notice};
use crate::presets::{LoadSource, PresetStore};

/// The preset [`Command::SaveLayerAsPreset`](super::Command::SaveLayerAsPreset) makes of a
/// layer's operation: texts trimmed, what the operation does taken as it is. The window
/// builds it too, to check it (`Preset::validate`) while the user types.
pub fn layer_preset(
    op: &Operation,
    name: &str,
    material: &str,
    thickness_mm: Option<f64>,
    machine: &str,
    notes: &str,
) -> Preset {
    let mut preset = Preset::from_operation(name.trim(), material.trim(), thickness_mm, op);
    preset.machine = machine.trim().to_string();
    preset.notes = notes.trim().to_string();
    preset
}

/// True when `library`'s preset `name` exists and applying it would leave `op` as it is:
/// the layer still has that preset's settings.
pub fn preset_matches(library: &Library, name: &str, op: &Operation) -> bool {
    library.find(name).is_some_and(|p| {
        let mut applied = *op;
        p.apply_to(&mut applied);
        applied == *op
    })
}

/// Loads the library at `path` (no path: the built-ins, in memory), adding a notice for
/// anything wrong with it. Always gives a usable library: a broken file is reported, and
/// the backup or the built-ins are used instead.
pub(super) fn load(
    path: Option<PathBuf>,
    notices: &mut Vec<Notice>,
) -> (PresetsView, Option<PresetStore>) {
    let Some(path) = path else {
        return (PresetsView::default(), None);
    };
    let out = PresetStore::load(&path);
    for w in &out.warnings {
        notices.push(Notice::new(Level::Warning, "notice-presets-warning").arg("warning", w));
    }
    if let Some(copy) = &out.corrupt_copy {
        notices
            .push(Notice::new(Level::Info, "notice-presets-copy-kept").arg("copy", copy.display()));
    }
    // Last, so it is the one the status bar shows at start.
    if let Some(e) = &out.error {
        let key = match out.source {
            LoadSource::Backup => "notice-presets-unreadable-backup",
            LoadSource::File | LoadSource::Builtin => "notice-presets-unreadable-builtin",
        };
        notices.push(Notice::new(Level::Error, key).arg("error", e));
    }
    let view = PresetsView {
        library: out.store.library().clone(),
        path: Some(path),
        source: out.source,
        load_error: out.error.as_ref().map(ToString::to_string),
        corrupt_copy: out.corrupt_copy.clone(),
        warnings: out.warnings.clone(),
    };
    (view, Some(out.store))
}

impl App {
    /// Gives layer `colour` the settings of preset `name`, then re-plans (as `EditLayer`).
    pub(super) fn apply_preset(&mut self, colour: Rgb, name: &str) {
        let Some(preset) = self.state.presets.library.find(name).cloned() else {
            self.notice(Notice::new(Level::Error, "notice-preset-not-found").arg("name", name));
            return;
        };
        let Some((has_image, mut op, layer)) = self.layer(colour) else {
            return;
        };
        // A picture can only be engraved as an image, and shapes never are.
        if has_image != (preset.mode == Mode::Image) {
            self.notice(
                Notice::new(Level::Error, "notice-preset-wrong-mode")
                    .arg("name", &preset.name)
                    .arg("layer", layer),
            );
            return;
        }
        preset.apply_to(&mut op);
        // A hand-edited library may hold out-of-range presets (reported at load).
        if let Err(why) = op.validate() {
            self.notice(Notice::new(Level::Error, "notice-layer-invalid").arg("error", why));
            return;
        }
        if let Some(row) = self
            .state
            .design
            .as_mut()
            .and_then(|d| d.layers.iter_mut().find(|l| l.colour == colour))
        {
            row.operation = op;
            row.preset = Some(preset.name.clone());
        }
        self.regenerate();
        self.notice(
            Notice::new(Level::Info, "notice-preset-applied")
                .arg("name", &preset.name)
                .arg("layer", layer),
        );
    }

    /// Keeps layer `colour`'s settings as a preset (replacing one of the same name), saved.
    pub(super) fn save_layer_as_preset(
        &mut self,
        colour: Rgb,
        name: String,
        material: String,
        thickness_mm: Option<f64>,
        machine: String,
        notes: String,
    ) {
        let Some((_, op, _)) = self.layer(colour) else {
            self.notice(Notice::new(Level::Warning, "notice-no-design"));
            return;
        };
        let preset = layer_preset(&op, &name, &material, thickness_mm, &machine, &notes);
        let name = preset.name.clone();
        match self.state.presets.library.replace(preset) {
            Ok(old) => {
                // The layer now has that preset's settings: the picker names it.
                if let Some(row) = self
                    .state
                    .design
                    .as_mut()
                    .and_then(|d| d.layers.iter_mut().find(|l| l.colour == colour))
                {
                    row.preset = Some(name.clone());
                }
                if self.save_presets() {
                    let key = if old.is_some() {
                        "notice-preset-replaced"
                    } else {
                        "notice-preset-saved"
                    };
                    self.notice(Notice::new(Level::Info, key).arg("name", name));
                }
            }
            Err(e) => {
                self.notice(Notice::new(Level::Error, "notice-preset-invalid").arg("error", e));
            }
        }
    }

    /// Replaces preset `name` with `preset` (possibly renamed), saved.
    pub(super) fn update_preset(&mut self, name: &str, preset: Preset) {
        let new_name = preset.name.clone();
        match self.state.presets.library.update(name, preset) {
            Ok(()) => {
                if self.save_presets() {
                    self.notice(
                        Notice::new(Level::Info, "notice-preset-updated").arg("name", new_name),
                    );
                }
            }
            Err(e) => {
                self.notice(Notice::new(Level::Error, "notice-preset-invalid").arg("error", e));
            }
        }
    }

    /// Removes preset `name`, saved.
    pub(super) fn delete_preset(&mut self, name: &str) {
        match self.state.presets.library.remove(name) {
            Ok(p) => {
                if self.save_presets() {
                    self.notice(
                        Notice::new(Level::Info, "notice-preset-deleted").arg("name", p.name),
                    );
                }
            }
            Err(_) => {
                self.notice(Notice::new(Level::Error, "notice-preset-not-found").arg("name", name));
            }
        }
    }

    /// Writes the library to its file (nothing to do for an in-memory library). On failure
    /// the change stays in memory and the user is told why it was not saved.
    fn save_presets(&mut self) -> bool {
        let Some(store) = self.preset_store.as_mut() else {
            return true;
        };
        store.library_mut().clone_from(&self.state.presets.library);
        match store.save() {
            Ok(saved) => {
                let p = &mut self.state.presets;
                p.source = LoadSource::File;
                p.load_error = None;
                if let Some(copy) = saved.corrupt_copy {
                    p.corrupt_copy = Some(copy.clone());
                    self.notice(
                        Notice::new(Level::Info, "notice-presets-copy-kept")
                            .arg("copy", copy.display()),
                    );
                }
                true
            }
            Err(e) => {
                self.notice(Notice::new(Level::Error, "notice-presets-not-saved").arg("error", e));
                false
            }
        }
    }

    /// Layer `colour` of the open design: (holds a picture, operation, name).
    fn layer(&self, colour: Rgb) -> Option<(bool, Operation, String)> {
        self.state
            .design
            .as_ref()?
            .layers
            .iter()
            .find(|l| l.colour == colour)
            .map(|l| (l.has_image, l.operation, l.name.clone()))
    }
}
