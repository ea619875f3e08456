//! Building what goes to the machine for jogs, framing and jobs, and the checks at start.

use std::sync::Arc;
use std::time::Instant;

use burin_grbl::message::State;

use super::handle::fmt_num;
use super::machine_worker::MachineRequest;
use super::state::{FileKind, JobText, JobView};
use super::{App, JobClock, Level, Notice};
use crate::placement::OriginMode;
use crate::settings::FRAME_POWER_CAP_PCT;

/// Shortest continuous jog worth sending, mm.
const MIN_CONTINUOUS_JOG_MM: f64 = 0.01;

impl App {
    /// `$J=` for a relative jog, or `None` if nothing moves.
    pub(super) fn jog_line(&self, dx: f64, dy: f64, dz: f64) -> Option<String> {
        let mut words = String::new();
        for (letter, d) in [('X', dx), ('Y', dy), ('Z', dz)] {
            if d.is_finite() && d != 0.0 {
                words.push(letter);
                words.push_str(&fmt_num(d));
            }
        }
        if words.is_empty() {
            return None;
        }
        let feed = self.state.settings.jog.feed_mm_min;
        Some(format!("$J=G91G21{words}F{}", fmt_num(feed)))
    }

    /// A jog towards the work area's edge, cancelled with 0x85 when the key is released.
    pub(super) fn jog_continuous(&mut self, x: i8, y: i8, z: i8) {
        let profile = self.state.settings.machine.profile();
        let pos = self.state.machine.work_pos().unwrap_or([0.0; 3]);
        let area = [profile.travel_x_mm, profile.travel_y_mm, 50.0];
        let mut d = [0.0; 3];
        for (i, dir) in [x, y, z].into_iter().enumerate() {
            d[i] = match dir.signum() {
                1 => (area[i] - pos[i]).max(0.0),
                -1 => -(pos[i].max(0.0)),
                _ => 0.0,
            };
            if i == 2 && dir != 0 {
                // Z has no known travel: a fixed stretch, cancelled on release anyway.
                d[i] = 10.0 * f64::from(dir.signum());
            }
        }
        if d.iter().all(|v| v.abs() < MIN_CONTINUOUS_JOG_MM) {
            return;
        }
        if let Some(line) = self.jog_line(d[0], d[1], d[2]) {
            self.machine_line(line);
            self.state.machine.jogging = true;
        }
    }

    /// Checks common to framing and starting. Returns the offset (head position for
    /// current-position jobs) if the machine may take the job.
    fn ready_for_job(&mut self) -> Option<()> {
        if !self.state.machine.is_connected() {
            self.notice(Notice::new(Level::Warning, "notice-not-connected"));
            return None;
        }
        if self.state.machine.job.is_some() {
            self.notice(Notice::new(Level::Warning, "notice-busy-job"));
            return None;
        }
        match &self.state.machine.state.state {
            Some(State::Idle) | None => {}
            Some(State::Alarm) => {
                self.notice(Notice::new(Level::Error, "notice-alarm-locked"));
                return None;
            }
            Some(_) => {
                self.notice(Notice::new(Level::Warning, "notice-not-idle"));
                return None;
            }
        }
        let Some(d) = self.state.design.as_ref() else {
            self.notice(Notice::new(Level::Warning, "notice-no-design"));
            return None;
        };
        let current = d
            .generated
            .as_ref()
            .is_some_and(|g| g.revision == d.revision);
        if d.generating || !current {
            self.notice(Notice::new(Level::Warning, "notice-still-generating"));
            return None;
        }
        Some(())
    }

    /// Where the job's coordinates land: (prefix, suffix, offset in work coordinates).
    fn placement_lines(&self) -> (Vec<String>, Vec<String>, (f64, f64)) {
        let mode = self
            .state
            .design
            .as_ref()
            .filter(|d| d.kind == FileKind::Svg)
            .map_or(OriginMode::Absolute, |d| d.placement.mode);
        match mode {
            OriginMode::CurrentPosition => {
                let p = self.state.machine.work_pos().unwrap_or([0.0; 3]);
                // G92 makes the head the job's origin until the job ends (G92.1) or GRBL
                // resets; nothing is stored in EEPROM.
                (vec!["G92X0Y0".into()], vec!["G92.1".into()], (p[0], p[1]))
            }
            OriginMode::Absolute | OriginMode::UserOrigin => (Vec::new(), Vec::new(), (0.0, 0.0)),
        }
    }

