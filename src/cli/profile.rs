//! Machine settings shared by the commands that check programs.

use anyhow::Context;
use burin_gcode::MachineProfile;

#[derive(Debug, Clone, clap::Args)]
pub struct ProfileArgs {
    /// The machine's work area, WIDTHxHEIGHT in mm (GRBL $130 x $131).
    #[arg(long, default_value = "400x400", value_name = "WxH")]
    pub work_area: String,
    /// The S value of full power (GRBL $30).
    #[arg(long, default_value_t = 1000.0)]
    pub s_max: f64,
    /// Lines per second the controller parses (about 400 for an 8-bit GRBL, thousands for
    /// 32-bit boards): dense jobs beyond it stutter.
    #[arg(long, default_value_t = 400.0, value_name = "N")]
    pub firmware_lines_per_s: f64,
    /// A saved `$$` dump of the machine (lines `$N=value`): its travel, $30, rates,
    /// accelerations, $11 and $12 replace the defaults above, for the checks and the time.
    #[arg(long = "settings", value_name = "DUMP")]
    pub settings_dump: Option<std::path::PathBuf>,
    /// Serial speed the job will be sent at, for the stutter check.
    #[arg(long = "link-baud", default_value_t = 115_200, value_name = "BAUD")]
    pub link_baud: u32,
}

/// Whether the link and firmware keep up with `program`, and the highest feed that does.
pub fn throughput_check(
    program: &burin_gcode::Program,
    profile: &MachineProfile,
    args: &ProfileArgs,
) -> (burin_gcode::Throughput, Option<f64>) {
    // What the motion asks for, not what an 8-bit GRBL manages to deliver.
    let times = burin_gcode::line_times_at(program, profile, 1.0);
    let limits = burin_gcode::LinkLimits {
        baud: args.link_baud,
        firmware_lines_per_s: if args.firmware_lines_per_s > 0.0 {
            args.firmware_lines_per_s
        } else {
            400.0
        },
        ..burin_gcode::LinkLimits::default()
    };
    let t = burin_gcode::throughput(program, &times, &limits);
    let max_feed = program
        .lines()
        .filter_map(|l| l.get('F'))
        .fold(0.0f64, f64::max);
    let safe = if t.stutters() && max_feed > 0.0 {
        burin_gcode::safe_feed_scale(program, profile, &limits).map(|s| (max_feed * s).floor())
    } else {
        None
    };
    (t, safe)
}

/// The warning for a program that outruns the link or the firmware.
pub fn throughput_warning(t: &burin_gcode::Throughput, safe_feed: Option<f64>) -> Option<String> {
    let feed = safe_feed?;
    Some(format!(
        "warning: at its busiest this job needs {:.0} lines/s and {:.1} kB/s; the controller takes \
         about {:.0} lines/s and the link {:.1} kB/s, so GRBL will run dry and the head will \
         stutter. Highest feed that keeps up: {feed:.0} mm/min (convert --cap-feed uses it)",
        t.peak_lines_per_s,
        t.peak_bytes_per_s / 1000.0,
        t.firmware_lines_per_s,
        t.link_bytes_per_s / 1000.0,
    ))
}

impl ProfileArgs {
    pub fn profile(&self) -> anyhow::Result<MachineProfile> {
        let (w, h) = self
            .work_area
            .split_once(['x', 'X'])
            .and_then(|(w, h)| Some((w.trim().parse::<f64>().ok()?, h.trim().parse::<f64>().ok()?)))
            .filter(|(w, h)| w.is_finite() && h.is_finite() && *w > 0.0 && *h > 0.0)
            .with_context(|| {
                format!(
                    "--work-area takes WIDTHxHEIGHT in mm, e.g. 400x400, not '{}'",
                    self.work_area
                )
            })?;
        anyhow::ensure!(
            self.s_max.is_finite() && self.s_max >= 1.0,
            "--s-max must be at least 1, not {}",
            self.s_max
        );
        let profile = MachineProfile {
            travel_x_mm: w,
            travel_y_mm: h,
            s_max: self.s_max,
            ..MachineProfile::default()
        };
        let Some(path) = &self.settings_dump else {
            return Ok(profile);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        let (fw, notes) = burin_firmware::Settings::from_dump(&text);
        for (line, note) in notes {
            eprintln!("note: {}: line {line}: {note}", path.display());
        }
        Ok(profile.with_firmware_settings(&fw))
    }
}
