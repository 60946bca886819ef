//! One GeoJSON feature: parsed leniently, then checked into a [`Carrier`] or
//! a [`RejectReason`].

use std::fmt;

use geo::{BoundingRect, Coord, Intersects, MultiPolygon, Point, Rect};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use smol_str::SmolStr;

use std::borrow::Cow;

use super::cells::{value, Cell};
use super::header::{name_of, Header};
use crate::carrier::store::{NewCarrier, StoreFull};
use crate::carrier::{Carriers, Category, Kind, Level};
use crate::carrier::{Column, ReadNote};
use crate::carrier::{RejectReason, Rejection};
use crate::date::RecordDate;
use crate::json::{keys, non_objects_to, Coords, Json, Parsed};
use crate::names::{DistrictNames, OverlayNames};
use crate::read::{Limits, ReadOptions};

mod fields;

#[cfg(feature = "datafusion")]
pub(crate) use fields::point_anchor;
pub(crate) use fields::{check_closing, floor_area_in_range, locate};
use fields::{check_properties, check_range, id_text, wrong_type, Fields};

/// A feature as it appeared in the file, before any check. It is filled in
/// place by [`FeatureSeed`] and checked in place by
/// [`RawFeature::check`], so that the large record is never moved.
#[derive(Debug, Default)]
pub(crate) struct RawFeature {
    /// The array element, when it was not an object.
    not_object: Option<Json>,
    type_: Option<Parsed<FeatureType>>,
    id: Option<Parsed<SmolStr>>,
    /// `Err` holds a non-object, non-null `properties` value.
    properties: Option<Result<Properties, Json>>,
    /// `Err` holds a non-object, non-null `geometry` value.
    geometry: Option<Result<Geometry, Json>>,
    duplicate: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Properties {
    id: Option<Parsed<SmolStr>>,
    name: Option<Json>,
    kind: Option<Parsed<Kind>>,
    category: Option<Parsed<Category>>,
    level: Option<Parsed<Level>>,
    floor_area_m2: Option<Json>,
    enterprises: Option<Json>,
    tech_enterprises: Option<Json>,
    opened: Option<Parsed<RecordDate>>,
    closed: Option<Parsed<RecordDate>>,
    overlay: Option<Json>,
    district: Option<Json>,
    address: Option<Json>,
    town: Option<Json>,
    duplicate: Option<String>,
    /// Why a value as a register writes it cannot be read (`约6000`).
    refused: Option<RejectReason>,
    /// Properties found by a register's name for them (`建筑面积`), with
    /// that name: the names rejections give.
    headers: Vec<(Column, String)>,
    /// What reading them in the property's unit made of them.
    notes: Vec<ReadNote>,
    /// Whether the record's figures were given with the record above it,
    /// in merged cells: its floor area may be 0.
    shared_figures: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Geometry {
    type_: Option<Parsed<GeometryType>>,
    coordinates: Option<Coords>,
    duplicate: Option<String>,
}

/// Stores `value` in `slot`, or notes `name` as duplicated.
fn put<T>(slot: &mut Option<T>, value: T, duplicate: &mut Option<String>, name: &str) {
    if slot.is_some() {
        duplicate.get_or_insert_with(|| name.to_string());
    } else {
        *slot = Some(value);
    }
}

keys!(FeatureKey { Type = "type", Id = "id", Properties = "properties", Geometry = "geometry" });
keys!(GeometryKey { Type = "type", Coordinates = "coordinates" });
/// A property's name: one of the reader's own, one a register uses for a
/// property (`建筑面积（万平方米）`), or another.
enum PropertyKey {
    Own(Column),
    Register(Header, String),
    UnknownUnit(super::header::UnknownUnit),
    Other,
}

impl<'de> Deserialize<'de> for PropertyKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = PropertyKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E>(self, v: &str) -> Result<PropertyKey, E> {
                Ok(property_key(v))
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// Whether `key` is a name a register gives one of the properties (and
/// not the property's own name).
pub(crate) fn is_register_name(key: &str) -> bool {
    matches!(
        property_key(key),
        PropertyKey::Register(..) | PropertyKey::UnknownUnit(_)
    )
}

/// What a property named `key` gives. Coordinates are a feature's
/// geometry, never its properties.
fn property_key(key: &str) -> PropertyKey {
    let own = Column::of_property(key).filter(|c| !matches!(c, Column::Lon | Column::Lat));
    if let Some(column) = own {
        return PropertyKey::Own(column);
    }
    match Header::checked(key, &ReadOptions::default()) {
        Some(Ok(h)) if !matches!(h.column, Column::Lon | Column::Lat) => {
            PropertyKey::Register(h, key.trim().to_string())
        }
        Some(Err(unknown)) => PropertyKey::UnknownUnit(unknown),
        _ => PropertyKey::Other,
    }
}

impl<'de> Deserialize<'de> for RawFeature {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut raw = RawFeature::default();
        FeatureSeed(&mut raw).deserialize(d)?;
        Ok(raw)
    }
}

/// Reads one array element into an empty [`RawFeature`], in place.
pub(crate) struct FeatureSeed<'a>(pub(crate) &'a mut RawFeature);

impl<'de> DeserializeSeed<'de> for FeatureSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl FeatureSeed<'_> {
    fn not_object<E>(self, found: Json) -> Result<(), E> {
        self.0.not_object = Some(found);
        Ok(())
    }
}

