//! The command-line flags the examples share, and the opening of the files
//! they name. Everything else is the library's.

#![allow(dead_code)] // each example uses a different part

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use carrier_quota::apportion::{read_weights, SplitBy};
use carrier_quota::{
    read_carriers_file, read_carriers_parallel, read_overlays, read_plan, read_regions, Atlas,
    CarrierFormat, Carriers, Column, Date, Datum, DistrictNames, FootprintRule, PlanCheck,
    QuotaPlan, ReadOptions, RegionOptions,
};

/// The flags that say what to check: carriers, plan, overlays, date, split.
#[derive(clap::Args)]
pub struct PlanFlags {
    /// Carriers: GeoJSON, a CSV or Excel table, or (Geo)Parquet, told by
    /// the name or the content [default: the bundled synthetic sample].
    #[arg(long)]
    pub carriers: Option<PathBuf>,
    /// Datum of the carrier file, when it does not declare one.
    #[arg(long)]
    pub datum: Option<Datum>,
    #[command(flatten)]
    pub columns: ColumnFlags,
    /// Plan file, JSON or TOML [default: the built-in 2021–2025 plan].
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Split each zone target among its districts by these weights (area,
    /// floor_area, equal, or a CSV/JSON table of code and weight) and check
    /// the district targets too; the map is coloured by their status.
    #[arg(long, value_parser = parse_split)]
    pub split: Option<SplitBy>,
    /// GeoJSON overlay areas (dual-core areas, university ecosystems).
    #[arg(long)]
    pub overlays: Option<PathBuf>,
    /// Datum of the overlays file, when it has no top-level "datum" member.
    #[arg(long, requires = "overlays")]
    pub overlays_datum: Option<Datum>,
    /// The date to check, YYYY-MM-DD [default: the plan's last deadline].
    #[arg(long)]
    pub as_of: Option<Date>,
    /// How footprint carriers are assigned: surface-point or split.
    #[arg(long, default_value = "surface-point")]
    pub footprints: FootprintRule,
}

/// `area`, `floor_area`, `equal`, or a weight table's file.
pub fn parse_split(text: &str) -> Result<SplitBy, String> {
    match text.parse() {
        Ok(split) => Ok(split),
        Err(_) if Path::new(text).is_file() => {
            let table = File::open(text)
                .map_err(carrier_quota::Error::from)
                .and_then(read_weights);
            table
                .map(SplitBy::Table)
                .map_err(|e| format!("{text}: {e}"))
        }
        Err(_) => Err(format!(
            "{text:?} is not area, floor_area, equal or an existing CSV or JSON file"
        )),
    }
}

impl PlanFlags {
    /// Reads the plan, the overlays and the carriers the flags name.
    pub fn read(&self, atlas: &Atlas, fix_swapped: bool) -> Result<(PlanCheck, Carriers), String> {
        let plan = match &self.plan {
            Some(path) => open(path).and_then(|f| read_plan(f).map_err(|e| at(path, e, "")))?,
            None => QuotaPlan::chongqing_2021_2025(),
        };
        let mut check = PlanCheck::new(plan);
        if let Some(path) = &self.overlays {
            let overlays = read_overlays(open(path)?, self.overlays_datum)
                .map_err(|e| at(path, e, "--overlays-datum"))?;
            check = check.overlays(overlays);
        }
        if let Some(date) = self.as_of {
            check = check.as_of(date);
        }
        if let Some(split) = &self.split {
            check = check.split(split.clone());
        }
        let path = self.carriers.clone().unwrap_or_else(sample_carriers);
        let mut options = self.columns.options(atlas)?.fix_swapped(fix_swapped);
        options.datum = self.datum;
        let carriers = read_carrier_file(&path, &options, || File::open(&path))?;
        Ok((check, carriers))
    }
}

/// The columns of a carrier table: where the points are, and headers the
/// reader does not know.
#[derive(clap::Args)]
pub struct ColumnFlags {
    /// Longitude column of a table (a plain Parquet file needs it).
    #[arg(long, requires = "lat_column")]
    pub lon_column: Option<String>,
    /// Latitude column of such a table.
    #[arg(long, requires = "lon_column")]
    pub lat_column: Option<String>,
    /// Headers of a CSV or Excel table the reader does not know, and the
    /// property each gives: a TOML or JSON map, e.g. `"载体编号" = "id"`.
    #[arg(long)]
    pub headers: Option<PathBuf>,
    /// Sheet of an Excel workbook to read [default: the first].
    #[arg(long)]
    pub sheet: Option<String>,
}

impl ColumnFlags {
    /// How to read carriers for `atlas`: inside its outline, with its
    /// district names, and the columns these flags name.
    pub fn options(&self, atlas: &Atlas) -> Result<ReadOptions, String> {
        let mut options = ReadOptions::new()
            .expected_area(atlas.outline().clone())
            .districts(DistrictNames::of(atlas));
        options.coordinate_columns = self.lon_column.clone().zip(self.lat_column.clone());
        options.sheet = self.sheet.clone();
        if let Some(path) = &self.headers {
            for (header, column) in read_header_map(path)? {
                options = options.header(header, column);
            }
        }
        Ok(options)
    }
}

/// A header map file: TOML, or JSON when its name ends in .json.
fn read_header_map(path: &Path) -> Result<BTreeMap<String, Column>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let map = if json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    };
    map.map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether `path` names a Parquet file.
