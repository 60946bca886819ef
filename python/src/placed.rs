//! `Carriers` (a register read) and `Placed` (carriers placed in an
//! atlas), with their rejections, notes and mismatches as tables.

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::SchemaRef;
use carrier_quota::names::{Declared, DistrictNames, OverlayNames};
use carrier_quota::place::FootprintRule;
use carrier_quota::read::{read_register_files, register_files_in, register_name, RegisterFile};
use carrier_quota::write::{placed_batches, RowPlaces, PLACED_COLUMNS};
use carrier_quota::CarrierFormat;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use self_cell::self_cell;

use crate::atlas::{column, overlays_file, table, Atlas};
use crate::errors::Failure;

type PlacedIn<'a> = carrier_quota::Placed<'a>;

self_cell!(
    /// Placed carriers kept with the atlas they borrow.
    pub(crate) struct PlacedCell {
        owner: Arc<carrier_quota::Atlas>,
        #[covariant]
        dependent: PlacedIn,
    }
    impl {Debug}
);

/// Carriers read from a register, with the rows it refused.
#[pyclass(frozen, module = "carrier_quota._native")]
pub struct Carriers {
    pub(crate) carriers: carrier_quota::Carriers,
    /// How reports name the data: the file's name.
    pub(crate) source: String,
}

/// Where the placed carriers came from, and so what they give back.
pub(crate) enum Input {
    /// An Arrow stream: its batches, given back with three columns more.
    Rows {
        batches: Vec<RecordBatch>,
        schema: SchemaRef,
    },
    /// A file: the carriers as the Parquet writer writes them.
    File,
}

/// Carriers placed in an atlas: each row's district, zone and how it was
/// placed.
#[pyclass(frozen, module = "carrier_quota._native")]
pub struct Placed {
    pub(crate) cell: Arc<PlacedCell>,
    input: Input,
    pub(crate) source: String,
    /// The district names the carriers were read with.
    pub(crate) names: DistrictNames,
}

impl Placed {
    pub(crate) fn new(
        atlas: Arc<carrier_quota::Atlas>,
        carriers: carrier_quota::Carriers,
        rule: FootprintRule,
        input: Input,
        source: String,
        names: DistrictNames,
    ) -> Placed {
        let cell = PlacedCell::new(atlas, |atlas| atlas.place(carriers, rule));
        Placed {
            cell: Arc::new(cell),
            input,
            source,
            names,
        }
    }

    pub(crate) fn placed(&self) -> &carrier_quota::Placed<'_> {
        self.cell.borrow_dependent()
    }

    pub(crate) fn atlas(&self) -> &Arc<carrier_quota::Atlas> {
        self.cell.borrow_owner()
    }
}

