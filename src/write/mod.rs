//! Carriers out, in the forms the readers read: GeoJSON
//! ([`crate::read::read_carriers`]) and CSV ([`crate::read::read_carriers_csv`]);
//! placed carriers with the district and zone each counts in.

use std::io::{self, Write};

use geo::{MultiPolygon, Point};
use serde::Serialize;

use crate::carrier::{CarrierRef, Carriers};
use crate::format::CarrierFormat;
use crate::place::Placed;

#[cfg(feature = "parquet")]
mod arrow;
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(feature = "xlsx")]
pub(crate) mod xlsx;
#[cfg(feature = "parquet")]
pub use arrow::{placed_batches, RowPlaces, PLACED_COLUMNS};
#[cfg(feature = "parquet")]
pub use parquet::{write_carriers_parquet, write_placed_parquet, GeometryEncoding};

impl CarrierFormat {
    /// Writes `carriers` in this format: GeoJSON ([`write_carriers`], with
    /// `description` as the collection's), CSV ([`write_carriers_csv`]) or
    /// GeoParquet with WKB geometry (`write_carriers_parquet`, with the
    /// `parquet` feature). Each reads back as the same carriers.
    ///
    /// # Errors
    ///
    /// When writing fails; `Unsupported` for Excel, and for Parquet when
    /// the `parquet` feature is off.
    pub fn write_carriers(
        self,
        out: impl Write + Send,
        carriers: &Carriers,
        description: Option<&str>,
    ) -> io::Result<()> {
        match self {
            CarrierFormat::GeoJson => write_carriers(out, carriers, description),
            CarrierFormat::Csv => write_carriers_csv(out, carriers),
            #[cfg(feature = "parquet")]
            CarrierFormat::Parquet => write_carriers_parquet(out, carriers, GeometryEncoding::Wkb),
            #[allow(unreachable_patterns)] // with every feature on
            format => Err(not_written(format)),
        }
    }

    /// Writes placed carriers in this format, each with the district and
    /// zone it counts in and how it was placed: GeoJSON ([`write_placed`]),
    /// CSV ([`write_placed_csv`]), GeoParquet (`write_placed_parquet`,
    /// with the `parquet` feature) or an Excel workbook (with the `xlsx`
    /// feature: a sheet with each carrier's district code and name, zone
    /// and how it was placed, numbers and dates as such).
    ///
    /// # Errors
    ///
    /// As [`CarrierFormat::write_carriers`].
    pub fn write_placed(self, out: impl Write + Send, placed: &Placed) -> io::Result<()> {
        match self {
            CarrierFormat::GeoJson => write_placed(out, placed, None),
            CarrierFormat::Csv => write_placed_csv(out, placed),
            #[cfg(feature = "parquet")]
            CarrierFormat::Parquet => write_placed_parquet(out, placed),
            #[cfg(feature = "xlsx")]
            CarrierFormat::Excel => xlsx::write_placed_xlsx(out, placed),
            #[allow(unreachable_patterns)] // with every feature on
            format => Err(not_written(format)),
        }
    }
}

/// Why carriers are not written in `format`.
fn not_written(format: CarrierFormat) -> io::Error {
    let why = match format {
        CarrierFormat::Parquet => {
            "writing GeoParquet needs the feature parquet (cargo install --path cli --features parquet)"
        }
        CarrierFormat::Excel if cfg!(not(feature = "xlsx")) => {
            "writing Excel workbooks needs the feature xlsx (cargo install --path cli --features xlsx)"
        }
        _ => "carriers are written as GeoJSON, CSV or GeoParquet",
    };
    io::Error::new(io::ErrorKind::Unsupported, why)
}

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
    kind: crate::carrier::Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<crate::carrier::Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<crate::carrier::Level>,
    floor_area_m2: f64,
    enterprises: u32,
    tech_enterprises: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    opened: Option<crate::date::RecordDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed: Option<crate::date::RecordDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overlay: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    district: Option<&'a str>,
    #[serde(flatten)]
    placed: Option<Where<'a>>,
}

/// Where a placed carrier counts: the codes of its district and zone
/// (`None` outside every district, or for a district in no zone), and
/// whether its point or its declared district placed it.
#[derive(Serialize)]
struct Where<'a> {
    placed_district: Option<&'a str>,
    placed_zone: Option<&'a str>,
    placed_by: &'static str,
}

