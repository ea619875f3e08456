# Burin's own interface texts.

app-title = Burin
language = Language
language-system = Follow the system

## Menus
menu-file = File
menu-open = Open…
menu-recent = Recent files
menu-recent-none = No recent files
menu-close = Close design
menu-quit = Quit
menu-view = View
view-fit = Fit bed to view
view-console = Console
view-travel = Show travel moves

## Status bar
status-ready = Ready. Open an SVG or G-code file, or drop one on the window.
status-clear = Clear

## Open
open = Open…
open-title = Open a design
open-path = Path
open-go = Open
opening = Opening { $file }…
filter-svg = SVG drawings
filter-gcode = G-code
no-design-hint = Open an SVG or G-code file (Ctrl+O), type its path above, or drop it on the window.
import-dpi = Read at { $dpi } DPI

## Layers
layers = Layers
layer-output = Output
layer-mode = Mode
mode-line = Line
mode-fill = Fill
layer-speed = Speed
layer-power = Power
layer-passes = Passes
layer-air = Air assist
layer-interval = Interval
layer-angle = Angle
layer-bidirectional = Bidirectional
mode-image = Image
layer-dither = Dither
layer-min-power = Min power
layer-brightness = Brightness
layer-contrast = Contrast
layer-gamma = Gamma
layer-invert = Invert
layer-overscan = Overscan
layer-overscan-auto = Automatic overscan
layer-scan-vertical = Scan vertically
layer-gray-tolerance = Merge power levels within
dither-threshold = Threshold
dither-bayer4 = Ordered (Bayer 4×4)
dither-bayer8 = Ordered (Bayer 8×8)
dither-floyd-steinberg = Floyd-Steinberg
dither-jarvis = Jarvis-Judice-Ninke
dither-stucki = Stucki
dither-atkinson = Atkinson
dither-burkes = Burkes
dither-sierra3 = Sierra
dither-sierra2 = Sierra two-row
dither-sierra-lite = Sierra Lite
dither-halftone = Halftone
dither-grayscale = Grayscale
layer-crosshatch = Crosshatch
layer-fill-shape-by-shape = Each shape on its own
layer-fill-shape-by-shape-hint = Off: the whole layer is scanned as one area, row by row with overscan, and overlapping shapes burn once. On: each shape is filled separately (overlaps burn twice).

## Placement
placement = Placement
origin-mode = Start from
origin-absolute = Absolute coordinates
origin-current = Current position
origin-user = User origin
anchor = Job origin
anchor-top-left = Top left
anchor-top = Top
anchor-top-right = Top right
anchor-left = Left
anchor-center = Centre
anchor-right = Right
anchor-bottom-left = Bottom left
anchor-bottom = Bottom
anchor-bottom-right = Bottom right
width = Width
height = Height
lock-ratio = Lock ratio
placement-reset = Reset size and position

## Preview
preview = Preview
checking = Checking the program (safety, time)…
generating = Generating the toolpath…
estimate-time = Estimated time
cut-length = Cutting
travel-length = Travel
program-lines = Lines
preflight-ok = Safety checks passed
preflight-refused = Refused:
replay = Replay
bed-help = Drag to pan (drag the job to move it), wheel to zoom, double-click to fit.

## Machine
machine = Machine
port = Port
port-simulator = Simulator (no laser needed)
ports-refresh = Refresh
port-path = Or type a path
connect = Connect
disconnect = Disconnect
connecting = Connecting to { $port }…
connected-to = Connected: { $port }
state = State
work-pos = Work
machine-pos = Machine
laser-mode-off = Laser mode is off ($32=0): the laser would stop at every corner.
laser-mode-enable = Turn laser mode on
unlock = Unlock
home = Home
set-origin = Set origin here
go-origin = Go to origin

## Jog
machine-info = GRBL { $version } · buffer { $buffer } bytes · bed { $w } × { $h } mm (from $130/$131)
machine-info-saved = GRBL { $version } · buffer { $buffer } bytes · bed { $w } × { $h } mm (saved profile: the machine did not report $130/$131)
jog-has-z = Z axis
jog = Jog
jog-x-plus = Jog X+
jog-x-minus = Jog X-
jog-y-plus = Jog Y+
jog-y-minus = Jog Y-
jog-z-plus = Jog Z+
jog-z-minus = Jog Z-
jog-step = Step (mm)
jog-feed = Jog speed

## Job
job = Job
frame-power = Frame power
frame = Frame
start = Start
pause = Pause
resume = Resume
stop = Stop
job-times = Elapsed { $elapsed } · remaining { $remaining }
job-lines = { $acked } / { $total } lines
override-feed = Speed
override-power = Power
override-reset = Reset

## Console
console = Console
console-command = Command
console-send = Send
settings-table = Machine settings ($$)
settings-table-empty = Connect to read the machine's settings.

