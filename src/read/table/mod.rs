//! Carrier tables, as registers are kept: a header row, then one carrier
//! per row (CSV here, Excel in `excel.rs`).
//!
//! Columns are found by their header ([`Column::named`], or the caller's
//! own names in [`ReadOptions::headers`]), with the unit in their brackets
//! (`header.rs`). Each row's cells are read as registers write them
//! (`cells.rs`) into the [`Row`] a GeoJSON feature with the same values
//! would be, so it is checked by the same code into the same carrier or
//! rejection; the rejection also carries the row's number as a spreadsheet
//! shows it, and names its column as the file heads it.

mod csv;
#[cfg(feature = "excel")]
mod excel;

pub(crate) use self::csv::read_csv;
#[cfg(feature = "excel")]
pub(crate) use excel::read_excel;

use super::cells::value;
pub(crate) use super::cells::Cell;
use super::feature::{Checks, GeometryType, RawFeature, Row};
use super::header::{name_of, Header, Scale};
use super::{reject_duplicate_ids, ReadOptions};
use crate::carrier::Carriers;
use crate::carrier::{Column, ReadNote, COLUMNS};
use crate::datum::Datum;
use crate::error::{Error, ErrorKind};
use crate::json::position;
use crate::json::{Coords, Json};
use crate::spelling::fold;

/// How many rows may come before the header row (a title, a date line).
pub(crate) const HEADER_SEARCH_ROWS: usize = 10;

/// Which of a table's first rows is its header: the first in which two or
/// more cells are headers the reader knows, else the first.
pub(crate) fn header_row(rows: &[Vec<String>], options: &ReadOptions) -> usize {
    rows.iter()
        .position(|row| is_header(row, options))
        .unwrap_or(0)
}

/// Whether `row` could be the header row: two or more of its cells are
/// headers the reader knows.
pub(crate) fn is_header(row: &[String], options: &ReadOptions) -> bool {
    let found = row.iter().filter(|h| Header::checked(h, options).is_some());
    found.count() >= 2
}

/// Where each column is, found from the header row once: its position and
/// the power of ten its header's unit scales it by.
#[derive(Debug)]
struct Layout {
    columns: [Option<(usize, Scale)>; COLUMNS.len()],
    /// Each column found, with its header as written: the names rejections
    /// give.
    headers: Vec<(Column, String)>,
    /// A note for each column whose unit is not the property's.
    notes: Vec<ReadNote>,
}

impl Layout {
    /// The layout of a table with these headers.
    fn new(headers: &[String], options: &ReadOptions) -> Result<Layout, Error> {
        let mut columns: [Option<(usize, Scale)>; COLUMNS.len()] = [None; COLUMNS.len()];
        let mut found = Vec::new();
        let mut notes = Vec::new();
        for (i, header) in headers.iter().enumerate() {
            let Some(parsed) = Header::checked(header, options) else {
                continue;
            };
            let parsed = parsed.map_err(|unknown| ErrorKind::UnknownUnit {
                column: unknown.header,
                unit: unknown.unit,
                property: unknown.column.as_str(),
            })?;
            let slot = &mut columns[parsed.column as usize];
            if let Some((first, _)) = *slot {
                return Err(ErrorKind::DuplicateColumn {
                    property: parsed.column.as_str(),
                    first: headers[first].clone(),
                    second: header.clone(),
                }
                .into());
            }
            let scale = parsed.unit.as_ref().map_or(0, |(_, scale)| *scale);
            *slot = Some((i, scale));
            let header = header.trim().to_string();
            if let Some((unit, scale @ 1..)) = parsed.unit {
                notes.push(ReadNote::ColumnUnit {
                    column: header.clone(),
                    property: parsed.column,
                    unit,
                    factor: 10u64.pow(u32::from(scale)),
                });
            }
            found.push((parsed.column, header));
        }
        let layout = Layout {
            columns,
            headers: found,
            notes,
        };
        let missing = |column: &str, like: Column| -> Error {
            ErrorKind::MissingColumn {
                column: column.to_string(),
                columns: headers.join(", "),
                mapping: Some(mapping_line(headers, &layout, like)),
            }
            .into()
        };
        for needed in [Column::Kind, Column::FloorAreaM2] {
            if layout.at(needed).is_none() {
                return Err(missing(needed.as_str(), needed));
            }
        }
        match (layout.at(Column::Lon), layout.at(Column::Lat)) {
            (Some(_), None) => return Err(missing("lat", Column::Lat)),
            (None, Some(_)) => return Err(missing("lon", Column::Lon)),
            (None, None) if layout.at(Column::District).is_none() => {
                return Err(missing("lon and lat, or district", Column::District))
            }
            _ => {}
        }
        Ok(layout)
    }

    fn at(&self, column: Column) -> Option<usize> {
        self.columns[column as usize].map(|(i, _)| i)
    }

    fn has_coordinates(&self) -> bool {
        self.at(Column::Lon).is_some()
    }

