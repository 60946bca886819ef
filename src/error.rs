//! Errors: fatal ones ([`Error`]) stop a read or a job; a [`Rejection`]
//! refuses one feature and is returned as data beside the carriers that
//! were accepted; an [`ApportionError`] says why a target cannot be split.
//!
//! The errors of the leaf types (a bad date, datum or name) are defined
//! beside them and wrapped here, so each has one type and one message.

use std::borrow::Cow;
use std::fmt;
use std::io;

use serde::Serialize;

use crate::carrier::UnknownName;
use crate::date::InvalidDate;
use crate::datum::{Datum, UnknownDatum};
use crate::position::Position;

/// Which datum coordinates from each source are in, for the messages that
/// ask for one.
const DATUM_HELP: &str = "points from 高德/Amap or 腾讯/Tencent maps are gcj02, from 百度/Baidu \
                          bd09, from GPS, 天地图/Tianditu or CGCS2000 wgs84";

/// A fatal error: the input as a whole cannot be used.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong, with where it happened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading the input failed.
    #[error("read failed: {0}")]
    Io(#[from] io::Error),
    /// The input is not valid JSON (syntax, truncation, a number out of range,
    /// nesting too deep).
    #[error("invalid JSON at {position}: {message}")]
    Json {
        /// Where the parser stopped.
        position: Position,
        /// The parser's description.
        message: String,
    },
    /// The top level is valid JSON but not a GeoJSON FeatureCollection.
    #[error("not a GeoJSON FeatureCollection at {position}: found {found}")]
    NotFeatureCollection {
        /// Where the top level was found wanting.
        position: Position,
        /// What was there instead.
        found: String,
    },
    /// The file declares a datum name that is not one of the three.
    #[error(transparent)]
    UnknownDatum(UnknownDatum),
    /// Neither the caller nor the file says which datum the coordinates are in.
    #[error(
        "the {input} does not say which datum its coordinates are in: add {} \
         \"datum\": \"wgs84\" | \"gcj02\" | \"bd09\", or declare the datum when reading it \
         ({DATUM_HELP})",
        if input.starts_with("Parquet") { "a key-value metadata entry" } else { "a top-level member" }
    )]
    MissingDatum {
        /// `carrier file`, `region file` or `Parquet file`.
        input: &'static str,
    },
    /// The caller and the file declare different datums.
    #[error("the {input} declares datum {declared} but {given} was given: remove one or make them agree")]
    DatumConflict {
        /// `carrier file` or `region file`.
        input: &'static str,
        /// The datum in the file.
        declared: Datum,
        /// The datum the caller gave.
        given: Datum,
    },
    /// A feature of a region file cannot be used as a region.
    #[error("region feature {index}{code}: {problem}", code = .code.as_ref().map(|c| format!(" (code {c:?})")).unwrap_or_default())]
    InvalidRegion {
        /// The feature's position in the file, from 0.
        index: usize,
        /// Its code, when it has one.
        code: Option<String>,
        /// What is wrong with it.
        problem: String,
    },
    /// A feature of an overlays file cannot be used as an overlay.
    #[error("overlay feature {index}{id}: {problem}", id = .id.as_ref().map(|c| format!(" (id {c:?})")).unwrap_or_default())]
    InvalidOverlay {
        /// The feature's position in the file, from 0.
        index: usize,
        /// Its id, when it has one.
        id: Option<String>,
        /// What is wrong with it.
        problem: String,
    },
    /// A feature of a candidates file cannot be used as a candidate site.
    #[error("candidate feature {index}{id}: {problem}", id = .id.as_ref().map(|c| format!(" (id {c:?})")).unwrap_or_default())]
    InvalidCandidate {
        /// The feature's position in the file, from 0.
        index: usize,
        /// Its id, when it has one.
        id: Option<String>,
        /// What is wrong with it.
        problem: String,
    },
    /// The file holds more features than [`Limits::max_features`]; reading
    /// stopped there.
    ///
    /// [`Limits::max_features`]: crate::Limits::max_features
    #[error("the file holds more than {limit} features (the limit)")]
    TooManyFeatures {
        /// The limit.
        limit: usize,
    },
    /// A workbook's parts expand to more than
    /// [`Limits::max_workbook_bytes`]; it was not opened.
    ///
    /// [`Limits::max_workbook_bytes`]: crate::Limits::max_workbook_bytes
    #[error("the workbook expands to {expanded} bytes, past the limit of {limit} bytes")]
    WorkbookTooLarge {
        /// The bytes its zip declares for its parts.
        expanded: u64,
        /// The limit.
        limit: usize,
    },
    /// A feature is longer than [`Limits::max_feature_bytes`]; reading
    /// stopped there.
    ///
    /// [`Limits::max_feature_bytes`]: crate::Limits::max_feature_bytes
    #[error("feature {index} is longer than the limit of {limit} bytes")]
    FeatureTooLarge {
        /// The feature's position in the file, from 0.
        index: usize,
        /// The limit.
        limit: usize,
    },
    /// The carriers read so far fill a [`Carriers`](crate::Carriers) set
    /// (fewer than 2³² carriers, 4 GiB of ids and of names, 65,535 distinct
    /// overlay names); reading stopped at this feature.
    #[error("feature {index}: a carrier set holds fewer than 4,294,967,295 carriers, at most 4 GiB of ids and of names, and at most 65,535 distinct overlay names")]
    StoreFull {
        /// The feature's position in the file, from 0.
        index: usize,
    },
    /// A CSV or Excel table cannot be read: malformed CSV, text that is not
    /// UTF-8, a workbook that is not readable or has no sheet.
    #[error("not a readable {format} table{at}: {message}", at = .row.map(|r| format!(" at row {r}")).unwrap_or_default())]
    Table {
        /// `CSV` or `Excel`.
        format: &'static str,
        /// The row, when the reader knows it.
        row: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The file is in a format this build does not read: its cargo feature
    /// is off.
    #[error("reading {format:?} files needs the crate feature \"{}\"", match format {
        crate::read::CarrierFormat::Excel => "excel",
        _ => "parquet",
    })]
    FormatNotBuilt {
        /// The file's format.
        format: crate::read::CarrierFormat,
    },
    /// Two columns of a table give the same property.
    #[error("columns {first:?} and {second:?} both give {property}: remove one, or map one to another property")]
    DuplicateColumn {
        /// The property.
        property: &'static str,
        /// The first column's header.
        first: String,
        /// The second column's header.
        second: String,
    },
    /// A table with coordinate columns was read without a datum.
    #[error("the table has coordinates (columns {lon:?} and {lat:?}) but no datum was given: declare it when reading it (wgs84, gcj02 or bd09; {DATUM_HELP})")]
    TableDatum {
        /// The longitude column's header.
        lon: String,
        /// The latitude column's header.
        lat: String,
    },
    /// A table (Parquet, CSV or Excel) lacks a column it needs.
    #[error("no column {column:?}: the columns are {columns}{}", .mapping.as_ref().map(|m| format!("; map one to it with --headers (a TOML line such as {m})")).unwrap_or_default())]
    MissingColumn {
        /// The column wanted.
        column: String,
        /// The table's columns, comma-separated.
        columns: String,
        /// For a CSV or Excel table, the line of a header map
        /// ([`ReadOptions::headers`](crate::ReadOptions::headers)) that
        /// would give it: the header whose name suggests it, or a template.
        mapping: Option<String>,
    },
    /// A column's header names a unit in brackets that the reader does not
    /// know (`建筑面积（亩）`): its values cannot be read in the property's
    /// unit, and are not read in another.
    #[error("column {column:?} gives {property} in {unit:?}, a unit the reader does not know: {}", if *.property == "floor_area_m2" { "write the figures in m² (平方米) or 万 m² (万平方米), and the unit in the header" } else { "write the counts as whole numbers (家, 个), and the unit in the header" })]
    UnknownUnit {
        /// The header as written.
        column: String,
        /// The unit, as the brackets hold it.
        unit: String,
        /// The property the column gives.
        property: &'static str,
    },
    /// A column of a table has a type none of whose values could be valid.
    #[error("column {column:?} has type {found}: it must be {expected}")]
    WrongColumnType {
        /// The column.
        column: String,
        /// Its type, as Arrow names it.
        found: String,
        /// What it must be.
        expected: &'static str,
    },
    /// A Parquet file has no GeoParquet metadata, and no longitude and
    /// latitude columns were named.
    #[error("the file has no GeoParquet \"geo\" metadata: name its longitude and latitude columns (ReadOptions::coordinate_columns, or --lon-column and --lat-column)")]
    NoGeometryColumn,
    /// A Parquet file's GeoParquet metadata cannot be used.
    #[error("GeoParquet metadata: {problem}")]
    GeoMetadata {
        /// What is wrong.
        problem: String,
    },
    /// A file is not readable Parquet (truncated, corrupt, or not Parquet).
    #[error("not a readable Parquet file: {message}")]
    Parquet {
        /// The Parquet reader's message.
        message: String,
    },
    /// A plan file cannot be read, or breaks a rule of plans.
    #[error("invalid plan{at}: {message}", at = .position.map(|p| format!(" at {p}")).unwrap_or_default())]
    InvalidPlan {
        /// Where in the file, when known.
        position: Option<Position>,
        /// What is wrong.
        message: String,
    },
    /// A weight table cannot be read.
    #[error("invalid weight table{at}: {message}", at = .line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    InvalidWeights {
        /// The line, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A target cannot be split among districts as asked.
    #[error("cannot split {target:?} among districts: {reason}")]
    Split {
        /// The target's id.
        target: String,
        /// Why.
        reason: ApportionError,
    },
    /// A plan names a zone, district or overlay that does not exist.
    #[error("target {target:?} names unknown {what} {name:?}")]
    UnknownPlanName {
        /// The target's id.
        target: String,
        /// `zone`, `district` or `overlay`.
        what: &'static str,
        /// The name given.
        name: String,
    },
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error, returning what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// Where in the input the error is, when it has a line and column.
    pub fn position(&self) -> Option<Position> {
        match &*self.0 {
            ErrorKind::Json { position, .. } | ErrorKind::NotFeatureCollection { position, .. } => {
                Some(*position)
            }
            ErrorKind::UnknownDatum(e) => e.position,
            ErrorKind::InvalidPlan { position, .. } => *position,
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: Into<ErrorKind>> From<E> for Error {
    fn from(kind: E) -> Self {
        Error(Box::new(kind.into()))
    }
}

/// A feature that was read but not accepted as a carrier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Rejection {
    /// The feature's position in the `features` array (or the record's
    /// among a table's records), from 0.
    pub index: usize,
    /// For a CSV or Excel table, the record's row as a spreadsheet numbers
    /// it: the header is row 1 (in CSV, the line the record starts on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The feature's id, when it has a usable one.
    pub id: Option<String>,
    /// Why it was refused.
    pub reason: RejectReason,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "row {row}")?,
            None => write!(f, "feature {}", self.index)?,
        }
        if let Some(id) = &self.id {
            write!(f, " (id {id:?})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Why a feature was refused. Each reason carries the offending value and,
/// where there is one, a hint for the fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RejectReason {
    /// The element of `features` is not a JSON object.
    #[error("a feature must be a JSON object, found {found}")]
    NotAnObject {
        /// What was there.
        found: String,
    },
    /// The object's `type` is missing or is not `"Feature"`.
    #[error("\"type\" must be \"Feature\", found {found}")]
    NotAFeature {
        /// What `type` was (`missing` when absent).
        found: String,
    },
    /// The id is not a non-empty string or a number.
    #[error("id must be a non-empty string or a number, found {found}")]
    InvalidId {
        /// What was there.
        found: String,
    },
    /// An earlier feature has the same id; the earlier one is kept.
    #[error("duplicate id: {} already has it", match first_row {
        Some(row) => format!("row {row}"),
        None => format!("feature {first_index}"),
    })]
    DuplicateId {
        /// The position of the first feature with this id, from 0.
        first_index: usize,
        /// Its table row, for a CSV or Excel table.
        #[serde(skip_serializing_if = "Option::is_none")]
        first_row: Option<usize>,
    },
    /// A member of the feature, or a property, appears twice.
    #[error("{member:?} appears twice")]
    DuplicateMember {
        /// The member's name.
        member: String,
    },
    /// A required property is absent or null (in a table, its cell is
    /// empty).
    #[error("missing property {property:?}")]
    MissingProperty {
        /// The property's name, or the column as the table heads it.
        property: Cow<'static, str>,
    },
    /// A property has the wrong JSON type.
    #[error("{property} must be {expected}, found {found}{hint}", hint = .hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    WrongType {
        /// The property's name, or the column as the table heads it.
        property: Cow<'static, str>,
        /// What it must be.
        expected: &'static str,
        /// What it was.
        found: String,
        /// How to fix it, where that is clear.
        hint: Option<String>,
    },
    /// `floor_area_m2` is not in (0, [`MAX_FLOOR_AREA_M2`]] m².
    ///
    /// [`MAX_FLOOR_AREA_M2`]: crate::MAX_FLOOR_AREA_M2
    #[error("{property} must be > 0 and at most 1e9 m², found {found} m²")]
    FloorAreaOutOfRange {
        /// `floor_area_m2`, or the column as the table heads it.
        property: Cow<'static, str>,
        /// The value given, in m².
        found: f64,
    },
    /// A property's name gives it in a unit the reader does not know
    /// (`面积（亩）`).
    #[error("{property} is in {unit:?}, a unit the reader does not know")]
    UnknownUnit {
        /// The property's name as written.
        property: Cow<'static, str>,
        /// The unit.
        unit: String,
    },
    /// A figure is approximate (`约6000`, `6000左右`, `>5000`): a total
    /// cannot be made of it.
    #[error("{property} is approximate ({found:?}): a register total needs the exact figure")]
    ApproximateValue {
        /// The property's name, or the column as the table heads it.
        property: Cow<'static, str>,
        /// The text as written.
        found: String,
    },
    /// A count (`enterprises`, `tech_enterprises`) is not a whole number that
    /// fits in 32 bits.
    #[error("{property} must be a whole number from 0 to 4294967295, found {found}")]
    InvalidCount {
        /// The property's name, or the column as the table heads it.
        property: Cow<'static, str>,
        /// What was there.
        found: String,
    },
    /// `kind`, `category` or `level` names no valid value.
    #[error("{0}")]
    UnknownName(UnknownName),
    /// A date property (`opened`, `closed`) is not `YYYY` or a real
    /// `YYYY-MM-DD` day.
    #[error("{0}")]
    InvalidDate(InvalidDate),
    /// A date written `YYYY.1`: January, or October written as a number
    /// whose last 0 a spreadsheet dropped.
    #[error("{property} {found:?} could be January or October {year} (a spreadsheet writes {year}.10 as {year}.1): write {year}-01 or {year}-10")]
    AmbiguousDate {
        /// The property's name, or the column as the table heads it.
        property: Cow<'static, str>,
        /// The text as written.
        found: String,
        /// Its year.
        year: u16,
    },
    /// The carrier closed before it opened.
    #[error("closed {closed} is before opened {opened}")]
    ClosedBeforeOpened {
        /// The opening date given.
        opened: crate::date::RecordDate,
        /// The closing date given.
        closed: crate::date::RecordDate,
    },
    /// The record has no location and names no district: the geometry is
    /// null or absent (the coordinate cells empty) and so is `district`.
    #[error("no location: a carrier needs a geometry (a Point, Polygon or MultiPolygon; in a table, longitude and latitude) or a district")]
    MissingLocation,
    /// `district` names no district of the atlas, now or before, nor a
    /// managed area (see [`ReadOptions::districts`]), and the record has no
    /// location to place it by.
    ///
    /// [`ReadOptions::districts`]: crate::ReadOptions::districts
    #[error("{0}, and the record has no location to place it by")]
    UnknownDistrict(crate::atlas::UnknownDistrict),
    /// `overlay` is none of the overlay ids or names the read knows (see
    /// [`ReadOptions::overlays`]).
    ///
    /// [`ReadOptions::overlays`]: crate::ReadOptions::overlays
    #[error("{0}")]
    UnknownOverlay(crate::overlay::UnknownOverlay),
    /// The record's district names a managed area of one overlay, and its
    /// `overlay` another.
    #[error(
        "its district {district:?} lies in overlay {implied:?}, but its overlay is {overlay:?}"
    )]
    OverlayConflict {
        /// The district as written.
        district: String,
        /// The overlay of the managed area it names.
        implied: String,
        /// The overlay the record gives.
        overlay: String,
    },
    /// The geometry type is not Point, Polygon or MultiPolygon.
    #[error("unsupported geometry {found}: a carrier needs a Point, Polygon or MultiPolygon")]
    UnsupportedGeometry {
        /// The geometry type found.
        found: String,
    },
    /// The coordinates do not have the shape their geometry type needs.
    #[error("malformed {geometry} coordinates: {detail}")]
    MalformedCoordinates {
        /// The geometry type.
        geometry: String,
        /// What is wrong.
        detail: String,
    },
    /// A geometry cell of a Parquet file is not valid WKB.
    #[error("the geometry is not valid WKB: {detail}")]
    InvalidWkb {
        /// What is wrong.
        detail: String,
    },
    /// A coordinate is outside longitude [-180, 180] or latitude [-90, 90].
    #[error("coordinate [{lon}, {lat}] is out of range: longitude must be in [-180, 180] and latitude in [-90, 90]")]
    CoordinateOutOfRange {
        /// The longitude given.
        lon: f64,
        /// The latitude given.
        lat: f64,
    },
    /// A footprint polygon is not valid.
    #[error("invalid footprint: {detail}")]
    InvalidFootprint {
        /// What is wrong.
        detail: String,
    },
    /// The point lies outside the expected area (see
    /// [`ReadOptions::expected_area`]) but inside it with longitude and
    /// latitude swapped.
    ///
    /// [`ReadOptions::expected_area`]: crate::ReadOptions::expected_area
    #[error("coordinate [{lon}, {lat}] lies outside the expected area but [{lat}, {lon}] lies inside it: longitude and latitude look swapped (write [longitude, latitude], or read with fix_swapped / --fix-swapped)")]
    SwappedCoordinates {
        /// The longitude given.
        lon: f64,
        /// The latitude given.
        lat: f64,
    },
    /// The geometry has more vertices than [`Limits::max_vertices`].
    ///
    /// [`Limits::max_vertices`]: crate::Limits::max_vertices
    #[error("the geometry has {found} vertices, more than the limit of {limit}")]
    TooManyVertices {
        /// Vertices found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// A property's text is longer than [`Limits::max_property_bytes`].
    ///
    /// [`Limits::max_property_bytes`]: crate::Limits::max_property_bytes
    #[error("{property} is {bytes} bytes long, more than the limit of {limit}")]
    PropertyTooLong {
        /// The property's name (`id` for the id), or the column as the
        /// table heads it.
        property: Cow<'static, str>,
        /// Its length in bytes.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}

impl RejectReason {
    /// The property the reason is about, when it is about one.
    pub(crate) fn property_mut(&mut self) -> Option<&mut Cow<'static, str>> {
        match self {
            RejectReason::MissingProperty { property }
            | RejectReason::WrongType { property, .. }
            | RejectReason::FloorAreaOutOfRange { property, .. }
            | RejectReason::ApproximateValue { property, .. }
            | RejectReason::InvalidCount { property, .. }
            | RejectReason::AmbiguousDate { property, .. }
            | RejectReason::PropertyTooLong { property, .. } => Some(property),
            RejectReason::UnknownName(name) => Some(&mut name.field),
            RejectReason::InvalidDate(date) => Some(&mut date.field),
            _ => None,
        }
    }

    /// The reason with its property named as `name` gives it (the column
    /// as a table heads it).
    pub(crate) fn renamed(mut self, name: impl Fn(&str) -> Cow<'static, str>) -> RejectReason {
        if let Some(property) = self.property_mut() {
            *property = name(property);
        }
        self
    }
}

/// A region of a split, as an [`ApportionError`] names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// A region by its position among the claims of
    /// [`apportion`](crate::apportion::apportion), from 0.
    Position(usize),
    /// A district, by its code.
    District(String),
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Region::Position(i) => write!(f, "region {i}"),
            Region::District(code) => write!(f, "district {code}"),
        }
    }
}

