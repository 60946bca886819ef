//! The checks of a feature's fields: its id, measures, dates, names and
//! location, each to a value or a [`RejectReason`].

use std::borrow::Cow;

use geo::{Coord, CoordsIter, InteriorPoint, LineString, MultiPolygon, Polygon};
use smol_str::SmolStr;

use super::{Checks, Geometry, GeometryType, Properties};
use crate::carrier::{Category, Column, Kind, Level, ReadNote, RejectReason, MAX_FLOOR_AREA_M2};
use crate::date::{InvalidDate, RecordDate};
use crate::json::{ring_problem, Coords, Json, Parsed};
use crate::names::Declared;

/// The id as text: a string as it is, a number as its decimal text.
/// A string id is read without an allocation when it is short.
pub(super) fn id_text(value: Option<Parsed<SmolStr>>) -> Result<Option<SmolStr>, RejectReason> {
    let found = match value {
        None | Some(Parsed(Err(Json::Null))) => return Ok(None),
        Some(Parsed(Ok(s))) if !s.is_empty() => return Ok(Some(s)),
        Some(Parsed(Err(Json::UInt(n)))) => return Ok(Some(n.to_string().into())),
        Some(Parsed(Err(Json::Int(n)))) => return Ok(Some(n.to_string().into())),
        Some(Parsed(Err(Json::Float(x)))) => return Ok(Some(x.to_string().into())),
        Some(Parsed(Ok(empty))) => Json::Str(empty.into()),
        Some(Parsed(Err(other))) => other,
    };
    Err(RejectReason::InvalidId {
        found: found.describe(),
    })
}

pub(super) fn wrong_type(
    property: &'static str,
    expected: &'static str,
    found: &Json,
) -> RejectReason {
    RejectReason::WrongType {
        property: Cow::Borrowed(property),
        expected,
        found: found.describe(),
        hint: None,
    }
}

