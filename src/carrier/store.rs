//! The carrier store: many carriers in columns.
//!
//! Millions of carriers with a dozen fields each are kept as one column per
//! field: the anchor points in one coordinate array (the form
//! [`Atlas::locate_into`] takes), measures in number columns, ids and names
//! in one text buffer each, the overlay names interned, and footprints apart
//! from the points. A pass over one field reads only that field, and a
//! carrier costs about 90 bytes instead of a record with its strings on the
//! heap. [`CarrierRef`] is one carrier, borrowed.
//!
//! [`Atlas::locate_into`]: crate::Atlas::locate_into

use std::collections::HashMap;
use std::fmt;

use geo::{Coord, MapCoords, MultiPolygon, Point};
use serde::{Serialize, Serializer};

use super::{is_open_on, Carrier, CarrierId, Category, DeclaredDistrict, Kind, Level, Location};
use super::{ReadNote, RejectReason, Rejection};
use crate::date::{Date, RecordDate};
use crate::datum::Datum;
use crate::names::Declared;

/// Texts in one buffer: text `i` is `bytes[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Texts {
    ends: Vec<u32>,
    bytes: String,
}

impl Texts {
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Whether `extra` more bytes still fit the 32-bit offsets.
    fn fits(&self, extra: usize) -> bool {
        self.bytes.len() + extra <= u32::MAX as usize
    }

    fn push(&mut self, text: &str) {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len() as u32);
    }

    fn append(&mut self, other: &Texts) {
        let shift = self.bytes.len() as u32;
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|end| end + shift));
    }

    /// The same texts with text `i` replaced by `replace(i)` for each `i`
    /// of `at` (ascending).
    fn replaced(&self, at: &[u32], replace: impl Fn(usize) -> String) -> Texts {
        let mut out = Texts::default();
        let mut at = at.iter().peekable();
        for i in 0..self.ends.len() {
            match at.next_if(|&&p| p as usize == i) {
                Some(_) => out.push(&replace(i)),
                None => out.push(self.get(i)),
            }
        }
        out
    }

    /// Keeps the texts whose `keep` entry is true, in place.
    fn retain(&mut self, keep: &[bool]) {
        let (mut start, mut written, mut kept) = (0, 0, 0);
        // SAFETY: whole texts are moved to the front, each to a place where
        // the ones before it end, so every text stays valid UTF-8 and so
        // does the buffer truncated after the last.
        let bytes = unsafe { self.bytes.as_mut_vec() };
        for (i, &kept_here) in keep.iter().enumerate().take(self.ends.len()) {
            let end = self.ends[i] as usize;
            if kept_here {
                bytes.copy_within(start..end, written);
                written += end - start;
                self.ends[kept] = written as u32;
                kept += 1;
            }
            start = end;
        }
        bytes.truncate(written);
        self.ends.truncate(kept);
    }
}

/// One bit per carrier.
#[derive(Debug, Clone, Default, PartialEq)]
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    fn push(&mut self, bit: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        self.words[self.len / 64] |= u64::from(bit) << (self.len % 64);
        self.len += 1;
    }

    /// Keeps the bits whose `keep` entry is true.
    fn retain(&mut self, keep: &[bool]) {
        let old = std::mem::take(self);
        for i in (0..old.len).filter(|&i| keep[i]) {
            self.push(old.get(i));
        }
    }
}

/// Texts that repeat from carrier to carrier (overlay names, declared
/// district codes), each kept once: code 0 is none, code `i` is
/// `names[i - 1]`, so 65,535 texts at most.
#[derive(Debug, Clone, Default, PartialEq)]
struct Dictionary {
    names: Vec<Box<str>>,
    codes: HashMap<Box<str>, u16>,
}

impl Dictionary {
    /// The code of `name`, adding it on first sight; `None` when the
    /// dictionary is full.
    fn code(&mut self, name: &str) -> Option<u16> {
        if let Some(&code) = self.codes.get(name) {
            return Some(code);
        }
        let code = u16::try_from(self.names.len() + 1).ok()?;
        self.names.push(name.into());
        self.codes.insert(name.into(), code);
        Some(code)
    }

