//! The carrier index and incremental updates.
//!
//! `index/bulk_load`: 1 and 10 million point carriers. `index/radius_3km` and
//! `index/nearest_10`: queries at carriers of that set around which 50 to
//! 200 carriers lie within 3 km, each answer checked in the loop. `incremental/*`: inserting or removing one carrier
//! and updating the index and every tally.

use std::hint::black_box;
use std::sync::OnceLock;

use carrier_quota::place::FootprintRule;
use carrier_quota::synthetic::Synthetic;
use carrier_quota::{Atlas, CarrierIndex, Carriers, Tally};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const COUNT: usize = 10_000_000;

fn atlas() -> &'static Atlas {
    Atlas::chongqing()
}

fn carriers() -> &'static Carriers {
    static CARRIERS: OnceLock<Carriers> = OnceLock::new();
    CARRIERS.get_or_init(|| Synthetic::new(COUNT, 7).generate(atlas()))
}

fn index(c: &mut Criterion) {
    let carriers = carriers();
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.throughput(Throughput::Elements(COUNT as u64));
    for size in [COUNT / 10, COUNT] {
        group.throughput(Throughput::Elements(size as u64));
        group.bench_function(BenchmarkId::new("bulk_load", size), |b| {
            b.iter(|| {
                let index = CarrierIndex::from_points(&carriers.anchors()[..size]);
                assert_eq!(index.len(), size);
                index
            })
        });
    }
    group.finish();

    let index = CarrierIndex::new(carriers);
    // Query where about 100 carriers lie within 3 km: points of a lattice
    // over the city, kept when 50 to 200 carriers lie within 3 km of them
    // (counted with the 201 nearest, so that dense places cost little).
    let rect = geo::BoundingRect::bounding_rect(atlas().outline()).unwrap();
    let centres: Vec<geo::Point> = (0..200 * 200)
        .map(|k| {
            let (i, j) = ((k % 200) as f64, (k / 200) as f64);
            geo::Point::new(
                rect.min().x + rect.width() * (i + 0.5) / 200.0,
                rect.min().y + rect.height() * (j + 0.5) / 200.0,
            )
        })
        .filter(|p| {
            let within = index
                .nearest(*p, 201)
                .iter()
                .filter(|n| n.distance_m <= 3000.0)
                .count();
            (50..=200).contains(&within)
        })
        .collect();
    assert!(!centres.is_empty());
    let mut group = c.benchmark_group("index");
    let mut i = 0;
    let found: usize = centres
        .iter()
        .map(|p| index.within_radius(*p, 3000.0).len())
        .sum();
    eprintln!(
        "radius_3km: {:.0} carriers per query on average",
        found as f64 / centres.len() as f64
    );
    group.bench_function(BenchmarkId::new("radius_3km", COUNT), |b| {
        b.iter(|| {
            i = (i + 1) % centres.len();
            let found = index.within_radius(black_box(centres[i]), 3000.0);
            assert!(!found.is_empty());
            found
        })
    });
    group.bench_function(BenchmarkId::new("nearest_10", COUNT), |b| {
        b.iter(|| {
            i = (i + 1) % centres.len();
            let found = index.nearest(black_box(centres[i]), 10);
            assert_eq!(found.len(), 10);
            found
        })
    });
    group.finish();
}

fn incremental(c: &mut Criterion) {
    let atlas = atlas();
    let placed = atlas.place(
        Synthetic::new(1_000_000, 7).generate(atlas),
        FootprintRule::SurfacePoint,
    );
    let mut tally = Tally::new(&placed);
    let mut index = CarrierIndex::new(placed.carriers());
    let extra = Synthetic::new(1000, 99).generate(atlas);
    let mut group = c.benchmark_group("incremental");
    let mut i = 0;
    group.bench_function("insert_then_remove_one", |b| {
        b.iter(|| {
            i = (i + 1) % extra.len();
            let carrier = extra.get(i);
            let position = (placed.carriers().len() + i) as u32;
            let place = carrier_quota::Place {
                district: atlas.locate(carrier.anchor().unwrap()),
                within: None,
                placed_by: carrier_quota::PlacedBy::Point,
                shares: None,
            };
            index.insert(position, carrier.anchor().unwrap());
            tally.add(carrier, place);
            assert!(index.remove(position, carrier.anchor().unwrap()));
            tally.remove(carrier, place);
        })
    });
    group.finish();
    assert_eq!(tally, Tally::new(&placed));
}

criterion_group!(benches, index, incremental);
criterion_main!(benches);
