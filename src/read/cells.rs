//! Cells as registers write them: numbers with thousands separators,
//! full-width digits and units (`1,234`, `１２３４`, `1200平方米`, `1.2万`),
//! and dates by year, month or day (`2019年`, `2021年6月`, `2019/5/1`).
//!
//! Each is read exactly: a number in 万 m² becomes the m² it stands for by
//! moving its decimal point, never by a multiplication that could round.
//! What cannot be read exactly (`约6000`, `2021.1`) is refused with the
//! text as written.

use std::borrow::Cow;

use super::header::Scale;
use crate::carrier::{Column, ReadNote, RejectReason};
use crate::json::Json;
use crate::spelling::{fold, half_width};

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

impl std::fmt::Display for Cell<'_> {
    /// The cell's text: empty, as written, or a number's shortest text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Empty => Ok(()),
            Cell::Text(text) => f.write_str(text),
            Cell::Number(x) => f.write_str(&number_text(*x)),
            Cell::Date(text) | Cell::Other(text) => f.write_str(text),
        }
    }
}

/// The value of a cell of `column`, whose header scales it by 10^`scale`,
/// as the JSON property a GeoJSON feature would hold (`None` for an empty
/// cell), and the note to make when the cell carried a unit of its own.
///
/// # Errors
///
/// An approximate figure, an ambiguous date or unit (see [`number`] and
/// [`date`]), with the property's name.
pub(crate) fn value(
    column: Column,
    scale: Scale,
    cell: &Cell,
    header: &str,
) -> Result<(Option<Json>, Option<ReadNote>), RejectReason> {
    let property = column.as_str();
    let quantity = match column {
        Column::FloorAreaM2 => Quantity::Area,
        Column::Enterprises | Column::TechEnterprises => Quantity::Count,
        Column::Lon | Column::Lat => Quantity::Plain,
        Column::Opened | Column::Closed => return Ok((date_value(cell, property)?, None)),
        _ => return Ok((text_value(cell), None)),
    };
    match cell {
        Cell::Text(s) => {
            let Some(read) = number(s, quantity, scale, property)? else {
                return Ok((None, None));
            };
            let note = read.own_unit.then(|| ReadNote::CellUnits {
                column: header.to_string(),
                property: column,
                cells: 1,
                example: s.trim().to_string(),
            });
            Ok((Some(read.value), note))
        }
        Cell::Number(x) => Ok((Some(scaled(*x, scale)), None)),
        other => Ok((text_value(other), None)),
    }
}

/// A text property: the trimmed text, or a number's shortest text.
pub(crate) fn text_value(cell: &Cell) -> Option<Json> {
    match cell {
        Cell::Empty => None,
        Cell::Text(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(Json::from),
        Cell::Number(x) => Some(Json::Str(number_text(*x))),
        Cell::Date(s) | Cell::Other(s) => Some(Json::Str(s.clone())),
    }
}

/// A date property: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` text, from the forms
/// registers write (see [`date`]), a year (or `YYYY.MM`) as a number, or a
/// spreadsheet date.
fn date_value(cell: &Cell, property: &'static str) -> Result<Option<Json>, RejectReason> {
    let text = match cell {
        Cell::Number(x) if x.fract() == 0.0 && (1.0..=9999.0).contains(x) => {
            return Ok(Some(Json::Str(format!("{x:04}"))))
        }
        Cell::Number(x) => x.to_string(),
        Cell::Text(s) => s.trim().to_string(),
        other => return Ok(text_value(other)),
    };
    if text.is_empty() {
        return Ok(None);
    }
    Ok(Some(Json::Str(date(&text, property)?.unwrap_or(text))))
}

/// A number's shortest text: `1001`, not `1001.0`.
fn number_text(x: f64) -> String {
    match json_number(x) {
        Json::UInt(n) => n.to_string(),
        _ => x.to_string(),
    }
}

/// What a numeric column measures, which decides the units its cells may
/// carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quantity {
    /// Floor area: m² (平方米, ㎡, 平米), 万 m², hectares.
    Area,
    /// Enterprises: 家, 个, 户, 项.
    Count,
    /// A coordinate or other plain number: no unit.
    Plain,
}

/// Units a cell may end in, longest first within each quantity, as
/// [`fold`] leaves them, with their scale.
const AREA_UNITS: &[(&str, Scale)] = &[
    ("万平方米", 4),
    ("万平米", 4),
    ("万㎡", 4),
    ("万m²", 4),
    ("万m2", 4),
    ("平方米", 0),
    ("平米", 0),
    ("公顷", 4),
    ("hm²", 4),
    ("hm2", 4),
    ("㎡", 0),
    ("m²", 0),
    ("m2", 0),
];
const COUNT_UNITS: &[(&str, Scale)] = &[
    ("万家", 4),
    ("万个", 4),
    ("万户", 4),
    ("家", 0),
    ("个", 0),
    ("户", 0),
    ("项", 0),
];

