//! `check`: a plan checked against placed carriers, as `carrier-quota
//! report` checks it, its tables and every report the command writes;
//! `split` and the site selection.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use carrier_quota::quota::{
    read_district_targets, read_plan, read_weights, DistrictSplit, SplitBy,
};
use carrier_quota::report::{self, MapOptions, Options};
use carrier_quota::sites::{read_candidates, select_sites as select, SelectOptions};
use carrier_quota::{CarrierFormat, Date, DistrictId, Measure, PlanCheck, QuotaPlan, Tally};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use self_cell::self_cell;

use crate::atlas::{overlays_file, parse_datum, Atlas};
use crate::errors::Failure;
use crate::placed::{Placed, PlacedCell};

type CheckedIn<'a> = carrier_quota::CheckedPlan<'a>;

self_cell!(
    /// A checked plan kept with the placed carriers whose atlas it borrows.
    struct CheckedCell {
        owner: Arc<PlacedCell>,
        #[covariant]
        dependent: CheckedIn,
    }
    impl {Debug}
);

/// A plan checked on a date: its targets, zones and districts, and every
/// report of it.
#[pyclass(frozen, module = "carrier_quota._native")]
pub struct Check {
    cell: CheckedCell,
    /// How reports name the data.
    source: String,
    /// Whether zone targets were split among districts (the map then
    /// shades their status).
    split: bool,
}

/// A plan read from a file (`path`) or given as JSON text, with how its
/// errors name it and its text; the built-in plan without either.
fn plan(
    path: Option<PathBuf>,
    text: Option<String>,
) -> Result<(QuotaPlan, Option<PlanFile>), Failure> {
    let (name, text) = match (path, text) {
        (Some(path), _) => {
            let name = path.display().to_string();
            let text = std::fs::read(&path).map_err(|e| Failure::io(&name, &e))?;
            (name, text)
        }
        (None, Some(text)) => ("plan".to_string(), text.into_bytes()),
        (None, None) => return Ok((QuotaPlan::chongqing_2021_2025(), None)),
    };
    let plan = read_plan(&text[..]).map_err(|e| Failure::of(&name, &e))?;
    Ok((plan, Some(PlanFile { name, text })))
}

/// A plan's file name and text, for its errors.
struct PlanFile {
    name: String,
    text: Vec<u8>,
}

/// A split's weights: `area`, `floor_area`, `equal`, or a weight table.
fn split_by(text: &str) -> Result<SplitBy, Failure> {
    match text.parse() {
        Ok(split) => Ok(split),
        Err(_) if Path::new(text).is_file() => {
            let file = std::fs::File::open(text).map_err(|e| Failure::io(text, &e))?;
            let table = read_weights(file).map_err(|e| Failure::of(text, &e))?;
            Ok(SplitBy::Table(table))
        }
        Err(_) => Err(Failure::new(
            "PlanError",
            format!("{text:?} is not area, floor_area, equal or an existing CSV or JSON file"),
        )),
    }
}

fn date(text: &str) -> Result<Date, Failure> {
    text.parse().map_err(|e: carrier_quota::date::InvalidDate| {
        Failure::new("ValueError", format!("{text:?}: {e}"))
    })
}

/// What a check is asked for, as the command's flags ask it.
struct Asked<'a> {
    plan_path: Option<PathBuf>,
    plan_text: Option<String>,
    as_of: Option<&'a str>,
    split: Option<&'a str>,
    district_targets: Option<PathBuf>,
    overlays: Option<PathBuf>,
    overlays_datum: Option<&'a str>,
}

