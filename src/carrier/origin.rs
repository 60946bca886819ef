//! Where a record was read from, and how a table's rows were read: a
//! register may come as several files, a workbook as several sheets, and a
//! sheet holds sums and remarks beside its records. Each row is accounted
//! for: a carrier, a rejection, or one of the rows kept here.

use serde::Serialize;

use super::{Column, Kind};
pub use crate::position::Origin;

/// What a row that is not a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RowRole {
    /// A sum of the rows above it since the previous subtotal (小计).
    Subtotal,
    /// A sum of every record above it (合计, 总计).
    Total,
    /// A remark after the data (注：, 填表人：, a date line).
    Remark,
    /// A carrier on a sheet of withdrawn recognitions (已摘牌) without a
    /// date of withdrawal: listed, never counted.
    Delisted,
}

impl RowRole {
    /// How a message names it.
    pub fn as_str(self) -> &'static str {
        match self {
            RowRole::Subtotal => "subtotal",
            RowRole::Total => "total",
            RowRole::Remark => "remark",
            RowRole::Delisted => "delisted",
        }
    }
}

/// A table row that is neither a carrier nor a rejection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedRow {
    /// Its file and sheet.
    #[serde(flatten)]
    pub origin: Origin,
    /// The row as a spreadsheet numbers it.
    pub row: usize,
    /// What it holds.
    pub role: RowRole,
    /// Its first text, as written: the label of a sum, a remark, the name
    /// of a delisted carrier.
    pub text: String,
}

/// How one table (a CSV file, a sheet of a workbook) was read, or why it
/// was not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRead {
    /// Its file and sheet.
    #[serde(flatten)]
    pub origin: Origin,
    /// Why it was not read; `None` when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Records read from it: carriers and rejections.
    pub records: usize,
    /// Its subtotal and total rows.
    pub sums: usize,
    /// Its remarks.
    pub remarks: usize,
    /// Its delisted carriers without a date.
    pub delisted: usize,
    /// The kind its name gives the rows that have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// Whether its name says its carriers lost their recognition: its
    /// rows count as closings.
    pub withdrawn: bool,
    /// The columns read, as headed, with the property each gives.
    pub columns: Vec<(String, Column)>,
    /// The headers not read.
    pub ignored: Vec<String>,
}

impl TableRead {
    /// A table skipped, and why.
    pub(crate) fn skipped(origin: Origin, why: impl Into<String>) -> TableRead {
        TableRead {
            skipped: Some(why.into()),
            ..TableRead::read(origin)
        }
    }

    /// A table read, its counts to come.
    pub(crate) fn read(origin: Origin) -> TableRead {
        TableRead {
            origin,
            skipped: None,
            records: 0,
            sums: 0,
            remarks: 0,
            delisted: 0,
            kind: None,
            withdrawn: false,
            columns: Vec::new(),
            ignored: Vec::new(),
        }
    }
}
