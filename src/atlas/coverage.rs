//! Loading region sets from GeoJSON, and checking how they cover the city.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read;

use geo::{BooleanOps, BoundingRect, InteriorPoint, MultiPolygon, Point, Polygon};
use rayon::prelude::*;
use serde::Serialize;

use super::read::{invalid_region, read_region_records, RegionOptions, RegionRecord, RegionsRead};
use super::{
    geodesic_area_m2, union, Atlas, District, DistrictId, RegionCode, ZoneId, MAX_DISTRICTS,
};
use crate::error::{Error, ErrorKind, FeatureProblem};

/// A flaw in how a region set covers its city. Such a set is still usable:
/// an overlap falls under the border rule (the lower code wins) and a gap
/// belongs to no district.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CoverageIssue {
    /// Two regions cover the same ground.
    Overlap {
        /// The region with the lower code, which takes the overlap.
        first: RegionCode,
        /// The other region.
        second: RegionCode,
        /// Geodesic area of the overlap, m².
        area_m2: f64,
        /// A point inside the overlap (longitude, latitude).
        point: Point,
    },
    /// A hole in the union of the regions that no region covers.
    Gap {
        /// Geodesic area of the gap, m².
        area_m2: f64,
        /// A point inside the gap (longitude, latitude).
        point: Point,
    },
}

impl fmt::Display for CoverageIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoverageIssue::Overlap {
                first,
                second,
                area_m2,
                point,
            } => write!(
                f,
                "regions {first} and {second} overlap by {area_m2:.0} m² at [{:.6}, {:.6}] (counted in {first})",
                point.x(),
                point.y()
            ),
            CoverageIssue::Gap { area_m2, point } => write!(
                f,
                "a gap of {area_m2:.0} m² at [{:.6}, {:.6}] belongs to no region",
                point.x(),
                point.y()
            ),
        }
    }
}

/// Reads a region set from a GeoJSON FeatureCollection of Polygon or
/// MultiPolygon features into an atlas, and reports how it covers the city.
///
/// Each distinct value of the parent property becomes a zone, in order of
/// its code. Overlaps and gaps are not errors; they are returned beside
/// the atlas.
///
/// # Errors
///
/// As [`crate::read::read_carriers`] for the file as a whole; and
/// [`ErrorKind::InvalidRegion`] naming the first feature that has no code,
/// repeats a code, is not a Polygon or MultiPolygon, has an unclosed or
/// too-short ring or a coordinate out of range, or is not a valid polygon
/// (self-intersecting, holes outside their shell), or comes after the
/// first [`MAX_DISTRICTS`].
///
/// # Examples
///
/// ```
/// use carrier_quota::atlas::{read_regions, RegionOptions};
///
/// let file = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
///   {"type": "Feature", "properties": {"code": "A"}, "geometry": {"type": "Polygon",
///    "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
///   {"type": "Feature", "properties": {"code": "B"}, "geometry": {"type": "Polygon",
///    "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}}
/// ]}"#;
/// let (atlas, issues) = read_regions(file.as_bytes(), &RegionOptions::new("code"))?;
/// assert_eq!(atlas.districts().len(), 2);
/// assert!(issues.is_empty());
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_regions(
    reader: impl Read,
    options: &RegionOptions,
) -> Result<(Atlas, Vec<CoverageIssue>), Error> {
    let RegionsRead {
        mut records,
        problem,
        datum,
    } = read_region_records(reader, options)?;
    // The first bad feature is named: an invalid polygon before a feature
    // whose structure is wrong, or before the one past the limit, is first.
    let beyond_limit = (records.len() > MAX_DISTRICTS).then(|| {
        records.truncate(MAX_DISTRICTS + 1);
        let last = &records[MAX_DISTRICTS];
        Error::from(invalid_region(
            MAX_DISTRICTS,
            Some(last.code.clone()),
            FeatureProblem::TooMany { max: MAX_DISTRICTS },
        ))
    });
    if let Some(error) = beyond_limit.or(problem) {
        first_invalid(&records[..records.len().min(MAX_DISTRICTS)])?;
        return Err(error);
    }
    let datum = datum?;
    let parents: BTreeMap<String, u32> = records
        .iter()
        .filter_map(|r| r.parent.clone())
        .map(|p| (p, 0))
        .collect();
    let parents: BTreeMap<String, u32> = parents
        .into_keys()
        .enumerate()
        .map(|(i, p)| (p, i as u32))
        .collect();
    let zones = parents
        .keys()
        .map(|p| (p.clone(), p.clone(), None))
        .collect();
    // Sorted by code here, as the atlas keeps them, with each region's
    // position in the file, so that errors name the first bad feature.
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by(|&a, &b| records[a].code.cmp(&records[b].code));
    let mut slots: Vec<Option<RegionRecord>> = records.into_iter().map(Some).collect();
    let districts: Vec<District> = order
        .iter()
        .map(|&index| {
            let r = slots[index].take().expect("each region once");
            District {
                code: RegionCode::new(r.code).expect("read_region_records refuses empty codes"),
                name: r.name,
                name_en: r.name_en,
                zone: r.parent.map(|p| ZoneId(parents[&p])),
                shape: r.shape,
            }
        })
        .collect();
    if let Err(duplicate) = duplicate_codes(&districts, &order) {
        first_invalid_district(&districts, &order)?;
        return Err(duplicate);
    }
    let check = |districts: &[District]| first_invalid_district(districts, &order);
    let (atlas, overlapping) =
        Atlas::build((String::new(), None), datum, districts, zones, None, check)?;
    let issues = atlas.coverage_given(atlas.outline(), &overlapping);
    Ok((atlas, issues))
}

