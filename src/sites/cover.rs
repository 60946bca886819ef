//! The least-cost choice of sites that covers every gap: a multi-covering
//! 0-1 problem,
//!
//! ```text
//! minimise Σ cost[c]·x[c]  subject to  Σ offer[g][c]·x[c] ≥ need[g] for every gap g,  x[c] ∈ {0, 1}.
//! ```
//!
//! Gaps that share no candidate are independent, so each connected group is
//! solved on its own: by depth-first branch and bound when it has at most
//! `exact_limit` candidates, else greedily. Either way the lower bound comes
//! from the Lagrangian relaxation of the cover constraints (whose best value
//! is the linear-programming bound), improved by subgradient steps.

/// A covering problem. Amounts are whole units (the caller's fixed point);
/// sums of them saturate rather than wrap.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// Cost of each candidate: finite and not negative.
    pub costs: Vec<f64>,
    /// What each gap needs; at most the sum of its offers.
    pub needs: Vec<u64>,
    /// For each gap, `(candidate, amount > 0)` of every candidate that helps.
    pub offers: Vec<Vec<(usize, u64)>>,
}

/// A choice of candidates that covers every need.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Solution {
    /// The chosen candidates, ascending.
    pub chosen: Vec<usize>,
    /// Their total cost.
    pub cost: f64,
    /// No choice costs less than this.
    pub lower_bound: f64,
    /// Whether `chosen` is proven optimal.
    pub exact: bool,
}

/// Search limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Groups with at most this many candidates are solved exactly.
    pub exact_limit: usize,
    /// The branch and bound gives up (and reports a heuristic answer) after
    /// this many nodes in one group.
    pub node_limit: u64,
}

/// Solves `problem` within `limits`.
///
/// # Panics
///
/// When a need exceeds the sum of its offers.
pub(crate) fn solve(problem: &Problem, limits: Limits) -> Solution {
    let mut solution = Solution {
        chosen: Vec::new(),
        cost: 0.0,
        lower_bound: 0.0,
        exact: true,
    };
    for group in groups(problem) {
        let part = group.solve(limits);
        solution
            .chosen
            .extend(part.chosen.iter().map(|&c| group.candidates[c]));
        solution.cost += part.cost;
        solution.lower_bound += part.lower_bound;
        solution.exact &= part.exact;
    }
    solution.chosen.sort_unstable();
    solution
}

/// One connected group of gaps, with its candidates numbered from 0.
struct Group {
    /// Global index of each local candidate.
    candidates: Vec<usize>,
    costs: Vec<f64>,
    needs: Vec<u64>,
    /// `offer[g][c]`, dense.
    offer: Vec<Vec<u64>>,
}

/// Splits the gaps that need something into groups linked by shared
/// candidates (union-find over candidates).
fn groups(problem: &Problem) -> Vec<Group> {
    let n = problem.costs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let open: Vec<usize> = (0..problem.needs.len())
        .filter(|&g| problem.needs[g] > 0)
        .collect();
    for &g in &open {
        let offered: u128 = problem.offers[g].iter().map(|&(_, a)| u128::from(a)).sum();
        assert!(
            u128::from(problem.needs[g]) <= offered,
            "gap {g} needs more than is offered"
        );
        if let Some(&(first, _)) = problem.offers[g].first() {
            for &(c, _) in &problem.offers[g] {
                let (a, b) = (root(&mut parent, first), root(&mut parent, c));
                parent[a] = b;
            }
        }
    }
    let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &g in &open {
        let r = root(&mut parent, problem.offers[g][0].0);
        by_root[r].push(g);
    }
    by_root
        .into_iter()
        .filter(|gaps| !gaps.is_empty())
        .map(|gaps| {
            let mut candidates: Vec<usize> = gaps
                .iter()
                .flat_map(|&g| problem.offers[g].iter().map(|&(c, _)| c))
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            let local = |c: usize| candidates.binary_search(&c).expect("in the group");
            let mut offer = vec![vec![0; candidates.len()]; gaps.len()];
            for (row, &g) in offer.iter_mut().zip(&gaps) {
                for &(c, a) in &problem.offers[g] {
                    row[local(c)] += a;
                }
            }
            Group {
                costs: candidates.iter().map(|&c| problem.costs[c]).collect(),
                needs: gaps.iter().map(|&g| problem.needs[g]).collect(),
                offer,
                candidates,
            }
        })
        .collect()
}

impl Group {
    fn solve(&self, limits: Limits) -> Solution {
        let mut chosen = self.without_redundant(self.greedy());
        let mut exact = false;
        if self.costs.len() <= limits.exact_limit {
            let mut search = Search::new(self, self.cost_of(&chosen), limits.node_limit);
            search.branch(0, &mut self.needs.clone(), 0.0);
            exact = !search.gave_up;
            if let Some(found) = search.best {
                chosen = self.without_redundant(found);
            }
        }
        let cost = self.cost_of(&chosen);
        let lower_bound = if exact {
            cost
        } else {
            self.lagrangian_bound(cost).min(cost)
        };
        // A heuristic answer that meets the bound is optimal too.
        let exact = exact || cost <= lower_bound * (1.0 + 1e-12);
        Solution {
            chosen,
            cost,
            lower_bound,
            exact,
        }
    }

