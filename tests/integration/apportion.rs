//! Apportionment properties on random instances.

use carrier_quota::apportion::{apportion, ApportionError, Claim};
use proptest::prelude::*;

fn claims() -> impl Strategy<Value = Vec<Claim>> {
    proptest::collection::vec(
        (0.0..1000.0f64, 0u64..20, proptest::option::of(0u64..200)),
        1..12,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .map(|(weight, min, cap)| Claim {
                // Some weights are exactly equal, some zero.
                weight: (weight / 100.0).round() * 100.0,
                min,
                cap: cap.map(|c| c.max(min)),
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]

    /// Feasible: the shares add up to the target and keep every bound; the
    /// same input gives the same answer. Infeasible: the error is the right one.
    #[test]
    fn shares_add_up_within_their_bounds(claims in claims(), target in 0u64..3000) {
        match apportion(target, &claims) {
            Ok(shares) => {
                prop_assert_eq!(shares.iter().sum::<u64>(), target);
                for (share, c) in shares.iter().zip(&claims) {
                    prop_assert!(*share >= c.min);
                    prop_assert!(c.cap.is_none_or(|cap| *share <= cap));
                    if c.weight == 0.0 {
                        prop_assert_eq!(*share, c.min);
                    }
                }
                prop_assert_eq!(apportion(target, &claims), Ok(shares));
            }
            Err(ApportionError::MinimumsAboveTarget { sum, .. }) => {
                prop_assert_eq!(sum, claims.iter().map(|c| c.min).sum::<u64>());
                prop_assert!(sum > target);
            }
            Err(ApportionError::AllWeightsZero { left }) => {
                prop_assert!(claims.iter().all(|c| c.weight == 0.0));
                let minimums: u64 = claims.iter().map(|c| c.min).sum();
                prop_assert_eq!(left, target - minimums);
            }
            Err(ApportionError::CapsBelowTarget { most, .. }) => {
                let most_possible: u64 = claims
                    .iter()
                    .map(|c| if c.weight == 0.0 { c.min } else { c.cap.unwrap_or(u64::MAX / 64) })
                    .sum();
                prop_assert_eq!(most, most_possible);
                prop_assert!(most < target);
            }
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
    }

    /// A region's share never falls when only its weight rises.
    #[test]
    fn a_heavier_region_never_gets_less(
        claims in claims(),
        target in 0u64..3000,
        which in any::<prop::sample::Index>(),
        more in 0.0..500.0f64,
    ) {
        let i = which.index(claims.len());
        let Ok(before) = apportion(target, &claims) else { return Ok(()) };
        let mut heavier = claims.clone();
        heavier[i].weight += more;
        let after = apportion(target, &heavier).expect("more weight stays feasible");
        prop_assert!(after[i] >= before[i], "{} -> {}: {:?} -> {:?}", claims[i].weight, heavier[i].weight, before, after);
    }
}

#[test]
fn without_bounds_the_shares_are_the_classic_largest_remainders() {
    // Hamilton's method on a textbook case: quotas 7.8, 6.3, 5.9 of 20.
    let claims = [7.8, 6.3, 5.9].map(Claim::weighted);
    assert_eq!(apportion(20, &claims).unwrap(), [8, 6, 6]);
}

mod districts {
    use carrier_quota::apportion::{ApportionError, Region};
    use carrier_quota::place::FootprintRule;
    use carrier_quota::quota::{read_plan, read_weights, DistrictSplit, WeightTable, Weighting};
    use carrier_quota::{Atlas, CheckOptions, Date, ErrorKind, QuotaPlan, Status, Tally};

    use crate::synthetic_file;

    fn zone(atlas: &Atlas, code: &str) -> Vec<carrier_quota::DistrictId> {
        atlas.zone(atlas.find_zone(code).unwrap()).districts.clone()
    }

    #[test]
    fn every_weighting_adds_up_and_follows_its_weights() {
        let atlas = Atlas::chongqing();
        let (carriers, _) = synthetic_file(3000, 11, 0.0);
        let tally = Tally::new(&atlas.place(carriers, FootprintRule::SurfacePoint));
        let districts = zone(atlas, "main_urban");
        let table = WeightTable {
            entries: districts
                .iter()
                .enumerate()
                .map(|(i, &d)| (atlas.district(d).code.to_string(), (i % 4) as f64))
                .collect(),
        };
        for weighting in [
            Weighting::LandArea,
            Weighting::FloorArea(&tally),
            Weighting::Equal,
            Weighting::Table(&table),
        ] {
            let shares = DistrictSplit::new(&districts, weighting)
                .apportion(atlas, 9_900_000)
                .unwrap();
            assert_eq!(shares.iter().map(|s| s.share).sum::<u64>(), 9_900_000);
            let total: f64 = shares.iter().map(|s| s.weight).sum();
            for s in &shares {
                // Largest remainders: each share is its quota rounded one way or the other.
                let quota = 9_900_000.0 * s.weight / total;
                assert!(
                    (s.share as f64 - quota).abs() < 1.0 + 1e-6,
                    "{s:?} against {quota}"
                );
            }
        }
        // Land-area weights are the districts' geodesic areas: Chongqing is 82,400 km².
        let all: Vec<_> = atlas.district_ids().collect();
        let land = DistrictSplit::new(&all, Weighting::LandArea)
            .apportion(atlas, 1)
            .unwrap();
        let km2 = land.iter().map(|s| s.weight).sum::<f64>() / 1e6;
        assert!((81_000.0..84_000.0).contains(&km2), "{km2} km²");
    }

    #[test]
    fn errors_name_the_district() {
        let atlas = Atlas::chongqing();
        let yuzhong = atlas.find_district("500103").unwrap();
        let jiangbei = atlas.find_district("500105").unwrap();
        let fuling = atlas.find_district("500102").unwrap();
        let both = [yuzhong, jiangbei];
        let split = |split: DistrictSplit| split.apportion(atlas, 100);
        let err = split(
            DistrictSplit::new(&both, Weighting::Equal)
                .min(yuzhong, 60)
                .cap(yuzhong, 50),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ApportionError::MinAboveCap {
                region: Region::District("500103".into()),
                min: 60,
                cap: 50
            }
        );
        assert_eq!(
            err.to_string(),
            "district 500103 has minimum 60 above its cap 50"
        );

        assert_eq!(
            split(DistrictSplit::new(&both, Weighting::Equal).cap(fuling, 5)).unwrap_err(),
            ApportionError::BoundOutsideSplit {
                bound: "cap",
                code: "500102".into()
            }
        );
        let caps = DistrictSplit::new(&both, Weighting::Equal)
            .cap(yuzhong, 30)
            .cap(jiangbei, 30);
        assert_eq!(
            split(caps).unwrap_err(),
            ApportionError::CapsBelowTarget {
                most: 60,
                target: 100
            }
        );

        let partial = WeightTable {
            entries: vec![("渝中区".into(), 2.0)],
        };
        assert_eq!(
            split(DistrictSplit::new(&both, Weighting::Table(&partial))).unwrap_err(),
            ApportionError::MissingWeight {
                code: "500105".into(),
                name: "江北区".into()
            }
        );
        let unknown = WeightTable {
            entries: vec![("Atlantis".into(), 2.0)],
        };
        assert_eq!(
            split(DistrictSplit::new(&both, Weighting::Table(&unknown))).unwrap_err(),
            ApportionError::UnknownDistrict {
                name: "Atlantis".into()
            }
        );
        let twice = WeightTable {
            entries: vec![
                ("500103".into(), 1.0),
                ("渝中区".into(), 2.0),
                ("500105".into(), 1.0),
            ],
        };
        assert_eq!(
            split(DistrictSplit::new(&both, Weighting::Table(&twice))).unwrap_err(),
            ApportionError::DuplicateDistrict {
                code: "500103".into()
            }
        );
        let negative = WeightTable {
            entries: vec![("500103".into(), -1.0), ("500105".into(), 1.0)],
        };
        assert!(matches!(
            split(DistrictSplit::new(&both, Weighting::Table(&negative))).unwrap_err(),
            ApportionError::InvalidWeight { region: Region::District(code), .. } if code == "500103"
        ));
        let zero = WeightTable {
            entries: vec![("500103".into(), 0.0), ("500105".into(), 0.0)],
        };
        assert_eq!(
            split(DistrictSplit::new(&both, Weighting::Table(&zero)).min(jiangbei, 30))
                .unwrap_err(),
            ApportionError::AllWeightsZero { left: 70 }
        );
        assert_eq!(
            split(DistrictSplit::new(&[], Weighting::Equal)).unwrap_err(),
            ApportionError::NoDistricts
        );
    }

    #[test]
    fn weight_tables_read_csv_and_json_and_say_where_they_are_wrong() {
        let csv = "name,code,weight\n渝中,500103,1.5\nx, 渝北区 , 2\n";
        assert_eq!(
            read_weights(csv.as_bytes()).unwrap().entries,
            [("500103".to_string(), 1.5), ("渝北区".to_string(), 2.0)]
        );
        let bad = "code,weight\n500103,1\n500105,lots\n";
        let err = read_weights(bad.as_bytes()).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidWeights { line: Some(3), .. }),
            "{err}"
        );
        assert!(err.to_string().contains("\"lots\""), "{err}");
        let err = read_weights("district,w\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("no \"code\" column"), "{err}");

        let object = read_weights(r#"{"500103": 1, "江北区": 2.5}"#.as_bytes()).unwrap();
        assert_eq!(
            object.entries,
            [("500103".to_string(), 1.0), ("江北区".to_string(), 2.5)]
        );
        let list = read_weights(
            r#"[{"code": "500103", "name": "渝中区", "weight": 3, "share": 7}]"#.as_bytes(),
        )
        .unwrap();
        assert_eq!(list.entries, [("500103".to_string(), 3.0)]);
        let err = read_weights("{\"500103\": \"heavy\"}".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("must be a number"), "{err}");
        let err = read_weights("{\n\"500103\": 1,\n".as_bytes()).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidWeights { line: Some(3), .. }),
            "{err}"
        );
    }

    #[test]
    fn hostile_weight_tables_are_errors_or_weights_the_split_refuses() {
        let atlas = Atlas::chongqing();
        let err = read_weights(&b"code,weight\n500103,\xff\n"[..]).unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
        let err = read_weights(&b""[..]).unwrap_err();
        assert!(err.to_string().contains("no \"code\" column"), "{err}");
        let err = read_weights(&b"[1, 2]"[..]).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidWeights { .. }),
            "{err}"
        );
        // A byte-order mark is skipped; NaN and infinite weights read, and
        // the split names the district that has one.
        for weight in ["NaN", "inf", "-1e400"] {
            let text = format!("\u{feff}code,weight\n500103,{weight}\n500105,1\n");
            let table = read_weights(text.as_bytes()).unwrap();
            let both = [
                atlas.find_district("500103").unwrap(),
                atlas.find_district("500105").unwrap(),
            ];
            let err = DistrictSplit::new(&both, Weighting::Table(&table))
                .apportion(atlas, 10)
                .unwrap_err();
            assert!(
                matches!(&err, ApportionError::InvalidWeight { region: Region::District(code), .. } if code == "500103"),
                "{weight}: {err}"
            );
        }
    }

    #[test]
    fn the_district_plan_adds_up_to_its_zones_and_its_parts_add_up_to_the_zone() {
        let atlas = Atlas::chongqing();
        let (carriers, _) = synthetic_file(4000, 5, 0.1);
        let placed = atlas.place(carriers, FootprintRule::SplitByOverlap);
        let plan = QuotaPlan::chongqing_2021_2025();
        let split = plan
            .split_zone_targets(atlas, &Weighting::LandArea)
            .unwrap();
        split.validate(atlas, None).unwrap();
        // A district plan is a plan file like any other.
        assert_eq!(read_plan(split.to_json().as_bytes()).unwrap(), split);
        assert_eq!(read_plan(split.to_toml().as_bytes()).unwrap(), split);
        // Splitting twice changes nothing.
        assert_eq!(
            split.split_zone_targets(atlas, &Weighting::Equal).unwrap(),
            split
        );
        let parents = ["floor_area_main_urban", "floor_area_outer_clusters"];
        assert_eq!(split.targets.len(), plan.targets.len() + 38);
        let as_of = Date::new(2024, 6, 30).unwrap();
        let on = CheckOptions::new().as_of(as_of);
        let report = split.check(&placed, &on).unwrap();
        for parent in parents {
            let zone = split.targets.iter().find(|t| t.id == parent).unwrap();
            let parts: Vec<_> = report
                .targets
                .iter()
                .filter(|t| t.part_of.as_deref() == Some(parent))
                .collect();
            assert_eq!(parts.iter().map(|t| t.required).sum::<f64>(), zone.minimum);
            // Every carrier of the zone counts in exactly one part.
            let whole = report.targets.iter().find(|t| t.id == parent).unwrap();
            let sum: f64 = parts.iter().map(|t| t.actual.unwrap()).sum();
            assert!(
                (sum - whole.actual.unwrap()).abs() < 1e-6 * sum.max(1.0),
                "{sum} vs {whole:?}"
            );
            for part in &parts {
                let code = part.district.as_ref().expect("one district");
                assert_eq!(part.id, format!("{parent}/{code}"));
                let met = part.actual.unwrap() >= part.required;
                assert_eq!(met, part.status == Status::Met, "{part:?}");
            }
        }
        let statuses = report.district_statuses(atlas);
        assert_eq!(statuses.len(), 38);
        assert!(
            statuses.iter().all(Option::is_some),
            "every district is in one zone target"
        );
        for (district, status) in atlas.districts().iter().zip(&statuses) {
            let own = report
                .targets
                .iter()
                .find(|t| t.district.as_ref() == Some(&district.code))
                .unwrap();
            assert_eq!(Some(own.status), *status);
        }
        // The unsplit plan has no district statuses.
        let plain = plan.check(&placed, &on).unwrap();
        assert!(plain.district_statuses(atlas).iter().all(Option::is_none));
    }

    #[test]
    fn a_weight_table_without_a_district_names_the_target() {
        let atlas = Atlas::chongqing();
        let table = WeightTable {
            entries: vec![("500101".into(), 1.0)],
        };
        let err = QuotaPlan::chongqing_2021_2025()
            .split_zone_targets(atlas, &Weighting::Table(&table))
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Split { target, .. } if target == "floor_area_main_urban"),
            "{err}"
        );
        let mut plan = QuotaPlan::chongqing_2021_2025();
        plan.targets[0].part_of = Some("nothing".into());
        let err = plan.validate(atlas, None).unwrap_err();
        assert!(err.to_string().contains("\"nothing\""), "{err}");
    }
}
