//! What a check on a date counts, and what it leaves out record by record:
//! the one count every output gives (the table, the JSON, the HTML header,
//! the map, the workbook), so that they agree and name the others.

use std::fmt;

use serde::Serialize;

use crate::date::{Date, RecordDate};
use crate::place::{Place, Placed};
use crate::position::Origin;

/// The records of a set on a date: counted, or left out and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counted {
    /// The date; `None` counts every placed record, whatever its dates.
    pub as_of: Option<Date>,
    /// Records read: rows or features, each a carrier or a rejection.
    pub read: usize,
    /// Records counted: placed in the city and open on the date.
    pub counted: usize,
    /// Records open on the date but outside every district.
    pub outside: usize,
    /// Records that open after the date.
    pub not_yet_open: Vec<LeftOut>,
    /// Records closed (delisted) on or before the date.
    pub closed: Vec<LeftOut>,
    /// Records refused when read ([`Carriers::rejections`](crate::Carriers::rejections)).
    pub rejected: usize,
}

/// A record a count leaves out, where the register has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOut {
    /// Its id.
    pub id: String,
    /// Its name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its row in a table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// Its file and sheet, when the read took several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The date that leaves it out: its opening, or its closing.
    pub date: RecordDate,
}

impl Counted {
    /// The count of `placed` on `as_of` (every placed record when `None`).
    pub fn of(placed: &Placed, as_of: Option<Date>) -> Counted {
        let carriers = placed.carriers();
        let mut counted = Counted {
            as_of,
            read: carriers.features_read(),
            counted: 0,
            outside: 0,
            not_yet_open: Vec::new(),
            closed: Vec::new(),
            rejected: carriers.rejections().len(),
        };
        // Without a date every placed record counts but those outside,
        // which the districts alone tell.
        if as_of.is_none() {
            counted.outside = placed.outside().count();
            counted.counted = carriers.len() - counted.outside;
            return counted;
        }
        for (carrier, place) in placed.iter() {
            let left = |date: RecordDate| LeftOut {
                id: carrier.id().to_string(),
                name: carrier.name().map(str::to_string),
                row: carrier.row(),
                origin: carrier.origin().cloned(),
                date,
            };
            match as_of {
                Some(day) if !carrier.is_open_on(day) => {
                    match carrier.opened().filter(|o| o.latest_day() > day) {
                        Some(opened) => counted.not_yet_open.push(left(opened)),
                        None => counted.closed.push(left(
                            carrier.closed().expect("a record not open has closed"),
                        )),
                    }
                }
                _ if is_in_city(&place) => counted.counted += 1,
                _ => counted.outside += 1,
            }
        }
        counted
    }

    /// The records left out on the date, with why: not yet open, then closed.
    pub fn left_out(&self) -> impl Iterator<Item = (&'static str, &LeftOut)> {
        let later = self.not_yet_open.iter().map(|l| ("not yet open", l));
        later.chain(self.closed.iter().map(|l| ("closed", l)))
    }
}

/// Whether a placed carrier counts in the city: in a district, or in a
/// managed area without a location.
pub(crate) fn is_in_city(place: &Place) -> bool {
    place.district.is_some() || place.within.is_some()
}

impl fmt::Display for Counted {
    /// `63 records read: 60 counted on 2025-12-31; 1 not yet open, 2
    /// closed, 0 outside every district, 0 rejected`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on = match self.as_of {
            Some(date) => format!("counted on {date}"),
            None => "counted (every placed record, whatever its dates)".to_string(),
        };
        write!(
            f,
            "{} records read: {} {on}; {} not yet open, {} closed, {} outside every district, {} rejected",
            self.read,
            self.counted,
            self.not_yet_open.len(),
            self.closed.len(),
            self.outside,
            self.rejected
        )
    }
}

impl fmt::Display for LeftOut {
    /// `row 14 (c-12 沙坪坝孵化器), opens 2026-01` without the reason.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(origin) = &self.origin {
            write!(f, "{origin}: ")?;
        }
        match self.row {
            Some(row) => write!(f, "row {row} ({}", self.id)?,
            None => write!(f, "{}", self.id)?,
        }
        if let Some(name) = &self.name {
            write!(f, " {name}")?;
        }
        if self.row.is_some() {
            f.write_str(")")?;
        }
        write!(f, ", {}", self.date)
    }
}

impl Counted {
    /// The count in Chinese: `读取 15 条记录：截至 2025-12-31 计入 13 条；未开业 1 条，已摘牌 1 条，区外 0 条，拒收 0 条`.
    pub fn zh(&self) -> String {
        let on = match self.as_of {
            Some(date) => format!("截至 {date} 计入"),
            None => "计入（全部落位记录，不论日期）".to_string(),
        };
        format!(
            "读取 {} 条记录：{on} {} 条；未开业 {} 条，已摘牌 {} 条，区外 {} 条，拒收 {} 条",
            self.read,
            self.counted,
            self.not_yet_open.len(),
            self.closed.len(),
            self.outside,
            self.rejected
        )
    }

    /// As [`Counted::left_out_lines`], in Chinese: `未开业：row 14 …`.
    pub fn left_out_lines_zh(&self) -> Vec<String> {
        self.left_out()
            .map(|(why, record)| {
                let why = if why == "closed" {
                    "已摘牌"
                } else {
                    "未开业"
                };
                format!("{why}：{record}")
            })
            .collect()
    }

    /// A line per record left out: `not yet open: row 14 (c-12 沙坪坝孵化器), 2026-01`.
    pub fn left_out_lines(&self) -> Vec<String> {
        self.left_out()
            .map(|(why, record)| format!("{why}: {record}"))
            .collect()
    }
}
