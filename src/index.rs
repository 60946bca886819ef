//! An R-tree of carriers for spatial queries.
//!
//! Each carrier is indexed by its anchor point ([`Location::anchor`]): the
//! point itself, or a footprint's surface point. Every query answers with
//! carrier positions (indexes into the caller's slice of carriers).
//!
//! The bulk-loaded carriers are packed: their anchors are sorted along a
//! Hilbert curve and cut into runs of 16 neighbours, and the R-tree
//! holds one entry per run (its bounding box). Sorting is a parallel integer
//! sort, so loading costs far less than building a tree of single points,
//! and a query reads a few contiguous runs instead of chasing one leaf per
//! carrier. Carriers inserted later go to a second, ordinary R-tree of
//! points; a removed packed carrier is marked in place.
//!
//! Distances are great-circle distances on the sphere of geo's
//! [`Haversine`] measure (radius 6,371,008.8 m). Radius and nearest queries
//! are exact with respect to that distance: both visit only the boxes of the
//! tree that a proven lower bound on their distance does not rule out (a
//! nearest query in the order of that bound), and every candidate is
//! measured with [`Haversine`].
//!
//! [`Location::anchor`]: crate::Location::anchor

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition, Haversine, MultiPolygon, Point, Rect};
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::{Envelope, ParentNode, RTree, RTreeNode, RTreeObject, SelectionFunction, AABB};

use crate::carrier::Carriers;

/// Carriers per packed run.
const RUN: usize = 16;

/// Marks a removed packed carrier.
const REMOVED: u32 = u32::MAX;

/// A carrier inserted after the bulk load: (longitude, latitude) with its
/// position.
type Entry = GeomWithData<[f64; 2], u32>;

/// A run of packed carriers: `start..start + len` in the packed arrays.
#[derive(Debug, Clone)]
struct Run {
    envelope: AABB<[f64; 2]>,
    start: u32,
    len: u32,
}

impl RTreeObject for Run {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// An R-tree over the anchor points of carriers.
#[derive(Debug, Clone, Default)]
pub struct CarrierIndex {
    /// Bulk-loaded anchors in Hilbert order, and their positions
    /// ([`REMOVED`] once removed).
    points: Vec<[f64; 2]>,
    positions: Vec<u32>,
    runs: RTree<Run>,
    /// Packed carriers not removed.
    packed_len: usize,
    /// Carriers inserted since the bulk load.
    added: RTree<Entry>,
}

/// A carrier found by a distance query, with its distance from the centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// The carrier's position in the indexed slice.
    pub position: u32,
    /// Great-circle distance in metres.
    pub distance_m: f64,
}

impl CarrierIndex {
    /// Bulk-loads the anchors of `carriers`; position `i` is carrier `i`.
    /// Carriers without a location are left out. Runs on rayon's thread
    /// pool.
    pub fn new(carriers: &Carriers) -> CarrierIndex {
        CarrierIndex::from_points(carriers.anchors())
    }

    /// Bulk-loads points (longitude, latitude); position `i` is `points[i]`.
    /// Points with a coordinate that is not finite (carriers without a
    /// location) are left out.
    ///
    /// # Panics
    ///
    /// When there are `u32::MAX` points or more.
    pub fn from_points(points: &[Coord]) -> CarrierIndex {
        assert!(
            points.len() < REMOVED as usize,
            "too many points for one index"
        );
        let anchor = |i: usize| [points[i].x, points[i].y];
        let located = |i: &usize| points[*i].x.is_finite() && points[*i].y.is_finite();
        let all = || (0..points.len()).into_par_iter().filter(located);
        let curve = Hilbert::over(all().map(anchor));
        let mut keys: Vec<u64> = all()
            .map(|i| (curve.key(anchor(i)) << 32) | i as u64)
            .collect();
        keys.par_sort_unstable();
        let positions: Vec<u32> = keys.par_iter().map(|&key| key as u32).collect();
        drop(keys);
        let points: Vec<[f64; 2]> = positions.par_iter().map(|&i| anchor(i as usize)).collect();
        let runs = points
            .par_chunks(RUN)
            .enumerate()
            .map(|(i, run)| Run {
                envelope: AABB::from_points(run),
                start: (i * RUN) as u32,
                len: run.len() as u32,
            })
            .collect();
        CarrierIndex {
            packed_len: points.len(),
            points,
            positions,
            runs: RTree::bulk_load(runs),
            added: RTree::new(),
        }
    }

