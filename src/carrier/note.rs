//! What a read decided for a whole file and would change a total if it
//! were wrong: the encoding it read the text in, the units it read
//! columns and cells in. Each is kept with the carriers
//! ([`Carriers::notes`](crate::Carriers::notes)), said on stderr by the
//! command and written into its JSON.

use std::fmt;

use serde::Serialize;

use super::{Column, Kind, Origin, RowRole};
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
    /// A sum row of the register (小计, 合计) gives a figure other than
    /// the sum of the rows it covers.
    SumDiffers {
        /// Its file and sheet.
        #[serde(flatten)]
        origin: Origin,
        /// The sum's row.
        row: usize,
        /// A subtotal or a total.
        role: RowRole,
        /// Its label, as written.
        label: String,
        /// The column, as headed.
        column: String,
        /// The property it gives.
        property: Column,
        /// The figure the sum row gives, in the property's unit.
        given: f64,
        /// The sum of the rows it covers.
        sum: f64,
    },
    /// Rows that are not records were skipped: remarks under the table,
    /// or delisted carriers without a date.
    RowsSkipped {
        /// Their file and sheet.
        #[serde(flatten)]
        origin: Origin,
        /// What they hold.
        role: RowRole,
        /// Their rows.
        rows: Vec<usize>,
        /// The first one's text.
        example: String,
    },
    /// A figure was written once in cells merged over several rows: it is
    /// counted once, in the first.
    MergedFigure {
        /// Its file and sheet.
        #[serde(flatten)]
        origin: Origin,
        /// The column, as headed.
        column: String,
        /// The merged rows, first and last.
        rows: (usize, usize),
    },
    /// A sheet without a kind column whose name names a kind: its rows
    /// are of that kind.
    SheetKind {
        /// The file and sheet.
        #[serde(flatten)]
        origin: Origin,
        /// The kind.
        kind: Kind,
        /// How many records took it.
        records: usize,
    },
    /// A table that was not read, and why.
    TableSkipped {
        /// The file and sheet.
        #[serde(flatten)]
        origin: Origin,
        /// Why.
        why: String,
    },
    /// An optional column held a value the reader does not know: the
    /// records count in every total, and the targets that filter on the
    /// property count them as unclassified.
    UnknownValue {
        /// The column, as headed.
        column: String,
        /// The property.
        property: Column,
        /// The value, as written.
        value: String,
        /// How many records gave it.
        records: usize,
    },
    /// Columns give a property per year (`2021年在孵企业`, `在孵企业（2023）`):
    /// the history uses each year's; `today`, when the table has no column
    /// of the property without a year, is the latest year's column, read as
    /// the carrier's figure now.
    FiguresByYear {
        /// The property.
        property: Column,
        /// The years, ascending.
        years: Vec<u16>,
        /// The column read as today's figure, if one was.
        #[serde(skip_serializing_if = "Option::is_none")]
        today: Option<String>,
    },
    /// A header the reader does not know resembles a property's: read as
    /// it when `read`, else left unread.
    ColumnResembles {
        /// The header, as written.
        column: String,
        /// The property it resembles.
        property: Column,
        /// Whether it was read as that property.
        read: bool,
    },
    /// Records whose district and address name different districts: the
    /// district decides.
    AddressDisagrees {
        /// The district as the first such record writes it.
        district: String,
        /// Its address.
        address: String,
        /// How many records do.
        records: usize,
        /// Their rows, in a table.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        rows: Vec<usize>,
    },
    /// One carrier (the same id and name) appears in more than one file
    /// or sheet: each is counted.
    Repeated {
        /// The id.
        id: String,
        /// The name.
        name: String,
        /// Where it appears.
        origins: Vec<Origin>,
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
            (
                ReadNote::UnknownValue {
                    column,
                    value,
                    records,
                    ..
                },
                ReadNote::UnknownValue {
                    column: other,
                    value: other_value,
                    records: more,
                    ..
                },
            ) if column == other && value == other_value => *records += more,
            (
                ReadNote::AddressDisagrees { records, rows, .. },
                ReadNote::AddressDisagrees {
                    records: more,
                    rows: more_rows,
                    ..
                },
            ) => {
                *records += more;
                rows.extend(more_rows);
            }
            (this, other) => return *this == *other,
        }
        true
    }
}

impl ReadNote {
    /// Whether the note says a register's own total (合计) disagrees with
    /// the sum of its rows: the first thing a reader compares, shown at
    /// the top of a report.
    pub fn is_total_disagreement(&self) -> bool {
        matches!(
            self,
            ReadNote::SumDiffers {
                role: RowRole::Total,
                ..
            }
        )
    }

    /// Whether a total depends on what the note says: false for the notes
    /// that list records whose figures count as they are anyway (a
    /// district and an address that disagree, the district deciding; a
    /// column left unread).
    pub fn changes_a_total(&self) -> bool {
        !matches!(
            self,
            ReadNote::AddressDisagrees { .. } | ReadNote::ColumnResembles { read: false, .. }
        )
    }

    /// The file and sheet a note is about, for the notes about one table.
    pub(crate) fn origin_mut(&mut self) -> Option<&mut Origin> {
        match self {
            ReadNote::SumDiffers { origin, .. }
            | ReadNote::RowsSkipped { origin, .. }
            | ReadNote::MergedFigure { origin, .. }
            | ReadNote::SheetKind { origin, .. }
            | ReadNote::TableSkipped { origin, .. } => Some(origin),
            _ => None,
        }
    }
}

