//! The parallel read of a carrier file: features are cut out of the byte
//! stream by a scanner that tracks only strings and nesting, and batches of
//! them are parsed on rayon's threads.
//!
//! The scanner understands well-formed files only. Anything else (a syntax
//! error, a top level that is not a FeatureCollection, an escaped key,
//! nesting deeper than the streaming parser allows) makes it give up, and
//! the caller reads the file again with the streaming parser, which reports
//! the exact error and its line and column. So both paths give the same
//! answer; the parallel one is only faster.

use std::io::{self, Read};

use rayon::prelude::*;

use super::feature::{RawFeature, Refusal};
use super::json::Json;
use crate::carrier::Carrier;
use crate::datum::Datum;

/// Why the parallel read gave up.
pub(crate) enum GiveUp {
    /// Reading the input failed.
    Io(io::Error),
    /// The input needs the streaming parser (see the module docs).
    Irregular,
}

impl From<io::Error> for GiveUp {
    fn from(e: io::Error) -> Self {
        GiveUp::Io(e)
    }
}

/// Nesting the scanner accepts inside a feature; serde_json's limit is 128
/// from the top, and a feature sits two levels down.
const MAX_DEPTH: usize = 100;
/// Bytes of features parsed per parallel batch.
const BATCH_BYTES: usize = 16 << 20;

