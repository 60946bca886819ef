//! The check as an Excel workbook (feature `xlsx`): a sheet each for the
//! targets, the zones, the districts, the placed carriers, the rejected
//! rows, the mismatches and the notes on reading the data. A district's
//! view keeps its own targets, its zone and the city, its row, the
//! carriers that count in it, and the mismatches that concern it; the
//! rejected rows and the notes stay the whole file's.

use std::io;

use rust_xlsxwriter::{Workbook, XlsxError};

use super::assignment::input_notes;
use super::district::{concerns, own_targets, NO_TARGET_OF_ITS_OWN};
use super::{describe_declared, remark, Options};
use crate::atlas::{DistrictId, ZoneId};
use crate::compare::Comparison;
use crate::job::CheckedPlan;
use crate::quota::TargetSource;
use crate::tally::Totals;
use crate::write::xlsx::{placed_sheet, Cell, Formats, Sheet};

/// Writes the workbook (see the module docs).
pub(super) fn write_xlsx(
    mut out: impl io::Write,
    checked: &CheckedPlan,
    options: &Options,
) -> io::Result<()> {
    let mut workbook = Workbook::new();
    let mut formats = Formats::new();
    formats.chinese_only = options.lang == super::Lang::Zh;
    sheets(&mut workbook, checked, options, &formats).map_err(io::Error::other)?;
    let bytes = workbook.save_to_buffer().map_err(io::Error::other)?;
    out.write_all(&bytes)
}

fn sheets(
    workbook: &mut Workbook,
    checked: &CheckedPlan,
    options: &Options,
    formats: &Formats,
) -> Result<(), XlsxError> {
    targets(workbook, checked, options, formats)?;
    regions(workbook, checked, options.district, formats)?;
    placed_sheet(workbook, &checked.placed, options.district, formats)?;
    rejections(workbook, checked, formats)?;
    mismatches(workbook, checked, options.district, formats)?;
    notes(workbook, checked, formats)?;
    if options.district.is_none() {
        ranking(workbook, checked, formats)?;
    }
    match &options.comparison {
        Some(c) => changes(workbook, c, formats),
        None => Ok(()),
    }
}

/// The districts ranked ([`crate::compare::ranking`]).
fn ranking(
    workbook: &mut Workbook,
    checked: &CheckedPlan,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let columns = [
        ("名次", "rank"),
        ("代码", "code"),
        ("区县", "district"),
        ("目标完成", "own target reached"),
        ("目标来源", "target source"),
        ("面积（m²）", "floor area m²"),
        ("载体", "carriers"),
        ("规划以来增长（m²）", "growth since the plan's start m²"),
    ];
    let mut sheet = Sheet::new(workbook, "排名 ranking", &columns, formats)?;
    for r in crate::compare::ranking(checked) {
        let source = r
            .source
            .as_ref()
            .map_or_else(|| "—".to_string(), |s| s.zh());
        sheet.row(
            &[
                Cell::Whole(r.rank as f64),
                Cell::Text(&r.code),
                Cell::Text(&r.name),
                r.share
                    .map_or(Cell::Text("—"), |p| Cell::Percent(p / 100.0)),
                Cell::Text(&source),
                Cell::Decimal(r.floor_area_m2),
                Cell::Whole(r.carriers as f64),
                Cell::Decimal(r.growth_m2),
            ],
            formats,
        )?;
    }
    sheet.finish()
}

/// What changed since the earlier check: a row per target, then per
/// region, then per carrier that entered or left.
fn changes(workbook: &mut Workbook, c: &Comparison, formats: &Formats) -> Result<(), XlsxError> {
    let columns = [
        ("类别", "what"),
        ("代码", "id or code"),
        ("名称", "name"),
        ("之前", "before"),
        ("现在", "now"),
        ("变化", "change"),
        ("载体变化", "carriers change"),
        ("在孵企业变化", "enterprises change"),
    ];
    let mut sheet = Sheet::new(workbook, "变化 changes", &columns, formats)?;
    let title = super::changes::title(c);
    sheet.row(&[Cell::Text("比较 compared"), Cell::Text(&title)], formats)?;
    let number = |x: Option<f64>| x.map_or(Cell::Text("—"), Cell::Decimal);
    for t in &c.targets {
        sheet.row(
            &[
                Cell::Text("目标 target"),
                Cell::Text(&t.id),
                Cell::Text(&t.name),
                number(t.old),
                number(t.new),
                number(t.change),
                Cell::Text("—"),
                Cell::Text("—"),
            ],
            formats,
        )?;
    }
    for r in &c.regions {
        sheet.row(
            &[
                Cell::Text(r.level),
                Cell::Text(&r.code),
                Cell::Text(&r.name),
                Cell::Decimal(r.old.floor_area_m2()),
                Cell::Decimal(r.new.floor_area_m2()),
                Cell::Decimal(r.floor_area_m2()),
                Cell::Whole(r.carriers() as f64),
                Cell::Whole(r.enterprises() as f64),
            ],
            formats,
        )?;
    }
    let carriers = (c.entered.iter().map(|e| ("新增 entered", 1.0, e)))
        .chain(c.left.iter().map(|l| ("退出 left", -1.0, l)));
    for (what, sign, e) in carriers {
        let name = format!("{}（{}）", e.name.as_deref().unwrap_or(""), e.place);
        let (before, now) = match sign > 0.0 {
            true => (0.0, e.floor_area_m2),
            false => (e.floor_area_m2, 0.0),
        };
        sheet.row(
            &[
                Cell::Text(what),
                Cell::Text(&e.id),
                Cell::Text(&name),
                Cell::Decimal(before),
                Cell::Decimal(now),
                Cell::Decimal(sign * e.floor_area_m2),
                Cell::Whole(sign),
                Cell::Whole(sign * f64::from(e.enterprises)),
            ],
            formats,
        )?;
    }
    sheet.finish()
}

