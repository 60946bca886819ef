use geo::{CoordsIter, Point};

use super::*;
use crate::atlas::RegionOptions;
use crate::Datum;

#[test]
fn chongqing_has_38_districts_in_three_zones() {
    let atlas = Atlas::chongqing();
    assert_eq!(atlas.datum(), Datum::Gcj02);
    assert_eq!(atlas.districts().len(), 38);
    let sizes: Vec<(&str, usize)> = atlas
        .zones()
        .iter()
        .map(|z| (z.code.as_str(), z.districts.len()))
        .collect();
    assert_eq!(
        sizes,
        [("main_urban", 21), ("northeast", 11), ("southeast", 6)]
    );
    let vertices: usize = atlas
        .districts()
        .iter()
        .map(|d| d.shape.coords_count())
        .sum();
    assert_eq!(vertices, 73_646);
    assert!(atlas.districts().windows(2).all(|w| w[0].code < w[1].code));
}

#[test]
fn finds_districts_and_zones_by_any_name() {
    let atlas = Atlas::chongqing();
    let wanzhou = atlas.find_district("500101").unwrap();
    for key in ["万州区", "万州", "Wanzhou", "wanzhou", " WANZHOU "] {
        assert_eq!(atlas.find_district(key), Some(wanzhou), "{key}");
    }
    let youyang = atlas.find_district("酉阳").unwrap();
    assert_eq!(atlas.district(youyang).name, "酉阳土家族苗族自治县");
    assert_eq!(atlas.find_district("Atlantis"), None);
    let southeast = atlas.find_zone("渝东南武陵山区城镇群").unwrap();
    assert_eq!(atlas.find_zone("SOUTHEAST"), Some(southeast));
    assert_eq!(
        atlas.zone(atlas.district(youyang).zone.unwrap()).code,
        "southeast"
    );
}

#[test]
fn locates_known_places() {
    let atlas = Atlas::chongqing();
    // (GCJ-02 point, district): Jiefangbei, Wanzhou's centre, Youyang's seat.
    for (x, y, name) in [
        (106.5775, 29.5575, "渝中区"),
        (108.408, 30.808, "万州区"),
        (108.767, 28.841, "酉阳土家族苗族自治县"),
    ] {
        let id = atlas.locate(Point::new(x, y)).expect(name);
        assert_eq!(atlas.district(id).name, name);
    }
    assert_eq!(
        atlas.locate(Point::new(116.4, 39.9)),
        None,
        "Beijing is outside"
    );
}

#[test]
fn every_vertex_goes_to_the_lowest_coded_district_that_holds_it() {
    // Neighbouring districts share their border vertices, so most vertices
    // are held by two or three districts; each must go to exactly one, the
    // lowest-coded of those whose polygons have it on their boundary.
    let atlas = Atlas::chongqing();
    let mut shared = 0;
    for (i, district) in atlas.districts().iter().enumerate() {
        for c in district.shape.coords_iter() {
            let got = atlas
                .locate(Point(c))
                .expect("a vertex is inside its district");
            assert!(
                got.index() <= i,
                "vertex {c:?} of {} went to a higher code",
                district.code
            );
            let holders: Vec<usize> = atlas
                .districts_near(geo::Rect::new(c, c))
                .into_iter()
                .map(|d| d.index())
                .filter(|&d| {
                    use geo::CoordinatePosition;
                    atlas.districts()[d].shape.coordinate_position(&c)
                        != geo::coordinate_position::CoordPos::Outside
                })
                .collect();
            assert_eq!(Some(got.index()), holders.first().copied(), "{c:?}");
            shared += usize::from(holders.len() > 1);
        }
    }
    assert!(shared > 10_000, "only {shared} shared vertices");
}

#[test]
fn the_embedded_polygons_are_valid() {
    use geo::Validation;
    for d in Atlas::chongqing().districts() {
        assert!(
            d.shape.is_valid(),
            "{}: {:?}",
            d.code,
            d.shape.check_validation()
        );
    }
}

