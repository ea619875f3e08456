//! The headless application: [`App`] takes [`Command`]s and is [`App::poll`]ed; the UI (or a
//! test) reads [`AppState`]. Import, planning and all serial I/O run on worker threads and
//! report back through channels, so no call here waits on a file, a conversion or a port.

mod command;
mod design_worker;
mod handle;
mod jobs;
mod machine_worker;
mod poll;
mod presets;
mod state;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use burin_link::SimHandle;

pub use command::{Command, OverrideKind};
pub use poll::format_duration as format_duration_pub;
pub use presets::{layer_preset, preset_matches};
pub use state::{
    AppState, ConsoleEntry, DesignState, Direction, FileKind, Generated, JobOutcome, JobText,
    JobView, LayerRow, Level, LinkStatus, MachineView, Notice, PresetsView,
};

use crate::machine::{PortChoice, default_port};
use crate::presets::PresetStore;
use crate::settings::Settings;
use design_worker::{DesignReply, DesignRequest};
use machine_worker::{MachineReport, MachineRequest};

/// Wakes the UI when a worker has news (egui's `request_repaint`); a no-op by default.
#[derive(Clone)]
pub struct Waker(Arc<dyn Fn() + Send + Sync>);

impl Waker {
    pub fn new(f: impl Fn() + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub fn wake(&self) {
        (self.0)();
    }
}

impl Default for Waker {
    fn default() -> Self {
        Self::new(|| {})
    }
}

impl std::fmt::Debug for Waker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Waker")
    }
}

/// How to start the application.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Where settings are read and saved; `None` keeps them in memory (tests).
    pub settings_path: Option<PathBuf>,
    /// Settings to start from instead of reading `settings_path`.
    pub settings: Option<Settings>,
    /// Where the material preset library is read and saved; `None` keeps the built-in
    /// presets in memory (tests). Default: [`PresetStore::default_path`].
    pub presets_path: Option<PathBuf>,
    /// The simulator's clock runs this many times faster than real time. Default 1.
    pub sim_speed: f64,
    /// List the OS's serial ports at start. Default true.
    pub scan_ports: bool,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            settings_path: Settings::default_path(),
            settings: None,
            presets_path: PresetStore::default_path(),
            sim_speed: 1.0,
            scan_ports: true,
        }
    }
}

impl AppConfig {
    /// In-memory settings and presets, no port scan: for tests.
    pub fn for_tests(sim_speed: f64) -> Self {
        Self {
            settings_path: None,
            settings: None,
            presets_path: None,
            sim_speed,
            scan_ports: false,
        }
    }
}

