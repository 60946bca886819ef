//! Reading carrier files, in memory (no disk in the loop).
//!
//! `read/lean/*`: one million lean features (id, kind, floor area,
//! enterprises, opening date; coordinates to 6 decimals), the form of a bare
//! registry export, about 218 MB; `read/full/*`: 200,000 features with every
//! property, about 60 MB. Each file is read by the parallel reader on one
//! and on two threads, and by the streaming reader; throughput is in bytes,
//! and the count of carriers is checked in the loop. `read/lean_csv/*`: the
//! same million carriers as a CSV table (about 80 MB), read by
//! `read_carriers_csv`.

use carrier_quota::read::{read_carriers, read_carriers_csv, read_carriers_parallel};
use carrier_quota::synthetic::Synthetic;
use carrier_quota::write::{write_carriers, write_carriers_csv};
use carrier_quota::{Atlas, Datum, ReadOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn file(synthetic: Synthetic) -> Vec<u8> {
    let carriers = synthetic.generate(Atlas::chongqing());
    let mut file = Vec::new();
    write_carriers(&mut file, &carriers, Some("synthetic")).unwrap();
    file
}

fn read(c: &mut Criterion) {
    let options = ReadOptions::new();
    for (name, count, spec) in [
        ("lean", 1_000_000, Synthetic::new(1_000_000, 1).lean()),
        ("full", 200_000, Synthetic::new(200_000, 1)),
    ] {
        let file = file(spec);
        let mut group = c.benchmark_group(format!("read/{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Bytes(file.len() as u64));
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            group.bench_function(
                BenchmarkId::new(format!("parallel_{threads}_threads"), count),
                |b| {
                    b.iter(|| {
                        let read = pool.install(|| {
                            read_carriers_parallel(|| Ok(file.as_slice()), &options).unwrap()
                        });
                        assert_eq!(read.len(), count);
                        read
                    })
                },
            );
        }
        group.bench_function(BenchmarkId::new("streaming", count), |b| {
            b.iter(|| {
                let read = read_carriers(file.as_slice(), &options).unwrap();
                assert_eq!(read.len(), count);
                read
            })
        });
        group.finish();
    }
    let carriers = Synthetic::new(1_000_000, 1)
        .lean()
        .generate(Atlas::chongqing());
    let mut table = Vec::new();
    write_carriers_csv(&mut table, &carriers).unwrap();
    let mut group = c.benchmark_group("read/lean_csv");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(table.len() as u64));
    let options = ReadOptions::new().datum(Datum::Gcj02);
    group.bench_function(BenchmarkId::new("csv", carriers.len()), |b| {
        b.iter(|| {
            let read = read_carriers_csv(table.as_slice(), &options).unwrap();
            assert_eq!(read.len(), carriers.len());
            read
        })
    });
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