    /// Number of indexed carriers.
    pub fn len(&self) -> usize {
        self.packed_len + self.added.size()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the carrier at `position`, whose anchor is `anchor`.
    pub fn insert(&mut self, position: u32, anchor: Point) {
        self.added.insert(Entry::new(xy(anchor), position));
    }

    /// Removes the carrier at `position`, whose anchor is `anchor` (the one
    /// it was indexed with: it locates the entry). Returns whether it was
    /// indexed.
    pub fn remove(&mut self, position: u32, anchor: Point) -> bool {
        let at = xy(anchor);
        if self.added.remove(&Entry::new(at, position)).is_some() {
            return true;
        }
        let found = self
            .runs
            .locate_in_envelope_intersecting(&AABB::from_point(at))
            .flat_map(|run| run.range())
            .find(|&i| self.positions[i] == position && self.points[i] == at);
        if let Some(i) = found {
            self.positions[i] = REMOVED;
            self.packed_len -= 1;
        }
        found.is_some()
    }

    /// Carriers whose anchor lies in the closed rectangle `rect`, by position.
    pub fn in_rect(&self, rect: Rect) -> Vec<u32> {
        let mut found: Vec<u32> = self.in_envelope(envelope(rect)).map(|(_, i)| i).collect();
        found.sort_unstable();
        found
    }

    /// Carriers whose anchor lies in the closed region `shape` (its border
    /// included), by position.
    pub fn in_region(&self, shape: &MultiPolygon) -> Vec<u32> {
        let Some(rect) = geo::BoundingRect::bounding_rect(shape) else {
            return Vec::new();
        };
        let mut found: Vec<u32> = self
            .in_envelope(envelope(rect))
            .filter(|(p, _)| {
                shape.coordinate_position(&Coord { x: p[0], y: p[1] }) != CoordPos::Outside
            })
            .map(|(_, i)| i)
            .collect();
        found.sort_unstable();
        found
    }

    /// Carriers within `radius_m` metres of `centre` (distance ≤ radius), by
    /// increasing distance, ties by position.
    pub fn within_radius(&self, centre: Point, radius_m: f64) -> Vec<Neighbour> {
        let from = Distances::new(centre);
        let bound = LowerBound::from(centre);
        let near = Near {
            bound: &bound,
            radius_m,
        };
        let packed = self
            .runs
            .locate_with_selection_function(near)
            .flat_map(|run| run.range())
            .map(|i| (self.points[i], self.positions[i]))
            .filter(|(p, i)| *i != REMOVED && bound.to_point(*p) <= radius_m);
        let added = self
            .added
            .locate_with_selection_function(near)
            .map(|e| (*e.geom(), e.data));
        let mut found: Vec<Neighbour> = packed
            .chain(added)
            .filter_map(|(p, position)| {
                let distance_m = from.distance(p);
                (distance_m <= radius_m).then_some(Neighbour {
                    position,
                    distance_m,
                })
            })
            .collect();
        // Distances are never negative, so their bits sort as they do.
        found.sort_unstable_by_key(|n| (n.distance_m.to_bits(), n.position));
        found
    }

    /// The `k` carriers nearest to `centre`, by increasing distance, ties by
    /// position (so the answer is unique).
    ///
    /// Boxes of the tree are visited in the order of a lower bound on the
    /// distance to anything inside them, and the search stops when that bound
    /// exceeds the k-th distance found.
    pub fn nearest(&self, centre: Point, k: usize) -> Vec<Neighbour> {
        if k == 0 {
            return Vec::new();
        }
        let mut best = Best::new(k);
        let bound = LowerBound::from(centre);
        let from = Distances::new(centre);
        let measure = |best: &mut Best, p: [f64; 2], position: u32| {
            if !best.beats(bound.to_point(p)) {
                return;
            }
            best.offer(from.distance(p), position);
        };
        best_first(self.runs.root(), &bound, &mut best, |run, best| {
            for i in run.range() {
                if self.positions[i] != REMOVED {
                    measure(best, self.points[i], self.positions[i]);
                }
            }
        });
        best_first(self.added.root(), &bound, &mut best, |entry, best| {
            measure(best, *entry.geom(), entry.data)
        });
        best.into_sorted()
    }

    /// Every carrier whose anchor lies in the closed box `env`.
    fn in_envelope(&self, env: AABB<[f64; 2]>) -> impl Iterator<Item = ([f64; 2], u32)> + '_ {
        let packed = self
            .runs
            .locate_in_envelope_intersecting(&env)
            .flat_map(|run| run.range())
            .map(|i| (self.points[i], self.positions[i]))
            .filter(move |(p, i)| *i != REMOVED && env.contains_point(p));
        let added = self
            .added
            .locate_in_envelope(&env)
            .map(|e| (*e.geom(), e.data));
        packed.chain(added)
    }
}