struct MachineLink {
    tx: Sender<MachineRequest>,
    rx: Receiver<MachineReport>,
    /// The machine thread, waited for when the app goes away so a running job is stopped
    /// with the laser off before the process can exit.
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Timing of the running job, for the remaining time.
#[derive(Debug, Clone)]
struct JobClock {
    started: Instant,
    /// Cumulative estimated seconds before each program line (len = lines + 1).
    cumulative_s: Option<Arc<Vec<f64>>>,
    last_tick: Instant,
    /// Estimated machine seconds done, never decreasing.
    at_s: f64,
}

/// The application core. See the module docs.
pub struct App {
    state: AppState,
    waker: Waker,
    sim_speed: f64,
    design_tx: Sender<DesignRequest>,
    design_rx: Receiver<DesignReply>,
    machine: Option<MachineLink>,
    ports_rx: Option<Receiver<Vec<PortChoice>>>,
    sim: Option<SimHandle>,
    next_revision: u64,
    job_clock: Option<JobClock>,
    /// The preset file (`None`: presets live in memory only). The library itself is
    /// `state.presets.library`; the store keeps what saving needs to know about the file.
    preset_store: Option<PresetStore>,
    /// Waker shared with the workers (they hold clones of this cell).
    shared_waker: Arc<std::sync::Mutex<Waker>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl App {
    /// Starts the design worker and loads the settings (a broken settings file gives the
    /// defaults and a notice; it is not overwritten until the user changes something) and
    /// the preset library (a broken one gives its backup or the built-ins and a notice).
    pub fn new(config: AppConfig) -> Self {
        let mut notices = Vec::new();
        let settings = match (config.settings, &config.settings_path) {
            (Some(s), _) => s,
            (None, Some(path)) => Settings::load(path).unwrap_or_else(|e| {
                notices.push(
                    Notice::new(Level::Warning, "notice-settings-unreadable")
                        .arg("error", e.to_string()),
                );
                Settings::default()
            }),
            (None, None) => Settings::default(),
        };
        let (presets, preset_store) = presets::load(config.presets_path, &mut notices);
        let shared_waker = Arc::new(std::sync::Mutex::new(Waker::default()));
        let forward = {
            let cell = Arc::clone(&shared_waker);
            Waker::new(move || {
                let w = cell.lock().map(|w| w.clone()).unwrap_or_default();
                w.wake();
            })
        };
        let (design_tx, worker_rx) = channel();
        let (worker_tx, design_rx) = channel();
        {
            let wake = forward.clone();
            std::thread::Builder::new()
                .name("burin-design".into())
                .spawn(move || design_worker::run(worker_rx, worker_tx, wake))
                .ok();
        }
        let ports = vec![PortChoice::simulator()];
        let selected_port = settings
            .machine
            .port
            .clone()
            .unwrap_or_else(|| default_port(&ports));
        let mut app = Self {
            state: AppState {
                design: None,
                opening: None,
                machine: MachineView::default(),
                ports,
                selected_port,
                console: VecDeque::new(),
                notices,
                settings,
                settings_path: config.settings_path,
                presets,
            },
            waker: forward,
            sim_speed: if config.sim_speed.is_finite() && config.sim_speed > 0.0 {
                config.sim_speed
            } else {
                1.0
            },
            design_tx,
            design_rx,
            machine: None,
            ports_rx: None,
            sim: None,
            next_revision: 1,
            job_clock: None,
            preset_store,
            shared_waker,
        };
        if config.scan_ports {
            app.handle(Command::RefreshPorts);
        }
        app
    }

    /// Called (from any thread) when a worker has news, so the UI repaints.
    pub fn set_waker(&mut self, waker: Waker) {
        if let Ok(mut w) = self.shared_waker.lock() {
            *w = waker;
        }
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The simulator, when connected to it: its burn record and exact state, for tests.
    pub fn sim(&self) -> Option<&SimHandle> {
        self.sim.as_ref()
    }

    /// The simulator's clock speed factor.
    pub fn sim_speed(&self) -> f64 {
        self.sim_speed
    }

    /// True while something is in flight (opening, generating, connecting, a job, a jog):
    /// the UI keeps repainting.
    pub fn busy(&self) -> bool {
        self.state.opening.is_some()
            || self.state.design.as_ref().is_some_and(|d| d.generating)
            || matches!(self.state.machine.link, LinkStatus::Connecting { .. })
            || self.state.machine.job.is_some()
            || self.state.machine.is_moving()
    }

    fn revision(&mut self) -> u64 {
        self.next_revision += 1;
        self.next_revision
    }

    fn notice(&mut self, notice: Notice) {
        self.state.notices.push(notice);
        if self.state.notices.len() > 50 {
            self.state.notices.remove(0);
        }
        self.waker.wake();
    }

    fn console(&mut self, entry: ConsoleEntry) {
        self.state.console.push_back(entry);
        while self.state.console.len() > state::CONSOLE_LINES {
            self.state.console.pop_front();
        }
    }

    fn send_machine(&mut self, req: MachineRequest) -> bool {
        match &self.machine {
            Some(m) => m.tx.send(req).is_ok(),
            None => false,
        }
    }

    fn save_settings(&mut self) {
        if let Some(path) = self.state.settings_path.clone()
            && let Err(e) = self.state.settings.save(&path)
        {
            self.notice(
                Notice::new(Level::Error, "notice-settings-not-saved").arg("error", e.to_string()),
            );
        }
    }
}

/// How long closing the app waits for the machine thread to stop a running job.
const STOP_ON_EXIT_WAIT: Duration = Duration::from_secs(5);

impl Drop for App {
    fn drop(&mut self) {
        // A running job is stopped (hold, reset: laser off) before the link closes, and the
        // app waits for that: once the window is gone the process exits, and with it any
        // thread still talking to the machine.
        let Some(m) = &mut self.machine else {
            return;
        };
        let _ = m.tx.send(MachineRequest::Disconnect);
        if let Some(thread) = m.thread.take() {
            let deadline = Instant::now() + STOP_ON_EXIT_WAIT;
            while !thread.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if thread.is_finished() {
                let _ = thread.join();
            }
        }
    }
}
