//! Chooses the candidate sites that close a plan's floor-area gaps at the
//! least total cost.
//!
//! ```text
//! cargo run --release --example plan_sites -- data/sample/candidates.geojson
//! cargo run --release --example plan_sites -- sites.geojson --carriers carriers.geojson \
//!     --plan plan.toml --as-of 2026-12-31 --json selection.json --map sites.svg
//! ```
//!
//! Without `--carriers`, the bundled synthetic sample; without `--plan`, the
//! built-in 2021–2025 plan; without `--as-of`, the plan's last deadline.

#[path = "common/mod.rs"]
mod common;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::report::{self, MapOptions};
use carrier_quota::sites::{select_sites, SelectOptions};
use carrier_quota::{read_candidates, Atlas, CheckOptions, Datum, Kind};
use clap::Parser;

/// Choose the candidate sites that close a plan's floor-area gaps at the least cost.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// GeoJSON candidate sites: properties id, floor_area_m2, cost, and
    /// optionally opened (earliest opening) and overlay.
    candidates: PathBuf,
    /// Datum of the candidates file, when it has no top-level "datum" member.
    #[arg(long)]
    candidates_datum: Option<Datum>,
    #[command(flatten)]
    inputs: common::PlanFlags,
    /// Solve groups of gaps with at most this many candidates exactly.
    #[arg(long, default_value_t = SelectOptions::default().exact_limit)]
    exact_limit: usize,
    /// Write the selection as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write a map of the districts, carriers and chosen sites to this file.
    #[arg(long)]
    map: Option<PathBuf>,
}

fn main() -> ExitCode {
    common::exit(run(Args::parse()).map(|()| ExitCode::SUCCESS))
}

fn run(args: Args) -> Result<(), String> {
    let atlas = Atlas::chongqing();
    let candidates = read_candidates(common::open(&args.candidates)?, args.candidates_datum)
        .map_err(|e| common::at(&args.candidates, e, "--candidates-datum"))?;
    let (check, carriers) = args.inputs.read(atlas, false)?;
    let _ = report::write_rejections(io::stderr(), &carriers);
    let placed = atlas.place(carriers, args.inputs.footprints);
    // The plan as checked: split by district when asked, on its date.
    let checked = check.run(placed).map_err(|e| e.to_string())?;
    let mut options = SelectOptions::new()
        .as_of(checked.as_of)
        .exact_limit(args.exact_limit);
    options.overlays = checked.overlays.as_ref();
    let selection = select_sites(&checked.placed, &checked.plan, &candidates, &options)
        .map_err(|e| e.to_string())?;

    let mut out = BufWriter::new(io::stdout().lock());
    report::write_selection_table(&mut out, &selection, &candidates, atlas)
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;

    if let Some(path) = &args.json {
        common::write_file(path, "selection", |out| {
            common::pretty_json(out, &selection)
        })?;
    }
    if let Some(path) = &args.map {
        // The districts as they would stand with the chosen sites open.
        let opened = selection.open_sites(&checked.placed, &candidates, Kind::Incubator);
        let chosen = opened.carriers().len() - checked.placed.carriers().len();
        let sites = opened.carriers().anchors()[opened.carriers().len() - chosen..]
            .iter()
            .map(|&c| c.into())
            .collect();
        let mut options = MapOptions::new()
            .as_of(checked.as_of)
            .sites(sites)
            .note(format!(
                "{chosen} chosen of {} candidate sites, total cost {:.0} · districts as they \
                 stand with the chosen sites open",
                candidates.candidates.len(),
                selection.total_cost
            ));
        if args.inputs.split.is_some() {
            let mut check = CheckOptions::new().as_of(checked.as_of);
            check.overlays = checked.overlays.as_ref();
            let report = checked.plan.check(&opened, &check);
            let report = report.map_err(|e| e.to_string())?;
            options = options.district_status(report.district_statuses(atlas));
        }
        common::write_file(path, "map", |out| report::write_svg(out, &opened, &options))?;
    }
    Ok(())
}