impl<'de> Visitor<'de> for FeatureSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON feature")
    }
    non_objects_to!(not_object);
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let raw = self.0;
        while let Some(key) = map.next_key::<FeatureKey>()? {
            let dup = &mut raw.duplicate;
            let name = key.as_str();
            match key {
                FeatureKey::Type => put(&mut raw.type_, map.next_value()?, dup, name),
                FeatureKey::Id => put(&mut raw.id, map.next_value()?, dup, name),
                FeatureKey::Properties => fill(&mut map, &mut raw.properties, dup, name)?,
                FeatureKey::Geometry => fill(&mut map, &mut raw.geometry, dup, name)?,
                FeatureKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads an object member into `slot` in place, or, when the member came
/// before, notes it as duplicated and keeps the first.
fn fill<'de, A: MapAccess<'de>, T: FromMembers>(
    map: &mut A,
    slot: &mut Option<Result<T, Json>>,
    duplicate: &mut Option<String>,
    name: &str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        duplicate.get_or_insert_with(|| name.to_string());
        map.next_value::<IgnoredAny>()?;
    } else {
        map.next_value_seed(ObjectSeed(slot))?;
    }
    Ok(())
}

/// Reads an object member in place: `Ok` for an object, `Err` for any other
/// value.
struct ObjectSeed<'a, T>(&'a mut Option<Result<T, Json>>);

/// An object read member by member.
trait FromMembers: Default {
    fn member<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<bool, A::Error>;
}

