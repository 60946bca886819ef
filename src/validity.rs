//! Polygon validity: geo's rules and findings, found faster.
//!
//! geo's `Validation` compares every pair of a ring's edges for a
//! self-intersection, which takes minutes on the rings of a national region
//! set (a county border has tens of thousands of vertices). This check
//! reports exactly what `check_validation` reports, first error first, but
//! finds a ring's self-intersections with a sweep over its edges sorted by
//! x: only edges whose boxes overlap are tested, with geo's own (robust)
//! predicate. Parts of a multipolygon, and holes of a polygon, are related
//! only when their boundaries meet: two rings whose edges never meet are
//! apart or one inside the other, which a point of one tells; geo's `relate`
//! (which builds a graph of both) decides the rest.

use geo::algorithm::validation::{
    CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    BoundingRect, Coord, CoordinatePosition, Intersects, Line, LineString, MultiPolygon, Polygon,
    PreparedGeometry, Rect, Relate, RemoveRepeatedPoints,
};

/// The first way `shape` breaks geo's validity rules, as geo's
/// `check_validation` reports it.
pub(crate) fn validate(shape: &MultiPolygon) -> Result<(), InvalidMultiPolygon> {
    let boxes: Vec<Option<Rect>> = shape.iter().map(BoundingRect::bounding_rect).collect();
    for (i, polygon) in shape.iter().enumerate() {
        validate_polygon(polygon)
            .map_err(|e| InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))?;
        for (j, other) in shape.iter().enumerate().skip(i + 1) {
            if !boxes_meet(boxes[i], boxes[j]) {
                continue;
            }
            if !boundaries_meet(polygon, other) {
                // Apart, or one inside the other (then their interiors
                // overlap); nothing touches on a line.
                if inside_other(polygon, other) || inside_other(other, polygon) {
                    return Err(InvalidMultiPolygon::ElementsOverlaps(
                        GeometryIndex(i),
                        GeometryIndex(j),
                    ));
                }
                continue;
            }
            let matrix = polygon.relate(other);
            if matrix.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
            if matrix.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional
            {
                return Err(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
        }
    }
    Ok(())
}

/// Whether two boxes (closed) meet; an empty part meets nothing.
fn boxes_meet(a: Option<Rect>, b: Option<Rect>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.intersects(&b))
}

/// geo's rules for one polygon, in geo's order.
fn validate_polygon(polygon: &Polygon) -> Result<(), InvalidPolygon> {
    if polygon.exterior().0.is_empty() {
        return Ok(());
    }
    let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
    for (ring_index, ring) in rings.enumerate() {
        if ring.0.is_empty() {
            continue;
        }
        let role = match ring_index {
            0 => RingRole::Exterior,
            i => RingRole::Interior(i - 1),
        };
        if ring.remove_repeated_points().0.len() < 4 {
            return Err(InvalidPolygon::TooFewPointsInRing(role));
        }
        if has_self_intersection(ring) {
            return Err(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(i) = ring
            .0
            .iter()
            .position(|c| !(c.x.is_finite() && c.y.is_finite()))
        {
            return Err(InvalidPolygon::NonFiniteCoord(role, CoordIndex(i)));
        }
    }
    let interiors = polygon.interiors();
    if interiors.iter().all(|ring| ring.0.is_empty()) {
        return Ok(());
    }
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let prepared_exterior = PreparedGeometry::from(&exterior);
    let holes: Vec<Polygon> = interiors
        .iter()
        .map(|ring| Polygon::new(ring.clone(), vec![]))
        .collect();
    let boxes: Vec<Option<Rect>> = holes.iter().map(BoundingRect::bounding_rect).collect();
    for (i, hole) in holes.iter().enumerate() {
        if hole.exterior().0.is_empty() {
            continue;
        }
        let role = RingRole::Interior(i);
        if !boundaries_meet(&exterior, hole) {
            // Inside the shell or outside it, without touching it.
            if !inside_other(hole, &exterior) {
                return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role));
            }
        } else {
            let outer = prepared_exterior.relate(hole);
            if !outer.is_contains() {
                return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role));
            }
            if outer.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnALine(
                    RingRole::Exterior,
                    role,
                ));
            }
        }
        for (j, other) in holes.iter().enumerate().skip(i + 1) {
            if other.exterior().0.is_empty() || !boxes_meet(boxes[i], boxes[j]) {
                continue;
            }
            if !boundaries_meet(hole, other) {
                if inside_other(hole, other) || inside_other(other, hole) {
                    return Err(InvalidPolygon::IntersectingRingsOnAnArea(
                        role,
                        RingRole::Interior(j),
                    ));
                }
                continue;
            }
            let matrix = hole.relate(other);
            if matrix.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnAnArea(
                    role,
                    RingRole::Interior(j),
                ));
            }
            if matrix.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional
            {
                return Err(InvalidPolygon::IntersectingRingsOnALine(
                    role,
                    RingRole::Interior(j),
                ));
            }
        }
    }
    Ok(())
}

