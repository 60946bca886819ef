//! Helpers shared by the examples: common flags, progress on a terminal,
//! and error exits.

#![allow(dead_code)] // each example uses a different subset

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

use carrier_quota::{Datum, FootprintRule};
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
