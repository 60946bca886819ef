//! Any bytes as a region file: an atlas with its coverage issues, or an
//! error. A region that loads is valid by geo's own check, and the fast
//! look-up agrees with the exact one inside it and on its vertices.
#![no_main]

use carrier_quota::atlas::{read_regions, RegionOptions};
use carrier_quota::Datum;
use geo::{InteriorPoint, Point, Validation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = RegionOptions::new("code")
        .name_property("name")
        .parent_property("zone")
        .datum(Datum::Wgs84);
    if let Ok((atlas, _issues)) = read_regions(data, &options) {
        for district in atlas.districts() {
            assert!(district.shape.is_valid(), "{:?}", district.shape);
            let vertices = district
                .shape
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|ring| ring.points());
            for p in district.shape.interior_point().into_iter().chain(vertices) {
                let p: Point = p;
                assert_eq!(atlas.locate(p), atlas.locate_exact(p), "{p:?}");
            }
        }
    }
});
