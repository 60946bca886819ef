//! Splits a whole-number target among districts by weight.
//!
//! ```text
//! cargo run --release --example apportion -- --target 350000 --zone northeast,southeast --weights area
//! cargo run --release --example apportion -- --target 100 --districts 500103,500105,500106 \
//!     --weights floor_area --min 500103=20 --cap 500106=30 --json shares.json
//! cargo run --release --example apportion -- --target 9900000 --zone main_urban --weights weights.csv
//! ```
//!
//! Weights: `area` (land area), `floor_area` (floor area of the carriers in
//! `--carriers`, open on `--as-of` when given), `equal`, or a CSV file with
//! `code` and `weight` columns or a JSON file `{"CODE": WEIGHT, ...}` or
//! `[{"code": ..., "weight": ...}, ...]`. Codes may also be district names.

#[path = "common/mod.rs"]
mod common;

use std::io::{self};
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::apportion::{DistrictSplit, SplitBy};
use carrier_quota::report;
use carrier_quota::{
    read_carriers, Atlas, Date, Datum, DistrictId, FootprintRule, ReadOptions, Tally,
};
use clap::{ArgGroup, Parser};

/// Split a whole-number target among districts by weight.
#[derive(Parser)]
#[command(version, group(ArgGroup::new("where").required(true).args(["zone", "districts"])))]
struct Args {
    /// The whole number to split (m², carriers, ...).
    #[arg(long)]
    target: u64,
    /// Split among the districts of these zones (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    zone: Vec<String>,
    /// Split among these districts (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    districts: Vec<String>,
    /// area, floor_area, equal, or a CSV/JSON file of district weights.
    #[arg(long, value_parser = common::parse_split)]
    weights: SplitBy,
    /// A district's least share, CODE=N; repeat for more.
    #[arg(long, value_parser = parse_bound)]
    min: Vec<(String, u64)>,
    /// A district's largest share, CODE=N; repeat for more.
    #[arg(long, value_parser = parse_bound)]
    cap: Vec<(String, u64)>,
    /// Carriers for floor_area weights [default: the bundled synthetic sample].
    #[arg(long)]
    carriers: Option<PathBuf>,
    /// Datum of the carrier file, when it has no top-level "datum" member.
    #[arg(long)]
    datum: Option<Datum>,
    /// For floor_area weights: count the carriers open on this date
    /// (YYYY-MM-DD) [default: every carrier in the file].
    #[arg(long)]
    as_of: Option<Date>,
    /// Also write the shares as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

fn parse_bound(s: &str) -> Result<(String, u64), String> {
    let (code, value) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not CODE=N"))?;
    let value = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} in {s:?} is not a whole number"))?;
    Ok((code.trim().to_string(), value))
}

fn main() -> ExitCode {
    common::exit(run(Args::parse()).map(|()| ExitCode::SUCCESS))
}

fn run(args: Args) -> Result<(), String> {
    let atlas = Atlas::chongqing();
    let district = |name: &str| {
        atlas
            .find_district(name)
            .ok_or_else(|| format!("{name:?} is not a district code or name"))
    };
    let mut districts: Vec<DistrictId> = args
        .districts
        .iter()
        .map(|d| district(d))
        .collect::<Result<_, _>>()?;
    for name in &args.zone {
        let zone = atlas.find_zone(name).ok_or_else(|| {
            let known: Vec<&str> = atlas.zones().iter().map(|z| z.code.as_str()).collect();
            format!(
                "{name:?} is not a zone: expected one of {}",
                known.join(", ")
            )
        })?;
        districts.extend(&atlas.zone(zone).districts);
    }
    if !args.zone.is_empty() {
        // Zones list their districts by code; several zones are merged so.
        districts.sort_unstable();
    }

    // Floor-area weights come from the carriers (open on --as-of, if given).
    let tally = match args.weights {
        SplitBy::FloorArea => {
            let path = args
                .carriers
                .clone()
                .unwrap_or_else(common::sample_carriers);
            let mut options = ReadOptions::new().expected_area(atlas.outline().clone());
            options.datum = args.datum;
            let carriers = read_carriers(io::BufReader::new(common::open(&path)?), &options)
                .map_err(|e| common::at(&path, e, "--datum"))?;
            let _ = report::write_rejections(io::stderr(), &carriers);
            let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
            match args.as_of {
                Some(date) => Tally::open_on(&placed, date),
                None => Tally::new(&placed),
            }
        }
        _ => Tally::empty(atlas),
    };
    let mut split = DistrictSplit::new(&districts, args.weights.weighting(&tally));
    for (code, value) in &args.min {
        split = split.min(district(code)?, *value);
    }
    for (code, value) in &args.cap {
        split = split.cap(district(code)?, *value);
    }

    let shares = split
        .apportion(atlas, args.target)
        .map_err(|e| format!("cannot split {}: {e}", args.target))?;
    let _ = report::write_shares_table(io::stdout().lock(), &shares, &split, atlas);
    if let Some(path) = &args.json {
        common::write_file(path, "shares", |out| common::pretty_json(out, &shares))?;
    }
    Ok(())
}
