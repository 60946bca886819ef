//! Streaming GeoJSON input: carrier files feature by feature, region files whole.
//!
//! A carrier file is parsed as a stream: each element of `features` is turned
//! into a [`Carrier`] or a [`Rejection`] as soon as it has been read, so the
//! memory used is that of the carriers, not of the file.

mod feature;
mod json;
mod parallel;
pub(crate) mod regions;

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use rayon::slice::ParallelSliceMut;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use geo::MultiPolygon;

use crate::carrier::Carrier;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, Position, RejectReason, Rejection};
use feature::RawFeature;
use json::{keys, EachElement, Json};

pub(crate) use regions::read_regions;
pub use regions::RegionOptions;

/// How to read a carrier file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The datum of the coordinates. When `None`, the file must declare it in
    /// a top-level `"datum"` member; when both are given they must agree.
    pub datum: Option<Datum>,
    /// Bounds on what the file may hold.
    pub limits: Limits,
    /// The area the carriers belong in, usually [`Atlas::outline`]. A point
    /// outside its bounding box (or out of range) that lies inside it with
    /// longitude and latitude swapped is rejected as
    /// [`RejectReason::SwappedCoordinates`], or read swapped when
    /// `fix_swapped` is set. Points inside the bounding box are not checked.
    ///
    /// [`Atlas::outline`]: crate::Atlas::outline
    pub expected_area: Option<MultiPolygon>,
    /// Read points that [`ReadOptions::expected_area`] shows to be swapped
    /// with their coordinates swapped back; their features are listed in
    /// [`Carriers::swapped`].
    pub fix_swapped: bool,
}

/// Bounds on what one carrier file may hold, so that a service reading files
/// it did not write can cap the memory and time one costs. The defaults
/// admit any real carrier file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Features per file: reading stops with [`ErrorKind::TooManyFeatures`]
    /// at the first feature past it. Default: no limit (`usize::MAX`).
    pub max_features: usize,
    /// Bytes of one feature's text (or of what comes before the first
    /// feature): reading stops with [`ErrorKind::FeatureTooLarge`] once a
    /// feature is longer, without holding more of it (counted as read, to
    /// within 8 KiB). Default: 64 MiB.
    pub max_feature_bytes: usize,
    /// Vertices of one geometry: a feature with more is rejected with
    /// [`RejectReason::TooManyVertices`]. Default: 1,000,000.
    pub max_vertices: usize,
    /// Bytes of one property's text (the id, `name`, `kind`, `opened`,
    /// ...): a feature with a longer one is rejected with
    /// [`RejectReason::PropertyTooLong`]. Default: 4,096.
    pub max_property_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_features: usize::MAX,
            max_feature_bytes: 64 << 20,
            max_vertices: 1_000_000,
            max_property_bytes: 4096,
        }
    }
}

/// The outcome of reading a carrier file: every feature is either one of
/// `carriers` or one of `rejections`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Carriers {
    /// The accepted carriers, in file order.
    pub carriers: Vec<Carrier>,
    /// For each carrier, its position in the file's `features` array (from 0).
    pub feature_indexes: Vec<usize>,
    /// The refused features, by position in the file.
    pub rejections: Vec<Rejection>,
    /// The features whose point was read with longitude and latitude swapped
    /// back (see [`ReadOptions::fix_swapped`]), by position in the file.
    pub swapped: Vec<usize>,
    /// How many features the file holds: `carriers.len() + rejections.len()`.
    pub features_read: usize,
    /// The datum of the coordinates in `carriers`.
    pub datum: Datum,
    /// The datum the file declared (or the caller gave), which
    /// [`Carriers::into_datum`] does not change.
    pub source_datum: Datum,
}

impl Carriers {
    /// Converts every coordinate to `target`, unless it already is in it.
    pub fn into_datum(mut self, target: Datum) -> Carriers {
        if self.datum != target {
            for carrier in &mut self.carriers {
                carrier.location = carrier.location.convert(self.datum, target);
            }
            self.datum = target;
        }
        self
    }
}

