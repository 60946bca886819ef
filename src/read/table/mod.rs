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
mod rows;

pub(crate) use self::csv::{read_csv, text_rows as csv_text_rows};
#[cfg(feature = "excel")]
pub(crate) use excel::{read_excel, text_rows as excel_text_rows};

use super::cells::value;
pub(crate) use super::cells::Cell;
use super::feature::{Checks, GeometryType, RawFeature, Row};
use super::header::{is_ignored, name_of, resembles, Header, Scale};
use super::{reject_duplicate_ids, ReadOptions};
use crate::carrier::{Carriers, Kind, Origin, RowRole, SkippedRow, TableRead};
use crate::carrier::{Column, ReadNote, RejectReason, COLUMNS};
use crate::datum::Datum;
use crate::error::{Error, ErrorKind};
use crate::json::position;
use crate::json::{Coords, Json};
use crate::spelling::fold;

/// The columns that place a record without coordinates.
const PLACING: [Column; 3] = [Column::District, Column::Address, Column::Town];

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
    /// Columns that give enterprises (0) or tech enterprises (1) per
    /// year: (index, year, which).
    yearly: Vec<(usize, u16, usize)>,
}

/// The year a header gives its figure for, and the header without it:
/// `2021年在孵企业`, `在孵企业（2023）`, `在孵企业(2023年)`, `在孵企业2023`.
fn year_of(header: &str) -> Option<(u16, String)> {
    let h = header.trim();
    let year_at = |at: usize| -> Option<u16> {
        let digits = h.get(at..at + 4)?;
        let year: u16 = digits.parse().ok()?;
        (2000..2100).contains(&year).then_some(year)
    };
    if let Some(year) = year_at(0) {
        let rest = h[4..].trim_start_matches(['年', '度', ' ']);
        return Some((year, rest.to_string()));
    }
    let open = h.rfind(['(', '（'])?;
    let inner = &h[open..];
    let digits = inner.trim_start_matches(['(', '（']);
    let year: u16 = digits.get(..4)?.parse().ok()?;
    let tail = digits[4..].trim_start_matches(['年', '度']);
    let closes = tail.starts_with([')', '）']) && tail.chars().count() == 1;
    ((2000..2100).contains(&year) && closes).then(|| (year, h[..open].trim().to_string()))
}

