//! `burin test-grid -o test.gcode`: a material test, squares stepping speed down the rows and
//! power (or interval, or passes) across the columns, labelled in burned text, written as
//! checked G-code like `convert` writes it. `--save-cell ROW,COL` keeps one cell's settings
//! as a material preset once the test has been burned and looked at.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use burin_controller::{ConvertSettings, PresetStore, convert_document};
use burin_design::test_grid::{StepRange, TestGrid, TestGridOptions, Vary, legend, test_grid};
use burin_design::{Mode, Preset, document_to_svg};
use burin_toolpath::JobOrigin;
use clap::ValueEnum;

use super::convert::{AnchorArg, OriginArg, write_atomically};
use super::profile::ProfileArgs;

#[derive(Debug, clap::Args)]
pub struct TestGridArgs {
    /// Where to write the G-code (via a temporary file; nothing is written when the program
    /// fails its safety checks).
    #[arg(short, long, required_unless_present = "save_cell")]
    pub output: Option<PathBuf>,
    /// Also write the grid as an SVG, to edit it or open it again.
    #[arg(long, value_name = "PATH")]
    pub svg: Option<PathBuf>,
    /// What each square does: fill (engrave it), cut (follow its outline) or image (raster).
    #[arg(long, value_enum, default_value_t = GridMode::Fill)]
    pub mode: GridMode,
    /// What the columns step: power, interval (fill and image) or passes.
    #[arg(long, value_enum, default_value_t = VaryArg::Power)]
    pub vary: VaryArg,
    /// Rows (speed steps), 1..20.
    #[arg(long, default_value_t = 5)]
    pub rows: u32,
    /// Columns, 1..20.
    #[arg(long, default_value_t = 5)]
    pub cols: u32,
    /// Speed of the first and last row, mm/min [default: 1000..6000; cut: 100..600].
    #[arg(long, value_name = "FIRST..LAST")]
    pub speeds: Option<String>,
    /// Power, % of full power ($30): FIRST..LAST when the columns vary power [default:
    /// 10..100], else one value [default: 50].
    #[arg(long, value_name = "PCT|FIRST..LAST")]
    pub powers: Option<String>,
    /// Fill/image line interval, mm: FIRST..LAST with --vary interval [default: 0.05..0.25],
    /// else one value [default: 0.1].
    #[arg(long, value_name = "MM|FIRST..LAST")]
    pub intervals: Option<String>,
    /// Passes: FIRST..LAST with --vary passes [default: 1..COLS], else one value [default: 1].
    #[arg(long, value_name = "N|FIRST..LAST")]
    pub passes: Option<String>,
    /// Side of a square, mm.
    #[arg(long = "cell", value_name = "MM", default_value_t = 10.0)]
    pub cell_mm: f64,
    /// Space between squares, mm.
    #[arg(long = "gap", value_name = "MM", default_value_t = 2.0)]
    pub gap_mm: f64,
    /// Capital height of the labels, mm.
    #[arg(long = "text", value_name = "MM", default_value_t = 3.0)]
    pub text_mm: f64,
    /// First line of the labels.
    #[arg(long, default_value = "Material test")]
    pub title: String,
    /// Power of the labels, %.
    #[arg(long, value_name = "PCT", default_value_t = 20.0)]
    pub label_power: f64,
    /// Speed of the labels, mm/min.
    #[arg(long, value_name = "MM_MIN", default_value_t = 1500.0)]
    pub label_speed: f64,
    /// No labels: squares only.
    #[arg(long)]
    pub no_labels: bool,
    /// Job origin, as for convert: `absolute` or `current` (the head's position).
    #[arg(long, value_enum, default_value_t = OriginArg::Absolute)]
    pub origin: OriginArg,
    /// Which point of the job's box sits at the origin with `--origin current`.
    #[arg(long, value_enum, default_value_t = AnchorArg::BottomLeft)]
    pub anchor: AnchorArg,
    #[command(flatten)]
    pub machine: ProfileArgs,
    /// Save the settings of cell ROW,COL (numbered as in the table, from 1) as a preset.
    /// Give the same grid options as for the test.
    #[arg(long, value_name = "ROW,COL", requires_all = ["name", "material"])]
    pub save_cell: Option<String>,
    /// Name of the saved preset.
    #[arg(long, requires = "save_cell")]
    pub name: Option<String>,
    /// Material of the saved preset.
    #[arg(long, requires = "save_cell")]
    pub material: Option<String>,
    /// Material thickness of the saved preset, mm.
    #[arg(long = "thickness", value_name = "MM", requires = "save_cell")]
    pub thickness_mm: Option<f64>,
    /// The preset library to save into (default: presets.toml in the config folder).
    #[arg(long, value_name = "PATH")]
    pub library: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GridMode {
    Fill,
    Cut,
    Image,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VaryArg {
    Power,
    Interval,
    Passes,
}

/// `A..B` or a single `A`.
fn parse_range(flag: &str, text: &str) -> anyhow::Result<StepRange> {
    let num = |t: &str| {
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .with_context(|| format!("{flag}: '{text}' is not a number or FIRST..LAST"))
    };
    match text.split_once("..") {
        Some((a, b)) => Ok(StepRange::new(num(a)?, num(b)?)),
        None => Ok(StepRange::single(num(text)?)),
    }
}

impl TestGridArgs {
    /// The grid these flags ask for; defaults depend on the mode and on what varies.
    pub fn options(&self) -> anyhow::Result<TestGridOptions> {
        let (mode, vary) = (self.mode(), self.vary());
        let range = |flag: &str, given: &Option<String>, varied: &str, fixed: &str| {
            let default = if self.varies(flag) { varied } else { fixed };
            parse_range(flag, given.as_deref().unwrap_or(default))
        };
        let speeds = match mode {
            Mode::Line => "100..600",
            Mode::Fill | Mode::Image => "1000..6000",
        };
        let passes = format!("1..{}", self.cols.clamp(1, 1000));
        Ok(TestGridOptions {
            mode,
            rows: self.rows,
            cols: self.cols,
            speed_mm_min: range("--speeds", &self.speeds, speeds, speeds)?,
            vary,
            power_pct: range("--powers", &self.powers, "10..100", "50")?,
            interval_mm: range("--intervals", &self.intervals, "0.05..0.25", "0.1")?,
            passes: range("--passes", &self.passes, &passes, "1")?,
            cell_mm: self.cell_mm,
            gap_mm: self.gap_mm,
            labels: !self.no_labels,
            text_mm: self.text_mm,
            title: self.title.clone(),
            label_power_pct: self.label_power,
            label_speed_mm_min: self.label_speed,
        })
    }

    fn mode(&self) -> Mode {
        match self.mode {
            GridMode::Fill => Mode::Fill,
            GridMode::Cut => Mode::Line,
            GridMode::Image => Mode::Image,
        }
    }

    fn vary(&self) -> Vary {
        match self.vary {
            VaryArg::Power => Vary::Power,
            VaryArg::Interval => Vary::Interval,
            VaryArg::Passes => Vary::Passes,
        }
    }

    /// Whether `flag` names what the columns (or, for speeds, the rows) step through.
    fn varies(&self, flag: &str) -> bool {
        match flag {
            "--speeds" => true,
            "--powers" => matches!(self.vary, VaryArg::Power),
            "--intervals" => matches!(self.vary, VaryArg::Interval),
            _ => matches!(self.vary, VaryArg::Passes),
        }
    }

    fn convert_settings(&self, opts: &TestGridOptions) -> anyhow::Result<ConvertSettings> {
        let mut s = ConvertSettings {
            profile: self.machine.profile()?,
            ..ConvertSettings::default()
        };
        s.plan.origin = match self.origin {
            OriginArg::Absolute => JobOrigin::Absolute,
            OriginArg::Current => JobOrigin::CurrentPosition {
                anchor: self.anchor.into(),
            },
        };
        s.emit.header = vec![
            format!("Burin {} material test", env!("CARGO_PKG_VERSION")),
            legend(opts),
        ];
        if let JobOrigin::CurrentPosition { anchor } = s.plan.origin {
            s.emit.header.push(format!(
                "Origin: {anchor:?} of the job at the work origin; set it at the head first"
            ));
        }
        Ok(s)
    }
}

pub fn run(args: TestGridArgs) -> anyhow::Result<ExitCode> {
    let opts = args.options()?;
    let grid = test_grid(&opts)?;
    print_cells(&grid);
    if let Some(spec) = &args.save_cell {
        save_cell(&args, &grid, spec)?;
    }
    let Some(output) = &args.output else {
        return Ok(ExitCode::SUCCESS);
    };
    let settings = args.convert_settings(&opts)?;
    let outcome = convert_document(grid.document.clone(), &settings)?;
    let s = &outcome.stats;
    if let Some(b) = s.bounds {
        println!(
            "job: X {:.3}..{:.3}, Y {:.3}..{:.3} mm ({:.3} x {:.3} mm)",
            b.x_min_mm,
            b.x_max_mm,
            b.y_min_mm,
            b.y_max_mm,
            b.width_mm(),
            b.height_mm()
        );
    }
    println!(
        "{} lines; estimated time {}",
        s.line_count,
        super::info::hms(s.time.total_s)
    );
    let (throughput, safe_feed) =
        super::profile::throughput_check(&outcome.program, &settings.profile, &args.machine);
    if let Some(w) = super::profile::throughput_warning(&throughput, safe_feed) {
        println!("{w}");
    }
    for w in &outcome.warnings {
        println!("note: {w}");
    }
    for f in &outcome.preflight.findings {
        println!("{f}");
    }
    if !outcome.preflight.is_ok() {
        eprintln!("burin: test grid refused, nothing written: the program fails its safety checks");
        return Ok(ExitCode::from(1));
    }
    write_atomically(output, &outcome.program.to_text())?;
    println!("wrote {}", output.display());
    if let Some(svg) = &args.svg {
        write_atomically(svg, &document_to_svg(&grid.document))?;
        println!("wrote {}", svg.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The table users read the burned test against, and pick `--save-cell ROW,COL` from.
fn print_cells(grid: &TestGrid) {
    println!("ROW  COL  SPEED mm/min  POWER %  INTERVAL mm  PASSES  LAYER");
    for c in &grid.cells {
        let op = &c.operation;
        let interval = c.interval_mm().map_or("-".into(), num);
        println!(
            "{:<4} {:<4} {:<13} {:<8} {:<12} {:<7} {}",
            c.row,
            c.col,
            num(op.speed_mm_min),
            num(op.power_max_pct),
            interval,
            op.passes,
            c.colour.hex()
        );
    }
}

fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn save_cell(args: &TestGridArgs, grid: &TestGrid, spec: &str) -> anyhow::Result<()> {
    let bad = || format!("--save-cell takes ROW,COL (from 1, as in the table), not '{spec}'");
    let (r, c) = spec.split_once(',').with_context(bad)?;
    let row: u32 = r.trim().parse().ok().with_context(bad)?;
    let col: u32 = c.trim().parse().ok().with_context(bad)?;
    let cell = grid.cell(row, col).with_context(|| {
        format!(
            "--save-cell {row},{col}: the grid has {} rows and {} columns",
            args.rows, args.cols
        )
    })?;
    // clap makes --name and --material come with --save-cell.
    let name = args.name.clone().unwrap_or_default();
    let material = args.material.clone().unwrap_or_default();
    let mut preset = Preset::from_operation(name, material, args.thickness_mm, &cell.operation);
    preset.notes = format!("From material test cell {row},{col}.");
    let path = super::presets::library_path(args.library.clone())?;
    let mut store: PresetStore = super::presets::load(&path);
    store.library_mut().add(preset.clone())?;
    super::presets::save(&store)?;
    let interval = cell
        .interval_mm()
        .map(|i| format!(", interval {} mm", num(i)))
        .unwrap_or_default();
    println!(
        "saved cell {row},{col} ({} mm/min, {} %, {} pass(es){interval}) as \"{}\" in {}",
        num(preset.speed_mm_min),
        num(preset.power_max_pct),
        preset.passes,
        preset.name,
        path.display()
    );
    Ok(())
}