    /// With the head's position known, a current-position job must still fit the bed.
    fn fits_with_offset(&mut self, offset: (f64, f64)) -> bool {
        let Some(d) = self.state.design.as_ref() else {
            return false;
        };
        if d.kind != FileKind::Svg || d.placement.mode != OriginMode::CurrentPosition {
            return true;
        }
        let Some((lo, hi)) = d.job_box_mm() else {
            return true;
        };
        let p = self.state.settings.machine.profile();
        let a = p.work_area();
        let tol = 1e-3;
        let over = [
            a.x_min_mm - (lo[0] + offset.0),
            (hi[0] + offset.0) - a.x_max_mm,
            a.y_min_mm - (lo[1] + offset.1),
            (hi[1] + offset.1) - a.y_max_mm,
        ];
        let worst = over.iter().copied().fold(f64::MIN, f64::max);
        if worst > tol {
            self.notice(
                Notice::new(Level::Error, "notice-job-off-bed")
                    .arg("mm", format!("{worst:.1}"))
                    .arg("x", format!("{:.1}", offset.0))
                    .arg("y", format!("{:.1}", offset.1)),
            );
            return false;
        }
        true
    }

    /// Traces the job's box: laser off, or at the frame power (never above 5 %).
    pub(super) fn frame(&mut self) {
        if self.ready_for_job().is_none() {
            return;
        }
        let Some((lo, hi)) = self.state.design.as_ref().and_then(|d| d.job_box_mm()) else {
            self.notice(Notice::new(Level::Warning, "notice-nothing-to-frame"));
            return;
        };
        let (prefix, suffix, offset) = self.placement_lines();
        if !self.fits_with_offset(offset) {
            return;
        }
        let f = &self.state.settings.frame;
        let pct = f.power_pct.clamp(0.0, FRAME_POWER_CAP_PCT);
        let s_max = self.state.settings.machine.profile().s_max;
        let s = (pct / 100.0 * s_max).floor();
        let feed = fmt_num(f.feed_mm_min);
        let (x0, y0, x1, y1) = (
            fmt_num(lo[0]),
            fmt_num(lo[1]),
            fmt_num(hi[0]),
            fmt_num(hi[1]),
        );
        let mut lines = vec!["G21G90".to_string(), format!("G0X{x0}Y{y0}")];
        if s >= 1.0 {
            lines.push(format!("M4S{}", fmt_num(s)));
        } else {
            lines.push("M5".into());
        }
        lines.push(format!("G1X{x1}F{feed}"));
        lines.push(format!("Y{y1}"));
        lines.push(format!("X{x0}"));
        lines.push(format!("Y{y0}"));
        lines.push("M5".into());
        // Back to where the head was.
        let back = match self.state.machine.work_pos() {
            _ if !prefix.is_empty() => Some((0.0, 0.0)),
            Some(p) => Some((p[0], p[1])),
            None => None,
        };
        if let Some((x, y)) = back {
            lines.push(format!("G0X{}Y{}", fmt_num(x), fmt_num(y)));
        }
        self.launch(
            prefix,
            Arc::new(JobText::from_lines(&lines)),
            suffix,
            true,
            offset,
            None,
        );
    }

    /// Streams the generated program after the checks.
    pub(super) fn start(&mut self) {
        if self.ready_for_job().is_none() {
            return;
        }
        if self.state.machine.state.laser_mode() == Some(false) {
            self.notice(Notice::new(Level::Error, "notice-laser-mode-off"));
            return;
        }
        let Some(g) = self.state.design.as_ref().and_then(|d| d.generated.clone()) else {
            return;
        };
        if let Some(f) = g.preflight.errors().next() {
            self.notice(Notice::new(Level::Error, "notice-preflight-refused").arg("finding", f));
            return;
        }
        let (prefix, suffix, offset) = self.placement_lines();
        if !self.fits_with_offset(offset) {
            return;
        }
        let mut cumulative = Vec::with_capacity(g.line_times.len() + 1);
        let mut acc = 0.0;
        cumulative.push(0.0);
        for t in g.line_times.iter() {
            acc += t;
            cumulative.push(acc);
        }
        self.launch(
            prefix,
            Arc::clone(&g.lines),
            suffix,
            false,
            offset,
            Some(Arc::new(cumulative)),
        );
    }

    fn launch(
        &mut self,
        prefix: Vec<String>,
        lines: Arc<JobText>,
        suffix: Vec<String>,
        framing: bool,
        offset: (f64, f64),
        cumulative_s: Option<Arc<Vec<f64>>>,
    ) {
        let total = (prefix.len() + lines.len() + suffix.len()) as u64;
        let first_program_line = -(prefix.len() as i64);
        let sent = self.send_machine(MachineRequest::StartJob {
            prefix,
            lines,
            suffix,
            framing,
        });
        if !sent {
            return;
        }
        let now = Instant::now();
        self.job_clock = Some(JobClock {
            started: now,
            cumulative_s,
            last_tick: now,
            at_s: 0.0,
        });
        self.state.machine.job = Some(JobView {
            framing,
            total_lines: total,
            lines_acked: 0,
            lines_executed: 0,
            first_program_line,
            paused: false,
            stopping: false,
            elapsed: std::time::Duration::ZERO,
            remaining: None,
            fraction: 0.0,
            offset_mm: offset,
        });
    }
}
