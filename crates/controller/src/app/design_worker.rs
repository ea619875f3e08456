//! The design worker: imports, plans, emits, checks and measures off the UI thread. Only the
//! newest request matters: older ones still queued are dropped (a user dragging a slider
//! generates many).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use burin_design::{Document, Operation, Rgb};
use burin_gcode::{
    MachineProfile, PreflightReport, Program, ProgramStats, line_times, parse_program, preflight,
    preview_for, stats,
};

use super::state::{FileKind, Generated, JobText};
use crate::job::{ConvertSettings, check_program, plan_document};
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
    /// Re-check a G-code file against a new profile (parsed again from its text: keeping a
    /// million-line AST around would cost more than parsing it twice).
    Recheck {
        revision: u64,
        text: Arc<JobText>,
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
        let mut send = |reply| {
            let ok = tx.send(reply).is_ok();
            wake.wake();
            ok
        };
        handle(req, &mut send);
    }
}

/// Where replies go; `false` when nobody listens any more.
type Send<'a> = dyn FnMut(DesignReply) -> bool + 'a;

fn handle(req: DesignRequest, send: &mut Send<'_>) {
    match req {
        DesignRequest::Open {
            revision,
            path,
            profile,
            placement,
        } => open(revision, &path, &profile, placement, send),
        DesignRequest::Generate {
            revision,
            document,
            layers,
            placement,
            profile,
        } => generate(revision, &document, &layers, placement, &profile, send),
        DesignRequest::Recheck {
            revision,
            text,
            profile,
        } => match parse_program(text.as_str()) {
            Ok(program) => gcode_program(revision, &program, &profile, send),
            Err(e) => {
                send(DesignReply::Failed {
                    revision,
                    path: None,
                    error: e.to_string(),
                });
            }
        },
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
    send: &mut Send<'_>,
) {
    let failed = |error: String| DesignReply::Failed {
        revision,
        path: Some(path.to_path_buf()),
        error,
    };
    if is_gcode(path) {
        let program = match std::fs::read_to_string(path) {
            Ok(src) => parse_program(&src).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) => Err(format!("{}: {e}", path.display())),
        };
        let program = match program {
            Ok(p) => p,
            Err(e) => {
                send(failed(e));
                return;
            }
        };
        let opened = DesignReply::Opened {
            revision,
            path: path.to_path_buf(),
            kind: FileKind::Gcode,
            document: None,
        };
        if send(opened) {
            gcode_program(revision, &program, profile, send);
        }
        return;
    }
    let doc = match crate::job::import_file(path, &ConvertSettings::default()) {
        Ok(d) => Arc::new(d),
        Err(e) => {
            send(failed(e.to_string()));
            return;
        }
    };
    let layers: Vec<(Rgb, Operation)> =
        doc.layers.iter().map(|l| (l.colour, l.operation)).collect();
    let opened = DesignReply::Opened {
        revision,
        path: path.to_path_buf(),
        kind: FileKind::Svg,
        document: Some(Arc::clone(&doc)),
    };
    if send(opened) {
        generate(revision, &doc, &layers, placement, profile, send);
    }
}

/// A G-code file: preview first, then the checks against `profile`.
fn gcode_program(revision: u64, program: &Program, profile: &MachineProfile, send: &mut Send<'_>) {
    let first_half = previewed(revision, program, profile, Vec::new());
    if !send(DesignReply::Generated(Box::new(first_half.clone()))) {
        return;
    }
    let (report, stats, times) = std::thread::scope(|s| {
        let checking = s.spawn(|| preflight(program, profile));
        let stats = stats(program, profile);
        let times = line_times(program, profile);
        let report = checking
            .join()
            .unwrap_or_else(|_| preflight(program, profile));
        (report, stats, times)
    });
    send(checked(first_half, stats, report, times));
}

fn generate(
    revision: u64,
    document: &Document,
    layers: &[(Rgb, Operation)],
    placement: Placement,
    profile: &MachineProfile,
    send: &mut Send<'_>,
) {
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
    let planned = match plan_document(doc, &settings) {
        Ok(p) => p,
        Err(e) => {
            send(DesignReply::Failed {
                revision,
                path: None,
                error: e.to_string(),
            });
            return;
        }
    };
    let program = planned.program;
    let first_half = previewed(revision, &program, profile, planned.warnings);
    if !send(DesignReply::Generated(Box::new(first_half.clone()))) {
        return;
    }
    let (times, (report, stats)) = std::thread::scope(|s| {
        let timing = s.spawn(|| line_times(&program, profile));
        let checked = check_program(&program, &settings);
        (
            timing
                .join()
                .unwrap_or_else(|_| line_times(&program, profile)),
            checked,
        )
    });
    send(checked(first_half, stats, report, times));
}

/// The second reply: the first with the checks filled in.
fn checked(
    first: Generated,
    stats: ProgramStats,
    preflight: PreflightReport,
    times: Vec<f64>,
) -> DesignReply {
    DesignReply::Generated(Box::new(Generated {
        checked: true,
        stats,
        preflight,
        line_times: Arc::new(times),
        ..first
    }))
}

/// The first reply: what the program draws and its text, before the checks.
fn previewed(
    revision: u64,
    program: &Program,
    profile: &MachineProfile,
    warnings: Vec<String>,
) -> Generated {
    let (preview, lines) = std::thread::scope(|s| {
        let text = s.spawn(|| JobText::from_program(program));
        let preview = preview_for(program, profile);
        (
            preview,
            text.join()
                .unwrap_or_else(|_| JobText::from_program(program)),
        )
    });
    Generated {
        revision,
        checked: false,
        lines: Arc::new(lines),
        preview,
        stats: ProgramStats::default(),
        preflight: PreflightReport::default(),
        line_times: Arc::new(Vec::new()),
        warnings,
    }
}
