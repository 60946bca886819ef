//! Any bytes as a carrier file, read with default options and with tight
//! limits and an expected area: both readers give the same answer, and
//! every feature they read is either a carrier or a rejection.
#![no_main]

use std::sync::OnceLock;

use carrier_quota::{read_carriers, read_carriers_with, Atlas, Datum, Limits, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn tight() -> &'static ReadOptions {
    static OPTIONS: OnceLock<ReadOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| ReadOptions {
        datum: Some(Datum::Gcj02),
        limits: Limits {
            max_features: 20,
            max_feature_bytes: 2000,
            max_vertices: 30,
            max_property_bytes: 40,
        },
        expected_area: Some(Atlas::chongqing().outline().clone()),
        fix_swapped: true,
    })
}

fn read_both(data: &[u8], options: &ReadOptions) {
    let streaming = read_carriers(data, options);
    let parallel = read_carriers_with(|| Ok(data), options);
    match (&streaming, &parallel) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            assert_eq!(a.features_read, a.carriers.len() + a.rejections.len());
            assert_eq!(a.carriers.len(), a.feature_indexes.len());
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("the readers disagree: {streaming:?} / {parallel:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let default = ReadOptions {
        datum: Some(Datum::Gcj02),
        ..ReadOptions::default()
    };
    read_both(data, &default);
    read_both(data, tight());
});
