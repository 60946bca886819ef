//! Excel carrier tables (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, and
//! OpenDocument `.ods`), read with calamine.

use std::io::{Cursor, Read};
use std::panic::AssertUnwindSafe;

use calamine::{open_workbook_auto_from_rs, Data, Range, Reader};

use super::{header_row, Cell, TableReader, HEADER_SEARCH_ROWS};
use crate::carrier::Carriers;
use crate::error::{Error, ErrorKind};
use crate::read::ReadOptions;

/// Reads the first sheet of a workbook (or the one
/// [`ReadOptions::sheet`] names) as a carrier table. Panics inside
/// calamine on a malformed file are caught and returned as errors.
pub(crate) fn read_excel(mut reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    // calamine tries each workbook format on a fresh copy of the reader,
    // so the file is read into memory once and lent to it.
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(ErrorKind::Io)?;
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| {
        read_unguarded(Cursor::new(&bytes[..]), options)
    }));
    read.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        Err(unreadable(format!("the reader failed on it ({why})")))
    })
}

fn unreadable(message: String) -> Error {
    ErrorKind::Table {
        format: "Excel",
        row: None,
        message,
    }
    .into()
}

fn read_unguarded(reader: Cursor<&[u8]>, options: &ReadOptions) -> Result<Carriers, Error> {
    let mut workbook = open_workbook_auto_from_rs(reader).map_err(|e| unreadable(e.to_string()))?;
    let range = match &options.sheet {
        Some(name) => workbook.worksheet_range(name).map_err(|e| {
            let sheets = workbook.sheet_names().join(", ");
            unreadable(format!("no sheet {name:?} ({e}); the sheets are {sheets}"))
        })?,
        None => workbook
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable("the workbook has no sheet".into()))?
            .map_err(|e| unreadable(e.to_string()))?,
    };
    read_range(&range, options)
}

/// Reads the rows of a sheet: the header row among the first rows, then a
/// carrier or rejection per row that is not empty.
fn read_range(range: &Range<Data>, options: &ReadOptions) -> Result<Carriers, Error> {
    // Rows as the sheet numbers them: the range starts at its first cell.
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;
    let rows: Vec<&[Data]> = range.rows().collect();
    let texts: Vec<Vec<String>> = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(|row| row.iter().map(|d| d.to_string()).collect())
        .collect();
    if texts.is_empty() {
        return Err(unreadable(
            "the sheet is empty: a table starts with a header row".into(),
        ));
    }
    let header = header_row(&texts, options);
    let mut table = TableReader::new(&texts[header], options)?;
    for (i, row) in rows.iter().enumerate().skip(header + 1) {
        if row.iter().all(is_blank) {
            continue;
        }
        let cells: Vec<Cell> = row.iter().map(cell).collect();
        table.push(&cells, first_row + i)?;
    }
    Ok(table.finish())
}

fn is_blank(data: &Data) -> bool {
    match data {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A sheet's cell as the table reader takes it.
fn cell(data: &Data) -> Cell<'_> {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(x) => Cell::Number(*x),
        Data::DateTime(t) if t.is_datetime() => {
            let (year, month, day, ..) = t.to_ymd_hms_milli();
            Cell::Date(format!("{year:04}-{month:02}-{day:02}"))
        }
        Data::DateTimeIso(s) => Cell::Text(s),
        other => Cell::Other(other.to_string()),
    }
}