impl Layout {
    /// The layout of a table with these headers; `kind_given` when the
    /// table's name gives the kind of its rows.
    fn new(headers: &[String], options: &ReadOptions, kind_given: bool) -> Result<Layout, Error> {
        let mut columns: [Option<(usize, Scale)>; COLUMNS.len()] = [None; COLUMNS.len()];
        let mut found = Vec::new();
        let mut notes = Vec::new();
        let mut unknown = Vec::new();
        let yearly = yearly_columns(headers, options);
        for (i, header) in headers.iter().enumerate() {
            if is_ignored(header, options) || yearly.iter().any(|(at, _, _)| *at == i) {
                continue;
            }
            let Some(parsed) = Header::checked(header, options) else {
                unknown.push(i);
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
        // A header the vocabulary does not hold is read when it resembles
        // one column only, and that column is not found; else it is named.
        for i in unknown {
            let header = headers[i].trim();
            let resembled = resembles(header);
            let free: Vec<_> = resembled
                .iter()
                .filter(|(c, _)| columns[*c as usize].is_none())
                .collect();
            match (&resembled[..], &free[..]) {
                ([], _) => {}
                ([_], [(column, unit)]) => {
                    let scale = unit.as_ref().map_or(0, |(_, s)| *s);
                    columns[*column as usize] = Some((i, scale));
                    found.push((*column, header.to_string()));
                    notes.push(ReadNote::ColumnResembles {
                        column: header.to_string(),
                        property: *column,
                        read: true,
                    });
                    if let Some((unit, scale @ 1..)) = unit {
                        notes.push(ReadNote::ColumnUnit {
                            column: header.to_string(),
                            property: *column,
                            unit: unit.clone(),
                            factor: 10u64.pow(u32::from(*scale)),
                        });
                    }
                }
                ([(column, _), ..], _) => notes.push(ReadNote::ColumnResembles {
                    column: header.to_string(),
                    property: *column,
                    read: false,
                }),
            }
        }
        today_from_years(&yearly, headers, &mut columns, &mut found, &mut notes);
        let layout = Layout {
            columns,
            headers: found,
            notes,
            yearly,
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
            if layout.at(needed).is_none() && !(needed == Column::Kind && kind_given) {
                return Err(missing(needed.as_str(), needed));
            }
        }
        match (layout.at(Column::Lon), layout.at(Column::Lat)) {
            (Some(_), None) => return Err(missing("lat", Column::Lat)),
            (None, Some(_)) => return Err(missing("lon", Column::Lon)),
            (None, None) if PLACING.iter().all(|c| layout.at(*c).is_none()) => {
                return Err(missing(
                    "lon and lat, district, address or town",
                    Column::District,
                ))
            }
            _ => {}
        }
        Ok(layout)
    }

    fn at(&self, column: Column) -> Option<usize> {
        self.columns[column as usize].map(|(i, _)| i)
    }

    /// The headers of the columns that place a record: coordinates, a
    /// district, an address, a town.
    fn location_headers(&self) -> Vec<String> {
        let placing = [Column::Lon, Column::Lat].iter().chain(&PLACING);
        let placing: Vec<&Column> = placing.collect();
        let headers = self.headers.iter().filter(|(c, _)| placing.contains(&c));
        headers.map(|(_, h)| h.clone()).collect()
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
        out.address = take(Column::Address);
        out.town = take(Column::Town);
        out.geometry = point(take(Column::Lon), take(Column::Lat));
        out
    }
}

/// Figures per year: the latest column of a property stands for today's
/// figure when no column without a year gives it; a note says which.
fn today_from_years(
    yearly: &[(usize, u16, usize)],
    headers: &[String],
    columns: &mut [Option<(usize, Scale)>; COLUMNS.len()],
    found: &mut Vec<(Column, String)>,
    notes: &mut Vec<ReadNote>,
) {
    for (which, column) in [Column::Enterprises, Column::TechEnterprises]
        .into_iter()
        .enumerate()
    {
        let of: Vec<&(usize, u16, usize)> = yearly.iter().filter(|y| y.2 == which).collect();
        let Some(&&(latest, _, _)) = of.last() else {
            continue;
        };
        let today = columns[column as usize].is_none().then(|| {
            columns[column as usize] = Some((latest, 0));
            found.push((column, headers[latest].trim().to_string()));
            headers[latest].trim().to_string()
        });
        notes.push(ReadNote::FiguresByYear {
            property: column,
            years: of.iter().map(|y| y.1).collect(),
            today,
        });
    }
}

/// The columns that give enterprises or tech enterprises for a year, when
/// at least two give one property: (index, year, which), by year.
fn yearly_columns(headers: &[String], options: &ReadOptions) -> Vec<(usize, u16, usize)> {
    let mut found: Vec<(usize, u16, usize)> = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        if is_ignored(header, options) {
            continue;
        }
        let Some((year, rest)) = year_of(header) else {
            continue;
        };
        let which = match Header::checked(&rest, options) {
            Some(Ok(h)) if h.column == Column::Enterprises => 0,
            Some(Ok(h)) if h.column == Column::TechEnterprises => 1,
            _ => continue,
        };
        found.push((i, year, which));
    }
    found.sort_by_key(|&(_, year, _)| year);
    let several = |which: usize| found.iter().filter(|y| y.2 == which).count() > 1;
    let (enterprises, tech) = (several(0), several(1));
    found.retain(|y| if y.2 == 0 { enterprises } else { tech });
    found
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
    // A header read by resemblance is a guess, and may be the one wanted.
    let guessed = |h: &str| {
        layout.notes.iter().any(
            |n| matches!(n, ReadNote::ColumnResembles { column, read: true, .. } if column == h),
        )
    };
    let in_use = |h: &str| layout.headers.iter().any(|(_, used)| used == h) && !guessed(h);
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

/// What a table's name says of its rows, and where it is: a sheet named
/// for a kind (`孵化器`) gives its rows that kind; a sheet of withdrawn
/// recognitions (`已摘牌`) holds closings.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableContext {
    pub origin: Origin,
    pub kind: Option<Kind>,
    pub withdrawn: bool,
}

/// Reads a table row by row into carriers and rejections, and counts its
/// sums and remarks apart.
pub(crate) struct TableReader<'a> {
    layout: Layout,
    checks: Checks<'a>,
    options: &'a ReadOptions,
    context: TableContext,
    out: Carriers,
    /// The row of each record read.
    rows: Vec<u32>,
    /// How the table was read, counted as it is.
    table: TableRead,
    sums: rows::Sums,
    /// Remarks and delisted carriers, with their first text.
    skipped: [(Vec<usize>, String); 2],
    /// Records that took the kind the table's name gives.
    kind_from_name: usize,
}

