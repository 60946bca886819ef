//! Writes deterministic synthetic carriers inside Chongqing, in GCJ-02.
//!
//! ```text
//! cargo run --release --example gen_carriers -- --count 1000000 --seed 1 --out carriers.geojson
//! ```
//!
//! With `--lean`, only the properties a bare registry export has. With
//! `--candidates`, candidate sites for `plan_sites` instead of carriers:
//!
//! ```text
//! cargo run --release --example gen_carriers -- --candidates --count 36 --seed 2026 --out candidates.geojson
//! ```
//!
//! A `--out` file ending in `.parquet` is written as GeoParquet (WKB, or
//! with `--native-points` GeoArrow points), with the feature `parquet`:
//!
//! ```text
//! cargo run --release --features parquet --example gen_carriers -- --count 1000000 --out carriers.parquet
//! ```
//!
//! One ending in `.csv` is written as a CSV table (points only).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::sites::write_candidates;
use carrier_quota::synthetic::{self, Synthetic};
use carrier_quota::{write_carriers, write_carriers_csv, Atlas};
use clap::Parser;

/// Write deterministic synthetic carriers (not real data) inside Chongqing.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Number of carriers.
    #[arg(long)]
    count: usize,
    /// Random seed: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of carriers given a building footprint instead of a point, 0 to 1.
    #[arg(long, default_value_t = 0.0)]
    footprints: f64,
    /// Write only id, kind, floor area, enterprises and opening date, and
    /// point coordinates to 6 decimals (0.1 m): about 210 bytes per point
    /// feature, like a bare registry export, instead of about 300.
    #[arg(long)]
    lean: bool,
    /// Write candidate sites (id, floor_area_m2, cost, opened, overlay)
    /// instead of carriers.
    #[arg(long, conflicts_with_all = ["lean", "footprints"])]
    candidates: bool,
    /// Write a GeoParquet file's points in GeoArrow's native encoding
    /// instead of WKB.
    #[arg(long)]
    native_points: bool,
    /// Output file: GeoJSON, GeoParquet when it ends in `.parquet`, or a CSV
    /// table (points only, GCJ-02; read it with --datum gcj02) when it ends
    /// in `.csv`.
    #[arg(long)]
    out: PathBuf,
}

/// Writes carriers as GeoParquet.
#[cfg(feature = "parquet")]
fn write_parquet(
    out: impl Write + Send,
    carriers: &carrier_quota::Carriers,
    native_points: bool,
) -> std::io::Result<()> {
    let encoding = if native_points {
        carrier_quota::GeometryEncoding::Point
    } else {
        carrier_quota::GeometryEncoding::Wkb
    };
    carrier_quota::write_carriers_parquet(out, carriers, encoding)
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(
    _: impl Write + Send,
    _: &carrier_quota::Carriers,
    _: bool,
) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "Parquet output needs the feature: cargo run --features parquet --example gen_carriers",
    ))
}

fn main() -> ExitCode {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.footprints) {
        eprintln!(
            "error: --footprints must be in [0, 1], found {}",
            args.footprints
        );
        return ExitCode::FAILURE;
    }
    let atlas = Atlas::chongqing();
    let written = File::create(&args.out)
        .map(BufWriter::new)
        .and_then(|mut out| {
            if args.candidates {
                let sites = synthetic::candidates(atlas, args.count, args.seed);
                write_candidates(&mut out, &sites)?;
            } else {
                let mut spec = Synthetic::new(args.count, args.seed).footprints(args.footprints);
                if args.lean {
                    spec = spec.lean();
                }
                let description = format!(
                    "Synthetic carriers made by carrier-quota's gen_carriers (count {}, seed {}): \
                     not real records.",
                    args.count, args.seed
                );
                let carriers = spec.generate(atlas);
                let extension = args.out.extension().and_then(|e| e.to_str());
                if extension == Some("parquet") {
                    write_parquet(&mut out, &carriers, args.native_points)?;
                } else if extension == Some("csv") {
                    write_carriers_csv(&mut out, &carriers)?;
                } else {
                    write_carriers(&mut out, &carriers, Some(&description))?;
                }
            }
            out.flush()
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
