//! Helpers shared by the examples: aligned tables, number formatting,
//! progress on a terminal, and error exits.

#![allow(dead_code)] // each example uses a different subset

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use unicode_width::UnicodeWidthStr;

/// Column alignment.
#[derive(Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Right,
}

/// Writes rows as an aligned table, padding by display width so that
/// Chinese names line up; `None` rows are rules.
pub fn table(
    out: &mut impl io::Write,
    header: &[&str],
    align: &[Align],
    rows: &[Option<Vec<String>>],
) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows.iter().flatten() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |out: &mut dyn io::Write, cells: &[String]| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.width());
            if i > 0 {
                text.push_str("  ");
            }
            match align[i] {
                Align::Left => {
                    text.push_str(cell);
                    text.push_str(&pad);
                }
                Align::Right => {
                    text.push_str(&pad);
                    text.push_str(cell);
                }
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    line(out, &header)?;
    let rule = "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1));
    writeln!(out, "{rule}")?;
    for row in rows {
        match row {
            Some(cells) => line(out, cells)?,
            None => writeln!(out, "{rule}")?,
        }
    }
    Ok(())
}

/// A number with thousands separators and `decimals` places.
pub fn thousands(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Opens `path` for reading, with a byte progress bar on stderr when stderr
/// is a terminal and `quiet` is off.
pub fn open_with_progress(
    path: &Path,
    quiet: bool,
) -> io::Result<(Box<dyn Read>, Option<ProgressBar>)> {
    let file = File::open(path)?;
    if quiet || !io::stderr().is_terminal() {
        return Ok((Box::new(file), None));
    }
    let bar = ProgressBar::new(file.metadata()?.len());
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(format!("reading {}", path.display()));
    let reader = bar.wrap_read(file);
    Ok((Box::new(reader), Some(bar)))
}

/// Turns a byte progress bar into a spinner for a phase of unknown length.
pub fn spin(bar: &ProgressBar, message: &str) {
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(1234567.891, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-1000.0, 0), "-1,000");
        assert_eq!(thousands(0.0, 0), "0");
    }
}
