//! Path ordering: every run inside a closed loop is cut before that loop (holes and small parts
//! before the part that holds them drops), and travel is minimised under that constraint:
//! nearest neighbour (k-d tree), then 2-opt and Or-opt with neighbour lists, then the best
//! start vertex of every closed loop.

use crate::contain::direct_parents;
use crate::improve::{Neighbours, or_opt, or_opt_chains, two_opt};
use crate::kdtree::KdTree;
use crate::model::PointMm;
use crate::run::Run;

/// Options for [`order_runs`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderOptions {
    /// Cut shapes inside closed loops before the loops. Default true.
    pub inner_first: bool,
    /// Minimise travel. Default true; false keeps the input order (inner shapes still first).
    pub optimize: bool,
    /// Neighbours examined per run by 2-opt and Or-opt. Default 10.
    pub neighbours: usize,
}

impl Default for OrderOptions {
    fn default() -> Self {
        Self {
            inner_first: true,
            optimize: true,
            neighbours: 10,
        }
    }
}

/// A run in the tour, with its index in the input (for the precedence tables).
pub(crate) struct Item {
    pub(crate) id: usize,
    pub(crate) run: Run,
}

impl Item {
    pub(crate) fn entry(&self) -> PointMm {
        self.run.entry()
    }
    pub(crate) fn exit(&self) -> PointMm {
        self.run.exit()
    }
}

/// Child-before-parent constraints: each run's smallest containing loop, and its inverse.
pub(crate) struct Precedence {
    pub(crate) parent: Vec<Option<usize>>,
    pub(crate) children: Vec<Vec<usize>>,
}

impl Precedence {
    fn new(runs: &[Run], inner_first: bool) -> Self {
        let parent = if inner_first {
            direct_parents(runs)
        } else {
            vec![None; runs.len()]
        };
        let mut children = vec![Vec::new(); runs.len()];
        for (c, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(c);
            }
        }
        Self { parent, children }
    }
}

/// Orders `runs` for a head starting at `start`. Returns the runs in cutting order (some
/// reversed, closed loops rotated to their best start vertex).
pub fn order_runs(runs: Vec<Run>, start: PointMm, opts: &OrderOptions) -> Vec<Run> {
    let runs: Vec<Run> = runs.into_iter().filter(|r| r.points.len() >= 2).collect();
    if runs.len() <= 1 {
        return runs;
    }
    let prec = Precedence::new(&runs, opts.inner_first);
    let items: Vec<Item> = runs
        .into_iter()
        .enumerate()
        .map(|(id, run)| Item { id, run })
        .collect();
    let mut items = if opts.optimize {
        nearest_neighbour(items, &prec, start)
    } else {
        topological(items, &prec)
    };
    if opts.optimize {
        let near = Neighbours::new(&items, start, opts.neighbours.max(1));
        let mut last = tour_cost(&items, start);
        for _ in 0..4 {
            two_opt(&mut items, &prec, &near, start);
            or_opt(&mut items, &prec, &near, start);
            or_opt_chains(&mut items, &prec, &near, start);
            let cost = tour_cost(&items, start);
            if cost > last - 1e-6 * last.max(1.0) {
                break;
            }
            last = cost;
        }
    }
    let mut out: Vec<Run> = items.into_iter().map(|it| it.run).collect();
    if opts.optimize {
        best_start_vertices(&mut out, start);
    }
    out
}

/// Total travel (rapid) distance of runs in this order from `start`.
pub fn travel_mm(runs: &[Run], start: PointMm) -> f64 {
    let mut at = start;
    let mut d = 0.0;
    for r in runs {
        d += at.distance_to(r.entry());
        at = r.exit();
    }
    d
}

fn tour_cost(items: &[Item], start: PointMm) -> f64 {
    let mut at = start;
    let mut d = 0.0;
    for it in items {
        d += at.distance_to(it.entry());
        at = it.exit();
    }
    d
}

