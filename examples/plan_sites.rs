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

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use carrier_quota::report::{self, table, thousands, Align, MapOptions};
use carrier_quota::sites::{select_sites, Candidates, SelectOptions, Selection};
use carrier_quota::{check, Atlas, Datum, Kind, Tally};
use clap::Parser;

/// Choose the candidate sites that close a plan's floor-area gaps at the least cost.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// GeoJSON candidate sites: properties id, floor_area_m2, cost, and
    /// optionally opened (earliest opening) and overlay.
    candidates: PathBuf,
    /// Datum of the candidates file, when it has no top-level "datum" member.
    #[arg(long, value_parser = common::parse_datum)]
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
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => common::fail(message),
    }
}

fn run(args: Args) -> Result<(), String> {
    let atlas = Atlas::chongqing();
    let candidates = File::open(&args.candidates)
        .map_err(|e| e.into())
        .and_then(|file| Candidates::from_geojson(file, args.candidates_datum))
        .map_err(|e: carrier_quota::Error| {
            format!(
                "{}: {}",
                args.candidates.display(),
                common::explain(&e, "--candidates-datum")
            )
        })?
        .into_datum(atlas.datum());
    let inputs = args.inputs.load(&atlas, false, args.quiet)?;
    common::print_rejections(&inputs.read, false);
    let common::PlanInputs {
        plan,
        overlays,
        read,
        as_of,
        assignment,
        ..
    } = &inputs;
    let options = SelectOptions {
        footprints: args.inputs.footprints.rule(),
        exact_limit: args.exact_limit,
        ..SelectOptions::default()
    };
    let selection = select_sites(
        plan,
        &atlas,
        &read.carriers,
        assignment,
        overlays.as_ref(),
        &candidates,
        *as_of,
        options,
    )
    .map_err(|e| e.to_string())?;

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    print(&mut out, &selection, &candidates, &atlas)
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;

    if let Some(path) = &args.json {
        common::write_json_file(path, &selection, "selection")?;
    }
    if let Some(path) = &args.map {
        // The districts as they would stand with the chosen sites open.
        let chosen: Vec<_> = candidates
            .candidates
            .iter()
            .filter(|c| selection.chosen.contains(&c.id))
            .collect();
        let mut with_sites = read.carriers.clone();
        with_sites.extend(chosen.iter().map(|c| c.to_carrier(Kind::Incubator)));
        let placed = atlas.assign(&with_sites, args.inputs.footprints.rule());
        let report = check(
            plan,
            &atlas,
            &with_sites,
            &placed,
            overlays.as_ref(),
            *as_of,
        )
        .map_err(|e| e.to_string())?;
        let tally = Tally::open_on(&atlas, &with_sites, &placed, *as_of);
        let options = MapOptions {
            note: Some(format!(
                "{} chosen of {} candidate sites, total cost {} · districts as they stand with the chosen sites open",
                selection.chosen.len(),
                candidates.candidates.len(),
                thousands(selection.total_cost, 0)
            )),
            district_status: args
                .inputs
                .split
                .is_some()
                .then(|| report.district_statuses(&atlas)),
            sites: chosen.iter().map(|c| c.location.anchor()).collect(),
            ..MapOptions::default()
        };
        File::create(path)
            .map(BufWriter::new)
            .and_then(|mut file| {
                report::write_svg(&mut file, &atlas, &tally, &read.carriers, *as_of, &options)?;
                file.flush()
            })
            .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("map written to {}", path.display());
    }
    Ok(())
}

fn print(
    out: &mut dyn Write,
    selection: &Selection,
    candidates: &Candidates,
    atlas: &Atlas,
) -> io::Result<()> {
    use Align::{Left, Right};
    writeln!(out, "floor-area gaps on {}\n", selection.as_of)?;
    let m2 = |v: f64| thousands(v, 0);
    let rows: Vec<Option<Vec<String>>> = selection
        .gaps
        .iter()
        .map(|g| {
            let left = selection
                .residual_gaps
                .iter()
                .find(|r| r.target == g.target)
                .map_or(0.0, |r| r.amount);
            Some(vec![
                g.target.clone(),
                m2(g.missing_m2),
                m2(g.offered_m2),
                m2(g.chosen_m2),
                m2(left),
            ])
        })
        .collect();
    table(
        out,
        &[
            "target",
            "missing m²",
            "offered m²",
            "chosen m²",
            "still missing m²",
        ],
        &[Left, Right, Right, Right, Right],
        &rows,
    )?;

    writeln!(out, "\nchosen sites")?;
    let mut rows: Vec<Option<Vec<String>>> = candidates
        .candidates
        .iter()
        .filter(|c| selection.chosen.contains(&c.id))
        .map(|c| {
            let district = atlas
                .locate(c.location.anchor())
                .map_or_else(|| "outside".to_string(), |d| atlas.district(d).name.clone());
            Some(vec![
                c.id.clone(),
                district,
                m2(c.floor_area_m2),
                thousands(c.cost, 0),
                c.opened.map_or_else(String::new, |o| o.to_string()),
            ])
        })
        .collect();
    rows.push(None);
    rows.push(Some(vec![
        format!("{} sites", selection.chosen.len()),
        String::new(),
        m2(candidates
            .candidates
            .iter()
            .filter(|c| selection.chosen.contains(&c.id))
            .map(|c| c.floor_area_m2)
            .sum()),
        thousands(selection.total_cost, 0),
        String::new(),
    ]));
    table(
        out,
        &["site", "district", "floor m²", "cost", "opens"],
        &[Left, Left, Right, Right, Left],
        &rows,
    )?;
    writeln!(
        out,
        "\ntotal cost {}, lower bound {}: {}",
        thousands(selection.total_cost, 0),
        thousands(selection.lower_bound, 0),
        if selection.exact {
            "optimal".to_string()
        } else if selection.lower_bound > 0.0 {
            format!(
                "heuristic, at most {:.1}% above the optimum",
                100.0 * (selection.total_cost / selection.lower_bound - 1.0)
            )
        } else {
            "heuristic".to_string()
        }
    )?;
    for r in &selection.residual_gaps {
        writeln!(
            out,
            "cannot close: {} still misses {} m² with every usable candidate",
            r.target,
            m2(r.amount)
        )?;
    }
    for s in &selection.skipped {
        writeln!(out, "not closed by sites: {}: {}", s.target, s.reason)?;
    }
    for u in &selection.unusable {
        writeln!(out, "unusable site: {}: {}", u.id, u.reason)?;
    }
    Ok(())
}
