//! `burin presets list|show|add|edit|remove|import|export`: the material preset library
//! (`presets.toml` in the config dir, or `--library PATH`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use burin_controller::{LoadSource, PresetStore};
use burin_design::preset::{
    self, Imported, PresetFormat, export_lasergrbl, export_lightburn, import_text, read_preset_file,
};
use burin_design::{DitherKind, Library, Mode, Preset};

#[derive(Debug, clap::Args)]
pub struct PresetsArgs {
    /// The preset library file to use instead of `presets.toml` in the config folder.
    #[arg(long, global = true, value_name = "PATH")]
    pub library: Option<PathBuf>,
    #[command(subcommand)]
    pub command: PresetsCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum PresetsCommand {
    /// List presets: name, material, thickness, mode, speed, power, passes, machine.
    List {
        /// Only presets matching every word, in name, material, machine, mode or
        /// thickness (`plywood 3mm diode`).
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Show every setting of one preset (name exact, or ignoring case).
    Show { name: String },
    /// Add a preset.
    Add(Box<AddArgs>),
    /// Change some settings of a preset; the others stay.
    Edit(Box<EditArgs>),
    /// Remove a preset.
    Remove { name: String },
    /// Add the presets of a LightBurn .clb, LaserGRBL .psh or Burin .toml file (by
    /// extension, else by content). A preset with the same name is replaced.
    Import { file: PathBuf },
    /// Write presets to a .clb, .psh or .toml file (by extension).
    Export {
        file: PathBuf,
        /// Only presets matching every word (as `list --search`).
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Preset name, unique ignoring case.
    #[arg(long)]
    pub name: String,
    /// cut (follow lines), fill (engrave areas) or image (engrave pictures).
    #[arg(long, value_parser = mode_arg)]
    pub mode: Mode,
    /// Speed while burning, mm/min.
    #[arg(long, value_name = "MM_MIN")]
    pub speed: f64,
    /// Maximum power, % of the machine's full power ($30).
    #[arg(long, value_name = "PCT")]
    pub power: f64,
    #[command(flatten)]
    pub more: MoreFields,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The preset to change.
    pub name: String,
    /// New name.
    #[arg(long = "name", value_name = "NEW_NAME")]
    pub new_name: Option<String>,
    /// cut, fill or image.
    #[arg(long, value_parser = mode_arg)]
    pub mode: Option<Mode>,
    /// Speed while burning, mm/min.
    #[arg(long, value_name = "MM_MIN")]
    pub speed: Option<f64>,
    /// Maximum power, % of full power.
    #[arg(long, value_name = "PCT")]
    pub power: Option<f64>,
    #[command(flatten)]
    pub more: MoreFields,
}

/// Settings shared by `add` and `edit`. `none` clears the optional ones.
#[derive(Debug, clap::Args)]
pub struct MoreFields {
    /// Material, free text. Default: empty.
    #[arg(long)]
    pub material: Option<String>,
    /// Material thickness, mm, or `none`. Default: none.
    #[arg(long, value_name = "MM|none", value_parser = maybe_num)]
    pub thickness: Option<Maybe<f64>>,
    /// Minimum power, % (images map white to it). Default 0.
    #[arg(long, value_name = "PCT")]
    pub min_power: Option<f64>,
    /// Times the layer is run. Default 1.
    #[arg(long)]
    pub passes: Option<u32>,
    /// Fill line interval or image pixel size, mm, or `none`. Default: Burin's for the
    /// mode (0.1) on add, unchanged on edit.
    #[arg(long, value_name = "MM|none", value_parser = maybe_num)]
    pub interval: Option<Maybe<f64>>,
    /// Fill angle, degrees, or `none`. Default: 0 for fills on add.
    #[arg(long, value_name = "DEG|none", value_parser = maybe_num, allow_hyphen_values = true)]
    pub angle: Option<Maybe<f64>>,
    /// Image dither (threshold, bayer4, bayer8, floyd-steinberg, jarvis, stucki, atkinson,
    /// burkes, sierra3, sierra2, sierra-lite, halftone, grayscale) or `none`.
    /// Default: jarvis for images on add.
    #[arg(long, value_parser = maybe_dither)]
    pub dither: Option<Maybe<DitherKind>>,
    /// Air assist on. Default on add: on for cut, off for fill and image.
    #[arg(long, overrides_with = "no_air")]
    pub air: bool,
    /// Air assist off.
    #[arg(long, overrides_with = "air")]
    pub no_air: bool,
    /// The laser it is for ("10 W diode", "40 W CO2"). Default: empty (any).
    #[arg(long)]
    pub machine: Option<String>,
    /// Free text notes.
    #[arg(long)]
    pub notes: Option<String>,
}

/// A value, or `none` to clear it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Maybe<T>(pub Option<T>);

fn mode_arg(s: &str) -> Result<Mode, String> {
    preset::parse_mode(s).ok_or_else(|| format!("unknown mode \"{s}\": use cut, fill or image"))
}

fn maybe_num(s: &str) -> Result<Maybe<f64>, String> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(Maybe(None));
    }
    let t = s.trim().trim_end_matches("mm").trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Maybe(Some(v))),
        _ => Err(format!("\"{s}\" is not a number (or none)")),
    }
}

