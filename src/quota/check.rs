//! Checking a plan on an as-of date.

use std::borrow::Cow;
use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use super::{Measure, QuotaPlan, ResolvedScope, Target, TargetSource};
use crate::atlas::{Atlas, DistrictId, RegionCode};
use crate::carrier::{CarrierRef, Carriers};
use crate::counted::Counted;
use crate::date::Date;
use crate::error::Error;
use crate::index::CarrierIndex;
use crate::names::DistrictNames;
use crate::overlay::{OverlayKind, Overlays};
use crate::place::{InputSummary, Place, Placed};
use crate::tally::{from_units, to_units, Totals};

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

    /// The status in Chinese: `达标`, `进度正常`, `滞后`, `无法评估`.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Met => "达标",
            Status::OnTrack => "进度正常",
            Status::Behind => "滞后",
            Status::NotEvaluable => "无法评估",
        }
    }
}

/// Why a target cannot be evaluated ([`Status::NotEvaluable`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotEvaluableReason {
    /// The target counts carriers in (or outside) an overlay that has no
    /// boundary in the overlays given, and that no record names: where
    /// its carriers are cannot be told.
    #[error(
        "no boundary for overlay {overlay:?}: give an overlays file with it, or name the \
         overlay (or a managed area in it, such as 两江新区) on the carriers in it"
    )]
    UnboundedOverlay {
        /// The overlay's id.
        overlay: String,
    },
}

/// The JSON report keeps `reason` as text: the message.
impl Serialize for NotEvaluableReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
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
    /// Why the target is not evaluable; `None` otherwise. Serialized as
    /// its message.
    pub reason: Option<NotEvaluableReason>,
    /// What the figure rests on, when the reader should know it: for a
    /// target of overlays without an overlays file, how many carriers in
    /// the districts the overlays reach say nothing of them, and were
    /// counted outside them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The target this one is a district's part of ([`Target::part_of`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// Where its minimum comes from ([`Target::source`]).
    pub source: TargetSource,
    /// For a target that filters on categories or levels: the carriers in
    /// its scope on the date whose record gave a category or level the
    /// reader does not know, so that they could not be counted.
    #[serde(skip_serializing_if = "is_zero")]
    pub unclassified: usize,
    /// The district's code, when the target's scope is exactly one
    /// district and no overlay.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<RegionCode>,
}

/// A plan checked on a date. Serialized, this is the JSON report; its
/// layout is versioned by `schema_version`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Version of this layout: 3 (2 had no `source` and no `counted`, 1 no
    /// `input`).
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
    /// What became of the read the carriers came from: records read,
    /// rejected, placed by what, the read's notes, the names records give.
    pub input: InputSummary,
    /// The records counted on the as-of date, and those left out (not yet
    /// open, closed, outside, rejected), by row.
    pub counted: Counted,
    /// What the report says of its targets beyond their results: the
    /// districts a district targets table leaves out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_notes: Vec<String>,
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

/// How to check a plan: on which date, and with which overlay areas.
///
/// ```
/// use carrier_quota::{CheckOptions, Date};
///
/// let options = CheckOptions::new().as_of(Date::new(2023, 12, 31).unwrap());
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct CheckOptions<'a> {
    /// The date to check; by default the plan's last deadline
    /// ([`QuotaPlan::last_deadline`]).
    pub as_of: Option<Date>,
    /// The boundaries of overlay areas (the dual core, university
    /// ecosystems), in any datum: they are converted to the atlas's.
    pub overlays: Option<&'a Overlays>,
    /// The names the carriers were read with: their managed areas say
    /// which districts an overlay without a boundary reaches, for the note
    /// on carriers there that name no overlay ([`TargetResult::note`]).
    /// When `None`, Chongqing's, as when reading
    /// ([`DistrictNames::chongqing`]).
    pub names: Option<&'a DistrictNames>,
}

