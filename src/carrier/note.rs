//! What a read decided for a whole file and would change a total if it
//! were wrong: the encoding it read the text in, the units it read
//! columns and cells in. Each is kept with the carriers
//! ([`Carriers::notes`](crate::Carriers::notes)), said on stderr by the
//! command and written into its JSON.

use std::fmt;

use serde::Serialize;

use super::Column;
use crate::format::Encoding;

/// One thing a read decided for a whole file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReadNote {
    /// The text was read in an encoding other than UTF-8.
    Encoding {
        /// The encoding.
        encoding: Encoding,
        /// Whether it was found from the text (rather than a byte-order
        /// mark or the caller).
        detected: bool,
    },
    /// A column's header names a unit other than the property's: its
    /// values were read in the property's unit (`建筑面积（万平方米）` ×
    /// 10,000 in m²).
    ColumnUnit {
        /// The header as written.
        column: String,
        /// The property it gives.
        property: Column,
        /// The unit, as the header writes it.
        unit: String,
        /// What a value is multiplied by.
        factor: u64,
    },
    /// Cells of a column carried a unit or multiplier of their own
    /// (`1200平方米`, `1.2万`): each was read in the property's unit.
    CellUnits {
        /// The header as written.
        column: String,
        /// The property it gives.
        property: Column,
        /// How many cells did.
        cells: usize,
        /// The first of them, as written.
        example: String,
    },
    /// Records named an overlay by a name rather than its id (`两江新区`
    /// for `liangjiang_new_area`).
    OverlayName {
        /// The name as written.
        written: String,
        /// The overlay's id.
        overlay: String,
        /// How many records did.
        records: usize,
    },
}

impl ReadNote {
    /// Adds `other` to this note when both say the same of the same
    /// column or name (their counts summed); false when they are about
    /// different things.
    pub(crate) fn absorb(&mut self, other: &ReadNote) -> bool {
        match (self, other) {
            (
                ReadNote::CellUnits { column, cells, .. },
                ReadNote::CellUnits {
                    column: other,
                    cells: more,
                    ..
                },
            ) if column == other => *cells += more,
            (
                ReadNote::OverlayName {
                    written, records, ..
                },
                ReadNote::OverlayName {
                    written: other,
                    records: more,
                    ..
                },
            ) if written == other => *records += more,
            (this, other) => return *this == *other,
        }
        true
    }
}

impl fmt::Display for ReadNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadNote::Encoding {
                encoding,
                detected: true,
            } => write!(
                f,
                "read as {}: the text is not UTF-8, and decodes as {} throughout",
                encoding.as_str().to_uppercase(),
                encoding.as_str().to_uppercase()
            ),
            ReadNote::Encoding { encoding, .. } => {
                write!(f, "read as {}", encoding.as_str().to_uppercase())
            }
            ReadNote::ColumnUnit {
                column,
                property,
                unit,
                factor,
            } => write!(
                f,
                "column {column:?} is in {unit}: its values are multiplied by {} to read {}",
                thousands(*factor),
                match property {
                    Column::FloorAreaM2 => "m²",
                    _ => "counts",
                }
            ),
            ReadNote::CellUnits {
                column,
                cells,
                example,
                property,
            } => {
                write!(
                f,
                "{cells} {} of column {column:?} carr{} a unit of {} own (such as {example:?}): \
                 read as the {} {} for",
                if *cells == 1 { "cell" } else { "cells" },
                if *cells == 1 { "ies" } else { "y" },
                if *cells == 1 { "its" } else { "their" },
                match property {
                    Column::FloorAreaM2 => "m²",
                    _ => "count",
                },
                if *cells == 1 { "it stands" } else { "they stand" },
            )
            }
            ReadNote::OverlayName {
                written,
                overlay,
                records,
            } => write!(
                f,
                "overlay {written:?} read as {overlay} ({records} {})",
                if *records == 1 { "record" } else { "records" }
            ),
        }
    }
}

/// A whole number with commas between groups of three digits.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).expect("ASCII digits"))
        .collect();
    groups.join(",")
}
