//! Checking a plan on an as-of date.

use serde::Serialize;

use super::{Measure, QuotaPlan, ResolvedScope, Target};
use crate::assign::{Assignment, Share};
use crate::atlas::{Atlas, DistrictId, RegionCode};
use crate::carrier::Carrier;
use crate::date::Date;
use crate::error::Error;
use crate::index::CarrierIndex;
use crate::overlay::{OverlayKind, Overlays};
use crate::tally::Totals;

/// How a target stands on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The minimum is reached.
    Met,
    /// Not reached, but at or above the straight line from the starting
    /// point to the minimum at the deadline.
    OnTrack,
    /// Below that line, or not reached by the deadline.
    Behind,
    /// The data cannot say; [`TargetResult::reason`] says why.
    NotEvaluable,
}

impl Status {
    /// The name used in reports: `met`, `on_track`, `behind`, `not_evaluable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::Behind => "behind",
            Status::NotEvaluable => "not_evaluable",
        }
    }
}

/// One target's standing. `actual`, `gap`, `percent`, `baseline` and
/// `expected` are `None` exactly when the status is `not_evaluable`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    /// The target's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its English name, if any.
    pub name_en: Option<String>,
    /// What it counts.
    pub measure: Measure,
    /// The minimum to reach.
    pub required: f64,
    /// The value on the as-of date.
    pub actual: Option<f64>,
    /// How much is missing: `required - actual`, or 0 when met.
    pub gap: Option<f64>,
    /// `actual / required` in percent (100 when nothing is required).
    pub percent: Option<f64>,
    /// The value at the plan's start: stated by the plan, or tallied.
    pub baseline: Option<f64>,
    /// Where the straight line from the baseline to the minimum stands on
    /// the as-of date.
    pub expected: Option<f64>,
    /// The target's deadline.
    pub deadline: Date,
    /// The standing.
    pub status: Status,
    /// Why the target is not evaluable; `None` otherwise.
    pub reason: Option<String>,
    /// The target this one is a district's part of ([`Target::part_of`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// The district's code, when the target's scope is exactly one
    /// district and no overlay.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<RegionCode>,
}

/// A plan checked on a date. Serialized, this is the JSON report; its
/// layout is versioned by `schema_version`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Version of this layout: 1.
    pub schema_version: u32,
    /// The plan's name.
    pub plan: String,
    /// Its English name, if any.
    pub plan_en: Option<String>,
    /// The plan's start.
    pub start: Date,
    /// The date checked.
    pub as_of: Date,
    /// One result per target, in plan order.
    pub targets: Vec<TargetResult>,
    /// For each overlay area given, the carriers open on the as-of date
    /// inside it; empty without an overlays file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<AreaSummary>,
}

/// What has grown in one overlay area: the carriers open on the as-of date
/// whose anchor lies inside it (by its geometry alone, found with an R-tree
/// query), and their totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaSummary {
    /// The overlay's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Functional area or university ecosystem.
    pub kind: OverlayKind,
    /// Ids of the carriers inside, in input order.
    pub carriers: Vec<String>,
    /// Their totals.
    pub totals: Totals,
}

