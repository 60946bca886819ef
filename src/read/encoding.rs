//! The text encodings a CSV table comes in, and the reader that turns any
//! of them into UTF-8 for the CSV parser.
//!
//! Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK, and "Unicode
//! text" in UTF-16 with a byte-order mark; other tools write UTF-8. The
//! encoding is taken from a byte-order mark, else from the caller, else
//! from the text itself: ASCII reads the same in UTF-8 and GB18030, so the
//! choice is made at the first byte that is not ASCII, from the bytes that
//! follow it. A byte that cannot be decoded is passed on as a byte that is
//! not UTF-8, so that the CSV parser stops there and names its row and
//! column.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

pub use crate::format::Encoding;

/// How many bytes after the first that is not ASCII decide the encoding
/// (or all that are left, when fewer).
const WINDOW: usize = 64 << 10;

/// What a decoding found, shared with the code that reports errors.
#[derive(Debug, Default)]
pub(crate) struct Decoding {
    /// The encoding the text is read in, once known (until the first byte
    /// that is not ASCII, none is needed).
    pub encoding: Option<Encoding>,
    /// Whether it was found from the text rather than a byte-order mark or
    /// the caller.
    pub detected: bool,
    /// The first bytes that could not be decoded, as the file holds them.
    pub malformed: Option<Vec<u8>>,
    /// Whether the text holds bytes that neither UTF-8 nor GB18030 read
    /// where its encoding had to be found.
    pub undecidable: bool,
}

/// What the reader does with the bytes it reads.
enum Mode {
    /// All bytes so far are ASCII: passed on as they are.
    Undecided,
    /// UTF-8: passed on as they are (the CSV parser checks them).
    Utf8,
    /// Another encoding, decoded to UTF-8.
    Decode(encoding_rs::Decoder),
    /// Not text in any of the encodings: reading fails with this message.
    Fail(String),
}

/// A reader of text in any [`Encoding`], giving UTF-8.
pub(crate) struct Decode<R> {
    inner: R,
    /// Bytes read but not yet passed on or decoded.
    pending: Vec<u8>,
    eof: bool,
    /// Whether the decoder was told the input ended.
    finished: bool,
    mode: Mode,
    /// Decoded bytes not yet returned.
    out: Vec<u8>,
    out_at: usize,
    /// Lines and bytes passed on while the encoding was undecided (lines
    /// counted in the first window only).
    lines: usize,
    passed: usize,
    found: Rc<RefCell<Decoding>>,
}

