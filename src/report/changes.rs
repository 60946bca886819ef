//! A comparison of two checks ([`Comparison`]) as aligned tables: the
//! targets then and now, the zones, districts and managed areas, and the
//! carriers that entered the count or left it. The HTML report and the
//! workbook give the same rows.

use std::io;

use super::html::heading;
use super::svg::escape;
use super::text::{table, thousands, Align};
use crate::compare::{CarrierChange, Comparison, RankedDistrict, RegionChange};

/// A change with its sign: `+1,200`, `-300`, `0`; `—` when unknown.
pub(crate) fn signed(x: Option<f64>) -> String {
    match x {
        None => "—".to_string(),
        Some(v) if v.round() > 0.0 => format!("+{}", thousands(v, 0)),
        Some(v) => thousands(v, 0),
    }
}

/// The title of a comparison: what is compared with what.
pub(crate) fn title(c: &Comparison) -> String {
    format!(
        "变化 changes: {} on {} ({} counted) → {} on {} ({} counted)",
        c.old.data, c.old.as_of, c.old.counted, c.new.data, c.new.as_of, c.new.counted
    )
}

/// The cells of a region's row: its figures now and their changes.
pub(crate) fn region_cells(r: &RegionChange) -> [String; 6] {
    [
        thousands(r.new.carriers as f64, 0),
        signed(Some(r.carriers() as f64)),
        thousands(r.new.floor_area_m2(), 0),
        signed(Some(r.floor_area_m2())),
        signed(Some(r.enterprises() as f64)),
        signed(Some(r.tech_enterprises() as f64)),
    ]
}

/// The headings of [`region_cells`].
pub(crate) const REGION_HEADINGS: [(&str, &str); 6] = [
    ("载体", "carriers"),
    ("载体变化", "change"),
    ("面积 m²", "floor m²"),
    ("面积变化", "change m²"),
    ("在孵企业变化", "enterprises change"),
    ("科技型企业变化", "tech change"),
];

/// A carrier's line: `+ 空港新城加速器 (渝北区, 80,000 m²)`.
pub(crate) fn carrier_line(sign: &str, c: &CarrierChange) -> String {
    format!(
        "{sign} {} {} ({}, {} m², {} enterprises)",
        c.id,
        c.name.as_deref().unwrap_or(""),
        c.place,
        thousands(c.floor_area_m2, 0),
        c.enterprises
    )
}

/// Writes the comparison as tables: the targets, the regions that
/// changed (every zone and the city always), then the carriers.
pub(crate) fn write_changes_table(out: &mut dyn io::Write, c: &Comparison) -> io::Result<()> {
    use Align::{Left, Right};
    writeln!(out, "\n{}", title(c))?;
    let rows: Vec<Option<Vec<String>>> = (c.targets.iter())
        .map(|t| {
            Some(vec![
                t.id.clone(),
                c.old.as_of.to_string(),
                t.old.map_or("—".into(), |v| thousands(v, 0)),
                t.new.map_or("—".into(), |v| thousands(v, 0)),
                signed(t.change),
                t.old_status.map_or("—", |s| s.as_str()).to_string(),
                t.new_status.as_str().to_string(),
            ])
        })
        .collect();
    let headers = ["target", "then", "before", "now", "change", "was", "is"];
    table(
        out,
        &headers,
        &[Left, Left, Right, Right, Right, Left, Left],
        &rows,
    )?;
    writeln!(out)?;
    let regions: Vec<Option<Vec<String>>> = (c.regions.iter())
        .filter(|r| r.level != "district" || r.old != r.new)
        .map(|r| {
            let mut row = vec![r.code.clone(), r.name.clone()];
            row.extend(region_cells(r));
            Some(row)
        })
        .collect();
    let mut headers = vec!["code", "名称"];
    headers.extend(REGION_HEADINGS.map(|(_, en)| en));
    let mut aligns = vec![Left, Left];
    aligns.extend([Right; 6]);
    table(out, &headers, &aligns, &regions)?;
    for e in &c.entered {
        writeln!(out, "{}", carrier_line("entered +", e))?;
    }
    for l in &c.left {
        writeln!(out, "{}", carrier_line("left -", l))?;
    }
    Ok(())
}

/// The ranking of the districts, as an HTML section.
pub(crate) fn ranking_html(page: &mut String, ranking: &[RankedDistrict]) {
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
            signed(Some(r.growth_m2)),
        );
    }
    let _ = writeln!(
        page,
        r#"</tbody></table><p class="en">按本区县目标完成比例排序（无本区县目标者列后），再按面积 — by the share of the district's own target reached (districts without one last), then by floor area.</p></section>"#
    );
}

/// The comparison, as an HTML section.
pub(crate) fn changes_html(page: &mut String, c: &Comparison) {
    use std::fmt::Write as _;
    let _ = writeln!(
        page,
        r#"<section id="compare"><h2>变化 <span class="en">What changed</span></h2><p>{}</p><table><thead><tr>{}{}{}{}{}</tr></thead><tbody>"#,
        escape(&title(c)),
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
            signed(t.change),
            t.old_status.map_or("—", |s| s.as_str()),
            t.new_status.as_str(),
        );
    }
    let mut headings = heading("范围", "region", false);
    for (zh, en) in REGION_HEADINGS {
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
        let cells: String = (region_cells(r).iter())
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
    let lines = (c.entered.iter().map(|e| carrier_line("新增 entered +", e)))
        .chain(c.left.iter().map(|l| carrier_line("退出 left -", l)));
    for line in lines {
        let _ = writeln!(page, r#"<li class="carrier-change">{}</li>"#, escape(&line));
    }
    let _ = writeln!(page, "</ul></section>");
}
