//! Places in input, for errors that can say where they are: a line and
//! column in a text, a file and sheet among several tables.

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

/// The file and sheet a record was read from, when the read took more
/// than one table (or names them): empty for a single file read alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Origin {
    /// The file, as the caller named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The workbook's sheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl Origin {
    /// A sheet of the file being read.
    pub fn sheet(name: impl Into<String>) -> Origin {
        Origin {
            file: None,
            sheet: Some(name.into()),
        }
    }

    /// Whether it names neither a file nor a sheet.
    pub fn is_empty(&self) -> bool {
        self.file.is_none() && self.sheet.is_none()
    }
}

/// `file a.xlsx, sheet 众创空间`; nothing for an empty origin. A row or a
/// feature follows it in messages.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            write!(f, "file {file}")?;
            sep = ", ";
        }
        if let Some(sheet) = &self.sheet {
            write!(f, "{sep}sheet {sheet}")?;
        }
        Ok(())
    }
}
