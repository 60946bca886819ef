//! An R-tree of carriers for spatial queries.
//!
//! Each carrier is indexed by its anchor point ([`Location::anchor`]): the
//! point itself, or a footprint's surface point. Every query answers with
//! carrier positions (indexes into the caller's slice of carriers).
//!
//! Distances are great-circle distances on the sphere of geo's
//! [`Haversine`] measure (radius 6,371,008.8 m). Radius and nearest queries
//! are exact with respect to that distance: a bounding box that provably holds
//! the whole circle is searched, and every candidate is measured.
//!
//! [`Location::anchor`]: crate::Location::anchor

use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition, Distance, Haversine, MultiPolygon, Point, Rect};
use rstar::primitives::GeomWithData;
use rstar::{RTree, AABB};

use crate::carrier::Carrier;

/// An indexed point: (longitude, latitude) with the carrier's position.
type Entry = GeomWithData<[f64; 2], u32>;

/// An R-tree over the anchor points of carriers.
#[derive(Debug, Clone, Default)]
pub struct CarrierIndex {
    tree: RTree<Entry>,
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
    /// Bulk-loads the anchors of `carriers`; position `i` is `carriers[i]`.
    ///
    /// # Panics
    ///
    /// When there are more than `u32::MAX` carriers.
    pub fn new(carriers: &[Carrier]) -> CarrierIndex {
        assert!(
            carriers.len() <= u32::MAX as usize,
            "too many carriers for one index"
        );
        let entries = carriers
            .iter()
            .enumerate()
            .map(|(i, c)| entry(i as u32, c.location.anchor()))
            .collect();
        CarrierIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Number of indexed carriers.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the carrier at `position`.
    pub fn insert(&mut self, position: u32, carrier: &Carrier) {
        self.tree.insert(entry(position, carrier.location.anchor()));
    }

    /// Removes the carrier at `position`; `carrier` must be the one that was
    /// inserted there (its anchor locates the entry). Returns whether it was
    /// indexed.
    pub fn remove(&mut self, position: u32, carrier: &Carrier) -> bool {
        self.tree
            .remove(&entry(position, carrier.location.anchor()))
            .is_some()
    }

    /// Carriers whose anchor lies in the closed rectangle `rect`, by position.
    pub fn in_rect(&self, rect: Rect) -> Vec<u32> {
        let mut found: Vec<u32> = self
            .tree
            .locate_in_envelope(&envelope(rect))
            .map(|e| e.data)
            .collect();
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
            .tree
            .locate_in_envelope(&envelope(rect))
            .filter(|e| {
                let c = Coord {
                    x: e.geom()[0],
                    y: e.geom()[1],
                };
                shape.coordinate_position(&c) != CoordPos::Outside
            })
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found
    }

    /// Carriers within `radius_m` metres of `centre` (distance ≤ radius), by
    /// increasing distance, ties by position.
    pub fn within_radius(&self, centre: Point, radius_m: f64) -> Vec<Neighbour> {
        let mut found: Vec<Neighbour> = self
            .tree
            .locate_in_envelope(&circle_envelope(centre, radius_m))
            .filter_map(|e| {
                let distance_m = Haversine.distance(centre, Point::from(*e.geom()));
                (distance_m <= radius_m).then_some(Neighbour {
                    position: e.data,
                    distance_m,
                })
            })
            .collect();
        sort_by_distance(&mut found);
        found
    }

    /// The `k` carriers nearest to `centre`, by increasing distance, ties by
    /// position (so the answer is unique).
    ///
    /// The k nearest in degrees give an upper bound on the k-th distance in
    /// metres; a radius query with that bound then holds the true k nearest.
    pub fn nearest(&self, centre: Point, k: usize) -> Vec<Neighbour> {
        if k == 0 {
            return Vec::new();
        }
        let bound = self
            .tree
            .nearest_neighbor_iter(&[centre.x(), centre.y()])
            .take(k)
            .map(|e| Haversine.distance(centre, Point::from(*e.geom())))
            .fold(0.0, f64::max);
        let mut found = self.within_radius(centre, bound);
        found.truncate(k);
        found
    }
}

fn entry(position: u32, anchor: Point) -> Entry {
    GeomWithData::new([anchor.x(), anchor.y()], position)
}

fn envelope(rect: Rect) -> AABB<[f64; 2]> {
    AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
}

fn sort_by_distance(found: &mut [Neighbour]) {
    found.sort_unstable_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then(a.position.cmp(&b.position))
    });
}

/// A longitude/latitude box that holds every point within `radius_m` of
/// `centre` on the sphere (J. P. Matuschek, "Finding Points Within a Distance
/// of a Latitude/Longitude Using Bounding Coordinates"), widened by 1e-9° so
/// that rounding cannot exclude a point at exactly the radius.
fn circle_envelope(centre: Point, radius_m: f64) -> AABB<[f64; 2]> {
    const PAD: f64 = 1e-9;
    let angular = radius_m.max(0.0) / Haversine.radius();
    let lat = centre.y().to_radians();
    let (lat_min, lat_max) = (lat - angular, lat + angular);
    let full_lon = [-180.0 - PAD, 180.0 + PAD];
    let (lon_range, lat_range) =
        if lat_min <= -std::f64::consts::FRAC_PI_2 || lat_max >= std::f64::consts::FRAC_PI_2 {
            (
                full_lon,
                [
                    lat_min.to_degrees().max(-90.0),
                    lat_max.to_degrees().min(90.0),
                ],
            )
        } else {
            let dlon = (angular.sin() / lat.cos()).min(1.0).asin().to_degrees();
            let lon = [centre.x() - dlon, centre.x() + dlon];
            // A box that crosses the antimeridian is searched whole in longitude.
            let lon = if lon[0] < -180.0 || lon[1] > 180.0 {
                full_lon
            } else {
                lon
            };
            (lon, [lat_min.to_degrees(), lat_max.to_degrees()])
        };
    AABB::from_corners(
        [lon_range[0] - PAD, lat_range[0] - PAD],
        [lon_range[1] + PAD, lat_range[1] + PAD],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_envelope_holds_points_at_the_radius() {
        let centre = Point::new(106.55, 29.56);
        for bearing in 0..360 {
            let edge = geo::Destination::destination(&Haversine, centre, bearing as f64, 3000.0);
            let env = circle_envelope(centre, 3000.0);
            assert!(
                rstar::Envelope::contains_point(&env, &[edge.x(), edge.y()]),
                "bearing {bearing}"
            );
        }
    }

    #[test]
    fn polar_circle_spans_all_longitudes() {
        let env = circle_envelope(Point::new(0.0, 89.99), 5000.0);
        assert!(env.lower()[0] < -180.0 && env.upper()[0] > 180.0);
    }
}