    fn cost_of(&self, chosen: &[usize]) -> f64 {
        chosen.iter().map(|&c| self.costs[c]).sum()
    }

    /// Repeatedly takes the candidate that covers the most of what is still
    /// needed per unit of cost (free candidates first).
    fn greedy(&self) -> Vec<usize> {
        let mut left = self.needs.clone();
        let mut taken = vec![false; self.costs.len()];
        let mut chosen = Vec::new();
        while left.iter().any(|&l| l > 0) {
            let covers = |c: usize| -> f64 {
                self.offer
                    .iter()
                    .zip(&left)
                    .map(|(row, &l)| row[c].min(l) as f64)
                    .sum()
            };
            let score = |c: usize| -> (bool, f64) {
                let cover = covers(c);
                match self.costs[c] {
                    0.0 => (true, cover),
                    cost => (false, cover / cost),
                }
            };
            let next = (0..self.costs.len())
                .filter(|&c| !taken[c] && covers(c) > 0.0)
                .max_by(|&a, &b| {
                    let (sa, sb) = (score(a), score(b));
                    sa.0.cmp(&sb.0).then(sa.1.total_cmp(&sb.1)).then(b.cmp(&a))
                })
                .expect("the offers cover every need");
            taken[next] = true;
            chosen.push(next);
            for (row, l) in self.offer.iter().zip(&mut left) {
                *l = l.saturating_sub(row[next]);
            }
        }
        chosen.sort_unstable();
        chosen
    }

    /// Drops chosen candidates the others can do without, costliest first.
    fn without_redundant(&self, mut chosen: Vec<usize>) -> Vec<usize> {
        let mut order = chosen.clone();
        order.sort_by(|&a, &b| self.costs[b].total_cmp(&self.costs[a]).then(b.cmp(&a)));
        for c in order {
            let rest: Vec<usize> = chosen.iter().copied().filter(|&x| x != c).collect();
            if self.covers(&rest) {
                chosen = rest;
            }
        }
        chosen
    }

    fn covers(&self, chosen: &[usize]) -> bool {
        self.offer.iter().zip(&self.needs).all(|(row, &need)| {
            chosen
                .iter()
                .fold(0u64, |sum, &c| sum.saturating_add(row[c]))
                >= need
        })
    }

    /// The best Lagrangian bound found by subgradient steps from `u = 0`:
    /// `L(u) = Σ u[g]·need[g] + Σ min(0, cost[c] − Σ u[g]·offer[g][c])`,
    /// which is at most the optimum for every `u ≥ 0`. `upper` is a known
    /// cost, used to size the steps.
    fn lagrangian_bound(&self, upper: f64) -> f64 {
        let gaps = self.needs.len();
        let need: Vec<f64> = self.needs.iter().map(|&n| n as f64).collect();
        // Start from the best single-gap bound: the fractional knapsack.
        let mut best = 0.0_f64;
        let mut u = vec![0.0; gaps];
        for g in 0..gaps {
            let (bound, price) = self.fractional_cover(g);
            if bound > best {
                best = bound;
                u = vec![0.0; gaps];
                u[g] = price;
            }
        }
        let mut theta = 2.0;
        let mut stale = 0;
        for _ in 0..300 {
            let mut value: f64 = u.iter().zip(&need).map(|(u, n)| u * n).sum();
            let mut slack = need.clone();
            for c in 0..self.costs.len() {
                let reduced = self.costs[c]
                    - (0..gaps)
                        .map(|g| u[g] * self.offer[g][c] as f64)
                        .sum::<f64>();
                if reduced < 0.0 {
                    value += reduced;
                    for (s, row) in slack.iter_mut().zip(&self.offer) {
                        *s -= row[c] as f64;
                    }
                }
            }
            if value > best * (1.0 + 1e-9) {
                best = value;
                stale = 0;
            } else {
                stale += 1;
                if stale >= 15 {
                    theta /= 2.0;
                    stale = 0;
                }
            }
            let norm: f64 = slack.iter().map(|s| s * s).sum();
            if norm == 0.0 || theta < 1e-6 || upper - best <= 1e-9 * upper {
                break;
            }
            let step = theta * (upper - value).max(1e-9 * upper.max(1.0)) / norm;
            for (u, s) in u.iter_mut().zip(&slack) {
                *u = (*u + step * s).max(0.0);
            }
        }
        best
    }