impl<'a> TableReader<'a> {
    /// A reader for a table with these headers.
    pub(crate) fn new(
        headers: &[String],
        options: &'a ReadOptions,
        context: TableContext,
    ) -> Result<Self, Error> {
        let layout = Layout::new(headers, options, context.kind.is_some())?;
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
        let mut table = TableRead::read(context.origin.clone());
        table.kind = context.kind;
        table.withdrawn = context.withdrawn;
        table.columns = layout
            .headers
            .iter()
            .map(|(c, h)| (h.clone(), *c))
            .collect();
        table.ignored = headers
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty() && !layout.headers.iter().any(|(_, used)| used == h))
            .map(str::to_string)
            .collect();
        Ok(TableReader {
            layout,
            checks: Checks::new(options),
            options,
            context,
            out,
            rows: Vec::new(),
            table,
            sums: rows::Sums::default(),
            skipped: Default::default(),
            kind_from_name: 0,
        })
    }

    /// How many records were read.
    pub(crate) fn records(&self) -> usize {
        self.out.features_read()
    }

    /// Notes what the read decided for the whole table.
    pub(crate) fn note(&mut self, mut note: ReadNote) {
        if let Some(origin) = note.origin_mut() {
            *origin = self.context.origin.clone();
        }
        self.out.add_note(note);
    }

    /// Whether the column at `index` gives a figure (a floor area, a
    /// count), which cells merged over several rows give once.
    pub(crate) fn is_figure(&self, index: usize) -> bool {
        rows::FIGURES
            .iter()
            .any(|&c| self.layout.at(c) == Some(index))
    }

    /// The columns read, by index, with their headers.
    pub(crate) fn read_columns(&self) -> Vec<(usize, String)> {
        let headers = self.layout.headers.iter();
        let at = |c: Column| self.layout.at(c).expect("a column found");
        headers.map(|(c, h)| (at(*c), h.clone())).collect()
    }

    /// Checks row `row` into a carrier or a rejection, or counts it as a
    /// sum or a remark. `shared` when its figures were given once for it
    /// and the rows above, in merged cells: it counts none of its own.
    pub(crate) fn push(&mut self, cells: &[Cell], row: usize, shared: bool) -> Result<(), Error> {
        let index = self.out.features_read();
        if index >= self.options.limits.max_features {
            let limit = self.options.limits.max_features;
            return Err(ErrorKind::TooManyFeatures { limit }.into());
        }
        let labels = self.labels(cells);
        let area = self.cell(cells, Column::FloorAreaM2);
        if let Some(role) = rows::role(&labels, area) {
            let label = labels.iter().find(|l| !l.trim().is_empty()).copied();
            self.skip(role, cells, row, label.unwrap_or_default().trim());
            return Ok(());
        }
        let mut raw = self.layout.row(cells, row);
        if raw.kind.is_none() {
            if let Some(kind) = self.context.kind {
                raw.kind = Some(Json::Str(kind.as_str().into()));
                self.kind_from_name += 1;
            }
        }
        self.sums.add(rows::FIGURES.map(|c| raw.figure(c)));
        if self.context.withdrawn && raw.closed.is_none() {
            let name = labels.get(1).filter(|n| !n.is_empty()).or(labels.first());
            self.skip(
                RowRole::Delisted,
                cells,
                row,
                name.copied().unwrap_or_default(),
            );
            return Ok(());
        }
        raw.shared_figures = shared;
        let mut checked = RawFeature::from(raw).check(&self.checks);
        // A note or a rejection names the column as the file heads it,
        // changed in place: a checked record is large to move.
        let headers = &self.layout.headers;
        match &mut checked {
            Ok(accepted) => accepted.rename_notes(|property| name_of(headers, property), row),
            // Which cells would have placed it.
            Err((_, reason @ RejectReason::MissingLocation)) => {
                let columns = self.layout.location_headers();
                *reason = RejectReason::EmptyLocation { columns };
            }
            Err((_, reason)) => {
                let taken = std::mem::replace(reason, RejectReason::MissingLocation);
                *reason = taken.renamed(|property| name_of(headers, property));
            }
        }
        let before = self.out.len();
        self.out
            .store(checked)
            .map_err(|_| ErrorKind::StoreFull { index })?;
        self.rows.push(u32::try_from(row).unwrap_or(u32::MAX));
        if self.out.len() > before && !shared {
            self.store_yearly(cells);
        }
        Ok(())
    }

    /// The figures per year of the record just stored; a cell that is not
    /// a count is left out, as the record's own column already checked it
    /// for the latest year.
    fn store_yearly(&mut self, cells: &[Cell]) {
        for &(at, year, which) in &self.layout.yearly {
            let column = [Column::Enterprises, Column::TechEnterprises][which];
            let cell = cells.get(at).unwrap_or(&Cell::Empty);
            let figure = value(column, 0, cell, "")
                .ok()
                .and_then(|(v, _)| v?.as_f64());
            if let Some(n) =
                figure.filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX))
            {
                self.out.add_yearly(year, which, n as u32);
            }
        }
    }

    /// The cell of `column` in `cells`, empty when there is none.
    fn cell<'c>(&self, cells: &'c [Cell<'c>], column: Column) -> &'c Cell<'c> {
        let at = self.layout.at(column);
        at.and_then(|i| cells.get(i)).unwrap_or(&Cell::Empty)
    }

    /// The texts a sum or a remark is told by: the id and name cells, then
    /// the first two cells that hold something.
    fn labels<'c>(&self, cells: &'c [Cell<'c>]) -> [&'c str; 4] {
        let text = |cell: &'c Cell<'c>| match cell {
            Cell::Text(t) => *t,
            _ => "",
        };
        let mut first = cells.iter().map(text).filter(|t| !t.trim().is_empty());
        let (id, name) = (self.cell(cells, Column::Id), self.cell(cells, Column::Name));
        let (a, b) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
        [text(id), text(name), a, b]
    }

    /// Counts a row that is not a record; a sum is checked against the
    /// rows it covers.
    fn skip(&mut self, role: RowRole, cells: &[Cell], row: usize, text: &str) {
        match role {
            RowRole::Subtotal | RowRole::Total => {
                self.table.sums += 1;
                let given = rows::FIGURES.map(|column| {
                    let at = self.layout.columns[column as usize]?;
                    let cell = cells.get(at.0)?;
                    let (value, _) = value(column, at.1, cell, "").ok()?;
                    value?.as_f64()
                });
                let headers = rows::FIGURES.map(|c| name_in(&self.layout.headers, c));
                for note in self.sums.check(role, given, headers, (row, text)) {
                    self.note(note);
                }
            }
            RowRole::Remark => self.table.remarks += 1,
            _ => self.table.delisted += 1,
        }
        if let Some((rows, example)) = match role {
            RowRole::Remark => Some(&mut self.skipped[0]),
            RowRole::Delisted => Some(&mut self.skipped[1]),
            _ => None,
        } {
            if rows.is_empty() {
                *example = text.to_string();
            }
            rows.push(row);
        }
        self.out.add_skipped_row(SkippedRow {
            origin: self.context.origin.clone(),
            row,
            role,
            text: text.to_string(),
        });
    }

    /// The carriers and rejections, numbered by row, with later rows that
    /// repeat an id rejected; the table's counts and notes.
    pub(crate) fn finish(mut self) -> Carriers {
        reject_duplicate_ids(&mut self.out);
        self.out.number_rows(&self.rows);
        let skipped = std::mem::take(&mut self.skipped);
        for (role, (rows, example)) in [RowRole::Remark, RowRole::Delisted]
            .into_iter()
            .zip(skipped)
        {
            if !rows.is_empty() {
                self.note(ReadNote::RowsSkipped {
                    origin: Origin::default(),
                    role,
                    rows,
                    example,
                });
            }
        }
        if let (Some(kind), 1..) = (self.context.kind, self.kind_from_name) {
            let records = self.kind_from_name;
            self.note(ReadNote::SheetKind {
                origin: Origin::default(),
                kind,
                records,
            });
        }
        self.table.records = self.out.features_read();
        if !self.context.origin.is_empty() {
            self.out.set_origin(self.context.origin.clone());
        }
        self.out.add_table(self.table);
        self.out
    }
}

