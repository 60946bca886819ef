//! Reports: of a plan check ([`write()`] in a [`Format`]: an aligned table,
//! JSON, CSV, GeoJSON or an SVG map) and of its history ([`write_history`]),
//! of an assignment (a table, or every carrier's district as
//! JSON), of a site selection and of a district split. Every renderer writes
//! to an `io::Write`; the examples print what these write.
//!
//! # JSON
//!
//! [`write()`] with [`Format::Json`] serializes [`Report`]:
//!
//! ```text
//! {"schema_version": 3, "plan": "...", "plan_en": "...", "start": "2021-12-31",
//!  "as_of": "2025-12-31",
//!  "targets": [{"id": "floor_area_total", "name": "孵化载体总面积",
//!               "name_en": "Total carrier floor area", "measure": "floor_area",
//!               "required": 10000000.0, "actual": 9306465.0, "gap": 693535.0,
//!               "percent": 93.06, "baseline": 6645010.0, "expected": 10000000.0,
//!               "deadline": "2025-12-31", "status": "behind", "reason": null,
//!               "source": "plan"}, ...]}
//! ```
//!
//! `status` is `met`, `on_track`, `behind` or `not_evaluable`; `reason` is
//! null unless the target is not evaluable, and then `actual`, `gap`,
//! `percent`, `baseline` and `expected` are null. `source` says where the
//! minimum comes from: `"plan"`, `{"district_table": FILE}` (a target
//! assigned to a district by a table) or `{"split": "land_area"}` (a share
//! computed by the tool: `land_area`, `floor_area`, `equal` or `weights`).

#[cfg(feature = "parquet")]
pub mod arrow;
mod assignment;
mod changes;
mod choices;
mod district;
#[cfg(feature = "docx")]
mod docx;
mod geojson;
mod history;
mod html;
#[cfg(feature = "png")]
mod png;
mod svg;
mod text;
#[cfg(feature = "xlsx")]
mod xlsx;

use std::io;

use serde::{Deserialize, Serialize};

use crate::atlas::Atlas;
use crate::compare::Comparison;
use crate::job::CheckedPlan;
use crate::quota::{History, Report, Status, TargetResult};
use crate::spelling::UnknownName;
use crate::tally::{AreaTally, DistrictRow, Tally, Totals};
use text::{table, thousands, Align};

#[cfg(feature = "parquet")]
pub use assignment::write_streamed_mismatches;
pub use assignment::{
    describe_declared, write_assignment_json, write_assignment_table, write_input_notes,
    write_rejections, write_tally_csv,
};
pub use choices::{write_selection_table, write_shares_table};

#[cfg(feature = "png")]
pub use png::svg_to_png;
pub use svg::{write_map, MapOptions};

/// The forms a checked plan, or its history, is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// Aligned tables, for a terminal: the targets, each target's parts by
    /// district, and the tallies of each zone and the city.
    Table,
    /// JSON: [`Report`] (the module docs show the layout), or [`History`].
    Json,
    /// One CSV row per target (per date and target for a history).
    Csv,
    /// A GeoJSON FeatureCollection of the districts and zones, each with
    /// its tallies and the progress of its targets, in WGS-84.
    #[serde(rename = "geojson")]
    GeoJson,
    /// The SVG map of the check; for a history, a chart per target.
    Svg,
    /// One self-contained HTML page: the targets, the map, the zones and
    /// districts, the history (when [`Options::history`] holds it), and
    /// the records refused or in question. It fetches nothing, and prints
    /// on A4.
    Html,
    /// An Excel workbook (feature `xlsx`): a sheet each for the targets,
    /// the zones, the districts, the placed carriers, the rejected rows and
    /// the mismatches; numbers as numbers, dates as dates.
    Xlsx,
    /// A Word document (feature `docx`): the targets with their status
    /// colours and sources, the map as a picture, the districts, the
    /// ranking, the changes of a comparison, the records left out.
    Docx,
}

impl Format {
    /// Every format, in declaration order.
    pub const ALL: [Format; 8] = [
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::GeoJson,
        Format::Svg,
        Format::Html,
        Format::Xlsx,
        Format::Docx,
    ];

