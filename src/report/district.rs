//! One district's view of a check: its own targets (its parts of the
//! targets split among the districts), the carriers that count in it and
//! the records that concern it. The table, the HTML report, the map and
//! the workbook narrow to it with [`Options::district`](super::Options).

use std::io;

use super::{tally_row, tally_table, target_table, Lang, Source};
use crate::atlas::{Atlas, DistrictId};
use crate::job::CheckedPlan;
use crate::place::Mismatch;
use crate::quota::{History, Report, TargetResult};

/// What a district's view says when the plan gives it no target.
pub(super) const NO_TARGET_OF_ITS_OWN: &str = "no target of its own: the plan's targets are the \
     city's and the zones' (--split shares them among the districts)";

/// The district's own targets: its parts of the split targets, in plan
/// order.
pub(super) fn own_targets<'r>(
    report: &'r Report,
    atlas: &Atlas,
    id: DistrictId,
) -> Vec<&'r TargetResult> {
    let code = &atlas.district(id).code;
    (report.targets.iter())
        .filter(|t| t.district.as_ref() == Some(code))
        .collect()
}

/// The sentence a district's view gives when any of its targets is a
/// share the tool computed: plainly, that it was not assigned.
pub(super) fn computed_sentence(district: &str, own: &[&TargetResult]) -> Option<String> {
    let computed = own.iter().find(|t| t.source.is_computed())?;
    let method = match &computed.source {
        crate::quota::TargetSource::Split(method) => *method,
        _ => return None,
    };
    Some(format!(
        "注意：{district}的目标是区域目标{}分解的测算份额，并非下达给{district}的指标。 — \
         Note: these are {district}'s shares of the zone targets, split {} by carrier-quota, \
         not targets assigned to the district.",
        method.zh(),
        method.en()
    ))
}

/// Whether a mismatch concerns the district: its record names the
/// district (or a managed area that spans it), or its location lies in it.
pub(super) fn concerns(mismatch: &Mismatch, atlas: &Atlas, id: DistrictId) -> bool {
    let code = &atlas.district(id).code;
    mismatch.located == Some(id) || mismatch.declared.districts().contains(&code)
}

/// The history of the district's own targets alone.
pub(super) fn own_history(history: &History, own: &[&TargetResult]) -> History {
    let is_own = |id: &str| own.iter().any(|t| t.id == id);
    let mut narrowed = history.clone();
    narrowed.targets.retain(|line| is_own(&line.id));
    for snapshot in &mut narrowed.history {
        snapshot.targets.retain(|standing| is_own(&standing.id));
    }
    narrowed
}

/// Writes one district's view as a table: the plan, the district and its
/// zone, its own targets (the parts of split targets), and its tally.
pub(super) fn write_district_table(
    mut out: impl io::Write,
    checked: &CheckedPlan,
    source: Option<&Source>,
    lang: Lang,
    id: DistrictId,
) -> io::Result<()> {
    let out: &mut dyn io::Write = &mut out;
    let (report, atlas) = (&checked.report, checked.placed.atlas());
    let district = atlas.district(id);
    super::write_title(out, checked, source, lang)?;
    let zone = district.zone.map(|z| atlas.zone(z));
    writeln!(
        out,
        "区县 district: {} {} ({}){}",
        district.name,
        district.name_en.as_deref().unwrap_or(""),
        district.code,
        zone.map_or_else(String::new, |z| format!(" · 区域 zone: {}", z.name))
    )?;
    super::write_as_of(out, report, lang)?;
    let own = own_targets(report, atlas, id);
    if own.is_empty() {
        writeln!(out, "{NO_TARGET_OF_ITS_OWN}")?;
    } else {
        target_table(out, ("target", "目标"), lang.into(), &own, |t| {
            let parent = t.part_of.as_deref().unwrap_or(&t.id);
            let whole = report.targets.iter().find(|w| w.id == parent);
            let name = whole.map_or(t.name.as_str(), |w| w.name.as_str());
            let en = whole.and_then(|w| w.name_en.as_deref()).unwrap_or("");
            lang.names(parent, name, en)
        })?;
        for line in super::source_legend(&report.plan, &own) {
            writeln!(out, "{}", super::in_lang(&line, lang))?;
        }
        if let Some(line) = computed_sentence(&district.name, &own) {
            writeln!(out, "{}", super::in_lang(&line, lang))?;
        }
    }
    writeln!(out)?;
    let row = tally_row(
        lang,
        district.code.as_str(),
        &district.name,
        district.name_en.as_deref(),
        &checked.tally.district(id).all,
    );
    tally_table(out, lang, &[Some(row)])
}
