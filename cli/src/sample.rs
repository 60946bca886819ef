//! `carrier-quota sample`: deterministic synthetic carriers, candidate
//! sites and region sets, for trying the other subcommands and measuring
//! them. None of it is real data, and the carrier files say so.

use std::path::{Path, PathBuf};

use carrier_quota::sites::write_candidates;
use carrier_quota::synthetic::{self, Synthetic, SyntheticRegions};
use carrier_quota::{Atlas, CarrierFormat, Carriers};
use clap::{Subcommand, ValueEnum};

use crate::output::{check_name, has_extension, write_output, Failure, Out, Outcome};
use crate::Context;

/// Write synthetic carriers, candidate sites or regions (not real data).
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  carrier-quota sample carriers --count 100000 --seed 1 --out carriers.parquet
  carrier-quota sample carriers --count 10000 --lean --out carriers.geojson
  carrier-quota sample candidates --count 36 --seed 2026 --out sites.geojson
  carrier-quota sample regions --columns 12 --rows 10 --out regions.geojson")]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Carriers inside Chongqing, in GCJ-02.
    Carriers(CarrierArgs),
    /// Candidate sites for `sites` (id, floor_area_m2, cost, opened,
    /// overlay), as GeoJSON.
    Candidates {
        /// Number of sites.
        #[arg(long)]
        count: usize,
        /// Random seed: the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file [default: stdout].
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A region set the size of China's counties: a jittered grid of cells
    /// over 73°–135° E, 18°–53° N whose shared borders carry long, detailed
    /// lines, with six-digit codes whose first two digits name a province.
    Regions {
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
        /// Output file (GeoJSON) [default: stdout].
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct CarrierArgs {
    /// Number of carriers.
    #[arg(long)]
    count: usize,
    /// Random seed: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of carriers given a building footprint instead of a point,
    /// 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = parse_share)]
    footprints: f64,
    /// Write only id, kind, floor area, enterprises and opening date, and
    /// point coordinates to 6 decimals (0.1 m), like a bare registry
    /// export.
    #[arg(long)]
    lean: bool,
    /// The file format [default: by the --out file's name, else geojson].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write a GeoParquet file's points in GeoArrow's native encoding
    /// instead of WKB.
    #[arg(long)]
    native_points: bool,
    /// Output file [default: stdout].
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Geojson,
    /// A table of points (read it with --datum gcj02).
    Csv,
    /// GeoParquet.
    Parquet,
}

impl Format {
    fn of(path: Option<&Path>) -> Format {
        match path {
            Some(p) if has_extension(p, "parquet") => Format::Parquet,
            Some(p) if has_extension(p, "csv") => Format::Csv,
            _ => Format::Geojson,
        }
    }
}

fn parse_share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        _ => Err(format!("{text:?} is not a share from 0 to 1")),
    }
}

pub fn run(args: Args, context: &Context) -> Result<Outcome, Failure> {
    let atlas = Atlas::chongqing();
    match args.what {
        What::Carriers(args) => {
            let (extensions, what) = match args.format.unwrap_or(Format::of(args.out.as_deref())) {
                Format::Geojson => (&["geojson", "json"][..], "GeoJSON"),
                Format::Csv => (&["csv"][..], "CSV"),
                Format::Parquet => (&["parquet"][..], "GeoParquet"),
            };
            check_name(args.out.as_deref(), what, extensions)?;
            let mut spec = Synthetic::new(args.count, args.seed).footprints(args.footprints);
            if args.lean {
                spec = spec.lean();
            }
            let carriers = spec.generate(atlas);
            let format = args.format.unwrap_or(Format::of(args.out.as_deref()));
            let description = format!(
                "Synthetic carriers made by `carrier-quota sample carriers` (count {}, seed {}): \
                 not real records.",
                args.count, args.seed
            );
            write_output(args.out.as_deref(), "carriers", context.quiet, |out| {
                write(out, &carriers, format, args.native_points, &description)
            })?;
        }
        What::Candidates { count, seed, out } => {
            check_name(out.as_deref(), "GeoJSON", &["geojson", "json"])?;
            let sites = synthetic::candidates(atlas, count, seed);
            write_output(out.as_deref(), "candidate sites", context.quiet, |out| {
                write_candidates(out, &sites)
            })?;
        }
        What::Regions {
            columns,
            rows,
            border_vertices,
            seed,
            out,
        } => {
            check_name(out.as_deref(), "GeoJSON", &["geojson", "json"])?;
            let regions =
                SyntheticRegions::new(columns, rows, seed).border_vertices(border_vertices);
            write_output(out.as_deref(), "regions", context.quiet, |out| {
                out.write_all(regions.geojson().as_bytes())
            })?;
        }
    }
    Ok(Outcome::Done)
}

fn write(
    out: &mut Out,
    carriers: &Carriers,
    format: Format,
    native_points: bool,
    description: &str,
) -> std::io::Result<()> {
    let format = match format {
        Format::Geojson => CarrierFormat::GeoJson,
        Format::Csv => CarrierFormat::Csv,
        #[cfg(feature = "parquet")]
        Format::Parquet if native_points => {
            use carrier_quota::write::{write_carriers_parquet, GeometryEncoding};
            return write_carriers_parquet(out, carriers, GeometryEncoding::Point);
        }
        Format::Parquet => CarrierFormat::Parquet,
    };
    // Only GeoParquet has a native point encoding.
    let _ = native_points;
    format.write_carriers(out, carriers, Some(description))
}
