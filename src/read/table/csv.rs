//! CSV carrier tables.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

use super::{header_row, is_header, Cell, TableContext, TableReader, HEADER_SEARCH_ROWS};
use crate::carrier::Carriers;
use crate::error::{Error, ErrorKind};
use crate::read::encoding::{Decode, Decoding, Encoding};
use crate::read::{Budget, ReadNote, ReadOptions};

/// Reads a CSV carrier table: in UTF-8 (with or without a byte-order
/// mark), GB18030 or UTF-16 (see [`Decode`]), comma-separated, or tab- or
/// semicolon-separated when the header row has no comma but those. Rows
/// with every cell empty are skipped, and so are rows above the header row
/// (see [`header_row`]).
pub(crate) fn read_csv(reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    let limit = options.limits.max_feature_bytes;
    let (decoded, decoding) = Decode::new(reader, options.encoding).map_err(not_text)?;
    // Every record then ends with a newline, so that its row is the line
    // count after it, less its own line breaks.
    let (budget, used) = Budget::new(decoded.chain(&b"\n"[..]), limit);
    let mut reader = BufReader::new(budget);
    let start = reader.fill_buf().map_err(not_text)?;
    let delimiter = delimiter(start);
    // Records end at a line feed only, so that rows are lines; a CR before
    // it is trimmed off the last cell. A file whose lines end in a CR alone
    // is read with its CRs as line feeds.
    let cr_only = start.contains(&b'\r') && !start.contains(&b'\n');
    let reader: Box<dyn Read + '_> = match cr_only {
        true => Box::new(CrAsLf(reader)),
        false => Box::new(reader),
    };
    let csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_reader(reader);
    let mut records = Records {
        csv,
        record: ::csv::ByteRecord::new(),
        unclosed: None,
        decoding: Rc::clone(&decoding),
        headers: None,
        used,
        limit,
    };
    // The header row may come below a title: the first rows are read
    // ahead to find it, and those after it are the first records.
    let mut ahead = Vec::new();
    while ahead.len() < HEADER_SEARCH_ROWS {
        let Some(row) = records.next(0)? else {
            break;
        };
        let texts: Vec<String> = records.fields(row)?.iter().map(Cell::to_string).collect();
        if records.headers.is_none() && is_header(&texts, options) {
            // Errors in the rows that follow name columns by it.
            records.headers = Some(texts.clone());
        }
        ahead.push((texts, row));
    }
    if ahead.is_empty() {
        return Err(table(
            None,
            "the file is empty: a table starts with a header row",
        ));
    }
    let texts: Vec<&Vec<String>> = ahead.iter().map(|(texts, _)| texts).collect();
    let rows: Vec<Vec<String>> = texts.iter().map(|t| t.to_vec()).collect();
    let header = header_row(&rows, options);
    let mut table = TableReader::new(&rows[header], options, TableContext::default())?;
    records.headers = Some(rows[header].clone());
    let push = |cells: Vec<Cell>, row: usize, table: &mut TableReader| {
        let blank = |cell: &Cell| matches!(cell, Cell::Text(text) if text.trim().is_empty());
        if cells.iter().all(blank) {
            return Ok(());
        }
        table.push(&cells, row, false)
    };
    for (texts, row) in &ahead[header + 1..] {
        push(
            texts.iter().map(|t| Cell::Text(t)).collect(),
            *row,
            &mut table,
        )?;
    }
    while let Some(row) = records.next(table.records())? {
        push(records.fields(row)?, row, &mut table)?;
    }
    let decoding = decoding.borrow();
    if let Some(encoding @ (Encoding::Gb18030 | Encoding::Utf16)) = decoding.encoding {
        table.note(ReadNote::Encoding {
            encoding,
            detected: decoding.detected,
        });
    }
    Ok(table.finish())
}

/// The error for text the decoder refused (a byte-order mark against the
/// encoding given, zero bytes), or for reading that failed.
fn not_text(e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::InvalidData => table(None, e),
        _ => ErrorKind::Io(e).into(),
    }
}

/// A table error at `row` (when known).
fn table(row: Option<usize>, message: impl ToString) -> Error {
    ErrorKind::Table {
        format: "CSV",
        row,
        message: message.to_string(),
    }
    .into()
}

/// The records of a CSV table with the row each starts on, decoded.
struct Records<R> {
    csv: ::csv::Reader<R>,
    record: ::csv::ByteRecord,
    /// The row of a record whose last cell holds a line break at its end,
    /// and the line after it: a quote left open there ran to the end.
    unclosed: Option<(usize, u64)>,
    decoding: Rc<RefCell<Decoding>>,
    /// The header row, once found (or, while the first rows are read, the
    /// last that could be it): errors name columns by it.
    headers: Option<Vec<String>>,
    used: Rc<std::cell::Cell<usize>>,
    limit: usize,
}