    fn get(&self, code: u16) -> Option<&str> {
        code.checked_sub(1).map(|i| &*self.names[usize::from(i)])
    }

    /// Whether the texts of `other` fit beside these.
    fn fits(&self, other: &Dictionary) -> bool {
        let new = other
            .names
            .iter()
            .filter(|name| !self.codes.contains_key(&**name))
            .count();
        self.names.len() + new <= usize::from(u16::MAX)
    }

    /// Adds the texts of `other`: the codes its codes become.
    fn merge(&mut self, other: &Dictionary) -> Vec<u16> {
        let mut codes = vec![0];
        codes.extend(
            other
                .names
                .iter()
                .map(|name| self.code(name).expect("room was checked")),
        );
        codes
    }
}

/// A carrier's kind, category and level in one byte, two bits each; a
/// category or level of 0 is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Class(u8);

impl Class {
    fn new(kind: Kind, category: Option<Category>, level: Option<Level>) -> Class {
        let category = category.map_or(0, |c| c.index() + 1);
        let level = level.map_or(0, |l| l.index() + 1);
        Class(kind.index() as u8 | (category as u8) << 2 | (level as u8) << 4)
    }

    fn kind(self) -> Kind {
        Kind::ALL[usize::from(self.0 & 3)]
    }

    fn category(self) -> Option<Category> {
        match (self.0 >> 2) & 3 {
            0 => None,
            i => Some(Category::ALL[usize::from(i) - 1]),
        }
    }

    fn level(self) -> Option<Level> {
        match (self.0 >> 4) & 3 {
            0 => None,
            i => Some(Level::ALL[usize::from(i) - 1]),
        }
    }
}

/// A record date in four bytes: 0 for none, else `year << 9 | month << 5 |
/// day`, with month and day 0 for a year alone and day 0 for a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateCode(u32);

impl DateCode {
    fn new(opened: Option<RecordDate>) -> DateCode {
        let (year, month, day) = match opened {
            None => return DateCode(0),
            Some(RecordDate::Year(year)) => (year, 0, 0),
            Some(RecordDate::Month(year, month)) => (year, month, 0),
            Some(RecordDate::Day(d)) => (d.year(), d.month(), d.day()),
        };
        DateCode(u32::from(year) << 9 | u32::from(month) << 5 | u32::from(day))
    }

    fn get(self) -> Option<RecordDate> {
        let year = (self.0 >> 9) as u16;
        match (self.0 >> 5 & 15, self.0 & 31) {
            _ if self.0 == 0 => None,
            (0, _) => Some(RecordDate::Year(year)),
            (month, 0) => Some(RecordDate::Month(year, month as u8)),
            (month, day) => Date::new(year, month as u8, day as u8).map(RecordDate::Day),
        }
    }
}

/// The anchor of a carrier without a location: off every grid and box, and
/// equal to itself (as NaN is not), so that sets compare equal.
const NOWHERE: Coord = Coord {
    x: f64::INFINITY,
    y: f64::INFINITY,
};

/// Whether an anchor is a location, not [`NOWHERE`].
pub(crate) fn is_located(anchor: Coord) -> bool {
    anchor.x.is_finite() && anchor.y.is_finite()
}

/// One carrier's fields, borrowed, on their way into a store: what a
/// reader checked, without the owned record ([`Carrier`]) it would cost to
/// build.
#[derive(Debug, Clone)]
pub(crate) struct NewCarrier<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub kind: Kind,
    pub category: Option<Category>,
    pub level: Option<Level>,
    pub floor_area_m2: f64,
    pub enterprises: u32,
    pub tech_enterprises: u32,
    pub opened: Option<RecordDate>,
    pub closed: Option<RecordDate>,
    pub overlay: Option<&'a str>,
    /// The district as the record writes it, and what it names.
    pub district: Option<(&'a str, &'a Declared)>,
    /// The point, or the footprint's surface point; `None` for a record
    /// with a district and no location.
    pub anchor: Option<Coord>,
    pub footprint: Option<MultiPolygon>,
}

/// Why a carrier does not fit a store: its positions and text offsets are
/// 32 bits wide, and overlay names and district codes are 16-bit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoreFull;

