//! Lenient JSON values: they accept any JSON so that a wrong value becomes a
//! per-feature rejection instead of stopping the whole read.

use std::fmt;

use geo::Coord;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A JSON value with nested arrays and objects reduced to their type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    UInt(u64),
    Int(i64),
    Float(f64),
    Str(String),
    Array,
    Object,
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.to_string())
    }
}

impl Json {
    /// A short description for messages: the value itself for scalars
    /// (strings quoted and cut at 60 characters), the type otherwise.
    pub(crate) fn describe(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::UInt(n) => n.to_string(),
            Json::Int(n) => n.to_string(),
            Json::Float(x) => x.to_string(),
            Json::Str(s) if s.chars().count() > 60 => {
                let cut: String = s.chars().take(60).collect();
                format!("{cut:?}… ({} bytes)", s.len())
            }
            Json::Str(s) => format!("{s:?}"),
            Json::Array => "an array".into(),
            Json::Object => "an object".into(),
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match *self {
            Json::UInt(n) => Some(n as f64),
            Json::Int(n) => Some(n as f64),
            Json::Float(x) => Some(x),
            _ => None,
        }
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::UInt(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Json::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Json::Object)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

/// A value parsed from a JSON string as it is read, so that the common case
/// allocates nothing; any other value, or a string that does not parse, is
/// kept as [`Json`] for the message.
#[derive(Debug)]
pub(crate) struct Parsed<T>(pub(crate) Result<T, Json>);

impl<'de, T: std::str::FromStr> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ParsedVisitor(std::marker::PhantomData))
    }
}

struct ParsedVisitor<T>(std::marker::PhantomData<T>);

impl<T> ParsedVisitor<T> {
    fn kept<E>(self, found: Json) -> Result<Parsed<T>, E> {
        Ok(Parsed(Err(found)))
    }
}

