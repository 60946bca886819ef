//! Writes a deterministic synthetic region set the size of China's
//! counties: a jittered 60 × 50 grid of cells over 73°–135° E, 18°–53° N
//! whose shared borders carry long, detailed lines (about four million
//! vertices), with six-digit codes whose first two digits name a province.
//!
//! ```text
//! cargo run --release --example gen_regions -- --out regions.geojson
//! cargo run --release --example assign -- data/sample/carriers.geojson --regions regions.geojson --parent-prefix 2
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::synthetic::SyntheticRegions;
use clap::Parser;

mod common;

/// Write a deterministic synthetic region set (not real data).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Cells across.
    #[arg(long, default_value_t = 60)]
    columns: usize,
    /// Cells down.
    #[arg(long, default_value_t = 50)]
    rows: usize,
    /// Vertices of each border between two grid nodes, besides its ends.
    #[arg(long, default_value_t = 330)]
    border_vertices: usize,
    /// Random seed: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output GeoJSON file.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let regions = SyntheticRegions::new(args.columns, args.rows, args.seed)
        .border_vertices(args.border_vertices);
    let written = common::write_file(&args.out, "regions", |out| {
        out.write_all(regions.geojson().as_bytes())
    });
    common::exit(written.map(|()| ExitCode::SUCCESS))
}
