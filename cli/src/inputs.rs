//! What the subcommands read, and the flags that name it: carriers in any
//! format the library reads (or on standard input), plans, overlays and
//! region sets. Every error names its file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use carrier_quota::atlas::{read_regions, CoverageIssue, RegionOptions};
use carrier_quota::names::OverlayNames;
use carrier_quota::overlay::read_overlays;
use carrier_quota::place::FootprintRule;
use carrier_quota::quota::{read_district_targets, read_plan, read_weights, SplitBy};
use carrier_quota::read::{self, Column, Encoding, RegisterFile};
use carrier_quota::{
    Atlas, CarrierFormat, Carriers, Date, Datum, DistrictNames, ErrorKind, PlanCheck, QuotaPlan,
    ReadOptions,
};
use indicatif::{ProgressBar, ProgressStyle};

use crate::output::{is_std, Failure};

/// The bundled synthetic sample of carriers (not real records), compiled
/// in so that the command runs anywhere without a file.
const SAMPLE: &[u8] = include_bytes!("../../data/sample/carriers.geojson");

/// Inputs at least this large get a progress bar (when stderr is a
/// terminal): smaller ones are read before a bar would be seen.
const LARGE_INPUT_BYTES: u64 = 32 << 20;

/// Where carriers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file, in the format its name or content shows.
    File(PathBuf),
    /// Several files, or folders of them, read as one register.
    Files(Vec<PathBuf>),
    /// The files a sources file lists, each with its own options.
    Listed(PathBuf),
    /// Standard input (`-`), in the format its first bytes show.
    Stdin,
    /// The bundled synthetic sample.
    Sample,
}

impl Source {
    /// The source a path names: `-` is standard input; none is the sample.
    pub fn of(path: Option<&Path>) -> Source {
        match path {
            None => Source::Sample,
            Some(path) if is_std(path) => Source::Stdin,
            Some(path) => Source::File(path.to_path_buf()),
        }
    }

    /// The source of `--carriers` (any number, folders among them) and
    /// `--sources`.
    pub fn of_all(paths: &[PathBuf], sources: Option<&Path>) -> Result<Source, Failure> {
        match (paths, sources) {
            ([], Some(listed)) => Ok(Source::Listed(listed.to_path_buf())),
            (_, Some(_)) => Err("--sources lists the carrier files: give it or --carriers, \
                                 not both"
                .into()),
            ([one], None) if !one.is_dir() => Ok(Source::of(Some(one))),
            (many, None) if many.iter().any(|p| is_std(p)) => {
                Err("standard input (-) is read alone, not with other carrier files".into())
            }
            ([], None) => Ok(Source::Sample),
            (many, None) => Ok(Source::Files(many.to_vec())),
        }
    }

    /// How errors and notes name it.
    pub fn name(&self) -> String {
        match self {
            Source::File(path) | Source::Listed(path) => path.display().to_string(),
            Source::Files(paths) => read::register_name(paths),
            Source::Stdin => "stdin".into(),
            Source::Sample => "carriers.geojson (bundled sample)".into(),
        }
    }

    /// How reports name it: the file's name, and whether the records are
    /// synthetic.
    pub fn report_source(&self) -> carrier_quota::report::Source {
        use carrier_quota::report::Source as Named;
        match self {
            Source::File(path) | Source::Listed(path) => {
                Named::file(path.file_name().unwrap_or_default().to_string_lossy())
            }
            Source::Files(paths) => Named::file(read::register_name(paths)),
            Source::Stdin => Named::file("stdin"),
            Source::Sample => Named::synthetic("carriers.geojson"),
        }
    }

    /// How the map's note names it: the file name, and whether the records
    /// are synthetic (the map's subtitle counts them).
    pub fn note(&self) -> String {
        match self {
            Source::File(path) | Source::Listed(path) => path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            Source::Files(paths) => read::register_name(paths),
            Source::Stdin => "stdin".to_string(),
            Source::Sample => "carriers.geojson (synthetic sample, not real records)".to_string(),
        }
    }

    /// Reads the carriers, with a progress bar on stderr when it is a
    /// terminal, the input is large and `quiet` is off.
    pub fn read(&self, options: &ReadOptions, quiet: bool) -> Result<Carriers, Failure> {
        let read = match self {
            Source::Sample => CarrierFormat::GeoJson.read_opened(|| Ok(SAMPLE), options),
            Source::Stdin => read_stdin(options),
            Source::File(path) => return read_file(path, options, quiet),
            Source::Files(paths) => return read_files(paths, options),
            Source::Listed(path) => return read_listed(path, options),
        };
        read.map_err(|e| at(&self.name(), e, "--datum"))
    }
}

