//! Site selection on the sample's scale: 1,670 synthetic carriers and the
//! built-in plan at 2027-12-31, the gaps closed from synthetic candidates.
//!
//! `sites/exact/40`: 40 candidates, solved exactly. `sites/exact/120`: 120
//! candidates with the exact limit raised to 120. `sites/greedy/120` and
//! `sites/greedy/1000`: the greedy choice and its bound. Each run includes
//! the check, the candidates' placement and the search.

use std::hint::black_box;

use carrier_quota::place::FootprintRule;
use carrier_quota::sites::{select_sites, SelectOptions};
use carrier_quota::synthetic::{candidates, Synthetic};
use carrier_quota::{Atlas, QuotaPlan};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn sites(c: &mut Criterion) {
    let atlas = Atlas::chongqing();
    let carriers = Synthetic::new(1670, 2021).footprints(0.1).generate(atlas);
    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    let plan = QuotaPlan::chongqing_2021_2025();
    let as_of = "2027-12-31".parse().unwrap();
    let mut group = c.benchmark_group("sites");
    group.sample_size(10);
    for (method, count, exact_limit) in [
        ("exact", 40, 40),
        ("exact", 120, 120),
        ("greedy", 120, 0),
        ("greedy", 1000, 0),
    ] {
        let sites = candidates(atlas, count, 2026);
        let options = SelectOptions::new().exact_limit(exact_limit).as_of(as_of);
        group.bench_function(BenchmarkId::new(method, count), |b| {
            b.iter(|| {
                let selection = select_sites(&placed, &plan, &sites, &options).unwrap();
                assert!(selection.exact || exact_limit == 0);
                black_box(selection)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sites);
criterion_main!(benches);
