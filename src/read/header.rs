//! Headers as registers write them: the carrier property a column (or a
//! GeoJSON property) gives, and the unit its values are in.
//!
//! One vocabulary serves CSV and Excel headers and the property names of
//! GeoJSON files exported from a table (QGIS keeps a layer's Chinese field
//! names). A header is compared without spaces, ASCII case and full-width
//! forms (`Ｉｄ` is `id`); a unit or note in brackets after it
//! (`建筑面积（万平方米）`) is taken apart from the name.

use std::borrow::Cow;

use super::ReadOptions;
use crate::carrier::Column;
use crate::spelling::fold;

/// The headers each column is found by, folded ([`fold`]).
const HEADERS: &[(&str, Column)] = &[
    ("id", Column::Id),
    ("编号", Column::Id),
    ("序号", Column::Id),
    ("载体编号", Column::Id),
    ("name", Column::Name),
    ("名称", Column::Name),
    ("载体名称", Column::Name),
    ("孵化载体名称", Column::Name),
    ("众创空间名称", Column::Name),
    ("孵化器名称", Column::Name),
    ("kind", Column::Kind),
    ("类型", Column::Kind),
    ("载体类型", Column::Kind),
    ("孵化载体类型", Column::Kind),
    ("category", Column::Category),
    ("类别", Column::Category),
    ("载体类别", Column::Category),
    ("level", Column::Level),
    ("级别", Column::Level),
    ("认定级别", Column::Level),
    ("载体级别", Column::Level),
    ("floor_area_m2", Column::FloorAreaM2),
    ("floor_area", Column::FloorAreaM2),
    ("面积", Column::FloorAreaM2),
    ("建筑面积", Column::FloorAreaM2),
    ("载体面积", Column::FloorAreaM2),
    ("场地面积", Column::FloorAreaM2),
    ("孵化面积", Column::FloorAreaM2),
    ("孵化场地面积", Column::FloorAreaM2),
    ("enterprises", Column::Enterprises),
    ("在孵企业", Column::Enterprises),
    ("在孵企业和团队", Column::Enterprises),
    ("在孵企业及团队", Column::Enterprises),
    ("在孵企业数", Column::Enterprises),
    ("在孵企业数量", Column::Enterprises),
    ("在孵企业和团队数", Column::Enterprises),
    ("tech_enterprises", Column::TechEnterprises),
    ("科技型企业", Column::TechEnterprises),
    ("科技型企业数", Column::TechEnterprises),
    ("科技型企业数量", Column::TechEnterprises),
    ("opened", Column::Opened),
    ("认定时间", Column::Opened),
    ("认定年份", Column::Opened),
    ("认定日期", Column::Opened),
    ("认定年度", Column::Opened),
    ("closed", Column::Closed),
    ("摘牌时间", Column::Closed),
    ("摘牌年份", Column::Closed),
    ("摘牌日期", Column::Closed),
    ("overlay", Column::Overlay),
    ("功能区", Column::Overlay),
    ("所属功能区", Column::Overlay),
    ("所在功能区", Column::Overlay),
    ("district", Column::District),
    ("所在区县", Column::District),
    ("所属区县", Column::District),
    ("区县", Column::District),
    ("所在区域", Column::District),
    ("区(县)", Column::District),
    ("所在区(县)", Column::District),
    ("所属区(县)", Column::District),
    ("区县名称", Column::District),
    ("行政区", Column::District),
    ("address", Column::Address),
    ("地址", Column::Address),
    ("详细地址", Column::Address),
    ("载体地址", Column::Address),
    ("所在地址", Column::Address),
    ("注册地址", Column::Address),
    ("办公地址", Column::Address),
    ("运营地址", Column::Address),
    ("场地地址", Column::Address),
    ("town", Column::Town),
    ("街道", Column::Town),
    ("乡镇", Column::Town),
    ("街镇", Column::Town),
    ("镇街", Column::Town),
    ("所在街道", Column::Town),
    ("所在乡镇", Column::Town),
    ("所在街镇", Column::Town),
    ("所在镇街", Column::Town),
    ("所属街道", Column::Town),
    ("所属乡镇", Column::Town),
    ("街道(乡镇)", Column::Town),
    ("乡镇(街道)", Column::Town),
    ("所在街道(乡镇)", Column::Town),
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
    /// The column a header names by default, if any. Headers are compared
    /// without surrounding or inner spaces, ASCII case, full-width forms
    /// or a unit or note in brackets: `建筑面积（m²）`, `Floor_Area_m2` and
    /// `区（县）` are found.
    pub fn named(header: &str) -> Option<Column> {
        Header::parse(header, &ReadOptions::default()).map(|h| h.column)
    }
}

/// A power of ten that values are multiplied by to read them in the
/// property's unit: 4 for 万平方米 (10,000 m²).
pub(crate) type Scale = u8;

/// A header found: the column it gives, and what its brackets say.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub column: Column,
    /// The unit named in brackets, as written, and its scale; `None` when
    /// the brackets name none (or there are none).
    pub unit: Option<(String, Scale)>,
}