    /// The name options and messages use: `table`, `json`, `csv`,
    /// `geojson`, `svg`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::GeoJson => "geojson",
            Format::Svg => "svg",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = UnknownName;

    /// Parses a format's name ([`Format::as_str`]), in any case.
    fn from_str(s: &str) -> Result<Format, UnknownName> {
        const NAMES: [&str; 8] = [
            "table", "json", "csv", "geojson", "svg", "html", "xlsx", "docx",
        ];
        (Format::ALL.into_iter())
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownName::new("report format", s, &NAMES))
    }
}

/// The data a report was made from, as the report names it: every output
/// of synthetic data says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The data's file name (or `stdin`).
    pub name: String,
    /// Whether the records are synthetic (such as the bundled sample), not
    /// real.
    pub synthetic: bool,
}

impl Source {
    /// Real records from the file `name`.
    pub fn file(name: impl Into<String>) -> Source {
        Source {
            name: name.into(),
            synthetic: false,
        }
    }

    /// Synthetic records from `name`.
    pub fn synthetic(name: impl Into<String>) -> Source {
        Source {
            name: name.into(),
            synthetic: true,
        }
    }
}

impl std::fmt::Display for Source {
    /// `register.csv`, or `carriers.geojson (synthetic sample, not real
    /// records)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)?;
        if self.synthetic {
            f.write_str(" (synthetic sample, not real records)")?;
        }
        Ok(())
    }
}

/// A report's JSON with the data it was made from, when known.
#[derive(Serialize)]
struct WithSource<'a, T: Serialize> {
    #[serde(flatten)]
    report: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Source>,
}

/// The heading line that names the data, in a table.
fn source_line(out: &mut dyn io::Write, source: Option<&Source>) -> io::Result<()> {
    match source {
        Some(s) if s.synthetic => writeln!(
            out,
            "数据 data: {} — 合成样例，非真实数据 SYNTHETIC SAMPLE, not real records",
            s.name
        ),
        Some(s) => writeln!(out, "数据 data: {}", s.name),
        None => Ok(()),
    }
}

/// The lines that say a register's own total disagrees with its rows,
/// for the top of a report.
pub(crate) fn total_disagreements(carriers: &crate::carrier::Carriers) -> Vec<String> {
    let notes = carriers.notes().iter();
    let disagree = notes.filter(|n| n.is_total_disagreement());
    disagree
        .map(|n| format!("登记表合计不一致 the register's own total disagrees: {n}"))
        .collect()
}

/// A comment line before a CSV table of synthetic data.
fn source_comment(out: &mut dyn io::Write, source: Option<&Source>) -> io::Result<()> {
    match source {
        Some(s) if s.synthetic => writeln!(out, "# synthetic sample, not real records: {}", s.name),
        _ => Ok(()),
    }
}

/// The languages a table names things in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Chinese and English names side by side, with the targets' ids.
    #[default]
    Both,
    /// Chinese names only: the table of the targets fits 100 columns.
    Zh,
    /// The targets' ids and English names of regions: it fits 100 columns.
    En,
}

impl std::str::FromStr for Lang {
    type Err = UnknownName;

    /// Parses `zh`, `en` or `both`.
    fn from_str(s: &str) -> Result<Lang, UnknownName> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "chinese" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            "both" => Ok(Lang::Both),
            _ => Err(UnknownName::new("language", s, &["zh", "en", "both"])),
        }
    }
}

impl Lang {
    /// A row's naming cells, and the headings over them: the id, the
    /// Chinese name and the English name, as the language keeps them.
    fn names(self, id: &str, zh: &str, en: &str) -> Vec<String> {
        match self {
            Lang::Both => vec![id.to_string(), zh.to_string(), en.to_string()],
            Lang::Zh => vec![zh.to_string()],
            Lang::En => vec![id.to_string()],
        }
    }

    fn regions(self) -> RegionsOrTargets {
        RegionsOrTargets::Regions(self)
    }

    /// As [`Lang::names`], for a region: its code stays, with one name.
    fn region_names(self, code: &str, zh: &str, en: &str) -> Vec<String> {
        match self {
            Lang::Both => vec![code.to_string(), zh.to_string(), en.to_string()],
            Lang::Zh => vec![code.to_string(), zh.to_string()],
            Lang::En => vec![code.to_string(), en.to_string()],
        }
    }
}

