//! Carriers out, in the forms the readers read: GeoJSON
//! ([`crate::read_carriers`]) and CSV ([`crate::read_carriers_csv`]).

use std::io::{self, Write};

use geo::{MultiPolygon, Point};
use serde::Serialize;

use crate::carrier::Carriers;

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    type_: &'static str,
    id: &'a str,
    /// `null` for a carrier known only by its district.
    geometry: Option<Geometry>,
    properties: Properties<'a>,
}

#[derive(Serialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Point([f64; 2]),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

#[derive(Serialize)]
struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    kind: crate::Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<crate::Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<crate::Level>,
    floor_area_m2: f64,
    enterprises: u32,
    tech_enterprises: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    opened: Option<crate::RecordDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed: Option<crate::RecordDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overlay: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    district: Option<&'a str>,
}

fn point(p: Point) -> [f64; 2] {
    [p.x(), p.y()]
}

fn multi_polygon(shape: &MultiPolygon) -> Vec<Vec<Vec<[f64; 2]>>> {
    shape
        .iter()
        .map(|polygon| {
            std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(|ring| ring.points().map(point).collect())
                .collect()
        })
        .collect()
}

/// Writes `carriers` as a GeoJSON FeatureCollection with a top-level
/// `"datum"` member (and a `"description"` member when one is given), one
/// feature per line. Footprints are written as MultiPolygons; their surface
/// points are not written (a reader recomputes them). A declared district
/// is the `district` property (its code), and a carrier without a
/// location has a `null` geometry.
///
/// # Errors
///
/// When writing fails.
pub fn write_carriers(
    mut out: impl Write,
    carriers: &Carriers,
    description: Option<&str>,
) -> io::Result<()> {
    write!(
        out,
        "{{\"type\":\"FeatureCollection\",\"datum\":\"{}\",",
        carriers.datum()
    )?;
    if let Some(text) = description {
        write!(out, "\"description\":{},", serde_json::Value::from(text))?;
    }
    write!(out, "\"features\":[")?;
    for (i, c) in carriers.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let geometry = c.anchor().map(|anchor| match c.footprint() {
            None => Geometry::Point(point(anchor)),
            Some(shape) => Geometry::MultiPolygon(multi_polygon(shape)),
        });
        let feature = Feature {
            type_: "Feature",
            id: c.id(),
            geometry,
            properties: Properties {
                name: c.name(),
                kind: c.kind(),
                category: c.category(),
                level: c.level(),
                floor_area_m2: c.floor_area_m2(),
                enterprises: c.enterprises(),
                tech_enterprises: c.tech_enterprises(),
                opened: c.opened(),
                closed: c.closed(),
                overlay: c.overlay(),
                district: c.district(),
            },
        };
        serde_json::to_writer(&mut out, &feature)?;
    }
    out.write_all(b"\n]}\n")
}

/// Writes `carriers` as a CSV table in the form [`crate::read_carriers_csv`]
/// reads: a header row `id,name,kind,category,level,floor_area_m2,
/// enterprises,tech_enterprises,opened,closed,overlay,district,lon,lat`,
/// then a row per carrier; an empty cell is a value the carrier does not
/// have. Coordinates are written as the shortest text that reads back to
/// the same number. A table has no place for the datum: read it back with
/// the set's ([`Carriers::datum`]).
///
/// # Errors
///
/// When writing fails, or a carrier has a footprint (`InvalidInput`): a
/// table holds points only.
pub fn write_carriers_csv(out: impl Write, carriers: &Carriers) -> io::Result<()> {
    if let Some((position, _)) = carriers.footprints().next() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "carrier {:?} has a footprint: a table holds points only",
                carriers.get(position).id()
            ),
        ));
    }
    let mut writer = csv::Writer::from_writer(out);
    // The reader's own names, in its order.
    writer.write_record(crate::read::COLUMNS.map(crate::read::Column::as_str))?;
    fn text(value: Option<impl ToString>) -> String {
        value.map(|v| v.to_string()).unwrap_or_default()
    }
    for c in carriers.iter() {
        let (lon, lat) = match c.anchor() {
            Some(p) => (p.x().to_string(), p.y().to_string()),
            None => (String::new(), String::new()),
        };
        writer.write_record([
            c.id().to_string(),
            text(c.name()),
            c.kind().to_string(),
            text(c.category()),
            text(c.level()),
            c.floor_area_m2().to_string(),
            c.enterprises().to_string(),
            c.tech_enterprises().to_string(),
            text(c.opened()),
            text(c.closed()),
            text(c.overlay()),
            text(c.district()),
            lon,
            lat,
        ])?;
    }
    writer.flush()
}
