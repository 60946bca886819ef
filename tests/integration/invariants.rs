//! Invariants of assignment, tallies and the index, checked with proptest
//! against brute force and against each other.

use std::sync::OnceLock;

use carrier_quota::place::FootprintRule;
use carrier_quota::read::read_carriers;
use carrier_quota::synthetic::Synthetic;
use carrier_quota::tally::Breakdown;
use carrier_quota::{
    Atlas, Carrier, CarrierIndex, Carriers, Datum, Location, Placed, ReadOptions, Tally, Totals,
};
use geo::{Coord, CoordinatePosition, CoordsIter, Distance, Haversine, Point, Rect};
use proptest::prelude::*;

fn atlas() -> &'static Atlas {
    Atlas::chongqing()
}

fn carriers(count: usize, seed: u64, footprints: f64) -> Carriers {
    Synthetic::new(count, seed)
        .footprints(footprints)
        .generate(atlas())
}

fn place(carriers: &Carriers, rule: FootprintRule) -> Placed<'static> {
    atlas().place(carriers.clone(), rule)
}

fn records(carriers: &Carriers) -> Vec<Carrier> {
    carriers.iter().map(|c| c.to_carrier()).collect()
}

/// Checks that every zone is the sum of its districts and the city the sum
/// of all districts, in every column.
fn assert_rolls_up(tally: &Tally) {
    let atlas = atlas();
    for (zone, totals) in atlas.zones().iter().zip(tally.zones()) {
        let sum: Breakdown = zone.districts.iter().map(|&d| *tally.district(d)).sum();
        assert_eq!(&sum, totals, "zone {}", zone.code);
    }
    let all: Breakdown = tally.districts().iter().copied().sum();
    assert_eq!(&all, tally.city());
    let by_kind: Totals = tally.city().by_kind.iter().copied().sum();
    assert_eq!(by_kind, tally.city().all, "kinds partition the carriers");
}

#[test]
fn districts_sum_to_zones_and_zones_to_the_city() {
    let carriers = carriers(3000, 11, 0.2);
    for rule in [FootprintRule::SurfacePoint, FootprintRule::SplitByOverlap] {
        let tally = Tally::new(&place(&carriers, rule));
        assert_rolls_up(&tally);
        let zones: Breakdown = tally.zones().iter().copied().sum();
        assert_eq!(
            &zones,
            tally.city(),
            "every Chongqing district is in a zone"
        );
        assert_eq!(
            tally.city().all.carriers + tally.outside().all.carriers,
            3000
        );
        let area: f64 = carriers.iter().map(|c| c.floor_area_m2()).sum();
        let tallied = tally.city().all.floor_area_m2() + tally.outside().all.floor_area_m2();
        assert!(
            (tallied - area).abs() < 1e-3,
            "{rule:?}: {tallied} vs {area}"
        );
    }
}

#[test]
fn assigned_plus_outside_plus_rejected_is_features_read() {
    let mut features = Vec::new();
    for c in &records(&carriers(50, 5, 0.2)) {
        let one_carrier = Carriers::from_records(Datum::Gcj02, [c.clone()]);
        let mut one = Vec::new();
        carrier_quota::write::write_carriers(&mut one, &one_carrier, None).unwrap();
        let text = String::from_utf8(one).unwrap();
        let line = text.lines().nth(1).unwrap().to_string();
        features.push(line);
    }
    // Outside Chongqing (Beijing), bad floor area, duplicate id, not an object.
    features.push(
        r#"{"type":"Feature","id":"beijing","geometry":{"type":"Point","coordinates":[116.4,39.9]},"properties":{"kind":"incubator","floor_area_m2":10}}"#.into(),
    );
    features.push(
        r#"{"type":"Feature","id":"bad","geometry":{"type":"Point","coordinates":[106.5,29.5]},"properties":{"kind":"incubator","floor_area_m2":-1}}"#.into(),
    );
    features.push(features[3].clone());
    features.push("[]".into());
    let file = format!(
        r#"{{"type":"FeatureCollection","datum":"gcj02","features":[{}]}}"#,
        features.join(",")
    );
    let read = read_carriers(file.as_bytes(), &ReadOptions::default()).unwrap();
    let (rejected, features_read) = (read.rejections().len(), read.features_read());
    let placed = atlas().place(read, FootprintRule::SurfacePoint);
    let outside = placed.outside().count();
    let assigned = placed.districts().len() - outside;
    assert_eq!((assigned, outside, rejected), (50, 1, 3));
    assert_eq!(assigned + outside + rejected, features_read);
    assert_eq!(features_read, features.len());
    let tally = Tally::new(&placed);
    assert_eq!(tally.city().all.carriers, 50);
    assert_eq!(tally.outside().all.carriers, 1);
}

