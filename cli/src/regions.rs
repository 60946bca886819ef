//! `carrier-quota regions`: a region file loaded as an atlas and
//! validated: its counts, gaps, overlaps and the time it took. An invalid
//! polygon stops the load, named with its feature and code.

use std::path::PathBuf;
use std::time::Instant;

use carrier_quota::atlas::CoverageIssue;
use carrier_quota::{Atlas, Datum};
use serde::Serialize;

use crate::inputs::{read_region_file, RegionProperties};
use crate::output::{pretty_json, write_output, Failure, Out, Outcome, TableOrJson};
use crate::Context;

/// Load and validate a region file (GeoJSON polygons with a code each).
///
/// Prints how many regions, zones and vertices it has, its gaps and
/// overlaps, and how long it took to load. A region that is not a valid
/// polygon stops the load with an error naming it.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  carrier-quota sample regions --columns 12 --rows 10 --out regions.geojson
  carrier-quota regions regions.geojson --code-property code --parent-prefix 2
  carrier-quota regions regions.geojson --code-property code --format json")]
pub struct Args {
    /// The region file: a GeoJSON FeatureCollection of Polygons and
    /// MultiPolygons.
    file: PathBuf,
    #[command(flatten)]
    properties: RegionProperties,
    /// Datum of the region file, when it has no top-level "datum" member.
    #[arg(long)]
    datum: Option<Datum>,
    /// The summary's format.
    #[arg(long, value_enum, default_value = "table")]
    format: TableOrJson,
    /// Exit with status 2 when the regions leave gaps or overlap.
    #[arg(long)]
    strict: bool,
}

/// What `regions` reports, as its JSON.
#[derive(Serialize)]
struct Summary {
    file: String,
    datum: Datum,
    regions: usize,
    zones: usize,
    vertices: usize,
    seconds: f64,
    gaps: usize,
    overlaps: usize,
    issues: Vec<CoverageIssue>,
}

impl Summary {
    fn of(args: &Args, atlas: &Atlas, issues: Vec<CoverageIssue>, seconds: f64) -> Summary {
        let rings = atlas
            .districts()
            .iter()
            .flat_map(|d| &d.shape.0)
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
        let gaps = (issues.iter())
            .filter(|i| matches!(i, CoverageIssue::Gap { .. }))
            .count();
        Summary {
            file: args.file.display().to_string(),
            datum: atlas.datum(),
            regions: atlas.districts().len(),
            zones: atlas.zones().len(),
            vertices: rings.map(|r| r.0.len()).sum(),
            seconds,
            gaps,
            overlaps: issues.len() - gaps,
            issues,
        }
    }

    fn write_table(&self, out: &mut Out) -> std::io::Result<()> {
        writeln!(out, "{}", self.file)?;
        writeln!(out, "  regions   {:>12}", grouped(self.regions))?;
        writeln!(out, "  zones     {:>12}", grouped(self.zones))?;
        writeln!(out, "  vertices  {:>12}", grouped(self.vertices))?;
        writeln!(out, "  datum     {:>12}", self.datum.to_string())?;
        writeln!(out, "  loaded in {:>10.2} s", self.seconds)?;
        writeln!(out, "  gaps      {:>12}", self.gaps)?;
        writeln!(out, "  overlaps  {:>12}", self.overlaps)?;
        for issue in &self.issues {
            writeln!(out, "{issue}")?;
        }
        Ok(())
    }
}

/// `n` with its thousands grouped by commas, as the other tables show them.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut text = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

pub fn run(args: Args, context: &Context) -> Result<Outcome, Failure> {
    let options = args.properties.options(args.datum)?;
    let clock = Instant::now();
    let (atlas, issues) = read_region_file(&args.file, &options, "--datum")?;
    let summary = Summary::of(&args, &atlas, issues, clock.elapsed().as_secs_f64());
    write_output(None, "summary", context.quiet, |out| match args.format {
        TableOrJson::Table => summary.write_table(out),
        TableOrJson::Json => pretty_json(out, &summary),
    })?;
    if args.strict && !summary.issues.is_empty() {
        return Ok(Outcome::Rejected);
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (73_646, "73,646"),
            (4_182_257, "4,182,257"),
        ];
        for (n, text) in cases {
            assert_eq!(super::grouped(n), text);
        }
    }
}
