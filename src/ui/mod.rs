//! The desktop app (egui/eframe): a thin view over [`burin_controller::App`]. Every frame it
//! polls the app, draws its state and turns clicks into [`Command`]s; nothing here waits on a
//! file, a conversion or the serial port.

mod bed;
mod console;
mod layers;
mod machine;
mod presets;
mod raster;
pub mod text;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use burin_controller::{App, AppConfig, Command};
use burin_i18n::{Catalog, Lang};
use egui::{Key, KeyboardShortcut, Modifiers};

pub use bed::BedView;

/// Keyboard shortcuts (shown in tooltips).
pub const SHORTCUT_OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SHORTCUT_START: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F5);
pub const SHORTCUT_PAUSE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F6);
pub const SHORTCUT_FRAME: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F4);
pub const SHORTCUT_STOP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Escape);

/// The window's state beside the application's: view, text being typed, dialogs.
pub struct BurinUi {
    pub app: App,
    pub tr: Catalog,
    pub bed: BedView,
    /// A path typed in the open box.
    pub path_input: String,
    pub console_input: String,
    pub console_history: Vec<String>,
    pub history_pos: Option<usize>,
    /// A typed serial port path.
    pub port_input: String,
    /// The file dialog runs on its own thread; its answer arrives here.
    dialog: Option<Receiver<Option<PathBuf>>>,
    /// Edits in the `$$` table, by setting number.
    pub setting_edits: std::collections::BTreeMap<u16, String>,
    /// The placement's width/height keep their ratio.
    pub lock_ratio: bool,
    /// The layer whose settings are shown in full.
    pub selected_layer: Option<burin_design::Rgb>,
    /// The preset picker's and windows' own state (search text, forms).
    presets: presets::PresetWindows,
    /// Jog button held since, for continuous jogging.
    pub(crate) jog_hold: Option<(Instant, (i8, i8, i8), bool)>,
    frames: u64,
}

impl BurinUi {
    pub fn new(app: App) -> Self {
        let tr = Catalog::new(language(&app));
        Self {
            app,
            tr,
            bed: BedView::default(),
            path_input: String::new(),
            console_input: String::new(),
            console_history: Vec::new(),
            history_pos: None,
            port_input: String::new(),
            dialog: None,
            setting_edits: Default::default(),
            lock_ratio: true,
            selected_layer: None,
            presets: Default::default(),
            jog_hold: None,
            frames: 0,
        }
    }

    /// Sends a command and follows its effect on the language.
    pub fn cmd(&mut self, c: Command) {
        let lang_change = matches!(c, Command::SetLanguage(_));
        self.app.handle(c);
        if lang_change {
            self.tr = Catalog::new(language(&self.app));
        }
    }

    /// Translation of `key`.
    pub fn t(&self, key: &str) -> String {
        self.tr.tr(key)
    }

    /// Frames drawn so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Opens the system file dialog without blocking the window.
    pub fn open_dialog(&mut self) {
        if self.dialog.is_some() {
            return;
        }
        let (tx, rx) = channel();
        let title = self.t("open-title");
        let svg = self.t("filter-svg");
        let gcode = self.t("filter-gcode");
        std::thread::Builder::new()
            .name("burin-dialog".into())
            .spawn(move || {
                let picked = rfd::FileDialog::new()
                    .set_title(title)
                    .add_filter(svg, &["svg", "svgz"])
                    .add_filter(gcode, &["gcode", "nc", "gc", "ngc", "txt"])
                    .pick_file();
                let _ = tx.send(picked);
            })
            .ok();
        self.dialog = Some(rx);
    }

    /// Takes what the workers and the file dialog reported.
    pub fn poll(&mut self) {
        self.app.poll(Instant::now());
        if let Some(rx) = &self.dialog
            && let Ok(picked) = rx.try_recv()
        {
            self.dialog = None;
            if let Some(p) = picked {
                self.cmd(Command::OpenFile(p));
            }
        }
    }