/// How a report is written, beyond its format.
///
/// ```
/// use carrier_quota::report::{MapOptions, Options};
/// use carrier_quota::Measure;
///
/// let options = Options::new().map(MapOptions::new().measure(Measure::Enterprises));
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The map's options, for [`Format::Svg`]; its date is the check's.
    pub map: MapOptions,
    /// The data the check was made from: every format names it (the
    /// table and the map in a line, JSON and GeoJSON in a `data` member),
    /// and says when it is synthetic (CSV in a first `#` line).
    pub source: Option<Source>,
    /// The plan's history, drawn in the HTML report when given.
    pub history: Option<History>,
    /// The languages of the tables ([`Format::Table`]).
    pub lang: Lang,
    /// One district's view, for the table: its own targets and its tally.
    pub district: Option<crate::atlas::DistrictId>,
    /// What changed since an earlier check: a table, a section of the HTML
    /// report, a sheet of the workbook and a `comparison` in the JSON.
    pub comparison: Option<Comparison>,
}

impl Options {
    /// The defaults: a map shaded by floor area, 1000 pixels wide.
    pub fn new() -> Options {
        Options::default()
    }

    /// Draw the map with these options ([`Options::map`]).
    pub fn map(mut self, map: MapOptions) -> Options {
        self.map = map;
        self
    }

    /// Name the data ([`Options::source`]).
    pub fn source(mut self, source: Source) -> Options {
        self.source = Some(source);
        self
    }

    /// The map of a checked plan: on its date, since its tally holds the
    /// carriers open then; noted with the data when it has no note; around
    /// the district of a district's view.
    fn checked_map(&self, checked: &CheckedPlan) -> MapOptions {
        let mut map = self.map.clone();
        map.as_of = Some(checked.as_of);
        map.counted = Some(checked.report.counted.clone());
        map.focus = map.focus.or(self.district);
        if map.note.is_none() {
            map.note = self.source.as_ref().map(ToString::to_string);
        }
        map
    }

    /// Narrow the table to one district ([`Options::district`]).
    pub fn district(mut self, district: crate::atlas::DistrictId) -> Options {
        self.district = Some(district);
        self
    }

    /// Name things in the tables in `lang` ([`Options::lang`]).
    pub fn lang(mut self, lang: Lang) -> Options {
        self.lang = lang;
        self
    }

    /// Show what changed since an earlier check ([`Options::comparison`]).
    pub fn comparison(mut self, comparison: Comparison) -> Options {
        self.comparison = Some(comparison);
        self
    }

    /// Draw this history in the HTML report ([`Options::history`]).
    pub fn history(mut self, history: History) -> Options {
        self.history = Some(history);
        self
    }
}

/// Writes a checked plan in `format`. Every format reads the check's own
/// tally and target results: nothing is summed again.
///
/// # Examples
///
/// ```
/// use carrier_quota::report::{self, Format, Options};
/// use carrier_quota::{Atlas, Carriers, Datum, PlanCheck, QuotaPlan};
///
/// let atlas = Atlas::chongqing();
/// let placed = atlas.place(Carriers::new(Datum::Gcj02), Default::default());
/// let checked = PlanCheck::new(QuotaPlan::chongqing_2021_2025()).run(placed)?;
/// let mut csv = Vec::new();
/// report::write(&mut csv, &checked, Format::Csv, &Options::new())?;
/// assert!(csv.starts_with(b"id,name,name_en,measure,required"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// When writing fails.
pub fn write(
    out: impl io::Write,
    checked: &CheckedPlan,
    format: Format,
    options: &Options,
) -> io::Result<()> {
    let source = options.source.as_ref();
    match format {
        Format::Table => match options.district {
            Some(district) => {
                district::write_district_table(out, checked, source, options.lang, district)
            }
            None => {
                let mut out = out;
                write_table(&mut out, checked, source, options.lang)?;
                match &options.comparison {
                    Some(c) => changes::write_changes_table(&mut out, c),
                    None => Ok(()),
                }
            }
        },
        Format::Json => write_json(out, &checked.report, source, options.comparison.as_ref()),
        Format::Csv => write_csv(out, &checked.report, source),
        Format::GeoJson => geojson::write_geojson(out, checked, source),
        Format::Svg => write_map(out, &checked.placed, &checked.tally, &options.checked_map(checked)),
        Format::Html => html::write_html(out, checked, options),
        #[cfg(feature = "xlsx")]
        Format::Xlsx => xlsx::write_xlsx(out, checked, options),
        #[cfg(not(feature = "xlsx"))]
        Format::Xlsx => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "writing Excel workbooks needs the feature xlsx (cargo install --path cli --features xlsx)",
        )),
        #[cfg(feature = "docx")]
        Format::Docx => docx::write_docx(out, checked, options),
        #[cfg(not(feature = "docx"))]
        Format::Docx => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "writing Word documents needs the feature docx (cargo install --path cli --features docx)",
        )),
    }
}

