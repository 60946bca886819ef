//! One carrier of a store, borrowed; iteration and serialization.

use std::fmt;

use geo::{MultiPolygon, Point};
use serde::{Serialize, Serializer};

use super::{is_located, Carriers};
use crate::carrier::{
    is_open_on, Carrier, CarrierId, Category, DeclaredDistrict, Kind, Level, Location, Origin,
    Rejection,
};
use crate::date::{Date, RecordDate};
use crate::datum::Datum;
use crate::names::Declared;

/// One carrier of a [`Carriers`] set, borrowed: each field is read from its
/// column when asked for.
#[derive(Clone, Copy)]
pub struct CarrierRef<'a> {
    pub(super) carriers: &'a Carriers,
    pub(super) position: usize,
}

impl<'a> CarrierRef<'a> {
    /// The carrier's position in its set.
    pub fn position(&self) -> usize {
        self.position
    }

    /// Unique identifier.
    pub fn id(&self) -> &'a str {
        self.carriers.ids.get(self.position)
    }

    /// Display name, when the record has one.
    pub fn name(&self) -> Option<&'a str> {
        let c = self.carriers;
        c.named
            .get(self.position)
            .then(|| c.names.get(self.position))
    }

    /// Maker space, incubator or accelerator.
    pub fn kind(&self) -> Kind {
        self.carriers.classes[self.position].kind()
    }

    /// The plan's special category, if any.
    pub fn category(&self) -> Option<Category> {
        self.carriers.classes[self.position].category()
    }

    /// The level that recognised the carrier, if any.
    pub fn level(&self) -> Option<Level> {
        self.carriers.classes[self.position].level()
    }

    /// Floor area in square metres: finite and greater than zero.
    pub fn floor_area_m2(&self) -> f64 {
        self.carriers.floor_areas[self.position]
    }

    /// Enterprises and start-up teams in incubation.
    pub fn enterprises(&self) -> u32 {
        self.carriers.enterprises[self.position]
    }

    /// Technology enterprises among them.
    pub fn tech_enterprises(&self) -> u32 {
        self.carriers.tech_enterprises[self.position]
    }

    /// Enterprises in incubation in `year`: the register's figure for
    /// that year when it gives one per year, else today's.
    pub fn enterprises_in(&self, year: u16) -> u32 {
        let [figure, _] = self.carriers.yearly_of(self.position, year);
        figure.unwrap_or_else(|| self.enterprises())
    }

    /// Technology enterprises in `year`, as [`CarrierRef::enterprises_in`].
    pub fn tech_enterprises_in(&self, year: u16) -> u32 {
        let [_, figure] = self.carriers.yearly_of(self.position, year);
        figure.unwrap_or_else(|| self.tech_enterprises())
    }

    /// When the carrier opened, if known.
    pub fn opened(&self) -> Option<RecordDate> {
        self.carriers.opened[self.position].get()
    }

    /// When the carrier closed (lost recognition), if it did.
    pub fn closed(&self) -> Option<RecordDate> {
        let closed = self.carriers.closed.get(self.position);
        closed.and_then(|c| c.get())
    }

    /// The functional area (overlay) the record says the carrier belongs to.
    pub fn overlay(&self) -> Option<&'a str> {
        let c = self.carriers;
        c.overlay_names.get(c.overlays[self.position])
    }

    /// The code of the one district the record's declared district (所在区县)
    /// names, if it names one: by its name today or before, or as the one
    /// district of a managed area ([`Declared::district`]).
    pub fn district(&self) -> Option<&'a str> {
        let (_, named) = self.declared()?;
        named.district().map(|code| code.as_str())
    }

    /// The district the record declares, as it writes it, and what that
    /// names.
    pub fn declared(&self) -> Option<(&'a str, &'a Declared)> {
        let code = self.declared_code();
        let c = self.carriers;
        let text = c.district_texts.get(code)?;
        Some((text, &c.district_names[usize::from(code) - 1]))
    }

    /// The code of the record's declared district among
    /// [`Carriers::declared_districts`], counted from 1 (0: none).
    pub(crate) fn declared_code(&self) -> u16 {
        let c = self.carriers;
        c.districts.get(self.position).copied().unwrap_or(0)
    }

    /// The point that stands for the carrier: the point itself, or the
    /// footprint's surface point; in the set's datum. `None` for a record
    /// that names its district and has no location.
    pub fn anchor(&self) -> Option<Point> {
        let c = self.carriers.anchors[self.position];
        is_located(c).then_some(Point(c))
    }

    /// The row of the table (CSV or Excel) the carrier was read from, as a
    /// spreadsheet numbers it (the header is row 1).
    pub fn row(&self) -> Option<usize> {
        let row = self.carriers.rows.get(self.position).copied();
        row.filter(|&r| r > 0).map(|r| r as usize)
    }

    /// Whether its record gave a category the reader does not know: it has
    /// none, and the targets that filter on categories count it as
    /// unclassified.
    pub fn category_unclassified(&self) -> bool {
        self.carriers.classes[self.position].is_unclassified(0)
    }

    /// Whether its record gave a level the reader does not know.
    pub fn level_unclassified(&self) -> bool {
        self.carriers.classes[self.position].is_unclassified(1)
    }

    /// Whether the district it counts in by its record was named by its
    /// address (it had no point and no district cell).
    pub fn district_from_address(&self) -> bool {
        self.carriers.is_by_address(self.position)
    }

    /// The file and sheet the carrier was read from, when the read took
    /// more than one table or named them.
    pub fn origin(&self) -> Option<&'a Origin> {
        self.carriers.origin_of(self.position)
    }

    /// The footprint, for a carrier that has one.
    pub fn footprint(&self) -> Option<&'a MultiPolygon> {
        let footprints = &self.carriers.footprints;
        footprints
            .binary_search_by_key(&self.position, |(i, _)| *i as usize)
            .ok()
            .map(|i| &footprints[i].1)
    }

    /// Whether the carrier counts on `date`: from the last day its opening
    /// can mean ([`RecordDate::latest_day`]; from the start without one) up
    /// to the day before the first day its closing can mean
    /// ([`RecordDate::earliest_day`]).
    pub fn is_open_on(&self, date: Date) -> bool {
        is_open_on(self.opened(), self.closed(), date)
    }

    /// The carrier as an owned record.
    pub fn to_carrier(&self) -> Carrier {
        Carrier {
            id: CarrierId::new(self.id()).expect("stored ids are not empty"),
            name: self.name().map(Into::into),
            kind: self.kind(),
            category: self.category(),
            level: self.level(),
            floor_area_m2: self.floor_area_m2(),
            enterprises: self.enterprises(),
            tech_enterprises: self.tech_enterprises(),
            opened: self.opened(),
            closed: self.closed(),
            overlay: self.overlay().map(Into::into),
            district: self.declared().map(|(written, names)| DeclaredDistrict {
                written: written.to_string(),
                names: names.clone(),
            }),
            location: self.anchor().map(|anchor| match self.footprint() {
                Some(shape) => Location::footprint(shape.clone(), anchor),
                None => Location::Point(anchor),
            }),
        }
    }
}