    /// The whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.frames += 1;
        self.poll();
        self.shortcuts(ui);
        self.dropped_files(ui);

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::bottom("status")
            .resizable(false)
            .show(ui, |ui| self.status_ui(ui));
        if self.app.state().settings.window.show_console {
            egui::Panel::bottom("console")
                .resizable(true)
                .default_size(180.0)
                .show(ui, |ui| self.console_ui(ui));
        }
        egui::Panel::left("layers")
            .resizable(true)
            .default_size(330.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("layers-scroll")
                    .show(ui, |ui| self.layers_ui(ui));
            });
        egui::Panel::right("machine")
            .resizable(true)
            .default_size(290.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("machine-scroll")
                    .show(ui, |ui| self.machine_ui(ui));
            });
        egui::CentralPanel::default().show(ui, |ui| self.bed_ui(ui));
        self.preset_windows_ui(&ui.ctx().clone());

        let machine = &self.app.state().machine;
        let moving = machine.job.is_some() || machine.jogging || machine.is_moving();
        if moving || self.jog_hold.is_some() {
            // The head's live position.
            ui.ctx().request_repaint_after(Duration::from_millis(30));
        } else if self.app.busy() || self.dialog.is_some() {
            // Only a spinner to animate: leave the CPU to the conversion.
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui) {
        let (open, start, pause, frame, stop) = ui.ctx().input_mut(|i| {
            (
                i.consume_shortcut(&SHORTCUT_OPEN),
                i.consume_shortcut(&SHORTCUT_START),
                i.consume_shortcut(&SHORTCUT_PAUSE),
                i.consume_shortcut(&SHORTCUT_FRAME),
                i.consume_shortcut(&SHORTCUT_STOP),
            )
        });
        if stop {
            self.cmd(Command::Stop);
        }
        if open {
            self.open_dialog();
        }
        if start {
            self.cmd(Command::Start);
        }
        if frame {
            self.cmd(Command::Frame);
        }
        if pause {
            let paused = self
                .app
                .state()
                .machine
                .job
                .as_ref()
                .is_some_and(|j| j.paused);
            self.cmd(if paused {
                Command::Resume
            } else {
                Command::Pause
            });
        }
    }

    fn dropped_files(&mut self, ui: &mut egui::Ui) {
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.cmd(Command::OpenFile(p));
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(self.t("menu-file"), |ui| {
                if ui
                    .button(self.t("menu-open"))
                    .on_hover_text(ui.ctx().format_shortcut(&SHORTCUT_OPEN))
                    .clicked()
                {
                    self.open_dialog();
                    ui.close();
                }
                let recent = self.app.state().settings.recent_files.clone();
                ui.menu_button(self.t("menu-recent"), |ui| {
                    if recent.is_empty() {
                        ui.label(self.t("menu-recent-none"));
                    }
                    for p in recent {
                        if ui.button(p.display().to_string()).clicked() {
                            self.cmd(Command::OpenFile(p));
                            ui.close();
                        }
                    }
                });
                if ui.button(self.t("menu-close")).clicked() {
                    self.cmd(Command::CloseFile);
                    ui.close();
                }
                ui.separator();
                if ui.button(self.t("menu-quit")).clicked() {
                    self.cmd(Command::SaveSettings);
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(self.t("menu-view"), |ui| {
                if ui.button(self.t("view-fit")).clicked() {
                    self.bed.request_fit();
                    ui.close();
                }
                let mut show = self.app.state().settings.window.show_console;
                if ui.checkbox(&mut show, self.t("view-console")).changed() {
                    self.cmd(Command::SetShowConsole(show));
                }
                let label = self.t("view-travel");
                ui.checkbox(&mut self.bed.show_travel, label);
            });
            ui.menu_button(self.t("menu-presets"), |ui| self.presets_menu_ui(ui));
            ui.menu_button(self.t("language"), |ui| {
                for lang in Lang::ALL {
                    let selected = self.tr.lang() == lang;
                    if ui.selectable_label(selected, lang.native_name()).clicked() {
                        self.cmd(Command::SetLanguage(Some(lang.code().to_string())));
                        ui.close();
                    }
                }
                if ui.button(self.t("language-system")).clicked() {
                    self.cmd(Command::SetLanguage(None));
                    ui.close();
                }
            });
        });
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let notices = &self.app.state().notices;
            match notices.last() {
                Some(n) => {
                    let text = text::notice(&self.tr, n);
                    ui.colored_label(text::level_colour(n.level), text);
                }
                None => {
                    ui.label(self.t("status-ready"));
                }
            }
            if !notices.is_empty() && ui.small_button(self.t("status-clear")).clicked() {
                self.cmd(Command::ClearNotices);
            }
            self.presets_status_ui(ui);
        });
    }
}

