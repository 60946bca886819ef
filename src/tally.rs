//! Tallies: carrier count, floor area, enterprises and tech enterprises,
//! rolled up district → zone → city, in total and by kind and category.
//!
//! Floor area is summed in fixed point (2⁻³² m² units, in 128 bits), so
//! every sum is exact: a tally does not depend on the order carriers are
//! added in, and removing a carrier restores exactly the tally before it was
//! added.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use rayon::prelude::*;

use crate::atlas::{Atlas, DistrictId, ZoneId};
use crate::carrier::{CarrierRef, Category, Kind};
use crate::date::Date;
use crate::place::{Place, Placed};

/// Fixed-point units per square metre.
const UNITS_PER_M2: f64 = 4_294_967_296.0;

/// A quantity (m², or a count) in fixed-point units, rounded once.
pub(crate) fn to_units(m2: f64) -> i128 {
    (m2 * UNITS_PER_M2).round() as i128
}

/// The quantity a sum of units stands for.
pub(crate) fn from_units(units: i128) -> f64 {
    units as f64 / UNITS_PER_M2
}

/// Sums over a set of carriers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Totals {
    /// Number of carriers.
    pub carriers: u64,
    /// Floor area in 2⁻³² m² units; see [`Totals::floor_area_m2`].
    floor_area: i128,
    /// Enterprises and teams in incubation.
    pub enterprises: u64,
    /// Technology enterprises.
    pub tech_enterprises: u64,
}

impl Totals {
    /// Floor area in square metres.
    pub fn floor_area_m2(&self) -> f64 {
        from_units(self.floor_area)
    }

    fn apply(&mut self, delta: &Totals, add: bool) {
        fn step(total: &mut u64, by: u64, add: bool) {
            *total = if add {
                total.checked_add(by).expect("tally overflow")
            } else {
                total
                    .checked_sub(by)
                    .expect("removed a carrier that was not in the tally")
            };
        }
        step(&mut self.carriers, delta.carriers, add);
        step(&mut self.enterprises, delta.enterprises, add);
        step(&mut self.tech_enterprises, delta.tech_enterprises, add);
        self.floor_area += if add {
            delta.floor_area
        } else {
            -delta.floor_area
        };
    }
}

impl Totals {
    /// These totals less `part`, which was counted within them.
    ///
    /// # Panics
    ///
    /// When `part` holds more than these.
    pub fn minus(mut self, part: &Totals) -> Totals {
        self.apply(part, false);
        self
    }

    /// The totals of `carriers`, each counted whole.
    pub fn of<'a>(carriers: impl IntoIterator<Item = CarrierRef<'a>>) -> Totals {
        let mut totals = Totals::default();
        for c in carriers {
            totals.apply(&Totals::whole(c), true);
        }
        totals
    }

    /// One carrier, counted whole.
    fn whole(carrier: CarrierRef) -> Totals {
        Totals {
            carriers: 1,
            floor_area: to_units(carrier.floor_area_m2()),
            enterprises: u64::from(carrier.enterprises()),
            tech_enterprises: u64::from(carrier.tech_enterprises()),
        }
    }
}

impl std::ops::Add for Totals {
    type Output = Totals;
    fn add(mut self, other: Totals) -> Totals {
        self.apply(&other, true);
        self
    }
}

impl std::iter::Sum for Totals {
    fn sum<I: Iterator<Item = Totals>>(iter: I) -> Totals {
        iter.fold(Totals::default(), |a, b| a + b)
    }
}

impl Serialize for Totals {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Totals", 4)?;
        st.serialize_field("carriers", &self.carriers)?;
        st.serialize_field("floor_area_m2", &self.floor_area_m2())?;
        st.serialize_field("enterprises", &self.enterprises)?;
        st.serialize_field("tech_enterprises", &self.tech_enterprises)?;
        st.end()
    }
}

/// Totals of one place: all carriers, and by kind and by category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Breakdown {
    /// All carriers.
    pub all: Totals,
    /// By [`Kind`], indexed by [`Kind::index`].
    pub by_kind: [Totals; 3],
    /// By [`Category`], indexed by [`Category::index`]; carriers without a
    /// category are in `all` only.
    pub by_category: [Totals; 3],
}

impl Breakdown {
    /// Totals of one kind.
    pub fn kind(&self, kind: Kind) -> &Totals {
        &self.by_kind[kind.index()]
    }

