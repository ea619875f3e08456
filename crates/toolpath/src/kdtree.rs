//! A static 2-d tree over points, for nearest-neighbour queries that skip removed items and
//! for k-nearest lists. Unlike a uniform grid it stays fast when points pile up (text, fills).

use std::collections::BinaryHeap;

use crate::model::PointMm;

#[derive(Debug, Clone, Copy)]
struct Entry {
    p: PointMm,
    id: u32,
    tag: u32,
}

pub(crate) struct KdTree {
    /// Points in implicit-tree order: the node for range [lo, hi) is at (lo + hi) / 2 and
    /// splits on x at even depth, y at odd depth.
    pts: Vec<Entry>,
    /// Alive points in the subtree whose node is at this index.
    alive: Vec<u32>,
    /// Indices into `pts` of each id's points.
    by_id: Vec<Vec<u32>>,
    /// Whether each id takes part in nearest-neighbour queries.
    id_alive: Vec<bool>,
}

#[derive(PartialEq)]
struct Cand(f64, u32);
impl Eq for Cand {}
impl PartialOrd for Cand {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Cand {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl KdTree {
    /// Builds the tree over `(point, id, tag)` entries; ids must be below `n_ids`.
    pub fn new(entries: Vec<(PointMm, u32, u32)>, n_ids: usize) -> Self {
        let mut pts: Vec<Entry> = entries
            .into_iter()
            .map(|(p, id, tag)| Entry { p, id, tag })
            .collect();
        build(&mut pts, 0);
        let n = pts.len();
        let mut alive = vec![0u32; n];
        count(&mut alive, 0, n);
        let mut by_id = vec![Vec::new(); n_ids];
        for (i, e) in pts.iter().enumerate() {
            if let Some(v) = by_id.get_mut(e.id as usize) {
                v.push(i as u32);
            }
        }
        let id_alive = vec![true; n_ids];
        Self {
            pts,
            alive,
            by_id,
            id_alive,
        }
    }

    /// Takes every point of `id` out of (or back into) nearest-neighbour results.
    pub fn set_alive(&mut self, id: u32, alive: bool) {
        let Some(flag) = self.id_alive.get_mut(id as usize) else {
            return;
        };
        if *flag == alive {
            return;
        }
        *flag = alive;
        let n = self.pts.len();
        for &idx in &self.by_id[id as usize] {
            let (mut lo, mut hi) = (0usize, n);
            let idx = idx as usize;
            while lo < hi {
                let mid = (lo + hi) / 2;
                if alive {
                    self.alive[mid] += 1;
                } else {
                    self.alive[mid] = self.alive[mid].saturating_sub(1);
                }
                if idx == mid {
                    break;
                }
                if idx < mid {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
        }
    }

    /// The nearest point not removed: its id and tag.
    pub fn nearest(&self, p: PointMm) -> Option<(u32, u32)> {
        let mut best: Option<(f64, usize)> = None;
        self.nearest_in(p, 0, self.pts.len(), 0, &mut best);
        best.map(|(_, i)| (self.pts[i].id, self.pts[i].tag))
    }

    fn nearest_in(
        &self,
        p: PointMm,
        lo: usize,
        hi: usize,
        depth: usize,
        best: &mut Option<(f64, usize)>,
    ) {
        if lo >= hi {
            return;
        }
        let mid = (lo + hi) / 2;
        if self.alive[mid] == 0 {
            return;
        }
        let e = &self.pts[mid];
        // The node itself is alive when its subtree count exceeds its children's.
        let children = child_alive(&self.alive, lo, mid) + child_alive(&self.alive, mid + 1, hi);
        if self.alive[mid] > children {
            let d = dist2(p, e.p);
            if best.is_none_or(|(b, _)| d < b) {
                *best = Some((d, mid));
            }
        }
        let diff = if depth.is_multiple_of(2) {
            p.x - e.p.x
        } else {
            p.y - e.p.y
        };
        let (near, far) = if diff < 0.0 {
            ((lo, mid), (mid + 1, hi))
        } else {
            ((mid + 1, hi), (lo, mid))
        };
        self.nearest_in(p, near.0, near.1, depth + 1, best);
        if best.is_none_or(|(b, _)| diff * diff < b) {
            self.nearest_in(p, far.0, far.1, depth + 1, best);
        }
    }

    /// Up to `k` distinct ids with points nearest to any of `points` (removals ignored).
    pub fn k_nearest_ids(&self, points: &[PointMm], k: usize) -> Vec<u32> {
        // Two ends per id: 2k + 2 points cover k distinct ids in all but odd cases.
        let m = 2 * k + 2;
        let mut found: Vec<(f64, u32)> = Vec::new();
        for &p in points {
            let mut heap: BinaryHeap<Cand> = BinaryHeap::with_capacity(m + 1);
            self.knn_in(p, 0, self.pts.len(), 0, m, &mut heap);
            found.extend(heap.into_iter().map(|c| (c.0, self.pts[c.1 as usize].id)));
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: Vec<u32> = Vec::with_capacity(k);
        for (_, id) in found {
            if !out.contains(&id) {
                out.push(id);
                if out.len() == k {
                    break;
                }
            }
        }
        out
    }

    fn knn_in(
        &self,
        p: PointMm,
        lo: usize,
        hi: usize,
        depth: usize,
        m: usize,
        heap: &mut BinaryHeap<Cand>,
    ) {
        if lo >= hi {
            return;
        }
        let mid = (lo + hi) / 2;
        let e = &self.pts[mid];
        let d = dist2(p, e.p);
        if heap.len() < m {
            heap.push(Cand(d, mid as u32));
        } else if heap.peek().is_some_and(|w| d < w.0) {
            heap.pop();
            heap.push(Cand(d, mid as u32));
        }
        let diff = if depth.is_multiple_of(2) {
            p.x - e.p.x
        } else {
            p.y - e.p.y
        };
        let (near, far) = if diff < 0.0 {
            ((lo, mid), (mid + 1, hi))
        } else {
            ((mid + 1, hi), (lo, mid))
        };
        self.knn_in(p, near.0, near.1, depth + 1, m, heap);
        if heap.len() < m || heap.peek().is_some_and(|w| diff * diff < w.0) {
            self.knn_in(p, far.0, far.1, depth + 1, m, heap);
        }
    }
}

fn child_alive(alive: &[u32], lo: usize, hi: usize) -> u32 {
    if lo >= hi { 0 } else { alive[(lo + hi) / 2] }
}

fn dist2(a: PointMm, b: PointMm) -> f64 {
    let (dx, dy) = (a.x - b.x, a.y - b.y);
    dx * dx + dy * dy
}

fn build(pts: &mut [Entry], depth: usize) {
    if pts.len() <= 1 {
        return;
    }
    let mid = pts.len() / 2;
    if depth.is_multiple_of(2) {
        pts.select_nth_unstable_by(mid, |a, b| a.p.x.total_cmp(&b.p.x));
    } else {
        pts.select_nth_unstable_by(mid, |a, b| a.p.y.total_cmp(&b.p.y));
    }
    let (left, right) = pts.split_at_mut(mid);
    build(left, depth + 1);
    build(&mut right[1..], depth + 1);
}

fn count(alive: &mut [u32], lo: usize, hi: usize) -> u32 {
    if lo >= hi {
        return 0;
    }
    let mid = (lo + hi) / 2;
    let c = 1 + count(alive, lo, mid) + count(alive, mid + 1, hi);
    alive[mid] = c;
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 11) as f64) / ((1u64 << 53) as f64) * 100.0
    }