/// Reads a carrier file, or several (a list, or folders of them) as one
/// register.
#[pyfunction]
#[pyo3(signature = (paths, atlas, datum=None, sheets=Vec::new(), encoding=None, headers=Vec::new(), lon=None, lat=None, fix_swapped=false, overlay_ids=Vec::new(), overlays=None, overlays_datum=None))]
#[allow(clippy::too_many_arguments)]
pub fn read_carriers(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    atlas: &Atlas,
    datum: Option<&str>,
    sheets: Vec<String>,
    encoding: Option<&str>,
    headers: Vec<(String, String)>,
    lon: Option<String>,
    lat: Option<String>,
    fix_swapped: bool,
    overlay_ids: Vec<String>,
    overlays: Option<PathBuf>,
    overlays_datum: Option<&str>,
) -> PyResult<Carriers> {
    let mut options = atlas.read_options(datum, fix_swapped)?;
    // A record's overlay may name the dual core, an overlay a plan
    // declares, or one of an overlays file, as the command reads it.
    let mut names = OverlayNames::chongqing().clone();
    for id in &overlay_ids {
        names = names.with(id, std::iter::empty::<&str>());
    }
    if let Some(path) = overlays {
        names = names.with_overlays(&overlays_file(&path, overlays_datum)?);
    }
    options = options.overlays(names);
    options.sheets = sheets;
    options.coordinate_columns = lon.zip(lat);
    if let Some(encoding) = encoding {
        let parsed = (encoding.parse::<carrier_quota::read::Encoding>())
            .map_err(|e| Failure::new("ValueError", e.to_string()));
        options.encoding = Some(parsed?);
    }
    for (header, property) in headers {
        options = match property.as_str() {
            "ignore" => options.ignore(header),
            _ => options.header(header, column(&property)?),
        };
    }
    let read = py.detach(|| -> Result<Carriers, Failure> {
        let source = register_name(&paths);
        let carriers = match paths.as_slice() {
            [one] if !one.is_dir() => {
                let name = one.display().to_string();
                std::fs::File::open(one).map_err(|e| Failure::io(&name, &e))?;
                let format = CarrierFormat::of(one).map_err(|e| Failure::io(&name, &e))?;
                format
                    .read_file(one, &options)
                    .map_err(|e| Failure::of(&name, &e))?
            }
            _ => {
                let mut files = Vec::new();
                for path in &paths {
                    let name = path.display().to_string();
                    if path.is_dir() {
                        let found = register_files_in(path).map_err(|e| Failure::io(&name, &e))?;
                        if found.is_empty() {
                            let message = format!("{name}: the folder holds no carrier file");
                            return Err(Failure::new("ReadError", message));
                        }
                        files.extend(found);
                    } else {
                        std::fs::File::open(path).map_err(|e| Failure::io(&name, &e))?;
                        files.push(path.clone());
                    }
                }
                let files: Vec<RegisterFile> = (files.into_iter())
                    .map(|path| RegisterFile::new(path, options.clone()))
                    .collect();
                read_register_files(&files).map_err(|e| Failure::of("carriers", &e))?
            }
        };
        Ok(Carriers { carriers, source })
    });
    Ok(read?)
}

/// The rejected rows: `index` (from 0), `row` (a table's, as a
/// spreadsheet numbers it), `file`, `sheet`, `id`, `column` (as the file
/// writes it, when the reason names one), `reason`.
fn rejections(carriers: &carrier_quota::Carriers) -> PyResult<PyTable> {
    let rejections = carriers.rejections();
    let mut index = UInt64Builder::new();
    let mut row = UInt64Builder::new();
    let [mut file, mut sheet, mut id, mut column, mut reason] =
        std::array::from_fn(|_| StringBuilder::new());
    for r in rejections {
        index.append_value(r.index as u64);
        row.append_option(r.row.map(|n| n as u64));
        file.append_option(r.origin.file.as_deref());
        sheet.append_option(r.origin.sheet.as_deref());
        id.append_option(r.id.as_deref());
        // The reason's own field names the column, where it has one.
        let named = serde_json::to_value(&r.reason).unwrap_or_default();
        let named = ["property", "field", "member"]
            .iter()
            .find_map(|k| named[*k].as_str());
        column.append_option(named);
        reason.append_value(r.reason.to_string());
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("index", Arc::new(index.finish())),
        ("row", Arc::new(row.finish())),
        ("file", Arc::new(file.finish())),
        ("sheet", Arc::new(sheet.finish())),
        ("id", Arc::new(id.finish())),
        ("column", Arc::new(column.finish())),
        ("reason", Arc::new(reason.finish())),
    ];
    table(RecordBatch::try_from_iter(columns))
}

#[pymethods]
impl Carriers {
    fn __len__(&self) -> usize {
        self.carriers.len()
    }

