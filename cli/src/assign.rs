//! `carrier-quota assign`: every carrier placed in one district, tallied
//! by district, zone and city, and written with its district.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use carrier_quota::place::FootprintRule;
use carrier_quota::{report, Atlas, CarrierFormat, Date, ReadOptions, Tally};

use crate::inputs::{CarrierFlags, RegionFlags, Source};
use crate::output::{check_name, has_extension, write_file, write_output, Failure, Outcome};
use crate::Context;

/// Assign carriers to districts and tally them by district, zone and city.
///
/// The table (or JSON) goes to stdout; --out also writes every carrier
/// with the district and zone it counts in.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  carrier-quota sample carriers --count 1000 --out carriers.geojson
  carrier-quota assign carriers.geojson
  carrier-quota assign carriers.geojson --out placed.csv --quiet
  carrier-quota assign carriers.geojson --as-of 2023-12-31
  carrier-quota assign carriers.geojson --format csv > tally.csv
  carrier-quota assign carriers.geojson --format json > assignments.json
  carrier-quota assign placed.csv --datum gcj02 --encoding utf-8
  cat carriers.geojson | carrier-quota assign -")]
pub struct Args {
    /// Carriers: a GeoJSON FeatureCollection, a CSV or Excel table, or
    /// (Geo)Parquet, told by the name or the content; `-` reads stdin.
    /// Several files, or a folder, are read as one register.
    #[arg(required_unless_present = "sources")]
    carriers: Vec<PathBuf>,
    #[command(flatten)]
    reading: CarrierFlags,
    #[command(flatten)]
    regions: RegionFlags,
    /// How footprint carriers are assigned: surface-point or split.
    #[arg(long, default_value = "surface-point")]
    footprints: FootprintRule,
    /// Tally only the carriers open on this date, YYYY-MM-DD, and list
    /// those not yet open or closed then [default: every placed carrier,
    /// whatever its dates; the tally says so]
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    /// The format on stdout: the table, JSON (every assignment, the
    /// tallies, mismatches and rejections), or CSV (the tally: a row per
    /// district and managed area, zone and the city).
    #[arg(long, value_enum, default_value = "table")]
    format: AssignFormat,
    /// Write the JSON to this file instead (stdout then has nothing).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write every carrier with its district and zone (placed_district,
    /// placed_zone, placed_by) to this file: GeoParquet (*.parquet),
    /// GeoJSON (*.geojson, *.json), CSV (*.csv: a footprint at its
    /// surface point, the `location` column says so) or an Excel workbook
    /// (*.xlsx, with each district's name and zone).
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit with status 2 when any record was rejected (the output is
    /// still written).
    #[arg(long)]
    strict: bool,
    /// Tally a Parquet file batch by batch without holding its carriers
    /// (memory does not grow with the rows; duplicate ids are not looked
    /// for): prints the tally, the mismatches and the rejections only.
    #[arg(long, conflicts_with_all = ["json", "out", "format", "as_of"])]
    stream: bool,
    /// Print `timing <phase> <seconds>` per phase (atlas, read, place,
    /// tally, write) and `peak_memory_mb <n>` to stderr.
    #[arg(long)]
    timings: bool,
}

/// What `assign` prints.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AssignFormat {
    Table,
    Json,
    Csv,
}

/// The format `--out` writes, by the file's name.
fn out_format(path: &Path) -> Result<CarrierFormat, Failure> {
    match CarrierFormat::by_name(path) {
        Some(format @ (CarrierFormat::GeoJson | CarrierFormat::Parquet)) => Ok(format),
        Some(CarrierFormat::Excel) if has_extension(path, "xlsx") => Ok(CarrierFormat::Excel),
        Some(CarrierFormat::Csv) if has_extension(path, "csv") => Ok(CarrierFormat::Csv),
        _ => Err(format!(
            "{}: --out writes GeoParquet, GeoJSON, CSV or an Excel workbook: name the file \
             *.parquet, *.geojson, *.csv or *.xlsx",
            path.display()
        )),
    }
}

pub fn run(args: Args, context: &Context) -> Result<Outcome, Failure> {
    let mut clock = Phases::new(args.timings);
    let loaded;
    let atlas = match args.regions.read()? {
        None => Atlas::chongqing(),
        Some(regions) => {
            loaded = regions;
            &loaded
        }
    };
    clock.phase("atlas");
    let options = args.reading.options(atlas)?;
    // Refused before the read, which may take long.
    let out_format = args.out.as_deref().map(out_format).transpose()?;
    check_name(args.json.as_deref(), "JSON", &["json"])?;
    let source = Source::of_all(&args.carriers, args.reading.sources.as_deref())?;
    if args.stream {
        return stream(&args, &source, atlas, &options, clock);
    }
    let carriers = source.read(&options, context.quiet)?;
    clock.phase("read");
    let placed = atlas.place(carriers, args.footprints);
    clock.phase("place");
    crate::output::show_notes(&placed, context.quiet);
    let tally = match args.as_of {
        Some(date) => Tally::open_on(&placed, date),
        None => Tally::new(&placed),
    };
    clock.phase("tally");

    match (&args.json, args.format) {
        (Some(path), _) => write_file(path, "assignments", context.quiet, |out| {
            report::write_assignment_json(out, &placed, &tally, args.as_of)
        })?,
        (None, AssignFormat::Csv) => write_output(None, "tally", context.quiet, |out| {
            let areas = Tally::managed_areas(&placed, args.as_of);
            report::write_tally_csv(out, atlas, &tally, &areas)
        })?,
        (None, AssignFormat::Json) => write_output(None, "assignments", context.quiet, |out| {
            report::write_assignment_json(out, &placed, &tally, args.as_of)
        })?,
        (None, AssignFormat::Table) => write_output(None, "assignments", context.quiet, |out| {
            report::write_assignment_table(out, &placed, &tally, args.as_of)
        })?,
    }
    if let (Some(path), Some(format)) = (&args.out, out_format) {
        write_file(path, "placed carriers", context.quiet, |out| {
            format.write_placed(out, &placed)
        })?;
    }
    clock.phase("write");
    clock.peak_memory();
    let carriers = placed.carriers();
    if args.strict && !carriers.rejections().is_empty() {
        let (rejected, read) = (carriers.rejections().len(), carriers.features_read());
        eprintln!("{rejected} of {read} records rejected (--strict)");
        return Ok(Outcome::Rejected);
    }
    Ok(Outcome::Done)
}

