//! Carriers from (Geo)Parquet, record batch by record batch.
//!
//! Each row is read as the feature a GeoJSON file would hold (its cells as
//! the property values, its geometry as coordinates) and checked by the
//! same code, so a row becomes the same carrier, or the same rejection, as
//! that feature. Rows are numbered from 0 in file order, as features are.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Condvar, Mutex};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Schema};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::reader::{ChunkReader, Length};
use rayon::prelude::*;
use serde::Serialize;

mod pages;
mod source;

use source::Source;

use super::feature::{
    check_closing, floor_area_in_range, locate, Checked, Checks, GeometryType, RawFeature, Row,
};
use super::json::{position, Coords, Json};
use super::{finish, resolve_datum, ReadOptions};
use crate::atlas::{Atlas, Declared, DistrictId};
use crate::carrier::store::NewCarrier;
use crate::carrier::{Carriers, Category, Kind, Level};
use crate::date::{Date, RecordDate};
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, RejectReason, Rejection};
use crate::place::FootprintRule;
use crate::tally::Tally;

/// Rows decoded at a time: a batch's rows are checked on rayon's threads.
const BATCH_ROWS: usize = 16 * 1024;
/// The largest row groups decoded side by side, one per thread: the rows in
/// flight are those of at most two row groups per thread, so larger ones are
/// read in one stream, whose memory does not depend on their size.
const SIDE_BY_SIDE_GROUP_ROWS: usize = 256 * 1024;
/// Rows per piece of a batch checked on one thread.
const PIECE_ROWS: usize = 2048;
/// Bytes of id text a row is given room for up front.
const ID_BYTES: usize = 16;

/// Where a table keeps each carrier's geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum GeometrySource {
    /// A GeoParquet column: WKB, or GeoArrow's native point encoding.
    GeoParquet { column: usize, encoding: Encoding },
    /// Longitude and latitude in two numeric columns.
    LonLat { lon: usize, lat: usize },
}

/// How a GeoParquet column encodes its geometries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Wkb,
    Point,
}

