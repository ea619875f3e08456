//! Burin: the command line ([`cli`]) and the desktop app ([`ui`]) over Burin's core crates.
//! Both are thin: the work is in the crates, the application state in `burin-controller`.

pub mod cli;
pub mod ui;
