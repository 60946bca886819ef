//! Targets assigned to districts (指标分解) from a table: one row per
//! district with a column per target or measure (`面积`, `在孵企业`, or a
//! target's id), or in long form one row per district and target. They
//! become the parts of the plan's targets, as a split's would, but are
//! marked as assigned, and a split leaves them as they are.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;

use serde::{Deserialize, Serialize};

use super::split::district_part;
use super::{Measure, QuotaPlan, Scope, Target, TargetSource};
use crate::atlas::{Atlas, DistrictId};
use crate::error::{Error, ErrorKind};
use crate::names::DistrictNames;
use crate::read::ReadOptions;

/// Targets a table assigns to districts, as it writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictTargets {
    /// The table's file name: the source every output names.
    pub file: String,
    /// One entry per district and target, in table order.
    pub entries: Vec<AssignedTarget>,
}

/// One district's target, as a table writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignedTarget {
    /// The table's row.
    pub row: usize,
    /// The district: a name, short name, code or former name.
    pub district: String,
    /// The target: a target's id, or a measure (`面积`, `floor_area`, …).
    pub target: String,
    /// The least value that meets it, in the measure's unit (m² for floor
    /// area, a `万平方米` header already converted).
    pub required: f64,
}

/// Headers of the district column.
const DISTRICT: &[&str] = &[
    "district",
    "区县",
    "所在区县",
    "区县名称",
    "行政区",
    "地区",
    "code",
    "区县代码",
    "代码",
    "名称",
];
/// Headers of the target column, in long form.
const TARGET: &[&str] = &["target", "目标", "指标", "指标名称", "目标名称", "measure"];
/// Headers of the value column, in long form.
const REQUIRED: &[&str] = &[
    "required",
    "minimum",
    "目标值",
    "指标值",
    "要求",
    "数值",
    "任务",
];
/// Columns that hold neither a district nor a target.
const OTHER: &[&str] = &[
    "序号", "no", "no.", "备注", "说明", "remark", "note", "zone", "区域",
];

/// The measure a column or a long-form cell names, by the words registers
/// and plans use.
fn measure_named(text: &str) -> Option<Measure> {
    let word = strip_unit(text).0.to_lowercase().replace([' ', '-'], "_");
    let measure = match word.as_str() {
        "面积" | "载体面积" | "建筑面积" | "孵化载体面积" | "场地面积" | "floor_area" => {
            Measure::FloorArea
        }
        "在孵企业" | "在孵企业和团队" | "在孵企业及团队" | "在孵企业数" | "enterprises" => {
            Measure::Enterprises
        }
        "科技型企业" | "孵化科技型企业" | "科技型企业数" | "tech_enterprises" => {
            Measure::TechEnterprises
        }
        "载体" | "载体数" | "载体数量" | "孵化载体数量" | "carriers" => {
            Measure::Carriers
        }
        _ => return None,
    };
    Some(measure)
}

/// A header without its unit in brackets, and the factor the unit gives
/// (10,000 for `万平方米` or `万`).
fn strip_unit(header: &str) -> (&str, f64) {
    let cut = header.find(['(', '（']);
    let (name, unit) = cut.map_or((header, ""), |i| (&header[..i], &header[i..]));
    let factor = if unit.contains('万') { 10_000.0 } else { 1.0 };
    (name.trim(), factor)
}

fn is_one_of(header: &str, names: &[&str]) -> bool {
    let name = strip_unit(header).0.to_lowercase();
    names.iter().any(|n| *n == name)
}

fn invalid(row: Option<usize>, message: impl Into<String>) -> Error {
    ErrorKind::InvalidDistrictTargets {
        row,
        message: message.into(),
    }
    .into()
}

