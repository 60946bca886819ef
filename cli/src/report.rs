//! `carrier-quota report`: the plan checked on a date, as a table, JSON,
//! CSV, GeoJSON or the SVG map; with `--history`, checked at each year end.

use std::path::{Path, PathBuf};

use carrier_quota::compare::Comparison;
use carrier_quota::report::{self, MapOptions, Options};
use carrier_quota::{Atlas, CheckedPlan, Date, DistrictId, Measure, Status};
use clap::ValueEnum;

use crate::inputs::{PlanFlags, Source};
use crate::output::{
    check_name, is_std, write_output, write_picture, Failure, Outcome, PICTURE_EXTENSIONS,
};
use crate::Context;

/// Check incubation carriers against a quota plan on a date.
///
/// Without flags: the bundled synthetic sample against the built-in
/// 2021–2025 plan, on its deadline, as a table.
#[derive(clap::Args)]
#[command(after_help = "\
Examples (the built-in sample; --carriers FILE for your own):
  carrier-quota report --map map.svg
  carrier-quota report --as-of 2023-12-31 --format json
  carrier-quota report --split area --format csv --out report.csv
  carrier-quota report --history --chart progress.svg
  carrier-quota report --compare-as-of 2024-12-31 --out report.docx
  carrier-quota report --fail-on behind --quiet")]
pub struct Args {
    #[command(flatten)]
    inputs: PlanFlags,
    /// The report's format: svg is the map; html one page with the
    /// targets, map, zones, districts, history and rejected rows
    /// [default: by the name --out gives (*.json, *.csv, *.geojson, *.svg,
    /// *.html, *.xlsx), else table].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The table's names: zh, en or both (Chinese and English side by side)
    /// [default: both, or zh on a terminal too narrow for both].
    #[arg(long, value_name = "LANG")]
    lang: Option<report::Lang>,
    /// One district's view: its own targets (with --split), its tally,
    /// its carriers and its mismatches, in the table, the HTML report, the
    /// workbook and the map (drawn around it); a name (渝北区, 渝北) or a
    /// code (500112).
    #[arg(long, value_name = "DISTRICT")]
    district: Option<String>,
    /// Also draw the SVG map to this file.
    #[arg(long, value_name = "FILE")]
    map: Option<PathBuf>,
    /// The measure the map shades districts by: floor-area, carriers,
    /// enterprises or tech-enterprises.
    #[arg(long, default_value = "floor-area")]
    map_measure: Measure,
    /// Check every target at each year end from the plan's start to the
    /// as-of date, and report that (as a table, CSV or JSON) instead.
    #[arg(long)]
    history: bool,
    /// With --history: also draw one small chart per target to this SVG
    /// file.
    #[arg(long, requires = "history", value_name = "FILE")]
    chart: Option<PathBuf>,
    /// Exit with status 1 when the check ran and a target is behind (or,
    /// with not-met, not met) on the as-of date.
    #[arg(long, value_enum, value_name = "WHEN")]
    fail_on: Option<FailOn>,
    /// Exit with status 2 when any record was rejected (the report is
    /// still written).
    #[arg(long)]
    strict: bool,
    /// Compare with an earlier register (a file or folder, read as
    /// --carriers is): per target, zone and district the change, and the
    /// carriers that entered or left, in the table, the HTML report, the
    /// workbook and the JSON. Both are checked on the same date, unless
    /// --compare-as-of gives the earlier one's.
    #[arg(long, value_name = "OLD")]
    compare: Option<PathBuf>,
    /// Compare with the check on this earlier date, YYYY-MM-DD: of the
    /// --compare register, or without one of the same register.
    #[arg(long, value_name = "DATE")]
    compare_as_of: Option<Date>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Geojson,
    Svg,
    Html,
    Xlsx,
    Docx,
}

impl From<Format> for report::Format {
    fn from(format: Format) -> report::Format {
        match format {
            Format::Table => report::Format::Table,
            Format::Json => report::Format::Json,
            Format::Csv => report::Format::Csv,
            Format::Geojson => report::Format::GeoJson,
            Format::Svg => report::Format::Svg,
            Format::Html => report::Format::Html,
            Format::Xlsx => report::Format::Xlsx,
            Format::Docx => report::Format::Docx,
        }
    }
}

