//! Site selection: which candidate sites close a plan's floor-area gaps at
//! the least total cost.
//!
//! [`select_sites`] checks the plan on the as-of date, takes every
//! floor-area target that is short (zones, overlays, districts, the city),
//! works out what each candidate open by then would add to each of them, by
//! the same rules the checker counts carriers with, and chooses the
//! cheapest set of candidates that closes every gap:
//!
//! - **Exact** when each group of gaps that share candidates has at most
//!   [`SelectOptions::exact_limit`] candidates (40 by default): a branch and
//!   bound proves the choice optimal, unless it runs past
//!   [`SelectOptions::node_limit`].
//! - **Greedy** otherwise: the candidate that covers the most of what is
//!   still missing per unit of cost, until every gap is closed, then any
//!   chosen site the others can do without is dropped. The
//!   [`Selection::lower_bound`] (from the linear-programming relaxation, by
//!   Lagrangian subgradient steps) says how far from optimal it can be.
//!
//! A gap the candidates cannot close even all together is closed as far as
//! they allow, and the rest is reported in [`Selection::residual_gaps`].
//! Floor area is counted in thousandths of a square metre, so sums are exact.

mod candidates;
mod cover;

use serde::Serialize;

use crate::carrier::{Carriers, Kind};
use crate::date::Date;
use crate::error::Error;
use crate::overlay::Overlays;
use crate::place::Placed;
use crate::quota::{counted, in_datum, CheckOptions, Filter, Measure, QuotaPlan, Status, Target};

pub use candidates::{read_candidates, write_candidates, Candidate, Candidates, MAX_COST};

/// Floor area is counted in units of 1/1000 m².
const UNITS_PER_M2: f64 = 1000.0;

/// On which date [`select_sites`] measures the gaps, with which overlay
/// areas, and how hard it searches.
///
/// ```
/// use carrier_quota::sites::SelectOptions;
///
/// let options = SelectOptions::new().exact_limit(120);
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SelectOptions<'a> {
    /// The date the gaps are measured on; by default the plan's last
    /// deadline.
    pub as_of: Option<Date>,
    /// The boundaries of overlay areas, as for [`QuotaPlan::check`].
    pub overlays: Option<&'a Overlays>,
    /// Groups of gaps with at most this many candidates are solved exactly
    /// (40 by default).
    pub exact_limit: usize,
    /// The exact search gives up on a group after this many nodes, and the
    /// greedy answer stands with its bound (20 million by default).
    pub node_limit: u64,
}

impl Default for SelectOptions<'_> {
    fn default() -> Self {
        SelectOptions {
            as_of: None,
            overlays: None,
            exact_limit: 40,
            node_limit: 20_000_000,
        }
    }
}

impl<'a> SelectOptions<'a> {
    /// The defaults.
    pub fn new() -> SelectOptions<'a> {
        SelectOptions::default()
    }

    /// The date the gaps are measured on.
    pub fn as_of(mut self, date: Date) -> SelectOptions<'a> {
        self.as_of = Some(date);
        self
    }

    /// The overlay areas.
    pub fn overlays(mut self, overlays: &'a Overlays) -> SelectOptions<'a> {
        self.overlays = Some(overlays);
        self
    }

    /// Solve groups with at most this many candidates exactly.
    pub fn exact_limit(mut self, limit: usize) -> SelectOptions<'a> {
        self.exact_limit = limit;
        self
    }

    /// Give up an exact search after this many nodes.
    pub fn node_limit(mut self, limit: u64) -> SelectOptions<'a> {
        self.node_limit = limit;
        self
    }
}

