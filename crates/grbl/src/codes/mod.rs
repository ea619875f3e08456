//! GRBL's code tables as data: error and alarm codes, settings, and override byte helpers.
//!
//! The texts follow gnea/grbl's `doc/csv/*_en_US.csv`; `tests/tables.rs` checks them against
//! verbatim copies of those files.

mod overrides;
mod settings;

pub use overrides::{
    OVERRIDE_MAX_PCT, OVERRIDE_MIN_PCT, OverrideKind, next_override_byte, override_bytes,
    rapid_override_byte,
};
pub use settings::{SETTINGS, SettingInfo, setting_info};

/// One entry of the error or alarm table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The number GRBL 1.1 prints (`error:N`, `ALARM:N`).
    pub code: u16,
    /// Short name (the message GRBL 1.0 and earlier printed), e.g. "Unsupported command".
    pub name: &'static str,
    /// What it means, e.g. "Unsupported or invalid g-code command found in block."
    pub description: &'static str,
}

const fn c(code: u16, name: &'static str, description: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        name,
        description,
    }
}

/// `error:N` codes of GRBL 1.1 (18 and 19 are unused).
pub const ERRORS: &[CodeInfo] = &[
    c(
        1,
        "Expected command letter",
        "G-code words consist of a letter and a value. Letter was not found.",
    ),
    c(
        2,
        "Bad number format",
        "Missing the expected G-code word value or numeric value format is not valid.",
    ),
    c(
        3,
        "Invalid statement",
        "Grbl '$' system command was not recognized or supported.",
    ),
    c(
        4,
        "Value < 0",
        "Negative value received for an expected positive value.",
    ),
    c(
        5,
        "Setting disabled",
        "Homing cycle failure. Homing is not enabled via settings.",
    ),
    c(
        6,
        "Value < 3 usec",
        "Minimum step pulse time must be greater than 3usec.",
    ),
    c(
        7,
        "EEPROM read fail. Using defaults",
        "An EEPROM read failed. Auto-restoring affected EEPROM to default values.",
    ),
    c(
        8,
        "Not idle",
        "Grbl '$' command cannot be used unless Grbl is IDLE. Ensures smooth operation during a job.",
    ),
    c(
        9,
        "G-code lock",
        "G-code commands are locked out during alarm or jog state.",
    ),
    c(
        10,
        "Homing not enabled",
        "Soft limits cannot be enabled without homing also enabled.",
    ),
    c(
        11,
        "Line overflow",
        "Max characters per line exceeded. Received command line was not executed.",
    ),
    c(
        12,
        "Step rate > 30kHz",
        "Grbl '$' setting value cause the step rate to exceed the maximum supported.",
    ),
    c(
        13,
        "Check Door",
        "Safety door detected as opened and door state initiated.",
    ),
    c(
        14,
        "Line length exceeded",
        "Build info or startup line exceeded EEPROM line length limit. Line not stored.",
    ),
    c(
        15,
        "Travel exceeded",
        "Jog target exceeds machine travel. Jog command has been ignored.",
    ),
    c(
        16,
        "Invalid jog command",
        "Jog command has no '=' or contains prohibited g-code.",
    ),
    c(17, "Setting disabled", "Laser mode requires PWM output."),
    c(
        20,
        "Unsupported command",
        "Unsupported or invalid g-code command found in block.",
    ),
    c(
        21,
        "Modal group violation",
        "More than one g-code command from same modal group found in block.",
    ),
    c(
        22,
        "Undefined feed rate",
        "Feed rate has not yet been set or is undefined.",
    ),
    c(
        23,
        "Invalid gcode ID:23",
        "G-code command in block requires an integer value.",
    ),
    c(
        24,
        "Invalid gcode ID:24",
        "More than one g-code command that requires axis words found in block.",
    ),
    c(
        25,
        "Invalid gcode ID:25",
        "Repeated g-code word found in block.",
    ),
    c(
        26,
        "Invalid gcode ID:26",
        "No axis words found in block for g-code command or current modal state which requires them.",
    ),
    c(27, "Invalid gcode ID:27", "Line number value is invalid."),
    c(
        28,
        "Invalid gcode ID:28",
        "G-code command is missing a required value word.",
    ),
    c(
        29,
        "Invalid gcode ID:29",
        "G59.x work coordinate systems are not supported.",
    ),
    c(
        30,
        "Invalid gcode ID:30",
        "G53 only allowed with G0 and G1 motion modes.",
    ),
    c(
        31,
        "Invalid gcode ID:31",
        "Axis words found in block when no command or current modal state uses them.",
    ),
    c(
        32,
        "Invalid gcode ID:32",
        "G2 and G3 arcs require at least one in-plane axis word.",
    ),
    c(
        33,
        "Invalid gcode ID:33",
        "Motion command target is invalid.",
    ),
    c(34, "Invalid gcode ID:34", "Arc radius value is invalid."),
    c(
        35,
        "Invalid gcode ID:35",
        "G2 and G3 arcs require at least one in-plane offset word.",
    ),
    c(
        36,
        "Invalid gcode ID:36",
        "Unused value words found in block.",
    ),
    c(
        37,
        "Invalid gcode ID:37",
        "G43.1 dynamic tool length offset is not assigned to configured tool length axis.",
    ),
    c(
        38,
        "Invalid gcode ID:38",
        "Tool number greater than max supported value.",
    ),
];

