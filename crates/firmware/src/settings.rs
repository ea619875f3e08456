//! GRBL's `$` settings (the EEPROM): values, the rules `$n=value` checks, and the `$$` dump.

/// `printFloat`-like fixed formatting that never prints `-0` for an exact zero.
pub fn fmt_fixed(v: f64, decimals: usize) -> String {
    let v = if v == 0.0 { 0.0 } else { v };
    let s = format!("{v:.decimals$}");
    // GRBL rounds -0.0004 to "-0.000" too, so only exact zero is normalised above; but a
    // value that rounds to zero from a float error of a step count should read "0.000".
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') && v.abs() < 1e-9 {
        return s[1..].to_string();
    }
    s
}

/// Number of axes GRBL drives (X, Y, Z).
pub const N_AXIS: usize = 3;

/// Status codes returned by `$n=value` (same numbers as GRBL's `error:N`).
pub const STATUS_OK: u8 = 0;
pub const STATUS_BAD_NUMBER: u8 = 2;
pub const STATUS_INVALID_STATEMENT: u8 = 3;
pub const STATUS_NEGATIVE_VALUE: u8 = 4;
pub const STATUS_STEP_PULSE_MIN: u8 = 6;
pub const STATUS_SOFT_LIMIT_ERROR: u8 = 10;
pub const STATUS_MAX_STEP_RATE: u8 = 12;

/// GRBL's compile-time maximum step rate (Hz), checked by `$100`-`$112` writes (`error:12`).
const MAX_STEP_RATE_HZ: f64 = 30_000.0;

/// The `$` settings of the virtual machine. Field names carry the GRBL number.
///
/// Defaults are a typical cheap diode laser (not GRBL's CNC defaults): laser mode on,
/// 6000 mm/min, 1000 mm/s², 400 x 400 mm travel, limits and homing off.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `$0` step pulse, µs. Default 10. Values below 3 are refused with `error:6`.
    pub step_pulse_us: u8,
    /// `$1` step idle delay, ms. Default 25.
    pub step_idle_delay_ms: u8,
    /// `$2` step port invert mask. Default 0.
    pub step_invert_mask: u8,
    /// `$3` direction invert mask. Default 0.
    pub dir_invert_mask: u8,
    /// `$4` invert stepper enable. Default false.
    pub invert_enable: bool,
    /// `$5` invert limit pins. Default false.
    pub invert_limits: bool,
    /// `$6` invert probe pin. Default false.
    pub invert_probe: bool,
    /// `$10` status report mask: bit 0 = MPos (else WPos), bit 1 = `Bf:` field. Default 1.
    pub status_report_mask: u8,
    /// `$11` junction deviation, mm. Default 0.010.
    pub junction_deviation_mm: f64,
    /// `$12` arc tolerance, mm. Default 0.002.
    pub arc_tolerance_mm: f64,
    /// `$13` report in inches. Default false.
    pub report_inches: bool,
    /// `$20` soft limits (needs `$22`). Default false.
    pub soft_limits: bool,
    /// `$21` hard limits. Default false (the sim has no switches; stored only).
    pub hard_limits: bool,
    /// `$22` homing cycle enable. Default false.
    pub homing_enable: bool,
    /// `$23` homing direction invert mask (bit set = home towards negative). Default 0.
    pub homing_dir_mask: u8,
    /// `$24` homing locate feed, mm/min. Default 25.
    pub homing_feed_mm_min: f64,
    /// `$25` homing seek rate, mm/min. Default 500.
    pub homing_seek_mm_min: f64,
    /// `$26` homing debounce, ms. Default 250.
    pub homing_debounce_ms: u8,
    /// `$27` homing pull-off, mm. Default 1.0.
    pub homing_pulloff_mm: f64,
    /// `$30` maximum S (100 % power). Default 1000.
    pub spindle_max_s: f64,
    /// `$31` minimum S. Default 0.
    pub spindle_min_s: f64,
    /// `$32` laser mode. Default true.
    pub laser_mode: bool,
    /// `$100`-`$102` steps per mm (X, Y, Z). Default 80.
    pub steps_per_mm: [f64; N_AXIS],
    /// `$110`-`$112` maximum rate, mm/min. Default 6000, 6000, 500.
    pub max_rate_mm_min: [f64; N_AXIS],
    /// `$120`-`$122` acceleration, mm/s². Default 1000, 1000, 10.
    pub accel_mm_s2: [f64; N_AXIS],
    /// `$130`-`$132` maximum travel, mm. Default 400, 400, 200.
    pub max_travel_mm: [f64; N_AXIS],
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            step_pulse_us: 10,
            step_idle_delay_ms: 25,
            step_invert_mask: 0,
            dir_invert_mask: 0,
            invert_enable: false,
            invert_limits: false,
            invert_probe: false,
            status_report_mask: 1,
            junction_deviation_mm: 0.010,
            arc_tolerance_mm: 0.002,
            report_inches: false,
            soft_limits: false,
            hard_limits: false,
            homing_enable: false,
            homing_dir_mask: 0,
            homing_feed_mm_min: 25.0,
            homing_seek_mm_min: 500.0,
            homing_debounce_ms: 250,
            homing_pulloff_mm: 1.0,
            spindle_max_s: 1000.0,
            spindle_min_s: 0.0,
            laser_mode: true,
            steps_per_mm: [80.0, 80.0, 250.0],
            max_rate_mm_min: [6000.0, 6000.0, 500.0],
            accel_mm_s2: [1000.0, 1000.0, 10.0],
            max_travel_mm: [400.0, 400.0, 200.0],
        }
    }
}

