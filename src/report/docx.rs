//! The report as a Word document (feature `docx`), to edit and forward:
//! the title and date, the count, the targets with their status colours
//! and sources, the map as a picture, the zones and districts, the
//! ranking, the changes of a comparison, and the records left out. Its
//! tables hold the figures the JSON report holds.

use std::io::{self, Cursor};

use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Pic, Run, RunFonts, Shading, Table, TableCell,
    TableLayoutType, TableRow, WidthType,
};

use super::assignment::input_notes;
use super::district::{computed_sentence, own_targets, NO_TARGET_OF_ITS_OWN};
use super::svg::STATUS_COLOURS;
use super::text::thousands;
use super::{cell as number, changes, in_lang, source_legend, Lang, Options};
use crate::job::CheckedPlan;
use crate::quota::{Status, TargetResult};
use crate::tally::Totals;

/// Text width of an A4 page with 2 cm margins, in EMU.
const TEXT_WIDTH_EMU: u32 = 17 * 360_000;
/// The same, in twentieths of a point.
const TEXT_WIDTH_TWIPS: usize = 11_906 - 2 * MARGIN_TWIPS as usize;
/// 2 cm.
const MARGIN_TWIPS: i32 = 1_134;

/// Writes the Word document (see the module docs).
pub(super) fn write_docx(
    mut out: impl io::Write,
    checked: &CheckedPlan,
    options: &Options,
) -> io::Result<()> {
    let lang = options.lang;
    let label = |zh: &str, en: &str| -> String {
        match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
            Lang::Both => format!("{zh} {en}"),
        }
    };
    let (report, atlas) = (&checked.report, checked.placed.atlas());
    let fonts = RunFonts::new()
        .east_asia("Microsoft YaHei")
        .ascii("Arial")
        .hi_ansi("Arial");
    let margin = PageMargin::new()
        .top(MARGIN_TWIPS)
        .bottom(MARGIN_TWIPS)
        .left(MARGIN_TWIPS)
        .right(MARGIN_TWIPS);
    let mut doc = Docx::new().default_fonts(fonts).page_margin(margin);
    doc = doc.add_paragraph(title(&report.plan, 36));
    if let Some(en) = report.plan_en.as_deref().filter(|_| lang != Lang::Zh) {
        doc = doc.add_paragraph(text(en));
    }
    if let Some(id) = options.district {
        let d = atlas.district(id);
        doc = doc.add_paragraph(title(
            &format!("{} {}", label("区县", "District"), d.name),
            28,
        ));
    }
    let data = options
        .source
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    doc = doc.add_paragraph(text(&format!(
        "{} {} ({} {}) · {} {data}",
        label("截至", "as of"),
        report.as_of,
        label("起点", "start"),
        report.start,
        label("数据", "data"),
    )));
    let counted = match lang {
        Lang::Zh => report.counted.zh(),
        _ => report.counted.to_string(),
    };
    doc = doc.add_paragraph(text(&counted));
    for line in super::total_disagreements(checked.placed.carriers()) {
        doc = doc.add_paragraph(text(&line));
    }

    doc = targets_section(doc, checked, options, &label);
    doc = doc.add_paragraph(title(&label("地图", "Map"), 28));
    doc = doc.add_paragraph(map(checked, options));

    doc = doc.add_paragraph(title(&label("区县", "Districts"), 28));
    doc = doc.add_table(districts_table(checked, options, &label));
    if options.district.is_none() {
        doc = doc.add_paragraph(title(&label("区县排名", "Districts ranked"), 28));
        doc = doc.add_table(ranking_table(checked, &label));
    }
    if let Some(c) = &options.comparison {
        doc = doc.add_paragraph(title(&label("变化", "What changed"), 28));
        doc = doc.add_paragraph(text(&changes::title(c)));
        doc = doc.add_table(changes_table(c, &label));
        let carriers = (c.entered.iter().map(|e| changes::carrier_line("+", e)))
            .chain(c.left.iter().map(|l| changes::carrier_line("-", l)));
        for line in carriers {
            doc = doc.add_paragraph(text(&line));
        }
    }
    let left_out = match lang {
        Lang::Zh => report.counted.left_out_lines_zh(),
        _ => report.counted.left_out_lines(),
    };
    doc = doc.add_paragraph(title(&label("未计入记录", "Records not counted"), 28));
    for line in left_out.iter().chain(
        (checked.placed.carriers().rejections().iter())
            .map(|r| format!("rejected: {r}"))
            .collect::<Vec<_>>()
            .iter(),
    ) {
        doc = doc.add_paragraph(text(line));
    }
    let notes = input_notes(atlas, &report.input);
    if !notes.is_empty() {
        doc = doc.add_paragraph(title(&label("读取说明", "How the data was read"), 28));
        for note in notes {
            doc = doc.add_paragraph(text(&note));
        }
    }
    let mut bytes = Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(io::Error::other)?;
    out.write_all(&bytes.into_inner())
}