impl<'de, T: std::str::FromStr> Visitor<'de> for ParsedVisitor<T> {
    type Value = Parsed<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Parsed<T>, E> {
        Ok(Parsed(v.parse().map_err(|_| Json::Str(v.to_owned()))))
    }
    scalars_to!(kept);
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Parsed<T>, A::Error> {
        JsonVisitor.visit_seq(seq).map(|j| Parsed(Err(j)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Parsed<T>, A::Error> {
        JsonVisitor.visit_map(map).map(|j| Parsed(Err(j)))
    }
}

/// A GeoJSON `coordinates` value of any depth, with the altitude dropped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Coords {
    /// A lone number (only valid inside a position).
    Number(f64),
    /// `[lon, lat]` or `[lon, lat, alt]`.
    Position(Coord),
    /// An array of positions (a ring, a line).
    Positions(Vec<Coord>),
    /// An array of deeper arrays, or an empty array.
    Nested(Vec<Coords>),
    /// Anything else, with what is wrong.
    Malformed(String),
}

/// Arrays nested deeper than this in `coordinates` (a MultiPolygon needs 4)
/// make them malformed, and are skipped without recursion, so that no
/// feature reaches serde_json's recursion limit.
const MAX_COORDS_DEPTH: u32 = 16;

/// Reads coordinates at a depth of nesting.
#[derive(Clone, Copy)]
struct CoordsVisitor {
    depth: u32,
}

impl CoordsVisitor {
    fn inner(self) -> CoordsVisitor {
        CoordsVisitor {
            depth: self.depth + 1,
        }
    }
}

impl<'de> DeserializeSeed<'de> for CoordsVisitor {
    type Value = Coords;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Coords, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CoordsVisitor {
    type Value = Coords;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("GeoJSON coordinates")
    }
    fn visit_u64<E>(self, v: u64) -> Result<Coords, E> {
        Ok(Coords::Number(v as f64))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Coords, E> {
        Ok(Coords::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Coords, E> {
        Ok(Coords::Number(v))
    }
    fn visit_unit<E>(self) -> Result<Coords, E> {
        Ok(Coords::Malformed("found null".into()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Coords, E> {
        Ok(Coords::Malformed(format!("found {v}")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Coords, E> {
        Ok(Coords::Malformed(format!(
            "found the string {}",
            Json::Str(v.into()).describe()
        )))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Coords, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Coords::Malformed("found an object".into()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords, A::Error> {
        if self.depth >= MAX_COORDS_DEPTH {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Coords::Malformed(format!(
                "arrays are nested more than {MAX_COORDS_DEPTH} deep"
            )));
        }
        let inner = self.inner();
        let Some(first) = seq.next_element_seed(inner)? else {
            return Ok(Coords::Nested(Vec::new()));
        };
        match first {
            Coords::Number(x) => read_position(x, seq, inner),
            Coords::Position(c) => {
                let mut positions = Vec::with_capacity(seq.size_hint().unwrap_or(8) + 1);
                positions.push(c);
                let mut problem = None;
                while let Some(next) = seq.next_element_seed(inner)? {
                    match next {
                        Coords::Position(c) => positions.push(c),
                        other => {
                            problem.get_or_insert_with(|| mixed_depth(&other));
                        }
                    }
                }
                Ok(problem.map_or(Coords::Positions(positions), Coords::Malformed))
            }
            Coords::Malformed(why) => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Coords::Malformed(why))
            }
            deeper => {
                let mut items = vec![deeper];
                while let Some(next) = seq.next_element_seed(inner)? {
                    items.push(next);
                }
                Ok(Coords::Nested(items))
            }
        }
    }
}

fn mixed_depth(item: &Coords) -> String {
    match item {
        Coords::Malformed(why) => why.clone(),
        _ => "positions and arrays of positions are mixed at one level".into(),
    }
}

/// A position read from a file. A negative zero becomes zero: the two are
/// the same place, but geo's sweep (behind `InteriorPoint`) panics on a ring
/// that repeats a vertex as both.
pub(crate) fn position(x: f64, y: f64) -> Coord {
    Coord {
        x: x + 0.0,
        y: y + 0.0,
    }
}

/// The rest of a position whose first number was `x`.
fn read_position<'de, A: SeqAccess<'de>>(
    x: f64,
    mut seq: A,
    inner: CoordsVisitor,
) -> Result<Coords, A::Error> {
    let mut numbers = 1;
    let mut y = None;
    let mut problem = None;
    while let Some(item) = seq.next_element_seed(inner)? {
        numbers += 1;
        match item {
            Coords::Number(v) if numbers == 2 => y = Some(v),
            Coords::Number(_) => {}
            _ => {
                problem.get_or_insert("a position must hold only numbers".to_string());
            }
        }
    }
    if let Some(problem) = problem {
        return Ok(Coords::Malformed(problem));
    }
    match (y, numbers) {
        (Some(y), 2 | 3) => Ok(Coords::Position(position(x, y))),
        _ => Ok(Coords::Malformed(format!(
            "a position must be [longitude, latitude] or [longitude, latitude, altitude], found {numbers} number{}",
            if numbers == 1 { "" } else { "s" }
        ))),
    }
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CoordsVisitor { depth: 0 })
    }
}

/// Runs `f` on each element of a JSON array, as it is parsed, with its
/// position in the array, while `f` returns `true` (the parse then fails);
/// anything but an array is reported as `Err(found)`.
pub(crate) struct EachElement<F, T>(F, std::marker::PhantomData<fn(T)>);

impl<F, T> EachElement<F, T> {
    pub(crate) fn new(f: F) -> Self {
        EachElement(f, std::marker::PhantomData)
    }
}

impl<'de, T, F> DeserializeSeed<'de> for EachElement<F, T>
where
    T: Deserialize<'de>,
    F: FnMut(usize, T) -> bool,
{
    type Value = Result<usize, Json>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(EachVisitor(self.0, std::marker::PhantomData))
    }
}

struct EachVisitor<F, T>(F, std::marker::PhantomData<T>);

impl<F, T> EachVisitor<F, T> {
    fn not_array<E>(self, found: Json) -> Result<Result<usize, Json>, E> {
        Ok(Err(found))
    }
}

impl<'de, T, F> Visitor<'de> for EachVisitor<F, T>
where
    T: Deserialize<'de>,
    F: FnMut(usize, T) -> bool,
{
    type Value = Result<usize, Json>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut count = 0;
        while let Some(item) = seq.next_element::<T>()? {
            if !(self.0)(count, item) {
                return Err(serde::de::Error::custom("stopped"));
            }
            count += 1;
        }
        Ok(Ok(count))
    }
    scalars_to!(not_array);
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Err(Json::Str(v.into())))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        JsonVisitor.visit_map(map).map(Err)
    }
}

/// Visitor methods for null, booleans and numbers, each handing the value as
/// [`Json`] to the visitor's method `$other`: for values kept as they are
/// because they are not what the visitor looks for.
macro_rules! scalars_to {
    ($other:ident) => {
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            self.$other(Json::Null)
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            self.$other(Json::Bool(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            self.$other(Json::UInt(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            self.$other(Json::Int(v))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            self.$other(Json::Float(v))
        }
    };
}

/// [`scalars_to!`], and strings and arrays too (an array's elements are
/// skipped): for visitors that look only for objects.
macro_rules! non_objects_to {
    ($other:ident) => {
        $crate::json::scalars_to!($other);
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            self.$other(Json::Str(v.into()))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            self.$other(Json::Array)
        }
    };
}

pub(crate) use non_objects_to;
pub(crate) use scalars_to;

/// Declares an object-key type that matches known names without allocating.
macro_rules! keys {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(Clone, Copy)]
        enum $name { $($variant,)+ Other }

        impl $name {
            #[allow(dead_code)] // not every key set needs its names back
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ $name::Other => "" }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct KeyVisitor;
                impl<'de> Visitor<'de> for KeyVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("an object key")
                    }
                    fn visit_str<E>(self, v: &str) -> Result<$name, E> {
                        Ok(match v { $($text => $name::$variant,)+ _ => $name::Other })
                    }
                }
                d.deserialize_identifier(KeyVisitor)
            }
        }
    };
}

