//! The parallel read of a carrier file: features are cut out of the byte
//! stream by a scanner that tracks only strings and nesting, and batches of
//! them are parsed on rayon's threads.
//!
//! Most files hold one feature per line. With [`Split::Lines`], a feature is
//! taken to start at each line that starts with `{` after a line that ends
//! with `,`, so that only newlines are searched for. The guess is checked by
//! the parse: a JSON value's extent is fixed by where it starts, so the
//! pieces are the true features exactly when each parses as one whole value.
//! When one does not, the read gives up with [`GiveUp::NotLines`] and the
//! caller reads again with [`Split::Scan`].
//!
//! The scanner understands well-formed files only. Anything else (a syntax
//! error, a top level that is not a FeatureCollection, an escaped key,
//! nesting deeper than the streaming parser allows) makes it give up, and
//! the caller reads the file again with the streaming parser, which reports
//! the exact error and its line and column. So both paths give the same
//! answer; the parallel one is only faster.

use std::io::{self, Read};

use rayon::prelude::*;

use serde::de::DeserializeSeed;

use super::fast;
use super::feature::{Checks, FeatureSeed, RawFeature};
use crate::carrier::Carriers;
use crate::datum::Datum;
use crate::json::Json;

/// Why the parallel read gave up.
pub(crate) enum GiveUp {
    /// Reading the input failed.
    Io(io::Error),
    /// The input needs the streaming parser (see the module docs).
    Irregular,
    /// A feature did not parse with [`Split::Lines`]: a bad guess or a bad
    /// file, to be read again with [`Split::Scan`].
    NotLines,
}

/// How features are found in the stream (see the module docs).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Split {
    /// Guess one feature per line; only the last feature of a chunk is
    /// scanned.
    Lines,
    /// Scan every feature.
    Scan,
}

impl From<io::Error> for GiveUp {
    fn from(e: io::Error) -> Self {
        GiveUp::Io(e)
    }
}

/// Nesting the scanner accepts inside a feature; deeper files are left to
/// the streaming parser.
const MAX_DEPTH: usize = 100;

/// A buffered byte source with look-ahead.
struct Bytes<R> {
    reader: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// The longest top-level value it copies out; a longer one is left to
    /// the streaming parser, which skips it without holding it.
    max_value: usize,
}

