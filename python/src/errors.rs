//! The library's errors as the Python exceptions of `carrier_quota.errors`,
//! with the command's messages: the input's name first, and the row and
//! column an error is about as attributes.

use std::io;

use carrier_quota::{Error, ErrorKind};
use pyo3::prelude::*;

/// An error on its way to Python: made without the interpreter (while
/// other threads run), raised with it.
#[derive(Debug)]
pub struct Failure {
    /// The class in `carrier_quota.errors`.
    class: &'static str,
    message: String,
    row: Option<usize>,
    column: Option<String>,
}

impl Failure {
    /// An error of `class` with only a message.
    pub fn new(class: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            class,
            message: message.into(),
            row: None,
            column: None,
        }
    }

    /// A library error about the input `name` (a file's path, or what the
    /// data is), as the command words it: `name: message`, and where a
    /// datum is missing, how to give one.
    pub fn of(name: &str, error: &Error) -> Failure {
        let inner = match error.kind() {
            ErrorKind::In { error, .. } => error.kind(),
            kind => kind,
        };
        let mut message = match name {
            "" => error.to_string(),
            name => format!("{name}: {error}"),
        };
        if matches!(
            inner,
            ErrorKind::MissingDatum { .. } | ErrorKind::TableDatum { .. }
        ) {
            message.push_str(" (pass datum=\"wgs84\", \"gcj02\" or \"bd09\")");
        }
        let (row, column) = where_(inner);
        Failure {
            class: class(inner),
            message,
            row,
            column,
        }
    }

    /// A file that could not be opened.
    pub fn io(name: &str, error: &io::Error) -> Failure {
        let class = match error.kind() {
            io::ErrorKind::NotFound => "MissingFileError",
            _ => "ReadError",
        };
        Failure::new(class, format!("{name}: {error}"))
    }

    /// The exception, built by the package's own class.
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        if self.class == "ValueError" {
            return pyo3::exceptions::PyValueError::new_err(self.message);
        }
        let class = py
            .import("carrier_quota.errors")
            .and_then(|m| m.getattr(self.class));
        let raised = class.and_then(|c| c.call1((self.message, self.row, self.column)));
        match raised {
            Ok(exception) => PyErr::from_value(exception),
            Err(e) => e,
        }
    }
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> PyErr {
        Python::attach(|py| failure.into_pyerr(py))
    }
}

/// The class a caller catches an error by.
fn class(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Io(e) if e.kind() == io::ErrorKind::NotFound => "MissingFileError",
        ErrorKind::UnknownDatum(_)
        | ErrorKind::MissingDatum { .. }
        | ErrorKind::DatumConflict { .. }
        | ErrorKind::TableDatum { .. } => "DatumError",
        ErrorKind::DuplicateColumn { .. }
        | ErrorKind::MissingColumn { .. }
        | ErrorKind::UnknownUnit { .. }
        | ErrorKind::WrongColumnType { .. }
        | ErrorKind::NoGeometryColumn
        | ErrorKind::NoGeometry { .. }
        | ErrorKind::ScaledColumn { .. } => "ColumnError",
        ErrorKind::TooManyFeatures { .. }
        | ErrorKind::WorkbookTooLarge { .. }
        | ErrorKind::FeatureTooLarge { .. }
        | ErrorKind::StoreFull { .. } => "LimitError",
        ErrorKind::InvalidRegion { .. } => "RegionError",
        ErrorKind::InvalidPlan { .. }
        | ErrorKind::InvalidDistrictTargets { .. }
        | ErrorKind::InvalidWeights { .. }
        | ErrorKind::Split { .. }
        | ErrorKind::UnknownPlanName { .. } => "PlanError",
        _ => "ReadError",
    }
}

/// The row and the column an error is about, where it names them: rows
/// as the input numbers them (a table's as a spreadsheet does, features
/// from 0).
fn where_(kind: &ErrorKind) -> (Option<usize>, Option<String>) {
    match kind {
        ErrorKind::Table { row, .. } | ErrorKind::InvalidDistrictTargets { row, .. } => {
            (*row, None)
        }
        ErrorKind::InvalidWeights { line, .. } => (*line, None),
        ErrorKind::InvalidRegion { index, .. }
        | ErrorKind::InvalidOverlay { index, .. }
        | ErrorKind::InvalidCandidate { index, .. }
        | ErrorKind::FeatureTooLarge { index, .. }
        | ErrorKind::StoreFull { index } => (Some(*index), None),
        ErrorKind::MissingColumn { column, .. }
        | ErrorKind::UnknownUnit { column, .. }
        | ErrorKind::WrongColumnType { column, .. }
        | ErrorKind::ScaledColumn { column, .. } => (None, Some(column.clone())),
        ErrorKind::DuplicateColumn { second, .. } => (None, Some(second.clone())),
        _ => (None, None),
    }
}