/// The chosen sites and what they leave open. Serialized, this is the JSON
/// the `plan_sites` example writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// The date the gaps are measured on.
    pub as_of: Date,
    /// Ids of the chosen candidates, in file order.
    pub chosen: Vec<String>,
    /// Their total cost.
    pub total_cost: f64,
    /// No choice that closes the same gaps costs less.
    pub lower_bound: f64,
    /// Whether `chosen` is proven optimal.
    pub exact: bool,
    /// Every floor-area gap considered, in plan order.
    pub gaps: Vec<Gap>,
    /// What is still missing after the chosen sites, by target: the gaps
    /// the candidates cannot close.
    pub residual_gaps: Vec<ResidualGap>,
    /// Targets short on the as-of date that sites cannot close, and why.
    pub skipped: Vec<Skipped>,
    /// Candidates that cannot help: outside every district, or not open by
    /// the as-of date.
    pub unusable: Vec<Unusable>,
}

/// A floor-area target that is short, and how the choice closes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// The target's id.
    pub target: String,
    /// Floor area missing on the as-of date, m².
    pub missing_m2: f64,
    /// What all the usable candidates together would add to it, m².
    pub offered_m2: f64,
    /// What the chosen sites add to it, m².
    pub chosen_m2: f64,
}

/// Floor area still missing from a target after the chosen sites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidualGap {
    /// The target's id.
    pub target: String,
    /// m² still missing.
    pub amount: f64,
}

/// A short target that site selection does not close.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The target's id.
    pub target: String,
    /// Why.
    pub reason: String,
}

/// A candidate that can add nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unusable {
    /// The candidate's id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// Chooses the candidates that close `plan`'s floor-area gaps for the
/// `placed` carriers at the least total cost (see the module docs).
/// Candidates may be in any datum, and are placed as the carriers were
/// ([`Placed::rule`]).
///
/// Only floor-area targets without a filter are closed: a candidate has no
/// kind, category or enterprises. Other short targets, and those that are
/// not evaluable, are listed in [`Selection::skipped`]. A candidate counts
/// toward a target as a carrier open on the as-of date at its place would:
/// it must be able to open by then (`opened` on or before it).
///
/// # Errors
///
/// As [`QuotaPlan::check`].
pub fn select_sites(
    placed: &Placed,
    plan: &QuotaPlan,
    candidates: &Candidates,
    options: &SelectOptions,
) -> Result<Selection, Error> {
    let atlas = placed.atlas();
    let as_of = options.as_of.unwrap_or_else(|| plan.last_deadline());
    let check = CheckOptions {
        as_of: Some(as_of),
        overlays: options.overlays,
        names: None,
    };
    let report = plan.check(placed, &check)?;
    let overlays = in_datum(options.overlays, atlas);
    let overlays = overlays.as_deref();
    let scopes = plan.resolve(atlas, overlays)?;
    let sites = atlas.place(as_carriers(candidates), placed.rule());

    let (usable, unusable) = usable_sites(&sites, as_of);

    let mut skipped = Vec::new();
    let mut gaps = Vec::new();
    let mut problem = cover::Problem {
        costs: candidates.candidates.iter().map(|c| c.cost).collect(),
        needs: Vec::new(),
        offers: Vec::new(),
    };
    for ((target, scope), result) in plan.targets.iter().zip(&scopes).zip(&report.targets) {
        let missing = match (result.status, result.gap) {
            (Status::NotEvaluable, _) => {
                skipped.push(Skipped {
                    target: target.id.clone(),
                    reason: (result.reason.as_ref()).map_or_else(String::new, ToString::to_string),
                });
                continue;
            }
            (_, Some(gap)) if gap > 0.0 => gap,
            _ => continue,
        };
        if let Some(reason) = not_closed_by_sites(target) {
            skipped.push(Skipped {
                target: target.id.clone(),
                reason,
            });
            continue;
        }
        let offers: Vec<(usize, u64)> = sites
            .carriers()
            .iter()
            .filter(|site| usable[site.position()])
            .filter_map(|site| {
                let i = site.position();
                let m2 = counted(target, scope, site, sites.place(i), overlays, None);
                let units = (m2 * UNITS_PER_M2).floor() as u64;
                (units > 0).then_some((i, units))
            })
            .collect();
        // Rounding in the checker's sums must not ask for a thousandth more.
        let need = (missing * UNITS_PER_M2 - 1e-6).ceil().max(0.0) as u64;
        let offered = offers
            .iter()
            .fold(0u64, |sum, &(_, a)| sum.saturating_add(a));
        gaps.push((target.id.clone(), missing, need, offered));
        problem.needs.push(need.min(offered));
        problem.offers.push(offers);
    }

    let solution = cover::solve(
        &problem,
        cover::Limits {
            exact_limit: options.exact_limit,
            node_limit: options.node_limit,
        },
    );
    let m2 = |units: u64| units as f64 / UNITS_PER_M2;
    let mut residual_gaps = Vec::new();
    let gaps = gaps
        .into_iter()
        .zip(&problem.offers)
        .map(|((target, missing, need, offered), offers)| {
            let chosen = offers
                .iter()
                .filter(|(c, _)| solution.chosen.binary_search(c).is_ok())
                .fold(0u64, |sum, &(_, a)| sum.saturating_add(a));
            if chosen < need {
                residual_gaps.push(ResidualGap {
                    target: target.clone(),
                    amount: m2(need - chosen),
                });
            }
            Gap {
                target,
                missing_m2: missing,
                offered_m2: m2(offered),
                chosen_m2: m2(chosen),
            }
        })
        .collect();
    Ok(Selection {
        as_of,
        chosen: solution
            .chosen
            .iter()
            .map(|&c| candidates.candidates[c].id.clone())
            .collect(),
        total_cost: solution.cost,
        lower_bound: solution.lower_bound,
        exact: solution.exact,
        gaps,
        residual_gaps,
        skipped,
        unusable,
    })
}