impl FromMembers for Properties {
    fn member<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<bool, A::Error> {
        let Some(key) = map.next_key::<PropertyKey>()? else {
            return Ok(false);
        };
        let column = match key {
            PropertyKey::Own(column) => column,
            PropertyKey::Register(header, written) => {
                let value: Json = map.next_value()?;
                self.register_value(&header, written, value);
                return Ok(true);
            }
            PropertyKey::UnknownUnit(unknown) => {
                map.next_value::<IgnoredAny>()?;
                self.refused.get_or_insert(RejectReason::UnknownUnit {
                    property: Cow::Owned(unknown.header),
                    unit: unknown.unit,
                });
                return Ok(true);
            }
            PropertyKey::Other => {
                map.next_value::<IgnoredAny>()?;
                return Ok(true);
            }
        };
        let dup = &mut self.duplicate;
        let name = column.as_str();
        match column {
            Column::Id => put(&mut self.id, map.next_value()?, dup, name),
            Column::Name => put(&mut self.name, map.next_value()?, dup, name),
            Column::Kind => put(&mut self.kind, map.next_value()?, dup, name),
            Column::Category => put(&mut self.category, map.next_value()?, dup, name),
            Column::Level => put(&mut self.level, map.next_value()?, dup, name),
            Column::FloorAreaM2 => put(&mut self.floor_area_m2, map.next_value()?, dup, name),
            Column::Enterprises => put(&mut self.enterprises, map.next_value()?, dup, name),
            Column::TechEnterprises => {
                put(&mut self.tech_enterprises, map.next_value()?, dup, name)
            }
            Column::Opened => put(&mut self.opened, map.next_value()?, dup, name),
            Column::Closed => put(&mut self.closed, map.next_value()?, dup, name),
            Column::Overlay => put(&mut self.overlay, map.next_value()?, dup, name),
            Column::District => put(&mut self.district, map.next_value()?, dup, name),
            Column::Address => put(&mut self.address, map.next_value()?, dup, name),
            Column::Town => put(&mut self.town, map.next_value()?, dup, name),
            Column::Lon | Column::Lat => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(true)
    }
}

impl Properties {
    /// A property named as a register names its column: its value read as
    /// a table's cell is, and the name kept for messages.
    fn register_value(&mut self, header: &Header, written: String, found: Json) {
        let text;
        let cell = match &found {
            Json::Null => Cell::Empty,
            Json::Str(s) => {
                text = s.clone();
                Cell::Text(&text)
            }
            number @ (Json::UInt(_) | Json::Int(_) | Json::Float(_)) => {
                Cell::Number(number.as_f64().expect("a number"))
            }
            other => Cell::Other(other.describe()),
        };
        let column = header.column;
        if let Some((unit, scale @ 1..)) = &header.unit {
            self.notes.push(ReadNote::ColumnUnit {
                column: written.clone(),
                property: column,
                unit: unit.clone(),
                factor: 10u64.pow(u32::from(*scale)),
            });
        }
        let scale = header.unit.as_ref().map_or(0, |(_, scale)| *scale);
        let json = match value(column, scale, &cell, &written) {
            Ok((json, note)) => {
                self.notes.extend(note);
                json
            }
            Err(reason) => {
                self.refused.get_or_insert(reason);
                None
            }
        };
        let dup = &mut self.duplicate;
        let name = written.as_str();
        match (column, json) {
            (_, None) => {}
            (Column::Id, Some(v)) => put(&mut self.id, parsed(v), dup, name),
            (Column::Name, Some(v)) => put(&mut self.name, v, dup, name),
            (Column::Kind, Some(v)) => put(&mut self.kind, parsed(v), dup, name),
            (Column::Category, Some(v)) => put(&mut self.category, parsed(v), dup, name),
            (Column::Level, Some(v)) => put(&mut self.level, parsed(v), dup, name),
            (Column::FloorAreaM2, Some(v)) => put(&mut self.floor_area_m2, v, dup, name),
            (Column::Enterprises, Some(v)) => put(&mut self.enterprises, v, dup, name),
            (Column::TechEnterprises, Some(v)) => put(&mut self.tech_enterprises, v, dup, name),
            (Column::Opened, Some(v)) => put(&mut self.opened, parsed(v), dup, name),
            (Column::Closed, Some(v)) => put(&mut self.closed, parsed(v), dup, name),
            (Column::Overlay, Some(v)) => put(&mut self.overlay, v, dup, name),
            (Column::District, Some(v)) => put(&mut self.district, v, dup, name),
            (Column::Address, Some(v)) => put(&mut self.address, v, dup, name),
            (Column::Town, Some(v)) => put(&mut self.town, v, dup, name),
            (Column::Lon | Column::Lat, Some(_)) => {}
        }
        self.headers.push((column, written));
    }
}

impl FromMembers for Geometry {
    fn member<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<bool, A::Error> {
        let Some(key) = map.next_key::<GeometryKey>()? else {
            return Ok(false);
        };
        let dup = &mut self.duplicate;
        match key {
            GeometryKey::Type => put(&mut self.type_, map.next_value()?, dup, key.as_str()),
            GeometryKey::Coordinates => {
                put(&mut self.coordinates, map.next_value()?, dup, key.as_str())
            }
            GeometryKey::Other => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(true)
    }
}

impl<'de, T: FromMembers> DeserializeSeed<'de> for ObjectSeed<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: FromMembers> Visitor<'de> for ObjectSeed<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if let Ok(value) = self.0.insert(Ok(T::default())) {
            while value.member(&mut map)? {}
        }
        Ok(())
    }
    non_objects_to!(other);
}

impl<T> ObjectSeed<'_, T> {
    fn other<E>(self, found: Json) -> Result<(), E> {
        *self.0 = Some(Err(found));
        Ok(())
    }
}

/// A rejected feature's id (when usable) and reason.
pub(crate) type Refusal = (Option<String>, RejectReason);

