//! Carrier files by path: the format told by the name or the content.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{read_carriers_csv, read_carriers_parallel, ReadOptions};
use crate::carrier::Carriers;
use crate::error::{Error, ErrorKind};

/// The formats a carrier file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CarrierFormat {
    /// A GeoJSON FeatureCollection.
    GeoJson,
    /// A CSV table.
    Csv,
    /// An Excel workbook (an `.ods` file is taken as one, to be refused
    /// with a message).
    Excel,
    /// (Geo)Parquet.
    Parquet,
}

impl CarrierFormat {
    /// The format of the file at `path`: by its extension (`.geojson` and
    /// `.json`; `.csv`, `.tsv` and `.txt`; `.xlsx`, `.xlsm`, `.xlsb`, `.xls`
    /// and `.ods`, which the Excel reader refuses; `.parquet`), else by its
    /// first bytes: Parquet's `PAR1`, a zip or OLE header for a workbook,
    /// `{` for GeoJSON, and CSV otherwise.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened or read.
    pub fn of(path: &Path) -> io::Result<CarrierFormat> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let by_name = match extension.as_deref() {
            Some("geojson" | "json") => Some(CarrierFormat::GeoJson),
            Some("csv" | "tsv" | "txt") => Some(CarrierFormat::Csv),
            Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => Some(CarrierFormat::Excel),
            Some("parquet") => Some(CarrierFormat::Parquet),
            _ => None,
        };
        if let Some(format) = by_name {
            return Ok(format);
        }
        let mut start = Vec::with_capacity(64);
        File::open(path)?.take(64).read_to_end(&mut start)?;
        Ok(CarrierFormat::sniff(&start))
    }

    /// The format a file starting with `start` is in.
    pub fn sniff(start: &[u8]) -> CarrierFormat {
        const ZIP: &[u8] = b"PK\x03\x04";
        const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
        if start.starts_with(b"PAR1") {
            return CarrierFormat::Parquet;
        }
        if start.starts_with(ZIP) || start.starts_with(OLE) {
            return CarrierFormat::Excel;
        }
        let text = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => CarrierFormat::GeoJson,
            _ => CarrierFormat::Csv,
        }
    }
}

/// Reads the carrier file at `path` in the format [`CarrierFormat::of`]
/// finds: GeoJSON (in parallel, [`read_carriers_parallel`]), CSV
/// ([`read_carriers_csv`]), Excel (`read_carriers_excel`, with the
/// `excel` feature) or Parquet (`read_carriers_parquet`, with the
/// `parquet` feature).
///
/// # Errors
///
/// [`ErrorKind::Io`] when the file cannot be opened,
/// [`ErrorKind::FormatNotBuilt`] for a format whose feature is off, and
/// the errors of the format's reader.
pub fn read_carriers_file(path: &Path, options: &ReadOptions) -> Result<Carriers, Error> {
    let open = || File::open(path);
    match CarrierFormat::of(path)? {
        CarrierFormat::GeoJson => read_carriers_parallel(open, options),
        CarrierFormat::Csv => read_carriers_csv(BufReader::new(open()?), options),
        #[cfg(feature = "excel")]
        CarrierFormat::Excel => super::read_carriers_excel(BufReader::new(open()?), options),
        #[cfg(feature = "parquet")]
        CarrierFormat::Parquet => super::read_carriers_parquet(open()?, options),
        #[allow(unreachable_patterns)] // when every feature is on
        format => Err(ErrorKind::FormatNotBuilt { format }.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_tells_the_format() {
        assert_eq!(CarrierFormat::sniff(b"PAR1\x15"), CarrierFormat::Parquet);
        assert_eq!(
            CarrierFormat::sniff(b"PK\x03\x04\x14"),
            CarrierFormat::Excel
        );
        assert_eq!(
            CarrierFormat::sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            CarrierFormat::Excel
        );
        assert_eq!(
            CarrierFormat::sniff(b"\xEF\xBB\xBF \n{\"type\""),
            CarrierFormat::GeoJson
        );
        assert_eq!(
            CarrierFormat::sniff("编号,名称".as_bytes()),
            CarrierFormat::Csv
        );
        assert_eq!(CarrierFormat::sniff(b""), CarrierFormat::Csv);
    }
}
