//! Assigns carriers to districts and tallies them by district, zone and city.
//!
//! ```text
//! cargo run --release --example assign -- data/sample/carriers.geojson
//! cargo run --release --example assign -- carriers.geojson --datum wgs84 --json out.json
//! cargo run --release --example assign -- carriers.geojson \
//!     --regions regions.geojson --code-property code --regions-datum wgs84
//! ```

#[path = "common/mod.rs"]
mod common;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::report;
use carrier_quota::{
    read_carriers_with, Assignment, Atlas, Carriers, Datum, ReadOptions, RegionOptions, Tally,
};
use clap::Parser;
use serde::Serialize;

/// Assign carriers to districts and tally them by district, zone and city.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// GeoJSON FeatureCollection of carriers.
    carriers: PathBuf,
    /// Datum of the carrier file, when it has no top-level "datum" member.
    #[arg(long, value_parser = common::parse_datum)]
    datum: Option<Datum>,
    /// Region set to use instead of the embedded Chongqing atlas.
    #[arg(long, requires = "code_property")]
    regions: Option<PathBuf>,
    /// Property of each region holding its unique code.
    #[arg(long, requires = "regions")]
    code_property: Option<String>,
    /// Property of each region holding its name.
    #[arg(long, requires = "regions")]
    name_property: Option<String>,
    /// Property of each region naming its parent zone.
    #[arg(long, requires = "regions")]
    parent_property: Option<String>,
    /// Datum of the region file, when it has no top-level "datum" member.
    #[arg(long, requires = "regions", value_parser = common::parse_datum)]
    regions_datum: Option<Datum>,
    /// How footprint carriers are assigned.
    #[arg(long, value_enum, default_value = "surface-point")]
    footprints: common::Footprints,
    /// Write assignments and tallies as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Exit with status 2 when any feature was rejected (the output is
    /// still written).
    #[arg(long)]
    strict: bool,
    /// Read points whose longitude and latitude are swapped (they lie in the
    /// atlas only when swapped back) swapped back, instead of rejecting them.
    #[arg(long)]
    fix_swapped: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Print `timing <phase> <seconds>` per phase (parse, datum, index,
    /// assign, tally) and `peak_memory_mb <n>` to stderr.
    #[arg(long)]
    timings: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let atlas = match &args.regions {
        None => Atlas::chongqing(),
        Some(path) => match load_regions(path, &args) {
            Ok(atlas) => atlas,
            Err(message) => return common::fail(message),
        },
    };
    let bar = common::progress_bar(&args.carriers, args.quiet);
    let mut clock = common::Phases::new(args.timings);
    let options = ReadOptions {
        datum: args.datum,
        expected_area: Some(atlas.outline().clone()),
        fix_swapped: args.fix_swapped,
        ..ReadOptions::default()
    };
    let read = read_carriers_with(|| common::open(&args.carriers, bar.as_ref()), &options);
    clock.done("parse");
    if let Some(bar) = &bar {
        common::spin(bar, "assigning and tallying");
    }
    let read = match read {
        Ok(read) => {
            let read = read.into_datum(atlas.datum());
            clock.done("datum");
            read
        }
        Err(e) => {
            return common::fail(format!(
                "{}: {}",
                args.carriers.display(),
                common::explain(&e, "--datum")
            ))
        }
    };
    if args.timings {
        // Built only to be timed: this command makes no spatial query.
        let index = carrier_quota::CarrierIndex::new(&read.carriers);
        clock.done("index");
        drop(index);
    }
    let assignment = atlas.assign(&read.carriers, args.footprints.rule());
    clock.done("assign");
    let tally = Tally::new(&atlas, &read.carriers, &assignment);
    clock.done("tally");
    clock.peak_memory();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let written = match &args.json {
        Some(path) => File::create(path)
            .map(BufWriter::new)
            .and_then(|mut out| {
                serde_json::to_writer(&mut out, &json_report(&atlas, &read, &assignment, &tally))?;
                out.flush()
            })
            .map_err(|e| format!("{}: {e}", path.display())),
        None => print_table(&atlas, &read, &assignment, &tally).map_err(|e| e.to_string()),
    };
    if let Err(message) = written {
        return common::fail(message);
    }
    if args.strict && !read.rejections.is_empty() {
        eprintln!(
            "{} of {} features rejected (--strict)",
            read.rejections.len(),
            read.features_read
        );
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn load_regions(path: &PathBuf, args: &Args) -> Result<Atlas, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let options = RegionOptions {
        code_property: args.code_property.clone().expect("clap requires it"),
        name_property: args.name_property.clone(),
        name_en_property: None,
        parent_property: args.parent_property.clone(),
        datum: args.regions_datum,
    };
    let (atlas, issues) = Atlas::from_geojson(file, &options).map_err(|e| {
        format!(
            "{}: {}",
            path.display(),
            common::explain(&e, "--regions-datum")
        )
    })?;
    for issue in issues {
        eprintln!("warning: {}: {issue}", path.display());
    }
    Ok(atlas)
}

#[derive(Serialize)]
struct Report<'a> {
    input_datum: Datum,
    atlas_datum: Datum,
    features_read: usize,
    assignments: Vec<AssignmentRow<'a>>,
    regions: Vec<RegionRow<'a>>,
    zones: Vec<RegionRow<'a>>,
    city: RegionRow<'a>,
    outside: Vec<Feature<'a>>,
    /// Features read with longitude and latitude swapped back.
    swapped: &'a [usize],
    rejected: Vec<Rejected<'a>>,
}

