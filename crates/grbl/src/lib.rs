//! Burin GRBL 1.1 protocol, sans-IO: no threads, no ports, no sleeps, no clocks. Time comes
//! in as `now: Duration` (since any fixed origin the caller picks).
//!
//! - [`message`]: parse every line GRBL sends; [`lines::LineSplitter`] assembles them.
//! - [`codes`]: error, alarm and settings tables; override byte helpers.
//! - [`state::MachineState`]: what the host knows about the machine.
//! - [`streamer::Streamer`]: character-counting job streamer; [`poller::StatusPoller`].
//! - [`realtime`]: realtime command bytes.
//!
//! Wiring, as an I/O loop would do it (the port is faked here):
//!
//! ```
//! use std::time::Duration;
//! use burin_grbl::{LineSplitter, MachineState, StreamEvent, Streamer, StreamerOptions, parse};
//!
//! let mut streamer = Streamer::new(StreamerOptions::default());
//! let mut machine = MachineState::default();
//! let mut splitter = LineSplitter::default();
//! let mut to_port: Vec<u8> = Vec::new();
//!
//! let job = (0..3).map(|i| format!("G1 X{i} F1000"));
//! streamer.start_job(job).expect("no job running");
//! let now = Duration::from_millis(0);
//! to_port.extend(streamer.poll(now).bytes); // `?` and the first lines
//! assert_eq!(&to_port[..], b"?G1 X0 F1000\nG1 X1 F1000\nG1 X2 F1000\n");
//!
//! // Bytes read from the port, in whatever chunks they come.
//! splitter.push(b"ok\r\nok\r\nok\r\n<Idle|MPos:2.000,0.000,0.000|FS:0,0>\r\n");
//! let mut finished = false;
//! while let Some(line) = splitter.next_line() {
//!     let msg = parse(&line);
//!     machine.apply(&msg);
//!     let out = streamer.on_message(&msg, now);
//!     to_port.extend(out.bytes);
//!     finished |= out.events.iter().any(|e| matches!(e, StreamEvent::Finished { lines: 3 }));
//! }
//! assert!(finished);
//! assert_eq!(machine.machine_pos.map(|p| p.x()), Some(2.0));
//! ```

pub mod codes;
pub mod lines;
pub mod message;
pub mod poller;
pub mod realtime;
pub mod state;
pub mod streamer;

pub use lines::LineSplitter;
pub use message::{Message, parse, parse_str};
pub use state::MachineState;
pub use streamer::{Output, StreamEvent, Streamer, StreamerOptions};
