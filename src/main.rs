//! `burin`: the command line over Burin's core crates.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Open controller for GRBL laser engravers.
#[derive(Debug, Parser)]
#[command(name = "burin", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert an SVG into GRBL G-code.
    Convert(cli::convert::ConvertArgs),
    /// Describe a G-code file: size, extent, lengths, time estimate, preflight findings.
    Info(cli::info::InfoArgs),
    /// List serial ports, marking likely engravers.
    Ports(cli::ports::PortsArgs),
    /// Stream a G-code file to a GRBL machine (or the built-in simulator: --port sim).
    Send(cli::send::SendArgs),
    /// Talk to a GRBL machine interactively.
    Console(cli::console::ConsoleArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Convert(a) => cli::convert::run(a),
        Command::Info(a) => cli::info::run(a),
        Command::Ports(a) => cli::ports::run(a),
        Command::Send(a) => cli::send::run(a),
        Command::Console(a) => cli::console::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("burin: {e:#}");
            ExitCode::from(2)
        }
    }
}
