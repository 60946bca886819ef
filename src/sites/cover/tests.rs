use proptest::prelude::*;

use super::*;

const EXACT: Limits = Limits {
    exact_limit: 40,
    node_limit: 10_000_000,
};
const GREEDY: Limits = Limits {
    exact_limit: 0,
    node_limit: 0,
};

/// The least cost over every subset, by enumeration.
fn brute_force(problem: &Problem) -> f64 {
    let n = problem.costs.len();
    let mut best = f64::INFINITY;
    for mask in 0u32..(1 << n) {
        let chosen: Vec<usize> = (0..n).filter(|&c| mask & (1 << c) != 0).collect();
        if covers(problem, &chosen) {
            best = best.min(chosen.iter().map(|&c| problem.costs[c]).sum());
        }
    }
    best
}

fn covers(problem: &Problem, chosen: &[usize]) -> bool {
    problem
        .needs
        .iter()
        .zip(&problem.offers)
        .all(|(&need, offers)| {
            let got: u64 = offers
                .iter()
                .filter(|(c, _)| chosen.contains(c))
                .map(|&(_, a)| a)
                .sum();
            got >= need
        })
}

/// Small random instances: up to 12 candidates, up to 4 gaps, each
/// candidate helping some gaps; needs are a random part of what is offered.
fn problems() -> impl Strategy<Value = Problem> {
    (1usize..=12, 1usize..=4)
        .prop_flat_map(|(n, gaps)| {
            (
                proptest::collection::vec(0u32..100, n),
                proptest::collection::vec(proptest::collection::vec(0u64..50, n), gaps),
                proptest::collection::vec(0.0..1.0f64, gaps),
            )
        })
        .prop_map(|(costs, amounts, fractions)| {
            let offers: Vec<Vec<(usize, u64)>> = amounts
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .filter(|(_, &a)| a > 0)
                        .map(|(c, &a)| (c, a))
                        .collect()
                })
                .collect();
            let needs = offers
                .iter()
                .zip(&fractions)
                .map(|(o, f)| (o.iter().map(|&(_, a)| a).sum::<u64>() as f64 * f) as u64)
                .collect();
            Problem {
                costs: costs.into_iter().map(f64::from).collect(),
                needs,
                offers,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    /// The exact search finds the brute-force optimum.
    #[test]
    fn exact_matches_brute_force(problem in problems()) {
        let solution = solve(&problem, EXACT);
        prop_assert!(solution.exact);
        prop_assert!(covers(&problem, &solution.chosen), "{solution:?}");
        let best = brute_force(&problem);
        prop_assert!((solution.cost - best).abs() < 1e-9, "{} vs {best}", solution.cost);
        prop_assert_eq!(solution.lower_bound, solution.cost);
        let sum: f64 = solution.chosen.iter().map(|&c| problem.costs[c]).sum();
        prop_assert_eq!(sum, solution.cost);
    }

    /// The greedy answer covers, and its bound is below the optimum.
    #[test]
    fn greedy_covers_within_its_bound(problem in problems()) {
        let solution = solve(&problem, GREEDY);
        prop_assert!(covers(&problem, &solution.chosen), "{solution:?}");
        let best = brute_force(&problem);
        prop_assert!(solution.lower_bound <= best + 1e-9, "bound {} above the optimum {best}", solution.lower_bound);
        prop_assert!(solution.cost >= best - 1e-9);
        if solution.exact {
            prop_assert!((solution.cost - best).abs() < 1e-9);
        }
    }
}

#[test]
fn independent_gaps_are_solved_apart() {
    // Gap 0 is helped by candidates 0 and 1, gap 1 by 2 and 3.
    let problem = Problem {
        costs: vec![5.0, 3.0, 4.0, 10.0],
        needs: vec![10, 8],
        offers: vec![vec![(0, 10), (1, 6)], vec![(2, 8), (3, 8)]],
    };
    let solution = solve(&problem, EXACT);
    assert_eq!(solution.chosen, [0, 2]);
    assert_eq!(solution.cost, 9.0);
    assert!(solution.exact);
}

#[test]
fn a_search_cut_short_still_covers_and_a_full_one_takes_the_cheapest() {
    // 30 equal candidates, each covering 1 of 15: every choice of 15 ties,
    // so the bound cannot prune, and two nodes are far too few.
    let problem = Problem {
        costs: (0..30).map(|c| 1.0 + c as f64 * 1e-3).collect(),
        needs: vec![15],
        offers: vec![(0..30).map(|c| (c, 1)).collect()],
    };
    let limited = solve(
        &problem,
        Limits {
            exact_limit: 40,
            node_limit: 2,
        },
    );
    assert!(covers(&problem, &limited.chosen));
    assert!(limited.lower_bound <= limited.cost);
    let full = solve(&problem, EXACT);
    assert!(full.exact);
    // The 15 cheapest.
    assert_eq!(full.chosen, (0..15).collect::<Vec<_>>());
}

#[test]
fn nothing_needed_chooses_nothing() {
    let problem = Problem {
        costs: vec![1.0],
        needs: vec![0],
        offers: vec![vec![(0, 5)]],
    };
    let solution = solve(&problem, EXACT);
    assert!(solution.chosen.is_empty());
    assert_eq!(
        (solution.cost, solution.lower_bound, solution.exact),
        (0.0, 0.0, true)
    );
}

#[test]
fn a_search_cut_short_is_not_called_exact() {
    // Greedy takes B (6 for 5), then C: 10 for two; A alone costs 9.
    let problem = Problem {
        costs: vec![9.0, 5.0, 5.0],
        needs: vec![10],
        offers: vec![vec![(0, 10), (1, 6), (2, 6)]],
    };
    let cut = solve(
        &problem,
        Limits {
            exact_limit: 40,
            node_limit: 1,
        },
    );
    assert_eq!(
        (cut.chosen.as_slice(), cut.cost, cut.exact),
        ([1, 2].as_slice(), 10.0, false)
    );
    assert!(cut.lower_bound <= 9.0 && cut.lower_bound > 8.0, "{cut:?}");
    let full = solve(&problem, EXACT);
    assert_eq!(
        (full.chosen.as_slice(), full.cost, full.exact),
        ([0].as_slice(), 9.0, true)
    );
}