impl<R: Read> Decode<R> {
    /// A reader of `inner` in `encoding`, or in the one its byte-order mark
    /// or text shows; the [`Decoding`] says which, once known.
    pub(crate) fn new(
        mut inner: R,
        encoding: Option<Encoding>,
    ) -> io::Result<(Decode<R>, Rc<RefCell<Decoding>>)> {
        // Enough of the start that the first read shows whole lines: the
        // CSV reader finds the delimiter in the first.
        let mut start = Vec::with_capacity(WINDOW);
        (&mut inner).take(WINDOW as u64).read_to_end(&mut start)?;
        let (bom, length) = byte_order_mark(&start);
        let found = Rc::new(RefCell::new(Decoding::default()));
        found.borrow_mut().encoding = bom.as_ref().map(|(e, _)| *e).or(encoding);
        let mode = match (bom, encoding) {
            (Some((bom, _)), Some(given)) if bom != given => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the file starts with a {} byte-order mark, but {given} was given",
                        bom.as_str()
                    ),
                ));
            }
            (Some((_, decoder)), _) => decoder,
            (None, Some(given)) => mode_of(given),
            (None, None) => Mode::Undecided,
        };
        let eof = start.len() < WINDOW;
        start.drain(..length);
        let reader = Decode {
            inner,
            pending: start,
            eof,
            finished: false,
            mode,
            out: Vec::new(),
            out_at: 0,
            lines: 0,
            passed: 0,
            found: Rc::clone(&found),
        };
        Ok((reader, found))
    }

    /// Reads more of the input into `pending`; false at its end.
    fn fill(&mut self, at_least: usize) -> io::Result<bool> {
        let want = at_least.max(64 << 10);
        let before = self.pending.len();
        (&mut self.inner)
            .take(want as u64)
            .read_to_end(&mut self.pending)?;
        if self.pending.len() == before {
            self.eof = true;
        }
        Ok(self.pending.len() > before)
    }

    /// Turns what is pending into output.
    fn convert(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_at = 0;
        match &mut self.mode {
            Mode::Utf8 => std::mem::swap(&mut self.out, &mut self.pending),
            Mode::Decode(decoder) => {
                let pending = std::mem::take(&mut self.pending);
                decode(decoder, &pending, false, &mut self.out, &self.found);
            }
            Mode::Fail(why) => return Err(io::Error::new(io::ErrorKind::InvalidData, why.clone())),
            Mode::Undecided => {
                // Control bytes are looked for in the first window, where
                // UTF-16 without its mark shows; past it, only the first
                // byte that is not ASCII is looked for, at the speed of
                // `is_ascii`.
                let controls = self.passed < WINDOW;
                let plain =
                    self.pending.is_ascii() && !(controls && self.pending.iter().any(is_control));
                let stop = match plain {
                    true => None,
                    false => self
                        .pending
                        .iter()
                        .position(|b| !b.is_ascii() || (controls && is_control(b))),
                };
                let Some(first) = stop else {
                    if controls {
                        self.lines += self.pending.iter().filter(|&&b| b == b'\n').count();
                    }
                    self.passed += self.pending.len();
                    std::mem::swap(&mut self.out, &mut self.pending);
                    return Ok(());
                };
                while self.pending.len() - first < WINDOW && !self.eof {
                    self.fill(WINDOW)?;
                }
                self.mode = self.decide(first);
                return self.convert();
            }
        }
        Ok(())
    }

    /// The mode for the text in `pending`, whose first byte that is not
    /// ASCII, or is a control byte, is at `first`.
    fn decide(&self, first: usize) -> Mode {
        let mut found = self.found.borrow_mut();
        let end = (self.pending.len() - first).min(WINDOW);
        let window = &self.pending[first..first + end];
        let whole = self.eof && first + end == self.pending.len();
        let zero = window.iter().position(|&b| b == 0).map(|at| {
            let why = "zero bytes, as UTF-16 text without a byte-order mark has (give its \
                       encoding, utf-16) or a file that is not text";
            (at, why)
        });
        let control = || {
            window
                .iter()
                .position(is_control)
                .map(|at| (at, "control bytes, as a file that is not text has"))
        };
        if let Some((at, why)) = zero.or_else(control) {
            let before = &self.pending[..first + at];
            let line = self.lines + before.iter().filter(|&&b| b == b'\n').count() + 1;
            return Mode::Fail(format!("line {line}: the text holds {why}"));
        }
        if is_utf8(window, whole) {
            found.encoding = Some(Encoding::Utf8);
            found.detected = true;
            return Mode::Utf8;
        }
        if is_gb18030(window, whole) {
            found.encoding = Some(Encoding::Gb18030);
            found.detected = true;
            return mode_of(Encoding::Gb18030);
        }
        // The parser then stops at the first byte that is not UTF-8.
        found.undecidable = true;
        Mode::Utf8
    }
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_at == self.out.len() {
            if self.pending.is_empty() && !self.eof {
                self.fill(0)?;
            }
            if self.pending.is_empty() && self.eof {
                if self.finished {
                    return Ok(0);
                }
                self.finished = true;
                self.out.clear();
                self.out_at = 0;
                if let Mode::Decode(decoder) = &mut self.mode {
                    // What an unfinished sequence at the end left.
                    decode(decoder, &[], true, &mut self.out, &self.found);
                }
                continue;
            }
            self.convert()?;
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// The mode for a given encoding (UTF-16 without a mark is little-endian,
/// as Windows writes it).
fn mode_of(encoding: Encoding) -> Mode {
    let decoder = match encoding {
        Encoding::Utf8 => return Mode::Utf8,
        Encoding::Gb18030 => encoding_rs::GB18030,
        Encoding::Utf16 => encoding_rs::UTF_16LE,
    };
    Mode::Decode(decoder.new_decoder_without_bom_handling())
}

/// The encoding a file's first bytes mark, its decoding mode and the
/// mark's length.
fn byte_order_mark(start: &[u8]) -> (Option<(Encoding, Mode)>, usize) {
    if start.starts_with(b"\xEF\xBB\xBF") {
        (Some((Encoding::Utf8, Mode::Utf8)), 3)
    } else if start.starts_with(b"\xFF\xFE") {
        (Some((Encoding::Utf16, mode_of(Encoding::Utf16))), 2)
    } else if start.starts_with(b"\xFE\xFF") {
        let big_endian = encoding_rs::UTF_16BE.new_decoder_without_bom_handling();
        (Some((Encoding::Utf16, Mode::Decode(big_endian))), 2)
    } else if start.starts_with(b"\x84\x31\x95\x33") {
        (Some((Encoding::Gb18030, mode_of(Encoding::Gb18030))), 4)
    } else {
        (None, 0)
    }
}

/// Decodes `input` onto `out`. A malformed sequence becomes the byte
/// 0xFF, which is never UTF-8, so that the CSV parser stops at its row and
/// column; the first one's bytes are kept for the message.
fn decode(
    decoder: &mut encoding_rs::Decoder,
    mut input: &[u8],
    last: bool,
    out: &mut Vec<u8>,
    found: &RefCell<Decoding>,
) {
    let mut buffer = [0u8; 8 << 10];
    loop {
        let (result, read, written) =
            decoder.decode_to_utf8_without_replacement(input, &mut buffer, last);
        out.extend_from_slice(&buffer[..written]);
        match result {
            encoding_rs::DecoderResult::InputEmpty => return,
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::Malformed(length, after) => {
                out.push(0xFF);
                let mut found = found.borrow_mut();
                if found.malformed.is_none() {
                    let end = read.saturating_sub(usize::from(after));
                    let start = end.saturating_sub(usize::from(length));
                    found.malformed = Some(input[start..end].to_vec());
                }
            }
        }
        input = &input[read..];
    }
}

/// Whether `b` is a control byte that text does not hold: any but tab,
/// line feed, carriage return and form feed.
fn is_control(b: &u8) -> bool {
    b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r' | b'\x0C')
}

/// Whether `window` is UTF-8; unless it is the whole rest of the input, a
/// sequence cut at its end counts as UTF-8.
fn is_utf8(window: &[u8], whole: bool) -> bool {
    match std::str::from_utf8(window) {
        Ok(_) => true,
        Err(e) => !whole && e.error_len().is_none(),
    }
}

/// Whether `window` decodes as GB18030 without a malformed sequence;
/// unless it is the whole rest of the input, a sequence cut at its end is
/// not malformed.
fn is_gb18030(window: &[u8], whole: bool) -> bool {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut buffer = [0u8; 8 << 10];
    let mut input = window;
    loop {
        let (result, read, _) =
            decoder.decode_to_utf8_without_replacement(input, &mut buffer, whole);
        input = &input[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => return true,
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::Malformed(..) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], encoding: Option<Encoding>) -> (Vec<u8>, Decoding) {
        let (mut reader, found) = Decode::new(bytes, encoding).unwrap();
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        drop(reader);
        let found = Rc::try_unwrap(found).unwrap().into_inner();
        (out, found)
    }

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        bytes
    }

    const TEXT: &str = "编号,名称,所在区县\n1,示例众创空间,渝北区\n";

    #[test]
    fn each_encoding_reads_as_the_same_text() {
        let cases = [
            (TEXT.as_bytes().to_vec(), Some(Encoding::Utf8), true),
            (
                [b"\xEF\xBB\xBF", TEXT.as_bytes()].concat(),
                Some(Encoding::Utf8),
                false,
            ),
            (gbk(TEXT), Some(Encoding::Gb18030), true),
            (utf16le(TEXT, true), Some(Encoding::Utf16), false),
        ];
        for (bytes, encoding, detected) in cases {
            let (out, found) = read(&bytes, None);
            assert_eq!(String::from_utf8(out).unwrap(), TEXT);
            assert_eq!((found.encoding, found.detected), (encoding, detected));
            assert_eq!(found.malformed, None);
        }
        let mut big_endian = vec![0xFE, 0xFF];
        for unit in TEXT.encode_utf16() {
            big_endian.extend(unit.to_be_bytes());
        }
        assert_eq!(read(&big_endian, None).0, TEXT.as_bytes());
    }

    #[test]
    fn the_caller_decides_where_no_mark_does() {
        let (out, found) = read(&utf16le(TEXT, false), Some(Encoding::Utf16));
        assert_eq!(out, TEXT.as_bytes());
        assert!(!found.detected);
        // A GBK file read as UTF-8 is passed on for the parser to refuse.
        let (out, _) = read(&gbk(TEXT), Some(Encoding::Utf8));
        assert!(std::str::from_utf8(&out).is_err());
        // A mark that says otherwise is an error.
        let marked = utf16le(TEXT, true);
        let err = Decode::new(&marked[..], Some(Encoding::Gb18030))
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "the file starts with a utf-16 byte-order mark, but gb18030 was given"
        );
    }

    #[test]
    fn ascii_decides_nothing_until_the_first_byte_that_is_not() {
        let mut bytes = "id,kind\n".repeat(20_000).into_bytes();
        bytes.extend(gbk("a,孵化器\n"));
        let (out, found) = read(&bytes, None);
        assert!(String::from_utf8(out).unwrap().ends_with("a,孵化器\n"));
        assert_eq!(found.encoding, Some(Encoding::Gb18030));
        let (_, found) = read(b"id,kind\n1,incubator\n", None);
        assert_eq!(found.encoding, None);
    }

    #[test]
    fn an_undecodable_byte_becomes_one_that_is_not_utf8() {
        let mut bytes = gbk("名称\n示例\n");
        bytes.extend([0x81, 0x20]);
        bytes.extend(gbk("\n"));
        let (out, found) = read(&bytes, Some(Encoding::Gb18030));
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text, "名称\n示例\n\u{FFFD} \n");
        assert_eq!(found.malformed, Some(vec![0x81]));
    }

    #[test]
    fn text_of_no_encoding_is_said_to_be() {
        let (mut reader, _) = Decode::new(&b"id,kind\n1,a\n\x00b"[..], None).unwrap();
        let err = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 3: the text holds zero bytes"),
            "{err}"
        );
        let unmarked = utf16le(TEXT, false);
        let (mut reader, _) = Decode::new(&unmarked[..], None).unwrap();
        let err = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 1: the text holds zero bytes"),
            "{err}"
        );
        // Bytes GB18030 cannot read either: a lead byte before a newline.
        let (_, found) = read(b"a,b\n\x81\n", None);
        assert!(found.undecidable);
    }

    #[test]
    fn names_parse_in_their_usual_forms() {
        for (text, encoding) in [
            ("UTF-8", Encoding::Utf8),
            ("utf8", Encoding::Utf8),
            ("GBK", Encoding::Gb18030),
            ("gb18030", Encoding::Gb18030),
            ("utf-16le", Encoding::Utf16),
        ] {
            assert_eq!(text.parse::<Encoding>().unwrap(), encoding, "{text}");
        }
        assert!("latin1".parse::<Encoding>().is_err());
    }
}