/// Which sites may be chosen (by position), and why the others may not: a
/// site counts only when it can open by the as-of date and some of it lies
/// in a district.
fn usable_sites(sites: &Placed, as_of: Date) -> (Vec<bool>, Vec<Unusable>) {
    let in_a_district = |i: usize| match sites.shares(i) {
        Some(shares) => shares.iter().any(|s| s.district.is_some()),
        None => sites.districts()[i].is_some(),
    };
    let mut usable = vec![true; sites.carriers().len()];
    let mut unusable = Vec::new();
    for site in sites.carriers() {
        let i = site.position();
        let reason = if !site.is_open_on(as_of) {
            format!("it cannot open by {as_of}")
        } else if !in_a_district(i) {
            "it is outside every district".to_string()
        } else {
            continue;
        };
        usable[i] = false;
        unusable.push(Unusable {
            id: site.id().to_string(),
            reason,
        });
    }
    (usable, unusable)
}

/// Why sites, which add floor area to every carrier count, cannot close
/// `target`; `None` when they can.
fn not_closed_by_sites(target: &Target) -> Option<String> {
    if target.measure == Measure::FloorArea && target.filter == Filter::default() {
        return None;
    }
    Some(format!(
        "it counts {}{}: sites add floor area only",
        target.measure.as_str(),
        if target.measure == Measure::FloorArea {
            " of some kinds, categories or levels"
        } else {
            ""
        }
    ))
}

/// Each candidate as the carrier it would be. The kind is a placeholder:
/// only targets without a filter are closed, so it never decides anything.
fn as_carriers(candidates: &Candidates) -> Carriers {
    let records = candidates
        .candidates
        .iter()
        .map(|c| c.to_carrier(Kind::Incubator));
    Carriers::from_records(candidates.datum, records)
}

impl Selection {
    /// The carriers as they would stand with the chosen sites open: `placed`
    /// and, after them, each chosen candidate as a carrier of `kind`.
    pub fn open_sites<'a>(
        &self,
        placed: &Placed<'a>,
        candidates: &Candidates,
        kind: Kind,
    ) -> Placed<'a> {
        let chosen = candidates
            .candidates
            .iter()
            .filter(|c| self.chosen.contains(&c.id))
            .map(|c| c.to_carrier(kind));
        let mut opened = placed.clone();
        opened.extend(Carriers::from_records(candidates.datum, chosen));
        opened
    }
}
