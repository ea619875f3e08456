//! Texts for the window: everything a user reads goes through the catalogue.

use burin_controller::app::{Level, Notice};
use burin_grbl::message::State;
use burin_i18n::{Arg, Catalog};

/// A notice in the user's language.
pub fn notice(tr: &Catalog, n: &Notice) -> String {
    let args: Vec<(&str, Arg<'_>)> = n
        .args
        .iter()
        .map(|(k, v)| (*k, Arg::from(v.as_str())))
        .collect();
    tr.tr_args(n.key, &args)
}

/// The colour of a notice.
pub fn level_colour(level: Level) -> egui::Color32 {
    match level {
        Level::Info => egui::Color32::from_rgb(0x4c, 0xaf, 0x50),
        Level::Warning => egui::Color32::from_rgb(0xff, 0xa0, 0x00),
        Level::Error => egui::Color32::from_rgb(0xe5, 0x39, 0x35),
    }
}

/// GRBL's state, in words, and its badge colour.
pub fn state_badge(tr: &Catalog, state: Option<&State>) -> (String, egui::Color32) {
    use egui::Color32 as C;
    let (key, colour) = match state {
        Some(State::Idle) => ("grbl-state-idle", C::from_rgb(0x43, 0xa0, 0x47)),
        Some(State::Run) => ("grbl-state-run", C::from_rgb(0x1e, 0x88, 0xe5)),
        Some(State::Hold(_)) => ("grbl-state-hold", C::from_rgb(0xfb, 0x8c, 0x00)),
        Some(State::Jog) => ("grbl-state-jog", C::from_rgb(0x1e, 0x88, 0xe5)),
        Some(State::Alarm) => ("grbl-state-alarm", C::from_rgb(0xe5, 0x39, 0x35)),
        Some(State::Door(_)) => ("grbl-state-door", C::from_rgb(0xe5, 0x39, 0x35)),
        Some(State::Check) => ("grbl-state-check", C::from_rgb(0x8e, 0x24, 0xaa)),
        Some(State::Home) => ("grbl-state-home", C::from_rgb(0x1e, 0x88, 0xe5)),
        Some(State::Sleep) => ("grbl-state-sleep", C::GRAY),
        Some(State::Other(_)) | None => ("grbl-state-unknown", C::GRAY),
    };
    (tr.tr(key), colour)
}

/// A number with `decimals` places for display.
pub fn num(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}