impl<'a> Where<'a> {
    fn of(placed: &'a Placed, c: &CarrierRef) -> Where<'a> {
        let atlas = placed.atlas();
        let place = placed.place(c.position());
        Where {
            placed_district: place.district.map(|d| atlas.district(d).code.as_str()),
            placed_zone: place.zone(atlas).map(|z| atlas.zone(z).code.as_str()),
            placed_by: place.placed_by.as_str(),
        }
    }
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
    out: impl Write,
    carriers: &Carriers,
    description: Option<&str>,
) -> io::Result<()> {
    write_geojson(out, carriers, description, None)
}

/// Writes placed carriers as [`write_carriers`] does, in the atlas's datum,
/// with three more properties: `placed_district` and `placed_zone`, the
/// codes of the district each carrier counts in and of its zone (`null`
/// outside every district, or for a district in no zone), and `placed_by`
/// (`point` or `declared`, see [`PlacedBy`](crate::PlacedBy)). The
/// readers ignore them, so the file reads back as the same carriers.
///
/// # Errors
///
/// When writing fails.
pub fn write_placed(out: impl Write, placed: &Placed, description: Option<&str>) -> io::Result<()> {
    write_geojson(out, placed.carriers(), description, Some(placed))
}

fn write_geojson(
    mut out: impl Write,
    carriers: &Carriers,
    description: Option<&str>,
    placed: Option<&Placed>,
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
                district: c.declared().map(|(written, _)| written),
                placed: placed.map(|placed| Where::of(placed, &c)),
            },
        };
        serde_json::to_writer(&mut out, &feature)?;
    }
    out.write_all(b"\n]}\n")
}

/// Writes `carriers` as a CSV table in the form [`crate::read::read_carriers_csv`]
/// reads: a header row `id,name,kind,category,level,floor_area_m2,
/// enterprises,tech_enterprises,opened,closed,overlay,district,lon,lat`,
/// then a row per carrier; an empty cell is a value the carrier does not
/// have. Coordinates are written as the shortest text that reads back to
/// the same number. A table has no place for the datum: read it back with
/// the set's ([`Carriers::datum`]).
///
/// A table holds points only: a carrier with a footprint is written at its
/// surface point (the point it is placed by), and a last column `location`
/// says which rows hold such a point (`surface_point`) and which a point of
/// their own (`point`). It is there only when some carrier has a
/// footprint, and read back, the rows are carriers at those points.
///
/// # Errors
///
/// When writing fails.
pub fn write_carriers_csv(out: impl Write, carriers: &Carriers) -> io::Result<()> {
    write_csv(out, carriers, None)
}

/// Writes placed carriers as [`write_carriers_csv`] does, in the atlas's
/// datum, with three more columns after `lat`: `placed_district`,
/// `placed_zone` and `placed_by`, as [`write_placed`] writes them (an
/// empty cell for none).
///
/// # Errors
///
/// When writing fails.
pub fn write_placed_csv(out: impl Write, placed: &Placed) -> io::Result<()> {
    write_csv(out, placed.carriers(), Some(placed))
}

fn write_csv(out: impl Write, carriers: &Carriers, placed: Option<&Placed>) -> io::Result<()> {
    let footprints = carriers.footprints().next().is_some();
    let mut writer = csv::Writer::from_writer(out);
    // The reader's own names, in its order. A carrier keeps no address:
    // one placed by its address is written with the district it names.
    let kept = crate::carrier::COLUMNS.into_iter().filter(|c| {
        !matches!(
            c,
            crate::carrier::Column::Address | crate::carrier::Column::Town
        )
    });
    let mut header: Vec<&str> = kept.map(crate::carrier::Column::as_str).collect();
    if placed.is_some() {
        header.extend(["placed_district", "placed_zone", "placed_by"]);
    }
    if footprints {
        header.push("location");
    }
    writer.write_record(header)?;
    fn text(value: Option<impl ToString>) -> String {
        value.map(|v| v.to_string()).unwrap_or_default()
    }
    for c in carriers.iter() {
        let (lon, lat) = match c.anchor() {
            Some(p) => (p.x().to_string(), p.y().to_string()),
            None => (String::new(), String::new()),
        };
        let mut record = vec![
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
            text(c.declared().map(|(written, _)| written)),
            lon,
            lat,
        ];
        if let Some(placed) = placed {
            let at = Where::of(placed, &c);
            record.extend([
                text(at.placed_district),
                text(at.placed_zone),
                at.placed_by.to_string(),
            ]);
        }
        if footprints {
            let location = match (c.footprint(), c.anchor()) {
                (Some(_), _) => "surface_point",
                (None, Some(_)) => "point",
                (None, None) => "",
            };
            record.push(location.to_string());
        }
        writer.write_record(record)?;
    }
    writer.flush()
}
