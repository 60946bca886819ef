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
//! 1. [`read_carriers`] (or [`read_carriers_parallel`]) reads a GeoJSON
//!    FeatureCollection into [`Carriers`]: a compact columnar store that
//!    knows its [`Datum`], with a [`Rejection`] for each feature it refused.
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
//! use carrier_quota::{read_carriers, report, Atlas, FootprintRule, PlanCheck, QuotaPlan, ReadOptions};
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
//! report::write_table(&mut table, &checked)?;
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
//! [`read_regions`] (any region set), [`read_overlays`], [`read_plan`],
//! [`read_candidates`] and [`quota::read_weights`].
//!
//! The border, footprint and datum rules are explained in `DESIGN.md`.

pub mod apportion;
pub mod atlas;
pub mod carrier;
pub mod chongqing;
pub mod date;
pub mod datum;
pub mod error;
mod format;
pub mod guide;
mod index;
mod job;
mod json;
pub mod names;
pub mod overlay;
mod place;
mod position;
pub mod quota;
mod read;
pub mod report;
pub mod sites;
mod spelling;
#[cfg(feature = "datafusion")]
pub mod sql;
#[cfg(feature = "parquet")]
pub mod stream;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
mod tally;
mod validity;
mod write;
#[cfg(feature = "parquet")]
mod write_parquet;

pub use apportion::ApportionError;
pub use atlas::{
    read_regions, Atlas, CoverageIssue, District, DistrictId, Parent, RegionCode, RegionOptions,
    Zone, ZoneId, MAX_DISTRICTS,
};
pub use carrier::{
    Carrier, CarrierId, CarrierRef, Carriers, Category, DeclaredDistrict, Footprint, Kind, Level,
    Location, MAX_FLOOR_AREA_M2,
};
pub use carrier::{RejectReason, Rejection};
pub use date::{Date, RecordDate};
pub use datum::Datum;
pub use error::{Error, ErrorKind};
pub use index::{CarrierIndex, Neighbour};
pub use job::{CheckedPlan, PlanCheck};
pub use names::{DistrictNames, UnknownDistrict};
pub use overlay::{read_overlays, Overlay, OverlayArea, OverlayKind, Overlays};
pub use place::{
    DatumAgreement, DeclaredName, FootprintRule, InputSummary, Mismatch, Place, Placed, PlacedBy,
    Share,
};
pub use position::Position;
pub use quota::{
    read_plan, CheckOptions, History, Measure, QuotaPlan, Report, Scope, Snapshot, Standing,
    Status, Target, TargetLine, TargetResult,
};
#[cfg(feature = "excel")]
pub use read::read_carriers_excel;
#[cfg(feature = "parquet")]
pub use read::read_carriers_parquet;
pub use read::{
    read_carriers, read_carriers_csv, read_carriers_file, read_carriers_parallel, CarrierFormat,
    Column, Encoding, Limits, ReadNote, ReadOptions,
};
pub use sites::read_candidates;
#[cfg(feature = "parquet")]
pub use stream::{tally_parquet, StreamedMismatch, StreamedTally};
pub use tally::{Breakdown, Tally, Totals};
pub use write::{write_carriers, write_carriers_csv, write_placed, write_placed_csv};
#[cfg(feature = "parquet")]
pub use write_parquet::{write_carriers_parquet, write_placed_parquet, GeometryEncoding};

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