/// Reads a GeoJSON FeatureCollection of carriers from `reader`.
///
/// The reader is buffered here; a UTF-8 byte-order mark is skipped.
///
/// # Errors
///
/// A fatal [`Error`] when the input cannot be read, is not valid JSON, is not
/// a FeatureCollection, or has no declared datum (see [`ReadOptions::datum`]).
/// A feature that cannot become a carrier is not an error: it is returned in
/// [`Carriers::rejections`] with its position and the reason.
///
/// # Examples
///
/// ```
/// use carrier_quota::{read_carriers, Datum, ReadOptions};
///
/// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
///   {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [106.5, 29.5]},
///    "properties": {"kind": "incubator", "floor_area_m2": 1200}},
///   {"type": "Feature", "id": "b", "geometry": {"type": "Point", "coordinates": [106.5, 29.5]},
///    "properties": {"kind": "incubator", "floor_area_m2": "1200"}}
/// ]}"#;
/// let read = read_carriers(file.as_bytes(), &ReadOptions::default())?;
/// assert_eq!(read.carriers.len(), 1);
/// assert_eq!(read.datum, Datum::Gcj02);
/// assert_eq!(
///     read.rejections[0].to_string(),
///     "feature 1 (id \"b\"): floor_area_m2 must be a number, found \"1200\" \
///      (write it as a JSON number, without quotes: 1200)"
/// );
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_carriers(reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    let limits = options.limits;
    let checks = feature::Checks::new(options);
    let budget = Budget {
        reader,
        used: Rc::new(Cell::new(0)),
        limit: limits.max_feature_bytes,
    };
    let used = Rc::clone(&budget.used);
    let mut out = empty();
    let mut too_many = false;
    let declared = parse_collection(budget, |index, mut raw: RawFeature| {
        if index >= limits.max_features {
            too_many = true;
            return false;
        }
        used.set(0);
        out.push(index, raw.check(&checks));
        true
    });
    // The parse stopped for a limit when the callback refused a feature or
    // the budget ran out; a parse that ended well stands.
    let stopped = match declared {
        Err(_) if too_many => ErrorKind::TooManyFeatures {
            limit: limits.max_features,
        },
        Err(_) if used.get() > limits.max_feature_bytes => ErrorKind::FeatureTooLarge {
            index: out.features_read,
            limit: limits.max_feature_bytes,
        },
        declared => return finish(out, declared?, options),
    };
    Err(stopped.into())
}

/// A reader that fails once more than `limit` bytes were read since `used`
/// was last reset (at each feature), so that one feature cannot take
/// unbounded memory.
struct Budget<R> {
    reader: R,
    used: Rc<Cell<usize>>,
    limit: usize,
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.used.get() > self.limit {
            return Err(io::Error::other("feature over the size limit"));
        }
        let n = self.reader.read(buf)?;
        self.used.set(self.used.get() + n);
        Ok(n)
    }
}

/// Reads a carrier file like [`read_carriers`], parsing its features on
/// rayon's threads: several times faster on large files.
///
/// `open` gives a fresh reader of the file. It is called once; a second
/// time only when the file is not well-formed GeoJSON (or nests deeper than
/// the streaming parser allows), so that the streaming parser reports the
/// error with its line and column. The answer is always the same as
/// [`read_carriers`]'s.
///
/// # Errors
///
/// As [`read_carriers`], and when `open` fails.
///
/// # Examples
///
/// ```no_run
/// use carrier_quota::{read_carriers_with, ReadOptions};
///
/// let read = read_carriers_with(|| std::fs::File::open("carriers.geojson"), &ReadOptions::default())?;
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_carriers_with<R: Read + Send>(
    mut open: impl FnMut() -> io::Result<R>,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    use parallel::{GiveUp, Split};
    let checks = feature::Checks::new(options);
    let limits = options.limits;
    let mut split = Split::Lines;
    loop {
        let mut out = empty();
        // Past a limit, the streaming reader below decides and reports it.
        let on_feature = |index, result| {
            let within = index < limits.max_features;
            if within {
                out.push(index, result);
            }
            within
        };
        match parallel::read(open()?, split, &checks, on_feature) {
            Ok(declared) => return finish(out, declared, options),
            Err(GiveUp::Io(e)) => return Err(ErrorKind::Io(e).into()),
            Err(GiveUp::NotLines) => split = Split::Scan,
            Err(GiveUp::Irregular) => {
                drop(out);
                return read_carriers(open()?, options);
            }
        }
    }
}

impl Carriers {
    fn push(&mut self, index: usize, result: feature::Checked) {
        match result {
            Ok((carrier, swapped)) => {
                self.carriers.push(carrier);
                self.feature_indexes.push(index);
                if swapped {
                    self.swapped.push(index);
                }
            }
            Err((id, reason)) => self.rejections.push(Rejection { index, id, reason }),
        }
        self.features_read += 1;
    }
}

fn empty() -> Carriers {
    Carriers {
        carriers: Vec::new(),
        feature_indexes: Vec::new(),
        rejections: Vec::new(),
        swapped: Vec::new(),
        features_read: 0,
        datum: Datum::Wgs84, // both replaced by the declared datum in `finish`
        source_datum: Datum::Wgs84,
    }
}

fn finish(
    mut out: Carriers,
    declared: Option<Datum>,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    out.datum = resolve_datum("carrier file", declared, options.datum)?;
    out.source_datum = out.datum;
    reject_duplicate_ids(&mut out);
    Ok(out)
}

/// The datum of an input: the caller's, the file's, or an error.
pub(crate) fn resolve_datum(
    input: &'static str,
    declared: Option<Datum>,
    given: Option<Datum>,
) -> Result<Datum, Error> {
    match (declared, given) {
        (Some(declared), Some(given)) if declared != given => Err(ErrorKind::DatumConflict {
            input,
            declared,
            given,
        }
        .into()),
        (Some(datum), _) | (None, Some(datum)) => Ok(datum),
        (None, None) => Err(ErrorKind::MissingDatum { input }.into()),
    }
}

