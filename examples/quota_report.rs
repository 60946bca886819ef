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
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::report::{self, MapOptions};
use carrier_quota::{Atlas, Measure};
use clap::{Parser, ValueEnum};

/// Check incubation carriers against a quota plan on a date.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    inputs: common::PlanFlags,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Where to write the SVG map.
    #[arg(long, default_value = "carrier-quota-map.svg")]
    map: PathBuf,
    /// The measure the map shades districts by.
    #[arg(long, value_enum, default_value = "floor-area")]
    map_measure: MapMeasure,
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
    let inputs = args.inputs.load(&atlas, args.fix_swapped, args.quiet)?;
    let report = inputs.check(&atlas)?;
    let common::PlanInputs {
        plan,
        path,
        read,
        as_of,
        tally,
        ..
    } = inputs;

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
            if args.inputs.carriers.is_none() {
                " (synthetic sample, not real records)"
            } else {
                ""
            }
        )),
        district_status: args
            .inputs
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
