//! Placing carriers: the district each counts toward.
//!
//! Border rule: districts are closed, and a point held by several of them
//! (on a shared border or vertex, or where loaded regions overlap) goes to
//! the one with the lowest code; see [`Atlas::locate`]. So every carrier
//! counts in exactly one district, or is outside the atlas.

use geo::{BooleanOps, BoundingRect, MultiPolygon};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use geo::Coord;

use crate::atlas::{geodesic_area_m2, Atlas, DistrictId, ZoneId};
use crate::carrier::{CarrierRef, Carriers, ReadNote, UnknownName};
use crate::carrier::{SkippedRow, TableRead};
use crate::datum::Datum;
use crate::names::Declared;

/// How a footprint carrier is assigned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FootprintRule {
    /// The footprint counts wholly in the district that holds its surface
    /// point (a point inside the footprint). One point-in-polygon test: the
    /// same cost as a point carrier.
    #[default]
    SurfacePoint,
    /// The carrier's count, enterprises and tech enterprises go to the
    /// surface point's district as above, but its floor area is split among
    /// districts by the share of the footprint's geodesic area each covers;
    /// the share outside every district is tallied as outside. Costs a
    /// polygon intersection per nearby district.
    SplitByOverlap,
}

impl std::str::FromStr for FootprintRule {
    type Err = UnknownName;

    /// Parses `surface_point` or `split` (`-` for `_` too, and
    /// `split_by_overlap`).
    fn from_str(s: &str) -> Result<FootprintRule, UnknownName> {
        match s.replace('-', "_").as_str() {
            "surface_point" => Ok(FootprintRule::SurfacePoint),
            "split" | "split_by_overlap" => Ok(FootprintRule::SplitByOverlap),
            _ => Err(UnknownName::new(
                "footprint rule",
                s,
                &["surface_point", "split"],
            )),
        }
    }
}

/// A district's share of one footprint's floor area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The district, or `None` for the part outside every district.
    pub district: Option<DistrictId>,
    /// Share of the footprint's area, in (0, 1].
    pub fraction: f64,
}

/// What decided a carrier's district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(usize)]
pub enum PlacedBy {
    /// Its location: the point, or the footprint's surface point.
    Point,
    /// The district its record names (today's, for a name it had before),
    /// as it has no location.
    Declared,
    /// The managed area its record names (两江新区), which spans several
    /// districts, as it has no location: it counts in no district, but in
    /// every zone and scope that holds all of the area's
    /// ([`Place::within`]).
    ManagedArea,
    /// The district its address names (`重庆市渝北区…`), as it has no
    /// location and no district cell. An address that names a managed
    /// area of several districts places it by [`PlacedBy::ManagedArea`].
    Address,
}

/// Where one carrier counts: its district, what decided it, and under
/// [`FootprintRule::SplitByOverlap`] its floor-area shares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'a> {
    /// The district of its anchor (or, without one, the district its
    /// record names), or `None` outside every district or in a managed
    /// area without a location.
    pub district: Option<DistrictId>,
    /// For a carrier placed by [`PlacedBy::ManagedArea`], the districts it
    /// lies among, one of which holds it.
    pub within: Option<&'a [DistrictId]>,
    /// Whether the location or the declared district decided it.
    pub placed_by: PlacedBy,
    /// The shares of its floor area, when it is split.
    pub shares: Option<&'a [Share]>,
}

impl PlacedBy {
    /// `point`, `declared`, `managed_area` or `address`, as the outputs
    /// write it.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacedBy::Point => "point",
            PlacedBy::Declared => "declared",
            PlacedBy::ManagedArea => "managed_area",
            PlacedBy::Address => "address",
        }
    }
}

