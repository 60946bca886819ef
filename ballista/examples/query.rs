//! Submits SQL over Parquet tables to a Ballista cluster started with this
//! crate's `scheduler` and `executor`, and prints the result as CSV. The
//! files must be readable by every executor at the same path.
//!
//! ```text
//! cargo run --release -p carrier-quota-ballista --example query -- \
//!     --scheduler df://localhost:50050 --table carriers=/data/carriers.parquet \
//!     "SELECT carrier_district(geometry) AS district, sum(floor_area_m2) AS floor_area_m2
//!      FROM carriers GROUP BY district ORDER BY district"
//! ```

use std::process::ExitCode;

use carrier_quota_cli::output::{exit, Failure, Outcome};

use clap::Parser;

/// Run SQL on a Ballista cluster with carrier_district and carrier_zone, and
/// print the result as CSV.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The scheduler: df://HOST:PORT.
    #[arg(long, default_value = "df://localhost:50050")]
    scheduler: String,
    #[command(flatten)]
    query: carrier_quota_cli::query::QueryFlags,
}

#[tokio::main]
async fn main() -> ExitCode {
    exit(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<Outcome, Failure> {
    let atlas = args.query.regions.shared_atlas()?;
    let ctx = carrier_quota_ballista::connect(&args.scheduler, atlas)
        .await
        .map_err(|e| format!("{}: {e}", args.scheduler))?;
    args.query.run(&ctx).await?;
    Ok(Outcome::Done)
}
