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