    #[test]
    fn nearest_with_removals_matches_brute_force() {
        let mut seed = 7;
        let pts: Vec<PointMm> = (0..500)
            .map(|_| PointMm::new(lcg(&mut seed), lcg(&mut seed)))
            .collect();
        // Two points per id.
        let entries: Vec<_> = pts
            .iter()
            .enumerate()
            .map(|(i, p)| (*p, (i / 2) as u32, i as u32))
            .collect();
        let mut tree = KdTree::new(entries, 250);
        let mut removed = vec![false; 250];
        for step in 0..250 {
            let q = PointMm::new(lcg(&mut seed), lcg(&mut seed));
            let brute = pts
                .iter()
                .enumerate()
                .filter(|(i, _)| !removed[i / 2])
                .min_by(|a, b| dist2(q, *a.1).total_cmp(&dist2(q, *b.1)))
                .map(|(i, _)| i);
            let got = tree.nearest(q);
            let (id, tag) = got.unwrap();
            let want = brute.unwrap();
            assert!(
                (dist2(q, pts[tag as usize]) - dist2(q, pts[want])).abs() < 1e-12,
                "step {step}"
            );
            removed[id as usize] = true;
            tree.set_alive(id, false);
        }
        assert_eq!(tree.nearest(PointMm::new(1.0, 1.0)), None);
        tree.set_alive(3, true);
        assert_eq!(
            tree.nearest(PointMm::new(1.0, 1.0)).map(|(id, _)| id),
            Some(3)
        );
    }

    #[test]
    fn k_nearest_ids_are_the_nearest_distinct_ids() {
        let entries: Vec<_> = (0..100)
            .map(|i| (PointMm::new(i as f64, 0.0), i as u32, 0))
            .collect();
        let tree = KdTree::new(entries, 100);
        let mut got = tree.k_nearest_ids(&[PointMm::new(50.2, 0.0)], 4);
        got.sort();
        assert_eq!(got, vec![49, 50, 51, 52]);
    }
}