impl<R: Read> Bytes<R> {
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.buf.len() {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        self.buf.clear();
        self.pos = 0;
        self.eof = fill(&mut self.reader, &mut self.buf, 1 << 20, false)?;
        Ok(!self.buf.is_empty())
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
                if out.len() > self.max_value {
                    return Err(GiveUp::Irregular);
                }
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
                    if out.len() > self.max_value {
                        return Err(GiveUp::Irregular);
                    }
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

    /// A key without escapes; one that is not valid JSON text (a control
    /// character, bad UTF-8) is left to the streaming parser to report.
    fn key(&mut self) -> Result<Vec<u8>, GiveUp> {
        self.expect(b'"')?;
        let mut key = Vec::new();
        self.string_into(&mut key)?;
        key.pop();
        if key.iter().any(|&b| b == b'\\' || b < 0x20) || std::str::from_utf8(&key).is_err() {
            return Err(GiveUp::Irregular);
        }
        Ok(key)
    }
}

/// Reads a FeatureCollection with features parsed in parallel batches,
/// handing each batch of checked features to `on_batch` in file order
/// (their feature indexes count from 0 within the batch) while it returns
/// `true`. Returns the datum the file declares.
pub(crate) fn read(
    reader: impl Read + Send,
    split: Split,
    checks: &Checks,
    mut on_batch: impl FnMut(Carriers) -> bool + Send,
) -> Result<Option<Datum>, GiveUp> {
    let mut src = Bytes {
        reader,
        buf: Vec::new(),
        pos: 0,
        eof: false,
        max_value: checks.max_feature_bytes(),
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
            read_features(&mut src, split, checks, &mut on_batch)?;
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

/// Reads the elements of the features array (after its `[`) in chunks: while
/// one chunk's features are parsed on rayon's threads, the next chunk is read
/// and its features are found. A feature cut by a chunk's end moves to the
/// next chunk whole.
fn read_features<R: Read + Send>(
    src: &mut Bytes<R>,
    split: Split,
    checks: &Checks,
    on_batch: &mut (impl FnMut(Carriers) -> bool + Send),
) -> Result<(), GiveUp> {
    let max_bytes = checks.max_feature_bytes();
    src.expect(b'[')?;
    if src.skip_whitespace()? == b']' {
        src.pos += 1;
        return Ok(());
    }
    let mut chunk = src.buf.split_off(src.pos);
    src.pos = src.buf.len();
    let mut eof = fill(&mut src.reader, &mut chunk, CHUNK_BYTES, src.eof)?;
    let mut scanned = find_features(&chunk, eof, split, max_bytes)?;
    // The buffer of the chunk before last, reused so that its pages are not
    // given back and faulted in again.
    let mut spare = Vec::new();
    // The features of the chunk before, handed on while this one is parsed.
    let mut pending = Vec::new();
    loop {
        let (features, end) = scanned;
        match end {
            End::ArrayClosed(after) => {
                deliver(pending, split, on_batch)?;
                let parsed = parse_batches(&chunk, &features, checks);
                deliver(parsed, split, on_batch)?;
                // Hand what follows the array back to the top-level parser.
                src.buf = chunk.split_off(after);
                src.pos = 0;
                src.eof = eof;
                return Ok(());
            }
            End::Cut(at) => {
                let mut next = std::mem::take(&mut spare);
                next.clear();
                next.extend_from_slice(&chunk[at..]);
                let want = CHUNK_BYTES.max(next.len());
                let reader = &mut src.reader;
                let before = std::mem::take(&mut pending);
                let on_batch = &mut *on_batch;
                let (parsed, read) = rayon::join(
                    || parse_batches(&chunk, &features, checks),
                    || -> Result<_, GiveUp> {
                        deliver(before, split, on_batch)?;
                        let eof = fill(reader, &mut next, want, eof)?;
                        Ok((eof, find_features(&next, eof, split, max_bytes)?))
                    },
                );
                pending = parsed;
                let (now_eof, now_scanned) = read?;
                spare = std::mem::replace(&mut chunk, next);
                (eof, scanned) = (now_eof, now_scanned);
            }
        }
    }
}

/// Hands parsed batches on in order.
fn deliver(
    parsed: Vec<Option<Carriers>>,
    split: Split,
    on_batch: &mut impl FnMut(Carriers) -> bool,
) -> Result<(), GiveUp> {
    let unparsed = match split {
        Split::Lines => GiveUp::NotLines,
        Split::Scan => GiveUp::Irregular,
    };
    if parsed.iter().any(Option::is_none) {
        return Err(unparsed);
    }
    for batch in parsed.into_iter().flatten() {
        if !on_batch(batch) {
            return Err(GiveUp::Irregular);
        }
    }
    Ok(())
}

/// Bytes read per chunk of features.
const CHUNK_BYTES: usize = 8 << 20;

/// Appends `want` bytes from `reader` to `buf`, or all that is left.
/// Returns whether the input is exhausted.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, want: usize, eof: bool) -> io::Result<bool> {
    if eof {
        return Ok(true);
    }
    // `read_to_end` grows the buffer as the bytes come, so a small input
    // costs little.
    let got = reader.by_ref().take(want as u64).read_to_end(buf)?;
    Ok(got < want)
}

/// Where the features found in a chunk stop.
enum End {
    /// The array's `]` was found; what follows starts here.
    ArrayClosed(usize),
    /// The chunk ends inside the feature that starts here.
    Cut(usize),
}

/// Finds the features of a chunk that starts at a feature (or at the
/// whitespace before one): their byte ranges, and where they stop.
/// A feature or a cut one longer than `max_bytes` is left to the streaming
/// reader, which reports it.
fn find_features(
    bytes: &[u8],
    eof: bool,
    split: Split,
    max_bytes: usize,
) -> Result<(Vec<(usize, usize)>, End), GiveUp> {
    let (features, end) = split_features(bytes, eof, split)?;
    let cut = match end {
        End::Cut(at) => bytes.len() - at,
        End::ArrayClosed(_) => 0,
    };
    if cut > max_bytes || features.iter().any(|(start, end)| end - start > max_bytes) {
        return Err(GiveUp::Irregular);
    }
    Ok((features, end))
}

/// The features of a chunk as `split` finds them, and where they stop.
fn split_features(
    bytes: &[u8],
    eof: bool,
    split: Split,
) -> Result<(Vec<(usize, usize)>, End), GiveUp> {
    if split == Split::Scan {
        return scan(bytes, eof);
    }
    let mut features = Vec::with_capacity(bytes.len() / 256);
    let mut start = skip_whitespace(bytes, 0);
    for newline in memchr::memchr_iter(b'\n', bytes) {
        if newline < start {
            continue;
        }
        let next = skip_whitespace(bytes, newline + 1);
        let line = trim_whitespace_end(&bytes[start..newline]);
        if bytes.get(next) == Some(&b'{') && line.ends_with(b",") {
            features.push((start, start + line.len() - 1));
            start = next;
        }
    }
    // A scan from a wrong guess may fail on a well-formed file.
    let (last, end) = scan(&bytes[start..], eof).map_err(|e| match e {
        GiveUp::Irregular => GiveUp::NotLines,
        e => e,
    })?;
    features.extend(last.into_iter().map(|(s, e)| (start + s, start + e)));
    let end = match end {
        End::ArrayClosed(after) => End::ArrayClosed(start + after),
        End::Cut(at) => End::Cut(start + at),
    };
    Ok((features, end))
}

/// [`split_features`] tracking strings and nesting throughout.
fn scan(bytes: &[u8], eof: bool) -> Result<(Vec<(usize, usize)>, End), GiveUp> {
    let mut features = Vec::with_capacity(bytes.len() / 256);
    let mut pos = 0;
    loop {
        let start = skip_whitespace(bytes, pos);
        let Some(end) = element_end(bytes, start)? else {
            return cut(features, start, eof);
        };
        let after = skip_whitespace(bytes, end);
        match bytes.get(after) {
            None => return cut(features, start, eof),
            Some(b',') => pos = after + 1,
            Some(b']') => {
                features.push((start, end));
                return Ok((features, End::ArrayClosed(after + 1)));
            }
            Some(_) => return Err(GiveUp::Irregular),
        }
        features.push((start, end));
    }
}

/// The features so far, the rest starting at `start`; at the end of the
/// input that rest is a truncated feature.
fn cut(
    features: Vec<(usize, usize)>,
    start: usize,
    eof: bool,
) -> Result<(Vec<(usize, usize)>, End), GiveUp> {
    if eof {
        Err(GiveUp::Irregular)
    } else {
        Ok((features, End::Cut(start)))
    }
}

/// `bytes` without its trailing JSON whitespace.
fn trim_whitespace_end(bytes: &[u8]) -> &[u8] {
    let kept = bytes
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        .map_or(0, |last| last + 1);
    &bytes[..kept]
}

fn skip_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\n' | b'\r' | b'\t') {
        pos += 1;
    }
    pos
}

