//! Runs SQL over Parquet tables with the atlas's functions
//! (`carrier_district`, `carrier_zone`) and prints the result as CSV.
//!
//! ```text
//! cargo run --release --features datafusion --example query -- \
//!     --table carriers=carriers.parquet \
//!     "SELECT carrier_district(geometry) AS district, sum(floor_area_m2) AS floor_area_m2
//!      FROM carriers GROUP BY district ORDER BY district"
//! ```

#[path = "common/mod.rs"]
mod common;
#[path = "common/query.rs"]
mod query;

use std::process::ExitCode;

use carrier_quota::sql;
use clap::Parser;
use datafusion::prelude::SessionContext;

/// Run SQL over Parquet tables with carrier_district and carrier_zone, and
/// print the result as CSV.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    query: query::QueryFlags,
}

#[tokio::main]
async fn main() -> ExitCode {
    common::exit(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<ExitCode, String> {
    let ctx = SessionContext::new();
    sql::register_carrier_functions(&ctx, common::shared_atlas(&args.query.regions)?);
    args.query.run(&ctx).await?;
    Ok(ExitCode::SUCCESS)
}