#[test]
fn embedded_districts_have_no_overlaps_and_four_small_gaps() {
    let issues = Atlas::chongqing().coverage_issues();
    assert!(
        issues
            .iter()
            .all(|i| matches!(i, CoverageIssue::Gap { .. })),
        "{issues:?}"
    );
    assert_eq!(issues.len(), 4);
    let total: f64 = issues
        .iter()
        .map(|i| match i {
            CoverageIssue::Gap { area_m2, .. } => *area_m2,
            _ => 0.0,
        })
        .sum();
    assert!((0.8e6..0.95e6).contains(&total), "gaps total {total} m²");
    // A point in a gap belongs to no district.
    if let CoverageIssue::Gap { point, .. } = &issues[0] {
        assert_eq!(Atlas::chongqing().locate(*point), None);
    }
}

const TWO_SQUARES: &str = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
  {"type": "Feature", "properties": {"code": "B", "parent": "east"}, "geometry": {"type": "Polygon",
   "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}},
  {"type": "Feature", "properties": {"code": "A", "parent": "west"}, "geometry": {"type": "Polygon",
   "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}
]}"#;

fn options() -> RegionOptions {
    RegionOptions::new("code").parent_property("parent")
}

#[test]
fn loads_a_region_set_with_parents_as_zones() {
    let (atlas, issues) = read_regions(TWO_SQUARES.as_bytes(), &options()).unwrap();
    assert!(issues.is_empty());
    assert_eq!(atlas.datum(), Datum::Wgs84);
    let codes: Vec<&str> = atlas.districts().iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["A", "B"]);
    let zones: Vec<&str> = atlas.zones().iter().map(|z| z.code.as_str()).collect();
    assert_eq!(zones, ["east", "west"]);
    // The shared edge x = 1 goes to A, the lower code; the outer border
    // belongs to its district.
    let a = atlas.find_district("A");
    assert_eq!(atlas.locate(Point::new(1.0, 0.5)), a);
    assert_eq!(atlas.locate(Point::new(1.0, 1.0)), a);
    assert_eq!(atlas.locate(Point::new(2.0, 0.5)), atlas.find_district("B"));
    assert_eq!(atlas.locate(Point::new(2.0000001, 0.5)), None);
}

#[test]
fn reports_overlaps_and_gaps_with_their_area() {
    let file = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
      {"type": "Feature", "properties": {"code": "A"}, "geometry": {"type": "Polygon",
       "coordinates": [[[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]], [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]]}},
      {"type": "Feature", "properties": {"code": "B"}, "geometry": {"type": "Polygon",
       "coordinates": [[[2.5, 0], [4, 0], [4, 3], [2.5, 3], [2.5, 0]]]}}
    ]}"#;
    let (atlas, issues) = read_regions(file.as_bytes(), &RegionOptions::new("code")).unwrap();
    assert_eq!(issues.len(), 2, "{issues:?}");
    match &issues[0] {
        CoverageIssue::Overlap {
            first,
            second,
            area_m2,
            point,
        } => {
            assert_eq!((first.as_str(), second.as_str()), ("A", "B"));
            // 0.5° × 3° near the equator: about 55.7 km × 333.6 km.
            assert!((1.8e10..1.9e10).contains(area_m2), "{area_m2}");
            // The place is inside both.
            assert!((2.5..=3.0).contains(&point.x()) && (0.0..=3.0).contains(&point.y()));
        }
        other => panic!("{other:?}"),
    }
    match &issues[1] {
        CoverageIssue::Gap { area_m2, point } => {
            assert!((1.2e10..1.25e10).contains(area_m2), "{area_m2}");
            assert_eq!(atlas.locate(*point), None);
        }
        other => panic!("{other:?}"),
    }
    // The overlap counts in A, the lower code.
    assert_eq!(
        atlas.locate(Point::new(2.75, 0.5)),
        atlas.find_district("A")
    );
    assert!(issues[0]
        .to_string()
        .starts_with("regions A and B overlap by "));
}

