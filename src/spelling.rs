//! How names are compared and checked: folded to one form, and matched
//! against a closed set of names with the closest suggested when none
//! matches.

use std::borrow::Cow;

use serde::Serialize;

/// The error returned for a kind, category or level name that is not one of
/// the valid ones; it names the closest valid one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("unknown {field} {found:?}: expected one of {expected} (did you mean {suggestion:?}?)", expected = .valid.join(", "))]
pub struct UnknownName {
    /// The property: `kind`, `category` or `level` (or the column as a
    /// table heads it).
    pub field: Cow<'static, str>,
    /// The text that was given.
    pub found: String,
    /// The valid names.
    pub valid: &'static [&'static str],
    /// The valid name closest to `found`.
    pub suggestion: &'static str,
}

impl UnknownName {
    /// The error for `found`, which is none of `valid`, with the closest.
    pub(crate) fn new(
        field: &'static str,
        found: &str,
        valid: &'static [&'static str],
    ) -> UnknownName {
        UnknownName {
            field: Cow::Borrowed(field),
            found: found.to_string(),
            valid,
            suggestion: closest(found, valid),
        }
    }
}

/// A header or name as it is compared: without a byte-order mark and spaces, with
/// full-width ASCII forms and brackets in their ASCII forms, and ASCII
/// lower case.
pub(crate) fn fold(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '【' | '［' => '[',
            '】' | '］' => ']',
            c => half_width(c),
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The ASCII form of a full-width character (`１` is `1`, `（` is `(`);
/// other characters as they are.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// The valid name that starts with `found`, else the one with the smallest
/// edit distance to it, compared without case and with spaces and dashes
/// read as underscores: an abbreviation points to the name it shortens.
pub(crate) fn closest(found: &str, valid: &[&'static str]) -> &'static str {
    let folded: String = found
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let abbreviated = valid
        .iter()
        .find(|name| !folded.is_empty() && name.starts_with(folded.as_str()));
    abbreviated
        .or_else(|| {
            valid
                .iter()
                .min_by_key(|name| strsim::levenshtein(&folded, name))
        })
        .copied()
        .unwrap_or_default()
}
