//! A job from an SVG file to a checked GRBL program: import -> plan -> emit -> preflight.

use std::path::Path;

use burin_design::{
    Document, ImageImportOptions, ImportError, ImportOptions, Layer, Mode, Preset, Rgb,
    import_image_file, import_svg_file, is_image_path,
};
use burin_gcode::{
    EmitOptions, MachineProfile, PreflightReport, Program, ProgramStats, WorkArea, emit, preflight,
    stats,
};
use burin_toolpath::{JobOrigin, PlanError, PlanOptions, Toolpath, plan};
use serde::Serialize;
use thiserror::Error;

use crate::overrides::LayerOverride;

/// Everything that shapes a conversion.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConvertSettings {
    pub import: ImportOptions,
    /// How pictures (PNG, JPEG, …) are read and sized.
    pub image: ImageImportOptions,
    /// A material preset applied to every layer before anything else. Default none.
    pub all_layers_preset: Option<Preset>,
    /// Presets for the layer of that colour, after `all_layers_preset` and before the
    /// overrides (so explicit settings win). Default none.
    pub layer_presets: Vec<(Rgb, Preset)>,
    /// Applied to every layer after the presets.
    pub all_layers: LayerOverride,
    /// Applied to the layer of that colour after `all_layers`.
    pub per_colour: Vec<(Rgb, LayerOverride)>,
    pub plan: PlanOptions,
    /// The machine the program is checked against (work area, S max).
    pub profile: MachineProfile,
    /// Emitter settings; `s_max` is taken from `profile`.
    pub emit: EmitOptions,
}

#[derive(Debug, Error)]
pub enum ConvertError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("no layer has colour {0} (the file's layers: {1})")]
    UnknownLayer(String, String),
}

/// One layer as it will be burned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerSummary {
    pub name: String,
    pub mode: Mode,
    pub shapes: usize,
    pub speed_mm_min: f64,
    pub power_max_pct: f64,
    pub passes: u32,
    pub output: bool,
}

/// What a conversion produced. The program is only safe to use if `preflight.is_ok()`.
#[derive(Debug, Clone)]
pub struct ConvertOutcome {
    pub document: Document,
    pub layers: Vec<LayerSummary>,
    pub toolpath: Toolpath,
    pub program: Program,
    pub preflight: PreflightReport,
    pub stats: ProgramStats,
    /// Import and planning notes.
    pub warnings: Vec<String>,
}

/// Reads, plans, emits and checks `path`: a picture (by its extension) or an SVG.
pub fn convert_file(
    path: &Path,
    settings: &ConvertSettings,
) -> Result<ConvertOutcome, ConvertError> {
    convert_document(import_file(path, settings)?, settings)
}

/// [`convert_file`]; kept for callers that only ever pass SVGs.
pub fn convert_svg_file(
    path: &Path,
    settings: &ConvertSettings,
) -> Result<ConvertOutcome, ConvertError> {
    convert_file(path, settings)
}

/// Reads a picture (PNG, JPEG, BMP, GIF, WebP, TIFF) or an SVG into a document.
pub fn import_file(path: &Path, settings: &ConvertSettings) -> Result<Document, ImportError> {
    if is_image_path(path) {
        import_image_file(path, &settings.image)
    } else {
        import_svg_file(path, &settings.import)
    }
}

/// Plans, emits and checks an imported document (layer overrides applied here).
pub fn convert_document(
    doc: Document,
    settings: &ConvertSettings,
) -> Result<ConvertOutcome, ConvertError> {
    let planned = plan_document(doc, settings)?;
    let (preflight, stats) = check_program(&planned.program, settings);
    Ok(ConvertOutcome {
        document: planned.document,
        layers: planned.layers,
        toolpath: planned.toolpath,
        program: planned.program,
        preflight,
        stats,
        warnings: planned.warnings,
    })
}

/// The first half of a conversion: presets and overrides, plan, emit (no checks yet).
#[derive(Debug, Clone)]
pub struct Planned {
    pub document: Document,
    pub layers: Vec<LayerSummary>,
    pub toolpath: Toolpath,
    pub program: Program,
    /// Import and planning notes.
    pub warnings: Vec<String>,
}

/// Applies the layer presets and overrides, plans and emits. [`check_program`] completes the job.
pub fn plan_document(
    mut doc: Document,
    settings: &ConvertSettings,
) -> Result<Planned, ConvertError> {
    apply_layer_settings(&mut doc, settings)?;
    let plan_opts = burin_toolpath::PlanOptions {
        accel_x_mm_s2: settings.profile.accel_x_mm_s2,
        accel_y_mm_s2: settings.profile.accel_y_mm_s2,
        ..settings.plan.clone()
    };
    let (toolpath, report) = plan(&doc, &plan_opts)?;
    let emit_opts = EmitOptions {
        s_max: settings.profile.s_max.round().clamp(1.0, 1e6) as u32,
        ..settings.emit.clone()
    };
    let program = emit(&toolpath, &emit_opts);
    let layers = doc
        .layers
        .iter()
        .map(|l| LayerSummary {
            name: l.name(),
            mode: l.operation.mode,
            shapes: l.shapes.len(),
            speed_mm_min: l.operation.speed_mm_min,
            power_max_pct: l.operation.power_max_pct,
            passes: l.operation.passes,
            output: l.operation.output,
        })
        .collect();
    let mut warnings = doc.info.warnings.clone();
    warnings.extend(report.warnings);
    Ok(Planned {
        document: doc,
        layers,
        toolpath,
        program,
        warnings,
    })
}