/// The property columns a carrier table may have, as the GeoJSON reader
/// names the properties.
const PROPERTIES: [&str; 12] = [
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
fn accepts(property: &str, t: &DataType) -> bool {
    let text = matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let integer = t.is_integer();
    match property {
        "id" | "district" => text || integer,
        "floor_area_m2" | "enterprises" | "tech_enterprises" => integer || t.is_floating(),
        "opened" | "closed" => text || matches!(t, DataType::Date32 | DataType::Date64),
        _ => text,
    }
}

/// The columns of a carrier table, found in its schema once.
#[derive(Debug, Clone)]
struct Layout {
    /// The column of each of [`PROPERTIES`], if the table has it.
    properties: [Option<usize>; PROPERTIES.len()],
    geometry: GeometrySource,
}

impl Layout {
    /// Finds the property columns and the geometry in `schema`: the
    /// columns `lon_lat` names, else the primary column of the GeoParquet
    /// metadata `geo`.
    fn new(
        schema: &Schema,
        geo: Option<&str>,
        lon_lat: Option<(&str, &str)>,
    ) -> Result<Layout, Error> {
        let column = |name: &str| -> Result<usize, Error> {
            schema.index_of(name).map_err(|_| {
                ErrorKind::MissingColumn {
                    column: name.to_string(),
                    columns: column_list(schema),
                    mapping: None,
                }
                .into()
            })
        };
        let mut properties = [None; PROPERTIES.len()];
        for (slot, name) in properties.iter_mut().zip(PROPERTIES) {
            let Ok(i) = schema.index_of(name) else {
                continue;
            };
            let found = schema.field(i).data_type();
            if !accepts(name, found) {
                return Err(wrong_type(name, found, expected(name)));
            }
            *slot = Some(i);
        }
        // Without these no row could be a carrier: one error, not a
        // rejection per row.
        for required in ["id", "kind", "floor_area_m2"] {
            column(required)?;
        }
        let geometry = match lon_lat {
            Some((lon, lat)) => {
                let (lon, lat) = (column(lon)?, column(lat)?);
                for i in [lon, lat] {
                    let field = schema.field(i);
                    if !(field.data_type().is_floating() || field.data_type().is_integer()) {
                        return Err(wrong_type(field.name(), field.data_type(), "a number"));
                    }
                }
                GeometrySource::LonLat { lon, lat }
            }
            None => {
                let geo = geo.ok_or(ErrorKind::NoGeometryColumn)?;
                let (name, encoding) = primary_column(geo)?;
                let i = column(&name)?;
                let t = schema.field(i).data_type();
                let fits = match encoding {
                    Encoding::Wkb => matches!(
                        t,
                        DataType::Binary | DataType::LargeBinary | DataType::BinaryView
                    ),
                    Encoding::Point => point_fields(t).is_some(),
                };
                if !fits {
                    let wanted = match encoding {
                        Encoding::Wkb => "binary (WKB)",
                        Encoding::Point => "a struct of x and y doubles (GeoArrow point)",
                    };
                    return Err(wrong_type(&name, t, wanted));
                }
                GeometrySource::GeoParquet {
                    column: i,
                    encoding,
                }
            }
        };
        Ok(Layout {
            properties,
            geometry,
        })
    }

    /// The schema's columns this layout reads, ascending.
    fn columns(&self) -> Vec<usize> {
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
    fn within(self, columns: &[usize]) -> Layout {
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
    fn row(&self, batch: &RecordBatch, row: usize) -> Result<Row, RejectReason> {
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
    fn check_batch(
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
    fn check_rows(
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
    fn check_row(&self, batch: &RecordBatch, row: usize, checks: &Checks) -> Checked {
        match self.row(batch, row) {
            Ok(row) => RawFeature::from(row).check(checks),
            Err(reason) => Err((self.id_of(batch, row), reason)),
        }
    }

    /// The id cell of a row as text, for a rejection.
    fn id_of(&self, batch: &RecordBatch, row: usize) -> Option<String> {
        match self.properties[0].and_then(|i| cell(batch.column(i), row))? {
            Json::Str(s) => Some(s),
            other => other.as_f64().map(|_| other.describe()),
        }
    }
}

/// A column in one of the types most files use, for the fast path.
#[derive(Clone, Copy)]
enum Column<'a> {
    Absent,
    Text(&'a arrow_array::StringArray),
    Int64(&'a arrow_array::Int64Array),
    Int32(&'a arrow_array::Int32Array),
    UInt32(&'a arrow_array::UInt32Array),
    Float64(&'a arrow_array::Float64Array),
    Date32(&'a arrow_array::Date32Array),
    /// Texts kept once each: keys into the values.
    Dictionary(&'a arrow_array::Int32Array, &'a arrow_array::StringArray),
    /// Any other type: a row with a value here takes the lenient path.
    Other,
}

/// A value of a [`Column`], as the fast path takes it.
enum Value<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Date(i32),
    Other,
}

impl<'a> Column<'a> {
    fn of(array: Option<&'a ArrayRef>) -> Column<'a> {
        // A column null in every row of the batch (a property the file
        // leaves empty) is looked at no more than an absent one.
        let Some(array) = array.filter(|a| a.null_count() < a.len()) else {
            return Column::Absent;
        };
        match array.data_type() {
            DataType::Utf8 => Column::Text(array.as_string::<i32>()),
            DataType::Int64 => Column::Int64(array.as_primitive::<Int64Type>()),
            DataType::Int32 => Column::Int32(array.as_primitive::<Int32Type>()),
            DataType::UInt32 => Column::UInt32(array.as_primitive::<UInt32Type>()),
            DataType::Float64 => Column::Float64(array.as_primitive::<Float64Type>()),
            DataType::Date32 => Column::Date32(array.as_primitive::<Date32Type>()),
            DataType::Dictionary(key, value)
                if **key == DataType::Int32 && **value == DataType::Utf8 =>
            {
                let dictionary = array.as_dictionary::<Int32Type>();
                Column::Dictionary(dictionary.keys(), dictionary.values().as_string::<i32>())
            }
            _ => Column::Other,
        }
    }

    #[inline]
    fn get(self, row: usize) -> Value<'a> {
        fn at<A: Array, T>(a: &A, row: usize, f: impl FnOnce() -> T) -> Option<T> {
            (!a.is_null(row)).then(f)
        }
        let value = match self {
            Column::Absent => Some(Value::Null),
            Column::Text(a) => at(a, row, || Value::Text(a.value(row))),
            Column::Int64(a) => at(a, row, || Value::Int(a.value(row))),
            Column::Int32(a) => at(a, row, || Value::Int(i64::from(a.value(row)))),
            Column::UInt32(a) => at(a, row, || Value::Int(i64::from(a.value(row)))),
            Column::Float64(a) => at(a, row, || Value::Float(a.value(row))),
            Column::Date32(a) => at(a, row, || Value::Date(a.value(row))),
            Column::Dictionary(keys, values) => at(keys, row, || {
                let key = keys.value(row) as usize;
                match key < values.len() {
                    true if values.is_null(key) => Value::Null,
                    true => Value::Text(values.value(key)),
                    false => Value::Other,
                }
            }),
            Column::Other => Some(Value::Other),
        };
        value.unwrap_or(Value::Null)
    }
}

/// The columns of one batch typed once: the fast path for a row as most
/// files hold it, stored without an allocation of its own.
///
/// As the GeoJSON reader's fast path, it accepts a row only when every
/// check passes, with the same check functions and the same values the
/// lenient path would see; anything else (another type, a value to reject)
/// is left to the lenient path, which decides and names the rejection.
struct Typed<'a> {
    properties: [Column<'a>; PROPERTIES.len()],
    kind: Parsed<'a, Kind>,
    category: Parsed<'a, Option<Category>>,
    level: Parsed<'a, Option<Level>>,
    opened: Parsed<'a, Option<RecordDate>>,
    closed: Parsed<'a, Option<RecordDate>>,
    geometry: TypedGeometry<'a>,
}

/// A column of texts the fast path parses, with the parse: `None` where
/// the lenient path must decide. A dictionary of fewer texts than the
/// batch has rows is parsed once per text, its rows then looked up.
struct Parsed<'a, T> {
    column: Column<'a>,
    parse: fn(Value) -> Option<T>,
    by_key: Option<(&'a arrow_array::Int32Array, Vec<Option<T>>)>,
}

impl<'a, T: Copy> Parsed<'a, T> {
    fn new(column: Column<'a>, parse: fn(Value) -> Option<T>, rows: usize) -> Parsed<'a, T> {
        let by_key = match column {
            Column::Dictionary(keys, values) if values.len() < rows => {
                let text = |i| match values.is_null(i) {
                    true => Value::Null,
                    false => Value::Text(values.value(i)),
                };
                Some((keys, (0..values.len()).map(|i| parse(text(i))).collect()))
            }
            _ => None,
        };
        Parsed {
            column,
            parse,
            by_key,
        }
    }

    #[inline]
    fn get(&self, row: usize) -> Option<T> {
        match &self.by_key {
            Some((keys, parsed)) if keys.is_valid(row) => {
                let key = keys.value(row) as usize;
                parsed.get(key).copied().flatten()
            }
            _ => (self.parse)(self.column.get(row)),
        }
    }
}

/// A kind, as the fast path takes it.
fn kind(value: Value) -> Option<Kind> {
    match value {
        Value::Text(text) => text.parse().ok(),
        _ => None,
    }
}

enum TypedGeometry<'a> {
    LonLat(Column<'a>, Column<'a>),
    Wkb(&'a ArrayRef),
    Other,
}

impl<'a> Typed<'a> {
    fn new(layout: &Layout, batch: &'a RecordBatch) -> Typed<'a> {
        let properties = layout
            .properties
            .map(|i| Column::of(i.map(|i| batch.column(i))));
        let geometry = match layout.geometry {
            GeometrySource::LonLat { lon, lat } => TypedGeometry::LonLat(
                Column::of(Some(batch.column(lon))),
                Column::of(Some(batch.column(lat))),
            ),
            GeometrySource::GeoParquet {
                column,
                encoding: Encoding::Wkb,
            } => TypedGeometry::Wkb(batch.column(column)),
            GeometrySource::GeoParquet {
                column,
                encoding: Encoding::Point,
            } => {
                let points = batch.column(column);
                let (x, y) = point_fields(points.data_type()).expect("checked with the layout");
                let points = points.as_struct();
                if points.null_count() > 0 {
                    TypedGeometry::Other
                } else {
                    TypedGeometry::LonLat(
                        Column::of(Some(points.column(x))),
                        Column::of(Some(points.column(y))),
                    )
                }
            }
        };
        let rows = batch.num_rows();
        Typed {
            kind: Parsed::new(properties[2], kind, rows),
            category: Parsed::new(properties[3], optional, rows),
            level: Parsed::new(properties[4], optional, rows),
            opened: Parsed::new(properties[8], record_date, rows),
            closed: Parsed::new(properties[10], record_date, rows),
            properties,
            geometry,
        }
    }

    /// Checks row `row` and stores its carrier in `out`; `false`, with
    /// nothing stored, when the lenient path must decide.
    fn store(&self, row: usize, checks: &Checks, id_text: &mut String, out: &mut Carriers) -> bool {
        use std::fmt::Write;
        let p = |k: usize| self.properties[k].get(row);
        let within = |property, text: &str| checks.text(property, text).is_ok();
        let id = match p(0) {
            Value::Text(id) => id,
            Value::Int(n) => {
                id_text.clear();
                write!(id_text, "{n}").expect("a String takes any text");
                id_text.as_str()
            }
            _ => return false,
        };
        if id.is_empty() || !within("id", id) {
            return false;
        }
        let Some(kind) = self.kind.get(row) else {
            return false;
        };
        let (Some(category), Some(level)) = (self.category.get(row), self.level.get(row)) else {
            return false;
        };
        let name = match p(1) {
            Value::Null => None,
            Value::Text(name) if within("name", name) => Some(name),
            _ => return false,
        };
        let overlay = match p(9) {
            Value::Null => None,
            Value::Text(overlay) if !overlay.is_empty() && within("overlay", overlay) => {
                match checks.overlay(overlay) {
                    Ok(id) => Some(id),
                    Err(_) => return false,
                }
            }
            _ => return false,
        };
        let area = match p(5) {
            Value::Int(n) => n as f64,
            Value::Float(x) => x,
            _ => return false,
        };
        let Ok(floor_area_m2) = floor_area_in_range(area) else {
            return false;
        };
        let (Some(enterprises), Some(tech_enterprises)) = (count(p(6)), count(p(7))) else {
            return false;
        };
        let (Some(opened), Some(closed)) = (self.opened.get(row), self.closed.get(row)) else {
            return false;
        };
        if check_closing(opened, closed).is_err() || !matches!(p(11), Value::Null) {
            return false;
        }
        let located = match &self.geometry {
            TypedGeometry::LonLat(lon, lat) => match (lon.get(row), lat.get(row)) {
                (Value::Float(x), Value::Float(y)) => locate(
                    GeometryType::Point,
                    &Coords::Position(position(x, y)),
                    checks,
                ),
                _ => return false,
            },
            TypedGeometry::Wkb(array) if !array.is_null(row) => {
                match wkb_geometry(binary(array, row)) {
                    Ok((Ok(type_), coords)) => locate(type_, &coords, checks),
                    _ => return false,
                }
            }
            _ => return false,
        };
        let Ok((anchor, footprint, swapped)) = located else {
            return false;
        };
        let new = NewCarrier {
            id,
            name,
            kind,
            category,
            level,
            floor_area_m2,
            enterprises,
            tech_enterprises,
            opened,
            closed,
            overlay,
            district: None,
            anchor: Some(anchor),
            footprint,
        };
        if out.try_push(new).is_err() {
            return false;
        }
        out.accept(swapped);
        true
    }
}

/// An optional date: `Some(None)` when null, `None` when the lenient path
/// must decide.
fn record_date(value: Value) -> Option<Option<RecordDate>> {
    match value {
        Value::Null => Some(None),
        Value::Text(text) => text.parse().ok().map(Some),
        Value::Date(days) => {
            Date::from_days_since_epoch(i64::from(days)).map(|d| Some(RecordDate::Day(d)))
        }
        _ => None,
    }
}

/// An optional kind name: `Some(None)` when null, `None` when the lenient
/// path must decide.
fn optional<T: std::str::FromStr>(value: Value) -> Option<Option<T>> {
    match value {
        Value::Null => Some(None),
        Value::Text(text) => text.parse().ok().map(Some),
        _ => None,
    }
}

/// A count as the lenient path reads it (null is 0); `None` when the
/// lenient path must decide.
fn count(value: Value) -> Option<u32> {
    match value {
        Value::Null => Some(0),
        Value::Int(n) => u32::try_from(n).ok(),
        Value::Float(x) if x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x) => {
            Some(x as u32)
        }
        _ => None,
    }
}

/// The names of the columns, for a message.
fn column_list(schema: &Schema) -> String {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    names.join(", ")
}

fn expected(property: &str) -> &'static str {
    match property {
        "id" => "text or an integer",
        "floor_area_m2" | "enterprises" | "tech_enterprises" => "a number",
        "opened" => "text (YYYY-MM-DD) or a date",
        _ => "text",
    }
}

fn wrong_type(column: &str, found: &DataType, expected: &'static str) -> Error {
    ErrorKind::WrongColumnType {
        column: column.to_string(),
        found: found.to_string(),
        expected,
    }
    .into()
}

/// The name and encoding of the primary geometry column in GeoParquet
/// metadata (versions 1.0 and 1.1).
fn primary_column(geo: &str) -> Result<(String, Encoding), Error> {
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
fn point_fields(t: &DataType) -> Option<(usize, usize)> {
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

fn native_point(array: &ArrayRef, row: usize) -> (Result<GeometryType, String>, Coords) {
    let (x, y) = point_fields(array.data_type()).expect("checked with the layout");
    let points = array.as_struct();
    let value = |i: usize| {
        let child = points.column(i).as_primitive::<Float64Type>();
        (!child.is_null(row)).then(|| child.value(row))
    };
    let coords = match (value(x), value(y)) {
        (Some(x), Some(y)) => Coords::Position(position(x, y)),
        _ => Coords::Malformed("a coordinate is null".into()),
    };
    (Ok(GeometryType::Point), coords)
}

pub(crate) fn binary(array: &ArrayRef, row: usize) -> &[u8] {
    match array.data_type() {
        DataType::Binary => array.as_binary::<i32>().value(row),
        DataType::LargeBinary => array.as_binary::<i64>().value(row),
        _ => array.as_binary_view().value(row),
    }
}

/// The anchor of a carrier geometry given as WKB, checked as the reader
/// checks one: a point, or the surface point of a valid (multi)polygon.
#[cfg(feature = "datafusion")]
pub(crate) fn wkb_anchor(bytes: &[u8], checks: &Checks) -> Result<geo::Coord, RejectReason> {
    let (type_, coords) = wkb_geometry(bytes)?;
    let type_ = type_.map_err(|found| RejectReason::UnsupportedGeometry { found })?;
    locate(type_, &coords, checks).map(|(anchor, _, _)| anchor)
}

/// The position of a WKB point: 21 bytes, the byte order, type 1, x and y.
/// `None` for anything else, and for the empty point (NaN, NaN), which the
/// wkb crate reads. Most carrier files hold points, and this is many times
/// faster than the general reader.
fn wkb_point(bytes: &[u8]) -> Option<geo::Coord> {
    let (&order, rest) = bytes.split_first()?;
    let rest: &[u8; 20] = rest.try_into().ok()?;
    let (kind, x, y) = (&rest[..4], &rest[4..12], &rest[12..]);
    let read = |b: &[u8]| {
        let b: [u8; 8] = b.try_into().expect("8 bytes");
        if order == 1 {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        }
    };
    let point = match order {
        1 => kind == [1, 0, 0, 0],
        0 => kind == [0, 0, 0, 1],
        _ => false,
    };
    let (x, y) = (read(x), read(y));
    (point && !(x.is_nan() && y.is_nan())).then(|| position(x, y))
}

/// The type and coordinates of a WKB geometry.
fn wkb_geometry(bytes: &[u8]) -> Result<(Result<GeometryType, String>, Coords), RejectReason> {
    match wkb_point(bytes) {
        Some(c) => Ok((Ok(GeometryType::Point), Coords::Position(c))),
        None => any_wkb_geometry(bytes),
    }
}

/// [`wkb_geometry`] without the fast path for points.
fn any_wkb_geometry(bytes: &[u8]) -> Result<(Result<GeometryType, String>, Coords), RejectReason> {
    use geo_traits::{
        CoordTrait, GeometryTrait, GeometryType as Type, LineStringTrait, MultiPolygonTrait,
        PointTrait, PolygonTrait,
    };
    let invalid = |detail: String| RejectReason::InvalidWkb { detail };
    let geometry = wkb::reader::read_wkb(bytes).map_err(|e| invalid(e.to_string()))?;
    let ring = |r: &wkb::reader::LinearRing| {
        Coords::Positions(r.coords().map(|c| position(c.x(), c.y())).collect())
    };
    let polygon = |p: &wkb::reader::Polygon| {
        let rings = p.exterior().into_iter().chain(p.interiors());
        Coords::Nested(rings.map(&ring).collect())
    };
    Ok(match geometry.as_type() {
        Type::Point(p) => match p.coord() {
            Some(c) => (
                Ok(GeometryType::Point),
                Coords::Position(position(c.x(), c.y())),
            ),
            None => (
                Ok(GeometryType::Point),
                Coords::Malformed("an empty point".into()),
            ),
        },
        Type::Polygon(p) => (Ok(GeometryType::Polygon), polygon(p)),
        Type::MultiPolygon(m) => (
            Ok(GeometryType::MultiPolygon),
            Coords::Nested(m.polygons().map(polygon).collect()),
        ),
        _ => (Err(type_name(&geometry).into()), Coords::Nested(Vec::new())),
    })
}

fn type_name(geometry: &impl geo_traits::GeometryTrait) -> &'static str {
    use geo_traits::GeometryType as Type;
    match geometry.as_type() {
        Type::Point(_) => "Point",
        Type::LineString(_) => "LineString",
        Type::Polygon(_) => "Polygon",
        Type::MultiPoint(_) => "MultiPoint",
        Type::MultiLineString(_) => "MultiLineString",
        Type::MultiPolygon(_) => "MultiPolygon",
        Type::GeometryCollection(_) => "GeometryCollection",
        Type::Rect(_) => "Rect",
        Type::Triangle(_) => "Triangle",
        Type::Line(_) => "Line",
    }
}

/// A cell as the JSON value it stands for; `None` when null.
fn cell(array: &ArrayRef, row: usize) -> Option<Json> {
    if array.is_null(row) {
        return None;
    }
    // As serde_json reads a JSON integer: unsigned unless negative.
    macro_rules! int {
        ($t:ty) => {{
            let n = i64::from(array.as_primitive::<$t>().value(row));
            u64::try_from(n).map_or(Json::Int(n), Json::UInt)
        }};
    }
    Some(match array.data_type() {
        // The only dictionaries read: see `with_dictionaries`.
        DataType::Dictionary(key, _) if **key == DataType::Int32 => {
            let dictionary = array.as_dictionary::<Int32Type>();
            let key = usize::try_from(dictionary.keys().value(row)).ok()?;
            return cell(dictionary.values(), key);
        }
        DataType::Utf8 => Json::Str(array.as_string::<i32>().value(row).into()),
        DataType::LargeUtf8 => Json::Str(array.as_string::<i64>().value(row).into()),
        DataType::Utf8View => Json::Str(array.as_string_view().value(row).into()),
        DataType::Int8 => int!(Int8Type),
        DataType::Int16 => int!(Int16Type),
        DataType::Int32 => int!(Int32Type),
        DataType::Int64 => int!(Int64Type),
        DataType::UInt8 => int!(UInt8Type),
        DataType::UInt16 => int!(UInt16Type),
        DataType::UInt32 => int!(UInt32Type),
        DataType::UInt64 => Json::UInt(array.as_primitive::<UInt64Type>().value(row)),
        DataType::Float32 => Json::Float(f64::from(array.as_primitive::<Float32Type>().value(row))),
        DataType::Float64 => Json::Float(array.as_primitive::<Float64Type>().value(row)),
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(row);
            date_text(i64::from(days))
        }
        DataType::Date64 => {
            let ms = array.as_primitive::<Date64Type>().value(row);
            date_text(ms.div_euclid(86_400_000))
        }
        // The layout admits no other type.
        _ => Json::Object,
    })
}

/// A date cell as the text a GeoJSON file would hold; a day outside years
/// 1 to 9999 as its day number, which the date check refuses by name.
fn date_text(days: i64) -> Json {
    Json::Str(match Date::from_days_since_epoch(days) {
        Some(date) => date.to_string(),
        None => format!("day {days} after 1970-01-01"),
    })
}

/// Reads a (Geo)Parquet carrier file, record batch by record batch, into a
/// store in the file's datum, with a rejection for every row that is not a
/// carrier, as [`read_carriers`](crate::read_carriers) does for GeoJSON.
///
/// The parquet and arrow crates can panic on a corrupt file (a schema with
/// an impossible type, say) where they should return an error; such a
/// panic is caught and returned as [`ErrorKind::Parquet`], so that a
/// hostile file cannot bring down a service.
pub(super) fn read<R: ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| read_unguarded(file, options)));
    read.unwrap_or_else(|panic| Err(decoder_failed(&panic)))
}

/// The error for a panic inside the decoder.
fn decoder_failed(panic: &Box<dyn std::any::Any + Send>) -> Error {
    let why = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    ErrorKind::Parquet {
        message: format!("the decoder failed on it ({why})"),
    }
    .into()
}

fn read_unguarded<R: ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    let source = Source::new(file);
    let table = Table::open(&source, options)?;
    let declared = table.declared;
    // Sized for every row at once: growing by doubling would copy the
    // columns and, while copying, hold them twice. A file's metadata may
    // claim any number of rows, so no more than one per 8 bytes of file
    // (real files take 20 or more) is believed.
    let rows = table
        .rows()
        .min(usize::try_from(source.len() / 8).unwrap_or(usize::MAX));
    let mut out = table.store_for(rows);
    table.read(source, options, &mut out, |_| Ok(()))?;
    finish(out, declared, options, "Parquet file")
}

/// A Parquet carrier file, opened: its metadata read and its columns
/// found, no row read.
struct Table {
    metadata: ArrowReaderMetadata,
    /// The columns a carrier is read from; others are never decoded.
    projection: ProjectionMask,
    /// Where those columns are in a decoded batch.
    layout: Layout,
    /// The datum its key-value metadata declares.
    declared: Option<Datum>,
}

impl Table {
    fn open<R: ChunkReader>(source: &R, options: &ReadOptions) -> Result<Table, Error> {
        // The Arrow schema some writers embed adds nothing the Parquet schema
        // lacks for the types read here, and its decoder is the one most
        // exposed to a corrupt file.
        let arrow = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
        let metadata = ArrowReaderMetadata::load(source, arrow).map_err(parquet_error)?;
        let file = metadata.metadata().file_metadata();
        let value = |key: &str| {
            file.key_value_metadata()
                .and_then(|kv| kv.iter().find(|e| e.key == key))
                .and_then(|e| e.value.clone())
        };
        let declared = value("datum")
            .map(|name| {
                name.parse::<Datum>()
                    .map_err(|e| Error::from(ErrorKind::UnknownDatum(e)))
            })
            .transpose()?;
        let lon_lat = options
            .coordinate_columns
            .as_ref()
            .map(|(lon, lat)| (lon.as_str(), lat.as_str()));
        let layout = Layout::new(metadata.schema(), value("geo").as_deref(), lon_lat)?;
        // Top-level fields are the Parquet schema's root columns, in order.
        let needed = layout.columns();
        let projection = ProjectionMask::roots(metadata.parquet_schema(), needed.iter().copied());
        let limits = options.limits;
        if usize::try_from(file.num_rows()).map_or(true, |n| n > limits.max_features) {
            return Err(ErrorKind::TooManyFeatures {
                limit: limits.max_features,
            }
            .into());
        }
        let metadata = with_dictionaries(metadata, &layout)?;
        let layout = layout.within(&needed);
        Ok(Table {
            metadata,
            projection,
            layout,
            declared,
        })
    }

    /// The rows of the file, as its metadata says (checked against the
    /// feature limit on opening).
    fn rows(&self) -> usize {
        usize::try_from(self.metadata.metadata().file_metadata().num_rows()).unwrap_or(0)
    }

    /// An empty store with room for `rows` carriers.
    fn store_for(&self, rows: usize) -> Carriers {
        Carriers::with_capacity(Datum::Wgs84, rows, ID_BYTES * rows)
    }

    /// A decoder of the whole file, or of one row group.
    fn decoder<R: ChunkReader + 'static>(
        &self,
        source: R,
        row_group: Option<usize>,
    ) -> Result<ParquetRecordBatchReader, Error> {
        let metadata = self.metadata.metadata();
        let groups = match row_group {
            Some(group) => group..group + 1,
            None => 0..metadata.num_row_groups(),
        };
        for group in groups {
            pages::check_row_group(&source, metadata, group, |leaf| {
                self.projection.leaf_included(leaf)
            })?;
        }
        let builder =
            ParquetRecordBatchReaderBuilder::new_with_metadata(source, self.metadata.clone())
                .with_projection(self.projection.clone())
                .with_batch_size(BATCH_ROWS);
        let builder = match row_group {
            Some(group) => builder.with_row_groups(vec![group]),
            None => builder,
        };
        builder.build().map_err(parquet_error)
    }

    /// Checks every row into `out`, in row order, calling `batch_read`
    /// after each batch or row group (it may take the carriers out of
    /// `out`). A file or bytes of several row groups of at most
    /// [`SIDE_BY_SIDE_GROUP_ROWS`] rows are decoded a row group per thread;
    /// anything else in one stream.
    fn read<R: ChunkReader + 'static>(
        &self,
        source: Source<R>,
        options: &ReadOptions,
        out: &mut Carriers,
        batch_read: impl FnMut(&mut Carriers) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let checks = Checks::new(options);
        let groups = self.metadata.metadata().row_groups();
        let small = groups
            .iter()
            .all(|g| g.num_rows() <= SIDE_BY_SIDE_GROUP_ROWS as i64);
        if groups.len() > 1 && small && rayon::current_num_threads() > 1 && source.split().is_some()
        {
            self.read_row_groups(&source, &checks, out, batch_read)
        } else {
            self.read_stream(source, &checks, out, batch_read)
        }
    }

    /// One decoder: the next batch is decoded on a thread of its own while
    /// the rows of this one are checked on rayon's.
    fn read_stream<R: ChunkReader + 'static>(
        &self,
        source: Source<R>,
        checks: &Checks,
        out: &mut Carriers,
        mut batch_read: impl FnMut(&mut Carriers) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut reader = self.decoder(source, None)?;
        let mut next = reader.next();
        while let Some(batch) = next {
            let batch = batch.map_err(arrow_error)?;
            let (decoded, checked) = std::thread::scope(|scope| {
                let decoding = scope.spawn(|| reader.next());
                let first = out.features_read();
                let checked = self.layout.check_batch(&batch, checks, first, out);
                (decoding.join(), checked)
            });
            checked?;
            batch_read(out)?;
            next = decoded.map_err(|panic| decoder_failed(&panic))?;
        }
        Ok(())
    }

    /// A decoder per row group, each decoded and checked into a store of
    /// its own on one of as many threads as rayon has, which take the row
    /// groups in file order; meanwhile this thread appends the stores in row order as they
    /// come, so that no thread waits for the slowest of a set. A row group
    /// is taken only while fewer than two per thread wait to be appended:
    /// the rows in flight stay those of a few row groups.
    fn read_row_groups<R: ChunkReader + 'static>(
        &self,
        source: &Source<R>,
        checks: &Checks,
        out: &mut Carriers,
        mut batch_read: impl FnMut(&mut Carriers) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let row_groups = self.metadata.metadata().row_groups();
        let mut first_rows = Vec::with_capacity(row_groups.len());
        let mut rows = 0;
        for group in row_groups {
            first_rows.push(rows);
            rows += usize::try_from(group.num_rows()).unwrap_or(0);
        }
        let read_group = |group: usize| -> Result<Carriers, Error> {
            let source = source.split().expect("a source that splits");
            // At most SIDE_BY_SIDE_GROUP_ROWS, so believed.
            let group_rows = usize::try_from(row_groups[group].num_rows()).unwrap_or(0);
            let mut piece = self.store_for(group_rows);
            // Row groups are already side by side, one per thread: rows
            // are checked straight into the group's store.
            for batch in self.decoder(source, Some(group))? {
                let first = first_rows[group] + piece.features_read();
                let batch = batch.map_err(arrow_error)?;
                let typed = Typed::new(&self.layout, &batch);
                let rows = 0..batch.num_rows();
                (self.layout).check_rows(&batch, &typed, rows, checks, first, &mut piece)?;
            }
            Ok(piece)
        };
        let threads = rayon::current_num_threads();
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..row_groups.len())
            .map(|_| std::sync::mpsc::sync_channel::<Result<Carriers, Error>>(1))
            .unzip();
        let next = AtomicUsize::new(0);
        // How many row groups are appended, and whether to stop.
        let appended = (Mutex::new((0, false)), Condvar::new());
        let worker = |senders: &[SyncSender<Result<Carriers, Error>>]| loop {
            let group = next.fetch_add(1, Ordering::Relaxed);
            let Some(sender) = senders.get(group) else {
                return;
            };
            let (lock, turn) = &appended;
            let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
            while group >= state.0 + 2 * threads && !state.1 {
                state = turn.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if state.1 {
                return;
            }
            drop(state);
            // A panic in the decoder is the group's error, so that the
            // appending thread, waiting for this group, is told.
            let piece = std::panic::catch_unwind(AssertUnwindSafe(|| read_group(group)));
            let _ = sender.send(piece.unwrap_or_else(|panic| Err(decoder_failed(&panic))));
        };
        let set_appended = |count: usize, stop: bool| {
            let (lock, turn) = &appended;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = (count, stop);
            turn.notify_all();
        };
        std::thread::scope(|scope| {
            // The senders go with the workers: should they end without
            // sending, the receiver below is told rather than left waiting.
            // Threads of their own, not rayon's: this thread blocks on them,
            // which would deadlock a pool whose threads all did so.
            scope.spawn(move || {
                let senders = &senders;
                std::thread::scope(|workers| {
                    for _ in 0..threads {
                        workers.spawn(|| worker(senders));
                    }
                })
            });
            for (group, receiver) in receivers.iter().enumerate() {
                let piece = receiver.recv().unwrap_or_else(|_| {
                    Err(ErrorKind::Parquet {
                        message: "a row group's decoder stopped".into(),
                    }
                    .into())
                });
                let appended = piece.and_then(|piece| {
                    let index = out.features_read();
                    out.append(piece)
                        .map_err(|_| Error::from(ErrorKind::StoreFull { index }))?;
                    batch_read(out)
                });
                if let Err(e) = appended {
                    set_appended(group, true);
                    return Err(e);
                }
                set_appended(group + 1, false);
            }
            Ok(())
        })
    }
}

/// `metadata` again, with the text property columns whose every data page
/// is dictionary-encoded (as writers store a column of few distinct texts,
/// such as kinds and dates) read as Arrow dictionaries: each distinct text
/// is then copied once rather than once per row, and parsed once per batch
/// ([`Parsed`]). Other columns would have to be hashed into a dictionary,
/// so they are read as they are.
fn with_dictionaries(
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

/// Rejections and mismatches a streamed tally keeps; past them it only
/// counts.
const KEPT: usize = 10_000;

/// What [`tally_parquet`] found: the tally, and what became of the rows.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StreamedTally {
    /// The carriers, tallied by district, zone and city.
    pub tally: Tally,
    /// The file's datum (the carriers were converted to the atlas's).
    pub datum: Datum,
    /// Rows read.
    pub rows_read: usize,
    /// Rows that became carriers.
    pub carriers: usize,
    /// Rows refused.
    pub rejected: usize,
    /// The first 10,000 rejections, with their row numbers.
    pub rejections: Vec<Rejection>,
    /// Carriers whose location lies outside the district their row names
    /// (they count where they lie).
    pub mismatched: usize,
    /// The first 10,000 of them.
    pub mismatches: Vec<StreamedMismatch>,
}

/// A row of a streamed tally whose location lies outside the district it
/// names: [`Mismatch`](crate::Mismatch), with the row kept, since the
/// carrier is not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StreamedMismatch {
    /// The row's index in the file, from 0.
    pub index: usize,
    /// The carrier's id.
    pub id: String,
    /// The district as the row writes it.
    pub written: String,
    /// What that names.
    pub declared: Declared,
    /// The district its location lies in, or `None` outside every district.
    pub located: Option<DistrictId>,
}

/// Tallies a (Geo)Parquet carrier file batch by batch, placing each batch
/// in `atlas` by `rule` and letting its carriers go: memory does not grow
/// with the number of rows. Rows are read and checked as
/// [`read_carriers_parquet`](crate::read_carriers_parquet) reads them,
/// except that duplicate ids are not looked for (that needs memory in
/// proportion to the rows): read the file whole to find them.
///
/// # Errors
///
/// As [`read_carriers_parquet`](crate::read_carriers_parquet); the datum
/// is resolved before any row is read.
pub fn tally_parquet<R: ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
    atlas: &Atlas,
    rule: FootprintRule,
) -> Result<StreamedTally, Error> {
    let streamed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let source = Source::new(file);
        let table = Table::open(&source, options)?;
        let datum = resolve_datum("Parquet file", table.declared, options.datum)?;
        let mut streamed = StreamedTally {
            tally: Tally::empty(atlas),
            datum,
            rows_read: 0,
            carriers: 0,
            rejected: 0,
            rejections: Vec::new(),
            mismatched: 0,
            mismatches: Vec::new(),
        };
        let mut out = Carriers::new(datum);
        table.read(source, options, &mut out, |out| {
            let mut batch = std::mem::replace(out, Carriers::new(datum));
            batch.set_datum(datum);
            let first = streamed.rows_read;
            streamed.rows_read += batch.features_read();
            streamed.carriers += batch.len();
            streamed.rejected += batch.rejections().len();
            let room = KEPT.saturating_sub(streamed.rejections.len());
            streamed
                .rejections
                .extend(batch.rejections().iter().take(room).map(|r| Rejection {
                    index: first + r.index,
                    ..r.clone()
                }));
            let placed = atlas.place(batch, rule);
            let carriers = placed.carriers();
            streamed.mismatched += placed.mismatches().len();
            let room = KEPT.saturating_sub(streamed.mismatches.len());
            streamed
                .mismatches
                .extend(
                    placed
                        .mismatches()
                        .iter()
                        .take(room)
                        .map(|m| StreamedMismatch {
                            index: first + carriers.feature_index(m.position),
                            id: carriers.get(m.position).id().to_string(),
                            written: m.written.clone(),
                            declared: m.declared.clone(),
                            located: m.located,
                        }),
                );
            streamed.tally.add_tally(&Tally::new(&placed));
            Ok(())
        })?;
        Ok(streamed)
    }));
    streamed.unwrap_or_else(|panic| Err(decoder_failed(&panic)))
}

