//! The fast path for a feature as most files write it: parsed into typed,
//! borrowed fields and stored without an allocation of its own.
//!
//! It accepts a feature only when every check passes. Anything else (a
//! value of another JSON type, a member twice, a `null` where the lenient
//! path reads more into it, any reason to reject) makes it give up, and the
//! lenient path in `feature.rs` reads the feature again and decides. So the
//! two paths agree by construction: an accepted feature passes the same
//! checks (the same functions) with the same values, and every rejection
//! comes from the lenient path, which names it.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::feature::{
    check_closing, floor_area_in_range, locate, Checks, FeatureType, GeometryType,
};
use crate::carrier::store::NewCarrier;
use crate::carrier::{Carriers, Category, Kind, Level};
use crate::date::RecordDate;
use crate::json::Coords;

#[derive(Deserialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    _type: Text<FeatureType>,
    #[serde(borrow)]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    properties: Properties<'a>,
    geometry: Geometry,
}

struct Properties<'a> {
    /// Present, it must be an id: the lenient path takes `"id": null` here
    /// as no id at all, without looking at the feature's own.
    id: PropertyId<'a>,
    name: Option<Cow<'a, str>>,
    kind: Text<Kind>,
    category: Option<Text<Category>>,
    level: Option<Text<Level>>,
    floor_area_m2: f64,
    enterprises: Option<u32>,
    tech_enterprises: Option<u32>,
    opened: Option<Text<RecordDate>>,
    closed: Option<Text<RecordDate>>,
    overlay: Option<Cow<'a, str>>,
    /// Left to the lenient path, which resolves it, when present.
    district: Option<IgnoredAny>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Properties<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PropertiesVisitor(PhantomData))
    }
}

/// Reads the properties a carrier has by the reader's own names. A
/// property named as a register names it (`建筑面积`, `Name`) gives up: the
/// lenient path reads those. So does a property given twice.
struct PropertiesVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for PropertiesVisitor<'a> {
    type Value = Properties<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the properties of a carrier")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Properties<'a>, A::Error> {
        fn set<T, E: de::Error>(slot: &mut Option<T>, value: T) -> Result<(), E> {
            match slot.replace(value) {
                None => Ok(()),
                Some(_) => Err(E::custom("a property twice")),
            }
        }
        let mut id = None;
        let (mut name, mut kind, mut category, mut level) = (None, None, None, None);
        let (mut floor_area_m2, mut enterprises, mut tech_enterprises) = (None, None, None);
        let (mut opened, mut closed, mut overlay, mut district) = (None, None, None, None);
        while let Some(key) = map.next_key::<&'de str>()? {
            match key {
                "id" => set(&mut id, map.next_value()?)?,
                "name" => set(&mut name, map.next_value::<Option<Cow<'a, str>>>()?)?,
                "kind" => set(&mut kind, map.next_value()?)?,
                "category" => set(&mut category, map.next_value::<Option<_>>()?)?,
                "level" => set(&mut level, map.next_value::<Option<_>>()?)?,
                "floor_area_m2" => set(&mut floor_area_m2, map.next_value()?)?,
                "enterprises" => set(&mut enterprises, map.next_value::<Option<_>>()?)?,
                "tech_enterprises" => set(&mut tech_enterprises, map.next_value::<Option<_>>()?)?,
                "opened" => set(&mut opened, map.next_value::<Option<_>>()?)?,
                "closed" => set(&mut closed, map.next_value::<Option<_>>()?)?,
                "overlay" => set(&mut overlay, map.next_value::<Option<Cow<'a, str>>>()?)?,
                "district" => set(&mut district, map.next_value::<Option<IgnoredAny>>()?)?,
                other if is_register_name(other) => {
                    return Err(de::Error::custom("a property named as a register names it"))
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Properties {
            id: PropertyId(id),
            name: name.flatten(),
            kind: kind.ok_or_else(|| de::Error::missing_field("kind"))?,
            category: category.flatten(),
            level: level.flatten(),
            floor_area_m2: floor_area_m2
                .ok_or_else(|| de::Error::missing_field("floor_area_m2"))?,
            enterprises: enterprises.flatten(),
            tech_enterprises: tech_enterprises.flatten(),
            opened: opened.flatten(),
            closed: closed.flatten(),
            overlay: overlay.flatten(),
            district: district.flatten(),
        })
    }
}

/// Whether a property that is none of the reader's own names is a name a
/// register gives one: cheap for the lower-case ASCII names most files'
/// other properties have.
fn is_register_name(key: &str) -> bool {
    let plain = key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain {
        return key == "floor_area";
    }
    super::feature::is_register_name(key)
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    type_: Text<GeometryType>,
    coordinates: Coords,
}

/// A JSON string parsed into `T`; any other value, or a string that does
/// not parse, is an error.
struct Text<T>(T);

impl<'de, T: FromStr> Deserialize<'de> for Text<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor<T>(PhantomData<T>);
        impl<T: FromStr> Visitor<'_> for TextVisitor<T> {
            type Value = Text<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<T>, E> {
                v.parse().map(Text).map_err(|_| E::custom("unparsed"))
            }
        }
        d.deserialize_str(TextVisitor(PhantomData))
    }
}