/// Reads a district targets table: CSV in the encodings registers use, or
/// (with `excel`, feature `excel`) a workbook's first sheet. The header
/// row is the first with a district column (`区县`, `district`, `code`,
/// …); below it, one row per district. Every other column is a target:
/// a measure (`面积`, `在孵企业`, `科技型企业`, `载体数`, with a unit such
/// as `（万平方米）`) or a target's id. Or, in long form, three columns:
/// district, target (`目标`, `target`) and value (`目标值`, `required`).
/// An empty cell assigns nothing.
///
/// # Errors
///
/// [`ErrorKind::InvalidDistrictTargets`] naming the row of a value that is
/// not a number, or a table without a district column;
/// [`ErrorKind::Table`] for a file that cannot be read.
///
/// # Examples
///
/// ```
/// use carrier_quota::quota::read_district_targets;
/// use carrier_quota::ReadOptions;
///
/// let csv = "区县,面积（万平方米）,在孵企业\n渝北区,45,2000\n万州区,3.5,400\n";
/// let table = read_district_targets(csv.as_bytes(), "指标.csv", false, &ReadOptions::new())?;
/// assert_eq!(table.entries.len(), 4);
/// assert_eq!(table.entries[0].required, 450_000.0);
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_district_targets(
    reader: impl Read,
    file: &str,
    excel: bool,
    options: &ReadOptions,
) -> Result<DistrictTargets, Error> {
    let rows = crate::read::read_text_rows(reader, excel, options)?;
    let header_at = rows
        .iter()
        .position(|(_, cells)| cells.iter().any(|c| is_one_of(c, DISTRICT)))
        .ok_or_else(|| {
            invalid(
                None,
                "no district column (区县, district or code) in the first rows",
            )
        })?;
    let header = &rows[header_at].1;
    let column = |names: &[&str]| header.iter().position(|h| is_one_of(h, names));
    let district = column(DISTRICT).expect("the header row has one");
    let mut entries = Vec::new();
    let number = |row: usize, text: &str, factor: f64, header: &str| -> Result<f64, Error> {
        let plain: String = text
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' '))
            .collect();
        match plain.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(x * factor),
            _ => Err(invalid(
                Some(row),
                format!("column {header:?} gives {text:?}, not a number >= 0"),
            )),
        }
    };
    let body = rows[header_at + 1..].iter();
    let body = body.filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    match (column(TARGET), column(REQUIRED)) {
        (Some(target), Some(value)) => {
            for (row, cells) in body {
                let cell = |i: usize| cells.get(i).map_or("", String::as_str);
                if cell(value).is_empty() {
                    continue;
                }
                let (_, factor) = strip_unit(&header[value]);
                entries.push(AssignedTarget {
                    row: *row,
                    district: cell(district).to_string(),
                    target: cell(target).to_string(),
                    required: number(*row, cell(value), factor, &header[value])?,
                });
            }
        }
        _ => {
            let targets: Vec<usize> = (0..header.len())
                .filter(|&i| {
                    i != district && !header[i].is_empty() && !is_one_of(&header[i], OTHER)
                })
                .collect();
            if targets.is_empty() {
                return Err(invalid(
                    Some(rows[header_at].0),
                    "no target column: give one per measure (面积, 在孵企业, …) or target id, or the columns target and required",
                ));
            }
            for (row, cells) in body {
                let cell = |i: usize| cells.get(i).map_or("", String::as_str);
                for &i in &targets {
                    if cell(i).is_empty() {
                        continue;
                    }
                    let (name, factor) = strip_unit(&header[i]);
                    entries.push(AssignedTarget {
                        row: *row,
                        district: cell(district).to_string(),
                        target: name.to_string(),
                        required: number(*row, cell(i), factor, &header[i])?,
                    });
                }
            }
        }
    }
    Ok(DistrictTargets {
        file: file.to_string(),
        entries,
    })
}