/// For a number written as a string: the hint to write it as a number.
pub(super) fn quoted_number_hint(found: &Json) -> Option<String> {
    match found {
        Json::Str(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(|_| format!("write it as a JSON number, without quotes: {}", s.trim())),
        _ => None,
    }
}

/// A feature's checked fields, with what it owns.
#[derive(Debug)]
pub(super) struct Fields {
    pub(super) name: Option<String>,
    pub(super) kind: Kind,
    pub(super) category: Option<Category>,
    pub(super) level: Option<Level>,
    pub(super) floor_area_m2: f64,
    pub(super) enterprises: u32,
    pub(super) tech_enterprises: u32,
    pub(super) opened: Option<RecordDate>,
    pub(super) closed: Option<RecordDate>,
    pub(super) overlay: Option<String>,
    /// The district as the record writes it, and what it names.
    pub(super) district: Option<(String, Declared)>,
    pub(super) anchor: Option<Coord>,
    pub(super) footprint: Option<MultiPolygon>,
    /// Whether its point was read with longitude and latitude swapped back.
    pub(super) swapped: bool,
    /// Its category (1) and level (2) given as values the reader does not
    /// know.
    pub(super) unclassified: u8,
    /// Whether its address named its district.
    pub(super) by_address: bool,
}

/// Checks the properties and geometry.
pub(super) fn check_properties(
    p: &mut Properties,
    geometry: &Option<Result<Geometry, Json>>,
    checks: &Checks,
) -> Result<Fields, RejectReason> {
    let kind = match p.kind.take() {
        None | Some(Parsed(Err(Json::Null))) => {
            return Err(RejectReason::MissingProperty {
                property: Cow::Borrowed("kind"),
            })
        }
        Some(Parsed(Ok(kind))) => kind,
        Some(Parsed(Err(Json::Str(s)))) => s.parse().map_err(RejectReason::UnknownName)?,
        Some(Parsed(Err(other))) => return Err(wrong_type("kind", "a string", &other)),
    };
    let floor_area_m2 = match p.floor_area_m2.take() {
        // Counted in the first of the merged rows.
        None if p.shared_figures => 0.0,
        area => floor_area(area)?,
    };
    // An unknown category or level keeps the record: it counts in every
    // total, and the targets that filter on it count it as unclassified.
    let (category, category_unknown) = optional_class(
        p.category.take(),
        Column::Category,
        crate::carrier::NO_CATEGORY,
        p,
    )?;
    let (level, level_unknown) = optional_class(p.level.take(), Column::Level, &[], p)?;
    let name = match p.name.take() {
        None | Some(Json::Null) => None,
        Some(Json::Str(s)) => Some(s),
        Some(other) => return Err(wrong_type("name", "a string", &other)),
    };
    let enterprises = count(p.enterprises.take(), "enterprises")?;
    let tech_enterprises = count(p.tech_enterprises.take(), "tech_enterprises")?;
    let opened = record_date(p.opened.take(), "opened")?;
    let closed = record_date(p.closed.take(), "closed")?;
    check_closing(opened, closed)?;
    let location = location(geometry, checks);
    let located = location.is_ok();
    let mut overlay = overlay(p, checks)?;
    let (district, by_address) = district_of(p, checks, located)?;
    // A managed area of the dual core puts the record in its overlay.
    if let Some((text, named)) = &district {
        if let Some(implied) = named.overlay() {
            match &overlay {
                None => overlay = Some(implied.to_string()),
                Some(given) if given != implied => {
                    return Err(RejectReason::OverlayConflict {
                        district: text.clone(),
                        implied: implied.to_string(),
                        overlay: given.clone(),
                    })
                }
                Some(_) => {}
            }
        }
    }
    let (anchor, footprint, swapped) = match location {
        Ok((anchor, footprint, swapped)) => (Some(anchor), footprint, swapped),
        // A record that names its district (or a managed area) counts
        // there.
        Err(RejectReason::MissingLocation) if district.is_some() => (None, None, false),
        Err(reason) => return Err(reason),
    };
    Ok(Fields {
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
        district,
        anchor,
        footprint,
        swapped,
        unclassified: u8::from(category_unknown) | u8::from(level_unknown) << 1,
        by_address,
    })
}

/// An optional category or level: the value, or none; a value the reader
/// does not know is none and true, with a note (`none_words` read as none
/// without one).
fn optional_class<T>(
    value: Option<Parsed<T>>,
    column: Column,
    none_words: &[&str],
    p: &mut Properties,
) -> Result<(Option<T>, bool), RejectReason>
where
    T: std::str::FromStr<Err = crate::carrier::UnknownName>,
{
    match optional_name(value, column.as_str()) {
        Ok(value) => Ok((value, false)),
        Err(RejectReason::UnknownName(unknown)) => {
            let written = unknown.found.trim();
            if written.is_empty() || none_words.contains(&written) {
                return Ok((None, false));
            }
            p.notes.push(ReadNote::UnknownValue {
                column: column.as_str().to_string(),
                property: column,
                value: written.to_string(),
                records: 1,
            });
            Ok((None, true))
        }
        Err(other) => Err(other),
    }
}

/// The district a record names, as written, and what it names; true when
/// its address named it. The district a record names never refuses a
/// record that has a location: that counts where it lies, and a name no
/// one knows is listed as a mismatch. A record without either is placed
/// by the district its address names; when its district and its address
/// disagree, the district decides, and a note lists the record.
fn district_of(
    p: &mut Properties,
    checks: &Checks,
    located: bool,
) -> Result<(Option<(String, Declared)>, bool), RejectReason> {
    let declared = match p.district.take() {
        None | Some(Json::Null) => None,
        Some(Json::Str(s)) if s.trim().is_empty() => None,
        Some(Json::Str(s)) => Some(s.trim().to_string()),
        Some(code @ Json::UInt(_)) => Some(code.describe()),
        Some(other) if located => Some(other.describe()),
        Some(other) => {
            let expected = "a district code or name, or null";
            return Err(wrong_type("district", expected, &other));
        }
    };
    let district = match declared {
        None => None,
        Some(text) => match checks.districts.resolve(&text) {
            Ok(named) => Some((text, named)),
            Err(_) if located => Some((text, Declared::Unknown)),
            Err(unknown) => return Err(RejectReason::UnknownDistrict(unknown)),
        },
    };
    let text = |value: Option<Json>| match value {
        Some(Json::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let (address, town) = (text(p.address.take()), text(p.town.take()));
    if let Some((written, named)) = district {
        let in_address = address
            .as_ref()
            .map(|a| (a, checks.districts.in_address(a)));
        if let Some((address, Ok((_, found)))) = in_address {
            if !named.districts().is_empty() && found.districts() != named.districts() {
                p.notes.push(ReadNote::AddressDisagrees {
                    district: written.clone(),
                    address: address.clone(),
                    records: 1,
                    rows: Vec::new(),
                });
            }
        }
        return Ok((Some((written, named)), false));
    }
    if located {
        return Ok((None, false));
    }
    // The address first, then the town or street.
    let mut refused = None;
    let places = [(address, false), (town, true)];
    for (written, is_town) in places.into_iter().filter_map(|(w, t)| Some((w?, t))) {
        let found = match is_town {
            true => checks.districts.town(&written),
            false => checks.districts.in_address(&written),
        };
        match found {
            Ok(found) => return Ok((Some(found), true)),
            Err(problem) => {
                refused.get_or_insert(RejectReason::UnplacedAddress {
                    address: written,
                    problem,
                });
            }
        }
    }
    refused.map_or(Ok((None, false)), Err)
}

/// The overlay a record names, as its id; a name is read as its id, with
/// a note.
fn overlay(p: &mut Properties, checks: &Checks) -> Result<Option<String>, RejectReason> {
    let overlay = match p.overlay.take() {
        None | Some(Json::Null) => None,
        Some(Json::Str(s)) if !s.is_empty() => {
            let id = checks.overlay(&s)?;
            if id == s {
                Some(s)
            } else {
                let id = id.to_string();
                p.notes.push(ReadNote::OverlayName {
                    written: s.trim().to_string(),
                    overlay: id.clone(),
                    records: 1,
                });
                Some(id)
            }
        }
        Some(other) => return Err(wrong_type("overlay", "a non-empty string or null", &other)),
    };
    Ok(overlay)
}

/// An optional `YYYY` or `YYYY-MM-DD` property.
pub(super) fn record_date(
    value: Option<Parsed<RecordDate>>,
    field: &'static str,
) -> Result<Option<RecordDate>, RejectReason> {
    match value {
        None | Some(Parsed(Err(Json::Null))) => Ok(None),
        Some(Parsed(Ok(date))) => Ok(Some(date)),
        Some(Parsed(Err(Json::Str(found)))) => Err(RejectReason::InvalidDate(InvalidDate {
            field: Cow::Borrowed(field),
            found,
            year_allowed: true,
        })),
        Some(Parsed(Err(other))) => Err(RejectReason::WrongType {
            property: Cow::Borrowed(field),
            expected: "a string",
            hint: Some(format!(
                "write the date as text: \"{}\"",
                other.describe().trim_matches('"')
            )),
            found: other.describe(),
        }),
    }
}

/// A closing certainly before the opening is a data-entry error. Both in
/// one year (or on one day) is not: such a carrier counts on no date.
pub(crate) fn check_closing(
    opened: Option<RecordDate>,
    closed: Option<RecordDate>,
) -> Result<(), RejectReason> {
    match (opened, closed) {
        (Some(opened), Some(closed)) if closed.latest_day() < opened.earliest_day() => {
            Err(RejectReason::ClosedBeforeOpened { opened, closed })
        }
        _ => Ok(()),
    }
}

pub(super) fn floor_area(value: Option<Json>) -> Result<f64, RejectReason> {
    let found = match value {
        None | Some(Json::Null) => {
            return Err(RejectReason::MissingProperty {
                property: Cow::Borrowed("floor_area_m2"),
            })
        }
        Some(found) => found,
    };
    let Some(area) = found.as_f64() else {
        return Err(RejectReason::WrongType {
            property: Cow::Borrowed("floor_area_m2"),
            expected: "a number",
            hint: quoted_number_hint(&found),
            found: found.describe(),
        });
    };
    floor_area_in_range(area)
}

/// A floor area that is greater than 0 and at most [`MAX_FLOOR_AREA_M2`].
pub(crate) fn floor_area_in_range(area: f64) -> Result<f64, RejectReason> {
    if area > 0.0 && area <= MAX_FLOOR_AREA_M2 {
        Ok(area)
    } else {
        Err(RejectReason::FloorAreaOutOfRange {
            property: Cow::Borrowed("floor_area_m2"),
            found: area,
        })
    }
}

pub(super) fn optional_name<T>(
    value: Option<Parsed<T>>,
    property: &'static str,
) -> Result<Option<T>, RejectReason>
where
    T: std::str::FromStr<Err = crate::carrier::UnknownName>,
{
    match value {
        None | Some(Parsed(Err(Json::Null))) => Ok(None),
        Some(Parsed(Ok(value))) => Ok(Some(value)),
        // Parsed again for the suggestion, on this rare path only.
        Some(Parsed(Err(Json::Str(s)))) => s.parse().map(Some).map_err(RejectReason::UnknownName),
        Some(Parsed(Err(other))) => Err(wrong_type(property, "a string or null", &other)),
    }
}

pub(super) fn count(value: Option<Json>, property: &'static str) -> Result<u32, RejectReason> {
    let invalid = |found: &Json| RejectReason::InvalidCount {
        property: Cow::Borrowed(property),
        found: found.describe(),
    };
    match value {
        None | Some(Json::Null) => Ok(0),
        Some(Json::UInt(n)) => u32::try_from(n).map_err(|_| invalid(&Json::UInt(n))),
        Some(Json::Float(x)) if x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x) => {
            Ok(x as u32)
        }
        Some(found @ (Json::Int(_) | Json::Float(_))) => Err(invalid(&found)),
        Some(found) => Err(RejectReason::WrongType {
            property: Cow::Borrowed(property),
            expected: "a whole number",
            hint: quoted_number_hint(&found),
            found: found.describe(),
        }),
    }
}

/// The carrier's anchor and footprint, and whether its point was swapped
/// back.
pub(super) fn location(
    geometry: &Option<Result<Geometry, Json>>,
    checks: &Checks,
) -> Result<(Coord, Option<MultiPolygon>, bool), RejectReason> {
    let geometry = match geometry {
        None | Some(Err(Json::Null)) => return Err(RejectReason::MissingLocation),
        Some(Err(found)) => {
            return Err(wrong_type(
                "geometry",
                "a GeoJSON geometry object or null",
                found,
            ))
        }
        Some(Ok(g)) => g,
    };
    if let Some(member) = &geometry.duplicate {
        return Err(RejectReason::DuplicateMember {
            member: member.clone(),
        });
    }
    let type_ = match &geometry.type_ {
        Some(Parsed(Ok(t))) => *t,
        Some(Parsed(Err(Json::Str(t)))) => {
            return Err(RejectReason::UnsupportedGeometry { found: t.clone() })
        }
        Some(Parsed(Err(other))) => {
            return Err(RejectReason::UnsupportedGeometry {
                found: other.describe(),
            })
        }
        None => {
            return Err(RejectReason::UnsupportedGeometry {
                found: "without a type".into(),
            })
        }
    };
    match &geometry.coordinates {
        None => Err(RejectReason::MalformedCoordinates {
            geometry: type_.as_str().to_string(),
            detail: "no \"coordinates\" member".to_string(),
        }),
        Some(coords) => locate(type_, coords, checks),
    }
}

/// The anchor and footprint of a geometry of type `type_`, and whether its
/// point was swapped back.
pub(crate) fn locate(
    type_: GeometryType,
    coords: &Coords,
    checks: &Checks,
) -> Result<(Coord, Option<MultiPolygon>, bool), RejectReason> {
    let malformed = |detail: &str| RejectReason::MalformedCoordinates {
        geometry: type_.as_str().to_string(),
        detail: detail.to_string(),
    };
    if let Coords::Malformed(why) = coords {
        return Err(malformed(why));
    }
    let vertices = vertex_count(coords);
    if vertices > checks.limits.max_vertices {
        return Err(RejectReason::TooManyVertices {
            found: vertices,
            limit: checks.limits.max_vertices,
        });
    }
    let footprint = match (type_, coords) {
        (GeometryType::Point, Coords::Position(c)) => {
            let (c, swapped) = checks.unswap(*c)?;
            check_range(c)?;
            return Ok((c, None, swapped));
        }
        (GeometryType::Point, _) => Err(malformed("a Point needs one position")),
        (GeometryType::Polygon, c) => {
            let polygon = polygon(c).map_err(|d| malformed(&d))?;
            footprint(MultiPolygon(vec![polygon]))
        }
        (_, Coords::Nested(parts)) if !parts.is_empty() => {
            let polygons = parts
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p).map_err(|d| malformed(&format!("polygon {i}: {d}"))))
                .collect::<Result<Vec<_>, _>>()?;
            footprint(MultiPolygon(polygons))
        }
        _ => Err(malformed("a MultiPolygon needs one or more polygons")),
    };
    footprint.map(|(anchor, shape)| (anchor, Some(shape), false))
}