/// `--stream`: the tally of a Parquet file, read batch by batch.
#[cfg(feature = "parquet")]
fn stream(
    args: &Args,
    source: &Source,
    atlas: &Atlas,
    options: &ReadOptions,
    mut clock: Phases,
) -> Result<Outcome, Failure> {
    let name = source.name();
    let path = match source {
        Source::File(path) if has_extension(path, "parquet") => path,
        _ => return Err(format!("{name}: --stream reads Parquet files (*.parquet)")),
    };
    let file = crate::inputs::open(path)?;
    let streamed = carrier_quota::stream::tally_parquet(file, options, atlas, args.footprints)
        .map_err(|e| crate::inputs::at(&name, e, "--datum"))?;
    clock.phase("stream");
    clock.peak_memory();
    write_output(None, "tally", true, |out| {
        report::write_tally(
            &mut *out,
            atlas,
            &streamed.tally,
            &[],
            report::TallyRows::Districts,
            report::Lang::Both,
        )?;
        report::write_streamed_mismatches(out, atlas, &streamed)
    })?;
    for r in &streamed.rejections {
        eprintln!("rejected: {r}");
    }
    let left_out = streamed.rejected - streamed.rejections.len();
    if left_out > 0 {
        eprintln!("… and {left_out} more rejections");
    }
    if streamed.rejected > 0 {
        eprintln!(
            "{} of {} rows rejected",
            streamed.rejected, streamed.rows_read
        );
    }
    if args.strict && streamed.rejected > 0 {
        return Ok(Outcome::Rejected);
    }
    Ok(Outcome::Done)
}

#[cfg(not(feature = "parquet"))]
fn stream(
    _: &Args,
    source: &Source,
    _: &Atlas,
    _: &ReadOptions,
    _: Phases,
) -> Result<Outcome, Failure> {
    Err(format!(
        "{}: --stream reads Parquet, and this carrier-quota was built without it \
         (cargo install --path cli --features parquet)",
        source.name()
    ))
}

/// The time of each phase, on stderr when asked for: wall clock, and the
/// CPU time of all the process's threads, which shows how much of the
/// machine a phase kept busy.
struct Phases {
    shown: bool,
    clock: Instant,
    cpu: Option<Duration>,
}

impl Phases {
    fn new(shown: bool) -> Phases {
        Phases {
            shown,
            clock: Instant::now(),
            cpu: shown.then(cpu_time).flatten(),
        }
    }

    /// Ends the phase `name`: prints `timing <name> <seconds>`, and
    /// `cpu <seconds>` where the system reports it.
    fn phase(&mut self, name: &str) {
        if self.shown {
            let wall = self.clock.elapsed().as_secs_f64();
            let cpu = cpu_time();
            match (self.cpu, cpu) {
                (Some(before), Some(now)) => {
                    let busy = now.saturating_sub(before).as_secs_f64();
                    eprintln!("timing {name} {wall:.3} cpu {busy:.3}");
                }
                _ => eprintln!("timing {name} {wall:.3}"),
            }
            self.cpu = cpu;
        }
        self.clock = Instant::now();
    }

    /// Prints the peak resident set, as Linux reports it.
    fn peak_memory(&self) {
        if self.shown {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:"));
            let kb = peak.and_then(|kb| kb.trim().trim_end_matches(" kB").parse::<u64>().ok());
            let mb = kb.map_or("unknown".to_string(), |kb| (kb / 1024).to_string());
            eprintln!("peak_memory_mb {mb}");
        }
    }
}

/// The CPU time the process has run so far, all its threads, those that
/// ended among them; `None` where the system does not say.
#[cfg(unix)]
#[allow(unsafe_code)] // the one system call std does not wrap
fn cpu_time() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage fills the struct it is given, and returns 0 when
    // it did.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::new(t.tv_sec.try_into().ok()?, 0)
            .checked_add(Duration::from_micros(t.tv_usec.try_into().ok()?))
    };
    time(usage.ru_utime)?.checked_add(time(usage.ru_stime)?)
}

#[cfg(not(unix))]
fn cpu_time() -> Option<Duration> {
    None
}