/// The UI language: the saved choice, else the system's.
fn language(app: &App) -> Lang {
    app.state()
        .settings
        .language
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(Lang::system)
}

/// How to start the window.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// A file to open at start.
    pub file: Option<PathBuf>,
    /// Simulator clock factor (1 = real time).
    pub sim_speed: f64,
    /// Close the window after this many frames (tests and CI: the binary must start, render
    /// and exit 0).
    pub exit_after_frames: Option<u64>,
    /// Connect to this port at start (`sim` for the simulator).
    pub connect: Option<String>,
    /// Start the job once connected and generated (demos, screenshots).
    pub start_job: bool,
    /// Pan and zoom every frame and print frame statistics at exit (the frame-rate
    /// benchmark; see README).
    pub bench: bool,
}

/// `--bench` opens its file at this frame, once the window runs.
const BENCH_OPEN_AT_FRAME: u64 = 30;

/// Frame timing for `--bench`.
#[derive(Default)]
struct FrameStats {
    opened_at: Option<Instant>,
    preview_ready_s: Option<f64>,
    first_frame: Option<Instant>,
    last_frame: Option<Instant>,
    intervals_ms: Vec<f64>,
    /// Frame intervals once the design was checked and nothing was being worked on.
    settled_ms: Vec<f64>,
    ui_ms: Vec<f64>,
    /// Longest UI-thread time of a frame while the design was being generated.
    max_ui_ms_generating: f64,
    max_interval_ms_generating: f64,
}

impl FrameStats {
    fn report(&self) -> String {
        let pct = |v: &[f64], p: f64| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v.get(((v.len() as f64 - 1.0) * p) as usize)
                .copied()
                .unwrap_or(0.0)
        };
        let elapsed = match (self.first_frame, self.last_frame) {
            (Some(a), Some(b)) => (b - a).as_secs_f64(),
            _ => 0.0,
        };
        let fps = if elapsed > 0.0 {
            (self.intervals_ms.len() as f64) / elapsed
        } else {
            0.0
        };
        let settled_s: f64 = self.settled_ms.iter().sum::<f64>() / 1e3;
        let settled_fps = if settled_s > 0.0 {
            self.settled_ms.len() as f64 / settled_s
        } else {
            0.0
        };
        format!(
            "burin bench: frames {} fps {:.1} (settled: {} frames at {:.1} fps, p99 {:.1} ms); \
             interval p50 {:.1} ms p99 {:.1} ms max {:.1} ms; \
             ui p50 {:.1} ms max {:.1} ms; while generating: ui max {:.1} ms interval max {:.1} ms; \
             preview ready {}; peak RSS {}",
            self.intervals_ms.len(),
            fps,
            self.settled_ms.len(),
            settled_fps,
            pct(&self.settled_ms, 0.99),
            pct(&self.intervals_ms, 0.5),
            pct(&self.intervals_ms, 0.99),
            pct(&self.intervals_ms, 1.0),
            pct(&self.ui_ms, 0.5),
            pct(&self.ui_ms, 1.0),
            self.max_ui_ms_generating,
            self.max_interval_ms_generating,
            self.preview_ready_s
                .map_or_else(|| "-".into(), |s| format!("{s:.2} s")),
            peak_rss(),
        )
    }
}

/// Resident memory now and at its peak (Linux `VmRSS`, `VmHWM`), for the benchmark.
fn peak_rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .map_or_else(|| "-".to_string(), |l| l[key.len()..].trim().to_string())
    };
    format!("{} (now {})", get("VmHWM:"), get("VmRSS:"))
}

struct EframeApp {
    ui: BurinUi,
    opts: RunOptions,
    started: bool,
    stats: FrameStats,
}