impl<R: Read> Records<R> {
    /// Reads the next record, and gives its row (a record's own position is
    /// where the blank lines before it start). A quote left open takes the
    /// rest of the file into one cell, the final newline too: the last
    /// record then ends in a line break and the end of the file adds no
    /// line. `index` is the record's among those read, for the size limit's
    /// message. The record's cells are then [`Records::fields`].
    fn next(&mut self, index: usize) -> Result<Option<usize>, Error> {
        self.used.set(0);
        match self.csv.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => {
                return match self.unclosed {
                    Some((row, after)) if after == self.csv.position().line() => Err(table(
                        Some(row),
                        "a quoted cell is not closed: it runs to the end of the file",
                    )),
                    _ => Ok(None),
                }
            }
            Err(e) => return Err(self.error(e, index)),
        }
        let breaks: usize = self
            .record
            .iter()
            .map(|f| f.iter().filter(|&&b| b == b'\n').count())
            .sum();
        let after = self.csv.position().line();
        let open = self
            .record
            .iter()
            .next_back()
            .is_some_and(|f| f.ends_with(b"\n"));
        self.unclosed = open.then_some((after as usize - breaks, after));
        Ok(Some((after as usize).saturating_sub(1 + breaks)))
    }

    /// The cells of the record last read, on `row`.
    ///
    /// # Errors
    ///
    /// For a cell that is not UTF-8, naming it.
    fn fields(&self, row: usize) -> Result<Vec<Cell<'_>>, Error> {
        // The record's text checked at once; each cell is then a slice of
        // it, unless a cell's end cuts a character.
        if let Ok(all) = std::str::from_utf8(self.record.as_slice()) {
            let mut cells = Vec::with_capacity(self.record.len());
            let mut start = 0;
            for cell in &self.record {
                let Some(text) = all.get(start..start + cell.len()) else {
                    break;
                };
                cells.push(Cell::Text(text));
                start += cell.len();
            }
            if cells.len() == self.record.len() {
                return Ok(cells);
            }
        }
        let text = |(field, cell)| match std::str::from_utf8(cell) {
            Ok(text) => Ok(Cell::Text(text)),
            Err(e) => Err(self.not_decoded(field, e.valid_up_to(), row)),
        };
        self.record.iter().enumerate().map(text).collect()
    }

    fn error(&self, e: ::csv::Error, index: usize) -> Error {
        if self.used.get() > self.limit {
            let limit = self.limit;
            return ErrorKind::FeatureTooLarge { index, limit }.into();
        }
        let row = e.position().map(|p| p.line() as usize);
        let message = e.to_string();
        match e.into_kind() {
            ::csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
                table(None, io)
            }
            ::csv::ErrorKind::Io(io) if row.is_none() => ErrorKind::Io(io).into(),
            _ => table(row, message),
        }
    }

    /// The error for cell `field` of the record on `row`, not UTF-8 past
    /// `valid_up_to`: its row, its column, the bytes and what to do.
    fn not_decoded(&self, field: usize, valid_up_to: usize, row: usize) -> Error {
        let column = match self.headers.as_ref().and_then(|h| h.get(field)) {
            Some(header) if !header.trim().is_empty() => {
                format!("column {} ({})", field + 1, header.trim())
            }
            _ => format!("column {}", field + 1),
        };
        let decoding = self.decoding.borrow();
        let cell = self.record.get(field).unwrap_or_default();
        let at = valid_up_to.min(cell.len());
        let bytes = match &decoding.malformed {
            Some(bytes) => bytes.as_slice(),
            None => &cell[at..(at + 4).min(cell.len())],
        };
        let bytes: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
        let bytes = bytes.join(" ");
        let message = match (decoding.undecidable, decoding.encoding) {
            (true, _) => format!(
                "{column}: the bytes {bytes} are neither UTF-8 nor GB18030; give the file's \
                 encoding (utf-8, gb18030 or utf-16)"
            ),
            (false, Some(encoding)) if encoding != Encoding::Utf8 => format!(
                "{column}: the bytes {bytes} cannot be read as {}",
                encoding.as_str().to_uppercase()
            ),
            (false, _) => format!(
                "{column}: the bytes {bytes} are not UTF-8, which the text before them was; \
                 if the file is in another encoding, give it (gb18030 or utf-16)"
            ),
        };
        table(Some(row), message)
    }
}

/// A reader that reads every carriage return as a line feed.
struct CrAsLf<R>(R);

impl<R: Read> Read for CrAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in &mut buf[..n] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(n)
    }
}

/// The separator the header row uses: a comma, unless it has none and a
/// tab or semicolon.
fn delimiter(start: &[u8]) -> u8 {
    let header = start.split(|&b| b == b'\n').next().unwrap_or_default();
    let has = |c: u8| header.contains(&c);
    if has(b',') {
        b','
    } else if has(b'\t') {
        b'\t'
    } else if has(b';') {
        b';'
    } else {
        b','
    }
}

/// A CSV file as rows of text, in any encoding registers use, each with
/// its line: a small table such as a district targets table, not a
/// register.
pub(crate) fn text_rows(
    reader: impl Read,
    options: &ReadOptions,
) -> Result<Vec<(usize, Vec<String>)>, Error> {
    let (decoded, _) = Decode::new(reader, options.encoding).map_err(not_text)?;
    // A small table: one that is not is refused whole, not cut short.
    const LIMIT: u64 = 64 << 20;
    let mut text = Vec::new();
    (decoded.take(LIMIT + 1))
        .read_to_end(&mut text)
        .map_err(not_text)?;
    if text.len() as u64 > LIMIT {
        return Err(table(None, "over 64 MiB: not a table of targets"));
    }
    let mut csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(&text[..]);
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| table(e.position().map(|p| p.line() as usize), e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(rows)
}
