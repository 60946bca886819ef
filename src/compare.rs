//! How the districts rank, and what changed between two checks of one
//! plan: an earlier register
//! against today's, or one register on an earlier date. Per target, zone,
//! district and managed area, the change in each figure; and the carriers
//! that entered the count or left it.

use std::collections::HashSet;

use serde::Serialize;

use crate::carrier::CarrierRef;
use crate::counted::is_in_city;
use crate::date::Date;
use crate::job::CheckedPlan;
use crate::place::{Place, Placed};
use crate::quota::{Measure, Status};
use crate::tally::Totals;

/// Two checks of one plan, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The earlier check: its data and date.
    pub old: Side,
    /// The later check.
    pub new: Side,
    /// Each target of the later check, with the earlier figure of the
    /// target with its id.
    pub targets: Vec<TargetChange>,
    /// Each zone, district and managed area, then the city.
    pub regions: Vec<RegionChange>,
    /// Carriers counted in the later check and not in the earlier one.
    pub entered: Vec<CarrierChange>,
    /// Carriers counted in the earlier check and not in the later one.
    pub left: Vec<CarrierChange>,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The data, as the report names it.
    pub data: String,
    /// The date checked.
    pub as_of: Date,
    /// The carriers counted.
    pub counted: usize,
}

/// A target, then and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetChange {
    /// The target's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it counts.
    pub measure: Measure,
    /// Its minimum in the later check.
    pub required: f64,
    /// The earlier figure; `None` when not evaluable or not in that check.
    pub old: Option<f64>,
    /// The later figure; `None` when not evaluable.
    pub new: Option<f64>,
    /// `new - old`, when both are known.
    pub change: Option<f64>,
    /// The earlier standing, when the earlier check had the target.
    pub old_status: Option<Status>,
    /// The later standing.
    pub new_status: Status,
}

/// A region's totals, then and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionChange {
    /// `zone`, `district`, `area` (a managed area's records in no one
    /// district) or `city`.
    pub level: &'static str,
    /// The code (`area` for a managed area).
    pub code: String,
    /// The name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// The earlier totals.
    pub old: Totals,
    /// The later totals.
    pub new: Totals,
}

impl RegionChange {
    /// Carriers gained (negative: lost).
    pub fn carriers(&self) -> i64 {
        self.new.carriers as i64 - self.old.carriers as i64
    }

    /// Floor area gained, m² (negative: lost).
    pub fn floor_area_m2(&self) -> f64 {
        self.new.floor_area_m2() - self.old.floor_area_m2()
    }

    /// Enterprises gained (negative: lost).
    pub fn enterprises(&self) -> i64 {
        self.new.enterprises as i64 - self.old.enterprises as i64
    }

    /// Tech enterprises gained (negative: lost).
    pub fn tech_enterprises(&self) -> i64 {
        self.new.tech_enterprises as i64 - self.old.tech_enterprises as i64
    }
}

/// A carrier that entered the count or left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarrierChange {
    /// Its id.
    pub id: String,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it counts: its district's name, or its managed area's.
    pub place: String,
    /// Its floor area, m².
    pub floor_area_m2: f64,
    /// Its enterprises.
    pub enterprises: u32,
}

impl Comparison {
    /// Compares `old` with `new`, two checks of one plan on one atlas
    /// (`old_data` and `new_data` name their data). Targets are matched by
    /// id; carriers by name, or by id for a record without one, since two
    /// registers may number their rows differently.
    pub fn of(old: &CheckedPlan, old_data: &str, new: &CheckedPlan, new_data: &str) -> Comparison {
        let targets = (new.report.targets.iter())
            .map(|t| {
                let before = old.report.targets.iter().find(|o| o.id == t.id);
                let old_actual = before.and_then(|o| o.actual);
                TargetChange {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    measure: t.measure,
                    required: t.required,
                    old: old_actual,
                    new: t.actual,
                    change: old_actual.zip(t.actual).map(|(o, n)| n - o),
                    old_status: before.map(|o| o.status),
                    new_status: t.status,
                }
            })
            .collect();
        let (old_keys, new_keys) = (counted_keys(old), counted_keys(new));
        Comparison {
            old: side(old, old_data),
            new: side(new, new_data),
            targets,
            regions: regions(old, new),
            entered: changes(new, &old_keys),
            left: changes(old, &new_keys),
        }
    }
}

fn side(checked: &CheckedPlan, data: &str) -> Side {
    Side {
        data: data.to_string(),
        as_of: checked.as_of,
        counted: checked.report.counted.counted,
    }
}

/// The key a carrier is matched by: its name, or its id without one.
fn key(carrier: &CarrierRef) -> String {
    match carrier.name() {
        Some(name) => format!("name:{name}"),
        None => format!("id:{}", carrier.id()),
    }
}

