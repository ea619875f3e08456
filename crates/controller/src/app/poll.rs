//! [`App::poll`]: folds what the workers reported into the state.

use std::time::{Duration, Instant};

use burin_link::{JobEnd, JobReport};

use super::design_worker::DesignReply;
use super::machine_worker::MachineReport;
use super::state::{DesignState, FileKind, JobOutcome, LayerRow, LinkStatus};
use super::{App, Level, Notice};

/// Lines the machine may have executed beyond what it has confirmed (GRBL's planner holds 15
/// blocks, and every motion line takes at least one).
const PLANNER_LINES: usize = 16;
use crate::machine::profile_from_settings;

impl App {
    /// Takes every report the workers have sent; `now` drives the job clock.
    pub fn poll(&mut self, now: Instant) {
        if let Some(rx) = &self.ports_rx
            && let Ok(ports) = rx.try_recv()
        {
            self.ports_rx = None;
            let selected_known = ports.iter().any(|p| p.id == self.state.selected_port);
            if !selected_known || self.state.settings.machine.port.is_none() {
                self.state.selected_port = crate::machine::default_port(&ports);
            }
            self.state.ports = ports;
        }
        while let Ok(reply) = self.design_rx.try_recv() {
            self.on_design(reply);
        }
        while let Some(report) = self.machine.as_ref().and_then(|m| m.rx.try_recv().ok()) {
            self.on_machine(report);
        }
        self.tick_job(now);
    }

