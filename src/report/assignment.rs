//! Reports of an assignment: every carrier's district, and the tallies.

use std::io;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use super::{write_tally, Lang, TallyRows};
use crate::atlas::{Atlas, DistrictId};
use crate::carrier::Carriers;
use crate::carrier::RejectReason;
use crate::counted::Counted;
use crate::date::Date;
use crate::datum::Datum;
use crate::names::Declared;
use crate::place::{InputSummary, Placed, PlacedBy};
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
    mismatches: Vec<MismatchRow<'a>>,
    rejected: Vec<Rejected<'a>>,
    /// What became of the read ([`InputSummary`]).
    input: InputSummary,
    /// The managed areas whose records count in no one district.
    managed_areas: Vec<RegionRow<'a>>,
    /// What the tally counts, and the records it leaves out.
    counted: Counted,
}

#[derive(Serialize)]
struct MismatchRow<'a> {
    index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    id: &'a str,
    /// The district as the record writes it.
    declared: &'a str,
    /// What that names.
    names: &'a Declared,
    located: Option<&'a str>,
}

/// One row per carrier, written as they are serialized rather than held.
struct Rows<'a>(&'a Placed<'a>);

#[derive(Serialize)]
struct AssignmentRow<'a> {
    index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    id: &'a str,
    /// The district the record declares, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    declared: Option<&'a str>,
    region: Option<&'a str>,
    zone: Option<&'a str>,
    placed_by: PlacedBy,
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let placed = self.0;
        let atlas = placed.atlas();
        let carriers = placed.carriers();
        let mut seq = s.serialize_seq(Some(carriers.len()))?;
        for ((carrier, place), index) in placed.iter().zip(carriers.feature_indexes()) {
            seq.serialize_element(&AssignmentRow {
                index,
                row: carrier.row(),
                id: carrier.id(),
                declared: carrier.declared().map(|(written, _)| written),
                region: place.district.map(|d| atlas.district(d).code.as_str()),
                zone: place.zone(atlas).map(|z| atlas.zone(z).code.as_str()),
                placed_by: place.placed_by,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
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
///  "assignments": [{"index": 0, "id": "c-1", "region": "500103", "placed_by": "point"}, ...],
///  "regions": [{"code": "500103", "name": "渝中区", "count": 3, "floor_area_m2": 1234.5,
///               "enterprises": 40, "tech_enterprises": 7}, ...],
///  "zones": [...], "city": {...},
///  "outside": [{"index": 7, "id": "c-8"}],
///  "swapped": [],
///  "mismatches": [{"index": 4, "id": "c-5", "declared": "500112", "located": "500105"}],
///  "rejected": [{"index": 9, "id": null, "reason": "no id: ...", "code": "missing_id"}]}
/// ```
///
/// `assignments` has one entry per carrier (`region` is null for one
/// outside every district, which is also listed in `outside`; `placed_by`
/// is `point` for a carrier placed by its location and `declared` for one
/// counted in the district its record names); indexes are positions in the
/// file's `features` array (or among a table's records), from 0, and a
/// table's entries also give their `row`; `mismatches` lists the carriers
/// whose location lies in another district (or none) than the one their
/// record names, by code ([`Placed::mismatches`]); `regions` lists the
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
    as_of: Option<Date>,
) -> io::Result<()> {
    let atlas = placed.atlas();
    let carriers = placed.carriers();
    let areas = Tally::managed_areas(placed, as_of);
    let area_names: Vec<String> = areas.iter().map(|a| a.row_name()).collect();
    let report = Assignment {
        managed_areas: (areas.iter().zip(&area_names))
            .map(|(a, name)| row(crate::tally::AREA_CODE, name, &a.totals.all))
            .collect(),
        counted: Counted::of(placed, as_of),
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
        mismatches: placed
            .mismatches()
            .iter()
            .map(|m| {
                let carrier = carriers.get(m.position);
                MismatchRow {
                    index: carriers.feature_index(m.position),
                    row: carrier.row(),
                    id: carrier.id(),
                    declared: &m.written,
                    names: &m.declared,
                    located: m.located.map(|d| atlas.district(d).code.as_str()),
                }
            })
            .collect(),
        rejected: carriers
            .rejections()
            .iter()
            .map(|r| Rejected {
                index: r.index,
                row: r.row,
                id: r.id.as_deref(),
                reason: r.reason.to_string(),
                detail: &r.reason,
            })
            .collect(),
        input: placed.summary(),
    };
    serde_json::to_writer(out, &report).map_err(io::Error::from)
}

/// Writes an assignment as a table: each district under its zone with the
/// zone's subtotal, the city and the carriers outside it, then a line that
/// counts the features read, assigned (and of them, placed by their
/// declared district), outside and rejected, a line per rejected or
/// swapped-back feature, and last the number of mismatches with the first
/// ten of them, when some record names its district.
///
/// # Errors
///
/// When writing fails.
pub fn write_assignment_table(
    mut out: impl io::Write,
    placed: &Placed,
    tally: &Tally,
    as_of: Option<Date>,
) -> io::Result<()> {
    let carriers = placed.carriers();
    let areas = Tally::managed_areas(placed, as_of);
    write_tally(
        &mut out,
        placed.atlas(),
        tally,
        &areas,
        TallyRows::Districts,
        Lang::Both,
    )?;
    let counted = Counted::of(placed, as_of);
    writeln!(out, "\n{counted}")?;
    for line in counted.left_out_lines() {
        writeln!(out, "{line}")?;
    }
    // One pass, which tells most carriers from their columns alone.
    let summary = placed.summary();
    let outside = summary.outside;
    let declared = summary.placed_by_declared + summary.placed_by_address;
    let areas = summary.placed_by_managed_area;
    let by_district = match (declared, areas) {
        (0, 0) => String::new(),
        (n, 0) => format!(" ({n} by their declared district)"),
        (0, a) => format!(" ({a} by a managed area, in no one district)"),
        (n, a) => {
            format!(" ({n} by their declared district, {a} by a managed area, in no one district)")
        }
    };
    writeln!(
        out,
        "\n{} {} read in {}: {} assigned{by_district}, {} outside, {} rejected",
        carriers.features_read(),
        records(carriers),
        carriers.source_datum(),
        carriers.len() - outside,
        outside,
        carriers.rejections().len()
    )?;
    write_rejections(&mut out, carriers)?;
    if carriers.declares_districts() {
        write_mismatches(out, placed)?;
    }
    Ok(())
}

/// Writes the tally as CSV, a row per district and per managed area whose
/// records count in no one district (`两江新区（不分区县）`), then per zone
/// and the city: `level,code,name,name_en,zone,carriers,floor_area_m2,enterprises,tech_enterprises`.
/// The district and area rows add up to the city's.
///
/// # Errors
///
/// When writing fails.
pub fn write_tally_csv(
    out: impl io::Write,
    atlas: &Atlas,
    tally: &Tally,
    areas: &[crate::tally::AreaTally],
) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "level",
        "code",
        "name",
        "name_en",
        "zone",
        "carriers",
        "floor_area_m2",
        "enterprises",
        "tech_enterprises",
    ])?;
    let mut row = |level: &str, code: &str, name: &str, en: &str, zone: &str, t: &Totals| {
        csv.write_record([
            level,
            code,
            name,
            en,
            zone,
            &t.carriers.to_string(),
            &super::rounded(t.floor_area_m2(), 2),
            &t.enterprises.to_string(),
            &t.tech_enterprises.to_string(),
        ])
    };
    for r in tally.district_rows(atlas, areas) {
        let level = if r.district.is_some() {
            "district"
        } else {
            "area"
        };
        let zone = r.zone.map_or("", |z| atlas.zone(z).code.as_str());
        row(level, &r.code, &r.name, &r.name_en, zone, &r.totals)?;
    }
    for (zone, t) in atlas.zones().iter().zip(tally.zones()) {
        let en = zone.name_en.as_deref().unwrap_or("");
        row("zone", &zone.code, &zone.name, en, "", &t.all)?;
    }
    let en = atlas.name_en().unwrap_or("");
    row("city", "city", atlas.name(), en, "", &tally.city().all)?;
    csv.flush()
}

