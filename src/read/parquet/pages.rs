//! The page headers of the column chunks a read decodes, checked before the
//! decoder reads them.
//!
//! The decoder believes a dictionary page's count of values: one that
//! declares two billion values in a few bytes has it reserve (or fill) one
//! slot per value, gigabytes for a file of a few kilobytes, which aborts or
//! exhausts a process before the page is found short. So the headers of a
//! row group's chunks are read first, the page bodies skipped, and a count
//! that the page's own bytes cannot hold is refused with the column, the
//! row group and the offset.
//!
//! A header is Thrift's compact encoding of the Parquet format's
//! `PageHeader`; the parquet crate keeps its reader of them private. Only
//! what the check needs is read, and anything this walk cannot follow is
//! left to the decoder, which refuses it with its own error: the walk
//! refuses a file only for a count proven impossible.

use parquet::basic::{Compression, Type as PhysicalType};
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData};
use parquet::file::reader::ChunkReader;

use crate::error::{Error, ErrorKind};

/// Bytes of a chunk read at a time for a page header; a header holding
/// larger statistics is read again with more.
const HEADER_WINDOW: u64 = 16 * 1024;

/// Nesting a header may have: the format's structs go three deep.
const MAX_DEPTH: u32 = 16;

/// Checks the page headers of the chunks of row group `group` whose leaf
/// columns `decoded` selects.
pub(super) fn check_row_group<R: ChunkReader>(
    source: &R,
    metadata: &ParquetMetaData,
    group: usize,
    decoded: impl Fn(usize) -> bool,
) -> Result<(), Error> {
    let row_group = metadata.row_group(group);
    for (column, chunk) in row_group.columns().iter().enumerate() {
        if decoded(column) {
            check_chunk(source, chunk).map_err(|message| {
                Error::from(ErrorKind::Parquet {
                    message: format!(
                        "column {} of row group {group}: {message}",
                        chunk.column_path().string()
                    ),
                })
            })?;
        }
    }
    Ok(())
}

/// Walks the pages of one column chunk, header by header: the number of
/// pages when the walk ends where the chunk does, `None` when it stopped
/// at something it does not follow.
fn check_chunk<R: ChunkReader>(
    source: &R,
    chunk: &ColumnChunkMetaData,
) -> Result<Option<usize>, String> {
    // As the decoder finds the chunk, which panics on negative numbers.
    let start = chunk
        .dictionary_page_offset()
        .unwrap_or(chunk.data_page_offset());
    let (Ok(start), Ok(length)) = (u64::try_from(start), u64::try_from(chunk.compressed_size()))
    else {
        return Ok(None);
    };
    let end = start.saturating_add(length).min(source.len());
    // Bits a dictionary value takes at the least, as PLAIN encodes it.
    let least_bits = match chunk.column_type() {
        PhysicalType::BOOLEAN => 1,
        PhysicalType::INT32 | PhysicalType::FLOAT | PhysicalType::BYTE_ARRAY => 32,
        PhysicalType::INT64 | PhysicalType::DOUBLE => 64,
        PhysicalType::INT96 => 96,
        PhysicalType::FIXED_LEN_BYTE_ARRAY => 8,
    };
    let (mut at, mut pages) = (start, 0);
    while at < end {
        let Some((header, header_bytes)) = read_header(source, at, end) else {
            return Ok(None);
        };
        if let Some(values) = header.dictionary_values {
            // A compressed page is checked to expand to the size it
            // declares; an uncompressed one is what the file holds,
            // whatever it declares.
            let bytes = if chunk.compression() == Compression::UNCOMPRESSED {
                header.compressed.min(header.uncompressed)
            } else {
                header.uncompressed
            };
            let room = 8 * u64::try_from(bytes).unwrap_or(0);
            if u64::try_from(values).map_or(true, |v| v.saturating_mul(least_bits) > room) {
                return Err(format!(
                    "the dictionary page at offset {at} declares {values} values in {bytes} bytes"
                ));
            }
        }
        let Ok(body) = u64::try_from(header.compressed) else {
            return Ok(None);
        };
        at = at.saturating_add(header_bytes).saturating_add(body);
        pages += 1;
    }
    Ok((at == end).then_some(pages))
}

/// What the walk reads of a page header.
#[derive(Debug, Default)]
struct PageHeader {
    uncompressed: i32,
    compressed: i32,
    /// The count of values a dictionary page declares.
    dictionary_values: Option<i32>,
}