    /// Totals of one category.
    pub fn category(&self, category: Category) -> &Totals {
        &self.by_category[category.index()]
    }

    fn apply(&mut self, carrier: CarrierRef, delta: &Totals, add: bool) {
        self.all.apply(delta, add);
        self.by_kind[carrier.kind().index()].apply(delta, add);
        if let Some(category) = carrier.category() {
            self.by_category[category.index()].apply(delta, add);
        }
    }
}

impl std::ops::Add for Breakdown {
    type Output = Breakdown;
    fn add(mut self, other: Breakdown) -> Breakdown {
        self.all = self.all + other.all;
        for i in 0..3 {
            self.by_kind[i] = self.by_kind[i] + other.by_kind[i];
            self.by_category[i] = self.by_category[i] + other.by_category[i];
        }
        self
    }
}

impl std::iter::Sum for Breakdown {
    fn sum<I: Iterator<Item = Breakdown>>(iter: I) -> Breakdown {
        iter.fold(Breakdown::default(), |a, b| a + b)
    }
}

impl Serialize for Breakdown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct ByName<'a, T: 'static>(&'a [T], &'a [Totals; 3]);
        impl<T: std::fmt::Display> Serialize for ByName<'_, T> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(3))?;
                for (name, totals) in self.0.iter().zip(self.1) {
                    map.serialize_entry(&name.to_string(), totals)?;
                }
                map.end()
            }
        }
        let mut st = s.serialize_struct("Breakdown", 3)?;
        st.serialize_field("all", &self.all)?;
        st.serialize_field("by_kind", &ByName(Kind::ALL, &self.by_kind))?;
        st.serialize_field("by_category", &ByName(Category::ALL, &self.by_category))?;
        st.end()
    }
}

/// Tallies of every district, zone, the city, and the carriers outside it.
///
/// The city holds the carriers assigned to a district, and those in a
/// managed area that spans several districts without a location of their
/// own ([`PlacedBy::ManagedArea`](crate::PlacedBy::ManagedArea)): these
/// count in no district, but in the zone that holds all of the area's
/// districts ([`Tally::zone_only`]). Carriers outside every district are
/// in [`Tally::outside`] only. A district in no zone counts in the city but
/// in no zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    districts: Vec<Breakdown>,
    zones: Vec<Breakdown>,
    /// Per zone, the carriers in it but in no one district.
    zone_only: Vec<Breakdown>,
    /// The carriers in the city but in no one district and no one zone.
    city_only: Breakdown,
    city: Breakdown,
    outside: Breakdown,
    zone_of: Vec<Option<ZoneId>>,
}

/// Where a carrier's counts go in a tally.
#[derive(Clone, Copy)]
enum Bucket {
    District(DistrictId),
    /// A managed area within one zone, in no one district.
    Zone(ZoneId),
    /// In the city, in no one district or zone.
    City,
    Outside,
}

impl Tally {
    /// A tally with nothing in it, shaped for `atlas`.
    pub fn empty(atlas: &Atlas) -> Tally {
        Tally {
            districts: vec![Breakdown::default(); atlas.districts().len()],
            zones: vec![Breakdown::default(); atlas.zones().len()],
            zone_only: vec![Breakdown::default(); atlas.zones().len()],
            city_only: Breakdown::default(),
            city: Breakdown::default(),
            outside: Breakdown::default(),
            zone_of: atlas.districts().iter().map(|d| d.zone).collect(),
        }
    }

    /// Tallies every placed carrier.
    ///
    /// Carriers are summed on rayon's threads; the sums are exact, so the
    /// answer does not depend on how they are shared out.
    pub fn new(placed: &Placed) -> Tally {
        Tally::new_where(placed, |_| true)
    }

    /// Tallies the placed carriers open on `date` ([`CarrierRef::is_open_on`]).
    pub fn open_on(placed: &Placed, date: Date) -> Tally {
        Tally::new_where(placed, |c| c.is_open_on(date))
    }

    fn new_where(placed: &Placed, keep: impl Fn(CarrierRef) -> bool + Sync) -> Tally {
        let atlas = placed.atlas();
        let carriers = placed.carriers();
        // Each chunk of carriers is summed by districts only, in place;
        // zones and the city are the districts' sums, taken once at the end.
        const CHUNK: usize = 1 << 16;
        let chunks = carriers.len().div_ceil(CHUNK);
        let mut tally = (0..chunks)
            .into_par_iter()
            .map(|chunk| {
                let mut tally = Tally::empty(atlas);
                let end = (chunk * CHUNK + CHUNK).min(carriers.len());
                for i in chunk * CHUNK..end {
                    let carrier = carriers.get(i);
                    if keep(carrier) {
                        tally.apply_in_districts(carrier, placed.place(i), true);
                    }
                }
                tally
            })
            .reduce(|| Tally::empty(atlas), Tally::merge);
        tally.roll_up();
        tally
    }