fn maybe_dither(s: &str) -> Result<Maybe<DitherKind>, String> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(Maybe(None));
    }
    DitherKind::from_name(s)
        .map(|d| Maybe(Some(d)))
        .ok_or_else(|| format!("unknown dither \"{s}\""))
}

impl MoreFields {
    fn apply(&self, p: &mut Preset) {
        if let Some(m) = &self.material {
            p.material = m.clone();
        }
        if let Some(Maybe(t)) = self.thickness {
            p.thickness_mm = t;
        }
        if let Some(v) = self.min_power {
            p.power_min_pct = v;
        }
        if let Some(v) = self.passes {
            p.passes = v;
        }
        if let Some(Maybe(v)) = self.interval {
            p.interval_mm = v;
        }
        if let Some(Maybe(v)) = self.angle {
            p.angle_deg = v;
        }
        if let Some(Maybe(v)) = self.dither {
            p.dither = v;
        }
        if self.air {
            p.air_assist = true;
        }
        if self.no_air {
            p.air_assist = false;
        }
        if let Some(m) = &self.machine {
            p.machine = m.clone();
        }
        if let Some(n) = &self.notes {
            p.notes = n.clone();
        }
    }
}

/// `--library PATH`, else `presets.toml` in the config folder.
pub(crate) fn library_path(library: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match library {
        Some(p) => Ok(p),
        None => PresetStore::default_path()
            .context("this system has no config folder: pass --library PATH"),
    }
}