/// How the data was read, a note a row (see `write_input_notes`).
fn notes(
    workbook: &mut Workbook,
    checked: &CheckedPlan,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(
        workbook,
        "说明 notes",
        &[("读取说明", "how the data was read")],
        formats,
    )?;
    let report = &checked.report;
    let counted =
        std::iter::once(report.counted.to_string()).chain(report.counted.left_out_lines());
    let notes = (report.target_notes.iter().cloned())
        .chain(counted)
        .chain(input_notes(checked.placed.atlas(), &report.input));
    for note in notes {
        sheet.row(&[Cell::Text(&note)], formats)?;
    }
    sheet.finish()
}

fn targets(
    workbook: &mut Workbook,
    checked: &CheckedPlan,
    options: &Options,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let (report, atlas) = (&checked.report, checked.placed.atlas());
    let shown = match options.district {
        Some(id) => own_targets(report, atlas, id),
        None => report.targets.iter().collect(),
    };
    let mut sheet = Sheet::new(
        workbook,
        "目标 targets",
        &[
            ("目标", "id"),
            ("名称", "name"),
            ("英文名称", "name (English)"),
            ("要求", "required"),
            ("实际", "actual"),
            ("差距", "gap"),
            ("完成", "done"),
            ("起点", "baseline"),
            ("应达", "expected"),
            ("期限", "deadline"),
            ("状态", "status"),
            ("说明", "reason or note"),
            ("所属目标", "part of"),
            ("区县", "district"),
            ("来源", "source"),
            ("截至", "as of"),
            ("数据", "data"),
        ],
        formats,
    )?;
    let data = options
        .source
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    if shown.is_empty() {
        sheet.row(&[Cell::Text(NO_TARGET_OF_ITS_OWN)], formats)?;
    }
    for t in shown {
        let number = |x: Option<f64>| x.map_or(Cell::Empty, Cell::Whole);
        let note = remark(t);
        let source = match &t.source {
            TargetSource::Plan => format!("{} {}", t.source.zh(), report.plan),
            other => format!("{} — {}", other.zh(), other.en()),
        };
        let district = t
            .district
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default();
        sheet.row(
            &[
                Cell::Text(&t.id),
                Cell::Text(&t.name),
                Cell::Text(t.name_en.as_deref().unwrap_or("")),
                Cell::Whole(t.required),
                number(t.actual),
                number(t.gap),
                t.percent.map_or(Cell::Empty, |p| Cell::Percent(p / 100.0)),
                number(t.baseline),
                number(t.expected),
                Cell::Date(t.deadline),
                Cell::Text(match formats.chinese_only {
                    true => t.status.zh(),
                    false => t.status.as_str(),
                }),
                Cell::Text(&note),
                Cell::Text(t.part_of.as_deref().unwrap_or("")),
                Cell::Text(&district),
                Cell::Text(&source),
                Cell::Date(report.as_of),
                Cell::Text(&data),
            ],
            formats,
        )?;
    }
    sheet.finish()
}

const TOTALS: [(&str, &str); 4] = [
    ("载体", "carriers"),
    ("面积（m²）", "floor area m²"),
    ("在孵企业", "enterprises"),
    ("科技型企业", "tech enterprises"),
];

fn totals(t: &Totals) -> [Cell<'static>; 4] {
    [
        Cell::Whole(t.carriers as f64),
        Cell::Decimal(t.floor_area_m2()),
        Cell::Whole(t.enterprises as f64),
        Cell::Whole(t.tech_enterprises as f64),
    ]
}

