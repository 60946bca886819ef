//! The whole Parquet read and place: one million lean carriers written as
//! GeoParquet (WKB, and GeoArrow's native points) to a file in the
//! temporary folder, then read back, placed in the embedded atlas and
//! tallied, as `carrier-quota assign` does after building the atlas.
//! `parquet/read/*` is the read alone.
//!
//! ```text
//! cargo bench --features parquet --bench parquet
//! ```

use std::fs::File;
use std::path::PathBuf;

use carrier_quota::synthetic::Synthetic;
use carrier_quota::{
    read_carriers_parquet, write_carriers_parquet, Atlas, Datum, FootprintRule, GeometryEncoding,
    ReadOptions, Tally,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const ROWS: usize = 1_000_000;

/// The file of `ROWS` lean carriers in `encoding`, written once.
fn file(encoding: GeometryEncoding, name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("carrier-quota-bench-{name}.parquet"));
    let carriers = Synthetic::new(ROWS, 1).lean().generate(Atlas::chongqing());
    write_carriers_parquet(File::create(&path).unwrap(), &carriers, encoding).unwrap();
    path
}

fn parquet(c: &mut Criterion) {
    let atlas = Atlas::chongqing();
    let options = ReadOptions::new()
        .datum(Datum::Gcj02)
        .expected_area(atlas.outline().clone());
    for (name, encoding) in [
        ("wkb", GeometryEncoding::Wkb),
        ("points", GeometryEncoding::Point),
    ] {
        let path = file(encoding, name);
        let read = || read_carriers_parquet(File::open(&path).unwrap(), &options).unwrap();
        let mut group = c.benchmark_group("parquet");
        group.sample_size(10);
        group.throughput(Throughput::Elements(ROWS as u64));
        group.bench_function(BenchmarkId::new(format!("read/{name}"), ROWS), |b| {
            b.iter(|| {
                let carriers = read();
                assert_eq!(carriers.len(), ROWS);
                carriers
            })
        });
        group.bench_function(
            BenchmarkId::new(format!("read_place_tally/{name}"), ROWS),
            |b| {
                b.iter(|| {
                    let placed = atlas.place(read(), FootprintRule::SurfacePoint);
                    let tally = Tally::new(&placed);
                    assert_eq!(tally.city().all.carriers, ROWS as u64);
                    tally
                })
            },
        );
        group.finish();
        let _ = std::fs::remove_file(path);
    }
}

criterion_group!(benches, parquet);
criterion_main!(benches);
