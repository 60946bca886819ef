//! Excel carrier tables (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`), read with
//! calamine.

use std::io::{Cursor, Read};
use std::panic::AssertUnwindSafe;

use calamine::{Data, DataRef, Reader, Sheets, Xls, Xlsb, Xlsx};

use super::{header_row, Cell, TableReader, HEADER_SEARCH_ROWS};
use crate::carrier::Carriers;
use crate::error::{Error, ErrorKind};
use crate::read::ReadOptions;

/// Reads the first sheet of a workbook (or the one
/// [`ReadOptions::sheet`] names) as a carrier table. Panics inside
/// calamine on a malformed file are caught and returned as errors.
pub(crate) fn read_excel(mut reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    // A zip may be tried as two formats, each on a fresh reader, so the
    // file is read into memory once and lent to them.
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(ErrorKind::Io)?;
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| read_unguarded(&bytes, options)));
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

/// Opens a workbook of the formats whose cost the reader can bound: OLE
/// files as `.xls`, zips as `.xlsx` or else `.xlsb`. OpenDocument
/// spreadsheets are refused before calamine parses them, which it does
/// whole on opening: a row or a cell may say it repeats a million times,
/// and a file of a kilobyte took 6 GB and 16 s.
fn open<'a>(bytes: &'a [u8], options: &ReadOptions) -> Result<Sheets<Cursor<&'a [u8]>>, Error> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) {
        return Xls::new(Cursor::new(bytes))
            .map(Sheets::Xls)
            .map_err(unreadable_sheet);
    }
    // An OpenDocument file starts with its media type, stored as the first
    // entry of the zip, whose name begins at byte 30.
    let open_document = bytes.get(30..).is_some_and(|entry| {
        entry.starts_with(b"mimetype")
            && entry[8..].starts_with(b"application/vnd.oasis.opendocument")
    });
    if open_document {
        return Err(unreadable(
            "an OpenDocument file (.ods) is not read: save the sheet as .xlsx or as CSV".into(),
        ));
    }
    expanded_within(bytes, options.limits.max_workbook_bytes)?;
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(book) => Ok(Sheets::Xlsx(book)),
        Err(xlsx) => match Xlsb::new(Cursor::new(bytes)) {
            Ok(book) => Ok(Sheets::Xlsb(book)),
            Err(_) => Err(unreadable(format!("not an Excel workbook ({xlsx})"))),
        },
    }
}

/// Refuses a zip whose parts declare more than `limit` bytes in all: the
/// zip reader holds each part to its declared size, so the sum bounds what
/// calamine can decompress. What is not a readable zip is left to the
/// workbook readers to refuse.
fn expanded_within(bytes: &[u8], limit: usize) -> Result<(), Error> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut expanded = 0u64;
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(i) else {
            return Ok(());
        };
        expanded = expanded.saturating_add(part.size());
    }
    if expanded > limit as u64 {
        return Err(ErrorKind::WorkbookTooLarge { expanded, limit }.into());
    }
    Ok(())
}

fn read_unguarded(bytes: &[u8], options: &ReadOptions) -> Result<Carriers, Error> {
    let mut workbook = open(bytes, options)?;
    let sheets = workbook.sheet_names();
    let name = match &options.sheet {
        Some(name) if sheets.contains(name) => name.clone(),
        Some(name) => {
            let sheets = sheets.join(", ");
            return Err(unreadable(format!(
                "no sheet {name:?}; the sheets are {sheets}"
            )));
        }
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| unreadable("the workbook has no sheet".into()))?,
    };
    let mut cells = Cells::new(options);
    match &mut workbook {
        // Cell by cell, so that memory follows the cells a sheet holds, not
        // the box around them: a cell at A1 and one at XFD1048576 would
        // otherwise ask for 17 billion.
        Sheets::Xlsx(book) => {
            let mut sheet = book
                .worksheet_cells_reader(&name)
                .map_err(unreadable_sheet)?;
            cells.take_all(|| Ok(sheet.next_cell().map_err(unreadable_sheet)?.map(owned)))?;
        }
        Sheets::Xlsb(book) => {
            let mut sheet = book
                .worksheet_cells_reader(&name)
                .map_err(unreadable_sheet)?;
            cells.take_all(|| Ok(sheet.next_cell().map_err(unreadable_sheet)?.map(owned)))?;
        }
        // .xls is bounded by its format, 65,536 rows of 256 columns: a
        // file of one far cell costs about 1 GB.
        other => {
            let range = other.worksheet_range(&name).map_err(unreadable_sheet)?;
            let (top, left) = range.start().unwrap_or((0, 0));
            let mut used = range.used_cells();
            cells.take_all(|| {
                let cell = used.next();
                Ok(cell.map(|(r, c, data)| ((top + r as u32, left + c as u32), data.clone())))
            })?;
        }
    }
    cells.read(options)
}