/// The plan check, set up as the command's flags set it up.
fn plan_check(placed: &Placed, asked: Asked) -> Result<PlanCheck, Failure> {
    let atlas = placed.atlas();
    let (plan, plan_file) = plan(asked.plan_path, asked.plan_text)?;
    let mut check = PlanCheck::new(plan);
    if let Some(path) = &asked.overlays {
        check = check.overlays(overlays_file(path, asked.overlays_datum)?);
    }
    if let Some(file) = &plan_file {
        let valid = check.plan.validate(atlas, check.overlays.as_ref());
        valid.map_err(|e| match carrier_quota::quota::plan_line(&file.text, &e) {
            // As the command names it: the plan file's line.
            Some(line) => Failure::of(&format!("{} line {line}", file.name), &e),
            None => Failure::of(&file.name, &e),
        })?;
    }

    if let Some(path) = asked.district_targets {
        let name = path.display().to_string();
        let file_name =
            (path.file_name()).map_or(name.clone(), |f| f.to_string_lossy().into_owned());
        let excel = matches!(CarrierFormat::by_name(&path), Some(CarrierFormat::Excel));
        let file = std::fs::File::open(&path).map_err(|e| Failure::io(&name, &e))?;
        let options = carrier_quota::ReadOptions::new().districts(placed.names.clone());
        let table = read_district_targets(file, &file_name, excel, &options)
            .map_err(|e| Failure::of(&name, &e))?;
        check = check.district_targets(table);
    }
    if let Some(as_of) = asked.as_of {
        check = check.as_of(date(as_of)?);
    }
    if let Some(split) = asked.split {
        check = check.split(split_by(split)?);
    }
    Ok(check.names(placed.names.clone()))
}

/// Checks a plan (the built-in 2021–2025 plan, a plan file, or plan JSON)
/// against placed carriers on a date.
#[pyfunction]
#[pyo3(signature = (placed, plan=None, plan_text=None, as_of=None, split=None, district_targets=None, overlays=None, overlays_datum=None))]
#[allow(clippy::too_many_arguments)]
pub fn check(
    py: Python<'_>,
    placed: &Placed,
    plan: Option<PathBuf>,
    plan_text: Option<String>,
    as_of: Option<&str>,
    split: Option<&str>,
    district_targets: Option<PathBuf>,
    overlays: Option<PathBuf>,
    overlays_datum: Option<&str>,
) -> PyResult<Check> {
    let is_split = split.is_some();
    let checked = py.detach(|| {
        let asked = Asked {
            plan_path: plan,
            plan_text,
            as_of,
            split,
            district_targets,
            overlays,
            overlays_datum,
        };
        let setup = plan_check(placed, asked)?;
        CheckedCell::try_new(Arc::clone(&placed.cell), |cell| {
            setup
                .run(cell.borrow_dependent().clone())
                .map_err(|e| Failure::of("", &e))
        })
    })?;
    Ok(Check {
        cell: checked,
        source: placed.source.clone(),
        split: is_split,
    })
}

/// The format a report's file name asks for; `png` draws the map.
fn format_of(path: &Path) -> Result<Option<report::Format>, Failure> {
    let extension = (path.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(Some(match extension.as_str() {
        "txt" => report::Format::Table,
        "json" => report::Format::Json,
        "csv" => report::Format::Csv,
        "geojson" => report::Format::GeoJson,
        "svg" => report::Format::Svg,
        "html" | "htm" => report::Format::Html,
        "xlsx" => report::Format::Xlsx,
        "docx" => report::Format::Docx,
        "png" => return Ok(None),
        other => {
            return Err(Failure::new(
                "ValueError",
                format!(
                    "{}: a report is written as .txt, .json, .csv, .geojson, .svg, .png, .html, \
                     .xlsx or .docx, not {other:?}",
                    path.display()
                ),
            ))
        }
    }))
}

impl Check {
    fn checked(&self) -> &carrier_quota::CheckedPlan<'_> {
        self.cell.borrow_dependent()
    }

    /// The report's options, as the command sets them.
    fn options(
        &self,
        lang: Option<&str>,
        district: Option<&str>,
        measure: Option<&str>,
    ) -> Result<Options, Failure> {
        let checked = self.checked();
        let atlas = checked.placed.atlas();
        let measure: Measure = match measure {
            Some(m) => m
                .parse()
                .map_err(|e: carrier_quota::carrier::UnknownName| {
                    Failure::new("ValueError", e.to_string())
                })?,
            None => Measure::FloorArea,
        };
        let mut map = MapOptions::new()
            .as_of(checked.as_of)
            .measure(measure)
            .note(self.source.clone());
        if self.split {
            map = map.district_share(checked.report.district_shares(atlas));
        }
        let lang = match lang {
            Some(lang) => lang
                .parse()
                .map_err(|e: carrier_quota::carrier::UnknownName| {
                    Failure::new("ValueError", e.to_string())
                })?,
            None => report::Lang::Both,
        };
        let mut options = Options::new()
            .map(map)
            .source(report::Source::file(&self.source))
            .lang(lang);
        if let Some(name) = district {
            let id: DistrictId = atlas.find_district(name).ok_or_else(|| {
                Failure::new(
                    "ValueError",
                    format!("{name:?} is no district's name or code"),
                )
            })?;
            options = options.district(id);
        }
        Ok(options)
    }
}

