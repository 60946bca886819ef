//! Overlay areas: functional zones that cut across districts (the dual core
//! of Western (Chongqing) Science City and Liangjiang New Area) and the areas
//! of university innovation ecosystems.
//!
//! Their borders are not administrative, so none is built in: they come from
//! an overlays file ([`read_overlays`]), or a carrier names its area in its
//! `overlay` property, by an id or a name [`OverlayNames`] knows.

use std::collections::HashMap;
use std::io::Read;

use geo::coordinate_position::CoordPos;
use geo::{CoordinatePosition, Distance, Haversine, MapCoords, MultiPolygon, Point};
use geojson::{Feature, GeometryValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::carrier::CarrierRef;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, FeatureProblem, InputKind};
use crate::index::CarrierIndex;
use crate::json::{not_a_feature, polygons, read_each, text, Problem};
use crate::names::OverlayNames;

/// What an overlay area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OverlayKind {
    /// A functional area, such as a new area or science city.
    #[default]
    FunctionalArea,
    /// The area of a university innovation ecosystem (环大学创新生态圈).
    UniversityEcosystem,
}

/// Where an overlay is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlayArea {
    /// A closed region (its border included).
    Shape(MultiPolygon),
    /// Everything within `radius_m` metres (great-circle) of `centre`, such as
    /// a university campus and its surroundings.
    Circle {
        /// The centre.
        centre: Point,
        /// Radius in metres.
        radius_m: f64,
    },
}

/// One overlay area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overlay {
    /// Unique id, as carriers name it in their `overlay` property.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is.
    pub kind: OverlayKind,
    /// Where it is, in the datum of its collection.
    pub area: OverlayArea,
}

impl Overlay {
    /// Whether `point` lies in the area.
    pub fn contains(&self, point: Point) -> bool {
        match &self.area {
            OverlayArea::Shape(shape) => shape.coordinate_position(&point.0) != CoordPos::Outside,
            OverlayArea::Circle { centre, radius_m } => {
                Haversine.distance(*centre, point) <= *radius_m
            }
        }
    }

    /// Positions of the indexed carriers whose anchor lies in the area, by
    /// position.
    pub fn carriers_in(&self, index: &CarrierIndex) -> Vec<u32> {
        match &self.area {
            OverlayArea::Shape(shape) => index.in_region(shape),
            OverlayArea::Circle { centre, radius_m } => {
                let mut found: Vec<u32> = index
                    .within_radius(*centre, *radius_m)
                    .into_iter()
                    .map(|n| n.position)
                    .collect();
                found.sort_unstable();
                found
            }
        }
    }
}

/// A set of overlay areas in one datum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overlays {
    datum: Datum,
    overlays: Vec<Overlay>,
}

impl Overlays {
    /// A set from areas already in `datum`.
    ///
    /// # Panics
    ///
    /// When two overlays share an id.
    pub fn new(datum: Datum, overlays: Vec<Overlay>) -> Overlays {
        let mut ids: Vec<&str> = overlays.iter().map(|o| o.id.as_str()).collect();
        ids.sort_unstable();
        assert!(
            ids.windows(2).all(|w| w[0] != w[1]),
            "overlay ids must be unique"
        );
        Overlays { datum, overlays }
    }

    /// The datum of the areas.
    pub fn datum(&self) -> Datum {
        self.datum
    }

    /// All overlays, in file order.
    pub fn all(&self) -> &[Overlay] {
        &self.overlays
    }

    /// The overlay with this id.
    pub fn get(&self, id: &str) -> Option<&Overlay> {
        self.overlays.iter().find(|o| o.id == id)
    }

