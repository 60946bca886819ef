//! Where incubation carriers are, which district and zone each counts
//! toward, and how much floor area each zone holds.

mod assign;
pub mod atlas;
pub mod carrier;
pub mod date;
pub mod datum;
mod error;
mod index;
mod read;
pub mod synthetic;
mod tally;
mod write;

pub use assign::{Assignment, FootprintRule, Share};
pub use atlas::{Atlas, CoverageIssue, District, DistrictId, RegionCode, Zone, ZoneId};
pub use carrier::{Carrier, CarrierId, Category, Kind, Level, Location};
pub use date::{Date, Opened};
pub use datum::Datum;
pub use error::{Error, ErrorKind, Position, RejectReason, Rejection};
pub use index::{CarrierIndex, Neighbour};
pub use read::{read_carriers, Carriers, ReadOptions, RegionOptions};
pub use tally::{Breakdown, Tally, Totals};
pub use write::write_carriers;

/// The largest floor area one carrier may declare, m² (1,000 km²): far above
/// any real building, so a larger value is a data-entry error.
pub const MAX_FLOOR_AREA_M2: f64 = 1e9;
