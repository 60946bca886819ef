//! Assigns carriers to districts and tallies them by district, zone and city.
//!
//! ```text
//! cargo run --release --example assign -- data/sample/carriers.geojson
//! cargo run --release --example assign -- carriers.geojson --datum wgs84 --json out.json
//! cargo run --release --example assign -- carriers.geojson \
//!     --regions regions.geojson --code-property code --regions-datum wgs84
//! cargo run --release --features parquet --example assign -- carriers.parquet \
//!     --out placed.parquet
//! cargo run --release --example assign -- data/sample/registry.csv --datum gcj02
//! ```

#[path = "common/mod.rs"]
mod common;

use std::fs::File;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use carrier_quota::report;
use carrier_quota::{Atlas, Datum, FootprintRule, ReadOptions, Tally};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};

/// Assign carriers to districts and tally them by district, zone and city.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Carriers: a GeoJSON FeatureCollection, a CSV or Excel table, or
    /// (Geo)Parquet, told by the name or the content.
    carriers: PathBuf,
    /// Datum of the carrier file, when it does not declare one.
    #[arg(long)]
    datum: Option<Datum>,
    #[command(flatten)]
    columns: common::ColumnFlags,
    #[command(flatten)]
    regions: common::RegionFlags,
    /// How footprint carriers are assigned: surface-point or split.
    #[arg(long, default_value = "surface-point")]
    footprints: FootprintRule,
    /// Write assignments and tallies as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write every carrier with its district and zone to this GeoParquet
    /// file (its name must end in .parquet).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Exit with status 2 when any feature was rejected (the output is
    /// still written).
    #[arg(long)]
    strict: bool,
    /// Read points whose longitude and latitude are swapped (they lie in the
    /// atlas only when swapped back) swapped back, instead of rejecting them.
    #[arg(long)]
    fix_swapped: bool,
    /// Tally a Parquet file batch by batch without holding its carriers
    /// (memory does not grow with the rows; duplicate ids are not looked
    /// for): prints the tally and the rejections only.
    #[arg(long, conflicts_with_all = ["json", "out"])]
    stream: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Print `timing <phase> <seconds>` per phase (atlas, parse, place,
    /// tally) and `peak_memory_mb <n>` to stderr.
    #[arg(long)]
    timings: bool,
}

fn main() -> ExitCode {
    common::exit(run(Args::parse()))
}

fn run(args: Args) -> Result<ExitCode, String> {
    let mut clock = Instant::now();
    let mut phase = |name: &str| {
        if args.timings {
            eprintln!("timing {name} {:.3}", clock.elapsed().as_secs_f64());
        }
        clock = Instant::now();
    };
    let loaded;
    let atlas = match args.regions.read()? {
        None => Atlas::chongqing(),
        Some(regions) => {
            loaded = regions;
            &loaded
        }
    };
    phase("atlas");
    let bar = progress_bar(&args.carriers, args.quiet);
    let mut options = args.columns.options(atlas)?.fix_swapped(args.fix_swapped);
    options.datum = args.datum;
    if let Some(out) = &args.out {
        if !common::is_parquet(out) {
            return Err(format!(
                "{}: --out writes GeoParquet: name the file *.parquet",
                out.display()
            ));
        }
    }
    if args.stream {
        return stream(&args, atlas, &options, phase);
    }
    let open = || {
        let file = File::open(&args.carriers)?;
        bar.set_position(0);
        Ok(bar.wrap_read(file))
    };
    let carriers = common::read_carrier_file(&args.carriers, &options, open)?;
    bar.finish_and_clear();
    phase("parse");
    let placed = atlas.place(carriers, args.footprints);
    phase("place");
    let tally = Tally::new(&placed);
    phase("tally");
    peak_memory(args.timings);

    match &args.json {
        Some(path) => common::write_file(path, "assignments", |out| {
            report::write_assignment_json(out, &placed, &tally)
        })?,
        None => report::write_assignment_table(io::stdout().lock(), &placed, &tally)
            .map_err(|e| format!("stdout: {e}"))?,
    }
    if let Some(path) = &args.out {
        common::write_file(path, "placed carriers", |out| write_placed(out, &placed))?;
    }
    let carriers = placed.carriers();
    if args.strict && !carriers.rejections().is_empty() {
        let (rejected, read) = (carriers.rejections().len(), carriers.features_read());
        eprintln!("{rejected} of {read} features rejected (--strict)");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// `--stream`: the tally of a Parquet file, read batch by batch.
#[cfg(feature = "parquet")]
fn stream(
    args: &Args,
    atlas: &Atlas,
    options: &ReadOptions,
    mut phase: impl FnMut(&str),
) -> Result<ExitCode, String> {
    if !common::is_parquet(&args.carriers) {
        return Err(format!(
            "{}: --stream reads Parquet files",
            args.carriers.display()
        ));
    }
    let file = common::open(&args.carriers)?;
    let streamed = carrier_quota::tally_parquet(file, options, atlas, args.footprints)
        .map_err(|e| common::at(&args.carriers, e, "--datum"))?;
    phase("stream");
    peak_memory(args.timings);
    let mut out = io::stdout().lock();
    report::write_tally(
        &mut out,
        atlas,
        &streamed.tally,
        report::TallyRows::Districts,
    )
    .map_err(|e| format!("stdout: {e}"))?;
    report::write_streamed_mismatches(&mut out, atlas, &streamed)
        .map_err(|e| format!("stdout: {e}"))?;
    for r in &streamed.rejections {
        eprintln!("rejected: {r}");
    }
    let left_out = streamed.rejected - streamed.rejections.len();
    if left_out > 0 {
        eprintln!("… and {left_out} more rejections");
    }
    eprintln!(
        "{} of {} rows rejected",
        streamed.rejected, streamed.rows_read
    );
    if args.strict && streamed.rejected > 0 {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "parquet"))]
fn stream(_: &Args, _: &Atlas, _: &ReadOptions, _: impl FnMut(&str)) -> Result<ExitCode, String> {
    Err(
        "--stream needs the feature: cargo run --release --features parquet --example assign"
            .into(),
    )
}

/// Prints the peak resident set, as Linux reports it, when `timings`.
fn peak_memory(timings: bool) {
    if timings {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:"));
        let kb = peak.and_then(|kb| kb.trim().trim_end_matches(" kB").parse::<u64>().ok());
        let mb = kb.map_or("unknown".to_string(), |kb| (kb / 1024).to_string());
        eprintln!("peak_memory_mb {mb}");
    }
}

#[cfg(feature = "parquet")]
fn write_placed(out: impl io::Write + Send, placed: &carrier_quota::Placed) -> io::Result<()> {
    carrier_quota::write_placed_parquet(out, placed)
}

#[cfg(not(feature = "parquet"))]
fn write_placed(_: impl io::Write + Send, _: &carrier_quota::Placed) -> io::Result<()> {
    Err(io::Error::other(
        "writing GeoParquet needs the feature: cargo run --release --features parquet --example assign",
    ))
}

/// A byte progress bar for reading `path`, drawn on stderr only when it is a
/// terminal and `quiet` is off.
fn progress_bar(path: &Path, quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(std::fs::metadata(path).map_or(0, |m| m.len()));
    let style = ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})");
    bar.set_style(style.expect("valid template").progress_chars("=> "));
    bar.set_message(format!("reading {}", path.display()));
    bar
}
