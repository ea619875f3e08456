//! `burin`: the desktop app (no subcommand) and the command line over Burin's core crates.

use std::path::PathBuf;
use std::process::ExitCode;

use burin::cli;
use clap::{Parser, Subcommand};

/// Open controller for GRBL laser engravers. Without a subcommand, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "burin", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    gui: GuiArgs,
}

/// Options of the desktop app.
#[derive(Debug, clap::Args)]
struct GuiArgs {
    /// An SVG or G-code file to open.
    file: Option<PathBuf>,
    /// Run the built-in simulator's clock this many times faster than real time (demos).
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    sim_speed: f64,
    /// Connect to this port at start (`sim` for the simulator).
    #[arg(long, value_name = "PORT")]
    connect: Option<String>,
    /// Start the job once connected (demos and screenshots).
    #[arg(long, requires = "connect")]
    start: bool,
    /// Close after drawing this many frames (tests: the window starts, renders, exits 0).
    #[arg(long, value_name = "N")]
    exit_after_frames: Option<u64>,
    /// Frame-rate benchmark: pan and zoom every frame, print frame times at exit.
    #[arg(long, requires = "exit_after_frames")]
    bench: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert an SVG into GRBL G-code.
    Convert(Box<cli::convert::ConvertArgs>),
    /// Describe a G-code file: size, extent, lengths, time estimate, preflight findings.
    Info(cli::info::InfoArgs),
    /// How long GRBL takes to run a G-code file (the simulator's firmware model).
    Estimate(cli::estimate::EstimateArgs),
    /// List serial ports, marking likely engravers.
    Ports(cli::ports::PortsArgs),
    /// Stream a G-code file to a GRBL machine (or the built-in simulator: --port sim).
    Send(cli::send::SendArgs),
    /// Talk to a GRBL machine interactively.
    Console(cli::console::ConsoleArgs),
    /// Material presets: list, show, add, edit, remove, import (LightBurn, LaserGRBL), export.
    Presets(cli::presets::PresetsArgs),
    /// Material test: a grid of squares stepping speed and power (or interval, or passes),
    /// with burned labels, as G-code; --save-cell keeps one cell as a preset.
    TestGrid(Box<cli::test_grid::TestGridArgs>),
}

/// `burin info x.gcode | head`: Rust's `println!` panics once the reader has gone. Say nothing
/// then (the panic still unwinds, so a job's stop guards run); other panics print as usual.
fn quiet_on_closed_stdout() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.starts_with("failed printing to stdout") && text.contains("Broken pipe") {
            return;
        }
        default_hook(info);
    }));
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_some() {
        quiet_on_closed_stdout();
    }
    let result = match cli.command {
        None => {
            let g = cli.gui;
            let opts = burin::ui::RunOptions {
                file: g.file,
                sim_speed: g.sim_speed,
                exit_after_frames: g.exit_after_frames,
                connect: g.connect,
                start_job: g.start,
                bench: g.bench,
            };
            burin::ui::run(opts)
                .map(|()| ExitCode::SUCCESS)
                .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
        }
        Some(Command::Convert(a)) => cli::convert::run(*a),
        Some(Command::Info(a)) => cli::info::run(a),
        Some(Command::Estimate(a)) => cli::estimate::run(a),
        Some(Command::Ports(a)) => cli::ports::run(a),
        Some(Command::Send(a)) => cli::send::run(a),
        Some(Command::Console(a)) => cli::console::run(a),
        Some(Command::Presets(a)) => cli::presets::run(a),
        Some(Command::TestGrid(a)) => cli::test_grid::run(*a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("burin: {e:#}");
            ExitCode::from(2)
        }
    }
}