/// Why a whole-number target cannot be split as asked: by
/// [`apportion`](crate::apportion::apportion) among claims, or among
/// districts (the variants that name a district code or weight table).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApportionError {
    /// A weight is negative, NaN or infinite.
    #[error("{region} has weight {weight}: weights must be finite and not negative")]
    InvalidWeight {
        /// The region.
        region: Region,
        /// Its weight.
        weight: f64,
    },
    /// A region's minimum is above its cap.
    #[error("{region} has minimum {min} above its cap {cap}")]
    MinAboveCap {
        /// The region.
        region: Region,
        /// Its minimum.
        min: u64,
        /// Its cap.
        cap: u64,
    },
    /// The minimums alone add up to more than the target.
    #[error("the minimums add up to {sum}, more than the target {target}")]
    MinimumsAboveTarget {
        /// The sum of the minimums.
        sum: u64,
        /// The target.
        target: u64,
    },
    /// Every region weighs 0, so nothing says how to share what the
    /// minimums leave of the target (floor-area weights of a zone without
    /// carriers, for one).
    #[error("every region has weight 0: nothing to split {left} by beyond the minimums")]
    AllWeightsZero {
        /// What is left of the target beyond the minimums.
        left: u64,
    },
    /// The regions with a weight cannot take the target: their caps (and
    /// the minimums of the regions without weight) add up to less.
    #[error("the regions can take at most {most} (caps, and minimums where the weight is 0), less than the target {target}")]
    CapsBelowTarget {
        /// The most the regions can take.
        most: u64,
        /// The target.
        target: u64,
    },
    /// The list of districts is empty.
    #[error("no districts to split the target among")]
    NoDistricts,
    /// A district is listed, or given a weight, twice.
    #[error("district {code} appears twice")]
    DuplicateDistrict {
        /// Its code.
        code: String,
    },
    /// A weight table names a district the atlas does not have.
    #[error("the weight table names {name:?}, which is not a district code or name")]
    UnknownDistrict {
        /// The name as written.
        name: String,
    },
    /// A weight table has no weight for a district of the split.
    #[error("the weight table has no weight for district {code} ({name})")]
    MissingWeight {
        /// Its code.
        code: String,
        /// Its name.
        name: String,
    },
    /// A minimum or cap is given for a district outside the split.
    #[error("a {bound} is given for district {code}, which is not among the districts split")]
    BoundOutsideSplit {
        /// `minimum` or `cap`.
        bound: &'static str,
        /// The district's code.
        code: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejection_message_names_index_id_and_reason() {
        let r = Rejection {
            index: 9,
            row: None,
            id: Some("c-17".into()),
            reason: RejectReason::FloorAreaOutOfRange {
                property: "floor_area_m2".into(),
                found: -3.0,
            },
        };
        assert_eq!(
            r.to_string(),
            "feature 9 (id \"c-17\"): floor_area_m2 must be > 0 and at most 1e9 m², found -3 m²"
        );
    }

    #[test]
    fn missing_datum_message_says_how_to_declare_it() {
        let e = Error::from(ErrorKind::MissingDatum {
            input: "carrier file",
        });
        assert_eq!(
            e.to_string(),
            "the carrier file does not say which datum its coordinates are in: add a top-level member \
             \"datum\": \"wgs84\" | \"gcj02\" | \"bd09\", or declare the datum when reading it \
             (points from 高德/Amap or 腾讯/Tencent maps are gcj02, from 百度/Baidu bd09, from GPS, \
             天地图/Tianditu or CGCS2000 wgs84)"
        );
        assert_eq!(e.position(), None);
    }
}