/// The input order, with every run moved before its containing loop.
fn topological(items: Vec<Item>, prec: &Precedence) -> Vec<Item> {
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    fn visit(i: usize, prec: &Precedence, slots: &mut [Option<Item>], out: &mut Vec<Item>) {
        // Explicit stack: nesting can be deep (concentric rings).
        let mut stack = vec![(i, 0usize)];
        while let Some((n, child)) = stack.pop() {
            if slots[n].is_none() {
                continue;
            }
            if let Some(&c) = prec.children[n].get(child) {
                stack.push((n, child + 1));
                stack.push((c, 0));
            } else if let Some(it) = slots[n].take() {
                out.push(it);
            }
        }
    }
    for i in 0..slots.len() {
        visit(i, prec, &mut slots, &mut out);
    }
    out
}

/// Greedy tour: from the head's position, always go to the nearest run whose inner runs are
/// done. A closed loop may start at any vertex, an open run at either end.
fn nearest_neighbour(items: Vec<Item>, prec: &Precedence, start: PointMm) -> Vec<Item> {
    let n = items.len();
    let mut entries = Vec::new();
    for it in &items {
        if it.run.closed {
            entries.extend(
                it.run
                    .points
                    .iter()
                    .enumerate()
                    .map(|(v, p)| (*p, it.id as u32, v as u32)),
            );
        } else {
            entries.push((it.entry(), it.id as u32, 0));
            entries.push((it.exit(), it.id as u32, u32::MAX));
        }
    }
    let mut tree = KdTree::new(entries, n);
    let mut pending: Vec<usize> = prec.children.iter().map(Vec::len).collect();
    for (id, &p) in pending.iter().enumerate() {
        if p > 0 {
            tree.set_alive(id as u32, false);
        }
    }
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut at = start;
    let mut out = Vec::with_capacity(n);
    while let Some((c, v)) = tree.nearest(at) {
        tree.set_alive(c, false);
        let Some(mut it) = slots[c as usize].take() else {
            break;
        };
        if it.run.closed {
            it.run.rotate_start(v as usize);
        } else if v == u32::MAX {
            it.run.reverse();
        }
        if let Some(p) = prec.parent[it.id] {
            pending[p] -= 1;
            if pending[p] == 0 {
                tree.set_alive(p as u32, true);
            }
        }
        at = it.exit();
        out.push(it);
    }
    out
}