    /// The same areas with every coordinate converted to `target`.
    pub fn into_datum(self, target: Datum) -> Overlays {
        let from = self.datum;
        if from == target {
            return self;
        }
        let convert = |p: Point| Point(from.convert(p.0, target));
        let overlays = self
            .overlays
            .into_iter()
            .map(|o| Overlay {
                area: match o.area {
                    OverlayArea::Shape(shape) => {
                        OverlayArea::Shape(shape.map_coords(|c| from.convert(c, target)))
                    }
                    OverlayArea::Circle { centre, radius_m } => OverlayArea::Circle {
                        centre: convert(centre),
                        radius_m,
                    },
                },
                ..o
            })
            .collect();
        Overlays {
            datum: target,
            overlays,
        }
    }

    /// Whether `carrier` (in this set's datum) belongs to overlay `id`: by
    /// its own `overlay` property when it has one, else by whether the
    /// overlay's area (when this set has it) holds its anchor point (so
    /// never, for a carrier without a location).
    pub fn holds(&self, id: &str, carrier: CarrierRef) -> bool {
        match carrier.overlay() {
            Some(named) => named == id,
            None => {
                let anchor = carrier.anchor();
                anchor.is_some_and(|p| self.get(id).is_some_and(|o| o.contains(p)))
            }
        }
    }
}

impl OverlayNames {
    /// These overlays and those of `overlays`, by their ids and names.
    pub fn with_overlays(self, overlays: &Overlays) -> OverlayNames {
        overlays
            .all()
            .iter()
            .fold(self, |names, o| names.with(&o.id, [&o.name]))
    }
}

/// Reads overlay areas from a GeoJSON FeatureCollection. Each feature has an
/// `id` property (text), an optional `name` and `kind`
/// (`functional_area`, the default, or `university_ecosystem`), and a
/// Polygon or MultiPolygon geometry, or a Point with a `radius_m`
/// property (metres, > 0).
///
/// # Errors
///
/// As [`crate::read::read_carriers`] for the file as a whole (its datum is
/// `datum`, else its top-level `"datum"` member); and
/// [`ErrorKind::InvalidOverlay`] naming the first feature that breaks
/// the rules above or repeats an id.
///
/// # Examples
///
/// ```
/// use carrier_quota::overlay::read_overlays;
///
/// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
///   {"type": "Feature", "properties": {"id": "cqu", "kind": "university_ecosystem",
///    "radius_m": 1500}, "geometry": {"type": "Point", "coordinates": [106.47, 29.57]}}
/// ]}"#;
/// let overlays = read_overlays(file.as_bytes(), None)?;
/// assert_eq!(overlays.get("cqu").unwrap().name, "cqu");
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_overlays(reader: impl Read, datum: Option<Datum>) -> Result<Overlays, Error> {
    let (overlays, declared) = read_each(reader, overlay, invalid_overlay)?;
    let mut seen = HashMap::new();
    for (index, o) in overlays.iter().enumerate() {
        if let Some(first) = seen.insert(o.id.clone(), index) {
            let problem = FeatureProblem::Duplicate { first, key: "id" };
            return Err(invalid_overlay(index, Some(o.id.clone()), problem).into());
        }
    }
    let datum = InputKind::OverlaysFile.datum(declared, datum)?;
    Ok(Overlays { datum, overlays })
}

fn invalid_overlay(index: usize, id: Option<String>, problem: FeatureProblem) -> ErrorKind {
    ErrorKind::InvalidOverlay { index, id, problem }
}

