//! Helpers shared by the examples: common flags, progress on a terminal,
//! and error exits.

#![allow(dead_code)] // each example uses a different subset

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use carrier_quota::apportion::{WeightTable, Weighting};
use carrier_quota::{
    read_carriers_with, Atlas, Carriers, Datum, FootprintRule, Overlays, QuotaPlan, ReadOptions,
    Tally,
};
use indicatif::{ProgressBar, ProgressStyle};

/// How footprint carriers are assigned (`--footprints`).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Footprints {
    /// Wholly in the district of a point inside the footprint.
    SurfacePoint,
    /// Floor area split by the share of the footprint in each district.
    Split,
}

impl Footprints {
    pub fn rule(self) -> FootprintRule {
        match self {
            Footprints::SurfacePoint => FootprintRule::SurfacePoint,
            Footprints::Split => FootprintRule::SplitByOverlap,
        }
    }
}

/// Parses a datum flag.
pub fn parse_datum(s: &str) -> Result<Datum, String> {
    s.parse()
        .map_err(|e: carrier_quota::datum::UnknownDatum| e.to_string())
}

/// A byte progress bar for reading `path`, shown on stderr when stderr is a
/// terminal and `quiet` is off.
pub fn progress_bar(path: &Path, quiet: bool) -> Option<ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(std::fs::metadata(path).map_or(0, |m| m.len()));
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(format!("reading {}", path.display()));
    Some(bar)
}

/// Opens `path` for reading from the start, advancing `bar` as it is read.
pub fn open(path: &Path, bar: Option<&ProgressBar>) -> io::Result<Box<dyn Read + Send>> {
    let file = File::open(path)?;
    Ok(match bar {
        Some(bar) => {
            bar.set_position(0);
            Box::new(bar.wrap_read(file))
        }
        None => Box::new(file),
    })
}

/// Turns a byte progress bar into a spinner for a phase of unknown length.
pub fn spin(bar: &ProgressBar, message: &str) {
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
}

/// Times the phases of a run, printing `timing <phase> <seconds>` lines to
/// stderr when enabled.
pub struct Phases {
    enabled: bool,
    last: std::time::Instant,
}

impl Phases {
    pub fn new(enabled: bool) -> Phases {
        Phases {
            enabled,
            last: std::time::Instant::now(),
        }
    }

    /// Ends the phase `name`, which began when the previous one ended.
    pub fn done(&mut self, name: &str) {
        let now = std::time::Instant::now();
        if self.enabled {
            eprintln!("timing {name} {:.3}", (now - self.last).as_secs_f64());
        }
        self.last = now;
    }

    /// Prints `peak_memory_mb <n>`: the process's peak resident set (Linux
    /// `VmHWM`), or `unknown` where the system does not report it.
    pub fn peak_memory(&self) {
        if !self.enabled {
            return;
        }
        let peak_kb = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            });
        match peak_kb {
            Some(kb) => eprintln!("peak_memory_mb {}", kb / 1024),
            None => eprintln!("peak_memory_mb unknown"),
        }
    }
}

/// Prints `error: {message}` to stderr and returns a failing exit code.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// The message for a library error, with the command-line flag that fixes a
/// missing datum.
pub fn explain(error: &carrier_quota::Error, flag: &str) -> String {
    match error.kind() {
        carrier_quota::ErrorKind::MissingDatum { .. } => {
            format!("{error} (pass {flag} wgs84|gcj02|bd09)")
        }
        _ => error.to_string(),
    }
}

/// The bundled synthetic sample of carriers.
pub fn sample_carriers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/carriers.geojson")
}

/// Reads a plan file, JSON or TOML by its extension.
pub fn load_plan(path: &Path) -> Result<QuotaPlan, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let plan = if has_extension(path, "toml") {
        QuotaPlan::from_toml(&text)
    } else {
        QuotaPlan::from_json(&text)
    };
    plan.map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads an overlays file and converts it to the atlas's datum.