fn arrow_error(e: arrow_schema::ArrowError) -> Error {
    ErrorKind::Parquet {
        message: e.to_string(),
    }
    .into()
}

fn parquet_error(e: parquet::errors::ParquetError) -> Error {
    ErrorKind::Parquet {
        message: e.to_string(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, BinaryArray, Float64Array, Int64Array, RecordBatch, StringArray};
    use arrow_schema::{Field, Schema};
    use bytes::Bytes;
    use parquet::arrow::ArrowWriter;
    use parquet::file::metadata::KeyValue;
    use parquet::file::properties::WriterProperties;
    use proptest::prelude::*;

    use crate::synthetic::Synthetic;
    use arrow_array::cast::AsArray;

    use crate::{
        read_carriers, read_carriers_parquet, tally_parquet, write_carriers_parquet,
        write_placed_parquet, Atlas, Datum, ErrorKind, FootprintRule, GeometryEncoding,
        ReadOptions, RejectReason, StreamedMismatch, Tally,
    };

    fn parquet_of(carriers: &crate::Carriers, encoding: GeometryEncoding) -> Bytes {
        let mut file = Vec::new();
        write_carriers_parquet(&mut file, carriers, encoding).unwrap();
        Bytes::from(file)
    }

    /// A plain Parquet file of these columns, with this key-value metadata.
    fn table(columns: Vec<(&str, ArrayRef)>, metadata: &[(&str, &str)]) -> Bytes {
        table_in_row_groups(columns, metadata, None)
    }

    /// [`table`] with at most `rows_per_group` rows in a row group.
    fn table_in_row_groups(
        columns: Vec<(&str, ArrayRef)>,
        metadata: &[(&str, &str)],
        rows_per_group: Option<usize>,
    ) -> Bytes {
        let fields: Vec<Field> = columns
            .iter()
            .map(|(name, a)| Field::new(*name, a.data_type().clone(), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(
            Arc::clone(&schema),
            columns.into_iter().map(|c| c.1).collect(),
        )
        .unwrap();
        let kv = metadata
            .iter()
            .map(|(k, v)| KeyValue::new(k.to_string(), v.to_string()))
            .collect();
        let properties = WriterProperties::builder()
            .set_key_value_metadata(Some(kv))
            .set_max_row_group_row_count(rows_per_group)
            .build();
        let mut file = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut file, schema, Some(properties)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        Bytes::from(file)
    }

    fn strings(values: &[Option<&str>]) -> ArrayRef {
        Arc::new(StringArray::from(values.to_vec()))
    }

    fn floats(values: &[Option<f64>]) -> ArrayRef {
        Arc::new(Float64Array::from(values.to_vec()))
    }

    fn lon_lat() -> ReadOptions {
        ReadOptions::new().coordinate_columns("lon", "lat")
    }

    proptest! {
        /// The fast path for WKB points reads what the wkb crate reads, in
        /// both byte orders, empty and half-empty points included.
        #[test]
        fn wkb_points_read_as_the_wkb_crate_reads_them(
            big_endian: bool,
            kind in prop::sample::select(vec![0u32, 1, 2, 1001, 0x2000_0001, 0x0100_0000]),
            x in prop::sample::select(vec![f64::NAN, 0.0, -0.0, 106.5, f64::INFINITY, -1e300]),
            y in prop::sample::select(vec![f64::NAN, 29.5, -90.0, 1e-310]),
            cut in 0usize..3,
        ) {
            let mut bytes = vec![u8::from(!big_endian)];
            if big_endian {
                bytes.extend(kind.to_be_bytes().into_iter().chain(x.to_be_bytes()).chain(y.to_be_bytes()));
            } else {
                bytes.extend(kind.to_le_bytes().into_iter().chain(x.to_le_bytes()).chain(y.to_le_bytes()));
            }
            bytes.truncate(bytes.len() - cut);
            let fast = super::wkb_point(&bytes);
            let general = super::any_wkb_geometry(&bytes);
            if let Some(c) = fast {
                match general {
                    Ok((Ok(super::GeometryType::Point), super::Coords::Position(g))) => {
                        prop_assert_eq!((c.x.to_bits(), c.y.to_bits()), (g.x.to_bits(), g.y.to_bits()));
                    }
                    _ => prop_assert!(false, "only the fast path reads {:?}", bytes),
                }
            }
        }
    }

    #[test]
    fn row_groups_decoded_side_by_side_give_every_row_in_order() {
        let rows = 5_000;
        let ids: Vec<String> = (0..rows).map(|i| format!("c{i}")).collect();
        // Every 97th row is rejected (no floor area), every 89th a
        // duplicate of the row before.
        let id = |i: usize| {
            ids[if i.is_multiple_of(89) && i > 0 {
                i - 1
            } else {
                i
            }]
            .as_str()
        };
        let columns = || {
            vec![
                (
                    "id",
                    strings(&(0..rows).map(|i| Some(id(i))).collect::<Vec<_>>()),
                ),
                ("kind", strings(&vec![Some("incubator"); rows])),
                (
                    "floor_area_m2",
                    floats(
                        &(0..rows)
                            .map(|i| (i % 97 != 0).then_some(100.0 + i as f64))
                            .collect::<Vec<_>>(),
                    ),
                ),
                (
                    "lon",
                    floats(
                        &(0..rows)
                            .map(|i| Some(106.0 + (i % 300) as f64 * 0.01))
                            .collect::<Vec<_>>(),
                    ),
                ),
                (
                    "lat",
                    floats(
                        &(0..rows)
                            .map(|i| Some(29.0 + (i % 170) as f64 * 0.01))
                            .collect::<Vec<_>>(),
                    ),
                ),
            ]
        };
        let metadata = [("datum", "gcj02")];
        let one = table(columns(), &metadata);
        let many = table_in_row_groups(columns(), &metadata, Some(700));
        let groups = parquet::file::reader::FileReader::metadata(
            &parquet::file::serialized_reader::SerializedFileReader::new(many.clone()).unwrap(),
        )
        .num_row_groups();
        assert_eq!(groups, 8);

        let expected = read_carriers_parquet(one, &lon_lat()).unwrap();
        assert_eq!(expected.len() + expected.rejections().len(), rows);
        assert!(expected.rejections().len() > 100);
        let dir =
            std::env::temp_dir().join(format!("carrier-quota-row-groups-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("many.parquet");
        std::fs::write(&path, &many).unwrap();
        let from_file =
            read_carriers_parquet(std::fs::File::open(&path).unwrap(), &lon_lat()).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        for read in [
            read_carriers_parquet(many.clone(), &lon_lat()).unwrap(),
            from_file,
        ] {
            assert!(read == expected, "the carriers differ");
            assert_eq!(read.rejections(), expected.rejections());
        }

        let atlas = Atlas::chongqing();
        let streamed = tally_parquet(many, &lon_lat(), atlas, FootprintRule::default()).unwrap();
        // The streamed tally does not look for duplicate ids.
        let without_duplicates: Vec<_> = expected
            .rejections()
            .iter()
            .filter(|r| !matches!(r.reason, RejectReason::DuplicateId { .. }))
            .cloned()
            .collect();
        assert_eq!(streamed.rejections, without_duplicates);
        assert_eq!(streamed.rows_read, rows);
        assert_eq!(streamed.carriers + streamed.rejected, rows);
    }

    /// A row group that cannot be decoded, read side by side with others,
    /// stops the read with its error; the others are not waited for in
    /// vain.
    #[test]
    fn a_row_group_that_cannot_be_decoded_stops_the_read() {
        let rows = 5_000;
        let ids: Vec<String> = (0..rows).map(|i| format!("c{i}")).collect();
        let columns = vec![
            (
                "id",
                strings(&ids.iter().map(|i| Some(i.as_str())).collect::<Vec<_>>()),
            ),
            ("kind", strings(&vec![Some("incubator"); rows])),
            ("floor_area_m2", floats(&vec![Some(100.0); rows])),
            (
                "lon",
                floats(
                    &(0..rows)
                        .map(|i| Some(106.0 + i as f64 * 1e-4))
                        .collect::<Vec<_>>(),
                ),
            ),
            ("lat", floats(&vec![Some(29.5); rows])),
        ];
        let file = table_in_row_groups(columns, &[("datum", "gcj02")], Some(700));
        let metadata = parquet::file::metadata::ParquetMetaDataReader::new()
            .parse_and_finish(&file)
            .unwrap();
        assert_eq!(metadata.num_row_groups(), 8);
        let chunk = metadata.row_group(5).column(3);
        assert_eq!(chunk.column_path().string(), "lon");
        let (start, _) = chunk.byte_range();
        // The first page header of the chunk begins with a field of no
        // type Thrift knows.
        let mut broken = file.to_vec();
        broken[start as usize] = 0xff;
        let read = read_carriers_parquet(Bytes::from(broken), &lon_lat());
        let message = read.unwrap_err().to_string();
        assert!(
            message.starts_with("not a readable Parquet file"),
            "{message}"
        );
        assert!(read_carriers_parquet(file, &lon_lat()).is_ok());
    }

    #[test]
    fn closings_read_and_write_as_in_geojson() {
        let rows = [
            ("a", Some("2021-03-01"), Some("2023-06-30")),
            ("b", Some("2022"), Some("2021")),
            ("c", None, Some("2023-02-30")),
            ("d", Some("2021"), None),
        ];
        let features: Vec<String> = rows
            .iter()
            .map(|(id, opened, closed)| {
                let date = |k: &str, v: &Option<&str>| v.map(|v| format!(r#", "{k}": "{v}""#)).unwrap_or_default();
                format!(
                    r#"{{"type": "Feature", "properties": {{"id": "{id}", "kind": "incubator", "floor_area_m2": 100{}{}}}, "geometry": {{"type": "Point", "coordinates": [106.5, 29.5]}}}}"#,
                    date("opened", opened),
                    date("closed", closed)
                )
            })
            .collect();
        let geojson = format!(
            r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
            features.join(",")
        );
        let expected = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
        assert_eq!((expected.len(), expected.rejections().len()), (2, 2));

        type Row = (&'static str, Option<&'static str>, Option<&'static str>);
        let column =
            |f: fn(&Row) -> Option<&'static str>| strings(&rows.iter().map(f).collect::<Vec<_>>());
        let closed_days: ArrayRef = Arc::new(arrow_array::Date32Array::from(vec![
            Some(19538), // 2023-06-30
            None,
            None,
            None,
        ]));
        for closed in [column(|r| r.2), closed_days] {
            let file = table(
                vec![
                    ("id", column(|r| Some(r.0))),
                    ("kind", strings(&[Some("incubator"); 4])),
                    ("floor_area_m2", floats(&[Some(100.0); 4])),
                    ("opened", column(|r| r.1)),
                    ("closed", closed.clone()),
                    ("lon", floats(&[Some(106.5); 4])),
                    ("lat", floats(&[Some(29.5); 4])),
                ],
                &[("datum", "gcj02")],
            );
            let read = read_carriers_parquet(file, &lon_lat()).unwrap();
            assert_eq!(read.get(0).closed(), expected.get(0).closed());
            if closed.data_type() == &arrow_schema::DataType::Utf8 {
                assert!(read == expected);
                assert_eq!(read.rejections(), expected.rejections());
            }
        }

        let mut geojson_out = Vec::new();
        crate::write_carriers(&mut geojson_out, &expected, None).unwrap();
        let from_geojson = read_carriers(geojson_out.as_slice(), &ReadOptions::new()).unwrap();
        let from_parquet = read_carriers_parquet(
            parquet_of(&expected, GeometryEncoding::Wkb),
            &ReadOptions::new(),
        )
        .unwrap();
        for written in [from_geojson, from_parquet] {
            assert_eq!(written.get(0).closed(), expected.get(0).closed());
            assert!(written.iter().eq(expected.iter()));
        }
    }

    #[test]
    fn declared_districts_read_and_write_as_in_geojson() {
        let geojson = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
            {"type": "Feature", "id": "by-name", "geometry": null,
             "properties": {"kind": "incubator", "floor_area_m2": 1, "district": "渝北"}},
            {"type": "Feature", "id": "both", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
             "properties": {"kind": "incubator", "floor_area_m2": 2, "district": "Yubei"}},
            {"type": "Feature", "id": "point", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
             "properties": {"kind": "incubator", "floor_area_m2": 3}},
            {"type": "Feature", "id": "bad", "geometry": null,
             "properties": {"kind": "incubator", "floor_area_m2": 4, "district": "渝北新区"}}]}"#;
        let expected = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
        assert_eq!((expected.len(), expected.rejections().len()), (3, 1));
        let file = table(
            vec![
                (
                    "id",
                    strings(&[Some("by-name"), Some("both"), Some("point"), Some("bad")]),
                ),
                ("kind", strings(&[Some("incubator"); 4])),
                (
                    "floor_area_m2",
                    floats(&[Some(1.0), Some(2.0), Some(3.0), Some(4.0)]),
                ),
                (
                    "district",
                    strings(&[Some("渝北"), Some("Yubei"), None, Some("渝北新区")]),
                ),
                ("lon", floats(&[None, Some(106.5775), Some(106.5775), None])),
                ("lat", floats(&[None, Some(29.5575), Some(29.5575), None])),
            ],
            &[("datum", "gcj02")],
        );
        let read = read_carriers_parquet(file, &lon_lat()).unwrap();
        assert!(read == expected);
        assert_eq!(read.rejections(), expected.rejections());
        for encoding in [GeometryEncoding::Wkb, GeometryEncoding::Point] {
            let written = parquet_of(&expected, encoding);
            let read = read_carriers_parquet(written, &ReadOptions::new()).unwrap();
            assert_eq!(read.rejections(), []);
            assert!(read.iter().eq(expected.iter()), "{encoding:?}");
        }
        // The placed file says where each counts, and by what.
        let placed = Atlas::chongqing().place(expected, FootprintRule::SurfacePoint);
        let mut out = Vec::new();
        crate::write_placed_parquet(&mut out, &placed).unwrap();
        let batches: Vec<RecordBatch> =
            parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(Bytes::from(out), 1024)
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
        let column = |name: &str| -> Vec<Option<String>> {
            let array = batches[0].column_by_name(name).unwrap();
            let array = array
                .as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .unwrap();
            array.iter().map(|v| v.map(String::from)).collect()
        };
        let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        // The district as each record writes it.
        assert_eq!(
            column("district"),
            [Some("渝北".into()), Some("Yubei".into()), None]
        );
        assert_eq!(
            column("placed_district"),
            some(&["500112", "500103", "500103"])
        );
        assert_eq!(column("placed_by"), some(&["declared", "point", "point"]));
        // Points alone are written without the column, so that a query's
        // `AS district ... GROUP BY district` keeps meaning the located one.
        let points =
            crate::Carriers::from_records(Datum::Gcj02, [placed.carriers().get(2).to_carrier()]);
        let bytes = parquet_of(&points, GeometryEncoding::Wkb);
        let reader =
            parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(bytes, 1024).unwrap();
        let schema = arrow_array::RecordBatchReader::schema(&reader);
        assert!(schema.column_with_name("district").is_none());
    }

    #[test]
    fn geoparquet_reads_back_what_was_written_in_both_encodings() {
        let atlas = Atlas::chongqing();
        let carriers = Synthetic::new(3_000, 4).footprints(0.2).generate(atlas);
        let read = read_carriers_parquet(
            parquet_of(&carriers, GeometryEncoding::Wkb),
            &ReadOptions::new(),
        )
        .unwrap();
        assert_eq!(read.datum(), Datum::Gcj02);
        assert!(
            read == carriers,
            "the WKB file reads back different carriers"
        );

        let points = Synthetic::new(3_000, 5).generate(atlas);
        let read = read_carriers_parquet(
            parquet_of(&points, GeometryEncoding::Point),
            &ReadOptions::new(),
        )
        .unwrap();
        assert!(
            read == points,
            "the native point file reads back different carriers"
        );

        // Footprints have no native point form: nothing is dropped silently.
        let mut file = Vec::new();
        let err =
            write_carriers_parquet(&mut file, &carriers, GeometryEncoding::Point).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    }

    #[test]
    fn placed_output_has_each_carriers_district_and_zone() {
        let atlas = Atlas::chongqing();
        let carriers = Synthetic::new(500, 6).footprints(0.1).generate(atlas);
        let placed = atlas.place(carriers, FootprintRule::default());
        let mut file = Vec::new();
        write_placed_parquet(&mut file, &placed).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            Bytes::from(file),
        )
        .unwrap()
        .build()
        .unwrap();
        let mut row = 0;
        for batch in reader {
            let batch = batch.unwrap();
            let column = |name: &str| {
                let i = batch.schema().index_of(name).unwrap();
                batch.column(i).as_string::<i32>().clone()
            };
            let (ids, districts, zones) = (
                column("id"),
                column("placed_district"),
                column("placed_zone"),
            );
            for r in 0..batch.num_rows() {
                let carrier = placed.carriers().get(row);
                assert_eq!(ids.value(r), carrier.id());
                let district = placed.districts()[row].map(|d| atlas.district(d));
                assert_eq!(districts.value(r), district.unwrap().code.as_str());
                let zone = district.and_then(|d| d.zone).map(|z| atlas.zone(z));
                assert_eq!(zones.value(r), zone.unwrap().code.as_str());
                row += 1;
            }
        }
        assert_eq!(row, 500);
    }

    #[test]
    fn a_streamed_tally_is_the_tally_of_the_whole_read() {
        let atlas = Atlas::chongqing();
        // Over two batches of rows, with footprints split by overlap.
        let carriers = Synthetic::new(40_000, 8).footprints(0.05).generate(atlas);
        let file = parquet_of(&carriers, GeometryEncoding::Wkb);
        let rule = FootprintRule::SplitByOverlap;
        let streamed = tally_parquet(file.clone(), &ReadOptions::new(), atlas, rule).unwrap();
        let whole = read_carriers_parquet(file, &ReadOptions::new()).unwrap();
        assert_eq!(streamed.tally, Tally::new(&atlas.place(whole, rule)));
        assert_eq!(
            (streamed.rows_read, streamed.carriers, streamed.rejected),
            (40_000, 40_000, 0)
        );
        assert_eq!(streamed.datum, Datum::Gcj02);

        // Rejections keep their row numbers across batches.
        let rows = 40_000;
        let area: Vec<Option<f64>> = (0..rows)
            .map(|i| Some(if i % 9_999 == 5 { -1.0 } else { 10.0 }))
            .collect();
        let ids: Vec<i64> = (0..rows as i64).collect();
        // The rows lie in 九龙坡: every fifth names 渝北, the one after
        // 渝中, so that mismatches pass the number kept.
        let district: Vec<Option<&str>> = (0..rows)
            .map(|i| [Some("渝北区"), Some("渝中区"), None, None, None][i % 5])
            .collect();
        let file = table(
            vec![
                ("id", Arc::new(Int64Array::from(ids))),
                ("kind", strings(&vec![Some("incubator"); rows])),
                ("floor_area_m2", floats(&area)),
                ("district", strings(&district)),
                ("lon", floats(&vec![Some(106.5); rows])),
                ("lat", floats(&vec![Some(29.5); rows])),
            ],
            &[("datum", "wgs84")],
        );
        let streamed = tally_parquet(file.clone(), &lon_lat(), atlas, rule).unwrap();
        let whole = read_carriers_parquet(file, &lon_lat()).unwrap();
        assert_eq!(streamed.rejected, 4);
        assert_eq!(streamed.rejections, whole.rejections());
        let placed = atlas.place(whole, rule);
        assert_eq!(streamed.tally, Tally::new(&placed));
        // Mismatches keep their rows and ids across batches.
        let read = placed.carriers();
        let expected: Vec<StreamedMismatch> = placed
            .mismatches()
            .iter()
            .map(|m| StreamedMismatch {
                index: read.feature_index(m.position),
                id: read.get(m.position).id().to_string(),
                written: m.written.clone(),
                declared: m.declared.clone(),
                located: m.located,
            })
            .collect();
        assert!(expected.len() > super::KEPT, "{}", expected.len());
        assert_eq!(streamed.mismatched, expected.len());
        assert_eq!(streamed.mismatches.len(), expected.len().min(super::KEPT));
        assert_eq!(streamed.mismatches, expected[..streamed.mismatches.len()]);
        let mut text = Vec::new();
        crate::report::write_streamed_mismatches(&mut text, atlas, &streamed).unwrap();
        let text = String::from_utf8(text).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 12, "{text}");
        assert!(lines[0].starts_with(&format!("{} mismatches: ", expected.len())));
        let first = &expected[0];
        let line = format!(
            "mismatch: feature {} (id {:?}): names ",
            first.index, first.id
        );
        assert!(lines[1].starts_with(&line), "{}", lines[1]);
        assert_eq!(lines[11], format!("… and {} more", expected.len() - 10));

        // The datum is settled before any row is read.
        let err = tally_parquet(
            parquet_of(&carriers, GeometryEncoding::Wkb),
            &ReadOptions::new().datum(Datum::Wgs84),
            atlas,
            rule,
        )
        .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::DatumConflict { .. }),
            "{err}"
        );
    }

    /// A 5 KB file whose page header declares lists of billions of fields
    /// (found by fuzzing; it took 111 s) is refused at once: the decoder's
    /// reads past the end of the file fail rather than return nothing.
    #[test]
    fn a_page_header_past_the_end_of_the_file_is_refused_at_once() {
        let file = include_bytes!("../../../fuzz/seeds/read_parquet/page-header-lists.parquet");
        let start = std::time::Instant::now();
        let read = read_carriers_parquet(Bytes::from_static(file), &ReadOptions::new());
        let message = read.unwrap_err().to_string();
        assert!(
            message.starts_with("not a readable Parquet file"),
            "{message}"
        );
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    }

    /// Columns no carrier is read from are never decoded; the rest are
    /// found where the projection puts them.
    #[test]
    fn only_the_columns_a_carrier_is_read_from_are_decoded() {
        let wide = |extra: bool| {
            let mut columns = vec![];
            if extra {
                columns.push(("address", strings(&[Some("解放碑"), None])));
            }
            columns.extend([
                ("id", strings(&[Some("a"), Some("b")])),
                ("kind", strings(&[Some("incubator"), Some("incubater")])),
            ]);
            if extra {
                columns.push(("notes", strings(&[Some("x"), Some("y")])));
            }
            columns.extend([
                ("floor_area_m2", floats(&[Some(100.0), Some(200.0)])),
                ("lon", floats(&[Some(106.5775); 2])),
                ("lat", floats(&[Some(29.5575); 2])),
            ]);
            if extra {
                columns.push(("score", floats(&[Some(1.0), Some(2.0)])));
            }
            table(columns, &[("datum", "gcj02")])
        };
        let file = wide(true);
        let table = super::Table::open(&super::Source::new(file.clone()), &lon_lat()).unwrap();
        let decoded: Vec<usize> = (0..8)
            .filter(|&i| table.projection.leaf_included(i))
            .collect();
        assert_eq!(
            decoded,
            [1, 2, 4, 5, 6],
            "id, kind, floor_area_m2, lon, lat"
        );
        let read = read_carriers_parquet(file, &lon_lat()).unwrap();
        assert!(read == read_carriers_parquet(wide(false), &lon_lat()).unwrap());
        assert_eq!(read.len(), 1);
        assert_eq!(read.rejections()[0].id.as_deref(), Some("b"));
    }

    /// Text columns whose every page is dictionary-encoded are read as
    /// dictionaries, parsed once per distinct text; the carriers and
    /// rejections are those of the same file written without dictionaries.
    #[test]
    fn texts_kept_once_each_are_read_as_dictionaries() {
        let rows = 3000;
        let kinds = ["incubator", "maker_space", "accelerator", "incubater"];
        let opened = ["2021-03-01", "2024", "2023-02-30"];
        let columns: Vec<(&str, ArrayRef)> = vec![
            (
                "id",
                Arc::new(StringArray::from_iter_values(
                    (0..rows).map(|i| format!("c-{i}")),
                )),
            ),
            (
                "kind",
                Arc::new(StringArray::from_iter_values(
                    (0..rows).map(|i| kinds[i % 4]),
                )),
            ),
            (
                "opened",
                Arc::new(StringArray::from_iter(
                    (0..rows).map(|i| (i % 5 != 0).then_some(opened[i % 3])),
                )),
            ),
            ("floor_area_m2", floats(&vec![Some(100.0); rows])),
            ("lon", floats(&vec![Some(106.5775); rows])),
            ("lat", floats(&vec![Some(29.5575); rows])),
        ];
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let written = |dictionaries: bool| {
            let kv = vec![KeyValue::new("datum".into(), "gcj02".to_string())];
            let properties = WriterProperties::builder()
                .set_key_value_metadata(Some(kv))
                .set_dictionary_enabled(dictionaries)
                .set_column_dictionary_enabled("id".into(), false)
                .set_max_row_group_row_count(Some(1000))
                .build();
            let mut file = Vec::new();
            let mut writer =
                ArrowWriter::try_new(&mut file, batch.schema(), Some(properties)).unwrap();
            writer.write(&batch).unwrap();
            writer.close().unwrap();
            Bytes::from(file)
        };
        let file = written(true);
        let table = super::Table::open(&super::Source::new(file.clone()), &lon_lat()).unwrap();
        let types: Vec<String> = ["id", "kind", "opened"]
            .iter()
            .map(|name| {
                let schema = table.metadata.schema();
                schema
                    .field_with_name(name)
                    .unwrap()
                    .data_type()
                    .to_string()
            })
            .collect();
        assert_eq!(
            types,
            ["Utf8", "Dictionary(Int32, Utf8)", "Dictionary(Int32, Utf8)"]
        );
        let read = read_carriers_parquet(file, &lon_lat()).unwrap();
        let plain = read_carriers_parquet(written(false), &lon_lat()).unwrap();
        assert!(read == plain);
        // Every fourth kind is misspelt, every third date impossible
        // (unless the fifth row's null): 1,650 rows are carriers.
        let expected = (0..rows).filter(|i| i % 4 != 3 && (i % 5 == 0 || i % 3 != 2));
        assert_eq!(read.len(), expected.count());
        assert_eq!(read.len() + read.rejections().len(), rows);
    }

    #[test]
    fn plain_parquet_reads_longitude_and_latitude_columns() {
        let file = table(
            vec![
                ("id", Arc::new(Int64Array::from(vec![7, 8, 9, 10]))),
                ("kind", strings(&[Some("incubator"); 4])),
                (
                    "floor_area_m2",
                    floats(&[Some(1200.0), Some(900.5), Some(10.0), Some(5.0)]),
                ),
                (
                    "opened",
                    strings(&[Some("2021-05-01"), None, Some("2022"), Some("May")]),
                ),
                (
                    "lon",
                    floats(&[Some(106.55), None, Some(106.5), Some(106.5)]),
                ),
                ("lat", floats(&[Some(29.56), Some(29.5), None, Some(29.5)])),
            ],
            &[("datum", "gcj02")],
        );
        let carriers = read_carriers_parquet(file, &lon_lat()).unwrap();
        assert_eq!(carriers.datum(), Datum::Gcj02);
        assert_eq!(carriers.len(), 1);
        assert_eq!(carriers.get(0).id(), "7");
        let reasons: Vec<(usize, Option<&str>, String)> = carriers
            .rejections()
            .iter()
            .map(|r| (r.index, r.id.as_deref(), r.reason.to_string()))
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    1,
                    Some("8"),
                    "malformed Point coordinates: the longitude is null".into()
                ),
                (
                    2,
                    Some("9"),
                    "malformed Point coordinates: the latitude is null".into()
                ),
                (
                    3,
                    Some("10"),
                    "opened must be YYYY, YYYY-MM or YYYY-MM-DD, found \"May\"".into()
                ),
            ]
        );
    }

    #[test]
    fn rows_are_rejected_as_the_same_geojson_features_are() {
        // Each bad row, and the same feature in GeoJSON: the same reason.
        let file = table(
            vec![
                (
                    "id",
                    strings(&[Some("a"), Some("b"), Some("a"), None, Some("e")]),
                ),
                (
                    "kind",
                    strings(&[
                        Some("incubator"),
                        Some("hatchery"),
                        Some("incubator"),
                        Some("incubator"),
                        Some("incubator"),
                    ]),
                ),
                (
                    "floor_area_m2",
                    floats(&[Some(-1.0), Some(5.0), Some(5.0), Some(5.0), Some(5.0)]),
                ),
                (
                    "enterprises",
                    floats(&[Some(1.0), Some(1.0), Some(1.0), Some(1.0), Some(2.5)]),
                ),
                ("x", floats(&[Some(106.5); 5])),
                ("y", floats(&[Some(29.5); 5])),
            ],
            &[],
        );
        let options = ReadOptions::new()
            .datum(Datum::Wgs84)
            .coordinate_columns("x", "y");
        let from_parquet = read_carriers_parquet(file, &options).unwrap();
        let features = [
            r#"{"type": "Feature", "properties": {"id": "a", "kind": "incubator", "floor_area_m2": -1.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
            r#"{"type": "Feature", "properties": {"id": "b", "kind": "hatchery", "floor_area_m2": 5.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
            r#"{"type": "Feature", "properties": {"id": "a", "kind": "incubator", "floor_area_m2": 5.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
            r#"{"type": "Feature", "properties": {"kind": "incubator", "floor_area_m2": 5.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
            r#"{"type": "Feature", "properties": {"id": "e", "kind": "incubator", "floor_area_m2": 5.0, "enterprises": 2.5}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
        ];
        let geojson = format!(
            r#"{{"type": "FeatureCollection", "datum": "wgs84", "features": [{}]}}"#,
            features.join(",")
        );
        let from_geojson = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
        // The row without an id is not refused: its position is its id.
        assert_eq!(
            from_parquet.rejections().len(),
            4,
            "{:?}",
            from_parquet.rejections()
        );
        assert_eq!(from_parquet.get(0).id(), "3");
        assert_eq!(from_parquet.rejections(), from_geojson.rejections());
        assert!(from_parquet == from_geojson);
    }

    #[test]
    fn bad_files_get_clear_errors() {
        let kind = || strings(&[Some("incubator")]);
        let area = || floats(&[Some(5.0)]);
        let id = || strings(&[Some("a")]);
        let error = |file: Bytes, options: &ReadOptions| {
            read_carriers_parquet(file, options)
                .unwrap_err()
                .to_string()
        };

        // A missing column, named with the columns there are.
        let file = table(
            vec![
                ("id", id()),
                ("kind", kind()),
                ("lon", area()),
                ("lat", area()),
            ],
            &[("datum", "wgs84")],
        );
        assert_eq!(
            error(file, &lon_lat()),
            "no column \"floor_area_m2\": the columns are id, kind, lon, lat"
        );
        // A column of a type no value of which could do.
        let file = table(
            vec![
                ("id", id()),
                ("kind", kind()),
                ("floor_area_m2", strings(&[Some("5")])),
                ("lon", area()),
                ("lat", area()),
            ],
            &[("datum", "wgs84")],
        );
        assert_eq!(
            error(file, &lon_lat()),
            "column \"floor_area_m2\" has type Utf8: it must be a number"
        );
        let file = table(
            vec![
                ("id", id()),
                ("kind", kind()),
                ("floor_area_m2", area()),
                ("lon", strings(&[Some("106")])),
                ("lat", area()),
            ],
            &[("datum", "wgs84")],
        );
        assert_eq!(
            error(file, &lon_lat()),
            "column \"lon\" has type Utf8: it must be a number"
        );
        // No geometry, and no columns named.
        let columns = || vec![("id", id()), ("kind", kind()), ("floor_area_m2", area())];
        let file = table(columns(), &[("datum", "wgs84")]);
        assert!(error(file, &ReadOptions::new())
            .starts_with("the file has no GeoParquet \"geo\" metadata"));
        // GeoParquet metadata naming an encoding not read, or not JSON.
        let mut with_geometry = columns();
        with_geometry.push((
            "geometry",
            Arc::new(BinaryArray::from(vec![&[1u8, 2, 3][..]])),
        ));
        let geo = r#"{"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "linestring"}}}"#;
        let file = table(with_geometry.clone(), &[("geo", geo), ("datum", "wgs84")]);
        assert!(error(file, &ReadOptions::new())
            .contains("encoding \"linestring\" of column \"geometry\" is not read"));
        let file = table(with_geometry.clone(), &[("geo", "{"), ("datum", "wgs84")]);
        assert!(error(file, &ReadOptions::new()).starts_with("GeoParquet metadata: not JSON"));
        // No datum anywhere; an unknown one.
        let file = table(
            vec![
                ("id", id()),
                ("kind", kind()),
                ("floor_area_m2", area()),
                ("lon", area()),
                ("lat", area()),
            ],
            &[],
        );
        assert!(matches!(
            read_carriers_parquet(file, &lon_lat()).unwrap_err().kind(),
            ErrorKind::MissingDatum {
                input: "Parquet file"
            }
        ));
        let file = table(
            vec![
                ("id", id()),
                ("kind", kind()),
                ("floor_area_m2", area()),
                ("lon", area()),
                ("lat", area()),
            ],
            &[("datum", "itrf")],
        );
        assert!(error(file, &lon_lat()).contains("itrf"));

        // Bad WKB is a rejection of its row, not of the file.
        let geo = r#"{"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB"}}}"#;
        let file = table(with_geometry, &[("geo", geo), ("datum", "wgs84")]);
        let carriers = read_carriers_parquet(file, &ReadOptions::new()).unwrap();
        assert!(matches!(
            carriers.rejections()[0].reason,
            RejectReason::InvalidWkb { .. }
        ));

        // A truncated file, and bytes that are not Parquet.
        let whole = parquet_of(
            &Synthetic::new(100, 1).generate(Atlas::chongqing()),
            GeometryEncoding::Wkb,
        );
        for cut in [0, 4, 100, whole.len() / 2, whole.len() - 9] {
            let err = read_carriers_parquet(whole.slice(..cut), &ReadOptions::new()).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::Parquet { .. }),
                "cut at {cut}: {err}"
            );
        }
        // Found by fuzzing: an embedded Arrow schema with a 28-bit integer
        // made arrow-ipc panic, and a corrupt page made the column decoder
        // panic (the read turns that panic into an error).
        let schema: &[u8] = include_bytes!("../../../tests/data/corrupt_arrow_schema.parquet");
        let page: &[u8] = include_bytes!("../../../tests/data/corrupt_page.parquet");
        let err = read_carriers_parquet(Bytes::from_static(page), &ReadOptions::new()).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Parquet { .. }), "{err}");
        for (corrupt, options) in [
            (schema, ReadOptions::new()),
            (schema, lon_lat()),
            (page, lon_lat()),
        ] {
            match read_carriers_parquet(Bytes::from_static(corrupt), &options) {
                Ok(c) => assert_eq!(c.len() + c.rejections().len(), c.features_read()),
                Err(e) => assert!(
                    matches!(
                        e.kind(),
                        ErrorKind::Parquet { .. } | ErrorKind::MissingColumn { .. }
                    ),
                    "{e}"
                ),
            }
        }
        let err = read_carriers_parquet(
            Bytes::from_static(b"{\"type\": \"FeatureCollection\"}"),
            &ReadOptions::new(),
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("not a readable Parquet file"),
            "{err}"
        );
    }

    /// One random row: id, kind, floor area, enterprises, opened, and
    /// longitude and latitude (both null or neither), each sometimes null
    /// or invalid.
    type RandomRow = (
        Option<i64>,
        Option<&'static str>,
        Option<f64>,
        Option<f64>,
        Option<&'static str>,
        Option<(f64, f64)>,
    );

    fn random_row() -> impl Strategy<Value = RandomRow> {
        (
            prop::option::weighted(0.9, -3i64..40),
            prop::option::weighted(
                0.9,
                prop::sample::select(vec!["incubator", "accelerator", "hatchery", ""]),
            ),
            prop::option::weighted(
                0.9,
                prop::sample::select(vec![1200.0, 0.5, -1.0, 0.0, 2e9, f64::NAN]),
            ),
            prop::option::weighted(0.7, prop::sample::select(vec![3.0, 2.5, -1.0, 5e9])),
            prop::option::weighted(
                0.7,
                prop::sample::select(vec!["2021", "2021-05-01", "2021-02-30", "May", "0999"]),
            ),
            prop::option::weighted(
                0.9,
                (
                    prop::sample::select(vec![106.5, 29.5, 200.0, -0.0]),
                    prop::sample::select(vec![29.5, 106.5, 95.0]),
                ),
            ),
        )
    }

    /// The property columns of random rows: id, kind, floor area,
    /// enterprises, opened.
    fn property_columns(rows: &[RandomRow]) -> Vec<(&'static str, ArrayRef)> {
        let text = |f: fn(&RandomRow) -> Option<&'static str>| {
            strings(&rows.iter().map(f).collect::<Vec<_>>())
        };
        let number =
            |f: fn(&RandomRow) -> Option<f64>| floats(&rows.iter().map(f).collect::<Vec<_>>());
        let ids: Vec<Option<i64>> = rows.iter().map(|r| r.0).collect();
        vec![
            ("id", Arc::new(Int64Array::from(ids))),
            ("kind", text(|r| r.1)),
            ("floor_area_m2", number(|r| r.2)),
            ("enterprises", number(|r| r.3)),
            ("opened", text(|r| r.4)),
        ]
    }

    /// A JSON value for a cell: null for a null cell.
    fn json<T: serde::Serialize>(value: Option<T>) -> String {
        serde_json::to_string(&value).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Random rows, good and bad: the fast path and the lenient one
        /// together read each as the GeoJSON feature with the same values
        /// (null cells as absent properties), carrier or rejection.
        #[test]
        #[allow(clippy::type_complexity)]
        fn rows_read_as_the_same_features_whatever_their_values(
            rows in prop::collection::vec(random_row(), 1..40)
        ) {
            let mut columns = property_columns(&rows);
            let number = |f: fn(&RandomRow) -> Option<f64>| floats(&rows.iter().map(f).collect::<Vec<_>>());
            columns.push(("lon", number(|r| r.5.map(|c| c.0))));
            columns.push(("lat", number(|r| r.5.map(|c| c.1))));
            let file = table(columns, &[("datum", "gcj02")]);
            let options = lon_lat().expected_area(Atlas::chongqing().outline().clone());
            let from_parquet = read_carriers_parquet(file, &options).unwrap();
            let features: Vec<String> = rows
                .iter()
                .map(|r| {
                    // NaN has no JSON form: the lenient path sees it as the
                    // number it is, so the GeoJSON side writes it as a
                    // value out of range with the same verdict.
                    let area = r.2.map(|a| if a.is_nan() { -1.0 } else { a });
                    let geometry = match r.5 {
                        None => "null".to_string(),
                        Some((x, y)) => format!(r#"{{"type": "Point", "coordinates": [{x:?}, {y:?}]}}"#),
                    };
                    let mut properties = vec![];
                    let mut put = |k: &str, v: String| if v != "null" { properties.push(format!("{k:?}: {v}")) };
                    put("id", json(r.0));
                    put("kind", json(r.1));
                    put("floor_area_m2", json(area));
                    put("enterprises", json(r.3));
                    put("opened", json(r.4));
                    format!(r#"{{"type": "Feature", "properties": {{{}}}, "geometry": {geometry}}}"#, properties.join(", "))
                })
                .collect();
            let geojson = format!(
                r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
                features.join(",")
            );
            let from_geojson = read_carriers(geojson.as_bytes(), &options).unwrap();
            let nan_rows: Vec<usize> = rows.iter().enumerate().filter(|(_, r)| r.2.is_some_and(f64::is_nan)).map(|(i, _)| i).collect();
            for (a, b) in from_parquet.rejections().iter().zip(from_geojson.rejections()) {
                prop_assert_eq!(a.index, b.index);
                prop_assert_eq!(&a.id, &b.id);
                if !nan_rows.contains(&a.index) {
                    prop_assert_eq!(&a.reason, &b.reason);
                }
            }
            prop_assert_eq!(from_parquet.rejections().len(), from_geojson.rejections().len());
            prop_assert!(from_parquet.iter().eq(from_geojson.iter()));
        }

        /// Random points anywhere near the city (and some outside it) give
        /// the same districts and tallies from GeoJSON, from GeoParquet in
        /// both encodings and from plain Parquet.
        #[test]
        fn every_format_gives_the_same_districts_and_tallies(
            points in prop::collection::vec((105.0..110.5f64, 28.0..32.5f64, 1.0..5e4f64), 1..200)
        ) {
            let atlas = Atlas::chongqing();
            let features: Vec<String> = points
                .iter()
                .enumerate()
                .map(|(i, (x, y, area))| format!(
                    r#"{{"type": "Feature", "properties": {{"id": "p{i}", "kind": "incubator", "floor_area_m2": {area:?}}}, "geometry": {{"type": "Point", "coordinates": [{x:?}, {y:?}]}}}}"#
                ))
                .collect();
            let geojson = format!(
                r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
                features.join(",")
            );
            let from_geojson = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
            let plain = table(
                vec![
                    ("id", strings(&(0..points.len()).map(|i| format!("p{i}")).collect::<Vec<_>>().iter().map(|s| Some(s.as_str())).collect::<Vec<_>>())),
                    ("kind", strings(&vec![Some("incubator"); points.len()])),
                    ("floor_area_m2", floats(&points.iter().map(|p| Some(p.2)).collect::<Vec<_>>())),
                    ("lon", floats(&points.iter().map(|p| Some(p.0)).collect::<Vec<_>>())),
                    ("lat", floats(&points.iter().map(|p| Some(p.1)).collect::<Vec<_>>())),
                ],
                &[("datum", "gcj02")],
            );
            let reads = [
                read_carriers_parquet(parquet_of(&from_geojson, GeometryEncoding::Wkb), &ReadOptions::new()).unwrap(),
                read_carriers_parquet(parquet_of(&from_geojson, GeometryEncoding::Point), &ReadOptions::new()).unwrap(),
                read_carriers_parquet(plain, &lon_lat()).unwrap(),
            ];
            let expected = atlas.place(from_geojson.clone(), FootprintRule::default());
            for read in reads {
                prop_assert!(read == from_geojson);
                let placed = atlas.place(read, FootprintRule::default());
                prop_assert_eq!(placed.districts(), expected.districts());
                prop_assert_eq!(Tally::new(&placed), Tally::new(&expected));
            }
        }
    }

    /// A geometry cell of a random row, as WKB (or null, or bytes that are
    /// not WKB).
    #[derive(Debug, Clone)]
    enum RandomGeometry {
        Null,
        Point(f64, f64),
        Square(f64, f64),
        Bowtie(f64, f64),
        Line(f64, f64),
        NotWkb,
    }

    impl RandomGeometry {
        fn wkb(&self) -> Option<Vec<u8>> {
            let mut out = vec![1u8];
            let put = |values: &[f64], out: &mut Vec<u8>| {
                values.iter().for_each(|v| out.extend(v.to_le_bytes()))
            };
            let ring = |x: f64, y: f64, bowtie: bool| -> Vec<f64> {
                let (a, b) = if bowtie { (0.01, 0.0) } else { (0.0, 0.01) };
                vec![
                    x,
                    y,
                    x + 0.01,
                    y + a,
                    x + 0.01,
                    y + 0.01,
                    x + b,
                    y + 0.01,
                    x,
                    y,
                ]
            };
            match *self {
                RandomGeometry::Null => return None,
                RandomGeometry::NotWkb => return Some(vec![7, 7, 7]),
                RandomGeometry::Point(x, y) => {
                    out.extend(1u32.to_le_bytes());
                    put(&[x, y], &mut out);
                }
                RandomGeometry::Line(x, y) => {
                    out.extend(2u32.to_le_bytes());
                    out.extend(2u32.to_le_bytes());
                    put(&[x, y, x + 0.01, y], &mut out);
                }
                RandomGeometry::Square(x, y) | RandomGeometry::Bowtie(x, y) => {
                    let bowtie = matches!(self, RandomGeometry::Bowtie(..));
                    out.extend(3u32.to_le_bytes());
                    out.extend(1u32.to_le_bytes());
                    out.extend(5u32.to_le_bytes());
                    put(&ring(x, y, bowtie), &mut out);
                }
            }
            Some(out)
        }
    }

    fn random_geometry() -> impl Strategy<Value = RandomGeometry> {
        let x = prop::sample::select(vec![106.5, 108.3, f64::NAN, 200.0, 29.5, 116.4]);
        let y = prop::sample::select(vec![29.5, 30.8, f64::NAN, 106.5, 39.9, -95.0]);
        (0..6usize, x, y).prop_map(|(kind, x, y)| match kind {
            0 => RandomGeometry::Null,
            1 => RandomGeometry::Square(x, y),
            2 => RandomGeometry::Bowtie(x, y),
            3 => RandomGeometry::Line(x, y),
            4 => RandomGeometry::NotWkb,
            _ => RandomGeometry::Point(x, y),
        })
    }

    /// Reads a file as the fast path would if it declined every row: each
    /// row through the lenient path alone.
    fn read_row_by_row(file: Bytes, options: &ReadOptions) -> crate::Carriers {
        use super::Checks;
        let table = super::Table::open(&super::Source::new(file.clone()), options).unwrap();
        let checks = Checks::new(options);
        let mut out = crate::Carriers::new(Datum::Wgs84);
        for batch in table.decoder(super::Source::new(file), None).unwrap() {
            let batch = batch.unwrap();
            for row in 0..batch.num_rows() {
                out.store(table.layout.check_row(&batch, row, &checks))
                    .unwrap();
            }
        }
        super::finish(out, table.declared, options, "Parquet file").unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Random rows with null, NaN and out-of-range values and every
        /// kind of WKB geometry: the fast path with the lenient one behind
        /// it reads the same carriers and rejections, row for row, as the
        /// lenient path alone, in one row group or in many.
        #[test]
        fn the_fast_path_reads_what_the_row_path_reads(
            rows in prop::collection::vec((random_row(), random_geometry()), 1..60),
            groups in prop::option::of(1usize..8),
        ) {
            let properties: Vec<RandomRow> = rows.iter().map(|r| r.0).collect();
            let mut columns = property_columns(&properties);
            let wkb: Vec<Option<Vec<u8>>> = rows.iter().map(|r| r.1.wkb()).collect();
            let geometry = BinaryArray::from_iter(wkb.iter().map(|w| w.as_deref()));
            columns.push(("geometry", Arc::new(geometry)));
            let geo = r#"{"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB"}}}"#;
            let file = table_in_row_groups(columns, &[("geo", geo), ("datum", "gcj02")], groups);
            let options = ReadOptions::new().expected_area(Atlas::chongqing().outline().clone());
            let fast = read_carriers_parquet(file.clone(), &options).unwrap();
            let row_by_row = read_row_by_row(file, &options);
            // NaN found in a cell is not equal to itself: compare as text.
            let reasons = |c: &crate::Carriers| format!("{:?}", c.rejections());
            prop_assert_eq!(reasons(&fast), reasons(&row_by_row));
            prop_assert_eq!(fast.swapped(), row_by_row.swapped());
            prop_assert!(fast.iter().eq(row_by_row.iter()), "the carriers differ");
            prop_assert_eq!(fast.features_read(), rows.len());
        }
    }
}