/// `rows` for a table's records, `features` for a GeoJSON or Parquet
/// file's.
fn records(carriers: &Carriers) -> &'static str {
    let from_table = carriers.iter().next().map_or_else(
        || carriers.rejections().iter().any(|r| r.row.is_some()),
        |c| c.row().is_some(),
    );
    if from_table {
        "rows"
    } else {
        "features"
    }
}

/// How many mismatches [`write_assignment_table`] lists.
const MISMATCHES_LISTED: usize = 10;

/// The mismatch count, then a line for each of the first ten.
fn write_mismatches(mut out: impl io::Write, placed: &Placed) -> io::Result<()> {
    let (atlas, carriers) = (placed.atlas(), placed.carriers());
    let mismatches = placed.mismatches();
    write_mismatch_count(&mut out, mismatches.len())?;
    for m in mismatches.iter().take(MISMATCHES_LISTED) {
        let carrier = carriers.get(m.position);
        let at = match carrier.row() {
            Some(row) => format!("row {row}"),
            None => format!("feature {}", carriers.feature_index(m.position)),
        };
        let line = mismatch_line(atlas, &at, carrier.id(), &m.written, &m.declared, m.located);
        writeln!(out, "{line}")?;
    }
    write_more_mismatches(out, mismatches.len())
}

