//! The atlas: a city divided into zones and districts, with their polygons.
//!
//! An atlas is a three-level hierarchy, city → zone → district. Districts are
//! the leaves carriers are assigned to; zones group them (a district may
//! belong to no zone in a loaded region set). [`Atlas::chongqing`] is
//! embedded; [`read_regions`] loads any other region set.

mod coverage;
mod grid;
mod locate;
mod read;
mod union;

use std::fmt;
use std::num::NonZeroU16;

use geo::{BoundingRect, Coord, CoordsIter, MultiPolygon, Point};
use serde::{Deserialize, Serialize};

use crate::datum::Datum;
pub use coverage::{read_regions, CoverageIssue};
pub(crate) use locate::Locator;
pub(crate) use read::{read_region_records, RegionsRead};
pub use read::{Parent, RegionOptions};

/// A region's code: for Chongqing, the six-digit administrative code (adcode).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegionCode(String);

impl RegionCode {
    /// The code `text`, or `None` when it is empty.
    pub fn new(text: impl Into<String>) -> Option<RegionCode> {
        let text = text.into();
        (!text.is_empty()).then_some(RegionCode(text))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A district's position in [`Atlas::districts`]. Districts are kept in
/// ascending order of code, so ids compare as their codes do. Serialized as
/// the position.
///
/// Two bytes, and so is `Option<DistrictId>`: an assignment of ten million
/// carriers takes 20 MB. An atlas holds at most [`MAX_DISTRICTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DistrictId(NonZeroU16);

/// The most districts an atlas can hold (65,535), so that a district id fits
/// in two bytes.
pub const MAX_DISTRICTS: usize = u16::MAX as usize;

impl DistrictId {
    /// The id of the district at `index`.
    ///
    /// # Panics
    ///
    /// When `index` is not below [`MAX_DISTRICTS`].
    pub(crate) fn new(index: usize) -> DistrictId {
        Self::try_new(index).expect("an atlas holds at most MAX_DISTRICTS districts")
    }

    fn try_new(index: usize) -> Option<DistrictId> {
        (index < MAX_DISTRICTS)
            .then(|| NonZeroU16::new(index as u16 + 1))
            .flatten()
            .map(DistrictId)
    }

    /// The position in [`Atlas::districts`].
    pub fn index(self) -> usize {
        usize::from(self.0.get()) - 1
    }
}

impl Serialize for DistrictId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.index() as u32)
    }
}

impl<'de> Deserialize<'de> for DistrictId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let index = u32::deserialize(deserializer)?;
        DistrictId::try_new(index as usize).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "district index {index} is not below {MAX_DISTRICTS}"
            ))
        })
    }
}

/// A zone's position in [`Atlas::zones`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ZoneId(pub(crate) u32);

impl ZoneId {
    /// The position in [`Atlas::zones`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Cells in the point-location grid: fine enough that few points need an
/// edge test. Only blocks of cells that a border crosses are stored cell by
/// cell (fewer than 4,096 blocks, at most 1 MiB; a test checks it). Twice
/// as many would build the embedded atlas 0.02 s later (0.067 against
/// 0.047 s, median of seven runs) to place a million carriers 0.002 s
/// sooner.
const GRID_CELLS: usize = 1 << 20;

/// Grid cells per district vertex, up to [`GRID_CELLS`]: a small region set
/// gets a small grid, which builds at once.
const CELLS_PER_VERTEX: usize = 32;

/// A district or county: the unit carriers are assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct District {
    /// Unique code.
    pub code: RegionCode,
    /// Name (Chinese for Chongqing).
    pub name: String,
    /// English name, where known.
    pub name_en: Option<String>,
    /// The zone the district belongs to, if any.
    pub zone: Option<ZoneId>,
    /// Boundary, in the atlas's datum. Closed: its border belongs to it.
    pub shape: MultiPolygon,
}

/// A group of districts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    /// Unique code, e.g. `main_urban`.
    pub code: String,
    /// Name (Chinese for Chongqing).
    pub name: String,
    /// English name, where known.
    pub name_en: Option<String>,
    /// Its districts, in ascending order of code.
    pub districts: Vec<DistrictId>,
}

/// A city divided into zones and districts.
#[derive(Debug, Clone)]
pub struct Atlas {
    name: String,
    name_en: Option<String>,
    datum: Datum,
    districts: Vec<District>,
    zones: Vec<Zone>,
    outline: MultiPolygon,
    locator: Locator,
    grid: grid::Grid,
}