/// Many carriers, kept in columns, in one datum; and, when they were read
/// from a file, what became of each of its features.
///
/// Carriers are numbered by position from 0, in file order. A read keeps
/// the position of each carrier's feature in the file
/// ([`Carriers::feature_index`]), the features it refused
/// ([`Carriers::rejections`]) and those it read with longitude and latitude
/// swapped back ([`Carriers::swapped`]): every feature read is one carrier
/// or one rejection.
///
/// # Examples
///
/// ```
/// use carrier_quota::{Carrier, CarrierId, Carriers, Datum, Kind, Location};
/// use geo::Point;
///
/// let mut carriers = Carriers::new(Datum::Gcj02);
/// carriers.push(Carrier {
///     id: CarrierId::new("c-1").unwrap(),
///     name: Some("渝中创客空间".into()),
///     kind: Kind::MakerSpace,
///     category: None,
///     level: None,
///     floor_area_m2: 1200.0,
///     enterprises: 12,
///     tech_enterprises: 3,
///     opened: None,
///     closed: None,
///     overlay: None,
///     district: None,
///     location: Some(Location::Point(Point::new(106.5775, 29.5575))),
/// });
/// let c = carriers.get(0);
/// assert_eq!((c.id(), c.name(), c.floor_area_m2()), ("c-1", Some("渝中创客空间"), 1200.0));
/// ```
#[derive(Clone, PartialEq)]
pub struct Carriers {
    datum: Datum,
    source_datum: Datum,
    ids: Texts,
    names: Texts,
    named: Bits,
    classes: Vec<Class>,
    floor_areas: Vec<f64>,
    enterprises: Vec<u32>,
    tech_enterprises: Vec<u32>,
    opened: Vec<DateCode>,
    /// Empty while no carrier has closed (as in most sets), then one per
    /// carrier.
    closed: Vec<DateCode>,
    overlays: Vec<u16>,
    overlay_names: Dictionary,
    /// The districts records name, as written; empty while no carrier
    /// declares one, then one per carrier.
    districts: Vec<u16>,
    district_texts: Dictionary,
    /// What each of `district_texts` names, by its code less one.
    district_names: Vec<Declared>,
    /// [`NOWHERE`] for a carrier without a location.
    anchors: Vec<Coord>,
    /// The table row each carrier was read from; empty for other sets,
    /// then one per carrier (0 for none).
    rows: Vec<u32>,
    /// Footprints by ascending position; their surface point is the anchor.
    footprints: Vec<(u32, MultiPolygon)>,
    rejections: Vec<Rejection>,
    swapped: Vec<usize>,
    features_read: usize,
    /// What the read decided for the whole input.
    notes: Vec<ReadNote>,
    /// The carriers whose record has no id, by position: each has its
    /// feature index as id, set again when the set is appended to another.
    unnamed: Vec<u32>,
}

impl Carriers {
    /// An empty set in `datum`.
    pub fn new(datum: Datum) -> Carriers {
        Carriers {
            datum,
            source_datum: datum,
            ids: Texts::default(),
            names: Texts::default(),
            named: Bits::default(),
            classes: Vec::new(),
            floor_areas: Vec::new(),
            enterprises: Vec::new(),
            tech_enterprises: Vec::new(),
            opened: Vec::new(),
            closed: Vec::new(),
            overlays: Vec::new(),
            overlay_names: Dictionary::default(),
            districts: Vec::new(),
            district_texts: Dictionary::default(),
            district_names: Vec::new(),
            anchors: Vec::new(),
            rows: Vec::new(),
            footprints: Vec::new(),
            rejections: Vec::new(),
            swapped: Vec::new(),
            features_read: 0,
            notes: Vec::new(),
            unnamed: Vec::new(),
        }
    }

