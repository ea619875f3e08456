//! The user's settings, saved as TOML in the platform config directory: machine profile,
//! port, recent files, language, jog and frame settings, window layout.
//!
//! Saving never leaves a half-written file: write a temporary file beside it, then rename.
//! A file that does not parse is reported with its line and left untouched (defaults are
//! used), so a hand edit gone wrong costs nothing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::placement::OriginMode;

/// Current settings format. Older files load (missing fields take defaults).
pub const SETTINGS_VERSION: u32 = 1;

/// Most recent files remembered.
pub const MAX_RECENT: usize = 10;

/// The machine as Burin last knew it (refreshed from `$$` on connect).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachineSettings {
    /// Last port used: a path or `sim`. Default: none (the app picks).
    pub port: Option<String>,
    /// Baud rate. Default 115200 (GRBL 1.1).
    pub baud: u32,
    /// Work area width ($130), mm. Default 400.
    pub work_x_mm: f64,
    /// Work area height ($131), mm. Default 400.
    pub work_y_mm: f64,
    /// `S` of full power ($30). Default 1000.
    pub s_max: f64,
    /// Max rates ($110/$111), mm/min. Default 5000.
    pub max_rate_x_mm_min: f64,
    pub max_rate_y_mm_min: f64,
    /// Accelerations ($120/$121), mm/s². Default 1000.
    pub accel_x_mm_s2: f64,
    pub accel_y_mm_s2: f64,
    /// The machine has a Z axis worth jogging. Default false (most diode lasers).
    pub has_z: bool,
    /// Junction deviation (`$11`), mm: how fast corners are taken. Default 0.01.
    pub junction_deviation_mm: f64,
    /// Arc tolerance (`$12`), mm. Default 0.002.
    pub arc_tolerance_mm: f64,
    /// Planner blocks the firmware reported (`Bf:`), for the time estimate. Default 15.
    pub planner_blocks: u32,
    /// Steps per mm of X and Y (`$100`, `$101`), for the time estimate. Default 80.
    pub steps_per_mm_x: f64,
    pub steps_per_mm_y: f64,
    /// Step idle delay (`$1`), ms, for the time estimate. Default 25.
    pub step_idle_delay_ms: u8,
}

impl Default for MachineSettings {
    fn default() -> Self {
        let p = burin_gcode::MachineProfile::default();
        Self {
            port: None,
            baud: burin_link::DEFAULT_BAUD,
            work_x_mm: p.travel_x_mm,
            work_y_mm: p.travel_y_mm,
            s_max: p.s_max,
            max_rate_x_mm_min: p.max_rate_x_mm_min,
            max_rate_y_mm_min: p.max_rate_y_mm_min,
            accel_x_mm_s2: p.accel_x_mm_s2,
            accel_y_mm_s2: p.accel_y_mm_s2,
            has_z: false,
            junction_deviation_mm: p.junction_deviation_mm,
            arc_tolerance_mm: p.arc_tolerance_mm,
            planner_blocks: p.planner_blocks,
            steps_per_mm_x: p.steps_per_mm_x,
            steps_per_mm_y: p.steps_per_mm_y,
            step_idle_delay_ms: p.step_idle_delay_ms,
        }
    }
}

impl MachineSettings {
    /// The profile programs are planned and checked against.
    pub fn profile(&self) -> burin_gcode::MachineProfile {
        let ok = |v: f64, d: f64| if v.is_finite() && v > 0.0 { v } else { d };
        let d = burin_gcode::MachineProfile::default();
        burin_gcode::MachineProfile {
            travel_x_mm: ok(self.work_x_mm, d.travel_x_mm),
            travel_y_mm: ok(self.work_y_mm, d.travel_y_mm),
            s_max: ok(self.s_max, d.s_max),
            max_rate_x_mm_min: ok(self.max_rate_x_mm_min, d.max_rate_x_mm_min),
            max_rate_y_mm_min: ok(self.max_rate_y_mm_min, d.max_rate_y_mm_min),
            accel_x_mm_s2: ok(self.accel_x_mm_s2, d.accel_x_mm_s2),
            accel_y_mm_s2: ok(self.accel_y_mm_s2, d.accel_y_mm_s2),
            // $11 may be 0 (stop at every corner); only a negative or broken value is ignored.
            junction_deviation_mm: if self.junction_deviation_mm.is_finite()
                && self.junction_deviation_mm >= 0.0
            {
                self.junction_deviation_mm
            } else {
                d.junction_deviation_mm
            },
            arc_tolerance_mm: ok(self.arc_tolerance_mm, d.arc_tolerance_mm),
            planner_blocks: if self.planner_blocks > 0 {
                self.planner_blocks
            } else {
                d.planner_blocks
            },
            steps_per_mm_x: ok(self.steps_per_mm_x, d.steps_per_mm_x),
            steps_per_mm_y: ok(self.steps_per_mm_y, d.steps_per_mm_y),
            step_idle_delay_ms: self.step_idle_delay_ms,
            ..d
        }
    }

    /// Takes the values a connected machine reported.
    pub fn update_from(&mut self, p: &burin_gcode::MachineProfile) {
        self.work_x_mm = p.travel_x_mm;
        self.work_y_mm = p.travel_y_mm;
        self.s_max = p.s_max;
        self.max_rate_x_mm_min = p.max_rate_x_mm_min;
        self.max_rate_y_mm_min = p.max_rate_y_mm_min;
        self.accel_x_mm_s2 = p.accel_x_mm_s2;
        self.accel_y_mm_s2 = p.accel_y_mm_s2;
        self.junction_deviation_mm = p.junction_deviation_mm;
        self.arc_tolerance_mm = p.arc_tolerance_mm;
        self.planner_blocks = p.planner_blocks;
        self.steps_per_mm_x = p.steps_per_mm_x;
        self.steps_per_mm_y = p.steps_per_mm_y;
        self.step_idle_delay_ms = p.step_idle_delay_ms;
    }
}

