//! Carrier tables, as registers are kept: a header row, then one carrier
//! per row (CSV here, Excel in `excel.rs`).
//!
//! Columns are found by their header ([`Column::named`], or the caller's
//! own names in [`ReadOptions::headers`]). Each row becomes the
//! [`feature::Row`] a GeoJSON feature with the same values would be, so
//! it is checked by the same code into the same carrier or rejection; the
//! rejection also carries the row's number as a spreadsheet shows it.

mod csv;
#[cfg(feature = "excel")]
mod excel;

use serde::{Deserialize, Serialize};

pub(crate) use self::csv::read_csv;
#[cfg(feature = "excel")]
pub(crate) use excel::read_excel;

use super::feature::{Checks, GeometryType, RawFeature, Row};
use super::json::{Coords, Json};
use super::{position, reject_duplicate_ids, ReadOptions};
use crate::carrier::Carriers;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind};

/// What a table column holds: a carrier property (named as the GeoJSON
/// reader names it), or a coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Column {
    /// `id`, 编号.
    Id,
    /// `name`, 名称, 载体名称.
    Name,
    /// `kind`, 类型, 载体类型.
    Kind,
    /// `category`, 类别.
    Category,
    /// `level`, 级别.
    Level,
    /// `floor_area_m2`, 面积, 建筑面积.
    FloorAreaM2,
    /// `enterprises`, 在孵企业, 在孵企业和团队, 在孵企业数.
    Enterprises,
    /// `tech_enterprises`, 科技型企业, 科技型企业数.
    TechEnterprises,
    /// `opened`, 认定时间, 认定年份.
    Opened,
    /// `closed`, 摘牌时间, 摘牌年份.
    Closed,
    /// `overlay`.
    Overlay,
    /// `district`, 所在区县, 区县.
    District,
    /// `lon`, `longitude`, `lng`, `x`, 经度.
    #[serde(alias = "longitude")]
    Lon,
    /// `lat`, `latitude`, `y`, 纬度.
    #[serde(alias = "latitude")]
    Lat,
}

/// Every column, in declaration order: the order tables are written in.
pub(crate) const COLUMNS: [Column; 14] = [
    Column::Id,
    Column::Name,
    Column::Kind,
    Column::Category,
    Column::Level,
    Column::FloorAreaM2,
    Column::Enterprises,
    Column::TechEnterprises,
    Column::Opened,
    Column::Closed,
    Column::Overlay,
    Column::District,
    Column::Lon,
    Column::Lat,
];

/// The headers each column is found by, compared as [`normalize`] leaves
/// them.
const HEADERS: &[(&str, Column)] = &[
    ("id", Column::Id),
    ("编号", Column::Id),
    ("name", Column::Name),
    ("名称", Column::Name),
    ("载体名称", Column::Name),
    ("kind", Column::Kind),
    ("类型", Column::Kind),
    ("载体类型", Column::Kind),
    ("category", Column::Category),
    ("类别", Column::Category),
    ("level", Column::Level),
    ("级别", Column::Level),
    ("floor_area_m2", Column::FloorAreaM2),
    ("面积", Column::FloorAreaM2),
    ("建筑面积", Column::FloorAreaM2),
    ("enterprises", Column::Enterprises),
    ("在孵企业", Column::Enterprises),
    ("在孵企业和团队", Column::Enterprises),
    ("在孵企业数", Column::Enterprises),
    ("tech_enterprises", Column::TechEnterprises),
    ("科技型企业", Column::TechEnterprises),
    ("科技型企业数", Column::TechEnterprises),
    ("opened", Column::Opened),
    ("认定时间", Column::Opened),
    ("认定年份", Column::Opened),
    ("closed", Column::Closed),
    ("摘牌时间", Column::Closed),
    ("摘牌年份", Column::Closed),
    ("overlay", Column::Overlay),
    ("district", Column::District),
    ("所在区县", Column::District),
    ("区县", Column::District),
    ("lon", Column::Lon),
    ("longitude", Column::Lon),
    ("lng", Column::Lon),
    ("x", Column::Lon),
    ("经度", Column::Lon),
    ("lat", Column::Lat),
    ("latitude", Column::Lat),
    ("y", Column::Lat),
    ("纬度", Column::Lat),
];

impl Column {
    /// The property's name: `floor_area_m2`, `lon`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Name => "name",
            Column::Kind => "kind",
            Column::Category => "category",
            Column::Level => "level",
            Column::FloorAreaM2 => "floor_area_m2",
            Column::Enterprises => "enterprises",
            Column::TechEnterprises => "tech_enterprises",
            Column::Opened => "opened",
            Column::Closed => "closed",
            Column::Overlay => "overlay",
            Column::District => "district",
            Column::Lon => "lon",
            Column::Lat => "lat",
        }
    }

    /// The column a header names by default, if any. Headers are compared
    /// without surrounding spaces, inner spaces, ASCII case or a trailing
    /// unit in brackets: `建筑面积（m²）` and `Floor_Area_m2` are found.
    pub fn named(header: &str) -> Option<Column> {
        column_of(header, &ReadOptions::default())
    }
}

