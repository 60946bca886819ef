//! A checked plan as Arrow tables: its targets, zones and districts, one
//! row each, typed, for a DataFrame or a SQL engine to take as they are.

use std::sync::Arc;

use arrow_array::builder::{Date32Builder, Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::ArrowError;

use crate::job::CheckedPlan;
use crate::tally::Totals;

/// A checked plan's tables ([`tables`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Tables {
    /// One row per target, in plan order: the columns of the CSV report
    /// (`id`, `name`, `name_en`, `measure`, `required`, `actual`, `gap`,
    /// `percent`, `baseline`, `expected`, `deadline`, `status`, `reason`,
    /// `part_of`, `district`, `source`), numbers unrounded, the deadline
    /// a date.
    pub targets: RecordBatch,
    /// One row per zone: `code`, `name`, `name_en`, and the totals of the
    /// carriers open on the as-of date (`carriers`, `floor_area_m2`,
    /// `enterprises`, `tech_enterprises`).
    pub zones: RecordBatch,
    /// One row per district, and one per managed area for the records that
    /// count in it and in no one district (code `area`), with its `zone`
    /// code: the rows add up to the city.
    pub districts: RecordBatch,
}

/// The targets, zones and districts of `checked` as record batches.
///
/// # Errors
///
/// None in practice: the columns are built to the schema.
pub fn tables(checked: &CheckedPlan) -> Result<Tables, ArrowError> {
    Ok(Tables {
        targets: targets(checked)?,
        zones: zones(checked)?,
        districts: districts(checked)?,
    })
}

fn text<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    let mut b = StringBuilder::new();
    values.for_each(|v| b.append_option(v));
    Arc::new(b.finish())
}

fn number(values: impl Iterator<Item = Option<f64>>) -> ArrayRef {
    let mut b = Float64Builder::new();
    values.for_each(|v| b.append_option(v));
    Arc::new(b.finish())
}

fn whole(values: impl Iterator<Item = u64>) -> ArrayRef {
    let mut b = UInt64Builder::new();
    values.for_each(|v| b.append_value(v));
    Arc::new(b.finish())
}

fn targets(checked: &CheckedPlan) -> Result<RecordBatch, ArrowError> {
    let targets = &checked.report.targets;
    let strings = |f: &dyn Fn(&crate::quota::TargetResult) -> Option<String>| {
        let values: Vec<Option<String>> = targets.iter().map(f).collect();
        text(values.iter().map(Option::as_deref))
    };
    let mut deadline = Date32Builder::new();
    for t in targets {
        // Every date of the calendar fits: years 1 to 9999.
        deadline.append_value(t.deadline.days_since_epoch() as i32);
    }
    RecordBatch::try_from_iter([
        ("id", text(targets.iter().map(|t| Some(t.id.as_str())))),
        ("name", text(targets.iter().map(|t| Some(t.name.as_str())))),
        (
            "name_en",
            text(targets.iter().map(|t| t.name_en.as_deref())),
        ),
        (
            "measure",
            text(targets.iter().map(|t| Some(t.measure.as_str()))),
        ),
        ("required", number(targets.iter().map(|t| Some(t.required)))),
        ("actual", number(targets.iter().map(|t| t.actual))),
        ("gap", number(targets.iter().map(|t| t.gap))),
        ("percent", number(targets.iter().map(|t| t.percent))),
        ("baseline", number(targets.iter().map(|t| t.baseline))),
        ("expected", number(targets.iter().map(|t| t.expected))),
        ("deadline", Arc::new(deadline.finish()) as ArrayRef),
        (
            "status",
            text(targets.iter().map(|t| Some(t.status.as_str()))),
        ),
        (
            "reason",
            strings(&|t| t.reason.as_ref().map(ToString::to_string)),
        ),
        (
            "part_of",
            text(targets.iter().map(|t| t.part_of.as_deref())),
        ),
        (
            "district",
            strings(&|t| t.district.as_ref().map(ToString::to_string)),
        ),
        ("source", strings(&|t| Some(t.source.en()))),
    ])
}