/// A buffered byte source with look-ahead.
struct Bytes<R> {
    reader: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Bytes<R> {
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.buf.len() {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        self.buf.resize(1 << 20, 0);
        self.pos = 0;
        let n = loop {
            match self.reader.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.buf.truncate(n);
        self.eof = n == 0;
        Ok(n > 0)
    }

    fn peek(&mut self) -> Result<u8, GiveUp> {
        if self.fill()? {
            Ok(self.buf[self.pos])
        } else {
            Err(GiveUp::Irregular)
        }
    }

    fn next(&mut self) -> Result<u8, GiveUp> {
        let b = self.peek()?;
        self.pos += 1;
        Ok(b)
    }

    fn skip_whitespace(&mut self) -> Result<u8, GiveUp> {
        loop {
            let b = self.peek()?;
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                return Ok(b);
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), GiveUp> {
        if self.skip_whitespace()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            Err(GiveUp::Irregular)
        }
    }

    /// Appends one JSON value to `out`, tracking only strings and nesting.
    fn value_into(&mut self, out: &mut Vec<u8>) -> Result<(), GiveUp> {
        self.skip_whitespace()?;
        let mut depth = 0usize;
        loop {
            // Copy a run of bytes that cannot change the state in one go.
            if self.fill()? {
                let rest = &self.buf[self.pos..];
                let run = rest
                    .iter()
                    .position(|b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']' | b','))
                    .unwrap_or(rest.len());
                out.extend_from_slice(&rest[..run]);
                self.pos += run;
            }
            let b = self.peek()?;
            match b {
                b'"' => {
                    self.pos += 1;
                    out.push(b);
                    self.string_into(out)?;
                }
                b'{' | b'[' => {
                    self.pos += 1;
                    out.push(b);
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(GiveUp::Irregular);
                    }
                }
                b'}' | b']' | b',' if depth == 0 => return Ok(()),
                b'}' | b']' => {
                    self.pos += 1;
                    out.push(b);
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {
                    self.pos += 1;
                    out.push(b);
                }
            }
        }
    }

    /// Appends the rest of a string (after its opening quote) to `out`.
    fn string_into(&mut self, out: &mut Vec<u8>) -> Result<(), GiveUp> {
        loop {
            if !self.fill()? {
                return Err(GiveUp::Irregular);
            }
            let rest = &self.buf[self.pos..];
            match rest.iter().position(|b| matches!(b, b'"' | b'\\')) {
                None => {
                    out.extend_from_slice(rest);
                    self.pos = self.buf.len();
                }
                Some(i) => {
                    let b = rest[i];
                    out.extend_from_slice(&rest[..=i]);
                    self.pos += i + 1;
                    if b == b'"' {
                        return Ok(());
                    }
                    let escaped = self.next()?;
                    out.push(escaped);
                }
            }
        }
    }

    /// A key without escapes.
    fn key(&mut self) -> Result<Vec<u8>, GiveUp> {
        self.expect(b'"')?;
        let mut key = Vec::new();
        self.string_into(&mut key)?;
        key.pop();
        if key.contains(&b'\\') {
            return Err(GiveUp::Irregular);
        }
        Ok(key)
    }
}

/// Reads a FeatureCollection with features parsed in parallel batches,
/// handing each checked feature to `on_feature` in file order with its
/// index. Returns the datum the file declares.
pub(crate) fn read(
    reader: impl Read,
    mut on_feature: impl FnMut(usize, Result<Carrier, Refusal>),
) -> Result<Option<Datum>, GiveUp> {
    let mut src = Bytes {
        reader,
        buf: Vec::new(),
        pos: 0,
        eof: false,
    };
    if src.fill()? && src.buf.starts_with(b"\xEF\xBB\xBF") {
        src.pos = 3;
    }
    src.expect(b'{')?;
    let (mut type_seen, mut features_seen) = (false, false);
    let mut datum = None;
    if src.skip_whitespace()? == b'}' {
        return Err(GiveUp::Irregular);
    }
    loop {
        let key = src.key()?;
        src.expect(b':')?;
        if key == b"features" {
            if features_seen {
                return Err(GiveUp::Irregular);
            }
            features_seen = true;
            read_features(&mut src, &mut on_feature)?;
        } else {
            let mut value = Vec::new();
            src.value_into(&mut value)?;
            let parsed: Json = serde_json::from_slice(&value).map_err(|_| GiveUp::Irregular)?;
            match (key.as_slice(), parsed) {
                (b"type", Json::Str(t)) if t == "FeatureCollection" => type_seen = true,
                (b"datum", Json::Str(name)) => {
                    datum = Some(name.parse().map_err(|_| GiveUp::Irregular)?);
                }
                (b"type" | b"datum", _) => return Err(GiveUp::Irregular),
                _ => {}
            }
        }
        match src.skip_whitespace()? {
            b',' => src.pos += 1,
            b'}' => {
                src.pos += 1;
                break;
            }
            _ => return Err(GiveUp::Irregular),
        }
    }
    // Nothing but whitespace may follow: running out of input is the only
    // good end here.
    match src.skip_whitespace() {
        Err(GiveUp::Irregular) => {}
        Err(e) => return Err(e),
        Ok(_) => return Err(GiveUp::Irregular),
    }
    if type_seen && features_seen {
        Ok(datum)
    } else {
        Err(GiveUp::Irregular)
    }
}

fn read_features<R: Read>(
    src: &mut Bytes<R>,
    on_feature: &mut impl FnMut(usize, Result<Carrier, Refusal>),
) -> Result<(), GiveUp> {
    src.expect(b'[')?;
    if src.skip_whitespace()? == b']' {
        src.pos += 1;
        return Ok(());
    }
    let mut next_index = 0;
    let mut batch = Vec::with_capacity(BATCH_BYTES + (1 << 20));
    let mut ends = Vec::new();
    loop {
        src.value_into(&mut batch)?;
        ends.push(batch.len());
        let last = match src.skip_whitespace()? {
            b',' => false,
            b']' => true,
            _ => return Err(GiveUp::Irregular),
        };
        src.pos += 1;
        if last || batch.len() >= BATCH_BYTES {
            for result in parse_batch(&batch, &ends)? {
                on_feature(next_index, result);
                next_index += 1;
            }
            batch.clear();
            ends.clear();
        }
        if last {
            return Ok(());
        }
    }
}

/// Parses and checks one batch of features; `ends[i]` is where feature `i`
/// ends in `batch`.
fn parse_batch(batch: &[u8], ends: &[usize]) -> Result<Vec<Result<Carrier, Refusal>>, GiveUp> {
    let starts = std::iter::once(0).chain(ends.iter().copied());
    let ranges: Vec<(usize, usize)> = starts.zip(ends.iter().copied()).collect();
    let parsed: Vec<Result<Result<Carrier, Refusal>, ()>> = ranges
        .par_iter()
        .with_min_len(256)
        .map(|&(start, end)| {
            serde_json::from_slice::<RawFeature>(&batch[start..end])
                .map(RawFeature::into_carrier)
                .map_err(|_| ())
        })
        .collect();
    parsed
        .into_iter()
        .map(|result| result.map_err(|()| GiveUp::Irregular))
        .collect()
}