/// Every vertex of every district, and the midpoint of every edge: each is
/// assigned to exactly one district, and a tally of carriers placed on them
/// counts each once.
#[test]
fn points_on_shared_borders_and_vertices_count_exactly_once() {
    let atlas = atlas();
    let mut vertices: Vec<Coord> = Vec::new();
    let mut points: Vec<Coord> = Vec::new();
    for district in atlas.districts() {
        for polygon in district.shape.iter() {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    vertices.push(line.start);
                    points.push(line.start);
                    points.push(Coord {
                        x: (line.start.x + line.end.x) / 2.0,
                        y: (line.start.y + line.end.y) / 2.0,
                    });
                }
            }
        }
    }
    points.sort_by(|a, b| (a.x, a.y).partial_cmp(&(b.x, b.y)).unwrap());
    points.dedup();
    let records = points.iter().enumerate().map(|(i, c)| Carrier {
        id: carrier_quota::CarrierId::new(format!("p{i}")).unwrap(),
        name: None,
        kind: carrier_quota::Kind::Incubator,
        category: None,
        level: None,
        floor_area_m2: 1.0,
        enterprises: 1,
        tech_enterprises: 0,
        opened: None,
        closed: None,
        overlay: None,
        district: None,
        location: Some(Location::Point(Point(*c))),
    });
    let carriers = Carriers::from_records(Datum::Gcj02, records);
    let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
    let mut on_shared_border = 0;
    for (c, got) in points.iter().zip(placed.districts()) {
        let holders: Vec<usize> = atlas
            .district_ids()
            .filter(|&d| {
                atlas.district(d).shape.coordinate_position(c)
                    != geo::coordinate_position::CoordPos::Outside
            })
            .map(|d| d.index())
            .collect();
        // The lowest-coded holder takes it; a midpoint of an outer edge that
        // rounding moved off the border may have no holder and is outside.
        assert_eq!(got.map(|d| d.index()), holders.first().copied(), "{c:?}");
        on_shared_border += usize::from(holders.len() > 1);
    }
    assert!(
        on_shared_border > 20_000,
        "{on_shared_border} shared-border points"
    );
    let tally = Tally::new(&placed);
    let counted = tally.city().all.carriers + tally.outside().all.carriers;
    assert_eq!(counted, points.len() as u64);
    assert_eq!(
        tally.outside().all.carriers,
        placed.outside().count() as u64
    );
    assert_rolls_up(&tally);
    // Vertices are exactly on their district's boundary: none is outside.
    for v in vertices {
        assert!(atlas.locate(Point(v)).is_some(), "vertex {v:?} outside");
    }
}

fn brute_rect(carriers: &Carriers, rect: Rect) -> Vec<u32> {
    (0..carriers.len() as u32)
        .filter(|&i| {
            let p = carriers.get(i as usize).anchor().unwrap();
            rect.min().x <= p.x()
                && p.x() <= rect.max().x
                && rect.min().y <= p.y()
                && p.y() <= rect.max().y
        })
        .collect()
}

fn brute_distances(carriers: &Carriers, centre: Point) -> Vec<(f64, u32)> {
    let mut all: Vec<(f64, u32)> = carriers
        .iter()
        .map(|c| {
            (
                Haversine.distance(centre, c.anchor().unwrap()),
                c.position() as u32,
            )
        })
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all
}

fn sample() -> &'static Carriers {
    static SAMPLE: OnceLock<Carriers> = OnceLock::new();
    SAMPLE.get_or_init(|| carriers(4000, 99, 0.1))
}

fn sample_index() -> &'static CarrierIndex {
    static INDEX: OnceLock<CarrierIndex> = OnceLock::new();
    INDEX.get_or_init(|| CarrierIndex::new(sample()))
}

