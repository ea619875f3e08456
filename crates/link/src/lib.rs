//! Burin link.
