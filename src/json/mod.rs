//! Reading JSON and GeoJSON: the values and coordinates of a feature as
//! read, a FeatureCollection read feature by feature, and the polygons of
//! region-like features. Every reader of a GeoJSON file (carriers,
//! regions, overlays, candidate sites) shares it; it reads and knows
//! nothing of what the features become.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::datum::{Datum, UnknownDatum};
use crate::error::{Error, ErrorKind};
use crate::position::Position;

mod shapes;
mod value;

pub(crate) use shapes::{
    not_a_feature, polygon_of, polygons, read_each, ring_problem, text, Problem,
};
pub(crate) use value::*;

/// All of `reader` as text, without a leading byte-order mark: for plan and
/// weight files, which are read whole. Text that is not UTF-8 is the error
/// `not_utf8` makes of its description.
pub(crate) fn whole_text(
    mut reader: impl Read,
    not_utf8: impl FnOnce(String) -> ErrorKind,
) -> Result<String, Error> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let mut text =
        String::from_utf8(bytes).map_err(|e| not_utf8(format!("not UTF-8 text: {e}")))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// A reader that skips a leading UTF-8 byte-order mark.
fn skip_bom<R: Read>(reader: R) -> io::Result<BufReader<R>> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let buf = reader.fill_buf()?;
    if buf.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(reader)
}

/// Why the top level is unusable; turned into an [`ErrorKind`] once the
/// parser's position is known.
enum TopLevel {
    NotCollection(String),
    UnknownDatum(String),
}

/// Parses a FeatureCollection, handing each feature to `on_feature` as it is
/// read while it returns `true`, and returns the datum the file declares.
pub(crate) fn parse_collection<T, F>(
    reader: impl Read,
    on_feature: F,
) -> Result<Option<Datum>, Error>
where
    T: for<'de> Deserialize<'de>,
    F: FnMut(usize, T) -> bool,
{
    let reader = skip_bom(reader)?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut problem = None;
    let visitor = CollectionVisitor {
        on_feature,
        problem: &mut problem,
        _feature: std::marker::PhantomData,
    };
    let result = (&mut de).deserialize_any(visitor).and_then(|datum| {
        de.end()?;
        Ok(datum)
    });
    result.map_err(|e| {
        let position = Position {
            line: e.line(),
            column: e.column(),
        };
        match problem {
            Some(TopLevel::NotCollection(found)) => {
                ErrorKind::NotFeatureCollection { position, found }.into()
            }
            Some(TopLevel::UnknownDatum(found)) => ErrorKind::UnknownDatum(UnknownDatum {
                found,
                position: Some(position),
            })
            .into(),
            None if e.is_io() => ErrorKind::Io(io::Error::other(e)).into(),
            None => ErrorKind::Json {
                position,
                message: bare_message(&e),
            }
            .into(),
        }
    })
}

/// serde_json's message without the " at line L column C" it appends.
pub(crate) fn bare_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix).unwrap_or(&full).to_string()
}

keys!(CollectionKey { Type = "type", Features = "features", Datum = "datum" });

struct CollectionVisitor<'p, F, T> {
    on_feature: F,
    problem: &'p mut Option<TopLevel>,
    _feature: std::marker::PhantomData<T>,
}

impl<F, T> CollectionVisitor<'_, F, T> {
    fn fail<E: serde::de::Error>(&mut self, problem: TopLevel) -> E {
        *self.problem = Some(problem);
        E::custom("")
    }
}

impl<'de, F, T> Visitor<'de> for CollectionVisitor<'_, F, T>
where
    T: Deserialize<'de>,
    F: FnMut(usize, T) -> bool,
{
    type Value = Option<Datum>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Option<Datum>, A::Error> {
        let (mut type_seen, mut features_seen) = (false, false);
        let mut datum = None;
        while let Some(key) = map.next_key::<CollectionKey>()? {
            match key {
                CollectionKey::Type => match map.next_value::<Json>()? {
                    Json::Str(t) if t == "FeatureCollection" => type_seen = true,
                    other => {
                        let found = format!("\"type\": {}", other.describe());
                        return Err(self.fail(TopLevel::NotCollection(found)));
                    }
                },
                CollectionKey::Features if features_seen => {
                    let found = "a second \"features\" member".to_string();
                    return Err(self.fail(TopLevel::NotCollection(found)));
                }
                CollectionKey::Features => {
                    features_seen = true;
                    if let Err(found) =
                        map.next_value_seed(EachElement::new(&mut self.on_feature))?
                    {
                        let found = format!("\"features\": {}", found.describe());
                        return Err(self.fail(TopLevel::NotCollection(found)));
                    }
                }
                CollectionKey::Datum => match map.next_value::<Json>()? {
                    Json::Str(name) => match name.parse() {
                        Ok(d) => datum = Some(d),
                        Err(_) => return Err(self.fail(TopLevel::UnknownDatum(name))),
                    },
                    other => return Err(self.fail(TopLevel::UnknownDatum(other.describe()))),
                },
                CollectionKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !type_seen {
            let found = "an object without \"type\"".to_string();
            return Err(self.fail(TopLevel::NotCollection(found)));
        }
        if !features_seen {
            let found = "a FeatureCollection without \"features\"".to_string();
            return Err(self.fail(TopLevel::NotCollection(found)));
        }
        Ok(datum)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.fail(TopLevel::NotCollection("an array".into())))
    }
    fn visit_str<E: serde::de::Error>(mut self, v: &str) -> Result<Self::Value, E> {
        Err(self.fail(TopLevel::NotCollection(Json::Str(v.into()).describe())))
    }
    fn visit_bool<E: serde::de::Error>(mut self, v: bool) -> Result<Self::Value, E> {
        Err(self.fail(TopLevel::NotCollection(v.to_string())))
    }
    fn visit_u64<E: serde::de::Error>(mut self, v: u64) -> Result<Self::Value, E> {
        Err(self.fail(TopLevel::NotCollection(v.to_string())))
    }
    fn visit_i64<E: serde::de::Error>(mut self, v: i64) -> Result<Self::Value, E> {
        Err(self.fail(TopLevel::NotCollection(v.to_string())))
    }
    fn visit_f64<E: serde::de::Error>(mut self, v: f64) -> Result<Self::Value, E> {
        Err(self.fail(TopLevel::NotCollection(v.to_string())))
    }
    fn visit_unit<E: serde::de::Error>(mut self) -> Result<Self::Value, E> {
        Err(self.fail(TopLevel::NotCollection("null".into())))
    }
}