/// Floor for rates and step resolutions so that a zero setting cannot divide by zero.
const MIN_POSITIVE: f64 = 1e-3;

impl Settings {
    /// Steps per mm of axis `i`, never zero (GRBL would divide by zero; the sim must not).
    pub fn spm(&self, i: usize) -> f64 {
        self.steps_per_mm[i].max(MIN_POSITIVE)
    }

    /// Acceleration limits, mm/s², never zero.
    pub fn accel_limits(&self) -> [f64; N_AXIS] {
        self.accel_mm_s2.map(|a| a.max(MIN_POSITIVE))
    }

    /// Rate limits, mm/s, never zero.
    pub fn rate_limits_mm_s(&self) -> [f64; N_AXIS] {
        self.max_rate_mm_min.map(|r| (r / 60.0).max(MIN_POSITIVE))
    }

    /// Settings from a saved `$$` dump (lines `$N=value`, anything else ignored), over GRBL's
    /// defaults for what the dump lacks. Returns the settings and one note per line that was
    /// not a setting GRBL would accept (with its 1-based line number).
    pub fn from_dump(text: &str) -> (Settings, Vec<(usize, String)>) {
        let mut s = Settings::default();
        let mut notes = Vec::new();
        // A dump lists $100 before $110: a steps-per-mm value checked against the default rate
        // may be refused although the machine's pair is legal. Such lines are retried once
        // everything else is in.
        let mut retry = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || !line.starts_with('$') {
                continue;
            }
            let parsed = line[1..].split_once('=').and_then(|(n, v)| {
                Some((n.trim().parse::<u32>().ok()?, v.trim().parse::<f64>().ok()?))
            });
            match parsed {
                Some((n, v)) if v.is_finite() => {
                    let code = s.store(n, v);
                    if code == STATUS_MAX_STEP_RATE {
                        retry.push((i + 1, line, n, v));
                    } else if code != STATUS_OK {
                        notes.push((i + 1, format!("{line}: refused (error:{code})")));
                    }
                }
                _ => notes.push((i + 1, format!("{line}: not a $N=value setting"))),
            }
        }
        for (line_no, line, n, v) in retry {
            let code = s.store(n, v);
            if code != STATUS_OK {
                notes.push((line_no, format!("{line}: refused (error:{code})")));
            }
        }
        notes.sort_by_key(|(line_no, _)| *line_no);
        (s, notes)
    }

    /// Writes `$parameter=value` like GRBL's `settings_store_global_setting`; returns the status
    /// code (0 = ok).
    pub fn store(&mut self, parameter: u32, value: f64) -> u8 {
        if value < 0.0 {
            return STATUS_NEGATIVE_VALUE;
        }
        if parameter >= 100 {
            let rel = parameter - 100;
            let (kind, axis) = (rel / 10, (rel % 10) as usize);
            if axis >= N_AXIS || kind >= 4 {
                return STATUS_INVALID_STATEMENT;
            }
            match kind {
                0 => {
                    if value * self.max_rate_mm_min[axis] > MAX_STEP_RATE_HZ * 60.0 {
                        return STATUS_MAX_STEP_RATE;
                    }
                    self.steps_per_mm[axis] = value;
                }
                1 => {
                    if value * self.steps_per_mm[axis] > MAX_STEP_RATE_HZ * 60.0 {
                        return STATUS_MAX_STEP_RATE;
                    }
                    self.max_rate_mm_min[axis] = value;
                }
                2 => self.accel_mm_s2[axis] = value,
                _ => self.max_travel_mm[axis] = value,
            }
            return STATUS_OK;
        }
        // GRBL truncates to an 8-bit integer for the integer and boolean settings.
        let int_value = value.trunc().min(255.0) as u8;
        match parameter {
            0 => {
                if int_value < 3 {
                    return STATUS_STEP_PULSE_MIN;
                }
                self.step_pulse_us = int_value;
            }
            1 => self.step_idle_delay_ms = int_value,
            2 => self.step_invert_mask = int_value,
            3 => self.dir_invert_mask = int_value,
            4 => self.invert_enable = int_value != 0,
            5 => self.invert_limits = int_value != 0,
            6 => self.invert_probe = int_value != 0,
            10 => self.status_report_mask = int_value,
            11 => self.junction_deviation_mm = value,
            12 => self.arc_tolerance_mm = value,
            13 => self.report_inches = int_value != 0,
            20 => {
                if int_value != 0 && !self.homing_enable {
                    return STATUS_SOFT_LIMIT_ERROR;
                }
                self.soft_limits = int_value != 0;
            }
            21 => self.hard_limits = int_value != 0,
            22 => {
                self.homing_enable = int_value != 0;
                if !self.homing_enable {
                    // GRBL forces soft limits off with homing.
                    self.soft_limits = false;
                }
            }
            23 => self.homing_dir_mask = int_value,
            24 => self.homing_feed_mm_min = value,
            25 => self.homing_seek_mm_min = value,
            26 => self.homing_debounce_ms = int_value,
            27 => self.homing_pulloff_mm = value,
            30 => self.spindle_max_s = value,
            31 => self.spindle_min_s = value,
            32 => self.laser_mode = int_value != 0,
            _ => return STATUS_INVALID_STATEMENT,
        }
        STATUS_OK
    }

    /// The `$$` dump, one `$n=value` line each, CR LF terminated, in GRBL's order and number
    /// formats (3 decimals for floats, 0 for `$30`/`$31`).
    pub fn dump(&self) -> String {
        let b = |v: bool| u8::from(v).to_string();
        let f3 = |v: f64| fmt_fixed(v, 3);
        let mut lines: Vec<(u32, String)> = vec![
            (0, self.step_pulse_us.to_string()),
            (1, self.step_idle_delay_ms.to_string()),
            (2, self.step_invert_mask.to_string()),
            (3, self.dir_invert_mask.to_string()),
            (4, b(self.invert_enable)),
            (5, b(self.invert_limits)),
            (6, b(self.invert_probe)),
            (10, self.status_report_mask.to_string()),
            (11, f3(self.junction_deviation_mm)),
            (12, f3(self.arc_tolerance_mm)),
            (13, b(self.report_inches)),
            (20, b(self.soft_limits)),
            (21, b(self.hard_limits)),
            (22, b(self.homing_enable)),
            (23, self.homing_dir_mask.to_string()),
            (24, f3(self.homing_feed_mm_min)),
            (25, f3(self.homing_seek_mm_min)),
            (26, self.homing_debounce_ms.to_string()),
            (27, f3(self.homing_pulloff_mm)),
            (30, fmt_fixed(self.spindle_max_s, 0)),
            (31, fmt_fixed(self.spindle_min_s, 0)),
            (32, b(self.laser_mode)),
        ];
        for (base, values) in [
            (100, &self.steps_per_mm),
            (110, &self.max_rate_mm_min),
            (120, &self.accel_mm_s2),
            (130, &self.max_travel_mm),
        ] {
            for (i, v) in values.iter().enumerate() {
                lines.push((base + i as u32, f3(*v)));
            }
        }
        lines
            .into_iter()
            .map(|(n, v)| format!("${n}={v}\r\n"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_follows_grbl_rules() {
        let mut s = Settings::default();
        assert_eq!(s.store(110, 3000.0), STATUS_OK);
        assert_eq!(s.max_rate_mm_min[0], 3000.0);
        assert_eq!(s.store(103, 1.0), STATUS_INVALID_STATEMENT);
        assert_eq!(s.store(140, 1.0), STATUS_INVALID_STATEMENT);
        assert_eq!(s.store(50, 1.0), STATUS_INVALID_STATEMENT);
        assert_eq!(s.store(10, -1.0), STATUS_NEGATIVE_VALUE);
        assert_eq!(s.store(0, 2.0), STATUS_STEP_PULSE_MIN);
        assert_eq!(s.store(20, 1.0), STATUS_SOFT_LIMIT_ERROR);
        assert_eq!(s.store(22, 1.0), STATUS_OK);
        assert_eq!(s.store(20, 1.0), STATUS_OK);
        assert_eq!(s.store(22, 0.0), STATUS_OK);
        assert!(!s.soft_limits, "disabling homing forces soft limits off");
        assert_eq!(s.store(100, 100_000.0), STATUS_MAX_STEP_RATE);
    }

    #[test]
    fn dump_formats_like_grbl() {
        let d = Settings::default().dump();
        assert!(d.starts_with("$0=10\r\n$1=25\r\n"));
        assert!(d.contains("$11=0.010\r\n$12=0.002\r\n"));
        assert!(d.contains("$30=1000\r\n$31=0\r\n$32=1\r\n"));
        assert!(d.contains("$110=6000.000\r\n"));
        assert!(d.ends_with("$132=200.000\r\n"));
        assert_eq!(d.lines().count(), 34);
    }

    #[test]
    fn a_saved_dump_reads_back() {
        let mut want = Settings::default();
        want.store(110, 12000.0);
        want.store(121, 2500.0);
        want.store(11, 0.02);
        let (s, notes) = Settings::from_dump(&want.dump());
        assert_eq!(s, want);
        assert!(notes.is_empty(), "{notes:?}");
        let (s, notes) = Settings::from_dump("Grbl 1.1h\n$120=3000\n$X\n$999=1\nok\n$121=abc\n");
        assert_eq!(s.accel_mm_s2[0], 3000.0);
        assert_eq!(notes.iter().map(|n| n.0).collect::<Vec<_>>(), vec![3, 4, 6]);
    }

    #[test]
    fn a_dump_is_read_as_a_whole_for_the_step_rate_limit() {
        // 400 steps/mm at 4500 mm/min is 30 kHz, legal; $100 comes first in a dump, while
        // the rate is still the default 6000 (40 kHz).
        let (s, notes) = Settings::from_dump("$100=400.000\n$110=4500.000\n");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((s.steps_per_mm[0], s.max_rate_mm_min[0]), (400.0, 4500.0));
        // A pair GRBL 1.1h would never hold is still refused, with its line.
        let (s, notes) = Settings::from_dump("$100=400.000\n$110=9000.000\n");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].0 == 1 && notes[0].1.contains("error:12"),
            "{notes:?}"
        );
        assert_eq!((s.steps_per_mm[0], s.max_rate_mm_min[0]), (80.0, 9000.0));
    }
}