/// Writes a plan's history in `format`: a table of targets by date, JSON,
/// one CSV row per date and target, or (as [`Format::Svg`]) a chart with
/// one small panel per target.
///
/// # Errors
///
/// When writing fails; `InvalidInput` for [`Format::GeoJson`].
pub fn write_history(
    mut out: impl io::Write,
    history: &History,
    format: Format,
    options: &Options,
) -> io::Result<()> {
    let source = options.source.as_ref();
    match format {
        Format::Table => {
            let out: &mut dyn io::Write = &mut out;
            history::write_history_table(out, history, source)
        }
        Format::Json => write_pretty(
            out,
            &WithSource {
                report: history,
                data: source,
            },
        ),
        Format::Csv => {
            source_comment(&mut out, source)?;
            history::write_history_csv(out, history)
        }
        Format::Svg => history::write_history_svg(out, history, source),
        Format::GeoJson | Format::Html | Format::Xlsx | Format::Docx => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a history is written as a table, JSON, CSV or an SVG chart (and in the HTML report)",
        )),
    }
}

/// Writes the report as JSON (see the module docs for the layout).
///
/// # Errors
///
/// When writing fails.
fn write_json(
    out: impl io::Write,
    report: &Report,
    source: Option<&Source>,
    comparison: Option<&Comparison>,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct WithComparison<'a> {
        #[serde(flatten)]
        report: &'a Report,
        #[serde(skip_serializing_if = "Option::is_none")]
        comparison: Option<&'a Comparison>,
    }
    write_pretty(
        out,
        &WithSource {
            report: &WithComparison { report, comparison },
            data: source,
        },
    )
}

fn write_pretty(out: impl io::Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(out, value).map_err(io::Error::from)
}

/// Writes one CSV row per target, with a header:
/// `id,name,name_en,measure,required,actual,gap,percent,baseline,expected,deadline,status,reason,part_of,district,source`;
/// `source` is `plan`, `district targets table FILE` or `computed: split by
/// land area` (and the like).
/// Empty cells stand for null. Numbers are rounded as the table rounds
/// them: whole, and percentages to one decimal.
///
/// # Errors
///
/// When writing fails.
fn write_csv(mut out: impl io::Write, report: &Report, source: Option<&Source>) -> io::Result<()> {
    source_comment(&mut out, source)?;
    let mut writer = csv::Writer::from_writer(out);
    let number = |x: Option<f64>| x.map(|v| rounded(v, 0)).unwrap_or_default();
    writer.write_record([
        "id", "name", "name_en", "measure", "required", "actual", "gap", "percent", "baseline",
        "expected", "deadline", "status", "reason", "part_of", "district", "source",
    ])?;
    for t in &report.targets {
        writer.write_record([
            t.id.clone(),
            t.name.clone(),
            t.name_en.clone().unwrap_or_default(),
            t.measure.as_str().to_string(),
            rounded(t.required, 0),
            number(t.actual),
            number(t.gap),
            t.percent.map(|p| rounded(p, 1)).unwrap_or_default(),
            number(t.baseline),
            number(t.expected),
            t.deadline.to_string(),
            t.status.as_str().to_string(),
            t.reason
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            t.part_of.clone().unwrap_or_default(),
            t.district
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            t.source.en(),
        ])?;
    }
    writer.flush()
}

