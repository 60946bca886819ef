//! Region files: a GeoJSON FeatureCollection of Polygon or MultiPolygon
//! features, each with a code property.

use std::fmt;
use std::io::Read;

use geo::MultiPolygon;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::datum::Datum;
use crate::error::{Error, ErrorKind, FeatureProblem, InputKind};
use crate::json::{non_objects_to, polygon_of, Coords, Json, Problem};

/// How to read a region file.
///
/// ```
/// use carrier_quota::atlas::RegionOptions;
/// use carrier_quota::Datum;
///
/// let options = RegionOptions::new("adcode").name_property("name").datum(Datum::Gcj02);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RegionOptions {
    /// The property that holds each region's unique code (text or number).
    pub code_property: String,
    /// The property that holds its name; without one the code is the name.
    pub name_property: Option<String>,
    /// The property that holds its English name, if any.
    pub name_en_property: Option<String>,
    /// Where each region's parent comes from; each distinct parent becomes
    /// a zone. [`Parent::None`]: the atlas has no zones.
    pub parent: Parent,
    /// The datum of the coordinates. When `None`, the file must declare it in
    /// a top-level `"datum"` member; when both are given they must agree.
    pub datum: Option<Datum>,
}

impl Default for RegionOptions {
    /// Codes from a `code` property, and nothing else.
    fn default() -> Self {
        RegionOptions::new("code")
    }
}

impl RegionOptions {
    /// Options naming only the code property.
    pub fn new(code_property: impl Into<String>) -> RegionOptions {
        RegionOptions {
            code_property: code_property.into(),
            name_property: None,
            name_en_property: None,
            parent: Parent::None,
            datum: None,
        }
    }

    /// The property that holds each region's name.
    pub fn name_property(mut self, property: impl Into<String>) -> RegionOptions {
        self.name_property = Some(property.into());
        self
    }

    /// The property that holds each region's English name.
    pub fn name_en_property(mut self, property: impl Into<String>) -> RegionOptions {
        self.name_en_property = Some(property.into());
        self
    }

    /// The property that names each region's parent zone.
    pub fn parent_property(mut self, property: impl Into<String>) -> RegionOptions {
        self.parent = Parent::Property(property.into());
        self
    }

    /// Each region's parent zone is the first `n` characters of its code:
    /// `2` groups the six-digit codes of Chinese counties by province
    /// (`500103` into `50`), `4` by prefecture.
    pub fn parent_prefix(mut self, n: usize) -> RegionOptions {
        self.parent = Parent::CodePrefix(n);
        self
    }

    /// The datum of the coordinates ([`RegionOptions::datum`]).
    pub fn datum(mut self, datum: Datum) -> RegionOptions {
        self.datum = Some(datum);
        self
    }
}

/// Where a region's parent zone comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Parent {
    /// No parent: the atlas has no zones.
    #[default]
    None,
    /// The value of this property (a region without it is in no zone).
    Property(String),
    /// The first this many characters of the region's code.
    CodePrefix(usize),
}

/// One region as read, before it joins an atlas.
#[derive(Debug)]
pub(crate) struct RegionRecord {
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub parent: Option<String>,
    pub shape: MultiPolygon,
}

/// Every region of a file, as read, up to the first whose structure is wrong.
pub(crate) struct RegionsRead {
    /// The regions before the first bad one, in the file's order.
    pub records: Vec<RegionRecord>,
    /// The first bad feature's error (it is at index `records.len()`).
    pub problem: Option<Error>,
    /// The datum the file declares and the options agree on.
    pub datum: Result<Datum, Error>,
}

impl RegionsRead {
    /// The regions and datum, or the first error.
    pub fn complete(self) -> Result<(Vec<RegionRecord>, Datum), Error> {
        match self.problem {
            Some(problem) => Err(problem),
            None => Ok((self.records, self.datum?)),
        }
    }
}

