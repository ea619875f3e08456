# GRBL 1.1 texts: error and alarm codes, settings, machine states.
# English texts follow crates/grbl/src/codes (GRBL's doc/csv/*_en_US.csv); the tests check it.

## error:N — what the code means.

grbl-error-1 = G-code words consist of a letter and a value. Letter was not found.
grbl-error-2 = Missing the expected G-code word value or numeric value format is not valid.
grbl-error-3 = Grbl '$' system command was not recognized or supported.
grbl-error-4 = Negative value received for an expected positive value.
grbl-error-5 = Homing cycle failure. Homing is not enabled via settings.
grbl-error-6 = Minimum step pulse time must be greater than 3usec.
grbl-error-7 = An EEPROM read failed. Auto-restoring affected EEPROM to default values.
grbl-error-8 = Grbl '$' command cannot be used unless Grbl is IDLE. Ensures smooth operation during a job.
grbl-error-9 = G-code commands are locked out during alarm or jog state.
grbl-error-10 = Soft limits cannot be enabled without homing also enabled.
grbl-error-11 = Max characters per line exceeded. Received command line was not executed.
grbl-error-12 = Grbl '$' setting value cause the step rate to exceed the maximum supported.
grbl-error-13 = Safety door detected as opened and door state initiated.
grbl-error-14 = Build info or startup line exceeded EEPROM line length limit. Line not stored.
grbl-error-15 = Jog target exceeds machine travel. Jog command has been ignored.
grbl-error-16 = Jog command has no '=' or contains prohibited g-code.
grbl-error-17 = Laser mode requires PWM output.
grbl-error-20 = Unsupported or invalid g-code command found in block.
grbl-error-21 = More than one g-code command from same modal group found in block.
grbl-error-22 = Feed rate has not yet been set or is undefined.
grbl-error-23 = G-code command in block requires an integer value.
grbl-error-24 = More than one g-code command that requires axis words found in block.
grbl-error-25 = Repeated g-code word found in block.
grbl-error-26 = No axis words found in block for g-code command or current modal state which requires them.
grbl-error-27 = Line number value is invalid.
grbl-error-28 = G-code command is missing a required value word.
grbl-error-29 = G59.x work coordinate systems are not supported.
grbl-error-30 = G53 only allowed with G0 and G1 motion modes.
grbl-error-31 = Axis words found in block when no command or current modal state uses them.
grbl-error-32 = G2 and G3 arcs require at least one in-plane axis word.
grbl-error-33 = Motion command target is invalid.
grbl-error-34 = Arc radius value is invalid.
grbl-error-35 = G2 and G3 arcs require at least one in-plane offset word.
grbl-error-36 = Unused value words found in block.
grbl-error-37 = G43.1 dynamic tool length offset is not assigned to configured tool length axis.
grbl-error-38 = Tool number greater than max supported value.

# A code GRBL 1.1 does not define (forks such as grblHAL add their own).
grbl-error-unknown = Unknown error (code { $code }).

## ALARM:N — what the alarm means.

grbl-alarm-1 = Hard limit has been triggered. Machine position is likely lost due to sudden halt. Re-homing is highly recommended.
grbl-alarm-2 = Soft limit alarm. G-code motion target exceeds machine travel. Machine position retained. Alarm may be safely unlocked.
grbl-alarm-3 = Reset while in motion. Machine position is likely lost due to sudden halt. Re-homing is highly recommended.
grbl-alarm-4 = Probe fail. Probe is not in the expected initial state before starting probe cycle when G38.2 and G38.3 is not triggered and G38.4 and G38.5 is triggered.
grbl-alarm-5 = Probe fail. Probe did not contact the workpiece within the programmed travel for G38.2 and G38.4.
grbl-alarm-6 = Homing fail. The active homing cycle was reset.
grbl-alarm-7 = Homing fail. Safety door was opened during homing cycle.
grbl-alarm-8 = Homing fail. Pull off travel failed to clear limit switch. Try increasing pull-off setting or check wiring.
grbl-alarm-9 = Homing fail. Could not find limit switch within search distances. Try increasing max travel, decreasing pull-off distance, or check wiring.
grbl-alarm-10 = Homing fail. Second dual axis limit switch failed to trigger within configured search distance after first. Try increasing trigger fail distance or check wiring.
grbl-alarm-unknown = Unknown alarm (code { $code }).

## $N settings: short name, unit, what it does.

grbl-setting-0-name = Step pulse time
grbl-setting-0-unit = microseconds
grbl-setting-0-desc = Sets time length per step. Minimum 3usec.

grbl-setting-1-name = Step idle delay
grbl-setting-1-unit = milliseconds
grbl-setting-1-desc = Sets a short hold delay when stopping to let dynamics settle before disabling steppers. Value 255 keeps motors enabled with no delay.

grbl-setting-2-name = Step pulse invert
grbl-setting-2-unit = mask
grbl-setting-2-desc = Inverts the step signal. Set axis bit to invert (00000ZYX).

grbl-setting-3-name = Step direction invert
grbl-setting-3-unit = mask
grbl-setting-3-desc = Inverts the direction signal. Set axis bit to invert (00000ZYX).

grbl-setting-4-name = Invert step enable pin
grbl-setting-4-unit = boolean
grbl-setting-4-desc = Inverts the stepper driver enable pin signal.

grbl-setting-5-name = Invert limit pins
grbl-setting-5-unit = boolean
grbl-setting-5-desc = Inverts the all of the limit input pins.

grbl-setting-6-name = Invert probe pin
grbl-setting-6-unit = boolean
grbl-setting-6-desc = Inverts the probe input pin signal.