/// A feature that passed every check: its id (none when it has none:
/// its position becomes its id) and checked fields, and what reading them
/// noted.
#[derive(Debug)]
pub(crate) struct Accepted {
    id: Option<SmolStr>,
    fields: Fields,
    notes: Vec<ReadNote>,
}

/// A checked feature: accepted, or why it was refused.
pub(crate) type Checked = Result<Accepted, Refusal>;

impl Accepted {
    /// Names the columns of its notes as `name` gives them (a table's
    /// headers), and the record's `row` where a note lists records.
    pub(crate) fn rename_notes(&mut self, name: impl Fn(&str) -> Cow<'static, str>, row: usize) {
        // Most records have no note.
        for note in self.notes.iter_mut() {
            match note {
                ReadNote::UnknownValue { column, .. } => *column = name(column).into_owned(),
                ReadNote::AddressDisagrees { rows, .. } => *rows = vec![row],
                _ => {}
            }
        }
    }
}

impl Carriers {
    /// Adds the next feature of a file: its carrier, or its rejection.
    pub(crate) fn store(&mut self, checked: Checked) -> Result<(), StoreFull> {
        match checked {
            Ok(Accepted {
                id,
                fields: f,
                notes,
            }) => {
                let position;
                let generated = id.is_none();
                let id = match &id {
                    Some(id) => id.as_str(),
                    None => {
                        position = self.features_read().to_string();
                        &position
                    }
                };
                self.try_push(NewCarrier {
                    id,
                    name: f.name.as_deref(),
                    kind: f.kind,
                    category: f.category,
                    level: f.level,
                    floor_area_m2: f.floor_area_m2,
                    enterprises: f.enterprises,
                    tech_enterprises: f.tech_enterprises,
                    opened: f.opened,
                    closed: f.closed,
                    overlay: f.overlay.as_deref(),
                    district: f
                        .district
                        .as_ref()
                        .map(|(text, named)| (text.as_str(), named)),
                    anchor: f.anchor,
                    footprint: f.footprint,
                    unclassified: f.unclassified,
                    by_address: f.by_address,
                })?;
                if generated {
                    self.mark_unnamed();
                }
                self.accept(f.swapped);
                for note in notes {
                    self.add_note(note);
                }
            }
            Err((id, reason)) => self.reject(Rejection {
                index: self.features_read(),
                row: None,
                origin: Default::default(),
                id,
                reason,
            }),
        }
        Ok(())
    }
}

/// What every feature of a read is checked against, prepared once.
pub(crate) struct Checks<'a> {
    limits: Limits,
    /// The expected area and its bounding box.
    area: Option<(&'a MultiPolygon, Rect)>,
    fix_swapped: bool,
    districts: &'a DistrictNames,
    overlays: &'a OverlayNames,
}

