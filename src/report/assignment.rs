//! Reports of an assignment: every carrier's district, and the tallies.

use std::io;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use super::{write_tally, TallyRows};
use crate::carrier::Carriers;
use crate::datum::Datum;
use crate::error::RejectReason;
use crate::place::Placed;
use crate::tally::{Tally, Totals};

/// The JSON of an assignment (see [`write_assignment_json`]).
#[derive(Serialize)]
struct Assignment<'a> {
    input_datum: Datum,
    atlas_datum: Datum,
    features_read: usize,
    assignments: Rows<'a>,
    regions: Vec<RegionRow<'a>>,
    zones: Vec<RegionRow<'a>>,
    city: RegionRow<'a>,
    outside: Vec<Feature<'a>>,
    /// Features read with longitude and latitude swapped back.
    swapped: &'a [usize],
    rejected: Vec<Rejected<'a>>,
}

/// One row per carrier, written as they are serialized rather than held.
struct Rows<'a>(&'a Placed<'a>);

#[derive(Serialize)]
struct AssignmentRow<'a> {
    index: usize,
    id: &'a str,
    region: Option<&'a str>,
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let placed = self.0;
        let atlas = placed.atlas();
        let carriers = placed.carriers();
        let mut seq = s.serialize_seq(Some(carriers.len()))?;
        let rows = carriers
            .iter()
            .zip(carriers.feature_indexes())
            .zip(placed.districts());
        for ((carrier, index), district) in rows {
            seq.serialize_element(&AssignmentRow {
                index,
                id: carrier.id(),
                region: district.map(|d| atlas.district(d).code.as_str()),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct RegionRow<'a> {
    code: &'a str,
    name: &'a str,
    count: u64,
    floor_area_m2: f64,
    enterprises: u64,
    tech_enterprises: u64,
}

#[derive(Serialize)]
struct Feature<'a> {
    index: usize,
    id: &'a str,
}

#[derive(Serialize)]
struct Rejected<'a> {
    index: usize,
    id: Option<&'a str>,
    reason: String,
    #[serde(flatten)]
    detail: &'a RejectReason,
}

fn row<'a>(code: &'a str, name: &'a str, totals: &Totals) -> RegionRow<'a> {
    RegionRow {
        code,
        name,
        count: totals.carriers,
        floor_area_m2: totals.floor_area_m2(),
        enterprises: totals.enterprises,
        tech_enterprises: totals.tech_enterprises,
    }
}

/// Writes an assignment as JSON:
///
/// ```text
/// {"input_datum": "gcj02", "atlas_datum": "gcj02", "features_read": 10,
///  "assignments": [{"index": 0, "id": "c-1", "region": "500103"}, ...],
///  "regions": [{"code": "500103", "name": "渝中区", "count": 3, "floor_area_m2": 1234.5,
///               "enterprises": 40, "tech_enterprises": 7}, ...],
///  "zones": [...], "city": {...},
///  "outside": [{"index": 7, "id": "c-8"}],
///  "swapped": [],
///  "rejected": [{"index": 9, "id": null, "reason": "no id: ...", "code": "missing_id"}]}
/// ```
///
/// `assignments` has one entry per carrier (`region` is null for one
/// outside every district, which is also listed in `outside`); indexes are
/// positions in the file's `features` array, from 0; `regions` lists the
/// districts in code order with `tally`'s totals; `swapped` lists the
/// features read with longitude and latitude swapped back; `rejected`
/// gives each refused feature's reason as text and its
/// [`RejectReason`] fields, `code` first.
///
/// # Errors
///
/// When writing fails.
pub fn write_assignment_json(
    out: impl io::Write,
    placed: &Placed,
    tally: &Tally,
) -> io::Result<()> {
    let atlas = placed.atlas();
    let carriers = placed.carriers();
    let report = Assignment {
        input_datum: carriers.source_datum(),
        atlas_datum: atlas.datum(),
        features_read: carriers.features_read(),
        assignments: Rows(placed),
        regions: atlas
            .districts()
            .iter()
            .zip(tally.districts())
            .map(|(d, t)| row(d.code.as_str(), &d.name, &t.all))
            .collect(),
        zones: atlas
            .zones()
            .iter()
            .zip(tally.zones())
            .map(|(z, t)| row(&z.code, &z.name, &t.all))
            .collect(),
        city: row("city", atlas.name(), &tally.city().all),
        outside: placed
            .outside()
            .map(|i| Feature {
                index: carriers.feature_index(i),
                id: carriers.get(i).id(),
            })
            .collect(),
        swapped: carriers.swapped(),
        rejected: carriers
            .rejections()
            .iter()
            .map(|r| Rejected {
                index: r.index,
                id: r.id.as_deref(),
                reason: r.reason.to_string(),
                detail: &r.reason,
            })
            .collect(),
    };
    serde_json::to_writer(out, &report).map_err(io::Error::from)
}

/// Writes an assignment as a table: each district under its zone with the
/// zone's subtotal, the city and the carriers outside it, then a line that
/// counts the features read, assigned, outside and rejected, and a line per
/// rejected or swapped-back feature.
///
/// # Errors
///
/// When writing fails.
pub fn write_assignment_table(
    mut out: impl io::Write,
    placed: &Placed,
    tally: &Tally,
) -> io::Result<()> {
    let carriers = placed.carriers();
    write_tally(&mut out, placed.atlas(), tally, TallyRows::Districts)?;
    let outside = placed.outside().count();
    writeln!(
        out,
        "\n{} features read in {}: {} assigned, {} outside, {} rejected",
        carriers.features_read(),
        carriers.source_datum(),
        carriers.len() - outside,
        outside,
        carriers.rejections().len()
    )?;
    write_rejections(out, carriers)
}

/// Writes a line for each feature a read refused (`rejected: feature 9 (id
/// "c-17"): ...`) and each it read with longitude and latitude swapped back
/// (`swapped back: feature 4 ...`), then, when any was refused, how many of
/// how many features.
///
/// # Errors
///
/// When writing fails.
pub fn write_rejections(mut out: impl io::Write, carriers: &Carriers) -> io::Result<()> {
    for rejection in carriers.rejections() {
        writeln!(out, "rejected: {rejection}")?;
    }
    for index in carriers.swapped() {
        writeln!(
            out,
            "swapped back: feature {index} (its longitude and latitude were swapped)"
        )?;
    }
    if !carriers.rejections().is_empty() {
        writeln!(
            out,
            "{} of {} features rejected",
            carriers.rejections().len(),
            carriers.features_read()
        )?;
    }
    Ok(())
}