grbl-setting-10-name = Status report options
grbl-setting-10-unit = mask
grbl-setting-10-desc = Alters data included in status reports.

grbl-setting-11-name = Junction deviation
grbl-setting-11-unit = millimeters
grbl-setting-11-desc = Sets how fast Grbl travels through consecutive motions. Lower value slows it down.

grbl-setting-12-name = Arc tolerance
grbl-setting-12-unit = millimeters
grbl-setting-12-desc = Sets the G2 and G3 arc tracing accuracy based on radial error. Beware: A very small value may effect performance.

grbl-setting-13-name = Report in inches
grbl-setting-13-unit = boolean
grbl-setting-13-desc = Enables inch units when returning any position and rate value that is not a settings value.

grbl-setting-20-name = Soft limits enable
grbl-setting-20-unit = boolean
grbl-setting-20-desc = Enables soft limits checks within machine travel and sets alarm when exceeded. Requires homing.

grbl-setting-21-name = Hard limits enable
grbl-setting-21-unit = boolean
grbl-setting-21-desc = Enables hard limits. Immediately halts motion and throws an alarm when switch is triggered.

grbl-setting-22-name = Homing cycle enable
grbl-setting-22-unit = boolean
grbl-setting-22-desc = Enables homing cycle. Requires limit switches on all axes.

grbl-setting-23-name = Homing direction invert
grbl-setting-23-unit = mask
grbl-setting-23-desc = Homing searches for a switch in the positive direction. Set axis bit (00000ZYX) to search in negative direction.

grbl-setting-24-name = Homing locate feed rate
grbl-setting-24-unit = mm/min
grbl-setting-24-desc = Feed rate to slowly engage limit switch to determine its location accurately.

grbl-setting-25-name = Homing search seek rate
grbl-setting-25-unit = mm/min
grbl-setting-25-desc = Seek rate to quickly find the limit switch before the slower locating phase.

grbl-setting-26-name = Homing switch debounce delay
grbl-setting-26-unit = milliseconds
grbl-setting-26-desc = Sets a short delay between phases of homing cycle to let a switch debounce.

grbl-setting-27-name = Homing switch pull-off distance
grbl-setting-27-unit = millimeters
grbl-setting-27-desc = Retract distance after triggering switch to disengage it. Homing will fail if switch isn't cleared.

grbl-setting-30-name = Maximum spindle speed
grbl-setting-30-unit = RPM
grbl-setting-30-desc = Maximum spindle speed. Sets PWM to 100% duty cycle.

grbl-setting-31-name = Minimum spindle speed
grbl-setting-31-unit = RPM
grbl-setting-31-desc = Minimum spindle speed. Sets PWM to 0.4% or lowest duty cycle.

grbl-setting-32-name = Laser-mode enable
grbl-setting-32-unit = boolean
grbl-setting-32-desc = Enables laser mode. Consecutive G1/2/3 commands will not halt when spindle speed is changed.

grbl-setting-100-name = X-axis travel resolution
grbl-setting-100-unit = step/mm
grbl-setting-100-desc = X-axis travel resolution in steps per millimeter.

grbl-setting-101-name = Y-axis travel resolution
grbl-setting-101-unit = step/mm
grbl-setting-101-desc = Y-axis travel resolution in steps per millimeter.

grbl-setting-102-name = Z-axis travel resolution
grbl-setting-102-unit = step/mm
grbl-setting-102-desc = Z-axis travel resolution in steps per millimeter.

grbl-setting-110-name = X-axis maximum rate
grbl-setting-110-unit = mm/min
grbl-setting-110-desc = X-axis maximum rate. Used as G0 rapid rate.

grbl-setting-111-name = Y-axis maximum rate
grbl-setting-111-unit = mm/min
grbl-setting-111-desc = Y-axis maximum rate. Used as G0 rapid rate.

grbl-setting-112-name = Z-axis maximum rate
grbl-setting-112-unit = mm/min
grbl-setting-112-desc = Z-axis maximum rate. Used as G0 rapid rate.

grbl-setting-120-name = X-axis acceleration
grbl-setting-120-unit = mm/sec^2
grbl-setting-120-desc = X-axis acceleration. Used for motion planning to not exceed motor torque and lose steps.

grbl-setting-121-name = Y-axis acceleration
grbl-setting-121-unit = mm/sec^2
grbl-setting-121-desc = Y-axis acceleration. Used for motion planning to not exceed motor torque and lose steps.

grbl-setting-122-name = Z-axis acceleration
grbl-setting-122-unit = mm/sec^2
grbl-setting-122-desc = Z-axis acceleration. Used for motion planning to not exceed motor torque and lose steps.

grbl-setting-130-name = X-axis maximum travel
grbl-setting-130-unit = millimeters
grbl-setting-130-desc = Maximum X-axis travel distance from homing switch. Determines valid machine space for soft-limits and homing search distances.

grbl-setting-131-name = Y-axis maximum travel
grbl-setting-131-unit = millimeters
grbl-setting-131-desc = Maximum Y-axis travel distance from homing switch. Determines valid machine space for soft-limits and homing search distances.

grbl-setting-132-name = Z-axis maximum travel
grbl-setting-132-unit = millimeters
grbl-setting-132-desc = Maximum Z-axis travel distance from homing switch. Determines valid machine space for soft-limits and homing search distances.

## Machine states, as the state badge shows them.

grbl-state-idle = Idle
grbl-state-run = Run
grbl-state-hold = Hold
grbl-state-jog = Jog
grbl-state-alarm = Alarm
grbl-state-door = Door
grbl-state-check = Check
grbl-state-home = Home
grbl-state-sleep = Sleep
grbl-state-unknown = Unknown
