//! The columns of a carrier table, found in its schema once: the
//! properties, the geometry, and the text columns read as dictionaries.

use std::sync::Arc;

use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Schema};
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
use rayon::prelude::*;

use super::columns::{binary, cell, native_point, Typed};
use super::wkb::wkb_geometry;
use super::{parquet_error, ID_BYTES, PIECE_ROWS};
use crate::json::{position, Coords, Json};
use crate::read::feature::{Checked, Checks, GeometryType, RawFeature, Row};

use crate::carrier::Carriers;
use crate::carrier::RejectReason;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind};

/// Where a table keeps each carrier's geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum GeometrySource {
    /// A GeoParquet column: WKB, or GeoArrow's native point encoding.
    GeoParquet { column: usize, encoding: Encoding },
    /// Longitude and latitude in two numeric columns.
    LonLat { lon: usize, lat: usize },
}

/// How a GeoParquet column encodes its geometries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Wkb,
    Point,
}

/// The property columns a carrier table may have, as the GeoJSON reader
/// names the properties.
pub(super) const PROPERTIES: [&str; 12] = [
    "id",
    "name",
    "kind",
    "category",
    "level",
    "floor_area_m2",
    "enterprises",
    "tech_enterprises",
    "opened",
    "overlay",
    "closed",
    "district",
];

/// What a property column may hold: the Arrow types whose values can be
/// valid. A column of another type is an error for the whole file.
pub(super) fn accepts(property: &str, t: &DataType) -> bool {
    // A dictionary (a pandas or polars categorical) holds its values' type.
    if let DataType::Dictionary(key, values) = t {
        return key.is_integer() && accepts(property, values);
    }
    let text = matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let integer = t.is_integer();
    match property {
        "id" | "district" => text || integer,
        "floor_area_m2" | "enterprises" | "tech_enterprises" => integer || t.is_floating(),
        "opened" | "closed" => {
            text || matches!(
                t,
                DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
            )
        }
        _ => text,
    }
}

/// The columns of a carrier table, found in its schema once.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// The column of each of [`PROPERTIES`], if the table has it.
    pub(super) properties: [Option<usize>; PROPERTIES.len()],
    pub(super) geometry: GeometrySource,
}

impl Layout {
    /// Finds the property columns and the geometry in `schema`: the
    /// columns `lon_lat` names, else the primary column of the GeoParquet
    /// metadata `geo`.
    pub(super) fn new(
        schema: &Schema,
        geo: Option<&str>,
        lon_lat: Option<(&str, &str)>,
    ) -> Result<Layout, Error> {
        let properties = properties(schema, |name| schema.index_of(name).ok())?;
        let geometry = match lon_lat {
            Some((lon, lat)) => lon_lat_source(schema, lon, lat)?,
            None => {
                let geo = geo.ok_or(ErrorKind::NoGeometryColumn)?;
                let (name, encoding) = primary_column(geo)?;
                geometry_source(schema, index_of(schema, &name)?, encoding)?
            }
        };
        Ok(Layout {
            properties,
            geometry,
        })
    }

    /// The schema's columns this layout reads, ascending.
    pub(super) fn columns(&self) -> Vec<usize> {
        let geometry = match self.geometry {
            GeometrySource::GeoParquet { column, .. } => vec![column],
            GeometrySource::LonLat { lon, lat } => vec![lon, lat],
        };
        let mut columns: Vec<usize> = self.properties.iter().flatten().copied().collect();
        columns.extend(geometry);
        columns.sort_unstable();
        columns.dedup();
        columns
    }

    /// The same layout over a batch of only the `columns` (ascending)
    /// it names, in their order.
    pub(super) fn within(self, columns: &[usize]) -> Layout {
        let at = |i: usize| {
            columns
                .binary_search(&i)
                .expect("a column the layout names")
        };
        Layout {
            properties: self.properties.map(|i| i.map(at)),
            geometry: match self.geometry {
                GeometrySource::GeoParquet { column, encoding } => GeometrySource::GeoParquet {
                    column: at(column),
                    encoding,
                },
                GeometrySource::LonLat { lon, lat } => GeometrySource::LonLat {
                    lon: at(lon),
                    lat: at(lat),
                },
            },
        }
    }

