//! When to ask GRBL for a status report.

use std::time::Duration;

/// Default status poll interval: 200 ms (5 Hz, GRBL's recommended maximum for slow hosts).
pub const DEFAULT_STATUS_INTERVAL: Duration = Duration::from_millis(200);

/// Says when to send `?`. Sans-IO: the caller passes its clock as `now` (time since any fixed
/// origin) and sends the byte itself.
#[derive(Debug, Clone)]
pub struct StatusPoller {
    interval: Duration,
    next_due: Option<Duration>,
}

impl Default for StatusPoller {
    fn default() -> Self {
        Self::new(DEFAULT_STATUS_INTERVAL)
    }
}

impl StatusPoller {
    /// A poller firing every `interval` (at least 1 ms); the first call to `poll` fires.
    pub fn new(interval: Duration) -> Self {
        Self {
            interval: interval.max(Duration::from_millis(1)),
            next_due: None,
        }
    }

    /// True if `?` should be sent now. After a long gap it fires once, not once per
    /// missed interval.
    pub fn poll(&mut self, now: Duration) -> bool {
        if self.next_due.is_some_and(|due| now < due) {
            return false;
        }
        self.next_due = Some(now.saturating_add(self.interval));
        true
    }

    /// When `poll` will next return true (`None` before the first poll: at once).
    pub fn next_due(&self) -> Option<Duration> {
        self.next_due
    }

    /// The interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_every_interval_without_bursts() {
        let ms = Duration::from_millis;
        let mut p = StatusPoller::default();
        assert!(p.poll(ms(0)));
        assert!(!p.poll(ms(199)));
        assert!(p.poll(ms(200)));
        assert_eq!(p.next_due(), Some(ms(400)));
        // A 10 s stall gives a single `?`.
        assert!(p.poll(ms(10_000)));
        assert!(!p.poll(ms(10_001)));
        let fires = (0..1000).filter(|t| p.poll(ms(10_000 + t))).count();
        assert_eq!(fires, 4);
    }
}
