//! What Burin knows about the machine it talks to: the profile read from `$$`, and the ports
//! it can connect to.

use burin_gcode::MachineProfile;
use burin_grbl::MachineState;
use serde::{Deserialize, Serialize};

/// The machine profile from a GRBL's settings (`$$` and `$I`); the second value is true when
/// the work area came from the machine's `$130`/`$131` rather than the default.
pub fn profile_from_settings(m: &MachineState, base: &MachineProfile) -> (MachineProfile, bool) {
    let mut p = base.clone();
    let positive = |n: u16| m.setting_f64(n).filter(|v| v.is_finite() && *v > 0.0);
    let travel = positive(130).zip(positive(131));
    if let Some((x, y)) = travel {
        p.travel_x_mm = x;
        p.travel_y_mm = y;
        p.work_area = None;
    }
    for (n, field) in [
        (30, &mut p.s_max),
        (100, &mut p.steps_per_mm_x),
        (101, &mut p.steps_per_mm_y),
        (102, &mut p.steps_per_mm_z),
        (110, &mut p.max_rate_x_mm_min),
        (111, &mut p.max_rate_y_mm_min),
        (120, &mut p.accel_x_mm_s2),
        (121, &mut p.accel_y_mm_s2),
        (11, &mut p.junction_deviation_mm),
        (12, &mut p.arc_tolerance_mm),
    ] {
        if let Some(v) = positive(n) {
            *field = v;
        }
    }
    // `$1` may be 0 (no wait) or 255 (motors always on, no wait either).
    if let Some(ms) = m.setting_f64(1).filter(|v| (0.0..=255.0).contains(v)) {
        p.step_idle_delay_ms = ms as u8;
    }
    if let Some(b) = m.planner_blocks() {
        p.planner_blocks = u32::from(b);
    }
    (p, travel.is_some())
}

/// The port id of the built-in simulated machine.
pub const SIM_PORT: &str = "sim";

/// One entry of the port list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortChoice {
    /// What to open: a path, or [`SIM_PORT`].
    pub id: String,
    /// The adapter name for USB engravers (CH340...), else empty.
    pub adapter: String,
    /// One-line description from the OS.
    pub description: String,
    /// A USB adapter that GRBL boards use.
    pub likely_engraver: bool,
}

impl PortChoice {
    pub fn simulator() -> Self {
        Self {
            id: SIM_PORT.into(),
            adapter: String::new(),
            description: String::new(),
            likely_engraver: false,
        }
    }

    pub fn is_simulator(&self) -> bool {
        self.id == SIM_PORT
    }
}

/// The ports to offer: the simulator first, then likely engravers, then the rest.
pub fn port_choices() -> Vec<PortChoice> {
    let mut out = vec![PortChoice::simulator()];
    let mut ports: Vec<PortChoice> = burin_link::list_ports()
        .into_iter()
        .map(|p| PortChoice {
            adapter: p.adapter.map(|a| a.name.to_string()).unwrap_or_default(),
            description: p.describe(),
            likely_engraver: p.is_likely_engraver(),
            id: p.path,
        })
        .collect();
    ports.sort_by_key(|p| (!p.likely_engraver, p.id.clone()));
    out.extend(ports);
    out
}

/// Which port to select by default: the first likely engraver, else the simulator.
pub fn default_port(choices: &[PortChoice]) -> String {
    choices
        .iter()
        .find(|p| p.likely_engraver)
        .map_or_else(|| SIM_PORT.to_string(), |p| p.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulator_is_first_and_default_without_an_engraver() {
        let choices = port_choices();
        assert!(choices[0].is_simulator());
        if !choices.iter().any(|p| p.likely_engraver) {
            assert_eq!(default_port(&choices), SIM_PORT);
        }
        let with_engraver = vec![
            PortChoice::simulator(),
            PortChoice {
                id: "/dev/ttyUSB0".into(),
                adapter: "CH340".into(),
                description: String::new(),
                likely_engraver: true,
            },
        ];
        assert_eq!(default_port(&with_engraver), "/dev/ttyUSB0");
    }

    #[test]
    fn profile_takes_the_machine_settings() {
        let mut m = MachineState::default();
        for (n, v) in [
            (130, "300"),
            (131, "200"),
            (30, "255"),
            (120, "500"),
            (100, "160.000"),
            (1, "255"),
        ] {
            m.settings.insert(n, v.to_string());
        }
        let (p, from_machine) = profile_from_settings(&m, &MachineProfile::default());
        assert!(from_machine);
        let a = p.work_area();
        assert_eq!(
            (a.x_max_mm, a.y_max_mm, p.s_max, p.accel_x_mm_s2),
            (300.0, 200.0, 255.0, 500.0)
        );
        assert_eq!((p.steps_per_mm_x, p.steps_per_mm_y), (160.0, 80.0));
        assert_eq!(p.step_idle_delay_ms, 255);
        m.settings.insert(1, "0".to_string());
        assert_eq!(profile_from_settings(&m, &p).0.step_idle_delay_ms, 0);
    }
}
