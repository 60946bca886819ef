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
mod plan;

#[cfg(test)]
pub(crate) use atlas::DISTRICTS;

/// The overlay ids of the dual core of the 2021–2025 plan: Western
/// (Chongqing) Science City and Liangjiang New Area.
pub const DUAL_CORE: [&str; 2] = ["western_science_city", "liangjiang_new_area"];
