//! Excel workbooks (feature `xlsx`, by rust_xlsxwriter): placed carriers as
//! a sheet an analyst opens, numbers as numbers with thousands separators,
//! dates as dates, a frozen header in Chinese with English beneath, and
//! columns as wide as what they hold.

use std::io::{self, Write};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::Where;
use crate::atlas::DistrictId;
use crate::date::{Date, RecordDate};
use crate::place::Placed;

/// A sheet being written, row by row, that keeps each column's width.
pub(crate) struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    widths: Vec<usize>,
    row: u32,
}

/// The cell formats of a sheet.
pub(crate) struct Formats {
    header: Format,
    whole: Format,
    decimal: Format,
    percent: Format,
    date: Format,
    coordinate: Format,
    /// Headers in Chinese alone, without the English beneath.
    pub(crate) chinese_only: bool,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color("F2F2F2")
                .set_align(rust_xlsxwriter::FormatAlign::Top),
            whole: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.##"),
            percent: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            coordinate: Format::new().set_num_format("0.000000"),
            chinese_only: false,
        }
    }
}

/// A sheet's cell: what it holds decides how it is written.
pub(crate) enum Cell<'a> {
    /// Text, or nothing when empty.
    Text(&'a str),
    /// A count or an area: whole, with separators.
    Whole(f64),
    /// A figure that may have decimals.
    Decimal(f64),
    /// A share: 0.5 is shown as 50.0%.
    Percent(f64),
    /// A day.
    Date(Date),
    /// A longitude or latitude.
    Coordinate(f64),
    /// Nothing.
    Empty,
}

impl<'a> Sheet<'a> {
    /// A new sheet `name` with its header: each column's Chinese name, and
    /// its English one beneath; the header row stays in view.
    pub(crate) fn new(
        workbook: &'a mut Workbook,
        name: &str,
        columns: &[(&str, &str)],
        formats: &Formats,
    ) -> Result<Sheet<'a>, XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        let mut widths = Vec::with_capacity(columns.len());
        for (col, (zh, en)) in columns.iter().enumerate() {
            let (header, width) = match formats.chinese_only {
                true => (zh.to_string(), zh.width()),
                false => (format!("{zh}\n{en}"), zh.width().max(en.width())),
            };
            sheet.write_string_with_format(0, col as u16, header, &formats.header)?;
            widths.push(width);
        }
        sheet.set_row_height(0, 30)?;
        sheet.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            sheet,
            widths,
            row: 0,
        })
    }

    /// Writes one row.
    pub(crate) fn row(&mut self, cells: &[Cell], formats: &Formats) -> Result<(), XlsxError> {
        self.row += 1;
        let row = self.row;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            let shown = match *cell {
                Cell::Text(text) if !text.is_empty() => {
                    self.sheet.write_string(row, c, text)?;
                    text.width()
                }
                Cell::Text(_) | Cell::Empty => 0,
                Cell::Whole(x) => {
                    self.sheet
                        .write_number_with_format(row, c, x, &formats.whole)?;
                    format!("{x:.0}").len() * 4 / 3 + 1
                }
                Cell::Decimal(x) => {
                    self.sheet
                        .write_number_with_format(row, c, x, &formats.decimal)?;
                    format!("{x:.2}").len() * 4 / 3 + 1
                }
                Cell::Percent(x) => {
                    self.sheet
                        .write_number_with_format(row, c, x, &formats.percent)?;
                    8
                }
                Cell::Date(date) => {
                    let day = ExcelDateTime::from_ymd(date.year(), date.month(), date.day())?;
                    self.sheet
                        .write_datetime_with_format(row, c, &day, &formats.date)?;
                    10
                }
                Cell::Coordinate(x) => {
                    self.sheet
                        .write_number_with_format(row, c, x, &formats.coordinate)?;
                    11
                }
            };
            if let Some(width) = self.widths.get_mut(col) {
                *width = (*width).max(shown);
            }
        }
        Ok(())
    }

    /// Sets the columns' widths to what they hold (within reason).
    pub(crate) fn finish(self) -> Result<(), XlsxError> {
        for (col, width) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(col as u16, (*width as f64 + 2.0).min(60.0))?;
        }
        Ok(())
    }
}

