//! Calendar dates: opening dates of carriers and as-of dates of checks.
//!
//! Only three operations are needed (parse, compare, count days), so a small
//! proleptic Gregorian date is kept here rather than a date-time dependency.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day of the proleptic Gregorian calendar, years 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Text that is not a valid `YYYY-MM-DD` date (or, where a year alone is
/// allowed, `YYYY`). The one error for bad dates: a rejected carrier's
/// [`RejectReason::InvalidDate`] holds it too.
///
/// [`RejectReason::InvalidDate`]: crate::RejectReason::InvalidDate
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{field} must be {}, found {found:?}", if *.year_allowed { "YYYY, YYYY-MM or YYYY-MM-DD" } else { "YYYY-MM-DD" })]
pub struct InvalidDate {
    /// What the date is: `date`, or the property it was read from (`opened`,
    /// or the column as a table heads it).
    pub field: Cow<'static, str>,
    /// The text that was given.
    pub found: String,
    /// Whether a year alone (`YYYY`) would have been accepted.
    pub year_allowed: bool,
}

impl Date {
    /// The date `year-month-day`, or `None` when no such day exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    ///
    /// Howard Hinnant's `days_from_civil`, exact over the whole range.
    pub fn days_since_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The day `days` after 1970-01-01 (before it when negative), or `None`
    /// outside years 1 to 9999.
    ///
    /// Howard Hinnant's `civil_from_days`, the inverse of
    /// [`Date::days_since_epoch`].
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, month as u8, day as u8)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_digits<T: FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl FromStr for Date {
    type Err = InvalidDate;

    /// Parses exactly `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidDate {
            field: Cow::Borrowed("date"),
            found: s.to_string(),
            year_allowed: false,
        };
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let year = parse_digits(y, 4).ok_or_else(invalid)?;
        let month = parse_digits(m, 2).ok_or_else(invalid)?;
        let day = parse_digits(d, 2).ok_or_else(invalid)?;
        Date::new(year, month, day).ok_or_else(invalid)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A date as a register records it: the day, the month or only the year.
/// A carrier's record says when it opened and, if it lost recognition,
/// when it closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordDate {
    /// Only the year is known (`"2019"`).
    Year(u16),
    /// The year and month are known (`"2021-06"`).
    Month(u16, u8),
    /// The day is known (`"2019-05-01"`).
    Day(Date),
}

impl RecordDate {
    /// The first day the record can mean: the day itself, or the first day
    /// of the month or year. A carrier counts up to the day before its
    /// closing's first day, so it is never counted once it may have closed.
    pub fn earliest_day(self) -> Date {
        match self {
            RecordDate::Year(year) => Date {
                year,
                month: 1,
                day: 1,
            },
            RecordDate::Month(year, month) => Date {
                year,
                month,
                day: 1,
            },
            RecordDate::Day(date) => date,
        }
    }

    /// The last day the record can mean: the day itself, or the last day
    /// of the month or year. A carrier counts from its opening's last day
    /// on, so a record of a month or a year is never counted before it is
    /// certain.
    pub fn latest_day(self) -> Date {
        match self {
            RecordDate::Year(year) => Date {
                year,
                month: 12,
                day: 31,
            },
            RecordDate::Month(year, month) => Date {
                year,
                month,
                day: days_in_month(year, month),
            },
            RecordDate::Day(date) => date,
        }
    }
}

impl FromStr for RecordDate {
    type Err = InvalidDate;

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let year = |y: &str| parse_digits(y, 4).filter(|y| (1..=9999).contains(y));
        let opened = match s.len() {
            4 => year(s).map(RecordDate::Year),
            7 => s.split_once('-').and_then(|(y, m)| {
                let month = parse_digits(m, 2).filter(|m| (1..=12).contains(m))?;
                Some(RecordDate::Month(year(y)?, month))
            }),
            _ => s.parse().ok().map(RecordDate::Day),
        };
        opened.ok_or_else(|| InvalidDate {
            field: Cow::Borrowed("opened"),
            found: s.to_string(),
            year_allowed: true,
        })
    }
}

impl fmt::Display for RecordDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordDate::Year(year) => write!(f, "{year:04}"),
            RecordDate::Month(year, month) => write!(f, "{year:04}-{month:02}"),
            RecordDate::Day(date) => date.fmt(f),
        }
    }
}

impl Serialize for RecordDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let d: Date = "2025-12-31".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2025, 12, 31));
        assert_eq!(d.to_string(), "2025-12-31");
        assert_eq!("2024-02-29".parse::<Date>().unwrap().day(), 29);
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for bad in [
            "2023-02-29",
            "2021-13-01",
            "2021-1-01",
            "21-01-01",
            "2021-01-01x",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            "2021/01/01".parse::<Date>().unwrap_err().to_string(),
            "date must be YYYY-MM-DD, found \"2021/01/01\""
        );
    }

    #[test]
    fn days_since_epoch_round_trips() {
        for days in (-719_162..=2_932_896).step_by(7) {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(Date::from_days_since_epoch(-719_163), None);
        assert_eq!(Date::from_days_since_epoch(2_932_897), None);
        assert_eq!(Date::from_days_since_epoch(i64::MAX), None);
    }

    #[test]
    fn counts_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        let start = Date::new(2021, 12, 31).unwrap();
        let end = Date::new(2025, 12, 31).unwrap();
        assert_eq!(start.days_until(end), 365 * 4 + 1);
    }

    #[test]
    fn day_count_is_consistent_with_order() {
        let mut previous = Date::new(1999, 12, 31).unwrap();
        for year in 2000..2030 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let d = Date::new(year, month, day).unwrap();
                    assert_eq!(previous.days_until(d), 1, "{d}");
                    previous = d;
                }
            }
        }
    }

    #[test]
    fn a_year_means_its_first_to_its_last_day() {
        let year: RecordDate = "2021".parse().unwrap();
        assert_eq!(year.earliest_day(), Date::new(2021, 1, 1).unwrap());
        assert_eq!(year.latest_day(), Date::new(2021, 12, 31).unwrap());
        let day: RecordDate = "2021-05-04".parse().unwrap();
        assert_eq!(day.earliest_day(), day.latest_day());
        assert_eq!(year.to_string(), "2021");
        assert!("0000".parse::<RecordDate>().is_err());
        let month: RecordDate = "2024-02".parse().unwrap();
        assert_eq!(month, RecordDate::Month(2024, 2));
        assert_eq!(month.earliest_day(), Date::new(2024, 2, 1).unwrap());
        assert_eq!(month.latest_day(), Date::new(2024, 2, 29).unwrap());
        assert_eq!(month.to_string(), "2024-02");
        for bad in ["2024-13", "2024-00", "2024-2", "202402"] {
            assert!(bad.parse::<RecordDate>().is_err(), "{bad}");
        }
    }
}
