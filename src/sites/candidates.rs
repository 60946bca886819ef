//! Candidate sites: proposed buildings that could be designated carriers.

use std::collections::HashMap;
use std::io::{self, Read, Write};

use geo::{InteriorPoint, Point};
use geojson::{Feature, GeometryValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::carrier::{Carrier, CarrierId, Kind, Location, MAX_FLOOR_AREA_M2};
use crate::date::RecordDate;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, FeatureProblem, InputKind};
use crate::json::{not_a_feature, polygons, read_each, text, Problem};

/// The largest cost a candidate may have: far above any building, and low
/// enough that the costs of millions of sites add up without overflow.
pub const MAX_COST: f64 = 1e15;

/// A site that could become a carrier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Unique id.
    pub id: String,
    /// The floor area it would add, m²: greater than 0, at most
    /// [`MAX_FLOOR_AREA_M2`].
    pub floor_area_m2: f64,
    /// What designating it costs, in any one currency: from 0 to
    /// [`MAX_COST`].
    pub cost: f64,
    /// The earliest date it can open, if it cannot open at once.
    pub opened: Option<RecordDate>,
    /// The functional area (overlay) the record puts it in, as for carriers.
    pub overlay: Option<String>,
    /// Where it is, in the datum of the set that holds it.
    pub location: Location,
}

impl Candidate {
    /// The carrier the site becomes once designated, as a `kind` of
    /// carrier, in the same datum: to add chosen sites to a carrier list.
    pub fn to_carrier(&self, kind: Kind) -> Carrier {
        Carrier {
            id: CarrierId::new(self.id.clone()).expect("candidate ids are not empty"),
            name: None,
            kind,
            category: None,
            level: None,
            floor_area_m2: self.floor_area_m2,
            enterprises: 0,
            tech_enterprises: 0,
            opened: self.opened,
            closed: None,
            overlay: self.overlay.as_deref().map(Into::into),
            district: None,
            location: Some(self.location.clone()),
        }
    }
}

/// Candidate sites in one datum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidates {
    /// The datum of their coordinates.
    pub datum: Datum,
    /// The sites, in file order.
    pub candidates: Vec<Candidate>,
}

impl Candidates {
    /// The same sites with every coordinate converted to `target`.
    pub fn into_datum(self, target: Datum) -> Candidates {
        let from = self.datum;
        let candidates = self
            .candidates
            .into_iter()
            .map(|c| Candidate {
                location: c.location.convert(from, target),
                ..c
            })
            .collect();
        Candidates {
            datum: target,
            candidates,
        }
    }
}

/// Reads candidate sites from a GeoJSON FeatureCollection. Each feature has
/// an id (the feature's `id`, or an `id` property), the properties
/// `floor_area_m2` (a number > 0) and `cost` (a number ≥ 0), optionally
/// `opened` (`YYYY` or `YYYY-MM-DD`: the earliest opening) and `overlay`
/// (a functional area's id), and a Point, Polygon or MultiPolygon
/// geometry. The datum is `datum`, else the file's top-level `"datum"`
/// member; one of them must say it.
///
/// A candidate list is short and written by hand, so the first bad
/// feature stops the read rather than being dropped.
///
/// # Errors
///
/// As [`crate::read::read_carriers`] for the file as a whole, and
/// [`ErrorKind::InvalidCandidate`] naming the first feature that breaks
/// the rules above or repeats an id.
///
/// # Examples
///
/// ```
/// use carrier_quota::sites::read_candidates;
///
/// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
///   {"type": "Feature", "id": "plant-7", "geometry": {"type": "Point", "coordinates": [106.52, 29.60]},
///    "properties": {"floor_area_m2": 12000, "cost": 3.5, "opened": "2026-13"}}
/// ]}"#;
/// let err = read_candidates(file.as_bytes(), None).unwrap_err();
/// assert_eq!(err.to_string(),
///     "candidate feature 0 (id \"plant-7\"): opened must be YYYY, YYYY-MM or YYYY-MM-DD, found \"2026-13\"");
/// ```
pub fn read_candidates(reader: impl Read, datum: Option<Datum>) -> Result<Candidates, Error> {
    let (candidates, declared) = read_each(reader, candidate, invalid_candidate)?;
    let mut seen = HashMap::new();
    for (index, c) in candidates.iter().enumerate() {
        if let Some(first) = seen.insert(c.id.as_str(), index) {
            let problem = FeatureProblem::Duplicate { first, key: "id" };
            return Err(invalid_candidate(index, Some(c.id.clone()), problem).into());
        }
    }
    let datum = InputKind::CandidatesFile.datum(declared, datum)?;
    Ok(Candidates { datum, candidates })
}