/// Rotates every closed loop to the vertex that minimises the travel in and out of it.
fn best_start_vertices(runs: &mut [Run], start: PointMm) {
    for i in 0..runs.len() {
        if !runs[i].closed {
            continue;
        }
        let prev = if i == 0 { start } else { runs[i - 1].exit() };
        let next = runs.get(i + 1).map(Run::entry);
        let cost = |p: PointMm| prev.distance_to(p) + next.map_or(0.0, |q| p.distance_to(q));
        let (mut best, mut best_cost) = (0, cost(runs[i].points[0]));
        for (v, p) in runs[i].points.iter().enumerate() {
            let c = cost(*p);
            if c < best_cost - 1e-12 {
                best = v;
                best_cost = c;
            }
        }
        runs[i].rotate_start(best);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Run {
        let p = PointMm::new;
        Run::lit_polyline(
            vec![
                p(x0, y0),
                p(x0 + s, y0),
                p(x0 + s, y0 + s),
                p(x0, y0 + s),
                p(x0, y0),
            ],
            true,
        )
    }

    fn size(r: &Run) -> f64 {
        let xs = r.points.iter().map(|p| p.x);
        xs.clone().fold(f64::MIN, f64::max) - xs.fold(f64::MAX, f64::min)
    }

    #[test]
    fn holes_are_cut_before_the_part() {
        let runs = vec![
            square(0.0, 0.0, 100.0),
            square(10.0, 10.0, 5.0),
            square(50.0, 50.0, 30.0),
            square(60.0, 60.0, 5.0),
        ];
        for optimize in [true, false] {
            let opts = OrderOptions {
                optimize,
                ..Default::default()
            };
            let out = order_runs(runs.clone(), PointMm::new(0.0, 0.0), &opts);
            assert_eq!(out.len(), 4);
            let idx = |s: f64| out.iter().position(|r| (size(r) - s).abs() < 1e-9).unwrap();
            assert!(idx(30.0) < idx(100.0));
            let small_inner = out
                .iter()
                .position(|r| r.points.iter().any(|p| p.x == 60.0))
                .unwrap();
            let small_outer = out
                .iter()
                .position(|r| r.points.iter().any(|p| p.x == 10.0))
                .unwrap();
            assert!(small_inner < idx(30.0));
            assert!(small_outer < idx(100.0));
        }
    }

    /// A random field of parts with holes: every hole precedes its part, whatever the moves did.
    #[test]
    fn precedence_survives_optimisation_on_many_nested_parts() {
        let mut seed = 99u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % 1000) as f64
        };
        let mut runs = Vec::new();
        for _ in 0..300 {
            let (x, y) = (rnd(), rnd());
            runs.push(square(x, y, 20.0));
            runs.push(square(x + 5.0, y + 5.0, 4.0));
            runs.push(Run::lit_polyline(
                vec![
                    PointMm::new(x + 12.0, y + 12.0),
                    PointMm::new(x + 15.0, y + 14.0),
                ],
                false,
            ));
        }
        let prec = Precedence::new(&runs, true);
        let out = order_runs(
            runs.clone(),
            PointMm::new(0.0, 0.0),
            &OrderOptions::default(),
        );
        assert_eq!(out.len(), runs.len());
        // Match output runs back to inputs by their point sets.
        let key = |r: &Run| {
            let mut v: Vec<(i64, i64)> = r
                .points
                .iter()
                .map(|p| ((p.x * 1e3) as i64, (p.y * 1e3) as i64))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let keys: Vec<_> = runs.iter().map(key).collect();
        let position: Vec<usize> = keys
            .iter()
            .map(|k| out.iter().position(|r| key(r) == *k).unwrap())
            .collect();
        for (child, parent) in prec.parent.iter().enumerate() {
            if let Some(p) = parent {
                assert!(
                    position[child] < position[*p],
                    "run {child} after its loop {p}"
                );
            }
        }
    }

    #[test]
    fn travel_is_shorter_than_input_order_on_a_shuffled_field() {
        let mut runs = Vec::new();
        let mut seed = 12345u64;
        for _ in 0..400 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let x = ((seed >> 33) % 300) as f64;
            let y = ((seed >> 13) % 300) as f64;
            runs.push(Run::lit_polyline(
                vec![PointMm::new(x, y), PointMm::new(x + 3.0, y + 1.0)],
                false,
            ));
        }
        let start = PointMm::new(0.0, 0.0);
        let before = travel_mm(&runs, start);
        let out = order_runs(runs.clone(), start, &OrderOptions::default());
        let after = travel_mm(&out, start);
        assert!(after < before / 5.0, "{after} vs {before}");
        let prec = Precedence::new(&runs, true);
        let items = runs
            .into_iter()
            .enumerate()
            .map(|(id, run)| Item { id, run })
            .collect();
        let nn_only: Vec<Run> = nearest_neighbour(items, &prec, start)
            .into_iter()
            .map(|i| i.run)
            .collect();
        assert!(
            after <= travel_mm(&nn_only, start) + 1e-9,
            "optimisation made it worse"
        );
        assert_eq!(out.len(), 400);
    }

    #[test]
    fn every_run_survives_ordering_unchanged_but_for_direction() {
        let runs = vec![
            square(0.0, 0.0, 10.0),
            square(20.0, 0.0, 10.0),
            square(2.0, 2.0, 3.0),
        ];
        let out = order_runs(
            runs.clone(),
            PointMm::new(100.0, 100.0),
            &OrderOptions::default(),
        );
        let total_in: f64 = runs.iter().map(Run::length).sum();
        let total_out: f64 = out.iter().map(Run::length).sum();
        assert!((total_in - total_out).abs() < 1e-9);
    }
}