impl std::fmt::Display for PlacedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Place<'_> {
    /// The zone of `atlas` the carrier counts in: its district's, or the one
    /// that holds every district of the managed area it lies in.
    pub fn zone(&self, atlas: &Atlas) -> Option<ZoneId> {
        match (self.district, self.within) {
            (Some(d), _) => atlas.district(d).zone,
            (None, Some(area)) => {
                let mut zones = area.iter().map(|&d| atlas.district(d).zone);
                let first = zones.next().flatten()?;
                zones.all(|z| z == Some(first)).then_some(first)
            }
            (None, None) => None,
        }
    }

    /// Whether the carrier counts in `district`, whole or (when its floor
    /// area is split) in part. A carrier in a managed area without a
    /// location counts in none of the area's districts.
    ///
    /// ```
    /// use carrier_quota::place::{Place, PlacedBy, Share};
    /// use carrier_quota::Atlas;
    ///
    /// let atlas = Atlas::chongqing();
    /// let district = |name| atlas.find_district(name).unwrap();
    /// let (yubei, jiangbei) = (district("渝北区"), district("江北区"));
    /// // A footprint whose surface point is in 渝北, a third of it in 江北.
    /// let shares = [
    ///     Share { district: Some(yubei), fraction: 2.0 / 3.0 },
    ///     Share { district: Some(jiangbei), fraction: 1.0 / 3.0 },
    /// ];
    /// let place = Place { district: Some(yubei), within: None, placed_by: PlacedBy::Point, shares: Some(&shares) };
    /// assert!(place.counts_in(yubei) && place.counts_in(jiangbei));
    /// assert!(!place.counts_in(district("渝中区")));
    /// ```
    pub fn counts_in(&self, district: DistrictId) -> bool {
        self.district == Some(district)
            || (self.shares).is_some_and(|s| s.iter().any(|s| s.district == Some(district)))
    }

    /// Whether the carrier certainly lies in the districts `holds` says
    /// yes to: its district does, or every district of the managed area it
    /// lies in does. Never, for a carrier outside every district.
    pub fn is_within(&self, holds: impl Fn(DistrictId) -> bool) -> bool {
        match (self.district, self.within) {
            (Some(d), _) => holds(d),
            (None, Some(area)) => area.iter().all(|&d| holds(d)),
            (None, None) => false,
        }
    }
}

/// A carrier whose location lies outside what its record names (a
/// district, a managed area, or a name no one knows): it counts where it
/// lies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    /// The carrier's position.
    pub position: usize,
    /// The district as the record writes it.
    pub written: String,
    /// What that names.
    pub declared: Declared,
    /// The district its location lies in, or `None` outside every district.
    pub located: Option<DistrictId>,
}

/// Carriers placed in an atlas: the carriers, converted to the atlas's
/// datum, and the district of each, by position. Made by [`Atlas::place`];
/// what the tallies, the plan check, site selection and the map take.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    atlas: &'a Atlas,
    carriers: Carriers,
    districts: Vec<Option<DistrictId>>,
    /// The floor-area shares of each split footprint, by ascending position.
    splits: Vec<(u32, Vec<Share>)>,
    mismatches: Vec<Mismatch>,
    /// The districts of each managed area spanning several that records
    /// name, by declared code less one (empty for anything else).
    areas: Vec<Vec<DistrictId>>,
    rule: FootprintRule,
}

impl<'a> Placed<'a> {
    /// The atlas the carriers are placed in.
    pub fn atlas(&self) -> &'a Atlas {
        self.atlas
    }

    /// The carriers, in the atlas's datum.
    pub fn carriers(&self) -> &Carriers {
        &self.carriers
    }

    /// The carriers, giving up their places.
    pub fn into_carriers(self) -> Carriers {
        self.carriers
    }

    /// How footprints were placed.
    pub fn rule(&self) -> FootprintRule {
        self.rule
    }

    /// Every carrier's district, by position (`None`: outside every
    /// district).
    pub fn districts(&self) -> &[Option<DistrictId>] {
        &self.districts
    }

    /// Where carrier `position` counts.
    ///
    /// # Panics
    ///
    /// When `position` is not below the number of carriers.
    pub fn place(&self, position: usize) -> Place<'_> {
        let carrier = self.carriers.get(position);
        let within = self.within(carrier);
        Place {
            district: self.districts[position],
            within,
            placed_by: placed_by(carrier, within),
            shares: self.shares(position),
        }
    }

    /// The districts of the managed area a carrier without a location
    /// names, when it spans several.
    fn within(&self, carrier: CarrierRef) -> Option<&[DistrictId]> {
        if carrier.anchor().is_some() {
            return None;
        }
        let code = usize::from(carrier.declared_code()).checked_sub(1)?;
        Some(self.areas[code].as_slice()).filter(|area| !area.is_empty())
    }

    /// Every carrier with where it counts, by position.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (CarrierRef<'_>, Place<'_>)> {
        let mut splits = self.splits.iter().peekable();
        self.carriers
            .iter()
            .zip(&self.districts)
            .map(move |(carrier, &district)| {
                let shares = splits
                    .next_if(|(p, _)| *p as usize == carrier.position())
                    .map(|(_, s)| s.as_slice());
                let within = self.within(carrier);
                let place = Place {
                    district,
                    within,
                    placed_by: placed_by(carrier, within),
                    shares,
                };
                (carrier, place)
            })
    }

    /// The carriers whose location lies outside the district their record
    /// names, by position.
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }

    /// The floor-area shares of carrier `position`, when its area is split.
    pub fn shares(&self, position: usize) -> Option<&[Share]> {
        let i = self
            .splits
            .binary_search_by_key(&position, |(p, _)| *p as usize)
            .ok()?;
        Some(&self.splits[i].1)
    }

    /// Positions of the carriers outside every district (not those in a
    /// managed area without a location, which are inside one).
    pub fn outside(&self) -> impl Iterator<Item = usize> + '_ {
        self.districts.iter().enumerate().filter_map(|(i, d)| {
            let in_area = || self.within(self.carriers.get(i)).is_some();
            (d.is_none() && !in_area()).then_some(i)
        })
    }

    /// Places `more` carriers (in any datum) after these, as the features
    /// that follow.
    pub fn extend(&mut self, more: Carriers) {
        let more = self.atlas.place(more, self.rule);
        let first = self.carriers.len() as u32;
        self.carriers
            .append(more.carriers)
            .expect("a carrier set holds fewer than u32::MAX carriers and 4 GiB of ids and names");
        self.areas = self.atlas.area_districts(&self.carriers);
        self.districts.extend(more.districts);
        self.splits
            .extend(more.splits.into_iter().map(|(p, s)| (first + p, s)));
        self.mismatches
            .extend(more.mismatches.into_iter().map(|m| Mismatch {
                position: first as usize + m.position,
                ..m
            }));
    }
}