/// Several files, and the files of folders, read with one set of options
/// as one register.
fn read_files(paths: &[PathBuf], options: &ReadOptions) -> Result<Carriers, Failure> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found =
                read::register_files_in(path).map_err(|e| format!("{}: {e}", path.display()))?;
            if found.is_empty() {
                return Err(format!(
                    "{}: the folder holds no carrier file",
                    path.display()
                ));
            }
            files.extend(found);
        } else {
            File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push(path.clone());
        }
    }
    let files: Vec<RegisterFile> = files
        .into_iter()
        .map(|path| RegisterFile::new(path, options.clone()))
        .collect();
    read::read_register_files(&files).map_err(|e| at("carriers", e, "--datum"))
}

/// One entry of a sources file: a carrier file (or folder) and the options
/// it needs, each defaulting to the command's flags.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    path: PathBuf,
    datum: Option<Datum>,
    encoding: Option<Encoding>,
    #[serde(default)]
    sheets: Vec<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

/// A sources file: `[[file]]` tables with a `path` (relative to the
/// sources file) and its options.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Listing {
    file: Vec<Listed>,
}

/// The files a sources file lists, each read with its own options, as one
/// register.
fn read_listed(path: &Path, options: &ReadOptions) -> Result<Carriers, Failure> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let listing: Listing = toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut files = Vec::new();
    for entry in listing.file {
        let mut own = options.clone();
        own.datum = entry.datum.or(own.datum);
        own.encoding = entry.encoding.or(own.encoding);
        if !entry.sheets.is_empty() {
            own.sheets = entry.sheets;
        }
        for (header, to) in entry.headers {
            own = match column_of(&header, to).map_err(|e| format!("{name}: {e}"))? {
                (header, Some(column)) => own.header(header, column),
                (header, None) => own.ignore(header),
            };
        }
        let file = folder.join(&entry.path);
        let paths = match file.is_dir() {
            true => read::register_files_in(&file).map_err(|e| format!("{name}: {e}"))?,
            false => vec![file],
        };
        files.extend(paths.into_iter().map(|p| RegisterFile::new(p, own.clone())));
    }
    if files.is_empty() {
        return Err(format!(
            "{name}: lists no carrier file ([[file]] path = \"...\")"
        ));
    }
    read::read_register_files(&files).map_err(|e| at(&name, e, "datum = \"…\" in the sources file"))
}

fn read_file(path: &Path, options: &ReadOptions, quiet: bool) -> Result<Carriers, Failure> {
    let name = path.display().to_string();
    // Said plainly, before a reader wraps it as a failed read.
    File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let format = CarrierFormat::of(path).map_err(|e| format!("{name}: {e}"))?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let bar = progress_bar(&name, size, quiet || size < LARGE_INPUT_BYTES);
    // Parquet is read batch by batch from the file's ends, and a workbook
    // as a whole: a spinner shows that work goes on. The other formats
    // stream, and the bar counts their bytes.
    if matches!(format, CarrierFormat::Parquet | CarrierFormat::Excel) {
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
    }
    let read = match format {
        CarrierFormat::Parquet => format.read_file(path, options),
        _ => format.read_opened(
            || {
                bar.set_position(0);
                Ok(bar.wrap_read(File::open(path)?))
            },
            options,
        ),
    };
    bar.finish_and_clear();
    read.map_err(|e| at(&name, e, "--datum"))
}

/// Standard input, in the format its first bytes show: GeoJSON and CSV
/// are read as the stream comes; a workbook or a Parquet file, which are
/// read from their ends too, is held in memory first.
fn read_stdin(options: &ReadOptions) -> Result<Carriers, carrier_quota::Error> {
    let mut stdin = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let format = CarrierFormat::sniff(stdin.fill_buf()?);
    format.read(stdin, options)
}

/// A byte progress bar for reading `name`, hidden when `hidden` or when
/// stderr is not a terminal.
fn progress_bar(name: &str, size: u64, hidden: bool) -> ProgressBar {
    if hidden || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    let style = ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})");
    bar.set_style(style.expect("valid template").progress_chars("=> "));
    bar.set_message(format!("reading {name}"));
    bar
}

