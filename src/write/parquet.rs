//! GeoParquet output of carriers, in the form
//! [`read_carriers_parquet`](crate::read::read_carriers_parquet) reads, and of
//! placed carriers with their district and zone.

use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{
    BinaryBuilder, Float64Builder, StringBuilder, StructBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Fields, Schema};
use geo::{BoundingRect, Geometry, Rect};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::carrier::{CarrierRef, Carriers};
use crate::datum::Datum;
use crate::place::Placed;

/// Rows per record batch written.
const BATCH_ROWS: usize = 64 * 1024;
/// Rows per row group: small enough that a reader can decode a file's row
/// groups side by side, large enough to compress well.
const ROW_GROUP_ROWS: usize = 128 * 1024;

/// How a GeoParquet file holds its geometry column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum GeometryEncoding {
    /// Well-known binary: points and footprints (GeoParquet 1.0 and 1.1).
    #[default]
    Wkb,
    /// GeoArrow's native point encoding, a struct of `x` and `y` (GeoParquet
    /// 1.1): points only.
    Point,
}

/// Writes `carriers` as GeoParquet: the properties as columns named as the
/// GeoJSON properties, the geometry in `encoding`, the datum under a
/// `datum` key of the key-value metadata. A WGS-84 file declares no CRS
/// (GeoParquet's default, OGC:CRS84); a GCJ-02 or BD-09 file declares its
/// CRS unknown (`"crs": null`), since neither has a registered code.
/// A declared district is the `district` column (its code), written when
/// some carrier names one; the geometry of a carrier without a location is
/// null.
///
/// # Errors
///
/// When writing fails, or a carrier has a footprint and `encoding` is
/// [`GeometryEncoding::Point`] (`InvalidInput`).
pub fn write_carriers_parquet(
    out: impl Write + Send,
    carriers: &Carriers,
    encoding: GeometryEncoding,
) -> io::Result<()> {
    write(out, carriers, encoding, None)
}

/// Writes placed carriers as [`write_carriers_parquet`] does (WKB), in the
/// atlas's datum, with three more columns: `placed_district` and
/// `placed_zone`, the codes of the district each carrier counts in and of
/// its zone (null outside every district, or for a district in no zone),
/// and `placed_by` (`point`, `declared` or `managed_area`, see [`PlacedBy`]). GeoPandas
/// (`geopandas.read_parquet`) and QGIS open it.
///
/// [`PlacedBy`]: crate::PlacedBy
///
/// # Errors
///
/// When writing fails.
pub fn write_placed_parquet(out: impl Write + Send, placed: &Placed) -> io::Result<()> {
    write(out, placed.carriers(), GeometryEncoding::Wkb, Some(placed))
}

fn write(
    out: impl Write + Send,
    carriers: &Carriers,
    encoding: GeometryEncoding,
    placed: Option<&Placed>,
) -> io::Result<()> {
    if encoding == GeometryEncoding::Point && carriers.footprints().len() > 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the native point encoding holds points only: write footprints as WKB",
        ));
    }
    let declared = carriers.declares_districts();
    let schema = Arc::new(schema(encoding, declared, placed.is_some()));
    let metadata = vec![
        KeyValue::new("geo".into(), geo_metadata(carriers, encoding)),
        KeyValue::new("datum".into(), carriers.datum().to_string()),
    ];
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_key_value_metadata(Some(metadata))
        .build();
    let mut writer = ArrowWriter::try_new(out, Arc::clone(&schema), Some(properties))
        .map_err(io::Error::other)?;
    for start in (0..carriers.len()).step_by(BATCH_ROWS) {
        let chunk = start..carriers.len().min(start + BATCH_ROWS);
        let batch = batch(&schema, carriers, chunk, encoding, placed)?;
        writer.write(&batch).map_err(io::Error::other)?;
    }
    writer.close().map_err(io::Error::other)?;
    Ok(())
}

fn point_fields() -> Fields {
    Fields::from(vec![
        Field::new("x", DataType::Float64, false),
        Field::new("y", DataType::Float64, false),
    ])
}

/// The columns: the properties (`district` only when some carrier names
/// one, so that point files keep the columns they had and a query's
/// `... AS district GROUP BY district` still means the located one), then
/// where each was placed, then the geometry.
pub(super) fn schema(encoding: GeometryEncoding, declared: bool, placed: bool) -> Schema {
    let text = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
    let mut fields = vec![
        text("id", false),
        text("name", true),
        text("kind", false),
        text("category", true),
        text("level", true),
        Field::new("floor_area_m2", DataType::Float64, false),
        Field::new("enterprises", DataType::UInt32, false),
        Field::new("tech_enterprises", DataType::UInt32, false),
        text("opened", true),
        text("closed", true),
        text("overlay", true),
    ];
    if declared {
        fields.push(text("district", true));
    }
    if placed {
        fields.push(text("placed_district", true));
        fields.push(text("placed_zone", true));
        fields.push(text("placed_by", false));
    }
    fields.push(match encoding {
        GeometryEncoding::Wkb => Field::new("geometry", DataType::Binary, true),
        GeometryEncoding::Point => Field::new("geometry", DataType::Struct(point_fields()), true),
    });
    Schema::new(fields)
}