impl Run {
    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

fn xy(p: Point) -> [f64; 2] {
    [p.x(), p.y()]
}

fn envelope(rect: Rect) -> AABB<[f64; 2]> {
    AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
}

fn by_distance(a: f64, a_position: u32, b: f64, b_position: u32) -> Ordering {
    a.total_cmp(&b).then(a_position.cmp(&b_position))
}

/// Haversine distances from one centre.
struct Distances {
    lon: f64,
    lat: f64,
    cos_lat: f64,
}

impl Distances {
    fn new(centre: Point) -> Self {
        Distances {
            lon: centre.x(),
            lat: centre.y(),
            cos_lat: centre.y().to_radians().cos(),
        }
    }

    /// Exactly `Haversine.distance(centre, p)`: the same operations in the
    /// same order, with the centre's cosine computed once.
    fn distance(&self, p: [f64; 2]) -> f64 {
        let delta_theta = (p[1] - self.lat).to_radians();
        let delta_lambda = (p[0] - self.lon).to_radians();
        let a = (delta_theta / 2.0).sin().powi(2)
            + self.cos_lat * p[1].to_radians().cos() * (delta_lambda / 2.0).sin().powi(2);
        Haversine.radius() * (2.0 * a.sqrt().asin())
    }
}

/// Keys along a Hilbert curve of 2^16 × 2^16 cells over a bounding box.
struct Hilbert {
    min: [f64; 2],
    scale: [f64; 2],
}

impl Hilbert {
    const SIDE: u32 = 1 << 16;

    fn over(points: impl ParallelIterator<Item = [f64; 2]>) -> Hilbert {
        let (min, max) = points.map(|p| (p, p)).reduce(
            || ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(a, b), (c, d)| {
                (
                    [a[0].min(c[0]), a[1].min(c[1])],
                    [b[0].max(d[0]), b[1].max(d[1])],
                )
            },
        );
        let scale = |axis: usize| {
            let span = max[axis] - min[axis];
            if span > 0.0 {
                f64::from(Self::SIDE - 1) / span
            } else {
                0.0
            }
        };
        Hilbert {
            min,
            scale: [scale(0), scale(1)],
        }
    }

    /// The distance along the curve of the cell that holds `p`
    /// (the classic `xy2d` walk, one quadrant per bit).
    fn key(&self, p: [f64; 2]) -> u64 {
        // `as` saturates, so a point off the box lands in an edge cell.
        let cell = |axis: usize| ((p[axis] - self.min[axis]) * self.scale[axis]) as u32;
        let (mut x, mut y) = (cell(0).min(Self::SIDE - 1), cell(1).min(Self::SIDE - 1));
        let mut d = 0u64;
        let mut s = Self::SIDE / 2;
        while s > 0 {
            let rx = u32::from(x & s > 0);
            let ry = u32::from(y & s > 0);
            d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
            if ry == 0 {
                if rx == 1 {
                    x = Self::SIDE - 1 - x;
                    y = Self::SIDE - 1 - y;
                }
                std::mem::swap(&mut x, &mut y);
            }
            s /= 2;
        }
        d
    }
}

/// A lower bound on the haversine distance from a centre to any point in a
/// longitude/latitude box, from cheap polynomials: sin x ≥ x − x³/6 and
/// cos x ≥ 1 − x²/2 for x ≥ 0, and asin x ≥ x.
struct LowerBound {
    x: f64,
    y: f64,
    cos_y: f64,
}

impl From<Point> for LowerBound {
    fn from(centre: Point) -> Self {
        LowerBound {
            x: centre.x(),
            y: centre.y(),
            cos_y: centre.y().to_radians().cos(),
        }
    }
}

impl LowerBound {
    fn to_box(&self, lower: [f64; 2], upper: [f64; 2]) -> f64 {
        let gap = |v: f64, lo: f64, hi: f64| (lo - v).max(v - hi).max(0.0);
        let dx = gap(self.x, lower[0], upper[0]);
        let dy = gap(self.y, lower[1], upper[1]);
        // Beyond half a turn in longitude the sine term shrinks again.
        let far_x = (self.x - lower[0]).abs().max((self.x - upper[0]).abs());
        let half_sin = |d: f64| {
            let h = d.to_radians() / 2.0;
            (h - h * h * h / 6.0).max(0.0)
        };
        let polar = lower[1].abs().max(upper[1].abs()).to_radians();
        let cos_far = (1.0 - polar * polar / 2.0).max(0.0);
        let lon = if far_x > 180.0 {
            0.0
        } else {
            self.cos_y.max(0.0) * cos_far * half_sin(dx).powi(2)
        };
        let a = half_sin(dy).powi(2) + lon;
        2.0 * Haversine.radius() * a.sqrt() * (1.0 - 1e-9)
    }

