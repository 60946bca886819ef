//! The whole Parquet read and place: one million lean carriers written as
//! GeoParquet (WKB, and GeoArrow's native points) and as a plain table with
//! `lon` and `lat` columns (one row group, as other tools write it) to a
//! file in the temporary folder, then read back, placed in the embedded
//! atlas and tallied, as `carrier-quota assign` does after building the
//! atlas. `parquet/read/*` is the read alone.
//!
//! ```text
//! cargo bench --features parquet --bench parquet
//! ```

use std::fs::File;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use carrier_quota::place::FootprintRule;
use carrier_quota::read::read_carriers_parquet;
use carrier_quota::synthetic::Synthetic;
use carrier_quota::write::{write_carriers_parquet, GeometryEncoding};
use carrier_quota::{Atlas, Datum, ReadOptions, Tally};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const ROWS: usize = 1_000_000;

/// How the bench's file keeps the carriers' points.
#[derive(Clone, Copy)]
enum Layout {
    GeoParquet(GeometryEncoding),
    LonLat,
}

/// The file of `ROWS` lean carriers laid out as `layout`, written once.
fn file(layout: Layout, name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("carrier-quota-bench-{name}.parquet"));
    let carriers = Synthetic::new(ROWS, 1).lean().generate(Atlas::chongqing());
    let out = File::create(&path).unwrap();
    match layout {
        Layout::GeoParquet(encoding) => {
            write_carriers_parquet(out, &carriers, encoding).unwrap();
        }
        Layout::LonLat => {
            let c = || carriers.iter();
            let anchors = || c().map(|c| c.anchor().expect("a synthetic carrier has a point"));
            let columns: Vec<(&str, ArrayRef)> = vec![
                (
                    "id",
                    Arc::new(StringArray::from_iter_values(c().map(|c| c.id()))),
                ),
                (
                    "kind",
                    Arc::new(StringArray::from_iter_values(
                        c().map(|c| c.kind().as_str()),
                    )),
                ),
                (
                    "floor_area_m2",
                    Arc::new(Float64Array::from_iter_values(
                        c().map(|c| c.floor_area_m2()),
                    )),
                ),
                (
                    "enterprises",
                    Arc::new(UInt32Array::from_iter_values(c().map(|c| c.enterprises()))),
                ),
                (
                    "opened",
                    Arc::new(StringArray::from_iter(
                        c().map(|c| c.opened().map(|d| d.to_string())),
                    )),
                ),
                (
                    "lon",
                    Arc::new(Float64Array::from_iter_values(anchors().map(|p| p.x()))),
                ),
                (
                    "lat",
                    Arc::new(Float64Array::from_iter_values(anchors().map(|p| p.y()))),
                ),
            ];
            let batch = RecordBatch::try_from_iter(columns).unwrap();
            let properties = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROWS))
                .build();
            let mut writer = ArrowWriter::try_new(out, batch.schema(), Some(properties)).unwrap();
            writer.write(&batch).unwrap();
            writer.close().unwrap();
        }
    }
    path
}

fn parquet(c: &mut Criterion) {
    let atlas = Atlas::chongqing();
    let geoparquet = ReadOptions::new()
        .datum(Datum::Gcj02)
        .expected_area(atlas.outline().clone());
    let lon_lat = geoparquet.clone().coordinate_columns("lon", "lat");
    for (name, layout, options) in [
        (
            "wkb",
            Layout::GeoParquet(GeometryEncoding::Wkb),
            &geoparquet,
        ),
        (
            "points",
            Layout::GeoParquet(GeometryEncoding::Point),
            &geoparquet,
        ),
        ("lonlat", Layout::LonLat, &lon_lat),
    ] {
        let path = file(layout, name);
        let read = || read_carriers_parquet(File::open(&path).unwrap(), options).unwrap();
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