#[pymethods]
impl Check {
    /// The date checked, YYYY-MM-DD.
    #[getter]
    fn as_of(&self) -> String {
        self.checked().as_of.to_string()
    }

    /// The targets, zones and districts as tables.
    fn tables(&self, py: Python<'_>) -> PyResult<(PyTable, PyTable, PyTable)> {
        let tables = py.detach(|| report::arrow::tables(self.checked()));
        let tables = tables.map_err(|e| Failure::new("CarrierQuotaError", e.to_string()))?;
        let one = |batch: arrow_array::RecordBatch| {
            let schema = batch.schema();
            PyTable::try_new(vec![batch], schema)
        };
        Ok((
            one(tables.targets)?,
            one(tables.zones)?,
            one(tables.districts)?,
        ))
    }

    /// The report in `format` (`table`, `json`, `csv`, `geojson`, `svg`,
    /// `html`, `xlsx`, `docx`), as bytes.
    #[pyo3(signature = (format, lang=None, district=None, map_measure=None))]
    fn render(
        &self,
        py: Python<'_>,
        format: &str,
        lang: Option<&str>,
        district: Option<&str>,
        map_measure: Option<&str>,
    ) -> PyResult<Vec<u8>> {
        let options = self.options(lang, district, map_measure)?;
        let (format, png) = match format {
            "png" => (report::Format::Svg, true),
            other => {
                let format = other
                    .parse::<report::Format>()
                    .map_err(|e| Failure::new("ValueError", e.to_string()))?;
                (format, false)
            }
        };
        let written = py.detach(|| {
            let mut out = Vec::new();
            report::write(&mut out, self.checked(), format, &options)?;
            match png {
                true => report::svg_to_png(&out, 2.0),
                false => Ok(out),
            }
        });
        Ok(written.map_err(|e| Failure::new("CarrierQuotaError", e.to_string()))?)
    }

    /// Writes the report to `path`, in the format its extension names
    /// (`.png` is the map drawn as a picture); a CSV file begins with a
    /// byte-order mark unless `bom` is false.
    #[pyo3(signature = (path, lang=None, district=None, map_measure=None, bom=true))]
    fn write(
        &self,
        py: Python<'_>,
        path: PathBuf,
        lang: Option<&str>,
        district: Option<&str>,
        map_measure: Option<&str>,
        bom: bool,
    ) -> PyResult<()> {
        let format = match format_of(&path)? {
            Some(format) => format.as_str(),
            None => "png",
        };
        let mut bytes = self.render(py, format, lang, district, map_measure)?;
        if format == "csv" && bom {
            // As the command writes a CSV file: Excel on Chinese Windows
            // reads UTF-8 only after a byte-order mark.
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        let name = path.display().to_string();
        let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(&bytes));
        Ok(written.map_err(|e| Failure::new("CarrierQuotaError", format!("{name}: {e}")))?)
    }

    /// The plan checked at each year end, as the command's
    /// `report --history --format json`.
    fn history_json(&self, py: Python<'_>) -> PyResult<String> {
        let options = self.options(None, None, None)?;
        let written = py.detach(|| {
            let history = self.checked().history().map_err(|e| Failure::of("", &e))?;
            let mut out = Vec::new();
            report::write_history(&mut out, &history, report::Format::Json, &options)
                .map_err(|e| Failure::new("CarrierQuotaError", e.to_string()))?;
            Ok::<_, Failure>(String::from_utf8_lossy(&out).into_owned())
        });
        Ok(written?)
    }

