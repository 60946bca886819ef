//! The `carrier-quota` command line: one module per subcommand, over the
//! `carrier-quota` library.
//!
//! ```text
//! main ─▶ Cli (clap) ─▶ report | assign | split | sites | query | regions | sample | completions
//!                          │
//!                          ├─ inputs: the flags that name carriers, plans, overlays and
//!                          │          region sets, and reading them (any format, or stdin)
//!                          └─ output: stdout or --out, files written, the exit status
//! ```
//!
//! Exit status: 0 on success; 1 when a check ran and a target is behind
//! (only with `--fail-on`); 2 on bad usage, unreadable input, or rejected
//! records with `--strict`. An error is one line on stderr that names the
//! file, where in it, and why.
//!
//! `inputs`, `output` and `query` are public so that the Ballista crate's
//! cluster processes take the same flags; they are not a library API.

pub mod inputs;
pub mod output;
pub mod query;

mod assign;
mod regions;
mod report;
mod sample;
mod sites;
mod split;

use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;

pub use output::{Failure, Outcome};

/// Check Chongqing's incubation carriers (孵化载体) against the 2021–2025
/// quota plan: where each carrier is, which district and zone it counts
/// toward, how far each target is, and how to close the gaps.
#[derive(Parser)]
#[command(name = "carrier-quota", version, propagate_version = true, after_help = EXAMPLES)]
pub struct Cli {
    /// Errors only on stderr: no progress bar, notes, rejected rows or
    /// files written (the reports and the JSON still hold every note and
    /// rejection).
    #[arg(long, short, global = true)]
    quiet: bool,
    /// CSV files written with --out without the UTF-8 byte-order mark that
    /// Excel needs to read Chinese text (standard output never has one).
    #[arg(long, global = true)]
    no_bom: bool,
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples (on the built-in sample, or files `carrier-quota sample` writes):
  carrier-quota report --map map.svg
  carrier-quota report --as-of 2023-12-31 --format json
  carrier-quota report --history --chart progress.svg
  carrier-quota sample carriers --count 100000 --out carriers.parquet
  carrier-quota assign carriers.parquet --out placed.parquet
  carrier-quota split --target 350000 --zone northeast,southeast --weights area
  carrier-quota sample candidates --count 120 --out sites.geojson
  carrier-quota sites sites.geojson --as-of 2027-12-31
  carrier-quota sample regions --columns 12 --rows 10 --out regions.geojson
  carrier-quota regions regions.geojson --code-property code --parent-prefix 2

Exit status: 0 success; 1 a target is behind (with --fail-on behind);
2 bad usage, unreadable input, or rejected records (with --strict).";

#[derive(Subcommand)]
enum Command {
    /// Check carriers against a quota plan on a date: a table, JSON, CSV,
    /// GeoJSON or the SVG map; --history for the progress at each year end.
    Report(report::Args),
    /// Assign carriers to districts and tally them by district, zone and
    /// city; write them with their districts.
    Assign(assign::Args),
    /// Split a whole-number target among districts by weight.
    Split(split::Args),
    /// Choose the candidate sites that close a plan's floor-area gaps at
    /// the least cost.
    Sites(sites::Args),
    /// Run SQL over Parquet tables with carrier_district and carrier_zone,
    /// and print the result as CSV.
    Query(query::Args),
    /// Load and validate a region file: counts, gaps, overlaps, invalid
    /// polygons, and the time it took.
    Regions(regions::Args),
    /// Write synthetic carriers, candidate sites or regions (not real data).
    Sample(sample::Args),
    /// Print a shell completion script, e.g.
    /// `carrier-quota completions bash > /etc/bash_completion.d/carrier-quota`.
    Completions {
        /// The shell.
        shell: Shell,
    },
}

/// Runs the command line this process was started with, and returns its
/// exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version, on stdout.
        Err(e) if !e.use_stderr() => e.exit(),
        // No subcommand: the whole help, on stderr.
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("{}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    let context = Context { quiet: cli.quiet };
    output::set_csv_bom(!cli.no_bom);
    let ran = match cli.command {
        Command::Report(args) => report::run(args, &context),
        Command::Assign(args) => assign::run(args, &context),
        Command::Split(args) => split::run(args, &context),
        Command::Sites(args) => sites::run(args, &context),
        Command::Query(args) => query::run(args),
        Command::Regions(args) => regions::run(args, &context),
        Command::Sample(args) => sample::run(args, &context),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "carrier-quota", &mut io::stdout());
            Ok(Outcome::Done)
        }
    };
    output::exit(ran)
}

/// The command's reference in Markdown: the long help of the command and of
/// each subcommand, at a width of 100 columns. `docs/guide/cli.md` is this
/// text; a test keeps it so.
pub fn reference() -> String {
    let mut command = Cli::command().term_width(100).max_term_width(100);
    command.build();
    let mut out = String::from(
        "# Command reference\n\n\
         The help of `carrier-quota` and of each of its subcommands, as `--help` prints \
         them.\nThis page is generated from the command's own definitions \
         (`carrier_quota_cli::reference`);\na test fails when it is out of date, and \
         `CARRIER_QUOTA_WRITE_DOCS=1 cargo test -p carrier-quota-cli --test cli docs`\n\
         writes it again.\n",
    );
    reference_of(&mut command, "carrier-quota", &mut out);
    out
}

fn reference_of(command: &mut clap::Command, path: &str, out: &mut String) {
    let help = command.render_long_help().to_string();
    let help: Vec<&str> = help.lines().map(str::trim_end).collect();
    out.push_str(&format!(
        "\n## `{path}`\n\n```text\n{}\n```\n",
        help.join("\n").trim_end()
    ));
    for sub in command.get_subcommands_mut() {
        if sub.get_name() != "help" {
            let path = format!("{path} {}", sub.get_name());
            reference_of(sub, &path, out);
        }
    }
}

/// A usage error as one line: clap's message up to its first blank line
/// (the message and what it lists), then where to look.
fn usage_error(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let message: Vec<&str> = text
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    format!("{} (see --help)", message.join(" "))
}

/// What every subcommand is told besides its own flags.
pub struct Context {
    /// `--quiet`.
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
