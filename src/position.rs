//! Places in text input, for errors that can say where they are.

use std::fmt;

/// A place in a text file: `line` and `column` both count from 1, and the
/// column counts bytes (after a UTF-8 byte-order mark, if the file has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in bytes, from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}