impl eframe::App for EframeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let t0 = Instant::now();
        let generating = self.ui.app.state().opening.is_some()
            || self
                .ui
                .app
                .state()
                .design
                .as_ref()
                .is_some_and(|d| d.generating);
        if self.opts.bench {
            self.ui.bed.bench_step(self.ui.frames());
            if self.ui.frames() == BENCH_OPEN_AT_FRAME
                && let Some(f) = self.opts.file.clone()
            {
                self.stats.opened_at = Some(Instant::now());
                self.ui.cmd(Command::OpenFile(f));
            }
        }
        self.ui.ui(ui);
        if self.opts.bench {
            let t1 = Instant::now();
            let s = &mut self.stats;
            let ui_ms = (t1 - t0).as_secs_f64() * 1e3;
            if let Some(last) = s.last_frame {
                let iv = (t0 - last).as_secs_f64() * 1e3;
                s.intervals_ms.push(iv);
                s.ui_ms.push(ui_ms);
                if generating {
                    s.max_ui_ms_generating = s.max_ui_ms_generating.max(ui_ms);
                    s.max_interval_ms_generating = s.max_interval_ms_generating.max(iv);
                } else {
                    s.settled_ms.push(iv);
                }
            }
            s.first_frame.get_or_insert(t0);
            s.last_frame = Some(t0);
            if s.preview_ready_s.is_none()
                && let Some(opened) = s.opened_at
                && self
                    .ui
                    .app
                    .state()
                    .design
                    .as_ref()
                    .is_some_and(|d| d.generated.is_some())
            {
                s.preview_ready_s = Some(opened.elapsed().as_secs_f64());
            }
            // While converting, repaint as the app does anyway (every 30 ms while busy), so the
            // conversion gets the CPU a user's machine would give it.
            if !generating {
                ui.ctx().request_repaint();
            }
        }
        let state = self.ui.app.state();
        if self.opts.start_job
            && !self.started
            && state.machine.is_connected()
            && state.machine.state.state.is_some()
            && state
                .design
                .as_ref()
                .is_some_and(|d| d.generated.is_some() && !d.generating)
        {
            self.started = true;
            self.ui.cmd(Command::Start);
        }
        if let Some(n) = self.opts.exit_after_frames {
            ui.ctx().request_repaint();
            if self.ui.frames() >= n {
                // Tests read this line to know frames were really drawn.
                let job = self
                    .ui
                    .app
                    .state()
                    .machine
                    .job
                    .as_ref()
                    .map_or(0.0, |j| j.fraction);
                eprintln!(
                    "burin: drew {} frames (job at {:.0} %)",
                    self.ui.frames(),
                    job * 100.0
                );
                if self.opts.bench {
                    eprintln!("{}", self.stats.report());
                }
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        if ui.ctx().input(|i| i.viewport().close_requested()) {
            let size = ui.ctx().content_rect().size();
            self.ui.cmd(Command::SetWindowSize {
                width: size.x,
                height: size.y,
            });
            self.ui.cmd(Command::SaveSettings);
        }
    }
}

/// Opens the window and runs until it closes.
pub fn run(opts: RunOptions) -> Result<(), eframe::Error> {
    let mut app = App::new(AppConfig {
        sim_speed: if opts.sim_speed > 0.0 {
            opts.sim_speed
        } else {
            1.0
        },
        ..AppConfig::default()
    });
    // The benchmark opens its file once the window is up, as a user would, so the time to
    // the preview does not include starting the window.
    if let Some(f) = opts.file.as_ref().filter(|_| !opts.bench) {
        app.handle(Command::OpenFile(f.clone()));
    }
    if let Some(p) = &opts.connect {
        app.handle(Command::Connect { port: p.clone() });
    }
    let w = &app.state().settings.window;
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Burin")
            .with_inner_size([w.width, w.height])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Burin",
        native,
        Box::new(move |cc| {
            let ctx = cc.egui_ctx.clone();
            app.set_waker(burin_controller::app::Waker::new(move || {
                ctx.request_repaint()
            }));
            Ok(Box::new(EframeApp {
                ui: BurinUi::new(app),
                opts,
                started: false,
                stats: FrameStats::default(),
            }))
        }),
    )
}
