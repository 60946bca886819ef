//! Fatal errors: an [`Error`] stops a read or a job. A record that cannot
//! be used is not an error but a
//! [`Rejection`](crate::carrier::Rejection), returned beside the carriers
//! that were accepted.
//!
//! The errors of the leaf types (a bad datum, a split that cannot be made)
//! are defined beside them and wrapped here, so each has one type and one
//! message.

use std::{fmt, io};

use crate::apportion::ApportionError;
use crate::date::InvalidDate;
use crate::datum::{Datum, UnknownDatum};
use crate::position::{Origin, Position};

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
        if *input == InputKind::ParquetFile { "a key-value metadata entry" } else { "a top-level member" }
    )]
    MissingDatum {
        /// The input.
        input: InputKind,
    },
    /// The caller and the file declare different datums.
    #[error("the {input} declares datum {declared} but {given} was given: remove one or make them agree")]
    DatumConflict {
        /// The input.
        input: InputKind,
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
        problem: FeatureProblem,
    },
    /// A feature of an overlays file cannot be used as an overlay.
    #[error("overlay feature {index}{id}: {problem}", id = .id.as_ref().map(|c| format!(" (id {c:?})")).unwrap_or_default())]
    InvalidOverlay {
        /// The feature's position in the file, from 0.
        index: usize,
        /// Its id, when it has one.
        id: Option<String>,
        /// What is wrong with it.
        problem: FeatureProblem,
    },
    /// A feature of a candidates file cannot be used as a candidate site.
    #[error("candidate feature {index}{id}: {problem}", id = .id.as_ref().map(|c| format!(" (id {c:?})")).unwrap_or_default())]
    InvalidCandidate {
        /// The feature's position in the file, from 0.
        index: usize,
        /// Its id, when it has one.
        id: Option<String>,
        /// What is wrong with it.
        problem: FeatureProblem,
    },
    /// The file holds more features than [`Limits::max_features`]; reading
    /// stopped there.
    ///
    /// [`Limits::max_features`]: crate::read::Limits::max_features
    #[error("the file holds more than {limit} features (the limit)")]
    TooManyFeatures {
        /// The limit.
        limit: usize,
    },
    /// A workbook's parts expand to more than
    /// [`Limits::max_workbook_bytes`]; it was not opened.
    ///
    /// [`Limits::max_workbook_bytes`]: crate::read::Limits::max_workbook_bytes
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
    /// [`Limits::max_feature_bytes`]: crate::read::Limits::max_feature_bytes
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
    /// An error in one file or sheet of several.
    #[error("{origin}: {error}")]
    In {
        /// The file and sheet.
        origin: Origin,
        /// The error there.
        error: Box<Error>,
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
        crate::format::CarrierFormat::Excel => "excel",
        _ => "parquet",
    })]
    FormatNotBuilt {
        /// The file's format.
        format: crate::format::CarrierFormat,
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
    /// An Arrow table has no geometry column, no GeoParquet metadata, and
    /// no longitude and latitude columns the reader knows.
    #[error("the table has no geometry: no GeoArrow column (geoarrow.wkb, geoarrow.point), no GeoParquet \"geo\" metadata and no lon and lat columns; the columns are {columns}: name its longitude and latitude columns (ReadOptions::coordinate_columns)")]
    NoGeometry {
        /// The table's columns.
        columns: String,
    },
    /// A column of an Arrow table gives a property in a multiple of its
    /// unit (`面积（万平方米）`): Arrow values are read as they are.
    #[error("column {column:?} gives {property} in {unit:?}: an Arrow table's figures are read as they are, so convert them to the property's unit (m², whole counts) and name the column {property}")]
    ScaledColumn {
        /// The header as written.
        column: String,
        /// The property the column gives.
        property: &'static str,
        /// The unit, as the brackets hold it.
        unit: String,
    },
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
    /// A district targets table cannot be read or used.
    #[error("district targets table{at}: {message}", at = .row.map(|r| format!(", row {r}")).unwrap_or_default())]
    InvalidDistrictTargets {
        /// The row, when known.
        row: Option<usize>,
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
    #[error("target {target:?} names unknown {what} {name:?}{hint}", hint = plan_name_hint(what, name))]
    UnknownPlanName {
        /// The target's id.
        target: String,
        /// `zone`, `district` or `overlay`.
        what: &'static str,
        /// The name given.
        name: String,
    },
}

/// What a plan needs to know a name: an overlay is declared in the plan,
/// or given by an overlays file.
fn plan_name_hint(what: &str, name: &str) -> String {
    match what {
        "overlay" => format!(
            ": declare it in the plan (overlays = [{name:?}], beside name and start) or give an overlays file that has it"
        ),
        _ => String::new(),
    }
}

/// The kind of input an error is about, as its messages name it.
/// What makes a feature of a region, overlays or candidates file unusable:
/// the whole file is refused with it ([`ErrorKind::InvalidRegion`],
/// [`ErrorKind::InvalidOverlay`], [`ErrorKind::InvalidCandidate`]), since a
/// region, overlay or site left out would change every answer silently.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FeatureProblem {
    /// Not a GeoJSON feature, or one whose members have the wrong types.
    #[error("not a GeoJSON feature: {detail}")]
    NotAFeature {
        /// What was found instead.
        detail: String,
    },
    /// A region without the property its code is read from.
    #[error(
        "no {property:?} property to take the code from ({has}): name the property that holds \
         each region's code",
        has = match present.is_empty() {
            true => "it has no properties".to_string(),
            false => format!("its properties are {}", present.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ")),
        }
    )]
    MissingCode {
        /// The property named for codes.
        property: String,
        /// The properties the feature has.
        present: Vec<String>,
    },
    /// An overlay or a candidate site without an id.
    #[error("no {hint}")]
    MissingId {
        /// Where the id is looked for.
        hint: &'static str,
    },
    /// A required property is missing.
    #[error("missing property {property:?}")]
    MissingProperty {
        /// The property.
        property: String,
    },
    /// A property holds a value of the wrong type.
    #[error("{property} must be {expected}, found {found}")]
    WrongType {
        /// The property.
        property: String,
        /// What it must be.
        expected: &'static str,
        /// The value found, as JSON.
        found: String,
    },
    /// A number outside its range.
    #[error("{property} must be {range}, found {found}")]
    OutOfRange {
        /// The property.
        property: &'static str,
        /// The range it must be in.
        range: &'static str,
        /// The value found.
        found: f64,
    },
    /// A date that cannot be read.
    #[error(transparent)]
    Date(InvalidDate),
    /// A geometry that cannot be used: of the wrong type, malformed, out
    /// of range, or not a valid polygon.
    #[error("{problem}")]
    Geometry {
        /// What is wrong with it.
        problem: String,
    },
    /// An id or code an earlier feature has.
    #[error("feature {first} has the same {key}")]
    Duplicate {
        /// The earlier feature, from 0.
        first: usize,
        /// `id` or `code`.
        key: &'static str,
    },
    /// A region past the most an atlas holds.
    #[error("an atlas holds at most {max} regions")]
    TooMany {
        /// The most an atlas holds.
        max: usize,
    },
}