    /// The datum the file's coordinates are in.
    #[getter]
    fn datum(&self) -> &'static str {
        self.carriers.datum().as_str()
    }

    /// How reports name the data.
    #[getter]
    fn source(&self) -> String {
        self.source.clone()
    }

    /// Records read: carriers and rejected rows.
    #[getter]
    fn records_read(&self) -> usize {
        self.carriers.features_read()
    }

    /// The rows refused, and why.
    fn rejections_table(&self) -> PyResult<PyTable> {
        rejections(&self.carriers)
    }

    /// What the read decided for a whole file: the encoding, units, sheets
    /// and rows set aside.
    fn notes(&self) -> Vec<String> {
        self.carriers
            .notes()
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

#[pymethods]
impl Placed {
    fn __len__(&self) -> usize {
        self.placed().carriers().len()
    }

    /// How reports name the data.
    #[getter]
    fn source(&self) -> String {
        self.source.clone()
    }

    /// Records read: carriers and rejected rows.
    #[getter]
    fn records_read(&self) -> usize {
        self.placed().carriers().features_read()
    }

    /// The placed rows: the input's columns (shared, not copied) and
    /// `placed_district`, `placed_zone`, `placed_by`; for a file, its
    /// carriers as the Parquet writer writes them.
    fn table(&self, py: Python<'_>) -> PyResult<PyTable> {
        let placed = self.placed();
        let built = py.detach(|| match &self.input {
            Input::Rows { batches, schema } => {
                let rows = RowPlaces::new(placed);
                let mut first = 0;
                let mut out = Vec::with_capacity(batches.len());
                for batch in batches {
                    out.push(rows.append_to(batch, first)?);
                    first += batch.num_rows();
                }
                let schema = match out.first() {
                    Some(batch) => batch.schema(),
                    // No batch: the input's columns and the three.
                    None => rows
                        .append_to(&RecordBatch::new_empty(schema.clone()), 0)?
                        .schema(),
                };
                Ok((out, schema))
            }
            Input::File => {
                let batches = placed_batches(placed)?;
                let schema = match batches.first() {
                    Some(batch) => batch.schema(),
                    None => Arc::new(arrow_schema::Schema::empty()),
                };
                Ok((batches, schema))
            }
        });
        let (batches, schema) = built.map_err(|e: arrow_schema::ArrowError| {
            Failure::new("CarrierQuotaError", e.to_string())
        })?;
        PyTable::try_new(batches, schema)
    }

    /// The rows refused, and why.
    fn rejections_table(&self) -> PyResult<PyTable> {
        rejections(self.placed().carriers())
    }

    /// `placed_district`, `placed_zone` and `placed_by` alone, one row per
    /// input row, to add to a frame the caller still holds.
    fn placed_columns(&self, py: Python<'_>) -> PyResult<PyTable> {
        let placed = self.placed();
        let columns = py.detach(|| {
            let rows = RowPlaces::new(placed);
            let columns = rows.columns(0, rows.rows());
            RecordBatch::try_from_iter(PLACED_COLUMNS.into_iter().zip(columns))
        });
        table(columns)
    }

    /// Carriers whose declared district is not where their location lies:
    /// `index`, `id`, `name`, `declared` (as written), `declared_code`,
    /// `located` (code, null outside every district).
    fn mismatches_table(&self) -> PyResult<PyTable> {
        let placed = self.placed();
        let (atlas, carriers) = (placed.atlas(), placed.carriers());
        let mut index = UInt64Builder::new();
        let [mut id, mut name, mut declared, mut code, mut located] =
            std::array::from_fn(|_| StringBuilder::new());
        for m in placed.mismatches() {
            let carrier = carriers.get(m.position);
            index.append_value(carriers.feature_index(m.position) as u64);
            id.append_value(carrier.id());
            name.append_option(carrier.name());
            declared.append_value(&m.written);
            let declared_code = match &m.declared {
                Declared::District { code }
                | Declared::FormerName { code, .. }
                | Declared::AreaInDistrict { code, .. } => Some(code.as_str()),
                _ => None,
            };
            code.append_option(declared_code);
            located.append_option(m.located.map(|d| atlas.district(d).code.as_str()));
        }
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("index", Arc::new(index.finish())),
            ("id", Arc::new(id.finish())),
            ("name", Arc::new(name.finish())),
            ("declared", Arc::new(declared.finish())),
            ("declared_code", Arc::new(code.finish())),
            ("located", Arc::new(located.finish())),
        ];
        table(RecordBatch::try_from_iter(columns))
    }

    /// The `note:` lines the command prints for this input: how its rows
    /// were read, the names records give, the datum.
    fn notes(&self) -> Vec<String> {
        let placed = self.placed();
        let mut text = Vec::new();
        let summary = placed.summary();
        let _ = carrier_quota::report::write_input_notes(&mut text, placed.atlas(), &summary);
        String::from_utf8_lossy(&text)
            .lines()
            .map(|line| line.strip_prefix("note: ").unwrap_or(line).to_string())
            .collect()
    }

    /// The atlas the carriers are placed in.
    #[getter]
    fn atlas_datum(&self) -> &'static str {
        self.atlas().datum().as_str()
    }
}