/// What a target's figure rests on, for people: why it is not evaluable,
/// or its note.
fn remark(t: &TargetResult) -> String {
    match (&t.reason, &t.note) {
        (Some(reason), _) => reason.to_string(),
        (None, Some(note)) => note.clone(),
        (None, None) => String::new(),
    }
}

/// `x` with `decimals` decimals, as plain digits; never `-0`.
fn rounded(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    match text
        .trim_start_matches('-')
        .trim_matches(['0', '.'])
        .is_empty()
    {
        true => format!("{:.decimals$}", 0.0),
        false => text,
    }
}

/// The zone's name a table of districts gives, or `—` for a row in no
/// one zone.
fn zone_name(atlas: &Atlas, zone: Option<crate::atlas::ZoneId>) -> String {
    zone.map_or_else(|| "—".to_string(), |z| atlas.zone(z).name.clone())
}

/// A number as the table shows it: whole, with separators.
fn cell(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| thousands(v, 0))
}

/// A region's row of a tally table: its names as `lang` keeps them, then
/// carriers, floor area, enterprises and tech enterprises.
fn tally_row(lang: Lang, code: &str, name: &str, en: Option<&str>, t: &Totals) -> Vec<String> {
    let mut row = lang.region_names(code, name, en.unwrap_or(""));
    row.extend([
        thousands(t.carriers as f64, 0),
        thousands(t.floor_area_m2(), 0),
        thousands(t.enterprises as f64, 0),
        thousands(t.tech_enterprises as f64, 0),
    ]);
    row
}

/// A tally table of `rows` (`None` for a rule) under its headings.
fn tally_table(
    out: &mut dyn io::Write,
    lang: Lang,
    rows: &[Option<Vec<String>>],
) -> io::Result<()> {
    let mut headers = lang.region_names("code", "名称", "name");
    let mut aligns = vec![Align::Left; headers.len()];
    let figures = match lang {
        Lang::Zh => ["载体", "面积 m²", "在孵企业", "科技型企业"],
        _ => ["carriers", "floor m²", "enterprises", "tech"],
    };
    headers.extend(figures.map(String::from));
    aligns.extend([Align::Right; 4]);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    table(out, &headers, &aligns, rows)
}

/// Writes a checked plan as aligned tables: the targets, then for each
/// target split by district ([`crate::Target::part_of`]) its parts, then the
/// tallies of each zone and the city on the as-of date.
///
/// # Errors
///
/// When writing fails.
fn write_table(
    mut out: impl io::Write,
    checked: &CheckedPlan,
    source: Option<&Source>,
    lang: Lang,
) -> io::Result<()> {
    let out: &mut dyn io::Write = &mut out;
    let (report, atlas) = (&checked.report, checked.placed.atlas());
    write_title(out, checked, source, lang)?;
    write_as_of(out, report, lang)?;
    let whole: Vec<&TargetResult> = report
        .targets
        .iter()
        .filter(|t| t.part_of.is_none())
        .collect();
    target_table(out, ("target", "目标"), lang.into(), &whole, |t| {
        lang.names(&t.id, &t.name, t.name_en.as_deref().unwrap_or(""))
    })?;
    for line in source_legend(&report.plan, &whole) {
        writeln!(out, "{}", in_lang(&line, lang))?;
    }
    for line in &report.target_notes {
        writeln!(out, "{}", in_lang(line, lang))?;
    }
    for t in report
        .targets
        .iter()
        .filter(|t| t.status == Status::NotEvaluable)
    {
        writeln!(
            out,
            "{}: not evaluable: {}",
            t.id,
            t.reason
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        )?;
    }
    for t in report.targets.iter().filter(|t| t.part_of.is_none()) {
        if let Some(note) = &t.note {
            writeln!(out, "{}: {note}", t.id)?;
        }
    }
    // District parts, one table per target split.
    let mut parents: Vec<&str> = Vec::new();
    for parent in report.targets.iter().filter_map(|t| t.part_of.as_deref()) {
        if !parents.contains(&parent) {
            parents.push(parent);
        }
    }
    for parent in parents {
        match lang {
            Lang::Zh => writeln!(out, "\n{parent} 分区县")?,
            _ => writeln!(out, "\n{parent} by district")?,
        }
        let parts: Vec<&TargetResult> = report
            .targets
            .iter()
            .filter(|t| t.part_of.as_deref() == Some(parent))
            .collect();
        target_table(out, ("district", "区县"), lang.regions(), &parts, |t| {
            let district = t
                .district
                .as_ref()
                .and_then(|code| atlas.find_district(code.as_str()))
                .map(|d| atlas.district(d));
            lang.region_names(
                &district.map_or_else(|| t.id.clone(), |d| d.code.to_string()),
                &district.map_or_else(|| t.name.clone(), |d| d.name.clone()),
                district.and_then(|d| d.name_en.as_deref()).unwrap_or(""),
            )
        })?;
        for line in source_legend(&report.plan, &parts) {
            writeln!(out, "{}", in_lang(&line, lang))?;
        }
    }
    writeln!(out)?;
    write_tally(
        out,
        atlas,
        &checked.tally,
        &checked.areas,
        TallyRows::Zones,
        lang,
    )
}

