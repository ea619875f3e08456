//! Path ordering: holes and small parts before the shapes that contain them, then travel
//! minimised (nearest neighbour on a grid, then neighbour-list 2-opt with reversals, then the
//! best start vertex of every closed loop).

use crate::kdtree::KdTree;
use crate::model::PointMm;
use crate::region::Region;
use crate::run::Run;
use crate::spatial::Grid;

/// Options for [`order_runs`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderOptions {
    /// Cut shapes inside closed loops before the loops. Default true.
    pub inner_first: bool,
    /// Minimise travel. Default true; false keeps the input order.
    pub optimize: bool,
    /// Neighbours examined per run by 2-opt. Default 10.
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

/// A unit of ordering: one run, or a closed loop with everything inside it (inner first).
struct Item {
    runs: Vec<Run>,
    /// Reversing it keeps it valid: a single run (a cluster's inner-first order can't flip).
    reversible: bool,
    flipped: bool,
}

impl Item {
    fn entry(&self) -> PointMm {
        if self.flipped {
            last(&self.runs).exit()
        } else {
            self.runs[0].entry()
        }
    }
    fn exit(&self) -> PointMm {
        if self.flipped {
            self.runs[0].entry()
        } else {
            last(&self.runs).exit()
        }
    }
    fn into_runs(mut self) -> Vec<Run> {
        if self.flipped {
            self.runs.reverse();
            self.runs.iter_mut().for_each(Run::reverse);
        }
        self.runs
    }
}

fn last(runs: &[Run]) -> &Run {
    &runs[runs.len() - 1]
}

/// Orders `runs` for a head starting at `start`. Returns the runs in cutting order (some
/// reversed, closed loops rotated to their best start vertex).
pub fn order_runs(runs: Vec<Run>, start: PointMm, opts: &OrderOptions) -> Vec<Run> {
    let runs: Vec<Run> = runs.into_iter().filter(|r| r.points.len() >= 2).collect();
    if runs.len() <= 1 {
        return runs;
    }
    order_level(runs, start, opts)
}

