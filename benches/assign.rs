//! Assignment of point carriers to the 38 embedded districts.
//!
//! `assign/points/locator` is the library's exact path; the baseline in the
//! same group tests each point with geo's `Contains` against every district
//! whose bounding box holds it.

use carrier_quota::synthetic::Synthetic;
use carrier_quota::{Atlas, FootprintRule};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::{BoundingRect, Contains, Point};

fn points(c: &mut Criterion) {
    let atlas = Atlas::chongqing();
    let n = 100_000;
    let carriers = Synthetic {
        count: n,
        seed: 1,
        footprint_share: 0.0,
    }
    .generate(&atlas);
    let boxes: Vec<_> = atlas
        .districts()
        .iter()
        .map(|d| d.shape.bounding_rect().unwrap())
        .collect();
    let mut group = c.benchmark_group("assign/points");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("locator", n), |b| {
        b.iter(|| {
            let assignment = atlas.assign(&carriers, FootprintRule::SurfacePoint);
            assert_eq!(assignment.outside().count(), 0);
            assignment
        })
    });
    group.bench_function(BenchmarkId::new("contains_baseline", n), |b| {
        b.iter(|| {
            let found = carriers
                .iter()
                .filter(|c| {
                    let p: Point = c.location.anchor();
                    atlas
                        .districts()
                        .iter()
                        .zip(&boxes)
                        .any(|(d, bbox)| bbox.contains(&p) && d.shape.contains(&p))
                })
                .count();
            assert!(found > n * 99 / 100);
            found
        })
    });
    group.finish();
}

criterion_group!(benches, points);
criterion_main!(benches);
