//! Incubation carriers (孵化载体): the records that are located, assigned and
//! counted.
//!
//! [`Carriers`] holds many of them in columns; [`CarrierRef`] is one of them,
//! borrowed from it; [`Carrier`] is one owned record, to build a set in code.

use std::fmt;
use std::str::FromStr;

use geo::{Coord, MapCoords, MultiPolygon, Point};
use serde::{Deserialize, Serialize};

use crate::atlas::RegionCode;
use crate::date::{Date, RecordDate};
use crate::datum::Datum;
use crate::names::Declared;

mod column;
mod note;
mod origin;
mod rejection;
pub(crate) mod store;

pub use crate::spelling::UnknownName;
pub use column::Column;
pub(crate) use column::COLUMNS;
pub use note::ReadNote;
pub use origin::{Origin, RowRole, SkippedRow, TableRead};
pub use rejection::{RejectReason, Rejection};
pub use store::{CarrierRef, Carriers, Iter};

/// A carrier's identifier: non-empty text, unique within one input.
///
/// Ids of up to 23 bytes are stored inline, without an allocation of their
/// own: at millions of carriers that is a tenth of the memory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CarrierId(smol_str::SmolStr);

impl CarrierId {
    /// The id `text`, or `None` when it is empty.
    pub fn new(text: impl Into<String>) -> Option<CarrierId> {
        let text = text.into();
        (!text.is_empty()).then(|| CarrierId(text.into()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for CarrierId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The largest floor area one carrier may declare, m² (1,000 km²): far above
/// any real building, so a larger value is a data-entry error.
pub const MAX_FLOOR_AREA_M2: f64 = 1e9;

/// Declares a closed set of snake_case names with parsing that suggests the
/// closest valid name.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal, { $($(#[$vmeta:meta])* $variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        /// Read as [`FromStr`] reads it: the snake_case name or a Chinese
        /// one, so that a plan's filters take what carrier files take.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<str>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const NAMES: &'static [&'static str] = &[$($text),+];

            /// The snake_case name used in files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Position in [`Self::ALL`], for per-value tables.
            pub fn index(self) -> usize {
                self as usize
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            /// Parses the snake_case name, or the Chinese name registers use.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(UnknownName::new($field, s, Self::NAMES)),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// What a carrier is.
    Kind, "kind", {
        /// 众创空间: an open co-working space for start-up teams.
        MakerSpace = "maker_space" | "众创空间",
        /// 孵化器: an incubator for young enterprises.
        Incubator = "incubator" | "孵化器",
        /// 加速器: an accelerator for growing enterprises.
        Accelerator = "accelerator" | "加速器",
    }
);

named_enum!(
    /// The plan's special categories of carrier.
    Category, "category", {
        /// 环大学创新生态圈: a university innovation ecosystem.
        UniversityEcosystem = "university_ecosystem" | "环大学创新生态圈",
        /// A large carrier (大型孵化载体).
        Large = "large" | "大型孵化载体" | "大型",
        /// A specialty carrier (专业化、国际化、平台型).
        Specialty = "specialty" | "专业化、国际化、平台型孵化载体" | "专业化孵化载体" | "专业化"
            | "专业化众创空间" | "专业化孵化器" | "专业化加速器" | "专业型" | "专业型孵化器"
            | "专业型众创空间",
    }
);

named_enum!(
    /// The level of government that recognised a carrier.
    Level, "level", {
        /// 国家级.
        National = "national" | "国家级",
        /// 市级.
        Municipal = "municipal" | "市级",
        /// 区县级.
        District = "district" | "区县级" | "区级",
    }
);

/// How registers write that a carrier has no special category: a general
/// (综合型) carrier, or a placeholder. Such a cell reads as no category.
pub(crate) const NO_CATEGORY: &[&str] = &[
    "综合型",
    "综合",
    "综合性",
    "综合类",
    "综合孵化器",
    "综合型孵化器",
    "综合型众创空间",
    "综合型加速器",
    "一般",
    "普通",
    "无",
    "/",
    "-",
    "—",
    "--",
];

/// Where a carrier is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A single point (longitude, latitude in degrees).
    Point(Point),
    /// A building footprint. Boxed, so that a point carrier stays small.
    Footprint(Box<Footprint>),
}

/// A building footprint, with the point on its surface that stands for it in
/// the index and, by default, in assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Footprint {
    /// The footprint's polygons.
    pub shape: MultiPolygon,
    /// A point inside the footprint (geo's `InteriorPoint`).
    pub surface_point: Point,
}

impl Location {
    /// A footprint location.
    pub fn footprint(shape: MultiPolygon, surface_point: Point) -> Location {
        Location::Footprint(Box::new(Footprint {
            shape,
            surface_point,
        }))
    }

    /// The point that stands for the carrier: the point itself, or the
    /// footprint's surface point.
    pub fn anchor(&self) -> Point {
        match self {
            Location::Point(p) => *p,
            Location::Footprint(f) => f.surface_point,
        }
    }

    /// The same location with every coordinate converted from `from` to `to`.
    ///
    /// A footprint's surface point is converted too rather than recomputed:
    /// the conversion moves a building by the same offset to well under a
    /// millimetre, so the point stays inside it.
    pub fn convert(&self, from: Datum, to: Datum) -> Location {
        let convert = |c: Coord| from.convert(c, to);
        match self {
            Location::Point(p) => Location::Point(Point(convert(p.0))),
            Location::Footprint(f) => Location::footprint(
                f.shape.map_coords(convert),
                Point(convert(f.surface_point.0)),
            ),
        }
    }
}

/// The district a record names, as it writes it (`开县`), and what that
/// names ([`Declared`]: here, 开州区 by a former name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclaredDistrict {
    /// The text as the record writes it.
    pub written: String,
    /// What it names.
    pub names: Declared,
}

impl DeclaredDistrict {
    /// A district named by its code.
    pub fn code(code: RegionCode) -> DeclaredDistrict {
        DeclaredDistrict {
            written: code.as_str().to_string(),
            names: Declared::District { code },
        }
    }
}

/// An incubation carrier as one owned record: a maker space, incubator or
/// accelerator. [`Carriers::push`] adds it to a store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Carrier {
    /// Unique identifier.
    pub id: CarrierId,
    /// Display name, when the record has one.
    pub name: Option<Box<str>>,
    /// Maker space, incubator or accelerator.
    pub kind: Kind,
    /// The plan's special category, if any.
    pub category: Option<Category>,
    /// The level that recognised the carrier, if any.
    pub level: Option<Level>,
    /// Floor area in square metres: finite and greater than zero.
    pub floor_area_m2: f64,
    /// Enterprises and start-up teams in incubation.
    pub enterprises: u32,
    /// Technology enterprises among them.
    pub tech_enterprises: u32,
    /// When the carrier opened, if known.
    pub opened: Option<RecordDate>,
    /// When the carrier closed (lost recognition), if it did: not before
    /// it opened.
    pub closed: Option<RecordDate>,
    /// The functional area (overlay) the record says the carrier belongs to,
    /// e.g. `liangjiang_new_area`; see [`crate::Overlays`].
    pub overlay: Option<Box<str>>,
    /// The district the record names (所在区县), if it names one: as
    /// written, and what that names. A carrier without a location counts
    /// there; one with a location counts where it lies, and is listed as a
    /// mismatch ([`crate::Placed::mismatches`]) when that is another
    /// district.
    pub district: Option<DeclaredDistrict>,
    /// Where the carrier is, in the datum of the collection that holds it;
    /// `None` for a record that names only its district. A carrier has a
    /// location, a district or both.
    pub location: Option<Location>,
}

