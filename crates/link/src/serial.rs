//! Serial ports through the `serialport` crate.

use std::io::{ErrorKind, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serialport::SerialPort;

use crate::error::{LinkLost, OpenContext, OpenError, OsFailure, classify};
use crate::ports;
use crate::transport::Transport;

/// GRBL's serial speed.
pub const DEFAULT_BAUD: u32 = 115_200;

/// How often a port's device path is checked for existence while reading.
const PRESENCE_CHECK_INTERVAL: Duration = Duration::from_millis(250);

/// How long a write may stall before the link counts as lost. GRBL drains its RX buffer
/// continuously, so a stall this long means the device stopped listening.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// An open serial port.
pub struct SerialTransport {
    port: Box<dyn SerialPort>,
    path: String,
    last_presence_check: Instant,
}

impl std::fmt::Debug for SerialTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SerialTransport")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SerialTransport {
    /// Opens `path` at `baud` (8N1, no flow control). Modem-line calls (DTR/RTS) that fail, as
    /// they do on a pseudo-terminal or some adapters (ENOTTY), are ignored.
    pub fn open(path: &str, baud: u32) -> Result<Self, OpenError> {
        let result = serialport::new(path, baud)
            .timeout(Duration::from_millis(10))
            .flow_control(serialport::FlowControl::None)
            .open();
        let mut port = match result {
            Ok(p) => p,
            Err(e) => return Err(explain_open_error(path, baud, &e)),
        };
        // Not fatal: a pty has no modem lines, and GRBL needs none.
        let _ = port.write_data_terminal_ready(true);
        let _ = port.write_request_to_send(true);
        Ok(Self {
            port,
            path: path.to_string(),
            last_presence_check: Instant::now(),
        })
    }

    fn lost_read(&self, message: String) -> LinkLost {
        if Path::new(&self.path).exists() {
            LinkLost::Read {
                name: self.path.clone(),
                message,
            }
        } else {
            LinkLost::Gone {
                name: self.path.clone(),
            }
        }
    }
}

impl Transport for SerialTransport {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, LinkLost> {
        if self.last_presence_check.elapsed() >= PRESENCE_CHECK_INTERVAL {
            self.last_presence_check = Instant::now();
            if !Path::new(&self.path).exists() {
                return Err(LinkLost::Gone {
                    name: self.path.clone(),
                });
            }
        }
        let _ = self.port.set_timeout(timeout.max(Duration::from_millis(1)));
        match self.port.read(buf) {
            // serialport reads only after poll said "readable": 0 bytes is end of file.
            Ok(0) => Err(self.lost_read("end of file (device closed)".into())),
            Ok(n) => Ok(n),
            Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::Interrupted) => Ok(0),
            Err(e) => Err(self.lost_read(e.to_string())),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost> {
        let _ = self.port.set_timeout(WRITE_TIMEOUT);
        self.port.write_all(bytes).map_err(|e| {
            if Path::new(&self.path).exists() {
                LinkLost::Write {
                    name: self.path.clone(),
                    message: e.to_string(),
                }
            } else {
                LinkLost::Gone {
                    name: self.path.clone(),
                }
            }
        })
    }

    fn name(&self) -> &str {
        &self.path
    }
}

/// Builds the explained error for a failed open, looking around the system for the cause.
fn explain_open_error(path: &str, baud: u32, e: &serialport::Error) -> OpenError {
    let failure = OsFailure::from(e);
    let available: Vec<String> = ports::list_ports().into_iter().map(|p| p.path).collect();
    let ctx = OpenContext {
        path_exists: Path::new(path).exists(),
        brltty_suspected: looks_like_usb_serial(path) && ports::brltty_suspected(),
        holders: ports::processes_holding(path),
        available,
    };
    classify(path, baud, &failure, ctx)
}

fn looks_like_usb_serial(path: &str) -> bool {
    path.contains("ttyUSB") || path.contains("ttyACM")
}
