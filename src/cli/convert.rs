//! `burin convert IN.svg -o OUT.gcode`: an SVG or a picture to checked GRBL G-code, written
//! atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use burin_controller::{
    ConvertOutcome, ConvertSettings, LayerOverride, PresetStore, UnknownPreset, convert_file,
    find_preset,
};
use burin_design::{DpiChoice, LaserMode, Library, Mode, Preset, Rgb};
use burin_toolpath::{Anchor, JobOrigin};
use clap::ValueEnum;
use serde::Serialize;

use super::profile::ProfileArgs;

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The SVG (or SVGZ), or a picture (PNG, JPEG, BMP, GIF, WebP, TIFF) to engrave.
    pub input: PathBuf,
    /// Where to write the G-code. Written to a temporary file first and renamed into place,
    /// so a failed conversion never leaves a partial file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Pixels per inch for px and unit-less lengths: `auto` (96, or 90 for Inkscape < 0.92,
    /// 72 for Illustrator) or a number.
    #[arg(long, default_value = "auto")]
    pub dpi: String,
    /// Mode for every layer (default: line for stroked shapes, fill for filled-only ones).
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Speed for every layer, mm/min.
    #[arg(long)]
    pub speed: Option<f64>,
    /// Maximum power for every layer, % of the machine's maximum (S max).
    #[arg(long)]
    pub power: Option<f64>,
    /// Passes for every layer.
    #[arg(long)]
    pub passes: Option<u32>,
    /// Fill line interval, and image line interval and pixel size, mm.
    #[arg(long)]
    pub interval: Option<f64>,
    /// Fill angle, degrees.
    #[arg(long)]
    pub angle: Option<f64>,
    /// Add a second fill at angle + 90.
    #[arg(long)]
    pub crosshatch: bool,
    /// Fill in one direction only.
    #[arg(long)]
    pub unidirectional: bool,
    /// How fills are scanned: `region` (default: the whole layer as one area, row by row with
    /// overscan; overlaps burn once) or `shapes` (each shape on its own).
    #[arg(long, value_name = "STYLE")]
    pub fill_style: Option<FillStyleArg>,
    /// Air assist for every layer (on/off).
    #[arg(long)]
    pub air: Option<OnOff>,
    /// Constant power (M3) instead of dynamic power (M4) for every layer.
    #[arg(long)]
    pub m3: bool,
    /// Pictures: width on the material, mm (the height follows unless given).
    #[arg(long, value_name = "MM")]
    pub width: Option<f64>,
    /// Pictures: height on the material, mm.
    #[arg(long, value_name = "MM")]
    pub height: Option<f64>,
    /// Image layers: threshold, bayer4, bayer8, floyd-steinberg, jarvis, stucki, atkinson,
    /// burkes, sierra3, sierra2, sierra-lite, halftone or grayscale.
    #[arg(long)]
    pub dither: Option<String>,
    /// Image layers: minimum power, % (grayscale maps white..black to min..max).
    #[arg(long)]
    pub min_power: Option<f64>,
    /// Image layers: brightness, -1..1.
    #[arg(long, allow_hyphen_values = true)]
    pub brightness: Option<f64>,
    /// Image layers: contrast, -1..1.
    #[arg(long, allow_hyphen_values = true)]
    pub contrast: Option<f64>,
    /// Image layers: gamma (above 1 darkens mid-tones).
    #[arg(long)]
    pub gamma: Option<f64>,
    /// Image layers: burn the light parts instead of the dark ones.
    #[arg(long)]
    pub invert: bool,
    /// Grayscale image layers: neighbouring pixels within this many of 255 power levels burn
    /// as one move (0 keeps every level; default 1).
    #[arg(long, value_name = "LEVELS")]
    pub gray_tolerance: Option<u8>,
    /// Image layers: scan rows along X (`horizontal`, default) or columns along Y (`vertical`).
    #[arg(long, value_name = "DIRECTION")]
    pub scan: Option<ScanArg>,
    /// Image and region-fill layers: overscan past each row's ends, mm (default: from the feed
    /// and $120).
    #[arg(long, value_name = "MM")]
    pub overscan: Option<f64>,
    /// If the job needs more lines or bytes per second than the link and controller take
    /// (see --firmware-lines-per-s, --link-baud), lower every faster layer to the highest feed
    /// that keeps up.
    #[arg(long)]
    pub cap_feed: bool,
    /// Settings for the layer of one colour, e.g. '#ff0000:mode=fill,speed=3000,power=40'
    /// (keys: mode, speed, power, min-power, passes, interval, angle, bidirectional,
    /// crosshatch, fill-style (region/shapes), air, output, laser (m3/m4), and for pictures
    /// dither, brightness, contrast, gamma, invert, threshold, overscan, gray-tolerance, scan), or a
    /// material preset for it,
    /// '#ff0000=Plywood 3 mm cut (diode)'. Presets go first; flags and keys win. Repeatable.
    #[arg(long = "layer", value_name = "COLOUR:SETTINGS|COLOUR=PRESET")]
    pub layers: Vec<String>,
    /// A material preset for every layer (see `burin presets list`), applied before the
    /// `--layer` presets and the other layer flags, which win.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// The preset library for --preset and --layer COLOUR=PRESET (default: presets.toml in
    /// the config folder, or the built-in presets when there is none).
    #[arg(long, value_name = "PATH")]
    pub library: Option<PathBuf>,
    /// Curve flattening tolerance, mm.
    #[arg(long, default_value_t = 0.01)]
    pub tolerance: f64,
    /// Job origin: `absolute` (page bottom-left at the work origin) or `current` (the anchor
    /// point of the job's box at the work origin, which the sender sets at the laser head).
    #[arg(long, value_enum, default_value_t = OriginArg::Absolute)]
    pub origin: OriginArg,
    /// Which point of the job's box sits at the origin with `--origin current`.
    #[arg(long, value_enum, default_value_t = AnchorArg::BottomLeft)]
    pub anchor: AnchorArg,
    /// Keep the file's path order (no travel optimisation).
    #[arg(long)]
    pub no_optimize: bool,
    #[command(flatten)]
    pub machine: ProfileArgs,
    /// Print a JSON summary on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    Line,
    Fill,
    Image,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScanArg {
    Horizontal,
    Vertical,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FillStyleArg {
    Region,
    Shapes,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OriginArg {
    Absolute,
    Current,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AnchorArg {
    TopLeft,
    Top,
    TopRight,
    Left,
    Center,
    Right,
    BottomLeft,
    Bottom,
    BottomRight,
}

impl From<AnchorArg> for Anchor {
    fn from(a: AnchorArg) -> Self {
        match a {
            AnchorArg::TopLeft => Anchor::TopLeft,
            AnchorArg::Top => Anchor::Top,
            AnchorArg::TopRight => Anchor::TopRight,
            AnchorArg::Left => Anchor::Left,
            AnchorArg::Center => Anchor::Center,
            AnchorArg::Right => Anchor::Right,
            AnchorArg::BottomLeft => Anchor::BottomLeft,
            AnchorArg::Bottom => Anchor::Bottom,
            AnchorArg::BottomRight => Anchor::BottomRight,
        }
    }
}

impl ConvertArgs {
    /// The settings these flags ask for.
    pub fn settings(&self) -> anyhow::Result<ConvertSettings> {
        let mut s = ConvertSettings::default();
        s.import.dpi = match self.dpi.as_str() {
            "auto" => DpiChoice::Auto,
            n => {
                let dpi: f64 = n.parse().ok().filter(|d: &f64| d.is_finite() && *d >= 1.0 && *d <= 10_000.0).with_context(
                    || format!("--dpi takes 'auto' or a number of px per inch between 1 and 10000, not '{n}'"),
                )?;
                DpiChoice::Fixed(dpi)
            }
        };
        let all = &mut s.all_layers;
        all.mode = self.mode.map(|m| match m {
            ModeArg::Line => Mode::Line,
            ModeArg::Fill => Mode::Fill,
            ModeArg::Image => Mode::Image,
        });
        all.dither =
            match &self.dither {
                Some(d) => Some(burin_design::DitherKind::from_name(d).with_context(|| {
                    format!("--dither: unknown '{d}' (see burin convert --help)")
                })?),
                None => None,
            };
        all.power_min_pct = self.min_power;
        all.brightness = self.brightness;
        all.contrast = self.contrast;
        all.gamma = self.gamma;
        all.invert = self.invert.then_some(true);
        all.overscan_mm = self.overscan;
        all.gray_tolerance = self.gray_tolerance;
        all.scan = self.scan.map(|s| match s {
            ScanArg::Horizontal => burin_design::ScanDirection::Horizontal,
            ScanArg::Vertical => burin_design::ScanDirection::Vertical,
        });
        s.image.width_mm = self.width;
        s.image.height_mm = self.height;
        all.speed_mm_min = self.speed;
        all.power_max_pct = self.power;
        all.passes = self.passes;
        all.interval_mm = self.interval;
        all.angle_deg = self.angle;
        all.crosshatch = self.crosshatch.then_some(true);
        all.fill_style = self.fill_style.map(|s| match s {
            FillStyleArg::Region => burin_design::FillStyle::Region,
            FillStyleArg::Shapes => burin_design::FillStyle::ShapeByShape,
        });
        all.bidirectional = self.unidirectional.then_some(false);
        all.air_assist = self.air.map(|a| matches!(a, OnOff::On));
        all.laser_mode = self.m3.then_some(LaserMode::Constant);
        // Read only when a preset is named, and only once.
        let mut library: Option<Library> = None;
        let mut preset = |name: &str| -> Result<Preset, UnknownPreset> {
            let lib = library.get_or_insert_with(|| self.preset_library());
            find_preset(lib, name).cloned()
        };
        if let Some(name) = &self.preset {
            let p = preset(name).map_err(|e| anyhow::anyhow!("--preset: {e}"))?;
            s.all_layers_preset = Some(p);
        }
        for spec in &self.layers {
            // The colour never holds ':' or '=', so the first of them says which form it is.
            match spec.find([':', '=']) {
                Some(i) if spec[i..].starts_with('=') => {
                    let colour = &spec[..i];
                    let rgb = Rgb::parse(colour).with_context(|| {
                        format!(
                            "--layer '{spec}': '{colour}' is not a colour (use #rrggbb or #rgb)"
                        )
                    })?;
                    let p = preset(spec[i + 1..].trim())
                        .map_err(|e| anyhow::anyhow!("--layer {}: {e}", rgb.hex()))?;
                    s.layer_presets.push((rgb, p));
                }
                _ => s.per_colour.push(
                    LayerOverride::parse_for_colour(spec)
                        .map_err(|e| anyhow::anyhow!("--layer {e}"))?,
                ),
            }
        }
        s.plan.tolerance_mm = self.tolerance;
        s.plan.origin = match self.origin {
            OriginArg::Absolute => JobOrigin::Absolute,
            OriginArg::Current => JobOrigin::CurrentPosition {
                anchor: self.anchor.into(),
            },
        };
        s.plan.order.optimize = !self.no_optimize;
        s.profile = self.machine.profile()?;
        let name = self
            .input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        s.emit.header = vec![format!("Burin {} from {name}", env!("CARGO_PKG_VERSION"))];
        if let JobOrigin::CurrentPosition { anchor } = s.plan.origin {
            s.emit.header.push(format!(
                "Origin: {anchor:?} of the job at the work origin; set it at the head first"
            ));
        }
        Ok(s)
    }
}

impl ConvertArgs {
    /// `--library`, else the default library file, else the built-in presets.
    fn preset_library(&self) -> Library {
        match self.library.clone().or_else(PresetStore::default_path) {
            Some(path) => super::presets::load(&path).library().clone(),
            None => Library::builtin(),
        }
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    input: &'a Path,
    output: &'a Path,
    written: bool,
    dpi: f64,
    dpi_reason: String,
    dpi_matters: bool,
    page_mm: (f64, f64),
    layers: &'a [burin_controller::LayerSummary],
    stats: &'a burin_gcode::ProgramStats,
    preflight: &'a burin_gcode::PreflightReport,
    warnings: &'a [String],
    throughput: burin_gcode::Throughput,
    /// The highest feed the link keeps up with, when the job's is higher, mm/min.
    safe_feed_mm_min: Option<f64>,
}

pub fn run(args: ConvertArgs) -> anyhow::Result<ExitCode> {
    let mut settings = args.settings()?;
    let mut outcome = convert_file(&args.input, &settings)?;
    let (mut throughput, mut safe_feed) =
        super::profile::throughput_check(&outcome.program, &settings.profile, &args.machine);
    // Acceleration makes time less than proportional to feed, so the cap is found in a few
    // rounds rather than in one.
    for _ in 0..6 {
        let Some(feed) = safe_feed.filter(|_| args.cap_feed) else {
            break;
        };
        for l in &outcome.layers {
            if let Some(rgb) = burin_design::Rgb::parse(&l.name)
                && l.speed_mm_min > feed
            {
                let cap = LayerOverride {
                    speed_mm_min: Some(feed),
                    ..LayerOverride::default()
                };
                settings.per_colour.push((rgb, cap));
            }
        }
        outcome = convert_file(&args.input, &settings)?;
        (throughput, safe_feed) =
            super::profile::throughput_check(&outcome.program, &settings.profile, &args.machine);
    }
    let throughput_note = super::profile::throughput_warning(&throughput, safe_feed);
    let ok = outcome.preflight.is_ok();
    if ok {
        write_atomically(&args.output, &outcome.program.to_text())?;
    }
    if args.json {
        let info = &outcome.document.info;
        let summary = Summary {
            input: &args.input,
            output: &args.output,
            written: ok,
            dpi: info.dpi,
            dpi_reason: info.dpi_reason.to_string(),
            dpi_matters: info.dpi_matters,
            page_mm: outcome.document.size_mm,
            layers: &outcome.layers,
            stats: &outcome.stats,
            preflight: &outcome.preflight,
            warnings: &outcome.warnings,
            throughput,
            safe_feed_mm_min: safe_feed,
        };
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        if let Some(p) = &settings.all_layers_preset {
            println!("preset \"{}\" on every layer", p.name);
        }
        for (rgb, p) in &settings.layer_presets {
            println!("preset \"{}\" on layer {}", p.name, rgb.hex());
        }
        print_human(&args, &outcome);
        if let Some(w) = &throughput_note {
            println!("  {w}");
        }
    }
    if !ok {
        eprintln!(
            "burin: {}: refused, nothing written: the program fails its safety checks",
            args.input.display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(args: &ConvertArgs, o: &ConvertOutcome) {
    let info = &o.document.info;
    // A picture file (not an SVG that holds pictures) is described by its pixels.
    let picture = burin_design::is_image_path(&args.input)
        .then(|| o.document.layers.iter().find_map(|l| l.image.as_ref()))
        .flatten();
    if let Some(b) = picture {
        println!(
            "{}: picture {} x {} px, {:.3} x {:.3} mm ({:.0} DPI in the file)",
            args.input.display(),
            b.width_px,
            b.height_px,
            b.size_mm.0,
            b.size_mm.1,
            info.dpi
        );
    } else {
        print_page(args, o);
    }
    print_rest(args, o);
}

fn print_page(args: &ConvertArgs, o: &ConvertOutcome) {
    let info = &o.document.info;
    let dpi_note = if info.dpi_matters {
        ""
    } else {
        "; sizes are absolute, so it changes nothing"
    };
    println!(
        "{}: {:.3} x {:.3} mm page, {} DPI ({}{dpi_note})",
        args.input.display(),
        o.document.size_mm.0,
        o.document.size_mm.1,
        info.dpi,
        info.dpi_reason
    );
}

fn print_rest(args: &ConvertArgs, o: &ConvertOutcome) {
    for l in &o.layers {
        let out = if l.output { "" } else { " (output off)" };
        println!(
            "  layer {}: {:?}, {} shapes, {} mm/min, {} %, {} pass(es){out}",
            l.name, l.mode, l.shapes, l.speed_mm_min, l.power_max_pct, l.passes
        );
    }
    let s = &o.stats;
    if let Some(b) = s.bounds {
        println!(
            "  job: X {:.3}..{:.3}, Y {:.3}..{:.3} mm ({:.3} x {:.3} mm)",
            b.x_min_mm,
            b.x_max_mm,
            b.y_min_mm,
            b.y_max_mm,
            b.width_mm(),
            b.height_mm()
        );
    }
    println!(
        "  {} lines, {} bytes; cut {:.1} mm, travel {:.1} mm; estimated time {}",
        s.line_count,
        s.byte_count,
        s.cut_mm,
        s.travel_mm,
        super::info::hms(s.time.total_s)
    );
    for w in &o.warnings {
        println!("  note: {w}");
    }
    for f in &o.preflight.findings {
        println!("  {f}");
    }
    if o.preflight.is_ok() {
        println!("  wrote {}", args.output.display());
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it into place.
pub(crate) fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
