//! Any bytes as a Parquet carrier file, read as GeoParquet and as plain
//! Parquet with longitude and latitude columns: an error or carriers, and
//! every row read is either a carrier or a rejection.
#![no_main]

use bytes::Bytes;
use carrier_quota::{read_carriers_parquet, Datum, Limits, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