    /// Row `row` of `batch` as a GeoJSON feature would hold it; a WKB
    /// geometry that cannot be read is its rejection.
    pub(super) fn row(&self, batch: &RecordBatch, row: usize) -> Result<Row, RejectReason> {
        let property = |k: usize| {
            self.properties[k]
                .map(|i| batch.column(i))
                .and_then(|a| cell(a, row))
        };
        let geometry = match &self.geometry {
            GeometrySource::LonLat { lon, lat } => {
                let lon = cell(batch.column(*lon), row).and_then(|j| j.as_f64());
                let lat = cell(batch.column(*lat), row).and_then(|j| j.as_f64());
                match (lon, lat) {
                    (None, None) => None,
                    (Some(x), Some(y)) => {
                        Some((Ok(GeometryType::Point), Coords::Position(position(x, y))))
                    }
                    (lon, _) => {
                        let which = if lon.is_none() {
                            "longitude"
                        } else {
                            "latitude"
                        };
                        let why = format!("the {which} is null");
                        Some((Ok(GeometryType::Point), Coords::Malformed(why)))
                    }
                }
            }
            GeometrySource::GeoParquet { column, encoding } => {
                let array = batch.column(*column);
                if array.is_null(row) {
                    None
                } else {
                    Some(match encoding {
                        Encoding::Wkb => wkb_geometry(binary(array, row))?,
                        Encoding::Point => native_point(array, row),
                    })
                }
            }
        };
        Ok(Row {
            id: property(0),
            name: property(1),
            kind: property(2),
            category: property(3),
            level: property(4),
            floor_area_m2: property(5),
            enterprises: property(6),
            tech_enterprises: property(7),
            opened: property(8),
            overlay: property(9),
            closed: property(10),
            district: property(11),
            geometry,
            ..Row::default()
        })
    }

    /// Checks the rows of `batch` into carriers (and rejections), on
    /// rayon's threads, and appends them to `out`; `first` is the number
    /// of the batch's first row in the file.
    pub(super) fn check_batch(
        &self,
        batch: &RecordBatch,
        checks: &Checks,
        first: usize,
        out: &mut Carriers,
    ) -> Result<(), Error> {
        let rows = batch.num_rows();
        let typed = Typed::new(self, batch);
        let pieces: Vec<Carriers> = (0..rows.div_ceil(PIECE_ROWS))
            .into_par_iter()
            .map(|piece| {
                let range = piece * PIECE_ROWS..rows.min((piece + 1) * PIECE_ROWS);
                let mut out =
                    Carriers::with_capacity(Datum::Wgs84, range.len(), ID_BYTES * range.len());
                self.check_rows(batch, &typed, range, checks, first, &mut out)?;
                Ok(out)
            })
            .collect::<Result<_, Error>>()?;
        for piece in pieces {
            let index = out.features_read();
            out.append(piece)
                .map_err(|_| ErrorKind::StoreFull { index })?;
        }
        Ok(())
    }

    /// Checks the rows `range` of `batch` into `out`, one after the other
    /// on this thread.
    pub(super) fn check_rows(
        &self,
        batch: &RecordBatch,
        typed: &Typed,
        range: std::ops::Range<usize>,
        checks: &Checks,
        first: usize,
        out: &mut Carriers,
    ) -> Result<(), Error> {
        let mut id_text = String::new();
        for row in range {
            if typed.store(row, checks, &mut id_text, out) {
                continue;
            }
            out.store(self.check_row(batch, row, checks))
                .map_err(|_| ErrorKind::StoreFull { index: first + row })?;
        }
        Ok(())
    }

    /// Row `row` of `batch` checked by the lenient path: its carrier, or
    /// why it is rejected.
    pub(super) fn check_row(&self, batch: &RecordBatch, row: usize, checks: &Checks) -> Checked {
        match self.row(batch, row) {
            Ok(row) => RawFeature::from(row).check(checks),
            Err(reason) => Err((self.id_of(batch, row), reason)),
        }
    }