/// Orders one nesting level: every outermost closed loop becomes an item holding the runs
/// inside it (ordered by the same procedure, recursively) followed by the loop itself.
fn order_level(runs: Vec<Run>, start: PointMm, opts: &OrderOptions) -> Vec<Run> {
    let groups: Vec<(Run, Vec<Run>)> = if opts.inner_first {
        outermost_groups(runs)
    } else {
        runs.into_iter().map(|r| (r, Vec::new())).collect()
    };
    let items: Vec<Item> = groups
        .into_iter()
        .map(|(mut outer, inner)| {
            if inner.is_empty() {
                return Item {
                    runs: vec![outer],
                    reversible: true,
                    flipped: false,
                };
            }
            let mut runs = order_level(inner, outer.entry(), opts);
            let last_exit = last(&runs).exit();
            let nearest = outer
                .points
                .iter()
                .enumerate()
                .min_by(|a, b| {
                    last_exit
                        .distance_to(*a.1)
                        .total_cmp(&last_exit.distance_to(*b.1))
                })
                .map_or(0, |(i, _)| i);
            outer.rotate_start(nearest);
            runs.push(outer);
            Item {
                runs,
                reversible: false,
                flipped: false,
            }
        })
        .collect();
    if !opts.optimize {
        return items.into_iter().flat_map(Item::into_runs).collect();
    }
    let k = opts.neighbours.max(1);
    let mut items = nearest_neighbour(items, start);
    let mut last = tour_cost(&items, start);
    for _ in 0..4 {
        two_opt(&mut items, start, k);
        or_opt(&mut items, start, k);
        let cost = tour_cost(&items, start);
        if cost > last - 1e-6 * last.max(1.0) {
            break;
        }
        last = cost;
    }
    let mut out: Vec<Run> = items.into_iter().flat_map(Item::into_runs).collect();
    best_start_vertices(&mut out, start);
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

struct Bounds {
    lo: PointMm,
    hi: PointMm,
}

fn bounds(pts: &[PointMm]) -> Bounds {
    let mut b = Bounds {
        lo: PointMm::new(f64::MAX, f64::MAX),
        hi: PointMm::new(f64::MIN, f64::MIN),
    };
    for p in pts {
        b.lo = PointMm::new(b.lo.x.min(p.x), b.lo.y.min(p.y));
        b.hi = PointMm::new(b.hi.x.max(p.x), b.hi.y.max(p.y));
    }
    b
}

/// Vertices tested per run for containment.
const PROBES: usize = 5;

/// Splits runs into groups: each run not inside any closed loop, paired with every run whose
/// outermost container it is (holes, inner parts, engraving inside a part).
fn outermost_groups(runs: Vec<Run>) -> Vec<(Run, Vec<Run>)> {
    let n = runs.len();
    let bbs: Vec<Bounds> = runs.iter().map(|r| bounds(&r.points)).collect();
    let area = |b: &Bounds| (b.hi.x - b.lo.x) * (b.hi.y - b.lo.y);
    let loops: Vec<usize> = (0..n)
        .filter(|&i| runs[i].closed && area(&bbs[i]) > 0.0)
        .collect();
    let mut grid = Grid::new(loops.iter().map(|&i| (bbs[i].lo, bbs[i].hi)), loops.len());
    for (k, &i) in loops.iter().enumerate() {
        grid.insert_box(bbs[i].lo, bbs[i].hi, k as u32);
    }
    let mut regions: Vec<Option<Region>> = (0..loops.len()).map(|_| None).collect();
    let mut root: Vec<usize> = (0..n).collect();
    for i in 0..n {
        let b = &bbs[i];
        // Several vertices spread along the run, all of which must be inside: one vertex on a
        // shared border (neighbouring countries on a map) would decide by a coin flip.
        let pts = &runs[i].points;
        let probes: Vec<PointMm> = (0..PROBES)
            .map(|k| pts[k * (pts.len() - 1) / PROBES])
            .collect();
        let probe = probes[0];
        let mut outer: Option<(f64, usize)> = None;
        for k in grid.cell_entries(probe) {
            let j = loops[k as usize];
            let bj = &bbs[j];
            if j == i
                || area(bj) <= area(b)
                || outer.is_some_and(|(a, _)| area(bj) <= a)
                || bj.lo.x > b.lo.x
                || bj.lo.y > b.lo.y
                || bj.hi.x < b.hi.x
                || bj.hi.y < b.hi.y
            {
                continue;
            }
            let region = regions[k as usize].get_or_insert_with(|| {
                Region::new(
                    std::slice::from_ref(&runs[j].points),
                    burin_design::FillRule::EvenOdd,
                )
            });
            if probes.iter().all(|p| region.contains(*p)) {
                outer = Some((area(bj), j));
            }
        }
        if let Some((_, j)) = outer {
            root[i] = j;
        }
    }
    let mut slots: Vec<Option<Run>> = runs.into_iter().map(Some).collect();
    let mut inner: Vec<Vec<Run>> = vec![Vec::new(); n];
    for i in 0..n {
        if root[i] != i
            && let Some(r) = slots[i].take()
        {
            inner[root[i]].push(r);
        }
    }
    slots
        .into_iter()
        .zip(inner)
        .filter_map(|(outer, inner)| outer.map(|o| (o, inner)))
        .collect()
}

/// Greedy tour: from the head's position, always go to the nearest reachable point. A lone
/// closed loop may start at any vertex, a lone open run at either end; a group starts where its
/// inner order starts.
fn nearest_neighbour(items: Vec<Item>, start: PointMm) -> Vec<Item> {
    let n = items.len();
    let mut entries = Vec::new();
    for (c, it) in items.iter().enumerate() {
        let r = &it.runs[0];
        if it.runs.len() == 1 && r.closed {
            entries.extend(
                r.points
                    .iter()
                    .enumerate()
                    .map(|(v, p)| (*p, c as u32, v as u32)),
            );
        } else {
            entries.push((r.entry(), c as u32, 0));
            if it.runs.len() == 1 {
                entries.push((r.exit(), c as u32, u32::MAX));
            }
        }
    }
    let mut tree = KdTree::new(entries, n);
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut at = start;
    let mut out = Vec::with_capacity(n);
    while let Some((c, v)) = tree.nearest(at) {
        tree.remove_id(c);
        let Some(mut it) = slots[c as usize].take() else {
            break;
        };
        if it.runs.len() == 1 {
            if it.runs[0].closed {
                it.runs[0].rotate_start(v as usize);
            } else if v == u32::MAX {
                it.runs[0].reverse();
            }
        }
        at = it.exit();
        out.push(it);
    }
    out
}

/// Longest stretch of items 2-opt reverses in one move.
const MAX_REVERSAL: usize = 1000;

/// Neighbour-list 2-opt on an open tour from `start`: reverse a stretch when that shortens
/// the two travel moves at its ends. Only stretches of reversible items are reversed.
fn two_opt(items: &mut [Item], start: PointMm, k: usize) {
    let n = items.len();
    if n < 3 {
        return;
    }
    let mut nonrev_prefix = vec![0u32; n + 1];
    for i in 0..n {
        nonrev_prefix[i + 1] = nonrev_prefix[i] + u32::from(!items[i].reversible);
    }
    // Neighbours by proximity of endpoints (fixed ids: position in the initial tour).
    let ends: Vec<[PointMm; 2]> = items.iter().map(|it| [it.entry(), it.exit()]).collect();
    let entries = ends
        .iter()
        .enumerate()
        .flat_map(|(id, e)| [(e[0], id as u32, 0), (e[1], id as u32, 1)])
        .collect();
    let tree = KdTree::new(entries, n);
    let neighbours: Vec<Vec<u32>> = ends.iter().map(|e| tree.k_nearest_ids(e, k)).collect();
    let start_neighbours = tree.k_nearest_ids(&[start], k);

    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut pos: Vec<usize> = (0..n).collect();
    let mut items_by_id: Vec<&mut Item> = items.iter_mut().collect();

    let d = |a: PointMm, b: PointMm| a.distance_to(b);
    for _round in 0..50 {
        let mut improved = false;
        for i in 0..n {
            let prev_exit = if i == 0 {
                start
            } else {
                items_by_id[order[i - 1] as usize].exit()
            };
            let cands = if i == 0 {
                &start_neighbours
            } else {
                &neighbours[order[i - 1] as usize]
            };
            let b = order[i] as usize;
            let b_entry = items_by_id[b].entry();
            let old_first = d(prev_exit, b_entry);
            for &c in cands {
                let j = pos[c as usize];
                // Long reversals cost O(length) each and rarely pay on laser jobs, where
                // neighbours in space are mostly neighbours in the tour already.
                if j <= i || j - i > MAX_REVERSAL || nonrev_prefix[j + 1] - nonrev_prefix[i] != 0 {
                    continue;
                }
                let c_exit = items_by_id[c as usize].exit();
                let (old_second, new_second) = if j + 1 < n {
                    let next_entry = items_by_id[order[j + 1] as usize].entry();
                    (d(c_exit, next_entry), d(b_entry, next_entry))
                } else {
                    (0.0, 0.0)
                };
                let gain = old_first + old_second - d(prev_exit, c_exit) - new_second;
                if gain > 1e-9 {
                    order[i..=j].reverse();
                    for (p, &id) in order.iter().enumerate().take(j + 1).skip(i) {
                        pos[id as usize] = p;
                        let it = &mut items_by_id[id as usize];
                        it.flipped = !it.flipped;
                    }
                    improved = true;
                    break;
                }
            }
        }
        if !improved {
            break;
        }
    }
    // Apply the final order.
    drop(items_by_id);
    let mut taken: Vec<Option<Item>> = Vec::with_capacity(n);
    for it in items.iter_mut() {
        taken.push(Some(std::mem::replace(
            it,
            Item {
                runs: Vec::new(),
                reversible: true,
                flipped: false,
            },
        )));
    }
    for (p, &id) in order.iter().enumerate() {
        if let Some(it) = taken[id as usize].take() {
            items[p] = it;
        }
    }
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

/// How an item can be entered: fixed, either end (open run), or any vertex (closed loop).
fn insertion_cost(it: &Item, a: PointMm, b: Option<PointMm>) -> (f64, Placement) {
    let cost = |e: PointMm, x: PointMm| a.distance_to(e) + b.map_or(0.0, |b| x.distance_to(b));
    if it.runs.len() == 1 && it.runs[0].closed {
        let pts = &it.runs[0].points;
        let mut best = (f64::MAX, Placement::Keep);
        // Up to 32 candidate starts; the final best-start pass refines between them.
        let step = pts.len().div_ceil(32).max(1);
        for (v, p) in pts
            .iter()
            .enumerate()
            .take(pts.len().saturating_sub(1).max(1))
            .step_by(step)
        {
            let c = cost(*p, *p);
            if c < best.0 {
                best = (c, Placement::Vertex(v));
            }
        }
        return best;
    }
    let keep = cost(it.entry(), it.exit());
    if it.reversible {
        let flipped = cost(it.exit(), it.entry());
        if flipped < keep {
            return (flipped, Placement::Flip);
        }
    }
    (keep, Placement::Keep)
}

#[derive(Debug, Clone, Copy)]
enum Placement {
    Keep,
    Flip,
    Vertex(usize),
}

fn place_item(it: &mut Item, how: Placement) {
    match how {
        Placement::Keep => {}
        Placement::Flip => it.flipped = !it.flipped,
        Placement::Vertex(v) => {
            // A lone loop is never flipped in effect; normalise, then rotate.
            it.flipped = false;
            it.runs[0].rotate_start(v);
        }
    }
}

/// Or-opt: move single items to a better place between two near neighbours, re-choosing a
/// loop's start vertex (or an open run's direction) for its new neighbours. Works with groups
/// that 2-opt cannot reverse.
fn or_opt(items: &mut Vec<Item>, start: PointMm, k: usize) {
    let n = items.len();
    if n < 3 {
        return;
    }
    for _round in 0..8 {
        let ends: Vec<[PointMm; 2]> = items.iter().map(|it| [it.entry(), it.exit()]).collect();
        let entries = ends
            .iter()
            .enumerate()
            .flat_map(|(i, e)| [(e[0], i as u32, 0), (e[1], i as u32, 1)])
            .collect();
        let tree = KdTree::new(entries, n);
        // Stable ids for this round: the position at its start.
        let neighbours: Vec<Vec<u32>> = ends.iter().map(|e| tree.k_nearest_ids(e, k)).collect();
        let mut id_at: Vec<u32> = (0..n as u32).collect();
        let mut pos: Vec<usize> = (0..n).collect();
        let mut improved = false;
        for x in 0..n as u32 {
            let i = pos[x as usize];
            let exit_at =
                |items: &[Item], p: usize| if p == 0 { start } else { items[p - 1].exit() };
            let prev = exit_at(items, i);
            let next = items.get(i + 1).map(Item::entry);
            let removal_gain = prev.distance_to(items[i].entry())
                + next.map_or(0.0, |q| items[i].exit().distance_to(q))
                - next.map_or(0.0, |q| prev.distance_to(q));
            if removal_gain <= 1e-9 {
                continue;
            }
            let mut best: Option<(f64, usize, Placement)> = None;
            for &c in &neighbours[x as usize] {
                let j = pos[c as usize];
                if j == i || j.abs_diff(i) > MAX_REVERSAL {
                    continue;
                }
                // Slots are gaps before position `s` (between s - 1 and s) in the tour without x.
                for slot in [j, j + 1] {
                    if slot == i || slot == i + 1 {
                        continue;
                    }
                    let a = exit_at(items, slot);
                    let b = items.get(slot).map(Item::entry);
                    let (ins, how) = insertion_cost(&items[i], a, b);
                    let gain = removal_gain - (ins - b.map_or(0.0, |b| a.distance_to(b)));
                    if gain > 1e-9 && best.is_none_or(|(g, ..)| gain > g) {
                        best = Some((gain, slot, how));
                    }
                }
            }
            if let Some((_, slot, how)) = best {
                let mut it = items.remove(i);
                let ins = if slot > i { slot - 1 } else { slot };
                place_item(&mut it, how);
                items.insert(ins, it);
                let id = id_at.remove(i);
                id_at.insert(ins, id);
                for (p, &id) in id_at
                    .iter()
                    .enumerate()
                    .take(i.max(ins) + 1)
                    .skip(i.min(ins))
                {
                    pos[id as usize] = p;
                }
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
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

    #[test]
    fn holes_are_cut_before_the_part() {
        let runs = vec![
            square(0.0, 0.0, 100.0),
            square(10.0, 10.0, 5.0),
            square(50.0, 50.0, 30.0),
            square(60.0, 60.0, 5.0),
        ];
        let out = order_runs(runs, PointMm::new(0.0, 0.0), &OrderOptions::default());
        let size = |r: &Run| bounds(&r.points).hi.x - bounds(&r.points).lo.x;
        let idx = |s: f64| out.iter().position(|r| (size(r) - s).abs() < 1e-9).unwrap();
        assert!(idx(5.0) < idx(100.0));
        assert!(idx(30.0) < idx(100.0));
        assert_eq!(out.len(), 4);
        // The small square inside the 30 mm one goes before it.
        let small_inner = out
            .iter()
            .position(|r| r.points.iter().any(|p| p.x == 60.0))
            .unwrap();
        assert!(small_inner < idx(30.0));
    }

    #[test]
    fn travel_is_shorter_than_input_order_on_a_shuffled_grid() {
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
        let nn_only = {
            let items = runs
                .into_iter()
                .map(|r| Item {
                    runs: vec![r],
                    reversible: true,
                    flipped: false,
                })
                .collect();
            let items = nearest_neighbour(items, start);
            travel_mm(
                &items
                    .into_iter()
                    .flat_map(Item::into_runs)
                    .collect::<Vec<_>>(),
                start,
            )
        };
        assert!(
            after <= nn_only + 1e-9,
            "2-opt made it worse: {after} vs {nn_only}"
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