/// An id: text as it is, a number as its decimal text (as the lenient path
/// writes it).
struct Id<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IdVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for IdVisitor<'a> {
            type Value = Id<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Id<'a>, E> {
                Ok(Id(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Id<'a>, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Id<'a>, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Id<'a>, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Id<'a>, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(IdVisitor(PhantomData))
    }
}

/// The `id` property: absent, or an id (never `null`: `Id` refuses null,
/// so present-but-null gives up).
struct PropertyId<'a>(Option<Id<'a>>);

/// Parses and checks one feature's text and stores its carrier in `out`;
/// `false`, with nothing stored, when the lenient path must decide.
pub(crate) fn store(text: &str, checks: &Checks, out: &mut Carriers) -> bool {
    let mut parser = serde_json::Deserializer::from_str(text);
    let Ok(feature) = Feature::deserialize(&mut parser) else {
        return false;
    };
    if parser.end().is_err() {
        return false;
    }
    let Some(new) = checked(&feature, checks) else {
        return false;
    };
    let (new, swapped) = new;
    if out.try_push(new).is_err() {
        return false;
    }
    out.accept(swapped);
    true
}

/// The carrier, when every check passes, and whether its point was read
/// swapped back.
fn checked<'f>(f: &'f Feature, checks: &'f Checks<'_>) -> Option<(NewCarrier<'f>, bool)> {
    let p = &f.properties;
    let id = match (&p.id.0, &f.id) {
        (Some(id), _) | (None, Some(id)) => &*id.0,
        (None, None) => return None,
    };
    let within = |property, text: &str| checks.text(property, text).is_ok();
    if id.is_empty() || !within("id", id) {
        return None;
    }
    let name = p.name.as_deref();
    let overlay = match p.overlay.as_deref() {
        None => None,
        Some(o) if !o.is_empty() && within("overlay", o) => Some(checks.overlay(o).ok()?),
        Some(_) => return None,
    };
    if !name.is_none_or(|n| within("name", n)) || p.district.is_some() {
        return None;
    }
    let floor_area_m2 = floor_area_in_range(p.floor_area_m2).ok()?;
    let (opened, closed) = (
        p.opened.as_ref().map(|o| o.0),
        p.closed.as_ref().map(|c| c.0),
    );
    check_closing(opened, closed).ok()?;
    let geometry = &f.geometry;
    let (anchor, footprint, swapped) =
        locate(geometry.type_.0, &geometry.coordinates, checks).ok()?;
    let new = NewCarrier {
        id,
        name,
        kind: p.kind.0,
        category: p.category.as_ref().map(|c| c.0),
        level: p.level.as_ref().map(|l| l.0),
        floor_area_m2,
        enterprises: p.enterprises.unwrap_or(0),
        tech_enterprises: p.tech_enterprises.unwrap_or(0),
        opened,
        closed,
        overlay,
        district: None,
        anchor: Some(anchor),
        footprint,
        unclassified: 0,
        by_address: false,
    };
    Some((new, swapped))
}