/// `sheet 众创空间: `, or nothing for an empty origin.
struct In<'a>(&'a Origin);

impl fmt::Display for In<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.is_empty() {
            true => Ok(()),
            false => write!(f, "{}: ", self.0),
        }
    }
}

/// A figure in a property's unit: `31,100 m²`, `45 enterprises`.
fn figure(value: f64, property: Column) -> String {
    let rounded = thousands(value.round().abs() as u64);
    let sign = if value < 0.0 { "-" } else { "" };
    match property {
        Column::FloorAreaM2 => format!("{sign}{rounded} m²"),
        _ => format!("{sign}{rounded}"),
    }
}

/// Row numbers as a list, the first few and how many more.
fn row_list(rows: &[usize]) -> String {
    const SHOWN: usize = 8;
    let shown: Vec<String> = rows.iter().take(SHOWN).map(usize::to_string).collect();
    let more = rows.len().saturating_sub(SHOWN);
    let rows_word = if rows.len() == 1 { "row" } else { "rows" };
    match more {
        0 => format!("{rows_word} {}", shown.join(", ")),
        n => format!("{rows_word} {} and {n} more", shown.join(", ")),
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
            table => table_note(table, f),
        }
    }
}

/// The notes about a table's rows, columns and sheets.
fn table_note(note: &ReadNote, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match note {
        ReadNote::SumDiffers {
            origin,
            row,
            label,
            role: _,
            column,
            property,
            given,
            sum,
        } => write!(
            f,
            "{}row {row} ({label}) gives {} in column {column:?}; the rows it covers sum to {}",
            In(origin),
            figure(*given, *property),
            figure(*sum, *property)
        ),
        ReadNote::RowsSkipped {
            origin,
            role: RowRole::Delisted,
            rows,
            example,
        } => write!(
            f,
            "{}{} lost {} recognition and give{} no date of it (such as {example:?}): \
             listed, not counted",
            In(origin),
            row_list(rows),
            if rows.len() == 1 { "its" } else { "their" },
            if rows.len() == 1 { "s" } else { "" },
        ),
        ReadNote::RowsSkipped {
            origin,
            rows,
            example,
            ..
        } => write!(
            f,
            "{}{} under the table hold{} remarks, not carriers (such as {example:?}): skipped",
            In(origin),
            row_list(rows),
            if rows.len() == 1 { "s" } else { "" },
        ),
        ReadNote::MergedFigure {
            origin,
            column,
            rows: (first, last),
        } => write!(
            f,
            "{}column {column:?} gives one figure in cells merged over rows {first}–{last}: \
             counted once, in row {first}",
            In(origin)
        ),
        ReadNote::SheetKind {
            origin,
            kind,
            records,
        } => write!(
            f,
            "{}no kind column: its name gives {records} {} the kind {}",
            In(origin),
            if *records == 1 { "record" } else { "records" },
            kind.as_str()
        ),
        ReadNote::TableSkipped { origin, why } => {
            write!(f, "{origin} not read: {why}")
        }
        ReadNote::UnknownValue {
            column,
            value,
            records,
            ..
        } => write!(
            f,
            "column {column:?} gives {value:?}, a value the reader does not know \
             ({records} {}): counted in every total, and as unclassified by the targets \
             that filter on it",
            if *records == 1 { "record" } else { "records" }
        ),
        ReadNote::ColumnResembles {
            column,
            property,
            read: true,
        } => write!(f, "column {column:?} read as {}", property.as_str()),
        ReadNote::FiguresByYear {
            property,
            years,
            today,
        } => {
            let years: Vec<String> = years.iter().map(u16::to_string).collect();
            write!(
                f,
                "columns give {} for each of {}: the history uses each year's figure",
                property.as_str(),
                years.join(", ")
            )?;
            match today {
                Some(column) => write!(f, "; column {column:?}, the latest, is read as today's"),
                None => Ok(()),
            }
        }
        ReadNote::ColumnResembles {
            column, property, ..
        } => write!(
            f,
            "column {column:?} is not read: it resembles {}, but is not the only column that does; \
             map it with --headers (\"{column}\" = \"{}\") or ignore it (\"{column}\" = \"ignore\")",
            property.as_str(),
            property.as_str()
        ),
        records => record_note(records, f),
    }
}

/// The notes that list records: an address that disagrees, a carrier
/// repeated.
fn record_note(note: &ReadNote, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match note {
        ReadNote::AddressDisagrees {
            district,
            address,
            records,
            rows,
        } => {
            let which = match rows.is_empty() {
                true => format!(
                    "{records} {}",
                    if *records == 1 { "record" } else { "records" }
                ),
                false => row_list(rows),
            };
            write!(
                f,
                "{which} {} a district and an address that names another (such as {district:?} \
                 and {address:?}): counted in the district {}",
                if *records == 1 { "gives" } else { "give" },
                if *records == 1 {
                    "it gives"
                } else {
                    "they give"
                },
            )
        }
        ReadNote::Repeated { id, name, origins } => {
            let places: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
            write!(
                f,
                "carrier {id:?} ({name}) appears in {}: each is counted; remove the one \
                 that repeats the other",
                places.join(" and ")
            )
        }
        // The notes about a whole file are written by `fmt`.
        _ => Ok(()),
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
