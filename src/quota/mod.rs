//! Quota plans: targets by scope and measure, with deadlines, and the check
//! of how far carriers are from them on a date.
//!
//! A [`QuotaPlan`] is data: [`read_plan`] loads it from JSON or TOML, and
//! [`QuotaPlan::chongqing_2021_2025`] holds Chongqing's plan.
//! [`QuotaPlan::check`] evaluates a plan for an as-of date into a [`Report`].

mod assigned;
mod check;
mod chongqing;
mod districts;
mod history;
mod source;
mod split;

use std::collections::HashSet;
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::atlas::{Atlas, DistrictId};
use crate::carrier::{CarrierRef, Category, Kind, Level};
use crate::date::Date;
use crate::error::{Error, ErrorKind};
use crate::overlay::Overlays;
use crate::position::Position;

pub use assigned::{read_district_targets, AssignedTarget, DistrictTargets};
pub(crate) use check::{counted, in_datum};
pub use check::{AreaSummary, CheckOptions, NotEvaluableReason, Report, Status, TargetResult};
pub use districts::{read_weights, DistrictShare, DistrictSplit, SplitBy, WeightTable, Weighting};
pub use history::{History, Snapshot, Standing, TargetLine};
pub use source::{SplitMethod, TargetSource};

/// A plan: targets to reach by their deadlines, counted from a start date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaPlan {
    /// The plan's name.
    pub name: String,
    /// English name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The plan's starting point: progress lines run from here.
    pub start: Date,
    /// The overlay areas the targets may name that carriers name in their
    /// `overlay` property, so that no overlays file is needed for them
    /// (the dual core, in the built-in plan). An overlay a target names must
    /// be listed here or given by the overlays file of a check.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<String>,
    /// Figures the plan states for its starting point (informational).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starting_point: Vec<Figure>,
    /// The targets.
    pub targets: Vec<Target>,
}

/// A figure a plan states, such as the number of incubators in 2021.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Short key.
    pub id: String,
    /// The value.
    pub value: f64,
    /// What it counts.
    pub description: String,
}

/// One target: at least `minimum` of `measure` over the carriers in `scope`
/// that pass `filter`, by `deadline`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Unique id, e.g. `floor_area_total`.
    pub id: String,
    /// Name (Chinese for the built-in plan).
    pub name: String,
    /// English name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Where carriers count; the whole city when empty.
    #[serde(default)]
    pub scope: Scope,
    /// What is counted.
    pub measure: Measure,
    /// Which carriers count; all when empty.
    #[serde(default)]
    pub filter: Filter,
    /// The least value that meets the target.
    pub minimum: f64,
    /// The day by which it must be met.
    pub deadline: Date,
    /// The value at the plan's start, where the plan states one; otherwise
    /// the carriers open on the start date are tallied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// The id of the target this one is a district's part of, when it was
    /// made by [`QuotaPlan::split_zone_targets`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// Where its minimum comes from: the plan (the default), a district
    /// targets table, or a split computed by [`QuotaPlan::split_zone_targets`].
    #[serde(default, skip_serializing_if = "TargetSource::is_plan")]
    pub source: TargetSource,
}

/// What a target counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Floor area, m².
    FloorArea,
    /// Number of carriers.
    Carriers,
    /// Enterprises and start-up teams in incubation.
    Enterprises,
    /// Technology enterprises.
    TechEnterprises,
}

impl Measure {
    /// The measure's value for one carrier (floor area whole, not split).
    pub fn of(self, carrier: CarrierRef) -> f64 {
        match self {
            Measure::FloorArea => carrier.floor_area_m2(),
            Measure::Carriers => 1.0,
            Measure::Enterprises => f64::from(carrier.enterprises()),
            Measure::TechEnterprises => f64::from(carrier.tech_enterprises()),
        }
    }

    /// The measure's value for one carrier in `year`: enterprises and tech
    /// enterprises of that year where the register gives them per year
    /// ([`CarrierRef::enterprises_in`]), else as [`Measure::of`].
    pub fn in_year(self, carrier: CarrierRef, year: u16) -> f64 {
        match self {
            Measure::Enterprises => f64::from(carrier.enterprises_in(year)),
            Measure::TechEnterprises => f64::from(carrier.tech_enterprises_in(year)),
            other => other.of(carrier),
        }
    }