/// When a check that ran fails the command.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// A target is behind.
    Behind,
    /// A target is behind, on track but not yet met, or not evaluable.
    NotMet,
}

impl Format {
    /// The format a file's name asks for.
    fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match extension.as_str() {
            "txt" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "geojson" => Some(Format::Geojson),
            "svg" => Some(Format::Svg),
            "html" | "htm" => Some(Format::Html),
            "xlsx" => Some(Format::Xlsx),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    /// The extensions a file of this format may have, and its name.
    fn names(self) -> (&'static [&'static str], &'static str) {
        match self {
            Format::Table => (&["txt"], "a text table"),
            Format::Json => (&["json"], "JSON"),
            Format::Csv => (&["csv"], "CSV"),
            Format::Geojson => (&["geojson", "json"], "GeoJSON"),
            Format::Svg => (&["svg"], "an SVG map"),
            Format::Html => (&["html", "htm"], "an HTML report"),
            Format::Xlsx => (&["xlsx"], "an Excel workbook"),
            Format::Docx => (&["docx"], "a Word document"),
        }
    }
}

/// The format asked for, or the one --out's name gives; every file's name
/// checked against what goes into it, before anything is read.
fn format_and_names(args: &Args) -> Result<Format, Failure> {
    let out = args.out.as_deref().filter(|p| !is_std(p));
    let format = (args.format)
        .or_else(|| out.and_then(Format::of))
        .unwrap_or(Format::Table);
    let format = match (args.history, format) {
        (true, Format::Geojson | Format::Svg | Format::Xlsx | Format::Docx) => {
            return Err(
                "--history writes a table, CSV, JSON or the HTML report (--chart draws it)".into(),
            )
        }
        _ => format,
    };
    let (extensions, what) = format.names();
    check_name(out, what, extensions)?;
    check_name(args.map.as_deref(), "a map", PICTURE_EXTENSIONS)?;
    check_name(args.chart.as_deref(), "a chart", PICTURE_EXTENSIONS)?;
    Ok(format)
}

pub fn run(args: Args, context: &Context) -> Result<Outcome, Failure> {
    let format = format_and_names(&args)?;
    let atlas = Atlas::chongqing();
    let district = (args.district.as_deref())
        .map(|name| {
            atlas
                .find_district(name)
                .ok_or_else(|| format!("--district {name:?} is no district's name or code"))
        })
        .transpose()?;
    if district.is_some() {
        if matches!(format, Format::Json | Format::Csv | Format::Geojson) {
            return Err(
                "--district narrows the table, the HTML report, the workbook, the Word report and \
                        the map; JSON, CSV and GeoJSON hold every district, each row \
                        naming its own"
                    .into(),
            );
        }
        if args.history && format != Format::Html {
            return Err(
                "--district with --history draws the district's history in the HTML \
                        report: add --format html (or --out report.html); without --district, \
                        --history prints the whole plan's history as a table, JSON, CSV or SVG"
                    .into(),
            );
        }
    }
    let (check, carriers) = args.inputs.read(atlas, context.quiet)?;
    let note = args.inputs.source()?.note();
    let placed = atlas.place(carriers, args.inputs.footprints);
    let checked = check.run(placed).map_err(|e| e.to_string())?;
    let comparison = compare(&args, atlas, &checked)?;
    let mut options = Options::new()
        .map(map_options(&args, &checked, atlas, note))
        .source(args.inputs.source()?.report_source())
        .lang(
            args.lang
                .unwrap_or_else(|| fitting_lang(&checked, &args, district)),
        );
    if let Some(district) = district {
        options = options.district(district);
    }
    if let Some(comparison) = comparison {
        options = options.comparison(comparison);
    }

    let out = args.out.as_deref();
    if args.history && format == Format::Html {
        // The HTML report holds the history, with the rest.
        options = options.history(checked.history().map_err(|e| e.to_string())?);
    }
    if args.history && format != Format::Html {
        let history = checked.history().map_err(|e| e.to_string())?;
        write_output(out, "history", context.quiet, |out| {
            report::write_history(out, &history, format.into(), &options)
        })?;
        if let Some(path) = &args.chart {
            write_picture(path, "chart", context.quiet, |out| {
                report::write_history(out, &history, report::Format::Svg, &options)
            })?;
        }
    } else {
        write_output(out, "report", context.quiet, |out| {
            report::write(out, &checked, format.into(), &options)
        })?;
    }
    if let Some(path) = &args.map {
        write_picture(path, "map", context.quiet, |out| {
            report::write(out, &checked, report::Format::Svg, &options)
        })?;
    }
    Ok(finish(&args, &checked, context))
}

