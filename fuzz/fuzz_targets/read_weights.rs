//! Any bytes as a weight table (JSON or CSV): a table or an error. A table
//! that reads splits 1,000 among the southeast zone's districts: the shares
//! add up exactly, or the split says which district or bound is at fault.
#![no_main]

use carrier_quota::quota::{read_weights, DistrictSplit, Weighting};
use carrier_quota::Atlas;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = read_weights(data) else {
        return;
    };
    let atlas = Atlas::chongqing();
    let zone = atlas.zone(atlas.find_zone("southeast").expect("a zone"));
    let split = DistrictSplit::new(&zone.districts, Weighting::Table(&table));
    if let Ok(shares) = split.apportion(atlas, 1000) {
        assert_eq!(shares.iter().map(|s| s.share).sum::<u64>(), 1000);
        assert_eq!(shares.len(), zone.districts.len());
    }
});