/// The positions in `coords`, at any depth.
pub(super) fn vertex_count(coords: &Coords) -> usize {
    match coords {
        Coords::Position(_) => 1,
        Coords::Positions(positions) => positions.len(),
        Coords::Nested(items) => items.iter().map(vertex_count).sum(),
        Coords::Number(_) | Coords::Malformed(_) => 0,
    }
}

/// A carrier point from its longitude and latitude, checked as the reader
/// checks a Point's position.
#[cfg(feature = "datafusion")]
pub(crate) fn point_anchor(lon: f64, lat: f64) -> Result<Coord, RejectReason> {
    let c = crate::json::position(lon, lat);
    check_range(c)?;
    Ok(c)
}

pub(super) fn check_range(c: Coord) -> Result<(), RejectReason> {
    if (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y) {
        Ok(())
    } else {
        Err(RejectReason::CoordinateOutOfRange { lon: c.x, lat: c.y })
    }
}

/// A polygon from its rings, which must be closed and hold four or more
/// positions each (GeoJSON RFC 7946, section 3.1.6).
pub(super) fn polygon(coords: &Coords) -> Result<Polygon, String> {
    let rings = match coords {
        Coords::Nested(rings) if !rings.is_empty() => rings,
        _ => return Err("a polygon needs one or more rings of positions".into()),
    };
    let mut checked = Vec::with_capacity(rings.len());
    for (i, ring) in rings.iter().enumerate() {
        let Coords::Positions(positions) = ring else {
            return Err(format!("ring {i} is not an array of positions"));
        };
        if let Some(problem) = ring_problem(positions) {
            return Err(format!("ring {i} {problem}"));
        }
        checked.push(LineString(positions.clone()));
    }
    let exterior = checked.remove(0);
    Ok(Polygon::new(exterior, checked))
}

/// A valid footprint and its surface point.
pub(crate) fn footprint(shape: MultiPolygon) -> Result<(Coord, MultiPolygon), RejectReason> {
    for c in shape.coords_iter() {
        check_range(c)?;
    }
    crate::validity::validate(&shape).map_err(|e| RejectReason::InvalidFootprint {
        detail: e.to_string(),
    })?;
    let surface_point = shape
        .interior_point()
        .ok_or(RejectReason::InvalidFootprint {
            detail: "it has no interior".into(),
        })?;
    Ok((surface_point.0, shape))
}
