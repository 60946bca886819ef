//! The union of a region set and the places where its regions overlap,
//! each found by one overlay of every ring (i_overlay, which geo's boolean
//! operations use), instead of an intersection per pair of neighbours.
//!
//! Rings are oriented so that every region counts +1 inside it (exteriors
//! counter-clockwise, holes clockwise). The union is where the count is
//! positive. Adding the union's rings reversed takes 1 off inside the
//! union, so the count is then positive exactly where two regions or more
//! cover the ground: the overlaps. Both overlays snap coordinates to the
//! same integer grid (the adapter follows the rings' bounding box, which
//! the union shares), so shared borders cancel exactly.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};

type Path = Vec<[f64; 2]>;

/// The union of `shapes`.
pub(crate) fn union<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon>) -> MultiPolygon {
    let mut paths = Vec::new();
    for shape in shapes {
        push_rings(shape, false, &mut paths);
    }
    positive(&paths)
}

/// Where two or more of `shapes` cover the ground, given their `union`.
pub(crate) fn overlaps<'a>(
    shapes: impl IntoIterator<Item = &'a MultiPolygon>,
    union: &MultiPolygon,
) -> MultiPolygon {
    let mut paths = Vec::new();
    for shape in shapes {
        push_rings(shape, false, &mut paths);
    }
    push_rings(union, true, &mut paths);
    positive(&paths)
}

/// The region where the rings' winding count is positive.
fn positive(paths: &[Path]) -> MultiPolygon {
    if paths.is_empty() {
        return MultiPolygon(Vec::new());
    }
    let shapes = FloatOverlay::with_subj_custom(paths, OverlayOptions::ogc(), Default::default())
        .overlay(OverlayRule::Subject, FillRule::Positive);
    MultiPolygon(
        shapes
            .into_iter()
            .map(|contours| {
                let mut rings = contours.into_iter().map(|path| {
                    let mut ring =
                        LineString(path.into_iter().map(|[x, y]| Coord { x, y }).collect());
                    ring.close();
                    ring
                });
                let exterior = rings.next().unwrap_or(LineString(Vec::new()));
                Polygon::new(exterior, rings.collect())
            })
            .collect(),
    )
}

/// Appends the rings of `shape` as paths (open, as i_overlay takes them),
/// exteriors counter-clockwise and holes clockwise, or the reverse.
fn push_rings(shape: &MultiPolygon, reversed: bool, paths: &mut Vec<Path>) {
    for polygon in shape {
        let rings = std::iter::once((polygon.exterior(), true))
            .chain(polygon.interiors().iter().map(|ring| (ring, false)));
        for (ring, exterior) in rings {
            let coords = &ring.0[..ring.0.len().saturating_sub(1)];
            if coords.len() < 3 {
                continue;
            }
            let mut path: Path = coords.iter().map(|c| [c.x, c.y]).collect();
            let counter_clockwise = twice_signed_area(coords) > 0.0;
            if counter_clockwise != (exterior != reversed) {
                path.reverse();
            }
            paths.push(path);
        }
    }
}

/// Twice the signed area of a ring (shoelace): positive when it runs
/// counter-clockwise.
fn twice_signed_area(coords: &[Coord]) -> f64 {
    let n = coords.len();
    (0..n)
        .map(|i| {
            let (a, b) = (coords[i], coords[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Rect};

    fn square(x: f64, y: f64, side: f64) -> MultiPolygon {
        MultiPolygon(vec![Rect::new(
            Coord { x, y },
            Coord {
                x: x + side,
                y: y + side,
            },
        )
        .to_polygon()])
    }

    #[test]
    fn shared_borders_cancel_and_overlaps_remain() {
        // Three squares side by side, and a fourth over half of the last,
        // drawn clockwise: the winding order of the input does not matter.
        let mut reversed = square(2.0, 0.0, 1.0);
        reversed.0[0].exterior_mut(|ring| ring.0.reverse());
        let shapes = [square(0.0, 0.0, 1.0), square(1.0, 0.0, 1.0), reversed];
        let all = union(&shapes);
        assert_eq!(all.unsigned_area(), 3.0);
        assert!(overlaps(&shapes, &all).0.is_empty());
        let over = square(2.5, 0.0, 1.0);
        let with = [
            shapes[0].clone(),
            shapes[1].clone(),
            shapes[2].clone(),
            over,
        ];
        let all = union(&with);
        assert_eq!(all.unsigned_area(), 3.5);
        assert_eq!(overlaps(&with, &all).unsigned_area(), 0.5);
        // Three layers over one place: still an overlap.
        let thrice = [
            square(0.0, 0.0, 1.0),
            square(0.0, 0.0, 1.0),
            square(0.0, 0.0, 1.0),
        ];
        let all = union(&thrice);
        assert_eq!(overlaps(&thrice, &all).unsigned_area(), 1.0);
    }
}