/// Why a header cannot be used as found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnknownUnit {
    pub header: String,
    pub unit: String,
    pub column: Column,
}

impl Header {
    /// The column `header` gives (as the caller maps it, in
    /// [`ReadOptions::headers`] and [`ReadOptions::coordinate_columns`],
    /// else by the vocabulary), with its unit.
    pub(crate) fn parse(header: &str, options: &ReadOptions) -> Option<Header> {
        Header::checked(header, options).and_then(Result::ok)
    }

    /// As [`Header::parse`], but an unknown unit in the brackets of a
    /// measured column is an error, not a column without a unit.
    pub(crate) fn checked(
        header: &str,
        options: &ReadOptions,
    ) -> Option<Result<Header, UnknownUnit>> {
        let folded = fold(header);
        let (name, bracket) = split_bracket(&folded);
        let own = |key: &str| {
            let coordinates = options.coordinate_columns.as_ref();
            let coordinate = coordinates.and_then(|(lon, lat)| {
                if fold(lon) == key {
                    Some(Column::Lon)
                } else if fold(lat) == key {
                    Some(Column::Lat)
                } else {
                    None
                }
            });
            let mapped = options.headers.iter().find(|(h, _)| fold(h) == key);
            mapped.map(|&(_, column)| column).or(coordinate)
        };
        let known = |key: &str| HEADERS.iter().find(|(h, _)| *h == key).map(|&(_, c)| c);
        // The whole header first (`区(县)`), then its name without the
        // brackets (`建筑面积`).
        if let Some(column) = own(&folded).or_else(|| known(&folded)) {
            return Some(Ok(Header { column, unit: None }));
        }
        let bracket = bracket?;
        let column = own(name).or_else(|| known(name))?;
        Some(match unit_of(column, bracket) {
            Ok(unit) => Ok(Header { column, unit }),
            Err(()) => Err(UnknownUnit {
                header: header.trim().to_string(),
                unit: bracket.to_string(),
                column,
            }),
        })
    }
}

/// The columns a header the vocabulary does not hold resembles: those
/// of the known headers its name contains (`在孵企业及团队数` holds
/// `在孵企业`), with the unit its brackets name, if any. Short ASCII
/// names (`x`, `id`) are left out: too many words contain them.
pub(crate) fn resembles(header: &str) -> Vec<(Column, Option<(String, Scale)>)> {
    let folded = fold(header);
    // Brackets anywhere hold a unit or a note: `孵化面积(平方米)合计`.
    let (mut name, mut bracket) = (String::new(), None);
    let mut depth = 0;
    let mut inner = String::new();
    for c in folded.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    bracket.get_or_insert(std::mem::take(&mut inner));
                }
            }
            c if depth > 0 => inner.push(c),
            c => name.push(c),
        }
    }
    let mut columns: Vec<(Column, Option<(String, Scale)>)> = Vec::new();
    for &(known, column) in HEADERS {
        let long_enough = !known.is_ascii() || known.len() >= 5;
        if long_enough && name.contains(known) && !columns.iter().any(|(c, _)| *c == column) {
            let unit = bracket
                .as_deref()
                .and_then(|b| unit_of(column, b).ok().flatten());
            columns.push((column, unit));
        }
    }
    columns
}

/// Whether `header` is one of those the caller asked not to read.
pub(crate) fn is_ignored(header: &str, options: &ReadOptions) -> bool {
    let folded = fold(header);
    options.ignored.iter().any(|h| fold(h) == folded)
}

/// The unit `bracket` names for a column: `Ok(None)` when the column has
/// no unit to scale or the brackets hold a note rather than a unit (a
/// date: `（2023年）`); `Err` for an unknown unit of a measured column.
fn unit_of(column: Column, bracket: &str) -> Result<Option<(String, Scale)>, ()> {
    let written = bracket.to_string();
    match column {
        Column::FloorAreaM2 => match area_unit(bracket) {
            Some(scale) => Ok(Some((written, scale))),
            None if is_note(bracket) => Ok(None),
            None => Err(()),
        },
        Column::Enterprises | Column::TechEnterprises => match count_unit(bracket) {
            Some(scale) => Ok(Some((written, scale))),
            None if is_note(bracket) => Ok(None),
            None => Err(()),
        },
        // Coordinates, dates and text have no unit to scale: `经度（°）`,
        // `认定时间（年）`, `名称（全称）`.
        _ => Ok(None),
    }
}

/// Brackets that qualify a column rather than give its unit: a date or a
/// period (`2023年`, `截至2023年底`).
fn is_note(bracket: &str) -> bool {
    bracket
        .chars()
        .any(|c| c.is_ascii_digit() || "年月日底".contains(c))
}

/// The scale of a floor-area unit, as folded: m² and its names (0), 万 m²
/// and hectares (4).
pub(crate) fn area_unit(unit: &str) -> Option<Scale> {
    match unit {
        "m²" | "m2" | "m^2" | "㎡" | "平方米" | "平米" | "sqm" => Some(0),
        "万m²" | "万m2" | "万㎡" | "万平方米" | "万平米" | "hm²" | "hm2" | "公顷" | "ha" => {
            Some(4)
        }
        _ => None,
    }
}

