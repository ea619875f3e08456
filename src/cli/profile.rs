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
        Ok(MachineProfile {
            travel_x_mm: w,
            travel_y_mm: h,
            s_max: self.s_max,
            ..MachineProfile::default()
        })
    }
}
