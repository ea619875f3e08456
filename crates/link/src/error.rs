//! Why a port could not be opened (with the fix), and why a link was lost.

use std::fmt;

use thiserror::Error;

/// Opening a serial port failed. `Display` explains the likely cause and its fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OpenError {
    /// No device at the path.
    #[error("{path}: no such port. {}", not_found_hint(available, *brltty_suspected))]
    NotFound {
        path: String,
        /// Ports that do exist (from discovery).
        available: Vec<String>,
        /// A USB serial adapter seems to be plugged in without a port, or brltty is installed:
        /// brltty grabs CH340 adapters right after they are plugged in.
        brltty_suspected: bool,
    },
    /// The user may not open the device.
    #[error(
        "{path}: permission denied. On Linux your user must be in the group that owns the port \
         (usually `dialout`): run `sudo usermod -aG dialout $USER`, then log out and in again"
    )]
    PermissionDenied { path: String },
    /// Another program holds the port.
    #[error("{path}: the port is busy. {}", busy_hint(holders))]
    Busy {
        path: String,
        /// Names of processes seen holding the port (may be empty: other users' processes,
        /// such as ModemManager's, cannot be inspected).
        holders: Vec<String>,
    },
    /// The baud rate is not usable.
    #[error("{path}: baud rate {baud} is not supported by this port ({message})")]
    BadBaud {
        path: String,
        baud: u32,
        message: String,
    },
    /// Anything else the OS reported.
    #[error("{path}: cannot open: {message}")]
    Other { path: String, message: String },
}

fn not_found_hint(available: &[String], brltty: bool) -> String {
    let mut s = if available.is_empty() {
        "No serial ports were found: is the engraver plugged in and switched on? A \
         pseudo-terminal or other device can be given by its full path."
            .to_string()
    } else {
        format!("Ports that exist: {}.", available.join(", "))
    };
    if brltty {
        s.push_str(
            " A CH340 adapter whose port vanishes right after plugging in is usually grabbed by \
             brltty (a braille display driver): `sudo apt remove brltty`, then re-plug the cable.",
        );
    }
    s
}

fn busy_hint(holders: &[String]) -> String {
    let who = if holders.is_empty() {
        "Another program has it open".to_string()
    } else {
        format!("It is held by: {}", holders.join(", "))
    };
    format!(
        "{who}. Close other senders (LightBurn, LaserGRBL, UGS, bCNC) and serial monitors \
         (Arduino IDE, screen, minicom). If nothing else runs, ModemManager may be probing the \
         port: `sudo systemctl stop ModemManager` (or disable it)."
    )
}

/// Why a link stopped working.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkLost {
    /// The device path disappeared (cable unplugged, board reset by USB power loss).
    #[error("{name} disappeared (cable unplugged?)")]
    Gone { name: String },
    /// Reading failed.
    #[error("reading {name} failed: {message}")]
    Read { name: String, message: String },
    /// Writing failed or stalled.
    #[error("writing {name} failed: {message}")]
    Write { name: String, message: String },
    /// The link was closed on request.
    #[error("{name} was closed")]
    Closed { name: String },
}

/// Something the OS reported, kept as text with its kind for classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OsFailure {
    pub kind: FailureKind,
    pub message: String,
}

/// The part of an OS error that decides the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    NotFound,
    PermissionDenied,
    Busy,
    InvalidInput,
    Other,
}

impl fmt::Display for OsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<&serialport::Error> for OsFailure {
    fn from(e: &serialport::Error) -> Self {
        use serialport::ErrorKind as K;
        use std::io::ErrorKind as Io;
        let msg = e.description.clone();
        let lower = msg.to_ascii_lowercase();
        let kind = match e.kind {
            K::Io(Io::NotFound) => FailureKind::NotFound,
            K::Io(Io::PermissionDenied) => FailureKind::PermissionDenied,
            K::InvalidInput => FailureKind::InvalidInput,
            // serialport maps EBUSY (TIOCEXCL held) and a failed flock to NoDevice.
            K::NoDevice if lower.contains("busy") || lower.contains("lock") => FailureKind::Busy,
            _ if lower.contains("no such file") => FailureKind::NotFound,
            _ if lower.contains("permission denied") => FailureKind::PermissionDenied,
            _ if lower.contains("busy") => FailureKind::Busy,
            _ => FailureKind::Other,
        };
        OsFailure { kind, message: msg }
    }
}

