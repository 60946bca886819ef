//! Chongqing: the embedded atlas of its 38 districts and counties, the
//! names registers give them, and the names of the plan's dual core.
//! Everything else in the crate works for any region set and any plan;
//! this module is the data that makes it Chongqing's, below every stage
//! that reads, places or checks carriers.
//!
//! - [`Atlas::chongqing`]: the districts in three zones, compiled in.
//! - [`DistrictNames::chongqing`]: their names, the names and codes they
//!   had before a change ([`former_names`]) and the managed areas registers
//!   name ([`managed_areas`]), each with its source.
//! - [`OverlayNames::chongqing`] and [`DUAL_CORE`]: the overlay ids of
//!   Western (Chongqing) Science City and Liangjiang New Area, which
//!   carriers may name in their `overlay` property, and their names.
//!
//! The plan itself, [`QuotaPlan::chongqing_2021_2025`], is built in
//! [`quota`](crate::quota) from these ids.
//!
//! [`Atlas::chongqing`]: crate::Atlas::chongqing
//! [`QuotaPlan::chongqing_2021_2025`]: crate::QuotaPlan::chongqing_2021_2025

mod atlas;
mod names;

use std::sync::OnceLock;

use crate::atlas::{Atlas, RegionCode};
use crate::names::{DistrictNames, FormerName, ManagedArea, OverlayNames, Town};

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

/// Chongqing's 1,031 towns and streets (乡镇街道) with their districts,
/// from the national statistical division codes (as updated 2021-12-30):
/// `data/chongqing/towns.csv`, whose README cites the source.
pub fn towns() -> Vec<Town> {
    const TOWNS: &str = include_str!("../../data/chongqing/towns.csv");
    TOWNS
        .lines()
        .skip(1)
        .map(|line| {
            let mut cells = line.split(',');
            let mut next = || cells.next().expect("three cells").to_string();
            let (code, district, name) = (next(), next(), next());
            let district = RegionCode::new(&district).expect("a code");
            Town {
                code,
                district,
                name,
            }
        })
        .collect()
}

/// The overlay ids of the dual core of the 2021–2025 plan: Western
/// (Chongqing) Science City and Liangjiang New Area.
pub const DUAL_CORE: [&str; 2] = ["western_science_city", "liangjiang_new_area"];

impl DistrictNames {
    /// Chongqing's 38 districts and counties ([`Atlas::chongqing`]), with
    /// the names and codes they had since 1997 and the managed areas
    /// registers name (两江新区, 西部(重庆)科学城, 万盛经开区, …): the data of
    /// [`crate::chongqing`], with its sources.
    pub fn chongqing() -> &'static DistrictNames {
        static NAMES: OnceLock<DistrictNames> = OnceLock::new();
        NAMES.get_or_init(|| {
            let names = DistrictNames::of(Atlas::chongqing());
            names
                .with_former_names(former_names())
                .with_managed_areas(managed_areas())
                .with_towns(towns())
        })
    }
}

impl OverlayNames {
    /// The dual core of Chongqing's plan ([`DUAL_CORE`]),
    /// by its ids and the names of the managed areas that are it:
    /// 两江新区 (`liangjiang_new_area`), 西部(重庆)科学城, 重庆高新区 and 高新区
    /// (`western_science_city`), and their English names.
    pub fn chongqing() -> &'static OverlayNames {
        static NAMES: OnceLock<OverlayNames> = OnceLock::new();
        NAMES.get_or_init(|| {
            let areas = managed_areas();
            DUAL_CORE.iter().fold(OverlayNames::new(), |names, id| {
                let named = areas.iter().filter(|a| a.overlay.as_deref() == Some(*id));
                let aliases = named.flat_map(|a| {
                    std::iter::once(&a.name)
                        .chain(&a.aliases)
                        .chain(&a.name_en)
                        .cloned()
                });
                names.with(id, aliases.collect::<Vec<_>>())
            })
        })
    }
}