    /// The candidate sites that close the plan's floor-area gaps at the
    /// least total cost, as the command's `sites --json`.
    #[pyo3(signature = (candidates, candidates_datum=None, exact_limit=None))]
    fn select_sites(
        &self,
        py: Python<'_>,
        candidates: PathBuf,
        candidates_datum: Option<&str>,
        exact_limit: Option<usize>,
    ) -> PyResult<String> {
        let datum = candidates_datum.map(parse_datum).transpose()?;
        let selected = py.detach(|| {
            let name = candidates.display().to_string();
            let file = std::fs::File::open(&candidates).map_err(|e| Failure::io(&name, &e))?;
            let candidates = read_candidates(std::io::BufReader::new(file), datum)
                .map_err(|e| Failure::of(&name, &e))?;
            let checked = self.checked();
            let mut options = SelectOptions::new().as_of(checked.as_of);
            if let Some(limit) = exact_limit {
                options = options.exact_limit(limit);
            }
            options.overlays = checked.overlays.as_ref();
            let selection = select(&checked.placed, &checked.plan, &candidates, &options)
                .map_err(|e| Failure::of("", &e))?;
            serde_json::to_string(&selection)
                .map_err(|e| Failure::new("CarrierQuotaError", e.to_string()))
        });
        Ok(selected?)
    }
}

/// A whole-number target split among districts by weight (the command's
/// `split`), as JSON: each district's code, name, weight and share.
#[pyfunction]
#[pyo3(signature = (target, atlas, zones=Vec::new(), districts=Vec::new(), weights="area", placed=None, minimum=Vec::new(), cap=Vec::new(), as_of=None))]
#[allow(clippy::too_many_arguments)]
pub fn split(
    py: Python<'_>,
    target: u64,
    atlas: &Atlas,
    zones: Vec<String>,
    districts: Vec<String>,
    weights: &str,
    placed: Option<&Placed>,
    minimum: Vec<(String, u64)>,
    cap: Vec<(String, u64)>,
    as_of: Option<&str>,
) -> PyResult<String> {
    let atlas = &atlas.atlas;
    let district = |name: &str| {
        atlas.find_district(name).ok_or_else(|| {
            Failure::new(
                "ValueError",
                format!("{name:?} is not a district code or name"),
            )
        })
    };
    let mut chosen: Vec<DistrictId> = (districts.iter())
        .map(|d| district(d))
        .collect::<Result<_, _>>()?;
    for name in &zones {
        let zone = atlas.find_zone(name).ok_or_else(|| {
            let known: Vec<&str> = atlas.zones().iter().map(|z| z.code.as_str()).collect();
            Failure::new(
                "ValueError",
                format!(
                    "{name:?} is not a zone: expected one of {}",
                    known.join(", ")
                ),
            )
        })?;
        chosen.extend(&atlas.zone(zone).districts);
    }
    if chosen.is_empty() {
        return Err(Failure::new(
            "ValueError",
            "name the zones or the districts to split among",
        )
        .into());
    }
    chosen.sort_unstable();
    chosen.dedup();
    let weights = split_by(weights)?;
    let as_of = as_of.map(date).transpose()?;
    let tally = match (&weights, placed) {
        (SplitBy::FloorArea, Some(placed)) => {
            let placed = placed.placed();
            match as_of {
                Some(date) => Tally::open_on(placed, date),
                None => Tally::new(placed),
            }
        }
        (SplitBy::FloorArea, None) => {
            return Err(Failure::new(
                "ValueError",
                "floor_area weights need the placed carriers (placed=)",
            )
            .into())
        }
        _ => Tally::empty(atlas),
    };
    let mut split = DistrictSplit::new(&chosen, weights.weighting(&tally));
    for (code, value) in &minimum {
        split = split.min(district(code)?, *value);
    }
    for (code, value) in &cap {
        split = split.cap(district(code)?, *value);
    }
    let shares = py.detach(|| split.apportion(atlas, target));
    let shares =
        shares.map_err(|e| Failure::new("PlanError", format!("cannot split {target}: {e}")))?;
    Ok(serde_json::to_string(&shares)
        .map_err(|e| Failure::new("CarrierQuotaError", e.to_string()))?)
}
