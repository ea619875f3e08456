//! Burin toolpath planning: a [`Document`](burin_design::Document) in doc space becomes a
//! [`Toolpath`] in machine space.
//!
//! Stages: flatten curves ([`flatten`]), clip to SVG clip paths, hatch fills ([`hatch`]),
//! order runs (inner shapes first, then least travel: [`order`]), place the job
//! ([`machine_from_doc`], the only place the Y axis flips), repeat passes.

mod contain;
mod fill_scan;
pub mod flatten;
pub mod hatch;
mod improve;
mod kdtree;
pub mod model;
pub mod order;
pub mod place;
mod plan;
pub mod raster;
pub mod region;
pub mod run;
mod scan;
mod spatial;

pub use model::*;
pub use order::OrderOptions;
pub use place::{Anchor, JobOrigin, MachineFromDoc, machine_from_doc};
pub use plan::{PlanError, PlanOptions, PlanReport, plan};
