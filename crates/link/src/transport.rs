//! The byte pipe to a GRBL controller.

use std::time::Duration;

use crate::error::LinkLost;

/// A byte stream to a controller: a serial port, or the simulator.
///
/// Implementations may block (that is what the I/O thread is for), but never longer than the
/// timeout a call is given.
pub trait Transport: Send {
    /// Reads what has arrived into `buf`, waiting at most `timeout` for the first byte.
    /// `Ok(0)` means nothing arrived in time. An error means the link is gone for good.
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, LinkLost>;

    /// Writes all of `bytes`. An error means the link is gone for good.
    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost>;

    /// What to call the link in messages (the port path, or `sim`).
    fn name(&self) -> &str;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, LinkLost> {
        (**self).read(buf, timeout)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), LinkLost> {
        (**self).write(bytes)
    }

    fn name(&self) -> &str {
        (**self).name()
    }
}
