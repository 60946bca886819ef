//! Carrier files by path: the format told by the name or the content.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use super::{read_carriers_csv, read_carriers_parallel, ReadOptions};
use crate::carrier::Carriers;
use crate::error::{Error, ErrorKind};
use crate::format::CarrierFormat;

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