/// Words that make a figure approximate: about, nearly, more than, or so.
const APPROXIMATE: &[&str] = &[
    "约",
    "大约",
    "近",
    "超",
    "逾",
    "余",
    "多",
    "左右",
    "上下",
    "以上",
    "以下",
    "许",
    "不少于",
    "不低于",
    "不足",
    "至少",
    "大于",
    "小于",
];

/// A number cell read: its value, and whether the cell carried a unit or
/// multiplier of its own.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Number {
    pub value: Json,
    pub own_unit: bool,
}

/// The number `text` stands for in a column of `quantity` whose header
/// scales it by `scale` (10^scale): `None` for an empty cell; text that is
/// no number is kept (as [`Json::Str`]) for the message of the check that
/// needs a number.
///
/// # Errors
///
/// A figure that is approximate (`约6000`, `6000左右`, `>5000`,
/// `5000-6000`), or a `万` in a column already in 万.
pub(crate) fn number(
    text: &str,
    quantity: Quantity,
    scale: Scale,
    property: &'static str,
) -> Result<Option<Number>, RejectReason> {
    // Most cells are a plain decimal: read without folding.
    let trimmed = text.trim();
    let plain = trimmed.strip_prefix('-').unwrap_or(trimmed);
    let plain = !plain.is_empty()
        && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && plain.bytes().filter(|&b| b == b'.').count() <= 1
        && plain != ".";
    if plain {
        let value = match scale {
            0 => json_number_text(trimmed),
            _ => json_number_text(&shift(trimmed, scale)),
        };
        return Ok(Some(Number {
            value,
            own_unit: false,
        }));
    }
    let folded = fold(text);
    if folded.is_empty() {
        return Ok(None);
    }
    let approximate = || RejectReason::ApproximateValue {
        property: Cow::Borrowed(property),
        found: text.trim().to_string(),
    };
    let marked = APPROXIMATE.iter().any(|w| folded.contains(w))
        || folded.starts_with(['~', '≈', '>', '<', '≥', '≤', '～'])
        || folded.ends_with('+');
    if quantity != Quantity::Plain && marked {
        return Err(approximate());
    }
    let units = match quantity {
        Quantity::Area => AREA_UNITS,
        Quantity::Count => COUNT_UNITS,
        Quantity::Plain => &[],
    };
    let (figure, own) = match units.iter().find(|(u, _)| folded.ends_with(u)) {
        Some((unit, scale)) => (&folded[..folded.len() - unit.len()], Some(*scale)),
        None if quantity != Quantity::Plain && folded.ends_with('万') => {
            (&folded[..folded.len() - '万'.len_utf8()], Some(4))
        }
        None => (folded.as_str(), None),
    };
    if own.is_some() && scale > 0 && !units.iter().any(|(u, _)| folded.ends_with(u)) {
        return Err(RejectReason::WrongType {
            property: Cow::Borrowed(property),
            expected: "a number",
            found: format!("{:?}", text.trim()),
            hint: Some("the column is in 万 already: write the figure without 万".into()),
        });
    }
    if quantity != Quantity::Plain && is_range(figure) {
        return Err(approximate());
    }
    let scale = own.unwrap_or(scale);
    let Some(decimal) = decimal(figure) else {
        // Not a number: kept for the check's message.
        return Ok(Some(Number {
            value: Json::Str(text.trim().to_string()),
            own_unit: false,
        }));
    };
    Ok(Some(Number {
        value: json_number_text(&shift(&decimal, scale)),
        own_unit: own.is_some(),
    }))
}

/// A spreadsheet's number cell in a column scaled by 10^`scale`, read
/// exactly: through its shortest decimal text.
pub(crate) fn scaled(x: f64, scale: Scale) -> Json {
    if scale == 0 || !x.is_finite() {
        return json_number(x);
    }
    json_number_text(&shift(&x.to_string(), scale))
}

/// Whether `figure` is two numbers joined by a dash, tilde or 至: a range.
fn is_range(figure: &str) -> bool {
    let body = figure.strip_prefix(['-', '+']).unwrap_or(figure);
    body.split_once(['-', '~', '～', '至'])
        .is_some_and(|(a, b)| decimal(a).is_some() && decimal(b).is_some())
}

