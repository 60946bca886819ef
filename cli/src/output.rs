//! Where output goes (stdout, or the file `--out` names), the notes of
//! files written, and the exit status.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

/// Writes the file `path` with `write`, buffered, and says so on stderr as
/// `{what} written to {path}` unless `quiet`.
pub fn write_file(
    path: &Path,
    what: &str,
    quiet: bool,
    write: impl FnOnce(&mut Out) -> io::Result<()>,
) -> Result<(), Failure> {
    File::create(path)
        .map(BufWriter::new)
        .and_then(|mut file| {
            write(&mut file)?;
            file.flush()
        })
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !quiet {
        eprintln!("{what} written to {}", path.display());
    }
    Ok(())
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

/// What a read decided that a total depends on, on stderr: one `note:`
/// line each (shown with `quiet` too, since a total depends on them).
pub fn show_notes(placed: &carrier_quota::Placed) {
    let summary = placed.summary();
    let _ = carrier_quota::report::write_input_notes(io::stderr().lock(), placed.atlas(), &summary);
}

/// The records a read refused, and those it swapped back, on stderr: each
/// one, or with `quiet` only how many were refused.
pub fn show_rejections(carriers: &carrier_quota::Carriers, quiet: bool) {
    let rejected = carriers.rejections().len();
    if !quiet {
        let _ = carrier_quota::report::write_rejections(io::stderr().lock(), carriers);
    } else if rejected > 0 {
        eprintln!(
            "{rejected} of {} records rejected",
            carriers.features_read()
        );
    }
}
