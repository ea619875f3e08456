//! What the UI reads: the application state, plain data.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use burin_design::{Document, ImportInfo, Library, Operation, Rgb};
use burin_gcode::{PreflightReport, PreviewPath, Program, ProgramStats};
use burin_grbl::MachineState;

use crate::machine::PortChoice;
use crate::placement::Placement;
use crate::presets::LoadSource;
use crate::settings::Settings;

/// Console lines kept.
pub const CONSOLE_LINES: usize = 2000;

/// How serious a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A message for the user, as a catalogue key and its arguments (the UI translates it).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub level: Level,
    /// Message catalogue key, e.g. `notice-opened`.
    pub key: &'static str,
    /// Named arguments, already formatted (numbers with their precision).
    pub args: Vec<(&'static str, String)>,
}

impl Notice {
    pub fn new(level: Level, key: &'static str) -> Self {
        Self {
            level,
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// Who wrote a console line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Burin sent it.
    Sent,
    /// The controller sent it.
    Received,
}

/// One line of traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleEntry {
    pub direction: Direction,
    pub text: String,
    /// `error:N`: the UI adds GRBL's meaning in the user's language.
    pub error: Option<u16>,
    /// `ALARM:N`.
    pub alarm: Option<u16>,
}

/// What kind of file is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Svg,
    Gcode,
}

/// One layer row.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerRow {
    pub colour: Rgb,
    pub name: String,
    pub shapes: usize,
    pub operation: Operation,
    /// The layer holds a picture (Image mode only).
    pub has_image: bool,
    /// The preset last applied to the layer, while its settings are still that preset's
    /// (an edit the preset doesn't cover, such as Output, keeps it).
    pub preset: Option<String>,
}

/// A program's text as it is streamed: a [`Program`], which holds one allocation for all its
/// lines (a million-line job costs its size in bytes plus 4 bytes a line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobText {
    program: Program,
}

impl JobText {
    /// The program's lines.
    pub fn from_program(program: &Program) -> Self {
        Self {
            program: program.clone(),
        }
    }

    /// Lines given as text (framing moves); a line that does not parse is dropped with a note.
    pub fn from_lines(lines: &[String]) -> Self {
        let mut program = Program::new();
        for (i, l) in lines.iter().enumerate() {
            match burin_gcode::parse_line(l, i + 1) {
                Ok(line) => program.push(&line),
                Err(e) => program.push(&burin_gcode::Line::comment_only(i + 1, e.to_string())),
            }
        }
        Self { program }
    }

    pub fn len(&self) -> usize {
        self.program.len()
    }

    pub fn is_empty(&self) -> bool {
        self.program.is_empty()
    }

    /// Line `i` (0-based) without its terminator.
    pub fn line(&self, i: usize) -> &str {
        self.program.line_text(i).unwrap_or("")
    }

    /// The whole program text.
    pub fn as_str(&self) -> &str {
        self.program.text()
    }
}

/// The program generated from the design (or read from a G-code file), checked and measured.
/// It arrives twice: first with the preview (`checked` false), then with the checks.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Which design revision it was made from.
    pub revision: u64,
    /// The preflight, statistics and per-line times are in.
    pub checked: bool,
    /// The program's lines as they are streamed.
    pub lines: Arc<JobText>,
    pub preview: PreviewPath,
    pub stats: ProgramStats,
    /// Checked against the machine profile (placement-relative jobs: size only; where they
    /// land is checked at start, from the head's position).
    pub preflight: PreflightReport,
    /// Estimated seconds per program line (same model as `stats.time`).
    pub line_times: Arc<Vec<f64>>,
    /// Import and planning notes.
    pub warnings: Vec<String>,
}

/// The open design.
#[derive(Debug, Clone)]
pub struct DesignState {
    pub path: PathBuf,
    pub kind: FileKind,
    /// The imported artwork (SVG only), before placement.
    pub document: Option<Arc<Document>>,
    pub import_info: Option<ImportInfo>,
    pub layers: Vec<LayerRow>,
    pub placement: Placement,
    /// Size of the artwork as imported (SVG), mm.
    pub natural_size_mm: Option<(f64, f64)>,
    /// Bumped on every edit; a result for an older revision is stale.
    pub revision: u64,
    pub generated: Option<Arc<Generated>>,
    /// Work for the newest revision is in progress.
    pub generating: bool,
    /// The newest revision failed to generate (a catalogue notice says why).
    pub failed: bool,
}

/// The link to the machine.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkStatus {
    Disconnected,
    Connecting { port: String },
    Connected { port: String },
}