    /// The id cell of a row as text, for a rejection.
    pub(super) fn id_of(&self, batch: &RecordBatch, row: usize) -> Option<String> {
        match self.properties[0].and_then(|i| cell(batch.column(i), row))? {
            Json::Str(s) => Some(s),
            other => other.as_f64().map(|_| other.describe()),
        }
    }
}

/// The column named `name`, or the error that names the columns there are.
pub(super) fn index_of(schema: &Schema, name: &str) -> Result<usize, Error> {
    schema.index_of(name).map_err(|_| {
        ErrorKind::MissingColumn {
            column: name.to_string(),
            columns: column_list(schema),
            mapping: None,
        }
        .into()
    })
}

/// The column of each of [`PROPERTIES`] that `find` finds, each checked to
/// be of a type whose values can be valid; an error when a column no row
/// could be a carrier without is missing.
pub(super) fn properties(
    schema: &Schema,
    find: impl Fn(&str) -> Option<usize>,
) -> Result<[Option<usize>; PROPERTIES.len()], Error> {
    let mut properties = [None; PROPERTIES.len()];
    for (slot, name) in properties.iter_mut().zip(PROPERTIES) {
        let Some(i) = find(name) else {
            continue;
        };
        let field = schema.field(i);
        if !accepts(name, field.data_type()) {
            return Err(wrong_type(field.name(), field.data_type(), expected(name)));
        }
        *slot = Some(i);
    }
    // Without these no row could be a carrier: one error, not a
    // rejection per row.
    for (k, required) in PROPERTIES.iter().enumerate() {
        if ["id", "kind", "floor_area_m2"].contains(required) && properties[k].is_none() {
            return Err(ErrorKind::MissingColumn {
                column: required.to_string(),
                columns: column_list(schema),
                mapping: None,
            }
            .into());
        }
    }
    Ok(properties)
}

/// Points from the numeric columns `lon` and `lat`.
pub(super) fn lon_lat_source(
    schema: &Schema,
    lon: &str,
    lat: &str,
) -> Result<GeometrySource, Error> {
    let (lon, lat) = (index_of(schema, lon)?, index_of(schema, lat)?);
    for i in [lon, lat] {
        let field = schema.field(i);
        if !(field.data_type().is_floating() || field.data_type().is_integer()) {
            return Err(wrong_type(field.name(), field.data_type(), "a number"));
        }
    }
    Ok(GeometrySource::LonLat { lon, lat })
}

/// The geometry column `i` in `encoding`, checked to be of a type that
/// encoding uses.
pub(super) fn geometry_source(
    schema: &Schema,
    i: usize,
    encoding: Encoding,
) -> Result<GeometrySource, Error> {
    let field = schema.field(i);
    let t = field.data_type();
    let fits = match encoding {
        Encoding::Wkb => matches!(
            t,
            DataType::Binary | DataType::LargeBinary | DataType::BinaryView
        ),
        Encoding::Point => point_fields(t).is_some() || interleaved_point(t),
    };
    if !fits {
        let wanted = match encoding {
            Encoding::Wkb => "binary (WKB)",
            Encoding::Point => "a struct of x and y doubles, or pairs of doubles (GeoArrow point)",
        };
        return Err(wrong_type(field.name(), t, wanted));
    }
    Ok(GeometrySource::GeoParquet {
        column: i,
        encoding,
    })
}

/// The names of the columns, for a message.
pub(super) fn column_list(schema: &Schema) -> String {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    names.join(", ")
}

pub(super) fn expected(property: &str) -> &'static str {
    match property {
        "id" => "text or an integer",
        "floor_area_m2" | "enterprises" | "tech_enterprises" => "a number",
        "opened" => "text (YYYY-MM-DD) or a date",
        _ => "text",
    }
}

pub(super) fn wrong_type(column: &str, found: &DataType, expected: &'static str) -> Error {
    ErrorKind::WrongColumnType {
        column: column.to_string(),
        found: found.to_string(),
        expected,
    }
    .into()
}