#[derive(Serialize)]
struct AssignmentRow<'a> {
    index: usize,
    id: &'a str,
    region: Option<&'a str>,
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
    detail: &'a carrier_quota::RejectReason,
}

fn row<'a>(code: &'a str, name: &'a str, totals: &carrier_quota::Totals) -> RegionRow<'a> {
    RegionRow {
        code,
        name,
        count: totals.carriers,
        floor_area_m2: totals.floor_area_m2(),
        enterprises: totals.enterprises,
        tech_enterprises: totals.tech_enterprises,
    }
}

fn json_report<'a>(
    atlas: &'a Atlas,
    read: &'a Carriers,
    assignment: &Assignment,
    tally: &Tally,
) -> Report<'a> {
    let assignments = read
        .carriers
        .iter()
        .zip(&read.feature_indexes)
        .zip(&assignment.districts)
        .map(|((c, &index), d)| AssignmentRow {
            index,
            id: c.id.as_str(),
            region: d.map(|d| atlas.district(d).code.as_str()),
        })
        .collect();
    let outside = assignment
        .outside()
        .map(|i| Feature {
            index: read.feature_indexes[i],
            id: read.carriers[i].id.as_str(),
        })
        .collect();
    Report {
        input_datum: read.source_datum,
        atlas_datum: atlas.datum(),
        features_read: read.features_read,
        assignments,
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
        outside,
        swapped: &read.swapped,
        rejected: read
            .rejections
            .iter()
            .map(|r| Rejected {
                index: r.index,
                id: r.id.as_deref(),
                reason: r.reason.to_string(),
                detail: &r.reason,
            })
            .collect(),
    }
}

fn print_table(
    atlas: &Atlas,
    read: &Carriers,
    assignment: &Assignment,
    tally: &Tally,
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    report::write_tally(&mut out, atlas, tally, report::TallyRows::Districts)?;
    writeln!(
        out,
        "\n{} features read in {}: {} assigned, {} outside, {} rejected",
        read.features_read,
        read.source_datum,
        assignment.districts.len() - assignment.outside().count(),
        assignment.outside().count(),
        read.rejections.len()
    )?;
    for rejection in &read.rejections {
        writeln!(out, "rejected: {rejection}")?;
    }
    for index in &read.swapped {
        writeln!(
            out,
            "swapped back: feature {index} (its longitude and latitude were swapped)"
        )?;
    }
    Ok(())
}