fn placed_by(carrier: CarrierRef, within: Option<&[DistrictId]>) -> PlacedBy {
    match (carrier.anchor(), within) {
        (Some(_), _) => PlacedBy::Point,
        (None, Some(_)) => PlacedBy::ManagedArea,
        (None, None) if carrier.district_from_address() => PlacedBy::Address,
        (None, None) => PlacedBy::Declared,
    }
}

impl Atlas {
    /// Places every carrier in a district: converts them to the atlas's
    /// datum ([`Atlas::datum`]), then locates each anchor by the border rule
    /// of [`Atlas::locate`], and under [`FootprintRule::SplitByOverlap`]
    /// splits each footprint's floor area by district.
    ///
    /// A carrier without a location counts in the district its record
    /// names (outside, when the atlas has no district with that code). One
    /// with both counts where it lies, and is listed in
    /// [`Placed::mismatches`] when its record names another district.
    ///
    /// Carriers are located in parallel on rayon's thread pool (run it inside
    /// `ThreadPool::install` to choose the threads).
    ///
    /// # Examples
    ///
    /// ```
    /// use carrier_quota::place::FootprintRule;
    /// use carrier_quota::read::read_carriers;
    /// use carrier_quota::{Atlas, ReadOptions};
    ///
    /// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
    ///   {"type": "Feature", "id": "jiefangbei", "geometry": {"type": "Point",
    ///    "coordinates": [106.5775, 29.5575]},
    ///    "properties": {"kind": "maker_space", "floor_area_m2": 800}}
    /// ]}"#;
    /// let atlas = Atlas::chongqing();
    /// let carriers = read_carriers(file.as_bytes(), &ReadOptions::default())?;
    /// let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    /// let district = placed.districts()[0].unwrap();
    /// assert_eq!(atlas.district(district).name, "渝中区");
    /// # Ok::<(), carrier_quota::Error>(())
    /// ```
    pub fn place(&self, carriers: Carriers, rule: FootprintRule) -> Placed<'_> {
        let carriers = carriers.into_datum(self.datum());
        let mut districts = vec![None; carriers.len()];
        self.locate_into(carriers.anchors(), &mut districts);
        let areas = self.area_districts(&carriers);
        let mut mismatches = Vec::new();
        if carriers.declares_districts() {
            // What each distinct text names, in this atlas: its district,
            // or the districts of its area.
            let named: Vec<Vec<DistrictId>> = carriers
                .declared_districts()
                .map(|(_, named)| {
                    let codes = named.districts();
                    codes
                        .iter()
                        .filter_map(|code| self.district_with_code(code.as_str()))
                        .collect()
                })
                .collect();
            for c in carriers.iter() {
                let Some((written, declared)) = c.declared() else {
                    continue;
                };
                let i = c.position();
                let here = &named[usize::from(c.declared_code()) - 1];
                if c.anchor().is_none() {
                    // One district: it counts there; an area of several
                    // counts by `areas`.
                    if let [only] = here.as_slice() {
                        districts[i] = Some(*only);
                    }
                } else if districts[i].is_none_or(|d| !here.contains(&d)) {
                    mismatches.push(Mismatch {
                        position: i,
                        written: written.to_string(),
                        declared: declared.clone(),
                        located: districts[i],
                    });
                }
            }
        }
        let splits = match rule {
            FootprintRule::SurfacePoint => Vec::new(),
            FootprintRule::SplitByOverlap => {
                let footprints: Vec<(usize, &MultiPolygon)> = carriers.footprints().collect();
                footprints
                    .par_iter()
                    .map(|&(i, shape)| (i as u32, self.split(shape)))
                    .collect()
            }
        };
        Placed {
            atlas: self,
            carriers,
            districts,
            splits,
            mismatches,
            areas,
            rule,
        }
    }

    /// For each text `carriers` declare as a district, by code less one,
    /// the districts of this atlas the managed area it names spans, when it
    /// spans more than one (else none).
    fn area_districts(&self, carriers: &Carriers) -> Vec<Vec<DistrictId>> {
        carriers
            .declared_districts()
            .map(|(_, named)| match named {
                Declared::Area { area } => area
                    .districts
                    .iter()
                    .filter_map(|code| self.district_with_code(code.as_str()))
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// The share of `shape` in each district, in district order, then the
    /// share outside (when it exceeds 1e-9: smaller ones are rounding in the
    /// area computation). Each district takes only what lower-coded districts
    /// left, so overlapping regions never count one piece twice. Empty when
    /// the shape has no area.
    pub fn split(&self, shape: &MultiPolygon) -> Vec<Share> {
        let total = geodesic_area_m2(shape);
        let Some(rect) = shape.bounding_rect() else {
            return Vec::new();
        };
        if total <= 0.0 {
            return Vec::new();
        }
        let mut remaining = shape.clone();
        let mut shares = Vec::new();
        let mut covered = 0.0;
        for id in self.districts_near(rect) {
            let district = &self.district(id).shape;
            let area = geodesic_area_m2(&remaining.intersection(district));
            if area > 0.0 {
                let fraction = (area / total).min(1.0 - covered);
                covered += fraction;
                shares.push(Share {
                    district: Some(id),
                    fraction,
                });
                remaining = remaining.difference(district);
            }
        }
        if covered < 1.0 - 1e-9 {
            shares.push(Share {
                district: None,
                fraction: 1.0 - covered,
            });
        }
        shares
    }
}

/// What became of a read, for a report to say: the records read, placed,
/// rejected and outside, what decided each carrier's place, what the read
/// decided for the whole file ([`ReadNote`]), the district names records
/// give other than by a name of today, and whether the points agree with
/// the districts the records name better in another datum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputSummary {
    /// Records (features or rows) read.
    pub records_read: usize,
    /// Carriers kept.
    pub carriers: usize,
    /// Records rejected.
    pub rejected: usize,
    /// Carriers outside every district.
    pub outside: usize,
    /// Carriers placed by their point, by the district their record names,
    /// and by a managed area.
    pub placed_by_point: usize,
    /// See [`InputSummary::placed_by_point`].
    pub placed_by_declared: usize,
    /// See [`InputSummary::placed_by_point`].
    pub placed_by_managed_area: usize,
    /// See [`InputSummary::placed_by_point`].
    pub placed_by_address: usize,
    /// Carriers whose point lies outside what their record names.
    pub mismatches: usize,
    /// Table rows that are sums the register gives (小计, 合计).
    pub sums: usize,
    /// Table rows that are remarks under the data.
    pub remarks: usize,
    /// Table rows of delisted carriers without a date: listed, not
    /// counted.
    pub delisted: usize,
    /// How each table (file, sheet) was read, or why it was not.
    pub tables: Vec<TableRead>,
    /// The rows that are neither carriers nor rejections.
    pub skipped_rows: Vec<SkippedRow>,
    /// What the read decided for the whole file.
    pub notes: Vec<ReadNote>,
    /// Each district name records give by a former name, a managed area or
    /// a name no one knows, with how many records give it.
    pub declared_names: Vec<DeclaredName>,
    /// How the points agree with the districts their records name in each
    /// datum, when some records have both.
    pub datum_agreement: Option<DatumAgreement>,
}

impl InputSummary {
    /// How the rows of the input were read, when it is a table:
    /// `20 rows read: 10 carriers, 6 subtotal and total rows, 2 remarks;
    /// 0 rejected`. `None` for GeoJSON and Parquet.
    pub fn rows_line(&self) -> Option<String> {
        if self.tables.is_empty() {
            return None;
        }
        let rows = self.records_read + self.sums + self.remarks + self.delisted;
        let plural = |n: usize, one: &str, many: &str| match n {
            1 => format!("1 {one}"),
            n => format!("{n} {many}"),
        };
        let mut parts = vec![plural(self.carriers, "carrier", "carriers")];
        if self.sums > 0 {
            parts.push(plural(
                self.sums,
                "subtotal or total row",
                "subtotal and total rows",
            ));
        }
        if self.remarks > 0 {
            parts.push(plural(self.remarks, "remark", "remarks"));
        }
        if self.delisted > 0 {
            parts.push(format!("{} delisted without a date", self.delisted));
        }
        let read = self.tables.iter().filter(|t| t.skipped.is_none()).count();
        let sheets = match (self.tables.len(), read) {
            (1, _) => String::new(),
            (all, read) if all == read => format!(" from {read} {}", self.tables_word()),
            (all, read) => format!(" from {read} of {all} {}", self.tables_word()),
        };
        Some(format!(
            "{}{sheets}: {}; {} rejected",
            plural(rows, "row read", "rows read"),
            parts.join(", "),
            self.rejected
        ))
    }
}

impl InputSummary {
    /// What the tables are: sheets of one workbook, files, or both.
    fn tables_word(&self) -> &'static str {
        let files = self.tables.iter().any(|t| t.origin.file.is_some());
        let sheets = self.tables.iter().any(|t| t.origin.sheet.is_some());
        match (files, sheets) {
            (false, _) => "sheets",
            (true, false) => "files",
            (true, true) => "files and sheets",
        }
    }

    /// Each table read and its records, when there are several:
    /// `sheets read: sheet 孵化器 (5 records), sheet 众创空间 (4 records)`.
    pub fn tables_line(&self) -> Option<String> {
        if self.tables.len() < 2 {
            return None;
        }
        let read = self.tables.iter().filter(|t| t.skipped.is_none());
        let each: Vec<String> = read
            .map(|t| {
                let records = match t.records {
                    1 => "1 record".to_string(),
                    n => format!("{n} records"),
                };
                format!("{} ({records})", t.origin)
            })
            .collect();
        Some(format!("{} read: {}", self.tables_word(), each.join(", ")))
    }
}