    fn to_point(&self, p: [f64; 2]) -> f64 {
        self.to_box(p, p)
    }

    fn to_envelope(&self, env: &AABB<[f64; 2]>) -> f64 {
        self.to_box(env.lower(), env.upper())
    }
}

/// Selects the tree boxes that may hold a point within `radius_m` of the
/// centre of `bound`.
#[derive(Clone, Copy)]
struct Near<'a> {
    bound: &'a LowerBound,
    radius_m: f64,
}

impl<T: RTreeObject<Envelope = AABB<[f64; 2]>>> SelectionFunction<T> for Near<'_> {
    fn should_unpack_parent(&self, envelope: &AABB<[f64; 2]>) -> bool {
        self.bound.to_envelope(envelope) <= self.radius_m
    }

    fn should_unpack_leaf(&self, leaf: &T) -> bool {
        self.bound.to_envelope(&leaf.envelope()) <= self.radius_m
    }
}

/// The `k` best (distance, position) pairs seen so far.
struct Best {
    k: usize,
    heap: BinaryHeap<Found>,
}

#[derive(PartialEq)]
struct Found(f64, u32);

impl Eq for Found {}

impl Ord for Found {
    fn cmp(&self, other: &Self) -> Ordering {
        by_distance(self.0, self.1, other.0, other.1)
    }
}

impl PartialOrd for Found {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Best {
    fn new(k: usize) -> Best {
        Best {
            k,
            heap: BinaryHeap::with_capacity(k.min(1024) + 1),
        }
    }

    /// Whether something at distance `lower_bound` or more could still be
    /// among the best: an equal distance can win on position.
    fn beats(&self, lower_bound: f64) -> bool {
        self.heap.len() < self.k || self.heap.peek().is_some_and(|w| lower_bound <= w.0)
    }

    fn offer(&mut self, distance_m: f64, position: u32) {
        let found = Found(distance_m, position);
        if self.heap.len() < self.k {
            self.heap.push(found);
        } else if self.heap.peek().is_some_and(|worst| found < *worst) {
            self.heap.pop();
            self.heap.push(found);
        }
    }

    fn into_sorted(self) -> Vec<Neighbour> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Found(distance_m, position)| Neighbour {
                position,
                distance_m,
            })
            .collect()
    }
}

/// A node waiting in the best-first queue, nearest bound first.
struct Queued<'a, T: RTreeObject>(f64, &'a RTreeNode<T>);

impl<T: RTreeObject> PartialEq for Queued<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0).is_eq()
    }
}

impl<T: RTreeObject> Eq for Queued<'_, T> {}

impl<T: RTreeObject> Ord for Queued<'_, T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0)
    }
}

