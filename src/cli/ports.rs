//! `burin ports`: list serial ports, marking likely engravers.

use std::process::ExitCode;

/// List the serial ports of this computer.
#[derive(Debug, clap::Args)]
pub struct PortsArgs {}

pub fn run(_args: PortsArgs) -> anyhow::Result<ExitCode> {
    let ports = burin_link::list_ports();
    if ports.is_empty() {
        println!("No serial ports found. Is the engraver plugged in and switched on?");
    }
    for p in &ports {
        let mark = if p.is_likely_engraver() {
            "  <- likely engraver"
        } else {
            ""
        };
        println!("{:<24} {}{mark}", p.path, p.describe());
    }
    println!(
        "Any port can also be given by its path (pseudo-terminals are not listed): --port PATH. \
         --port sim uses the built-in simulated machine."
    );
    Ok(ExitCode::SUCCESS)
}
