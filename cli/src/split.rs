//! `carrier-quota split`: a whole-number target split among districts by
//! weight, with minimums and caps.

use std::path::PathBuf;

use carrier_quota::place::FootprintRule;
use carrier_quota::quota::{DistrictSplit, SplitBy};
use carrier_quota::{report, Atlas, Date, DistrictId, Tally};
use clap::ArgGroup;

use crate::inputs::{parse_split, CarrierFlags, Source};
use crate::output::{show_notes, show_rejections, Failure, Outcome, ResultFlags};
use crate::Context;

/// Split a whole-number target among districts by weight.
///
/// Weights: area (land area), floor_area (the floor area of the carriers
/// in --carriers, open on --as-of when given), equal, or a CSV file with
/// code and weight columns, or a JSON file {"CODE": WEIGHT, ...} or
/// [{"code": ..., "weight": ...}, ...]. Codes may also be district names.
#[derive(clap::Args)]
#[command(
    group(ArgGroup::new("where").required(true).args(["zone", "districts"])),
    after_help = "\
Examples:
  carrier-quota split --target 350000 --zone northeast,southeast --weights area
  carrier-quota split --target 90 --zone southeast --weights area --json w.json
  carrier-quota split --target 100 --zone southeast --weights w.json --min 黔江=20
  carrier-quota split --target 90 --districts 渝中区,江北区 --weights floor_area")]
pub struct Args {
    /// The whole number to split (m², carriers, ...).
    #[arg(long)]
    target: u64,
    /// Split among the districts of these zones (codes or names,
    /// comma-separated).
    #[arg(long, value_delimiter = ',')]
    zone: Vec<String>,
    /// Split among these districts (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    districts: Vec<String>,
    /// area, floor_area, equal, or a CSV/JSON file of district weights.
    #[arg(long, value_parser = parse_split)]
    weights: SplitBy,
    /// A district's least share, CODE=N; repeat for more.
    #[arg(long, value_parser = parse_bound, value_name = "CODE=N")]
    min: Vec<(String, u64)>,
    /// A district's largest share, CODE=N; repeat for more.
    #[arg(long, value_parser = parse_bound, value_name = "CODE=N")]
    cap: Vec<(String, u64)>,
    /// Carriers for floor_area weights, in any format; `-` reads stdin
    /// [default: the bundled synthetic sample].
    #[arg(long, value_name = "FILE")]
    carriers: Option<PathBuf>,
    #[command(flatten)]
    reading: CarrierFlags,
    /// For floor_area weights: count the carriers open on this date
    /// (YYYY-MM-DD) [default: every carrier in the file].
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    #[command(flatten)]
    result: ResultFlags,
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

pub fn run(args: Args, context: &Context) -> Result<Outcome, Failure> {
    args.result.check_names()?;
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
            let options = args.reading.options(atlas)?;
            let source = Source::of(args.carriers.as_deref());
            let carriers = source.read(&options, context.quiet)?;
            show_rejections(&carriers, context.quiet);
            let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
            show_notes(&placed, context.quiet);
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
    args.result.write("shares", context.quiet, &shares, |out| {
        report::write_shares_table(out, &shares, &split, atlas)
    })?;
    Ok(Outcome::Done)
}