    /// Row `row` (numbered as a spreadsheet numbers it) as the feature a
    /// GeoJSON file would hold.
    fn row(&self, cells: &[Cell], row: usize) -> Row {
        let mut out = Row::default();
        let mut values: [Option<Json>; COLUMNS.len()] = Default::default();
        for (column, header) in &self.headers {
            let (i, scale) = self.columns[*column as usize].expect("a column found");
            let cell = cells.get(i).unwrap_or(&Cell::Empty);
            match value(*column, scale, cell, header) {
                Ok((value, note)) => {
                    values[*column as usize] = value;
                    out.notes.extend(note);
                }
                Err(reason) => {
                    out.refused.get_or_insert(reason);
                }
            }
        }
        let mut take = |column: Column| values[column as usize].take();
        out.id = match self.at(Column::Id) {
            Some(_) => take(Column::Id),
            None => Some(Json::Str(row.to_string())),
        };
        out.name = take(Column::Name);
        out.kind = take(Column::Kind);
        out.category = take(Column::Category);
        out.level = take(Column::Level);
        out.floor_area_m2 = take(Column::FloorAreaM2);
        out.enterprises = take(Column::Enterprises);
        out.tech_enterprises = take(Column::TechEnterprises);
        out.opened = take(Column::Opened);
        out.closed = take(Column::Closed);
        out.overlay = take(Column::Overlay);
        out.district = take(Column::District);
        out.geometry = point(take(Column::Lon), take(Column::Lat));
        out
    }
}

/// The line of a `--headers` map that would give `column` from one of
/// `headers`: the first header not in use whose name suggests it, else a
/// template.
fn mapping_line(headers: &[String], layout: &Layout, column: Column) -> String {
    let words: &[&str] = match column {
        Column::Kind => &["类", "kind", "type"],
        Column::FloorAreaM2 => &["面积", "area", "平方米", "㎡"],
        Column::District => &["区", "县", "district", "county"],
        Column::Lon => &["经", "lon", "lng"],
        Column::Lat => &["纬", "lat"],
        _ => &[],
    };
    let in_use = |h: &str| layout.headers.iter().any(|(_, used)| used == h);
    let candidate = headers.iter().map(|h| h.trim()).find(|h| {
        let folded = fold(h);
        !h.is_empty() && !in_use(h) && words.iter().any(|w| folded.contains(w))
    });
    let header = candidate.unwrap_or("COLUMN");
    format!("\"{header}\" = \"{}\"", column.as_str())
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
        let mut out = Carriers::new(options.datum.unwrap_or(Datum::Wgs84));
        for note in &layout.notes {
            out.add_note(note.clone());
        }
        Ok(TableReader {
            layout,
            checks: Checks::new(options),
            options,
            out,
            rows: Vec::new(),
        })
    }

    /// How many records were read.
    pub(crate) fn records(&self) -> usize {
        self.out.features_read()
    }

    /// Notes what the read decided for the whole table.
    pub(crate) fn note(&mut self, note: ReadNote) {
        self.out.add_note(note);
    }

    /// Checks the record on row `row` into a carrier or a rejection.
    pub(crate) fn push(&mut self, cells: &[Cell], row: usize) -> Result<(), Error> {
        let index = self.out.features_read();
        if index >= self.options.limits.max_features {
            let limit = self.options.limits.max_features;
            return Err(ErrorKind::TooManyFeatures { limit }.into());
        }
        let checked = RawFeature::from(self.layout.row(cells, row)).check(&self.checks);
        // A rejection names the column as the file heads it.
        let headers = &self.layout.headers;
        let checked = checked
            .map_err(|(id, reason)| (id, reason.renamed(|property| name_of(headers, property))));
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

    fn layout(headers: &[&str]) -> Result<Layout, Error> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        Layout::new(&headers, &ReadOptions::default())
    }

    #[test]
    fn a_missing_column_names_the_header_that_would_give_it() {
        let err = layout(&["序号", "载体类别名", "面积合计", "所在区县"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no column \"kind\": the columns are 序号, 载体类别名, 面积合计, 所在区县; \
             map one to it with --headers (a TOML line such as \"载体类别名\" = \"kind\")"
        );
        let err = layout(&["类型", "面积合计", "所在区县"]).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("\"面积合计\" = \"floor_area_m2\")"),
            "{err}"
        );
        let err = layout(&["类型", "面积", "地址"]).unwrap_err();
        assert!(
            err.to_string().ends_with("\"COLUMN\" = \"district\")"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_unit_is_an_error_naming_the_header() {
        let err = layout(&["类型", "建筑面积（亩）", "所在区县"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column \"建筑面积（亩）\" gives floor_area_m2 in \"亩\", a unit the reader does not \
             know: write the figures in m² (平方米) or 万 m² (万平方米), and the unit in the header"
        );
        let ok = layout(&["类型", "建筑面积（万平方米）", "所在区县"]).unwrap();
        assert_eq!(
            ok.notes[0].to_string(),
            "column \"建筑面积（万平方米）\" is in 万平方米: its values are multiplied by 10,000 \
             to read m²"
        );
    }
}
