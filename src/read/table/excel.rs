//! Excel carrier tables (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`), read with
//! calamine.

use std::io::{Cursor, Read};
use std::panic::AssertUnwindSafe;

use calamine::{Data, DataRef, Dimensions, Reader, Sheets, Xls, Xlsb, Xlsx};

use super::{header_row, is_header, Cell, TableContext, TableReader, HEADER_SEARCH_ROWS};
use crate::carrier::{Carriers, Column, Kind, Origin, ReadNote, TableRead};
use crate::error::{Error, ErrorKind};
use crate::read::header::Header;
use crate::read::note_repeats;
use crate::read::ReadOptions;

/// Reads every sheet of a workbook that holds a register (or those
/// [`ReadOptions::sheets`] names) as one carrier table. Panics inside
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
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(unreadable("the workbook has no sheet".into()));
    }
    for name in &options.sheets {
        if !names.contains(name) {
            let sheets = names.join(", ");
            return Err(unreadable(format!(
                "no sheet {name:?}; the sheets are {sheets}"
            )));
        }
    }
    let chosen: Vec<String> = match options.sheets.is_empty() {
        true => names.clone(),
        false => names
            .iter()
            .filter(|n| options.sheets.contains(n))
            .cloned()
            .collect(),
    };
    // A workbook of one sheet reads as it always did: its sheet must hold
    // the register, and messages need not name it.
    let several = chosen.len() > 1;
    let mut book = Book {
        read: None,
        skipped: Vec::new(),
        records: 0,
    };
    for name in chosen {
        let origin = match names.len() > 1 {
            true => Origin::sheet(&name),
            false => Origin::default(),
        };
        let sheet = SheetName::of(&name);
        if several && sheet.summary {
            book.skip(
                origin,
                "its name says it is a summary (汇总, 统计, 合计), not a register",
            );
            continue;
        }
        let mut sheet_options = options.clone();
        let limit = options.limits.max_features.saturating_sub(book.records);
        sheet_options.limits.max_features = limit;
        let cells = sheet_cells(&mut workbook, &name, &sheet_options)?;
        let merged = merged_regions(&mut workbook, &name)?;
        let context = TableContext {
            origin: origin.clone(),
            kind: sheet.kind,
            withdrawn: sheet.withdrawn,
        };
        let read = cells.read(&sheet_options, context, &merged, several);
        match read {
            Ok(Ok(carriers)) => book.add(carriers)?,
            Ok(Err(why)) => book.skip(origin, why),
            Err(error) if !origin.is_empty() => {
                let error = Box::new(error);
                return Err(ErrorKind::In { origin, error }.into());
            }
            Err(error) => return Err(error),
        }
    }
    book.finish()
}

/// The sheets of a workbook as they are read.
struct Book {
    read: Option<Carriers>,
    /// The sheets skipped, with why.
    skipped: Vec<TableRead>,
    records: usize,
}

impl Book {
    fn skip(&mut self, origin: Origin, why: &str) {
        self.skipped.push(TableRead::skipped(origin, why));
    }

    fn add(&mut self, carriers: Carriers) -> Result<(), Error> {
        self.records += carriers.features_read();
        match &mut self.read {
            None => self.read = Some(carriers),
            Some(read) => {
                let index = read.features_read();
                read.append(carriers)
                    .map_err(|_| ErrorKind::StoreFull { index })?;
            }
        }
        Ok(())
    }

    /// The carriers of every sheet read, with the sheets skipped noted;
    /// an error when no sheet holds a register.
    fn finish(self) -> Result<Carriers, Error> {
        let Some(mut carriers) = self.read else {
            let why: Vec<String> = self
                .skipped
                .iter()
                .map(|t| {
                    format!(
                        "{} ({})",
                        t.origin,
                        t.skipped.as_deref().unwrap_or_default()
                    )
                })
                .collect();
            return Err(unreadable(format!(
                "no sheet holds a register: {}",
                why.join("; ")
            )));
        };
        for table in self.skipped {
            carriers.add_table(table);
        }
        note_repeats(&mut carriers);
        Ok(carriers)
    }
}

/// What a sheet's name says of its rows.
#[derive(Debug, Default, PartialEq)]
struct SheetName {
    /// The kind its name names (`孵化器`, `2023年众创空间`, `加速器名单`).
    kind: Option<Kind>,
    /// Whether its carriers lost their recognition (`已摘牌`, `撤销名单`).
    withdrawn: bool,
    /// Whether it sums a register up (`汇总`, `统计`, `合计`).
    summary: bool,
}

