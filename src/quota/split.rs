//! District plans: zone targets split into one target per district.

use super::districts::{DistrictSplit, Weighting};
use super::{QuotaPlan, Scope, Target, TargetSource};
use crate::atlas::{Atlas, DistrictId};
use crate::error::{Error, ErrorKind};

impl QuotaPlan {
    /// The plan with each zone target followed by its parts: one target per
    /// district of its zones, whose minimums are the zone target's minimum
    /// (rounded up to a whole number) split by `weighting` with
    /// [`DistrictSplit`].
    ///
    /// A zone target is one whose scope names zones and nothing else; its
    /// parts keep its measure, filter and deadline, count their district's
    /// carriers (`scope.districts` is the district's code), have no stated
    /// baseline, and name it in [`Target::part_of`]. Their ids are
    /// `PARENT/CODE`. A target that already has parts is not split again.
    /// The parts add up to the zone target exactly; a district of weight 0
    /// gets a minimum of 0, which it meets.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownPlanName`] for a zone the atlas does not have;
    /// [`ErrorKind::Split`] naming the target when the weights cannot split
    /// it (a weight table without a district of the zone, for one).
    ///
    /// # Examples
    ///
    /// ```
    /// use carrier_quota::quota::Weighting;
    /// use carrier_quota::{Atlas, QuotaPlan};
    ///
    /// let atlas = Atlas::chongqing();
    /// let plan = QuotaPlan::chongqing_2021_2025().split_zone_targets(atlas, &Weighting::LandArea)?;
    /// let parts: Vec<_> = plan.targets.iter()
    ///     .filter(|t| t.part_of.as_deref() == Some("floor_area_outer_clusters"))
    ///     .collect();
    /// assert_eq!(parts.len(), 17);
    /// assert_eq!(parts.iter().map(|t| t.minimum).sum::<f64>(), 350_000.0);
    /// # Ok::<(), carrier_quota::Error>(())
    /// ```
    pub fn split_zone_targets(
        &self,
        atlas: &Atlas,
        weighting: &Weighting,
    ) -> Result<QuotaPlan, Error> {
        let mut targets = Vec::with_capacity(self.targets.len());
        for target in &self.targets {
            targets.push(target.clone());
            let already_split = self
                .targets
                .iter()
                .any(|t| t.part_of.as_deref() == Some(&target.id));
            if is_zone_target(target) && !already_split {
                targets.extend(district_parts(target, atlas, weighting)?);
            }
        }
        Ok(QuotaPlan {
            targets,
            ..self.clone()
        })
    }
}

fn is_zone_target(target: &Target) -> bool {
    let s = &target.scope;
    !s.zones.is_empty()
        && s.districts.is_empty()
        && s.overlays.is_empty()
        && s.exclude_overlays.is_empty()
        && target.part_of.is_none()
}

fn district_parts(
    target: &Target,
    atlas: &Atlas,
    weighting: &Weighting,
) -> Result<Vec<Target>, Error> {
    let mut districts: Vec<DistrictId> = Vec::new();
    for name in &target.scope.zones {
        let zone = atlas
            .find_zone(name)
            .ok_or_else(|| ErrorKind::UnknownPlanName {
                target: target.id.clone(),
                what: "zone",
                name: name.clone(),
            })?;
        districts.extend(&atlas.zone(zone).districts);
    }
    districts.sort_unstable();
    districts.dedup();
    // Minimums are checked finite and not negative by validation; a bad one
    // here saturates and is reported by the checker.
    let minimum = target.minimum.ceil() as u64;
    let shares = DistrictSplit::new(&districts, *weighting)
        .apportion(atlas, minimum)
        .map_err(|reason| ErrorKind::Split {
            target: target.id.clone(),
            reason,
        })?;
    let source = TargetSource::Split(weighting.method());
    Ok(districts
        .iter()
        .zip(shares)
        .map(|(&d, share)| district_part(target, atlas, d, share.share as f64, &source))
        .collect())
}

/// The part of `parent` that district `id` must reach: its own scope, the
/// parent's measure, filter and deadline, no stated baseline.
pub(super) fn district_part(
    parent: &Target,
    atlas: &Atlas,
    id: DistrictId,
    minimum: f64,
    source: &TargetSource,
) -> Target {
    let district = atlas.district(id);
    Target {
        id: format!("{}/{}", parent.id, district.code),
        name: format!("{}（{}）", parent.name, district.name),
        name_en: parent.name_en.as_ref().map(|en| {
            let place = district
                .name_en
                .as_deref()
                .unwrap_or(district.code.as_str());
            format!("{en}: {place}")
        }),
        scope: Scope {
            districts: vec![district.code.to_string()],
            ..Scope::default()
        },
        measure: parent.measure,
        filter: parent.filter.clone(),
        minimum,
        deadline: parent.deadline,
        baseline: None,
        part_of: Some(parent.id.clone()),
        source: source.clone(),
    }
}