/// A job (or a frame) on the machine.
#[derive(Debug, Clone, PartialEq)]
pub struct JobView {
    /// A frame rather than the program.
    pub framing: bool,
    pub total_lines: u64,
    pub lines_acked: u64,
    /// Lines GRBL has finished executing (estimated from its planner fill).
    pub lines_executed: u64,
    /// Program line index of job line 1 (a `G92` prefix shifts it).
    pub first_program_line: i64,
    pub paused: bool,
    pub stopping: bool,
    /// Since start, wall clock.
    pub elapsed: Duration,
    /// Remaining time from the planner model, wall clock.
    pub remaining: Option<Duration>,
    /// 0..=1, by estimated time when known, else by lines.
    pub fraction: f64,
    /// Offset added to the program's coordinates on the machine (current-position jobs), mm.
    pub offset_mm: (f64, f64),
}

/// How the last job ended, for the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct JobOutcome {
    pub framing: bool,
    pub finished: bool,
    /// The last line GRBL acknowledged.
    pub last_acked_line: Option<u64>,
    /// Progress when it ended, 0..=1 (1 for a finished job).
    pub fraction: f64,
    pub notice: Notice,
}

/// Machine panel data.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineView {
    pub link: LinkStatus,
    pub state: MachineState,
    /// Work area from `$130`/`$131` (true) or the saved profile (false).
    pub area_from_machine: bool,
    /// Receive buffer the streamer uses, bytes.
    pub rx_buffer_bytes: usize,
    pub job: Option<JobView>,
    pub last_job: Option<JobOutcome>,
    /// The head is being jogged continuously.
    pub jogging: bool,
}

impl Default for MachineView {
    fn default() -> Self {
        Self {
            link: LinkStatus::Disconnected,
            state: MachineState::default(),
            area_from_machine: false,
            rx_buffer_bytes: 128,
            job: None,
            last_job: None,
            jogging: false,
        }
    }
}

impl MachineView {
    pub fn is_connected(&self) -> bool {
        matches!(self.link, LinkStatus::Connected { .. })
    }

    /// GRBL reports motion (run, jog, homing).
    pub fn is_moving(&self) -> bool {
        self.state.state.as_ref().is_some_and(|s| s.is_moving())
    }

    /// Head position in work coordinates, mm (x, y, z).
    pub fn work_pos(&self) -> Option<[f64; 3]> {
        self.state
            .work_pos
            .as_ref()
            .map(|a| [a.x(), a.y(), if a.len() > 2 { a.z() } else { 0.0 }])
    }

    /// Head position in machine coordinates, mm.
    pub fn machine_pos(&self) -> Option<[f64; 3]> {
        self.state
            .machine_pos
            .as_ref()
            .map(|a| [a.x(), a.y(), if a.len() > 2 { a.z() } else { 0.0 }])
    }
}

/// Everything the UI shows.
#[derive(Debug, Clone)]
pub struct AppState {
    pub design: Option<DesignState>,
    /// A file is being opened.
    pub opening: Option<PathBuf>,
    pub machine: MachineView,
    pub ports: Vec<PortChoice>,
    /// The port selected in the list.
    pub selected_port: String,
    pub console: VecDeque<ConsoleEntry>,
    /// Newest last.
    pub notices: Vec<Notice>,
    pub settings: Settings,
    /// Where settings are saved (`None`: not saved, e.g. tests).
    pub settings_path: Option<PathBuf>,
    /// The material preset library.
    pub presets: PresetsView,
}

/// The material preset library as the window shows it: loaded at start, changed by the
/// preset commands (each change is saved at once).
#[derive(Debug, Clone, PartialEq)]
pub struct PresetsView {
    pub library: Library,
    /// Where it is saved (`None`: kept in memory, e.g. tests).
    pub path: Option<PathBuf>,
    /// Where the library in use came from.
    pub source: LoadSource,
    /// Why the file itself could not be used at start (with its line when it does not
    /// parse); cleared once a save has replaced it.
    pub load_error: Option<String>,
    /// Where the unreadable file was copied before anything was written over it.
    pub corrupt_copy: Option<PathBuf>,
    /// What else loading found: presets out of range (with their line), an old version
    /// migrated, the backup in use.
    pub warnings: Vec<String>,
}

impl Default for PresetsView {
    fn default() -> Self {
        Self {
            library: Library::builtin(),
            path: None,
            source: LoadSource::Builtin,
            load_error: None,
            corrupt_copy: None,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::JobText;

    #[test]
    fn job_text_gives_back_every_line() {
        let p = burin_gcode::parse_program("G21G90\n; comment\n\nG1X1F100\n").expect("parses");
        let t = JobText::from_program(&p);
        assert_eq!(t.len(), 4);
        let lines: Vec<&str> = (0..t.len()).map(|i| t.line(i)).collect();
        assert_eq!(lines, ["G21G90", "; comment", "", "G1X1F100"]);
        assert_eq!(t.line(9), "");
        let f = JobText::from_lines(&["G0X1".to_string(), "M5".to_string()]);
        assert_eq!((f.line(0), f.line(1), f.len()), ("G0X1", "M5", 2));
    }
}