impl FeatureProblem {
    /// A geometry problem.
    pub(crate) fn geometry(problem: impl Into<String>) -> FeatureProblem {
        FeatureProblem::Geometry {
            problem: problem.into(),
        }
    }
}

/// The input a datum belongs to, as errors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// A GeoJSON carrier file.
    CarrierFile,
    /// A (Geo)Parquet carrier file.
    ParquetFile,
    /// An Arrow record batch stream of carriers.
    ArrowStream,
    /// A region file.
    RegionFile,
    /// An overlays file.
    OverlaysFile,
    /// A candidate sites file.
    CandidatesFile,
}

impl InputKind {
    /// The datum of an input: the one the caller gives, the one the file
    /// declares (they must agree when both are given), or an error.
    pub(crate) fn datum(
        self,
        declared: Option<Datum>,
        given: Option<Datum>,
    ) -> Result<Datum, Error> {
        match (declared, given) {
            (Some(declared), Some(given)) if declared != given => Err(ErrorKind::DatumConflict {
                input: self,
                declared,
                given,
            }
            .into()),
            (Some(datum), _) | (None, Some(datum)) => Ok(datum),
            (None, None) => Err(ErrorKind::MissingDatum { input: self }.into()),
        }
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputKind::CarrierFile => "carrier file",
            InputKind::ParquetFile => "Parquet file",
            InputKind::ArrowStream => "Arrow table",
            InputKind::RegionFile => "region file",
            InputKind::OverlaysFile => "overlays file",
            InputKind::CandidatesFile => "candidates file",
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_datum_message_says_how_to_declare_it() {
        let e = Error::from(ErrorKind::MissingDatum {
            input: InputKind::CarrierFile,
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
