//! `carrier-quota query`: SQL over Parquet tables with the atlas's
//! functions (`carrier_district`, `carrier_zone`), the result as CSV.
//! Built with the feature `datafusion`; the Ballista crate's query runs the
//! same flags on a cluster.

use std::path::PathBuf;

use crate::inputs::RegionFlags;
use crate::output::{Failure, Outcome};

/// Run SQL over Parquet tables with carrier_district and carrier_zone, and
/// print the result as CSV.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  carrier-quota sample carriers --count 1000 --out c.parquet
  carrier-quota query --table c=c.parquet \\
    \"SELECT carrier_district(geometry) AS d, count(*) AS n FROM c GROUP BY d\"

Needs the feature datafusion: cargo install --locked --path cli --features datafusion")]
pub struct Args {
    /// The query and its tables.
    #[command(flatten)]
    pub query: QueryFlags,
}

/// The flags of a query: its tables, the atlas, the SQL, where the result
/// goes.
#[derive(clap::Args)]
pub struct QueryFlags {
    /// A table to query: NAME=FILE.parquet (repeat for more tables).
    #[arg(long = "table", value_name = "NAME=FILE", required = true, value_parser = parse_table)]
    pub tables: Vec<(String, PathBuf)>,
    /// The region set the functions place carriers in.
    #[command(flatten)]
    pub regions: RegionFlags,
    /// Write the result to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The query.
    pub sql: String,
}

/// `NAME=FILE.parquet`, as `--table` takes it.
fn parse_table(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(format!("expected NAME=FILE.parquet, found {text:?}")),
    }
}

/// Runs the query and writes its result as CSV.
#[cfg(feature = "datafusion")]
pub fn run(args: Args) -> Result<Outcome, Failure> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let ctx = datafusion::prelude::SessionContext::new();
        carrier_quota::sql::register_carrier_functions(&ctx, args.query.regions.shared_atlas()?);
        args.query.run(&ctx).await?;
        Ok(Outcome::Done)
    })
}

/// Says that the query needs the `datafusion` feature.
#[cfg(not(feature = "datafusion"))]
pub fn run(_: Args) -> Result<Outcome, Failure> {
    Err(
        "query needs SQL, and this carrier-quota was built without it: \
         cargo install --path cli --features datafusion"
            .into(),
    )
}

#[cfg(feature = "datafusion")]
mod engine {
    use std::path::PathBuf;
    use std::sync::Arc;

    use datafusion::arrow::array::RecordBatch;
    use datafusion::arrow::csv;
    use datafusion::prelude::{ParquetReadOptions, SessionContext};

    use super::QueryFlags;
    use crate::output::{check_name, write_output, Failure};

    impl QueryFlags {
        /// Registers the tables on `ctx`, runs the query and writes its
        /// result as CSV, with a header even when it has no rows.
        pub async fn run(&self, ctx: &SessionContext) -> Result<(), Failure> {
            check_name(self.out.as_deref(), "CSV", &["csv"])?;
            register_tables(ctx, &self.tables).await?;
            let result = ctx.sql(&self.sql).await.map_err(|e| e.to_string())?;
            let empty = RecordBatch::new_empty(Arc::new(result.schema().as_arrow().clone()));
            let batches = result.collect().await.map_err(|e| e.to_string())?;
            write_output(self.out.as_deref(), "result", false, |out| {
                let mut writer = csv::Writer::new(out);
                for batch in batches.iter().chain(batches.is_empty().then_some(&empty)) {
                    writer.write(batch).map_err(std::io::Error::other)?;
                }
                Ok(())
            })
        }
    }

    /// Registers each Parquet file as a table of its name.
    async fn register_tables(
        ctx: &SessionContext,
        tables: &[(String, PathBuf)],
    ) -> Result<(), Failure> {
        for (name, path) in tables {
            let text = path.to_str().ok_or("table paths must be UTF-8")?;
            ctx.register_parquet(name.as_str(), text, ParquetReadOptions::default())
                .await
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }
}
