//! A scheduler and an executor on localhost, set up as the `scheduler` and
//! `executor` examples set them up, run the crate's SQL functions and give
//! the crate's own tally.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ballista_executor::executor_process::start_executor_process;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::scheduler_process::start_server;
use carrier_quota::place::FootprintRule;
use carrier_quota::synthetic::Synthetic;
use carrier_quota::write::{write_carriers_parquet, GeometryEncoding};
use carrier_quota::{Atlas, Tally};
use carrier_quota_ballista::{connect, executor_config, scheduler_config};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{Float64Type, Int64Type};
use datafusion::prelude::ParquetReadOptions;

/// A port nothing listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts a scheduler and an executor for `atlas`; returns the scheduler's
/// URL.
async fn start_cluster(atlas: &Arc<Atlas>) -> String {
    let mut scheduler = scheduler_config(atlas.clone());
    scheduler.bind_host = "127.0.0.1".into();
    scheduler.external_host = "localhost".into();
    scheduler.bind_port = free_port();
    let address = SocketAddr::from(([127, 0, 0, 1], scheduler.bind_port));
    let cluster = BallistaCluster::new_from_config(&scheduler)
        .await
        .expect("scheduler state");
    tokio::spawn(start_server(cluster, address, Arc::new(scheduler)));

    let mut executor = executor_config(atlas.clone());
    executor.bind_host = "127.0.0.1".into();
    executor.external_host = Some("localhost".into());
    executor.port = free_port();
    executor.grpc_port = free_port();
    executor.scheduler_host = "localhost".into();
    executor.scheduler_port = address.port();
    executor.vcores = 2;
    tokio::spawn(start_executor_process(Arc::new(executor)));
    format!("df://localhost:{}", address.port())
}

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("carrier-quota-ballista-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_groups_floor_area_by_district_as_the_crate_tallies_it() {
    let atlas = Arc::new(Atlas::chongqing().clone());
    // Whole square metres, so that the cluster's floating-point sums are
    // exact whatever order they add in; footprints and points.
    let carriers = Synthetic::new(20_000, 21).footprints(0.2).generate(&atlas);
    let path = temp_file("carriers.parquet");
    let mut file = std::fs::File::create(&path).unwrap();
    write_carriers_parquet(&mut file, &carriers, GeometryEncoding::Wkb).unwrap();
    let tally = Tally::new(&atlas.place(carriers, FootprintRule::SurfacePoint));

    let url = start_cluster(&atlas).await;
    let ctx = connect(&url, atlas.clone()).await.unwrap();
    ctx.register_parquet(
        "carriers",
        path.to_str().unwrap(),
        ParquetReadOptions::default(),
    )
    .await
    .unwrap();
    let query = ctx.sql(
        "SELECT carrier_district(geometry, 'gcj02') AS district, \
         carrier_zone(geometry) AS zone, \
         sum(floor_area_m2) AS floor_area_m2, count(*) AS carriers \
         FROM carriers GROUP BY district, zone ORDER BY district",
    );
    let run = async { query.await?.collect().await };
    let batches: Vec<RecordBatch> = tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("the cluster answers within 5 minutes")
        .unwrap();
    std::fs::remove_dir_all(path.parent().unwrap()).ok();

    let mut rows = 0;
    let mut carriers_counted = 0;
    for batch in &batches {
        let (districts, zones) = (
            batch.column(0).as_string::<i32>(),
            batch.column(1).as_string::<i32>(),
        );
        let areas = batch.column(2).as_primitive::<Float64Type>();
        let counts = batch.column(3).as_primitive::<Int64Type>();
        for row in 0..batch.num_rows() {
            let totals = if districts.is_null(row) {
                assert!(zones.is_null(row));
                tally.outside()
            } else {
                let district = atlas.find_district(districts.value(row)).unwrap();
                let zone = atlas
                    .district(district)
                    .zone
                    .map(|z| atlas.zone(z).code.as_str());
                assert_eq!(zones.is_valid(row).then(|| zones.value(row)), zone);
                tally.district(district)
            };
            assert_eq!(
                areas.value(row),
                totals.all.floor_area_m2(),
                "floor area of row {row}"
            );
            assert_eq!(
                counts.value(row) as u64,
                totals.all.carriers,
                "carriers of row {row}"
            );
            carriers_counted += counts.value(row) as u64;
            rows += 1;
        }
    }
    let districts_with_carriers = tally
        .districts()
        .iter()
        .filter(|d| d.all.carriers > 0)
        .count();
    let outside = usize::from(tally.outside().all.carriers > 0);
    assert_eq!(rows, districts_with_carriers + outside);
    assert_eq!(carriers_counted, 20_000);
}