#[test]
fn region_file_errors_name_the_feature() {
    let cases = [
        (
            r#"{"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon",
               "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}"#,
            "region feature 0: no \"code\" property to take the code from (its properties are \
             \"name\"): name the property that holds each region's code",
        ),
        (
            r#"{"type": "Feature", "properties": {"code": 7}, "geometry": {"type": "Polygon",
               "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}}"#,
            "region feature 0 (code \"7\"): ring 0 is not closed: its last position must equal its first",
        ),
        (
            r#"{"type": "Feature", "properties": {"code": "Z"}, "geometry": {"type": "Polygon",
               "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}"#,
            "region feature 0 (code \"Z\"): invalid polygon: polygon at index 0 is invalid: exterior ring has a self-intersection",
        ),
        (
            r#"{"type": "Feature", "properties": {"code": "S"}, "geometry": {"type": "Polygon",
               "coordinates": [[[0, 0], [1, 0], [0, 0]]]}}"#,
            "region feature 0 (code \"S\"): ring 0 has 3 positions; a ring needs at least 4",
        ),
        (
            r#"{"type": "Feature", "properties": {"code": "L"}, "geometry": {"type": "LineString",
               "coordinates": [[0, 0], [1, 1]]}}"#,
            "region feature 0 (code \"L\"): a region needs a Polygon or MultiPolygon, found LineString",
        ),
    ];
    for (feature, message) in cases {
        let file = format!(
            r#"{{"type": "FeatureCollection", "datum": "wgs84", "features": [{feature}]}}"#
        );
        let err = read_regions(file.as_bytes(), &RegionOptions::new("code")).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert!(matches!(
            err.kind(),
            crate::ErrorKind::InvalidRegion { index: 0, .. }
        ));
    }
}

#[test]
fn duplicate_region_codes_are_an_error() {
    let file = TWO_SQUARES.replace("\"code\": \"B\"", "\"code\": \"A\"");
    let err = read_regions(file.as_bytes(), &options()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "region feature 1 (code \"A\"): feature 0 has the same code"
    );
}

#[test]
fn region_file_needs_a_datum() {
    let file = TWO_SQUARES.replace("\"datum\": \"wgs84\", ", "");
    let err = read_regions(file.as_bytes(), &options()).unwrap_err();
    assert!(matches!(
        err.kind(),
        crate::ErrorKind::MissingDatum {
            input: crate::error::InputKind::RegionFile
        }
    ));
    let given = options().datum(Datum::Bd09);
    let (atlas, _) = read_regions(file.as_bytes(), &given).unwrap();
    assert_eq!(atlas.datum(), Datum::Bd09);
}

#[test]
fn the_embedded_file_loads_as_a_region_set_with_the_same_answers() {
    let options = RegionOptions::new("adcode")
        .name_property("name")
        .name_en_property("name_en")
        .parent_property("zone")
        .datum(Datum::Gcj02);
    let (loaded, issues) = read_regions(crate::chongqing::DISTRICTS.as_bytes(), &options).unwrap();
    let embedded = Atlas::chongqing();

    // The union computed here snaps to i_overlay's grid, so the gaps match
    // the embedded outline's holes to within a square metre, not exactly.
    let gap_areas = |issues: &[CoverageIssue]| -> Vec<f64> {
        issues
            .iter()
            .map(|i| match i {
                CoverageIssue::Gap { area_m2, .. } => *area_m2,
                other => panic!("{other}"),
            })
            .collect()
    };
    let (got, expected) = (gap_areas(&issues), gap_areas(&embedded.coverage_issues()));
    assert_eq!(got.len(), 4);
    for (g, e) in got.iter().zip(&expected) {
        assert!((g - e).abs() < 1.0, "{got:?} vs {expected:?}");
    }
    assert_eq!(loaded.districts(), embedded.districts());
    let carriers = crate::synthetic::Synthetic::new(2000, 5).generate(embedded);
    for c in &carriers {
        assert_eq!(
            loaded.locate(c.anchor().unwrap()),
            embedded.locate(c.anchor().unwrap())
        );
    }
}

