//! Any bytes as a region file: an atlas with its coverage issues, or an
//! error; an atlas that loads answers look-ups.
#![no_main]

use carrier_quota::{read_regions, Datum, RegionOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = RegionOptions::new("code")
        .name_property("name")
        .parent_property("zone")
        .datum(Datum::Wgs84);
    if let Ok((atlas, _issues)) = read_regions(data, &options) {
        for district in atlas.districts() {
            if let Some(p) = geo::InteriorPoint::interior_point(&district.shape) {
                assert_eq!(atlas.locate(p), atlas.locate_exact(p));
            }
        }
    }
});