impl<'a> Checks<'a> {
    pub(crate) fn new(options: &'a ReadOptions) -> Checks<'a> {
        Checks {
            limits: options.limits,
            area: options
                .expected_area
                .as_ref()
                .and_then(|area| Some((area, area.bounding_rect()?))),
            fix_swapped: options.fix_swapped,
            districts: options
                .districts
                .as_ref()
                .unwrap_or_else(|| DistrictNames::chongqing()),
            overlays: options
                .overlays
                .as_ref()
                .unwrap_or_else(|| OverlayNames::chongqing()),
        }
    }

    /// The id of the overlay `text` names.
    pub(crate) fn overlay<'t>(&'t self, text: &'t str) -> Result<&'t str, RejectReason> {
        self.overlays
            .resolve(text)
            .map_err(RejectReason::UnknownOverlay)
    }

    /// The point to read for `c`, and whether it was swapped back: a point
    /// off the expected area's box that lies in the area when swapped is
    /// refused, or swapped back when that was asked for.
    fn unswap(&self, c: Coord) -> Result<(Coord, bool), RejectReason> {
        let Some((area, rect)) = self.area else {
            return Ok((c, false));
        };
        let swapped = Coord { x: c.y, y: c.x };
        let in_box = |p: Coord| rect.intersects(&p);
        if in_box(c) || check_range(swapped).is_err() || !in_box(swapped) {
            return Ok((c, false));
        }
        if !area.intersects(&Point(swapped)) {
            return Ok((c, false));
        }
        if self.fix_swapped {
            Ok((swapped, true))
        } else {
            Err(RejectReason::SwappedCoordinates { lon: c.x, lat: c.y })
        }
    }

    pub(crate) fn max_feature_bytes(&self) -> usize {
        self.limits.max_feature_bytes
    }

    /// Refuses a property text longer than the limit.
    pub(crate) fn text(&self, property: &'static str, text: &str) -> Result<(), RejectReason> {
        let limit = self.limits.max_property_bytes;
        if text.len() > limit {
            Err(RejectReason::PropertyTooLong {
                property: Cow::Borrowed(property),
                bytes: text.len(),
                limit,
            })
        } else {
            Ok(())
        }
    }

    /// Refuses the first property text of `p` longer than the limit.
    fn texts(&self, p: &Properties) -> Result<(), RejectReason> {
        let json = |value: &Option<Json>| match value {
            Some(Json::Str(s)) => s.len(),
            _ => 0,
        };
        fn parsed<T>(value: &Option<Parsed<T>>) -> usize {
            match value {
                Some(Parsed(Err(Json::Str(s)))) => s.len(),
                _ => 0,
            }
        }
        let lengths = [
            ("name", json(&p.name)),
            ("overlay", json(&p.overlay)),
            ("district", json(&p.district)),
            ("floor_area_m2", json(&p.floor_area_m2)),
            ("enterprises", json(&p.enterprises)),
            ("tech_enterprises", json(&p.tech_enterprises)),
            ("kind", parsed(&p.kind)),
            ("category", parsed(&p.category)),
            ("level", parsed(&p.level)),
            ("opened", parsed(&p.opened)),
            ("closed", parsed(&p.closed)),
        ];
        let limit = self.limits.max_property_bytes;
        match lengths.into_iter().find(|&(_, bytes)| bytes > limit) {
            Some((property, bytes)) => Err(RejectReason::PropertyTooLong {
                property: Cow::Borrowed(property),
                bytes,
                limit,
            }),
            None => Ok(()),
        }
    }
}

impl RawFeature {
    /// Checks the feature into a carrier, in the datum of the file, taking
    /// what it needs out of the record.
    pub(crate) fn check(&mut self, checks: &Checks) -> Checked {
        if let Some(found) = &self.not_object {
            let found = found.describe();
            return Err((None, RejectReason::NotAnObject { found }));
        }
        let mut missing;
        let properties = match &mut self.properties {
            None | Some(Err(Json::Null)) => {
                missing = Properties::default();
                &mut missing
            }
            Some(Ok(p)) => p,
            Some(Err(found)) => {
                let id = id_text(self.id.take()).ok().flatten().map(String::from);
                return Err((id, wrong_type("properties", "an object or null", found)));
            }
        };
        let headers = std::mem::take(&mut properties.headers);
        let named = |reason: RejectReason| reason.renamed(|p| name_of(&headers, p));
        let id = match id_text(properties.id.take().or(self.id.take())) {
            Ok(id) => id,
            Err(reason) => return Err((None, named(reason))),
        };
        // A refusal keeps the id, so an overlong one is not kept.
        if let Some(id) = &id {
            checks
                .text("id", id)
                .map_err(|reason| (None, named(reason)))?;
        }
        let checked = match self.duplicate.take().or(properties.duplicate.take()) {
            Some(member) => Err(RejectReason::DuplicateMember { member }),
            None => match (&self.type_, properties.refused.take()) {
                (Some(Parsed(Ok(FeatureType))), Some(refused)) => Err(refused),
                (Some(Parsed(Ok(FeatureType))), None) => checks
                    .texts(properties)
                    .and_then(|()| check_properties(properties, &self.geometry, checks)),
                (other, _) => Err(RejectReason::NotAFeature {
                    found: other
                        .as_ref()
                        .and_then(|Parsed(t)| t.as_ref().err())
                        .map_or("missing".into(), Json::describe),
                }),
            },
        };
        match checked {
            Ok(fields) => {
                let mut notes = std::mem::take(&mut properties.notes);
                // A note names the column as the file heads it.
                for note in &mut notes {
                    if let ReadNote::UnknownValue { column, .. } = note {
                        *column = name_of(&headers, column).into_owned();
                    }
                }
                Ok(Accepted { id, fields, notes })
            }
            Err(reason) => Err((id.map(String::from), named(reason))),
        }
    }
}

/// The `type` of a feature object.
#[derive(Debug)]
pub(crate) struct FeatureType;

impl std::str::FromStr for FeatureType {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        (s == "Feature").then_some(FeatureType).ok_or(())
    }
}