## Notices
notice-opened = Opened { $file }: { $layers } layers.
notice-open-failed = Could not open { $file }: { $error }
notice-generate-failed = Could not generate the toolpath: { $error }
notice-preflight-refused = This job would be refused: { $finding }
notice-layer-invalid = Layer settings not accepted: { $error }
notice-settings-unreadable = Settings file unreadable, defaults used (the file was left as it is): { $error }
notice-settings-not-saved = Settings not saved: { $error }
notice-connected = Connected to { $port }.
notice-connect-failed = Could not connect to { $port }: { $error }
notice-disconnected = Disconnected.
notice-link-lost = Connection lost ({ $error }). Last line acknowledged: { $line }. The laser was switched off.
notice-not-connected = Connect to a machine first.
notice-busy-job = A job is running: wait for it to end or stop it.
notice-alarm-locked = The machine is in alarm: unlock or home it first.
notice-not-idle = The machine is busy: wait until it is idle.
notice-no-design = Open a design first.
notice-still-generating = The toolpath is still being generated.
notice-nothing-to-frame = Nothing to frame: the job is empty.
notice-laser-mode-off = Laser mode is off ($32=0). Turn it on before engraving.
notice-job-off-bed = The job would extend { $mm } mm past the bed with its origin at X { $x } Y { $y }.
notice-setting-invalid = ${ $number } cannot be set to "{ $value }": a number is needed.
notice-frame-done = Frame done.
notice-job-finished = Job finished: { $lines } lines in { $time }.
notice-job-error = The machine refused line { $line } ({ $source }): error { $code }. The job was stopped, laser off.
notice-job-rejected = Line { $line } cannot be sent ({ $error }). The job was stopped, laser off.
notice-job-alarm = Alarm { $code } during the job (last line acknowledged: { $line }). Laser off.
notice-job-stopped = Job stopped, laser off. Last line acknowledged: { $line }.
notice-job-controller-reset = The controller reset during the job (last line acknowledged: { $line }).
notice-job-not-started = The job could not start: { $error }

## Material presets
menu-presets = Presets
menu-presets-manage = Material presets…
preset = Preset
preset-custom = (own settings)
preset-all-modes = All modes
preset-none-for-mode = No preset for this mode yet.
preset-no-material = No material
preset-summary = { $mode } at { $speed } mm/min, { $power } %, { $passes ->
        [one] 1 pass
       *[other] { $passes } passes
    }
preset-save-layer = Save layer as preset…
preset-save-title = Save layer as preset
preset-save-layer-of = The settings of layer { $layer }:
preset-value = { $name }: { $value }
preset-name = Name
preset-material = Material
preset-thickness = Thickness (mm)
preset-machine = For machine
preset-notes = Notes
preset-speed = Speed (mm/min)
preset-power-max = Max power (%)
preset-power-min = Min power (%)
preset-thickness-invalid = The thickness must be a number of millimetres above 0, or empty.
preset-will-replace = A preset of this name exists: saving replaces it.
preset-save = Save preset
preset-save-changes = Save changes
preset-revert = Undo changes
preset-cancel = Cancel
preset-delete = Delete…
preset-delete-confirm = Delete the preset "{ $name }"? This cannot be undone.
preset-delete-yes = Delete
presets-title = Material presets
presets-search = Search
presets-search-hint = Material, thickness, name: plywood 3 mm
presets-count = { $shown } of { $total } presets
presets-pick-one = Pick a preset in the list to see and edit its values.
presets-file = Library: { $path }
presets-in-memory = Library kept in memory only (not saved).
presets-load-error-backup = The preset library could not be read: { $error }. Its backup is used instead.
presets-load-error-builtin = The preset library could not be read: { $error }. The built-in presets are used instead.
presets-copy-kept = The unreadable file is kept as { $copy }.
notice-presets-warning = Preset library: { $warning }
notice-presets-copy-kept = The unreadable preset library is kept as { $copy }.
notice-presets-unreadable-backup = The preset library could not be read: { $error }. Its backup is used; the file was left as it is.
notice-presets-unreadable-builtin = The preset library could not be read: { $error }. The built-in presets are used; the file was left as it is.
notice-presets-not-saved = The preset library could not be saved ({ $error }); the change is kept until Burin closes.
notice-preset-not-found = No preset named "{ $name }".
notice-preset-wrong-mode = The preset "{ $name }" does not fit layer { $layer }: pictures take image presets, shapes take cut or fill presets.
notice-preset-applied = Preset "{ $name }" applied to layer { $layer }.
notice-preset-saved = Preset "{ $name }" saved.
notice-preset-replaced = Preset "{ $name }" replaced.
notice-preset-updated = Preset "{ $name }" changed.
notice-preset-deleted = Preset "{ $name }" deleted.
notice-preset-invalid = Preset not accepted: { $error }
presets-problem = Preset library unreadable: see why
