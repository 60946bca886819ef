//! A comparison of two checks ([`Comparison`]) as aligned tables: the
//! targets then and now, the zones, districts and managed areas, and the
//! carriers that entered the count or left it. The HTML report and the
//! workbook give the same rows.

use std::io;

use super::text::{table, thousands, Align};
use crate::compare::{CarrierChange, Comparison, RegionChange};

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