    /// The name used in plan files and reports: `floor_area`, `carriers`,
    /// `enterprises` or `tech_enterprises`.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::FloorArea => "floor_area",
            Measure::Carriers => "carriers",
            Measure::Enterprises => "enterprises",
            Measure::TechEnterprises => "tech_enterprises",
        }
    }
}

impl std::str::FromStr for Measure {
    type Err = crate::carrier::UnknownName;

    /// Parses the names [`Measure::as_str`] gives (`-` for `_` too).
    fn from_str(s: &str) -> Result<Measure, Self::Err> {
        const NAMES: &[&str] = &["floor_area", "carriers", "enterprises", "tech_enterprises"];
        let all = [
            Measure::FloorArea,
            Measure::Carriers,
            Measure::Enterprises,
            Measure::TechEnterprises,
        ];
        let name = s.replace('-', "_");
        all.into_iter()
            .find(|m| m.as_str() == name)
            .ok_or_else(|| crate::carrier::UnknownName::new("measure", s, NAMES))
    }
}

/// Where a target's carriers count. Every list that is not empty must be
/// satisfied: the carrier's district is one of `districts` or in one of
/// `zones` (when either is given), it belongs to one of `overlays` (when
/// given), and to none of `exclude_overlays`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Zones by code or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// Districts by code or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub districts: Vec<String>,
    /// Overlay areas by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<String>,
    /// Overlay areas whose carriers do not count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_overlays: Vec<String>,
}

/// Which carriers a target counts; an empty list allows any value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Allowed kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<Kind>,
    /// Allowed categories (a carrier without one never passes a non-empty list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// Allowed levels (a carrier without one never passes a non-empty list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
}

impl Filter {
    /// Whether `carrier` passes.
    pub fn accepts(&self, carrier: CarrierRef) -> bool {
        fn allowed<T: PartialEq>(list: &[T], value: Option<T>) -> bool {
            list.is_empty() || value.is_some_and(|v| list.contains(&v))
        }
        allowed(&self.kinds, Some(carrier.kind()))
            && allowed(&self.categories, carrier.category())
            && allowed(&self.levels, carrier.level())
    }
}

/// A scope with its names resolved against an atlas.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResolvedScope {
    /// `None`: every district.
    pub districts: Option<HashSet<DistrictId>>,
    pub overlays: Vec<String>,
    pub exclude_overlays: Vec<String>,
}

/// The line (from 1) of a plan file's `text` that names what `error`,
/// from validating that plan, is about: the first line holding the
/// unknown name in quotes. `None` for any other error, or a name the text
/// does not quote.
pub fn plan_line(text: &[u8], error: &Error) -> Option<usize> {
    let ErrorKind::UnknownPlanName { name, .. } = error.kind() else {
        return None;
    };
    let quoted = format!("\"{name}\"");
    let text = String::from_utf8_lossy(text);
    text.lines()
        .position(|l| l.contains(&quoted))
        .map(|i| i + 1)
}

/// Reads a plan, JSON or TOML, told apart by its first character (a JSON
/// plan is an object, `{`; a TOML document cannot start with one).
///
/// # Errors
///
/// [`ErrorKind::InvalidPlan`] with the line and column of a syntax error,
/// a missing field or an unknown one (where TOML reports one), or for text
/// that is not UTF-8; [`ErrorKind::Io`] when reading fails. The plan's
/// names are checked against an atlas by [`QuotaPlan::validate`].
///
/// # Examples
///
/// ```
/// use carrier_quota::quota::read_plan;
///
/// let toml = r#"
/// name = "Yuzhong district plan"
/// start = "2021-12-31"
///
/// [[targets]]
/// id = "yuzhong_floor_area"
/// name = "渝中区孵化载体面积"
/// measure = "floor_area"
/// minimum = 500000
/// deadline = "2025-12-31"
/// scope = { districts = ["渝中区"] }
/// "#;
/// let plan = read_plan(toml.as_bytes())?;
/// assert_eq!(read_plan(plan.to_json().as_bytes())?, plan);
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_plan(reader: impl Read) -> Result<QuotaPlan, Error> {
    let text = crate::json::whole_text(reader, |message| ErrorKind::InvalidPlan {
        position: None,
        message,
    })?;
    if text.trim_start().starts_with('{') {
        plan_from_json(&text)
    } else {
        plan_from_toml(&text)
    }
}