#[test]
fn few_grid_blocks_are_stored_cell_by_cell() {
    // Most of the grid answers from the block table alone: the blocks a
    // border crosses (stored cell by cell, 256 bytes each) stay under 1 MiB.
    let (stored, all) = Atlas::chongqing().grid.stored_blocks();
    // 2^20 cells in blocks of 64, the last row and column of blocks partly
    // beyond the grid.
    assert!((16_384..17_000).contains(&all), "{all} blocks");
    assert!(stored > 0 && stored < 4096, "{stored} blocks stored");
}

#[test]
fn an_atlas_holds_at_most_max_districts() {
    let square = |i: usize| {
        let (x, y) = ((i % 200) as f64 * 0.01, (i / 200) as f64 * 0.01);
        format!(
            r#"{{"type": "Feature", "properties": {{"code": "R{i}"}}, "geometry": {{"type": "Polygon",
               "coordinates": [[[{x}, {y}], [{x1}, {y}], [{x1}, {y1}], [{x}, {y1}], [{x}, {y}]]]}}}}"#,
            x1 = x + 0.01,
            y1 = y + 0.01,
        )
    };
    let features: Vec<String> = (0..=MAX_DISTRICTS).map(square).collect();
    let file = format!(
        r#"{{"type": "FeatureCollection", "datum": "wgs84", "features": [{}]}}"#,
        features.join(",")
    );
    let err = read_regions(file.as_bytes(), &options()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("region feature {MAX_DISTRICTS} (code \"R{MAX_DISTRICTS}\"): an atlas holds at most 65535 regions")
    );
}

#[test]
fn district_ids_serialize_as_their_index() {
    let id = DistrictId::new(37);
    assert_eq!(std::mem::size_of::<Option<DistrictId>>(), 2);
    assert_eq!(serde_json::to_string(&id).unwrap(), "37");
    assert_eq!(serde_json::from_str::<DistrictId>("37").unwrap(), id);
    let err = serde_json::from_str::<DistrictId>("65535").unwrap_err();
    assert!(err.to_string().contains("not below 65535"), "{err}");
}

/// A small region set gets a small grid, which must be as exact as the
/// large one: random points and every vertex, edge midpoint and corner of
/// a ring of triangles around a hole.
#[test]
fn a_small_region_set_locates_exactly_on_its_small_grid() {
    let mut features = Vec::new();
    for i in 0..12 {
        let (a, b) = (i as f64 * 30.0, (i + 1) as f64 * 30.0);
        let at = |deg: f64, r: f64| {
            let t = deg.to_radians();
            [r * t.cos(), r * t.sin()]
        };
        let ring = [at(a, 1.0), at(b, 1.0), at(b, 3.0), at(a, 3.0), at(a, 1.0)];
        features.push(format!(
            r#"{{"type": "Feature", "properties": {{"code": "r{i:02}"}}, "geometry": {{"type": "Polygon", "coordinates": [{ring:?}]}}}}"#
        ));
    }
    let file = format!(
        r#"{{"type": "FeatureCollection", "datum": "wgs84", "features": [{}]}}"#,
        features.join(",")
    );
    let (atlas, _) = read_regions(file.as_bytes(), &RegionOptions::new("code")).unwrap();
    let mut points: Vec<Point> = Vec::new();
    for district in atlas.districts() {
        for line in district.shape.iter().flat_map(|p| p.exterior().lines()) {
            points.push(line.start.into());
            points.push(((line.start + line.end) / 2.0).into());
        }
    }
    let mut rng = crate::synthetic::SplitMix64::new(3);
    points.extend(
        (0..20_000).map(|_| Point::new(rng.next_f64() * 8.0 - 4.0, rng.next_f64() * 8.0 - 4.0)),
    );
    for p in points {
        assert_eq!(atlas.locate(p), atlas.locate_exact(p), "{p:?}");
    }
}
