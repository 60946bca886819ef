//! Assignment of carriers to the 38 embedded districts.
//!
//! `assign/points/*`: clustered point carriers in the columnar store, placed
//! with `Atlas::place` (1, 3 and 10 million, one and two threads: equal
//! throughput means time grows linearly), against `Atlas::locate_into` on
//! the same coordinate array (the look-up alone, without the answer vector
//! `place` allocates); the exact R-tree path, and the baseline (geo's
//! `Contains` against every district whose bounding box holds the point, on
//! a 200,000-point subset) in the same group. Each answer is checked in the
//! loop.
//! `assign/footprints/*`: one million 20-vertex footprints.

use carrier_quota::place::FootprintRule;
use carrier_quota::synthetic::Synthetic;
use carrier_quota::{Atlas, Carriers};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::{BoundingRect, Contains, Point};

const POINTS: usize = 10_000_000;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// Places `carriers` and takes them back, so that the next run can place
/// them again without a copy; checks that none is outside.
fn place_and_take_back(atlas: &Atlas, carriers: Carriers, rule: FootprintRule) -> Carriers {
    let placed = atlas.place(carriers, rule);
    assert_eq!(placed.outside().count(), 0);
    placed.into_carriers()
}

fn assign_points(c: &mut Criterion) {
    let atlas = Atlas::chongqing();
    let mut group = c.benchmark_group("assign/points");
    group.sample_size(10);
    for size in [1_000_000, 3_000_000, POINTS] {
        let mut stored = Some(Synthetic::new(size, 1).generate(atlas));
        group.throughput(Throughput::Elements(size as u64));
        for threads in [1, 2] {
            let pool = pool(threads);
            group.bench_function(
                BenchmarkId::new(format!("place_{threads}_threads"), size),
                |b| {
                    b.iter(|| {
                        let carriers = stored.take().unwrap();
                        let rule = FootprintRule::SurfacePoint;
                        stored = Some(pool.install(|| place_and_take_back(atlas, carriers, rule)));
                    })
                },
            );
            let coords = stored.as_ref().unwrap().anchors();
            let mut districts = vec![None; size];
            group.bench_function(
                BenchmarkId::new(format!("locate_into_{threads}_threads"), size),
                |b| {
                    b.iter(|| {
                        pool.install(|| atlas.locate_into(coords, &mut districts));
                        assert!(districts.iter().all(Option::is_some));
                    })
                },
            );
        }
    }
    let subset = Synthetic::new(200_000, 1).generate(atlas);
    group.throughput(Throughput::Elements(subset.len() as u64));
    group.bench_function(BenchmarkId::new("exact_rtree", subset.len()), |b| {
        b.iter(|| {
            let found = subset
                .iter()
                .filter(|c| atlas.locate_exact(c.anchor().unwrap()).is_some())
                .count();
            assert_eq!(found, subset.len());
        })
    });
    let boxes: Vec<_> = atlas
        .districts()
        .iter()
        .map(|d| d.shape.bounding_rect().unwrap())
        .collect();
    group.bench_function(BenchmarkId::new("contains_baseline", subset.len()), |b| {
        b.iter(|| {
            let found = subset
                .iter()
                .filter(|c| {
                    let p: Point = c.anchor().unwrap();
                    atlas
                        .districts()
                        .iter()
                        .zip(&boxes)
                        .any(|(d, bbox)| bbox.contains(&p) && d.shape.contains(&p))
                })
                .count();
            assert!(found > subset.len() * 99 / 100);
        })
    });
    group.finish();
}

fn assign_footprints(c: &mut Criterion) {
    let atlas = Atlas::chongqing();
    let n = 1_000_000;
    let carriers = Synthetic::new(n, 2).footprints(1.0).generate(atlas);
    // A few surface points of footprints at the city's edge fall outside it:
    // the exact path says how many.
    let outside = carriers
        .iter()
        .filter(|c| atlas.locate_exact(c.anchor().unwrap()).is_none())
        .count();
    let mut stored = Some(carriers);
    let mut group = c.benchmark_group("assign/footprints");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new("surface_point", n), |b| {
        b.iter(|| {
            let placed = atlas.place(stored.take().unwrap(), FootprintRule::SurfacePoint);
            assert_eq!(placed.outside().count(), outside);
            stored = Some(placed.into_carriers());
        })
    });
    group.finish();
}

criterion_group!(benches, assign_points, assign_footprints);
criterion_main!(benches);