impl SheetName {
    fn of(name: &str) -> SheetName {
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        let named = [
            ("众创空间", Kind::MakerSpace),
            ("孵化器", Kind::Incubator),
            ("加速器", Kind::Accelerator),
        ];
        let kinds: Vec<Kind> = named
            .into_iter()
            .filter(|(word, _)| name.contains(word))
            .map(|(_, kind)| kind)
            .collect();
        SheetName {
            kind: match kinds[..] {
                [kind] => Some(kind),
                _ => None,
            },
            withdrawn: has(&["摘牌", "撤销", "撤牌", "取消认定", "注销", "退出"]),
            summary: has(&["汇总", "统计", "合计"]),
        }
    }
}

/// The cells of the sheet `name`, within the limits.
fn sheet_cells(
    workbook: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    options: &ReadOptions,
) -> Result<Cells, Error> {
    let mut cells = Cells::new(options);
    match workbook {
        // Cell by cell, so that memory follows the cells a sheet holds, not
        // the box around them: a cell at A1 and one at XFD1048576 would
        // otherwise ask for 17 billion.
        Sheets::Xlsx(book) => {
            let mut sheet = book
                .worksheet_cells_reader(name)
                .map_err(unreadable_sheet)?;
            cells.take_all(|| Ok(sheet.next_cell().map_err(unreadable_sheet)?.map(owned)))?;
        }
        Sheets::Xlsb(book) => {
            let mut sheet = book
                .worksheet_cells_reader(name)
                .map_err(unreadable_sheet)?;
            cells.take_all(|| Ok(sheet.next_cell().map_err(unreadable_sheet)?.map(owned)))?;
        }
        // .xls is bounded by its format, 65,536 rows of 256 columns: a
        // file of one far cell costs about 1 GB.
        other => {
            let range = other.worksheet_range(name).map_err(unreadable_sheet)?;
            let (top, left) = range.start().unwrap_or((0, 0));
            let mut used = range.used_cells();
            cells.take_all(|| {
                let cell = used.next();
                Ok(cell.map(|(r, c, data)| ((top + r as u32, left + c as u32), data.clone())))
            })?;
        }
    }
    Ok(cells)
}

/// The merged regions of the sheet `name`: from `.xlsx` and `.xls`;
/// calamine gives none for `.xlsb`.
fn merged_regions(
    workbook: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
) -> Result<Vec<Dimensions>, Error> {
    match workbook {
        Sheets::Xlsx(book) => book
            .merge_cells_by_sheet_name(name)
            .map_err(unreadable_sheet),
        Sheets::Xls(book) => book
            .merge_cells_by_sheet_name(name)
            .map_err(unreadable_sheet),
        _ => Ok(Vec::new()),
    }
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
    /// per row after it, with the values of merged cells given to the rows
    /// they cover. In a workbook of `several` sheets, a sheet that is not
    /// a register is `Ok(Err(why))`.
    fn read(
        mut self,
        options: &ReadOptions,
        context: TableContext,
        merged: &[Dimensions],
        several: bool,
    ) -> Result<Result<Carriers, &'static str>, Error> {
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
            if several {
                return Ok(Err("the sheet is empty"));
            }
            return Err(unreadable(
                "the sheet is empty: a table starts with a header row".into(),
            ));
        }
        if several && !texts.iter().any(|row| is_header(row, options)) {
            return Ok(Err("no header row in its first 10 rows"));
        }
        let header = header_row(&texts, options);
        let names_records = texts[header].iter().any(|h| {
            let column = Header::parse(h, options).map(|h| h.column);
            matches!(column, Some(Column::Id | Column::Name))
        });
        if several && !names_records {
            return Ok(Err(
                "it has neither an id nor a name column: not a register",
            ));
        }
        let mut table = TableReader::new(&texts[header], options, context)?;
        let header_row = rows[header][0].0 .0;
        let mut merges = Merges::new(merged, &self.cells, header_row, left, &table);
        // One row of cells, reused: each row's cells are set, and cleared
        // after it is read.
        let width = texts[header].len();
        let mut line = vec![Cell::Empty; width];
        for row in &rows[header + 1..] {
            let at = row[0].0 .0;
            let slots = row.iter().filter_map(|((_, c), data)| {
                let column = (c - left) as usize;
                (column < width).then_some((column, data))
            });
            for (column, data) in slots.clone() {
                line[column] = cell(data);
            }
            let shared = merges.fill(at, &mut line);
            table.push(&line, at as usize + 1, shared)?;
            line.fill(Cell::Empty);
        }
        for note in merges.notes {
            table.note(note);
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
        Ok(Ok(table.finish()))
    }
}

