//! Where output goes (stdout, or the file `--out` names), the notes of
//! files written, and the exit status.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// How a run that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done: status 0.
    Done,
    /// The check ran and a target is behind, with `--fail-on`: status 1.
    Behind,
    /// Records were rejected, with `--strict`: status 2. The output was
    /// still written.
    Rejected,
}

/// A failed run's message: one line naming the file, where and why.
pub type Failure = String;

/// The exit status of a run; a failure is printed on stderr as one line.
pub fn exit(ran: Result<Outcome, Failure>) -> ExitCode {
    match ran {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Behind) => ExitCode::from(1),
        Ok(Outcome::Rejected) => ExitCode::from(2),
        Err(message) => {
            // One line, whatever a library message holds.
            let line: Vec<&str> = message.lines().map(str::trim).collect();
            eprintln!("error: {}", line.join(" "));
            ExitCode::from(2)
        }
    }
}

/// What output is written to: stdout or a file, buffered. `Send`, since
/// the Parquet writer asks for it.
pub type Out = dyn Write + Send;

/// A result's form: a table for people, or JSON for programs.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[allow(missing_docs)] // doc comments would become help: the names say it
pub enum TableOrJson {
    Table,
    Json,
}

/// Where a result goes, and in what form.
#[derive(clap::Args)]
pub struct ResultFlags {
    /// The result's format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableOrJson,
    /// Write the result to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the result as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

impl ResultFlags {
    /// Refuses an `--out` or `--json` whose name says another format than
    /// the one written, before any work.
    pub fn check_names(&self) -> Result<(), Failure> {
        match self.format {
            TableOrJson::Table => check_name(self.out.as_deref(), "a text table", &["txt"])?,
            TableOrJson::Json => check_name(self.out.as_deref(), "JSON", &["json"])?,
        }
        check_name(self.json.as_deref(), "JSON", &["json"])
    }

    /// Writes `value` as the flags say: its `table`, or JSON, to stdout or
    /// `--out`, and JSON to `--json` too.
    pub fn write(
        &self,
        what: &str,
        quiet: bool,
        value: &impl serde::Serialize,
        table: impl FnOnce(&mut Out) -> io::Result<()>,
    ) -> Result<(), Failure> {
        write_output(self.out.as_deref(), what, quiet, |out| match self.format {
            TableOrJson::Table => table(out),
            TableOrJson::Json => pretty_json(out, value),
        })?;
        match &self.json {
            Some(path) => write_file(path, what, quiet, |out| pretty_json(out, value)),
            None => Ok(()),
        }
    }
}

/// Whether `path` is `-`, standard input or output.
pub fn is_std(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes a subcommand's main output with `write`: to stdout, or to the
/// file `out` names (`-` is stdout too), with a note on stderr unless
/// `quiet`. A reader that stops early (`| head`) is not an error.
pub fn write_output(
    out: Option<&Path>,
    what: &str,
    quiet: bool,
    write: impl FnOnce(&mut Out) -> io::Result<()>,
) -> Result<(), Failure> {
    match out {
        Some(path) if !is_std(path) => write_file(path, what, quiet, write),
        _ => {
            let mut stdout = BufWriter::new(io::stdout());
            match write(&mut stdout).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
                _ => Ok(()),
            }
        }
    }
}

/// Whether CSV files begin with a byte-order mark (off with `--no-bom`).
static CSV_BOM: AtomicBool = AtomicBool::new(true);

/// Sets whether CSV files written begin with a UTF-8 byte-order mark: Excel
/// on Chinese Windows reads a CSV without one as GBK, and shows mojibake.
pub fn set_csv_bom(bom: bool) {
    CSV_BOM.store(bom, Ordering::Relaxed);
}

/// Writes the file `path` with `write`, buffered, and says so on stderr as
/// `{what} written to {path}` unless `quiet`. The file is written beside
/// `path` under a temporary name and renamed when complete, so that an
/// error leaves no empty or partial file (and an older file as it was). A
/// `*.csv` file begins with a UTF-8 byte-order mark unless `--no-bom`.
pub fn write_file(
    path: &Path,
    what: &str,
    quiet: bool,
    write: impl FnOnce(&mut Out) -> io::Result<()>,
) -> Result<(), Failure> {
    // A device or a pipe (`/dev/stdout`, a named pipe) is written as it is.
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return File::options()
            .write(true)
            .open(path)
            .map(BufWriter::new)
            .and_then(|mut file| {
                write(&mut file)?;
                file.flush()
            })
            .map_err(|e| format!("{}: {e}", path.display()));
    }
    let temporary = temporary_beside(path);
    let written = File::create_new(&temporary)
        .map(BufWriter::new)
        .and_then(|mut file| {
            if has_extension(path, "csv") && CSV_BOM.load(Ordering::Relaxed) {
                file.write_all(b"\xEF\xBB\xBF")?;
            }
            write(&mut file)?;
            file.into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .sync_all()
        })
        .and_then(|()| fs::rename(&temporary, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&temporary);
        return Err(format!("{}: {e}", path.display()));
    }
    if !quiet {
        eprintln!("{what} written to {}", path.display());
    }
    Ok(())
}