impl<'a> CheckOptions<'a> {
    /// The defaults: the plan's last deadline, no overlays file.
    pub fn new() -> CheckOptions<'a> {
        CheckOptions::default()
    }

    /// The date to check.
    pub fn as_of(mut self, date: Date) -> CheckOptions<'a> {
        self.as_of = Some(date);
        self
    }

    /// The overlay areas.
    pub fn overlays(mut self, overlays: &'a Overlays) -> CheckOptions<'a> {
        self.overlays = Some(overlays);
        self
    }

    /// The names the carriers were read with ([`CheckOptions::names`]).
    pub fn names(mut self, names: &'a DistrictNames) -> CheckOptions<'a> {
        self.names = Some(names);
        self
    }
}

/// `overlays` in `atlas`'s datum, converted only when they are not.
pub(crate) fn in_datum<'o>(
    overlays: Option<&'o Overlays>,
    atlas: &Atlas,
) -> Option<Cow<'o, Overlays>> {
    overlays.map(|o| match o.datum() == atlas.datum() {
        true => Cow::Borrowed(o),
        false => Cow::Owned(o.clone().into_datum(atlas.datum())),
    })
}

impl QuotaPlan {
    /// Checks the plan against placed carriers on a date (see
    /// [`CheckOptions`]).
    ///
    /// A carrier counts on a date when it is open then
    /// ([`CarrierRef::is_open_on`]: a carrier with no opening date counts
    /// on every date). A target's starting point is its stated baseline,
    /// else the tally of the carriers open on the plan's start. Under
    /// [`FootprintRule::SplitByOverlap`], a footprint's floor area counts by
    /// its shares.
    ///
    /// A carrier belongs to an overlay when its `overlay` property names
    /// it, or, without that property, when the overlay's area in the
    /// overlays holds its anchor point. A target whose scope names an
    /// overlay that neither the overlays nor any carrier supplies is
    /// `not_evaluable`.
    ///
    /// [`FootprintRule::SplitByOverlap`]: crate::place::FootprintRule::SplitByOverlap
    ///
    /// # Errors
    ///
    /// As [`QuotaPlan::validate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use carrier_quota::place::FootprintRule;
    /// use carrier_quota::read::read_carriers;
    /// use carrier_quota::{Atlas, CheckOptions, QuotaPlan, ReadOptions, Status};
    ///
    /// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
    ///   {"type": "Feature", "id": "c-1", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
    ///    "properties": {"kind": "incubator", "floor_area_m2": 5000, "opened": "2024"}}
    /// ]}"#;
    /// let carriers = read_carriers(file.as_bytes(), &ReadOptions::new())?;
    /// let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
    /// let report = QuotaPlan::chongqing_2021_2025().check(&placed, &CheckOptions::new())?;
    /// assert_eq!(report.targets[0].actual, Some(5000.0));
    /// assert_eq!(report.targets[0].status, Status::Behind);
    /// # Ok::<(), carrier_quota::Error>(())
    /// ```
    pub fn check(&self, placed: &Placed, options: &CheckOptions) -> Result<Report, Error> {
        let (as_of, targets) = self.results(placed, options)?;
        let atlas = placed.atlas();
        let overlays = in_datum(options.overlays, atlas);
        let overlays = overlays.as_deref();
        let areas = overlays.map_or_else(Vec::new, |o| summarize(o, placed.carriers(), as_of));
        Ok(Report {
            schema_version: 3,
            plan: self.name.clone(),
            plan_en: self.name_en.clone(),
            start: self.start,
            as_of,
            targets,
            areas,
            input: placed.summary(),
            counted: Counted::of(placed, Some(as_of)),
            target_notes: Vec::new(),
        })
    }

    /// Each target's result on the as-of date the options give (the plan's
    /// last deadline by default), and that date.
    pub(crate) fn results(
        &self,
        placed: &Placed,
        options: &CheckOptions,
    ) -> Result<(Date, Vec<TargetResult>), Error> {
        let atlas = placed.atlas();
        let overlays = in_datum(options.overlays, atlas);
        let overlays = overlays.as_deref();
        let as_of = options.as_of.unwrap_or_else(|| self.last_deadline());
        let scopes = self.resolve(atlas, overlays)?;
        let context = Context {
            placed,
            overlays,
            names: options.names,
        };
        let targets = self
            .targets
            .iter()
            .zip(&scopes)
            .map(|(target, scope)| {
                let mut result = context.evaluate(self, target, scope, as_of);
                result.district = single_district(scope).map(|d| atlas.district(d).code.clone());
                result
            })
            .collect();
        Ok((as_of, targets))
    }
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