pub fn load_overlays(path: &Path, datum: Option<Datum>, atlas: &Atlas) -> Result<Overlays, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let overlays = Overlays::from_geojson(file, datum)
        .map_err(|e| format!("{}: {}", path.display(), explain(&e, "--overlays-datum")))?;
    Ok(overlays.into_datum(atlas.datum()))
}

/// Reads a carrier file, with a progress bar unless `quiet`, into the
/// atlas's datum.
pub fn load_carriers(
    path: &Path,
    datum: Option<Datum>,
    fix_swapped: bool,
    quiet: bool,
    atlas: &Atlas,
) -> Result<Carriers, String> {
    let bar = progress_bar(path, quiet);
    let options = ReadOptions {
        datum,
        expected_area: Some(atlas.outline().clone()),
        fix_swapped,
        ..ReadOptions::default()
    };
    let read = read_carriers_with(|| open(path, bar.as_ref()), &options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(read
        .map_err(|e| format!("{}: {}", path.display(), explain(&e, "--datum")))?
        .into_datum(atlas.datum()))
}

/// Prints each rejected and swapped-back feature, and a count of the
/// rejections; returns whether there were any.
pub fn print_rejections(read: &Carriers, strict: bool) -> bool {
    for rejection in &read.rejections {
        eprintln!("rejected: {rejection}");
    }
    for index in &read.swapped {
        eprintln!("swapped back: feature {index} (its longitude and latitude were swapped)");
    }
    if !read.rejections.is_empty() {
        eprintln!(
            "{} of {} features rejected{}",
            read.rejections.len(),
            read.features_read,
            if strict { " (--strict)" } else { "" }
        );
    }
    !read.rejections.is_empty()
}

/// Where district weights come from (`--weights`, `--split`).
#[derive(Clone, Debug)]
pub enum WeightSource {
    /// Land area of each district.
    Area,
    /// Floor area of the carriers open on the as-of date.
    FloorArea,
    /// One each.
    Equal,
    /// A CSV or JSON table.
    File(PathBuf),
}

/// Parses `area`, `floor_area`, `equal` or a file's path.
pub fn parse_weights(s: &str) -> Result<WeightSource, String> {
    Ok(match s {
        "area" => WeightSource::Area,
        "floor_area" | "floor-area" => WeightSource::FloorArea,
        "equal" => WeightSource::Equal,
        path if Path::new(path).is_file() => WeightSource::File(path.into()),
        other => {
            return Err(format!(
                "{other:?} is not area, floor_area, equal or an existing CSV or JSON file"
            ))
        }
    })
}

/// Reads a weight table, CSV or JSON by its extension.
pub fn load_weight_table(path: &Path) -> Result<WeightTable, String> {
    let at = |e: carrier_quota::Error| format!("{}: {e}", path.display());
    if has_extension(path, "csv") {
        let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        WeightTable::from_csv(file).map_err(at)
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        WeightTable::from_json(&text).map_err(at)
    }
}

/// The plan with its zone targets split among districts by `source`;
/// floor-area weights come from `tally`.
pub fn split_plan(
    plan: &QuotaPlan,
    source: &WeightSource,
    atlas: &Atlas,
    tally: &Tally,
) -> Result<QuotaPlan, String> {
    let table = match source {
        WeightSource::File(path) => Some(load_weight_table(path)?),
        _ => None,
    };
    let weighting = match (source, &table) {
        (WeightSource::Area, _) => Weighting::LandArea,
        (WeightSource::FloorArea, _) => Weighting::FloorArea(tally),
        (WeightSource::Equal, _) => Weighting::Equal,
        (WeightSource::File(_), table) => Weighting::Table(table.as_ref().expect("loaded above")),
    };
    plan.split_zone_targets(atlas, &weighting)
        .map_err(|e| e.to_string())
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// The flags that say what to check: carriers, plan, overlays, date.
#[derive(clap::Args)]
pub struct PlanFlags {
    /// GeoJSON carriers [default: the bundled synthetic sample].
    #[arg(long)]
    pub carriers: Option<PathBuf>,
    /// Datum of the carrier file, when it has no top-level "datum" member.
    #[arg(long, value_parser = parse_datum)]
    pub datum: Option<Datum>,
    /// Plan file, JSON or TOML (by extension) [default: the built-in 2021–2025 plan].
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Split each zone target among its districts by these weights (area,
    /// floor_area, equal, or a CSV/JSON table of code and weight) and check
    /// the district targets too; the map is coloured by their status.
    #[arg(long, value_parser = parse_weights)]
    pub split: Option<WeightSource>,
    /// GeoJSON overlay areas (dual-core areas, university ecosystems).
    #[arg(long)]
    pub overlays: Option<PathBuf>,
    /// Datum of the overlays file, when it has no top-level "datum" member.
    #[arg(long, requires = "overlays", value_parser = parse_datum)]
    pub overlays_datum: Option<Datum>,
    /// The date to check, YYYY-MM-DD [default: the plan's last deadline].
    #[arg(long)]
    pub as_of: Option<carrier_quota::Date>,
    /// How footprint carriers are assigned.
    #[arg(long, value_enum, default_value = "surface-point")]
    pub footprints: Footprints,
}

/// Everything [`PlanFlags`] names, read and placed.
pub struct PlanInputs {
    /// The plan, split by district when asked.
    pub plan: QuotaPlan,
    /// The plan's file, or `built-in plan`.
    pub plan_name: String,
    pub overlays: Option<Overlays>,
    /// The carrier file read.
    pub path: PathBuf,
    pub read: Carriers,
    pub as_of: carrier_quota::Date,
    pub assignment: carrier_quota::Assignment,
    /// The carriers open on the as-of date.
    pub tally: Tally,
}

impl PlanFlags {
    /// Reads the plan, overlays and carriers, and places the carriers.
    pub fn load(
        &self,
        atlas: &Atlas,
        fix_swapped: bool,
        quiet: bool,
    ) -> Result<PlanInputs, String> {
        let plan_name = self
            .plan
            .as_deref()
            .map_or_else(|| "built-in plan".to_string(), |p| p.display().to_string());
        let plan = match &self.plan {
            Some(path) => load_plan(path)?,
            None => QuotaPlan::chongqing_2021_2025(),
        };
        let overlays = match &self.overlays {
            Some(path) => Some(load_overlays(path, self.overlays_datum, atlas)?),
            None => None,
        };
        let path = self.carriers.clone().unwrap_or_else(sample_carriers);
        let read = load_carriers(&path, self.datum, fix_swapped, quiet, atlas)?;
        let as_of = self
            .as_of
            .or_else(|| plan.targets.iter().map(|t| t.deadline).max())
            .unwrap_or(plan.start);
        let assignment = atlas.assign(&read.carriers, self.footprints.rule());
        let tally = Tally::open_on(atlas, &read.carriers, &assignment, as_of);
        let plan = match &self.split {
            Some(source) => {
                split_plan(&plan, source, atlas, &tally).map_err(|e| format!("{plan_name}: {e}"))?
            }
            None => plan,
        };
        Ok(PlanInputs {
            plan,
            plan_name,
            overlays,
            path,
            read,
            as_of,
            assignment,
            tally,
        })
    }
}

impl PlanInputs {
    /// Checks the plan on the as-of date.
    pub fn check(&self, atlas: &Atlas) -> Result<carrier_quota::Report, String> {
        carrier_quota::check(
            &self.plan,
            atlas,
            &self.read.carriers,
            &self.assignment,
            self.overlays.as_ref(),
            self.as_of,
        )
        .map_err(|e| format!("{}: {e}", self.plan_name))
    }
}

/// Writes `value` as pretty JSON to `path`, and says so on stderr.
pub fn write_json_file(
    path: &Path,
    value: &impl serde::Serialize,
    what: &str,
) -> Result<(), String> {
    File::create(path)
        .map(io::BufWriter::new)
        .and_then(|mut file| {
            serde_json::to_writer_pretty(&mut file, value)?;
            io::Write::write_all(&mut file, b"\n")?;
            io::Write::flush(&mut file)
        })
        .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{what} written to {}", path.display());
    Ok(())
}