/// What the environment says about a failed open, gathered by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OpenContext {
    pub path_exists: bool,
    pub available: Vec<String>,
    pub brltty_suspected: bool,
    pub holders: Vec<String>,
}

/// Turns an OS failure into an explained [`OpenError`].
pub(crate) fn classify(path: &str, baud: u32, f: &OsFailure, ctx: OpenContext) -> OpenError {
    let path = path.to_string();
    match f.kind {
        FailureKind::NotFound => OpenError::NotFound {
            path,
            available: ctx.available,
            brltty_suspected: ctx.brltty_suspected,
        },
        // ENODEV/ENXIO and friends on a path that is gone are the same as "not found".
        FailureKind::Other if !ctx.path_exists => OpenError::NotFound {
            path,
            available: ctx.available,
            brltty_suspected: ctx.brltty_suspected,
        },
        FailureKind::PermissionDenied => OpenError::PermissionDenied { path },
        FailureKind::Busy => OpenError::Busy {
            path,
            holders: ctx.holders,
        },
        FailureKind::InvalidInput => OpenError::BadBaud {
            path,
            baud,
            message: f.message.clone(),
        },
        FailureKind::Other => OpenError::Other {
            path,
            message: f.message.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(kind: serialport::ErrorKind, msg: &str) -> OsFailure {
        OsFailure::from(&serialport::Error::new(kind, msg))
    }

    #[test]
    fn permission_denied_names_dialout() {
        let f = fail(
            serialport::ErrorKind::Io(std::io::ErrorKind::PermissionDenied),
            "Permission denied",
        );
        let e = classify("/dev/ttyUSB0", 115_200, &f, OpenContext::default());
        assert_eq!(
            e,
            OpenError::PermissionDenied {
                path: "/dev/ttyUSB0".into()
            }
        );
        let text = e.to_string();
        assert!(text.contains("dialout") && text.contains("usermod -aG dialout"));
        assert!(text.contains("log out"));
    }

    #[test]
    fn busy_names_other_programs_and_modemmanager() {
        let f = fail(serialport::ErrorKind::NoDevice, "Device or resource busy");
        let ctx = OpenContext {
            path_exists: true,
            holders: vec!["LaserGRBL (pid 42)".into()],
            ..OpenContext::default()
        };
        let e = classify("/dev/ttyUSB0", 115_200, &f, ctx);
        let text = e.to_string();
        assert!(matches!(e, OpenError::Busy { .. }), "{e:?}");
        assert!(text.contains("LaserGRBL (pid 42)"));
        assert!(text.contains("LightBurn") && text.contains("ModemManager"));
        let lock = fail(
            serialport::ErrorKind::NoDevice,
            "Unable to acquire exclusive lock on serial port",
        );
        assert!(matches!(
            classify("/dev/ttyACM0", 115_200, &lock, OpenContext::default()),
            OpenError::Busy { .. }
        ));
    }

    #[test]
    fn not_found_lists_ports_and_suspects_brltty() {
        let f = fail(
            serialport::ErrorKind::Io(std::io::ErrorKind::NotFound),
            "No such file or directory",
        );
        let ctx = OpenContext {
            available: vec!["/dev/ttyS0".into(), "/dev/ttyACM0".into()],
            brltty_suspected: true,
            ..OpenContext::default()
        };
        let text = classify("/dev/ttyUSB0", 115_200, &f, ctx).to_string();
        assert!(text.contains("/dev/ttyS0, /dev/ttyACM0"), "{text}");
        assert!(text.contains("sudo apt remove brltty"), "{text}");
        let none = classify("/dev/ttyUSB3", 115_200, &f, OpenContext::default()).to_string();
        assert!(none.contains("No serial ports were found") && !none.contains("brltty"));
        // ENXIO on a path that no longer exists reads as "not found" too.
        let enxio = fail(serialport::ErrorKind::Unknown, "No such device or address");
        assert!(matches!(
            classify("/dev/ttyUSB0", 115_200, &enxio, OpenContext::default()),
            OpenError::NotFound { .. }
        ));
    }
}