/// The geometry types a carrier may have.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum GeometryType {
    Point,
    Polygon,
    MultiPolygon,
}

impl GeometryType {
    fn as_str(self) -> &'static str {
        match self {
            GeometryType::Point => "Point",
            GeometryType::Polygon => "Polygon",
            GeometryType::MultiPolygon => "MultiPolygon",
        }
    }
}

impl std::str::FromStr for GeometryType {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "Point" => Ok(GeometryType::Point),
            "Polygon" => Ok(GeometryType::Polygon),
            "MultiPolygon" => Ok(GeometryType::MultiPolygon),
            _ => Err(()),
        }
    }
}
/// One row of a table (Parquet, CSV or Excel) as the feature a
/// GeoJSON file would hold: each property as the JSON value its cell stands
/// for, absent when the cell is null or the column missing. Checking it
/// gives the same carrier, or the same rejection, as that feature.
#[derive(Debug, Default)]
pub(crate) struct Row {
    pub id: Option<Json>,
    pub name: Option<Json>,
    pub kind: Option<Json>,
    pub category: Option<Json>,
    pub level: Option<Json>,
    pub floor_area_m2: Option<Json>,
    pub enterprises: Option<Json>,
    pub tech_enterprises: Option<Json>,
    pub opened: Option<Json>,
    pub closed: Option<Json>,
    pub overlay: Option<Json>,
    pub district: Option<Json>,
    pub address: Option<Json>,
    pub town: Option<Json>,
    /// The geometry's type (its name when it is not one a carrier takes)
    /// and coordinates.
    pub geometry: Option<(Result<GeometryType, String>, Coords)>,
    /// Why a cell as the register writes it cannot be read (`约6000`).
    pub refused: Option<RejectReason>,
    /// Each column with its header as written: the names rejections give.
    pub headers: Vec<(Column, String)>,
    /// What reading the cells in the properties' units made of them.
    pub notes: Vec<ReadNote>,
    /// Whether its figures were given once for it and the rows above, in
    /// merged cells: its own are 0.
    pub shared_figures: bool,
}

impl Row {
    /// The figure of `column` (a floor area, a count), when it gives one.
    pub fn figure(&self, column: Column) -> Option<f64> {
        let value = match column {
            Column::FloorAreaM2 => &self.floor_area_m2,
            Column::Enterprises => &self.enterprises,
            Column::TechEnterprises => &self.tech_enterprises,
            _ => return None,
        };
        value.as_ref().and_then(Json::as_f64)
    }
}

/// A string parsed into `T`, or the value kept for the message.
fn parsed<T: std::str::FromStr>(value: Json) -> Parsed<T> {
    match value {
        Json::Str(s) => Parsed(s.parse().map_err(|_| Json::Str(s))),
        other => Parsed(Err(other)),
    }
}

impl From<Row> for RawFeature {
    fn from(row: Row) -> RawFeature {
        let properties = Properties {
            id: row.id.map(parsed),
            name: row.name,
            kind: row.kind.map(parsed),
            category: row.category.map(parsed),
            level: row.level.map(parsed),
            floor_area_m2: row.floor_area_m2,
            enterprises: row.enterprises,
            tech_enterprises: row.tech_enterprises,
            opened: row.opened.map(parsed),
            closed: row.closed.map(parsed),
            overlay: row.overlay,
            district: row.district,
            address: row.address,
            town: row.town,
            duplicate: None,
            refused: row.refused,
            headers: row.headers,
            notes: row.notes,
            shared_figures: row.shared_figures,
        };
        let geometry = row.geometry.map(|(type_, coordinates)| {
            Ok(Geometry {
                type_: Some(Parsed(type_.map_err(Json::Str))),
                coordinates: Some(coordinates),
                duplicate: None,
            })
        });
        RawFeature {
            not_object: None,
            type_: Some(Parsed(Ok(FeatureType))),
            id: None,
            properties: Some(Ok(properties)),
            geometry,
            duplicate: None,
        }
    }
}
