//! Parquet tables in, a query's result out as CSV: what the `query`
//! examples (here and in the Ballista crate) share. Needs `mod common`.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::csv;
use datafusion::prelude::{ParquetReadOptions, SessionContext};

/// The flags of a query: its tables, the atlas, the SQL.
#[derive(clap::Args)]
pub struct QueryFlags {
    /// A table to query: NAME=FILE.parquet (repeat for more tables).
    #[arg(long = "table", value_name = "NAME=FILE", required = true, value_parser = parse_table)]
    pub tables: Vec<(String, PathBuf)>,
    #[command(flatten)]
    pub regions: crate::common::RegionFlags,
    /// The query.
    pub sql: String,
}

impl QueryFlags {
    /// Registers the tables on `ctx`, runs the query and prints its result
    /// as CSV.
    pub async fn run(&self, ctx: &SessionContext) -> Result<(), String> {
        register_tables(ctx, &self.tables).await?;
        print_csv(ctx, &self.sql).await
    }
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

/// Registers each Parquet file as a table of its name.
async fn register_tables(ctx: &SessionContext, tables: &[(String, PathBuf)]) -> Result<(), String> {
    for (name, path) in tables {
        let text = path.to_str().ok_or("table paths must be UTF-8")?;
        ctx.register_parquet(name.as_str(), text, ParquetReadOptions::default())
            .await
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Runs `sql` and prints its result as CSV, with a header even when it
/// has no rows.
async fn print_csv(ctx: &SessionContext, sql: &str) -> Result<(), String> {
    let result = ctx.sql(sql).await.map_err(|e| e.to_string())?;
    let empty = RecordBatch::new_empty(Arc::new(result.schema().as_arrow().clone()));
    let batches = result.collect().await.map_err(|e| e.to_string())?;
    let mut out = csv::Writer::new(io::stdout().lock());
    for batch in batches.iter().chain(batches.is_empty().then_some(&empty)) {
        out.write(batch).map_err(|e| e.to_string())?;
    }
    Ok(())
}