/// The scale of a count unit, as folded: 家, 个, 户, 项 (0), and 万 of
/// them (4).
pub(crate) fn count_unit(unit: &str) -> Option<Scale> {
    match unit {
        "家" | "个" | "户" | "项" | "家/个" | "个/家" => Some(0),
        "万家" | "万个" | "万户" => Some(4),
        _ => None,
    }
}

/// A folded header's name and the text of a trailing bracket (`(…)` or
/// `[…]`), or of what follows a slash (`面积/万平方米`).
fn split_bracket(folded: &str) -> (&str, Option<&str>) {
    if let Some(inner) = folded
        .strip_suffix(')')
        .or_else(|| folded.strip_suffix(']'))
    {
        if let Some(open) = inner.rfind(['(', '[']).filter(|&i| i > 0) {
            return (&inner[..open], Some(&inner[open + 1..]));
        }
    }
    match folded.rsplit_once('/') {
        Some((name, unit)) if !name.is_empty() && !unit.is_empty() => (name, Some(unit)),
        _ => (folded, None),
    }
}

/// The name `column` has in `headers` (each header with its column), for
/// messages: the header as the file writes it, else the property's name.
pub(crate) fn name_of(headers: &[(Column, String)], property: &str) -> Cow<'static, str> {
    let column = Column::of_property(property);
    let found = headers.iter().find(|(c, _)| Some(*c) == column);
    match found {
        Some((_, header)) => Cow::Owned(header.clone()),
        None => match column {
            Some(column) => Cow::Borrowed(column.as_str()),
            None => Cow::Owned(property.to_string()),
        },
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
            ("所属区县", Column::District),
            ("区（县）", Column::District),
            ("区(县)", Column::District),
            ("在孵企业和团队", Column::Enterprises),
            ("在孵企业（家）", Column::Enterprises),
            ("摘牌时间", Column::Closed),
            ("序号", Column::Id),
            ("孵化载体名称", Column::Name),
            ("认定级别", Column::Level),
            ("ＩＤ", Column::Id),
            ("经度（°）", Column::Lon),
            ("名称【全称】", Column::Name),
        ] {
            assert_eq!(Column::named(header), Some(column), "{header}");
        }
        assert_eq!(Column::named("详细地址"), Some(Column::Address));
        assert_eq!(Column::named("所在街道（镇）"), Some(Column::Town));
        assert_eq!(Column::named("街道（乡镇）"), Some(Column::Town));
        let columns = |h: &str| resembles(h).into_iter().map(|(c, _)| c).collect::<Vec<_>>();
        assert_eq!(columns("在孵企业及团队数"), [Column::Enterprises]);
        assert_eq!(
            columns("其中：科技型企业数（家）"),
            [Column::TechEnterprises]
        );
        assert_eq!(
            resembles("孵化面积（万平方米）合计")[0].1,
            Some(("万平方米".into(), 4))
        );
        assert_eq!(columns("运营机构名称"), [Column::Name]);
        assert_eq!(
            columns("面积与在孵企业"),
            [Column::FloorAreaM2, Column::Enterprises]
        );
        assert_eq!(columns("index"), []);
        assert_eq!(Column::named("(m²)"), None);
    }

    #[test]
    fn a_unit_in_brackets_scales_the_column() {
        let options = ReadOptions::default();
        let unit = |header: &str| Header::checked(header, &options).unwrap().map(|h| h.unit);
        assert_eq!(
            unit("建筑面积（万平方米）"),
            Ok(Some(("万平方米".into(), 4)))
        );
        assert_eq!(unit("建筑面积(万㎡)"), Ok(Some(("万㎡".into(), 4))));
        assert_eq!(unit("面积/平米"), Ok(Some(("平米".into(), 0))));
        assert_eq!(unit("面积（公顷）"), Ok(Some(("公顷".into(), 4))));
        assert_eq!(unit("面积"), Ok(None));
        assert_eq!(unit("面积（2023年底）"), Ok(None));
        assert_eq!(unit("在孵企业（家）"), Ok(Some(("家".into(), 0))));
        let unknown = Header::checked("建筑面积（亩）", &options)
            .unwrap()
            .unwrap_err();
        assert_eq!(unknown.unit, "亩");
        assert_eq!(unknown.header, "建筑面积（亩）");
        assert!(Header::checked("在孵企业（千家）", &options)
            .unwrap()
            .is_err());
    }

    #[test]
    fn the_callers_headers_come_first() {
        let options = ReadOptions::default().header("名称", Column::Id);
        assert_eq!(Header::parse("名称", &options).unwrap().column, Column::Id);
        let options = ReadOptions::default().header("面积合计", Column::FloorAreaM2);
        let header = Header::parse("面积合计（万平方米）", &options).unwrap();
        assert_eq!(header.unit, Some(("万平方米".into(), 4)));
    }
}