/// `figure` as a plain decimal (`-1234.5`), without its thousands
/// separators; `None` unless it is one, or a number in another form that
/// parses as a finite `f64` (`1e3`), given as its shortest decimal text.
fn decimal(figure: &str) -> Option<String> {
    let ungrouped = ungrouped(figure);
    let s = ungrouped.as_deref().unwrap_or(figure);
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !body.is_empty() && body != "." && digits(whole) && digits(fraction) {
        return Some(s.strip_prefix('+').unwrap_or(s).to_string());
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x.to_string()),
        _ => None,
    }
}

/// `1,234,567.5` without its separators; `None` unless the commas group
/// every three digits of the whole part.
pub(crate) fn ungrouped(s: &str) -> Option<String> {
    let whole = s.split_once('.').map_or(s, |(whole, _)| whole);
    let whole = whole.strip_prefix('-').unwrap_or(whole);
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped = whole.contains(',')
        && digits(first)
        && first.len() <= 3
        && groups.all(|g| g.len() == 3 && digits(g));
    grouped.then(|| s.replace(',', ""))
}

/// A plain decimal with its point moved `scale` places right:
/// `shift("0.1234", 4)` is `1234`.
fn shift(decimal: &str, scale: Scale) -> String {
    let (sign, body) = match decimal.strip_prefix('-') {
        Some(body) => ("-", body),
        None => ("", decimal),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let scale = usize::from(scale);
    let mut digits = String::with_capacity(whole.len() + scale + 1);
    digits.push_str(whole);
    let moved = fraction.len().min(scale);
    digits.push_str(&fraction[..moved]);
    digits.extend(std::iter::repeat_n('0', scale - moved));
    let rest = &fraction[moved..];
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    match rest.is_empty() {
        true => format!("{sign}{digits}"),
        false => format!("{sign}{digits}.{rest}"),
    }
}

/// The JSON number a decimal text stands for: whole numbers as integers.
fn json_number_text(decimal: &str) -> Json {
    match decimal.parse::<u64>() {
        Ok(n) => Json::UInt(n),
        Err(_) => decimal
            .parse::<f64>()
            .map_or_else(|_| Json::Str(decimal.to_string()), json_number),
    }
}

/// A number as JSON would hold it: whole numbers as integers.
pub(crate) fn json_number(x: f64) -> Json {
    if x.fract() == 0.0 && (0.0..u64::MAX as f64).contains(&x) {
        Json::UInt(x as u64)
    } else {
        Json::Float(x)
    }
}

/// A date as registers write it, in the form [`crate::date::RecordDate`]
/// parses: `2019年` and `2019` as `2019`; `2021年6月`, `2021-06`,
/// `2021/6` and `2021.06` as `2021-06`; `2019年5月1日`, `2019/5/1`,
/// `2019.5.1` and `2019-5-1` (any of them followed by a time) as
/// `2019-05-01`. Full-width digits are read as digits. `None` for any other
/// text, which is then checked as written.
///
/// # Errors
///
/// `YYYY.1`, which could be January, or October written as a number whose
/// last 0 a spreadsheet dropped (`2021.10` is the number `2021.1`).
pub(crate) fn date(text: &str, property: &'static str) -> Result<Option<String>, RejectReason> {
    let text = text.trim();
    // Most dates are already written as they are read.
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let iso = match text.len() {
        4 => plain(text),
        10 => {
            let b = text.as_bytes();
            b[4] == b'-'
                && b[7] == b'-'
                && plain(&text[..4])
                && plain(&text[5..7])
                && plain(&text[8..])
        }
        _ => false,
    };
    if iso {
        return Ok(Some(text.to_string()));
    }
    let text: String = text.chars().map(half_width).collect();
    let day = text.split([' ', 'T']).next().unwrap_or(&text);
    let parts: Vec<&str> = day
        .trim_end_matches('日')
        .trim_end_matches('号')
        .trim_end_matches('月')
        .trim_end_matches('年')
        .split(['年', '月', '/', '.', '-'])
        .collect();
    let digits = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(digits) || parts[0].len() != 4 {
        return Ok(None);
    }
    let two = |p: &str| p.len() <= 2;
    match parts[..] {
        [year] => Ok(Some(year.to_string())),
        [year, "1"] if day.contains('.') => Err(RejectReason::AmbiguousDate {
            property: Cow::Borrowed(property),
            found: text.trim().to_string(),
            year: year.parse().unwrap_or_default(),
        }),
        [year, month] if two(month) => Ok(Some(format!("{year}-{month:0>2}"))),
        [year, month, day] if two(month) && two(day) => {
            Ok(Some(format!("{year}-{month:0>2}-{day:0>2}")))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(text: &str, scale: Scale) -> Result<Option<(Json, bool)>, String> {
        number(text, Quantity::Area, scale, "floor_area_m2")
            .map(|n| n.map(|n| (n.value, n.own_unit)))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_are_read_as_registers_write_them() {
        let ok = |x: Json| Ok(Some((x, false)));
        let own = |x: Json| Ok(Some((x, true)));
        assert_eq!(area(" 1200 ", 0), ok(Json::UInt(1200)));
        assert_eq!(area("1200.5", 0), ok(Json::Float(1200.5)));
        assert_eq!(area("1,234", 0), ok(Json::UInt(1234)));
        assert_eq!(area("1,234,567.5", 0), ok(Json::Float(1234567.5)));
        assert_eq!(area("１２３４", 0), ok(Json::UInt(1234)));
        assert_eq!(area("１，２３４．５", 0), ok(Json::Float(1234.5)));
        assert_eq!(area("1200平方米", 0), own(Json::UInt(1200)));
        assert_eq!(area("1200 ㎡", 0), own(Json::UInt(1200)));
        assert_eq!(area("1200M2", 0), own(Json::UInt(1200)));
        assert_eq!(area("1.2万", 0), own(Json::UInt(12000)));
        assert_eq!(area("0.35万平方米", 0), own(Json::UInt(3500)));
        assert_eq!(area("1.5公顷", 0), own(Json::UInt(15000)));
        assert_eq!(area("0.1234", 4), ok(Json::UInt(1234)));
        assert_eq!(area("0.12345678", 4), ok(Json::Float(1234.5678)));
        assert_eq!(area("1200平方米", 4), own(Json::UInt(1200)));
        assert_eq!(area("-3", 0), ok(Json::Float(-3.0)));
        assert_eq!(area("", 0), Ok(None));
        assert_eq!(area("12a", 0), ok(Json::from("12a")));
        assert_eq!(area("1,5", 0), ok(Json::from("1,5")));
        assert_eq!(area("NaN", 0), ok(Json::from("NaN")));
    }

    #[test]
    fn approximate_figures_are_refused_as_written() {
        for text in [
            "约6000",
            "6000左右",
            ">5000",
            "≥5000",
            "6000多",
            "5000-6000",
            "近1万",
            "6000+",
        ] {
            assert_eq!(
                area(text, 0),
                Err(format!(
                    "floor_area_m2 is approximate ({:?}): a register total needs the exact figure",
                    text
                )),
                "{text}"
            );
        }
        assert!(area("1.2万", 4).unwrap_err().contains("in 万 already"));
        let count = |text| {
            number(text, Quantity::Count, 0, "enterprises")
                .unwrap()
                .unwrap()
        };
        assert_eq!(count("12家").value, Json::UInt(12));
        assert_eq!(count("3个").value, Json::UInt(3));
        assert!(number("约50家", Quantity::Count, 0, "enterprises").is_err());
    }

    #[test]
    fn scaling_moves_the_decimal_point() {
        for (text, scale, shifted) in [
            ("0.1234", 4, "1234"),
            ("12", 4, "120000"),
            ("0.00001", 4, "0.1"),
            ("-1.5", 4, "-15000"),
            ("1.23456789", 4, "12345.6789"),
            ("7", 0, "7"),
        ] {
            assert_eq!(shift(text, scale), shifted, "{text}");
        }
        assert_eq!(scaled(0.1234, 4), Json::UInt(1234));
        assert_eq!(scaled(0.12345678, 4), Json::Float(1234.5678));
        assert_eq!(scaled(1200.5, 0), Json::Float(1200.5));
    }

    #[test]
    fn dates_are_read_in_their_usual_forms() {
        for (written, read) in [
            ("2019年", Some("2019")),
            ("2019年5月1日", Some("2019-05-01")),
            ("2019/5/1", Some("2019-05-01")),
            ("2019.05.01", Some("2019-05-01")),
            ("2019-05-01 00:00:00", Some("2019-05-01")),
            ("2019", Some("2019")),
            ("２０１９", Some("2019")),
            ("2021年6月", Some("2021-06")),
            ("2021.6", Some("2021-06")),
            ("2021-06", Some("2021-06")),
            ("2021/6", Some("2021-06")),
            ("2021.10", Some("2021-10")),
            ("2021年1月", Some("2021-01")),
            ("19/5/1", None),
            ("soon", None),
        ] {
            assert_eq!(
                date(written, "opened").unwrap().as_deref(),
                read,
                "{written}"
            );
        }
        assert_eq!(
            date("2021.1", "opened").unwrap_err().to_string(),
            "opened \"2021.1\" could be January or October 2021 (a spreadsheet writes 2021.10 \
             as 2021.1): write 2021-01 or 2021-10"
        );
    }
}
