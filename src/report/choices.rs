//! Reports of allocation: the sites chosen and a target's district shares.

use std::io;

use super::text::{table, thousands, Align};
use crate::atlas::Atlas;
use crate::quota::{DistrictShare, DistrictSplit};
use crate::sites::{Candidates, Selection};

/// Writes a site selection as tables: the floor-area gaps (missing,
/// offered by all usable sites, closed by the chosen ones, still missing),
/// the chosen sites with their district, floor area, cost and opening, the
/// total cost against the lower bound, and a line for each gap the sites
/// cannot close, each target they do not close and each unusable site.
///
/// # Errors
///
/// When writing fails.
pub fn write_selection_table(
    mut out: impl io::Write,
    selection: &Selection,
    candidates: &Candidates,
    atlas: &Atlas,
) -> io::Result<()> {
    use Align::{Left, Right};
    let out: &mut dyn io::Write = &mut out;
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
    let chosen: Vec<_> = candidates
        .candidates
        .iter()
        .filter(|c| selection.chosen.contains(&c.id))
        .collect();
    let mut rows: Vec<Option<Vec<String>>> = chosen
        .iter()
        .map(|c| {
            let anchor = c.location.convert(candidates.datum, atlas.datum()).anchor();
            let district = atlas
                .locate(anchor)
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
        m2(chosen.iter().map(|c| c.floor_area_m2).sum()),
        thousands(selection.total_cost, 0),
        String::new(),
    ]));
    table(
        out,
        &["site", "district", "floor m²", "cost", "opens"],
        &[Left, Left, Right, Right, Left],
        &rows,
    )?;
    let quality = if selection.exact {
        "optimal".to_string()
    } else if selection.lower_bound > 0.0 {
        format!(
            "heuristic, at most {:.1}% above the optimum",
            100.0 * (selection.total_cost / selection.lower_bound - 1.0)
        )
    } else {
        "heuristic".to_string()
    };
    writeln!(
        out,
        "\ntotal cost {}, lower bound {}: {quality}",
        thousands(selection.total_cost, 0),
        thousands(selection.lower_bound, 0),
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

/// Writes a district split as a table: each district's code, name,
/// weight, share of the total weight, minimum and cap (when `split` gives
/// them) and share, then the totals.
///
/// # Errors
///
/// When writing fails.
pub fn write_shares_table(
    mut out: impl io::Write,
    shares: &[DistrictShare],
    split: &DistrictSplit,
    atlas: &Atlas,
) -> io::Result<()> {
    let total_weight: f64 = shares.iter().map(|s| s.weight).sum();
    let bound = |value: Option<u64>| value.map_or(String::new(), |v| thousands(v as f64, 0));
    let mut rows: Vec<Option<Vec<String>>> = shares
        .iter()
        .map(|s| {
            let district = atlas.find_district(s.code.as_str());
            Some(vec![
                s.code.to_string(),
                s.name.clone(),
                thousands(s.weight, 0),
                if total_weight > 0.0 {
                    format!("{:.2}%", 100.0 * s.weight / total_weight)
                } else {
                    "—".into()
                },
                bound(district.and_then(|d| split.min_of(d))),
                bound(district.and_then(|d| split.cap_of(d))),
                thousands(s.share as f64, 0),
            ])
        })
        .collect();
    rows.push(None);
    rows.push(Some(vec![
        "total".into(),
        String::new(),
        thousands(total_weight, 0),
        String::new(),
        String::new(),
        String::new(),
        thousands(shares.iter().map(|s| s.share as f64).sum(), 0),
    ]));
    use Align::{Left, Right};
    table(
        &mut out,
        &["code", "名称", "weight", "of weight", "min", "cap", "share"],
        &[Left, Left, Right, Right, Right, Right, Right],
        &rows,
    )
}
