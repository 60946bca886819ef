//! Checks carriers against a quota plan on a date, prints the report and
//! draws a map.
//!
//! ```text
//! cargo run --release --example quota_report
//! cargo run --release --example quota_report -- --carriers carriers.geojson --as-of 2023-12-31 --format json
//! cargo run --release --example quota_report -- --split area
//! cargo run --release --example quota_report -- --carriers data/sample/registry.csv \
//!     --datum gcj02 --history --chart progress.svg
//! ```
//!
//! Without arguments: the embedded Chongqing atlas, the built-in 2021–2025
//! plan and the bundled synthetic sample, checked at the plan's deadline;
//! the map is written to `carrier-quota-map.svg`.

#[path = "common/mod.rs"]
mod common;

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
    /// The measure the map shades districts by: floor-area, carriers,
    /// enterprises or tech-enterprises.
    #[arg(long, default_value = "floor-area")]
    map_measure: Measure,
    /// Check every target at each year end from the plan's start to the
    /// as-of date, and report that (as a table, CSV or JSON) instead.
    #[arg(long)]
    history: bool,
    /// With --history: also draw one small chart per target to this SVG
    /// file.
    #[arg(long, requires = "history")]
    chart: Option<PathBuf>,
    /// Exit with status 2 when any feature was rejected.
    #[arg(long)]
    strict: bool,
    /// Read points whose longitude and latitude are swapped (they lie in the
    /// atlas only when swapped back) swapped back, instead of rejecting them.
    #[arg(long)]
    fix_swapped: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Geojson,
}

fn main() -> ExitCode {
    common::exit(run(Args::parse()))
}

fn run(args: Args) -> Result<ExitCode, String> {
    let atlas = Atlas::chongqing();
    let (check, carriers) = args.inputs.read(atlas, args.fix_swapped)?;
    let path = args
        .inputs
        .carriers
        .clone()
        .unwrap_or_else(common::sample_carriers);
    let sample = match args.inputs.carriers {
        None => " (synthetic sample, not real records)",
        Some(_) => "",
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let note = format!("{name} · {} carriers{sample}", carriers.len());
    let placed = atlas.place(carriers, args.inputs.footprints);
    let checked = check.run(placed).map_err(|e| e.to_string())?;

    let mut out = BufWriter::new(io::stdout().lock());
    if args.history {
        return history(&args, &checked, out);
    }
    let written = match args.format {
        Format::Table => report::write_table(&mut out, &checked),
        Format::Json => report::write_json(&mut out, &checked.report),
        Format::Csv => report::write_csv(&mut out, &checked.report),
        Format::Geojson => report::write_geojson(&mut out, &checked),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;

    let mut options = MapOptions::new()
        .as_of(checked.as_of)
        .measure(args.map_measure)
        .note(note);
    if args.inputs.split.is_some() {
        options = options.district_status(checked.report.district_statuses(atlas));
    }
    common::write_file(&args.map, "map", |out| {
        report::write_svg(out, &checked.placed, &options)
    })?;

    finish(&args, &checked)
}

/// `--history`: the plan checked at each year end, and its chart.
fn history(
    args: &Args,
    checked: &carrier_quota::CheckedPlan,
    mut out: impl Write,
) -> Result<ExitCode, String> {
    let history = checked.history().map_err(|e| e.to_string())?;
    let written = match args.format {
        Format::Table => report::write_history_table(&mut out, &history),
        Format::Json => report::write_history_json(&mut out, &history),
        Format::Csv => report::write_history_csv(&mut out, &history),
        Format::Geojson => return Err("--history writes a table, CSV or JSON".into()),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    if let Some(path) = &args.chart {
        common::write_file(path, "chart", |out| {
            report::write_history_svg(out, &history)
        })?;
    }
    finish(args, checked)
}

/// The rejections on stderr, and the exit status.
fn finish(args: &Args, checked: &carrier_quota::CheckedPlan) -> Result<ExitCode, String> {
    let carriers = checked.placed.carriers();
    let _ = report::write_rejections(io::stderr(), carriers);
    if args.strict && !carriers.rejections().is_empty() {
        eprintln!("exit status 2: features were rejected (--strict)");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