/// The end of the JSON value starting at `start`, tracking only strings and
/// nesting (the parser checks the rest); `None` when the bytes run out first.
fn element_end(bytes: &[u8], start: usize) -> Result<Option<usize>, GiveUp> {
    match bytes.get(start) {
        None => Ok(None),
        Some(b'{' | b'[') => container_end(bytes, start),
        Some(b'"') => Ok(string_end(bytes, start + 1)),
        Some(b'}' | b']' | b',') => Err(GiveUp::Irregular),
        // A bare value (number, literal) ends at the next separator.
        Some(_) => Ok(bytes[start..]
            .iter()
            .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'))
            .map(|n| start + n)),
    }
}

/// What a byte means to the scanner inside an object or array.
const PLAIN: u8 = 0;
const QUOTE: u8 = 1;
const OPEN: u8 = 2;
const CLOSE: u8 = 3;

static CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    class[b'"' as usize] = QUOTE;
    class[b'{' as usize] = OPEN;
    class[b'[' as usize] = OPEN;
    class[b'}' as usize] = CLOSE;
    class[b']' as usize] = CLOSE;
    class
};

/// The end of the object or array starting at `start`.
fn container_end(bytes: &[u8], start: usize) -> Result<Option<usize>, GiveUp> {
    let mut i = start;
    let mut depth = 0usize;
    loop {
        while i < bytes.len() && CLASS[bytes[i] as usize] == PLAIN {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else {
            return Ok(None);
        };
        match CLASS[b as usize] {
            QUOTE => match string_end(bytes, i + 1) {
                Some(end) => i = end,
                None => return Ok(None),
            },
            OPEN => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(GiveUp::Irregular);
                }
                i += 1;
            }
            _ => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Ok(Some(i));
                }
            }
        }
    }
}