    /// An empty set in `datum` with room for `n` carriers, with ids and
    /// names of `text_bytes` bytes together, before it grows.
    pub(crate) fn with_capacity(datum: Datum, n: usize, text_bytes: usize) -> Carriers {
        let mut carriers = Carriers::new(datum);
        carriers.ids.ends.reserve(n);
        carriers.ids.bytes.reserve(text_bytes);
        carriers.names.ends.reserve(n);
        carriers.classes.reserve(n);
        carriers.floor_areas.reserve(n);
        carriers.enterprises.reserve(n);
        carriers.tech_enterprises.reserve(n);
        carriers.opened.reserve(n);
        carriers.overlays.reserve(n);
        carriers.anchors.reserve(n);
        carriers
    }

    /// A set in `datum` holding `records`, in order.
    ///
    /// # Panics
    ///
    /// As [`Carriers::push`].
    pub fn from_records(datum: Datum, records: impl IntoIterator<Item = Carrier>) -> Carriers {
        let mut carriers = Carriers::new(datum);
        for record in records {
            carriers.push(record);
        }
        carriers
    }

    /// Number of carriers.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether there is no carrier.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The datum of every coordinate in the set.
    pub fn datum(&self) -> Datum {
        self.datum
    }

    /// The datum the carriers were read in (or created in), which
    /// [`Carriers::into_datum`] does not change.
    pub fn source_datum(&self) -> Datum {
        self.source_datum
    }