/// [`write_assignment_table`]'s last lines for a streamed tally: the
/// mismatch count, then a line for each of the first ten.
#[cfg(feature = "parquet")]
pub fn write_streamed_mismatches(
    mut out: impl io::Write,
    atlas: &Atlas,
    streamed: &crate::stream::StreamedTally,
) -> io::Result<()> {
    write_mismatch_count(&mut out, streamed.mismatched)?;
    for m in streamed.mismatches.iter().take(MISMATCHES_LISTED) {
        let at = format!("feature {}", m.index);
        let line = mismatch_line(atlas, &at, &m.id, &m.written, &m.declared, m.located);
        writeln!(out, "{line}")?;
    }
    write_more_mismatches(out, streamed.mismatched)
}

fn write_mismatch_count(mut out: impl io::Write, count: usize) -> io::Result<()> {
    writeln!(
        out,
        "{count} mismatches: the location lies outside the district the record names"
    )
}

fn write_more_mismatches(mut out: impl io::Write, count: usize) -> io::Result<()> {
    if count > MISMATCHES_LISTED {
        writeln!(out, "… and {} more", count - MISMATCHES_LISTED)?;
    }
    Ok(())
}

/// `mismatch: row 7 (id "c-5"): names 渝北区 (500112), lies in 渝中区 (500103)`.
fn mismatch_line(
    atlas: &Atlas,
    at: &str,
    id: &str,
    written: &str,
    declared: &Declared,
    located: Option<DistrictId>,
) -> String {
    let district =
        |d: DistrictId| format!("{} ({})", atlas.district(d).name, atlas.district(d).code);
    let declared = describe_declared(atlas, written, declared);
    let located = located.map_or_else(|| "no district".to_string(), district);
    format!("mismatch: {at} (id {id:?}): names {declared}, lies in {located}")
}