    /// Adds `other`, a tally of the same atlas (of the next batch of
    /// carriers, say).
    ///
    /// # Panics
    ///
    /// When `other` is shaped for another atlas.
    pub fn add_tally(&mut self, other: &Tally) {
        assert!(
            self.zone_of == other.zone_of,
            "tallies of different atlases cannot be added"
        );
        for (a, b) in self.districts.iter_mut().zip(&other.districts) {
            *a = *a + *b;
        }
        for (a, b) in self.zone_only.iter_mut().zip(&other.zone_only) {
            *a = *a + *b;
        }
        self.city_only = self.city_only + other.city_only;
        self.outside = self.outside + other.outside;
        self.roll_up();
    }

    /// The sum of the district and outside tallies of two tallies of one
    /// atlas.
    fn merge(mut self, other: Tally) -> Tally {
        for (a, b) in self.districts.iter_mut().zip(other.districts) {
            *a = *a + b;
        }
        for (a, b) in self.zone_only.iter_mut().zip(other.zone_only) {
            *a = *a + b;
        }
        self.city_only = self.city_only + other.city_only;
        self.outside = self.outside + other.outside;
        self
    }

    /// Sets the zones and the city to the sums of their districts and of
    /// what counts in them in no one district.
    fn roll_up(&mut self) {
        self.zones.clone_from(&self.zone_only);
        for (district, zone) in self.districts.iter().zip(&self.zone_of) {
            if let Some(zone) = zone {
                self.zones[zone.index()] = self.zones[zone.index()] + *district;
            }
        }
        self.city = self.districts.iter().copied().sum::<Breakdown>()
            + self.zone_only.iter().copied().sum()
            + self.city_only;
    }

    /// Where a carrier placed at `place` counts whole.
    fn bucket(&self, place: &Place) -> Bucket {
        match (place.district, place.within) {
            (Some(d), _) => Bucket::District(d),
            (None, Some(area)) => {
                let mut zones = area.iter().map(|d| self.zone_of[d.index()]);
                let first = zones.next().flatten();
                match first {
                    Some(zone) if zones.all(|z| z == Some(zone)) => Bucket::Zone(zone),
                    _ => Bucket::City,
                }
            }
            (None, None) => Bucket::Outside,
        }
    }

    /// Adds one carrier where `place` says it counts. When its floor area
    /// is split, it goes to the shares' districts (the last share takes the
    /// rounding remainder, so the parts add up exactly to the whole).
    pub fn add(&mut self, carrier: CarrierRef, place: Place) {
        self.apply(carrier, place, true);
    }

    /// Removes one carrier added with the same arguments.
    ///
    /// # Panics
    ///
    /// When a count would fall below zero: the carrier was not added.
    pub fn remove(&mut self, carrier: CarrierRef, place: Place) {
        self.apply(carrier, place, false);
    }

    fn apply(&mut self, carrier: CarrierRef, place: Place, add: bool) {
        self.apply_where(carrier, place, add, Tally::apply_at);
    }

    /// [`Tally::apply`] to the districts, what counts in no one district,
    /// and the outside; not to the zones and the city, which
    /// [`Tally::roll_up`] sums.
    fn apply_in_districts(&mut self, carrier: CarrierRef, place: Place, add: bool) {
        // Most carriers: one district, whole.
        if let (Some(d), None) = (place.district, place.shares) {
            let counts = Totals::whole(carrier);
            self.districts[d.index()].apply(carrier, &counts, add);
            return;
        }
        self.apply_where(
            carrier,
            place,
            add,
            |tally, bucket, carrier, delta, add| match bucket {
                Bucket::District(d) => tally.districts[d.index()].apply(carrier, delta, add),
                Bucket::Zone(z) => tally.zone_only[z.index()].apply(carrier, delta, add),
                Bucket::City => tally.city_only.apply(carrier, delta, add),
                Bucket::Outside => tally.outside.apply(carrier, delta, add),
            },
        );
    }