/// Checks `plan` on `as_of` against `carriers`, placed by `assignment`.
///
/// A carrier counts on a date when it is open then ([`Carrier::is_open_on`]:
/// a carrier with no opening date counts on every date). A target's starting point is its stated baseline, else the
/// tally of the carriers open on the plan's start. Under
/// [`crate::FootprintRule::SplitByOverlap`], a footprint's floor area counts
/// by its shares.
///
/// A carrier belongs to an overlay when its `overlay` property names it, or,
/// without that property, when the overlay's area in `overlays` holds its
/// anchor point. A target whose scope names an overlay that neither the
/// overlays file nor any carrier supplies is `not_evaluable`.
///
/// # Errors
///
/// As [`QuotaPlan::validate`].
///
/// # Panics
///
/// When `assignment` is not one entry per carrier, or `overlays` is not in
/// the atlas's datum.
pub fn check(
    plan: &QuotaPlan,
    atlas: &Atlas,
    carriers: &[Carrier],
    assignment: &Assignment,
    overlays: Option<&Overlays>,
    as_of: Date,
) -> Result<Report, Error> {
    assert_eq!(
        carriers.len(),
        assignment.districts.len(),
        "one district per carrier"
    );
    if let Some(o) = overlays {
        assert_eq!(
            o.datum(),
            atlas.datum(),
            "overlays must be in the atlas's datum"
        );
    }
    let scopes = plan.resolve(atlas, overlays)?;
    let context = Context {
        carriers,
        assignment,
        overlays,
    };
    let targets = plan
        .targets
        .iter()
        .zip(&scopes)
        .map(|(target, scope)| {
            let mut result = context.evaluate(plan, target, scope, as_of);
            result.district = single_district(scope).map(|d| atlas.district(d).code.clone());
            result
        })
        .collect();
    let areas = overlays.map_or_else(Vec::new, |o| summarize(o, carriers, as_of));
    Ok(Report {
        schema_version: 1,
        plan: plan.name.clone(),
        plan_en: plan.name_en.clone(),
        start: plan.start,
        as_of,
        targets,
        areas,
    })
}

/// The one district a scope covers, when it covers one and names no overlay.
fn single_district(scope: &ResolvedScope) -> Option<DistrictId> {
    let mut districts = scope.districts.as_ref()?.iter();
    let no_overlay = scope.overlays.is_empty() && scope.exclude_overlays.is_empty();
    match (districts.next(), districts.next()) {
        (Some(&only), None) if no_overlay => Some(only),
        _ => None,
    }
}

impl Report {
    /// For each district of `atlas`, in atlas order, the worst status among
    /// the evaluable targets whose scope is that district alone (see
    /// [`TargetResult::district`]); `None` for a district without one.
    /// Worst first: behind, on track, met.
    pub fn district_statuses(&self, atlas: &Atlas) -> Vec<Option<Status>> {
        let rank = |s: Status| match s {
            Status::Behind => 0,
            Status::OnTrack => 1,
            Status::Met => 2,
            Status::NotEvaluable => 3,
        };
        let mut statuses = vec![None; atlas.districts().len()];
        for t in &self.targets {
            let Some(code) = &t.district else { continue };
            let Some(d) = atlas.find_district(code.as_str()) else {
                continue;
            };
            if t.status == Status::NotEvaluable {
                continue;
            }
            let slot: &mut Option<Status> = &mut statuses[d.index()];
            if slot.is_none_or(|s| rank(t.status) < rank(s)) {
                *slot = Some(t.status);
            }
        }
        statuses
    }
}

fn summarize(overlays: &Overlays, carriers: &[Carrier], as_of: Date) -> Vec<AreaSummary> {
    let index = CarrierIndex::new(carriers);
    overlays
        .all()
        .iter()
        .map(|overlay| {
            let inside: Vec<&Carrier> = overlay
                .carriers_in(&index)
                .into_iter()
                .map(|i| &carriers[i as usize])
                .filter(|c| c.is_open_on(as_of))
                .collect();
            AreaSummary {
                id: overlay.id.clone(),
                name: overlay.name.clone(),
                kind: overlay.kind,
                carriers: inside.iter().map(|c| c.id.to_string()).collect(),
                totals: Totals::of(inside),
            }
        })
        .collect()
}

struct Context<'a> {
    carriers: &'a [Carrier],
    assignment: &'a Assignment,
    overlays: Option<&'a Overlays>,
}

