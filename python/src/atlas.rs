//! `Atlas`: a region set (Chongqing's, or one read from a file), its
//! districts and zones as tables, points located, tables placed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::builder::{StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch, RecordBatchIterator, RecordBatchReader};
use carrier_quota::atlas::{read_regions, RegionOptions};
use carrier_quota::names::DistrictNames;
use carrier_quota::overlay::{read_overlays, Overlays};
use carrier_quota::place::FootprintRule;
use carrier_quota::read::{read_carriers_arrow, Column};
use carrier_quota::write::PLACED_COLUMNS;
use carrier_quota::{Datum, ReadOptions};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3_arrow::{PyRecordBatchReader, PyTable};
use rayon::prelude::*;

use crate::errors::Failure;
use crate::placed::{Carriers, Input, Placed};

/// Points located at a time on one thread: their converted coordinates
/// and districts stay in cache.
const LOCATE_CHUNK: usize = 4096;

/// A region set: districts (with codes, names and zones) in a datum.
/// Immutable: one atlas serves any number of threads.
#[pyclass(frozen, module = "carrier_quota._native")]
pub struct Atlas {
    pub(crate) atlas: Arc<carrier_quota::Atlas>,
    /// Whether this is the embedded Chongqing atlas, whose former names and
    /// managed areas the readers know.
    embedded: bool,
    /// The gaps and overlaps found while a region file was read.
    issues: Vec<String>,
}

impl Atlas {
    /// The names a record's district may go by: for the embedded atlas,
    /// the former names and the managed areas too.
    pub(crate) fn names(&self) -> DistrictNames {
        match self.embedded {
            true => DistrictNames::chongqing().clone(),
            false => DistrictNames::of(&self.atlas),
        }
    }

    /// How carriers are read for this atlas: inside its outline, with its
    /// district names, in `datum`, as the command reads them.
    pub(crate) fn read_options(
        &self,
        datum: Option<&str>,
        fix_swapped: bool,
    ) -> Result<ReadOptions, Failure> {
        let mut options = ReadOptions::new()
            .expected_area(self.atlas.outline().clone())
            .districts(self.names())
            .fix_swapped(fix_swapped);
        options.datum = datum.map(parse_datum).transpose()?;
        Ok(options)
    }
}

/// A datum's name, as `Datum` parses it.
pub(crate) fn parse_datum(name: &str) -> Result<Datum, Failure> {
    name.parse::<Datum>()
        .map_err(|e| Failure::new("DatumError", e.to_string()))
}

/// An overlays file (GeoJSON), in `datum` when it declares none.
pub(crate) fn overlays_file(path: &Path, datum: Option<&str>) -> Result<Overlays, Failure> {
    let name = path.display().to_string();
    let datum = datum.map(parse_datum).transpose()?;
    let file = std::fs::File::open(path).map_err(|e| Failure::io(&name, &e))?;
    read_overlays(std::io::BufReader::new(file), datum).map_err(|e| Failure::of(&name, &e))
}

/// A footprint rule's name: `surface-point` or `split`.
pub(crate) fn parse_footprints(name: &str) -> Result<FootprintRule, Failure> {
    name.parse::<FootprintRule>()
        .map_err(|e| Failure::new("ValueError", e.to_string()))
}

#[pymethods]
impl Atlas {
    /// The embedded atlas of Chongqing's 38 districts (GCJ-02).
    #[staticmethod]
    fn chongqing() -> Atlas {
        static SHARED: OnceLock<Arc<carrier_quota::Atlas>> = OnceLock::new();
        let atlas = SHARED.get_or_init(|| Arc::new(carrier_quota::Atlas::chongqing().clone()));
        Atlas {
            atlas: Arc::clone(atlas),
            embedded: true,
            issues: Vec::new(),
        }
    }

    /// A region set read from a GeoJSON file, as `--regions` reads it.
    #[staticmethod]
    #[pyo3(signature = (path, code_property, name_property=None, parent_property=None, parent_prefix=None, datum=None))]
    fn from_file(
        py: Python<'_>,
        path: PathBuf,
        code_property: String,
        name_property: Option<String>,
        parent_property: Option<String>,
        parent_prefix: Option<usize>,
        datum: Option<&str>,
    ) -> PyResult<Atlas> {
        let name = path.display().to_string();
        let mut options = RegionOptions::new(code_property);
        options.name_property = name_property;
        if let Some(property) = parent_property {
            options = options.parent_property(property);
        }
        if let Some(n) = parent_prefix {
            options = options.parent_prefix(n);
        }
        options.datum = datum.map(parse_datum).transpose()?;
        let read = py.detach(|| {
            let file = std::fs::File::open(&path).map_err(|e| Failure::io(&name, &e))?;
            read_regions(std::io::BufReader::new(file), &options)
                .map_err(|e| Failure::of(&name, &e))
        });
        let (atlas, issues) = read?;
        Ok(Atlas {
            atlas: Arc::new(atlas),
            embedded: false,
            issues: issues.iter().map(|i| format!("{name}: {i}")).collect(),
        })
    }