/// A name for `path` while it is written: hidden, in the same directory
/// (so that the rename stays on one file system), unique to this process.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// The names a picture (a map, a chart) may have: SVG, and PNG when the
/// command can render it.
pub const PICTURE_EXTENSIONS: &[&str] = if cfg!(feature = "png") {
    &["svg", "png"]
} else {
    &["svg"]
};

/// Writes a picture that `draw` draws as SVG to `path`: as it is, or
/// rendered as PNG (at twice its size, for print) when the name ends in
/// `.png`.
pub fn write_picture(
    path: &Path,
    what: &str,
    quiet: bool,
    draw: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
) -> Result<(), Failure> {
    let mut svg = Vec::new();
    draw(&mut svg).map_err(|e| format!("{}: {e}", path.display()))?;
    #[cfg(feature = "png")]
    if has_extension(path, "png") {
        let png = carrier_quota::report::svg_to_png(&svg, 2.0)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        return write_file(path, what, quiet, |out| out.write_all(&png));
    }
    write_file(path, what, quiet, |out| out.write_all(&svg))
}

/// The extensions whose files hold one known format: a name ending in one
/// of them must match what is written.
const KNOWN_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "txt", "json", "geojson", "svg", "png", "pdf", "html", "htm", "xlsx", "xlsm",
    "xls", "ods", "parquet", "toml",
];

/// Refuses, before anything is read or written, a file name whose
/// extension names another format than `writes` (`what` in words): a
/// report in `r.xlsx` that is CSV inside would open as garbage. A name
/// with no extension, or one that names no format, is taken as given.
pub fn check_name(path: Option<&Path>, what: &str, writes: &[&str]) -> Result<(), Failure> {
    let Some(path) = path.filter(|p| !is_std(p)) else {
        return Ok(());
    };
    let Some(extension) = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
    else {
        return Ok(());
    };
    if writes.contains(&extension.as_str()) || !KNOWN_EXTENSIONS.contains(&extension.as_str()) {
        return Ok(());
    }
    let names: Vec<String> = writes.iter().map(|e| format!("*.{e}")).collect();
    Err(format!(
        "{}: this writes {what}, not .{extension}: name the file {}",
        path.display(),
        names.join(" or ")
    ))
}

/// Writes `value` as pretty JSON, with a final newline.
pub fn pretty_json(out: &mut Out, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Whether the file `path` is named `*.{extension}`, in any case.
pub fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// What a read decided, on stderr: one `note:` line each; none with
/// `quiet` (the reports and the JSON still hold them).
pub fn show_notes(placed: &carrier_quota::Placed, quiet: bool) {
    if !quiet {
        let summary = placed.summary();
        let _ =
            carrier_quota::report::write_input_notes(io::stderr().lock(), placed.atlas(), &summary);
    }
}

/// The records a read refused, and those it swapped back, on stderr;
/// nothing with `quiet` (the reports list them).
pub fn show_rejections(carriers: &carrier_quota::Carriers, quiet: bool) {
    if !quiet {
        let _ = carrier_quota::report::write_rejections(io::stderr().lock(), carriers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("carrier-quota-out-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn an_error_while_writing_leaves_no_file_and_the_old_one_as_it_was() {
        let dir = folder("atomic");
        let path = dir.join("report.json");
        let failing = |out: &mut Out| -> io::Result<()> {
            out.write_all(b"{\"half\": ")?;
            Err(io::Error::other("the renderer failed"))
        };
        let error = write_file(&path, "report", true, failing).unwrap_err();
        assert!(error.contains("the renderer failed"), "{error}");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            0,
            "nothing left behind"
        );

        fs::write(&path, "old").unwrap();
        write_file(&path, "report", true, failing).unwrap_err();
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);

        write_file(&path, "report", true, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn a_name_is_checked_by_its_extension_only_when_it_names_a_format() {
        let csv = ["csv"];
        assert!(check_name(Some(Path::new("r.csv")), "CSV", &csv).is_ok());
        assert!(check_name(Some(Path::new("r.CSV")), "CSV", &csv).is_ok());
        assert!(check_name(Some(Path::new("report")), "CSV", &csv).is_ok());
        assert!(check_name(Some(Path::new("r.2025")), "CSV", &csv).is_ok());
        assert!(check_name(Some(Path::new("-")), "CSV", &csv).is_ok());
        assert!(check_name(None, "CSV", &csv).is_ok());
        assert_eq!(
            check_name(Some(Path::new("r.xlsx")), "CSV", &csv).unwrap_err(),
            "r.xlsx: this writes CSV, not .xlsx: name the file *.csv"
        );
    }
}