/// The header at `at` and its length in bytes; `None` when it cannot be
/// read (left to the decoder).
fn read_header<R: ChunkReader>(source: &R, at: u64, end: u64) -> Option<(PageHeader, u64)> {
    let mut window = HEADER_WINDOW;
    loop {
        let length = window.min(end - at);
        let bytes = source.get_bytes(at, length as usize).ok()?;
        let mut reader = Compact {
            bytes: &bytes,
            at: 0,
        };
        match reader.page_header() {
            Ok(header) => return Some((header, reader.at as u64)),
            Err(Short) if length < end - at => window = window.saturating_mul(4),
            Err(Short) => return None,
        }
    }
}

/// The header ran past the bytes at hand, or is not one this walk follows.
struct Short;

/// Thrift's compact protocol over bytes in memory.
struct Compact<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Thrift compact type codes.
const STOP: u8 = 0;
const TRUE: u8 = 1;
const FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const UUID: u8 = 13;

impl Compact<'_> {
    fn page_header(&mut self) -> Result<PageHeader, Short> {
        let mut header = PageHeader::default();
        let mut id = 0;
        while let Some((field, kind)) = self.field(&mut id)? {
            match (field, kind) {
                (2, I32) => header.uncompressed = self.i32()?,
                (3, I32) => header.compressed = self.i32()?,
                // DictionaryPageHeader: its field 1 is the count of values.
                (7, STRUCT) => {
                    let mut inner = 0;
                    while let Some((field, kind)) = self.field(&mut inner)? {
                        match (field, kind) {
                            (1, I32) => header.dictionary_values = Some(self.i32()?),
                            _ => self.skip(kind, 1)?,
                        }
                    }
                }
                _ => self.skip(kind, 0)?,
            }
        }
        Ok(header)
    }

    fn byte(&mut self) -> Result<u8, Short> {
        let byte = *self.bytes.get(self.at).ok_or(Short)?;
        self.at += 1;
        Ok(byte)
    }

    fn take(&mut self, n: u64) -> Result<(), Short> {
        let left = (self.bytes.len() - self.at) as u64;
        if n > left {
            return Err(Short);
        }
        self.at += n as usize;
        Ok(())
    }

    /// A varint as the parquet crate reads one: bits past 64 wrap.
    fn varint(&mut self) -> Result<u64, Short> {
        let (mut value, mut shift) = (0u64, 0u32);
        loop {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f).wrapping_shl(shift);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift = shift.wrapping_add(7);
        }
    }

    fn zigzag(&mut self) -> Result<i64, Short> {
        let zigzag = self.varint()?;
        Ok((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64))
    }

    /// An i32 as the parquet crate reads one: a wider value is truncated,
    /// so the count checked is the count the decoder would use.
    fn i32(&mut self) -> Result<i32, Short> {
        Ok(self.zigzag()? as i32)
    }

    /// The next field's id and type, `None` at the struct's end; `last` is
    /// the id before it, which a short header counts from.
    fn field(&mut self, last: &mut i16) -> Result<Option<(i16, u8)>, Short> {
        let byte = self.byte()?;
        let kind = byte & 0x0f;
        if kind == STOP {
            return Ok(None);
        }
        let delta = byte >> 4;
        *last = if delta == 0 {
            self.zigzag()? as i16
        } else {
            last.checked_add(i16::from(delta)).ok_or(Short)?
        };
        Ok(Some((*last, kind)))
    }

    /// Skips a value of type `kind`, `depth` structs down.
    fn skip(&mut self, kind: u8, depth: u32) -> Result<(), Short> {
        if depth > MAX_DEPTH {
            return Err(Short);
        }
        match kind {
            TRUE | FALSE => Ok(()),
            BYTE => self.take(1),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.take(8),
            UUID => self.take(16),
            BINARY => {
                let length = self.varint()?;
                self.take(length)
            }
            LIST | SET => {
                let head = self.byte()?;
                if head == 0 {
                    // An empty list, as some writers put it.
                    return Ok(());
                }
                let (count, element) = match head >> 4 {
                    15 => (self.varint()?, head & 0x0f),
                    count => (u64::from(count), head & 0x0f),
                };
                self.elements(count, &[element], depth)
            }
            MAP => {
                let count = self.varint()?;
                if count == 0 {
                    return Ok(());
                }
                let types = self.byte()?;
                self.elements(count, &[types >> 4, types & 0x0f], depth)
            }
            STRUCT => {
                let mut id = 0;
                while let Some((_, kind)) = self.field(&mut id)? {
                    self.skip(kind, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(Short),
        }
    }

    /// Skips `count` elements, each a value of every type in `types`. A
    /// boolean element is skipped as the parquet crate skips it, reading
    /// nothing, so that the header ends where the decoder finds it ends;
    /// any other element takes a byte at the least, so a count past the
    /// bytes left is short at once.
    fn elements(&mut self, count: u64, types: &[u8], depth: u32) -> Result<(), Short> {
        let read = |kind: &u8| *kind != TRUE && *kind != FALSE;
        if !types.iter().any(read) {
            return Ok(());
        }
        if count > (self.bytes.len() - self.at) as u64 {
            return Err(Short);
        }
        for _ in 0..count {
            for &kind in types.iter().filter(|kind| read(kind)) {
                self.skip(kind, depth + 1)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int32Array, RecordBatch, StringArray};
    use bytes::Bytes;
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::metadata::ParquetMetaDataReader;
    use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};

    use super::*;
    use crate::read::read_carriers_parquet;
    use crate::ReadOptions;

    /// A file of many small pages, with nulls, written as `properties` say.
    fn written(properties: WriterProperties) -> Bytes {
        let rows = 5000;
        let text = |i: usize| (!i.is_multiple_of(7)).then(|| format!("text-{}", i % 300));
        let columns: Vec<(&str, ArrayRef)> = vec![
            (
                "text",
                Arc::new(StringArray::from_iter((0..rows).map(text))),
            ),
            (
                "float",
                Arc::new(Float64Array::from_iter(
                    (0..rows).map(|i| (!i.is_multiple_of(5)).then_some(i as f64 * 0.5)),
                )),
            ),
            (
                "int",
                Arc::new(Int32Array::from_iter_values(
                    (0..rows).map(|i| i as i32 % 40),
                )),
            ),
            (
                "flag",
                Arc::new(BooleanArray::from_iter((0..rows).map(|i| Some(i % 3 == 0)))),
            ),
        ];
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let mut out = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut out, batch.schema(), Some(properties)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        Bytes::from(out)
    }

    /// The walk follows every header the parquet crate writes, whatever
    /// the page version, codec, dictionary and statistics: it ends where
    /// each chunk ends, having found its pages.
    #[test]
    fn the_walk_ends_where_every_chunk_ends_in_written_files() {
        let codecs = [
            Compression::UNCOMPRESSED,
            Compression::SNAPPY,
            Compression::ZSTD(ZstdLevel::default()),
        ];
        for version in [WriterVersion::PARQUET_1_0, WriterVersion::PARQUET_2_0] {
            for codec in codecs {
                for dictionary in [false, true] {
                    let properties = WriterProperties::builder()
                        .set_writer_version(version)
                        .set_compression(codec)
                        .set_dictionary_enabled(dictionary)
                        .set_statistics_enabled(EnabledStatistics::Page)
                        .set_data_page_size_limit(512)
                        .set_write_batch_size(64)
                        .set_max_row_group_row_count(Some(2000))
                        .build();
                    let file = written(properties);
                    let metadata = ParquetMetaDataReader::new()
                        .parse_and_finish(&file)
                        .unwrap();
                    let case = format!("{version:?} {codec:?} dictionary {dictionary}");
                    assert_eq!(metadata.num_row_groups(), 3, "{case}");
                    for group in metadata.row_groups() {
                        for chunk in group.columns() {
                            let pages = check_chunk(&file, chunk).unwrap();
                            // Flags fit one page; the rest run to more.
                            let least = if chunk.column_type() == PhysicalType::BOOLEAN {
                                1
                            } else {
                                2
                            };
                            assert!(
                                pages.is_some_and(|n| n >= least),
                                "{case}, {}: {pages:?} pages",
                                chunk.column_path()
                            );
                        }
                    }
                }
            }
        }
    }

    /// A 6 KB file found by fuzzing whose dictionary page declares 811
    /// million values in 202 bytes: the decoder reserved 3.2 GB for them
    /// (an abort where memory is limited); now the read is refused first.
    #[test]
    fn a_dictionary_page_declaring_more_values_than_its_bytes_hold_is_refused() {
        let file = include_bytes!("../../../fuzz/seeds/read_parquet/dictionary-count.parquet");
        let read = read_carriers_parquet(Bytes::from_static(file), &ReadOptions::new());
        let message = read.unwrap_err().to_string();
        assert_eq!(
            message,
            "not a readable Parquet file: column opened of row group 0: the dictionary \
             page at offset 940 declares 811647363 values in 202 bytes"
        );
    }

    /// An uncompressed dictionary page holds the bytes the file gives it,
    /// whatever its header declares: the decoder does not compare the two,
    /// and would fill one slot per declared value.
    #[test]
    fn an_uncompressed_dictionary_page_is_checked_against_its_bytes() {
        let column = Arc::new(parquet::schema::types::ColumnDescriptor::new(
            Arc::new(
                parquet::schema::types::Type::primitive_type_builder("n", PhysicalType::INT64)
                    .build()
                    .unwrap(),
            ),
            0,
            0,
            parquet::schema::types::ColumnPath::from("n"),
        ));
        // A dictionary page of 8 values (64 bytes) declaring `values` in
        // `declared` bytes.
        let page = |values: u64, declared: u64| -> (Bytes, ColumnChunkMetaData) {
            let zigzag = |n: u64| {
                let mut n = n << 1;
                let mut out = Vec::new();
                while n >= 0x80 {
                    out.push(n as u8 | 0x80);
                    n >>= 7;
                }
                out.push(n as u8);
                out
            };
            let mut file = vec![0x15];
            file.extend(zigzag(2));
            file.push(0x15);
            file.extend(zigzag(declared));
            file.push(0x15);
            file.extend(zigzag(64));
            file.extend([0x4c, 0x15]);
            file.extend(zigzag(values));
            file.extend([0x15, 0x00, 0x00, 0x00]);
            file.extend([0; 64]);
            let chunk = ColumnChunkMetaData::builder(column.clone())
                .set_compression(Compression::UNCOMPRESSED)
                .set_dictionary_page_offset(Some(0))
                .set_data_page_offset(0)
                .set_total_compressed_size(file.len() as i64)
                .build()
                .unwrap();
            (Bytes::from(file), chunk)
        };
        let (file, chunk) = page(8, 64);
        assert_eq!(check_chunk(&file, &chunk), Ok(Some(1)));
        let (file, chunk) = page(100_000_000, 800_000_000);
        assert_eq!(
            check_chunk(&file, &chunk),
            Err("the dictionary page at offset 0 declares 100000000 values in 64 bytes".into())
        );
    }

    fn header(bytes: &[u8]) -> Result<(PageHeader, usize), Short> {
        let mut reader = Compact { bytes, at: 0 };
        reader.page_header().map(|h| (h, reader.at))
    }

    /// Fields the walk does not need are skipped however they nest; a
    /// header cut short, or declaring more than its bytes hold, is short.
    #[test]
    fn compact_headers_are_skipped_field_by_field() {
        let header_bytes = [
            0x15, 0x04, // 1: type, i32 2 (a dictionary page)
            0x15, 0x14, // 2: uncompressed size, i32 10
            0x15, 0x0c, // 3: compressed size, i32 6
            0x18, 0x02, 0xab, 0xcd, // 4: binary of 2 bytes
            0x1c, // 5: a struct of
            0x19, 0x35, 0x02, 0x04, 0x06, // 1: a list of 3 i32
            0x1b, 0x01, 0x88, 0x01, 0x61, 0x01, 0x62, // 2: a map of 1 binary to binary
            0x11, // 3: true, which has no data
            0x00, // end of the struct
            0x2c, // 7: the dictionary page header, a struct of
            0x15, 0x0a, // 1: its count of values, i32 5
            0x00, // end of the struct
            0x08, 0x28, 0x00, // 20, in long form: empty binary
            0x00, // end of the header
        ];
        let (h, length) = header(&header_bytes).unwrap_or_else(|_| panic!("short"));
        assert_eq!(
            (h.uncompressed, h.compressed, h.dictionary_values),
            (10, 6, Some(5))
        );
        assert_eq!(length, header_bytes.len());
        for cut in 0..header_bytes.len() {
            assert!(header(&header_bytes[..cut]).is_err(), "cut at {cut}");
        }
        // A list of 2^31 i64 in a few bytes.
        let huge = [0x19, 0xf6, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00];
        assert!(header(&huge).is_err());
        // A list of 2^31 booleans is skipped as the parquet crate skips it.
        let booleans = [0x19, 0xf1, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00];
        assert_eq!(header(&booleans).map(|(_, n)| n).ok(), Some(booleans.len()));
    }
}
