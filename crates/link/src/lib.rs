//! Burin link: everything that touches a device or a thread.
//!
//! - [`Transport`]: a byte pipe with read-with-timeout, write and a name.
//!   [`SerialTransport`] opens real ports (any baud; modem-line failures ignored);
//!   [`SimTransport`] runs the built-in virtual GRBL in real time.
//! - [`ports`]: discovery that names the usual USB adapters (CH340, CH9102, CP210x, FTDI,
//!   Arduino). Paths that are not listed (ptys) can always be opened directly.
//! - [`Link`]: the I/O thread that owns a transport; commands in, lines and `Lost` out.
//!   A vanished port is reported within a second.
//! - [`Session`]: a headless driver over a [`Connection`] (the [`Link`], or [`VirtualSim`] on a
//!   virtual clock): connect, commands, stream a job, pause/resume/stop, safe endings.
//! - [`OpenError`]: failures to open a port, each explained with its fix.

pub mod connection;
pub mod error;
pub mod io_thread;
pub mod ports;
pub mod serial;
pub mod session;
pub mod sim;
pub mod transport;

pub use connection::{Connection, VirtualSim};
pub use error::{LinkLost, OpenError};
pub use io_thread::{Link, LinkCommand, LinkEvent};
pub use ports::{PortInfo, list_ports};
pub use serial::{DEFAULT_BAUD, SerialTransport};
pub use session::{
    CommandReply, JobControl, JobEnd, JobObserver, JobReport, Session, SessionError, SessionEvent,
    SessionOptions, describe,
};
pub use sim::{SimHandle, SimTransport};
pub use transport::Transport;

/// Opens a port by path, or the simulator for `sim` (at real-time `sim_speed`), and starts its
/// I/O thread. The [`SimHandle`] is `Some` for the simulator.
pub fn open(port: &str, baud: u32, sim_speed: f64) -> Result<(Link, Option<SimHandle>), OpenError> {
    if port == "sim" {
        // The built-in machine takes lines as fast as an 8-bit GRBL does, so a job on it
        // takes as long as the estimate says.
        let cfg = burin_sim::SimConfig::default().with_grbl_328p_timing();
        let (t, handle) = SimTransport::new(cfg, sim_speed);
        return Ok((Link::spawn(t), Some(handle)));
    }
    let t = SerialTransport::open(port, baud)?;
    Ok((Link::spawn(t), None))
}