    /// The carrier at `position`.
    ///
    /// # Panics
    ///
    /// When `position` is not below [`Carriers::len`].
    pub fn get(&self, position: usize) -> CarrierRef<'_> {
        assert!(position < self.len(), "no carrier at position {position}");
        CarrierRef {
            carriers: self,
            position,
        }
    }

    /// Every carrier, by position.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            carriers: self,
            range: 0..self.len(),
        }
    }

    /// Every carrier's anchor: its point, or its footprint's surface point,
    /// by position; infinite for a carrier without a location (see
    /// [`CarrierRef::anchor`]). This is the array point location and the
    /// index read.
    pub fn anchors(&self) -> &[Coord] {
        &self.anchors
    }

    /// Numbers each carrier, and each rejection, by the table row it was
    /// read from: `rows[i]` is the row of feature `i`. A rejection for a
    /// repeated id also names the row of the first.
    pub(crate) fn number_rows(&mut self, rows: &[u32]) {
        let row = |index: usize| rows[index] as usize;
        for r in &mut self.rejections {
            r.row = Some(row(r.index));
            if let RejectReason::DuplicateId {
                first_index,
                first_row,
            } = &mut r.reason
            {
                *first_row = Some(row(*first_index));
            }
        }
        let carriers: Vec<u32> = self.feature_indexes().map(|i| rows[i]).collect();
        self.rows = carriers;
    }

    /// Whether some carrier names its district.
    pub(crate) fn declares_districts(&self) -> bool {
        !self.districts.is_empty()
    }

    /// Each distinct district text the records declare, as written, and what
    /// it names, in the order first read.
    pub fn declared_districts(&self) -> impl ExactSizeIterator<Item = (&str, &Declared)> {
        self.district_texts
            .names
            .iter()
            .map(|t| &**t)
            .zip(&self.district_names)
    }

    /// What the read decided for the whole input and would change a total
    /// if it were wrong: the encoding it read a table in, the units of its
    /// columns and cells ([`ReadNote`]).
    pub fn notes(&self) -> &[ReadNote] {
        &self.notes
    }

    /// Notes what the read decided: once per note, with the counts of
    /// notes about one column or name added up.
    pub(crate) fn add_note(&mut self, note: ReadNote) {
        if !self.notes.iter_mut().any(|n| n.absorb(&note)) {
            self.notes.push(note);
        }
    }

    /// Marks the last carrier pushed as one whose record has no id: its
    /// id is its feature index.
    pub(crate) fn mark_unnamed(&mut self) {
        self.unnamed.push(self.len() as u32 - 1);
    }

    /// Every footprint carrier's position and shape, by position.
    pub fn footprints(&self) -> impl ExactSizeIterator<Item = (usize, &MultiPolygon)> {
        self.footprints.iter().map(|(i, s)| (*i as usize, s))
    }

    /// The overlay names some carrier gives, in the order first given.
    pub fn overlay_names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.overlay_names.names.iter().map(|n| &**n)
    }

    /// The features of the file that did not become carriers, by position
    /// in the file; empty for a set built in code.
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }

    /// The features whose point was read with longitude and latitude
    /// swapped back (see [`ReadOptions::fix_swapped`]), by position in the
    /// file.
    ///
    /// [`ReadOptions::fix_swapped`]: crate::ReadOptions::fix_swapped
    pub fn swapped(&self) -> &[usize] {
        &self.swapped
    }

    /// How many features the file held: carriers plus rejections (a carrier
    /// pushed in code counts as one more feature).
    pub fn features_read(&self) -> usize {
        self.features_read
    }

    /// The position of carrier `position`'s feature in the file's `features`
    /// array, from 0.
    ///
    /// Carriers keep the file's order, so this is the position plus the
    /// number of rejected features before it, found by a binary search of
    /// the rejections rather than stored.
    ///
    /// # Panics
    ///
    /// When `position` is not below [`Carriers::len`].
    pub fn feature_index(&self, position: usize) -> usize {
        assert!(position < self.len(), "no carrier at position {position}");
        // With rejected features r_0 < r_1 < ..., r_j - j counts the
        // carriers before r_j, and rises with j.
        let (mut low, mut high) = (0, self.rejections.len());
        while low < high {
            let j = (low + high) / 2;
            if self.rejections[j].index - j <= position {
                low = j + 1;
            } else {
                high = j;
            }
        }
        position + low
    }

    /// Every carrier's feature index ([`Carriers::feature_index`]), by
    /// position, in one pass.
    pub fn feature_indexes(&self) -> impl Iterator<Item = usize> + '_ {
        let mut rejected = self.rejections.iter().map(|r| r.index).peekable();
        let mut index = 0;
        (0..self.len()).map(move |_| {
            while rejected.next_if(|&r| r == index).is_some() {
                index += 1;
            }
            index += 1;
            index - 1
        })
    }

    /// Adds `carrier`, in the set's datum, as one more feature.
    ///
    /// # Panics
    ///
    /// When the carrier has neither a location nor a district, or when the
    /// set would hold `u32::MAX` carriers, more than 4 GiB of ids or of
    /// names, or more than 65,535 distinct overlay names or districts.
    pub fn push(&mut self, carrier: Carrier) {
        assert!(
            carrier.location.is_some() || carrier.district.is_some(),
            "carrier {} has neither a location nor a district",
            carrier.id
        );
        let (anchor, footprint) = match carrier.location {
            None => (None, None),
            Some(Location::Point(p)) => (Some(p.0), None),
            Some(Location::Footprint(f)) => (Some(f.surface_point.0), Some(f.shape)),
        };
        let new = NewCarrier {
            id: carrier.id.as_str(),
            name: carrier.name.as_deref(),
            kind: carrier.kind,
            category: carrier.category,
            level: carrier.level,
            floor_area_m2: carrier.floor_area_m2,
            enterprises: carrier.enterprises,
            tech_enterprises: carrier.tech_enterprises,
            opened: carrier.opened,
            closed: carrier.closed,
            overlay: carrier.overlay.as_deref(),
            district: carrier
                .district
                .as_ref()
                .map(|d| (d.written.as_str(), &d.names)),
            anchor,
            footprint,
        };
        self.try_push(new)
            .expect("a carrier set holds fewer than u32::MAX carriers, 4 GiB of ids and names and 65,535 overlay names and districts");
        self.features_read += 1;
    }

    /// Adds one carrier's fields, without counting a feature.
    pub(crate) fn try_push(&mut self, c: NewCarrier) -> Result<(), StoreFull> {
        let name = c.name.unwrap_or_default();
        if self.len() >= u32::MAX as usize - 1 || !self.ids.fits(c.id.len()) {
            return Err(StoreFull);
        }
        if !self.names.fits(name.len()) {
            return Err(StoreFull);
        }
        let overlay = match c.overlay {
            None => 0,
            Some(name) => self.overlay_names.code(name).ok_or(StoreFull)?,
        };
        let district = match c.district {
            None => 0,
            Some((text, named)) => {
                let code = self.district_texts.code(text).ok_or(StoreFull)?;
                if usize::from(code) > self.district_names.len() {
                    self.district_names.push(named.clone());
                }
                code
            }
        };
        let position = self.len() as u32;
        self.ids.push(c.id);
        self.names.push(name);
        self.named.push(c.name.is_some());
        self.classes.push(Class::new(c.kind, c.category, c.level));
        self.floor_areas.push(c.floor_area_m2);
        self.enterprises.push(c.enterprises);
        self.tech_enterprises.push(c.tech_enterprises);
        self.opened.push(DateCode::new(c.opened));
        if c.closed.is_some() || !self.closed.is_empty() {
            self.closed.resize(position as usize, DateCode(0));
            self.closed.push(DateCode::new(c.closed));
        }
        self.overlays.push(overlay);
        if district != 0 || !self.districts.is_empty() {
            self.districts.resize(position as usize, 0);
            self.districts.push(district);
        }
        self.anchors.push(c.anchor.unwrap_or(NOWHERE));
        if let Some(shape) = c.footprint {
            self.footprints.push((position, shape));
        }
        Ok(())
    }

    /// Records a feature that was refused.
    pub(crate) fn reject(&mut self, rejection: Rejection) {
        self.rejections.push(rejection);
        self.features_read += 1;
    }

    /// Records the last carrier pushed as the next feature of the file, read
    /// with longitude and latitude swapped back when `swapped`.
    pub(crate) fn accept(&mut self, swapped: bool) {
        if swapped {
            self.swapped.push(self.features_read);
        }
        self.features_read += 1;
    }

    /// Sets the datum the coordinates are in, as read.
    pub(crate) fn set_datum(&mut self, datum: Datum) {
        self.datum = datum;
        self.source_datum = datum;
    }

    /// Appends `batch`, whose feature indexes count from 0, as the features
    /// that follow this set's. Nothing is appended when the carriers do not
    /// fit; the caller stops reading.
    pub(crate) fn append(&mut self, batch: Carriers) -> Result<(), StoreFull> {
        let fits = self.len() + batch.len() < u32::MAX as usize
            && self.ids.fits(batch.ids.bytes.len())
            && self.names.fits(batch.names.bytes.len())
            && self.overlay_names.fits(&batch.overlay_names)
            && self.district_texts.fits(&batch.district_texts);
        if !fits {
            return Err(StoreFull);
        }
        let (first, offset) = (self.len() as u32, self.features_read);
        if batch.unnamed.is_empty() {
            self.ids.append(&batch.ids);
        } else {
            let index = |p: usize| (offset + batch.feature_index(p)).to_string();
            self.ids.append(&batch.ids.replaced(&batch.unnamed, index));
            self.unnamed.extend(batch.unnamed.iter().map(|p| first + p));
        }
        for note in &batch.notes {
            self.add_note(note.clone());
        }
        self.names.append(&batch.names);
        for i in 0..batch.len() {
            self.named.push(batch.named.get(i));
        }
        self.classes.extend_from_slice(&batch.classes);
        self.floor_areas.extend_from_slice(&batch.floor_areas);
        self.enterprises.extend_from_slice(&batch.enterprises);
        self.tech_enterprises
            .extend_from_slice(&batch.tech_enterprises);
        self.opened.extend_from_slice(&batch.opened);
        if !batch.closed.is_empty() || !self.closed.is_empty() {
            self.closed.resize(first as usize, DateCode(0));
            self.closed.extend_from_slice(&batch.closed);
            self.closed
                .resize(first as usize + batch.len(), DateCode(0));
        }
        let codes = self.overlay_names.merge(&batch.overlay_names);
        self.overlays
            .extend(batch.overlays.iter().map(|&c| codes[usize::from(c)]));
        if !batch.districts.is_empty() || !self.districts.is_empty() {
            let codes = self.district_texts.merge(&batch.district_texts);
            for (named, &code) in batch.district_names.iter().zip(&codes[1..]) {
                if usize::from(code) > self.district_names.len() {
                    self.district_names.push(named.clone());
                }
            }
            self.districts.resize(first as usize, 0);
            self.districts
                .extend(batch.districts.iter().map(|&c| codes[usize::from(c)]));
            self.districts.resize(first as usize + batch.len(), 0);
        }
        self.anchors.extend_from_slice(&batch.anchors);
        if !batch.rows.is_empty() || !self.rows.is_empty() {
            self.rows.resize(first as usize, 0);
            self.rows.extend_from_slice(&batch.rows);
            self.rows.resize(first as usize + batch.len(), 0);
        }
        self.footprints.extend(
            batch
                .footprints
                .into_iter()
                .map(|(i, shape)| (first + i, shape)),
        );
        self.rejections
            .extend(batch.rejections.into_iter().map(|r| Rejection {
                index: r.index + offset,
                ..r
            }));
        self.swapped
            .extend(batch.swapped.iter().map(|i| i + offset));
        self.features_read += batch.features_read;
        Ok(())
    }

    /// Removes the carriers at `positions` (ascending), in place, turning
    /// each into the rejection `reject` gives, so that every feature stays
    /// one carrier or one rejection.
    pub(crate) fn remove_as_rejected(
        &mut self,
        positions: &[usize],
        mut reject: impl FnMut(CarrierRef<'_>, usize) -> Rejection,
    ) {
        if positions.is_empty() {
            return;
        }
        let refused: Vec<Rejection> = positions
            .iter()
            .map(|&p| reject(self.get(p), self.feature_index(p)))
            .collect();
        let mut keep = vec![true; self.len()];
        for &p in positions {
            keep[p] = false;
        }
        fn retain<T>(column: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            column.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        self.ids.retain(&keep);
        self.names.retain(&keep);
        self.named.retain(&keep);
        retain(&mut self.classes, &keep);
        retain(&mut self.floor_areas, &keep);
        retain(&mut self.enterprises, &keep);
        retain(&mut self.tech_enterprises, &keep);
        retain(&mut self.opened, &keep);
        retain(&mut self.closed, &keep);
        if self.closed.iter().all(|c| *c == DateCode(0)) {
            self.closed.clear();
        }
        retain(&mut self.overlays, &keep);
        retain(&mut self.districts, &keep);
        if self.districts.iter().all(|&d| d == 0) {
            self.districts.clear();
        }
        retain(&mut self.anchors, &keep);
        retain(&mut self.rows, &keep);
        self.unnamed.retain(|&p| keep[p as usize]);
        for p in &mut self.unnamed {
            *p -= positions.partition_point(|&removed| removed < *p as usize) as u32;
        }
        // A footprint moves down by the carriers removed before it.
        self.footprints.retain(|(i, _)| keep[*i as usize]);
        for (i, _) in &mut self.footprints {
            *i -= positions.partition_point(|&p| p < *i as usize) as u32;
        }
        self.rejections.extend(refused);
        self.rejections.sort_by_key(|r| r.index);
    }

    /// The same carriers with every coordinate converted to `target`,
    /// unless they already are in it. A footprint's surface point is
    /// converted with it rather than recomputed: the conversion moves a
    /// building by the same offset to well under a millimetre.
    pub fn into_datum(mut self, target: Datum) -> Carriers {
        let from = self.datum;
        if from == target {
            return self;
        }
        use rayon::prelude::*;
        self.anchors
            .par_iter_mut()
            .filter(|c| is_located(**c))
            .for_each(|c| *c = from.convert(*c, target));
        for (_, shape) in &mut self.footprints {
            *shape = shape.map_coords(|c| from.convert(c, target));
        }
        self.datum = target;
        self
    }
}

impl fmt::Debug for Carriers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Carriers")
            .field("datum", &self.datum)
            .field("len", &self.len())
            .field("rejections", &self.rejections.len())
            .field("features_read", &self.features_read)
            .finish_non_exhaustive()
    }
}