/// The plan's name (and English name, but for [`Lang::Zh`]), the data,
/// and the register's own totals that disagree with its rows.
pub(crate) fn write_title(
    out: &mut dyn io::Write,
    checked: &CheckedPlan,
    source: Option<&Source>,
    lang: Lang,
) -> io::Result<()> {
    writeln!(out, "{}", checked.report.plan)?;
    if let Some(en) = checked.report.plan_en.as_ref().filter(|_| lang != Lang::Zh) {
        writeln!(out, "{en}")?;
    }
    source_line(out, source)?;
    for line in total_disagreements(checked.placed.carriers()) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The date checked and the plan's start, then the count.
pub(crate) fn write_as_of(out: &mut dyn io::Write, report: &Report, lang: Lang) -> io::Result<()> {
    match lang {
        Lang::Zh => writeln!(out, "截至 {}（起点 {}）", report.as_of, report.start)?,
        _ => writeln!(out, "as of {} (start {})", report.as_of, report.start)?,
    }
    write_counted(out, &report.counted, lang)
}

/// The count of a check, a line for each record it leaves out, then a
/// blank line; in Chinese for [`Lang::Zh`].
pub(crate) fn write_counted(
    out: &mut dyn io::Write,
    counted: &crate::counted::Counted,
    lang: Lang,
) -> io::Result<()> {
    let (line, left) = match lang {
        Lang::Zh => (counted.zh(), counted.left_out_lines_zh()),
        _ => (counted.to_string(), counted.left_out_lines()),
    };
    writeln!(out, "{line}")?;
    for line in left {
        writeln!(out, "{line}")?;
    }
    writeln!(out)
}

/// A line written `中文 — English` in the language asked for: its Chinese
/// half, its English half, or whole.
pub(crate) fn in_lang(line: &str, lang: Lang) -> &str {
    match (lang, line.split_once(" — ")) {
        (Lang::Zh, Some((zh, _))) => zh,
        (Lang::En, Some((_, en))) => en,
        _ => line,
    }
}

/// A line for each source of `targets`, in the order first met: what
/// its marker means, and that a computed share is not an assigned target.
pub(crate) fn source_legend(plan: &str, targets: &[&TargetResult]) -> Vec<String> {
    let mut sources: Vec<&crate::quota::TargetSource> = Vec::new();
    for t in targets {
        if !sources.contains(&&t.source) {
            sources.push(&t.source);
        }
    }
    sources.iter().map(|s| s.legend(plan)).collect()
}

/// A table of targets: three naming cells from `names`, then the figures
/// (the required one marked by its source).
fn target_table(
    out: &mut dyn io::Write,
    (first, first_zh): (&str, &str),
    lang: RegionsOrTargets,
    targets: &[&TargetResult],
    names: impl Fn(&TargetResult) -> Vec<String>,
) -> io::Result<()> {
    let zh = matches!(
        lang,
        RegionsOrTargets::Targets(Lang::Zh) | RegionsOrTargets::Regions(Lang::Zh)
    );
    let rows: Vec<Option<Vec<String>>> = targets
        .iter()
        .map(|t| {
            let mut row = names(t);
            row.extend([
                format!("{}{}", thousands(t.required, 0), t.source.marker()),
                cell(t.actual),
                cell(t.gap),
                t.percent.map_or("—".into(), |p| format!("{p:.1}%")),
                match zh {
                    true => t.status.zh().to_string(),
                    false => t.status.as_str().to_string(),
                },
            ]);
            Some(row)
        })
        .collect();
    use Align::{Left, Right};
    let mut headers = match lang {
        RegionsOrTargets::Targets(Lang::Zh) => vec![first_zh],
        RegionsOrTargets::Targets(Lang::En) => vec![first],
        RegionsOrTargets::Regions(Lang::Zh) => vec![first, "名称"],
        RegionsOrTargets::Regions(Lang::En) => vec![first, "name"],
        _ => vec![first, "名称", "name"],
    };
    let mut aligns = vec![Left; headers.len()];
    match zh {
        true => headers.extend(["要求", "实际", "差距", "完成", "状态"]),
        false => headers.extend(["required", "actual", "gap", "done", "status"]),
    }
    aligns.extend([Right, Right, Right, Right, Left]);
    table(out, &headers, &aligns, &rows)
}

/// What a table of targets names in its first columns, and in which
/// languages.
#[derive(Clone, Copy)]
enum RegionsOrTargets {
    Targets(Lang),
    Regions(Lang),
}

impl From<Lang> for RegionsOrTargets {
    fn from(lang: Lang) -> RegionsOrTargets {
        RegionsOrTargets::Targets(lang)
    }
}

/// Which rows [`write_tally`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyRows {
    /// Each zone, then the city.
    Zones,
    /// Each district under its zone with the zone's subtotal, districts in
    /// no zone, then the city and the carriers outside it.
    Districts,
}