/// A district name records give other than by a name of today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclaredName {
    /// The name as written.
    pub written: String,
    /// What it names.
    pub names: Declared,
    /// How many carriers give it.
    pub carriers: usize,
    /// Of them, how many have no location, and count by it.
    pub without_location: usize,
}

/// How many of the carriers with both a point and one declared district
/// lie in that district, read in each datum: a datum far better than the
/// one given is likely the one the points are in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatumAgreement {
    /// The datum the carriers were read in.
    pub given: Datum,
    /// Carriers compared: those with a point and one declared district (at
    /// most [`DatumAgreement::SAMPLE`], spread over the set).
    pub compared: usize,
    /// How many lie in the district they name, in each datum
    /// ([`Datum::ALL`] order).
    pub agree: [usize; 3],
}

impl DatumAgreement {
    /// The most carriers compared: enough to tell one datum from another,
    /// few enough to cost nothing beside a read.
    pub const SAMPLE: usize = 20_000;

    /// How many agree in `datum`.
    pub fn agreeing(&self, datum: Datum) -> usize {
        self.agree[Datum::ALL
            .iter()
            .position(|&d| d == datum)
            .expect("a datum")]
    }

    /// The datum the points are likely in, when it is not the one given:
    /// one in which at least 2 more carriers lie in the district they
    /// name, and at least a quarter as many more as lie elsewhere in the
    /// datum given. Moving a point to another datum only takes it across
    /// borders, so in the right datum the most agree; names that are wrong
    /// whatever the datum weigh against a guess.
    pub fn suggested(&self) -> Option<Datum> {
        let given = self.agreeing(self.given);
        let margin = 2.max((self.compared - given).div_ceil(4));
        Datum::ALL
            .into_iter()
            .filter(|&d| d != self.given)
            .max_by_key(|&d| self.agreeing(d))
            .filter(|&d| self.agreeing(d) >= given + margin)
    }
}