pub(crate) use keys;

#[cfg(test)]
mod tests {
    use super::*;

    fn coords(text: &str) -> Coords {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn reads_each_depth() {
        let c = |x, y| Coord { x, y };
        assert_eq!(coords("[1, 2]"), Coords::Position(c(1.0, 2.0)));
        assert_eq!(coords("[1, 2, 300.5]"), Coords::Position(c(1.0, 2.0)));
        assert_eq!(
            coords("[[1, 2], [3, 4]]"),
            Coords::Positions(vec![c(1.0, 2.0), c(3.0, 4.0)])
        );
        assert_eq!(
            coords("[[[1, 2]]]"),
            Coords::Nested(vec![Coords::Positions(vec![c(1.0, 2.0)])])
        );
        assert_eq!(coords("[]"), Coords::Nested(vec![]));
    }

    #[test]
    fn reports_malformed_positions() {
        for (text, why) in [
            ("[1]", "found 1 number"),
            ("[1, 2, 3, 4]", "found 4 numbers"),
            ("[1, \"2\"]", "only numbers"),
            ("[[1, 2], [[3, 4]]]", "mixed"),
            ("\"x\"", "string"),
        ] {
            match coords(text) {
                Coords::Malformed(m) => assert!(m.contains(why), "{text}: {m}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn describes_values_briefly() {
        assert_eq!(Json::Str("1200".into()).describe(), "\"1200\"");
        let long = Json::Str("x".repeat(100)).describe();
        assert!(long.ends_with("… (100 bytes)"), "{long}");
        assert_eq!(Json::Float(-3.5).describe(), "-3.5");
    }
}
