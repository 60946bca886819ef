//! Quota plans: targets by scope and measure, with deadlines, and the check
//! of how far carriers are from them on a date.
//!
//! A [`QuotaPlan`] is data: it loads from JSON or TOML, and
//! [`QuotaPlan::chongqing_2021_2025`] holds Chongqing's plan. [`check`]
//! evaluates a plan for an as-of date into a [`Report`].

mod check;
mod chongqing;
mod split;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::atlas::{Atlas, DistrictId};
use crate::carrier::{Carrier, Category, Kind, Level};
use crate::date::Date;
use crate::error::{Error, ErrorKind, Position};
use crate::overlay::{Overlays, DUAL_CORE};

pub use check::{check, AreaSummary, Report, Status, TargetResult};
pub(crate) use check::{counted, Place};

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
    pub fn of(self, carrier: &Carrier) -> f64 {
        match self {
            Measure::FloorArea => carrier.floor_area_m2,
            Measure::Carriers => 1.0,
            Measure::Enterprises => f64::from(carrier.enterprises),
            Measure::TechEnterprises => f64::from(carrier.tech_enterprises),
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
    pub fn accepts(&self, carrier: &Carrier) -> bool {
        fn allowed<T: PartialEq>(list: &[T], value: Option<T>) -> bool {
            list.is_empty() || value.is_some_and(|v| list.contains(&v))
        }
        allowed(&self.kinds, Some(carrier.kind))
            && allowed(&self.categories, carrier.category)
            && allowed(&self.levels, carrier.level)
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

impl QuotaPlan {
    /// Reads a plan from JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidPlan`] with the line and column of a syntax error,
    /// a missing field or an unknown one.
    pub fn from_json(text: &str) -> Result<QuotaPlan, Error> {
        serde_json::from_str(text).map_err(|e| {
            ErrorKind::InvalidPlan {
                position: Some(Position {
                    line: e.line(),
                    column: e.column(),
                }),
                message: crate::read::bare_message(&e),
            }
            .into()
        })
    }

    /// Reads a plan from TOML.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidPlan`] with the line and column where TOML
    /// reports one.
    pub fn from_toml(text: &str) -> Result<QuotaPlan, Error> {
        toml::from_str(text).map_err(|e| {
            let position = e.span().map(|span| position_of(text, span.start));
            ErrorKind::InvalidPlan {
                position,
                message: e.message().to_string(),
            }
            .into()
        })
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
    /// `atlas`; overlays in `overlays` or among the dual-core ids
    /// ([`DUAL_CORE`]), which carriers may name without an overlays file.
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
            scopes.push(resolve_scope(&target.id, &target.scope, atlas, overlays)?);
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
}

fn resolve_scope(
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
            DUAL_CORE.contains(&name.as_str()) || overlays.is_some_and(|o| o.get(name).is_some());
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

/// The 1-based line and column of byte `offset` in `text`.
fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    Position { line, column }
}

#[cfg(test)]
mod tests;