/// A merged region's rows in one column (first and last, from 0), and the
/// value of its first cell.
type Span<'a> = (u32, u32, &'a Data);

/// The values of merged cells below the header, by the column they fill:
/// each region's span, by first row.
struct Merges<'a> {
    columns: Vec<(usize, Vec<Span<'a>>)>,
    /// The figure columns, by index, and their headers.
    figures: Vec<(usize, String)>,
    notes: Vec<ReadNote>,
}

impl<'a> Merges<'a> {
    fn new(
        merged: &[Dimensions],
        cells: &'a [((u32, u32), Data)],
        header_row: u32,
        left: u32,
        table: &TableReader,
    ) -> Merges<'a> {
        let mut columns: Vec<(usize, Vec<Span>)> = Vec::new();
        let read = table.read_columns();
        for region in merged.iter().filter(|m| m.start.0 > header_row) {
            let (top, first) = region.start;
            let Ok(at) = cells.binary_search_by_key(&(top, first), |(at, _)| *at) else {
                continue;
            };
            let value = &cells[at].1;
            for &(column, _) in &read {
                let c = left + column as u32;
                if (first..=region.end.1).contains(&c) && region.end.0 > top {
                    let slot = match columns.iter().position(|(i, _)| *i == column) {
                        Some(slot) => slot,
                        None => {
                            columns.push((column, Vec::new()));
                            columns.len() - 1
                        }
                    };
                    columns[slot].1.push((top, region.end.0, value));
                }
            }
        }
        for (_, regions) in &mut columns {
            regions.sort_by_key(|(top, ..)| *top);
        }
        let figures = read
            .into_iter()
            .filter(|(i, _)| table.is_figure(*i))
            .collect();
        Merges {
            columns,
            figures,
            notes: Vec::new(),
        }
    }

    /// Gives row `row` (from 0) the values of the merged cells that cover
    /// it: a text to each of their rows; a figure to the first only, and
    /// true for the others, whose figures it gives.
    fn fill(&mut self, row: u32, line: &mut [Cell<'a>]) -> bool {
        let mut shared = false;
        for (column, regions) in &self.columns {
            let before = regions.partition_point(|(top, ..)| *top <= row);
            let Some(&(top, bottom, value)) = before.checked_sub(1).map(|i| &regions[i]) else {
                continue;
            };
            if row <= top || row > bottom {
                continue;
            }
            match self.figures.iter().find(|(i, _)| i == column) {
                Some((_, header)) => {
                    shared = true;
                    let note = ReadNote::MergedFigure {
                        origin: Origin::default(),
                        column: header.clone(),
                        rows: (top as usize + 1, bottom as usize + 1),
                    };
                    if !self.notes.contains(&note) {
                        self.notes.push(note);
                    }
                }
                None if matches!(line[*column], Cell::Empty) => line[*column] = cell(value),
                None => {}
            }
        }
        shared
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

/// The first sheet of a workbook (or the first that [`ReadOptions::sheets`]
/// names) as rows of text, each with its row number as the workbook shows
/// it: a small table such as a district targets table, not a register.
pub(crate) fn text_rows(
    mut reader: impl Read,
    options: &ReadOptions,
) -> Result<Vec<(usize, Vec<String>)>, Error> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(ErrorKind::Io)?;
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut workbook = open(&bytes, options)?;
        let names = workbook.sheet_names();
        let name = match options.sheets.first() {
            Some(name) if !names.contains(name) => {
                let sheets = names.join(", ");
                return Err(unreadable(format!(
                    "no sheet {name:?}; the sheets are {sheets}"
                )));
            }
            Some(name) => name.clone(),
            None => names
                .first()
                .cloned()
                .ok_or_else(|| unreadable("the workbook has no sheet".into()))?,
        };
        let mut cells = sheet_cells(&mut workbook, &name, options)?.cells;
        cells.sort_by_key(|(at, _)| *at);
        let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
        for ((row, column), data) in cells {
            let number = row as usize + 1;
            if rows.last().is_none_or(|(n, _)| *n != number) {
                rows.push((number, Vec::new()));
            }
            let line = &mut rows.last_mut().expect("a row was pushed").1;
            line.resize(line.len().max(column as usize + 1), String::new());
            line[column as usize] = cell(&data).to_string().trim().to_string();
        }
        Ok(rows)
    }));
    read.unwrap_or_else(|_| Err(unreadable("the reader failed on it".into())))
}