/// Reads the regions of a file, checking each feature's structure: a code,
/// a Polygon or MultiPolygon of closed rings of four or more positions,
/// coordinates in range. Whether the polygons are valid (no
/// self-intersection, holes inside their shell, parts apart) and the codes
/// unique is left to the caller, which checks them on rayon's threads.
pub(crate) fn read_region_records(
    reader: impl Read,
    options: &RegionOptions,
) -> Result<RegionsRead, Error> {
    let mut records = Vec::new();
    let mut problem = None;
    let declared = crate::json::parse_collection(reader, |index, raw: RawRegion| {
        if problem.is_none() {
            match region(raw, options) {
                Ok(record) => records.push(record),
                Err((code, why)) => problem = Some(invalid_region(index, code, why).into()),
            }
        }
        true
    })?;
    Ok(RegionsRead {
        records,
        problem,
        datum: InputKind::RegionFile.datum(declared, options.datum),
    })
}

pub(crate) fn invalid_region(
    index: usize,
    code: Option<String>,
    problem: FeatureProblem,
) -> ErrorKind {
    ErrorKind::InvalidRegion {
        index,
        code,
        problem,
    }
}

/// A region feature as read: its members kept as they are, so that a bad
/// one is reported with its feature rather than as a parse error.
#[derive(Default)]
struct RawRegion {
    /// What the element was, when not an object.
    not_object: Option<Json>,
    type_: Option<Json>,
    /// The properties (objects and arrays kept as their type), or what
    /// `properties` was when not an object.
    properties: Option<Result<Members, Json>>,
    /// The geometry's `type` and `coordinates`, or what `geometry` was when
    /// not an object.
    geometry: Option<Result<GeometryMembers, Json>>,
}

impl RawRegion {
    fn not_object<E>(self, found: Json) -> Result<RawRegion, E> {
        Ok(RawRegion {
            not_object: Some(found),
            ..RawRegion::default()
        })
    }
}

impl<'de> Deserialize<'de> for RawRegion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawRegion::default())
    }
}

impl<'de> Visitor<'de> for RawRegion {
    type Value = RawRegion;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON feature")
    }
    non_objects_to!(not_object);
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<RawRegion, A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => self.type_ = Some(map.next_value()?),
                "properties" => self.properties = Some(map.next_value::<Object<Members>>()?.0),
                "geometry" => self.geometry = Some(map.next_value::<Object<GeometryMembers>>()?.0),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(self)
    }
}

/// An object read into `T`, or what the value was instead.
struct Object<T>(Result<T, Json>);

/// Reads an object's members into `Self`.
trait FromObject: Default {
    fn member<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;
}

/// Text and number properties by name.
#[derive(Default)]
struct Members(Vec<(String, Json)>);

impl FromObject for Members {
    fn member<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.0.push((key, value));
        Ok(())
    }
}

/// A geometry's `type` and `coordinates`.
#[derive(Default)]
struct GeometryMembers(Option<Json>, Option<Coords>);

impl FromObject for GeometryMembers {
    fn member<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        match key.as_str() {
            "type" => self.0 = Some(map.next_value()?),
            "coordinates" => self.1 = Some(map.next_value()?),
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de, T: FromObject> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);
        impl<T> ObjectVisitor<T> {
            fn other<E>(self, found: Json) -> Result<Object<T>, E> {
                Ok(Object(Err(found)))
            }
        }
        impl<'de, T: FromObject> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            non_objects_to!(other);
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<T>, A::Error> {
                let mut members = T::default();
                while let Some(key) = map.next_key::<String>()? {
                    members.member(key, &mut map)?;
                }
                Ok(Object(Ok(members)))
            }
        }
        d.deserialize_any(ObjectVisitor(std::marker::PhantomData))
    }
}