/// A record's date: a day as a date cell; a month or a year, which no date
/// cell can hold, as written.
pub(crate) fn record_date(date: Option<RecordDate>) -> (Option<Date>, String) {
    match date {
        Some(RecordDate::Day(day)) => (Some(day), String::new()),
        Some(other) => (None, other.to_string()),
        None => (None, String::new()),
    }
}

/// A date's cell: the day, or the text of a month or a year.
pub(crate) fn date_cell(day: Option<Date>, text: &str) -> Cell<'_> {
    match day {
        Some(day) => Cell::Date(day),
        None => Cell::Text(text),
    }
}

/// The placed carriers' sheet: every carrier (or those that count in
/// `only`) with its district's code and name, its zone, and how it was
/// placed; a footprint at its surface point.
pub(crate) fn placed_sheet(
    workbook: &mut Workbook,
    placed: &Placed,
    only: Option<DistrictId>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let atlas = placed.atlas();
    let mut sheet = Sheet::new(
        workbook,
        "载体 carriers",
        &[
            ("编号", "id"),
            ("名称", "name"),
            ("类型", "kind"),
            ("类别", "category"),
            ("级别", "level"),
            ("面积（m²）", "floor area m²"),
            ("在孵企业", "enterprises"),
            ("科技型企业", "tech enterprises"),
            ("运营时间", "opened"),
            ("停止时间", "closed"),
            ("功能区", "overlay"),
            ("登记区县", "district written"),
            ("区县代码", "district code"),
            ("区县", "district"),
            ("区域", "zone"),
            ("落位依据", "placed by"),
            ("经度", "lon"),
            ("纬度", "lat"),
            ("坐标", "location"),
        ],
        formats,
    )?;
    let shown = (placed.iter()).filter(|(_, place)| only.is_none_or(|d| place.counts_in(d)));
    for (c, _) in shown {
        let at = Where::of(placed, &c);
        let district = placed.districts()[c.position()].map(|d| atlas.district(d));
        let zone = (district.and_then(|d| d.zone)).map(|z| atlas.zone(z).name.as_str());
        let (opened_day, opened_text) = record_date(c.opened());
        let (closed_day, closed_text) = record_date(c.closed());
        let kind = c.kind().to_string();
        let category = c.category().map(|x| x.to_string()).unwrap_or_default();
        let level = c.level().map(|x| x.to_string()).unwrap_or_default();
        let anchor = c.anchor();
        let location = match (c.footprint(), anchor) {
            (Some(_), _) => "surface_point",
            (None, Some(_)) => "point",
            (None, None) => "",
        };
        sheet.row(
            &[
                Cell::Text(c.id()),
                Cell::Text(c.name().unwrap_or("")),
                Cell::Text(&kind),
                Cell::Text(&category),
                Cell::Text(&level),
                Cell::Decimal(c.floor_area_m2()),
                Cell::Whole(f64::from(c.enterprises())),
                Cell::Whole(f64::from(c.tech_enterprises())),
                date_cell(opened_day, &opened_text),
                date_cell(closed_day, &closed_text),
                Cell::Text(c.overlay().unwrap_or("")),
                Cell::Text(c.declared().map_or("", |(written, _)| written)),
                Cell::Text(at.placed_district.unwrap_or("")),
                Cell::Text(district.map_or("", |d| d.name.as_str())),
                Cell::Text(zone.unwrap_or("")),
                Cell::Text(at.placed_by),
                anchor.map_or(Cell::Empty, |p| Cell::Coordinate(p.x())),
                anchor.map_or(Cell::Empty, |p| Cell::Coordinate(p.y())),
                Cell::Text(location),
            ],
            formats,
        )?;
    }
    sheet.finish()
}

/// Writes placed carriers as a workbook of one sheet (see [`placed_sheet`]).
pub(crate) fn write_placed_xlsx(out: impl Write + Send, placed: &Placed) -> io::Result<()> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    placed_sheet(&mut workbook, placed, None, &formats).map_err(io::Error::other)?;
    workbook.save_to_writer(out).map_err(io::Error::other)
}
