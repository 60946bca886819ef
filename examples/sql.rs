//! The atlas's SQL functions in DataFusion: the sample carriers written as
//! GeoParquet, then floor area by zone in SQL, each carrier placed by
//! `carrier_zone`.
//!
//! ```text
//! cargo run --features datafusion --example sql
//! ```

use std::error::Error;
use std::fs::File;
use std::sync::Arc;

use carrier_quota::read::read_carriers;
use carrier_quota::write::{write_carriers_parquet, GeometryEncoding};
use carrier_quota::{sql, Atlas, ReadOptions};
use datafusion::prelude::{ParquetReadOptions, SessionContext};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/carriers.geojson");
    let carriers = read_carriers(File::open(sample)?, &ReadOptions::default())?;
    let parquet = std::env::temp_dir().join("carrier-quota-sql-example.parquet");
    write_carriers_parquet(File::create(&parquet)?, &carriers, GeometryEncoding::Wkb)?;

    let ctx = SessionContext::new();
    sql::register_carrier_functions(&ctx, Arc::new(Atlas::chongqing().clone()));
    let path = parquet.to_str().ok_or("a UTF-8 temporary folder")?;
    ctx.register_parquet("carriers", path, ParquetReadOptions::default())
        .await?;
    let by_zone = ctx
        .sql(
            "SELECT carrier_zone(geometry) AS zone, count(*) AS carriers, \
             sum(floor_area_m2) AS floor_area_m2 \
             FROM carriers GROUP BY zone ORDER BY zone",
        )
        .await?;
    by_zone.show().await?;
    Ok(())
}
