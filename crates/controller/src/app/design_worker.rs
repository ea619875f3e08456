//! The design worker: imports, plans, emits, checks and measures off the UI thread. Only the
//! newest request matters: older ones still queued are dropped (a user dragging a slider
//! generates many).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use burin_design::{Document, ImportOptions, Operation, Rgb, import_svg_file};
use burin_gcode::{
    MachineProfile, Program, line_times, parse_program, preflight, preview, split_lines, stats,
};

use super::state::{FileKind, Generated};
use crate::job::{ConvertSettings, convert_document};
use crate::placement::Placement;

/// Work for the design worker.
#[derive(Debug)]
pub(crate) enum DesignRequest {
    Open {
        revision: u64,
        path: PathBuf,
        profile: MachineProfile,
        placement: Placement,
    },
    Generate {
        revision: u64,
        document: Arc<Document>,
        layers: Vec<(Rgb, Operation)>,
        placement: Placement,
        profile: MachineProfile,
    },
    /// Re-check a G-code file against a new profile.
    Recheck {
        revision: u64,
        program: Arc<Program>,
        profile: MachineProfile,
    },
}

impl DesignRequest {
    fn revision(&self) -> u64 {
        match self {
            DesignRequest::Open { revision, .. }
            | DesignRequest::Generate { revision, .. }
            | DesignRequest::Recheck { revision, .. } => *revision,
        }
    }
}

/// What the worker reports.
#[derive(Debug)]
pub(crate) enum DesignReply {
    Opened {
        revision: u64,
        path: PathBuf,
        kind: FileKind,
        document: Option<Arc<Document>>,
        program: Option<Arc<Program>>,
    },
    Generated(Box<Generated>),
    Failed {
        revision: u64,
        path: Option<PathBuf>,
        error: String,
    },
}

/// Runs until the request channel closes.
pub(crate) fn run(rx: Receiver<DesignRequest>, tx: Sender<DesignReply>, wake: super::Waker) {
    while let Ok(mut req) = rx.recv() {
        while let Ok(newer) = rx.try_recv() {
            if newer.revision() >= req.revision() {
                req = newer;
            }
        }
        for reply in handle(req) {
            if tx.send(reply).is_err() {
                return;
            }
            wake.wake();
        }
    }
}

fn handle(req: DesignRequest) -> Vec<DesignReply> {
    match req {
        DesignRequest::Open {
            revision,
            path,
            profile,
            placement,
        } => open(revision, &path, &profile, placement),
        DesignRequest::Generate {
            revision,
            document,
            layers,
            placement,
            profile,
        } => vec![generate(revision, &document, &layers, placement, &profile)],
        DesignRequest::Recheck {
            revision,
            program,
            profile,
        } => vec![DesignReply::Generated(Box::new(measure(
            revision,
            (*program).clone(),
            &profile,
            Vec::new(),
            true,
        )))],
    }
}

fn is_gcode(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "gcode" | "gc" | "nc" | "ngc" | "gco" | "g" | "tap" | "txt"
        )
    })
}

fn open(
    revision: u64,
    path: &Path,
    profile: &MachineProfile,
    placement: Placement,
) -> Vec<DesignReply> {
    let failed = |error: String| {
        vec![DesignReply::Failed {
            revision,
            path: Some(path.to_path_buf()),
            error,
        }]
    };
    if is_gcode(path) {
        let src = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => return failed(format!("{}: {e}", path.display())),
        };
        let program = match parse_program(&src) {
            Ok(p) => p,
            Err(e) => return failed(format!("{}: {e}", path.display())),
        };
        let program = Arc::new(program);
        let generated = measure(revision, (*program).clone(), profile, Vec::new(), true);
        return vec![
            DesignReply::Opened {
                revision,
                path: path.to_path_buf(),
                kind: FileKind::Gcode,
                document: None,
                program: Some(program),
            },
            DesignReply::Generated(Box::new(generated)),
        ];
    }
    let doc = match import_svg_file(path, &ImportOptions::default()) {
        Ok(d) => Arc::new(d),
        Err(e) => return failed(e.to_string()),
    };
    let layers: Vec<(Rgb, Operation)> =
        doc.layers.iter().map(|l| (l.colour, l.operation)).collect();
    let generated = generate(revision, &doc, &layers, placement, profile);
    vec![
        DesignReply::Opened {
            revision,
            path: path.to_path_buf(),
            kind: FileKind::Svg,
            document: Some(doc),
            program: None,
        },
        generated,
    ]
}

fn generate(
    revision: u64,
    document: &Document,
    layers: &[(Rgb, Operation)],
    placement: Placement,
    profile: &MachineProfile,
) -> DesignReply {
    let mut doc = document.clone();
    for (colour, op) in layers {
        if let Some(l) = doc.layer_mut(*colour) {
            l.operation = *op;
        }
    }
    let origin = placement.apply(&mut doc);
    let mut settings = ConvertSettings {
        profile: profile.clone(),
        ..ConvertSettings::default()
    };
    settings.plan.origin = origin;
    match convert_document(doc, &settings) {
        Ok(out) => {
            let mut g = measure(revision, out.program, profile, out.warnings, false);
            // convert_document checked relative jobs for size only; keep its verdict.
            g.preflight = out.preflight;
            DesignReply::Generated(Box::new(g))
        }
        Err(e) => DesignReply::Failed {
            revision,
            path: None,
            error: e.to_string(),
        },
    }
}

/// Preview, statistics, per-line times and (when `check`) preflight of a program.
fn measure(
    revision: u64,
    program: Program,
    profile: &MachineProfile,
    warnings: Vec<String>,
    check: bool,
) -> Generated {
    let text = program.to_text();
    let lines: Vec<String> = split_lines(&text).map(str::to_string).collect();
    let report = if check {
        preflight(&program, profile)
    } else {
        burin_gcode::PreflightReport::default()
    };
    Generated {
        revision,
        preview: preview(&program, profile.s_max),
        stats: stats(&program, profile),
        line_times: Arc::new(line_times(&program, profile)),
        preflight: report,
        lines: Arc::new(lines),
        program,
        warnings,
    }
}