/// A header as it is compared: without a byte-order mark, spaces, a
/// trailing unit in brackets (ASCII or full-width) and ASCII case.
fn normalize(header: &str) -> String {
    let mut header = header.trim_start_matches('\u{feff}').trim();
    if header.ends_with([')', '）']) {
        if let Some(open) = header.rfind(['(', '（']).filter(|&i| i > 0) {
            header = &header[..open];
        }
    }
    header
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The column `header` gives: as the caller maps it
/// ([`ReadOptions::headers`], [`ReadOptions::coordinate_columns`]), else
/// as [`Column::named`] finds it.
fn column_of(header: &str, options: &ReadOptions) -> Option<Column> {
    let header = normalize(header);
    let own = options
        .headers
        .iter()
        .find(|(name, _)| normalize(name) == header)
        .map(|&(_, column)| column);
    let coordinates = options.coordinate_columns.as_ref();
    let coordinate = coordinates.and_then(|(lon, lat)| {
        if normalize(lon) == header {
            Some(Column::Lon)
        } else if normalize(lat) == header {
            Some(Column::Lat)
        } else {
            None
        }
    });
    own.or(coordinate).or_else(|| {
        HEADERS
            .iter()
            .find(|(name, _)| *name == header)
            .map(|&(_, column)| column)
    })
}

/// How many rows may come before the header row (a title, a date line).
pub(crate) const HEADER_SEARCH_ROWS: usize = 10;

/// Which of a table's first rows is its header: the first in which two or
/// more cells are headers the reader knows, else the first.
pub(crate) fn header_row(rows: &[Vec<String>], options: &ReadOptions) -> usize {
    let known = |row: &Vec<String>| {
        let found = row.iter().filter(|h| column_of(h, options).is_some());
        found.count() >= 2
    };
    rows.iter().position(known).unwrap_or(0)
}

/// One cell, as the file holds it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "excel"), allow(dead_code))] // CSV has text only
pub(crate) enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// A spreadsheet date, as `YYYY-MM-DD`.
    Date(String),
    /// Anything else (a boolean, an error value such as `#N/A`), as its
    /// text.
    Other(String),
}

/// Where each column is, found from the header row once.
#[derive(Debug)]
struct Layout {
    columns: [Option<usize>; COLUMNS.len()],
}

impl Layout {
    /// The layout of a table with these headers.
    fn new(headers: &[String], options: &ReadOptions) -> Result<Layout, Error> {
        let mut columns: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
        for (i, header) in headers.iter().enumerate() {
            let Some(column) = column_of(header, options) else {
                continue;
            };
            let slot = &mut columns[column as usize];
            if let Some(first) = *slot {
                return Err(ErrorKind::DuplicateColumn {
                    property: column.as_str(),
                    first: headers[first].clone(),
                    second: header.clone(),
                }
                .into());
            }
            *slot = Some(i);
        }
        let layout = Layout { columns };
        let missing = |column: &str| -> Error {
            ErrorKind::MissingColumn {
                column: column.to_string(),
                columns: headers.join(", "),
            }
            .into()
        };
        for needed in [Column::Kind, Column::FloorAreaM2] {
            if layout.at(needed).is_none() {
                return Err(missing(needed.as_str()));
            }
        }
        match (layout.at(Column::Lon), layout.at(Column::Lat)) {
            (Some(_), None) => return Err(missing("lat")),
            (None, Some(_)) => return Err(missing("lon")),
            (None, None) if layout.at(Column::District).is_none() => {
                return Err(missing("lon and lat, or district"))
            }
            _ => {}
        }
        Ok(layout)
    }

    fn at(&self, column: Column) -> Option<usize> {
        self.columns[column as usize]
    }

    fn has_coordinates(&self) -> bool {
        self.at(Column::Lon).is_some()
    }

    /// Row `row` (numbered as a spreadsheet numbers it) as the feature a
    /// GeoJSON file would hold.
    fn row(&self, cells: &[Cell], row: usize) -> Row {
        let cell = |column| {
            self.at(column)
                .and_then(|i| cells.get(i))
                .unwrap_or(&Cell::Empty)
        };
        let text = |column| text(cell(column));
        let number = |column| number(cell(column));
        let date = |column| date(cell(column));
        let id = match self.at(Column::Id) {
            Some(_) => text(Column::Id),
            None => Some(Json::Str(row.to_string())),
        };
        Row {
            id,
            name: text(Column::Name),
            kind: text(Column::Kind),
            category: text(Column::Category),
            level: text(Column::Level),
            floor_area_m2: number(Column::FloorAreaM2),
            enterprises: number(Column::Enterprises),
            tech_enterprises: number(Column::TechEnterprises),
            opened: date(Column::Opened),
            closed: date(Column::Closed),
            overlay: text(Column::Overlay),
            district: text(Column::District),
            geometry: point(number(Column::Lon), number(Column::Lat)),
        }
    }
}