/// Jogging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JogSettings {
    /// Step of one click, mm. Default 1.
    pub step_mm: f64,
    /// Jog feed, mm/min. Default 3000.
    pub feed_mm_min: f64,
}

impl Default for JogSettings {
    fn default() -> Self {
        Self {
            step_mm: 1.0,
            feed_mm_min: 3000.0,
        }
    }
}

/// Framing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FrameSettings {
    /// Laser power while framing, % of full power; capped at [`FRAME_POWER_CAP_PCT`].
    /// Default 0 (laser off).
    pub power_pct: f64,
    /// Framing feed, mm/min. Default 3000.
    pub feed_mm_min: f64,
}

/// The most power framing ever uses, % (enough to see the dot, too little to mark).
pub const FRAME_POWER_CAP_PCT: f64 = 5.0;

impl Default for FrameSettings {
    fn default() -> Self {
        Self {
            power_pct: 0.0,
            feed_mm_min: 3000.0,
        }
    }
}

/// Window layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WindowSettings {
    /// Inner size, logical points. Default 1280 x 800.
    pub width: f32,
    pub height: f32,
    /// Show the console panel. Default true.
    pub show_console: bool,
}

impl Default for WindowSettings {
    fn default() -> Self {
        Self {
            width: 1280.0,
            height: 800.0,
            show_console: true,
        }
    }
}

/// Everything saved between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    /// UI language code (`en`, `fr`); `None` follows the system locale.
    pub language: Option<String>,
    /// Most recent first, at most [`MAX_RECENT`].
    pub recent_files: Vec<PathBuf>,
    pub machine: MachineSettings,
    pub jog: JogSettings,
    pub frame: FrameSettings,
    pub window: WindowSettings,
    /// Origin mode for new jobs.
    pub origin_mode: OriginMode,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            language: None,
            recent_files: Vec::new(),
            machine: MachineSettings::default(),
            jog: JogSettings::default(),
            frame: FrameSettings::default(),
            window: WindowSettings::default(),
            origin_mode: OriginMode::default(),
        }
    }
}

/// Why settings could not be read or written.
#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error(
        "{path}: written by a newer Burin (settings version {found}, this one reads {SETTINGS_VERSION})"
    )]
    TooNew { path: String, found: u32 },
}

impl Settings {
    /// `settings.toml` in the platform config dir (`~/.config/burin` on Linux), if the
    /// platform has one.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Burin", "burin")
            .map(|d| d.config_dir().join("settings.toml"))
    }

    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Settings, SettingsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => {
                return Err(SettingsError::Io {
                    path: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        let s: Settings = toml::from_str(&text).map_err(|e| SettingsError::Parse {
            path: path.display().to_string(),
            // toml's message names the line and column.
            message: e.to_string().trim().to_string(),
        })?;
        if s.version > SETTINGS_VERSION {
            return Err(SettingsError::TooNew {
                path: path.display().to_string(),
                found: s.version,
            });
        }
        Ok(Settings {
            version: SETTINGS_VERSION,
            ..s
        })
    }

    /// Writes `path` atomically (temporary file in the same folder, then rename).
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let io = |e: std::io::Error| SettingsError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let text = toml::to_string_pretty(self).map_err(|e| SettingsError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Puts `path` at the top of the recent files.
    pub fn push_recent(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_path_buf());
        self.recent_files.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("burin-settings-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn round_trip_and_missing_file() {
        let dir = tmp_dir("rt");
        let path = dir.join("settings.toml");
        assert_eq!(
            Settings::load(&path).expect("missing = default"),
            Settings::default()
        );
        let mut s = Settings {
            language: Some("fr".into()),
            ..Settings::default()
        };
        s.push_recent(Path::new("/tmp/a.svg"));
        s.push_recent(Path::new("/tmp/b.svg"));
        s.push_recent(Path::new("/tmp/a.svg"));
        s.machine.work_x_mm = 300.0;
        s.save(&path).expect("saves");
        let back = Settings::load(&path).expect("loads");
        assert_eq!(back, s);
        assert_eq!(back.recent_files[0], PathBuf::from("/tmp/a.svg"));
        assert_eq!(back.recent_files.len(), 2);
        assert!(!path.with_extension("toml.tmp").exists());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn old_partial_file_loads_and_broken_file_names_its_line() {
        let dir = tmp_dir("old");
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("settings.toml");
        std::fs::write(&path, "language = \"fr\"\n[machine]\nwork_x_mm = 250.0\n").expect("w");
        let s = Settings::load(&path).expect("old files load");
        assert_eq!(s.machine.work_x_mm, 250.0);
        assert_eq!(s.machine.baud, 115200);
        std::fs::write(&path, "language = \"fr\"\n[machine\n").expect("w");
        let e = Settings::load(&path).expect_err("broken").to_string();
        assert!(e.contains("line 2"), "{e}");
        std::fs::write(&path, "version = 99\n").expect("w");
        assert!(matches!(
            Settings::load(&path),
            Err(SettingsError::TooNew { .. })
        ));
        let _ = std::fs::remove_dir_all(dir);
    }
}