    /// The least cost of covering gap `g` alone with fractions of
    /// candidates, and the cost per unit of the last one taken (the dual
    /// price of the gap).
    fn fractional_cover(&self, g: usize) -> (f64, f64) {
        let row = &self.offer[g];
        let mut order: Vec<usize> = (0..row.len()).filter(|&c| row[c] > 0).collect();
        order.sort_by(|&a, &b| {
            (self.costs[a] / row[a] as f64).total_cmp(&(self.costs[b] / row[b] as f64))
        });
        let (mut left, mut cost, mut price) = (self.needs[g] as f64, 0.0, 0.0);
        for c in order {
            if left <= 0.0 {
                break;
            }
            let take = (row[c] as f64).min(left);
            price = self.costs[c] / row[c] as f64;
            cost += take * price;
            left -= take;
        }
        (cost, price)
    }
}

/// Depth-first branch and bound over the candidates in a fixed order.
struct Search<'a> {
    group: &'a Group,
    /// Candidates by decreasing cover per cost.
    order: Vec<usize>,
    /// `suffix[k][g]`: what the candidates at `order[k..]` offer gap `g`.
    suffix: Vec<Vec<u64>>,
    /// For each gap, the positions in `order` of its candidates, cheapest
    /// per unit first.
    by_price: Vec<Vec<usize>>,
    best: Option<Vec<usize>>,
    best_cost: f64,
    taken: Vec<usize>,
    nodes: u64,
    node_limit: u64,
    gave_up: bool,
}

impl<'a> Search<'a> {
    fn new(group: &'a Group, upper: f64, node_limit: u64) -> Search<'a> {
        let n = group.costs.len();
        let gaps = group.needs.len();
        let cover = |c: usize| -> f64 {
            (0..gaps)
                .map(|g| group.offer[g][c].min(group.needs[g]) as f64 / group.needs[g] as f64)
                .sum()
        };
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            let ratio = |c: usize| cover(c) / group.costs[c].max(f64::MIN_POSITIVE);
            ratio(b).total_cmp(&ratio(a)).then(a.cmp(&b))
        });
        let mut suffix = vec![vec![0u64; gaps]; n + 1];
        for k in (0..n).rev() {
            let (here, after) = suffix.split_at_mut(k + 1);
            for ((sum, next), row) in here[k].iter_mut().zip(&after[0]).zip(&group.offer) {
                *sum = next.saturating_add(row[order[k]]);
            }
        }
        let by_price = (0..gaps)
            .map(|g| {
                let row = &group.offer[g];
                let mut positions: Vec<usize> = (0..n).filter(|&k| row[order[k]] > 0).collect();
                positions.sort_by(|&a, &b| {
                    let price = |k: usize| group.costs[order[k]] / row[order[k]] as f64;
                    price(a).total_cmp(&price(b))
                });
                positions
            })
            .collect();
        Search {
            group,
            order,
            suffix,
            by_price,
            best: None,
            // Only strictly cheaper choices than the greedy one are sought.
            best_cost: upper,
            taken: Vec::new(),
            nodes: 0,
            node_limit,
            gave_up: false,
        }
    }

    fn branch(&mut self, k: usize, left: &mut [u64], cost: f64) {
        self.nodes += 1;
        if self.nodes > self.node_limit {
            self.gave_up = true;
            return;
        }
        if left.iter().all(|&l| l == 0) {
            if cost < self.best_cost {
                self.best_cost = cost;
                let mut chosen: Vec<usize> = self.taken.iter().map(|&p| self.order[p]).collect();
                chosen.sort_unstable();
                self.best = Some(chosen);
            }
            return;
        }
        if (0..left.len()).any(|g| left[g] > self.suffix[k][g]) {
            return;
        }
        // Prune unless the bound leaves room for a cheaper choice (by more
        // than rounding in the bound's arithmetic).
        let slack = 1e-9 * self.best_cost.abs().max(1.0);
        if cost + self.bound(k, left) >= self.best_cost - slack {
            return;
        }
        let c = self.order[k];
        let helps = (0..left.len()).any(|g| left[g] > 0 && self.group.offer[g][c] > 0);
        if helps {
            let before = left.to_vec();
            for (g, l) in left.iter_mut().enumerate() {
                *l = l.saturating_sub(self.group.offer[g][c]);
            }
            self.taken.push(k);
            self.branch(k + 1, left, cost + self.group.costs[c]);
            self.taken.pop();
            left.copy_from_slice(&before);
        }
        if !self.gave_up {
            self.branch(k + 1, left, cost);
        }
    }

    /// The largest single-gap fractional cover cost over `order[k..]`.
    fn bound(&self, k: usize, left: &[u64]) -> f64 {
        let mut most = 0.0_f64;
        for (g, &need) in left.iter().enumerate() {
            if need == 0 {
                continue;
            }
            let row = &self.group.offer[g];
            let (mut rest, mut cost) = (need as f64, 0.0);
            for &p in self.by_price[g].iter().filter(|&&p| p >= k) {
                let c = self.order[p];
                let take = (row[c] as f64).min(rest);
                cost += take * self.group.costs[c] / row[c] as f64;
                rest -= take;
                if rest <= 0.0 {
                    break;
                }
            }
            most = most.max(cost);
        }
        most
    }
}

#[cfg(test)]
mod tests;