/// The header of `column` among those found.
fn name_in(headers: &[(Column, String)], column: Column) -> Option<&str> {
    let found = headers.iter().find(|(c, _)| *c == column);
    found.map(|(_, h)| h.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(headers: &[&str]) -> Result<Layout, Error> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        Layout::new(&headers, &ReadOptions::default(), false)
    }

    #[test]
    fn a_missing_column_names_the_header_that_would_give_it() {
        // An address places a record as a district does.
        assert!(layout(&["类型", "面积", "地址"]).is_ok());
        let err = layout(&["序号", "载体类别名", "面积合计", "所在区县"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no column \"kind\": the columns are 序号, 载体类别名, 面积合计, 所在区县; \
             map one to it with --headers (a TOML line such as \"载体类别名\" = \"kind\")"
        );
        let err = layout(&["类型", "场地（平方米）", "所在区县"]).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("\"场地（平方米）\" = \"floor_area_m2\")"),
            "{err}"
        );
        // A header that holds a known one, and no other's, is read as it.
        let read = layout(&["类型", "面积合计", "所在区县"]).unwrap();
        assert_eq!(read.at(Column::FloorAreaM2), Some(1));
        assert_eq!(
            read.notes[0].to_string(),
            "column \"面积合计\" read as floor_area_m2"
        );
        let err = layout(&["类型", "面积", "备注"]).unwrap_err();
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
