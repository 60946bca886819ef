//! Point location: which district holds a point, by the border rule.

use geo::coordinate_position::CoordPos;
use geo::{BoundingRect, Coord, CoordinatePosition};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;

use super::{District, DistrictId};

/// The bounding box of one polygon of a district, with (district, polygon).
type PartBox = GeomWithData<Rectangle<[f64; 2]>, (u32, u32)>;

/// An R-tree of the bounding boxes of every district's polygons.
#[derive(Debug, Clone)]
pub(crate) struct Locator {
    tree: RTree<PartBox>,
}

impl Locator {
    pub(crate) fn new(districts: &[District]) -> Locator {
        let boxes = districts
            .iter()
            .enumerate()
            .flat_map(|(d, district)| {
                district
                    .shape
                    .iter()
                    .enumerate()
                    .filter_map(move |(p, polygon)| {
                        let rect = polygon.bounding_rect()?;
                        let (min, max) = (rect.min(), rect.max());
                        let envelope = Rectangle::from_corners([min.x, min.y], [max.x, max.y]);
                        Some(GeomWithData::new(envelope, (d as u32, p as u32)))
                    })
            })
            .collect();
        Locator {
            tree: RTree::bulk_load(boxes),
        }
    }

    /// Districts with a polygon whose bounding box meets `rect`, in order.
    pub(crate) fn candidates(&self, rect: geo::Rect) -> Vec<DistrictId> {
        let envelope =
            rstar::AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut found: Vec<u32> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|b| b.data.0)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|d| DistrictId::new(d as usize))
            .collect()
    }

    /// The lowest-coded district whose closed polygons hold `c`: candidates
    /// are tested in district order, so the first hit is the answer.
    pub(crate) fn locate(&self, districts: &[District], c: Coord) -> Option<DistrictId> {
        let mut candidates: Vec<(u32, u32)> = self
            .tree
            .locate_all_at_point(&[c.x, c.y])
            .map(|b| b.data)
            .collect();
        candidates.sort_unstable();
        candidates
            .into_iter()
            .find(|&(d, p)| {
                districts[d as usize].shape.0[p as usize].coordinate_position(&c)
                    != CoordPos::Outside
            })
            .map(|(d, _)| DistrictId::new(d as usize))
    }
}