pub fn run(args: PresetsArgs) -> anyhow::Result<ExitCode> {
    let path = library_path(args.library)?;
    let mut store = load(&path);
    match args.command {
        PresetsCommand::List { search } => list(store.library(), search.as_deref()),
        PresetsCommand::Show { name } => show(find(store.library(), &name)?),
        PresetsCommand::Add(a) => {
            let mut p = Preset::new(a.name.clone(), a.mode);
            p.speed_mm_min = a.speed;
            p.power_max_pct = a.power;
            a.more.apply(&mut p);
            store.library_mut().add(p)?;
            save(&store)?;
            println!("added \"{}\" to {}", a.name, path.display());
        }
        PresetsCommand::Edit(e) => {
            let mut p = find(store.library(), &e.name)?.clone();
            let old_name = p.name.clone();
            if let Some(n) = &e.new_name {
                p.name = n.clone();
            }
            if let Some(m) = e.mode {
                p.mode = m;
            }
            if let Some(v) = e.speed {
                p.speed_mm_min = v;
            }
            if let Some(v) = e.power {
                p.power_max_pct = v;
            }
            e.more.apply(&mut p);
            let new_name = p.name.clone();
            store.library_mut().update(&old_name, p)?;
            save(&store)?;
            println!("changed \"{new_name}\" in {}", path.display());
        }
        PresetsCommand::Remove { name } => {
            let p = store.library_mut().remove(&name)?;
            save(&store)?;
            println!("removed \"{}\" from {}", p.name, path.display());
        }
        PresetsCommand::Import { file } => return import(&mut store, &file),
        PresetsCommand::Export { file, search } => {
            let presets: Vec<Preset> = store
                .library()
                .search(search.as_deref().unwrap_or(""))
                .into_iter()
                .cloned()
                .collect();
            export(&presets, &file)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the library, telling on stderr what was wrong with it and what is used instead.
pub(crate) fn load(path: &Path) -> PresetStore {
    let out = PresetStore::load(path);
    if let Some(e) = &out.error {
        let using = match out.source {
            LoadSource::Backup => "using the backup",
            _ => "using the built-in presets",
        };
        eprintln!("burin: warning: {e}; {using}");
    }
    if let Some(copy) = &out.corrupt_copy {
        eprintln!(
            "burin: the unreadable library is kept as {}",
            copy.display()
        );
    }
    for w in &out.warnings {
        eprintln!("burin: warning: {w}");
    }
    out.store
}

pub(crate) fn save(store: &PresetStore) -> anyhow::Result<()> {
    let saved = store.save()?;
    if let Some(copy) = saved.corrupt_copy {
        eprintln!(
            "burin: the unreadable library it replaces is kept as {}",
            copy.display()
        );
    }
    Ok(())
}

fn find<'a>(lib: &'a Library, name: &str) -> anyhow::Result<&'a Preset> {
    if let Some(p) = lib.find(name) {
        return Ok(p);
    }
    let near: Vec<&str> = lib
        .search(name)
        .iter()
        .take(5)
        .map(|p| p.name.as_str())
        .collect();
    if near.is_empty() {
        bail!("no preset named \"{name}\" (see `burin presets list`)");
    }
    bail!(
        "no preset named \"{name}\"; did you mean: {}",
        near.join(", ")
    );
}

fn list(lib: &Library, search: Option<&str>) {
    let presets = lib.search(search.unwrap_or(""));
    if presets.is_empty() {
        println!("no presets match");
        return;
    }
    let header = [
        "NAME",
        "MATERIAL",
        "THICKNESS",
        "MODE",
        "SPEED",
        "POWER",
        "PASSES",
        "MACHINE",
    ]
    .map(String::from);
    let rows: Vec<[String; 8]> = presets
        .iter()
        .map(|p| {
            [
                p.name.clone(),
                p.material.clone(),
                p.thickness_label(),
                preset::mode_label(p.mode).to_string(),
                format!("{} mm/min", num(p.speed_mm_min)),
                power_label(p),
                p.passes.to_string(),
                p.machine.clone(),
            ]
        })
        .collect();
    let mut widths = [0usize; 8];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
}

fn show(p: &Preset) {
    let opt =
        |v: Option<f64>, unit: &str| v.map_or("-".to_string(), |v| format!("{}{unit}", num(v)));
    println!("name:        {}", p.name);
    println!("material:    {}", p.material);
    println!("thickness:   {}", opt(p.thickness_mm, " mm"));
    println!(
        "machine:     {}",
        if p.machine.is_empty() {
            "any"
        } else {
            &p.machine
        }
    );
    println!("mode:        {}", preset::mode_label(p.mode));
    println!("speed:       {} mm/min", num(p.speed_mm_min));
    println!("power:       {}", power_label(p));
    println!("passes:      {}", p.passes);
    println!("interval:    {}", opt(p.interval_mm, " mm"));
    println!("angle:       {}", opt(p.angle_deg, "°"));
    println!("dither:      {}", p.dither.map_or("-", DitherKind::name));
    println!("air assist:  {}", if p.air_assist { "on" } else { "off" });
    if !p.notes.is_empty() {
        println!("notes:");
        for line in p.notes.lines() {
            println!("  {line}");
        }
    }
    // Hand-edited files may hold values a layer would refuse: say so here.
    if let Err(e) = p.validate() {
        println!("warning: {e}");
    }
}

fn power_label(p: &Preset) -> String {
    if p.power_min_pct > 0.0 {
        format!("{}-{} %", num(p.power_min_pct), num(p.power_max_pct))
    } else {
        format!("{} %", num(p.power_max_pct))
    }
}

fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn import(store: &mut PresetStore, file: &Path) -> anyhow::Result<ExitCode> {
    let text = read_preset_file(file).with_context(|| format!("{}", file.display()))?;
    let format = PresetFormat::from_path(file)
        .or_else(|| PresetFormat::sniff(&text))
        .with_context(|| {
            format!(
                "{}: not a preset file Burin knows (LightBurn .clb, LaserGRBL .psh, Burin .toml)",
                file.display()
            )
        })?;
    let Imported { presets, report } =
        import_text(format, &text).with_context(|| format!("{}", file.display()))?;
    let mut replaced = Vec::new();
    for p in presets {
        let name = p.name.clone();
        if store.library_mut().replace(p)?.is_some() {
            replaced.push(name);
        }
    }
    if !report.imported.is_empty() {
        save(store)?;
    }
    println!(
        "{}: {} ({} imported, {} skipped)",
        file.display(),
        format.label(),
        report.imported.len(),
        report.skipped.len()
    );
    for name in &report.imported {
        let mark = if replaced.contains(name) {
            " (replaced the one of that name)"
        } else {
            ""
        };
        println!("  + {name}{mark}");
    }
    for (what, why) in &report.skipped {
        println!("  - {what}: {why}");
    }
    if report.imported.is_empty() {
        println!("nothing imported; {} unchanged", store.path().display());
        return Ok(ExitCode::from(1));
    }
    println!("saved to {}", store.path().display());
    Ok(ExitCode::SUCCESS)
}

fn export(presets: &[Preset], file: &Path) -> anyhow::Result<()> {
    let format = PresetFormat::from_path(file).with_context(|| {
        format!(
            "{}: the extension says the format: .clb (LightBurn), .psh (LaserGRBL) or .toml (Burin)",
            file.display()
        )
    })?;
    let text = match format {
        PresetFormat::Burin => Library {
            presets: presets.to_vec(),
            ..Library::new()
        }
        .to_toml()?,
        PresetFormat::LightBurn => export_lightburn(presets, "Burin presets"),
        PresetFormat::LaserGrbl => export_lasergrbl(presets),
    };
    write_atomically(file, &text)?;
    println!(
        "{}: {} presets written as a {}",
        file.display(),
        presets.len(),
        format.label()
    );
    match format {
        PresetFormat::LightBurn => println!("  (LightBurn libraries have no machine or notes)"),
        PresetFormat::LaserGrbl => println!(
            "  (LaserGRBL keeps one power, whole numbers, no interval, angle, dither or air assist)"
        ),
        PresetFormat::Burin => {}
    }
    Ok(())
}

fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
