//! The polygons of region-like features (regions, overlays, candidate
//! sites), and FeatureCollections read into them.

use std::io::Read;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{GeometryValue, PolygonType};
use serde_json::Value;

use super::Coords;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, FeatureProblem};

/// Reads a FeatureCollection whose features must all pass `parse`; the first
/// that does not is an error made by `invalid` from its index, name and
/// problem. Returns the parsed features and the datum the file declares.
pub(crate) fn read_each<T>(
    reader: impl Read,
    mut parse: impl FnMut(Value) -> Result<T, Problem>,
    invalid: fn(usize, Option<String>, FeatureProblem) -> ErrorKind,
) -> Result<(Vec<T>, Option<Datum>), Error> {
    let mut parsed = Vec::new();
    let mut first_error = None;
    let declared = super::parse_collection(reader, |index, value: Value| {
        if first_error.is_none() {
            match parse(value) {
                Ok(item) => parsed.push(item),
                Err((name, problem)) => first_error = Some(invalid(index, name, problem)),
            }
        }
        true
    })?;
    match first_error {
        Some(kind) => Err(kind.into()),
        None => Ok((parsed, declared)),
    }
}

/// A feature's name (when it has one) and what is wrong with it.
pub(crate) type Problem = (Option<String>, FeatureProblem);

/// A value serde could not read as a feature.
pub(crate) fn not_a_feature(e: serde_json::Error) -> FeatureProblem {
    FeatureProblem::NotAFeature {
        detail: e.to_string(),
    }
}

pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What makes a ring unusable, if anything: GeoJSON rings hold four or more
/// positions and end where they start.
pub(crate) fn ring_problem(positions: &[Coord]) -> Option<String> {
    if positions.len() < 4 {
        Some(format!(
            "has {} positions; a ring needs at least 4",
            positions.len()
        ))
    } else if positions.first() != positions.last() {
        Some("is not closed: its last position must equal its first".into())
    } else {
        None
    }
}

/// A polygon from its coordinates as read: closed rings of four or more
/// positions within range.
pub(crate) fn polygon_of(coords: &Coords) -> Result<Polygon, String> {
    let rings = match coords {
        Coords::Nested(rings) if !rings.is_empty() => rings,
        Coords::Malformed(why) => return Err(format!("malformed coordinates: {why}")),
        _ => return Err("a polygon needs one or more rings".into()),
    };
    let mut lines = Vec::with_capacity(rings.len());
    for (i, ring) in rings.iter().enumerate() {
        let Coords::Positions(positions) = ring else {
            return Err(format!("ring {i} is not an array of positions"));
        };
        if let Some(c) = positions
            .iter()
            .find(|c| !((-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y)))
        {
            return Err(format!(
                "ring {i} has coordinate [{}, {}] out of range",
                c.x, c.y
            ));
        }
        if let Some(problem) = ring_problem(positions) {
            return Err(format!("ring {i} {problem}"));
        }
        lines.push(LineString(positions.clone()));
    }
    let exterior = lines.remove(0);
    Ok(Polygon::new(exterior, lines))
}

/// A Polygon or MultiPolygon geometry as a MultiPolygon.
pub(crate) fn polygons(geometry: &GeometryValue) -> Result<MultiPolygon, String> {
    match geometry {
        GeometryValue::Polygon { coordinates } => Ok(MultiPolygon(vec![polygon(coordinates)?])),
        GeometryValue::MultiPolygon { coordinates } => coordinates
            .iter()
            .enumerate()
            .map(|(i, p)| polygon(p).map_err(|e| format!("polygon {i}: {e}")))
            .collect(),
        other => Err(format!(
            "a region needs a Polygon or MultiPolygon, found {}",
            other.type_name()
        )),
    }
}

fn polygon(rings: &PolygonType) -> Result<Polygon, String> {
    if rings.is_empty() {
        return Err("a polygon needs one or more rings".into());
    }
    let mut lines = Vec::with_capacity(rings.len());
    for (i, ring) in rings.iter().enumerate() {
        let mut coords = Vec::with_capacity(ring.len());
        for position in ring {
            let p = position.as_slice();
            if p.len() < 2 {
                return Err(format!("ring {i} has a position with fewer than 2 numbers"));
            }
            let c = super::position(p[0], p[1]);
            if !((-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y)) {
                return Err(format!(
                    "ring {i} has coordinate [{}, {}] out of range",
                    c.x, c.y
                ));
            }
            coords.push(c);
        }
        if let Some(problem) = ring_problem(&coords) {
            return Err(format!("ring {i} {problem}"));
        }
        lines.push(LineString(coords));
    }
    let exterior = lines.remove(0);
    Ok(Polygon::new(exterior, lines))
}
