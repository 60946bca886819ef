//! GeoJSON output of carriers, in the form [`crate::read_carriers`] reads.

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
