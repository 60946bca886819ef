//! Where incubation carriers are, which district and zone each counts
//! toward, and how much floor area each zone holds.
//!
//! Chongqing's 2021–2025 plan sets floor-area targets for its incubation
//! carriers (maker spaces, incubators, accelerators) by zone. This crate
//! locates carriers in the embedded atlas of Chongqing's 38 districts and
//! counties, assigns each to exactly one district, and tallies them by
//! district, zone and city.
//!
//! ```
//! use carrier_quota::{read_carriers, Atlas, FootprintRule, ReadOptions, Tally};
//!
//! let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
//!   {"type": "Feature", "id": "c-1", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
//!    "properties": {"kind": "incubator", "floor_area_m2": 5000}}
//! ]}"#;
//! let atlas = Atlas::chongqing();
//! let read = read_carriers(file.as_bytes(), &ReadOptions::default())?.into_datum(atlas.datum());
//! let assignment = atlas.assign(&read.carriers, FootprintRule::SurfacePoint);
//! let tally = Tally::new(&atlas, &read.carriers, &assignment);
//! assert_eq!(tally.city().all.floor_area_m2(), 5000.0);
//! # Ok::<(), carrier_quota::Error>(())
//! ```
//!
//! # Flow
//!
//! read → datum → index → assign → tally → check → report:
//!
//! 1. [`read_carriers`] streams a GeoJSON FeatureCollection into [`Carriers`]:
//!    accepted [`Carrier`]s and [`Rejection`]s, each with its feature index.
//! 2. [`Carriers::into_datum`] converts coordinates to the atlas's [`Datum`].
//! 3. [`CarrierIndex`] holds the carriers in an R-tree for spatial queries.
//! 4. [`Atlas::assign`] gives each carrier one district (or none), by the
//!    border rule documented on [`Atlas::locate`].
//! 5. [`Tally`] sums carriers by district, zone and city.
//! 6. [`check`] evaluates a [`QuotaPlan`] on a date into a [`Report`].
//! 7. [`report`] renders it as a table, JSON, CSV, GeoJSON or an SVG map.
//!
//! Allocation works beside the check: [`apportion`] splits a target among
//! districts in whole units ([`apportion::apportion_districts`]),
//! [`QuotaPlan::split_zone_targets`] turns zone targets into district
//! targets, and [`sites::select_sites`] chooses the cheapest candidate sites
//! that close the plan's floor-area gaps.
//!
//! The border, footprint and datum rules are explained in `DESIGN.md`.

pub mod apportion;
mod assign;
pub mod atlas;
pub mod carrier;
pub mod date;
pub mod datum;
mod error;
mod index;
pub mod overlay;
pub mod quota;
mod read;
pub mod report;
pub mod sites;
pub mod synthetic;
mod tally;
mod write;

pub use assign::{Assignment, FootprintRule, Share};
pub use atlas::{
    Atlas, CoverageIssue, District, DistrictId, RegionCode, Zone, ZoneId, MAX_DISTRICTS,
};
pub use carrier::{Carrier, CarrierId, Category, Footprint, Kind, Level, Location};
pub use date::{Date, Opened};
pub use datum::Datum;
pub use error::{Error, ErrorKind, Position, RejectReason, Rejection};
pub use index::{CarrierIndex, Neighbour};
pub use overlay::{Overlay, OverlayArea, OverlayKind, Overlays};
pub use quota::{check, Measure, QuotaPlan, Report, Scope, Status, Target, TargetResult};
pub use read::{read_carriers, read_carriers_with, Carriers, Limits, ReadOptions, RegionOptions};
pub use tally::{Breakdown, Tally, Totals};
pub use write::write_carriers;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The largest floor area one carrier may declare, m² (1,000 km²): far above
/// any real building, so a larger value is a data-entry error.
pub const MAX_FLOOR_AREA_M2: f64 = 1e9;
