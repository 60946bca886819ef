//! Any bytes as a Parquet carrier file, read as GeoParquet and as plain
//! Parquet with longitude and latitude columns: an error or carriers, and
//! every row read is either a carrier or a rejection.
//!
//! The parquet and arrow crates panic on some corrupt files; the reader
//! turns such a panic into an error. So a panic raised inside those crates
//! is let through to the reader here, and any other panic (this crate's)
//! is a crash.
#![no_main]

use std::sync::Once;

use bytes::Bytes;
use carrier_quota::read::{read_carriers_parquet, Limits};
use carrier_quota::{Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn allow_decoder_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map_or("", |l| l.file());
            let decoder = ["/parquet-", "/arrow-"].iter().any(|d| file.contains(d));
            if !decoder {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    allow_decoder_panics();
    let limits = Limits::new().max_features(10_000).max_vertices(1_000);
    let geoparquet = ReadOptions::new().datum(Datum::Wgs84).limits(limits);
    let plain = geoparquet.clone().coordinate_columns("lon", "lat");
    for options in [geoparquet, plain] {
        if let Ok(carriers) = read_carriers_parquet(Bytes::copy_from_slice(data), &options) {
            assert_eq!(
                carriers.len() + carriers.rejections().len(),
                carriers.features_read()
            );
        }
    }
});