/// The comparison `--compare` and `--compare-as-of` ask for: the same
/// plan, split and district targets, on the earlier register or date.
fn compare(
    args: &Args,
    atlas: &Atlas,
    checked: &CheckedPlan,
) -> Result<Option<Comparison>, Failure> {
    let source = match (&args.compare, args.compare_as_of) {
        (None, None) => return Ok(None),
        (Some(path), _) => Source::of_all(std::slice::from_ref(path), None)?,
        (None, Some(_)) => args.inputs.source()?,
    };
    let (check, carriers) = args.inputs.read_from(atlas, true, &source)?;
    let check = check.as_of(args.compare_as_of.unwrap_or(checked.as_of));
    let old = check
        .run(atlas.place(carriers, args.inputs.footprints))
        .map_err(|e| e.to_string())?;
    let name = |s: &Source| s.report_source().name;
    let new_name = name(&args.inputs.source()?);
    Ok(Some(Comparison::of(
        &old,
        &name(&source),
        checked,
        &new_name,
    )))
}

/// The table's languages when none is asked for: both, unless the table
/// goes to a terminal too narrow for them, then Chinese alone.
fn fitting_lang(checked: &CheckedPlan, args: &Args, district: Option<DistrictId>) -> report::Lang {
    let to_terminal = args.out.as_deref().is_none_or(is_std);
    let Some((terminal_size::Width(columns), _)) =
        to_terminal.then(terminal_size::terminal_size).flatten()
    else {
        return report::Lang::Both;
    };
    let mut table = Vec::new();
    let mut options = Options::new().lang(report::Lang::Both);
    if let Some(district) = district {
        options = options.district(district);
    }
    let _ = report::write(&mut table, checked, report::Format::Table, &options);
    // A table's rule is as wide as the table; the notes under it wrap.
    let widest = String::from_utf8_lossy(&table)
        .lines()
        .filter(|line| !line.is_empty() && line.chars().all(|c| c == '-'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    match widest <= usize::from(columns) {
        true => report::Lang::Both,
        false => report::Lang::Zh,
    }
}

/// The map of the check: its date, measure and note, and with --split the
/// district targets' status.
fn map_options(args: &Args, checked: &CheckedPlan, atlas: &Atlas, note: String) -> MapOptions {
    let mut options = MapOptions::new()
        .as_of(checked.as_of)
        .measure(args.map_measure)
        .note(note);
    if args.inputs.split.is_some() {
        options = options.district_share(checked.report.district_shares(atlas));
    }
    options
}

/// The rejections on stderr, and the exit status.
fn finish(args: &Args, checked: &CheckedPlan, context: &Context) -> Outcome {
    let carriers = checked.placed.carriers();
    crate::output::show_rejections(carriers, context.quiet);
    if !context.quiet {
        let atlas = checked.placed.atlas();
        let _ = report::write_input_notes(std::io::stderr().lock(), atlas, &checked.report.input);
    }
    if args.strict && !carriers.rejections().is_empty() {
        eprintln!("exit status 2: records were rejected (--strict)");
        return Outcome::Rejected;
    }
    let failed = |status: Status| match args.fail_on {
        None => false,
        Some(FailOn::Behind) => status == Status::Behind,
        Some(FailOn::NotMet) => status != Status::Met,
    };
    let failing: Vec<&str> = (checked.report.targets.iter())
        .filter(|t| failed(t.status))
        .map(|t| t.id.as_str())
        .collect();
    if failing.is_empty() {
        return Outcome::Done;
    }
    if !context.quiet {
        let when = match args.fail_on {
            Some(FailOn::NotMet) => "not met",
            _ => "behind",
        };
        eprintln!(
            "{} of {} targets {when} on {}: {}",
            failing.len(),
            checked.report.targets.len(),
            checked.as_of,
            failing.join(", ")
        );
    }
    Outcome::Behind
}
