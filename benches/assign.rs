//! Assignment of carriers to the 38 embedded districts.
//!
//! `assign/points/*`: clustered point carriers, in memory. The grid fast
//! path on one and two threads over the first 1, 3 and 10 million of them
//! (equal throughput means time grows linearly), as carrier records through
//! `Atlas::assign` and as a coordinate array through `Atlas::locate_into`;
//! the exact R-tree path, and the
//! baseline (geo's `Contains` against every district whose bounding box
//! holds the point, on a 200,000-point subset) in the same group; each
//! answer is checked in the loop.
//! `assign/footprints/*`: one million 20-vertex footprints.

use std::sync::OnceLock;

use carrier_quota::synthetic::Synthetic;
use carrier_quota::{Atlas, Carrier, FootprintRule};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::{BoundingRect, Contains, Coord, Point};

const POINTS: usize = 10_000_000;

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(Atlas::chongqing)
}

fn points() -> &'static [Carrier] {
    static CARRIERS: OnceLock<Vec<Carrier>> = OnceLock::new();
    CARRIERS.get_or_init(|| {
        Synthetic {
            count: POINTS,
            seed: 1,
            footprint_share: 0.0,
        }
        .generate(atlas())
    })
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

fn assign_points(c: &mut Criterion) {
    let atlas = atlas();
    let carriers = points();
    let mut group = c.benchmark_group("assign/points");
    group.sample_size(10);
    group.throughput(Throughput::Elements(POINTS as u64));
    // Scaling: the same throughput at every size means linear time. Each
    // size as carrier records (`Atlas::assign`) and as a plain coordinate
    // array, the form the columnar tools (shapely's `intersects_xy`, a
    // prepared grid) are measured on.
    let all_coords: Vec<Coord> = carriers.iter().map(|c| c.location.anchor().0).collect();
    for size in [1_000_000, 3_000_000, POINTS] {
        let (carriers, coords) = (&carriers[..size], &all_coords[..size]);
        group.throughput(Throughput::Elements(size as u64));
        for threads in [1, 2] {
            let pool = pool(threads);
            group.bench_function(
                BenchmarkId::new(format!("grid_{threads}_threads"), size),
                |b| {
                    b.iter(|| {
                        let assignment =
                            pool.install(|| atlas.assign(carriers, FootprintRule::SurfacePoint));
                        assert_eq!(assignment.outside().count(), 0);
                        assignment
                    })
                },
            );
            group.bench_function(
                BenchmarkId::new(format!("coords_{threads}_threads"), size),
                |b| {
                    b.iter(|| {
                        let mut districts = vec![None; size];
                        pool.install(|| atlas.locate_into(coords, &mut districts));
                        assert!(districts.iter().all(Option::is_some));
                        districts
                    })
                },
            );
        }
    }
    drop(all_coords);
    let subset = &carriers[..200_000];
    group.throughput(Throughput::Elements(subset.len() as u64));
    group.bench_function(BenchmarkId::new("exact_rtree", subset.len()), |b| {
        b.iter(|| {
            let found = subset
                .iter()
                .filter(|c| atlas.locate_exact(c.location.anchor()).is_some())
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
                    let p: Point = c.location.anchor();
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
    let atlas = atlas();
    let n = 1_000_000;
    let carriers = Synthetic {
        count: n,
        seed: 2,
        footprint_share: 1.0,
    }
    .generate(atlas);
    // A few surface points of footprints at the city's edge fall outside it:
    // the exact path says how many.
    let outside = carriers
        .iter()
        .filter(|c| atlas.locate_exact(c.location.anchor()).is_none())
        .count();
    let mut group = c.benchmark_group("assign/footprints");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new("surface_point", n), |b| {
        b.iter(|| {
            let assignment = atlas.assign(&carriers, FootprintRule::SurfacePoint);
            assert_eq!(assignment.outside().count(), outside);
            assignment
        })
    });
    group.finish();
}

criterion_group!(benches, assign_points, assign_footprints);
criterion_main!(benches);
