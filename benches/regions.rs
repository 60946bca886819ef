//! Region sets at national scale.
//!
//! `regions/load`: reading a region set from GeoJSON text into an atlas:
//! parse, validity check, union, gaps and overlaps, look-up structures.
//! `regions/locate_into/box`: one million points uniform over the set's
//! bounding box, located on two threads; `regions/locate_into/inside`: one
//! million drawn the same way and kept when inside a region. The answers
//! are checked against `Atlas::locate_exact` once, before timing.
//!
//! The set is generated: a jittered 60 × 50 grid with 330 vertices per
//! border, 3,082 regions and about four million vertices over China's
//! extent. To run the same on a real set, name its file and code property:
//!
//! ```text
//! REGIONS_FILE=counties.geojson REGIONS_CODE=adcode cargo bench --bench regions
//! ```

use carrier_quota::atlas::{read_regions, RegionOptions};
use carrier_quota::synthetic::{SplitMix64, SyntheticRegions};
use carrier_quota::Atlas;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::{BoundingRect, Coord, Point};

const POINTS: usize = 1_000_000;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// The region set's name, GeoJSON text and code property.
fn region_set() -> (String, String, String) {
    match std::env::var("REGIONS_FILE") {
        Ok(path) => {
            let text = std::fs::read_to_string(&path).expect("REGIONS_FILE is readable");
            let code = std::env::var("REGIONS_CODE").unwrap_or_else(|_| "code".into());
            // Named by the file's stem, so a path makes no extra levels.
            let name = std::path::Path::new(&path)
                .file_stem()
                .map_or(path.clone(), |s| s.to_string_lossy().into_owned());
            (name, text, code)
        }
        Err(_) => {
            let generated = SyntheticRegions::new(60, 50, 1).border_vertices(330);
            ("generated".into(), generated.geojson(), "code".into())
        }
    }
}

/// `count` points uniform over the atlas's bounding box; only those inside
/// a region when `inside`.
fn points(atlas: &Atlas, count: usize, inside: bool) -> Vec<Coord> {
    let rect = atlas.outline().bounding_rect().expect("regions");
    let mut rng = SplitMix64::new(11);
    std::iter::repeat_with(|| Coord {
        x: rect.min().x + rect.width() * rng.next_f64(),
        y: rect.min().y + rect.height() * rng.next_f64(),
    })
    .filter(|&p| !inside || atlas.locate(Point(p)).is_some())
    .take(count)
    .collect()
}

fn regions(c: &mut Criterion) {
    let (name, text, code) = region_set();
    let options = RegionOptions::new(code);
    let pool = pool(2);
    let mut group = c.benchmark_group("regions");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("load", &name), |b| {
        b.iter(|| pool.install(|| read_regions(text.as_bytes(), &options).expect("a valid set")))
    });

    let (atlas, _) = read_regions(text.as_bytes(), &options).expect("a valid set");
    group.throughput(Throughput::Elements(POINTS as u64));
    for (spread, inside) in [("box", false), ("inside", true)] {
        let points = points(&atlas, POINTS, inside);
        let mut districts = vec![None; POINTS];
        pool.install(|| atlas.locate_into(&points, &mut districts));
        for (p, found) in points.iter().zip(&districts) {
            assert_eq!(*found, atlas.locate_exact(Point(*p)), "at {p:?}");
        }
        let within = districts.iter().flatten().count();
        eprintln!("{name}, {spread}: {within} of {POINTS} points inside a region");
        let id = BenchmarkId::new(format!("locate_into/{spread}"), &name);
        group.bench_function(id, |b| {
            b.iter(|| pool.install(|| atlas.locate_into(&points, &mut districts)))
        });
    }
    group.finish();
}

criterion_group!(benches, regions);
criterion_main!(benches);
