//! Apportionment: splitting a whole-number target among regions by weight.
//!
//! [`apportion`] gives each region a whole share (square metres, carriers)
//! so that the shares add up exactly to the target, by the largest-remainder
//! method within per-region bounds:
//!
//! 1. Each region's ideal share is `λ × weight`, held within its minimum and
//!    cap, with the one `λ` that makes the ideal shares add up to the target
//!    (found by bisection; without bounds this is `target × weight / total
//!    weight`).
//! 2. Each region gets its ideal share rounded down; the units left over go
//!    one each to the regions with the largest fractional parts, ties to the
//!    earlier region.
//!
//! Properties, each tested: the shares add up to the target; the answer
//! depends only on the input; a region's share never falls when only its
//! weight rises; every share is within its bounds, or the call fails saying
//! which bound cannot be met.

use serde::{Deserialize, Serialize};

mod error;

pub use error::{ApportionError, Region};

/// One region's claim on a target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The region's weight: finite and not negative.
    pub weight: f64,
    /// The least share it may get.
    pub min: u64,
    /// The most it may get; `None` for no cap.
    pub cap: Option<u64>,
}

impl Claim {
    /// A claim with this weight and no bounds.
    pub fn weighted(weight: f64) -> Claim {
        Claim {
            weight,
            min: 0,
            cap: None,
        }
    }

    /// The cap as a number, infinite when there is none.
    fn upper(&self) -> f64 {
        self.cap.map_or(f64::INFINITY, |c| c as f64)
    }
}

/// Splits `target` among `claims` (see the module docs). The shares are in
/// the order of the claims.
///
/// # Errors
///
/// [`ApportionError`] when a weight is invalid or the bounds cannot be met;
/// regions are named by position ([`Region::Position`]).
///
/// # Examples
///
/// ```
/// use carrier_quota::apportion::{apportion, Claim};
///
/// // 10 units by weights 1 : 1 : 1: the left-over unit goes to the first.
/// let equal = [Claim::weighted(1.0); 3];
/// assert_eq!(apportion(10, &equal)?, [4, 3, 3]);
///
/// // At least 5 for the last region.
/// let claims = [Claim::weighted(3.0), Claim::weighted(1.0), Claim { min: 5, ..Claim::weighted(0.0) }];
/// assert_eq!(apportion(13, &claims)?, [6, 2, 5]);
/// # Ok::<(), carrier_quota::apportion::ApportionError>(())
/// ```
pub fn apportion(target: u64, claims: &[Claim]) -> Result<Vec<u64>, ApportionError> {
    check(target, claims)?;
    let ideal = ideal_shares(target, claims);
    let mut shares: Vec<u64> = ideal
        .iter()
        .zip(claims)
        .map(|(&q, c)| (q.floor() as u64).clamp(c.min, c.cap.unwrap_or(u64::MAX)))
        .collect();
    // Largest fractional parts first, ties to the earlier region.
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|&a, &b| {
        let part = |i: usize| ideal[i] - ideal[i].floor();
        part(b).total_cmp(&part(a)).then(a.cmp(&b))
    });
    let given: i128 = shares.iter().map(|&s| i128::from(s)).sum();
    // Floating-point rounding can leave the floors a unit or so off either
    // way; the loops settle it within the bounds, largest parts first.
    let mut left = i128::from(target) - given;
    while left > 0 {
        let before = left;
        for &i in &order {
            if left > 0 && claims[i].cap.is_none_or(|c| shares[i] < c) && claims[i].weight > 0.0 {
                shares[i] += 1;
                left -= 1;
            }
        }
        assert!(left < before, "checked: the regions can take the target");
    }
    while left < 0 {
        let before = left;
        for &i in order.iter().rev() {
            if left < 0 && shares[i] > claims[i].min {
                shares[i] -= 1;
                left += 1;
            }
        }
        assert!(left > before, "checked: the minimums fit in the target");
    }
    Ok(shares)
}

fn check(target: u64, claims: &[Claim]) -> Result<(), ApportionError> {
    for (i, c) in claims.iter().enumerate() {
        if !(c.weight.is_finite() && c.weight >= 0.0) {
            return Err(ApportionError::InvalidWeight {
                region: Region::Position(i),
                weight: c.weight,
            });
        }
        if let Some(cap) = c.cap.filter(|&cap| cap < c.min) {
            return Err(ApportionError::MinAboveCap {
                region: Region::Position(i),
                min: c.min,
                cap,
            });
        }
    }
    let sum = claims.iter().map(|c| u128::from(c.min)).sum::<u128>();
    if sum > u128::from(target) {
        return Err(ApportionError::MinimumsAboveTarget {
            sum: sum.min(u128::from(u64::MAX)) as u64,
            target,
        });
    }
    if claims.iter().all(|c| c.weight == 0.0) && sum < u128::from(target) {
        return Err(ApportionError::AllWeightsZero {
            left: (u128::from(target) - sum) as u64,
        });
    }
    let most = claims
        .iter()
        .map(|c| match c.cap {
            _ if c.weight == 0.0 => u128::from(c.min),
            Some(cap) => u128::from(cap),
            None => u128::from(u64::MAX),
        })
        .sum::<u128>();
    if most < u128::from(target) {
        return Err(ApportionError::CapsBelowTarget {
            most: most as u64,
            target,
        });
    }
    Ok(())
}