    /// For each district of `atlas`, in atlas order, the lowest share of
    /// its own targets reached (`percent`, 100 for a target met), among the
    /// evaluable targets whose scope is that district alone; `None` for a
    /// district without one.
    pub fn district_shares(&self, atlas: &Atlas) -> Vec<Option<f64>> {
        let mut shares: Vec<Option<f64>> = vec![None; atlas.districts().len()];
        for t in &self.targets {
            let (Some(code), Some(percent)) = (&t.district, t.percent) else {
                continue;
            };
            let Some(d) = atlas.find_district(code.as_str()) else {
                continue;
            };
            let slot = &mut shares[d.index()];
            *slot = Some(slot.map_or(percent, |s| s.min(percent)));
        }
        shares
    }
}

fn summarize(overlays: &Overlays, carriers: &Carriers, as_of: Date) -> Vec<AreaSummary> {
    let index = CarrierIndex::new(carriers);
    overlays
        .all()
        .iter()
        .map(|overlay| {
            let inside: Vec<CarrierRef> = overlay
                .carriers_in(&index)
                .into_iter()
                .map(|i| carriers.get(i as usize))
                .filter(|c| c.is_open_on(as_of))
                .collect();
            AreaSummary {
                id: overlay.id.clone(),
                name: overlay.name.clone(),
                kind: overlay.kind,
                carriers: inside.iter().map(|c| c.id().to_string()).collect(),
                totals: Totals::of(inside),
            }
        })
        .collect()
}