impl Atlas {
    /// Builds an atlas. Districts are sorted by code; each zone lists the
    /// districts whose [`District::zone`] names it. Without an `outline`, the
    /// union of the districts is computed.
    ///
    /// # Panics
    ///
    /// When two districts share a code, or a district names a zone that
    /// `zone_names` does not hold.
    pub(crate) fn new(
        header: (String, Option<String>),
        datum: Datum,
        districts: Vec<District>,
        zone_names: Vec<(String, String, Option<String>)>,
        outline: Option<MultiPolygon>,
    ) -> Atlas {
        let built = Atlas::build(header, datum, districts, zone_names, outline, |_| Ok(()));
        let (atlas, _) = built.unwrap_or_else(|never: std::convert::Infallible| match never {});
        atlas
    }

    /// [`Atlas::new`], running `check` on the sorted districts while the
    /// look-up structures and the union are built; an error from `check`
    /// is returned instead of the atlas. When the union is computed (no
    /// `outline`), the places where districts overlap come with it.
    pub(crate) fn build<E: Send>(
        (name, name_en): (String, Option<String>),
        datum: Datum,
        mut districts: Vec<District>,
        zone_names: Vec<(String, String, Option<String>)>,
        outline: Option<MultiPolygon>,
        check: impl FnOnce(&[District]) -> Result<(), E> + Send,
    ) -> Result<(Atlas, MultiPolygon), E> {
        // A district's zone is given by position in `zone_names` until the
        // districts are sorted; the sort keeps `zone` attached to its district.
        districts.sort_by(|a, b| a.code.cmp(&b.code));
        assert!(
            districts.windows(2).all(|w| w[0].code != w[1].code),
            "district codes must be unique"
        );
        let mut zones: Vec<Zone> = zone_names
            .into_iter()
            .map(|(code, name, name_en)| Zone {
                code,
                name,
                name_en,
                districts: Vec::new(),
            })
            .collect();
        for (i, district) in districts.iter().enumerate() {
            if let Some(zone) = district.zone {
                zones[zone.index()].districts.push(DistrictId::new(i));
            }
        }
        let bounds = districts
            .iter()
            .filter_map(|d| d.shape.bounding_rect())
            .reduce(|a, b| {
                let (min, max) = (a.min(), a.max());
                geo::Rect::new(
                    Coord {
                        x: min.x.min(b.min().x),
                        y: min.y.min(b.min().y),
                    },
                    Coord {
                        x: max.x.max(b.max().x),
                        y: max.y.max(b.max().y),
                    },
                )
            })
            .unwrap_or(geo::Rect::new(Coord::zero(), Coord::zero()));
        let vertices: usize = districts.iter().map(|d| d.shape.coords_count()).sum();
        let cells = (vertices * CELLS_PER_VERTEX).clamp(1 << 12, GRID_CELLS);
        // The check, the union and the look-up structures are independent:
        // build them at once.
        let shapes = || districts.iter().map(|d| &d.shape);
        let outlines = || match outline {
            Some(outline) => (outline, MultiPolygon(Vec::new())),
            None => {
                let all = union::union(shapes());
                let overlapping = union::overlaps(shapes(), &all);
                (all, overlapping)
            }
        };
        let look_ups = || {
            rayon::join(
                || Locator::new(&districts),
                || grid::Grid::new(&districts, bounds, cells),
            )
        };
        let (checked, ((outline, overlapping), (locator, grid))) =
            rayon::join(|| check(&districts), || rayon::join(outlines, look_ups));
        checked?;
        let atlas = Atlas {
            name,
            name_en,
            datum,
            districts,
            zones,
            outline,
            locator,
            grid,
        };
        Ok((atlas, overlapping))
    }

    /// The city's name (Chinese for Chongqing; empty for a loaded region set).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The city's English name, where known.
    pub fn name_en(&self) -> Option<&str> {
        self.name_en.as_deref()
    }

    /// The datum of every polygon in the atlas. [`Atlas::place`] converts
    /// carriers to it; [`Atlas::locate`] takes points in it.
    pub fn datum(&self) -> Datum {
        self.datum
    }

    /// The city's outline: the union of its districts. Its holes are the
    /// gaps no district covers.
    pub fn outline(&self) -> &MultiPolygon {
        &self.outline
    }

    /// All districts, in ascending order of code.
    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    /// All zones.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The district with this id.
    ///
    /// # Panics
    ///
    /// When the id comes from another atlas and is out of range.
    pub fn district(&self, id: DistrictId) -> &District {
        &self.districts[id.index()]
    }

    /// The zone with this id.
    ///
    /// # Panics
    ///
    /// When the id comes from another atlas and is out of range.
    pub fn zone(&self, id: ZoneId) -> &Zone {
        &self.zones[id.index()]
    }

