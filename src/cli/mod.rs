//! One module per subcommand; each exposes `XxxArgs` (clap) and `run(args) -> Result<ExitCode>`.

pub mod console;
pub mod convert;
pub mod estimate;
pub mod info;
pub mod ports;
pub mod presets;
pub mod profile;
pub mod send;
pub mod test_grid;