/// A library error about the input `name`, with the flag that declares a
/// missing datum, or the feature a format needs.
pub fn at(name: &str, error: carrier_quota::Error, datum_flag: &str) -> Failure {
    // An error in one file of several says what the file's own would.
    let inner = match error.kind() {
        ErrorKind::In { error, .. } => error.kind(),
        kind => kind,
    };
    match inner {
        ErrorKind::MissingDatum { .. } | ErrorKind::TableDatum { .. } if !datum_flag.is_empty() => {
            let several = matches!(error.kind(), ErrorKind::In { .. });
            let own = match several {
                true => ", or give the file its own datum in a --sources file",
                false => "",
            };
            format!("{name}: {error} (pass {datum_flag} wgs84|gcj02|bd09{own})")
        }
        ErrorKind::FormatNotBuilt { .. } => format!(
            "{name}: {error}: this carrier-quota was built without it \
             (cargo install --path cli --features parquet,excel)"
        ),
        _ => format!("{name}: {error}"),
    }
}

/// Opens a file, naming it in the error.
pub fn open(path: &Path) -> Result<File, Failure> {
    File::open(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The flags of a carrier file's reading: its datum, its columns, and
/// whether swapped coordinates are swapped back.
#[derive(clap::Args)]
pub struct CarrierFlags {
    /// Datum of the carrier file, when it does not declare one (tables and
    /// plain Parquet files never do): wgs84, gcj02 or bd09.
    #[arg(long)]
    pub datum: Option<Datum>,
    /// Longitude column of a table (a plain Parquet file needs it).
    #[arg(long, requires = "lat_column")]
    pub lon_column: Option<String>,
    /// Latitude column of such a table.
    #[arg(long, requires = "lon_column")]
    pub lat_column: Option<String>,
    /// Headers of a CSV or Excel table the reader does not know, and the
    /// property each gives: a TOML or JSON map, e.g. `"载体编号" = "id"`;
    /// `"载体类别" = "ignore"` leaves a column unread.
    #[arg(long, value_name = "MAP")]
    pub headers: Option<PathBuf>,
    /// Sheet of an Excel workbook to read; repeat it for several
    /// [default: every sheet that holds a register, the others named with
    /// why].
    #[arg(long, value_name = "NAME")]
    pub sheet: Vec<String>,
    /// Text encoding of a CSV table: utf-8, gb18030 (GBK) or utf-16
    /// [default: the byte-order mark's, else UTF-8, or GB18030 when the
    /// text is not UTF-8 and reads as GB18030 throughout].
    #[arg(long)]
    pub encoding: Option<Encoding>,
    /// A TOML file listing carrier files (or folders), each with the
    /// options it needs: `[[file]]` with `path`, and `datum`, `encoding`,
    /// `sheets`, `headers` where they differ from the flags. Paths are
    /// relative to it.
    #[arg(long, value_name = "TOML")]
    pub sources: Option<PathBuf>,
    /// Read points whose longitude and latitude are swapped (they lie in
    /// the atlas only when swapped back) swapped back, instead of rejecting
    /// them.
    #[arg(long)]
    pub fix_swapped: bool,
}

impl CarrierFlags {
    /// How to read carriers for `atlas`: inside its outline, with its
    /// district names, and the datum and columns these flags name.
    pub fn options(&self, atlas: &Atlas) -> Result<ReadOptions, Failure> {
        // The embedded atlas knows the names districts had and the
        // managed areas; a region set of the user's, its own names.
        let names = match std::ptr::eq(atlas, Atlas::chongqing()) {
            true => DistrictNames::chongqing().clone(),
            false => DistrictNames::of(atlas),
        };
        let mut options = ReadOptions::new()
            .expected_area(atlas.outline().clone())
            .districts(names)
            .fix_swapped(self.fix_swapped);
        options.datum = self.datum;
        options.encoding = self.encoding;
        options.coordinate_columns = self.lon_column.clone().zip(self.lat_column.clone());
        options.sheets = self.sheet.clone();
        if let Some(path) = &self.headers {
            for (header, column) in read_header_map(path)? {
                options = match column {
                    Some(column) => options.header(header, column),
                    None => options.ignore(header),
                };
            }
        }
        Ok(options)
    }
}

/// A header map file: TOML, or JSON when its name ends in .json. Each
/// header gives a column, or `None` for one to ignore.
fn read_header_map(path: &Path) -> Result<BTreeMap<String, Option<Column>>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let map: Result<BTreeMap<String, String>, String> =
        if crate::output::has_extension(path, "json") {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            toml::from_str(&text).map_err(|e| e.to_string())
        };
    let map = map.map_err(|e| format!("{}: {e}", path.display()))?;
    let column = |(header, to): (String, String)| {
        column_of(&header, to).map_err(|e| format!("{}: {e}", path.display()))
    };
    map.into_iter().map(column).collect()
}

/// The column a header map gives `header`, or `None` for "ignore".
fn column_of(header: &str, to: String) -> Result<(String, Option<Column>), Failure> {
    if to == "ignore" {
        return Ok((header.to_string(), None));
    }
    let column = serde_json::from_value(serde_json::Value::String(to.clone()));
    let column = column.map_err(|_| {
        format!(
            "{header:?} = {to:?}: not a property; the properties are id, name, kind, category, \
             level, floor_area_m2, enterprises, tech_enterprises, opened, closed, overlay, \
             district, address, town, lon, lat, or \"ignore\""
        )
    })?;
    Ok((header.to_string(), Some(column)))
}

/// The flags that say what to check: carriers, plan, overlays, date, split.
#[derive(clap::Args)]
pub struct PlanFlags {
    /// Carriers: GeoJSON, a CSV or Excel table, or (Geo)Parquet, told by
    /// the name or the content; `-` reads standard input. Repeat it, or
    /// name a folder, to read several files as one register [default: the
    /// bundled synthetic sample].
    #[arg(long, value_name = "FILE")]
    pub carriers: Vec<PathBuf>,
    /// How the carrier file is read.
    #[command(flatten)]
    pub reading: CarrierFlags,
    /// Plan file, JSON or TOML [default: the built-in 2021–2025 plan].
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Split each zone target among its districts by these weights (area,
    /// floor_area, equal, or a CSV/JSON table of code and weight) and check
    /// the district targets too; the map is coloured by their status.
    #[arg(long, value_parser = parse_split, value_name = "WEIGHTS")]
    pub split: Option<SplitBy>,
    /// Targets assigned to each district (指标分解): a CSV or Excel table,
    /// a row per district (name, short name, code or former name) and a
    /// column per measure (面积, 在孵企业, 科技型企业, 载体数) or target id;
    /// or the columns district, target and required. They replace a
    /// --split's shares, and the report lists the districts it leaves out.
    #[arg(long, value_name = "FILE")]
    pub district_targets: Option<PathBuf>,
    /// GeoJSON overlay areas (dual-core areas, university ecosystems).
    #[arg(long)]
    pub overlays: Option<PathBuf>,
    /// Datum of the overlays file, when it has no top-level "datum" member.
    #[arg(long, requires = "overlays")]
    pub overlays_datum: Option<Datum>,
    /// The date to check, YYYY-MM-DD [default: the plan's last deadline].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<Date>,
    /// How footprint carriers are assigned: surface-point or split.
    #[arg(long, default_value = "surface-point")]
    pub footprints: FootprintRule,
}

impl PlanFlags {
    /// Where the carriers come from.
    pub fn source(&self) -> Result<Source, Failure> {
        Source::of_all(&self.carriers, self.reading.sources.as_deref())
    }

    /// Reads the plan, the overlays and the carriers the flags name.
    pub fn read(&self, atlas: &Atlas, quiet: bool) -> Result<(PlanCheck, Carriers), Failure> {
        self.read_from(atlas, quiet, &self.source()?)
    }

    /// Reads the plan and the overlays the flags name, and the carriers of
    /// `source` (an earlier register to compare with, say).
    pub fn read_from(
        &self,
        atlas: &Atlas,
        quiet: bool,
        source: &Source,
    ) -> Result<(PlanCheck, Carriers), Failure> {
        let (plan, plan_text) = match &self.plan {
            Some(path) => {
                let name = path.display().to_string();
                let text = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
                let plan = read_plan(&text[..]).map_err(|e| at(&name, e, ""))?;
                (plan, Some((name, text)))
            }
            None => (QuotaPlan::chongqing_2021_2025(), None),
        };
        let mut check = PlanCheck::new(plan);
        if let Some(path) = &self.overlays {
            let overlays = read_overlays(open(path)?, self.overlays_datum)
                .map_err(|e| at(&path.display().to_string(), e, "--overlays-datum"))?;
            check = check.overlays(overlays);
        }
        if let Some((name, text)) = &plan_text {
            check
                .plan
                .validate(atlas, check.overlays.as_ref())
                .map_err(|e| plan_error(name, text, e))?;
        }
        if let Some(path) = &self.district_targets {
            let name = path.display().to_string();
            let file = path
                .file_name()
                .map_or(name.clone(), |f| f.to_string_lossy().into_owned());
            let excel = matches!(CarrierFormat::by_name(path), Some(CarrierFormat::Excel));
            let options = self.reading.options(atlas)?;
            let table = read_district_targets(open(path)?, &file, excel, &options)
                .map_err(|e| at(&name, e, "--encoding"))?;
            check = check.district_targets(table);
        }
        if let Some(date) = self.as_of {
            check = check.as_of(date);
        }
        if let Some(split) = &self.split {
            check = check.split(split.clone());
        }
        // An `overlay` may name the dual core, an overlay the plan names,
        // or one of the overlays file.
        let mut overlays = OverlayNames::chongqing().clone();
        for id in &check.plan.overlays {
            overlays = overlays.with(id, std::iter::empty::<&str>());
        }
        if let Some(file) = &check.overlays {
            overlays = overlays.with_overlays(file);
        }
        let options = self.reading.options(atlas)?.overlays(overlays);
        if let Some(names) = &options.districts {
            check = check.names(names.clone());
        }
        let carriers = source.read(&options, quiet)?;
        Ok((check, carriers))
    }
}

/// A plan's error with the line of the plan file that names what it is
/// about, when it is a name the plan cannot use.
fn plan_error(file: &str, text: &[u8], error: carrier_quota::Error) -> Failure {
    match carrier_quota::quota::plan_line(text, &error) {
        Some(line) => format!("{file} line {line}: {error}"),
        None => format!("{file}: {error}"),
    }
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

/// The properties that make a GeoJSON file a region set.
#[derive(clap::Args)]
pub struct RegionProperties {
    /// Property of each region holding its unique code.
    #[arg(long)]
    pub code_property: Option<String>,
    /// Property of each region holding its name.
    #[arg(long)]
    pub name_property: Option<String>,
    /// Property of each region naming its parent zone.
    #[arg(long)]
    pub parent_property: Option<String>,
    /// The parent zone of each region is the first N characters of its
    /// code (2 groups Chinese county codes into provinces).
    #[arg(long, conflicts_with = "parent_property",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub parent_prefix: Option<u16>,
}

impl RegionProperties {
    /// The options of reading a region set in `datum` with these
    /// properties.
    pub fn options(&self, datum: Option<Datum>) -> Result<RegionOptions, Failure> {
        let code = self
            .code_property
            .clone()
            .ok_or("a region file needs --code-property NAME: the property of its unique codes")?;
        let mut options = RegionOptions::new(code);
        options.name_property = self.name_property.clone();
        if let Some(property) = &self.parent_property {
            options = options.parent_property(property);
        }
        if let Some(n) = self.parent_prefix {
            options = options.parent_prefix(usize::from(n));
        }
        options.datum = datum;
        Ok(options)
    }
}

/// Reads the region set at `path`, naming it in the error.
pub fn read_region_file(
    path: &Path,
    options: &RegionOptions,
    datum_flag: &str,
) -> Result<(Atlas, Vec<CoverageIssue>), Failure> {
    let reader = BufReader::new(open(path)?);
    read_regions(reader, options).map_err(|e| at(&path.display().to_string(), e, datum_flag))
}

/// The flags that name a region set to use instead of the embedded atlas.
#[derive(clap::Args)]
pub struct RegionFlags {
    /// Region set (GeoJSON) to use instead of the embedded Chongqing atlas.
    #[arg(long, requires = "code_property")]
    pub regions: Option<PathBuf>,
    /// The properties regions are read from.
    #[command(flatten)]
    pub properties: RegionProperties,
    /// Datum of the region file, when it has no top-level "datum" member.
    #[arg(long, requires = "regions")]
    pub regions_datum: Option<Datum>,
}

impl RegionFlags {
    /// The region set the flags name, if any, with a warning on stderr for
    /// each gap or overlap.
    pub fn read(&self) -> Result<Option<Atlas>, Failure> {
        let Some(path) = &self.regions else {
            return Ok(None);
        };
        let options = self.properties.options(self.regions_datum)?;
        let (atlas, issues) = read_region_file(path, &options, "--regions-datum")?;
        for issue in issues {
            eprintln!("warning: {}: {issue}", path.display());
        }
        Ok(Some(atlas))
    }

    /// The atlas the SQL functions answer from: the region set the flags
    /// name, else a copy of the embedded one.
    pub fn shared_atlas(&self) -> Result<Arc<Atlas>, Failure> {
        let atlas = self.read()?.unwrap_or_else(|| Atlas::chongqing().clone());
        Ok(Arc::new(atlas))
    }
}
