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

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::sites::write_candidates;
use carrier_quota::synthetic::{self, Synthetic};
use carrier_quota::{write_carriers, Atlas};
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
    /// Output GeoJSON file.
    #[arg(long)]
    out: PathBuf,
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
                write_carriers(&mut out, &spec.generate(atlas), Some(&description))?;
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