impl std::fmt::Display for DatumAgreement {
    /// `412 of 500 rows lie in the district they name as gcj02 (the datum
    /// given), 180 as wgs84, 35 as bd09`, and, when another datum is
    /// likely, `: was the datum wgs84?`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} records with a point and a district lie in the district they name as {} (the datum given)",
            self.agreeing(self.given),
            self.compared,
            self.given
        )?;
        for datum in Datum::ALL.into_iter().filter(|&d| d != self.given) {
            write!(f, ", {} as {datum}", self.agreeing(datum))?;
        }
        match self.suggested() {
            Some(datum) => write!(f, ": was the datum {datum}?"),
            None => Ok(()),
        }
    }
}

impl Placed<'_> {
    /// What became of the read that gave these carriers ([`InputSummary`]).
    pub fn summary(&self) -> InputSummary {
        let carriers = &self.carriers;
        // One pass: what placed each carrier, the outside, the names.
        let (mut by, mut outside) = ([0usize; 4], 0);
        let mut names: Vec<(usize, usize)> = vec![(0, 0); carriers.declared_districts().len()];
        let declares = carriers.declares_districts();
        for (i, &anchor) in carriers.anchors().iter().enumerate() {
            // A carrier with a location and no name to count is placed by
            // its point: told from the columns, without its place.
            if !declares && crate::carrier::store::is_located(anchor) {
                by[PlacedBy::Point as usize] += 1;
                outside += usize::from(self.districts[i].is_none());
                continue;
            }
            let (c, place) = (carriers.get(i), self.place(i));
            by[place.placed_by as usize] += 1;
            outside += usize::from(place.district.is_none() && place.within.is_none());
            if let Some(code) = usize::from(c.declared_code()).checked_sub(1) {
                names[code].0 += 1;
                names[code].1 += usize::from(place.placed_by != PlacedBy::Point);
            }
        }
        let declared_names = carriers
            .declared_districts()
            .zip(names)
            .filter(|((_, named), _)| !matches!(named, Declared::District { .. }))
            .map(|((written, named), (count, without))| DeclaredName {
                written: written.to_string(),
                names: named.clone(),
                carriers: count,
                without_location: without,
            })
            .collect();
        InputSummary {
            records_read: carriers.features_read(),
            carriers: carriers.len(),
            rejected: carriers.rejections().len(),
            outside,
            placed_by_point: by[PlacedBy::Point as usize],
            placed_by_declared: by[PlacedBy::Declared as usize],
            placed_by_managed_area: by[PlacedBy::ManagedArea as usize],
            placed_by_address: by[PlacedBy::Address as usize],
            mismatches: self.mismatches.len(),
            sums: carriers.tables().iter().map(|t| t.sums).sum(),
            remarks: carriers.tables().iter().map(|t| t.remarks).sum(),
            delisted: carriers.tables().iter().map(|t| t.delisted).sum(),
            tables: carriers.tables().to_vec(),
            skipped_rows: carriers.skipped_rows().to_vec(),
            notes: carriers.notes().to_vec(),
            declared_names,
            datum_agreement: self.datum_agreement(),
        }
    }

    /// How the points of the carriers that name one district agree with
    /// it in each datum ([`DatumAgreement`]); `None` when no carrier has
    /// both.
    pub fn datum_agreement(&self) -> Option<DatumAgreement> {
        let carriers = &self.carriers;
        if !carriers.declares_districts() {
            return None;
        }
        let both: Vec<(Coord, DistrictId)> = carriers
            .iter()
            .filter_map(|c| {
                let anchor = c.anchor()?;
                let code = c.district()?;
                Some((anchor.0, self.atlas.district_with_code(code)?))
            })
            .collect();
        if both.is_empty() {
            return None;
        }
        let step = both.len().div_ceil(DatumAgreement::SAMPLE);
        let sample: Vec<&(Coord, DistrictId)> = both.iter().step_by(step).collect();
        let (given, atlas_datum) = (carriers.source_datum(), self.atlas.datum());
        let mut agree = [0; 3];
        for (slot, datum) in agree.iter_mut().zip(Datum::ALL) {
            *slot = sample
                .par_iter()
                .filter(|(anchor, district)| {
                    // The coordinates as the file holds them, read in `datum`.
                    let written = atlas_datum.convert(*anchor, given);
                    let point = geo::Point(datum.convert(written, atlas_datum));
                    self.atlas.locate(point) == Some(*district)
                })
                .count();
        }
        Some(DatumAgreement {
            given,
            compared: sample.len(),
            agree,
        })
    }
}