/// The zones and the city, then every district (or the district's zone
/// and the city, then the district).
fn regions(
    workbook: &mut Workbook,
    checked: &CheckedPlan,
    only: Option<DistrictId>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let (atlas, tally) = (checked.placed.atlas(), &checked.tally);
    let mut columns = vec![
        ("代码", "code"),
        ("名称", "name"),
        ("英文名称", "name (English)"),
    ];
    columns.extend(TOTALS);
    let mut sheet = Sheet::new(workbook, "区域 zones", &columns, formats)?;
    // A district's view keeps its own zone.
    let shown =
        |i: usize| only.is_none_or(|d| atlas.district(d).zone.map(ZoneId::index) == Some(i));
    let zones = (atlas.zones().iter().zip(tally.zones()).enumerate()).filter(|(i, _)| shown(*i));
    for (_, (zone, breakdown)) in zones {
        let mut cells = vec![
            Cell::Text(&zone.code),
            Cell::Text(&zone.name),
            Cell::Text(zone.name_en.as_deref().unwrap_or("")),
        ];
        cells.extend(totals(&breakdown.all));
        sheet.row(&cells, formats)?;
    }
    let mut city = vec![
        Cell::Text("city"),
        Cell::Text(atlas.name()),
        Cell::Text(atlas.name_en().unwrap_or("")),
    ];
    city.extend(totals(&tally.city().all));
    sheet.row(&city, formats)?;
    sheet.finish()?;

    let mut columns = vec![
        ("代码", "code"),
        ("区县", "district"),
        ("英文名称", "name (English)"),
        ("区域", "zone"),
    ];
    columns.extend(TOTALS);
    let mut sheet = Sheet::new(workbook, "区县 districts", &columns, formats)?;
    // Every district, each managed area whose records count in no one
    // district, and the city: the rows add up to it.
    let rows = tally.district_rows(atlas, &checked.areas);
    let shown = rows
        .iter()
        .filter(|r| only.is_none_or(|only| r.district == Some(only)));
    for row in shown {
        let zone = super::zone_name(atlas, row.zone);
        let mut cells = vec![
            Cell::Text(&row.code),
            Cell::Text(&row.name),
            Cell::Text(&row.name_en),
            Cell::Text(&zone),
        ];
        cells.extend(totals(&row.totals));
        sheet.row(&cells, formats)?;
    }
    if only.is_none() {
        let mut city = vec![
            Cell::Text("city"),
            Cell::Text(atlas.name()),
            Cell::Text(atlas.name_en().unwrap_or("")),
            Cell::Text("—"),
        ];
        city.extend(totals(&tally.city().all));
        sheet.row(&city, formats)?;
    }
    sheet.finish()
}

fn rejections(
    workbook: &mut Workbook,
    checked: &CheckedPlan,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let columns = [
        ("行", "row"),
        ("要素", "feature"),
        ("编号", "id"),
        ("原因", "reason"),
    ];
    let mut sheet = Sheet::new(workbook, "拒收 rejected", &columns, formats)?;
    for r in checked.placed.carriers().rejections() {
        let reason = r.reason.to_string();
        sheet.row(
            &[
                r.row.map_or(Cell::Empty, |row| Cell::Whole(row as f64)),
                Cell::Whole(r.index as f64),
                Cell::Text(r.id.as_deref().unwrap_or("")),
                Cell::Text(&reason),
            ],
            formats,
        )?;
    }
    sheet.finish()
}

fn mismatches(
    workbook: &mut Workbook,
    checked: &CheckedPlan,
    only: Option<DistrictId>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let (placed, atlas) = (&checked.placed, checked.placed.atlas());
    let columns = [
        ("行", "row"),
        ("编号", "id"),
        ("登记区县", "district written"),
        ("位置所在", "where it lies"),
    ];
    let mut sheet = Sheet::new(workbook, "区县不符 mismatches", &columns, formats)?;
    let shown = (placed.mismatches().iter()).filter(|m| only.is_none_or(|d| concerns(m, atlas, d)));
    for m in shown {
        let carrier = placed.carriers().get(m.position);
        let written = describe_declared(atlas, &m.written, &m.declared);
        let lies = m.located.map_or("outside every district", |d| {
            atlas.district(d).name.as_str()
        });
        sheet.row(
            &[
                carrier
                    .row()
                    .map_or(Cell::Empty, |row| Cell::Whole(row as f64)),
                Cell::Text(carrier.id()),
                Cell::Text(&written),
                Cell::Text(lies),
            ],
            formats,
        )?;
    }
    sheet.finish()
}
