//! One entry per format: a carrier file read in the format its name or
//! content tells.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::{read_carriers, read_carriers_csv, read_carriers_parallel, ReadOptions};
use crate::carrier::Carriers;
use crate::error::{Error, ErrorKind};
use crate::format::CarrierFormat;

impl CarrierFormat {
    /// Reads carriers in this format from `reader`: GeoJSON and CSV as the
    /// bytes come ([`read_carriers`], [`read_carriers_csv`]); a workbook
    /// and a Parquet file, which are read from their ends too, after
    /// reading the whole input into memory.
    ///
    /// # Examples
    ///
    /// ```
    /// use carrier_quota::{CarrierFormat, ReadOptions};
    ///
    /// let table = "编号,类型,建筑面积,经度,纬度\nc-1,孵化器,1200,106.55,29.56\n";
    /// let format = CarrierFormat::sniff(table.as_bytes());
    /// let options = ReadOptions::new().datum(carrier_quota::Datum::Gcj02);
    /// let carriers = format.read(table.as_bytes(), &options)?;
    /// assert_eq!((format, carriers.len()), (CarrierFormat::Csv, 1));
    /// # Ok::<(), carrier_quota::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::FormatNotBuilt`] for a format whose feature is off, and
    /// the errors of the format's reader.
    pub fn read(self, reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
        match self {
            CarrierFormat::GeoJson => read_carriers(reader, options),
            CarrierFormat::Csv => read_carriers_csv(reader, options),
            #[cfg(feature = "excel")]
            CarrierFormat::Excel => super::read_carriers_excel(reader, options),
            #[cfg(feature = "parquet")]
            CarrierFormat::Parquet => {
                let mut bytes = Vec::new();
                let mut reader = reader;
                reader.read_to_end(&mut bytes)?;
                super::read_carriers_parquet(bytes::Bytes::from(bytes), options)
            }
            #[allow(unreachable_patterns)] // with every feature on
            format => Err(ErrorKind::FormatNotBuilt { format }.into()),
        }
    }

    /// Reads carriers in this format from the input `open` opens, as many
    /// times as it is needed: GeoJSON in parallel
    /// ([`read_carriers_parallel`]), the other formats as
    /// [`CarrierFormat::read`] reads them from one opening. `open` may wrap
    /// the file, to show progress for instance.
    ///
    /// # Errors
    ///
    /// As [`CarrierFormat::read`], and [`ErrorKind::Io`] when `open` fails.
    pub fn read_opened<R: Read + Send>(
        self,
        open: impl Fn() -> io::Result<R> + Sync,
        options: &ReadOptions,
    ) -> Result<Carriers, Error> {
        match self {
            CarrierFormat::GeoJson => read_carriers_parallel(open, options),
            format => format.read(BufReader::new(open()?), options),
        }
    }

    /// Reads the carrier file at `path`, in this format: as
    /// [`CarrierFormat::read_opened`] does, except that a Parquet file is
    /// read from the file, batch by batch, never whole.
    ///
    /// # Errors
    ///
    /// As [`CarrierFormat::read_opened`].
    pub fn read_file(self, path: &Path, options: &ReadOptions) -> Result<Carriers, Error> {
        match self {
            #[cfg(feature = "parquet")]
            CarrierFormat::Parquet => super::read_carriers_parquet(File::open(path)?, options),
            format => format.read_opened(|| File::open(path), options),
        }
    }
}

/// Reads the carrier file at `path` in the format [`CarrierFormat::of`]
/// finds: GeoJSON (in parallel, [`read_carriers_parallel`]), CSV
/// ([`read_carriers_csv`]), Excel (`read_carriers_excel`, with the
/// `excel` feature) or Parquet (`read_carriers_parquet`, with the
/// `parquet` feature); [`CarrierFormat::read_file`] in the format found.
///
/// # Errors
///
/// [`ErrorKind::Io`] when the file cannot be opened,
/// [`ErrorKind::FormatNotBuilt`] for a format whose feature is off, and
/// the errors of the format's reader.
pub fn read_carriers_file(path: &Path, options: &ReadOptions) -> Result<Carriers, Error> {
    CarrierFormat::of(path)?.read_file(path, options)
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