/// The error for the first of `records` that is not a valid polygon.
fn first_invalid(records: &[RegionRecord]) -> Result<(), Error> {
    let invalid = records.par_iter().enumerate().find_map_first(|(index, r)| {
        let e = crate::validity::validate(&r.shape).err()?;
        Some(invalid_polygon(index, r.code.clone(), e))
    });
    invalid.map_or(Ok(()), Err)
}

/// [`first_invalid`] for districts sorted by code, `order` giving each
/// one's feature.
fn first_invalid_district(districts: &[District], order: &[usize]) -> Result<(), Error> {
    let invalid = districts
        .par_iter()
        .zip(order)
        .filter_map(|(d, &index)| {
            let e = crate::validity::validate(&d.shape).err()?;
            Some((index, d.code.to_string(), e))
        })
        .min_by_key(|(index, _, _)| *index);
    match invalid {
        Some((index, code, e)) => Err(invalid_polygon(index, code, e)),
        None => Ok(()),
    }
}

fn invalid_polygon(
    index: usize,
    code: String,
    e: geo::algorithm::validation::InvalidMultiPolygon,
) -> Error {
    let problem = FeatureProblem::geometry(format!("invalid polygon: {e}"));
    invalid_region(index, Some(code), problem).into()
}

/// The error for the first feature (in the file) whose code an earlier one
/// has; `districts` are sorted by code, `order` gives each one's feature.
fn duplicate_codes(districts: &[District], order: &[usize]) -> Result<(), Error> {
    let duplicate = (1..districts.len())
        .filter(|&i| districts[i].code == districts[i - 1].code)
        .map(|i| {
            // Of the features with this code, the later one is named.
            let same = districts[..=i]
                .iter()
                .rposition(|d| d.code != districts[i].code);
            let group = same.map_or(0, |s| s + 1)..=i;
            let first = group.clone().map(|g| order[g]).min().expect("a group");
            let later = group
                .map(|g| order[g])
                .filter(|&o| o != first)
                .min()
                .expect("two");
            (later, first, districts[i].code.to_string())
        })
        .min();
    match duplicate {
        Some((index, first, code)) => Err(ErrorKind::InvalidRegion {
            index,
            code: Some(code),
            problem: FeatureProblem::Duplicate { first, key: "code" },
        }
        .into()),
        None => Ok(()),
    }
}

impl Atlas {
    /// Overlaps between districts and gaps between them, largest first
    /// within each kind (overlaps, then gaps).
    ///
    /// One overlay of every district finds where two or more cover the
    /// ground; only the districts near such a place are intersected pair by
    /// pair, to name them and measure each overlap. Gaps are the holes of
    /// the districts' union.
    pub fn coverage_issues(&self) -> Vec<CoverageIssue> {
        let shapes = || self.districts.iter().map(|d| &d.shape);
        let all = union::union(shapes());
        self.coverage_given(&all, &union::overlaps(shapes(), &all))
    }

    /// [`Atlas::coverage_issues`] given the union of the districts and where
    /// they overlap.
    pub(crate) fn coverage_given(
        &self,
        all: &MultiPolygon,
        overlapping: &MultiPolygon,
    ) -> Vec<CoverageIssue> {
        let mut pairs = BTreeSet::new();
        for piece in overlapping {
            let Some(rect) = piece.bounding_rect() else {
                continue;
            };
            let near = self.districts_near(rect);
            for (i, &a) in near.iter().enumerate() {
                pairs.extend(near[i + 1..].iter().map(|&b| (a, b)));
            }
        }
        let pairs: Vec<(DistrictId, DistrictId)> = pairs.into_iter().collect();
        let mut overlaps: Vec<CoverageIssue> = pairs
            .par_iter()
            .filter_map(|&(a, b)| {
                let (a, b) = (self.district(a), self.district(b));
                let common = a.shape.intersection(&b.shape);
                let area_m2 = geodesic_area_m2(&common);
                (area_m2 > 0.0).then(|| CoverageIssue::Overlap {
                    first: a.code.clone(),
                    second: b.code.clone(),
                    area_m2,
                    point: common
                        .interior_point()
                        .unwrap_or(Point::new(f64::NAN, f64::NAN)),
                })
            })
            .collect();
        let mut gaps: Vec<CoverageIssue> = all
            .iter()
            .flat_map(|p| p.interiors())
            .filter_map(|ring| {
                let hole = Polygon::new(ring.clone(), vec![]);
                Some(CoverageIssue::Gap {
                    area_m2: geodesic_area_m2(&hole),
                    point: hole.interior_point()?,
                })
            })
            .collect();
        let area = |issue: &CoverageIssue| match issue {
            CoverageIssue::Overlap { area_m2, .. } | CoverageIssue::Gap { area_m2, .. } => *area_m2,
        };
        overlaps.sort_by(|a, b| area(b).total_cmp(&area(a)));
        gaps.sort_by(|a, b| area(b).total_cmp(&area(a)));
        overlaps.extend(gaps);
        overlaps
    }
}