/// Moves every carrier whose id an earlier feature (accepted or not) already
/// has into the rejections, naming that earlier feature.
///
/// Sorting slots (4 bytes per feature with an id) by id keeps the extra
/// memory small; duplicates are removed in place.
fn reject_duplicate_ids(out: &mut Carriers) {
    let accepted = out.carriers.len();
    // A slot below `accepted` is a carrier; above, a rejection with an id.
    let id_of = |slot: u32| -> (&str, usize) {
        let slot = slot as usize;
        if slot < accepted {
            (out.carriers[slot].id.as_str(), out.feature_indexes[slot])
        } else {
            let r = &out.rejections[slot - accepted];
            (r.id.as_deref().unwrap_or_default(), r.index)
        }
    };
    let mut slots: Vec<u32> = (0..accepted as u32)
        .chain(
            out.rejections
                .iter()
                .enumerate()
                .filter(|(_, r)| r.id.is_some())
                .map(|(i, _)| (accepted + i) as u32),
        )
        .collect();
    slots.par_sort_unstable_by(|&a, &b| id_of(a).cmp(&id_of(b)));
    // (carrier position, index of the first feature with its id)
    let mut duplicates: Vec<(usize, usize)> = Vec::new();
    for group in slots.chunk_by(|&a, &b| id_of(a).0 == id_of(b).0) {
        let first_index = id_of(group[0]).1;
        duplicates.extend(
            group[1..]
                .iter()
                .filter(|&&slot| (slot as usize) < accepted)
                .map(|&slot| (slot as usize, first_index)),
        );
    }
    drop(slots);
    if duplicates.is_empty() {
        return;
    }
    duplicates.sort_unstable();
    for &(pos, first_index) in &duplicates {
        out.rejections.push(Rejection {
            index: out.feature_indexes[pos],
            id: Some(out.carriers[pos].id.as_str().to_string()),
            reason: RejectReason::DuplicateId { first_index },
        });
    }
    let mut keep = vec![true; accepted];
    for &(pos, _) in &duplicates {
        keep[pos] = false;
    }
    let mut i = 0;
    out.carriers.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    let mut i = 0;
    out.feature_indexes.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    out.rejections.sort_by_key(|r| r.index);
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
enum Problem {
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
            Some(Problem::NotCollection(found)) => {
                ErrorKind::NotFeatureCollection { position, found }.into()
            }
            Some(Problem::UnknownDatum(found)) => {
                ErrorKind::UnknownDatum { position, found }.into()
            }
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
    problem: &'p mut Option<Problem>,
    _feature: std::marker::PhantomData<T>,
}

impl<F, T> CollectionVisitor<'_, F, T> {
    fn fail<E: serde::de::Error>(&mut self, problem: Problem) -> E {
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
                        return Err(self.fail(Problem::NotCollection(found)));
                    }
                },
                CollectionKey::Features if features_seen => {
                    let found = "a second \"features\" member".to_string();
                    return Err(self.fail(Problem::NotCollection(found)));
                }
                CollectionKey::Features => {
                    features_seen = true;
                    if let Err(found) =
                        map.next_value_seed(EachElement::new(&mut self.on_feature))?
                    {
                        let found = format!("\"features\": {}", found.describe());
                        return Err(self.fail(Problem::NotCollection(found)));
                    }
                }
                CollectionKey::Datum => match map.next_value::<Json>()? {
                    Json::Str(name) => match name.parse() {
                        Ok(d) => datum = Some(d),
                        Err(_) => return Err(self.fail(Problem::UnknownDatum(name))),
                    },
                    other => return Err(self.fail(Problem::UnknownDatum(other.describe()))),
                },
                CollectionKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !type_seen {
            let found = "an object without \"type\"".to_string();
            return Err(self.fail(Problem::NotCollection(found)));
        }
        if !features_seen {
            let found = "a FeatureCollection without \"features\"".to_string();
            return Err(self.fail(Problem::NotCollection(found)));
        }
        Ok(datum)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.fail(Problem::NotCollection("an array".into())))
    }
    fn visit_str<E: serde::de::Error>(mut self, v: &str) -> Result<Self::Value, E> {
        Err(self.fail(Problem::NotCollection(Json::Str(v.into()).describe())))
    }
    fn visit_bool<E: serde::de::Error>(mut self, v: bool) -> Result<Self::Value, E> {
        Err(self.fail(Problem::NotCollection(v.to_string())))
    }
    fn visit_u64<E: serde::de::Error>(mut self, v: u64) -> Result<Self::Value, E> {
        Err(self.fail(Problem::NotCollection(v.to_string())))
    }
    fn visit_i64<E: serde::de::Error>(mut self, v: i64) -> Result<Self::Value, E> {
        Err(self.fail(Problem::NotCollection(v.to_string())))
    }
    fn visit_f64<E: serde::de::Error>(mut self, v: f64) -> Result<Self::Value, E> {
        Err(self.fail(Problem::NotCollection(v.to_string())))
    }
    fn visit_unit<E: serde::de::Error>(mut self) -> Result<Self::Value, E> {
        Err(self.fail(Problem::NotCollection("null".into())))
    }
}