/// A point in or near central Chongqing, where the sample is dense.
fn centre() -> impl Strategy<Value = Point> {
    (106.2..107.0f64, 29.2..29.9f64).prop_map(|(x, y)| Point::new(x, y))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn rect_queries_equal_brute_force(c in centre(), w in 0.0..0.3f64, h in 0.0..0.3f64) {
        let rect = Rect::new(c.0, Coord { x: c.x() + w, y: c.y() + h });
        prop_assert_eq!(sample_index().in_rect(rect), brute_rect(sample(), rect));
    }

    #[test]
    fn radius_queries_equal_brute_force(c in centre(), radius in 0.0..20_000.0f64) {
        let expected: Vec<(f64, u32)> = brute_distances(sample(), c)
            .into_iter()
            .take_while(|(d, _)| *d <= radius)
            .collect();
        let got: Vec<(f64, u32)> = sample_index()
            .within_radius(c, radius)
            .into_iter()
            .map(|n| (n.distance_m, n.position))
            .collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn nearest_queries_equal_brute_force(c in centre(), k in 0usize..40) {
        let expected: Vec<(f64, u32)> = brute_distances(sample(), c).into_iter().take(k).collect();
        let got: Vec<(f64, u32)> = sample_index()
            .nearest(c, k)
            .into_iter()
            .map(|n| (n.distance_m, n.position))
            .collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn region_queries_equal_brute_force(d in 0usize..38) {
        let shape = &atlas().districts()[d].shape;
        let expected: Vec<u32> = (0..sample().len() as u32)
            .filter(|&i| {
                shape.coordinate_position(&sample().get(i as usize).anchor().unwrap().0)
                    != geo::coordinate_position::CoordPos::Outside
            })
            .collect();
        prop_assert_eq!(sample_index().in_region(shape), expected);
    }

    #[test]
    fn tallies_do_not_depend_on_order(seed in any::<u64>(), split in any::<bool>()) {
        let rule = if split { FootprintRule::SplitByOverlap } else { FootprintRule::SurfacePoint };
        let carriers = carriers(300, seed % 1000, 0.3);
        let tally = Tally::new(&place(&carriers, rule));
        let mut shuffled = records(&carriers);
        let mut rng = carrier_quota::synthetic::SplitMix64::new(seed);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i + 1));
        }
        let shuffled = Carriers::from_records(Datum::Gcj02, shuffled);
        let again = Tally::new(&place(&shuffled, rule));
        prop_assert_eq!(tally, again);
    }

    #[test]
    fn incremental_updates_equal_a_rebuild(seed in 0u64..1000, removals in proptest::collection::vec(any::<prop::sample::Index>(), 0..40)) {
        let carriers = carriers(200, seed, 0.2);
        let placed = place(&carriers, FootprintRule::SurfacePoint);
        let mut tally = Tally::empty(atlas());
        let mut index = CarrierIndex::default();
        for (c, at) in placed.iter() {
            tally.add(c, at);
            index.insert(c.position() as u32, c.anchor().unwrap());
        }
        let mut kept = vec![true; carriers.len()];
        for r in removals {
            let i = r.index(carriers.len());
            let c = carriers.get(i);
            if kept[i] {
                kept[i] = false;
                tally.remove(c, placed.place(i));
                prop_assert!(index.remove(i as u32, c.anchor().unwrap()));
            } else {
                prop_assert!(!index.remove(i as u32, c.anchor().unwrap()));
            }
        }
        let remaining = records(&carriers).into_iter().zip(&kept).filter(|(_, k)| **k).map(|(c, _)| c);
        let remaining = Carriers::from_records(Datum::Gcj02, remaining);
        let rebuilt = Tally::new(&place(&remaining, FootprintRule::SurfacePoint));
        prop_assert_eq!(&tally, &rebuilt);
        let everything = Rect::new(Coord { x: -180.0, y: -90.0 }, Coord { x: 180.0, y: 90.0 });
        let expected: Vec<u32> = (0..carriers.len() as u32).filter(|&i| kept[i as usize]).collect();
        prop_assert_eq!(index.in_rect(everything), expected);
    }

    #[test]
    fn queries_after_removing_packed_and_inserting_equal_brute_force(
        seed in 0u64..1000,
        removals in proptest::collection::vec(any::<prop::sample::Index>(), 0..200),
        c in centre(),
        k in 0usize..60,
        radius in 0.0..30_000.0f64,
    ) {
        // 600 bulk-loaded carriers, then 100 inserted at positions 600..700.
        let all = carriers(700, seed, 0.1);
        let first = Carriers::from_records(Datum::Gcj02, records(&all).into_iter().take(600));
        let mut index = CarrierIndex::new(&first);
        for carrier in all.iter().skip(600) {
            index.insert(carrier.position() as u32, carrier.anchor().unwrap());
        }
        let mut kept = vec![true; all.len()];
        for r in removals {
            let i = r.index(all.len());
            prop_assert_eq!(index.remove(i as u32, all.get(i).anchor().unwrap()), kept[i]);
            kept[i] = false;
        }
        prop_assert_eq!(index.len(), kept.iter().filter(|k| **k).count());
        let live: Vec<(f64, u32)> = brute_distances(&all, c)
            .into_iter()
            .filter(|(_, i)| kept[*i as usize])
            .collect();
        let found = |ns: Vec<carrier_quota::index::Neighbour>| -> Vec<(f64, u32)> {
            ns.into_iter().map(|n| (n.distance_m, n.position)).collect()
        };
        prop_assert_eq!(found(index.nearest(c, k)), live.iter().copied().take(k).collect::<Vec<_>>());
        prop_assert_eq!(
            found(index.within_radius(c, radius)),
            live.iter().copied().take_while(|(d, _)| *d <= radius).collect::<Vec<_>>()
        );
        let rect = Rect::new(c.0, Coord { x: c.x() + 0.2, y: c.y() + 0.1 });
        let in_rect: Vec<u32> = brute_rect(&all, rect).into_iter().filter(|i| kept[*i as usize]).collect();
        prop_assert_eq!(index.in_rect(rect), in_rect);
    }

    #[test]
    fn datum_round_trips_stay_within_half_a_metre(x in 105.28..110.20f64, y in 28.16..32.21f64) {
        let p = Coord { x, y };
        for from in Datum::ALL {
            for to in Datum::ALL {
                let back = to.convert(from.convert(p, to), from);
                let error = Haversine.distance(Point(p), Point(back));
                prop_assert!(error < 0.5, "{from} -> {to}: {error} m");
            }
        }
    }
}

