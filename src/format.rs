//! What a carrier file is written in: its format, told by its name or
//! its first bytes, and the text encoding of a table.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::spelling::UnknownName;

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
        if let Some(format) = CarrierFormat::by_name(path) {
            return Ok(format);
        }
        let mut start = Vec::with_capacity(64);
        File::open(path)?.take(64).read_to_end(&mut start)?;
        Ok(CarrierFormat::sniff(&start))
    }

    /// The format a file's extension names, in any case; `None` for
    /// another extension or none.
    pub fn by_name(path: &Path) -> Option<CarrierFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "geojson" | "json" => Some(CarrierFormat::GeoJson),
            "csv" | "tsv" | "txt" => Some(CarrierFormat::Csv),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(CarrierFormat::Excel),
            "parquet" => Some(CarrierFormat::Parquet),
            _ => None,
        }
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

/// The text encoding of a CSV table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// GB18030, which reads GBK and GB2312 text as well: what Excel on
    /// Chinese Windows writes as "CSV (逗号分隔)".
    Gb18030,
    /// UTF-16, little-endian unless a byte-order mark says otherwise:
    /// what Excel writes as "Unicode text".
    #[serde(rename = "utf-16")]
    Utf16,
}

impl Encoding {
    /// Every encoding, in declaration order.
    pub const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Gb18030, Encoding::Utf16];

    /// The name used in options and messages: `utf-8`, `gb18030`, `utf-16`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16 => "utf-16",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Encoding {
    type Err = UnknownName;

    /// Parses `utf-8`, `gb18030` or `utf-16`, in any case, with or
    /// without the dash; `gbk` and `gb2312` are read as `gb18030`, which
    /// holds them, and `utf-16le`/`utf-16be` as `utf-16`.
    fn from_str(s: &str) -> Result<Encoding, UnknownName> {
        let folded = s.trim().to_ascii_lowercase().replace(['-', '_'], "");
        match folded.as_str() {
            "utf8" => Ok(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Ok(Encoding::Gb18030),
            "utf16" | "utf16le" | "utf16be" => Ok(Encoding::Utf16),
            _ => Err(UnknownName::new(
                "encoding",
                s,
                &["utf-8", "gb18030", "utf-16"],
            )),
        }
    }
}