impl<T: RTreeObject> PartialOrd for Queued<'_, T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Visits the leaves of the tree under `root` nearest first, while they can
/// still improve `best`.
fn best_first<T: RTreeObject<Envelope = AABB<[f64; 2]>>>(
    root: &ParentNode<T>,
    bound: &LowerBound,
    best: &mut Best,
    mut visit: impl FnMut(&T, &mut Best),
) {
    let mut queue = BinaryHeap::new();
    for child in root.children() {
        queue.push(Queued(bound.to_envelope(&child.envelope()), child));
    }
    while let Some(Queued(lower, node)) = queue.pop() {
        if !best.beats(lower) {
            break;
        }
        match node {
            RTreeNode::Leaf(item) => visit(item, best),
            RTreeNode::Parent(parent) => {
                for child in parent.children() {
                    let lower = bound.to_envelope(&child.envelope());
                    if best.beats(lower) {
                        queue.push(Queued(lower, child));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carrier::{Carrier, CarrierId, Kind, Location};
    use crate::datum::Datum;
    use geo::Distance;

    fn anywhere(rng: &mut crate::synthetic::SplitMix64) -> [f64; 2] {
        [
            rng.next_f64() * 360.0 - 180.0,
            rng.next_f64() * 180.0 - 90.0,
        ]
    }

    #[test]
    fn distances_equal_geos_haversine_bit_for_bit() {
        let mut rng = crate::synthetic::SplitMix64::new(5);
        for _ in 0..100_000 {
            let (c, p) = (anywhere(&mut rng), anywhere(&mut rng));
            let centre = Point::from(c);
            assert_eq!(
                Distances::new(centre).distance(p).to_bits(),
                Haversine.distance(centre, Point::from(p)).to_bits(),
                "{c:?} {p:?}"
            );
        }
    }

    #[test]
    fn lower_bounds_never_exceed_the_distance() {
        let mut rng = crate::synthetic::SplitMix64::new(6);
        for _ in 0..100_000 {
            let (c, p, q) = (anywhere(&mut rng), anywhere(&mut rng), anywhere(&mut rng));
            let lower = [p[0].min(q[0]), p[1].min(q[1])];
            let upper = [p[0].max(q[0]), p[1].max(q[1])];
            let bound = LowerBound::from(Point::from(c)).to_box(lower, upper);
            let (s, t) = (rng.next_f64(), rng.next_f64());
            let inside = [
                lower[0] + s * (upper[0] - lower[0]),
                lower[1] + t * (upper[1] - lower[1]),
            ];
            // The box's nearest point to the centre when it lies on an edge.
            let edge = [
                c[0].clamp(lower[0], upper[0]),
                c[1].clamp(lower[1], upper[1]),
            ];
            for point in [p, q, [p[0], q[1]], [q[0], p[1]], inside, edge] {
                let d = Haversine.distance(Point::from(c), Point::from(point));
                assert!(
                    bound <= d,
                    "{c:?} to box {lower:?} {upper:?}: {bound} > {d}"
                );
            }
        }
    }

    fn at(i: usize, x: f64, y: f64) -> Carrier {
        Carrier {
            id: CarrierId::new(format!("c{i}")).unwrap(),
            name: None,
            kind: Kind::Incubator,
            category: None,
            level: None,
            floor_area_m2: 1.0,
            enterprises: 0,
            tech_enterprises: 0,
            opened: None,
            closed: None,
            overlay: None,
            district: None,
            location: Some(Location::Point(Point::new(x, y))),
        }
    }

    #[test]
    fn radius_and_nearest_cross_the_antimeridian_and_the_pole() {
        // A lattice around the antimeridian on the equator and around the
        // north pole.
        let mut carriers = Vec::new();
        for i in 0..40 {
            for j in 0..40 {
                let (u, v) = (i as f64 / 40.0, j as f64 / 40.0);
                carriers.push(at(carriers.len(), -180.0 + 360.0 * u, -0.5 + v));
                carriers.push(at(carriers.len(), -180.0 + 360.0 * u, 89.0 + v));
            }
        }
        let carriers = Carriers::from_records(Datum::Wgs84, carriers);
        let index = CarrierIndex::new(&carriers);
        for (centre, radius) in [
            (Point::new(179.99, 0.0), 60_000.0),
            (Point::new(-179.99, 0.2), 30_000.0),
            (Point::new(10.0, 89.99), 150_000.0),
        ] {
            let mut expected: Vec<(u64, u32)> = carriers
                .iter()
                .enumerate()
                .map(|(i, c)| (Haversine.distance(centre, c.anchor().unwrap()), i as u32))
                .filter(|(d, _)| *d <= radius)
                .map(|(d, i)| (d.to_bits(), i))
                .collect();
            expected.sort_unstable();
            let found: Vec<(u64, u32)> = index
                .within_radius(centre, radius)
                .iter()
                .map(|n| (n.distance_m.to_bits(), n.position))
                .collect();
            assert!(expected.len() > 10, "{centre:?}: {}", expected.len());
            assert_eq!(found, expected, "{centre:?}");
            let nearest: Vec<(u64, u32)> = index
                .nearest(centre, 10)
                .iter()
                .map(|n| (n.distance_m.to_bits(), n.position))
                .collect();
            assert_eq!(nearest, expected[..10], "{centre:?}");
        }
    }
}