struct Context<'a> {
    placed: &'a Placed<'a>,
    overlays: Option<&'a Overlays>,
    names: Option<&'a DistrictNames>,
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
            note: None,
            part_of: target.part_of.clone(),
            source: target.source.clone(),
            unclassified: 0,
            district: None,
        };
        // The overlays have boundaries in the overlays file, or the records
        // say which carriers are in them (by an overlay or a managed area of
        // one): a record that says neither is outside them.
        let named: Vec<&String> = scope
            .overlays
            .iter()
            .chain(&scope.exclude_overlays)
            .collect();
        let told = named.iter().any(|id| self.named(id));
        if let Some(missing) = named.iter().find(|id| !self.bounded(id) && !told) {
            result.reason = Some(NotEvaluableReason::UnboundedOverlay {
                overlay: missing.to_string(),
            });
            return result;
        }
        result.note = self.unsaid(&named, as_of);
        result.unclassified = self.unclassified(target, scope, as_of);
        if result.unclassified > 0 {
            let n = result.unclassified;
            let line = format!(
                "{n} {} in scope could not be classified (a {} the reader does not know) and \
                 {} not counted",
                if n == 1 { "carrier" } else { "carriers" },
                if target.filter.categories.is_empty() {
                    "level"
                } else {
                    "category"
                },
                if n == 1 { "is" } else { "are" },
            );
            result.note = Some(match result.note.take() {
                Some(note) => format!("{note}; {line}"),
                None => line,
            });
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

    /// How many carriers open on `date` would be in `target`'s scope and
    /// pass its kinds, but gave a category (or level) the reader does not
    /// know where the target filters on it.
    fn unclassified(&self, target: &Target, scope: &ResolvedScope, date: Date) -> usize {
        let filter = &target.filter;
        let category = !filter.categories.is_empty();
        let level = !filter.levels.is_empty();
        let unknown = |c: CarrierRef| {
            (category && c.category_unclassified()) || (level && c.level_unclassified())
        };
        let carriers = self.placed.carriers();
        if !carriers.iter().any(unknown) {
            return 0;
        }
        // The same target, without the filter it could not apply.
        let mut unfiltered = target.clone();
        unfiltered.measure = Measure::Carriers;
        unfiltered.filter.categories.clear();
        unfiltered.filter.levels.clear();
        (0..carriers.len())
            .filter(|&i| {
                let c = carriers.get(i);
                unknown(c)
                    && c.is_open_on(date)
                    && counted(
                        &unfiltered,
                        scope,
                        c,
                        self.placed.place(i),
                        self.overlays,
                        None,
                    ) > 0.0
            })
            .count()
    }

    /// Whether overlay `id` has a boundary in the overlays file.
    fn bounded(&self, id: &str) -> bool {
        self.overlays.is_some_and(|o| o.get(id).is_some())
    }

    /// Whether a carrier names overlay `id`.
    fn named(&self, id: &str) -> bool {
        self.placed.carriers().overlay_names().any(|n| n == id)
    }

    /// For overlays some of which have no boundary, a note of the carriers
    /// open on `date` in the districts they reach (as the managed areas of
    /// the names give them) that name no overlay, no managed area and have
    /// no location to find them by: each counts as outside the overlays.
    fn unsaid(&self, overlays: &[&String], date: Date) -> Option<String> {
        if overlays.is_empty() || overlays.iter().all(|id| self.bounded(id)) {
            return None;
        }
        let names = self.names.unwrap_or_else(|| DistrictNames::chongqing());
        let atlas = self.placed.atlas();
        let reach: HashSet<DistrictId> = overlays
            .iter()
            .flat_map(|id| names.reach(id))
            .filter_map(|code| atlas.district_with_code(code.as_str()))
            .collect();
        let unsaid = self
            .placed
            .iter()
            .filter(|(c, place)| {
                let found_by_point = c.anchor().is_some() && self.overlays.is_some();
                let says =
                    c.overlay().is_some() || c.declared().is_some_and(|(_, d)| d.area().is_some());
                c.is_open_on(date)
                    && !says
                    && !found_by_point
                    && place.district.is_some_and(|d| reach.contains(&d))
            })
            .count();
        if unsaid == 0 {
            return None;
        }
        let mut names: Vec<&str> = reach
            .iter()
            .map(|&d| atlas.district(d).name.as_str())
            .collect();
        names.sort_unstable();
        let carriers = if unsaid == 1 { "carrier" } else { "carriers" };
        Some(format!(
            "{unsaid} {carriers} in the districts the overlays reach ({}) name neither an overlay \
             nor a managed area, and count outside them",
            names.join(", ")
        ))
    }

    /// The target's measure over the carriers open on `date` in its scope,
    /// summed in the tallies' fixed point: exactly, so the answer does not
    /// depend on the order of the carriers or the threads that add them.
    fn total(&self, target: &Target, scope: &ResolvedScope, date: Date) -> f64 {
        let carriers = self.placed.carriers();
        // A year's own figures, where the register gives them per year.
        let year = carriers.has_yearly().then(|| date.year());
        let units: i128 = (0..carriers.len())
            .into_par_iter()
            .with_min_len(1 << 14)
            .map(|i| {
                let carrier = carriers.get(i);
                if !carrier.is_open_on(date) {
                    return 0;
                }
                let place = self.placed.place(i);
                to_units(counted(target, scope, carrier, place, self.overlays, year))
            })
            .sum();
        from_units(units)
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What one carrier adds to `target`, whatever its opening date: its
/// measure (floor area by its shares in the scope's districts; enterprises
/// of `year` where the register gives them per year) when it passes the
/// filter and lies in the scope, else 0.
pub(crate) fn counted(
    target: &Target,
    scope: &ResolvedScope,
    carrier: CarrierRef,
    place: Place,
    overlays: Option<&Overlays>,
    year: Option<u16>,
) -> f64 {
    let in_overlay = |id: &str| match overlays {
        Some(overlays) => overlays.holds(id, carrier),
        None => carrier.overlay() == Some(id),
    };
    let holds = |d: DistrictId| scope.districts.as_ref().is_none_or(|set| set.contains(&d));
    let overlays_ok = (scope.overlays.is_empty() || scope.overlays.iter().any(|o| in_overlay(o)))
        && !scope.exclude_overlays.iter().any(|o| in_overlay(o));
    if !target.filter.accepts(carrier) || !overlays_ok {
        return 0.0;
    }
    match (target.measure, place.shares) {
        (Measure::FloorArea, Some(shares)) => shares
            .iter()
            .filter(|s| s.district.is_some_and(holds))
            .map(|s| s.fraction * carrier.floor_area_m2())
            .sum(),
        // A carrier in a managed area without a location counts in a scope
        // that holds all of the area's districts.
        _ if place.is_within(holds) => match year {
            Some(year) => target.measure.in_year(carrier, year),
            None => target.measure.of(carrier),
        },
        _ => 0.0,
    }
}