impl QuotaPlan {
    /// The plan with the targets `table` assigns to districts: each
    /// becomes a part of the plan's target it names (by id), or of the one
    /// its measure names: the zone target of that measure whose zones hold
    /// the district, else the city's. Parts follow their target, with ids
    /// `PARENT/CODE` and [`TargetSource::DistrictTable`]; a split leaves a
    /// target with parts as it is. Also returns a line for each target
    /// whose districts the table leaves out, naming them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDistrictTargets`] naming the row of a district
    /// `names` does not know (or a managed area of several), of a target
    /// the plan has not, or of a second value for one district and target.
    pub fn with_district_targets(
        &self,
        atlas: &Atlas,
        names: &DistrictNames,
        table: &DistrictTargets,
    ) -> Result<(QuotaPlan, Vec<String>), Error> {
        let mut parts: HashMap<usize, Vec<(DistrictId, f64, usize)>> = HashMap::new();
        for entry in &table.entries {
            let district = district_of(atlas, names, entry)?;
            let parent = self.parent_of(atlas, entry, district)?;
            let list = parts.entry(parent).or_default();
            if let Some((_, _, first)) = list.iter().find(|(d, _, _)| *d == district) {
                return Err(invalid(
                    Some(entry.row),
                    format!(
                        "a second value for {} and {:?} (the first is on row {first})",
                        atlas.district(district).name,
                        self.targets[parent].id
                    ),
                ));
            }
            list.push((district, entry.required, entry.row));
        }
        let source = TargetSource::DistrictTable(table.file.clone());
        let mut targets = Vec::with_capacity(self.targets.len() + table.entries.len());
        let mut left_out = Vec::new();
        for (i, target) in self.targets.iter().enumerate() {
            targets.push(target.clone());
            let Some(list) = parts.get_mut(&i) else {
                continue;
            };
            list.sort_by_key(|(d, _, _)| *d);
            for &(district, required, _) in list.iter() {
                targets.push(district_part(target, atlas, district, required, &source));
            }
            let given: BTreeSet<DistrictId> = list.iter().map(|(d, _, _)| *d).collect();
            let missing: Vec<&str> = (scope_districts(atlas, &target.scope).into_iter())
                .filter(|d| !given.contains(d))
                .map(|d| atlas.district(d).name.as_str())
                .collect();
            if !missing.is_empty() {
                left_out.push(format!(
                    "区县指标表 {file} 未给出 {id} 的区县 — the district targets table gives {id} no target for {n} of its districts: {}",
                    missing.join(", "),
                    file = table.file,
                    id = target.id,
                    n = missing.len(),
                ));
            }
        }
        let plan = QuotaPlan {
            targets,
            ..self.clone()
        };
        Ok((plan, left_out))
    }

    /// The index of the target an entry is a part of.
    fn parent_of(
        &self,
        atlas: &Atlas,
        entry: &AssignedTarget,
        district: DistrictId,
    ) -> Result<usize, Error> {
        let whole = |t: &&Target| t.part_of.is_none();
        if let Some(i) = (self.targets.iter().position(|t| t.id == entry.target))
            .filter(|&i| whole(&&self.targets[i]))
        {
            return Ok(i);
        }
        let Some(measure) = measure_named(&entry.target) else {
            return Err(invalid(
                Some(entry.row),
                format!(
                    "{:?} is neither a target of the plan nor a measure (面积, 在孵企业, 科技型企业, 载体数)",
                    entry.target
                ),
            ));
        };
        let plain = |t: &Target| {
            t.part_of.is_none()
                && t.measure == measure
                && t.filter == super::Filter::default()
                && t.scope.districts.is_empty()
                && t.scope.overlays.is_empty()
                && t.scope.exclude_overlays.is_empty()
        };
        let holds = |t: &Target| scope_districts(atlas, &t.scope).contains(&district);
        let zone = self
            .targets
            .iter()
            .position(|t| plain(t) && !t.scope.zones.is_empty() && holds(t));
        let city = || (self.targets.iter()).position(|t| plain(t) && t.scope.zones.is_empty());
        zone.or_else(city).ok_or_else(|| {
            invalid(
                Some(entry.row),
                format!(
                    "the plan has no target of {} for {} (a zone's or the city's)",
                    measure.as_str(),
                    atlas.district(district).name
                ),
            )
        })
    }
}

/// The district an entry names: one district, by any name `names` knows.
fn district_of(
    atlas: &Atlas,
    names: &DistrictNames,
    entry: &AssignedTarget,
) -> Result<DistrictId, Error> {
    let text = entry.district.trim();
    if let Some(id) = atlas.find_district(text) {
        return Ok(id);
    }
    match names.resolve(text) {
        Ok(declared) => declared
            .district()
            .and_then(|code| atlas.district_with_code(code.as_str()))
            .ok_or_else(|| {
                invalid(
                    Some(entry.row),
                    format!("{text:?} is not one district: give a target to each of its districts"),
                )
            }),
        Err(unknown) => Err(invalid(Some(entry.row), unknown.to_string())),
    }
}

/// The districts a scope of zones covers; every district for the city.
fn scope_districts(atlas: &Atlas, scope: &Scope) -> Vec<DistrictId> {
    if scope.zones.is_empty() && scope.districts.is_empty() {
        return atlas.district_ids().collect();
    }
    let mut ids: Vec<DistrictId> = (scope.zones.iter())
        .filter_map(|z| atlas.find_zone(z))
        .flat_map(|z| atlas.zone(z).districts.iter().copied())
        .chain(
            scope
                .districts
                .iter()
                .filter_map(|d| atlas.find_district(d)),
        )
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
