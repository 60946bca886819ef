//! Geometries in WKB.

use crate::carrier::RejectReason;
use crate::json::{position, Coords};
use crate::read::feature::GeometryType;
#[cfg(feature = "datafusion")]
use crate::read::feature::{locate, Checks};

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
pub(super) fn wkb_point(bytes: &[u8]) -> Option<geo::Coord> {
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
pub(super) fn wkb_geometry(
    bytes: &[u8],
) -> Result<(Result<GeometryType, String>, Coords), RejectReason> {
    match wkb_point(bytes) {
        Some(c) => Ok((Ok(GeometryType::Point), Coords::Position(c))),
        None => any_wkb_geometry(bytes),
    }
}

/// [`wkb_geometry`] without the fast path for points.
pub(super) fn any_wkb_geometry(
    bytes: &[u8],
) -> Result<(Result<GeometryType, String>, Coords), RejectReason> {
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

pub(super) fn type_name(geometry: &impl geo_traits::GeometryTrait) -> &'static str {
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