    /// Applies the carrier's counts with `at` to its district, and its floor
    /// area to its shares' districts when it is split.
    fn apply_where(
        &mut self,
        carrier: CarrierRef,
        place: Place,
        add: bool,
        at: impl Fn(&mut Tally, Bucket, CarrierRef, &Totals, bool),
    ) {
        let mut counts = Totals::whole(carrier);
        let area = counts.floor_area;
        let shares = place.shares.unwrap_or_default();
        let bucket = self.bucket(&place);
        if shares.is_empty() {
            at(self, bucket, carrier, &counts, add);
            return;
        }
        counts.floor_area = 0;
        at(self, bucket, carrier, &counts, add);
        let mut left = area;
        for (i, share) in shares.iter().enumerate() {
            let part = if i + 1 == shares.len() {
                left
            } else {
                to_units(carrier.floor_area_m2() * share.fraction).min(left)
            };
            left -= part;
            let piece = Totals {
                floor_area: part,
                ..Totals::default()
            };
            let bucket = share.district.map_or(Bucket::Outside, Bucket::District);
            at(self, bucket, carrier, &piece, add);
        }
    }

    fn apply_at(&mut self, bucket: Bucket, carrier: CarrierRef, delta: &Totals, add: bool) {
        let zone = match bucket {
            Bucket::Outside => {
                self.outside.apply(carrier, delta, add);
                return;
            }
            Bucket::District(district) => {
                self.districts[district.index()].apply(carrier, delta, add);
                self.zone_of[district.index()]
            }
            Bucket::Zone(zone) => {
                self.zone_only[zone.index()].apply(carrier, delta, add);
                Some(zone)
            }
            Bucket::City => {
                self.city_only.apply(carrier, delta, add);
                None
            }
        };
        if let Some(zone) = zone {
            self.zones[zone.index()].apply(carrier, delta, add);
        }
        self.city.apply(carrier, delta, add);
    }

    /// Every district's tally, in [`Atlas::districts`] order.
    pub fn districts(&self) -> &[Breakdown] {
        &self.districts
    }

    /// Every zone's tally, in [`Atlas::zones`] order.
    pub fn zones(&self) -> &[Breakdown] {
        &self.zones
    }

    /// One district's tally.
    pub fn district(&self, id: DistrictId) -> &Breakdown {
        &self.districts[id.index()]
    }

    /// One zone's tally.
    pub fn zone(&self, id: ZoneId) -> &Breakdown {
        &self.zones[id.index()]
    }

    /// The city: every carrier inside a district, or in a managed area
    /// without a location.
    pub fn city(&self) -> &Breakdown {
        &self.city
    }

    /// Per zone, in [`Atlas::zones`] order, the carriers that count in it
    /// but in no one district: those in a managed area of several of its
    /// districts, without a location.
    pub fn zone_only(&self) -> &[Breakdown] {
        &self.zone_only
    }

    /// The carriers that count in the city but in no one district or zone:
    /// those in a managed area whose districts lie in several zones.
    pub fn city_only(&self) -> &Breakdown {
        &self.city_only
    }

    /// The carriers (and split floor-area shares) outside every district.
    pub fn outside(&self) -> &Breakdown {
        &self.outside
    }
}

/// The carriers of one managed area that count in it and in no one
/// district (such as 两江新区's records without a location): what
/// [`Tally::zone_only`] and [`Tally::city_only`] hold, by area, so that a
/// table of districts can give them rows of their own and add up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaTally {
    /// The area's name.
    pub name: String,
    /// Its English name, if known.
    pub name_en: Option<String>,
    /// The zone that holds all of its districts; `None` when they lie in
    /// several zones (then its records count in the city only).
    #[serde(skip)]
    pub zone: Option<ZoneId>,
    /// Its totals.
    pub totals: Breakdown,
}

impl AreaTally {
    /// The name a table row gives it: `两江新区（不分区县）`.
    pub fn row_name(&self) -> String {
        format!("{}（不分区县）", self.name)
    }

    /// The English name a table row gives it: `Liangjiang New Area, no one district`.
    pub fn row_name_en(&self) -> String {
        format!(
            "{}, no one district",
            self.name_en.as_deref().unwrap_or(&self.name)
        )
    }
}