fn plan_from_json(text: &str) -> Result<QuotaPlan, Error> {
    serde_json::from_str(text).map_err(|e| {
        ErrorKind::InvalidPlan {
            position: Some(Position {
                line: e.line(),
                column: e.column(),
            }),
            message: crate::json::bare_message(&e),
        }
        .into()
    })
}

fn plan_from_toml(text: &str) -> Result<QuotaPlan, Error> {
    toml::from_str(text).map_err(|e| {
        let position = e.span().map(|span| position_of(text, span.start));
        ErrorKind::InvalidPlan {
            position,
            message: e.message().to_string(),
        }
        .into()
    })
}

impl QuotaPlan {
    /// The last deadline of its targets (the start when it has none): the
    /// date a check is made on unless another is given.
    pub fn last_deadline(&self) -> Date {
        self.targets
            .iter()
            .map(|t| t.deadline)
            .max()
            .unwrap_or(self.start)
    }

    /// The plan as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan always serializes")
    }

    /// The plan as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a plan always serializes")
    }

    /// Checks that every name the plan uses exists: zones and districts in
    /// `atlas`; overlays in `overlays` or in [`QuotaPlan::overlays`], the
    /// ones carriers may name without an overlays file.
    /// Target ids must be unique, minimums finite and not negative,
    /// deadlines after the start, and `part_of` must name a target of the
    /// plan.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownPlanName`] naming the target and the name, or
    /// [`ErrorKind::InvalidPlan`] for the other rules.
    pub fn validate(&self, atlas: &Atlas, overlays: Option<&Overlays>) -> Result<(), Error> {
        self.resolve(atlas, overlays).map(|_| ())
    }

    pub(crate) fn resolve(
        &self,
        atlas: &Atlas,
        overlays: Option<&Overlays>,
    ) -> Result<Vec<ResolvedScope>, Error> {
        let invalid = |message: String| -> Error {
            ErrorKind::InvalidPlan {
                position: None,
                message,
            }
            .into()
        };
        let mut ids = HashSet::new();
        let mut scopes = Vec::with_capacity(self.targets.len());
        for target in &self.targets {
            if !ids.insert(target.id.as_str()) {
                return Err(invalid(format!("two targets have the id {:?}", target.id)));
            }
            if !(target.minimum.is_finite() && target.minimum >= 0.0) {
                return Err(invalid(format!(
                    "target {:?}: minimum must be a finite number >= 0, found {}",
                    target.id, target.minimum
                )));
            }
            if target.deadline <= self.start {
                return Err(invalid(format!(
                    "target {:?}: deadline {} is not after the plan's start {}",
                    target.id, target.deadline, self.start
                )));
            }
            scopes.push(self.resolve_scope(&target.id, &target.scope, atlas, overlays)?);
        }
        for target in &self.targets {
            if let Some(parent) = target.part_of.as_deref().filter(|p| !ids.contains(p)) {
                return Err(invalid(format!(
                    "target {:?} is part of {parent:?}, which the plan does not have",
                    target.id
                )));
            }
        }
        Ok(scopes)
    }

    fn resolve_scope(
        &self,
        target: &str,
        scope: &Scope,
        atlas: &Atlas,
        overlays: Option<&Overlays>,
    ) -> Result<ResolvedScope, Error> {
        let unknown = |what: &'static str, name: &str| -> Error {
            ErrorKind::UnknownPlanName {
                target: target.to_string(),
                what,
                name: name.to_string(),
            }
            .into()
        };
        let mut districts = None;
        if !scope.zones.is_empty() || !scope.districts.is_empty() {
            let mut set = HashSet::new();
            for name in &scope.zones {
                let zone = atlas.find_zone(name).ok_or_else(|| unknown("zone", name))?;
                set.extend(atlas.zone(zone).districts.iter().copied());
            }
            for name in &scope.districts {
                set.insert(
                    atlas
                        .find_district(name)
                        .ok_or_else(|| unknown("district", name))?,
                );
            }
            districts = Some(set);
        }
        for name in scope.overlays.iter().chain(&scope.exclude_overlays) {
            let known =
                self.overlays.contains(name) || overlays.is_some_and(|o| o.get(name).is_some());
            if !known {
                return Err(unknown("overlay", name));
            }
        }
        Ok(ResolvedScope {
            districts,
            overlays: scope.overlays.clone(),
            exclude_overlays: scope.exclude_overlays.clone(),
        })
    }
}

/// The 1-based line and column of byte `offset` in `text`.
fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    Position { line, column }
}

#[cfg(test)]
mod tests;
