//! A Run: one continuous stretch of laser motion between rapids, the unit that path ordering
//! moves around.

use crate::model::PointMm;

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub points: Vec<PointMm>,
    /// Per segment (`points.len() - 1`): laser on. Empty means every segment is lit. Unlit
    /// segments are fill links, travelled at feed speed with the laser off.
    pub lit: Vec<bool>,
    /// A closed loop (first point == last point): may start at any vertex.
    pub closed: bool,
}

impl Run {
    pub fn lit_polyline(points: Vec<PointMm>, closed: bool) -> Self {
        Self {
            points,
            lit: Vec::new(),
            closed,
        }
    }

    pub fn entry(&self) -> PointMm {
        self.points[0]
    }

    pub fn exit(&self) -> PointMm {
        self.points[self.points.len() - 1]
    }

    pub fn is_lit(&self, segment: usize) -> bool {
        self.lit.get(segment).copied().unwrap_or(true)
    }

    pub fn reverse(&mut self) {
        self.points.reverse();
        self.lit.reverse();
    }

    /// Makes a closed loop start (and end) at vertex `i`.
    pub fn rotate_start(&mut self, i: usize) {
        if !self.closed || i == 0 || i >= self.points.len() - 1 {
            return;
        }
        self.points.pop();
        self.points.rotate_left(i);
        let first = self.points[0];
        self.points.push(first);
    }

    pub fn length(&self) -> f64 {
        self.points.windows(2).map(|w| w[0].distance_to(w[1])).sum()
    }
}
