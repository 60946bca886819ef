//! Integration tests, through the public API only, built as one binary.

mod apportion;
mod bureau;
mod district_targets;
mod examples;
mod hostile;
mod invariants;
mod layouts;
mod parallel;
mod read;
mod regions;
mod registry;
mod report;
mod sites;
mod structure;

/// `count` synthetic carriers, `footprint_share` of them footprints, and
/// the GeoJSON file they are written as.
fn synthetic_file(
    count: usize,
    seed: u64,
    footprint_share: f64,
) -> (carrier_quota::Carriers, Vec<u8>) {
    let atlas = carrier_quota::Atlas::chongqing();
    let carriers = carrier_quota::synthetic::Synthetic::new(count, seed)
        .footprints(footprint_share)
        .generate(atlas);
    let mut file = Vec::new();
    carrier_quota::write::write_carriers(&mut file, &carriers, Some("synthetic")).unwrap();
    (carriers, file)
}

/// Asserts that two reads of one file agree: the same carriers, rejections
/// and datum, or the same error.
fn assert_same(
    a: &Result<carrier_quota::Carriers, carrier_quota::Error>,
    b: &Result<carrier_quota::Carriers, carrier_quota::Error>,
) {
    match (a, b) {
        (Ok(a), Ok(b)) => assert!(a == b, "the readers disagree: {a:?} and {b:?}"),
        (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "the readers disagree"),
        _ => panic!("the readers disagree: {a:?} and {b:?}"),
    }
}
