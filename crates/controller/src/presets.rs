//! The user's preset library on disk: `presets.toml` in the platform config dir.
//!
//! Saving never loses the library: the new text is written to a temporary file in the same
//! folder and synced, the file it replaces is kept as `presets.toml.bak` (only if it still
//! reads as a library), then the temporary file is renamed over it. A library that doesn't
//! parse is reported with its line, Burin carries on with the backup or the built-in presets,
//! and the broken file is copied to `presets.toml.corrupt-N` before anything is written over
//! it. A library from a newer Burin is never overwritten.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use burin_design::Preset;
use burin_design::preset::{Library, PresetError, read_preset_file};
use thiserror::Error;

/// Where a loaded library came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadSource {
    /// The library file itself.
    File,
    /// `presets.toml.bak`, because the file itself could not be used.
    Backup,
    /// The built-in starter presets: no file yet, or neither the file nor its backup loads.
    Builtin,
}

/// Why the store could not read or write.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PresetStoreError {
    /// The file exists but is not a library this Burin reads (the message has the line).
    #[error("{path}: {source}")]
    Library { path: String, source: PresetError },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// Saving would overwrite something that must be kept.
    #[error("{path}: not saved: {reason}")]
    Refused { path: String, reason: String },
}

/// The preset library and the file it lives in.
#[derive(Debug, Clone)]
pub struct PresetStore {
    path: PathBuf,
    library: Library,
    /// Set when the file on disk must not be replaced (written by a newer Burin).
    keep_file: Option<String>,
}

/// What [`PresetStore::load`] found. Loading always gives a usable library.
#[derive(Debug, Clone)]
pub struct LoadOutcome {
    pub store: PresetStore,
    pub source: LoadSource,
    /// Why the file itself was not used, with its line when it doesn't parse.
    pub error: Option<PresetStoreError>,
    /// Where the unreadable file was copied, when it was.
    pub corrupt_copy: Option<PathBuf>,
    /// Worth telling: presets out of range (with their line), an old version migrated, the
    /// backup in use, a copy that could not be made.
    pub warnings: Vec<String>,
}

/// What [`PresetStore::save`] kept beside the new file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saved {
    /// The previous library, when there was one.
    pub backup: Option<PathBuf>,
    /// The unreadable file that was in the way, copied before being replaced.
    pub corrupt_copy: Option<PathBuf>,
}

impl PresetStore {
    /// `presets.toml` in the platform config dir (`~/.config/burin` on Linux), if any.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Burin", "burin")
            .map(|d| d.config_dir().join("presets.toml"))
    }

    /// A store at `path` holding `library`, not yet saved.
    pub fn new(path: impl Into<PathBuf>, library: Library) -> Self {
        Self {
            path: path.into(),
            library,
            keep_file: None,
        }
    }

    /// Reads the library at `path`: missing → built-ins; unusable → the backup if it loads,
    /// else the built-ins, with the reason in [`LoadOutcome::error`].
    pub fn load(path: &Path) -> LoadOutcome {
        let mut out = LoadOutcome {
            store: PresetStore::new(path, Library::builtin()),
            source: LoadSource::Builtin,
            error: None,
            corrupt_copy: None,
            warnings: Vec::new(),
        };
        let failure = match read_library(path) {
            Ok(None) => return out,
            Ok(Some((library, warnings))) => {
                out.store.library = library;
                out.source = LoadSource::File;
                out.warnings = warnings;
                return out;
            }
            Err(e) => e,
        };
        match &failure {
            PresetStoreError::Library {
                source: PresetError::TooNew { .. },
                ..
            } => out.store.keep_file = Some(failure.to_string()),
            PresetStoreError::Library { .. } => match keep_corrupt_copy(path) {
                Ok(copy) => out.corrupt_copy = Some(copy),
                Err(e) => out.warnings.push(format!(
                    "{}: could not keep a copy of the broken file ({e}); it will not be overwritten",
                    path.display()
                )),
            },
            PresetStoreError::Io { .. } | PresetStoreError::Refused { .. } => {}
        }
        out.error = Some(failure);
        let bak = sibling(path, ".bak");
        if let Ok(Some((library, warnings))) = read_library(&bak) {
            out.store.library = library;
            out.source = LoadSource::Backup;
            out.warnings
                .push(format!("using the backup {}", bak.display()));
            out.warnings.extend(warnings);
        }
        out
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn library_mut(&mut self) -> &mut Library {
        &mut self.library
    }

    /// Writes the library (see the module doc for how nothing is ever lost).
    pub fn save(&self) -> Result<Saved, PresetStoreError> {
        if let Some(reason) = &self.keep_file {
            return Err(PresetStoreError::Refused {
                path: self.path.display().to_string(),
                reason: reason.clone(),
            });
        }
        save_library(&self.path, &self.library)
    }
}