#[test]
fn split_footprints_share_floor_area_across_a_border() {
    // A square straddling the border between 渝中区 and 江北区: the Jialing
    // river. Its area is split, and the parts add up exactly.
    let atlas = atlas();
    let yuzhong = atlas.find_district("渝中").unwrap();
    let border_vertex = atlas
        .district(yuzhong)
        .shape
        .coords_iter()
        .find(|c| {
            atlas.locate(Point(*c)) == Some(yuzhong)
                && atlas
                    .district(atlas.find_district("江北").unwrap())
                    .shape
                    .coordinate_position(c)
                    == geo::coordinate_position::CoordPos::OnBoundary
        })
        .expect("the two districts share a border");
    let d = 0.002;
    let ring = vec![
        Coord {
            x: border_vertex.x - d,
            y: border_vertex.y - d,
        },
        Coord {
            x: border_vertex.x + d,
            y: border_vertex.y - d,
        },
        Coord {
            x: border_vertex.x + d,
            y: border_vertex.y + d,
        },
        Coord {
            x: border_vertex.x - d,
            y: border_vertex.y + d,
        },
        Coord {
            x: border_vertex.x - d,
            y: border_vertex.y - d,
        },
    ];
    let shape = geo::MultiPolygon(vec![geo::Polygon::new(geo::LineString(ring), vec![])]);
    let shares = atlas.split(&shape);
    assert!(shares.len() >= 2, "{shares:?}");
    let total: f64 = shares.iter().map(|s| s.fraction).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    let mut carrier = sample().get(0).to_carrier();
    carrier.floor_area_m2 = 10_000.0;
    let surface_point = geo::InteriorPoint::interior_point(&shape).unwrap();
    carrier.location = Some(Location::footprint(shape, surface_point));
    let carriers = Carriers::from_records(Datum::Gcj02, [carrier]);
    let tally = Tally::new(&atlas.place(carriers, FootprintRule::SplitByOverlap));
    assert_eq!(tally.city().all.carriers, 1);
    let parts: Vec<f64> = tally
        .districts()
        .iter()
        .map(|b| b.all.floor_area_m2())
        .filter(|a| *a > 0.0)
        .collect();
    assert!(parts.len() >= 2, "{parts:?}");
    assert_eq!(
        tally.city().all.floor_area_m2() + tally.outside().all.floor_area_m2(),
        10_000.0
    );
}

/// The grid fast path gives the exact path's answer on random points over
/// the atlas's bounding box, on every district vertex and on every edge
/// midpoint.
#[test]
fn fast_location_equals_exact_location() {
    let atlas = atlas();
    let rect = geo::BoundingRect::bounding_rect(atlas.outline()).unwrap();
    let mut rng = carrier_quota::synthetic::SplitMix64::new(42);
    let mut points: Vec<Coord> = (0..200_000)
        .map(|_| Coord {
            x: rect.min().x + rng.next_f64() * rect.width(),
            y: rect.min().y + rng.next_f64() * rect.height(),
        })
        .collect();
    for district in atlas.districts() {
        for line in district
            .shape
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.lines())
        {
            points.push(line.start);
            points.push(Coord {
                x: (line.start.x + line.end.x) / 2.0,
                y: (line.start.y + line.end.y) / 2.0,
            });
        }
    }
    // Points just beyond the bounding box, and on it.
    points.push(rect.min());
    points.push(rect.max());
    points.push(Coord {
        x: rect.max().x + 1e-9,
        y: rect.center().y,
    });
    let mismatches: Vec<&Coord> = points
        .iter()
        .filter(|c| atlas.locate(Point(**c)) != atlas.locate_exact(Point(**c)))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first {:?}",
        mismatches.len(),
        mismatches.first()
    );
    assert!(points.len() > 340_000);
    // The batched look-up gives the same answers.
    let mut batched = vec![None; points.len()];
    atlas.locate_into(&points, &mut batched);
    let one_by_one: Vec<_> = points.iter().map(|c| atlas.locate(Point(*c))).collect();
    assert!(batched == one_by_one);
}

