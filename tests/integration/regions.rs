//! Region sets other than Chongqing's: a generated national set with
//! hundreds of regions, enclaves and detailed shared borders.

use carrier_quota::atlas::{read_regions, RegionOptions};
use carrier_quota::place::FootprintRule;
use carrier_quota::synthetic::{SplitMix64, Synthetic, SyntheticRegions};
use carrier_quota::tally::Breakdown;
use carrier_quota::{Atlas, Tally};
use geo::{Coord, InteriorPoint, Point};

/// 40 × 30 cells (about 290,000 vertices) in twelve provinces of 10 × 10
/// cells, 60 vertices per border.
fn generated(options: &RegionOptions) -> Atlas {
    let text = SyntheticRegions::new(40, 30, 5)
        .border_vertices(60)
        .geojson();
    let (atlas, issues) = read_regions(text.as_bytes(), options).unwrap();
    assert!(issues.is_empty(), "{issues:?}");
    atlas
}

#[test]
fn a_generated_national_set_locates_exactly() {
    let atlas = generated(&RegionOptions::new("code"));
    // 1,200 cells and the enclaves inside some of them.
    assert!(
        atlas.districts().len() > 1_200,
        "{}",
        atlas.districts().len()
    );

    let mut points: Vec<Point> = Vec::new();
    for district in atlas.districts() {
        for ring in district
            .shape
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        {
            for line in ring.lines() {
                points.push(line.start.into());
                points.push(((line.start + line.end) / 2.0).into());
            }
        }
    }
    // Every vertex and edge midpoint: over 250,000 vertices (China's
    // counties have 4.2 million).
    assert!(points.len() > 2 * 250_000, "{}", points.len());
    let mut rng = SplitMix64::new(9);
    points.extend(
        (0..50_000).map(|_| Point::new(72.0 + rng.next_f64() * 64.0, 17.0 + rng.next_f64() * 37.0)),
    );
    let coords: Vec<Coord> = points.iter().map(|p| p.0).collect();
    let mut batch = vec![None; coords.len()];
    atlas.locate_into(&coords, &mut batch);
    for (p, got) in points.iter().zip(&batch) {
        let exact = atlas.locate_exact(*p);
        assert_eq!(atlas.locate(*p), exact, "{p:?}");
        assert_eq!(*got, exact, "{p:?} in a batch");
    }
    // Every region holds a point inside it, enclaves and the cells around
    // them alike.
    for id in atlas.district_ids() {
        let inside = atlas.district(id).shape.interior_point().unwrap();
        assert_eq!(
            atlas.locate(inside),
            Some(id),
            "{}",
            atlas.district(id).code
        );
    }
}

#[test]
fn zones_from_a_code_prefix_roll_up_to_the_whole_set() {
    let atlas = generated(&RegionOptions::new("code").parent_prefix(2));
    // Each region counts toward the province its code starts with, and the
    // zones are exactly those provinces.
    let mut provinces: Vec<&str> = atlas
        .districts()
        .iter()
        .map(|d| &d.code.as_str()[..2])
        .collect();
    provinces.dedup();
    let zones: Vec<&str> = atlas.zones().iter().map(|z| z.code.as_str()).collect();
    assert_eq!(zones, provinces);
    assert_eq!(zones.len(), 12, "{zones:?}");
    for district in atlas.districts() {
        let zone = atlas.zone(district.zone.expect("every region has a province"));
        assert_eq!(zone.code.as_str(), &district.code.as_str()[..2]);
    }

    let carriers = Synthetic::new(5_000, 2).footprints(0.1).generate(&atlas);
    let placed = atlas.place(carriers, FootprintRule::default());
    assert_eq!(placed.outside().count(), 0);
    let tally = Tally::new(&placed);
    // Districts sum to their zone and zones to the whole set, exactly.
    assert_eq!(
        tally.zones().iter().copied().sum::<Breakdown>(),
        *tally.city()
    );
    assert_eq!(tally.city().all.carriers, 5_000);
    for (z, zone) in atlas.zones().iter().enumerate() {
        let of_zone: Breakdown = atlas
            .district_ids()
            .filter(|&d| atlas.district(d).zone.map(|id| id.index()) == Some(z))
            .map(|d| *tally.district(d))
            .sum();
        assert_eq!(of_zone, tally.zones()[z], "{}", zone.code);
        // And each zone holds the carriers whose region's code starts
        // with it, counted here from the placement alone.
        let counted = placed
            .districts()
            .iter()
            .filter(|d| {
                atlas
                    .district(d.unwrap())
                    .code
                    .as_str()
                    .starts_with(zone.code.as_str())
            })
            .count();
        assert_eq!(
            tally.zones()[z].all.carriers,
            counted as u64,
            "{}",
            zone.code
        );
    }
}