/// The name and encoding of the primary geometry column in GeoParquet
/// metadata (versions 1.0 and 1.1).
pub(super) fn primary_column(geo: &str) -> Result<(String, Encoding), Error> {
    let bad = |why: String| Error::from(ErrorKind::GeoMetadata { problem: why });
    let value: serde_json::Value =
        serde_json::from_str(geo).map_err(|e| bad(format!("not JSON: {e}")))?;
    let primary = value["primary_column"]
        .as_str()
        .ok_or_else(|| bad("no \"primary_column\"".into()))?;
    let encoding = value["columns"][primary]["encoding"]
        .as_str()
        .ok_or_else(|| bad(format!("no encoding for column {primary:?}")))?;
    let encoding = match encoding.to_ascii_lowercase().as_str() {
        "wkb" => Encoding::Wkb,
        "point" => Encoding::Point,
        other => {
            return Err(bad(format!(
                "encoding {other:?} of column {primary:?} is not read: write the geometry as WKB, or points natively"
            )))
        }
    };
    Ok((primary.to_string(), encoding))
}

/// The x and y children of a GeoArrow point column.
pub(super) fn point_fields(t: &DataType) -> Option<(usize, usize)> {
    let DataType::Struct(fields) = t else {
        return None;
    };
    let find = |name: &str| {
        fields
            .iter()
            .position(|f| f.name() == name && f.data_type() == &DataType::Float64)
    };
    Some((find("x")?, find("y")?))
}

/// Whether `t` is GeoArrow's interleaved point: a list of two doubles.
pub(super) fn interleaved_point(t: &DataType) -> bool {
    matches!(t, DataType::FixedSizeList(item, 2) if item.data_type() == &DataType::Float64)
}

/// `metadata` again, with the text property columns whose every data page
/// is dictionary-encoded (as writers store a column of few distinct texts,
/// such as kinds and dates) read as Arrow dictionaries: each distinct text
/// is then copied once rather than once per row, and parsed once per batch
/// ([`Parsed`]). Other columns would have to be hashed into a dictionary,
/// so they are read as they are.
pub(super) fn with_dictionaries(
    metadata: ArrowReaderMetadata,
    layout: &Layout,
) -> Result<ArrowReaderMetadata, Error> {
    let parquet = metadata.metadata();
    let descriptor = parquet.file_metadata().schema_descr();
    let schema = metadata.schema();
    let texts: Vec<usize> = layout
        .properties
        .iter()
        .flatten()
        .copied()
        .filter(|&i| schema.field(i).data_type() == &DataType::Utf8)
        .collect();
    // A chunk its statistics show all null is no cheaper as a dictionary:
    // its keys would be built null by null.
    let all_null = |chunk: &parquet::file::metadata::ColumnChunkMetaData| {
        let nulls = chunk.statistics().and_then(|s| s.null_count_opt());
        nulls.is_some_and(|n| i64::try_from(n) == Ok(chunk.num_values()))
    };
    let dictionary_only = |leaf: usize| {
        parquet.row_groups().iter().all(|group| {
            let chunk = group.column(leaf);
            !all_null(chunk)
                && chunk.dictionary_page_offset().is_some()
                && chunk.page_encoding_stats_mask().is_some_and(|mask| {
                    mask.is_only(parquet::basic::Encoding::RLE_DICTIONARY)
                        || mask.is_only(parquet::basic::Encoding::PLAIN_DICTIONARY)
                })
        })
    };
    // A text column is one leaf: its root, found from the leaf.
    let dictionaries: Vec<usize> = (0..descriptor.num_columns())
        .map(|leaf| (leaf, descriptor.get_column_root_idx(leaf)))
        .filter(|&(leaf, root)| texts.contains(&root) && dictionary_only(leaf))
        .map(|(_, root)| root)
        .collect();
    if dictionaries.is_empty() || parquet.num_row_groups() == 0 {
        return Ok(metadata);
    }
    let fields: Vec<arrow_schema::FieldRef> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, field)| {
            if dictionaries.contains(&i) {
                let t = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
                Arc::new(field.as_ref().clone().with_data_type(t))
            } else {
                Arc::clone(field)
            }
        })
        .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    let options = ArrowReaderOptions::new().with_schema(schema);
    ArrowReaderMetadata::try_new(Arc::clone(parquet), options).map_err(parquet_error)
}
