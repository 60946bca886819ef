//! Integration tests, through the public API only, built as one binary.

mod apportion;
mod examples;
mod hostile;
mod invariants;
mod parallel;
mod read;
mod report;
mod sites;

/// `count` synthetic carriers, `footprint_share` of them footprints, and
/// the GeoJSON file they are written as.
fn synthetic_file(
    count: usize,
    seed: u64,
    footprint_share: f64,
) -> (Vec<carrier_quota::Carrier>, Vec<u8>) {
    let atlas = carrier_quota::Atlas::chongqing();
    let carriers = carrier_quota::synthetic::Synthetic {
        count,
        seed,
        footprint_share,
    }
    .generate(&atlas);
    let mut file = Vec::new();
    carrier_quota::write_carriers(
        &mut file,
        &carriers,
        carrier_quota::Datum::Gcj02,
        Some("synthetic"),
    )
    .unwrap();
    (carriers, file)
}
