//! The main job: a plan checked against placed carriers on a date, with
//! its zone targets split among districts when asked, and everything the
//! reports need.

use crate::date::Date;
use crate::error::Error;
use crate::names::DistrictNames;
use crate::overlay::Overlays;
use crate::place::Placed;
use crate::quota::{CheckOptions, DistrictTargets, History, QuotaPlan, Report, SplitBy};
use crate::tally::{AreaTally, Tally};

/// A plan check, set up: the plan, its overlay areas, the date and the
/// district split. [`PlanCheck::run`] does it.
///
/// ```
/// use carrier_quota::quota::SplitBy;
/// use carrier_quota::place::FootprintRule;
/// use carrier_quota::read::read_carriers;
/// use carrier_quota::{Atlas, PlanCheck, QuotaPlan, ReadOptions};
///
/// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
///   {"type": "Feature", "id": "c-1", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
///    "properties": {"kind": "incubator", "floor_area_m2": 5000}}
/// ]}"#;
/// let carriers = read_carriers(file.as_bytes(), &ReadOptions::new())?;
/// let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
/// let checked = PlanCheck::new(QuotaPlan::chongqing_2021_2025())
///     .split(SplitBy::LandArea)
///     .run(placed)?;
/// assert_eq!(checked.as_of.to_string(), "2025-12-31");
/// assert_eq!(checked.tally.city().all.floor_area_m2(), 5000.0);
/// assert_eq!(checked.report.targets.len(), 10 + 38);
/// # Ok::<(), carrier_quota::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PlanCheck {
    /// The plan.
    pub plan: QuotaPlan,
    /// The overlay areas, in any datum.
    pub overlays: Option<Overlays>,
    /// The date to check; by default the plan's last deadline.
    pub as_of: Option<Date>,
    /// How to split each zone target among its districts, if at all
    /// ([`QuotaPlan::split_zone_targets`]).
    pub split: Option<SplitBy>,
    /// The names the carriers were read with ([`CheckOptions::names`]);
    /// Chongqing's when `None`.
    pub names: Option<DistrictNames>,
    /// Targets assigned to districts by a table: they replace a split's
    /// shares ([`QuotaPlan::with_district_targets`]).
    pub district_targets: Option<DistrictTargets>,
}

/// A plan checked: what [`PlanCheck::run`] found, and what it was found
/// on. The reports render it.
#[derive(Debug, Clone)]
pub struct CheckedPlan<'a> {
    /// The plan as checked: split by district when that was asked for.
    pub plan: QuotaPlan,
    /// The carriers, placed.
    pub placed: Placed<'a>,
    /// The overlay areas, in the atlas's datum.
    pub overlays: Option<Overlays>,
    /// The date checked.
    pub as_of: Date,
    /// The names the carriers were read with, when given.
    pub names: Option<DistrictNames>,
    /// The carriers open on the as-of date, tallied.
    pub tally: Tally,
    /// Of them, those that count in a managed area and in no one district,
    /// by area ([`Tally::managed_areas`]).
    pub areas: Vec<AreaTally>,
    /// Each target's standing.
    pub report: Report,
}

impl CheckedPlan<'_> {
    /// The plan as checked, checked again at each year end from its start
    /// to the as-of date ([`QuotaPlan::history`]).
    ///
    /// # Errors
    ///
    /// As [`QuotaPlan::check`].
    pub fn history(&self) -> Result<History, Error> {
        let options = CheckOptions {
            as_of: Some(self.as_of),
            overlays: self.overlays.as_ref(),
            names: self.names.as_ref(),
        };
        self.plan.history(&self.placed, &options)
    }
}

impl PlanCheck {
    /// A check of `plan` on its last deadline, without overlays or split.
    pub fn new(plan: QuotaPlan) -> PlanCheck {
        PlanCheck {
            plan,
            overlays: None,
            as_of: None,
            split: None,
            names: None,
            district_targets: None,
        }
    }

    /// The targets a table assigns to districts: each becomes its
    /// district's part of a plan target, and a split leaves those targets
    /// as they are.
    pub fn district_targets(mut self, table: DistrictTargets) -> PlanCheck {
        self.district_targets = Some(table);
        self
    }

    /// The overlay areas.
    pub fn overlays(mut self, overlays: Overlays) -> PlanCheck {
        self.overlays = Some(overlays);
        self
    }

    /// The date to check.
    pub fn as_of(mut self, date: Date) -> PlanCheck {
        self.as_of = Some(date);
        self
    }

    /// The names the carriers were read with: their managed areas say
    /// which districts an overlay without a boundary reaches
    /// ([`CheckOptions::names`]).
    pub fn names(mut self, names: DistrictNames) -> PlanCheck {
        self.names = Some(names);
        self
    }

    /// Splits each zone target among its districts by `split` and checks
    /// the district targets too; a target a district targets table gave
    /// parts to is not split.
    pub fn split(mut self, split: SplitBy) -> PlanCheck {
        self.split = Some(split);
        self
    }

    /// Checks the plan against `placed` on the as-of date: tallies the
    /// carriers open then, splits the zone targets (floor-area weights from
    /// that tally), and checks every target.
    ///
    /// # Errors
    ///
    /// As [`QuotaPlan::split_zone_targets`] and [`QuotaPlan::check`].
    pub fn run(self, placed: Placed) -> Result<CheckedPlan, Error> {
        let atlas = placed.atlas();
        let as_of = self.as_of.unwrap_or_else(|| self.plan.last_deadline());
        let overlays = self.overlays.map(|o| o.into_datum(atlas.datum()));
        let tally = Tally::open_on(&placed, as_of);
        let (plan, target_notes) = match &self.district_targets {
            Some(table) => {
                let names = self.names.as_ref().unwrap_or(DistrictNames::chongqing());
                self.plan.with_district_targets(atlas, names, table)?
            }
            None => (self.plan, Vec::new()),
        };
        let plan = match &self.split {
            Some(split) => plan.split_zone_targets(atlas, &split.weighting(&tally))?,
            None => plan,
        };
        let options = CheckOptions {
            as_of: Some(as_of),
            overlays: overlays.as_ref(),
            names: self.names.as_ref(),
        };
        let mut report = plan.check(&placed, &options)?;
        report.target_notes = target_notes;
        let areas = Tally::managed_areas(&placed, Some(as_of));
        Ok(CheckedPlan {
            areas,
            plan,
            placed,
            overlays,
            as_of,
            names: self.names,
            tally,
            report,
        })
    }
}
