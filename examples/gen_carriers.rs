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

#[path = "common/mod.rs"]
mod common;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::synthetic::Synthetic;
use carrier_quota::{write_carriers, Atlas, Location};
use clap::Parser;
use geo::Point;

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
        return common::fail(format!(
            "--footprints must be in [0, 1], found {}",
            args.footprints
        ));
    }
    let atlas = Atlas::chongqing();
    if args.candidates {
        let sites = carrier_quota::synthetic::candidates(&atlas, args.count, args.seed);
        return match File::create(&args.out)
            .map(BufWriter::new)
            .and_then(|mut out| {
                sites.write_geojson(&mut out)?;
                out.flush()
            }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => common::fail(format!("{}: {e}", args.out.display())),
        };
    }
    let mut carriers = Synthetic {
        count: args.count,
        seed: args.seed,
        footprint_share: args.footprints,
    }
    .generate(&atlas);
    if args.lean {
        for c in &mut carriers {
            (c.name, c.category, c.level, c.overlay) = (None, None, None, None);
            if let Location::Point(p) = &mut c.location {
                let round = |v: f64| (v * 1e6).round() / 1e6;
                *p = Point::new(round(p.x()), round(p.y()));
            }
        }
    }
    let written = File::create(&args.out)
        .map(BufWriter::new)
        .and_then(|mut out| {
            let description = format!(
                "Synthetic carriers made by carrier-quota's gen_carriers (count {}, seed {}): \
                 not real records.",
                args.count, args.seed
            );
            write_carriers(&mut out, &carriers, atlas.datum(), Some(&description))?;
            out.flush()
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => common::fail(format!("{}: {e}", args.out.display())),
    }
}