/// The targets shown (the plan's, or a district's own) with their sources,
/// then the district targets of the whole report.
fn targets_section(
    mut doc: Docx,
    checked: &CheckedPlan,
    options: &Options,
    label: &dyn Fn(&str, &str) -> String,
) -> Docx {
    let (report, atlas, lang) = (&checked.report, checked.placed.atlas(), options.lang);
    let shown: Vec<&TargetResult> = match options.district {
        Some(id) => own_targets(report, atlas, id),
        None => report
            .targets
            .iter()
            .filter(|t| t.part_of.is_none())
            .collect(),
    };
    doc = doc.add_paragraph(title(&label("目标", "Targets"), 28));
    if let Some(sentence) = options
        .district
        .and_then(|id| computed_sentence(&atlas.district(id).name, &shown))
    {
        doc = doc.add_paragraph(text(in_lang(&sentence, lang)));
    }
    match shown.is_empty() {
        true => doc = doc.add_paragraph(text(NO_TARGET_OF_ITS_OWN)),
        false => doc = doc.add_table(targets_table(&shown, label)),
    }
    for line in source_legend(&report.plan, &shown)
        .iter()
        .chain(&report.target_notes)
    {
        doc = doc.add_paragraph(text(in_lang(line, lang)));
    }
    if options.district.is_none() {
        let parts: Vec<&TargetResult> = report
            .targets
            .iter()
            .filter(|t| t.part_of.is_some())
            .collect();
        if !parts.is_empty() {
            doc = doc.add_paragraph(title(&label("区县目标", "District targets"), 28));
            doc = doc.add_table(targets_table(&parts, label));
            for line in source_legend(&report.plan, &parts) {
                doc = doc.add_paragraph(text(in_lang(&line, lang)));
            }
        }
    }

    doc
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s))
}

fn title(s: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s).bold().size(size))
}

/// A cell of text, in the tables' smaller size.
fn cell(s: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(s).size(18)))
}

/// A cell of a figure, aligned right.
fn figure(s: &str) -> TableCell {
    let run = Run::new().add_text(s).size(18);
    TableCell::new().add_paragraph(Paragraph::new().add_run(run).align(AlignmentType::Right))
}

/// A table the width of the text, its header row shaded: the first
/// columns take the shares `wide` gives of the width (they hold names),
/// the others share the rest.
fn table(header: &[String], rows: Vec<Vec<TableCell>>, wide: &[f64]) -> Table {
    let others = header.len().saturating_sub(wide.len()).max(1);
    let rest = 1.0 - wide.iter().sum::<f64>();
    let share = |i: usize| wide.get(i).copied().unwrap_or(rest / others as f64);
    let widths: Vec<usize> = (0..header.len())
        .map(|i| (TEXT_WIDTH_TWIPS as f64 * share(i)) as usize)
        .collect();
    let sized = |cells: Vec<TableCell>| {
        let cells = cells.into_iter().zip(&widths);
        TableRow::new(cells.map(|(c, &w)| c.width(w, WidthType::Dxa)).collect())
    };
    let head = header.iter().map(|h| {
        let run = Run::new().add_text(h).bold().size(18);
        TableCell::new()
            .add_paragraph(Paragraph::new().add_run(run))
            .shading(Shading::new().fill("F4F4F4"))
    });
    let mut all = vec![sized(head.collect())];
    all.extend(rows.into_iter().map(sized));
    Table::new(all)
        .set_grid(widths.clone())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH_TWIPS, WidthType::Dxa)
}

/// A status cell, in its colour, with its words.
fn status_cell(status: Status, label: &dyn Fn(&str, &str) -> String) -> TableCell {
    let colour = STATUS_COLOURS
        .iter()
        .find(|(s, _, _)| *s == status)
        .map_or("#d9d9d9", |(_, colour, _)| colour);
    let words = label(status.zh(), status.as_str());
    cell(&words).shading(Shading::new().fill(colour.trim_start_matches('#')))
}

fn targets_table(targets: &[&TargetResult], label: &dyn Fn(&str, &str) -> String) -> Table {
    let header = [
        label("目标", "target"),
        label("要求", "required"),
        label("实际", "actual"),
        label("差距", "gap"),
        label("完成", "done"),
        label("状态", "status"),
        label("来源", "source"),
    ];
    let rows = targets
        .iter()
        .map(|t| {
            vec![
                cell(&format!("{} ({})", t.name, t.id)),
                figure(&format!(
                    "{}{}",
                    thousands(t.required, 0),
                    t.source.marker()
                )),
                figure(&number(t.actual)),
                figure(&number(t.gap)),
                figure(&t.percent.map_or("—".into(), |p| format!("{p:.1}%"))),
                status_cell(t.status, label),
                cell(&label(&t.source.zh(), &t.source.en())),
            ]
        })
        .collect();
    table(&header, rows, &[0.3])
}