impl fmt::Debug for CarrierRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_carrier().fmt(f)
    }
}

impl PartialEq for CarrierRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.to_carrier() == other.to_carrier()
    }
}

/// Serialized as the [`Carrier`] record it stands for.
impl Serialize for CarrierRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_carrier().serialize(s)
    }
}

/// The carriers of a set, by position.
#[derive(Clone)]
pub struct Iter<'a> {
    pub(super) carriers: &'a Carriers,
    pub(super) range: std::ops::Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = CarrierRef<'a>;

    fn next(&mut self) -> Option<CarrierRef<'a>> {
        let position = self.range.next()?;
        Some(CarrierRef {
            carriers: self.carriers,
            position,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> DoubleEndedIterator for Iter<'a> {
    fn next_back(&mut self) -> Option<CarrierRef<'a>> {
        let position = self.range.next_back()?;
        Some(CarrierRef {
            carriers: self.carriers,
            position,
        })
    }
}

impl<'a> IntoIterator for &'a Carriers {
    type Item = CarrierRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The serialized form: the carriers as records, and what became of the
/// other features.
#[derive(Serialize)]
struct Records<'a> {
    datum: Datum,
    source_datum: Datum,
    carriers: Iter<'a>,
    rejections: &'a [Rejection],
    swapped: &'a [usize],
    features_read: usize,
}

impl Serialize for Iter<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.clone())
    }
}

/// Serialized as `{"datum", "source_datum", "carriers": [records],
/// "rejections", "swapped", "features_read"}`, each carrier as the
/// [`Carrier`] record it stands for.
impl Serialize for Carriers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Records {
            datum: self.datum,
            source_datum: self.source_datum,
            carriers: self.iter(),
            rejections: &self.rejections,
            swapped: &self.swapped,
            features_read: self.features_read,
        }
        .serialize(s)
    }
}
