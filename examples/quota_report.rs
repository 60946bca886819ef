//! Checks carriers against a quota plan on a date, prints the report and
//! draws a map.
//!
//! ```text
//! cargo run --release --example quota_report
//! cargo run --release --example quota_report -- --carriers carriers.geojson --as-of 2023-12-31 --format json
//! cargo run --release --example quota_report -- --split area
//! ```
//!
//! Without arguments: the embedded Chongqing atlas, the built-in 2021–2025
//! plan and the bundled synthetic sample, checked at the plan's deadline;
//! the map is written to `carrier-quota-map.svg`.

#[path = "common/mod.rs"]
mod common;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use carrier_quota::apportion::Weighting;
use carrier_quota::report::{self, MapOptions};
use carrier_quota::{check, Atlas, Date, Datum, Measure, QuotaPlan, Tally};
use clap::{Parser, ValueEnum};

/// Check incubation carriers against a quota plan on a date.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// GeoJSON carriers [default: the bundled synthetic sample].
    #[arg(long)]
    carriers: Option<PathBuf>,
    /// Datum of the carrier file, when it has no top-level "datum" member.
    #[arg(long, value_parser = common::parse_datum)]
    datum: Option<Datum>,
    /// Plan file, JSON or TOML (by extension) [default: the built-in 2021–2025 plan].
    #[arg(long)]
    plan: Option<PathBuf>,
    /// GeoJSON overlay areas (dual-core areas, university ecosystems).
    #[arg(long)]
    overlays: Option<PathBuf>,
    /// Datum of the overlays file, when it has no top-level "datum" member.
    #[arg(long, requires = "overlays", value_parser = common::parse_datum)]
    overlays_datum: Option<Datum>,
    /// Split each zone target among its districts by these weights (area,
    /// floor_area, equal, or a CSV/JSON table of code and weight), check the
    /// district targets too, and colour the map by their status.
    #[arg(long, value_parser = common::parse_weights)]
    split: Option<common::WeightSource>,
    /// The date to check, YYYY-MM-DD [default: the plan's last deadline].
    #[arg(long)]
    as_of: Option<Date>,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Where to write the SVG map.
    #[arg(long, default_value = "carrier-quota-map.svg")]
    map: PathBuf,
    /// The measure the map shades districts by.
    #[arg(long, value_enum, default_value = "floor-area")]
    map_measure: MapMeasure,
    /// How footprint carriers are assigned.
    #[arg(long, value_enum, default_value = "surface-point")]
    footprints: common::Footprints,
    /// Exit with status 2 when any feature was rejected.
    #[arg(long)]
    strict: bool,
    /// Read points whose longitude and latitude are swapped (they lie in the
    /// atlas only when swapped back) swapped back, instead of rejecting them.
    #[arg(long)]
    fix_swapped: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Geojson,
}

#[derive(Clone, Copy, ValueEnum)]
enum MapMeasure {
    FloorArea,
    Carriers,
    Enterprises,
    TechEnterprises,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(message) => common::fail(message),
    }
}

fn run(args: Args) -> Result<ExitCode, String> {
    let atlas = Atlas::chongqing();
    let plan = match &args.plan {
        Some(path) => common::load_plan(path)?,
        None => QuotaPlan::chongqing_2021_2025(),
    };
    let overlays = match &args.overlays {
        Some(path) => Some(common::load_overlays(path, args.overlays_datum, &atlas)?),
        None => None,
    };
    let path = args
        .carriers
        .clone()
        .unwrap_or_else(common::sample_carriers);
    let read = common::load_carriers(&path, args.datum, args.fix_swapped, args.quiet, &atlas)?;
    let as_of = args
        .as_of
        .or_else(|| plan.targets.iter().map(|t| t.deadline).max())
        .unwrap_or(plan.start);
    let assignment = atlas.assign(&read.carriers, args.footprints.rule());
    let tally = Tally::open_on(&atlas, &read.carriers, &assignment, as_of);
    let plan_name = args
        .plan
        .as_deref()
        .unwrap_or(Path::new("built-in plan"))
        .display()
        .to_string();
    let plan = match &args.split {
        Some(source) => {
            let table = match source {
                common::WeightSource::File(path) => Some(common::load_weight_table(path)?),
                _ => None,
            };
            let weighting = match (source, &table) {
                (common::WeightSource::Area, _) => Weighting::LandArea,
                (common::WeightSource::FloorArea, _) => Weighting::FloorArea(&tally),
                (common::WeightSource::Equal, _) => Weighting::Equal,
                (common::WeightSource::File(_), table) => {
                    Weighting::Table(table.as_ref().expect("loaded above"))
                }
            };
            plan.split_zone_targets(&atlas, &weighting)
                .map_err(|e| format!("{plan_name}: {e}"))?
        }
        None => plan,
    };
    let report = check(
        &plan,
        &atlas,
        &read.carriers,
        &assignment,
        overlays.as_ref(),
        as_of,
    )
    .map_err(|e| format!("{plan_name}: {e}"))?;

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Table => report::write_table(&mut out, &report, &atlas, &tally),
        Format::Json => report::write_json(&mut out, &report),
        Format::Csv => report::write_csv(&mut out, &report),
        Format::Geojson => report::write_geojson(&mut out, &atlas, &tally, &plan, &report),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;

    let options = MapOptions {
        measure: match args.map_measure {
            MapMeasure::FloorArea => Measure::FloorArea,
            MapMeasure::Carriers => Measure::Carriers,
            MapMeasure::Enterprises => Measure::Enterprises,
            MapMeasure::TechEnterprises => Measure::TechEnterprises,
        },
        note: Some(format!(
            "{} · {} carriers{}",
            path.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
            read.carriers.len(),
            if args.carriers.is_none() {
                " (synthetic sample, not real records)"
            } else {
                ""
            }
        )),
        district_status: args
            .split
            .is_some()
            .then(|| report.district_statuses(&atlas)),
        ..MapOptions::default()
    };
    File::create(&args.map)
        .map(BufWriter::new)
        .and_then(|mut file| {
            report::write_svg(&mut file, &atlas, &tally, &read.carriers, as_of, &options)?;
            file.flush()
        })
        .map_err(|e| format!("{}: {e}", args.map.display()))?;
    eprintln!("map written to {}", args.map.display());

    if common::print_rejections(&read, args.strict) && args.strict {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