pub fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Reads a carrier file in the format its name or content shows; GeoJSON
/// is parsed in parallel from the readers `open` gives.
pub fn read_carrier_file<R: io::Read + Send>(
    path: &Path,
    options: &ReadOptions,
    open: impl FnMut() -> io::Result<R>,
) -> Result<Carriers, String> {
    let format = CarrierFormat::of(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let read = match format {
        CarrierFormat::GeoJson => read_carriers_parallel(open, options),
        CarrierFormat::Parquet => return read_parquet(path, options),
        _ => read_carriers_file(path, options),
    };
    read.map_err(|e| at(path, e, "--datum"))
}

#[cfg(feature = "parquet")]
fn read_parquet(path: &Path, options: &ReadOptions) -> Result<Carriers, String> {
    carrier_quota::read_carriers_parquet(open(path)?, options).map_err(|e| at(path, e, "--datum"))
}

#[cfg(not(feature = "parquet"))]
fn read_parquet(path: &Path, _: &ReadOptions) -> Result<Carriers, String> {
    Err(format!(
        "{}: reading Parquet needs the feature: cargo run --release --features parquet --example ...",
        path.display()
    ))
}

/// The flags that name a region set to use instead of the embedded atlas.
#[derive(clap::Args)]
pub struct RegionFlags {
    /// Region set to use instead of the embedded Chongqing atlas.
    #[arg(long, requires = "code_property")]
    pub regions: Option<PathBuf>,
    /// Property of each region holding its unique code.
    #[arg(long, requires = "regions")]
    pub code_property: Option<String>,
    /// Property of each region holding its name.
    #[arg(long, requires = "regions")]
    pub name_property: Option<String>,
    /// Property of each region naming its parent zone.
    #[arg(long, requires = "regions")]
    pub parent_property: Option<String>,
    /// The parent zone of each region is the first N characters of its
    /// code (2 groups Chinese county codes into provinces).
    #[arg(long, requires = "regions", conflicts_with = "parent_property",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub parent_prefix: Option<u16>,
    /// Datum of the region file, when it has no top-level "datum" member.
    #[arg(long, requires = "regions")]
    pub regions_datum: Option<Datum>,
}

impl RegionFlags {
    /// The region set the flags name, if any, with a warning on stderr for
    /// each gap or overlap.
    pub fn read(&self) -> Result<Option<Atlas>, String> {
        let Some(path) = &self.regions else {
            return Ok(None);
        };
        let code = self.code_property.clone().expect("clap requires it");
        let mut options = RegionOptions::new(code);
        options.name_property = self.name_property.clone();
        if let Some(property) = &self.parent_property {
            options = options.parent_property(property);
        }
        if let Some(n) = self.parent_prefix {
            options = options.parent_prefix(usize::from(n));
        }
        options.datum = self.regions_datum;
        let (atlas, issues) =
            read_regions(open(path)?, &options).map_err(|e| at(path, e, "--regions-datum"))?;
        for issue in issues {
            eprintln!("warning: {}: {issue}", path.display());
        }
        Ok(Some(atlas))
    }
}

/// The atlas the SQL functions answer from: the region set the flags
/// name, else a copy of the embedded one.
pub fn shared_atlas(regions: &RegionFlags) -> Result<std::sync::Arc<Atlas>, String> {
    let atlas = regions
        .read()?
        .unwrap_or_else(|| Atlas::chongqing().clone());
    Ok(std::sync::Arc::new(atlas))
}

/// Writes the file `path` with `write`, buffered, and says so on stderr as
/// `{what} written to {path}`.
pub fn write_file(
    path: &Path,
    what: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), String> {
    File::create(path)
        .map(BufWriter::new)
        .and_then(|mut file| {
            write(&mut file)?;
            file.flush()
        })
        .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{what} written to {}", path.display());
    Ok(())
}

/// Writes `value` as pretty JSON, with a final newline.
pub fn pretty_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// The exit code of a run: its own, or failure with the error on stderr.
pub fn exit(run: Result<ExitCode, String>) -> ExitCode {
    run.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::FAILURE
    })
}

/// The bundled synthetic sample of carriers.
pub fn sample_carriers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/carriers.geojson")
}

/// Opens a file, naming it in the error.
pub fn open(path: &Path) -> Result<File, String> {
    File::open(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A library error about the file `path`, with the flag that declares a
/// missing datum.
pub fn at(path: &Path, error: carrier_quota::Error, datum_flag: &str) -> String {
    match error.kind() {
        carrier_quota::ErrorKind::MissingDatum { .. }
        | carrier_quota::ErrorKind::TableDatum { .. }
            if !datum_flag.is_empty() =>
        {
            format!(
                "{}: {error} (pass {datum_flag} wgs84|gcj02|bd09)",
                path.display()
            )
        }
        _ => format!("{}: {error}", path.display()),
    }
}
