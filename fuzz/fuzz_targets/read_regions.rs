//! Any bytes as a region file: an atlas with its coverage issues, or an
//! error; an atlas that loads answers look-ups.
#![no_main]

use carrier_quota::{Atlas, Datum, RegionOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = RegionOptions {
        name_property: Some("name".into()),
        parent_property: Some("zone".into()),
        datum: Some(Datum::Wgs84),
        ..RegionOptions::new("code")
    };
    if let Ok((atlas, _issues)) = Atlas::from_geojson(data, &options) {
        for district in atlas.districts() {
            if let Some(p) = geo::InteriorPoint::interior_point(&district.shape) {
                assert_eq!(atlas.locate(p), atlas.locate_exact(p));
            }
        }
    }
});
