//! CSV carrier tables.

use std::io::{BufRead, BufReader, Read};

use super::{header_row, Cell, TableReader, HEADER_SEARCH_ROWS};
use crate::carrier::Carriers;
use crate::error::{Error, ErrorKind};
use crate::read::{Budget, ReadOptions};

/// Reads a CSV carrier table: UTF-8 (with or without a byte-order mark),
/// comma-separated, or tab- or semicolon-separated when the header row has
/// no comma but those. Rows with every cell empty are skipped, and so are
/// rows above the header row (see [`header_row`]).
pub(crate) fn read_csv(reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    let limit = options.limits.max_feature_bytes;
    // Every record then ends with a newline, so that its row is the line
    // count after it, less its own line breaks.
    let (budget, used) = Budget::new(reader.chain(&b"\n"[..]), limit);
    let mut reader = BufReader::new(budget);
    let start = reader.fill_buf().map_err(ErrorKind::Io)?;
    let delimiter = delimiter(start);
    // Records end at a line feed only, so that rows are lines; a CR before
    // it is trimmed off the last cell. A file whose lines end in a CR alone
    // is read with its CRs as line feeds.
    let cr_only = start.contains(&b'\r') && !start.contains(&b'\n');
    let reader: Box<dyn Read + '_> = match cr_only {
        true => Box::new(CrAsLf(reader)),
        false => Box::new(reader),
    };
    let mut csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_reader(reader);
    let mut record = ::csv::StringRecord::new();
    let error = |e: ::csv::Error, index: usize| -> Error {
        if used.get() > limit {
            return ErrorKind::FeatureTooLarge { index, limit }.into();
        }
        let row = e.position().map(|p| p.line() as usize);
        let message = match e.kind() {
            ::csv::ErrorKind::Utf8 { .. } => {
                "the text is not UTF-8: save the table as UTF-8 CSV (convert it if it was saved as GBK)".to_string()
            }
            _ => e.to_string(),
        };
        match e.into_kind() {
            ::csv::ErrorKind::Io(io) if row.is_none() => ErrorKind::Io(io).into(),
            _ => ErrorKind::Table {
                format: "CSV",
                row,
                message,
            }
            .into(),
        }
    };
    // The next record and its row (a record's own position is where the
    // blank lines before it start). A quote left open takes the rest of the
    // file into one cell, the final newline too: the last record then
    // ends in a line break and the end of the file adds no line.
    let mut unclosed = None;
    let mut next = |record: &mut ::csv::StringRecord, index: usize| {
        used.set(0);
        if !csv.read_record(record).map_err(|e| error(e, index))? {
            return match unclosed {
                Some((row, after)) if after == csv.position().line() => Err(ErrorKind::Table {
                    format: "CSV",
                    row: Some(row),
                    message: "a quoted cell is not closed: it runs to the end of the file".into(),
                }
                .into()),
                _ => Ok(None),
            };
        }
        let breaks: usize = record.iter().map(|f| f.matches('\n').count()).sum();
        let after = csv.position().line();
        let open = record.iter().next_back().is_some_and(|f| f.ends_with('\n'));
        unclosed = open.then_some((after as usize - breaks, after));
        Ok::<_, Error>(Some((after as usize).saturating_sub(1 + breaks)))
    };
    // The header row may come below a title: the first rows are read
    // ahead to find it, and those after it are the first records.
    let mut ahead = Vec::new();
    while ahead.len() < HEADER_SEARCH_ROWS {
        let Some(row) = next(&mut record, 0)? else {
            break;
        };
        ahead.push((record.clone(), row));
    }
    if ahead.is_empty() {
        return Err(ErrorKind::Table {
            format: "CSV",
            row: None,
            message: "the file is empty: a table starts with a header row".into(),
        }
        .into());
    }
    let texts: Vec<Vec<String>> = ahead
        .iter()
        .map(|(r, _)| r.iter().map(String::from).collect())
        .collect();
    let header = header_row(&texts, options);
    let mut table = TableReader::new(&texts[header], options)?;
    let push = |record: &::csv::StringRecord, row: usize, table: &mut TableReader| {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            return Ok(());
        }
        let cells: Vec<Cell> = record.iter().map(Cell::Text).collect();
        table.push(&cells, row)
    };
    for (record, row) in &ahead[header + 1..] {
        push(record, *row, &mut table)?;
    }
    while let Some(row) = next(&mut record, table.records())? {
        push(&record, row, &mut table)?;
    }
    Ok(table.finish())
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