/// Presets first (every layer, then per colour), then the overrides (every layer, then per
/// colour): a preset is the starting point, what the user typed wins.
fn apply_layer_settings(
    doc: &mut Document,
    settings: &ConvertSettings,
) -> Result<(), ConvertError> {
    fn layer(doc: &mut Document, rgb: Rgb) -> Result<&mut Layer, ConvertError> {
        match doc.layers.iter().position(|l| l.colour == rgb) {
            Some(i) => Ok(&mut doc.layers[i]),
            None => {
                let names: Vec<String> = doc.layers.iter().map(|l| l.name()).collect();
                Err(ConvertError::UnknownLayer(rgb.hex(), names.join(", ")))
            }
        }
    }
    if let Some(p) = &settings.all_layers_preset {
        for l in &mut doc.layers {
            p.apply_to(&mut l.operation);
        }
    }
    for (rgb, p) in &settings.layer_presets {
        p.apply_to(&mut layer(doc, *rgb)?.operation);
    }
    for l in &mut doc.layers {
        settings.all_layers.apply(&mut l.operation);
    }
    for (rgb, o) in &settings.per_colour {
        o.apply(&mut layer(doc, *rgb)?.operation);
    }
    Ok(())
}

/// Preflight (placement-aware) and statistics of an emitted program, the two on separate
/// threads: each interprets every line.
pub fn check_program(
    program: &Program,
    settings: &ConvertSettings,
) -> (PreflightReport, ProgramStats) {
    let check_profile = profile_for_origin(&settings.profile, settings.plan.origin);
    let (mut report, stats) = std::thread::scope(|s| {
        let checking = s.spawn(|| preflight(program, &check_profile));
        let stats = stats(program, &settings.profile);
        let report = checking
            .join()
            .unwrap_or_else(|_| preflight(program, &check_profile));
        (report, stats)
    });
    if let JobOrigin::CurrentPosition { .. } = settings.plan.origin {
        size_check(&stats, &settings.profile, &mut report);
    }
    (report, stats)
}

/// A job placed at the head's current position can only be checked for size here; where it
/// lands is checked when it is sent and the head's position is known.
fn profile_for_origin(profile: &MachineProfile, origin: JobOrigin) -> MachineProfile {
    match origin {
        JobOrigin::Absolute => profile.clone(),
        JobOrigin::CurrentPosition { .. } => {
            let a = profile.work_area();
            let (w, h) = (a.x_max_mm - a.x_min_mm, a.y_max_mm - a.y_min_mm);
            MachineProfile {
                work_area: Some(WorkArea {
                    x_min_mm: -w,
                    x_max_mm: w,
                    y_min_mm: -h,
                    y_max_mm: h,
                }),
                ..profile.clone()
            }
        }
    }
}

fn size_check(stats: &ProgramStats, profile: &MachineProfile, report: &mut PreflightReport) {
    let Some(b) = stats.bounds else { return };
    let a = profile.work_area();
    let (w, h) = (a.x_max_mm - a.x_min_mm, a.y_max_mm - a.y_min_mm);
    for (axis, size, max) in [("X", b.width_mm(), w), ("Y", b.height_mm(), h)] {
        if size > max + 1e-9 {
            report.findings.push(burin_gcode::Finding {
                severity: burin_gcode::Severity::Error,
                check: burin_gcode::Check::WorkArea,
                line: 0,
                message: format!(
                    "job is {size:.3} mm in {axis}, {:.3} mm more than the machine's {max:.3} mm",
                    size - max
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use burin_design::test_grid::{TestGridOptions, test_grid};

    use super::*;

    #[test]
    fn presets_come_first_and_explicit_settings_win() {
        let doc = test_grid(&TestGridOptions {
            rows: 1,
            cols: 2,
            labels: false,
            ..TestGridOptions::default()
        })
        .unwrap()
        .document;
        let (a, b) = (doc.layers[0].colour, doc.layers[1].colour);
        let mut every = Preset::new("every", Mode::Line);
        every.speed_mm_min = 400.0;
        every.power_max_pct = 70.0;
        every.passes = 3;
        let mut one = Preset::new("one", Mode::Fill);
        one.speed_mm_min = 2500.0;
        one.interval_mm = Some(0.2);
        let settings = ConvertSettings {
            all_layers_preset: Some(every),
            layer_presets: vec![(b, one)],
            all_layers: LayerOverride {
                power_max_pct: Some(55.0),
                ..LayerOverride::default()
            },
            per_colour: vec![(
                b,
                LayerOverride {
                    passes: Some(2),
                    ..LayerOverride::default()
                },
            )],
            ..ConvertSettings::default()
        };
        let planned = plan_document(doc.clone(), &settings).unwrap();
        let op = |rgb| planned.document.layer(rgb).unwrap().operation;
        assert_eq!(op(a).mode, Mode::Line);
        assert_eq!(op(a).speed_mm_min, 400.0);
        assert_eq!(op(a).passes, 3);
        assert_eq!(op(a).power_max_pct, 55.0, "the flag wins over the preset");
        assert_eq!(op(b).mode, Mode::Fill);
        assert_eq!(
            op(b).speed_mm_min,
            2500.0,
            "the layer's preset wins over --preset"
        );
        assert_eq!(op(b).fill.interval_mm, 0.2);
        assert_eq!(op(b).power_max_pct, 55.0);
        assert_eq!(op(b).passes, 2);

        let missing = ConvertSettings {
            layer_presets: vec![(Rgb(1, 2, 3), Preset::new("x", Mode::Line))],
            ..ConvertSettings::default()
        };
        let e = plan_document(doc, &missing).unwrap_err().to_string();
        assert!(e.starts_with("no layer has colour #010203"), "{e}");
    }
}