fn totals_cells(t: &Totals) -> [TableCell; 4] {
    [
        figure(&thousands(t.carriers as f64, 0)),
        figure(&thousands(t.floor_area_m2(), 0)),
        figure(&thousands(t.enterprises as f64, 0)),
        figure(&thousands(t.tech_enterprises as f64, 0)),
    ]
}

fn totals_headings(label: &dyn Fn(&str, &str) -> String) -> [String; 4] {
    [
        label("载体", "carriers"),
        label("面积 m²", "floor area m²"),
        label("在孵企业", "enterprises"),
        label("科技型企业", "tech enterprises"),
    ]
}

/// Every district and managed area, then the zones and the city; in a
/// district's view, the district, its zone and the city.
fn districts_table(
    checked: &CheckedPlan,
    options: &Options,
    label: &dyn Fn(&str, &str) -> String,
) -> Table {
    let (atlas, tally) = (checked.placed.atlas(), &checked.tally);
    let mut header = vec![
        label("代码", "code"),
        label("名称", "name"),
        label("区域", "zone"),
    ];
    header.extend(totals_headings(label));
    let row = |code: &str, name: &str, zone: &str, t: &Totals| {
        let mut cells = vec![cell(code), cell(name), cell(zone)];
        cells.extend(totals_cells(t));
        cells
    };
    let mut rows = Vec::new();
    for r in tally.district_rows(atlas, &checked.areas) {
        if options.district.is_some_and(|d| r.district != Some(d)) {
            continue;
        }
        let zone = super::zone_name(atlas, r.zone);
        rows.push(row(&r.code, &r.name, &zone, &r.totals));
    }
    for (zone, breakdown) in atlas.zones().iter().zip(tally.zones()) {
        rows.push(row(&zone.code, &zone.name, "—", &breakdown.all));
    }
    rows.push(row("city", atlas.name(), "—", &tally.city().all));
    table(&header, rows, &[0.1, 0.26, 0.14])
}

fn ranking_table(checked: &CheckedPlan, label: &dyn Fn(&str, &str) -> String) -> Table {
    let header = [
        label("名次", "rank"),
        label("区县", "district"),
        label("目标完成", "own target reached"),
        label("面积 m²", "floor area m²"),
        label("载体", "carriers"),
        label("规划以来增长 m²", "growth since the start m²"),
    ];
    let rows = crate::compare::ranking(checked)
        .iter()
        .map(|r| {
            let marker = r.source.as_ref().map_or("", |s| s.marker());
            vec![
                figure(&r.rank.to_string()),
                cell(&r.name),
                figure(&r.share.map_or("—".into(), |p| format!("{p:.1}%{marker}"))),
                figure(&thousands(r.floor_area_m2, 0)),
                figure(&thousands(r.carriers as f64, 0)),
                figure(&changes::signed(Some(r.growth_m2))),
            ]
        })
        .collect();
    table(&header, rows, &[0.08, 0.2])
}

fn changes_table(c: &crate::compare::Comparison, label: &dyn Fn(&str, &str) -> String) -> Table {
    let header = [
        label("目标", "target"),
        label("之前", "before"),
        label("现在", "now"),
        label("变化", "change"),
    ];
    let rows = c
        .targets
        .iter()
        .map(|t| {
            vec![
                cell(&format!("{} ({})", t.name, t.id)),
                figure(&number(t.old)),
                figure(&number(t.new)),
                figure(&changes::signed(t.change)),
            ]
        })
        .collect();
    table(&header, rows, &[0.4])
}

/// The map as a picture the width of the text; a line saying why when it
/// cannot be drawn (no font with Chinese glyphs, say).
fn map(checked: &CheckedPlan, options: &Options) -> Paragraph {
    let mut svg = Vec::new();
    let drawn = super::write_map(
        &mut svg,
        &checked.placed,
        &checked.tally,
        &options.checked_map(checked),
    )
    .and_then(|()| super::svg_to_png(&svg, 2.0));
    match drawn {
        Ok(png) => {
            let (w, h) = png_size(&png);
            let height = (TEXT_WIDTH_EMU as f64 * h as f64 / w.max(1) as f64) as u32;
            let pic = Pic::new_with_dimensions(png, w, h).size(TEXT_WIDTH_EMU, height);
            Paragraph::new().add_run(Run::new().add_image(pic))
        }
        Err(e) => text(&format!("地图未能嵌入 the map could not be drawn: {e}")),
    }
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |at: usize| {
        png.get(at..at + 4)
            .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    (be(16), be(20))
}