/// A cell a cell reader lent, as its position and an owned value.
fn owned(cell: calamine::Cell<DataRef>) -> ((u32, u32), Data) {
    (cell.get_position(), cell.get_value().clone().into())
}

fn unreadable_sheet(e: impl std::fmt::Display) -> Error {
    unreadable(e.to_string())
}

/// The cells of a sheet that hold something, by (row, column) from 0, as
/// they are read, within the limits.
struct Cells {
    cells: Vec<((u32, u32), Data)>,
    /// The row the last cell was on, and the bytes of its cells so far.
    row: Option<(u32, usize)>,
    rows: usize,
    /// Rows the reader can use: those that may be above the header, the
    /// header, and one past the feature limit, so that it is reported.
    rows_needed: usize,
    max_row_bytes: usize,
    /// The row whose cells passed `max_row_bytes`; reading stopped there.
    too_large: Option<u32>,
}

impl Cells {
    fn new(options: &ReadOptions) -> Cells {
        let limits = options.limits;
        Cells {
            cells: Vec::new(),
            row: None,
            rows: 0,
            rows_needed: limits.max_features.saturating_add(HEADER_SEARCH_ROWS + 2),
            max_row_bytes: limits.max_feature_bytes,
            too_large: None,
        }
    }

    /// Takes the cells `next` gives, until it gives none or reading should
    /// stop.
    fn take_all(
        &mut self,
        mut next: impl FnMut() -> Result<Option<((u32, u32), Data)>, Error>,
    ) -> Result<(), Error> {
        while let Some((at, data)) = next()? {
            if !self.take(at, data) {
                break;
            }
        }
        Ok(())
    }

    /// Takes a cell; false once reading should stop.
    fn take(&mut self, at: (u32, u32), data: Data) -> bool {
        if is_blank(&data) {
            return true;
        }
        let bytes = match &data {
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len(),
            _ => 8,
        };
        let row_bytes = match self.row {
            Some((row, so_far)) if row == at.0 => so_far + bytes,
            _ => {
                self.rows += 1;
                bytes
            }
        };
        self.row = Some((at.0, row_bytes));
        if row_bytes > self.max_row_bytes {
            self.too_large = Some(at.0);
            return false;
        }
        self.cells.push((at, data));
        self.rows <= self.rows_needed
    }

    /// The header row among the first rows, then a carrier or a rejection
    /// per row after it.
    fn read(mut self, options: &ReadOptions) -> Result<Carriers, Error> {
        if let Some(row) = self.too_large {
            // The rows before the one too long are read, to number it.
            self.cells.retain(|((r, _), _)| *r < row);
        }
        // Writers keep cells in row order; a stable sort keeps the order
        // of any that share a position.
        self.cells.sort_by_key(|(at, _)| *at);
        let rows: Vec<&[((u32, u32), Data)]> =
            self.cells.chunk_by(|a, b| a.0 .0 == b.0 .0).collect();
        let too_large = |index| -> Error {
            let limit = options.limits.max_feature_bytes;
            ErrorKind::FeatureTooLarge { index, limit }.into()
        };
        if self.too_large.is_some() && rows.len() < HEADER_SEARCH_ROWS {
            return Err(too_large(0));
        }
        // Columns as the sheet's leftmost cell numbers them.
        let left = self.cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
        let texts: Vec<Vec<String>> = rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .map(|row| {
                let width = row.last().map_or(0, |((_, c), _)| c - left + 1);
                let mut texts = vec![String::new(); width as usize];
                for ((_, c), data) in row.iter() {
                    texts[(c - left) as usize] = data.to_string();
                }
                texts
            })
            .collect();
        if texts.is_empty() {
            return Err(unreadable(
                "the sheet is empty: a table starts with a header row".into(),
            ));
        }
        let header = header_row(&texts, options);
        let mut table = TableReader::new(&texts[header], options)?;
        // One row of cells, reused: each row's cells are set, and cleared
        // after it is read.
        let width = texts[header].len();
        let mut line = vec![Cell::Empty; width];
        for row in &rows[header + 1..] {
            let slots = row.iter().filter_map(|((_, c), data)| {
                let column = (c - left) as usize;
                (column < width).then_some((column, data))
            });
            for (column, data) in slots.clone() {
                line[column] = cell(data);
            }
            table.push(&line, row[0].0 .0 as usize + 1)?;
            for (column, _) in slots {
                line[column] = Cell::Empty;
            }
        }
        if self.too_large.is_some() {
            return Err(too_large(table.records()));
        }
        if self.rows > self.rows_needed {
            // Rows the reader took count for as many as the times their
            // cells were interrupted: a file that only seemed too long is
            // refused, rather than cut short.
            let limit = options.limits.max_features;
            return Err(ErrorKind::TooManyFeatures { limit }.into());
        }
        Ok(table.finish())
    }
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