/// Whether any ring of `a` meets any ring of `b` (closed edges: touching at
/// a point counts), by a sweep over the edges of both.
fn boundaries_meet(a: &Polygon, b: &Polygon) -> bool {
    let edges = |polygon: &Polygon, side: bool| -> Vec<(f64, Line, bool)> {
        std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .flat_map(|ring| ring.lines())
            .map(|line| (line.start.x.min(line.end.x), line, side))
            .collect()
    };
    let mut all = edges(a, false);
    all.extend(edges(b, true));
    all.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
    for (k, &(_, line, side)) in all.iter().enumerate() {
        let x_max = line.start.x.max(line.end.x);
        let (y_min, y_max) = (line.start.y.min(line.end.y), line.start.y.max(line.end.y));
        for &(x_min, other, other_side) in &all[k + 1..] {
            if x_min > x_max {
                break;
            }
            if other_side != side
                && other.start.y.min(other.end.y) <= y_max
                && y_min <= other.start.y.max(other.end.y)
                && line.intersects(&other)
            {
                return true;
            }
        }
    }
    false
}

/// Whether `a` lies inside `b`, for polygons whose boundaries do not meet:
/// then any vertex of `a` is inside `b` exactly when all of `a` is.
fn inside_other(a: &Polygon, b: &Polygon) -> bool {
    a.exterior()
        .0
        .first()
        .is_some_and(|c| b.coordinate_position(c) == CoordPos::Inside)
}

/// Whether two edges of `ring` meet other than where one ends and the other
/// starts: geo's `linestring_has_self_intersection`, without comparing every
/// pair. Edges are swept in order of their least x, and each is tested only
/// against the edges that start before it ends and overlap it in y.
pub(crate) fn has_self_intersection(ring: &LineString) -> bool {
    struct Edge {
        line: Line,
        x_max: f64,
        y_min: f64,
        y_max: f64,
    }
    let mut edges: Vec<(f64, Edge)> = ring
        .lines()
        .map(|line| {
            let (a, b): (Coord, Coord) = (line.start, line.end);
            let edge = Edge {
                line,
                x_max: a.x.max(b.x),
                y_min: a.y.min(b.y),
                y_max: a.y.max(b.y),
            };
            (a.x.min(b.x), edge)
        })
        .collect();
    edges.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    for (k, (_, edge)) in edges.iter().enumerate() {
        for (x_min, other) in &edges[k + 1..] {
            if *x_min > edge.x_max {
                break;
            }
            let (a, b) = (edge.line, other.line);
            if other.y_min <= edge.y_max
                && edge.y_min <= other.y_max
                && a.start != b.end
                && a.end != b.start
                && a.intersects(&b)
            {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::SplitMix64;
    use geo::Validation;

    /// Random rings of a few vertices on a small lattice, so that touching,
    /// crossing, collinear and repeated vertices are common: every finding
    /// is geo's.
    #[test]
    fn finds_what_geo_finds() {
        let mut rng = SplitMix64::new(17);
        let mut invalid = 0;
        for _ in 0..20_000 {
            let ring = |rng: &mut SplitMix64, n: usize, offset: f64| {
                let mut points: Vec<Coord> = (0..n)
                    .map(|_| Coord {
                        x: offset + rng.below(5) as f64,
                        y: offset + rng.below(5) as f64,
                    })
                    .collect();
                points.push(points[0]);
                LineString(points)
            };
            let n = 3 + rng.below(5);
            let exterior = ring(&mut rng, n, 0.0);
            let holes = (0..rng.below(3))
                .map(|_| {
                    let n = 3 + rng.below(3);
                    ring(&mut rng, n, 0.5)
                })
                .collect();
            let first = Polygon::new(exterior, holes);
            let parts = if rng.below(2) == 0 {
                vec![first]
            } else {
                let n = 3 + rng.below(4);
                vec![first, Polygon::new(ring(&mut rng, n, 1.0), vec![])]
            };
            let shape = MultiPolygon(parts);
            let expected = shape.check_validation().err();
            assert_eq!(validate(&shape).err(), expected, "{shape:?}");
            invalid += usize::from(expected.is_some());
        }
        assert!(invalid > 5_000, "{invalid} invalid shapes of 20,000");
    }

    #[test]
    fn a_long_ring_is_checked_at_once() {
        // A circle of 200,000 vertices, valid, and with one spike across it.
        let n = 200_000;
        let mut points: Vec<Coord> = (0..n)
            .map(|i| {
                let t = i as f64 / n as f64 * std::f64::consts::TAU;
                Coord {
                    x: t.cos(),
                    y: t.sin(),
                }
            })
            .collect();
        points.push(points[0]);
        let circle = LineString(points.clone());
        assert!(!has_self_intersection(&circle));
        points[n / 2] = Coord { x: 2.0, y: 0.0 };
        assert!(has_self_intersection(&LineString(points)));
    }
}