/// The GeoParquet 1.1 metadata of the geometry column.
pub(super) fn geo_metadata(carriers: &Carriers, encoding: GeometryEncoding) -> String {
    let mut types = Vec::new();
    if carriers.len() > carriers.footprints().len() {
        types.push("Point");
    }
    if carriers.footprints().len() > 0 {
        types.push("MultiPolygon");
    }
    let mut column = serde_json::json!({
        "encoding": match encoding {
            GeometryEncoding::Wkb => "WKB",
            GeometryEncoding::Point => "point",
        },
        "geometry_types": types,
    });
    if let Some(rect) = bounds(carriers) {
        column["bbox"] =
            serde_json::json!([rect.min().x, rect.min().y, rect.max().x, rect.max().y]);
    }
    if carriers.datum() != Datum::Wgs84 {
        column["crs"] = serde_json::Value::Null;
    }
    serde_json::json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": { "geometry": column },
    })
    .to_string()
}

/// The box around every anchor and footprint.
fn bounds(carriers: &Carriers) -> Option<Rect> {
    let anchors = carriers
        .anchors()
        .iter()
        .filter(|c| crate::carrier::store::is_located(**c))
        .map(|&c| Rect::new(c, c));
    let shapes = carriers
        .footprints()
        .filter_map(|(_, shape)| shape.bounding_rect());
    anchors.chain(shapes).reduce(|a, b| {
        Rect::new(
            geo::Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            geo::Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )
    })
}

pub(super) fn batch(
    schema: &Arc<Schema>,
    carriers: &Carriers,
    positions: std::ops::Range<usize>,
    encoding: GeometryEncoding,
    placed: Option<&Placed>,
) -> io::Result<RecordBatch> {
    let rows: Vec<CarrierRef> = positions.map(|p| carriers.get(p)).collect();
    let text = |f: &dyn Fn(&CarrierRef) -> Option<String>| -> ArrayRef {
        let mut b = StringBuilder::new();
        for c in &rows {
            b.append_option(f(c));
        }
        Arc::new(b.finish())
    };
    let count = |f: &dyn Fn(&CarrierRef) -> u32| -> ArrayRef {
        let mut b = UInt32Builder::with_capacity(rows.len());
        rows.iter().for_each(|c| b.append_value(f(c)));
        Arc::new(b.finish())
    };
    let mut area = Float64Builder::with_capacity(rows.len());
    rows.iter()
        .for_each(|c| area.append_value(c.floor_area_m2()));
    let mut columns: Vec<ArrayRef> = vec![
        text(&|c| Some(c.id().to_string())),
        text(&|c| c.name().map(String::from)),
        text(&|c| Some(c.kind().as_str().to_string())),
        text(&|c| c.category().map(|x| x.as_str().to_string())),
        text(&|c| c.level().map(|x| x.as_str().to_string())),
        Arc::new(area.finish()),
        count(&|c| c.enterprises()),
        count(&|c| c.tech_enterprises()),
        text(&|c| c.opened().map(|x| x.to_string())),
        text(&|c| c.closed().map(|x| x.to_string())),
        text(&|c| c.overlay().map(String::from)),
    ];
    if carriers.declares_districts() {
        columns.push(text(&|c| {
            c.declared().map(|(written, _)| written.to_string())
        }));
    }
    if let Some(placed) = placed {
        let atlas = placed.atlas();
        let place = |c: &CarrierRef| placed.place(c.position());
        columns.push(text(&|c| {
            place(c)
                .district
                .map(|d| atlas.district(d).code.to_string())
        }));
        columns.push(text(&|c| {
            place(c).zone(atlas).map(|z| atlas.zone(z).code.to_string())
        }));
        columns.push(text(&|c| Some(place(c).placed_by.to_string())));
    }
    columns.push(match encoding {
        GeometryEncoding::Wkb => {
            let mut b = BinaryBuilder::new();
            let mut bytes = Vec::new();
            for c in &rows {
                bytes.clear();
                let Some(anchor) = c.anchor() else {
                    b.append_null();
                    continue;
                };
                let geometry = match c.footprint() {
                    Some(shape) => Geometry::MultiPolygon(shape.clone()),
                    None => Geometry::Point(anchor),
                };
                wkb::writer::write_geometry(&mut bytes, &geometry, &Default::default())
                    .map_err(io::Error::other)?;
                b.append_value(&bytes);
            }
            Arc::new(b.finish())
        }
        GeometryEncoding::Point => {
            let mut b = StructBuilder::from_fields(point_fields(), rows.len());
            for c in &rows {
                // A null point still takes a value in each child array.
                let p = c.anchor();
                let (px, py) = p.map_or((0.0, 0.0), |p| (p.x(), p.y()));
                let x = b.field_builder::<Float64Builder>(0).expect("x");
                x.append_value(px);
                let y = b.field_builder::<Float64Builder>(1).expect("y");
                y.append_value(py);
                b.append(p.is_some());
            }
            Arc::new(b.finish())
        }
    });
    RecordBatch::try_new(Arc::clone(schema), columns).map_err(io::Error::other)
}