    /// The atlas's name.
    #[getter]
    fn name(&self) -> String {
        self.atlas.name().to_string()
    }

    /// The datum of its boundaries: `wgs84`, `gcj02` or `bd09`.
    #[getter]
    fn datum(&self) -> &'static str {
        self.atlas.datum().as_str()
    }

    /// The gaps and overlaps found while its file was read.
    #[getter]
    fn issues(&self) -> Vec<String> {
        self.issues.clone()
    }

    /// The districts, one row each, in the order `locate` numbers them:
    /// `index`, `code`, `name`, `name_en`, `zone`.
    fn districts_table(&self) -> PyResult<PyTable> {
        let atlas = &self.atlas;
        let districts = atlas.districts();
        let mut index = UInt32Builder::new();
        let (mut code, mut name, mut name_en, mut zone) = (
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        for (i, d) in districts.iter().enumerate() {
            index.append_value(i as u32);
            code.append_value(d.code.as_str());
            name.append_value(&d.name);
            name_en.append_option(d.name_en.as_deref());
            zone.append_option(d.zone.map(|z| atlas.zone(z).code.as_str()));
        }
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("index", Arc::new(index.finish())),
            ("code", Arc::new(code.finish())),
            ("name", Arc::new(name.finish())),
            ("name_en", Arc::new(name_en.finish())),
            ("zone", Arc::new(zone.finish())),
        ];
        table(RecordBatch::try_from_iter(columns))
    }

    /// The districts' boundaries, in the atlas's datum: `code` and
    /// `geometry` (WKB multipolygons), one row per district in index order.
    fn boundaries_table(&self, py: Python<'_>) -> PyResult<PyTable> {
        let districts = self.atlas.districts();
        let written = py.detach(|| {
            let mut code = StringBuilder::new();
            let mut shapes = arrow_array::builder::BinaryBuilder::new();
            let mut bytes = Vec::new();
            for d in districts {
                code.append_value(d.code.as_str());
                bytes.clear();
                let shape = geo::Geometry::MultiPolygon(d.shape.clone());
                wkb::writer::write_geometry(&mut bytes, &shape, &Default::default())
                    .map_err(|e| Failure::new("CarrierQuotaError", e.to_string()))?;
                shapes.append_value(&bytes);
            }
            let columns: Vec<(&str, ArrayRef)> = vec![
                ("code", Arc::new(code.finish())),
                ("geometry", Arc::new(shapes.finish())),
            ];
            Ok::<_, Failure>(RecordBatch::try_from_iter(columns))
        });
        table(written?)
    }

    /// The zones, one row each: `code`, `name`, `name_en`, `districts`
    /// (how many).
    fn zones_table(&self) -> PyResult<PyTable> {
        let zones = self.atlas.zones();
        let (mut code, mut name, mut name_en) = (
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        let mut count = UInt32Builder::new();
        for z in zones {
            code.append_value(&z.code);
            name.append_value(&z.name);
            name_en.append_option(z.name_en.as_deref());
            count.append_value(z.districts.len() as u32);
        }
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("code", Arc::new(code.finish())),
            ("name", Arc::new(name.finish())),
            ("name_en", Arc::new(name_en.finish())),
            ("districts", Arc::new(count.finish())),
        ];
        table(RecordBatch::try_from_iter(columns))
    }

    /// The district index (into `districts_table`) of each point, `-1`
    /// outside every district: `x` longitudes and `y` latitudes in `datum`,
    /// read where they are, not copied.
    fn locate<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray1<'py, f64>,
        y: PyReadonlyArray1<'py, f64>,
        datum: &str,
    ) -> PyResult<Bound<'py, PyArray1<i32>>> {
        let datum = parse_datum(datum)?;
        let (Ok(xs), Ok(ys)) = (x.as_slice(), y.as_slice()) else {
            return Err(Failure::new(
                "ValueError",
                "x and y must be contiguous arrays (numpy.ascontiguousarray)",
            )
            .into());
        };
        if xs.len() != ys.len() {
            let message = format!("x has {} points and y {}", xs.len(), ys.len());
            return Err(Failure::new("ValueError", message).into());
        }
        let atlas = &self.atlas;
        let found = py.detach(|| {
            let mut found = vec![-1_i32; xs.len()];
            let pieces = found.par_chunks_mut(LOCATE_CHUNK);
            let inputs = xs.par_chunks(LOCATE_CHUNK).zip(ys.par_chunks(LOCATE_CHUNK));
            pieces.zip(inputs).for_each(|(out, (xs, ys))| {
                let to = atlas.datum();
                let points: Vec<geo::Coord> = (xs.iter().zip(ys))
                    .map(|(&x, &y)| datum.convert(geo::Coord { x, y }, to))
                    .collect();
                let mut districts = vec![None; points.len()];
                atlas.locate_into(&points, &mut districts);
                for (o, d) in out.iter_mut().zip(districts) {
                    *o = d.map_or(-1, |d| d.index() as i32);
                }
            });
            found
        });
        Ok(PyArray1::from_vec(py, found))
    }

    /// Carriers read from an Arrow stream, placed: the stream's batches are
    /// kept, to give back with where each row counts.
    #[pyo3(signature = (data, datum=None, lon=None, lat=None, headers=Vec::new(), fix_swapped=false, footprints="surface-point", name=None))]
    #[allow(clippy::too_many_arguments)]
    fn place_arrow(
        &self,
        py: Python<'_>,
        data: PyRecordBatchReader,
        datum: Option<&str>,
        lon: Option<String>,
        lat: Option<String>,
        headers: Vec<(String, String)>,
        fix_swapped: bool,
        footprints: &str,
        name: Option<String>,
    ) -> PyResult<Placed> {
        let mut options = self.read_options(datum, fix_swapped)?;
        options.coordinate_columns = lon.zip(lat);
        for (header, property) in headers {
            options = match property.as_str() {
                "ignore" => options.ignore(header),
                _ => options.header(header, column(&property)?),
            };
        }
        let rule = parse_footprints(footprints)?;
        let reader = data.into_reader()?;
        // Said before any row is read: the columns would be given twice.
        let schema = reader.schema();
        if let Some(taken) = PLACED_COLUMNS.iter().find(|c| schema.index_of(c).is_ok()) {
            let message = format!(
                "{}: the table already has a column {taken:?}: rename or drop it before placing",
                name.as_deref().unwrap_or("data")
            );
            return Err(Failure::new("ColumnError", message).into());
        }
        let atlas = Arc::clone(&self.atlas);
        let names = self.names();
        let name = name.unwrap_or_else(|| "data".to_string());
        let placed = py.detach(move || {
            let schema = reader.schema();
            let batches = reader
                .collect::<Result<Vec<RecordBatch>, _>>()
                .map_err(|e| Failure::new("ReadError", format!("{name}: {e}")))?;
            let stream =
                RecordBatchIterator::new(batches.clone().into_iter().map(Ok), schema.clone());
            let carriers =
                read_carriers_arrow(stream, &options).map_err(|e| Failure::of(&name, &e))?;
            Ok::<_, Failure>(Placed::new(
                atlas,
                carriers,
                rule,
                Input::Rows { batches, schema },
                name,
                names,
            ))
        });
        Ok(placed?)
    }

    /// Carriers read from a file, placed.
    #[pyo3(signature = (carriers, footprints="surface-point"))]
    fn place_carriers(
        &self,
        py: Python<'_>,
        carriers: &Carriers,
        footprints: &str,
    ) -> PyResult<Placed> {
        let rule = parse_footprints(footprints)?;
        let atlas = Arc::clone(&self.atlas);
        let (read, source) = (carriers.carriers.clone(), carriers.source.clone());
        let names = self.names();
        Ok(py.detach(move || Placed::new(atlas, read, rule, Input::File, source, names)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Atlas({:?}, {} districts in {} zones, {})",
            self.atlas.name(),
            self.atlas.districts().len(),
            self.atlas.zones().len(),
            self.atlas.datum()
        )
    }
}

/// The column a header map gives: a property's name.
pub(crate) fn column(property: &str) -> Result<Column, Failure> {
    serde_json::from_value(serde_json::Value::String(property.to_string())).map_err(|_| {
        Failure::new(
            "ColumnError",
            format!(
                "{property:?}: not a property; the properties are id, name, kind, category, \
                 level, floor_area_m2, enterprises, tech_enterprises, opened, closed, overlay, \
                 district, address, town, lon, lat, or \"ignore\""
            ),
        )
    })
}

/// One record batch as a table for Python.
pub(crate) fn table(batch: Result<RecordBatch, arrow_schema::ArrowError>) -> PyResult<PyTable> {
    let batch = batch.map_err(|e| Failure::new("CarrierQuotaError", e.to_string()))?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)
}
