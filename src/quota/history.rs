//! A plan checked at each year end: how it progressed.

use serde::Serialize;

use super::{CheckOptions, Measure, QuotaPlan, Status};
use crate::date::Date;
use crate::error::Error;
use crate::place::Placed;

/// A plan checked at each year end from its start to a date
/// ([`QuotaPlan::history`]). Serialized, this is the JSON history:
///
/// ```text
/// {"schema_version": 1, "plan": "...", "plan_en": "...", "start": "2021-12-31",
///  "as_of": "2025-12-31",
///  "targets": [{"id": "floor_area_total", "name": "...", "name_en": "...",
///               "measure": "floor_area", "required": 10000000.0,
///               "baseline": 6645010.0, "deadline": "2025-12-31"}, ...],
///  "history": [{"date": "2021-12-31",
///               "targets": [{"id": "floor_area_total", "actual": 6645010.0,
///                            "expected": 6645010.0, "required": 10000000.0,
///                            "status": "on_track"}, ...]}, ...]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// Version of this layout: 1.
    pub schema_version: u32,
    /// The plan's name.
    pub plan: String,
    /// Its English name, if any.
    pub plan_en: Option<String>,
    /// The plan's start.
    pub start: Date,
    /// The last date checked.
    pub as_of: Date,
    /// What each target asks for, in plan order.
    pub targets: Vec<TargetLine>,
    /// The plan checked on each date, in date order.
    pub history: Vec<Snapshot>,
    /// What the past years' figures rest on, when the reader should know:
    /// enterprise counts are today's, as a register gives one per carrier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a history says when it counts enterprises: a register gives each
/// carrier's count today, not one per year.
pub const TODAYS_COUNTS: &str =
    "过去各年的在孵企业、科技型企业数按登记表现有数字计 — past years use \
     today's enterprise and tech-enterprise counts (a register gives one figure per carrier, \
     not one per year); floor area and carriers count by their dates";

/// What one target asks for: the straight on-track line runs from
/// `baseline` at the plan's start to `required` at `deadline`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetLine {
    /// The target's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its English name, if any.
    pub name_en: Option<String>,
    /// What it counts.
    pub measure: Measure,
    /// The minimum to reach.
    pub required: f64,
    /// The value at the plan's start; `None` when the target is not
    /// evaluable.
    pub baseline: Option<f64>,
    /// The target's deadline.
    pub deadline: Date,
}

/// Every target's standing on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// The date.
    pub date: Date,
    /// One standing per target, in plan order.
    pub targets: Vec<Standing>,
}

/// One target's standing on a date (see [`super::TargetResult`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// The target's id.
    pub id: String,
    /// The value on the date.
    pub actual: Option<f64>,
    /// Where the on-track line stands on the date.
    pub expected: Option<f64>,
    /// The minimum to reach.
    pub required: f64,
    /// The standing.
    pub status: Status,
}