/// Every edge of every district ring, as (start, end).
fn district_edges() -> &'static [(Coord, Coord)] {
    static EDGES: OnceLock<Vec<(Coord, Coord)>> = OnceLock::new();
    EDGES.get_or_init(|| {
        atlas()
            .districts()
            .iter()
            .flat_map(|d| d.shape.iter())
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| ring.lines().map(|l| (l.start, l.end)))
            .collect()
    })
}

/// A feature of the synthetic sample, or one of several bad or outside ones.
fn feature_variant(good: &str, id: usize, variant: u8) -> String {
    let point = |coords: &str, properties: &str| {
        format!(
            r#"{{"type":"Feature","id":"v{id}","geometry":{{"type":"Point","coordinates":{coords}}},"properties":{properties}}}"#
        )
    };
    match variant {
        0 => point("[116.4,39.9]", r#"{"kind":"incubator","floor_area_m2":10}"#),
        1 => point("[106.5,29.5]", r#"{"kind":"incubator","floor_area_m2":-1}"#),
        2 => point("[106.5,29.5]", r#"{"floor_area_m2":10}"#),
        3 => point("[29.5,106.5]", r#"{"kind":"incubator","floor_area_m2":10}"#),
        4 => "[]".into(),
        5 => r#"{"type":"Feature","id":"c-dup","geometry":{"type":"Point","coordinates":[106.5,29.5]},"properties":{"kind":"incubator","floor_area_m2":1}}"#.into(),
        _ => good.to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Conservation on files with good, bad, outside and duplicated features
    /// mixed: every feature read is assigned, outside or rejected, once, and
    /// the tallies count the assigned and outside carriers once.
    #[test]
    fn every_feature_is_assigned_outside_or_rejected_once(
        seed in 0u64..1000,
        variants in proptest::collection::vec(0u8..12, 1..80),
    ) {
        let (_, file) = crate::synthetic_file(variants.len(), seed, 0.2);
        let text = String::from_utf8(file).unwrap();
        let goods: Vec<&str> = text.lines().skip(1).take(variants.len()).map(|l| l.trim_end_matches(',')).collect();
        let features: Vec<String> = variants
            .iter()
            .enumerate()
            .map(|(i, &v)| feature_variant(goods[i], i, v))
            .collect();
        let file = format!(
            r#"{{"type":"FeatureCollection","datum":"gcj02","features":[{}]}}"#,
            features.join(",\n")
        );
        let read = read_carriers(file.as_bytes(), &ReadOptions::default()).unwrap();
        prop_assert_eq!(read.features_read(), features.len());
        let mut seen: Vec<usize> = read
            .feature_indexes()
            .chain(read.rejections().iter().map(|r| r.index))
            .collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..features.len()).collect::<Vec<_>>());
        let (rejected, features_read) = (read.rejections().len(), read.features_read());
        let placed = atlas().place(read, FootprintRule::SurfacePoint);
        let outside = placed.outside().count();
        let assigned = placed.districts().len() - outside;
        prop_assert_eq!(assigned + outside + rejected, features_read);
        let tally = Tally::new(&placed);
        prop_assert_eq!(tally.city().all.carriers, assigned as u64);
        prop_assert_eq!(tally.outside().all.carriers, outside as u64);
    }

    /// A point anywhere along a district edge goes to the lowest-coded
    /// district that holds it (or is outside when none does), so it counts
    /// once.
    #[test]
    fn points_along_borders_count_once(edge in any::<prop::sample::Index>(), t in 0.0..=1.0f64) {
        let (a, b) = district_edges()[edge.index(district_edges().len())];
        let c = Coord { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
        let holder = atlas()
            .district_ids()
            .find(|&d| {
                atlas().district(d).shape.coordinate_position(&c)
                    != geo::coordinate_position::CoordPos::Outside
            });
        prop_assert_eq!(atlas().locate(Point(c)), holder, "{:?}", c);
    }
}
