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

use std::fmt;

use geo::{Coord, MapCoords, MultiPolygon};

use super::{Carrier, Category, Kind, Level, Location};
use super::{Origin, ReadNote, RejectReason, Rejection, SkippedRow, TableRead};
use crate::date::RecordDate;
use crate::datum::Datum;
use crate::names::Declared;

mod columns;
mod reference;

use columns::{Bits, Class, DateCode, Dictionary, Texts};
pub use reference::{CarrierRef, Iter};

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
    /// Its category (1) and level (2) given as values the reader does not
    /// know.
    pub unclassified: u8,
    /// Whether its address named its district.
    pub by_address: bool,
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
    /// The files and sheets records were read from, when a read names
    /// them; `origin_codes` indexes it, one per carrier, and is empty
    /// while every carrier has the first.
    origins: Vec<Origin>,
    origin_codes: Vec<u32>,
    /// The rows that were neither carriers nor rejections.
    skipped_rows: Vec<SkippedRow>,
    /// How each table was read, or why it was not.
    tables: Vec<TableRead>,
    /// The carriers whose district their address named, by position.
    by_address: Vec<u32>,
    /// Figures a register gives per year: (position, year, [enterprises,
    /// tech enterprises]), by position and year.
    yearly: Vec<(u32, u16, [Option<u32>; 2])>,
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
            origins: Vec::new(),
            origin_codes: Vec::new(),
            skipped_rows: Vec::new(),
            tables: Vec::new(),
            by_address: Vec::new(),
            yearly: Vec::new(),
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

    /// How each table of the input was read (a CSV file, each sheet of a
    /// workbook, each file of several), or why it was not: none for a
    /// GeoJSON or Parquet input.
    pub fn tables(&self) -> &[TableRead] {
        &self.tables
    }

    /// The table rows that are neither carriers nor rejections: the
    /// register's subtotals and totals, its remarks, and delisted carriers
    /// without a date ([`SkippedRow`]).
    pub fn skipped_rows(&self) -> &[SkippedRow] {
        &self.skipped_rows
    }

    /// Records how a table was read; one not read is noted with why.
    pub(crate) fn add_table(&mut self, table: TableRead) {
        if let Some(why) = &table.skipped {
            self.add_note(ReadNote::TableSkipped {
                origin: table.origin.clone(),
                why: why.clone(),
            });
        }
        self.tables.push(table);
    }

    /// Records a row that is neither a carrier nor a rejection.
    pub(crate) fn add_skipped_row(&mut self, row: SkippedRow) {
        self.skipped_rows.push(row);
    }

    /// The origin every carrier and rejection of this set was read from,
    /// set once a table is read.
    pub(crate) fn set_origin(&mut self, origin: Origin) {
        for r in &mut self.rejections {
            r.origin = origin.clone();
        }
        self.origins = vec![origin];
        self.origin_codes.clear();
    }

    /// Names `file` as the file of every record, table, row and note of
    /// this set.
    pub(crate) fn set_file(&mut self, file: &str) {
        if self.origins.is_empty() {
            self.origins.push(Origin::default());
        }
        let origins = self.origins.iter_mut();
        let origins = origins
            .chain(self.rejections.iter_mut().map(|r| &mut r.origin))
            .chain(self.skipped_rows.iter_mut().map(|r| &mut r.origin))
            .chain(self.tables.iter_mut().map(|t| &mut t.origin))
            .chain(self.notes.iter_mut().filter_map(ReadNote::origin_mut));
        for origin in origins {
            origin.file = Some(file.to_string());
        }
    }

    /// Whether the carrier at `position` was placed by its address.
    pub(crate) fn is_by_address(&self, position: usize) -> bool {
        self.by_address.binary_search(&(position as u32)).is_ok()
    }

    /// The origin of the carrier at `position`, when the read named one.
    pub(crate) fn origin_of(&self, position: usize) -> Option<&Origin> {
        let code = self.origin_codes.get(position).copied().unwrap_or(0);
        self.origins.get(code as usize).filter(|o| !o.is_empty())
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
            unclassified: 0,
            by_address: false,
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
        self.classes
            .push(Class::new(c.kind, c.category, c.level).unclassified(c.unclassified));
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
        if c.by_address {
            self.by_address.push(position);
        }
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
        self.append_origins(first as usize, &batch);
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
        self.skipped_rows.extend(batch.skipped_rows);
        self.tables.extend(batch.tables);
        self.by_address
            .extend(batch.by_address.iter().map(|p| first + p));
        (self.yearly).extend(batch.yearly.iter().map(|&(p, y, f)| (first + p, y, f)));
        self.features_read += batch.features_read;
        Ok(())
    }

    /// Adds the origins of `batch`'s carriers, before its carriers are
    /// appended.
    fn append_origins(&mut self, first: usize, batch: &Carriers) {
        if self.origins.is_empty() && batch.origins.is_empty() {
            return;
        }
        if self.origins.is_empty() {
            self.origins.push(Origin::default());
        }
        let mut code_of = |origin: &Origin| -> u32 {
            let code = match self.origins.iter().position(|o| o == origin) {
                Some(code) => code,
                None => {
                    self.origins.push(origin.clone());
                    self.origins.len() - 1
                }
            };
            // Fewer tables than carriers, which fit in 32 bits.
            code as u32
        };
        let codes: Vec<u32> = match batch.origins.is_empty() {
            true => vec![code_of(&Origin::default())],
            false => batch.origins.iter().map(&mut code_of).collect(),
        };
        let batch_code = |p: usize| codes[batch.origin_codes.get(p).copied().unwrap_or(0) as usize];
        if self.origin_codes.is_empty() && (0..batch.len()).all(|p| batch_code(p) == 0) {
            return;
        }
        self.origin_codes.resize(first, 0);
        self.origin_codes.extend((0..batch.len()).map(batch_code));
    }

    /// Sets the figure `which` (0: enterprises, 1: tech enterprises) of
    /// the last carrier stored for `year`.
    pub(crate) fn add_yearly(&mut self, year: u16, which: usize, value: u32) {
        let position = self.len().saturating_sub(1) as u32;
        let at = self
            .yearly
            .partition_point(|(p, y, _)| (*p, *y) < (position, year));
        match self.yearly.get_mut(at) {
            Some((p, y, figures)) if (*p, *y) == (position, year) => figures[which] = Some(value),
            _ => {
                let mut figures = [None; 2];
                figures[which] = Some(value);
                self.yearly.insert(at, (position, year, figures));
            }
        }
    }

    /// The figures of the carrier at `position` for `year`, when the
    /// register gives them per year.
    pub(crate) fn yearly_of(&self, position: usize, year: u16) -> [Option<u32>; 2] {
        let key = (position as u32, year);
        self.yearly
            .binary_search_by_key(&key, |(p, y, _)| (*p, *y))
            .map_or([None; 2], |i| self.yearly[i].2)
    }

    /// Whether the register gives any figure per year.
    pub(crate) fn has_yearly(&self) -> bool {
        !self.yearly.is_empty()
    }

    /// The years the register gives figures for, ascending.
    pub fn figure_years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = self.yearly.iter().map(|(_, y, _)| *y).collect();
        years.sort_unstable();
        years.dedup();
        years
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
            .map(|&p| Rejection {
                origin: self.origin_of(p).cloned().unwrap_or_default(),
                ..reject(self.get(p), self.feature_index(p))
            })
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
        retain(&mut self.origin_codes, &keep);
        for moved in [&mut self.unnamed, &mut self.by_address] {
            moved.retain(|&p| keep[p as usize]);
            for p in moved.iter_mut() {
                *p -= positions.partition_point(|&removed| removed < *p as usize) as u32;
            }
        }
        self.yearly.retain(|(i, _, _)| keep[*i as usize]);
        for (i, _, _) in &mut self.yearly {
            *i -= positions.partition_point(|&p| p < *i as usize) as u32;
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

#[cfg(test)]
mod tests;
