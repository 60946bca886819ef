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

use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::apportion::{apportion_districts, DistrictBounds, DistrictShare, Weighting};
use carrier_quota::report::{table, thousands, Align};
use carrier_quota::{Atlas, Date, Datum, DistrictId, FootprintRule, Tally};
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
    #[arg(long, value_parser = common::parse_weights)]
    weights: common::WeightSource,
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
    #[arg(long, value_parser = common::parse_datum)]
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
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => common::fail(message),
    }
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
    let mut bounds = DistrictBounds::default();
    for (code, value) in &args.min {
        bounds.min.insert(district(code)?, *value);
    }
    for (code, value) in &args.cap {
        bounds.cap.insert(district(code)?, *value);
    }

    let tally;
    let table_file;
    let weighting = match &args.weights {
        common::WeightSource::Area => Weighting::LandArea,
        common::WeightSource::Equal => Weighting::Equal,
        common::WeightSource::FloorArea => {
            let path = args
                .carriers
                .clone()
                .unwrap_or_else(common::sample_carriers);
            let read = common::load_carriers(&path, args.datum, false, true, &atlas)?;
            common::print_rejections(&read, false);
            let assignment = atlas.assign(&read.carriers, FootprintRule::SurfacePoint);
            tally = match args.as_of {
                Some(date) => Tally::open_on(&atlas, &read.carriers, &assignment, date),
                None => Tally::new(&atlas, &read.carriers, &assignment),
            };
            Weighting::FloorArea(&tally)
        }
        common::WeightSource::File(path) => {
            table_file = common::load_weight_table(path)?;
            Weighting::Table(&table_file)
        }
    };

    let shares = apportion_districts(&atlas, args.target, &districts, &weighting, &bounds)
        .map_err(|e| format!("cannot split {}: {e}", args.target))?;
    print(&shares, &bounds, &atlas);
    if let Some(path) = &args.json {
        common::write_json_file(path, &shares, "shares")?;
    }
    Ok(())
}

fn print(shares: &[DistrictShare], bounds: &DistrictBounds, atlas: &Atlas) {
    let total_weight: f64 = shares.iter().map(|s| s.weight).sum();
    let bound = |map: &std::collections::HashMap<DistrictId, u64>, s: &DistrictShare| {
        atlas
            .find_district(s.code.as_str())
            .and_then(|d| map.get(&d))
            .map_or(String::new(), |v| thousands(*v as f64, 0))
    };
    let mut rows: Vec<Option<Vec<String>>> = shares
        .iter()
        .map(|s| {
            Some(vec![
                s.code.to_string(),
                s.name.clone(),
                thousands(s.weight, 0),
                if total_weight > 0.0 {
                    format!("{:.2}%", 100.0 * s.weight / total_weight)
                } else {
                    "—".into()
                },
                bound(&bounds.min, s),
                bound(&bounds.cap, s),
                thousands(s.share as f64, 0),
            ])
        })
        .collect();
    rows.push(None);
    rows.push(Some(vec![
        "total".into(),
        String::new(),
        thousands(total_weight, 0),
        String::new(),
        String::new(),
        String::new(),
        thousands(shares.iter().map(|s| s.share as f64).sum(), 0),
    ]));
    use Align::{Left, Right};
    let mut out = std::io::stdout().lock();
    let _ = table(
        &mut out,
        &["code", "名称", "weight", "of weight", "min", "cap", "share"],
        &[Left, Left, Right, Right, Right, Right, Right],
        &rows,
    );
}