    /// Ids of all districts, in order.
    pub fn district_ids(&self) -> impl ExactSizeIterator<Item = DistrictId> {
        (0..self.districts.len()).map(DistrictId::new)
    }

    /// Finds a district by code, name or English name. Names match without
    /// regard to ASCII case, and a Chinese name also matches without its
    /// 区/县/自治县 suffix (`渝中` finds `渝中区`).
    pub fn find_district(&self, key: &str) -> Option<DistrictId> {
        let key = key.trim();
        self.districts
            .iter()
            .position(|d| d.is_named(key))
            .map(DistrictId::new)
    }

    /// The district with exactly this code.
    pub fn district_with_code(&self, code: &str) -> Option<DistrictId> {
        let found = self.districts.iter().position(|d| d.code.as_str() == code);
        found.map(DistrictId::new)
    }

    /// Finds a zone by code, name or English name (ASCII case ignored).
    pub fn find_zone(&self, key: &str) -> Option<ZoneId> {
        let key = key.trim();
        self.zones
            .iter()
            .position(|z| {
                z.code.eq_ignore_ascii_case(key)
                    || z.name == key
                    || z.name_en
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(key))
            })
            .map(|i| ZoneId(i as u32))
    }

    /// The district a point (in the atlas's datum) falls in, or `None` when it
    /// lies outside every district.
    ///
    /// Districts are closed, so a point on a district's border belongs to it.
    /// A point that belongs to several districts (on a shared border or
    /// vertex, or where districts of a loaded region set overlap) goes to the
    /// one with the lowest code. This is exact: orientation tests use robust
    /// predicates, so a point exactly on an edge is found to be on it.
    ///
    /// A prepared grid answers most points with one table look-up; see
    /// [`Atlas::locate_exact`] for the reference it is tested against.
    #[inline]
    pub fn locate(&self, point: Point) -> Option<DistrictId> {
        self.grid.locate(point.0)
    }

    /// [`Atlas::locate`] for many points at once, on rayon's threads and
    /// faster than one by one: `out[i]` is the district of `points[i]`
    /// (in the atlas's datum).
    ///
    /// # Panics
    ///
    /// When `out` is shorter than `points`.
    pub fn locate_into(&self, points: &[Coord], out: &mut [Option<DistrictId>]) {
        assert!(out.len() >= points.len(), "one answer slot per point");
        self.grid
            .locate_all(&mut out[..points.len()], |i| points[i])
    }

    /// The same answer as [`Atlas::locate`], by testing each district whose
    /// bounding box holds the point with geo's `CoordinatePosition`. Slower;
    /// kept as the reference the fast path is checked against.
    pub fn locate_exact(&self, point: Point) -> Option<DistrictId> {
        self.locator.locate(&self.districts, point.0)
    }

    /// Districts with a polygon whose bounding box meets `rect`, in order.
    pub fn districts_near(&self, rect: geo::Rect) -> Vec<DistrictId> {
        self.locator.candidates(rect)
    }
}

/// Geodesic area in m² on the WGS-84 ellipsoid, whatever the winding order
/// of the rings (geographiclib reads a clockwise shell as the rest of the
/// globe, so rings are oriented first).
pub(crate) fn geodesic_area_m2<G>(shape: &G) -> f64
where
    G: geo::Orient + geo::GeodesicArea<f64>,
{
    shape
        .orient(geo::orient::Direction::Default)
        .geodesic_area_unsigned()
}

/// Whether `key` (trimmed) is a district's code, name, short name or
/// English name (ASCII case ignored).
pub(crate) fn names(code: &RegionCode, name: &str, name_en: Option<&str>, key: &str) -> bool {
    code.as_str() == key
        || name == key
        || name_en.is_some_and(|n| n.eq_ignore_ascii_case(key))
        || short_name(name) == key
}

impl District {
    /// Whether `key` (trimmed) is this district's code, name, short name
    /// or English name.
    pub(crate) fn is_named(&self, key: &str) -> bool {
        names(&self.code, &self.name, self.name_en.as_deref(), key)
    }
}

/// A Chinese district name without its administrative suffix.
pub(crate) fn short_name(name: &str) -> &str {
    for suffix in [
        "土家族苗族自治县",
        "苗族土家族自治县",
        "土家族自治县",
        "自治县",
        "区",
        "县",
    ] {
        if let Some(short) = name.strip_suffix(suffix) {
            if !short.is_empty() {
                return short;
            }
        }
    }
    name
}

#[cfg(test)]
mod tests;