/// `Ok(None)` when the file doesn't exist; the warnings name the lines of bad presets.
fn read_library(path: &Path) -> Result<Option<(Library, Vec<String>)>, PresetStoreError> {
    let lib_err = |source| PresetStoreError::Library {
        path: path.display().to_string(),
        source,
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, &e)),
        Ok(_) => {}
    }
    let text = read_preset_file(path).map_err(lib_err)?;
    let parsed = Library::parse_toml(&text).map_err(lib_err)?;
    let mut warnings: Vec<String> = parsed
        .problems
        .iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect();
    if let Some(v) = parsed.migrated_from {
        warnings.push(format!(
            "{}: library version {v} read; it is saved in the current version next time",
            path.display()
        ));
    }
    Ok(Some((parsed.library, warnings)))
}

/// Writes `library` to `path`: temporary file, sync, previous file to `.bak`, rename.
pub fn save_library(path: &Path, library: &Library) -> Result<Saved, PresetStoreError> {
    let text = library
        .to_toml()
        .map_err(|source| PresetStoreError::Library {
            path: path.display().to_string(),
            source,
        })?;
    // Never write what we could not read back.
    Library::from_toml(&text).map_err(|source| PresetStoreError::Library {
        path: path.display().to_string(),
        source,
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    }
    let mut saved = Saved::default();
    match std::fs::read(path) {
        Ok(old) => {
            let parsed = burin_design::preset::decode_text(&old)
                .and_then(|t| Library::parse_toml(&t).map(|_| ()));
            match parsed {
                Ok(()) => {
                    let bak = sibling(path, ".bak");
                    write_atomic(&bak, &old).map_err(|e| io_error(&bak, &e))?;
                    saved.backup = Some(bak);
                }
                Err(e @ PresetError::TooNew { .. }) => {
                    return Err(PresetStoreError::Refused {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    });
                }
                // A broken file is no backup: keep it aside and leave the last good .bak.
                Err(_) => {
                    let copy = keep_corrupt_copy(path).map_err(|e| PresetStoreError::Refused {
                        path: path.display().to_string(),
                        reason: format!("the unreadable library could not be copied aside ({e})"),
                    })?;
                    saved.corrupt_copy = Some(copy);
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(PresetStoreError::Refused {
                path: path.display().to_string(),
                reason: format!("the current file cannot be read to back it up ({e})"),
            });
        }
    }
    write_atomic(path, text.as_bytes()).map_err(|e| io_error(path, &e))?;
    Ok(saved)
}

/// Copies `path` to the first free `path.corrupt-N`, or finds an identical copy made before
/// (so loading a broken file again and again doesn't pile up copies).
pub fn keep_corrupt_copy(path: &Path) -> std::io::Result<PathBuf> {
    let bytes = std::fs::read(path)?;
    for n in 1..=1000 {
        let candidate = sibling(path, &format!(".corrupt-{n}"));
        match std::fs::read(&candidate) {
            Ok(existing) if existing == bytes => return Ok(candidate),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write_atomic(&candidate, &bytes)?;
                return Ok(candidate);
            }
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many corrupt copies already"))
}

/// `path` with `suffix` appended to its file name (`presets.toml` → `presets.toml.bak`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s: OsString = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, and renames it into place,
/// so `path` always holds either its old or its new content, complete.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = sibling(path, &format!(".tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        sync_dir(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes the rename itself durable (Unix; elsewhere the rename is all we can do).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn io_error(path: &Path, e: &std::io::Error) -> PresetStoreError {
    PresetStoreError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// No preset has the name asked for; `close` holds the names that contain it, or are
/// contained in it, ignoring case (else those sharing a word of 3 letters or more).
#[derive(Debug, Clone, PartialEq, Error)]
#[error("no preset named \"{name}\"{}", close_list(.close))]
pub struct UnknownPreset {
    pub name: String,
    pub close: Vec<String>,
}

fn close_list(close: &[String]) -> String {
    if close.is_empty() {
        return " (see `burin presets list`)".into();
    }
    let quoted: Vec<String> = close.iter().map(|n| format!("\"{n}\"")).collect();
    format!("; close names: {}", quoted.join(", "))
}

/// Most names [`find_preset`] suggests.
const MAX_CLOSE_NAMES: usize = 8;

/// The preset called `name` (exactly, or the only one equal ignoring case), or an error
/// listing the close names.
pub fn find_preset<'a>(library: &'a Library, name: &str) -> Result<&'a Preset, UnknownPreset> {
    if let Some(p) = library.find(name) {
        return Ok(p);
    }
    let want = name.trim().to_lowercase();
    let names = || library.presets.iter().map(|p| p.name.as_str());
    let mut close: Vec<String> = names()
        .filter(|n| {
            let n = n.to_lowercase();
            !want.is_empty() && (n.contains(&want) || want.contains(&n))
        })
        .map(String::from)
        .collect();
    if close.is_empty() {
        // A typo in one word ("plywod 3 mm cut") still finds the presets sharing another.
        let words: Vec<&str> = want.split_whitespace().filter(|w| w.len() >= 3).collect();
        close = names()
            .filter(|n| {
                let n = n.to_lowercase();
                words.iter().any(|w| n.contains(w))
            })
            .map(String::from)
            .collect();
    }
    close.truncate(MAX_CLOSE_NAMES);
    Err(UnknownPreset {
        name: name.to_string(),
        close,
    })
}

#[cfg(test)]
#[path = "presets_tests.rs"]
mod tests;
