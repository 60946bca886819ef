//! Where incubation carriers are, which district and zone each counts
//! toward, how much each zone holds, and how far each target of a plan is.
//!
//! Chongqing's 2021–2025 plan sets targets for its incubation carriers
//! (maker spaces, incubators, accelerators): floor area by zone, enterprises,
//! special carriers. This crate reads carrier files, places each carrier in
//! exactly one district of an atlas (Chongqing's 38 districts and counties
//! are embedded), tallies them by district, zone and city, checks a plan on
//! any date, and allocates what is missing among districts and candidate
//! sites.
//!
//! # Flow
//!
//! Each stage is a type that holds what the next needs, so the stages
//! cannot be taken out of order:
//!
//! 1. [`CarrierFormat::read`] (or a reader of [`read`], such as
//!    [`read::read_carriers_parallel`]) reads a GeoJSON FeatureCollection, a
//!    CSV or Excel register or a Parquet file into [`Carriers`]: a compact
//!    columnar store that knows its [`Datum`], with a [`Rejection`] for each
//!    feature it refused.
//! 2. [`Atlas::place`] converts them to the atlas's datum and gives each one
//!    district (or none) by the border rule of [`Atlas::locate`]:
//!    [`Placed`].
//! 3. [`Tally`] sums placed carriers by district, zone and city, on a date.
//! 4. [`QuotaPlan::check`] checks a plan on a date into a [`Report`];
//!    [`PlanCheck`] does the whole job (default date, overlays, the
//!    district split, the tally) into a [`CheckedPlan`].
//! 5. [`report`] renders it as a table, JSON, CSV, GeoJSON or an SVG map.
//!
//! ```
//! use carrier_quota::place::FootprintRule;
//! use carrier_quota::read::read_carriers;
//! use carrier_quota::report::{self, Format, Options};
//! use carrier_quota::{Atlas, PlanCheck, QuotaPlan, ReadOptions};
//!
//! let file = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
//!   {"type": "Feature", "id": "c-1", "geometry": {"type": "Point", "coordinates": [106.5718, 29.5600]},
//!    "properties": {"kind": "incubator", "floor_area_m2": 5000, "enterprises": 40}}
//! ]}"#;
//! let atlas = Atlas::chongqing();
//! let carriers = read_carriers(file.as_bytes(), &ReadOptions::new())?;
//! let placed = atlas.place(carriers, FootprintRule::SurfacePoint); // WGS-84 in, GCJ-02 like the atlas
//! let checked = PlanCheck::new(QuotaPlan::chongqing_2021_2025()).run(placed)?;
//! assert_eq!(checked.tally.city().all.floor_area_m2(), 5000.0);
//!
//! let mut table = Vec::new();
//! report::write(&mut table, &checked, Format::Table, &Options::new())?;
//! assert!(String::from_utf8(table).unwrap().contains("floor_area_total"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Beside the check: [`CarrierIndex`] answers box, region, radius and
//! nearest queries over the carriers (an rstar R-tree); [`apportion`] splits
//! a target among districts in whole units and
//! [`QuotaPlan::split_zone_targets`] turns zone targets into district
//! targets; [`sites::select_sites`] chooses the cheapest candidate sites
//! that close the plan's floor-area gaps. The other readers are
//! [`atlas::read_regions`] (any region set), [`overlay::read_overlays`],
//! [`quota::read_plan`], [`sites::read_candidates`] and
//! [`quota::read_weights`].
//!
//! The border, footprint and datum rules are explained in `DESIGN.md`.

pub mod apportion;
pub mod atlas;
pub mod carrier;
pub mod chongqing;
pub mod compare;
pub mod counted;
pub mod date;
pub mod datum;
pub mod error;
mod format;
pub mod guide;
pub mod index;
mod job;
mod json;
pub mod names;
pub mod overlay;
pub mod place;
mod position;
pub mod quota;
pub mod read;
pub mod report;
pub mod sites;
mod spelling;
#[cfg(feature = "datafusion")]
pub mod sql;
#[cfg(feature = "parquet")]
pub mod stream;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
pub mod tally;
mod validity;
pub mod write;

// The main flow, from a file to a checked plan; everything else is in its
// module.
pub use atlas::{Atlas, District, DistrictId, RegionCode, Zone, ZoneId};
pub use carrier::{
    Carrier, CarrierId, Carriers, Category, Footprint, Kind, Level, Location, RejectReason,
    Rejection,
};
pub use date::Date;
pub use datum::Datum;
pub use error::{Error, ErrorKind};
pub use format::CarrierFormat;
pub use index::CarrierIndex;
pub use job::{CheckedPlan, PlanCheck};
pub use names::DistrictNames;
pub use overlay::Overlays;
pub use place::{Mismatch, Place, Placed, PlacedBy};
pub use position::Position;
pub use quota::{CheckOptions, Measure, QuotaPlan, Report, Status, Target};
pub use read::ReadOptions;
pub use tally::{Tally, Totals};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The guide's examples (`docs/guide/`), compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/guide/registers.md")]
#[doc = include_str!("../docs/guide/allocation.md")]
#[doc = include_str!("../docs/guide/report.md")]
#[doc = include_str!("../docs/guide/formats.md")]
#[doc = include_str!("../docs/guide/errors.md")]
#[doc = include_str!("../docs/guide/sql-and-cluster.md")]
pub struct GuideDoctests;
