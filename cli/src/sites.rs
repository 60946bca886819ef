//! `carrier-quota sites`: the candidate sites that close a plan's
//! floor-area gaps at the least total cost.

use std::path::PathBuf;

use carrier_quota::report::{self, MapOptions};
use carrier_quota::sites::{read_candidates, select_sites, SelectOptions};
use carrier_quota::{Atlas, CheckOptions, Datum, Kind, Tally};

use crate::inputs::{at, open, PlanFlags};
use crate::output::{
    check_name, show_notes, show_rejections, write_picture, Failure, Outcome, ResultFlags,
    PICTURE_EXTENSIONS,
};
use crate::Context;

/// Choose the candidate sites that close a plan's floor-area gaps at the
/// least cost.
///
/// Without --carriers, the bundled synthetic sample; without --plan, the
/// built-in 2021–2025 plan; without --as-of, the plan's last deadline.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  carrier-quota sample candidates --count 120 --out sites.geojson
  carrier-quota sites sites.geojson --as-of 2027-12-31
  carrier-quota sites sites.geojson --json selection.json --map sites.svg
  carrier-quota sites sites.geojson --split area --exact-limit 60")]
pub struct Args {
    /// GeoJSON candidate sites: properties id, floor_area_m2, cost, and
    /// optionally opened (earliest opening) and overlay.
    candidates: PathBuf,
    /// Datum of the candidates file, when it has no top-level "datum"
    /// member.
    #[arg(long)]
    candidates_datum: Option<Datum>,
    #[command(flatten)]
    inputs: PlanFlags,
    /// Solve groups of gaps with at most this many candidates exactly.
    #[arg(long, default_value_t = SelectOptions::default().exact_limit)]
    exact_limit: usize,
    #[command(flatten)]
    result: ResultFlags,
    /// Draw the districts, carriers and chosen sites to this SVG file.
    #[arg(long, value_name = "FILE")]
    map: Option<PathBuf>,
}

pub fn run(args: Args, context: &Context) -> Result<Outcome, Failure> {
    args.result.check_names()?;
    check_name(args.map.as_deref(), "a map", PICTURE_EXTENSIONS)?;
    let atlas = Atlas::chongqing();
    let name = args.candidates.display().to_string();
    let candidates = read_candidates(open(&args.candidates)?, args.candidates_datum)
        .map_err(|e| at(&name, e, "--candidates-datum"))?;
    let (check, carriers) = args.inputs.read(atlas, context.quiet)?;
    show_rejections(&carriers, context.quiet);
    let placed = atlas.place(carriers, args.inputs.footprints);
    show_notes(&placed, context.quiet);
    // The plan as checked: split by district when asked, on its date.
    let checked = check.run(placed).map_err(|e| e.to_string())?;
    let mut options = SelectOptions::new()
        .as_of(checked.as_of)
        .exact_limit(args.exact_limit);
    options.overlays = checked.overlays.as_ref();
    let selection = select_sites(&checked.placed, &checked.plan, &candidates, &options)
        .map_err(|e| e.to_string())?;

    args.result
        .write("selection", context.quiet, &selection, |out| {
            report::write_selection_table(out, &selection, &candidates, atlas)
        })?;
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
            options = options.district_share(report.district_shares(atlas));
        }
        write_picture(path, "map", context.quiet, |out| {
            let tally = Tally::open_on(&opened, checked.as_of);
            report::write_map(out, &opened, &tally, &options)
        })?;
    }
    Ok(Outcome::Done)
}