/// `ALARM:N` codes of GRBL 1.1 (10 only with the dual-axis build option).
pub const ALARMS: &[CodeInfo] = &[
    c(
        1,
        "Hard limit",
        "Hard limit has been triggered. Machine position is likely lost due to sudden halt. Re-homing is highly recommended.",
    ),
    c(
        2,
        "Soft limit",
        "Soft limit alarm. G-code motion target exceeds machine travel. Machine position retained. Alarm may be safely unlocked.",
    ),
    c(
        3,
        "Abort during cycle",
        "Reset while in motion. Machine position is likely lost due to sudden halt. Re-homing is highly recommended.",
    ),
    c(
        4,
        "Probe fail",
        "Probe fail. Probe is not in the expected initial state before starting probe cycle when G38.2 and G38.3 is not triggered and G38.4 and G38.5 is triggered.",
    ),
    c(
        5,
        "Probe fail",
        "Probe fail. Probe did not contact the workpiece within the programmed travel for G38.2 and G38.4.",
    ),
    c(
        6,
        "Homing fail",
        "Homing fail. The active homing cycle was reset.",
    ),
    c(
        7,
        "Homing fail",
        "Homing fail. Safety door was opened during homing cycle.",
    ),
    c(
        8,
        "Homing fail",
        "Homing fail. Pull off travel failed to clear limit switch. Try increasing pull-off setting or check wiring.",
    ),
    c(
        9,
        "Homing fail",
        "Homing fail. Could not find limit switch within search distances. Try increasing max travel, decreasing pull-off distance, or check wiring.",
    ),
    c(
        10,
        "Homing fail",
        "Homing fail. Second dual axis limit switch failed to trigger within configured search distance after first. Try increasing trigger fail distance or check wiring.",
    ),
];

/// Table entry for `error:code`, if GRBL 1.1 defines it.
pub fn error_info(code: u16) -> Option<&'static CodeInfo> {
    ERRORS.iter().find(|e| e.code == code)
}

/// Table entry for `ALARM:code`, if GRBL 1.1 defines it.
pub fn alarm_info(code: u16) -> Option<&'static CodeInfo> {
    ALARMS.iter().find(|e| e.code == code)
}

/// What `error:code` means, for people: the description, or a generic text for codes this
/// table does not know (forks such as grblHAL add their own).
pub fn error_text(code: u16) -> &'static str {
    error_info(code).map_or("Unknown error code.", |e| e.description)
}

/// What `ALARM:code` means, for people (see [`error_text`]).
pub fn alarm_text(code: u16) -> &'static str {
    alarm_info(code).map_or("Unknown alarm code.", |e| e.description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(
            error_text(20),
            "Unsupported or invalid g-code command found in block."
        );
        assert_eq!(error_info(20).map(|e| e.name), Some("Unsupported command"));
        assert_eq!(error_text(18), "Unknown error code.");
        assert!(alarm_text(3).starts_with("Reset while in motion"));
        assert_eq!(alarm_info(11), None);
        assert_eq!(ERRORS.len(), 36);
        assert_eq!(ALARMS.len(), 10);
    }
}
