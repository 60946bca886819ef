//! The column types of the store: texts in one buffer, bits, interned
//! names, a carrier's classes in one byte and dates as day numbers.

use std::collections::HashMap;

use crate::carrier::{Category, Kind, Level};
use crate::date::{Date, RecordDate};

/// Texts in one buffer: text `i` is `bytes[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Texts {
    pub(super) ends: Vec<u32>,
    pub(super) bytes: String,
}

impl Texts {
    pub(super) fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Whether `extra` more bytes still fit the 32-bit offsets.
    pub(super) fn fits(&self, extra: usize) -> bool {
        self.bytes.len() + extra <= u32::MAX as usize
    }

    pub(super) fn push(&mut self, text: &str) {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len() as u32);
    }

    pub(super) fn append(&mut self, other: &Texts) {
        let shift = self.bytes.len() as u32;
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|end| end + shift));
    }

    /// The same texts with text `i` replaced by `replace(i)` for each `i`
    /// of `at` (ascending).
    pub(super) fn replaced(&self, at: &[u32], replace: impl Fn(usize) -> String) -> Texts {
        let mut out = Texts::default();
        let mut at = at.iter().peekable();
        for i in 0..self.ends.len() {
            match at.next_if(|&&p| p as usize == i) {
                Some(_) => out.push(&replace(i)),
                None => out.push(self.get(i)),
            }
        }
        out
    }

    /// Keeps the texts whose `keep` entry is true, in place: a copy of a
    /// store's names would double its largest buffer.
    #[allow(unsafe_code)]
    pub(super) fn retain(&mut self, keep: &[bool]) {
        let (mut start, mut written, mut kept) = (0, 0, 0);
        // SAFETY: whole texts are moved to the front, each to a place where
        // the ones before it end, so every text stays valid UTF-8 and so
        // does the buffer truncated after the last.
        let bytes = unsafe { self.bytes.as_mut_vec() };
        for (i, &kept_here) in keep.iter().enumerate().take(self.ends.len()) {
            let end = self.ends[i] as usize;
            if kept_here {
                bytes.copy_within(start..end, written);
                written += end - start;
                self.ends[kept] = written as u32;
                kept += 1;
            }
            start = end;
        }
        bytes.truncate(written);
        self.ends.truncate(kept);
    }
}

/// One bit per carrier.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Bits {
    pub(super) words: Vec<u64>,
    pub(super) len: usize,
}

impl Bits {
    pub(super) fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    pub(super) fn push(&mut self, bit: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        self.words[self.len / 64] |= u64::from(bit) << (self.len % 64);
        self.len += 1;
    }

    /// Keeps the bits whose `keep` entry is true.
    pub(super) fn retain(&mut self, keep: &[bool]) {
        let old = std::mem::take(self);
        for i in (0..old.len).filter(|&i| keep[i]) {
            self.push(old.get(i));
        }
    }
}

/// Texts that repeat from carrier to carrier (overlay names, declared
/// district codes), each kept once: code 0 is none, code `i` is
/// `names[i - 1]`, so 65,535 texts at most.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Dictionary {
    pub(super) names: Vec<Box<str>>,
    pub(super) codes: HashMap<Box<str>, u16>,
}

impl Dictionary {
    /// The code of `name`, adding it on first sight; `None` when the
    /// dictionary is full.
    pub(super) fn code(&mut self, name: &str) -> Option<u16> {
        if let Some(&code) = self.codes.get(name) {
            return Some(code);
        }
        let code = u16::try_from(self.names.len() + 1).ok()?;
        self.names.push(name.into());
        self.codes.insert(name.into(), code);
        Some(code)
    }

    pub(super) fn get(&self, code: u16) -> Option<&str> {
        code.checked_sub(1).map(|i| &*self.names[usize::from(i)])
    }

    /// Whether the texts of `other` fit beside these.
    pub(super) fn fits(&self, other: &Dictionary) -> bool {
        let new = other
            .names
            .iter()
            .filter(|name| !self.codes.contains_key(&**name))
            .count();
        self.names.len() + new <= usize::from(u16::MAX)
    }

    /// Adds the texts of `other`: the codes its codes become.
    pub(super) fn merge(&mut self, other: &Dictionary) -> Vec<u16> {
        let mut codes = vec![0];
        codes.extend(
            other
                .names
                .iter()
                .map(|name| self.code(name).expect("room was checked")),
        );
        codes
    }
}

/// A carrier's kind, category and level in one byte, two bits each; a
/// category or level of 0 is none. The two bits left mark a category and a
/// level given as values the reader does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Class(pub(super) u8);

impl Class {
    pub(super) fn new(kind: Kind, category: Option<Category>, level: Option<Level>) -> Class {
        let category = category.map_or(0, |c| c.index() + 1);
        let level = level.map_or(0, |l| l.index() + 1);
        Class(kind.index() as u8 | (category as u8) << 2 | (level as u8) << 4)
    }

    /// The same class, marked as given a category (bit 0 of `which`) or a
    /// level (bit 1) the reader does not know.
    pub(super) fn unclassified(self, which: u8) -> Class {
        Class(self.0 | (which & 3) << 6)
    }

    /// Whether its category (0) or level (1) was a value the reader does
    /// not know.
    pub(super) fn is_unclassified(self, which: u8) -> bool {
        self.0 >> (6 + which) & 1 == 1
    }

    pub(super) fn kind(self) -> Kind {
        Kind::ALL[usize::from(self.0 & 3)]
    }

    pub(super) fn category(self) -> Option<Category> {
        match (self.0 >> 2) & 3 {
            0 => None,
            i => Some(Category::ALL[usize::from(i) - 1]),
        }
    }

    pub(super) fn level(self) -> Option<Level> {
        match (self.0 >> 4) & 3 {
            0 => None,
            i => Some(Level::ALL[usize::from(i) - 1]),
        }
    }
}

/// A record date in four bytes: 0 for none, else `year << 9 | month << 5 |
/// day`, with month and day 0 for a year alone and day 0 for a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DateCode(pub(super) u32);

impl DateCode {
    pub(super) fn new(opened: Option<RecordDate>) -> DateCode {
        let (year, month, day) = match opened {
            None => return DateCode(0),
            Some(RecordDate::Year(year)) => (year, 0, 0),
            Some(RecordDate::Month(year, month)) => (year, month, 0),
            Some(RecordDate::Day(d)) => (d.year(), d.month(), d.day()),
        };
        DateCode(u32::from(year) << 9 | u32::from(month) << 5 | u32::from(day))
    }

    pub(super) fn get(self) -> Option<RecordDate> {
        let year = (self.0 >> 9) as u16;
        match (self.0 >> 5 & 15, self.0 & 31) {
            _ if self.0 == 0 => None,
            (0, _) => Some(RecordDate::Year(year)),
            (month, 0) => Some(RecordDate::Month(year, month as u8)),
            (month, day) => Date::new(year, month as u8, day as u8).map(RecordDate::Day),
        }
    }
}