/// The carriers a check counts: open on its date, in the city.
fn counted<'p>(checked: &'p CheckedPlan) -> impl Iterator<Item = (CarrierRef<'p>, Place<'p>)> {
    let placed: &Placed = &checked.placed;
    (placed.iter()).filter(|(c, place)| c.is_open_on(checked.as_of) && is_in_city(place))
}

fn counted_keys(checked: &CheckedPlan) -> HashSet<String> {
    counted(checked).map(|(c, _)| key(&c)).collect()
}

/// The carriers `checked` counts whose key is not in `others`.
fn changes(checked: &CheckedPlan, others: &HashSet<String>) -> Vec<CarrierChange> {
    let atlas = checked.placed.atlas();
    counted(checked)
        .filter(|(c, _)| !others.contains(&key(c)))
        .map(|(c, place)| CarrierChange {
            id: c.id().to_string(),
            name: c.name().map(str::to_string),
            place: match (place.district, c.declared()) {
                (Some(d), _) => atlas.district(d).name.clone(),
                (None, Some((written, _))) => written.to_string(),
                (None, None) => String::new(),
            },
            floor_area_m2: c.floor_area_m2(),
            enterprises: c.enterprises(),
        })
        .collect()
}

/// Each zone with its districts and managed areas, then the city.
fn regions(old: &CheckedPlan, new: &CheckedPlan) -> Vec<RegionChange> {
    let atlas = new.placed.atlas();
    let rows = |checked: &CheckedPlan| checked.tally.district_rows(atlas, &checked.areas);
    let (old_rows, new_rows) = (rows(old), rows(new));
    let mut changes = Vec::new();
    for (i, zone) in atlas.zones().iter().enumerate() {
        changes.push(RegionChange {
            level: "zone",
            code: zone.code.clone(),
            name: zone.name.clone(),
            name_en: zone.name_en.clone().unwrap_or_default(),
            old: old.tally.zones()[i].all,
            new: new.tally.zones()[i].all,
        });
    }
    let mut seen = HashSet::new();
    for row in new_rows.iter().chain(&old_rows) {
        if !seen.insert((row.code.clone(), row.name.clone())) {
            continue;
        }
        let find = |rows: &[crate::tally::DistrictRow]| {
            (rows.iter())
                .find(|r| r.code == row.code && r.name == row.name)
                .map_or_else(Totals::default, |r| r.totals)
        };
        changes.push(RegionChange {
            level: if row.district.is_some() {
                "district"
            } else {
                "area"
            },
            code: row.code.clone(),
            name: row.name.clone(),
            name_en: row.name_en.clone(),
            old: find(&old_rows),
            new: find(&new_rows),
        });
    }
    changes.push(RegionChange {
        level: "city",
        code: "city".to_string(),
        name: atlas.name().to_string(),
        name_en: atlas.name_en().unwrap_or("").to_string(),
        old: old.tally.city().all,
        new: new.tally.city().all,
    });
    changes
}

/// One district's place among the districts of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedDistrict {
    /// 1 for the first.
    pub rank: usize,
    /// The district's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The share of its own target reached, in percent: its floor-area
    /// target's, or its first target's; `None` without a target of its own.
    pub share: Option<f64>,
    /// Where that target comes from, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::quota::TargetSource>,
    /// Its floor area on the date, m².
    pub floor_area_m2: f64,
    /// Its carriers on the date.
    pub carriers: u64,
    /// Floor area gained since the plan's start, m².
    pub growth_m2: f64,
}

/// The districts of a check ranked: by the share of their own target
/// reached (districts without one last), then by floor area, then by
/// code.
pub fn ranking(checked: &CheckedPlan) -> Vec<RankedDistrict> {
    let (atlas, report) = (checked.placed.atlas(), &checked.report);
    let start = crate::tally::Tally::open_on(&checked.placed, checked.plan.start);
    let mut ranked: Vec<RankedDistrict> = (atlas.district_ids())
        .map(|id| {
            let district = atlas.district(id);
            let own: Vec<_> = (report.targets.iter())
                .filter(|t| t.district.as_ref() == Some(&district.code))
                .collect();
            let main = (own.iter())
                .find(|t| t.measure == Measure::FloorArea)
                .or(own.first());
            let now = checked.tally.district(id).all;
            RankedDistrict {
                rank: 0,
                code: district.code.to_string(),
                name: district.name.clone(),
                share: main.and_then(|t| t.percent),
                source: main.map(|t| t.source.clone()),
                floor_area_m2: now.floor_area_m2(),
                carriers: now.carriers,
                growth_m2: now.floor_area_m2() - start.district(id).all.floor_area_m2(),
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        let share = |r: &RankedDistrict| r.share.unwrap_or(f64::NEG_INFINITY);
        (share(b).total_cmp(&share(a)))
            .then(b.floor_area_m2.total_cmp(&a.floor_area_m2))
            .then_with(|| a.code.cmp(&b.code))
    });
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    ranked
}
