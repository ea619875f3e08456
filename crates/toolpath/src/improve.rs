//! Local search on an ordered tour: neighbour-list 2-opt (reverse a stretch) and Or-opt
//! (move one run), both keeping every run before its containing loop.

use crate::kdtree::KdTree;
use crate::model::PointMm;
use crate::order::{Item, Precedence};
use crate::run::Run;

/// Longest stretch of the tour one improving move may shift or reverse. Long moves cost
/// O(length) and rarely pay on laser jobs, whose neighbours in space are mostly neighbours in
/// the tour already.
const MAX_SPAN: usize = 1000;

/// Candidate partners for improving moves: the runs with ends nearest to each run's ends (by
/// run id), and to the start. Computed once; ends move little during improvement.
pub(crate) struct Neighbours {
    of: Vec<Vec<usize>>,
    of_start: Vec<usize>,
}

impl Neighbours {
    pub(crate) fn new(items: &[Item], start: PointMm, k: usize) -> Self {
        let n = items.len();
        let ends: Vec<(usize, [PointMm; 2])> = items
            .iter()
            .map(|it| (it.id, [it.entry(), it.exit()]))
            .collect();
        let tree = KdTree::new(
            ends.iter()
                .flat_map(|(id, e)| [(e[0], *id as u32, 0), (e[1], *id as u32, 1)])
                .collect(),
            n,
        );
        let mut of = vec![Vec::new(); n];
        for (id, e) in &ends {
            of[*id] = tree
                .k_nearest_ids(e, k)
                .into_iter()
                .map(|c| c as usize)
                .collect();
        }
        let of_start = tree
            .k_nearest_ids(&[start], k)
            .into_iter()
            .map(|c| c as usize)
            .collect();
        Self { of, of_start }
    }
}