/// Writes the tallies as an aligned table: code, Chinese and English name,
/// carriers, floor area, enterprises and tech enterprises. With
/// [`TallyRows::Districts`], each managed area in `areas` whose records
/// count in no one district has a row of its own
/// (`两江新区（不分区县）`, [`Tally::managed_areas`]), so that the rows add
/// up to their zone and the city.
///
/// # Errors
///
/// When writing fails.
pub fn write_tally(
    mut out: impl io::Write,
    atlas: &Atlas,
    tally: &Tally,
    areas: &[AreaTally],
    rows: TallyRows,
    lang: Lang,
) -> io::Result<()> {
    let cells = |code: &str, name: &str, en: Option<&str>, t: &Totals| {
        Some(tally_row(lang, code, name, en, t))
    };
    let row = |r: DistrictRow| cells(&r.code, &r.name, Some(&r.name_en), &r.totals);
    let mut table_rows = Vec::new();
    for (i, (zone, zone_tally)) in atlas.zones().iter().zip(tally.zones()).enumerate() {
        if rows == TallyRows::Districts {
            let zone_id = Some(crate::atlas::ZoneId(i as u32));
            table_rows.extend(
                tally
                    .rows_in_zone(atlas, areas, zone_id)
                    .into_iter()
                    .map(row),
            );
        }
        table_rows.push(cells(
            &zone.code,
            &zone.name,
            zone.name_en.as_deref(),
            &zone_tally.all,
        ));
        if rows == TallyRows::Districts {
            table_rows.push(None);
        }
    }
    if rows == TallyRows::Districts {
        let unzoned = tally.rows_in_zone(atlas, areas, None);
        if !unzoned.is_empty() {
            table_rows.extend(unzoned.into_iter().map(row));
            table_rows.push(None);
        }
    } else {
        table_rows.push(None);
    }
    table_rows.push(cells(
        "city",
        atlas.name(),
        atlas.name_en(),
        &tally.city().all,
    ));
    if rows == TallyRows::Districts {
        table_rows.push(cells(
            "outside",
            "outside every district",
            None,
            &tally.outside().all,
        ));
    }
    tally_table(&mut out, lang, &table_rows)
}
