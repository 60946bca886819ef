//! What a map shows and how large it is.

use geo::Point;

use crate::atlas::DistrictId;
use crate::date::Date;
use crate::quota::{Measure, Status};

/// What the map shows and how large it is.
///
/// ```
/// use carrier_quota::report::MapOptions;
/// use carrier_quota::{Date, Measure};
///
/// let options = MapOptions::new()
///     .as_of(Date::new(2025, 12, 31).unwrap())
///     .measure(Measure::Enterprises)
///     .note("bureau list of 2025");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MapOptions {
    /// Only the carriers open on this date are shaded and drawn; without
    /// one, every carrier.
    pub as_of: Option<Date>,
    /// The measure districts are shaded by.
    pub measure: Measure,
    /// Width of the whole picture in pixels.
    pub width: f64,
    /// At most this many carriers are drawn; beyond it every n-th open
    /// carrier is, and the legend says how many of how many.
    pub max_dots: usize,
    /// A line under the title, such as the data's source.
    pub note: Option<String>,
    /// When given (one entry per district, in atlas order, as from
    /// [`Report::district_statuses`]), districts are coloured by the status
    /// of their district targets instead of by `measure`.
    ///
    /// [`Report::district_statuses`]: crate::Report::district_statuses
    pub district_status: Option<Vec<Option<Status>>>,
    /// When given (one entry per district, in atlas order, as from
    /// [`Report::district_shares`]), districts are shaded by the share of
    /// their own targets reached, in percent: below 50, 50 to 80, 80 to
    /// 100, met. It goes before `district_status`.
    ///
    /// [`Report::district_shares`]: crate::Report::district_shares
    pub district_share: Option<Vec<Option<f64>>>,
    /// Sites to mark (such as the chosen candidates), in the atlas's datum:
    /// drawn as black-edged squares above the carriers.
    pub sites: Vec<Point>,
    /// One district to draw: the map shows it and its surroundings, its
    /// neighbours faded, and only the carriers that count in it.
    pub focus: Option<DistrictId>,
    /// The count of records on `as_of` the subtitle gives, when a check
    /// already made it ([`crate::Report::counted`]); made again otherwise.
    pub counted: Option<crate::counted::Counted>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            as_of: None,
            measure: Measure::FloorArea,
            width: 1000.0,
            max_dots: 20_000,
            note: None,
            district_status: None,
            district_share: None,
            sites: Vec::new(),
            focus: None,
            counted: None,
        }
    }
}

impl MapOptions {
    /// The defaults: every carrier, shaded by floor area, 1000 pixels wide.
    pub fn new() -> MapOptions {
        MapOptions::default()
    }

    /// Show the carriers open on `date`.
    pub fn as_of(mut self, date: Date) -> MapOptions {
        self.as_of = Some(date);
        self
    }

    /// Shade districts by `measure`.
    pub fn measure(mut self, measure: Measure) -> MapOptions {
        self.measure = measure;
        self
    }

    /// The width of the picture in pixels.
    pub fn width(mut self, width: f64) -> MapOptions {
        self.width = width;
        self
    }

    /// Draw at most this many carriers.
    pub fn max_dots(mut self, max_dots: usize) -> MapOptions {
        self.max_dots = max_dots;
        self
    }

    /// A line under the title.
    pub fn note(mut self, note: impl Into<String>) -> MapOptions {
        self.note = Some(note.into());
        self
    }

    /// Colour districts by these statuses ([`MapOptions::district_status`]).
    pub fn district_status(mut self, statuses: Vec<Option<Status>>) -> MapOptions {
        self.district_status = Some(statuses);
        self
    }

    /// Shade districts by these shares of their targets reached
    /// ([`MapOptions::district_share`]).
    pub fn district_share(mut self, shares: Vec<Option<f64>>) -> MapOptions {
        self.district_share = Some(shares);
        self
    }

    /// Mark these sites ([`MapOptions::sites`]).
    pub fn sites(mut self, sites: Vec<Point>) -> MapOptions {
        self.sites = sites;
        self
    }

    /// Draw one district and its surroundings ([`MapOptions::focus`]).
    pub fn focus(mut self, district: DistrictId) -> MapOptions {
        self.focus = Some(district);
        self
    }
}
