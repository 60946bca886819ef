//! Any bytes as a carrier file, read with default options and with tight
//! limits and an expected area: both readers give the same answer, and
//! every feature they read is either a carrier or a rejection.
#![no_main]

use std::sync::OnceLock;

use carrier_quota::read::{read_carriers, read_carriers_parallel, Limits};
use carrier_quota::{Atlas, Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn tight() -> &'static ReadOptions {
    static OPTIONS: OnceLock<ReadOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let limits = Limits::new()
            .max_features(20)
            .max_feature_bytes(2000)
            .max_vertices(30)
            .max_property_bytes(40);
        ReadOptions::new()
            .datum(Datum::Gcj02)
            .limits(limits)
            .expected_area(Atlas::chongqing().outline().clone())
            .fix_swapped(true)
    })
}

fn read_both(data: &[u8], options: &ReadOptions) {
    let streaming = read_carriers(data, options);
    let parallel = read_carriers_parallel(|| Ok(data), options);
    match (&streaming, &parallel) {
        (Ok(a), Ok(b)) => {
            assert!(a == b, "the readers disagree: {a:?} / {b:?}");
            assert_eq!(a.features_read(), a.len() + a.rejections().len());
            let mut seen: Vec<usize> = a
                .feature_indexes()
                .chain(a.rejections().iter().map(|r| r.index))
                .collect();
            seen.sort_unstable();
            assert!(seen.iter().copied().eq(0..a.features_read()));
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("the readers disagree: {streaming:?} / {parallel:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let default = ReadOptions::new().datum(Datum::Gcj02);
    read_both(data, &default);
    read_both(data, tight());
});
