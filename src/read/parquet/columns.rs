//! A batch's columns typed once, for the fast path, and any cell as the
//! JSON value a GeoJSON file would hold, for the lenient path.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};

use super::layout::{point_fields, Encoding, GeometrySource, Layout, PROPERTIES};
use super::wkb::*;
use crate::json::{position, Coords, Json};
use crate::read::feature::{check_closing, floor_area_in_range, locate, Checks, GeometryType};

use crate::carrier::store::NewCarrier;
use crate::carrier::{Carriers, Category, Kind, Level};
use crate::date::{Date, RecordDate};

/// A column in one of the types most files use, for the fast path.
#[derive(Clone, Copy)]
pub(super) enum Column<'a> {
    Absent,
    Text(&'a arrow_array::StringArray),
    /// Text with 64-bit offsets (pandas' and polars' strings).
    LargeText(&'a arrow_array::LargeStringArray),
    /// Text as views (polars' strings, over the C stream interface).
    ViewText(&'a arrow_array::StringViewArray),
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
pub(super) enum Value<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Date(i32),
    Other,
}

impl<'a> Column<'a> {
    pub(super) fn of(array: Option<&'a ArrayRef>) -> Column<'a> {
        // A column null in every row of the batch (a property the file
        // leaves empty) is looked at no more than an absent one.
        let Some(array) = array.filter(|a| a.null_count() < a.len()) else {
            return Column::Absent;
        };
        match array.data_type() {
            DataType::Utf8 => Column::Text(array.as_string::<i32>()),
            DataType::LargeUtf8 => Column::LargeText(array.as_string::<i64>()),
            DataType::Utf8View => Column::ViewText(array.as_string_view()),
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
    pub(super) fn get(self, row: usize) -> Value<'a> {
        fn at<A: Array, T>(a: &A, row: usize, f: impl FnOnce() -> T) -> Option<T> {
            (!a.is_null(row)).then(f)
        }
        let value = match self {
            Column::Absent => Some(Value::Null),
            Column::Text(a) => at(a, row, || Value::Text(a.value(row))),
            Column::LargeText(a) => at(a, row, || Value::Text(a.value(row))),
            Column::ViewText(a) => at(a, row, || Value::Text(a.value(row))),
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
pub(super) struct Typed<'a> {
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
pub(super) struct Parsed<'a, T> {
    column: Column<'a>,
    parse: fn(Value) -> Option<T>,
    by_key: Option<(&'a arrow_array::Int32Array, Vec<Option<T>>)>,
}

impl<'a, T: Copy> Parsed<'a, T> {
    pub(super) fn new(
        column: Column<'a>,
        parse: fn(Value) -> Option<T>,
        rows: usize,
    ) -> Parsed<'a, T> {
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
    pub(super) fn get(&self, row: usize) -> Option<T> {
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
pub(super) fn kind(value: Value) -> Option<Kind> {
    match value {
        Value::Text(text) => text.parse().ok(),
        _ => None,
    }
}

pub(super) enum TypedGeometry<'a> {
    LonLat(Column<'a>, Column<'a>),
    Wkb(&'a ArrayRef),
    Other,
}

impl<'a> Typed<'a> {
    pub(super) fn new(layout: &Layout, batch: &'a RecordBatch) -> Typed<'a> {
        let properties = layout
            .properties
            .map(|i| Column::of(i.map(|i| batch.column(i))));
        let rows = batch.num_rows();
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
                // Interleaved points take the lenient path.
                let Some((x, y)) = point_fields(points.data_type()) else {
                    return Typed::with_geometry(properties, TypedGeometry::Other, rows);
                };
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
        Typed::with_geometry(properties, geometry, batch.num_rows())
    }

    fn with_geometry(
        properties: [Column<'a>; PROPERTIES.len()],
        geometry: TypedGeometry<'a>,
        rows: usize,
    ) -> Typed<'a> {
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
    pub(super) fn store(
        &self,
        row: usize,
        checks: &Checks,
        id_text: &mut String,
        out: &mut Carriers,
    ) -> bool {
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
            unclassified: 0,
            by_address: false,
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
pub(super) fn record_date(value: Value) -> Option<Option<RecordDate>> {
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
pub(super) fn optional<T: std::str::FromStr>(value: Value) -> Option<Option<T>> {
    match value {
        Value::Null => Some(None),
        Value::Text(text) => text.parse().ok().map(Some),
        _ => None,
    }
}

/// A count as the lenient path reads it (null is 0); `None` when the
/// lenient path must decide.
pub(super) fn count(value: Value) -> Option<u32> {
    match value {
        Value::Null => Some(0),
        Value::Int(n) => u32::try_from(n).ok(),
        Value::Float(x) if x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x) => {
            Some(x as u32)
        }
        _ => None,
    }
}

pub(super) fn native_point(array: &ArrayRef, row: usize) -> (Result<GeometryType, String>, Coords) {
    let xy = match point_fields(array.data_type()) {
        Some((x, y)) => {
            let points = array.as_struct();
            let value = |i: usize| {
                let child = points.column(i).as_primitive::<Float64Type>();
                (!child.is_null(row)).then(|| child.value(row))
            };
            (value(x), value(y))
        }
        // Interleaved: x and y side by side in one list of two.
        None => {
            let pair = array.as_fixed_size_list().value(row);
            let pair = pair.as_primitive::<Float64Type>();
            let value = |i: usize| (!pair.is_null(i)).then(|| pair.value(i));
            (value(0), value(1))
        }
    };
    let coords = match xy {
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

/// A cell as the JSON value it stands for; `None` when null.
pub(super) fn cell(array: &dyn Array, row: usize) -> Option<Json> {
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
        DataType::Dictionary(key, _) if **key == DataType::Int32 => {
            let dictionary = array.as_dictionary::<Int32Type>();
            let key = usize::try_from(dictionary.keys().value(row)).ok()?;
            return cell(dictionary.values(), key);
        }
        // Any other key type, as an Arrow stream's categoricals have.
        DataType::Dictionary(..) => {
            let dictionary = array.as_any_dictionary();
            let key = match cell(dictionary.keys(), row)? {
                Json::UInt(key) => usize::try_from(key).ok()?,
                _ => return None,
            };
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
        DataType::Timestamp(unit, _) => {
            // A timestamp (pandas' datetime64) is read as its day.
            let (ticks, per_day) = match unit {
                TimeUnit::Second => (
                    array.as_primitive::<TimestampSecondType>().value(row),
                    86_400,
                ),
                TimeUnit::Millisecond => (
                    array.as_primitive::<TimestampMillisecondType>().value(row),
                    86_400_000,
                ),
                TimeUnit::Microsecond => (
                    array.as_primitive::<TimestampMicrosecondType>().value(row),
                    86_400_000_000,
                ),
                TimeUnit::Nanosecond => (
                    array.as_primitive::<TimestampNanosecondType>().value(row),
                    86_400_000_000_000,
                ),
            };
            date_text(ticks.div_euclid(per_day))
        }
        // The layout admits no other type.
        _ => Json::Object,
    })
}

/// A date cell as the text a GeoJSON file would hold; a day outside years
/// 1 to 9999 as its day number, which the date check refuses by name.
pub(super) fn date_text(days: i64) -> Json {
    Json::Str(match Date::from_days_since_epoch(days) {
        Some(date) => date.to_string(),
        None => format!("day {days} after 1970-01-01"),
    })
}
