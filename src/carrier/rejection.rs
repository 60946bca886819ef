//! Why a record was refused: a [`Rejection`] is returned as data beside
//! the carriers that were accepted, so that nothing is lost unseen.

use std::borrow::Cow;
use std::fmt;

use super::Origin;
use crate::date::{InvalidDate, RecordDate};
use crate::spelling::UnknownName;

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
    /// The file and sheet it was read from, when the read took more than
    /// one table.
    #[serde(flatten)]
    pub origin: Origin,
    /// The feature's id, when it has a usable one.
    pub id: Option<String>,
    /// Why it was refused.
    pub reason: RejectReason,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.origin.is_empty() {
            write!(f, "{}, ", self.origin)?;
        }
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
    /// [`MAX_FLOOR_AREA_M2`]: super::MAX_FLOOR_AREA_M2
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
        opened: RecordDate,
        /// The closing date given.
        closed: RecordDate,
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
    UnknownDistrict(crate::names::UnknownDistrict),
    /// The record has no location and no district, and its address names
    /// none it can be placed by.
    #[error("no location: the address {address:?} places it nowhere: {problem}")]
    UnplacedAddress {
        /// The address as written.
        address: String,
        /// Why it places nothing.
        problem: crate::names::AddressProblem,
    },
    /// The record has no location: the cells of a table that would place
    /// it are all empty.
    #[error("no location: its {} {} empty", columns.join(", "), if columns.len() == 1 { "cell is" } else { "cells are" })]
    EmptyLocation {
        /// The columns that would place it, as the table heads them.
        columns: Vec<String>,
    },
    /// `overlay` is none of the overlay ids or names the read knows (see
    /// [`ReadOptions::overlays`]).
    ///
    /// [`ReadOptions::overlays`]: crate::ReadOptions::overlays
    #[error("{0}")]
    UnknownOverlay(crate::names::UnknownOverlay),
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
    /// [`Limits::max_vertices`]: crate::read::Limits::max_vertices
    #[error("the geometry has {found} vertices, more than the limit of {limit}")]
    TooManyVertices {
        /// Vertices found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// A property's text is longer than [`Limits::max_property_bytes`].
    ///
    /// [`Limits::max_property_bytes`]: crate::read::Limits::max_property_bytes
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejection_message_names_index_id_and_reason() {
        let r = Rejection {
            index: 9,
            row: None,
            origin: Origin::default(),
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
}