/// One carrier of a [`Carriers`] set, borrowed: each field is read from its
/// column when asked for.
#[derive(Clone, Copy)]
pub struct CarrierRef<'a> {
    carriers: &'a Carriers,
    position: usize,
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
    carriers: &'a Carriers,
    range: std::ops::Range<usize>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carrier::RejectReason;

    fn record(id: &str, name: Option<&str>, overlay: Option<&str>) -> Carrier {
        Carrier {
            id: CarrierId::new(id).unwrap(),
            name: name.map(Into::into),
            kind: Kind::Incubator,
            category: Some(Category::Large),
            level: None,
            floor_area_m2: 100.0,
            enterprises: 1,
            tech_enterprises: 0,
            opened: None,
            closed: None,
            overlay: overlay.map(Into::into),
            district: None,
            location: Some(Location::Point(Point::new(106.5, 29.5))),
        }
    }

    #[test]
    fn records_round_trip_through_the_columns() {
        let records = vec![
            record("a", Some("甲"), Some("x")),
            record("b", None, None),
            record("c", Some(""), Some("x")),
        ];
        let carriers = Carriers::from_records(Datum::Gcj02, records.clone());
        let back: Vec<Carrier> = carriers.iter().map(|c| c.to_carrier()).collect();
        assert_eq!(back, records);
        assert_eq!(carriers.overlay_names().collect::<Vec<_>>(), ["x"]);
        let json = serde_json::to_value(&carriers).unwrap();
        let records: Vec<Carrier> = serde_json::from_value(json["carriers"].clone()).unwrap();
        assert_eq!(records, back);
        assert_eq!(json["features_read"], 3);
    }

    #[test]
    fn feature_indexes_skip_the_rejected_features() {
        let mut carriers = Carriers::new(Datum::Gcj02);
        // Features 0..7, of which 1, 2 and 5 are refused.
        for i in 0..7 {
            if [1, 2, 5].contains(&i) {
                carriers.reject(Rejection {
                    index: i,
                    row: None,
                    id: None,
                    reason: RejectReason::MissingLocation,
                });
            } else {
                carriers
                    .try_push(NewCarrier {
                        id: &i.to_string(),
                        name: None,
                        kind: Kind::Incubator,
                        category: None,
                        level: None,
                        floor_area_m2: 1.0,
                        enterprises: 0,
                        tech_enterprises: 0,
                        opened: None,
                        closed: None,
                        overlay: None,
                        district: None,
                        anchor: Some(Coord::zero()),
                        footprint: None,
                    })
                    .unwrap();
                carriers.accept(false);
            }
        }
        let expected = [0, 3, 4, 6];
        for (position, index) in expected.iter().enumerate() {
            assert_eq!(carriers.feature_index(position), *index);
        }
        assert_eq!(carriers.feature_indexes().collect::<Vec<_>>(), expected);
        assert_eq!(carriers.features_read(), 7);
    }

    #[test]
    fn classes_and_opening_dates_pack_and_unpack() {
        for &kind in Kind::ALL {
            for category in std::iter::once(None).chain(Category::ALL.iter().copied().map(Some)) {
                for level in std::iter::once(None).chain(Level::ALL.iter().copied().map(Some)) {
                    let class = Class::new(kind, category, level);
                    assert_eq!(
                        (class.kind(), class.category(), class.level()),
                        (kind, category, level)
                    );
                }
            }
        }
        for opened in [
            None,
            Some(RecordDate::Year(1)),
            Some(RecordDate::Year(9999)),
            Some(RecordDate::Day(Date::new(2024, 2, 29).unwrap())),
            Some(RecordDate::Day(Date::new(9999, 12, 31).unwrap())),
            Some(RecordDate::Day(Date::new(1, 1, 1).unwrap())),
        ] {
            assert_eq!(DateCode::new(opened).get(), opened);
        }
    }

    #[test]
    fn bits_and_texts_keep_what_is_kept() {
        let mut bits = Bits::default();
        for i in 0..130 {
            bits.push(i % 3 == 0);
        }
        let keep: Vec<bool> = (0..130).map(|i| i != 1).collect();
        bits.retain(&keep);
        bits.push(true);
        assert_eq!(bits.len, 130);
        assert!(bits.get(0) && !bits.get(1) && bits.get(2) && bits.get(129));
        let mut texts = Texts::default();
        for text in ["ab", "渝", "c"] {
            texts.push(text);
        }
        texts.retain(&[false, true, true]);
        assert_eq!(
            (texts.get(0), texts.get(1), texts.bytes.as_str()),
            ("渝", "c", "渝c")
        );
    }
}