/// The ideal shares: `clamp(λ × weight, min, cap)` adding up to `target`.
fn ideal_shares(target: u64, claims: &[Claim]) -> Vec<f64> {
    let at = |lambda: f64| -> Vec<f64> {
        claims
            .iter()
            .map(|c| (lambda * c.weight).clamp(c.min as f64, c.upper()))
            .collect()
    };
    let total = |lambda: f64| at(lambda).iter().sum::<f64>();
    let target_f = target as f64;
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    while total(high) < target_f && high < f64::MAX / 4.0 {
        high *= 2.0;
    }
    // Bisect until `low` and `high` are neighbouring floats: at most about
    // 2,100 halvings, whatever the weights' magnitudes (a fixed count of
    // steps left weights of 1e87 far from their share, and the shares far
    // from the target).
    loop {
        let mid = low + (high - low) / 2.0;
        if mid <= low || mid >= high {
            break;
        }
        if total(mid) < target_f {
            low = mid;
        } else {
            high = mid;
        }
    }
    at(high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_by_weight_with_the_largest_remainders() {
        let claims: Vec<Claim> = [5.0, 3.0, 2.0].map(Claim::weighted).to_vec();
        assert_eq!(apportion(7, &claims).unwrap(), [4, 2, 1]);
        assert_eq!(apportion(0, &claims).unwrap(), [0, 0, 0]);
        assert_eq!(
            apportion(10_000_000, &claims).unwrap(),
            [5_000_000, 3_000_000, 2_000_000]
        );
    }

    /// Found by fuzzing: weights 86 orders of magnitude apart once left the
    /// bisection far from its answer, and the repair loop ran for ever.
    #[test]
    fn weights_of_any_magnitude_split_at_once() {
        let weights = [5.5e26, 2.0, 1e87, 1.0, 3.0, 0.5];
        let claims: Vec<Claim> = weights.map(Claim::weighted).to_vec();
        let shares = apportion(1000, &claims).unwrap();
        assert_eq!(shares, [0, 0, 1000, 0, 0, 0]);
        let tiny: Vec<Claim> = [1e-300, 3e-300].map(Claim::weighted).to_vec();
        assert_eq!(apportion(1000, &tiny).unwrap(), [250, 750]);
    }

    #[test]
    fn bounds_are_met_or_named() {
        let bounded = [
            Claim {
                cap: Some(2),
                ..Claim::weighted(10.0)
            },
            Claim::weighted(1.0),
            Claim {
                min: 4,
                ..Claim::weighted(1.0)
            },
        ];
        assert_eq!(apportion(10, &bounded).unwrap(), [2, 4, 4]);
        assert_eq!(
            apportion(3, &bounded),
            Err(ApportionError::MinimumsAboveTarget { sum: 4, target: 3 })
        );
        let capped = [
            Claim {
                cap: Some(2),
                ..Claim::weighted(1.0)
            },
            Claim {
                min: 1,
                ..Claim::weighted(0.0)
            },
        ];
        assert_eq!(
            apportion(4, &capped),
            Err(ApportionError::CapsBelowTarget { most: 3, target: 4 })
        );
        let bad = [
            Claim::weighted(1.0),
            Claim {
                min: 3,
                cap: Some(2),
                weight: 1.0,
            },
        ];
        assert_eq!(
            apportion(4, &bad),
            Err(ApportionError::MinAboveCap {
                region: Region::Position(1),
                min: 3,
                cap: 2
            })
        );
        assert_eq!(
            apportion(
                4,
                &[
                    Claim {
                        min: 1,
                        ..Claim::weighted(0.0)
                    },
                    Claim::weighted(0.0)
                ]
            ),
            Err(ApportionError::AllWeightsZero { left: 3 })
        );
        assert_eq!(
            apportion(
                1,
                &[Claim {
                    min: 1,
                    ..Claim::weighted(0.0)
                }]
            ),
            Ok(vec![1])
        );
        assert!(matches!(
            apportion(4, &[Claim::weighted(f64::NAN)]),
            Err(ApportionError::InvalidWeight {
                region: Region::Position(0),
                ..
            })
        ));
    }
}
