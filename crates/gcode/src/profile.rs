//! The machine a program is checked and timed against.

use serde::{Deserialize, Serialize};

/// A rectangle in work coordinates, millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WorkArea {
    pub x_min_mm: f64,
    pub x_max_mm: f64,
    pub y_min_mm: f64,
    pub y_max_mm: f64,
}

/// What Burin knows about a GRBL machine: plain data, loadable from a file (missing fields take
/// their defaults). The defaults describe a typical cheap 400 x 400 mm diode engraver.
///
/// Assumption: work coordinates coincide with the work area, i.e. the job offset (where the
/// work origin sits in machine space) is already accounted for by `work_area`. By default the
/// work area is `[0, travel_x_mm] x [0, travel_y_mm]`, the usual set-up with the origin at the
/// front-left corner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachineProfile {
    /// X travel, mm (GRBL `$130`). Default 400.
    pub travel_x_mm: f64,
    /// Y travel, mm (GRBL `$131`). Default 400.
    pub travel_y_mm: f64,
    /// Work area in work coordinates, if not `[0, travel_x] x [0, travel_y]`. Default `None`.
    pub work_area: Option<WorkArea>,
    /// S value that means 100 % laser power (GRBL `$30`). Default 1000.
    pub s_max: f64,
    /// Steps per mm of X (`$100`). Default 80 (a common diode engraver). Moves round to
    /// whole steps, and the stepper interrupt's share of an 8-bit board's CPU grows with the
    /// step rate.
    pub steps_per_mm_x: f64,
    /// Steps per mm of Y (`$101`). Default 80.
    pub steps_per_mm_y: f64,
    /// Steps per mm of Z (`$102`). Default 250.
    pub steps_per_mm_z: f64,
    /// Maximum rate of X, mm/min (`$110`). Default 6000.
    pub max_rate_x_mm_min: f64,
    /// Maximum rate of Y, mm/min (`$111`). Default 6000.
    pub max_rate_y_mm_min: f64,
    /// Maximum rate of Z, mm/min (`$112`); only used if a program moves Z. Default 1000.
    pub max_rate_z_mm_min: f64,
    /// Acceleration of X, mm/s² (`$120`). Default 1000.
    pub accel_x_mm_s2: f64,
    /// Acceleration of Y, mm/s² (`$121`). Default 1000.
    pub accel_y_mm_s2: f64,
    /// Acceleration of Z, mm/s² (`$122`); only used if a program moves Z. Default 100.
    pub accel_z_mm_s2: f64,
    /// Junction deviation, mm (`$11`): how fast corners are taken. Default 0.01.
    pub junction_deviation_mm: f64,
    /// Arc tolerance, mm (`$12`): chord error when arcs are split into lines. Default 0.002.
    pub arc_tolerance_mm: f64,
    /// Step idle delay, ms (`$1`). Default 25. An 8-bit GRBL waits this long after every full
    /// stop before it does anything else; 255 keeps the motors on and does not wait.
    pub step_idle_delay_ms: u8,
    /// Planner blocks GRBL can look ahead over (15 on an Uno); 0 means unlimited. Short
    /// segments at high feed are slower than a full-lookahead plan because GRBL must be able to
    /// stop within the blocks it holds. Default 15.
    pub planner_blocks: u32,
}

impl Default for MachineProfile {
    fn default() -> Self {
        Self {
            travel_x_mm: 400.0,
            travel_y_mm: 400.0,
            work_area: None,
            s_max: 1000.0,
            steps_per_mm_x: 80.0,
            steps_per_mm_y: 80.0,
            steps_per_mm_z: 250.0,
            max_rate_x_mm_min: 6000.0,
            max_rate_y_mm_min: 6000.0,
            max_rate_z_mm_min: 1000.0,
            accel_x_mm_s2: 1000.0,
            accel_y_mm_s2: 1000.0,
            accel_z_mm_s2: 100.0,
            junction_deviation_mm: 0.01,
            arc_tolerance_mm: 0.002,
            step_idle_delay_ms: 25,
            planner_blocks: 15,
        }
    }
}

impl MachineProfile {
    /// The rectangle every motion must stay in.
    pub fn work_area(&self) -> WorkArea {
        self.work_area.unwrap_or(WorkArea {
            x_min_mm: 0.0,
            x_max_mm: self.travel_x_mm,
            y_min_mm: 0.0,
            y_max_mm: self.travel_y_mm,
        })
    }