/// What a record's declared district names, for people: `渝北区 (500112)`,
/// `渝北 (渝北区 500112)`, `开县 (开州区 500154 since 2016-06)`, `两江新区 (a
/// managed area in 江北区, 北碚区 and 渝北区)`, `某某区 (no district known
/// by that name)`.
pub fn describe_declared(atlas: &Atlas, written: &str, declared: &Declared) -> String {
    let name = |code: &crate::atlas::RegionCode| match atlas.district_with_code(code.as_str()) {
        Some(d) => atlas.district(d).name.clone(),
        None => code.to_string(),
    };
    match declared {
        Declared::District { code } if name(code) == written => format!("{written} ({code})"),
        Declared::District { code } => format!("{written} ({} {code})", name(code)),
        Declared::FormerName { code, former } => {
            format!("{written} ({} {code} since {})", name(code), former.until)
        }
        Declared::AreaInDistrict { code, .. } => {
            format!("{written} (a managed area in {} {code})", name(code))
        }
        Declared::Area { area } => {
            let names: Vec<String> = area.districts.iter().map(name).collect();
            let (last, rest) = names.split_last().expect("an area spans districts");
            format!(
                "{written} (a managed area in {} and {last})",
                rest.join(", ")
            )
        }
        Declared::Unknown => format!("{written} (no district known by that name)"),
    }
}

/// Writes a line (`note: …`) for each thing a read decided that a total
/// depends on: an encoding or unit it read a file in, a district named by
/// a former name or a managed area (and where its records count), a name
/// no one knows, an overlay named by its name; and, when the points agree
/// with the districts their records name far better in another datum, that.
///
/// # Errors
///
/// When writing fails.
pub fn write_input_notes(
    mut out: impl io::Write,
    atlas: &Atlas,
    summary: &InputSummary,
) -> io::Result<()> {
    for note in input_notes(atlas, summary) {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

/// The notes [`write_input_notes`] writes, each a sentence.
pub(super) fn input_notes(atlas: &Atlas, summary: &InputSummary) -> Vec<String> {
    // How the rows were read, when some were set aside or there were
    // several tables: a plain register's read needs no line.
    let set_aside = summary.sums + summary.remarks + summary.delisted > 0;
    let mut notes: Vec<String> = match set_aside || summary.tables.len() > 1 {
        true => summary
            .rows_line()
            .into_iter()
            .chain(summary.tables_line())
            .collect(),
        false => Vec::new(),
    };
    notes.extend(summary.notes.iter().map(ToString::to_string));
    for name in &summary.declared_names {
        let what = describe_declared(atlas, &name.written, &name.names);
        let records = |n: usize| format!("{n} {}", if n == 1 { "record" } else { "records" });
        let line = match &name.names {
            crate::names::Declared::Unknown => format!(
                "{what}: {} placed by {} point, the name listed as a mismatch",
                records(name.carriers),
                if name.carriers == 1 { "its" } else { "their" }
            ),
            crate::names::Declared::Area { area } => {
                let zone = area_zone(atlas, area)
                    .map_or("the city".to_string(), |z| atlas.zone(z).name.clone());
                let overlay = area
                    .overlay
                    .as_ref()
                    .map(|o| format!(", in overlay {o}"))
                    .unwrap_or_default();
                format!(
                    "{what}: {}{overlay}; {} without a location count in {zone} and in no one district",
                    records(name.carriers),
                    name.without_location
                )
            }
            _ => format!("{what}: {} counted there", records(name.carriers)),
        };
        notes.push(line);
    }
    if let Some(agreement) = &summary.datum_agreement {
        if agreement.suggested().is_some() {
            notes.push(agreement.to_string());
        }
    }
    notes
}

/// The zone that holds every district of `area` in `atlas`, if one does.
fn area_zone(atlas: &Atlas, area: &crate::names::ManagedArea) -> Option<crate::atlas::ZoneId> {
    let mut zones = area.districts.iter().map(|c| {
        atlas
            .district_with_code(c.as_str())
            .and_then(|d| atlas.district(d).zone)
    });
    let first = zones.next().flatten()?;
    zones.all(|z| z == Some(first)).then_some(first)
}

/// Writes a line for each feature a read refused (`rejected: feature 9 (id
/// "c-17"): ...`) and each it read with longitude and latitude swapped back
/// (`swapped back: feature 4 ...`), then, when any was refused, how many of
/// how many features (rows, for a table).
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
            "{} of {} {} rejected",
            carriers.rejections().len(),
            carriers.features_read(),
            records(carriers)
        )?;
    }
    Ok(())
}
