//! Any bytes as a CSV carrier table, with and without a datum: an error or
//! carriers, every record read is either a carrier or a rejection, and rows
//! are numbered in the order they were read.
#![no_main]

use carrier_quota::read::{read_carriers_csv, Limits};
use carrier_quota::{Carriers, Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;

/// Each record's row, by feature index.
fn rows(carriers: &Carriers) -> Vec<usize> {
    let mut rows = vec![0; carriers.features_read()];
    for c in carriers.iter() {
        rows[carriers.feature_index(c.position())] = c.row().expect("a table row");
    }
    for r in carriers.rejections() {
        rows[r.index] = r.row.expect("a table row");
    }
    rows
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits::new()
        .max_features(10_000)
        .max_feature_bytes(1 << 16);
    let without = ReadOptions::new().limits(limits);
    let with = without.clone().datum(Datum::Gcj02);
    for options in [without, with] {
        if let Ok(carriers) = read_carriers_csv(data, &options) {
            assert_eq!(
                carriers.len() + carriers.rejections().len(),
                carriers.features_read()
            );
            let rows = rows(&carriers);
            assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
            assert!(rows.iter().all(|&r| r >= 2), "{rows:?}");
        }
    }
});
