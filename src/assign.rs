//! Assignment: the district each carrier counts toward.
//!
//! Border rule: districts are closed, and a point held by several of them
//! (on a shared border or vertex, or where loaded regions overlap) goes to
//! the one with the lowest code; see [`Atlas::locate`]. So every carrier
//! counts in exactly one district, or is outside the atlas.

use geo::{BooleanOps, BoundingRect, MultiPolygon};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::atlas::{geodesic_area_m2, Atlas, DistrictId};
use crate::carrier::{Carrier, Location};

/// How a footprint carrier is assigned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FootprintRule {
    /// The footprint counts wholly in the district that holds its surface
    /// point (a point inside the footprint). One point-in-polygon test: the
    /// same cost as a point carrier.
    #[default]
    SurfacePoint,
    /// The carrier's count, enterprises and tech enterprises go to the
    /// surface point's district as above, but its floor area is split among
    /// districts by the share of the footprint's geodesic area each covers;
    /// the share outside every district is tallied as outside. Costs a
    /// polygon intersection per nearby district.
    SplitByOverlap,
}

/// A district's share of one footprint's floor area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The district, or `None` for the part outside every district.
    pub district: Option<DistrictId>,
    /// Share of the footprint's area, in (0, 1].
    pub fraction: f64,
}

/// The district of every carrier, position by position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// For carrier `i`, its district, or `None` when it is outside the atlas.
    pub districts: Vec<Option<DistrictId>>,
    /// Under [`FootprintRule::SplitByOverlap`], the floor-area shares of each
    /// footprint carrier, by ascending carrier position.
    pub splits: Vec<(u32, Vec<Share>)>,
}

impl Assignment {
    /// Positions of the carriers outside every district.
    pub fn outside(&self) -> impl Iterator<Item = usize> + '_ {
        self.districts
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.is_none().then_some(i))
    }

    /// The floor-area shares of carrier `position`, when its area is split.
    pub fn shares(&self, position: usize) -> Option<&[Share]> {
        let i = self
            .splits
            .binary_search_by_key(&position, |(p, _)| *p as usize)
            .ok()?;
        Some(&self.splits[i].1)
    }
}

impl Atlas {
    /// Assigns every carrier to a district. The carriers must be in the
    /// atlas's datum ([`Atlas::datum`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use carrier_quota::{Atlas, FootprintRule, read_carriers, ReadOptions};
    ///
    /// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
    ///   {"type": "Feature", "id": "jiefangbei", "geometry": {"type": "Point",
    ///    "coordinates": [106.5775, 29.5575]},
    ///    "properties": {"kind": "maker_space", "floor_area_m2": 800}}
    /// ]}"#;
    /// let atlas = Atlas::chongqing();
    /// let read = read_carriers(file.as_bytes(), &ReadOptions::default())?;
    /// let assignment = atlas.assign(&read.carriers, FootprintRule::SurfacePoint);
    /// let district = assignment.districts[0].unwrap();
    /// assert_eq!(atlas.district(district).name, "渝中区");
    /// # Ok::<(), carrier_quota::Error>(())
    /// ```
    ///
    /// Carriers are located in parallel on rayon's thread pool (run it inside
    /// `ThreadPool::install` to choose the threads).
    pub fn assign(&self, carriers: &[Carrier], rule: FootprintRule) -> Assignment {
        let mut districts = vec![None; carriers.len()];
        self.locate_all(&mut districts, |i| carriers[i].location.anchor().0);
        let splits = match rule {
            FootprintRule::SurfacePoint => Vec::new(),
            FootprintRule::SplitByOverlap => carriers
                .par_iter()
                .enumerate()
                .filter_map(|(i, c)| match &c.location {
                    Location::Footprint(f) => Some((i as u32, self.split(&f.shape))),
                    Location::Point(_) => None,
                })
                .collect(),
        };
        Assignment { districts, splits }
    }

    /// The share of `shape` in each district, in district order, then the
    /// share outside (when it exceeds 1e-9: smaller ones are rounding in the
    /// area computation). Each district takes only what lower-coded districts
    /// left, so overlapping regions never count one piece twice. Empty when
    /// the shape has no area.
    pub fn split(&self, shape: &MultiPolygon) -> Vec<Share> {
        let total = geodesic_area_m2(shape);
        let Some(rect) = shape.bounding_rect() else {
            return Vec::new();
        };
        if total <= 0.0 {
            return Vec::new();
        }
        let mut remaining = shape.clone();
        let mut shares = Vec::new();
        let mut covered = 0.0;
        for id in self.districts_near(rect) {
            let district = &self.district(id).shape;
            let area = geodesic_area_m2(&remaining.intersection(district));
            if area > 0.0 {
                let fraction = (area / total).min(1.0 - covered);
                covered += fraction;
                shares.push(Share {
                    district: Some(id),
                    fraction,
                });
                remaining = remaining.difference(district);
            }
        }
        if covered < 1.0 - 1e-9 {
            shares.push(Share {
                district: None,
                fraction: 1.0 - covered,
            });
        }
        shares
    }
}