impl Context<'_> {
    fn evaluate(
        &self,
        plan: &QuotaPlan,
        target: &Target,
        scope: &ResolvedScope,
        as_of: Date,
    ) -> TargetResult {
        let required = target.minimum;
        let mut result = TargetResult {
            id: target.id.clone(),
            name: target.name.clone(),
            name_en: target.name_en.clone(),
            measure: target.measure,
            required,
            actual: None,
            gap: None,
            percent: None,
            baseline: None,
            expected: None,
            deadline: target.deadline,
            status: Status::NotEvaluable,
            reason: None,
            part_of: target.part_of.clone(),
            district: None,
        };
        if let Some(missing) = scope
            .overlays
            .iter()
            .chain(&scope.exclude_overlays)
            .find(|id| !self.supplied(id))
        {
            result.reason = Some(format!(
                "no boundary for overlay {missing:?}: give an overlays file with it, or an \"overlay\" \
                 property on the carriers in it"
            ));
            return result;
        }
        let actual = self.total(target, scope, as_of);
        let baseline = target
            .baseline
            .unwrap_or_else(|| self.total(target, scope, plan.start));
        let elapsed = plan.start.days_until(as_of) as f64;
        let span = plan.start.days_until(target.deadline) as f64;
        let fraction = (elapsed / span).clamp(0.0, 1.0);
        let expected = baseline + fraction * (required - baseline);
        result.status = if actual >= required {
            Status::Met
        } else if as_of >= target.deadline || actual < expected {
            Status::Behind
        } else {
            Status::OnTrack
        };
        result.actual = Some(actual);
        result.gap = Some((required - actual).max(0.0));
        result.percent = Some(if required > 0.0 {
            100.0 * actual / required
        } else {
            100.0
        });
        result.baseline = Some(baseline);
        result.expected = Some(expected);
        result
    }

    /// Whether overlay `id` has a boundary in the overlays file, or a
    /// carrier names it.
    fn supplied(&self, id: &str) -> bool {
        self.overlays.is_some_and(|o| o.get(id).is_some())
            || self
                .carriers
                .iter()
                .any(|c| c.overlay.as_deref() == Some(id))
    }

    /// The target's measure over the carriers open on `date` in its scope.
    fn total(&self, target: &Target, scope: &ResolvedScope, date: Date) -> f64 {
        self.carriers
            .iter()
            .enumerate()
            .filter(|(_, carrier)| carrier.is_open_on(date))
            .map(|(i, carrier)| {
                let place = Place {
                    district: self.assignment.districts[i],
                    shares: self.assignment.shares(i),
                };
                counted(target, scope, carrier, place, self.overlays)
            })
            .sum()
    }
}

/// Where a carrier counts: its district, and under
/// [`crate::FootprintRule::SplitByOverlap`] its floor-area shares.
#[derive(Clone, Copy)]
pub(crate) struct Place<'a> {
    pub district: Option<DistrictId>,
    pub shares: Option<&'a [Share]>,
}

/// What one carrier adds to `target`, whatever its opening date: its
/// measure (floor area by its shares in the scope's districts) when it
/// passes the filter and lies in the scope, else 0.
pub(crate) fn counted(
    target: &Target,
    scope: &ResolvedScope,
    carrier: &Carrier,
    place: Place,
    overlays: Option<&Overlays>,
) -> f64 {
    let in_overlay = |id: &str| match overlays {
        Some(overlays) => overlays.holds(id, carrier),
        None => carrier.overlay.as_deref() == Some(id),
    };
    let in_district = |d: Option<DistrictId>| match (d, &scope.districts) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(d), Some(set)) => set.contains(&d),
    };
    let overlays_ok = (scope.overlays.is_empty() || scope.overlays.iter().any(|o| in_overlay(o)))
        && !scope.exclude_overlays.iter().any(|o| in_overlay(o));
    if !target.filter.accepts(carrier) || !overlays_ok {
        return 0.0;
    }
    match (target.measure, place.shares) {
        (Measure::FloorArea, Some(shares)) => shares
            .iter()
            .filter(|s| in_district(s.district))
            .map(|s| s.fraction * carrier.floor_area_m2)
            .sum(),
        _ if in_district(place.district) => target.measure.of(carrier),
        _ => 0.0,
    }
}