/// The four totals' columns of `rows`.
fn totals(rows: &[&Totals]) -> [(&'static str, ArrayRef); 4] {
    [
        ("carriers", whole(rows.iter().map(|t| t.carriers))),
        (
            "floor_area_m2",
            number(rows.iter().map(|t| Some(t.floor_area_m2()))),
        ),
        ("enterprises", whole(rows.iter().map(|t| t.enterprises))),
        (
            "tech_enterprises",
            whole(rows.iter().map(|t| t.tech_enterprises)),
        ),
    ]
}

fn zones(checked: &CheckedPlan) -> Result<RecordBatch, ArrowError> {
    let zones = checked.placed.atlas().zones();
    let sums: Vec<&Totals> = checked.tally.zones().iter().map(|b| &b.all).collect();
    let mut columns = vec![
        ("code", text(zones.iter().map(|z| Some(z.code.as_str())))),
        ("name", text(zones.iter().map(|z| Some(z.name.as_str())))),
        ("name_en", text(zones.iter().map(|z| z.name_en.as_deref()))),
    ];
    columns.extend(totals(&sums));
    RecordBatch::try_from_iter(columns)
}

fn districts(checked: &CheckedPlan) -> Result<RecordBatch, ArrowError> {
    let atlas = checked.placed.atlas();
    let rows = checked.tally.district_rows(atlas, &checked.areas);
    let sums: Vec<&Totals> = rows.iter().map(|r| &r.totals).collect();
    let zone = |r: &crate::tally::DistrictRow| r.zone.map(|z| atlas.zone(z).code.as_str());
    let mut columns = vec![
        ("code", text(rows.iter().map(|r| Some(r.code.as_str())))),
        ("name", text(rows.iter().map(|r| Some(r.name.as_str())))),
        (
            "name_en",
            text(rows.iter().map(|r| Some(r.name_en.as_str()))),
        ),
        ("zone", text(rows.iter().map(zone))),
    ];
    columns.extend(totals(&sums));
    RecordBatch::try_from_iter(columns)
}

#[cfg(test)]
mod tests {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, UInt64Type};

    use crate::place::FootprintRule;
    use crate::quota::SplitBy;
    use crate::synthetic::Synthetic;
    use crate::{Atlas, PlanCheck, QuotaPlan};

    #[test]
    fn the_tables_hold_every_target_and_the_districts_add_up_to_the_city() {
        let atlas = Atlas::chongqing();
        let carriers = Synthetic::new(1_500, 21).footprints(0.1).generate(atlas);
        let placed = atlas.place(carriers, FootprintRule::SplitByOverlap);
        let checked = PlanCheck::new(QuotaPlan::chongqing_2021_2025())
            .split(SplitBy::LandArea)
            .run(placed)
            .unwrap();
        let tables = super::tables(&checked).unwrap();
        assert_eq!(tables.targets.num_rows(), checked.report.targets.len());
        let required = tables.targets.column_by_name("required").unwrap();
        let required = required.as_primitive::<Float64Type>();
        for (i, t) in checked.report.targets.iter().enumerate() {
            assert_eq!(required.value(i), t.required);
        }
        assert_eq!(tables.zones.num_rows(), atlas.zones().len());
        let area = tables.districts.column_by_name("floor_area_m2").unwrap();
        let area: f64 = area.as_primitive::<Float64Type>().values().iter().sum();
        let city = checked.tally.city().all.floor_area_m2();
        assert!((area - city).abs() < 1e-6 * city, "{area} against {city}");
        let carriers = tables.districts.column_by_name("carriers").unwrap();
        let carriers: u64 = carriers.as_primitive::<UInt64Type>().values().iter().sum();
        assert_eq!(carriers, checked.tally.city().all.carriers);
    }
}