/// The position after the closing quote of a string whose body starts at
/// `i`; `None` when the bytes run out first.
fn string_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let rest = bytes.get(i..)?;
        let at = memchr::memchr2(b'"', b'\\', rest)?;
        if rest[at] == b'"' {
            return Some(i + at + 1);
        }
        i += at + 2;
    }
}

/// Features per batch: enough to make appending a batch cheap, few enough
/// that a chunk splits into batches for every thread.
const BATCH: usize = 2048;

/// Parses and checks the features of a chunk, given by their byte ranges,
/// into batches of carriers in file order; `None` marks a batch with a
/// feature the parallel path cannot read.
fn parse_batches(
    chunk: &[u8],
    features: &[(usize, usize)],
    checks: &Checks,
) -> Vec<Option<Carriers>> {
    features
        .par_chunks(BATCH)
        .map(|features| {
            // Room for every feature, and ids of up to 16 bytes.
            let mut batch =
                Carriers::with_capacity(Datum::Wgs84, features.len(), 16 * features.len());
            for &(start, end) in features {
                // Checking UTF-8 once per feature lets serde_json skip the
                // check per string.
                let text = std::str::from_utf8(&chunk[start..end]).ok()?;
                if fast::store(text, checks, &mut batch) {
                    continue;
                }
                let mut raw = RawFeature::default();
                let mut parser = serde_json::Deserializer::from_str(text);
                FeatureSeed(&mut raw).deserialize(&mut parser).ok()?;
                parser.end().ok()?;
                // A batch is far below the store's limits; the whole set is
                // checked when batches are appended.
                batch.store(raw.check(checks)).ok()?;
            }
            Some(batch)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_with(text: &str, split: Split) -> Result<usize, &'static str> {
        let mut count = 0;
        let options = crate::read::ReadOptions::default();
        let checks = Checks::new(&options);
        let on_batch = |batch: Carriers| {
            count += batch.features_read();
            true
        };
        match read(text.as_bytes(), split, &checks, on_batch) {
            Ok(_) => Ok(count),
            Err(GiveUp::NotLines) => Err("not lines"),
            Err(GiveUp::Irregular) => Err("irregular"),
            Err(GiveUp::Io(_)) => Err("io"),
        }
    }

    #[test]
    fn a_wrong_line_guess_is_caught_and_scanning_reads_the_file() {
        let feature = |rooms: &str| {
            format!(
                r#"{{"type": "Feature", "id": "a", "properties": {{"rooms": {rooms}}}, "geometry": null}}"#
            )
        };
        let spanning = "[\n{\"n\": 1},\n{\"n\": 2}]";
        for (first, last) in [(spanning, "[]"), ("[]", spanning)] {
            let text = format!(
                "{{\"type\": \"FeatureCollection\", \"features\": [\n{},\n{},\n{}\n]}}",
                feature(first),
                feature("[]"),
                feature(last)
            );
            assert_eq!(read_with(&text, Split::Lines), Err("not lines"), "{text}");
            assert_eq!(read_with(&text, Split::Scan), Ok(3), "{text}");
        }
        let lines = format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [\n{},\n{}\n]}}",
            feature("[]"),
            feature("[\n{\"n\": 1}]")
        );
        assert_eq!(read_with(&lines, Split::Lines), Ok(2));
    }

    #[test]
    fn a_bad_file_is_irregular_when_scanned() {
        let text = "{\"type\": \"FeatureCollection\", \"features\": [\n{\"a\": 1},\n{\"a\": }\n]}";
        assert_eq!(read_with(text, Split::Lines), Err("not lines"));
        assert_eq!(read_with(text, Split::Scan), Err("irregular"));
    }
}