impl Carrier {
    /// Whether the carrier counts on `date` (see [`CarrierRef::is_open_on`]).
    pub fn is_open_on(&self, date: Date) -> bool {
        is_open_on(self.opened, self.closed, date)
    }
}

/// Whether a carrier that opened on `opened` and closed on `closed` counts
/// on `date`: from the last day its opening can mean (a year-only record
/// counts from 31 December) up to the day before the first day its closing
/// can mean (1 January for a year), so it is counted only while it is
/// certainly open. A record without an opening date counts from the start,
/// as most registers list existing carriers without one; one without a
/// closing date has not closed.
pub(crate) fn is_open_on(
    opened: Option<RecordDate>,
    closed: Option<RecordDate>,
    date: Date,
) -> bool {
    opened.is_none_or(|o| o.latest_day() <= date) && closed.is_none_or(|c| date < c.earliest_day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_suggests_the_closest() {
        assert_eq!("maker_space".parse::<Kind>(), Ok(Kind::MakerSpace));
        let err = "Maker Space".parse::<Kind>().unwrap_err();
        assert_eq!(err.suggestion, "maker_space");
        assert_eq!(
            err.to_string(),
            "unknown kind \"Maker Space\": expected one of maker_space, incubator, accelerator \
             (did you mean \"maker_space\"?)"
        );
        assert_eq!(
            "incubater".parse::<Kind>().unwrap_err().suggestion,
            "incubator"
        );
        assert_eq!(
            "speciality".parse::<Category>().unwrap_err().suggestion,
            "specialty"
        );
        assert_eq!(
            "nation".parse::<Level>().unwrap_err().suggestion,
            "national"
        );
    }

    #[test]
    fn empty_id_is_refused() {
        assert!(CarrierId::new("").is_none());
        assert_eq!(CarrierId::new("c-1").unwrap().as_str(), "c-1");
    }

    #[test]
    fn indexes_follow_declaration_order() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(kind.index(), i);
        }
    }
}