/// A text property: the trimmed text, or a number's shortest text.
fn text(cell: &Cell) -> Option<Json> {
    match cell {
        Cell::Empty => None,
        Cell::Text(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(Json::from),
        Cell::Number(x) => Some(Json::Str(number_text(*x))),
        Cell::Date(s) | Cell::Other(s) => Some(Json::Str(s.clone())),
    }
}

/// A number property: the number, or the text kept for the message.
/// Thousands may be grouped with commas (`1,200.5`), as spreadsheets
/// show them.
fn number(cell: &Cell) -> Option<Json> {
    match cell {
        Cell::Empty => None,
        Cell::Text(s) => {
            let s = s.trim();
            let ungrouped = ungrouped(s);
            let s = ungrouped.as_deref().unwrap_or(s);
            if s.is_empty() {
                None
            } else if let Ok(n) = s.parse::<u64>() {
                Some(Json::UInt(n))
            } else {
                match s.parse::<f64>() {
                    Ok(x) if x.is_finite() => Some(json_number(x)),
                    _ => Some(Json::from(s)),
                }
            }
        }
        Cell::Number(x) => Some(json_number(*x)),
        Cell::Date(s) | Cell::Other(s) => Some(Json::Str(s.clone())),
    }
}

/// `1,234,567.5` without its separators; `None` unless the commas group
/// every three digits of the whole part.
fn ungrouped(s: &str) -> Option<String> {
    let whole = s.split_once('.').map_or(s, |(whole, _)| whole);
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped = whole.contains(',')
        && digits(first)
        && first.len() <= 3
        && groups.all(|g| g.len() == 3 && digits(g));
    grouped.then(|| s.replace(',', ""))
}

/// A date property: `YYYY` or `YYYY-MM-DD` text, from the forms registers
/// write (see [`normalize_date`]), a year as a number, or a spreadsheet
/// date.
fn date(cell: &Cell) -> Option<Json> {
    match cell {
        Cell::Number(x) if x.fract() == 0.0 && (1.0..=9999.0).contains(x) => {
            Some(Json::Str(format!("{x:04}")))
        }
        Cell::Text(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| Json::Str(normalize_date(s).unwrap_or_else(|| s.to_string())))
        }
        other => text(other),
    }
}

/// `2019年` as `2019`; `2019年5月1日`, `2019/5/1`, `2019.5.1`, `2019-5-1`
/// (and any of them followed by a time) as `2019-05-01`. `None` for
/// anything else, which is then checked as written.
fn normalize_date(s: &str) -> Option<String> {
    let day = s.split([' ', 'T']).next().unwrap_or(s);
    let parts: Vec<&str> = day
        .trim_end_matches('日')
        .trim_end_matches('年')
        .split(['年', '月', '/', '.', '-'])
        .collect();
    let digits = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(digits) || parts[0].len() != 4 {
        return None;
    }
    match parts[..] {
        [year] => Some(year.to_string()),
        [year, month, day] if month.len() <= 2 && day.len() <= 2 => {
            Some(format!("{year}-{month:0>2}-{day:0>2}"))
        }
        _ => None,
    }
}

/// A number as JSON would hold it: whole numbers as integers.
fn json_number(x: f64) -> Json {
    if x.fract() == 0.0 && (0.0..u64::MAX as f64).contains(&x) {
        Json::UInt(x as u64)
    } else {
        Json::Float(x)
    }
}

/// A number's shortest text: `1001`, not `1001.0`.
fn number_text(x: f64) -> String {
    match json_number(x) {
        Json::UInt(n) => n.to_string(),
        _ => x.to_string(),
    }
}

/// The point of a row's longitude and latitude cells: none when both are
/// empty, a malformed Point when one is empty or not a number.
fn point(lon: Option<Json>, lat: Option<Json>) -> Option<(Result<GeometryType, String>, Coords)> {
    let coordinate = |value: Option<Json>, which: &str| match value {
        None => Err(format!("the {which} is empty")),
        Some(value) => value
            .as_f64()
            .ok_or_else(|| format!("the {which} {} is not a number", value.describe())),
    };
    if lon.is_none() && lat.is_none() {
        return None;
    }
    let coords = match (coordinate(lon, "longitude"), coordinate(lat, "latitude")) {
        (Ok(x), Ok(y)) => Coords::Position(position(x, y)),
        (Err(why), _) | (_, Err(why)) => Coords::Malformed(why),
    };
    Some((Ok(GeometryType::Point), coords))
}

