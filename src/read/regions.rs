//! Region files: a GeoJSON FeatureCollection of Polygon or MultiPolygon
//! features, each with a code property.

use std::collections::HashMap;
use std::io::Read;

use geo::{LineString, MultiPolygon, Polygon};
use geojson::{Feature, GeometryValue, PolygonType};
use serde_json::Value;

use super::feature::ring_problem;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind};

/// How to read a region file.
///
/// ```
/// use carrier_quota::{Datum, RegionOptions};
///
/// let options = RegionOptions::new("adcode").name_property("name").datum(Datum::Gcj02);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RegionOptions {
    /// The property that holds each region's unique code (text or number).
    pub code_property: String,
    /// The property that holds its name; without one the code is the name.
    pub name_property: Option<String>,
    /// The property that holds its English name, if any.
    pub name_en_property: Option<String>,
    /// The property that names the region's parent; each distinct parent
    /// becomes a zone. Without one, the atlas has no zones.
    pub parent_property: Option<String>,
    /// The datum of the coordinates. When `None`, the file must declare it in
    /// a top-level `"datum"` member; when both are given they must agree.
    pub datum: Option<Datum>,
}

impl Default for RegionOptions {
    /// Codes from a `code` property, and nothing else.
    fn default() -> Self {
        RegionOptions::new("code")
    }
}

impl RegionOptions {
    /// Options naming only the code property.
    pub fn new(code_property: impl Into<String>) -> RegionOptions {
        RegionOptions {
            code_property: code_property.into(),
            name_property: None,
            name_en_property: None,
            parent_property: None,
            datum: None,
        }
    }

    /// The property that holds each region's name.
    pub fn name_property(mut self, property: impl Into<String>) -> RegionOptions {
        self.name_property = Some(property.into());
        self
    }

    /// The property that holds each region's English name.
    pub fn name_en_property(mut self, property: impl Into<String>) -> RegionOptions {
        self.name_en_property = Some(property.into());
        self
    }

    /// The property that names each region's parent zone.
    pub fn parent_property(mut self, property: impl Into<String>) -> RegionOptions {
        self.parent_property = Some(property.into());
        self
    }

    /// The datum of the coordinates ([`RegionOptions::datum`]).
    pub fn datum(mut self, datum: Datum) -> RegionOptions {
        self.datum = Some(datum);
        self
    }
}

/// One region as read, before it joins an atlas.
#[derive(Debug)]
pub(crate) struct RegionRecord {
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub parent: Option<String>,
    pub shape: MultiPolygon,
}

/// Reads every region of a file and the file's datum.
///
/// Each feature is checked for structure (a code, closed rings of four or
/// more positions, coordinates in range); `validate` adds the OGC validity
/// check (no self-intersection, holes inside their shell, parts apart).
pub(crate) fn read_region_records(
    reader: impl Read,
    options: &RegionOptions,
    validate: bool,
) -> Result<(Vec<RegionRecord>, Datum), Error> {
    let (records, declared) = read_each(
        reader,
        |value| region(value, options, validate),
        invalid_region,
    )?;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, r) in records.iter().enumerate() {
        if let Some(first) = seen.insert(&r.code, index) {
            return Err(invalid_region(
                index,
                Some(r.code.clone()),
                format!("feature {first} has the same code"),
            )
            .into());
        }
    }
    let datum = super::resolve_datum("region file", declared, options.datum)?;
    Ok((records, datum))
}

fn invalid_region(index: usize, code: Option<String>, problem: String) -> ErrorKind {
    ErrorKind::InvalidRegion {
        index,
        code,
        problem,
    }
}

/// Reads a FeatureCollection whose features must all pass `parse`; the first
/// that does not is an error made by `invalid` from its index, name and
/// problem. Returns the parsed features and the datum the file declares.
pub(crate) fn read_each<T>(
    reader: impl Read,
    mut parse: impl FnMut(Value) -> Result<T, Problem>,
    invalid: fn(usize, Option<String>, String) -> ErrorKind,
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
pub(crate) type Problem = (Option<String>, String);

pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn region(value: Value, options: &RegionOptions, validate: bool) -> Result<RegionRecord, Problem> {
    let feature: Feature =
        serde_json::from_value(value).map_err(|e| (None, format!("not a GeoJSON feature: {e}")))?;
    let property = |name: &Option<String>| -> Result<Option<String>, Problem> {
        let Some(name) = name else { return Ok(None) };
        match feature.property(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => text(v).map(Some).ok_or_else(|| {
                (
                    None,
                    format!("property {name:?} must be text or a number, found {v}"),
                )
            }),
        }
    };
    let code = property(&Some(options.code_property.clone()))?.ok_or_else(|| {
        (
            None,
            format!(
                "no {:?} property to take the code from",
                options.code_property
            ),
        )
    })?;
    let with_code = |problem: String| (Some(code.clone()), problem);
    let name = property(&options.name_property)
        .map_err(|p| with_code(p.1))?
        .unwrap_or_else(|| code.clone());
    let name_en = property(&options.name_en_property).map_err(|p| with_code(p.1))?;
    let parent = property(&options.parent_property).map_err(|p| with_code(p.1))?;
    let shape = match feature.geometry.map(|g| g.value) {
        Some(geometry) => polygons(&geometry).map_err(with_code)?,
        None => {
            return Err(with_code(
                "a region needs a Polygon or MultiPolygon, found no geometry".into(),
            ))
        }
    };
    if validate {
        crate::validity::validate(&shape)
            .map_err(|e| with_code(format!("invalid polygon: {e}")))?;
    }
    Ok(RegionRecord {
        code,
        name,
        name_en,
        parent,
        shape,
    })
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
            let c = super::json::position(p[0], p[1]);
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