/// A region from its feature, or what is wrong with it.
fn region(raw: RawRegion, options: &RegionOptions) -> Result<RegionRecord, Problem> {
    let not_feature = |found: &Json| {
        let detail = format!(
            "expected an object with \"type\": \"Feature\", found {}",
            found.describe()
        );
        (None, FeatureProblem::NotAFeature { detail })
    };
    if let Some(found) = &raw.not_object {
        return Err(not_feature(found));
    }
    match &raw.type_ {
        Some(Json::Str(t)) if t == "Feature" => {}
        Some(other) => return Err(not_feature(other)),
        None => return Err(not_feature(&Json::Str("an object without \"type\"".into()))),
    }
    let members = match raw.properties {
        None | Some(Err(Json::Null)) => Vec::new(),
        Some(Ok(Members(members))) => members,
        Some(Err(other)) => {
            let found = other.describe();
            let detail = format!("properties must be an object or null, found {found}");
            return Err((None, FeatureProblem::NotAFeature { detail }));
        }
    };
    let property = |name: &Option<String>| -> Result<Option<String>, Problem> {
        let Some(name) = name else { return Ok(None) };
        match members.iter().find(|(key, _)| key == name).map(|(_, v)| v) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Str(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(Json::UInt(n)) => Ok(Some(n.to_string())),
            Some(Json::Int(n)) => Ok(Some(n.to_string())),
            Some(Json::Float(x)) => Ok(Some(x.to_string())),
            Some(v) => Err((
                None,
                FeatureProblem::WrongType {
                    property: name.clone(),
                    expected: "text or a number",
                    found: v.describe(),
                },
            )),
        }
    };
    let code = property(&Some(options.code_property.clone()))?.ok_or_else(|| {
        let present = members.iter().map(|(key, _)| key.clone()).collect();
        let property = options.code_property.clone();
        (None, FeatureProblem::MissingCode { property, present })
    })?;
    let with_code = |problem: FeatureProblem| (Some(code.clone()), problem);
    let name = property(&options.name_property)
        .map_err(|p| with_code(p.1))?
        .unwrap_or_else(|| code.clone());
    let name_en = property(&options.name_en_property).map_err(|p| with_code(p.1))?;
    let parent = match &options.parent {
        Parent::None => None,
        Parent::Property(name) => property(&Some(name.clone())).map_err(|p| with_code(p.1))?,
        Parent::CodePrefix(n) => Some(code.chars().take(*n).collect()),
    };
    let shape = region_shape(raw.geometry).map_err(|p| with_code(FeatureProblem::geometry(p)))?;
    Ok(RegionRecord {
        code,
        name,
        name_en,
        parent,
        shape,
    })
}

/// A region's shape from its geometry, or what is wrong with it.
fn region_shape(geometry: Option<Result<GeometryMembers, Json>>) -> Result<MultiPolygon, String> {
    let shape = match geometry {
        None | Some(Err(Json::Null)) => {
            return Err("a region needs a Polygon or MultiPolygon, found no geometry".into())
        }
        Some(Err(other)) => {
            return Err(format!(
                "a region needs a Polygon or MultiPolygon, found {}",
                other.describe()
            ))
        }
        Some(Ok(GeometryMembers(type_, coordinates))) => {
            let coordinates = coordinates.unwrap_or(Coords::Nested(Vec::new()));
            match type_ {
                Some(Json::Str(t)) if t == "Polygon" => {
                    MultiPolygon(vec![polygon_of(&coordinates)?])
                }
                Some(Json::Str(t)) if t == "MultiPolygon" => match &coordinates {
                    Coords::Nested(parts) => parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| polygon_of(p).map_err(|e| format!("polygon {i}: {e}")))
                        .collect::<Result<_, _>>()
                        ?,
                    Coords::Malformed(why) => {
                        return Err(format!("malformed MultiPolygon coordinates: {why}"))
                    }
                    _ => {
                        return Err(
                            "malformed MultiPolygon coordinates: a MultiPolygon needs an array of polygons".into(),
                        )
                    }
                },
                Some(Json::Str(other)) => {
                    return Err(format!(
                        "a region needs a Polygon or MultiPolygon, found {other}"
                    ))
                }
                Some(other) => {
                    return Err(format!(
                        "a region needs a Polygon or MultiPolygon, found a geometry of type {}",
                        other.describe()
                    ))
                }
                None => {
                    return Err(
                        "a region needs a Polygon or MultiPolygon, found a geometry without a type".into(),
                    )
                }
            }
        }
    };
    Ok(shape)
}