/// Writes candidate sites as a GeoJSON FeatureCollection in the form
/// [`read_candidates`] reads, with a top-level `"datum"`.
///
/// # Errors
///
/// When writing fails.
pub fn write_candidates(mut out: impl Write, candidates: &Candidates) -> io::Result<()> {
    writeln!(
        out,
        r#"{{"type": "FeatureCollection", "datum": "{}", "features": ["#,
        candidates.datum
    )?;
    for (i, c) in candidates.candidates.iter().enumerate() {
        let geometry = match &c.location {
            Location::Point(p) => geojson::Geometry::new(GeometryValue::new_point([p.x(), p.y()])),
            Location::Footprint(f) => geojson::Geometry::from(&f.shape),
        };
        let mut properties = serde_json::Map::new();
        properties.insert("floor_area_m2".into(), c.floor_area_m2.into());
        properties.insert("cost".into(), c.cost.into());
        if let Some(opened) = c.opened {
            properties.insert("opened".into(), opened.to_string().into());
        }
        if let Some(overlay) = &c.overlay {
            properties.insert("overlay".into(), overlay.clone().into());
        }
        let feature = serde_json::json!({
            "type": "Feature",
            "id": c.id,
            "geometry": geometry,
            "properties": properties,
        });
        let comma = if i + 1 < candidates.candidates.len() {
            ","
        } else {
            ""
        };
        writeln!(out, "{feature}{comma}")?;
    }
    writeln!(out, "]}}")
}

fn invalid_candidate(index: usize, id: Option<String>, problem: FeatureProblem) -> ErrorKind {
    ErrorKind::InvalidCandidate { index, id, problem }
}

fn candidate(value: Value) -> Result<Candidate, Problem> {
    let feature: Feature = serde_json::from_value(value).map_err(|e| (None, not_a_feature(e)))?;
    let id = match &feature.id {
        Some(geojson::feature::Id::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(geojson::feature::Id::Number(n)) => Some(n.to_string()),
        _ => feature.property("id").and_then(text),
    }
    .ok_or((
        None,
        FeatureProblem::MissingId {
            hint: "id: give the feature an \"id\", or an \"id\" property",
        },
    ))?;
    let fail = |problem: FeatureProblem| (Some(id.clone()), problem);
    let shape_fail = |problem: String| fail(FeatureProblem::geometry(problem));
    let number = |name: &str| -> Result<f64, Problem> {
        let property = name.to_string();
        match feature.property(name) {
            Some(Value::Number(n)) => Ok(n.as_f64().unwrap_or(f64::NAN)),
            Some(other) => Err(fail(FeatureProblem::WrongType {
                property,
                expected: "a number",
                found: other.to_string(),
            })),
            None => Err(fail(FeatureProblem::MissingProperty { property })),
        }
    };
    let floor_area_m2 = number("floor_area_m2")?;
    if !(floor_area_m2 > 0.0 && floor_area_m2 <= MAX_FLOOR_AREA_M2) {
        return Err(fail(FeatureProblem::OutOfRange {
            property: "floor_area_m2",
            range: "> 0 and at most 1e9",
            found: floor_area_m2,
        }));
    }
    let cost = number("cost")?;
    if !(0.0..=MAX_COST).contains(&cost) {
        return Err(fail(FeatureProblem::OutOfRange {
            property: "cost",
            range: "a number from 0 to 1e15",
            found: cost,
        }));
    }
    let opened = match feature.property("opened") {
        None | Some(Value::Null) => None,
        Some(value) => {
            let written = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some(
                written
                    .parse::<RecordDate>()
                    .map_err(|e| fail(FeatureProblem::Date(e)))?,
            )
        }
    };
    let overlay = match feature.property("overlay") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(other) => {
            return Err(fail(FeatureProblem::WrongType {
                property: "overlay".into(),
                expected: "an id",
                found: other.to_string(),
            }))
        }
    };
    let location = match feature.geometry.as_ref().map(|g| &g.value) {
        Some(GeometryValue::Point { coordinates }) => {
            let p = coordinates.as_slice();
            if p.len() < 2 || !(-180.0..=180.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]) {
                return Err(shape_fail(format!("invalid position {p:?}")));
            }
            Location::Point(Point(crate::json::position(p[0], p[1])))
        }
        Some(geometry @ (GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. })) => {
            let shape = polygons(geometry).map_err(&shape_fail)?;
            crate::validity::validate(&shape)
                .map_err(|e| shape_fail(format!("invalid footprint: {e}")))?;
            let surface_point = shape
                .interior_point()
                .ok_or_else(|| shape_fail("invalid footprint: it has no interior".into()))?;
            Location::footprint(shape, surface_point)
        }
        Some(other) => {
            return Err(shape_fail(format!(
                "a candidate needs a Point, Polygon or MultiPolygon, found {}",
                other.type_name()
            )))
        }
        None => {
            return Err(shape_fail(
                "no geometry: a candidate needs a Point, Polygon or MultiPolygon".into(),
            ))
        }
    };
    Ok(Candidate {
        id,
        floor_area_m2,
        cost,
        opened,
        overlay,
        location,
    })
}
