//! Simulator configuration.

pub use burin_firmware::cpu::FirmwareCpu;
pub use burin_firmware::settings::*;

/// Options of the virtual machine. Every field has a documented unit and default.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Initial `$` settings (also what `$RST=$` restores). Default: [`Settings::default`].
    pub settings: Settings,
    /// Usable serial RX buffer, bytes. Default 128 (GRBL on an ATmega328p).
    pub rx_buffer_bytes: usize,
    /// Usable planner blocks. Default 15.
    pub planner_blocks: usize,
    /// Firmware version as printed by `$I`. Default `1.1h.20190830`.
    pub firmware: String,
    /// Banner version (the `x` in `Grbl x ['$' for help]`). Default `1.1h`.
    pub banner_version: String,
    /// Link speed in baud for the wire model, 10 bits per byte (8N1). `None` (default) means
    /// written bytes reach the RX buffer instantly; `Some(115200)` delivers at most 11,520
    /// bytes/s, so a host cannot outrun a real serial line.
    pub baud: Option<u32>,
    /// Build option `HOMING_FORCE_SET_ORIGIN` (`Z` in `[OPT:]`): homing sets machine zero and
    /// the travel is `0..=+$13x` on axes homed towards negative. Default false: GRBL's stock
    /// build, where machine travel is `-$13x..=0`.
    pub homing_force_set_origin: bool,
    /// Emit the power-up banner from [`crate::Grbl::new`]. Default true (like a board reset on
    /// port open).
    pub banner_on_start: bool,
    /// Maximum number of segments kept in the burn log; totals keep counting after that.
    /// `None` keeps everything. Default `Some(200_000)`.
    pub burn_log_max_segments: Option<usize>,
    /// The firmware's processor: time to parse and plan each line, the stepper interrupt's
    /// share of the CPU, the step segment buffer and the idle delay after each stop
    /// ([`FirmwareCpu`]). `None` (default): an instant firmware, which protocol tests rely on.
    /// An 8-bit GRBL 1.1h ([`SimConfig::with_grbl_328p_timing`]) is what makes dense raster
    /// G-code stutter: while a line is being processed the next one waits in RX, and the
    /// planner drains.
    pub cpu: Option<FirmwareCpu>,
    /// Spindle spin-up wait when resuming from the safety door with a spindle on and laser
    /// mode off, seconds. Default 4.0 (GRBL's `SAFETY_DOOR_SPINDLE_DELAY`). Laser mode skips it.
    pub door_spindle_delay_s: f64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            settings: Settings::default(),
            rx_buffer_bytes: 128,
            planner_blocks: 15,
            firmware: "1.1h.20190830".to_string(),
            banner_version: "1.1h".to_string(),
            baud: None,
            homing_force_set_origin: false,
            banner_on_start: true,
            burn_log_max_segments: Some(200_000),
            cpu: None,
            door_spindle_delay_s: 4.0,
        }
    }
}

impl SimConfig {
    /// Sets the wire speed (see [`SimConfig::baud`]).
    pub fn with_baud(mut self, baud: u32) -> Self {
        self.baud = Some(baud);
        self
    }

    /// Sets a constant firmware time per line and nothing else (see [`FirmwareCpu::per_line`]).
    pub fn with_line_time_s(mut self, seconds: f64) -> Self {
        self.cpu = Some(FirmwareCpu::per_line(seconds));
        self
    }

    /// An 8-bit GRBL 1.1h (ATmega328P, 16 MHz), the same model the estimate uses
    /// ([`FirmwareCpu::grbl_328p`]).
    pub fn with_grbl_328p_timing(mut self) -> Self {
        self.cpu = Some(FirmwareCpu::grbl_328p());
        self
    }

    /// Replaces the settings.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Enables homing (`$22=1`) and, if `soft_limits`, soft limits (`$20=1`).
    pub fn with_homing(mut self, soft_limits: bool) -> Self {
        self.settings.homing_enable = true;
        self.settings.soft_limits = soft_limits;
        self
    }
}