/// Reads a table row by row into carriers and rejections.
pub(crate) struct TableReader<'a> {
    layout: Layout,
    checks: Checks<'a>,
    options: &'a ReadOptions,
    out: Carriers,
    /// The row of each record read.
    rows: Vec<u32>,
}

impl<'a> TableReader<'a> {
    /// A reader for a table with these headers.
    pub(crate) fn new(headers: &[String], options: &'a ReadOptions) -> Result<Self, Error> {
        let layout = Layout::new(headers, options)?;
        if layout.has_coordinates() && options.datum.is_none() {
            let header = |column| headers[layout.at(column).expect("found")].clone();
            return Err(ErrorKind::TableDatum {
                lon: header(Column::Lon),
                lat: header(Column::Lat),
            }
            .into());
        }
        Ok(TableReader {
            layout,
            checks: Checks::new(options),
            options,
            out: Carriers::new(options.datum.unwrap_or(Datum::Wgs84)),
            rows: Vec::new(),
        })
    }

    /// How many records were read.
    pub(crate) fn records(&self) -> usize {
        self.out.features_read()
    }

    /// Checks the record on row `row` into a carrier or a rejection.
    pub(crate) fn push(&mut self, cells: &[Cell], row: usize) -> Result<(), Error> {
        let index = self.out.features_read();
        if index >= self.options.limits.max_features {
            let limit = self.options.limits.max_features;
            return Err(ErrorKind::TooManyFeatures { limit }.into());
        }
        let checked = RawFeature::from(self.layout.row(cells, row)).check(&self.checks);
        self.out
            .store(checked)
            .map_err(|_| ErrorKind::StoreFull { index })?;
        self.rows.push(u32::try_from(row).unwrap_or(u32::MAX));
        Ok(())
    }

    /// The carriers and rejections, numbered by row, with later rows that
    /// repeat an id rejected.
    pub(crate) fn finish(mut self) -> Carriers {
        reject_duplicate_ids(&mut self.out);
        self.out.number_rows(&self.rows);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_in_their_usual_forms() {
        for (header, column) in [
            ("建筑面积（m²）", Column::FloorAreaM2),
            ("面积 (m²)", Column::FloorAreaM2),
            ("\u{feff}编号", Column::Id),
            (" Longitude ", Column::Lon),
            ("所在区县", Column::District),
            ("在孵企业和团队", Column::Enterprises),
            ("摘牌时间", Column::Closed),
        ] {
            assert_eq!(Column::named(header), Some(column), "{header}");
        }
        assert_eq!(Column::named("地址"), None);
        assert_eq!(Column::named("(m²)"), None);
    }

    #[test]
    fn register_dates_are_read_in_their_usual_forms() {
        for (written, read) in [
            ("2019年", Some("2019")),
            ("2019年5月1日", Some("2019-05-01")),
            ("2019/5/1", Some("2019-05-01")),
            ("2019.05.01", Some("2019-05-01")),
            ("2019-05-01 00:00:00", Some("2019-05-01")),
            ("2019", Some("2019")),
            ("2019年5月", None),
            ("19/5/1", None),
            ("soon", None),
        ] {
            assert_eq!(normalize_date(written).as_deref(), read, "{written}");
        }
    }

    #[test]
    fn numbers_keep_what_is_not_one_for_the_message() {
        assert_eq!(number(&Cell::Text(" 1200 ")), Some(Json::UInt(1200)));
        assert_eq!(number(&Cell::Text("1200.5")), Some(Json::Float(1200.5)));
        assert_eq!(number(&Cell::Text("-3")), Some(Json::Float(-3.0)));
        assert_eq!(number(&Cell::Text("12a")), Some(Json::from("12a")));
        assert_eq!(number(&Cell::Text("1,200")), Some(Json::UInt(1200)));
        assert_eq!(
            number(&Cell::Text("1,234,567.5")),
            Some(Json::Float(1234567.5))
        );
        assert_eq!(number(&Cell::Text("1,5")), Some(Json::from("1,5")));
        assert_eq!(number(&Cell::Text("12,00")), Some(Json::from("12,00")));
        assert_eq!(
            number(&Cell::Text("1234,567")),
            Some(Json::from("1234,567"))
        );
        assert_eq!(number(&Cell::Text("NaN")), Some(Json::from("NaN")));
        assert_eq!(number(&Cell::Text("  ")), None);
        assert_eq!(number(&Cell::Number(7.0)), Some(Json::UInt(7)));
        assert_eq!(text(&Cell::Number(500112.0)), Some(Json::from("500112")));
    }
}