    fn on_design(&mut self, reply: DesignReply) {
        match reply {
            DesignReply::Opened {
                revision,
                path,
                kind,
                document,
            } => {
                if revision != self.next_revision {
                    return; // a newer request superseded it
                }
                self.state.opening = None;
                let layers: Vec<LayerRow> = document
                    .as_ref()
                    .map(|doc| {
                        doc.layers
                            .iter()
                            .map(|l| LayerRow {
                                colour: l.colour,
                                name: l.name(),
                                shapes: l.shapes.len(),
                                operation: l.operation,
                                has_image: l.image.is_some(),
                                preset: None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let natural_size_mm = document
                    .as_ref()
                    .and_then(|d| d.bounds_in_doc())
                    .map(|(lo, hi)| (hi.x - lo.x, hi.y - lo.y));
                self.state.settings.push_recent(&path);
                self.save_settings();
                self.notice(
                    Notice::new(Level::Info, "notice-opened")
                        .arg("file", file_name(&path))
                        .arg("layers", layers.len()),
                );
                self.state.design = Some(DesignState {
                    path,
                    kind,
                    import_info: document.as_ref().map(|d| d.info.clone()),
                    document,
                    layers,
                    placement: crate::placement::Placement {
                        mode: if kind == FileKind::Svg {
                            self.state.settings.origin_mode
                        } else {
                            Default::default()
                        },
                        ..Default::default()
                    },
                    natural_size_mm,
                    revision,
                    generated: None,
                    generating: true,
                    failed: false,
                });
            }
            DesignReply::Generated(g) => {
                let Some(d) = self.state.design.as_mut() else {
                    return;
                };
                if g.revision != d.revision {
                    return;
                }
                // The preview comes first; the design is ready once it is checked.
                d.generating = !g.checked;
                d.failed = false;
                let refused = g
                    .preflight
                    .errors()
                    .next()
                    .filter(|_| g.checked)
                    .map(|f| f.to_string());
                d.generated = Some(std::sync::Arc::from(g));
                if let Some(f) = refused {
                    self.notice(
                        Notice::new(Level::Warning, "notice-preflight-refused").arg("finding", f),
                    );
                }
            }
            DesignReply::Failed {
                revision,
                path,
                error,
            } => {
                if revision != self.next_revision {
                    return;
                }
                if let Some(path) = path {
                    self.state.opening = None;
                    self.notice(
                        Notice::new(Level::Error, "notice-open-failed")
                            .arg("file", file_name(&path))
                            .arg("error", error),
                    );
                } else {
                    if let Some(d) = self.state.design.as_mut() {
                        d.generating = false;
                        d.failed = true;
                    }
                    self.notice(
                        Notice::new(Level::Error, "notice-generate-failed").arg("error", error),
                    );
                }
            }
        }
    }

    fn on_machine(&mut self, report: MachineReport) {
        match report {
            MachineReport::Connected {
                port,
                sim,
                rx_buffer_bytes,
                state,
            } => {
                self.sim = sim;
                self.state.machine.link = LinkStatus::Connected { port: port.clone() };
                self.state.machine.rx_buffer_bytes = rx_buffer_bytes;
                self.state.machine.state = *state;
                let base = self.state.settings.machine.profile();
                let (p, from_machine) = profile_from_settings(&self.state.machine.state, &base);
                self.state.machine.area_from_machine = from_machine;
                let changed = p != base;
                self.state.settings.machine.update_from(&p);
                self.save_settings();
                self.notice(Notice::new(Level::Info, "notice-connected").arg("port", port));
                if self.state.machine.state.laser_mode() == Some(false) {
                    self.notice(Notice::new(Level::Warning, "notice-laser-mode-off"));
                }
                if changed {
                    self.regenerate();
                }
            }
            MachineReport::ConnectFailed { port, error } => {
                self.machine = None;
                self.state.machine.link = LinkStatus::Disconnected;
                self.notice(
                    Notice::new(Level::Error, "notice-connect-failed")
                        .arg("port", port)
                        .arg("error", error),
                );
            }
            MachineReport::State(s) => {
                let laser_was = self.state.machine.state.laser_mode();
                self.state.machine.state = *s;
                if let Some(st) = &self.state.machine.state.state
                    && !st.is_moving()
                {
                    self.state.machine.jogging = false;
                }
                // `$$` after a settings write: follow the machine.
                let base = self.state.settings.machine.profile();
                let (p, from_machine) = profile_from_settings(&self.state.machine.state, &base);
                if p != base || laser_was != self.state.machine.state.laser_mode() {
                    self.state.machine.area_from_machine = from_machine;
                    self.state.settings.machine.update_from(&p);
                    if p != base {
                        self.regenerate();
                    }
                }
            }
            MachineReport::Traffic(entry) => self.console(entry),
            MachineReport::JobStarted { total_lines, .. } => {
                if let Some(j) = self.state.machine.job.as_mut() {
                    j.total_lines = total_lines;
                }
            }
            MachineReport::JobProgress(p) => {
                // Without `Bf:` in the status reports the streamer only knows what is executed
                // once the machine is idle; every acknowledged line but the planner's (15
                // blocks by default, at least one per motion line) is done, a safe lower bound.
                let blocks = self
                    .state
                    .machine
                    .state
                    .planner_blocks()
                    .map_or(15, u64::from);
                if let Some(j) = self.state.machine.job.as_mut() {
                    j.lines_acked = p.lines_acked;
                    j.lines_executed = p
                        .lines_executed
                        .max(p.lines_acked.saturating_sub(blocks))
                        .max(j.lines_executed);
                }
            }
            MachineReport::JobEnded { report, framing } => {
                let finished = matches!(report.end, JobEnd::Finished { .. });
                let fraction = if finished {
                    1.0
                } else {
                    self.state.machine.job.as_ref().map_or(0.0, |j| j.fraction)
                };
                self.state.machine.job = None;
                self.job_clock = None;
                let notice = job_notice(&report, framing);
                self.notice(notice.clone());
                self.state.machine.last_job = Some(JobOutcome {
                    framing,
                    finished,
                    last_acked_line: report.last_acked_line,
                    fraction,
                    notice,
                });
            }
            MachineReport::Lost { error } => {
                let last = self.state.machine.job.as_ref().map(|j| j.lines_acked);
                self.machine = None;
                self.sim = None;
                self.state.machine.link = LinkStatus::Disconnected;
                self.state.machine.job = None;
                self.state.machine.jogging = false;
                self.job_clock = None;
                let mut n = Notice::new(Level::Error, "notice-link-lost").arg("error", error);
                n = n.arg(
                    "line",
                    last.map_or_else(|| "-".to_string(), |l| l.to_string()),
                );
                self.notice(n);
            }
            MachineReport::Disconnected => {
                self.machine = None;
                self.sim = None;
                self.state.machine.link = LinkStatus::Disconnected;
                self.state.machine.job = None;
                self.state.machine.jogging = false;
                self.notice(Notice::new(Level::Info, "notice-disconnected"));
            }
        }
    }

    /// Elapsed, remaining and fraction of the running job, from the per-line time model.
    fn tick_job(&mut self, now: Instant) {
        let speed = self.sim_speed_for_link();
        let (Some(job), Some(clock)) = (self.state.machine.job.as_mut(), self.job_clock.as_mut())
        else {
            return;
        };
        job.elapsed = now.saturating_duration_since(clock.started);
        let dt = now.saturating_duration_since(clock.last_tick).as_secs_f64();
        clock.last_tick = now;
        match &clock.cumulative_s {
            Some(cum) if cum.last().is_some_and(|t| *t > 0.0) => {
                let n = cum.len() - 1;
                let total = cum[n];
                let done_lines = (job.lines_executed as i64 + job.first_program_line)
                    .clamp(0, n as i64) as usize;
                // The machine's time flows on between reports; what is known to be executed is
                // the floor, and it can't be further than the planner holds beyond that.
                let ceiling = cum[(done_lines + PLANNER_LINES).min(n)];
                let flowing = if job.paused { 0.0 } else { dt * speed };
                let at = (clock.at_s + flowing).min(ceiling).max(cum[done_lines]);
                clock.at_s = clock.at_s.max(at);
                job.fraction = (clock.at_s / total).clamp(0.0, 1.0);
                job.remaining = Some(Duration::from_secs_f64(
                    ((total - clock.at_s) / speed).max(0.0),
                ));
            }
            _ => {
                job.fraction = if job.total_lines > 0 {
                    job.lines_acked as f64 / job.total_lines as f64
                } else {
                    0.0
                };
            }
        }
    }

    /// The clock factor of the connected machine: the simulator's speed, else real time.
    fn sim_speed_for_link(&self) -> f64 {
        if self.sim.is_some() {
            self.sim_speed
        } else {
            1.0
        }
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn job_notice(report: &JobReport, framing: bool) -> Notice {
    let line = report
        .last_acked_line
        .map_or_else(|| "-".to_string(), |l| l.to_string());
    match &report.end {
        JobEnd::Finished { lines } => Notice::new(
            Level::Info,
            if framing {
                "notice-frame-done"
            } else {
                "notice-job-finished"
            },
        )
        .arg("lines", lines)
        .arg("time", format_duration(report.elapsed)),
        JobEnd::Error {
            line_no,
            code,
            source,
            ..
        } => Notice::new(Level::Error, "notice-job-error")
            .arg("line", line_no)
            .arg("code", code)
            .arg("source", source),
        JobEnd::Rejected {
            line_no, reason, ..
        } => Notice::new(Level::Error, "notice-job-rejected")
            .arg("line", line_no)
            .arg("error", reason),
        JobEnd::Alarm { code, .. } => Notice::new(Level::Error, "notice-job-alarm")
            .arg("code", code)
            .arg("line", line),
        JobEnd::Stopped => Notice::new(Level::Warning, "notice-job-stopped").arg("line", line),
        JobEnd::ControllerReset => {
            Notice::new(Level::Error, "notice-job-controller-reset").arg("line", line)
        }
        JobEnd::LinkLost(l) => Notice::new(Level::Error, "notice-link-lost")
            .arg("error", l)
            .arg("line", line),
        JobEnd::NotStarted(e) => {
            Notice::new(Level::Error, "notice-job-not-started").arg("error", e)
        }
    }
}

/// `1:02:03` or `2:03`.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