impl Tally {
    /// By managed area, in name order, the placed carriers that count in
    /// the area and in no one district, open on `on` (every one when
    /// `None`): [`Tally::zone_only`] and [`Tally::city_only`] by name.
    pub fn managed_areas(placed: &Placed, on: Option<Date>) -> Vec<AreaTally> {
        let atlas = placed.atlas();
        let mut areas: std::collections::BTreeMap<&str, AreaTally> = Default::default();
        // Most sets name no managed area: their names alone tell.
        let names = placed.carriers().declared_districts();
        if !names
            .into_iter()
            .any(|(_, d)| matches!(d, crate::names::Declared::Area { .. }))
        {
            return Vec::new();
        }
        for (carrier, place) in placed.iter() {
            let in_area = place.district.is_none() && place.within.is_some();
            if !in_area || on.is_some_and(|date| !carrier.is_open_on(date)) {
                continue;
            }
            let Some((_, crate::names::Declared::Area { area })) = carrier.declared() else {
                continue;
            };
            let entry = areas.entry(&area.name).or_insert_with(|| AreaTally {
                name: area.name.clone(),
                name_en: area.name_en.clone(),
                zone: place.zone(atlas),
                totals: Breakdown::default(),
            });
            entry.totals.apply(carrier, &Totals::whole(carrier), true);
        }
        areas.into_values().collect()
    }
}

/// One row of a table of districts.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictRow {
    /// The district, or `None` for a managed area's row.
    pub district: Option<DistrictId>,
    /// The district's code; for a managed area, `area`.
    pub code: String,
    /// Its name (`两江新区（不分区县）` for a managed area).
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// The zone the row counts in; `None` for a district in no zone, or an
    /// area whose districts lie in several.
    pub zone: Option<ZoneId>,
    /// Its totals.
    pub totals: Totals,
}

/// What a managed area's row gives as its code.
pub const AREA_CODE: &str = "area";

fn area_row(name: String, name_en: String, zone: Option<ZoneId>, totals: Totals) -> DistrictRow {
    DistrictRow {
        district: None,
        code: AREA_CODE.to_string(),
        name,
        name_en,
        zone,
        totals,
    }
}

impl Tally {
    /// The rows of zone `zone` (`None`: the rows in no zone): its districts in
    /// atlas order, then its managed areas by name, then what counts in it in
    /// no one district and no named area (a tally made batch by batch knows no
    /// names).
    pub fn rows_in_zone(
        &self,
        atlas: &Atlas,
        areas: &[AreaTally],
        zone: Option<ZoneId>,
    ) -> Vec<DistrictRow> {
        let mut rows: Vec<DistrictRow> = (atlas.district_ids())
            .filter(|&id| atlas.district(id).zone == zone)
            .map(|id| {
                let d = atlas.district(id);
                DistrictRow {
                    district: Some(id),
                    code: d.code.to_string(),
                    name: d.name.clone(),
                    name_en: d.name_en.clone().unwrap_or_default(),
                    zone,
                    totals: self.district(id).all,
                }
            })
            .collect();
        let mut named = Totals::default();
        for area in areas.iter().filter(|a| a.zone == zone) {
            named = named + area.totals.all;
            rows.push(area_row(
                area.row_name(),
                area.row_name_en(),
                zone,
                area.totals.all,
            ));
        }
        let unnamed = match zone {
            Some(z) => self.zone_only()[z.index()].all,
            None => self.city_only().all,
        };
        if unnamed.carriers > named.carriers {
            let rest = unnamed.minus(&named);
            rows.push(area_row(
                "功能区（不分区县）".into(),
                "Managed areas, no one district".into(),
                zone,
                rest,
            ));
        }
        rows
    }

    /// Every row of a table of districts: each zone's, then those in no zone.
    /// Their totals add up to the city's.
    pub fn district_rows(&self, atlas: &Atlas, areas: &[AreaTally]) -> Vec<DistrictRow> {
        let zones = (0..atlas.zones().len()).map(|i| Some(ZoneId(i as u32)));
        zones
            .chain([None])
            .flat_map(|zone| self.rows_in_zone(atlas, areas, zone))
            .collect()
    }
}

/// Serializes as `{"districts": [...], "zones": [...], "zone_only": [...],
/// "city_only": ..., "city": ..., "outside": ...}`.
impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Tally", 6)?;
        st.serialize_field("districts", &self.districts)?;
        st.serialize_field("zones", &self.zones)?;
        st.serialize_field("zone_only", &self.zone_only)?;
        st.serialize_field("city_only", &self.city_only)?;
        st.serialize_field("city", &self.city)?;
        st.serialize_field("outside", &self.outside)?;
        st.end()
    }
}