/// Neighbour-list 2-opt on an open tour from `start`: reverse a stretch when that shortens the
/// two travel moves at its ends, unless the stretch holds a run and its containing loop.
pub(crate) fn two_opt(items: &mut [Item], prec: &Precedence, near: &Neighbours, start: PointMm) {
    let n = items.len();
    if n < 3 {
        return;
    }
    let mut pos_of_id: Vec<usize> = vec![0; n];
    for (p, it) in items.iter().enumerate() {
        pos_of_id[it.id] = p;
    }
    let d = |a: PointMm, b: PointMm| a.distance_to(b);
    for _round in 0..50 {
        let mut improved = false;
        for i in 0..n {
            let prev_exit = if i == 0 { start } else { items[i - 1].exit() };
            let cands = if i == 0 {
                &near.of_start
            } else {
                &near.of[items[i - 1].id]
            };
            let b_entry = items[i].entry();
            for &c in cands {
                let j = pos_of_id[c];
                if j <= i || j - i > MAX_SPAN {
                    continue;
                }
                let c_exit = items[j].exit();
                let (old_second, new_second) = match items.get(j + 1) {
                    Some(next) => (d(c_exit, next.entry()), d(b_entry, next.entry())),
                    None => (0.0, 0.0),
                };
                let gain = d(prev_exit, b_entry) + old_second - d(prev_exit, c_exit) - new_second;
                if gain <= 1e-9 || holds_a_family(&items[i..=j], prec, &pos_of_id, i, j) {
                    continue;
                }
                items[i..=j].reverse();
                for (p, it) in items.iter_mut().enumerate().take(j + 1).skip(i) {
                    it.run.reverse();
                    pos_of_id[it.id] = p;
                }
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
    }
}

/// True if a run and its containing loop both sit in positions `lo..=hi`.
fn holds_a_family(
    stretch: &[Item],
    prec: &Precedence,
    pos_of_id: &[usize],
    lo: usize,
    hi: usize,
) -> bool {
    stretch
        .iter()
        .any(|it| prec.parent[it.id].is_some_and(|p| (lo..=hi).contains(&pos_of_id[p])))
}

/// How a run enters a slot: as it is, reversed (open run), or from another vertex (loop).
#[derive(Debug, Clone, Copy)]
enum Placement {
    Keep,
    Flip,
    Vertex(usize),
}

/// The cheapest way to put `run` between `a` and `b`.
fn insertion_cost(run: &Run, a: PointMm, b: Option<PointMm>) -> (f64, Placement) {
    let cost = |e: PointMm, x: PointMm| a.distance_to(e) + b.map_or(0.0, |b| x.distance_to(b));
    if run.closed {
        let pts = &run.points;
        // Up to 32 candidate starts; the final best-start pass refines between them.
        let step = pts.len().div_ceil(32).max(1);
        let mut best = (f64::MAX, Placement::Keep);
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
    let keep = cost(run.entry(), run.exit());
    let flipped = cost(run.exit(), run.entry());
    if flipped < keep {
        (flipped, Placement::Flip)
    } else {
        (keep, Placement::Keep)
    }
}

/// Or-opt: move single runs to a better place between two near neighbours, re-choosing a loop's
/// start vertex or an open run's direction for its new neighbours, keeping inner runs first.
pub(crate) fn or_opt(items: &mut [Item], prec: &Precedence, near: &Neighbours, start: PointMm) {
    let n = items.len();
    if n < 3 {
        return;
    }
    for _round in 0..8 {
        let order: Vec<usize> = items.iter().map(|it| it.id).collect();
        let mut pos: Vec<usize> = vec![0; n];
        for (p, it) in items.iter().enumerate() {
            pos[it.id] = p;
        }
        let mut improved = false;
        for &x in &order {
            let i = pos[x];
            let exit_before =
                |items: &[Item], p: usize| if p == 0 { start } else { items[p - 1].exit() };
            let prev = exit_before(items, i);
            let next = items.get(i + 1).map(Item::entry);
            let removal_gain = prev.distance_to(items[i].entry())
                + next.map_or(0.0, |q| items[i].exit().distance_to(q))
                - next.map_or(0.0, |q| prev.distance_to(q));
            if removal_gain <= 1e-9 {
                continue;
            }
            // Where x may go: after all its inner runs, before its containing loop.
            let earliest = prec.children[x]
                .iter()
                .map(|&c| pos[c] + 1)
                .max()
                .unwrap_or(0);
            let latest = prec.parent[x].map_or(n, |p| pos[p]);
            let mut best: Option<(f64, usize, Placement)> = None;
            for &c in &near.of[x] {
                let j = pos[c];
                if j == i || j.abs_diff(i) > MAX_SPAN {
                    continue;
                }
                // Slot s is the gap before position s (between s - 1 and s).
                for slot in [j, j + 1] {
                    if slot == i || slot == i + 1 || slot < earliest || slot > latest {
                        continue;
                    }
                    let a = exit_before(items, slot);
                    let b = items.get(slot).map(Item::entry);
                    let (ins, how) = insertion_cost(&items[i].run, a, b);
                    let gain = removal_gain - (ins - b.map_or(0.0, |b| a.distance_to(b)));
                    if gain > 1e-9 && best.is_none_or(|(g, ..)| gain > g) {
                        best = Some((gain, slot, how));
                    }
                }
            }
            if let Some((_, slot, how)) = best {
                match how {
                    Placement::Keep => {}
                    Placement::Flip => items[i].run.reverse(),
                    Placement::Vertex(v) => items[i].run.rotate_start(v),
                }
                // Shift only the stretch between the old and new place: O(distance), not O(n).
                let to = if slot > i { slot - 1 } else { slot };
                if to > i {
                    items[i..=to].rotate_left(1);
                } else {
                    items[to..=i].rotate_right(1);
                }
                for (p, item) in items.iter().enumerate().take(i.max(to) + 1).skip(i.min(to)) {
                    pos[item.id] = p;
                }
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
}

/// Or-opt for chains of 2 or 3 consecutive runs: move the chain between two near neighbours,
/// forwards or reversed, when that shortens the tour and keeps inner runs first.
pub(crate) fn or_opt_chains(
    items: &mut [Item],
    prec: &Precedence,
    near: &Neighbours,
    start: PointMm,
) {
    let n = items.len();
    if n < 5 {
        return;
    }
    for _round in 0..2 {
        let mut pos: Vec<usize> = vec![0; n];
        for (p, it) in items.iter().enumerate() {
            pos[it.id] = p;
        }
        let mut improved = false;
        let mut i = 0;
        while i < n {
            let mut applied = false;
            for len in [2usize, 3] {
                let e = i + len - 1;
                if e >= n {
                    break;
                }
                let prev = if i == 0 { start } else { items[i - 1].exit() };
                let next = items.get(e + 1).map(Item::entry);
                let (c_in, c_out) = (items[i].entry(), items[e].exit());
                let removal_gain = prev.distance_to(c_in)
                    + next.map_or(0.0, |q| c_out.distance_to(q))
                    - next.map_or(0.0, |q| prev.distance_to(q));
                if removal_gain <= 1e-9 {
                    continue;
                }
                // A run and its loop inside the chain forbid reversing it.
                let family = (i..=e)
                    .any(|p| prec.parent[items[p].id].is_some_and(|q| (i..=e).contains(&pos[q])));
                let mut best: Option<(f64, usize, bool)> = None;
                for &c in near.of[items[i].id].iter().chain(&near.of[items[e].id]) {
                    let j = pos[c];
                    if (i..=e).contains(&j) || j.abs_diff(i) > MAX_SPAN {
                        continue;
                    }
                    for slot in [j, j + 1] {
                        if (i..=e + 1).contains(&slot)
                            || !chain_may_move(items, prec, &pos, i, e, slot)
                        {
                            continue;
                        }
                        let a = if slot == 0 {
                            start
                        } else {
                            items[slot - 1].exit()
                        };
                        let b = items.get(slot).map(Item::entry);
                        let base = b.map_or(0.0, |b| a.distance_to(b));
                        let keep = a.distance_to(c_in) + b.map_or(0.0, |b| c_out.distance_to(b));
                        let flip = a.distance_to(c_out) + b.map_or(0.0, |b| c_in.distance_to(b));
                        for (cost, reversed) in [(keep, false), (flip, true)] {
                            let gain = removal_gain - (cost - base);
                            if (!reversed || !family)
                                && gain > 1e-9
                                && best.is_none_or(|(g, ..)| gain > g)
                            {
                                best = Some((gain, slot, reversed));
                            }
                        }
                    }
                }
                if let Some((_, slot, reversed)) = best {
                    if reversed {
                        items[i..=e].reverse();
                        items[i..=e].iter_mut().for_each(|it| it.run.reverse());
                    }
                    if slot > e {
                        items[i..slot].rotate_left(len);
                    } else {
                        items[slot..=e].rotate_right(len);
                    }
                    for p in i.min(slot)..slot.max(e + 1).min(n) {
                        pos[items[p].id] = p;
                    }
                    improved = true;
                    applied = true;
                    break;
                }
            }
            if !applied {
                i += 1;
            }
        }
        if !improved {
            break;
        }
    }
}

/// Whether the chain `i..=e` may move to the gap before `slot` without passing its containing
/// loop (moving forwards) or one of its inner runs (moving backwards).
fn chain_may_move(
    items: &[Item],
    prec: &Precedence,
    pos: &[usize],
    i: usize,
    e: usize,
    slot: usize,
) -> bool {
    items[i..=e].iter().all(|it| {
        if slot > e {
            prec.parent[it.id].is_none_or(|p| !(e < pos[p] && pos[p] < slot))
        } else {
            prec.children[it.id]
                .iter()
                .all(|&c| !(slot <= pos[c] && pos[c] < i))
        }
    })
}
