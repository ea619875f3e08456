//! The `$0`..`$132` settings of GRBL 1.1 (doc/csv/setting_codes_en_US.csv).

/// One GRBL setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingInfo {
    /// `$n`.
    pub number: u16,
    /// Short name, e.g. "Laser-mode enable".
    pub name: &'static str,
    /// Unit as GRBL's table spells it: "mm/min", "boolean", "mask", ...
    pub unit: &'static str,
    /// What it does.
    pub description: &'static str,
}

const fn s(
    number: u16,
    name: &'static str,
    unit: &'static str,
    description: &'static str,
) -> SettingInfo {
    SettingInfo {
        number,
        name,
        unit,
        description,
    }
}

/// Every setting of a default GRBL 1.1 build, in `$$` order.
pub const SETTINGS: &[SettingInfo] = &[
    s(
        0,
        "Step pulse time",
        "microseconds",
        "Sets time length per step. Minimum 3usec.",
    ),
    s(
        1,
        "Step idle delay",
        "milliseconds",
        "Sets a short hold delay when stopping to let dynamics settle before disabling steppers. Value 255 keeps motors enabled with no delay.",
    ),
    s(
        2,
        "Step pulse invert",
        "mask",
        "Inverts the step signal. Set axis bit to invert (00000ZYX).",
    ),
    s(
        3,
        "Step direction invert",
        "mask",
        "Inverts the direction signal. Set axis bit to invert (00000ZYX).",
    ),
    s(
        4,
        "Invert step enable pin",
        "boolean",
        "Inverts the stepper driver enable pin signal.",
    ),
    s(
        5,
        "Invert limit pins",
        "boolean",
        "Inverts the all of the limit input pins.",
    ),
    s(
        6,
        "Invert probe pin",
        "boolean",
        "Inverts the probe input pin signal.",
    ),
    s(
        10,
        "Status report options",
        "mask",
        "Alters data included in status reports.",
    ),
    s(
        11,
        "Junction deviation",
        "millimeters",
        "Sets how fast Grbl travels through consecutive motions. Lower value slows it down.",
    ),
    s(
        12,
        "Arc tolerance",
        "millimeters",
        "Sets the G2 and G3 arc tracing accuracy based on radial error. Beware: A very small value may effect performance.",
    ),
    s(
        13,
        "Report in inches",
        "boolean",
        "Enables inch units when returning any position and rate value that is not a settings value.",
    ),
    s(
        20,
        "Soft limits enable",
        "boolean",
        "Enables soft limits checks within machine travel and sets alarm when exceeded. Requires homing.",
    ),
    s(
        21,
        "Hard limits enable",
        "boolean",
        "Enables hard limits. Immediately halts motion and throws an alarm when switch is triggered.",
    ),
    s(
        22,
        "Homing cycle enable",
        "boolean",
        "Enables homing cycle. Requires limit switches on all axes.",
    ),
    s(
        23,
        "Homing direction invert",
        "mask",
        "Homing searches for a switch in the positive direction. Set axis bit (00000ZYX) to search in negative direction.",
    ),
    s(
        24,
        "Homing locate feed rate",
        "mm/min",
        "Feed rate to slowly engage limit switch to determine its location accurately.",
    ),
    s(
        25,
        "Homing search seek rate",
        "mm/min",
        "Seek rate to quickly find the limit switch before the slower locating phase.",
    ),
    s(
        26,
        "Homing switch debounce delay",
        "milliseconds",
        "Sets a short delay between phases of homing cycle to let a switch debounce.",
    ),
    s(
        27,
        "Homing switch pull-off distance",
        "millimeters",
        "Retract distance after triggering switch to disengage it. Homing will fail if switch isn't cleared.",
    ),
    s(
        30,
        "Maximum spindle speed",
        "RPM",
        "Maximum spindle speed. Sets PWM to 100% duty cycle.",
    ),
    s(
        31,
        "Minimum spindle speed",
        "RPM",
        "Minimum spindle speed. Sets PWM to 0.4% or lowest duty cycle.",
    ),
    s(
        32,
        "Laser-mode enable",
        "boolean",
        "Enables laser mode. Consecutive G1/2/3 commands will not halt when spindle speed is changed.",
    ),
    s(
        100,
        "X-axis travel resolution",
        "step/mm",
        "X-axis travel resolution in steps per millimeter.",
    ),
    s(
        101,
        "Y-axis travel resolution",
        "step/mm",
        "Y-axis travel resolution in steps per millimeter.",
    ),
    s(
        102,
        "Z-axis travel resolution",
        "step/mm",
        "Z-axis travel resolution in steps per millimeter.",
    ),
    s(
        110,
        "X-axis maximum rate",
        "mm/min",
        "X-axis maximum rate. Used as G0 rapid rate.",
    ),
    s(
        111,
        "Y-axis maximum rate",
        "mm/min",
        "Y-axis maximum rate. Used as G0 rapid rate.",
    ),
    s(
        112,
        "Z-axis maximum rate",
        "mm/min",
        "Z-axis maximum rate. Used as G0 rapid rate.",
    ),
    s(
        120,
        "X-axis acceleration",
        "mm/sec^2",
        "X-axis acceleration. Used for motion planning to not exceed motor torque and lose steps.",
    ),
    s(
        121,
        "Y-axis acceleration",
        "mm/sec^2",
        "Y-axis acceleration. Used for motion planning to not exceed motor torque and lose steps.",
    ),
    s(
        122,
        "Z-axis acceleration",
        "mm/sec^2",
        "Z-axis acceleration. Used for motion planning to not exceed motor torque and lose steps.",
    ),
    s(
        130,
        "X-axis maximum travel",
        "millimeters",
        "Maximum X-axis travel distance from homing switch. Determines valid machine space for soft-limits and homing search distances.",
    ),
    s(
        131,
        "Y-axis maximum travel",
        "millimeters",
        "Maximum Y-axis travel distance from homing switch. Determines valid machine space for soft-limits and homing search distances.",
    ),
    s(
        132,
        "Z-axis maximum travel",
        "millimeters",
        "Maximum Z-axis travel distance from homing switch. Determines valid machine space for soft-limits and homing search distances.",
    ),
];

/// Table entry for `$number`.
pub fn setting_info(number: u16) -> Option<&'static SettingInfo> {
    SETTINGS.iter().find(|s| s.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laser_mode_setting() {
        let s = setting_info(32).map(|s| (s.name, s.unit));
        assert_eq!(s, Some(("Laser-mode enable", "boolean")));
        assert_eq!(setting_info(120).map(|s| s.unit), Some("mm/sec^2"));
        assert!(setting_info(7).is_none());
    }
}