    /// This profile with what a `$$` dump of the machine says: travel (`$130`/`$131`), `$30`,
    /// steps per mm, rates, accelerations, `$1`, `$11` and `$12`.
    pub fn with_firmware_settings(mut self, s: &burin_firmware::Settings) -> Self {
        self.travel_x_mm = s.max_travel_mm[0];
        self.travel_y_mm = s.max_travel_mm[1];
        self.work_area = None;
        self.s_max = s.spindle_max_s;
        [
            self.steps_per_mm_x,
            self.steps_per_mm_y,
            self.steps_per_mm_z,
        ] = s.steps_per_mm;
        [
            self.max_rate_x_mm_min,
            self.max_rate_y_mm_min,
            self.max_rate_z_mm_min,
        ] = s.max_rate_mm_min;
        [self.accel_x_mm_s2, self.accel_y_mm_s2, self.accel_z_mm_s2] = s.accel_mm_s2;
        self.junction_deviation_mm = s.junction_deviation_mm;
        self.arc_tolerance_mm = s.arc_tolerance_mm;
        self.step_idle_delay_ms = s.step_idle_delay_ms;
        self
    }

    /// The firmware settings this profile stands for (laser mode on, GRBL's other defaults),
    /// for the shared firmware model.
    pub fn firmware_settings(&self) -> burin_firmware::Settings {
        let positive = |v: f64, d: f64| if v.is_finite() && v > 0.0 { v } else { d };
        let mut s = burin_firmware::Settings::default();
        s.steps_per_mm = [
            positive(self.steps_per_mm_x, 80.0),
            positive(self.steps_per_mm_y, 80.0),
            positive(self.steps_per_mm_z, 250.0),
        ];
        s.max_rate_mm_min = [
            positive(self.max_rate_x_mm_min, 6000.0),
            positive(self.max_rate_y_mm_min, 6000.0),
            positive(self.max_rate_z_mm_min, 1000.0),
        ];
        s.accel_mm_s2 = [
            positive(self.accel_x_mm_s2, 1000.0),
            positive(self.accel_y_mm_s2, 1000.0),
            positive(self.accel_z_mm_s2, 100.0),
        ];
        s.junction_deviation_mm = if self.junction_deviation_mm.is_finite() {
            self.junction_deviation_mm.max(0.0)
        } else {
            0.01
        };
        s.arc_tolerance_mm = positive(self.arc_tolerance_mm, 0.002);
        s.spindle_max_s = positive(self.s_max, 1000.0);
        s.step_idle_delay_ms = self.step_idle_delay_ms;
        s.laser_mode = true;
        s.max_travel_mm = [
            positive(self.travel_x_mm, 400.0),
            positive(self.travel_y_mm, 400.0),
            s.max_travel_mm[2],
        ];
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_work_area_is_travel_from_origin() {
        let p = MachineProfile::default();
        let a = p.work_area();
        assert_eq!(
            (a.x_min_mm, a.x_max_mm, a.y_min_mm, a.y_max_mm),
            (0.0, 400.0, 0.0, 400.0)
        );
        let custom = WorkArea {
            x_min_mm: -10.0,
            x_max_mm: 10.0,
            y_min_mm: -5.0,
            y_max_mm: 5.0,
        };
        let p = MachineProfile {
            work_area: Some(custom),
            ..p
        };
        assert_eq!(p.work_area(), custom);
        let fw = p.firmware_settings();
        assert_eq!(fw.max_rate_mm_min, [6000.0, 6000.0, 1000.0]);
        assert!(fw.laser_mode);
    }

    #[test]
    fn loads_partial_files_with_defaults_and_round_trips() {
        let p: MachineProfile =
            serde_json::from_str(r#"{"travel_x_mm": 300, "s_max": 255}"#).expect("loads");
        assert_eq!(p.travel_x_mm, 300.0);
        assert_eq!(p.s_max, 255.0);
        assert_eq!(p.travel_y_mm, 400.0);
        assert_eq!(p.junction_deviation_mm, 0.01);
        let json = serde_json::to_string(&p).expect("saves");
        let back: MachineProfile = serde_json::from_str(&json).expect("loads");
        assert_eq!(back, p);
    }

    #[test]
    fn a_dump_carries_steps_and_idle_delay_into_the_profile_and_back() {
        let (fw, notes) = burin_firmware::Settings::from_dump(
            "$1=255\n$100=160.000\n$101=100.000\n$110=3000\n$111=3000\n",
        );
        assert!(notes.is_empty(), "{notes:?}");
        let p = MachineProfile::default().with_firmware_settings(&fw);
        assert_eq!((p.steps_per_mm_x, p.steps_per_mm_y), (160.0, 100.0));
        assert_eq!(p.step_idle_delay_ms, 255);
        let back = p.firmware_settings();
        assert_eq!(back.steps_per_mm[..2], [160.0, 100.0]);
        assert_eq!(back.step_idle_delay_ms, 255);
    }
}
