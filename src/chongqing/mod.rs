//! Chongqing: the embedded atlas of its 38 districts and counties, its
//! 2021–2025 plan for incubation carriers, and the names of the plan's
//! dual core. Everything else in the crate works for any region set and any
//! plan; this module is the data that makes it Chongqing's.
//!
//! - [`Atlas::chongqing`]: the districts in three zones, compiled in.
//! - [`QuotaPlan::chongqing_2021_2025`]: the plan's targets and its stated
//!   starting point.
//! - [`DUAL_CORE`]: the overlay ids of Western (Chongqing) Science City and
//!   Liangjiang New Area, which carriers may name in their `overlay`
//!   property.
//!
//! [`Atlas::chongqing`]: crate::Atlas::chongqing
//! [`QuotaPlan::chongqing_2021_2025`]: crate::QuotaPlan::chongqing_2021_2025

mod atlas;
mod names;
mod plan;

use crate::atlas::{FormerName, ManagedArea, RegionCode};

#[cfg(test)]
pub(crate) use atlas::DISTRICTS;

/// The names and codes Chongqing's districts had before the changes since
/// 1997 (开县 until 2016, 双桥区 and 大足县 until 2011, …), with the date
/// each change was approved: what [`DistrictNames::chongqing`] knows. The
/// sources are cited in `src/chongqing/names.rs`.
///
/// [`DistrictNames::chongqing`]: crate::DistrictNames::chongqing
pub fn former_names() -> Vec<FormerName> {
    names::FORMER_NAMES
        .iter()
        .map(|f| FormerName {
            name: f.name.to_string(),
            code: f.code.and_then(RegionCode::new),
            district: RegionCode::new(f.district).expect("a code"),
            until: f.until.parse().expect("a record date"),
        })
        .collect()
}

/// The managed areas (功能区) registers name in place of a district, with
/// the districts each takes in part of and the dual-core overlay each is:
/// 两江新区 (`liangjiang_new_area`), 西部(重庆)科学城 and 重庆高新区
/// (`western_science_city`), 万盛经开区, 双桥经开区 and the development zones
/// named after their district. The sources are cited in
/// `src/chongqing/names.rs`.
pub fn managed_areas() -> Vec<ManagedArea> {
    names::MANAGED_AREAS
        .iter()
        .map(|a| ManagedArea {
            name: a.names[0].to_string(),
            aliases: a.names[1..].iter().map(|n| n.to_string()).collect(),
            name_en: Some(a.name_en.to_string()),
            districts: a
                .districts
                .iter()
                .map(|c| RegionCode::new(*c).expect("a code"))
                .collect(),
            overlay: a.overlay.map(String::from),
        })
        .collect()
}

/// The overlay ids of the dual core of the 2021–2025 plan: Western
/// (Chongqing) Science City and Liangjiang New Area.
pub const DUAL_CORE: [&str; 2] = ["western_science_city", "liangjiang_new_area"];