impl QuotaPlan {
    /// Checks the plan ([`QuotaPlan::check`]) on its start, on each 31
    /// December after it, and on the as-of date of `options` (the last
    /// deadline by default); the as-of date ends the history.
    ///
    /// ```
    /// use carrier_quota::place::FootprintRule;
    /// use carrier_quota::read::read_carriers;
    /// use carrier_quota::{Atlas, CheckOptions, Date, QuotaPlan, ReadOptions};
    ///
    /// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
    ///   {"type": "Feature", "id": "c-1", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
    ///    "properties": {"kind": "incubator", "floor_area_m2": 5000, "opened": "2023-03-01"}}
    /// ]}"#;
    /// let carriers = read_carriers(file.as_bytes(), &ReadOptions::new())?;
    /// let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
    /// let options = CheckOptions::new().as_of(Date::new(2024, 6, 30).unwrap());
    /// let history = QuotaPlan::chongqing_2021_2025().history(&placed, &options)?;
    /// let dates: Vec<String> = history.history.iter().map(|s| s.date.to_string()).collect();
    /// assert_eq!(dates, ["2021-12-31", "2022-12-31", "2023-12-31", "2024-06-30"]);
    /// let area: Vec<Option<f64>> = history.history.iter().map(|s| s.targets[0].actual).collect();
    /// assert_eq!(area, [Some(0.0), Some(0.0), Some(5000.0), Some(5000.0)]);
    /// # Ok::<(), carrier_quota::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`QuotaPlan::check`].
    pub fn history(&self, placed: &Placed, options: &CheckOptions) -> Result<History, Error> {
        let as_of = options.as_of.unwrap_or_else(|| self.last_deadline());
        let mut history = Vec::new();
        let mut targets = Vec::new();
        let dates = year_ends(self.start, as_of);
        for &date in &dates {
            let (_, results) = self.results(
                placed,
                &CheckOptions {
                    as_of: Some(date),
                    ..*options
                },
            )?;
            if targets.is_empty() {
                targets = results
                    .iter()
                    .map(|t| TargetLine {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        name_en: t.name_en.clone(),
                        measure: t.measure,
                        required: t.required,
                        baseline: t.baseline,
                        deadline: t.deadline,
                    })
                    .collect();
            }
            let standings = results.into_iter().map(|t| Standing {
                id: t.id,
                actual: t.actual,
                expected: t.expected,
                required: t.required,
                status: t.status,
            });
            history.push(Snapshot {
                date,
                targets: standings.collect(),
            });
        }
        let counts_enterprises = (self.targets.iter())
            .any(|t| matches!(t.measure, Measure::Enterprises | Measure::TechEnterprises));
        Ok(History {
            schema_version: 1,
            plan: self.name.clone(),
            plan_en: self.name_en.clone(),
            start: self.start,
            as_of,
            note: counts_enterprises
                .then(|| figures_note(&placed.carriers().figure_years(), &dates)),
            targets,
            history,
        })
    }
}

/// What the past years' enterprise counts rest on: today's, the
/// register's own for each year, or a mix, naming the years.
fn figures_note(years: &[u16], dates: &[Date]) -> String {
    if years.is_empty() {
        return TODAYS_COUNTS.to_string();
    }
    let given: Vec<String> = years.iter().map(u16::to_string).collect();
    let missing: Vec<String> = (dates.iter().map(|d| d.year()))
        .filter(|y| !years.contains(y))
        .map(|y| y.to_string())
        .collect();
    match missing.is_empty() {
        true => format!(
            "各年的在孵企业、科技型企业数按登记表当年数字计 — each year uses the register's own \
             enterprise counts ({})",
            given.join(", ")
        ),
        false => format!(
            "在孵企业、科技型企业数：{} 年按登记表当年数字，{} 年按现有数字计 — enterprise counts \
             of {} are the register's own for the year; {} use today's",
            given.join(", "),
            missing.join(", "),
            given.join(", "),
            missing.join(", ")
        ),
    }
}

/// `start`, each 31 December after it up to `end`, and `end`; only `end`
/// when it comes before `start`.
fn year_ends(start: Date, end: Date) -> Vec<Date> {
    if end < start {
        return vec![end];
    }
    let mut dates = vec![start];
    for year in start.year()..=end.year() {
        let last = Date::new(year, 12, 31).expect("31 December is a date");
        if start < last && last < end {
            dates.push(last);
        }
    }
    if end > start {
        dates.push(end);
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn year_ends_run_from_the_start_to_the_end() {
        let dates = |start, end| -> Vec<String> {
            year_ends(day(start), day(end))
                .iter()
                .map(Date::to_string)
                .collect()
        };
        assert_eq!(
            dates("2021-12-31", "2023-12-31"),
            ["2021-12-31", "2022-12-31", "2023-12-31"]
        );
        assert_eq!(
            dates("2021-06-30", "2023-03-01"),
            ["2021-06-30", "2021-12-31", "2022-12-31", "2023-03-01"]
        );
        assert_eq!(dates("2021-12-31", "2021-12-31"), ["2021-12-31"]);
        assert_eq!(dates("2021-12-31", "2020-01-01"), ["2020-01-01"]);
    }
}