fn overlay(value: Value) -> Result<Overlay, Problem> {
    let feature: Feature = serde_json::from_value(value).map_err(|e| (None, not_a_feature(e)))?;
    let id = feature.property("id").and_then(text).ok_or((
        None,
        FeatureProblem::MissingId {
            hint: "\"id\" property (text) to name the overlay",
        },
    ))?;
    let with_id = |problem: String| (Some(id.clone()), FeatureProblem::geometry(problem));
    let name = feature
        .property("name")
        .and_then(text)
        .unwrap_or_else(|| id.clone());
    let kind = match feature.property("kind") {
        None | Some(Value::Null) => OverlayKind::default(),
        Some(v) => serde_json::from_value(v.clone()).map_err(|_| {
            let found = v.to_string();
            let expected = "\"functional_area\" or \"university_ecosystem\"";
            let property = "kind".to_string();
            let problem = FeatureProblem::WrongType {
                property,
                expected,
                found,
            };
            (Some(id.clone()), problem)
        })?,
    };
    let area = match feature.geometry.as_ref().map(|g| &g.value) {
        Some(GeometryValue::Point { coordinates }) => {
            let p = coordinates.as_slice();
            let radius_m = feature
                .property("radius_m")
                .and_then(Value::as_f64)
                .filter(|r| r.is_finite() && *r > 0.0)
                .ok_or_else(|| {
                    with_id("a Point overlay needs a \"radius_m\" property, a number > 0".into())
                })?;
            if p.len() < 2 || !(-180.0..=180.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]) {
                return Err(with_id(format!("invalid centre {p:?}")));
            }
            OverlayArea::Circle {
                centre: Point(crate::json::position(p[0], p[1])),
                radius_m,
            }
        }
        Some(geometry) => OverlayArea::Shape(polygons(geometry).map_err(with_id)?),
        None => {
            return Err(with_id(
                "no geometry: an overlay needs a Polygon, MultiPolygon or Point".into(),
            ))
        }
    };
    Ok(Overlay {
        id,
        name,
        kind,
        area,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
      {"type": "Feature", "properties": {"id": "square", "name": "方块"}, "geometry": {"type": "Polygon",
       "coordinates": [[[106, 29], [107, 29], [107, 30], [106, 30], [106, 29]]]}},
      {"type": "Feature", "properties": {"id": "campus", "kind": "university_ecosystem", "radius_m": 1000},
       "geometry": {"type": "Point", "coordinates": [108, 30]}}
    ]}"#;

    #[test]
    fn reads_shapes_and_circles() {
        let overlays = read_overlays(FILE.as_bytes(), None).unwrap();
        assert_eq!(overlays.datum(), Datum::Wgs84);
        let square = overlays.get("square").unwrap();
        assert_eq!(
            (square.name.as_str(), square.kind),
            ("方块", OverlayKind::FunctionalArea)
        );
        assert!(
            square.contains(Point::new(107.0, 29.5)),
            "the border belongs to it"
        );
        assert!(!square.contains(Point::new(107.01, 29.5)));
        let campus = overlays.get("campus").unwrap();
        assert_eq!(campus.kind, OverlayKind::UniversityEcosystem);
        assert!(campus.contains(Point::new(108.0, 30.008)));
        assert!(!campus.contains(Point::new(108.0, 30.01)));
    }

    #[test]
    fn errors_name_the_feature() {
        for (from, to, message) in [
            ("\"radius_m\": 1000", "\"radius_m\": -5", "overlay feature 1 (id \"campus\"): a Point overlay needs a \"radius_m\" property, a number > 0"),
            ("\"id\": \"campus\"", "\"id\": \"square\"", "overlay feature 1 (id \"square\"): feature 0 has the same id"),
            ("\"id\": \"square\", ", "", "overlay feature 0: no \"id\" property (text) to name the overlay"),
            ("\"kind\": \"university_ecosystem\"", "\"kind\": \"campus\"", "overlay feature 1 (id \"campus\"): kind must be \"functional_area\" or \"university_ecosystem\", found \"campus\""),
        ] {
            let file = FILE.replace(from, to);
            let err = read_overlays(file.as_bytes(), None).unwrap_err();
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn converts_to_another_datum() {
        let overlays = read_overlays(FILE.as_bytes(), None)
            .unwrap()
            .into_datum(Datum::Gcj02);
        assert_eq!(overlays.datum(), Datum::Gcj02);
        match &overlays.get("campus").unwrap().area {
            OverlayArea::Circle { centre, .. } => assert_ne!(*centre, Point::new(108.0, 30.0)),
            other => panic!("{other:?}"),
        }
    }
}
